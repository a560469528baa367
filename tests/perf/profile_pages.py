"""CPU time per request of each page type, in-process: `make profile` (not part of `make test`).

wrk figures on a shared machine are noisy; the CPU time one request costs is
not. This script sets up what `make bench` serves (production settings, DEBUG
off, hashed static files, the real content in a scratch SQLite database),
turns the page cache off (the state after every content change, and the
checker always), then calls the WSGI application itself for every page type
in bench.py's list and prints the CPU milliseconds per request (median, 10th
and 95th percentile of ``--requests`` calls, after a warm-up) and the queries
each request makes. When other work shares the cores, the 10th percentile is
the steadiest figure to compare changes with. With ``--profile``, cProfile's top entries per page
follow, sorted by cumulative time. With ``--growth N`` the content is bench.py's
generated copies at N times today's (``--growth 100``), and the pages are the
list pages the growth benchmark measures.

    .venv/bin/python tests/perf/profile_pages.py [--requests N] [--profile [N]] [--only WORD]
        [--growth N] [--keep DIR]
"""

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack
from tests.perf.bench import LIST_PAGES, PAGES, generate_content

MORE_PAGES = [
    # Two floors: a static file through WhiteNoise (what bench.py compares
    # pages with) and the smallest view through every middleware.
    ("Floor: static file", "/static/css/site.css"),
    ("Floor: /healthz", "/healthz"),
    ("Causes", "/causes/"),
    ("Remedies", "/remedies/"),
    ("Checker start", "/checker/"),
    ("Checker all questions", "/checker/all/"),
    ("Checker how it works", "/checker/how-it-works/"),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--profile", type=int, nargs="?", const=15, default=0,
                        help="print cProfile's top N entries per page (default 15)")  # fmt: skip
    parser.add_argument("--only", help="only the pages whose label contains this word")
    parser.add_argument("--keep", type=Path, metavar="DIR",
                        help="set up in DIR and keep it; later runs reuse it")  # fmt: skip
    parser.add_argument("--growth", type=int, default=1, metavar="N",
                        help="content at N times today's (generated as bench.py does), "
                        "and only the list pages")  # fmt: skip
    args = parser.parse_args()

    if args.keep:
        args.keep.mkdir(parents=True, exist_ok=True)
        run(args, args.keep)
    else:
        with tempfile.TemporaryDirectory(prefix="hamstring-profile-") as scratch:
            run(args, Path(scratch))


def run(args, scratch):
    env = stack.production_env(
        scratch, PAGE_CACHE_SECONDS="0", DJANGO_LOG_LEVEL="ERROR", SITE_URL="http://127.0.0.1"
    )
    size = scratch / "growth.txt"  # the content a kept DIR holds
    if not (scratch / "db.sqlite3").exists():
        content = None
        if args.growth > 1:
            content = scratch / f"content-x{args.growth}"
            generate_content(content, args.growth)
        stack.prepare(env, content)
        size.write_text(str(args.growth))
    elif size.exists() and int(size.read_text()) != args.growth:
        sys.exit(f"{scratch} holds content x{size.read_text()}, not x{args.growth}")
    os.environ.update(env)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hamstring_site.settings")
    from django.core.wsgi import get_wsgi_application
    from django.db import connection, reset_queries

    application = get_wsgi_application()
    pages = [
        (label, path)
        for label, path in (LIST_PAGES if args.growth > 1 else PAGES + MORE_PAGES)
        if not args.only or args.only.lower() in label.lower()
    ]
    print(f"{args.requests} requests per page, page cache off, content x{args.growth}, "
          f"Python {sys.version.split()[0]}")  # fmt: skip
    print(f"{'':34} {'CPU ms':>7} {'p10':>7} {'p95':>7} {'queries':>8} {'bytes':>8}")
    profiles = []
    for label, path in pages:
        status, body = call(application, path)
        assert status.startswith("200"), f"{path}: {status}"
        connection.force_debug_cursor = True
        reset_queries()
        call(application, path)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        samples = []
        for _ in range(args.requests):
            start = time.process_time()
            call(application, path)
            samples.append((time.process_time() - start) * 1000)
        samples.sort()
        median = statistics.median(samples)
        p10, p95 = samples[int(len(samples) * 0.1)], samples[int(len(samples) * 0.95) - 1]
        print(
            f"{label:34} {median:7.2f} {p10:7.2f} {p95:7.2f} {queries:8} {len(body):8}", flush=True
        )
        if args.profile:
            profiles.append((label, profile(application, path, args.requests, args.profile)))
    for label, text in profiles:
        print(f"\n== {label} ==\n{text}")


def call(application, path):
    """One request through the whole WSGI application, as gunicorn makes it."""
    path_info, _, query = path.partition("?")
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": False,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    started = []
    result = application(environ, lambda status, headers, exc_info=None: started.append(status))
    try:
        body = b"".join(result)
    finally:
        if hasattr(result, "close"):
            result.close()
    return started[0], body


def profile(application, path, requests, top):
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(requests):
        call(application, path)
    profiler.disable()
    out = io.StringIO()
    order = os.environ.get("PROFILE_SORT", "cumulative")  # or tottime, for the hot spots
    pstats.Stats(profiler, stream=out).sort_stats(order).print_stats(top)
    return out.getvalue()


if __name__ == "__main__":
    main()
