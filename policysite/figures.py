"""The figure check: every number in the Chinese must survive in its translation.

Numbers are compared by value, so unit conversions are understood, not flagged:
150亿 = 15 billion = 15,000,000,000; 2000万 = 20 million; 10万 = 100,000; 80% = 80%. A month the
Chinese writes with digits (2021年5月12日, 10月底) may be named in English (12 May 2021, the end of October).
"""

from __future__ import annotations

import re
from collections import Counter

_CHINESE_NUMBER = re.compile(r"(\d+(?:\.\d+)?)\s*(万亿|亿|万|千)?")
_CHINESE_MULTIPLIER = {None: 1, "千": 1_000, "万": 10_000, "亿": 100_000_000, "万亿": 1_000_000_000_000}
_ENGLISH_NUMBER = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?")
_CHINESE_MONTH = re.compile(r"(?<![\d.])(\d{1,2})\s*月")  # 5月, 10月底; not 3个月 (three months)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_ENGLISH_MONTH = re.compile(r"\b(" + "|".join(_MONTHS) + r")\b", re.I)
_ENGLISH_MULTIPLIER = {None: 1, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000,
                       "trillion": 1_000_000_000_000}


def _value(number: float) -> float:
    return round(number, 6)


_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")


def chinese_figures(text: str) -> Counter:
    """The numeric values written with digits in Chinese text, 万 and 亿 applied."""
    text = text.translate(_FULL_WIDTH)
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
    months = Counter(_value(float(m.group(1))) for m in _CHINESE_MONTH.finditer(chinese.translate(_FULL_WIDTH)))
    named = Counter(_value(_MONTHS.index(m.group(1).lower()) + 1) for m in _ENGLISH_MONTH.finditer(english))
    missing -= months & named
    return [f"{value:g}" if value < 1e6 else f"{value:,.0f}" for value in sorted(missing.elements())]
