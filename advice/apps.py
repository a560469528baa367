from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .checker.safety import VIGNETTE_GATE
        from .content import batch, gates, version
        from .content.history import register_models
        from .search import index

        version.connect_signals()
        index.connect_signals()
        register_models()
        # An import writes the search index and bumps the version once, at its end.
        batch.register(version.deferred)
        batch.register(index.deferred)
        # Every content change (import or admin) must pass the checker's vignettes.
        gates.register(VIGNETTE_GATE)
