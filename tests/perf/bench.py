"""Load benchmark of the production stack: `make bench`.

Starts gunicorn with the production settings on 127.0.0.1, with the real
content in a scratch SQLite database, and drives every page type with wrk
from a second process. Each page is compared with the physical limit measured
in the same run: the same bytes served as a static file by the same gunicorn
and WhiteNoise. Writes docs/performance.md and exits non-zero on any error
response.
"""

import argparse
import os
import platform
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))

PAGES = [
    ("Home", "/"),
    ("Library", "/library/"),
    ("Article", "/library/running-hamstring-pain/"),
    ("Cause", "/causes/hamstring-strain/"),
    ("Remedy", "/remedies/price-first-aid/"),
    ("FAQ", "/faq/"),
    ("Search", "/search/?q=strain"),
    (
        "Checker result",
        "/checker/?symptom=sudden-onset&symptom=sharp-pain-on-movement"
        "&symptom=bruising&duration=under-3-days&severity=6",
    ),
    (
        "Checker JSON",
        "/api/checker/?symptom=sudden-onset&symptom=sharp-pain-on-movement"
        "&symptom=bruising&duration=under-3-days&severity=6",
    ),
]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--duration", type=int, default=10, help="seconds per measurement")
    parser.add_argument("--port", type=int, default=18731)
    parser.add_argument("--output", type=Path, default=ROOT / "docs" / "performance.md")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="hamstring-bench-") as scratch:
        env = bench_environment(Path(scratch))
        prepare(env)
        base = f"http://127.0.0.1:{args.port}"
        with gunicorn(env, args.port, args.workers):
            captured = {path: fetch(base + path) for _, path in PAGES}
        static_dir = Path(env["DJANGO_STATIC_ROOT"]) / "bench"
        static_dir.mkdir(parents=True)
        static_urls = {}
        for index, (_, path) in enumerate(PAGES):
            name = f"page-{index}.html"
            (static_dir / name).write_bytes(captured[path])
            static_urls[path] = f"/static/bench/{name}"
        results = []
        with gunicorn(env, args.port, args.workers):
            for label, path in PAGES:
                warm(base + path)
                page = wrk(base + path, args)
                static = wrk(base + static_urls[path], args)
                results.append((label, path, len(captured[path]), page, static))
                print(
                    f"{label:15} {page['rps']:8.0f} req/s  p50 {page['p50']:6.2f} ms  "
                    f"p99 {page['p99']:6.2f} ms  errors {page['errors']}  "
                    f"ratio {page['rps'] / static['rps']:.2f}",
                    flush=True,
                )
    write_report(args, results)
    errors = sum(page["errors"] + static["errors"] for *_, page, static in results)
    if errors:
        print(f"{errors} error responses", file=sys.stderr)
    return 1 if errors else 0


def bench_environment(scratch):
    env = dict(os.environ)
    env.pop("DJANGO_DEBUG", None)
    env.update({
        "DATABASE_URL": f"sqlite:///{scratch / 'bench.sqlite3'}",
        "DJANGO_STATIC_ROOT": str(scratch / "static"),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_LOG_LEVEL": "ERROR",
    })  # fmt: skip
    return env


def prepare(env):
    for command in (
        ["collectstatic", "--no-input", "-v0"],
        ["migrate", "--no-input", "-v0"],
        ["import_content", "-v0"],
    ):
        subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


class gunicorn:
    def __init__(self, env, port, workers):
        self.command = [
            GUNICORN,
            "hamstring_site.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]
        self.env, self.port = env, port
        self.url = f"http://127.0.0.1:{port}/healthz"

    def __enter__(self):
        ensure_port_is_free(self.port)
        self.process = subprocess.Popen(self.command, cwd=ROOT, env=self.env)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                fetch(self.url)
                return self
            except OSError:
                time.sleep(0.2)
        self.process.kill()
        raise RuntimeError("gunicorn did not start")

    def __exit__(self, *exc):
        self.process.send_signal(signal.SIGTERM)
        self.process.wait(timeout=30)


def ensure_port_is_free(port):
    """Refuse to measure whatever else is listening on the port."""
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            sys.exit(f"port {port} is in use; pass --port to choose another")


def fetch(url):
    with urllib.request.urlopen(url, timeout=10) as response:
        if response.status != 200:
            raise RuntimeError(f"{url}: {response.status}")
        return response.read()


def warm(url):
    for _ in range(20):
        fetch(url)


def wrk(url, args):
    output = subprocess.run(
        ["wrk", "-t2", f"-c{args.connections}", f"-d{args.duration}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", output))
    socket = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    if socket:
        errors += sum(int(n) for n in socket.groups())
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
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


def write_report(args, results):
    lines = [
        "# Performance",
        "",
        "Measured by `make bench` (tests/perf/bench.py): the production stack "
        "(gunicorn, WhiteNoise, DEBUG off, the real content in SQLite) on 127.0.0.1, "
        f"driven by wrk from a second process with {args.connections} connections for "
        f"{args.duration} s per measurement. The load generator runs on the same machine.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Machine: {machine_description()}",
        f"- gunicorn workers: {args.workers}",
        "",
        '"Static" is the same page\'s bytes served as a static file by the same gunicorn '
        "and WhiteNoise in the same run: the physical limit of this stack. Targets: ratio "
        "0.6 or better, p99 under 50 ms, no errors.",
        "",
        "| Page | Bytes | Req/s | p50 ms | p99 ms | Errors | Static req/s | Ratio | Targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, path, size, page, static in results:
        ratio = page["rps"] / static["rps"]
        met = ratio >= 0.6 and page["p99"] < 50 and page["errors"] == 0
        lines.append(
            f"| {label} (`{path.split('?')[0]}`) | {size} | {page['rps']:.0f} | "
            f"{page['p50']:.2f} | {page['p99']:.2f} | {page['errors']} | {static['rps']:.0f} | "
            f"{ratio:.2f} | {'met' if met else 'missed'} |"
        )
    notes = ROOT / "docs" / "performance-notes.md"
    if notes.exists():
        lines += ["", notes.read_text().strip()]
    args.output.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    if not shutil.which("wrk"):
        sys.exit("wrk is not installed (apt-get install wrk)")
    sys.exit(main())
