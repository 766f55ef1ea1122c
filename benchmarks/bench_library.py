#!/usr/bin/env python3
"""Benchmark the build as the library grows: 1, 5, 20, 100 documents made by make_library.py.

    .venv/bin/python benchmarks/bench_library.py [--sizes 1 5 20 100]

Prints, per size: tasks, pages, full build time (a new process), peak memory (the largest resident
set among the build and its render workers), the output's size, and the largest page, raw and gzipped.
Asserts nothing.
"""

from __future__ import annotations

import argparse
import gzip
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from make_library import make  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 5, 20, 100])
    args = parser.parse_args()
    print("| documents | tasks | pages | build | peak memory | output | largest page (gzipped) |")
    print("| ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    for size in args.sizes:
        with tempfile.TemporaryDirectory() as tmp:
            content, out = make(size, Path(tmp) / "content"), Path(tmp) / "site"
            tasks = sum(1 for p in content.glob("documents/*/source.zh.txt")
                        for line in p.read_text(encoding="utf-8").split("\n") if "负责）" in line)
            before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                            "--quiet", "--no-cache"], check=True)
            seconds = time.perf_counter() - start
            peak = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
            pages = list(out.rglob("*.html"))
            size_bytes = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
            largest = max(pages, key=lambda p: p.stat().st_size)
            print(f"| {size} | {tasks:,} | {len(pages):,} | {seconds:.1f} s | {peak / 1024:.0f} MiB | "
                  f"{size_bytes / 2**20:.0f} MiB | {largest.relative_to(out)}: {largest.stat().st_size / 1024:.0f} KiB "
                  f"({len(gzip.compress(largest.read_bytes())) / 1024:.0f} KiB) |", flush=True)


if __name__ == "__main__":
    main()
