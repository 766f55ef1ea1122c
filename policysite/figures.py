"""The figure check: every number in the Chinese must survive in its translation.

Numbers are compared by value, so unit conversions are understood, not flagged:
150亿 = 15 billion = 15,000,000,000; 2000万 = 20 million; 10万 = 100,000; 80% = 80%.
"""

from __future__ import annotations

import re
from collections import Counter

_CHINESE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_CHINESE_MULTIPLIER = {None: 1, "千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
_ENGLISH_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?")
_ENGLISH_MULTIPLIER = {None: 1, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                       "trillion": 1_000_000_000_000}


def _value(number: float) -> float:
    return round(number, 6)


def chinese_figures(text: str) -> Counter:
    """The numeric values written with digits in Chinese text, 万 and 亿 applied."""
    text = text.translate(str.maketrans("０１２３４５６７８９．", "0123456789."))
    return Counter(_value(float(m.group(1)) * _CHINESE_MULTIPLIER[m.group(2)])
                   for m in _CHINESE_NUMBER.finditer(text))


def english_figures(text: str) -> Counter:
    """The numeric values written with digits in English text, thousand/million/billion applied."""
    return Counter(
        _value(float(m.group(1).replace(",", "") + (m.group(2) or "")) * _ENGLISH_MULTIPLIER[m.group(3)])
        for m in _ENGLISH_NUMBER.finditer(text))


def dropped_figures(chinese: str, english: str) -> list[str]:
    """Figures in the Chinese that the English lacks (as many times as the Chinese has them)."""
    missing = chinese_figures(chinese) - english_figures(english)
    return [f"{value:g}" if value < 1e6 else f"{value:,.0f}" for value in sorted(missing.elements())]
