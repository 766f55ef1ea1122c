"""The term check: where a translation entry's Chinese uses a glossary term, its English must use the
glossary's rendering of it, or one the glossary allows for that term.

A glossary term gives its rendering (en) and may allow others, saying when they are right:

    [[term]]
    zh = "脱硝"
    en = "denitration"
    allowed = ["NOx removal"]                  # renderings a translation may use instead
    allowed_note = "…"                         # when they are right
    variants = ["denitrification"]             # what readers search by: not a rendering to use

A rendering matches whatever its words become in English prose: any capitalisation, British or
American spelling, inflected (plural, -ing, -ed: the words are compared by their Porter stems), a
leading article dropped. "each city / the cities" gives two renderings, and a part in brackets may be
left out or stand alone ("the 12th Five-Year Plan period (“12th Five-Year”)" matches "12th Five-Year
Plan period" and "12th Five-Year"; "chemical oxygen demand (COD)" matches "COD").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from .search_text import fold_spelling, porter_stem

ARTICLES = ("the", "a", "an")


@dataclass(frozen=True)
class TermRule:
    """A glossary term as the check uses it: its Chinese, its renderings as word stems, and how a
    message names them."""

    zh: str
    shown: tuple[str, ...]  # the rendering and the allowed ones, as the glossary writes them
    forms: tuple[tuple[str, ...], ...]  # each as the stems of its words


def term_rules(entries: list[dict]) -> tuple[TermRule, ...]:
    """The rules of a glossary's [[term]] tables (glossary.read_terms): longest Chinese first."""
    rules = []
    for entry in entries:
        shown = (entry["en"], *entry.get("allowed", ()))
        forms = {form for rendering in shown for form in _forms(rendering)}
        rules.append(TermRule(entry["zh"], shown, tuple(sorted(forms))))
    return tuple(sorted(rules, key=lambda rule: (-len(rule.zh), rule.zh)))


def _forms(rendering: str) -> list[tuple[str, ...]]:
    """The word stems of each way of writing a rendering: each of its " / " alternatives, with and without
    its bracketed parts, and each bracketed part alone (a short form: "COD"), less a leading article."""
    out = []
    for part in rendering.split(" / "):
        brackets = re.compile(r"\s*[(（]([^)）]*)[)）]")
        for text in {part, brackets.sub("", part), *brackets.findall(part)}:
            words = stems(text)
            while words and words[0] in ARTICLES:
                words = words[1:]
            if words:
                out.append(words)
    return out


def stems(text: str) -> tuple[str, ...]:
    """The Porter stems of a text's words, lower-cased and in American spelling."""
    words = re.findall(r"[a-z0-9]+", text.lower().replace("’", "'"))
    return tuple(porter_stem(fold_spelling(word)) for word in words)


def missed_terms(chinese: str, english: str, rules: tuple[TermRule, ...]) -> list[TermRule]:
    """The terms the Chinese uses whose English has none of their renderings. A term inside a longer
    term the Chinese uses (氮氧化物 in 氮氧化物排放) is checked where the longer one leaves it alone."""
    found = [rule for rule in rules if rule.zh in chinese]
    if not found:
        return []
    words, missed, covered = stems(english), [], chinese
    for rule in found:  # longest first
        if rule.zh not in covered:
            continue  # only inside a longer term, which was checked
        covered = covered.replace(rule.zh, "\0")
        if not any(_contains(words, form) for form in rule.forms):
            missed.append(rule)
    return missed


def _contains(words: tuple[str, ...], form: tuple[str, ...]) -> bool:
    n = len(form)
    return any(words[i:i + n] == form for i in range(len(words) - n + 1))


def term_message(rule: TermRule) -> str:
    """What a warning says of a term missed."""
    allowed = f" (or {', '.join(f'“{s}”' for s in rule.shown[1:])})" if len(rule.shown) > 1 else ""
    return f"{rule.zh} is not rendered as the glossary has it: “{rule.shown[0]}”{allowed}"


def glossary_rules(folder: Path | None, library=None) -> tuple[TermRule, ...]:
    """The term rules a document's translation answers to: those of its library's glossary files, where
    the library has them, else of its own glossary.toml (none if it has none)."""
    from .glossary import term_entries

    paths = library.glossary if library is not None and library.glossary else \
        (folder / "glossary.toml",) if folder is not None else ()
    return term_rules([entry for path in paths if path.exists() for entry, _ in term_entries(path)])
