"""Markdown pages (About, …): content/pages/NAME.LANG.md, rendered with the markdown package.

Raw HTML in a page is shown as text, never passed through.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .cache import remembered
from .errors import BuildError, Problem
from .i18n import tag_chinese_html


@dataclass(frozen=True)
class MarkdownPage:
    """A page written in Markdown: its name (the URL slug), and per language its title and HTML."""

    name: str
    titles: dict[str, str]
    bodies: dict[str, Markup]


def _drop_script_links(root) -> None:
    """Remove link targets that would run code (javascript:, vbscript:, data:)."""
    for element in root.iter():
        for attribute in ("href", "src"):
            if re.match(r"\s*(javascript|vbscript|data):", element.get(attribute, ""), re.I):
                del element.attrib[attribute]


@functools.cache
def _converter():
    """Markdown with tables and heading ids, and without raw HTML or script links (imported when first
    needed: with the build cache, pages as they were are not converted again)."""
    import markdown
    from markdown.treeprocessors import Treeprocessor

    class DropScriptLinks(Treeprocessor):
        def run(self, root):
            _drop_script_links(root)

    md = markdown.Markdown(extensions=["tables", "toc"], output_format="html")
    md.preprocessors.deregister("html_block")  # raw HTML blocks become escaped text
    md.inlinePatterns.deregister("html")  # so do inline tags
    md.treeprocessors.register(DropScriptLinks(md), "drop_script_links", 0)
    return md


def load_pages(folder: Path, languages: tuple[str, ...]) -> tuple[MarkdownPage, ...]:
    """Every NAME.LANG.md in folder; a page must exist in every language and start with a # title."""
    if not folder.is_dir():
        return ()

    def html(markdown_text: str, lang: str) -> str:
        body = _converter().reset().convert(markdown_text)
        return str(Markup(body) if lang == "zh" else tag_chinese_html(body))

    found: dict[str, dict[str, tuple[str, Markup]]] = {}
    problems = []
    for path in sorted(folder.glob("*.md")):
        name, _, lang = path.stem.rpartition(".")
        if lang not in languages or not re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", name):
            problems.append(Problem(path, None, f"expected NAME.LANG.md with LANG one of {', '.join(languages)}"))
            continue
        text = path.read_text(encoding="utf-8")
        title = re.match(r"#\s+(.+)\n", text)
        if not title:
            problems.append(Problem(path, 1, "a page starts with its title: # Title"))
            continue
        rest = text[title.end():]
        body = remembered(f"markdown {lang}", rest.encode("utf-8"), lambda: html(rest, lang),
                          valid=lambda value: isinstance(value, str))
        found.setdefault(name, {})[lang] = (title.group(1).strip(), Markup(body))
    for name, versions in found.items():
        for lang in languages:
            if lang not in versions:
                problems.append(Problem(folder / f"{name}.{lang}.md", None, f"page {name} has no {lang} version"))
    if problems:
        raise BuildError(problems)
    return tuple(MarkdownPage(name, {lang: v[0] for lang, v in versions.items()},
                              {lang: v[1] for lang, v in versions.items()})
                 for name, versions in sorted(found.items()))
