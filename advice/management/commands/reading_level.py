from django.core.management.base import BaseCommand, CommandError

from advice.content.readability import library_readings, median_grade, published_bodies

TARGET_MEDIAN = 6.0


class Command(BaseCommand):
    help = "Report the reading grade of every published item; fail if the median is over 6."

    def add_arguments(self, parser):
        parser.add_argument("--hardest", type=int, default=10, help="How many items to list.")

    def handle(self, *args, hardest, **options):
        readings = library_readings(published_bodies())
        median = median_grade(readings)
        self.stdout.write(f"{len(readings)} items; median Flesch-Kincaid grade {median:.1f}")
        for reading in readings[:hardest]:
            self.stdout.write(f"  {reading.grade:4.1f}  {reading.label} ({reading.words} words)")
        if median > TARGET_MEDIAN:
            raise CommandError(f"The median grade {median:.1f} is over {TARGET_MEDIAN}.")
