"""Command line: python build.py [--content DIR] [--out DIR] [--strict]."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .errors import BuildError
from .pipeline import ROOT


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="build.py",
        description="Build the bilingual reference site from a content folder into a static site folder.",
    )
    p.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR",
                   help="content folder holding site.toml, the source text, the agency registry and "
                        "translations (default: %(default)s)")
    p.add_argument("--out", type=Path, default=ROOT / "site", metavar="DIR",
                   help="folder to write the site to; replaced only when the build succeeds "
                        "(default: %(default)s)")
    p.add_argument("--templates", type=Path, default=ROOT / "templates", metavar="DIR",
                   help="Jinja2 templates and strings.toml (default: %(default)s)")
    p.add_argument("--base-url", metavar="URL",
                   help="where the site will be published (e.g. https://example.org/policy/), for the "
                        "absolute URLs of the sitemap, canonical links and Open Graph; overrides "
                        "[site] base_url in site.toml")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (missing or stale translations) as errors")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    started = time.perf_counter()
    from .pipeline import build  # imported here so that --help answers at once

    try:
        result = build(args.content, args.out, templates=args.templates, strict=args.strict,
                       base_url=args.base_url)
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"build failed: {len(exc.problems)} error(s); {args.out} left as it was", file=sys.stderr)
        return 2
    if not args.quiet:
        for warning in result.warnings:
            print(f"warning: {warning}", file=sys.stderr)
        changes = ", ".join(f"{name} {count}" for name, count in sorted(result.changes.items()))
        print(f"normalized: {changes or 'nothing'}")
        for line in result.coverage.values():
            print(line)
        print(f"built {result.pages} pages ({result.files} files) in {args.out}, "
              f"{len(result.warnings)} warning(s), {time.perf_counter() - started:.2f} s")
    return 0
