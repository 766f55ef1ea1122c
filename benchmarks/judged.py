#!/usr/bin/env python3
"""The judged query table (tests/judged_queries.py) against the shipped library's search, in Python:
prints each query whose must-haves are not all in the top five, and the share of queries that pass.

    .venv/bin/python benchmarks/judged.py [--content DIR]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysite.pipeline import BuildResult, gather  # noqa: E402
from policysite.search import Searcher, index_builder, index_of, site_items  # noqa: E402
from tests.judged_queries import JUDGED  # noqa: E402


def searcher(content: Path) -> Searcher:
    items, _ = site_items(gather(content, BuildResult()))
    return Searcher(items, index_of(index_builder(items)))


def top_urls(search: Searcher, lang: str, text: str, n: int = 5) -> list[str]:
    """The URLs (under the edition's folder) of the first n results of a query."""
    return [search.items[ref].shown[lang][2] for ref in search.query(text).refs[:n]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--content", type=Path, default=ROOT / "content")
    args = parser.parse_args()
    search = searcher(args.content)
    passed = 0
    for lang, text, musts, _ in JUDGED:
        found = top_urls(search, lang, text)
        missing = [m for m in musts if m not in found]
        passed += not missing
        if missing:
            print(f"{lang} {text!r}: missing {missing}; top five {found}")
    print(f"judged queries: {passed}/{len(JUDGED)} ({passed / len(JUDGED):.0%}) have every must-have in the top five")


if __name__ == "__main__":
    main()
