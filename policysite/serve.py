"""Local preview: build, serve the site on localhost, and rebuild when the inputs change.

Pages served here (never the built files) carry one more script, /__policysite/live.js: it asks
the server four times a second how the builds stand, reloads the page after a new build, and shows
a failed build's errors over the last good site until they are fixed.
"""

from __future__ import annotations

import gc
import http.server
import io
import json
import sys
import threading
import time
from pathlib import Path
from typing import Callable

from .errors import BuildError

LIVE = "/__policysite/"
LIVE_SCRIPT = """(function () {
  var seen = null, box = null;
  function show(errors) {
    if (!errors.length) { if (box) { box.remove(); box = null; } return; }
    if (!box) {
      box = document.createElement("div");
      box.id = "policysite-build-errors";
      box.setAttribute("role", "alert");
      var s = box.style;
      s.position = "fixed"; s.left = "0"; s.right = "0"; s.bottom = "0"; s.maxHeight = "50vh"; s.overflow = "auto";
      s.margin = "0"; s.padding = "1rem"; s.background = "#8a1f11"; s.color = "#fff"; s.zIndex = "1000";
      s.font = "14px/1.5 monospace"; s.whiteSpace = "pre-wrap";
      document.body.appendChild(box);
    }
    box.textContent = "The last build failed; this is the last good site.\\n" + errors.join("\\n");
  }
  function poll() {
    fetch("/__policysite/state", {cache: "no-store"}).then(function (r) { return r.json(); }).then(function (state) {
      if (seen !== null && state.build !== seen) { location.reload(); return; }
      seen = state.build;
      show(state.errors);
    }).catch(function () {}).then(function () { setTimeout(poll, 250); });
  }
  poll();
})();
"""


def snapshot(paths: list[Path]) -> dict[Path, float]:
    """Modification times of the files given and of every file under the folders given."""
    files = [p for p in paths if p.is_file()]
    files += [f for folder in paths if folder.is_dir() for f in folder.rglob("*") if f.is_file()]
    return {path: path.stat().st_mtime for path in files}


class BuildState:
    """How the builds stand: how many have succeeded, and the last one's errors if it failed."""

    def __init__(self):
        self.lock = threading.Lock()
        self.build, self.errors = 0, []

    def rebuild(self, build: Callable[[], object]) -> None:
        """Build once; a failure is printed and kept for the pages, not raised. The garbage collector waits
        until the pages have been told (a build leaves few reference cycles, and collecting them while it
        runs costs more time than it saves)."""
        gc.disable()
        try:
            build()
        except BuildError as exc:
            errors = [str(problem) for problem in exc.problems]
            for error in errors:
                print(f"error: {error}", file=sys.stderr, flush=True)
            print("build failed; serving the last good site", file=sys.stderr, flush=True)
            with self.lock:
                self.errors = errors
            return
        else:
            with self.lock:
                self.build, self.errors = self.build + 1, []
        finally:
            gc.enable()
            gc.collect()

    def json(self) -> bytes:
        with self.lock:
            return json.dumps({"build": self.build, "errors": self.errors}, ensure_ascii=False).encode("utf-8")


def serve(build: Callable[[], object], out: Path, watch: list[Path], port: int, interval: float = 0.1) -> None:
    """Build, then serve out on 127.0.0.1:port, rebuilding whenever a file under watch changes,
    until interrupted. A failed build is reported and the last good site goes on being served.
    """
    seen = snapshot(watch)  # before building, so that no change made from now on is missed
    state = BuildState()
    state.rebuild(build)
    out.mkdir(parents=True, exist_ok=True)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(out), **kwargs)

        def log_message(self, *args):
            pass

        def send_head(self):
            path = self.path.split("?")[0]
            if path == LIVE + "state":
                return self.send_bytes(state.json(), "application/json")
            if path == LIVE + "live.js":
                return self.send_bytes(LIVE_SCRIPT.encode("utf-8"), "text/javascript")
            file = Path(self.translate_path(self.path))
            if file.is_dir() and path.endswith("/"):
                file = file / "index.html"
            if file.suffix == ".html" and file.is_file():  # the page, with the live script before </body>
                html = file.read_bytes().replace(b"</body>", f'<script src="{LIVE}live.js"></script></body>'.encode())
                return self.send_bytes(html, "text/html; charset=utf-8")
            return super().send_head()

        def send_bytes(self, data: bytes, kind: str):
            self.send_response(200)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            return io.BytesIO(data)

    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    print(f"serving {out} at http://127.0.0.1:{server.server_address[1]}/ (Ctrl-C stops)", flush=True)
    try:
        while True:
            time.sleep(interval)
            now = snapshot(watch)
            if now != seen:
                seen = now
                state.rebuild(build)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
