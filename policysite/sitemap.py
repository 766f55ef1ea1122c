"""What a public site needs beside its pages: sitemaps (with language alternates) and robots.txt.

The sitemap protocol (sitemaps.org) wants absolute URLs and at most 50,000 URLs and 50 MB in a file:
without a base URL no sitemap is written, and past either limit the URLs are split over files under
sitemaps/ that a sitemap index at sitemap.xml names.
"""

from __future__ import annotations

from markupsafe import escape

from .pages import Page

MAX_URLS = 50_000
MAX_BYTES = 50 * 1024 * 1024
URLSET = ('<?xml version="1.0" encoding="UTF-8"?>\n'
          '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n')
URLSET_END = "</urlset>\n"


def sitemap_files(renderer, pages: list[Page], max_urls: int = MAX_URLS, max_bytes: int = MAX_BYTES) -> dict[str, str]:
    """sitemap.xml, or a sitemap index and the files it names; nothing when the base URL is unknown."""
    if not renderer.config.base_url:
        return {}
    chunks, chunk, size = [], [], 0
    room = max_bytes - len(URLSET.encode()) - len(URLSET_END.encode())
    for entry in _entries(renderer, pages):
        length = len(entry.encode())
        if chunk and (len(chunk) == max_urls or size + length > room):
            chunks.append(chunk)
            chunk, size = [], 0
        chunk.append(entry)
        size += length
    chunks.append(chunk)
    if len(chunks) == 1:
        return {"sitemap.xml": URLSET + "".join(chunks[0]) + URLSET_END}
    files = {f"sitemaps/sitemap-{i}.xml": URLSET + "".join(c) + URLSET_END for i, c in enumerate(chunks, 1)}
    index = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">']
    index += [f"  <sitemap><loc>{escape(renderer.absolute(name))}</loc></sitemap>" for name in files]
    files["sitemap.xml"] = "\n".join(index + ["</sitemapindex>"]) + "\n"
    return files


def _entries(renderer, pages: list[Page]):
    """A <url> entry for every page of every edition, with its counterparts in the other editions."""
    for edition in renderer.editions:
        for page in pages:
            lines = ["  <url>", f"    <loc>{escape(renderer.absolute(page.route.path(edition.lang, renderer.slugs)))}</loc>"]
            if len(renderer.editions) > 1:
                for other in renderer.editions:
                    href = renderer.absolute(page.route.path(other.lang, renderer.slugs))
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{other.html_lang}" href="{escape(href)}"/>')
                lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{escape(renderer.absolute(""))}"/>')
            lines.append("  </url>")
            yield "\n".join(lines) + "\n"


def robots_txt(renderer) -> str:
    """Everything may be crawled; the sitemap is named when the base URL is known."""
    lines = ["User-agent: *", "Allow: /"]
    if renderer.config.base_url:
        lines.append(f"Sitemap: {renderer.absolute('sitemap.xml')}")
    return "\n".join(lines) + "\n"
