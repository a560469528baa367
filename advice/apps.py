from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .checker.safety import VIGNETTE_GATE
        from .content import gates, version
        from .content.history import register_models
        from .search import index

        version.connect_signals()
        index.connect_signals()
        register_models()
        # Every content change (import or admin) must pass the checker's vignettes.
        gates.register(VIGNETTE_GATE)
