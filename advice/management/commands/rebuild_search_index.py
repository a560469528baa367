from django.core.management.base import BaseCommand

from advice.search.index import rebuild


class Command(BaseCommand):
    help = (
        "Rebuild the search index from the database. Saves keep it in step; this is for "
        "after changes made behind Django's back (raw SQL, a restored table)."
    )

    def handle(self, *args, **options):
        count = rebuild()
        self.stdout.write(f"Indexed {count} page(s).")
