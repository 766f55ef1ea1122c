"""How search reads text, at index time here and at query time in static/search.js (step for step).

Chinese has no spaces, and lunr's own pipeline cannot split it: Chinese runs become overlapping
two-character pieces, Latin words and numbers stay words. Before that, text is folded so that
what a reader types finds what the page writes: traditional characters to simplified (with
OpenCC's character table), British spellings to American. Chinese also gets pinyin tokens: each
pair of neighbouring characters as one joined word (脱硫 → tuoliu), and names and titles their
syllables, their whole run joined and the initials of their runs.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from .slugs import syllables

TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z\u00c0-\u024f]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{2,}")
CJK_RANGES = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF))

SPELLING = (
    (r"sulph", "sulf"),
    (r"isation", "ization"),
    (r"^(.{2,})is(e|ed|es|ing|er|ers)$", r"\1iz\2"),
    (r"^(.{2,})ys(e|ed|es|ing)$", r"\1yz\2"),
    (r"^(colo|labo|behavio|favo|hono|neighbo|harbo|vapo|flavo|humo|rumo|vigo|endeavo|odo|armo|saviou?|tumo)ur",
     r"\1r"),
    (r"programme", "program"),
    (r"(cent|met|lit|fib|theat|calib|lust|somb|spect|sab|meag)re(s)?$", r"\1er\2"),
    (r"(cent|fib|theat)red$", r"\1ered"),
    (r"(catal|dial|anal|prol|epil|monol)ogue(s)?$", r"\1og\2"),
    (r"^(label|model|travel|fuel|level|cancel|counsel|signal|total|channel|marshal|equal|tunnel|panel|jewel|dial)l"
     r"(ed|ing|er|ers)$", r"\1\2"),
    (r"^aluminium", "aluminum"),
    (r"^(licen|defen|offen|preten)ce", r"\1se"),
    (r"^practis", "practic"),
    (r"^(judg|acknowledg|abridg)ement", r"\1ment"),
    (r"^ageing", "aging"),
    (r"^(fulfil|enrol|instal)(ment|s)?$", r"\1l\2"),
    (r"^mould", "mold"),
    (r"^grey", "gray"),
    (r"^tyre", "tire"),
    (r"^storey", "story"),
    (r"^haem", "hem"),
    (r"^anaes", "anes"),
    (r"^paed", "ped"),
    (r"^oestr", "estr"),
    (r"^manoeuvr", "maneuver"),
    (r"^plough", "plow"),
    (r"^sceptic", "skeptic"),
    (r"^draught", "draft"),
)
"""British spellings folded to American ones, word by word, in this order (search.js has the same table).
Folding both the text and the query makes either spelling find both; a rule that also folds a word
with no other spelling (enterprise → enterprize) is harmless, for it folds the query the same way."""
_SPELLING = tuple((re.compile(pattern), replacement) for pattern, replacement in SPELLING)
_ANY_SPELLING = re.compile("|".join(f"(?:{pattern})" for pattern, _ in SPELLING))
"""Whether any rule applies to a word (most words have none: then no rule can change it, nor so make a
later rule apply)."""


@functools.lru_cache(maxsize=65536)
def fold_spelling(word: str) -> str:
    """A lower-case Latin word in its American spelling: desulphurisation → desulfurization (remembered:
    a site has a few thousand words, each met many times)."""
    if not _ANY_SPELLING.search(word):
        return word
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


@functools.lru_cache(maxsize=None)
def porter_stem(word: str) -> str:
    """lunr's Porter stemmer of one word, remembered (a site has a few thousand words, each met many times)."""
    from lunr.stemmer import stemmer
    from lunr.token import Token

    return str(stemmer(Token(word)))


@functools.lru_cache(maxsize=1)
def traditional_to_simplified() -> dict[str, str]:
    """Each traditional character OpenCC's t2s converter changes, and what it makes of it."""
    import opencc

    converter = opencc.OpenCC("t2s")
    chars = "".join(chr(c) for start, end in CJK_RANGES for c in range(start, end + 1))
    converted = converter.convert(chars)  # character for character: t2s never changes the length of a
    if len(converted) != len(chars):     # run of single characters it has no phrase for
        converted = "".join(converter.convert(c) for c in chars)
    return {t: s for t, s in zip(chars, converted) if t != s and len(s) == 1}


def fold_chinese(text: str) -> str:
    """Text with its traditional characters made simplified (the same length: one character for one)."""
    return text.translate(_simplified_by_code())


@functools.lru_cache(maxsize=1)
def _simplified_by_code() -> dict[int, str]:
    """traditional_to_simplified() for str.translate: by code point."""
    return {ord(t): s for t, s in traditional_to_simplified().items()}


def normalize(text: str) -> str:
    """What is searched: NFKC (full-width letters and digits made plain), lower case, simplified characters."""
    return fold_chinese(unicodedata.normalize("NFKC", text).lower())


def tokenize(text: str) -> list[str]:
    """Search tokens: Chinese bigrams (a lone character stays one), Latin words in American spelling."""
    tokens = []
    for run in TOKEN.findall(normalize(text)):
        if CJK.match(run):
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1)) if len(run) > 1 else tokens.append(run)
        else:
            tokens.append(fold_spelling(run))
    return tokens


def query_tokens(text: str) -> list[tuple[str, bool]]:
    """A query's tokens, each with whether a result must hold it: every word, and of a Chinese run the
    pieces that cover it without overlap (排污/许可 of 排污许可证); the pieces between (污许, 可证) only
    rank the results that hold them higher, so that 淘汰落后产能 also finds 落后产能淘汰."""
    out: dict[str, bool] = {}
    for run in TOKEN.findall(normalize(text)):
        if CJK.match(run) and len(run) > 1:
            for i in range(len(run) - 1):
                out[run[i:i + 2]] = out.get(run[i:i + 2], False) or i % 2 == 0
        else:
            word = run if CJK.match(run) else fold_spelling(run)
            out[word] = True
    return list(out.items())


def pinyin_pairs(text: str) -> tuple[list[str], frozenset[str]]:
    """Each pair of neighbouring Chinese characters as one pinyin word (脱硫设施 → tuoliu, liushe,
    sheshi), and the syllables they are made of."""
    out, sounds_used = [], set()
    for run in pinyin_runs(text):
        sounds = _run_syllables(run)
        sounds_used.update(sounds)
        out.extend(sounds[i] + sounds[i + 1] for i in range(len(sounds) - 1))
    return out, frozenset(sounds_used)


def pinyin_runs(text: str) -> list[str]:
    """The runs of Chinese characters whose pinyin pinyin_pairs reads."""
    return CJK_RUN.findall(normalize(text))


@functools.lru_cache(maxsize=65536)
def _run_syllables(run: str) -> tuple[str, ...]:
    """One syllable per character of a Chinese run (read as a phrase where pypinyin knows it)."""
    sounds = syllables(run)
    return tuple(sounds) if len(sounds) == len(run) else tuple(s for c in run for s in syllables(c)[:1])


def pinyin_tokens(sounds: list[str], initials_up_to: int | None = None) -> list[str]:
    """Pinyin tokens for a name or title: its syllables, neighbouring pairs and all of them joined,
    and the initials of every run of two or more syllables (runs of at most initials_up_to, if given)."""
    out = set(sounds)
    if sounds:
        out.add("".join(sounds))
    out.update(sounds[i] + sounds[i + 1] for i in range(len(sounds) - 1))
    for start in range(len(sounds)):
        stop = len(sounds) if initials_up_to is None else min(len(sounds), start + initials_up_to)
        out.update("".join(s[0] for s in sounds[start:end]) for end in range(start + 2, stop + 1))
    return sorted(out)


def split_syllables(word: str, known: frozenset[str]) -> list[str] | None:
    """Split a run of letters into known pinyin syllables, fewest pieces first; None if it can't be."""
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] is not None and word[start:end] in known:
                candidate = best[start] + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(word)]


def pinyin_query(words: list[str], known: frozenset[str]) -> list[str] | None:
    """The query's words read as pinyin, the way pinyin_pairs reads Chinese: a word of several syllables
    becomes its neighbouring pairs, and words of one syllable typed in a row are read as one word
    (huang biao che → huangbiao, biaoche). None if no word reads differently so."""
    out, run, changed = [], [], False

    def flush():
        nonlocal changed
        if len(run) > 1:
            out.extend(run[i] + run[i + 1] for i in range(len(run) - 1))
            changed = True
        out.extend(run[:1] if len(run) == 1 else [])
        run.clear()

    for word in words:
        pieces = split_syllables(word, known) if word.isascii() and word.isalpha() else None
        if pieces and len(pieces) == 1:
            run.append(word)
            continue
        flush()
        if pieces:
            out.extend(pieces[i] + pieces[i + 1] for i in range(len(pieces) - 1))
            changed = changed or len(pieces) > 2
        else:
            out.append(word)
    flush()
    return out if changed else None


def edits1(word: str) -> set[str]:
    """Every word one deletion, substitution, insertion or swap of neighbours away (letters a–z)."""
    letters = "abcdefghijklmnopqrstuvwxyz"
    splits = [(word[:i], word[i:]) for i in range(len(word) + 1)]
    return ({a + b[1:] for a, b in splits if b} | {a + c + b[1:] for a, b in splits if b for c in letters}
            | {a + c + b for a, b in splits for c in letters}
            | {a + b[1] + b[0] + b[2:] for a, b in splits if len(b) > 1}) - {word}
