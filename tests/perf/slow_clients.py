"""Slow-client survival of the production stack: part of `make bench`.

Starts nginx in front of gunicorn as `make serve` does, opens 50 connections
that send their request a byte at a time (half stall in the headers, half in
a body), keeps them trickling, and meanwhile times /healthz, which goes all
the way to gunicorn and the database. Target: every /healthz answer in under
100 ms. Prints the figures; with --markdown, prints them as a table row.
"""

import argparse
import socket
import statistics
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack

TARGET_MS = 100


def trickle(port, index, stop):
    """One slow client: a byte every second until told to stop."""
    if index % 2:
        request = b"GET /faq/ HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: " + b"x" * 10_000
    else:
        request = b"POST /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10000\r\n\r\n"
        request += b"x" * 10_000
    with socket.create_connection(("127.0.0.1", port), timeout=30) as conn:
        for byte in request:
            if stop.is_set():
                return
            try:
                conn.sendall(bytes([byte]))
            except OSError:
                return  # nginx gave up on us: fine, that is its job
            stop.wait(1)


def measure(url, seconds):
    timings = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        start = time.perf_counter()
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            response.read()
        timings.append((time.perf_counter() - start) * 1000)
        time.sleep(0.05)
    return timings


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=15)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--markdown", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hamstring-slow-") as scratch:
        env = stack.production_env(scratch)
        stack.prepare(env)
        port, app_port = stack.free_port(), stack.free_port()
        with stack.edge(env, port, app_port, Path(scratch) / "run", workers=args.workers):
            stop = threading.Event()
            clients = [
                threading.Thread(target=trickle, args=(port, n, stop), daemon=True)
                for n in range(args.clients)
            ]
            for client in clients:
                client.start()
            time.sleep(2)  # all connected and stalled
            timings = measure(f"http://127.0.0.1:{port}/healthz", args.seconds)
            stop.set()
    worst, median = max(timings), statistics.median(timings)
    met = worst < TARGET_MS
    if args.markdown:
        print(f"| {args.clients} | {len(timings)} | {median:.1f} | {worst:.1f} | "
              f"{'met' if met else 'missed'} |")  # fmt: skip
    else:
        print(f"{args.clients} slow clients: /healthz answered {len(timings)} times, median "
              f"{median:.1f} ms, worst {worst:.1f} ms (target < {TARGET_MS} ms)")  # fmt: skip
    return 0 if met else 1


if __name__ == "__main__":
    sys.exit(main())
