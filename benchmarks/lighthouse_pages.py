#!/usr/bin/env python3
"""Lighthouse on every kind of page of the shipped library, in both languages, built with the base URL
it is served at (as a published site is): performance, accessibility, best practices and SEO, with
the audits that cost points. npm lighthouse 12.2.3 (the last line that runs on Node 20), fetched by
npm exec on first use; Chromium from CHROME_PATH or /usr/bin/chromium. Prints; asserts nothing.

    .venv/bin/python benchmarks/lighthouse_pages.py [--only PATH,PATH…] [--form-factor mobile|desktop]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from policysite.pipeline import build  # noqa: E402
from tests.browser import serve  # noqa: E402

LIGHTHOUSE = "lighthouse@12.2.3"
SHANXI = "documents/shanxi-2012-energy-saving-division/"
PAGES = ["", "search/?q=energy", "departments/", "departments/shanxi/sheng-huan-bao-ting/", "governments/shanxi/",
         "years/2012/", "glossary/", "about/", "open-data/", SHANXI, SHANXI + "chapters/qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren/",
         SHANXI + "sections/tui-jin-er-yang-hua-liu-he-dan-yang-hua-wu-jian-pai-gong-cheng-he-yan-chen-gong/",
         SHANXI + "tasks/67/", SHANXI + "agencies/", SHANXI + "agencies/sheng-huan-bao-ting/",
         SHANXI + "agencies/sheng-huan-bao-ting/with/sheng-cai-zheng-ting/", SHANXI + "matrix/",
         SHANXI + "collaboration/", SHANXI + "search/?q=energy"]
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def audit(url: str, report: Path, form_factor: str) -> dict:
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    preset = ["--preset=desktop"] if form_factor == "desktop" else []
    subprocess.run(["npm", "exec", "--yes", f"--package={LIGHTHOUSE}", "--", "lighthouse", url, "--quiet",
                    "--output=json", f"--output-path={report}", f"--only-categories={','.join(CATEGORIES)}",
                    *preset, "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                   env=env, check=True, timeout=600, stdout=subprocess.DEVNULL, cwd=ROOT)
    return json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="comma-separated page paths under each language (default: every kind)")
    parser.add_argument("--form-factor", default="mobile", choices=("mobile", "desktop"))
    args = parser.parse_args()
    pages = args.only.split(",") if args.only else PAGES
    urls = [f"{lang}/{path}" for lang in ("zh", "en") for path in pages] + ["404.html"]  # (Lighthouse refuses a 404 status)
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        build(ROOT / "content", site, base_url=f"http://127.0.0.1:{port}/")
        lowest = dict.fromkeys(CATEGORIES, 100)
        with serve(site, compress=True, not_found=True, port=port) as base:
            for path in urls:
                data = audit(base + path, Path(tmp) / "report.json", args.form_factor)
                scores = {c: round(data["categories"][c]["score"] * 100) for c in CATEGORIES}
                for c in CATEGORIES:
                    lowest[c] = min(lowest[c], scores[c])
                lost = sorted(a["id"] for c in CATEGORIES[1:] for ref in data["categories"][c]["auditRefs"]
                              if ref["weight"] and (a := data["audits"][ref["id"]])["score"] is not None
                              and a["score"] < 1)
                print(f"{path}: " + ", ".join(f"{c} {s}" for c, s in scores.items())
                      + (f"; losing: {', '.join(lost)}" if lost else ""), flush=True)
        print(f"lowest ({args.form_factor}, {len(urls)} pages): " + ", ".join(f"{c} {s}" for c, s in lowest.items()))


if __name__ == "__main__":
    main()
