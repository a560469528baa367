from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from advice.content.importer import ContentError, import_content


class Command(BaseCommand):
    help = "Validate the markdown content tree and load it into the database."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None, help="Content folder (default: settings.CONTENT_DIR)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Show what would change, and change nothing."
        )
        parser.add_argument("--prune", action="store_true", help="Remove items whose file is gone.")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Overwrite items changed in the admin since the last import.",
        )

    def handle(self, *args, path, dry_run, prune, force, **options):
        root = path or settings.CONTENT_DIR
        try:
            report = import_content(root, dry_run=dry_run, prune=prune, force=force)
        except ContentError as error:
            for problem in error.problems:
                self.stderr.write(str(problem))
            raise CommandError(
                f"{len(error.problems)} problem(s) in {root}; nothing was changed."
            ) from None
        self._report(report, options["verbosity"])

    def _report(self, report, verbosity):
        # The counts are routine (silenced by -v0); the lists below need action.
        if verbosity > 0:
            prefix = "Dry run, nothing changed. Would have: " if report.dry_run else ""
            self.stdout.write(
                f"{prefix}created {len(report.created)}, updated {len(report.updated)}, "
                f"unchanged {len(report.unchanged)}, removed {len(report.removed)}."
            )
        if verbosity > 1:
            for heading, labels in (
                ("Created", report.created),
                ("Updated", report.updated),
                ("Removed", report.removed),
            ):
                for label in labels:
                    self.stdout.write(f"  {heading}: {label}")
        self._list("Overwrote changes made in the admin (--force)", report.forced)
        self._list(
            "Kept changes made in the admin since the last import (export them, or "
            "use --force to overwrite)",
            report.kept_edits,
        )
        self._list(
            "In the database but not in the content folder (use --prune to remove)", report.missing
        )
        self._list("The checker's answers change for these clinical vignettes", report.notices)

    def _list(self, heading, labels):
        if labels:
            self.stdout.write(self.style.WARNING(f"{heading}:"))
            for label in labels:
                self.stdout.write(f"  {label}")
