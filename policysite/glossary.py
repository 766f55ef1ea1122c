"""The glossary: terms of the document, their English renderings, and the tasks that use them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .config import read_toml
from .errors import BuildError, Problem, Problems
from .model import Document
from .slugs import prefetch, slugify, syllables


@dataclass(frozen=True)
class Term:
    """A glossary term, its renderings and notes, and the numbers of the tasks whose text uses it."""

    zh: str
    en: str
    note_zh: str
    note_en: str
    anchor: str
    tasks: tuple[int, ...]
    variants: tuple[str, ...] = ()  # other English renderings readers use (search finds the term by them)
    allowed: tuple[str, ...] = ()  # other renderings a translation may use (terms.py), and when
    allowed_note: str = ""


def read_terms(path: Path) -> list[tuple[dict, int, str]]:
    """The [[term]] tables of a glossary file, each with its line and anchor, checked (as term_entries,
    and anchors distinct)."""
    problems, found, anchors, entries = Problems(), [], {}, term_entries(path)
    prefetch(entry["zh"] for entry, _ in entries)
    for entry, line in entries:
        zh = entry["zh"]
        anchor = slugify(zh) or f"term-{len(found) + 1}"
        if anchor in anchors:
            problems.error(path, line, f"{zh}: same anchor #{anchor} as {anchors[anchor]}")
        anchors[anchor] = zh
        found.append((entry, line, anchor))
    problems.raise_if_any()
    return found


def term_entries(path: Path) -> list[tuple[dict, int]]:
    """The [[term]] tables of a glossary file, each with its line, checked: zh and en given, variants
    and allowed lists of texts, allowed_note a text."""
    toml = read_toml(path)
    entries = toml.data.get("term", [])
    if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
        raise BuildError(Problem(path, None, "expected [[term]] tables"))
    lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
             if line.strip() == "[[term]]"]
    problems, found = Problems(), []
    for entry, line in zip(entries, lines):
        zh, en = entry.get("zh"), entry.get("en")
        if not (isinstance(zh, str) and zh and isinstance(en, str) and en):
            problems.error(path, line, "a term needs zh and en")
            continue
        bad = [key for key in ("variants", "allowed") if not isinstance(entry.get(key, []), list)
               or not all(isinstance(v, str) and v.strip() for v in entry.get(key, []))]
        if bad:
            problems.error(path, line, f"{zh}: {bad[0]} should be a list of English renderings, like "
                                       f"{bad[0]} = [\"SO2\"]")
            continue
        if not isinstance(entry.get("allowed_note", ""), str):
            problems.error(path, line, f"{zh}: allowed_note should be a text, like allowed_note = \"…\"")
            continue
        found.append((entry, line))
    problems.raise_if_any()
    return found


def _allowed(entry: dict) -> tuple[tuple[str, ...], str]:
    """A term's other allowed renderings, and the note on when they are right."""
    return tuple(entry.get("allowed", ())), entry.get("allowed_note", "")


def uses(zh: str, document: Document) -> tuple[tuple[int, ...], bool]:
    """The tasks whose text uses a term, and whether the document uses it anywhere (titles, preamble)."""
    tasks = tuple(t.number for t in document.tasks if zh in t.text)
    anywhere = bool(tasks) or any(zh in s.title for s in document.sections) or \
        any(zh in c.title for c in document.chapters) or any(zh in p.text for p in document.preamble)
    return tasks, anywhere


def load_glossary(path: Path, document: Document) -> tuple[Term, ...]:
    """Read glossary.toml ([[term]] tables); a term the document never uses is an error."""
    if not path.exists():
        return ()
    problems, terms = Problems(), []
    for entry, line, anchor in read_terms(path):
        tasks, used = uses(entry["zh"], document)
        if not used:
            problems.error(path, line, f"{entry['zh']}: the document does not use this term")
        terms.append(Term(entry["zh"], entry["en"], entry.get("note_zh", ""), entry.get("note_en", ""), anchor, tasks,
                          tuple(entry.get("variants", ())), *_allowed(entry)))
    problems.raise_if_any()
    return tuple(terms)


@dataclass(frozen=True)
class LibraryTerm:
    """A term of a library's glossary, and where each document uses it: (document id, task numbers)."""

    zh: str
    en: str
    note_zh: str
    note_en: str
    anchor: str
    uses: tuple[tuple[str, tuple[int, ...]], ...]
    variants: tuple[str, ...] = ()
    allowed: tuple[str, ...] = ()
    allowed_note: str = ""


def load_library_glossary(paths: tuple[Path, ...], documents: list[tuple[str, Document]],
                          strict: bool = False) -> tuple[tuple[LibraryTerm, ...], list[Problem]]:
    """A library's glossary, from its files (a document's own and the library's, say), and its warnings:
    a term that two files give is an error; a term no document of the library uses (as when a document
    leaves the library) is left out, with a warning (an error when strict)."""
    problems, terms, given = Problems(), [], {}
    unused = problems.error if strict else problems.warn
    for path in paths:
        for entry, line, anchor in read_terms(path):
            if anchor in given:
                problems.error(path, line, f"{entry['zh']}: also in {given[anchor][0]}:{given[anchor][1]}")
                continue
            given[anchor] = (path, line)
            found = [(doc, uses(entry["zh"], document)) for doc, document in documents]
            used = tuple((doc, tasks) for doc, (tasks, anywhere) in found if anywhere)
            if not used:
                unused(path, line, f"{entry['zh']}: no document of the library uses this term; left out")
                continue
            terms.append(LibraryTerm(entry["zh"], entry["en"], entry.get("note_zh", ""), entry.get("note_en", ""),
                                     anchor, used, tuple(entry.get("variants", ())), *_allowed(entry)))
    problems.raise_if_any()
    return tuple(terms), problems.warnings


def by_letter(terms, lang: str) -> list[tuple[str, list]]:
    """Terms in the order a reader of the edition looks them up (English A–Z, or Chinese by pinyin),
    grouped under their first letter ("#" for a term that starts with no letter)."""
    if lang == "zh":
        ordered = sorted(terms, key=lambda term: (syllables(term.zh), term.zh))
        first = [(syllables(term.zh) or [""])[0][:1] for term in ordered]
    else:  # leading quotation marks and the like do not count
        ordered = sorted(terms, key=lambda term: (re.sub(r"^\W+", "", term.en).casefold(), term.zh))
        first = [re.sub(r"^\W+", "", term.en)[:1] for term in ordered]
    groups: dict[str, list] = {}
    for term, letter in zip(ordered, first):
        groups.setdefault(letter.upper() if letter.isascii() and letter.isalpha() else "#", []).append(term)
    return sorted(groups.items(), key=lambda group: (group[0] == "#", group[0]))
