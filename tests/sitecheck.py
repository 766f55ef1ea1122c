"""Reading a built site back: every page, its links and its ids, for the crawl and page tests."""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


@dataclass
class PageInfo:
    """What a crawl needs from one HTML file."""

    links: list[str] = field(default_factory=list)  # href and src values
    external: list[str] = field(default_factory=list)  # <a rel="external"> to an http(s) source: not crawled
    ids: set[str] = field(default_factory=set)
    lang: str | None = None


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.info = PageInfo()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.info.lang = attrs.get("lang")
        if "id" in attrs:
            self.info.ids.add(attrs["id"])
        if tag == "a" and "external" in (attrs.get("rel") or "").split() \
                and (attrs.get("href") or "").startswith(("http://", "https://")):
            self.info.external.append(attrs["href"])  # a source the page cites, outside the site
            return
        for name in ("href", "src"):
            if attrs.get(name) is not None:
                self.info.links.append(attrs[name])


def read_page(path: Path) -> PageInfo:
    reader = _Reader()
    reader.feed(path.read_text(encoding="utf-8"))
    return reader.info


def target_file(site: Path, page: Path, link: str) -> tuple[Path, str]:
    """The file a relative link from page points to, and its fragment."""
    parts = urlsplit(link)
    base = page.parent.relative_to(site).as_posix()
    resolved = posixpath.normpath(posixpath.join(base, unquote(parts.path))) if parts.path else \
        page.relative_to(site).as_posix()
    path = site / resolved
    if parts.path.endswith("/") or path.is_dir():
        path = path / "index.html"
    return path, parts.fragment


def broken_links(site: Path) -> list[str]:
    """Every internal href/src or #fragment in the site that points at nothing."""
    pages = {p: read_page(p) for p in site.rglob("*.html")}
    broken = []
    for page, info in pages.items():
        for link in info.links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc:
                broken.append(f"{page.relative_to(site)}: external or absolute link {link}")
                continue
            if link.startswith("/"):
                broken.append(f"{page.relative_to(site)}: root-relative link {link} breaks under a prefix")
                continue
            path, fragment = target_file(site, page, link)
            if not path.is_file() or not path.resolve().is_relative_to(site.resolve()):
                broken.append(f"{page.relative_to(site)}: {link} → missing {path}")
            elif fragment and fragment not in pages.get(path, read_page(path) if path.suffix == ".html"
                                                         else PageInfo()).ids:
                broken.append(f"{page.relative_to(site)}: {link} → no id {fragment!r}")
    return broken
