from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .content import version
        from .search import index

        version.connect_signals()
        index.connect_signals()
