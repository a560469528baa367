from django.conf import settings
from django.core.management.base import BaseCommand

from advice.content.exporter import export_content


class Command(BaseCommand):
    help = (
        "Write items changed in the database (in the admin) back to their markdown files, "
        "in each file's own layout, so the change can be reviewed with git diff and committed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None, help="Content folder (default: settings.CONTENT_DIR)."
        )
        parser.add_argument(
            "--prune",
            action="store_true",
            help="Delete the files of items deleted in the admin (files never imported are kept).",
        )

    def handle(self, *args, path, prune, **options):
        root = path or settings.CONTENT_DIR
        report = export_content(root, prune=prune)
        verbosity = options["verbosity"]
        if verbosity > 0:
            for heading, paths in (
                ("wrote", report.written),
                ("created", report.created),
                ("removed", report.removed),
            ):
                for file in paths:
                    self.stdout.write(f"  {heading} {file}")
            self.stdout.write(
                f"Exported to {root}: {len(report.written)} file(s) updated, "
                f"{len(report.created)} created, {len(report.removed)} removed, "
                f"{report.unchanged} unchanged."
            )
        self._list(
            "Not written: changed both in the file and in the admin since the last import "
            "(merge by hand, then import with --force or export again)",
            report.conflicts,
        )
        self._list("Not written: the file has problems", report.unreadable)
        self._list(
            "Files with no item in the database (deleted in the admin, or not imported yet; "
            "--prune deletes those of deleted items)",
            report.orphans,
        )

    def _list(self, heading, entries):
        if entries:
            self.stdout.write(self.style.WARNING(f"{heading}:"))
            for entry in entries:
                self.stdout.write(f"  {entry}")
