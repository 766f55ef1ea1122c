#!/usr/bin/env python3
"""Benchmark a full build: wall time of `python build.py` (imports included), and time and peak
memory per stage (parse, render, index, write). Prints figures; asserts nothing.

    .venv/bin/python benchmarks/bench_build.py [--runs N] [--crowd N [N …]]

--crowd builds, after that, a document whose one clause names N agencies (and a second clause two of
them), for each N given: time, pages and output size should grow in proportion to N, not its square.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHANXI = ROOT / "content" / "documents" / "shanxi-2012-energy-saving-division"  # the document alone
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="full builds to time (default 5)")
    parser.add_argument("--crowd", type=int, nargs="*", default=[100, 300, 600],
                        help="agencies named in one clause, per crowded build (default 100 300 600)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "site"
        walls = []
        for _ in range(args.runs):
            start = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(SHANXI), "--out", str(out), "--quiet",
                            "--no-cache"],
                           check=True)
            walls.append(time.perf_counter() - start)
        print(f"full build, new process (imports included), {args.runs} runs: "
              f"median {statistics.median(walls):.3f} s, min {min(walls):.3f} s, max {max(walls):.3f} s "
              f"(target < 1 s)")

        from policysite.pipeline import build

        start = time.perf_counter()
        result = build(SHANXI, out)
        total = time.perf_counter() - start
        print(f"in-process build (first, imports of lazy modules included): {total:.3f} s")
        for stage, seconds in result.seconds.items():
            print(f"  {stage:<7} {seconds * 1000:8.1f} ms")

        tracemalloc.start()
        traced = build(SHANXI, out)
        tracemalloc.stop()
        print("peak Python memory per stage (tracemalloc, second build):")
        for stage, peak in traced.peak_bytes.items():
            print(f"  {stage:<7} {peak / 2**20:8.1f} MiB")
        print(f"process peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f} MiB; "
              f"{result.pages} pages, {result.files} files, "
              f"{sum(p.stat().st_size for p in out.rglob('*') if p.is_file()) / 2**20:.2f} MiB written")
        for crowd in args.crowd:
            crowded(Path(tmp), crowd)


def crowded(folder: Path, agencies: int) -> None:
    """Build a document whose first clause names the given number of agencies, and print the figures."""
    source = folder / f"crowd-{agencies}.zh.txt"
    names = "、".join(f"市第{i}局" for i in range(1, agencies + 1))
    source.write_text(f"一、总体要求\n1.建立制度。（{names}负责）\n2.完善机制。（市第1局、市第2局负责）\n",
                      encoding="utf-8")
    out = folder / f"crowd-{agencies}"
    start = time.perf_counter()
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out", str(out), "--quiet",
                    "--no-cache"],
                   check=True)
    seconds = time.perf_counter() - start
    files = [p for p in out.rglob("*") if p.is_file()]
    largest = max(files, key=lambda p: p.stat().st_size)
    print(f"one clause naming {agencies} agencies: {seconds:.2f} s, "
          f"{sum(1 for p in files if p.name == 'index.html')} pages, "
          f"{sum(p.stat().st_size for p in files) / 2**20:.1f} MiB, "
          f"largest file {largest.relative_to(out)} {largest.stat().st_size / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
