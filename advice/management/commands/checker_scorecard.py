from django.core.management.base import BaseCommand, CommandError

from advice.checker.data import load_checker_data
from advice.checker.vignettes import run


class Command(BaseCommand):
    help = "Run the clinical vignettes against the published content and print the scorecard."

    def handle(self, *args, **options):
        scorecard = run(load_checker_data())
        if not scorecard.total:
            raise CommandError(
                "No vignette could run: their symptoms are not published. Import the content first."
            )
        for line in scorecard.lines():
            self.stdout.write(line)
        if options["verbosity"] > 1:
            for outcome in scorecard.outcomes:
                if not outcome.safe or not outcome.top3 or outcome.over_triaged:
                    v = outcome.vignette
                    self.stdout.write(
                        f"  {v.id}: level {outcome.care} (expected {v.care}), "
                        f"causes {', '.join(outcome.causes[:3]) or 'none'} "
                        f"(acceptable {', '.join(v.causes)})"
                    )
        for outcome in scorecard.under_triaged:
            v = outcome.vignette
            self.stderr.write(f"UNDER-TRIAGED {v.id}: {outcome.care}, needs {v.care} ({v.case})")
