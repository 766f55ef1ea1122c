"""Pinyin slugs: lowercase ASCII, hyphenated, the same in every language edition."""

from __future__ import annotations

import re
import sys
from contextlib import contextmanager
from functools import cache, partial

from .workers import Helper, HelperGone, worker_count

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
    teaches it every phrase again, 0.04 s). Returns what reading calls: text → pypinyin's items, toneless
    pinyin, and what has none as it is."""
    from pypinyin.constants import PHRASES_DICT, Style
    from pypinyin.converter import DefaultConverter
    from pypinyin.core import Pinyin
    from pypinyin.seg import mmseg

    class Remembering(DefaultConverter):
        """pypinyin's default converter, remembering what each toned syllable becomes in a style: its
        conversion is a function of the syllable alone (pre_ and post_convert_style add nothing), and a
        document's few hundred syllables are converted again for every character read (half the time
        reading took)."""

        def __init__(self):
            super().__init__()
            self.styled = {}

        def convert_style(self, han, orig_pinyin, style, strict, **kwargs):
            key = (orig_pinyin, style, strict)
            found = self.styled.get(key)
            if found is None:
                found = self.styled[key] = super().convert_style(han, orig_pinyin, style, strict, **kwargs)
            return found

    PHRASES_DICT.update(PHRASE_READINGS)
    mmseg.seg.train(PHRASE_READINGS)
    return partial(Pinyin(Remembering()).lazy_pinyin, style=Style.NORMAL, errors=lambda chars: [chars])


def syllables(text: str) -> list[str]:
    """The toneless pinyin of the Chinese in text; other letters and digits kept as words."""
    return list(_syllables(text))


_helper: Helper | None = None  # pypinyin in a process of its own, while a build reads its inputs
_memo: dict[str, tuple[str, ...]] = {}  # the syllables of every text read so far
_asked: set[str] = set()  # the texts prefetched from the helper, answered or not
_kept = None  # during a build with a cache: the readings the last build kept (cache.Memo), and this one's


@contextmanager
def readings_kept(memo):
    """For one build with a cache (memo None: without): the syllables of the texts the last build read,
    taken from memo (cache.Memo) instead of read again; every text this build reads or prefetches is
    recorded there."""
    global _kept
    _kept = memo
    try:
        yield
    finally:
        _kept = None


def _known(text: str) -> tuple[str, ...] | None:
    """The syllables of text as read before, in this process or (kept) by the last build; recorded as this
    build's."""
    found = _memo.get(text)
    if _kept is not None:
        if found is None:
            kept = _kept.get(text)
            if isinstance(kept, (list, tuple)) and all(isinstance(word, str) for word in kept):
                found = _memo[text] = tuple(kept)
        if found is not None:
            _kept.put(text, found)
    return found


def _learn(readings: dict[str, tuple[str, ...]]) -> None:
    """Texts read, with their syllables: known from now on, and recorded as this build's."""
    _memo.update(readings)
    if _kept is not None:
        for text, found in readings.items():
            _kept.put(text, found)


@contextmanager
def pinyin_beside():
    """For one build: pypinyin loaded in a helper process (texts read there) instead of here, so that its
    load (~0.25 s) and the reading of the texts prefetched runs on another core while this process reads
    the inputs. Nothing where there is no other core, or where this process has pypinyin already."""
    global _helper
    if _helper is not None or "pypinyin" in sys.modules or not worker_count(1):
        yield
        return
    _helper = Helper(_read_all, setup=_pinyin)
    try:
        yield
    finally:
        _helper.close()
        _helper = None
        _asked.clear()


def prefetch(texts) -> None:
    """Have the helper read these texts now, where a build has one and they are not known already (the
    answer is collected when a text is first needed). With readings_kept, they are recorded as wanted."""
    missing = [text for text in dict.fromkeys(texts) if _known(text) is None and text not in _asked]
    if missing and _helper is not None:
        try:
            _helper.submit(missing)
            _asked.update(missing)
        except HelperGone:
            pass


def collect_prefetched() -> None:
    """Wait for the answers to everything prefetched (before forking a process that will read pinyin:
    it cannot ask the helper)."""
    if _helper is not None:
        try:
            _collect()
        except HelperGone:
            pass


def _collect(text: str | None = None) -> None:
    """Take the helper's answers to what was prefetched, in order: until text's, or all of them."""
    while (text is None or text not in _memo) and _helper.waiting:
        _learn(_helper.answer())


def _syllables(text: str) -> tuple[str, ...]:
    found = _known(text)
    if found is None:
        if _helper is not None:
            try:
                _collect(text)
                found = _memo[text] if text in _memo else _helper([text])[text]
            except HelperGone:  # a process forked from this one, or the helper ended: read here
                pass
        found = found if found is not None else _read(text)
        _learn({text: found})
    return found


def _read_all(texts: list[str]) -> dict[str, tuple[str, ...]]:
    return {text: _read(text) for text in texts}


def _read(text: str) -> tuple[str, ...]:
    """The syllables of text, by pypinyin."""
    words = []
    for item in _pinyin()(text):
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
