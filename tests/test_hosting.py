"""README's nginx and Apache settings, tried: each server, started with the settings exactly as the
README gives them (only the port and the site's folder changed), serves a built site with its 404
page, the cache lifetimes, the types and the compression the README promises."""

from __future__ import annotations

import gzip
import os
import re
import shutil
import socket
import stat
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest

from policysite.pipeline import build

from .conftest import CONTENT, ROOT

README_ROOT = "/srv/policysite/site"
IMMUTABLE = "public, max-age=31536000, immutable"
APACHE_MODULES = ("mpm_event", "authz_core", "dir", "mime", "headers", "filter", "deflate")


def readme_block(language: str) -> str:
    blocks = re.findall(rf"^```{language}\n(.*?)^```", (ROOT / "README.md").read_text(encoding="utf-8"), re.M | re.S)
    assert len(blocks) == 1, f"README should hold one {language} block"
    return blocks[0]


def server_or_skip(name: str) -> str:
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/sbin")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail(f"{name} is not installed, and CI must try README's settings (.ci/run installs it)")
    pytest.skip(f"{name} is not installed (apt-get install {name})")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def hosted():
    """A site built for http://127.0.0.1:PORT/ in a folder the servers' worker users may read."""
    folder = Path(tempfile.mkdtemp(prefix="policysite-hosting-"))
    try:
        folder.chmod(0o755)
        port = free_port()
        build(CONTENT, folder / "site", base_url=f"http://127.0.0.1:{port}/")
        for path in folder.rglob("*"):
            path.chmod(path.stat().st_mode | stat.S_IROTH | (stat.S_IXOTH if path.is_dir() else 0))
        yield folder, port
    finally:
        shutil.rmtree(folder)


@contextmanager
def running(command: list[str], port: int, log: Path):
    """A server in the foreground, stopped (and waited for) however the test ends."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if process.poll() is not None:
                raise AssertionError(f"{command[0]} stopped: {log.read_text() if log.exists() else ''}")
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def get(url: str, gzipped: bool = False):
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"} if gzipped else {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


def check_site(site: Path, base: str) -> None:
    status, headers, body = get(base)
    assert status == 200 and headers["Content-Type"].lower() == "text/html; charset=utf-8"
    assert headers["Cache-Control"] == "no-cache"
    status, headers, body = get(base + "zh/tasks/999/")
    assert status == 404 and "找不到该页面".encode() in body and f'href="{base}zh/"'.encode() in body
    css = next((site / "static").glob("style.*.css")).name
    status, headers, body = get(f"{base}static/{css}", gzipped=True)
    assert status == 200 and headers["Cache-Control"] == IMMUTABLE
    assert headers["Content-Type"].lower() == "text/css; charset=utf-8" and headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(body) == (site / "static" / css).read_bytes()
    shard = next(p for p in (site / "search").glob("*/*.js")).relative_to(site).as_posix()
    status, headers, _ = get(base + shard)
    assert status == 200 and headers["Cache-Control"] == IMMUTABLE
    assert headers["Content-Type"].lower() == "application/javascript; charset=utf-8"
    for name, kind in (("data/assignments.csv", "text/csv"), ("data/document.json", "application/json"),
                       ("sitemap.xml", "application/xml")):
        status, headers, _ = get(base + name)
        assert status == 200 and headers["Content-Type"].lower() == f"{kind}; charset=utf-8", name
        assert headers["Cache-Control"] == "no-cache", name


def test_readme_nginx_settings(hosted):
    nginx = server_or_skip("nginx")
    folder, port = hosted
    server = readme_block("nginx").replace("listen 80;", f"listen 127.0.0.1:{port};")
    server = server.replace(README_ROOT, str(folder / "site"))
    conf = folder / "nginx.conf"
    conf.write_text(f"pid {folder}/nginx.pid;\nerror_log {folder}/nginx.log;\nevents {{}}\n"
                    f"http {{\n  access_log off;\n  client_body_temp_path {folder}/tmp;\n{server}}}\n")
    with running([nginx, "-c", str(conf), "-p", str(folder), "-g", "daemon off;"], port, folder / "nginx.log"):
        check_site(folder / "site", f"http://127.0.0.1:{port}/")


def test_readme_apache_settings(hosted):
    apache = server_or_skip("apache2")
    folder, port = hosted
    host = readme_block("apache").replace("<VirtualHost *:80>", f"<VirtualHost *:{port}>")
    host = host.replace(README_ROOT, str(folder / "site"))
    modules = "\n".join(f"LoadModule {m}_module /usr/lib/apache2/modules/mod_{m}.so" for m in APACHE_MODULES)
    user = "User www-data\nGroup www-data\n" if os.geteuid() == 0 else ""
    conf = folder / "apache.conf"
    conf.write_text(f"ServerRoot {folder}\nListen 127.0.0.1:{port}\nPidFile {folder}/apache.pid\n"
                    f"ErrorLog {folder}/apache.log\nServerName 127.0.0.1\n{user}{modules}\n"
                    f"TypesConfig /etc/mime.types\n{host}")
    with running([apache, "-f", str(conf), "-DFOREGROUND"], port, folder / "apache.log"):
        check_site(folder / "site", f"http://127.0.0.1:{port}/")
