from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AdviceConfig(AppConfig):
    name = "advice"
    verbose_name = "Hamstring advice"

    def ready(self):
        from .checker.safety import VIGNETTE_GATE
        from .content import batch, gates, history, version
        from .search import index

        version.connect_signals()
        index.connect_signals()
        post_migrate.connect(index.build_if_missing, sender=self, dispatch_uid="advice-index-build")
        history.register_models()
        # An import writes the search index, the revisions and the version bump in
        # bulk, at its end. Deferrers end in reverse order: the version, first
        # here, bumps last, counting the bumps of the revisions' ContentChanges.
        batch.register(version.deferred)
        batch.register(index.deferred)
        batch.register(history.deferred)
        # Every content change (import or admin) must pass the checker's vignettes.
        gates.register(VIGNETTE_GATE)
