"""Lighthouse scores of every page type: `make lighthouse` (not part of `make test`).

Starts `make serve`'s stack (nginx in front of gunicorn, the real content),
runs Lighthouse from npm (tests/perf/lighthouse/package.json) in its default
mobile profile against Debian's Chromium (CHROME_PATH), and writes the scores,
the bytes transferred and the layout shift of each page into its section of
docs/performance.md. Targets: 100 in every category, at most 100 kB
transferred on a first load, no layout shift.
"""

import json
import os
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
REPORT = stack.ROOT / "docs" / "performance.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MAX_BYTES = 100 * 1024
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"

PAGES = [
    ("Home", "/"),
    ("Library", "/library/"),
    ("Article", "/library/running-hamstring-pain/"),
    ("Causes", "/causes/"),
    ("Cause", "/causes/hamstring-strain/"),
    ("Remedies", "/remedies/"),
    ("Remedy", "/remedies/price-first-aid/"),
    ("FAQ", "/faq/"),
    ("Search", "/search/?q=strain"),
    ("Checker", "/checker/"),
    ("Checker result", "/checker/?symptom=sudden-onset&symptom=bruising&duration=under-3-days"),
    ("About", "/about/"),
]


def run_lighthouse(url, output, chrome):
    subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}", "--quiet",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
        env={**os.environ, "CHROME_PATH": chrome}, check=True,
    )  # fmt: skip
    data = json.loads(Path(output).read_text())
    audits = data["audits"]
    return {
        "version": data["lighthouseVersion"],
        "scores": {c: round((data["categories"][c]["score"] or 0) * 100) for c in CATEGORIES},
        "bytes": audits["total-byte-weight"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "failed": sorted(
            audit["title"]
            for audit in audits.values()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
        ),
    }


def main():
    chrome = os.environ.get("CHROME_PATH", "/usr/bin/chromium")
    if not LIGHTHOUSE.exists():
        sys.exit("Lighthouse is not installed: npm ci --prefix tests/perf/lighthouse")
    with tempfile.TemporaryDirectory(prefix="hamstring-lighthouse-") as scratch:
        scratch = Path(scratch)
        env = stack.production_env(scratch, SITE_URL="http://127.0.0.1")
        stack.prepare(env)
        port, app_port = stack.free_port(), stack.free_port()
        results = []
        with stack.edge(env, port, app_port, scratch / "run", access_log="/dev/null"):
            for label, path in PAGES:
                result = run_lighthouse(f"http://127.0.0.1:{port}{path}", scratch / "lh.json",
                                        chrome)  # fmt: skip
                results.append((label, path, result))
                print(f"{label:15} {result['scores']}  {result['bytes'] / 1024:.1f} kB  "
                      f"CLS {result['cls']:.3f}", flush=True)  # fmt: skip
    write_section(results)
    return 0


def write_section(results):
    version = results[0][2]["version"] if results else "?"
    lines = [
        START,
        "## Lighthouse",
        "",
        f"Measured by `make lighthouse` (tests/perf/lighthouse.py): Lighthouse {version} in its "
        "default mobile profile (emulated mid-range phone, throttled network and CPU), driving "
        "Debian's Chromium against `make serve`'s stack on 127.0.0.1 with the real content. "
        "Targets: 100 in every category, at most 100 kB transferred on a first load (CSS and "
        "JavaScript included), no layout shift.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        "",
        "| Page | Performance | Accessibility | Best practices | SEO | kB transferred | CLS | "
        "LCP ms | Targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    missed = []
    for label, path, result in results:
        scores = result["scores"]
        met = all(v == 100 for v in scores.values()) and result["bytes"] <= MAX_BYTES
        met = met and result["cls"] == 0
        lines.append(
            f"| {label} (`{path.split('?')[0]}`) | "
            + " | ".join(str(scores[c]) for c in CATEGORIES)
            + f" | {result['bytes'] / 1024:.1f} | {result['cls']:.3f} | {result['lcp']:.0f} | "
            f"{'met' if met else '**missed**'} |"
        )
        if result["failed"]:
            missed.append(f"- {label}: " + "; ".join(result["failed"]))
    if missed:
        lines += ["", "Audits that did not pass, per page:", "", *missed]
    lines.append(END)
    section = "\n".join(lines)
    text = REPORT.read_text() if REPORT.exists() else "# Performance\n"
    if START in text:
        text = text[: text.index(START)] + section + text[text.index(END) + len(END) :]
    else:
        text = text.rstrip() + "\n\n" + section + "\n"
    REPORT.write_text(text)
    print(f"wrote the Lighthouse section of {REPORT}")


if __name__ == "__main__":
    sys.exit(main())
