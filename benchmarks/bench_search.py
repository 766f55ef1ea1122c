#!/usr/bin/env python3
"""Benchmark search in Chromium on the shipped library and on generated libraries of 20 and 100
documents (benchmarks/make_library.py): what the search page downloads before its first result and
for each later query (gzipped), the time from opening the page to the first result, and query times,
over the judged queries (tests/judged_queries.py), served gzipped from loopback; and Lighthouse's performance audit of the search page
with a query (npm lighthouse 12.2.3, the last line that runs on Node 20, fetched by npm exec on first
use; Chromium from CHROME_PATH or /usr/bin/chromium). Prints figures against the targets; asserts nothing.

    .venv/bin/python benchmarks/bench_search.py [--sizes shipped,20,100] [--runs N] [--no-lighthouse]
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote, unquote, urlparse

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_library import make  # noqa: E402
from policysite.pipeline import build  # noqa: E402
from tests.browser import chromium, serve  # noqa: E402
from tests.judged_queries import JUDGED  # noqa: E402

TARGETS = ("targets: ≤ 100 kB before the first result, ≤ 50 kB for any later query, first result ≤ 200 ms, "
           "p95 ≤ 5 ms; Lighthouse performance ≥ 95, no task over 50 ms, layout shift < 0.1")
LIGHTHOUSE = "lighthouse@12.2.3"


def gz(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), 9))


def fetched(page, site: Path, since: float = 0.0, until: float | None = None) -> int:
    """Gzipped bytes of the site's files the page fetched between two moments (ms since it started)."""
    entries = page.evaluate("performance.getEntriesByType('resource').map(e => [e.name, e.startTime])")
    total = 0
    for name, start in entries:
        if start >= since and (until is None or start <= until):
            path = site / unquote(urlparse(name).path).lstrip("/")
            total += gz(path) if path.is_file() else 0
    return total


def p95(values: list[float]) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, max(0, round(0.95 * len(values)) - 1))]


FLOOR_PAGE = ("<!DOCTYPE html><html lang=\"zh-Hans\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>floor</title>"
              "<link rel=\"stylesheet\" href=\"{css}\"></head><body><p>搜索 search</p>"
              "<script>requestAnimationFrame(() => performance.mark('frame'))</script></body></html>")
"""What any page of the site costs the browser here: a page with the site's stylesheet and nothing else."""


def write_floor(site: Path) -> None:
    css = next((site / "static").glob("style.*.css")).name
    (site / "floor.html").write_text(FLOOR_PAGE.format(css=f"static/{css}"), encoding="utf-8")


def floor(site: Path, base: str, runs: int, browser) -> float:
    """Median time from opening the floor page (in a fresh context, as the search page is) to its first frame."""
    write_floor(site)
    times = []
    for _ in range(runs):
        context = browser.new_context()
        page = context.new_page()
        page.goto(f"{base}floor.html")
        page.wait_for_function("performance.getEntriesByName('frame').length > 0")
        times.append(page.evaluate("performance.getEntriesByName('frame')[0].startTime"))
        context.close()
    (site / "floor.html").unlink()
    return statistics.median(times)


def measure(site: Path, label: str, runs: int, browser) -> None:
    with serve(site, compress=True) as base:
        print(f"{label}: in this browser on this machine, a page with only the site's stylesheet shows its first "
              f"frame at {floor(site, base, runs, browser):.0f} ms (median of {runs})")
        for lang in ("zh", "en"):
            queries = [text for query_lang, text, *_ in JUDGED if query_lang == lang]
            firsts, before = [], []
            for run in range(runs):
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}{lang}/search/?q={quote(queries[run % len(queries)])}")
                page.wait_for_selector("html[data-search-ready]", timeout=30_000)
                ready = page.evaluate("performance.getEntriesByName('search-ready')[0].startTime")
                firsts.append(ready)
                html = gz(site / lang / "search" / "index.html")
                before.append(html + fetched(page, site, until=ready))
                context.close()
            context = browser.new_context()
            page = context.new_page()
            page.goto(f"{base}{lang}/search/")
            page.wait_for_selector("html[data-search-ready]", timeout=30_000)
            later = []
            for text in queries:
                start = page.evaluate("performance.now()")
                page.fill("#q", text)
                page.press("#q", "Enter")
                page.wait_for_function("q => document.getElementById('search-app').getAttribute('data-shown') === q "
                                       "&& !document.getElementById('search-app').hasAttribute('aria-busy')",
                                       arg=text, timeout=30_000)
                later.append(fetched(page, site, since=start))
            times = page.evaluate("""async ([queries, runs]) => {
                const times = [];
                for (let r = 0; r < runs; r++) for (const q of queries) {
                    const t = performance.now(); await policySearch.run(q); times.push(performance.now() - t);
                }
                return times; }""", [queries, runs])
            context.close()
            print(f"{label} {lang}: before the first result {max(before) / 1000:.1f} kB gz (max of {runs}); "
                  f"later queries max {max(later) / 1000:.1f} kB gz, median {statistics.median(later) / 1000:.1f}; "
                  f"first result median {statistics.median(firsts):.0f} ms (max {max(firsts):.0f}); "
                  f"query p95 {p95(times):.2f} ms, median {statistics.median(times):.2f} ms "
                  f"({len(queries)} queries × {runs})")


def lighthouse(site: Path, label: str, folder: Path) -> None:
    """Lighthouse's performance audit of each edition's search page with a query (mobile, its defaults),
    and of the floor page, whose long tasks are what any page costs this browser here."""
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    write_floor(site)
    with serve(site, compress=True) as base:
        for lang, path in (("floor", "floor.html"), ("zh", f"zh/search/?q={quote('节能减排')}"),
                           ("en", f"en/search/?q={quote('energy conservation')}")):
            report = folder / f"lighthouse-{lang}.json"
            subprocess.run(["npm", "exec", "--yes", f"--package={LIGHTHOUSE}", "--", "lighthouse",
                            f"{base}{path}", "--quiet", "--output=json",
                            f"--output-path={report}", "--only-categories=performance",
                            "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                           env=env, check=True, timeout=600, stdout=subprocess.DEVNULL)
            data = json.loads(report.read_text(encoding="utf-8"))
            audits = data["audits"]
            tasks = audits.get("long-tasks", {}).get("details", {}).get("items", [])
            print(f"{label} {lang}: Lighthouse performance {data['categories']['performance']['score'] * 100:.0f}, "
                  f"total blocking time {audits['total-blocking-time']['numericValue']:.0f} ms, "
                  f"layout shift {audits['cumulative-layout-shift']['numericValue']:.3f}, "
                  f"longest task {max((t['duration'] for t in tasks), default=0):.0f} ms ({len(tasks)} over 50 ms)")
    (site / "floor.html").unlink()


def index_size(site: Path) -> str:
    files = [p for p in (site / "search").rglob("*.js")]
    return f"{len(files)} files, {sum(p.stat().st_size for p in files) / 1e6:.1f} MB raw"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="shipped,20,100", help="shipped and/or numbers of generated documents")
    parser.add_argument("--runs", type=int, default=5, help="page loads and query repetitions (default 5)")
    parser.add_argument("--no-lighthouse", action="store_true", help="leave out the Lighthouse audit")
    args = parser.parse_args()
    print(TARGETS)
    with tempfile.TemporaryDirectory() as tmp, chromium() as browser:
        for size in args.sizes.split(","):
            content = ROOT / "content" if size == "shipped" else make(int(size), Path(tmp) / f"lib{size}")
            site = Path(tmp) / f"site-{size}"
            result = build(content, site)
            label = "shipped library" if size == "shipped" else f"{size} documents"
            print(f"{label}: {result.pages} pages; search index {index_size(site)}, "
                  f"built in {result.seconds.get('index', 0):.1f} s")
            measure(site, label, args.runs, browser)
            if not args.no_lighthouse:
                lighthouse(site, label, Path(tmp))


if __name__ == "__main__":
    main()
