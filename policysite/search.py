"""Stage 7: the full-text search index of each edition, built with lunr.py for lunr.js.

Chinese has no spaces, and lunr's own pipeline cannot split it (its trimmer empties Chinese
tokens in lunr.js). So text is tokenized here — Chinese runs into overlapping two-character
pieces, Latin words and numbers as words — and static/search.js tokenizes queries the same way.
Agencies and titles also carry pinyin tokens: each run of syllables joined, and its initials,
so that huanbaoting, huan bao ting and hbt all find 省环保厅.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass

from .i18n import Edition
from .model import Agency, Document
from .slugs import syllables

TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+|[0-9a-z\u00c0-\u024f]+")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TASK_NUMBER = re.compile(r"^\s*(?:第|task|no\.?|#)?\s*(\d{1,4})\s*(?:项|条)?\s*$", re.I)
MAX_QUERY = 200
"""Characters of a query that are read; the rest is ignored (static/search.js does the same)."""


def tokenize(text: str) -> list[str]:
    """Split text into search tokens: Chinese bigrams (a lone character stays one), Latin words."""
    tokens = []
    for run in TOKEN.findall(unicodedata.normalize("NFKC", text).lower()):
        if CJK.match(run) and len(run) > 1:
            tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
        else:
            tokens.append(run)
    return tokens


def pinyin_tokens(sounds: list[str], initials_up_to: int | None = None) -> list[str]:
    """Pinyin search tokens for a name or title: its syllables, all of them joined, and the
    initials of every run of two or more syllables (runs of at most initials_up_to, if given).

    Queries typed without spaces (huanbaoting) are split into syllables in the browser, so
    joined runs other than the whole name are not needed.
    """
    out = set(sounds)
    if sounds:
        out.add("".join(sounds))
    for start in range(len(sounds)):
        stop = len(sounds) if initials_up_to is None else min(len(sounds), start + initials_up_to)
        out.update("".join(s[0] for s in sounds[start:end]) for end in range(start + 2, stop + 1))
    return sorted(out)


def split_syllables(word: str, known: frozenset[str]) -> list[str] | None:
    """Split a run of letters into known pinyin syllables, fewest pieces first; None if it can't be.

    static/search.js does the same, step for step.
    """
    best: list[list[str] | None] = [[]] + [None] * len(word)
    for end in range(1, len(word) + 1):
        for start in range(max(0, end - 6), end):
            if best[start] is not None and word[start:end] in known:
                candidate = best[start] + [word[start:end]]
                if best[end] is None or len(candidate) < len(best[end]):
                    best[end] = candidate
    return best[len(word)]


@dataclass(frozen=True)
class SearchDoc:
    """One searchable thing: its ref, kind, what is indexed, and what a result shows."""

    ref: str
    kind: str  # task, section, chapter, agency, term, page
    title: str
    body: str
    pinyin: tuple[str, ...]  # pinyin tokens of a Chinese name or title
    syllables: tuple[str, ...]  # the syllables they are made of
    url: str  # from the document's home page, e.g. tasks/67/
    chapter: int | None
    agencies: tuple[str, ...]  # slugs


TITLE_INITIALS = 4
"""Longest run of syllables whose initials are indexed in titles (names get every run)."""


def search_docs(renderer, edition: Edition) -> list[SearchDoc]:
    """Everything a reader can search for in an edition, as the renderer shows it."""
    from .pages import route_of
    from .urls import Route, relative

    def text(markup) -> str:
        return markup.striptags()

    home = renderer.path(Route("home"), edition)

    def url(route) -> str:  # from the document's home page, which the search page resolves results against
        return relative(home, renderer.path(route, edition))

    document, agencies, extras = renderer.document, renderer.agencies, renderer.extras
    chinese_edition = edition.translation is None
    docs = []

    def add(ref, kind, title, body, chinese, url_, chapter=None, slugs=(), initials_up_to=None):
        sounds = syllables(chinese) if chinese else []
        docs.append(SearchDoc(ref, kind, title, body, tuple(pinyin_tokens(sounds, initials_up_to)),
                              tuple(sounds), url_, chapter, tuple(slugs)))

    for chapter in document.chapters:
        add(f"c{chapter.number}", "chapter", renderer.label(chapter, edition) + text(renderer.title_of(chapter, edition)),
            "", chapter.title, url(route_of(chapter)), chapter.number, initials_up_to=TITLE_INITIALS)
    for section in document.sections:
        add(f"s{section.number}", "section", renderer.label(section, edition) + text(renderer.title_of(section, edition)),
            "", section.title, url(route_of(section)), section.chapter, initials_up_to=TITLE_INITIALS)
    for task in document.tasks:
        add(f"t{task.number}", "task", edition.t("task_n", n=task.number), text(renderer.title_of(task, edition)),
            "", url(route_of(task)), task.chapter, [agencies[name].slug for name in task.clause.agencies])
    for agency in agencies.values():
        names = [agency.name, agency.full_name] if chinese_edition else \
            [text(renderer.name_of(agency, edition)), text(renderer.full_name_of(agency, edition)), agency.name]
        add(f"a-{agency.slug}", "agency", " · ".join(dict.fromkeys(names)), "", agency.name, url(route_of(agency)),
            slugs=[agency.slug])
    for term in extras.glossary:
        title = term.zh if chinese_edition else f"{term.en} · {term.zh}"
        add(f"g-{term.anchor}", "term", title, term.note_zh if chinese_edition else term.note_en, term.zh,
            url(renderer.glossary_route) + "#" + term.anchor)
    for page in extras.markdown_pages:
        body = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(page.bodies[edition.lang]))).strip()
        add(f"p-{page.name}", "page", page.titles[edition.lang], body, "", url(Route("page", page.name)))
    return docs


FIELDS = (("title", 10), ("body", 1))
"""Indexed fields and their boosts: a match in a title (or a name, or its pinyin) counts ten times."""


def index_builder(docs: list[SearchDoc]):
    """A lunr.py builder holding the docs: its postings, term frequencies and field lengths.

    The site needs only those (see pack); index_of(builder) makes the queryable Index.
    """
    import lunr.builder
    import lunr.pipeline
    from lunr import stemmer, stop_word_filter

    builder = lunr.builder.Builder()
    if not hasattr(_stem, "label"):
        lunr.pipeline.Pipeline.register_function(_stem, "stemmer-remembering")
    builder.pipeline.add(stop_word_filter.stop_word_filter, _stem)
    builder.search_pipeline.add(stemmer.stemmer)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    for doc in docs:
        builder.add({"ref": doc.ref,  # lists of tokens: lunr takes them as they are
                     "title": tokenize(doc.title) + list(doc.pinyin),
                     "body": tokenize(doc.body)})
    return builder


def index_of(builder):
    """The lunr.py Index of a filled builder (for queries in Python)."""
    return builder.build()


@functools.lru_cache(maxsize=None)
def _stem_word(word: str) -> str:
    from lunr.stemmer import stemmer as porter
    from lunr.token import Token

    return str(porter(Token(word)))


def _stem(token, i=None, tokens=None):
    """lunr's stemmer, remembering each word's stem (a document repeats its words many times).

    Used only while indexing; the search pipeline keeps lunr's own, which lunr.js knows by name.
    """
    return token.update(lambda text, metadata: _stem_word(text))


def pack(builder, refs: list[str]) -> dict:
    """The index in a compact form that static/search.js unpacks into lunr's serialized index.

    lunr's own format spells out every posting and every document vector (3 decimals per
    score); this keeps only what those are computed from: the terms in UTF-16 order (each
    written as the length of the prefix it shares with the one before, 0–9, then the rest;
    tokens hold no characters beyond the BMP, so lengths agree in UTF-16), for each
    term and field the documents holding it (as gaps; a negative number after one gives its
    term frequency when above 1), and each field's length per document. The browser recomputes
    the vectors with lunr's BM25 formula; a test checks the result against lunr.py's own.
    """
    position = {ref: i for i, ref in enumerate(refs)}
    frequencies = {field: [builder.field_term_frequencies[f"{field}/{ref}"] for ref in refs] for field, _ in FIELDS}
    terms = sorted(builder.inverted_index, key=lambda term: term.encode("utf-16-be"))
    postings = []
    for term in terms:
        row = []
        for field, _ in FIELDS:
            gaps, previous = [], 0
            for ref in builder.inverted_index[term][field]:  # in the order the docs were added
                index = position[ref]
                gaps.append(index - previous)
                previous = index
                frequency = frequencies[field][index][term]
                if frequency > 1:
                    gaps.append(-frequency)
            row.append(gaps)
        postings.append(row)
    return {
        "version": "2.3.9", "fields": [f for f, _ in FIELDS], "boosts": [b for _, b in FIELDS],
        "k1": builder._k1, "b": builder._b, "refs": refs, "terms": front_coded(terms), "postings": postings,
        "lengths": [[builder.field_lengths[f"{field}/{ref}"] for field, _ in FIELDS] for ref in refs],
    }


def front_coded(terms: list[str]) -> str:
    """Sorted terms, one a line, each as the length of the prefix shared with the previous (0–9) and the rest."""
    lines, previous = [], ""
    for term in terms:
        shared = 0
        while shared < min(len(term), len(previous), 9) and term[shared] == previous[shared]:
            shared += 1
        lines.append(f"{shared}{term[shared:]}")
        previous = term
    return "\n".join(lines)


def serialized(index) -> dict:
    """lunr.py's own serialization, terms in UTF-16 order as lunr.js requires (for tests)."""
    data = index.serialize()
    data["invertedIndex"].sort(key=lambda entry: entry[0].encode("utf-16-be"))
    return data


def known_syllables(docs: list[SearchDoc]) -> frozenset[str]:
    """Every pinyin syllable in the index: the pieces a query without spaces is split into."""
    return frozenset(s for doc in docs for s in doc.syllables)


def search_payload(docs: list[SearchDoc], builder, labels: dict) -> str:
    """The one file the search page loads: packed index, result display data, filter labels."""
    payload = {
        "index": pack(builder, [d.ref for d in docs]),
        "docs": [[d.kind, d.title, d.url, d.chapter, list(d.agencies), d.body] for d in docs],
        "syllables": sorted(known_syllables(docs)),
        **labels,
    }
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"))


def query(index, text: str, syllables_known: frozenset[str], refs: set[str] | None = None) -> list[str]:
    """Refs of the results for a query, best first: the same steps as static/search.js."""
    from lunr.query import QueryPresence
    from lunr.stop_word_filter import stop_word_filter
    from lunr.token import Token

    text = text[:MAX_QUERY]
    results: dict[str, float] = {}
    number = TASK_NUMBER.match(text)
    if number and (refs is None or f"t{int(number.group(1))}" in refs):
        results[f"t{int(number.group(1))}"] = float("inf")
    terms = [t for t in dict.fromkeys(tokenize(text)) if stop_word_filter(Token(t)) is not None][:20]
    variants = [terms]
    split = [piece for t in terms for piece in (_pinyin_pieces(t, syllables_known) or [t])]
    if split != terms:
        variants.append(split)

    def run(tokens, presence):
        q = index.create_query()
        for token in tokens:
            q.term(token, presence=presence)
        return index.query(q)

    found = {}
    for variant in variants if terms else []:
        for match in run(variant, QueryPresence.REQUIRED):
            found[match["ref"]] = max(found.get(match["ref"], 0.0), match["score"])
    if not found and len(terms) > 1:
        found = {m["ref"]: m["score"] for m in run(terms, QueryPresence.OPTIONAL)}
    for ref, score in sorted(found.items(), key=lambda item: (-item[1], item[0])):
        results.setdefault(ref, score)
    return list(results)


def _pinyin_pieces(token: str, known: frozenset[str]) -> list[str] | None:
    """A token of letters that is two or more pinyin syllables, split; else None."""
    if not token.isascii() or not token.isalpha():
        return None
    pieces = split_syllables(token, known)
    return pieces if pieces and len(pieces) > 1 else None
