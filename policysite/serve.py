"""Local preview: build, serve the site on localhost, and rebuild when the inputs change."""

from __future__ import annotations

import functools
import http.server
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .errors import BuildError


def snapshot(paths: list[Path]) -> dict[Path, float]:
    """Modification times of the files given and of every file under the folders given."""
    files = [p for p in paths if p.is_file()]
    files += [f for folder in paths if folder.is_dir() for f in folder.rglob("*") if f.is_file()]
    return {path: path.stat().st_mtime for path in files}


def serve(build: Callable[[], object], out: Path, watch: list[Path], port: int, interval: float = 0.5) -> None:
    """Build, then serve out on 127.0.0.1:port, rebuilding whenever a file under watch changes,
    until interrupted. A failed build is reported and the last good site goes on being served.
    """
    seen = snapshot(watch)  # before building, so that no change made from now on is missed
    _rebuild(build)
    out.mkdir(parents=True, exist_ok=True)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(watch)
            if now != seen:
                seen = now
                _rebuild(build)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()


def _rebuild(build: Callable[[], object]) -> None:
    """Build once; a failure is printed, not raised (the build function prints its own summary)."""
    try:
        build()
    except BuildError as exc:
        for problem in exc.problems:
            print(f"error: {problem}", file=sys.stderr, flush=True)
        print("build failed; serving the last good site", file=sys.stderr, flush=True)
