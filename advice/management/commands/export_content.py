from django.conf import settings
from django.core.management.base import BaseCommand

from advice.content.exporter import export_content


class Command(BaseCommand):
    help = "Write the database back to markdown files, so admin edits can be committed."

    def add_arguments(self, parser):
        parser.add_argument(
            "path", nargs="?", default=None, help="Content folder (default: settings.CONTENT_DIR)."
        )

    def handle(self, *args, path, **options):
        root = path or settings.CONTENT_DIR
        written, removed = export_content(root)
        for file in written:
            self.stdout.write(f"  wrote {file}")
        for file in removed:
            self.stdout.write(f"  removed {file}")
        self.stdout.write(
            f"Exported to {root}: {len(written)} file(s) written, {len(removed)} removed."
        )
