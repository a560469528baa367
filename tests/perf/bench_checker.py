"""Time the symptom checker: `python tests/perf/bench_checker.py [--iterations N]`.

Imports the real content into a scratch SQLite database, then requests a
realistic checker result (page and JSON) through the full middleware stack
with Django's test client, and times the engine call on its own. Prints the
median and 95th percentile in milliseconds. Not collected by pytest (the name
does not start with ``test_``); the numbers are recorded in docs/checker.md.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULT = (
    "?symptom=sudden-onset&symptom=sharp-pain-on-movement&symptom=pop-at-injury"
    "&symptom=bruising&symptom=tightness&symptom=previous-hamstring-injury"
    "&duration=under-3-days&severity=7"
)


def configure(database):
    sys.path.insert(0, str(ROOT))
    os.environ.update(
        DJANGO_SETTINGS_MODULE="hamstring_site.settings",
        DATABASE_URL=f"sqlite:///{database}",
        DJANGO_SECRET_KEY="bench-only-not-secret",
        DJANGO_ALLOWED_HOSTS="testserver",
        SITE_URL="http://testserver",
        DJANGO_SECURE_SSL_REDIRECT="0",
    )
    os.environ.pop("DJANGO_DEBUG", None)
    import django
    from django.conf import settings

    django.setup()
    # As in the tests: plain static storage, so no collectstatic is needed.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def timed(function, iterations):
    function()  # warm up (template loading, first queries)
    samples = []
    for _ in range(iterations):
        start = time.perf_counter()
        function()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--iterations", type=int, default=500)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        configure(Path(scratch) / "bench.sqlite3")
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        from advice.checker.data import load_checker_data
        from advice.checker.engine import check
        from advice.checker.forms import CheckerForm

        call_command("migrate", verbosity=0)
        call_command("import_content", str(settings.CONTENT_DIR), verbosity=0)
        client = Client()

        def page():
            response = client.get("/checker/" + RESULT)
            assert response.status_code == 200 and b"Your result" in response.content

        def api():
            assert client.get("/api/checker/" + RESULT).status_code == 200

        def step():
            response = client.get("/checker/pain/" + RESULT)
            assert response.status_code == 200

        data = load_checker_data()
        form = CheckerForm(
            client.get("/checker/" + RESULT).wsgi_request.GET, symptoms=data.symptoms
        )
        assert form.is_valid()
        answers = form.answers()

        rows = [
            ("Result page (full HTML)", page),
            ("Question page (pain)", step),
            ("JSON API", api),
            ("Data load (5 queries)", load_checker_data),
            ("Engine only (check())", lambda: check(data, answers)),
        ]
        print(f"{args.iterations} iterations, Python {sys.version.split()[0]}, SQLite")
        print(f"{'':28} {'median ms':>10} {'p95 ms':>10}")
        for label, function in rows:
            median, p95 = timed(function, args.iterations)
            print(f"{label:28} {median:10.2f} {p95:10.2f}")


if __name__ == "__main__":
    main()
