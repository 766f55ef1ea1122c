#!/usr/bin/env python3
"""Benchmark search: index size per edition (raw and gzipped), bytes downloaded before the first
result, time from opening the search page to the first result, and query times in Chromium over
the query table (tests/search_queries.py). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_search.py [--runs N]
"""

from __future__ import annotations

import argparse
import gzip
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
SHANXI = ROOT / "content" / "documents" / "shanxi-2012-energy-saving-division"  # the document alone
sys.path.insert(0, str(ROOT))

from policysite.pipeline import build  # noqa: E402
from tests.browser import chromium, serve  # noqa: E402
from tests.search_queries import QUERIES  # noqa: E402


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 9))


def page_downloads(site: Path, lang: str) -> list[Path]:
    """The files a reader's browser fetches before the first result: page, CSS, scripts, index."""
    html = (site / lang / "search" / "index.html").read_text(encoding="utf-8")
    files = [site / lang / "search" / "index.html"]
    for ref in re.findall(r'(?:href|src|data-index)="([^"]+)"', html):
        path = (site / lang / "search" / ref).resolve()
        if re.search(r"\.(css|js|json|svg)$", ref) and path not in files:  # the index is preloaded and fetched once
            files.append(path)
    return files


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="page loads and query repetitions (default 5)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(SHANXI, site)
        for lang in ("zh", "en"):
            index = next((site / "search").glob(f"{lang}.*.json")).read_bytes()
            files = page_downloads(site, lang)
            total = sum(gz(f.read_bytes()) for f in files)
            print(f"{lang}: index {len(index) / 1000:.1f} kB raw, {gz(index) / 1000:.1f} kB gzipped; "
                  f"before the first result {total / 1000:.1f} kB gzipped in {len(files)} files "
                  f"(target ≤ 100 kB)")
            for f in files:
                print(f"    {f.relative_to(site)}: {gz(f.read_bytes()) / 1000:.1f} kB gzipped")
        with serve(site) as base, chromium() as browser:
            for lang in ("zh", "en"):
                queries = [q[1] for q in QUERIES if q[0] == lang]
                first = []
                for _ in range(args.runs):
                    context = browser.new_context()
                    page = context.new_page()
                    page.goto(f"{base}{lang}/search/?q={quote(queries[0])}")
                    page.wait_for_selector("html[data-search-ready]")
                    first.append(page.evaluate("performance.getEntriesByName('search-ready')[0].startTime"))
                    context.close()
                context = browser.new_context()
                page = context.new_page()
                page.goto(f"{base}{lang}/search/")
                page.wait_for_selector("html[data-search-ready]")
                times = page.evaluate("""([queries, runs]) => {
                    const times = [];
                    for (let r = 0; r < runs; r++) for (const q of queries) {
                        const t = performance.now(); policySearch.run(q); times.push(performance.now() - t);
                    }
                    return times; }""", [queries, args.runs])
                context.close()
                times.sort()
                p95 = times[min(len(times) - 1, int(round(0.95 * len(times))) - 1)]
                print(f"{lang}: opening the search page to the first result: median {statistics.median(first):.0f} ms "
                      f"(max {max(first):.0f} ms; target ≤ 200 ms); query time over {len(queries)} queries × "
                      f"{args.runs}: median {statistics.median(times):.2f} ms, p95 {p95:.2f} ms (target < 5 ms)")


if __name__ == "__main__":
    main()
