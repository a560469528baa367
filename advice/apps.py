from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .content.history import register_models
        from .content.version import connect_signals

        connect_signals()
        register_models()
