"""Headless Chromium for the browser tests: the built site served on loopback, and a browser."""

from __future__ import annotations

import functools
import gzip
import io
import http.server
import queue
import re
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

from .conftest import chromium_or_skip

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    disable_nagle_algorithm = True  # else each response waits out the client's delayed ACK (about 40 ms)

    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    request_queue_size = 128  # a browser opens many connections at once; the default backlog of 5 drops some
    daemon_threads = True


@contextmanager
def serve(folder: Path, prefix: str = "", compress: bool = False, not_found: bool = False, port: int = 0):
    """Serve folder on 127.0.0.1 (under a path prefix such as /policy/), yielding the base URL; with
    compress, text files go gzipped to a browser that accepts it, as web servers send them; with
    not_found, a missing address gets the site's 404.html with status 404, as hosts are set up to do."""

    class Handler(_QuietHandler):
        def translate_path(self, path):
            if prefix and path.startswith(prefix):
                path = "/" + path[len(prefix):]
            elif prefix:
                path = "/__outside_the_prefix__"
            return super().translate_path(path)

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir() and self.path.split("?")[0].endswith("/"):
                path = path / "index.html"
            if not_found and not path.exists():
                data = (folder / "404.html").read_bytes()
                self.send_response(404)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                return io.BytesIO(data)
            if not (compress and "gzip" in self.headers.get("Accept-Encoding", "") and path.is_file()
                    and path.suffix in (".html", ".css", ".js", ".json", ".svg", ".xml")):
                return super().send_head()
            data = gzip.compress(path.read_bytes(), 6)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            return io.BytesIO(data)

    server = _Server(("127.0.0.1", port), functools.partial(Handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}{prefix or '/'}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def chromium():
    """A Playwright browser on Debian's chromium (its own download needs the internet)."""
    executable = chromium_or_skip()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@contextmanager
def build_py_serve(content: Path, out: Path):
    """`build.py serve` on a free port, yielding its URL and wait_for(word), which waits for a line of
    its output holding word; stopped (SIGTERM, as a terminal or service manager would) at the end."""
    import pytest

    from .conftest import ROOT

    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port", "0", "--content",
                                str(content), "--out", str(out)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in process.stdout], daemon=True).start()

    def wait_for(word: str) -> str:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=1)
            except queue.Empty:
                continue
            if word in line:
                return line
        pytest.fail(f"serve printed no line with {word!r} within 60 s")

    try:
        yield re.search(r"http://127\.0\.0\.1:\d+/", wait_for("serving")).group(), wait_for
    finally:
        process.terminate()
        process.wait(10)
    assert process.returncode == 0  # SIGTERM stops serving as Ctrl-C does
