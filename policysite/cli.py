"""Command line: python build.py [serve] [--content DIR] [--out DIR] [--base-url URL] [--strict] …"""

from __future__ import annotations

import argparse
import gc
import os
import signal
import sys
import time
from contextlib import nullcontext
from pathlib import Path

# Nothing of the generator is imported before the command takes stops in hand (run_command, main): a stop
# while it loads ends it with a line that says so, as a stop later does, not with a traceback.

ROOT = Path(__file__).resolve().parent.parent


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        description="Build the bilingual reference site from a content folder into a static site folder.",
    )
    p.add_argument("command", nargs="?", choices=["build", "serve", "translations", "check"], default="build",
                   help="build (the default) writes the site once; serve builds it, serves it on "
                        "http://127.0.0.1:PORT/ and rebuilds whenever the content, templates or "
                        "static files change; translations writes into the content folder a translation "
                        "file entry for every piece of the document not yet in one (the Chinese above "
                        "each as a comment; a draft from the translation memory where the library has the "
                        "same Chinese translated), keeping every existing entry as it is; translations export "
                        "writes each document's translation as an XLIFF 2.0 or PO file for translation "
                        "tools, translations import FILE reads one back into the entries; check prints what "
                        "the parser reads in FILE (or the content folder's source) and what looks wrong, "
                        "without building (exit 0 clean, 1 warnings, 2 errors)")
    p.add_argument("operands", nargs="*", metavar="ARG",
                   help="for check: FILE, the source text to read; for translations: export, or import FILE")
    p.add_argument("--json", action="store_true", help="for check: the report as JSON")
    p.add_argument("--format", choices=["xliff", "po"], default="xliff",
                   help="for translations export: XLIFF 2.0 (.xlf, the default) or gettext PO (.po)")
    p.add_argument("--by", metavar="NAME",
                   help="for translations import: who made the English the file changes (else the PO file's "
                        "Last-Translator, or a changed XLIFF 'by' note)")
    p.add_argument("--content", type=Path, default=ROOT / "content", metavar="DIR",
                   help="content folder holding site.toml, the source text, the agency registry and "
                        "translations (default: %(default)s)")
    p.add_argument("--source", type=Path, metavar="FILE",
                   help="build from nothing but this source text (UTF-8): title, document number and date "
                        "taken from the document, agencies registered automatically, the English edition "
                        "marked pending; replaces --content")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help=f"folder to write the site to; replaced only when the build succeeds (default: "
                        f"{ROOT / 'site'}); for translations export, the folder for the files (default: each "
                        f"document's translations folder)")
    p.add_argument("--templates", type=Path, default=ROOT / "templates", metavar="DIR",
                   help="Jinja2 templates and strings.toml (default: %(default)s)")
    p.add_argument("--base-url", metavar="URL",
                   help="where the site will be published (e.g. https://example.org/policy/), for the "
                        "absolute URLs of the sitemap, canonical links and Open Graph; overrides "
                        "[site] base_url in site.toml")
    p.add_argument("--strict", action="store_true",
                   help="treat warnings (missing or stale translations, dropped figures) as errors")
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")
    p.add_argument("--cache-dir", type=Path, metavar="DIR",
                   help="where the build cache is kept (default: .policysite-cache/<output folder's name> "
                        "beside the output folder); a build keeps the pages whose inputs did not change")
    p.add_argument("--no-cache", action="store_true",
                   help="build everything anew, without reading or writing the build cache")
    p.add_argument("--port", type=int, default=8000, help="port for serve (default: %(default)s; 0 picks one)")
    return p


def main(argv: list[str] | None = None) -> int:
    from .assets import STATIC
    from .cache import BuildCache, build_inputs
    from .errors import BuildError
    from .result import BuildResult
    from .slugs import pinyin_beside

    args = parser().parse_args(argv)
    if args.command == "translations":
        return translations_command(args)
    args.out = args.out or ROOT / "site"
    if args.command != "check" and args.operands or len(args.operands) > 1:
        parser().error(f"unexpected {' '.join(args.operands)}")
    args.file = Path(args.operands[0]) if args.operands else None
    cache = None if args.no_cache else BuildCache(args.out, args.cache_dir)

    def run() -> None:
        started = time.perf_counter()
        content = None if args.source else args.content
        result, inputs = None, None
        if cache is not None:  # nothing changed: say so before loading the rest of the generator
            inputs = build_inputs(content or args.source, args.templates, STATIC, args.strict, args.base_url)
            report = cache.unchanged(inputs)
            result = BuildResult.replay(report) if report is not None else None
        if result is None:
            with pinyin_beside() if args.command == "build" else nullcontext():  # serve keeps pypinyin here
                from .pipeline import build

                result = build(content, args.out, templates=args.templates, strict=args.strict,
                               base_url=args.base_url, source=args.source, cache=cache, inputs=inputs,
                               helpers=args.command == "build")
        if not args.quiet:
            for warning in result.warnings:
                print(f"warning: {warning}", file=sys.stderr)
            for doc, (encoding, changed) in result.reads.items():  # one line per document of a library
                changes = ", ".join(f"{name} {count}" for name, count in sorted(changed.items()))
                print(f"{doc + ': ' if doc else ''}read {encoding}; normalized: {changes or 'nothing'}")
            for line in result.coverage.values():
                print(line)
            for note in result.notes:
                print(f"note: {note}")
            done = f"nothing changed: {result.pages} pages ({result.files} files)" if result.unchanged else \
                f"built {result.pages} pages ({result.files} files)"
            kept = f", {result.pages - result.rendered} kept from the last build" \
                if 0 < result.rendered < result.pages else ""
            print(f"{done} in {args.out}{kept}, {len(result.warnings)} warning(s), "
                  f"{time.perf_counter() - started:.2f} s", flush=True)

    if args.command == "check":
        from .check import run as check
        from .config import load_config
        from .library import load_library

        try:
            if args.file or args.source:
                sources = [args.file or args.source]
            else:  # a library: every document's source
                library = load_library(args.content)
                folders = [folder for _, folder in library.documents] if library else [args.content]
                sources = [load_config(folder).source for folder in folders]
        except BuildError as exc:
            print("\n".join(f"error: {p}" for p in exc.problems), file=sys.stderr)
            return 2
        return check(sources, args.json)
    if args.command == "serve":
        from .serve import serve

        watched = [args.source or args.content, args.templates, STATIC]
        signal.signal(signal.SIGTERM, signal.default_int_handler)  # stops serving as Ctrl-C does
        serve(run, args.out.resolve(), watched, args.port)
        return 0
    gc.disable()  # one build is short-lived: collecting its few reference cycles costs more than it frees
    signal.signal(signal.SIGTERM, _stopped)  # as Ctrl-C: the staging folder goes, the workers end
    last = _folder_identity(args.out)
    try:
        run()
    except (KeyboardInterrupt, Stopped) as exc:  # (it had finished where the stop came while the swap was held)
        return said_stopped(exc, "build", args.out, unchanged=_folder_identity(args.out) == last)
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        print(f"build failed: {len(exc.problems)} error(s); {args.out} left as it was", file=sys.stderr, flush=True)
        return 2
    return 0


def run_command() -> None:
    """The installed `policysite` command (policysite build|serve|check|translations), as build.py. A stop
    (Ctrl-C, SIGTERM) that comes while the command starts ends it as one that comes later does."""
    signal.signal(signal.SIGTERM, _stopped)
    try:
        code = main()
    except (KeyboardInterrupt, Stopped) as exc:  # one main did not take in hand: as it started, or not a build
        try:
            args = parser().parse_known_args()[0]
        except SystemExit:  # arguments it would have refused
            args = argparse.Namespace(command="build", out=None)
        code = said_stopped(exc, args.command, args.out or ROOT / "site", unchanged=True)
    sys.stdout.flush()
    sys.stderr.flush()
    # Everything is written and every worker has stopped; skip freeing the interpreter's objects
    # one by one (pypinyin's dictionaries alone take a tenth of a second to free).
    os._exit(code)


def _folder_identity(folder: Path) -> tuple[int, int] | None:
    """Which folder is at that path (a build swaps a new one in), None if none is."""
    try:
        found = folder.stat()
    except OSError:
        return None
    return found.st_dev, found.st_ino


class Stopped(BaseException):
    """A build stopped by SIGTERM (a BaseException, as KeyboardInterrupt, so that no handler of
    errors takes it for one)."""

    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _stopped(signum, frame):
    raise Stopped(signum)


def said_stopped(stop: BaseException, command: str, out: Path, unchanged: bool) -> int:
    """Say that a stop (KeyboardInterrupt or Stopped) ended the command, and for a build whether the output
    folder is as it was (unchanged) or holds the new site; returns the exit status (128 + the signal)."""
    signum = stop.signum if isinstance(stop, Stopped) else signal.SIGINT
    line = f"{command} stopped by {signal.Signals(signum).name}"
    if command == "build":
        line += f"; {out} left as it was" if unchanged else f"; it had finished: {out} holds the new site"
    print(line, file=sys.stderr, flush=True)
    return 128 + signum


def translations_command(args) -> int:
    """python build.py translations [export | import FILE]: bring the content folder's translation files up
    to date; or write each document's translation for translation tools; or read such a file back."""
    from .errors import BuildError
    from .pipeline import BuildResult, gather

    action = args.operands[0] if args.operands else None
    if action not in (None, "export", "import") or len(args.operands) != {None: 0, "export": 1, "import": 2}[action]:
        parser().error("translations takes nothing, export, or import FILE")
    try:
        result = BuildResult()
        if action == "import":  # a file that cannot be read is refused before anything else is done
            from .exchange import read_exchange_file

            exchange_file = read_exchange_file(Path(args.operands[1]))
        site = gather(None if args.source else args.content, result, templates=args.templates, source=args.source)
        if action is None:
            from .translations import write_skeletons

            for path in write_skeletons(site):
                print(f"wrote {path}")
            for line in result.coverage.values():
                print(line)
            return 0
        from .exchange import export_files, import_file

        if action == "export":
            for path in export_files(site, args.format, args.out):
                print(f"wrote {path}")
            return 0
        report = import_file(Path(args.operands[1]), exchange_file, site, args.by)
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    for problem in report.stale:
        print(f"warning: {problem}", file=sys.stderr)
    changed, stale = len(report.changed), len(report.stale)
    print(f"{report.edition.doc}: {report.edition.lang}: {changed} {'entry' if changed == 1 else 'entries'} changed"
          f"{' (' + ', '.join(report.changed) + ')' if report.changed else ''}; "
          f"{stale} stale {'unit' if stale == 1 else 'units'}")
    for path in report.written:
        print(f"wrote {path}")
    return 1 if report.stale else 0
