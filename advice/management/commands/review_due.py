import io

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from advice.content.review import (
    COLUMNS,
    DUE_SOON_DAYS,
    Status,
    by_owner,
    count,
    row,
    worklist,
    write_csv,
)


class Command(BaseCommand):
    help = (
        f"List the items overdue for review, due within {DUE_SOON_DAYS} days or awaiting "
        "clinical sign-off, by owner (the admin's review dashboard). Exits with status 1 "
        "when anything is overdue, so a scheduled job can alert."
    )

    def add_arguments(self, parser):
        parser.add_argument("--csv", action="store_true", help="Print the admin's CSV download.")

    def handle(self, *args, csv, **options):
        today = timezone.localdate()
        items = worklist(today)
        if csv:
            buffer = io.StringIO()
            write_csv(items, buffer)
            self.stdout.write(buffer.getvalue(), ending="")
        elif options["verbosity"] > 0:
            for owner, owner_items in by_owner(items):
                self.stdout.write(self.style.MIGRATE_HEADING(owner))
                for item in owner_items:
                    self.stdout.write(_line(item))
            self.stdout.write(
                f"On {today}: {count(items, Status.OVERDUE)} overdue, "
                f"{count(items, Status.DUE_SOON)} {Status.DUE_SOON.label.lower()}, "
                f"{count(items, Status.AWAITING)} {Status.AWAITING.label.lower()}."
            )
        overdue = count(items, Status.OVERDUE)
        if overdue:
            raise CommandError(f"{overdue} item(s) overdue for review.")


def _line(item):
    values = dict(zip(COLUMNS, row(item), strict=True))
    if item.draft:
        return (
            f"  {values['Status']}: {item.kind}/{values['Slug']} ({values['Title']}); "
            f"draft by {values['Draft by'] or 'a deleted user'} since {values['Draft since']}, "
            f"changes {values['Clinical changes']}"
        )
    return (
        f"  {values['Status']}: {values['Next review']} "
        f"{item.kind}/{values['Slug']} ({values['Title']}); "
        f"clinical reviewer {values['Clinical reviewer']}"
    )
