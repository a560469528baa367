"""Lighthouse scores of every page type: `make lighthouse` (not part of `make test`).

Starts `make serve`'s stack (nginx in front of gunicorn, the real content),
runs Lighthouse from npm (tests/perf/lighthouse/package.json) in its default
mobile profile against Debian's Chromium (CHROME_PATH), RUNS times a page,
and writes the median run's scores, bytes transferred and layout shift of
each page into its section of docs/performance.md. Targets: 100 in every
category, at most 100 kB transferred on a first load, no layout shift.

While working on one page: `--page /faq/` (repeatable; a label such as
`--page FAQ` works too) runs only those pages and leaves docs/performance.md
alone; `--json-dir DIR` keeps each page's full JSON report there to read
which audits cost the points.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests import stack

HERE = Path(__file__).resolve().parent
LIGHTHOUSE = HERE / "lighthouse" / "node_modules" / ".bin" / "lighthouse"
MEDIAN_RUN = HERE / "lighthouse" / "node_modules" / "lighthouse" / "core" / "lib" / "median-run.js"
REPORT = stack.ROOT / "docs" / "performance.md"
START, END = "<!-- lighthouse:start -->", "<!-- lighthouse:end -->"
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
MAX_BYTES = 100 * 1024
# Lighthouse's scores vary from run to run, the more so on a busy machine: each
# page is measured RUNS times and the median run counts, as Lighthouse's
# documentation advises ("Lighthouse variability").
RUNS = 3
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage"

# Every page type: each list and detail kind in the sitemap (and a remedy with
# its exercise drawings, the site's only images beyond the logo), search, the
# checker's start, question, check-your-answers, result and summary pages, and
# the running planner. (label, path, indexable): a page that is not indexable
# carries a reader's answers and sends `X-Robots-Tag: noindex` on purpose
# (advice/checker/views.py), so Lighthouse's "Page is blocked from indexing"
# must FAIL there, and its SEO score is counted over the other SEO audits.
PAGES = [
    ("Home", "/", True),
    ("Library", "/library/", True),
    ("Article", "/library/running-hamstring-pain/", True),
    ("Causes", "/causes/", True),
    ("Cause", "/causes/hamstring-strain/", True),
    ("Remedies", "/remedies/", True),
    ("Remedy", "/remedies/price-first-aid/", True),
    ("Exercise with drawings", "/remedies/bridges/", True),
    ("FAQ", "/faq/", True),
    ("Search", "/search/?q=strain", True),
    ("Checker", "/checker/", True),
    ("Checker method", "/checker/how-it-works/", True),
    ("Checker question", "/checker/pain/?signs=none", False),
    ("Checker all questions", "/checker/all/", False),
    ("Checker check", "/checker/check/?signs=none&symptom=sudden-onset&duration=under-3-days",
     False),
    ("Checker result", "/checker/?symptom=sudden-onset&symptom=bruising&duration=under-3-days",
     False),
    ("Checker summary", "/checker/summary/?signs=none&symptom=sudden-onset&duration=under-3-days",
     False),
    ("Running planner", "/return-to-running/", True),
    ("Running plan", "/return-to-running/?plan=1&walking=normal-walking", False),
    ("About", "/about/", True),
]  # fmt: skip
NOINDEX_AUDIT = "is-crawlable"
NOINDEX_MARK = "\\*"  # an escaped * in the Markdown table


def category_score(data, category, indexable):
    """The category's score out of 100; without the crawlability audit for a noindex page."""
    if category != "seo" or indexable:
        return round((data["categories"][category]["score"] or 0) * 100)
    if data["audits"][NOINDEX_AUDIT]["score"] != 0:
        raise RuntimeError(f"{data['finalDisplayedUrl']} should be kept out of search engines")
    refs = [
        ref
        for ref in data["categories"]["seo"]["auditRefs"]
        if ref["id"] != NOINDEX_AUDIT and ref["weight"]
    ]
    total = sum(ref["weight"] * (data["audits"][ref["id"]]["score"] or 0) for ref in refs)
    return round(total / sum(ref["weight"] for ref in refs) * 100)


# Lighthouse now and then fails to record a page load's trace ("Runtime error
# encountered ... NO_NAVSTART") and asks to be run again; a real failure fails
# every attempt.
ATTEMPTS = 3


def run_lighthouse(url, output, chrome):
    for attempt in range(1, ATTEMPTS + 1):
        finished = subprocess.run(
            [str(LIGHTHOUSE), url, "--output=json", f"--output-path={output}", "--quiet",
             f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={CHROME_FLAGS}"],
            env={**os.environ, "CHROME_PATH": chrome},
        )  # fmt: skip
        if finished.returncode == 0:
            return
        print(f"Lighthouse failed on {url} (attempt {attempt} of {ATTEMPTS})", file=sys.stderr)
    finished.check_returncode()


def median_run(outputs):
    """The report Lighthouse's own computeMedianRun picks (nearest the median FCP and TTI)."""
    if len(outputs) == 1:
        return outputs[0]
    script = (
        f"import {{computeMedianRun}} from {json.dumps(MEDIAN_RUN.as_uri())};"
        "import {readFileSync} from 'node:fs';"
        "const paths = process.argv.slice(1);"
        "const runs = paths.map((path) => JSON.parse(readFileSync(path, 'utf8')));"
        "console.log(paths[runs.indexOf(computeMedianRun(runs))]);"
    )
    chosen = subprocess.run(
        ["node", "--input-type=module", "-e", script, *map(str, outputs)],
        check=True, capture_output=True, text=True,
    )  # fmt: skip
    return Path(chosen.stdout.strip())


def summarise(output, indexable=True):
    data = json.loads(Path(output).read_text())
    audits = data["audits"]
    return {
        "version": data["lighthouseVersion"],
        "scores": {c: category_score(data, c, indexable) for c in CATEGORIES},
        "indexable": indexable,
        "bytes": audits["total-byte-weight"]["numericValue"],
        "cls": audits["cumulative-layout-shift"]["numericValue"],
        "lcp": audits["largest-contentful-paint"]["numericValue"],
        "tbt": audits["total-blocking-time"]["numericValue"],
        "warnings": data.get("runWarnings", []),
        "failed": sorted(
            audit["title"]
            for audit in audits.values()
            if audit.get("score") is not None
            and audit["score"] < 1
            and audit.get("scoreDisplayMode") in ("binary", "numeric", "metricSavings")
            and (indexable or audit["id"] != NOINDEX_AUDIT)
        ),
    }


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--page",
        action="append",
        metavar="PATH_OR_LABEL",
        help="only this page (a path from the list, or its label); leaves the report alone",
    )
    parser.add_argument("--json-dir", type=Path, help="keep each page's JSON report here")
    parser.add_argument(
        "--runs",
        type=int,
        default=RUNS,
        help=f"Lighthouse runs a page; the median run counts (default {RUNS})",
    )
    args = parser.parse_args(argv)
    pages = PAGES
    if args.page:
        wanted = set(args.page)
        pages = [page for page in PAGES if page[0] in wanted or page[1] in wanted]
        known = {label for label, *_ in pages} | {path for _, path, _ in pages}
        unknown = wanted - known
        if unknown:
            parser.error(f"not in the page list: {', '.join(sorted(unknown))}")
    return args, pages


def main(argv=None):
    args, pages = parse_args(argv)
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
            for label, path, indexable in pages:
                url = f"http://127.0.0.1:{port}{path}"
                outputs = [scratch / f"lh-{run}.json" for run in range(max(args.runs, 1))]
                for output in outputs:
                    run_lighthouse(url, output, chrome)
                output = median_run(outputs)
                if args.json_dir:
                    args.json_dir.mkdir(parents=True, exist_ok=True)
                    name = label.lower().replace(" ", "-") + ".json"
                    shutil.copyfile(output, args.json_dir / name)
                result = summarise(output, indexable)
                result["load"] = os.getloadavg()[0]
                results.append((label, path, result))
                print(f"{label:15} {result['scores']}  {result['bytes'] / 1024:.1f} kB  "
                      f"CLS {result['cls']:.3f}", flush=True)  # fmt: skip
    if args.page:
        print("(a partial run: docs/performance.md left as it was)")
    else:
        write_section(results, args.runs)
    return 0


def write_section(results, runs=RUNS):
    version = results[0][2]["version"] if results else "?"
    lines = [
        START,
        "## Lighthouse",
        "",
        f"Measured by `make lighthouse` (tests/perf/lighthouse.py): Lighthouse {version} in its "
        "default mobile profile (emulated mid-range phone, throttled network and CPU), driving "
        "Debian's Chromium against `make serve`'s stack on 127.0.0.1 with the real content; "
        + (
            f"each page is measured {runs} times and the median run (Lighthouse's own choice: "
            "nearest the median first paint and time to interactive) is shown. "
            if runs > 1
            else "each page is measured once. "
        )
        + "Targets: 100 in every category, at most 100 kB transferred on a first load (CSS and "
        "JavaScript included), no layout shift. SEO marked \\* is a page that carries a "
        "reader's answers and is kept out of search engines on purpose (`X-Robots-Tag: "
        "noindex`): the run checks that Lighthouse finds it blocked from indexing, and scores "
        "SEO over the other SEO audits.",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f'- Machine: {os.cpu_count()} CPUs. "Load" is the one-minute load average after a '
        "page's runs: other work on the machine stretches the main-thread tasks that "
        "Lighthouse multiplies by four, which shows first as Total Blocking Time.",
        "",
        "| Page | Performance | Accessibility | Best practices | SEO | kB transferred | CLS | "
        "LCP ms | TBT ms | Load | Targets |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    missed, warnings = [], []
    for label, path, result in results:
        scores = result["scores"]
        shown = {c: str(scores[c]) for c in CATEGORIES}
        if not result["indexable"]:
            shown["seo"] += NOINDEX_MARK
        met = all(v == 100 for v in scores.values()) and result["bytes"] <= MAX_BYTES
        met = met and result["cls"] == 0
        lines.append(
            f"| {label} (`{path.split('?')[0]}`) | "
            + " | ".join(shown[c] for c in CATEGORIES)
            + f" | {result['bytes'] / 1024:.1f} | {result['cls']:.3f} | {result['lcp']:.0f} | "
            f"{result['tbt']:.0f} | {result['load']:.1f} | {'met' if met else '**missed**'} |"
        )
        warnings += [f"- {label}: {warning}" for warning in result["warnings"]]
        if result["failed"]:
            missed.append(f"- {label}: " + "; ".join(result["failed"]))
    if missed:
        lines += [
            "",
            "Audits that did not pass, per page (insights, such as render-blocking requests or "
            "the network dependency tree, are advice and do not count towards a score):",
            "",
            *missed,
        ]
    if warnings:
        lines += ["", "Lighthouse's warnings about the runs shown:", "", *warnings]
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
