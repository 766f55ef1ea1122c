"""The numbering reader: what kind of number a line begins with, and its value.

One table, MARKERS, lists the forms real documents use, from the outermost level to the innermost:
第一部分, 一、, （一）, 1., （1）, 1), ①, and the unnumbered ——subheading. Full-width digits read as digits. A number run straight into
digits (11.2024年底前…, 12.5G基站…) may be a task number or a figure: the reader marks it
ambiguous and the parser takes it as a number only where the numbering expects it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS.update({"〇": 0, "○": 0, "两": 2})
NUMERAL = "零〇○一二两三四五六七八九十百"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def chinese_numeral(text: str) -> int:
    """Read a Chinese numeral below 1000: 九 → 9, 十一 → 11, 五十一 → 51, 一百零二 → 102."""
    total, digit = 0, None
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = None
        elif char == "十":
            total += (digit if digit is not None else 1) * 10
            digit = None
        elif char in _DIGITS:
            digit = _DIGITS[char] if digit is None else digit * 10 + _DIGITS[char]
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


@dataclass(frozen=True)
class Form:
    """One numbering form: its level name, the pattern of the marker, and how to read the number."""

    kind: str  # "part", "chapter", "section", "item", "paren-item", "half-paren-item", "circled" or "dash"
    pattern: re.Pattern
    value: callable


MARKERS: tuple[Form, ...] = (
    Form("part", re.compile(rf"^(第([{NUMERAL}]+)(?:部分|章|篇))[\s、：:　]*"), chinese_numeral),
    Form("chapter", re.compile(rf"^(([{NUMERAL}]+)\s*[、．.，,])\s*"), chinese_numeral),
    Form("section", re.compile(rf"^([（(]\s*([{NUMERAL}]+)\s*[）)][、．.，,]?)\s*"), chinese_numeral),
    Form("item", re.compile(r"^((\d{1,3})\s*(?:[.．、，,](?!\d)|、|[.．](?=\d)))\s*"), int),
    Form("paren-item", re.compile(r"^([（(]\s*(\d{1,3})\s*[）)][、．.]?)\s*"), int),
    Form("half-paren-item", re.compile(r"^((\d{1,3})\s*[)）])\s*"), int),
    Form("circled", re.compile(rf"^(([{_CIRCLED}]))\s*"), lambda c: _CIRCLED.index(c) + 1),
    Form("dash", re.compile(r"^((——|—|--))\s*"), lambda _: 0),
)
"""The numbering forms, outermost first."""

LEVEL = {form.kind: depth for depth, form in enumerate(MARKERS)}


@dataclass(frozen=True)
class Marker:
    """The number a line begins with."""

    kind: str
    value: int
    text: str  # the marker as written: "一、", "（三）", "12.", "①"
    rest: str  # the line after the marker
    ambiguous: bool = False  # digits run straight into the text: a number only where one is expected


def read_marker(text: str) -> Marker | None:
    """The numbering a line begins with, or None."""
    for form in MARKERS:
        match = form.pattern.match(text)
        if match and len(match.group(0)) < len(text):
            marker = match.group(1)
            ambiguous = form.kind == "item" and text[len(marker):len(marker) + 1].isdigit()
            return Marker(form.kind, form.value(match.group(2)), marker, text[match.end():], ambiguous)
    return None
