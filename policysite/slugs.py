"""Pinyin slugs: lowercase ASCII, hyphenated, the same in every language edition."""

from __future__ import annotations

import re
from functools import cache

PHRASE_READINGS = {
    "人行": [["rén"], ["háng"]],  # 中国人民银行, the bank: not xíng
    "支行": [["zhī"], ["háng"]],  # a bank branch
    "银行": [["yín"], ["háng"]],
    "长治": [["cháng"], ["zhì"]],  # the city in Shanxi, not zhǎng
}
"""Readings that pypinyin's phrase dictionary gets wrong for names in these documents."""


@cache
def _pinyin():
    """Import pypinyin once, on first use (it costs ~0.2 s), with the phrase fixes loaded: as
    pypinyin.load_phrases_dict does, but teaching its segmenter the new phrases alone (load_phrases_dict
    teaches it every phrase again, 0.04 s)."""
    import pypinyin
    from pypinyin.constants import PHRASES_DICT
    from pypinyin.seg import mmseg

    PHRASES_DICT.update(PHRASE_READINGS)
    mmseg.seg.train(PHRASE_READINGS)
    return pypinyin


def syllables(text: str) -> list[str]:
    """The toneless pinyin of the Chinese in text; other letters and digits kept as words."""
    return list(_syllables(text))


@cache
def _syllables(text: str) -> tuple[str, ...]:
    pypinyin = _pinyin()
    words = []
    for item in pypinyin.lazy_pinyin(text, style=pypinyin.Style.NORMAL, errors=lambda s: [s]):
        words.extend(re.findall(r"[a-z0-9]+", item.lower()))
    return tuple(words)


def slugify(text: str) -> str:
    """Pinyin slug of text: 省环保厅 → sheng-huan-bao-ting; empty if text has nothing to read."""
    return "-".join(syllables(text))


def initials(text: str) -> str:
    """First letters of the pinyin syllables: 省环保厅 → shbt."""
    return "".join(word[0] for word in syllables(text))


def unique_slugs(texts: list[str], prefix: str) -> list[str]:
    """A slug for each text, in order: its pinyin, or prefix-N when it has none; a slug already
    taken gets -2, -3, … so that every one is unique."""
    taken: set[str] = set()
    out = []
    for index, text in enumerate(texts, start=1):
        base = slugify(text)[:80].rstrip("-") or f"{prefix}-{index}"
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out.append(slug)
    return out
