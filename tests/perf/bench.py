"""Load benchmark of the production stack: `make bench` (not part of `make test`).

Starts the stack with the production settings on 127.0.0.1, with the real
content in a scratch SQLite database, and drives it with wrk from a second
process. Every figure is compared with the physical limit measured in the
same run on the same machine:

1. **Through gunicorn**: each page type, served from the page cache and with
   the page cache off (the state after every content change, and the
   checker always), against the same bytes as a static file through the same
   gunicorn and WhiteNoise.
2. **Through nginx** (`make serve`'s edge): each page type, against the same
   bytes as a static file served by nginx itself.
3. **Slow clients**: /healthz timed while 50 slow clients are connected.
4. **Growth**: content multiplied 10 and 100 times (generated copies), the
   list pages' queries and latency with the page cache off, and the import's
   time and memory.

Writes its section of docs/performance.md (the Lighthouse section, written
by `make lighthouse`, is kept) and exits non-zero on any error response.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack
from tests.perf import slow_clients

ROOT = stack.ROOT
PYTHON = sys.executable
REPORT = ROOT / "docs" / "performance.md"
NOTES = ROOT / "docs" / "performance-notes.md"
LIGHTHOUSE_START, LIGHTHOUSE_END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"

CHECKER_QUERY = (
    "?symptom=sudden-onset&symptom=sharp-pain-on-movement"
    "&symptom=bruising&duration=under-3-days&severity=6"
)
PAGES = [
    ("Home", "/"),
    ("Library", "/library/"),
    ("Article", "/library/running-hamstring-pain/"),
    ("Cause", "/causes/hamstring-strain/"),
    ("Remedy", "/remedies/price-first-aid/"),
    ("FAQ", "/faq/"),
    ("Search", "/search/?q=strain"),
    ("Sitemap", "/sitemap.xml"),
    ("Checker result", "/checker/" + CHECKER_QUERY),
    ("Checker JSON", "/api/checker/" + CHECKER_QUERY),
]
CHECKER = {"Checker result", "Checker JSON"}
LIST_PAGES = [
    ("Library", "/library/"),
    ("Causes", "/causes/"),
    ("Remedies", "/remedies/"),
    ("FAQ", "/faq/"),
    ("Search", "/search/?q=strain"),
    ("Search, one kind", "/search/?q=strain&kind=cause"),
    ("Sitemap", "/sitemap.xml"),
]
# Kinds multiplied for the growth test. Symptoms, topics and pages stay as
# they are: they are the checker's questions and the site's sections.
GROWN_KINDS = ("articles", "causes", "remedies", "faqs")
TARGETS = {"cached": 0.6, "uncached": 0.3, "checker": 0.6, "edge": 0.5, "p99": 50.0}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--growth", type=int, nargs="*", default=[10, 100])
    parser.add_argument("--growth-only", action="store_true",
                        help="measure only the growth (the factors of --growth), print the "
                        "figures and leave docs/performance.md alone")  # fmt: skip
    parser.add_argument("--import-only", action="store_true",
                        help="like --growth-only, but time the imports alone")  # fmt: skip
    args = parser.parse_args()
    if args.growth_only or args.import_only:
        return growth_only(args)

    results = {"args": args, "load_before": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory(prefix="hamstring-bench-") as scratch:
        scratch = Path(scratch)
        env = bench_environment(scratch)
        stack.prepare(env)
        port = stack.free_port()
        base = f"http://127.0.0.1:{port}"
        with stack.gunicorn(env, port, args.workers):
            captured = {path: fetch(base + path) for _, path in PAGES}
        static_urls = write_static_twins(env, captured)

        print("== through gunicorn ==", flush=True)
        gunicorn_rows = []
        with stack.gunicorn(env, port, args.workers):
            for label, path in PAGES:
                warm(base + path)
                page = wrk(base + path, args)
                static = wrk(base + static_urls[path], args)
                gunicorn_rows.append({"label": label, "path": path, "bytes": len(captured[path]),
                                      "cached": page, "static": static})  # fmt: skip
                report(label, "cached", page, static)
        uncached_env = {**env, "PAGE_CACHE_SECONDS": "0"}
        with stack.gunicorn(uncached_env, port, args.workers):
            for row in gunicorn_rows:
                warm(base + row["path"])
                row["uncached"] = wrk(base + row["path"], args)
                report(row["label"], "uncached", row["uncached"], row["static"])
        results["gunicorn"] = gunicorn_rows

        print("== through nginx ==", flush=True)
        edge_rows = []
        edge_port, app_port = stack.free_port(), stack.free_port()
        edge_base = f"http://127.0.0.1:{edge_port}"
        with stack.edge(env, edge_port, app_port, scratch / "run", args.workers,
                        access_log="/dev/null"):  # fmt: skip
            for label, path in PAGES:
                warm(edge_base + path)
                page = wrk(edge_base + path, args)
                static = wrk(edge_base + static_urls[path], args)
                edge_rows.append({"label": label, "path": path, "page": page, "static": static})
                report(label, "edge", page, static)
            print("== slow clients ==", flush=True)
            results["slow"] = slow_clients_run(edge_port, args.duration)
        results["edge"] = edge_rows

        results["growth"] = [grow(scratch, factor, args) for factor in args.growth]

    results["load_after"] = os.getloadavg()[0]
    write_report(results)
    errors = sum(
        measurement["errors"]
        for row in results["gunicorn"] + results["edge"]
        for measurement in row.values()
        if isinstance(measurement, dict)
    )
    if errors:
        print(f"{errors} error responses", file=sys.stderr)
    return 1 if errors else 0


def bench_environment(scratch):
    return stack.production_env(scratch, DJANGO_LOG_LEVEL="ERROR", SITE_URL="http://127.0.0.1")


def write_static_twins(env, captured):
    """Each page's bytes as a file under STATIC_ROOT: what WhiteNoise and nginx serve fastest."""
    static_dir = Path(env["DJANGO_STATIC_ROOT"]) / "bench"
    static_dir.mkdir(parents=True, exist_ok=True)
    urls = {}
    for index, (_, path) in enumerate(PAGES):
        name = f"page-{index}.html"
        (static_dir / name).write_bytes(captured[path])
        urls[path] = f"/static/bench/{name}"
    return urls


def report(label, kind, page, static):
    print(f"{label:15} {kind:9} {page['rps']:8.0f} req/s  p50 {page['p50']:6.2f} ms  "
          f"p99 {page['p99']:6.2f} ms  errors {page['errors']}  "
          f"ratio {page['rps'] / static['rps']:.2f}", flush=True)  # fmt: skip


def slow_clients_run(port, seconds):
    import threading

    stop = threading.Event()
    clients = [
        threading.Thread(target=slow_clients.trickle, args=(port, n, stop), daemon=True)
        for n in range(50)
    ]
    for client in clients:
        client.start()
    time.sleep(2)
    timings = slow_clients.measure(f"http://127.0.0.1:{port}/healthz", seconds)
    stop.set()
    timings.sort()
    return {"clients": len(clients), "count": len(timings), "median": timings[len(timings) // 2],
            "worst": timings[-1]}  # fmt: skip


# --- Growth ------------------------------------------------------------------------------


def growth_only(args):
    """The growth measurements alone, printed as they go (``--growth-only``, ``--import-only``)."""
    with tempfile.TemporaryDirectory(prefix="hamstring-bench-") as scratch:
        scratch = Path(scratch)
        stack.prepare(bench_environment(scratch))
        grown = [grow(scratch, factor, args) for factor in args.growth]
    errors = sum(row["page"]["errors"] for g in grown for row in g["rows"])
    if errors:
        print(f"{errors} error responses", file=sys.stderr)
    return 1 if errors else 0


def generate_content(target, factor):
    """content/ with every item of GROWN_KINDS copied ``factor - 1`` times under new slugs."""
    shutil.copytree(ROOT / "content", target)
    for kind in GROWN_KINDS:
        for source in sorted((ROOT / "content" / kind).glob("*.md")):
            text = source.read_text()
            text = re.sub(r"^(featured|popular): true$", r"\1: false", text, flags=re.M)
            for copy in range(2, factor + 1):
                copied = re.sub(r'^title: "?(.*?)"?$', lambda m, c=copy: f'title: "{m.group(1)} '
                                f'(copy {c})"', text, count=1, flags=re.M)  # fmt: skip
                (target / kind / f"{source.stem}-copy-{copy}.md").write_text(copied)


def timed_import(env, content):
    """Seconds and peak memory (MB) of one import_content run, in a process of its own."""
    probe = (
        "import resource, subprocess, sys, time; start = time.monotonic(); "
        "subprocess.run(sys.argv[1:], check=True, stdout=subprocess.DEVNULL); "
        "print(time.monotonic() - start, "
        "resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024)"
    )
    output = subprocess.run(
        [PYTHON, "-c", probe, PYTHON, "manage.py", "import_content", str(content)],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    ).stdout.split()  # fmt: skip
    return float(output[0]), float(output[1])


QUERY_COUNTER = """
import json
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
settings.PAGE_CACHE_SECONDS = 0
client, out = Client(HTTP_HOST="127.0.0.1"), {}
for path in json.loads(PATHS):
    client.get(path)  # what is read once per content version (topics, synonyms) is read
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    out[path] = [response.status_code, len(queries), len(response.content)]
print(json.dumps(out))
"""


def query_counts(env, paths):
    code = QUERY_COUNTER.replace("PATHS", repr(json.dumps(paths)))
    output = subprocess.run([PYTHON, "manage.py", "shell", "-v0", "-c", code], cwd=ROOT, env=env,
                            check=True, capture_output=True, text=True).stdout  # fmt: skip
    return json.loads(output.strip().splitlines()[-1])


def grow(scratch, factor, args):
    print(f"== growth x{factor} ==", flush=True)
    content = scratch / f"content-x{factor}"
    generate_content(content, factor)
    env = {**bench_environment(scratch), "DATABASE_URL": f"sqlite:///{scratch}/x{factor}.sqlite3",
           "PAGE_CACHE_SECONDS": "0"}  # fmt: skip
    stack.manage(env, "migrate", "--no-input", "-v0")
    first_seconds, first_mb = timed_import(env, content)
    again_seconds, again_mb = timed_import(env, content)
    print(f"import {first_seconds:.1f} s, {first_mb:.0f} MB; "
          f"re-import {again_seconds:.1f} s, {again_mb:.0f} MB", flush=True)  # fmt: skip
    items = sum(len(list((content / kind).glob("*.md"))) for kind in GROWN_KINDS)
    grown = {"factor": factor, "items": items, "import": (first_seconds, first_mb),
             "reimport": (again_seconds, again_mb), "rows": []}  # fmt: skip
    if args.import_only:
        return grown
    counts = query_counts(env, [path for _, path in LIST_PAGES])
    port = stack.free_port()
    rows = []
    quick = argparse.Namespace(connections=args.connections, duration=max(3, args.duration // 2))
    for label, path in LIST_PAGES:
        # A server per page: a slow page's queue must not spill into the next measurement.
        with stack.gunicorn(env, port, args.workers):
            url = f"http://127.0.0.1:{port}{path}"
            fetch(url, timeout=120)
            warm(url)  # as the pages above are: no worker's first request in the figures
            page = wrk(url, quick, timeout=10)
            status, queries, size = counts[path]
            rows.append({"label": label, "path": path, "queries": queries, "bytes": size,
                         "page": page, "status": status})  # fmt: skip
            print(f"{label:10} x{factor}: {queries} queries, {size} bytes, "
                  f"{page['rps']:.0f} req/s, p99 {page['p99']:.1f} ms", flush=True)  # fmt: skip
    grown["rows"] = rows
    return grown


# --- Measuring ---------------------------------------------------------------------------


def fetch(url, timeout=30):
    with urllib.request.urlopen(url, timeout=timeout) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
        return response.read()


def warm(url, times=24, at_once=4):
    """Request ``url`` a few at a time, so every worker has served it (compiled its
    templates and queries) before it is measured."""
    with ThreadPoolExecutor(at_once) as pool:
        list(pool.map(fetch, [url] * times))


def wrk(url, args, timeout=2):
    """wrk's figures; a request slower than ``timeout`` seconds counts as an error."""
    output = subprocess.run(
        [
            "wrk",
            "-t2",
            f"-c{args.connections}",
            f"-d{args.duration}s",
            f"--timeout={timeout}s",
            "--latency",
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket_errors = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket_errors:
        errors += sum(int(n) for n in socket_errors.groups())
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    if int(re.search(r"(\d+) requests in", output).group(1)) == 0:  # none finished in time
        return {"rps": rps, "p50": float("inf"), "p99": float("inf"), "errors": errors or 1}
    return {
        "rps": rps,
        "p50": latency_ms(output, "50%"),
        "p99": latency_ms(output, "99%"),
        "errors": errors,
    }


def latency_ms(output, percentile):
    value, unit = re.search(rf"{percentile}\s+([\d.]+)(us|ms|s)", output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def machine_description():
    cpu = platform.processor() or platform.machine()
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        match = re.search(r"model name\s*:\s*(.+)", cpuinfo.read_text())
        cpu = match.group(1).strip() if match else cpu
    memory = ""
    meminfo = Path("/proc/meminfo")
    if meminfo.exists():
        kb = int(re.search(r"MemTotal:\s+(\d+)", meminfo.read_text()).group(1))
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    return f"{os.cpu_count()} cores ({cpu}){memory}, Python {platform.python_version()}"


# --- The report --------------------------------------------------------------------------


def milliseconds(value):
    return "none in time" if value == float("inf") else f"{value:.1f}"


def verdict(met):
    return "met" if met else "**missed**"


def short(path):
    return path.split("?")[0]


def write_report(results):
    args = results["args"]
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (tests/perf/bench.py): the production stack (DEBUG off, the "
        "real content in SQLite) on 127.0.0.1, driven by wrk from a second process with "
        f"{args.connections} connections for {args.duration} s per measurement. The load "
        "generator runs on the same machine, so every figure here shares the cores with it.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine_description()}",
        f"- gunicorn workers: {args.workers}; nginx {nginx_version()}",
        f"- Load average (1 min) when the run started and ended: {results['load_before']:.1f}, "
        f"{results['load_after']:.1f} (other work on the machine competes with every figure)",
        "",
        "## Through gunicorn",
        "",
        '"Static" is the same page\'s bytes served as a static file by the same gunicorn and '
        'WhiteNoise in the same run: the limit of this stack. "Cached" is the page cache '
        '(anonymous readers); "uncached" is the page cache off, which every page is after a '
        f"content change and the checker always is. Targets: cached {TARGETS['cached']} of "
        f"static, uncached {TARGETS['uncached']} of static with p99 under {TARGETS['p99']:.0f} "
        f"ms, the checker {TARGETS['checker']} of static; no errors.",
        "",
        "| Page | Bytes | Static req/s | Cached req/s | Ratio | p99 ms | Uncached req/s | "
        "Ratio | p99 ms | Targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results["gunicorn"]:
        static, cached, uncached = row["static"]["rps"], row["cached"], row["uncached"]
        if row["label"] in CHECKER:  # never cached: one figure, against the checker's target
            met = uncached["rps"] / static >= TARGETS["checker"] and uncached["p99"] < 50
            cached_cells = "(never cached) | | | "
        else:
            met = (cached["rps"] / static >= TARGETS["cached"]
                   and uncached["rps"] / static >= TARGETS["uncached"]
                   and uncached["p99"] < TARGETS["p99"])  # fmt: skip
            cached_cells = (
                f"{cached['rps']:.0f} | {cached['rps'] / static:.2f} | {cached['p99']:.1f} | "
            )
        met = met and not (cached["errors"] or uncached["errors"])
        lines.append(
            f"| {row['label']} (`{short(row['path'])}`) | {row['bytes']} | {static:.0f} | "
            f"{cached_cells}{uncached['rps']:.0f} | {uncached['rps'] / static:.2f} | "
            f"{uncached['p99']:.1f} | {verdict(met)} |"
        )
    lines += [
        "",
        "## Through nginx",
        "",
        "`make serve`'s stack: nginx in front of gunicorn. \"nginx static\" is the page's bytes "
        "served by nginx itself from STATIC_ROOT. Public pages come from nginx's cache "
        f"(EDGE_CACHE_SECONDS); the checker goes through to gunicorn every time. Target: a cached "
        f"page at {TARGETS['edge']} of nginx's static speed.",
        "",
        "| Page | nginx static req/s | Page req/s | Ratio | p50 ms | p99 ms | Errors | Target |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for row in results["edge"]:
        page, static = row["page"], row["static"]["rps"]
        ratio = page["rps"] / static
        target = (
            "(not cached)"
            if row["label"] in CHECKER
            else verdict(ratio >= TARGETS["edge"] and not page["errors"])
        )
        lines.append(
            f"| {row['label']} (`{short(row['path'])}`) | {static:.0f} | {page['rps']:.0f} | "
            f"{ratio:.2f} | {page['p50']:.2f} | {page['p99']:.2f} | {page['errors']} | {target} |"
        )
    slow = results["slow"]
    lines += [
        "",
        "## Slow clients",
        "",
        f"{slow['clients']} clients connected to nginx, each sending its request a byte a second "
        "(half stalled in the headers, half in a body), while /healthz (which goes to gunicorn "
        f"and the database) was timed {slow['count']} times: median {slow['median']:.1f} ms, "
        f"worst {slow['worst']:.1f} ms. Target: under 100 ms: {verdict(slow['worst'] < 100)}.",
        "",
        "## Growth",
        "",
        "Content generated by copying every article, cause, remedy and FAQ (the checker's "
        "symptoms, the topics and the pages stay as they are), imported into a fresh SQLite "
        "database; list pages measured with the page cache off, queries counted on a page's "
        "second request (the first after a content change also reads what is kept per content "
        "version: the topics, the synonyms). Targets: queries the same at "
        f"every size, p99 under {TARGETS['p99']:.0f} ms, import under 60 s and 500 MB, "
        "re-import with no change under 10 s.",
        "",
        "| Size | Items | Import s | Import MB | Re-import s | Targets |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for grown in results["growth"]:
        (seconds, mb), (again, _) = grown["import"], grown["reimport"]
        met = seconds < 60 and mb < 500 and again < 10
        lines.append(f"| x{grown['factor']} | {grown['items']} | {seconds:.1f} | {mb:.0f} | "
                     f"{again:.1f} | {verdict(met)} |")  # fmt: skip
    if results["growth"]:
        header = (
            "| Page | "
            + " | ".join(
                f"x{g['factor']} queries | x{g['factor']} bytes | x{g['factor']} p99 ms"
                for g in results["growth"]
            )
            + " | Targets |"
        )
        lines += [
            "",
            header,
            "| --- |" + " ---: | ---: | ---: |" * len(results["growth"]) + " --- |",
        ]
        for index, (label, path) in enumerate(LIST_PAGES):
            rows = [g["rows"][index] for g in results["growth"]]
            met = len({r["queries"] for r in rows}) == 1 and all(
                r["page"]["p99"] < TARGETS["p99"] and not r["page"]["errors"] for r in rows
            )
            cells = " | ".join(
                f"{r['queries']} | {r['bytes']} | {milliseconds(r['page']['p99'])}" for r in rows
            )
            lines.append(f"| {label} (`{short(path)}`) | {cells} | {verdict(met)} |")
    if NOTES.exists():
        lines += ["", NOTES.read_text().strip()]
    lines += ["", lighthouse_section()]
    REPORT.write_text("\n".join(lines).rstrip() + "\n")
    print(f"wrote {REPORT}")


def nginx_version():
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    output = subprocess.run([nginx, "-v"], capture_output=True, text=True).stderr
    return output.strip().split("/")[-1]


def lighthouse_section():
    """The section `make lighthouse` wrote, kept as it is."""
    text = REPORT.read_text() if REPORT.exists() else ""
    if LIGHTHOUSE_START in text:
        start, end = text.index(LIGHTHOUSE_START), text.index(LIGHTHOUSE_END) + len(LIGHTHOUSE_END)
        return text[start:end]
    placeholder = "## Lighthouse\n\nNot measured yet: run `make lighthouse`."
    return f"{LIGHTHOUSE_START}\n{placeholder}\n{LIGHTHOUSE_END}"


if __name__ == "__main__":
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    sys.exit(main())
