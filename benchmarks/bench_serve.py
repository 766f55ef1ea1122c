#!/usr/bin/env python3
"""Benchmark `serve`: how long after a one-task edit the open page learns of the new build.

    .venv/bin/python benchmarks/bench_serve.py [--runs N] [--library]

Starts `python build.py serve` on a scratch copy of the Shanxi document (or, with --library, of the
shipped library), then N times: changes one task's Chinese text (one character in, then out again)
and polls /__policysite/state, as the live-reload script of an open page does, until the build count
goes up. Prints the median and the largest time from the edit to the new state, and the time of the
rebuild itself as serve reports it. Prints figures; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TASK = re.compile(r"^(\u3000*\d+\.)", re.M)


def state(port: int) -> int:
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/__policysite/state", timeout=5) as response:
        return json.load(response)["build"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="edits to time (default 7)")
    parser.add_argument("--library", action="store_true", help="serve the shipped library, not the Shanxi document")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        content = Path(tmp) / "content"
        source = ROOT / "content"
        shutil.copytree(source if args.library else source / "documents" / "shanxi-2012-energy-saving-division",
                        content)
        text = next((content / "documents" / "shanxi-2012-energy-saving-division" if args.library else content)
                    .glob("*.zh.txt"))
        server = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content",
                                   str(content), "--out", str(Path(tmp) / "site")],
                                  stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
        try:
            line = server.stdout.readline()
            while "serving" not in line:
                if not line and server.poll() is not None:
                    sys.exit("serve stopped before serving")
                line = server.stdout.readline()
            port = int(re.search(r"127\.0\.0\.1:(\d+)/", line).group(1))
            seen, waits, builds = state(port), [], []
            for _ in range(args.runs):
                source_text = text.read_text(encoding="utf-8")
                end = TASK.search(source_text).end()
                edited = source_text[:end] + source_text[end + 1:] if source_text[end] == "要" \
                    else source_text[:end] + "要" + source_text[end:]
                started = time.perf_counter()
                text.write_text(edited, encoding="utf-8")
                while state(port) == seen:
                    time.sleep(0.02)
                waits.append(time.perf_counter() - started)
                seen = state(port)
                built = server.stdout.readline()  # the build's report ends with a line of what it built
                while built and not built.startswith(("built ", "nothing changed")):
                    built = server.stdout.readline()
                found = re.search(r", ([\d.]+) s$", built.strip())
                if found:
                    builds.append(float(found.group(1)))
                time.sleep(0.3)
        finally:
            server.send_signal(signal.SIGINT)
            server.communicate(timeout=30)
    what = "the shipped library" if args.library else "the Shanxi document"
    print(f"serve, {what}, one task's text edited, {args.runs} runs:")
    print(f"  edit → new build seen by the page: median {statistics.median(waits):.2f} s, max {max(waits):.2f} s "
          f"(includes serve's watch interval and the page's poll)")
    if builds:
        print(f"  the rebuild itself, as serve reports it: median {statistics.median(builds):.2f} s, "
              f"max {max(builds):.2f} s")


if __name__ == "__main__":
    main()
