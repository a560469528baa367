from django.apps import AppConfig


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .checker.safety import VIGNETTE_GATE
        from .content import gates
        from .content.version import connect_signals

        connect_signals()
        # Every content change (import or admin) must pass the checker's vignettes.
        gates.register(VIGNETTE_GATE)
