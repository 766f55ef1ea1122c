"""The glossary: terms of the document, their English renderings, and the tasks that use them."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import read_toml
from .errors import BuildError, Problem, Problems
from .model import Document
from .slugs import slugify


@dataclass(frozen=True)
class Term:
    """A glossary term, its renderings and notes, and the numbers of the tasks whose text uses it."""

    zh: str
    en: str
    note_zh: str
    note_en: str
    anchor: str
    tasks: tuple[int, ...]


def load_glossary(path: Path, document: Document) -> tuple[Term, ...]:
    """Read glossary.toml ([[term]] tables); a term the document never uses is an error."""
    if not path.exists():
        return ()
    toml = read_toml(path)
    entries = toml.data.get("term", [])
    problems = Problems()
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BuildError(Problem(path, None, "expected [[term]] tables"))
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip() == "[[term]]"]
    terms, anchors = [], {}
    for entry, line in zip(entries, lines):
        zh, en = entry.get("zh"), entry.get("en")
        if not (isinstance(zh, str) and zh and isinstance(en, str) and en):
            problems.error(path, line, "a term needs zh and en")
            continue
        anchor = slugify(zh) or f"term-{len(terms) + 1}"
        if anchor in anchors:
            problems.error(path, line, f"{zh}: same anchor #{anchor} as {anchors[anchor]}")
        anchors[anchor] = zh
        uses = tuple(t.number for t in document.tasks if zh in t.text)
        in_titles = any(zh in s.title for s in document.sections) or any(zh in c.title for c in document.chapters)
        if not uses and not in_titles and not any(zh in p.text for p in document.preamble):
            problems.error(path, line, f"{zh}: the document does not use this term")
        terms.append(Term(zh, en, entry.get("note_zh", ""), entry.get("note_en", ""), anchor, uses))
    problems.raise_if_any()
    return tuple(terms)
