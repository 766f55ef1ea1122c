"""Language editions: interface strings, and the text of each piece of the model in a language."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup, escape

from .config import read_toml
from .errors import BuildError, Problem
from .translations import Translation

_CJK_RUN = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+(?:[“”\s]*[\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]+)*")
_CITE = re.compile(r"\*([^*\n]+)\*")


def load_strings(path: Path, languages: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """Interface strings per language; every language must define every key the first one does."""
    toml = read_toml(path)
    problems = []
    for lang in languages:
        if lang not in toml.data:
            problems.append(Problem(path, None, f"no [{lang}] table of interface strings"))
    if problems:
        raise BuildError(problems)
    reference = toml.data[languages[0]]
    for lang in languages[1:]:
        missing = sorted(set(reference) - set(toml.data[lang]))
        if missing:
            problems.append(Problem(path, toml.line_of(lang), f"[{lang}] lacks {', '.join(missing)}"))
    if problems:
        raise BuildError(problems)
    return {lang: toml.data[lang] for lang in languages}


def ordinal(number: int) -> str:
    """English ordinal: 1 → 1st, 2 → 2nd, 11 → 11th, 23 → 23rd."""
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


@dataclass(frozen=True)
class Edition:
    """One language edition of the site: its strings and, for a translation, its entries."""

    lang: str
    strings: dict[str, str]
    translation: Translation | None  # None for the edition in the source language

    @property
    def html_lang(self) -> str:
        return self.strings["html_lang"]

    def t(self, key: str, **values) -> str:
        """An interface string, with {placeholders} filled; KEY_one instead where the count n is 1 and the
        language has such a string (English: "1 task", not "1 tasks")."""
        if values.get("n") == 1 and f"{key}_one" in self.strings:
            key = f"{key}_one"
        text = self.strings[key]
        return text.format(**values) if values else text

    def nth(self, number: int) -> str:
        return ordinal(number) if self.lang == "en" else str(number)

    def text(self, unit_id: str, field: str, chinese: str) -> Markup:
        """The unit's text in this edition; the Chinese, tagged and labelled, while a translation is pending."""
        if self.translation is None:
            return Markup(escape(chinese))
        english = self.translation.get(unit_id, field)
        if english is None:
            return Markup('<span lang="zh-Hans">{}</span> <span class="pending">({})</span>').format(
                chinese, self.strings.get("translation_pending", "translation pending"))
        return tag_chinese(english)


def strip_cites(english: str) -> str:
    """English text without the *asterisks* that mark cited titles."""
    return _CITE.sub(r"\1", english)


@functools.lru_cache(maxsize=4096)
def tag_chinese(english: str) -> Markup:
    """Escape English text, mark *titles* as <cite>, and tag any Chinese run with its language."""
    return tag_chinese_html(_CITE.sub(r"<cite>\1</cite>", str(escape(english))))


def tag_chinese_html(html: str) -> Markup:
    """Wrap each run of Chinese in the text (not the tags) of an HTML fragment in a zh-Hans span."""
    parts = re.split(r"(<[^>]*>)", html)
    return Markup("".join(
        part if part.startswith("<") else _CJK_RUN.sub(lambda m: f'<span lang="zh-Hans">{m.group()}</span>', part)
        for part in parts))
