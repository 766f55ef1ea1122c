"""What a public site needs beside its pages: sitemap.xml (with language alternates) and robots.txt."""

from __future__ import annotations

from markupsafe import escape

from .pages import Page


def sitemap_xml(renderer, pages: list[Page]) -> str:
    """Every page of every edition, each with its counterparts in the other editions.

    Locations are absolute when the site's base URL is known, and relative to the site root otherwise.
    """
    lines = ['<?xml version="1.0" encoding="UTF-8"?>',
             '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
             'xmlns:xhtml="http://www.w3.org/1999/xhtml">']
    for edition in renderer.editions:
        for page in pages:
            lines.append("  <url>")
            lines.append(f"    <loc>{escape(_where(renderer, page.route.path(edition.lang, renderer.slugs)))}</loc>")
            if len(renderer.editions) > 1:
                for other in renderer.editions:
                    href = _where(renderer, page.route.path(other.lang, renderer.slugs))
                    lines.append(f'    <xhtml:link rel="alternate" hreflang="{other.html_lang}" href="{escape(href)}"/>')
                lines.append(f'    <xhtml:link rel="alternate" hreflang="x-default" href="{escape(_where(renderer, ""))}"/>')
            lines.append("  </url>")
    lines.append("</urlset>")
    return "\n".join(lines) + "\n"


def robots_txt(renderer) -> str:
    """Everything may be crawled; the sitemap is named when the base URL is known."""
    lines = ["User-agent: *", "Allow: /"]
    if renderer.config.base_url:
        lines.append(f"Sitemap: {renderer.absolute('sitemap.xml')}")
    return "\n".join(lines) + "\n"


def _where(renderer, path: str) -> str:
    return renderer.absolute(path) or (path or "./")

