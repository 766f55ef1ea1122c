"""Stage 7: the site's full-text search, one index for every document and both editions, built with
lunr.py and cut into pieces that lunr.js loads as a query needs them.

Everything a reader can find is an item: a document, chapter, section, task, agency (in a library:
a department), glossary term or page. Each is indexed by its Chinese and its English together (so a
query in either language finds it in either edition), by pinyin (search_text), and by the glossary's
renderings of the terms its Chinese uses. The browser first loads a small head (how many pieces,
what each item is), then the piece of the index each query term lives in, then the text of the
results it shows; every file is a script, so search works from a folder opened from disk as well.
static/search.js follows query() here step for step; the tests run both on the same judged table.
"""

from __future__ import annotations

import functools
import hashlib
import json
import math
import re
import types
import unicodedata
from collections import Counter, defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, fields, replace

from .search_text import (edits1, normalize, pinyin_pairs, pinyin_query, pinyin_runs, pinyin_tokens,
                          porter_stem, query_tokens, split_syllables, tokenize, traditional_to_simplified)
from .slugs import prefetch, syllables

TASK_NUMBER = re.compile(r"^\s*(?:第|task|no\.?|#)?\s*(\d{1,4})\s*(?:项|条)?\s*$", re.I)
MAX_QUERY = 200
"""Characters of a query that are read; the rest is ignored (static/search.js does the same)."""
MAX_TERMS = 20
TYPO_LENGTH = 5
"""Words at least this long that find nothing are tried one edit away."""

FIELDS = (("title", 10), ("body", 1), ("terms", 1))
"""Indexed fields and their boosts: a match in a title (a name, or its pinyin) counts ten times; terms
holds the glossary's renderings (and variants) of the terms an item's Chinese uses."""
LENGTH_UNCOUNTED = "terms"
"""The field whose length BM25 takes as endless, so that it does not count: an item that uses many
glossary terms is no less about each of them (a task's body is normalized as lunr does)."""
KIND_WEIGHT = {"document": 1.0, "chapter": 1.0, "section": 1.0, "task": 1.0, "agency": 1.0, "term": 0.25,
               "page": 0.2}
"""Scores are multiplied by these, so that a glossary entry or an About page does not push the tasks
that use a word below the fold."""
KINDS = tuple(KIND_WEIGHT)
CHUNK = 16
"""Items per file of result text: a page of results loads a few small files."""
SHARD_BYTES = 12_000
"""The index is cut into about this many bytes (before gzip) per piece."""
TITLE_INITIALS = 4
"""Longest run of syllables whose initials are indexed in titles (names get every run)."""


@dataclass(frozen=True)
class Item:
    """One searchable thing: what it is, where it sits, what is indexed and what a result shows."""

    kind: str
    doc: int  # its document's position in the site; -1 for the library's own
    chapter: int  # 0 when none
    number: int  # a task's number, else 0
    agencies: tuple[int, ...]  # the agencies (departments) it names, as facet positions
    shown: dict  # language → (title, where it sits, URL from the edition's folder, text)
    title: tuple[str, ...]
    body: tuple[str, ...]
    terms: tuple[str, ...]
    words: tuple[str, ...]  # its English words (folded), each once: the vocabulary typos are corrected to
    syllables: frozenset  # the pinyin syllables of its Chinese: what a query typed without spaces splits into
    related: tuple[int, ...] = ()  # a library's own item: the documents it belongs to as well (naming, using it)
    source: str = ""  # with the build cache's memo: a digest of all its tokens are made from (its texts, the glossary)


@dataclass(frozen=True)
class Facets:
    """What results can be narrowed by, per language: documents, each document's chapters, agencies."""

    documents: list  # (id, {lang: title})
    chapters: list  # per document: [(number, {lang: label})]
    agencies: list  # (slug, {lang: name}) per agency (in a library: per department, government/slug)


def _text(markup) -> str:
    return re.sub(r"\s+", " ", markup.striptags()).strip()


def _pending(markup) -> bool:
    return 'class="pending"' in str(markup)


def site_items(site) -> tuple[list[Item], Facets]:
    """Every item of a site (one document, or a library of them), in order: each document's own, then
    the agencies (a library's departments), glossary terms and pages."""
    from .pages import route_of
    from .urls import Route

    library, documents = (site.renderer, site.renderers[1:]) if site.renderer.document is None else \
        (None, site.renderers)
    if library is not None:
        positions = {(d.government.key, d.name): position for position, d in enumerate(site.departments)}
    else:
        positions = {name: position for position, name in enumerate(documents[0][0].agencies)}
    glossary = _glossary_terms(site)
    items, facets = [], Facets([], [], [])
    for doc, (renderer, _) in enumerate(documents):
        items += _document_items(renderer, doc, library is not None, positions, glossary, facets)
        if library is None:
            for agency in renderer.agencies.values():
                lineage = renderer.extras.lineage.get(agency.name)
                titles, bodies = _agency_names([(renderer, agency)], [lineage] if lineage else [])
                items.append(_item("agency", -1, 0, 0, (positions[agency.name],),
                                   _shown(renderer, route_of(agency), titles, {}, bodies), titles, bodies,
                                   agency.name, "", None, {}))
    by_doc = {r.config.doc: r for r, _ in documents}
    doc_index = {r.config.doc: i for i, (r, _) in enumerate(documents)}
    if library is not None:
        for position, department in enumerate(site.departments):
            titles, bodies = _agency_names([(by_doc[h.doc], h.agency) for h in department.holdings],
                                           [department.today] if department.today else [], department.full_name)
            place = {e.lang: department.government.names.get(e.lang, "") for e in library.editions}
            items.append(replace(_item("agency", -1, 0, 0, (position,),
                                       _shown(library, department.route, titles, place, bodies),
                                       titles, bodies, department.name, "", None, {}),
                                 related=tuple(sorted({doc_index[h.doc] for h in department.holdings}))))
    owner = library or documents[0][0]
    chinese = owner.editions[0].lang
    for found in glossary.values():
        term = found.term
        titles = {e.lang: term.zh if e.lang == chinese else f"{term.en} · {term.zh}" for e in owner.editions}
        notes = {e.lang: term.note_zh if e.lang == chinese else term.note_en for e in owner.editions}
        item = _item("term", -1, 0, 0, (), _shown(owner, owner.glossary_route, titles, {}, notes, term.anchor),
                     titles, notes, term.zh, "", None, {})
        items.append(replace(item, terms=found.tokens, related=tuple(doc_index[doc] for doc in found.docs)))
    for page in owner.extras.markdown_pages:
        bodies = {e.lang: re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", str(page.bodies[e.lang]))).strip()
                  for e in owner.editions}
        items.append(_item("page", -1, 0, 0, (), _shown(owner, Route("page", page.name), page.titles, {}, bodies),
                           page.titles, bodies, "", "", None, {}))
    if library is not None:
        facets.agencies.extend((site.slugs.get(d.route), {
            e.lang: _text(by_doc[d.holdings[0].doc].name_of(d.holdings[0].agency, e))
            for e in by_doc[d.holdings[0].doc].editions}) for d in site.departments)
    else:
        facets.agencies.extend((a.slug, {e.lang: _text(documents[0][0].name_of(a, e)) for e in documents[0][0].editions})
                               for a in documents[0][0].agencies.values())
    return items, facets


def pinyin_wanted(document) -> tuple[list[str], list[str]]:
    """The texts whose pinyin the build will read, as far as the parse shows them: the titles and names
    (slugs, search), and the runs of Chinese in every text (search)."""
    titles = [c.title for c in document.chapters] + [s.title for s in document.sections] + \
        [name for task in document.tasks for name in task.clause.agencies]
    texts = [*titles, *(t.text for t in document.tasks), *(p.text for p in document.preamble),
             *(p.text for c in document.chapters for p in c.paragraphs),
             *(p.text for s in document.sections for p in s.paragraphs)]
    return titles, _runs_of(texts)


def _runs_of(texts: list[str]) -> list[str]:
    """The runs of Chinese in the texts, whose pinyin the search reads (pinyin_pairs)."""
    return [run for text in texts for run in pinyin_runs(text)]


def prefetch_pinyin(site) -> None:
    """Have the pinyin of the Chinese the items read (the documents' texts, as pinyin_wanted, and names,
    notes and pages) read beside this process now (slugs.prefetch), before the items ask for it one by one."""
    for renderer, _ in site.renderers:
        for texts in pinyin_wanted(renderer.document) if renderer.document is not None else ():
            prefetch(texts)
    glossary = _glossary_terms(site).values()
    texts = [term.term.zh for term in glossary] + [term.term.note_zh for term in glossary]
    for renderer, _ in site.renderers:
        texts.append(renderer.config.title)
        for agency in renderer.agencies.values():
            texts += [agency.name, agency.full_name, agency.same_as, *agency.also]
        for line in renderer.extras.lineage.values():
            texts += line.successors
        texts += [str(page.bodies.get(renderer.editions[0].lang, "")) for page in renderer.extras.markdown_pages]
    prefetch(texts + _runs_of(texts))


def _shown(renderer, route, titles, places, bodies, fragment="") -> dict:
    """What a result shows per language: title, where it sits, URL under the edition's folder, text."""
    return {e.lang: (titles[e.lang], places.get(e.lang, ""),
                     renderer.path(route, e).removeprefix(f"{e.lang}/") + (f"#{fragment}" if fragment else ""),
                     bodies[e.lang]) for e in renderer.editions}


def _document_items(renderer, doc: int, in_library: bool, positions: dict, glossary: dict, facets: Facets) -> list:
    """A document's items: itself, its chapters, sections and tasks (facets get its title and chapters)."""
    from .pages import route_of
    from .urls import Route

    document, config, editions = renderer.document, renderer.config, renderer.editions
    agency_key = (lambda a: (config.government, a.same_as or a.name)) if in_library else (lambda a: a.name)

    def both(item):
        """Its text per language as the page shows it, and as indexed (nothing where the English is pending)."""
        markups = {e.lang: renderer.title_of(item, e) for e in editions}
        return ({lang: _text(m) for lang, m in markups.items()},
                {lang: "" if _pending(m) else _text(m) for lang, m in markups.items()})

    labels_of: dict[int, tuple] = {}

    def labelled(item):
        """A chapter's or section's numbered title per language, shown and indexed (each made once)."""
        if id(item) not in labels_of:
            shown, indexed = both(item)
            labels = {e.lang: renderer.label(item, e) for e in editions}
            labels_of[id(item)] = (
                {lang: (labels[lang] + text).strip() for lang, text in shown.items()},
                {lang: (labels[lang] + text).strip() if text else "" for lang, text in indexed.items()})
        return labels_of[id(item)]

    short = {e.lang: config.short_titles.get(e.lang) or _text(renderer.title_of(None, e)) for e in editions}
    facets.documents.append((config.doc, short))
    facets.chapters.append([(c.number, labelled(c)[0]) for c in document.chapters])
    chapters = {c.number: c for c in document.chapters}
    sections = {s.number: s for s in document.sections}

    def where(chapter=None, section=None):
        out = {}
        for e in editions:
            parts = [short[e.lang]] if in_library else []
            if chapter is not None and chapter.title:
                parts.append(labelled(chapter)[0][e.lang])
            if section is not None and section.title:
                parts.append(labelled(section)[0][e.lang])
            out[e.lang] = " · ".join(parts)
        return out

    items = []
    title, title_indexed = both(None)
    preamble = [both(p) for p in document.preamble]
    body = {e.lang: " ".join(p[0][e.lang] for p in preamble) for e in editions}
    body_indexed = {e.lang: " ".join(p[1][e.lang] for p in preamble) for e in editions}
    place = {e.lang: _government_line(renderer, e) for e in editions}
    items.append(_item("document", doc, 0, 0, (), _shown(renderer, Route("home"), title, place, body),
                       title_indexed, body_indexed, title[editions[0].lang], body[editions[0].lang],
                       TITLE_INITIALS, glossary))
    empty = {e.lang: "" for e in editions}
    for chapter in document.chapters:
        shown, indexed = labelled(chapter)
        items.append(_item("chapter", doc, chapter.number, 0, (),
                           _shown(renderer, route_of(chapter), shown, where() if in_library else {}, empty),
                           indexed, empty, chapter.title, "", TITLE_INITIALS, glossary))
    for section in document.sections:
        shown, indexed = labelled(section)
        items.append(_item("section", doc, section.chapter, 0, (),
                           _shown(renderer, route_of(section), shown, where(chapters.get(section.chapter)), empty),
                           indexed, empty, section.title, "", TITLE_INITIALS, glossary))
    for task in document.tasks:
        shown, indexed = both(task)
        names = {e.lang: e.t("task_n", n=task.number) for e in editions}
        agencies = tuple(sorted({positions[agency_key(renderer.agencies[n])] for n in task.clause.agencies}))
        place = where(chapters.get(task.chapter), sections.get(task.section))
        items.append(_item("task", doc, task.chapter, task.number, agencies,
                           _shown(renderer, route_of(task), names, place, shown),
                           names, indexed, "", task.text, TITLE_INITIALS, glossary))
    return items


def _item(kind, doc, chapter, number, agencies, shown, titles, bodies, chinese_title, chinese_body, initials,
          glossary) -> Item:
    """An item: what it shows, and its index tokens from its titles and bodies in every language (as
    indexed: no pending English), the pinyin of its Chinese, and the glossary's renderings of the terms
    its Chinese uses (the tokens remembered by the build cache's memo, where there is one)."""
    langs = list(shown)
    memo = _MEMO.get("memo")
    source = ""
    if memo is not None:
        made_from = [langs, titles, bodies, chinese_title, chinese_body, initials, _MEMO["glossary"]]
        source = hashlib.blake2b(json.dumps(made_from, ensure_ascii=False).encode(), digest_size=16).hexdigest()
        found = memo.get("item " + source)
        if isinstance(found, list) and len(found) == 5 and all(_strings(part) for part in found):
            title, body, terms, sounds, words = found
            return Item(kind, doc, chapter, number, tuple(agencies), shown, tuple(title), tuple(body), tuple(terms),
                        tuple(words), frozenset(sounds), source=source)
    title_text = " ".join(dict.fromkeys(titles[lang] for lang in langs))
    body_text = " ".join(dict.fromkeys(bodies[lang] for lang in langs))
    sounds = syllables(chinese_title) if chinese_title else []
    pairs, body_sounds = pinyin_pairs(chinese_body or bodies[langs[0]])
    chinese_text = normalize(chinese_title + chinese_body + titles[langs[0]] + bodies[langs[0]])
    terms = [token for term in glossary.values() if term.folded in chinese_text for token in term.tokens]
    english = " ".join(titles[lang] + " " + bodies[lang] for lang in langs[1:])
    words = tuple(sorted({w for w in tokenize(english) if w.isalpha() and w.isascii()}))
    item = Item(kind, doc, chapter, number, tuple(agencies), shown,
                tuple(tokenize(title_text) + pinyin_tokens(sounds, initials)), tuple(tokenize(body_text) + pairs),
                tuple(terms), words, frozenset(sounds) | body_sounds, source=source)
    if source:
        memo.put("item " + source, [item.title, item.body, item.terms, sorted(item.syllables), item.words])
    return item


def _strings(values) -> bool:
    """values is a list of strings (a memo's value read back: what it holds is checked, not trusted)."""
    return isinstance(values, (list, tuple)) and all(type(value) is str for value in values)


_MEMO: dict = {}
"""While tokens_remembered() runs with a memo: the memo, and a digest of the glossary the items are tokenized with."""


@dataclass(frozen=True)
class _Term:
    """A glossary term as search uses it: its Chinese folded, the tokens of its English renderings
    (rendering and variants, tokenized once), and the documents that use it."""

    term: object  # the glossary's Term (or a library's LibraryTerm)
    folded: str
    tokens: tuple[str, ...]
    docs: tuple[str, ...]


def _glossary_terms(site) -> dict[str, _Term]:
    """The glossary items are also indexed by (the library's, or the document's), by anchor."""
    out = {}
    for renderer in (r for r, _ in site.renderers if r.document is not None):
        for term in renderer.extras.glossary:
            known = out.get(term.anchor)
            renderings = " ".join([term.en, *term.allowed, *term.variants])
            out[term.anchor] = _Term(term, normalize(term.zh), tuple(tokenize(renderings)),
                                     (known.docs if known else ()) + (renderer.config.doc,))
    return out


def _government_line(renderer, edition) -> str:
    """Where a document sits: its issuing government and year, as far as known."""
    library, config = renderer.library, renderer.config
    government = library.governments.get(config.government) if library is not None else None
    parts = [government.names.get(edition.lang, "") if government else "", str(config.year or "")]
    return " · ".join(p for p in parts if p)


def _agency_names(holders, lineages, full_name=None):
    """An agency's (or department's) title and text per language: every name it goes by in each document
    that names it (holders: (renderer, agency) pairs), in both languages, and who holds its job today."""
    titles, bodies = {}, {}
    for edition in holders[0][0].editions:
        names, more = [], []
        for renderer, agency in holders:
            e = next(x for x in renderer.editions if x.lang == edition.lang)
            names.append(_text(renderer.name_of(agency, e)) if e.translation is not None else agency.name)
            more += [_text(renderer.full_name_of(agency, e)), agency.name, agency.full_name, agency.same_as,
                     *agency.also]
            if e.translation is not None:
                more += e.translation.also(f"agency.{agency.name}")
        for line in lineages:
            more += list(line.successors) + list(line.successors_en)
        if full_name:
            more.append(full_name)
        titles[edition.lang] = " · ".join(dict.fromkeys(n for n in names if n))
        bodies[edition.lang] = " · ".join(dict.fromkeys(n for n in more if n and n not in names))
    return titles, bodies


# ---------- the index ----------


def index_builder(items: list[Item], lunrs_own_add: bool = False):
    """A lunr.py builder holding the items (refs are their positions), for queries in Python. Each item
    goes in as analysed() has it, which is what lunr's own Builder.add gives (lunrs_own_add: through
    that, as a test compares)."""
    import lunr.builder
    import lunr.stemmer

    builder = lunr.builder.Builder()
    builder.pipeline.add(*_pipeline()._stack)
    builder.search_pipeline.add(lunr.stemmer.stemmer)
    builder.ref("ref")
    for name, boost in FIELDS:
        builder.field(name, boost=boost)
    builder._calculate_average_field_lengths = types.MethodType(_average_field_lengths, builder)
    if lunrs_own_add:
        for position, item in enumerate(items):
            builder.add({"ref": str(position), **_fields_of(item)})
        return builder
    for position, fields in enumerate(analysed(items)):
        ref = str(position)
        builder._documents[ref] = {}
        builder.document_count += 1
        for (name, _), (length, counts) in zip(FIELDS, fields):
            field_ref = f"{name}/{ref}"  # a FieldRef's string form
            builder.field_term_frequencies[field_ref] = defaultdict(int, counts)
            builder.field_lengths[field_ref] = length
            for term, _ in counts:
                posting = builder.inverted_index.get(term)
                if posting is None:
                    posting = builder.inverted_index[term] = {field: {} for field in builder._fields}
                    posting["_index"] = builder.term_index
                    builder.term_index += 1
                posting[name].setdefault(ref, defaultdict(list))
    return builder


def _average_field_lengths(builder) -> None:
    """The average length of each field, as lunr's builder works it out for BM25, but for LENGTH_UNCOUNTED:
    there it is taken as endless."""
    import lunr.builder

    lunr.builder.Builder._calculate_average_field_lengths(builder)
    builder.average_field_length[LENGTH_UNCOUNTED] = math.inf


def _fields_of(item: Item) -> dict[str, list[str]]:
    return {"title": list(item.title), "body": list(item.body), "terms": list(item.terms)}


@functools.cache
def _pipeline():
    """lunr's indexing pipeline: its stop-word filter, and its stemmer remembering each word's stem."""
    import lunr.pipeline
    from lunr import stop_word_filter

    if not hasattr(_stem, "label"):
        lunr.pipeline.Pipeline.register_function(_stem, "stemmer-remembering")
    pipeline = lunr.pipeline.Pipeline()
    pipeline.add(stop_word_filter.stop_word_filter, _stem)
    return pipeline


_TERMS: dict[str, str | None] = {}  # a word → what the indexing pipeline makes of it (None: a stop word)


def _terms(words: list[str]) -> list[str]:
    """What lunr's Tokenizer and indexing pipeline (_pipeline: its English stop-word filter, then its
    Porter stemmer) make of a field's words (a list, so one token each), each distinct word worked out
    once: a stop word is dropped, any other stemmed; a word that does not end in a letter a–z (Chinese,
    a number) is its own term, for every stop word and every suffix the stemmer changes ends in one."""
    from lunr.stop_word_filter import WORDS
    from lunr.utils import as_string

    out = []
    for word in words:
        word = as_string(word).lower()
        term = _TERMS.get(word, "")
        if term == "":
            if not word or word in WORDS:
                term = None
            elif not "a" <= word[-1] <= "z":
                term = word
            else:
                term = porter_stem(word)
            _TERMS[word] = term
        if term is not None:
            out.append(term)
    return out


def analysed(items: list[Item]) -> list[list]:
    """Each item's fields, in FIELDS order, as lunr.py 0.8's Builder.add analyses them: [length, [[term,
    count], …] in the order first seen], each word analysed once (_terms); with the build cache's memo,
    remembered there, keyed by what the item's words are made from."""
    memo, out = _MEMO.get("memo"), []
    for item in items:
        fields = _fields_of(item)
        key = found = None
        if memo is not None:  # keyed by what the item's tokens are made from, where known, else by the tokens
            key = "terms " + (_tokens_key(item) if item.source else hashlib.blake2b(
                json.dumps(fields, ensure_ascii=False).encode(), digest_size=16).hexdigest())
            found = memo.get(key)
        if not _is_analysed(found, fields.keys()):
            found = {}
            for name, words in fields.items():
                terms = _terms(words)
                found[name] = [len(terms), list(Counter(terms).items())]
            if memo is not None:
                memo.put(key, found)
        out.append([found[name] for name, _ in FIELDS])
    return out


def _tokens_key(item: Item) -> str:
    """What an item's tokens are made from (its source), and its glossary terms' tokens, which a glossary
    item is given apart."""
    return item.source + hashlib.blake2b("\0".join(item.terms).encode(), digest_size=8).hexdigest()


def _is_analysed(found, names) -> bool:
    """found holds what analysed() makes of fields of those names (a memo's value read back is checked:
    by the types of its values taken together, not one by one, as it is read on every rebuild)."""
    return isinstance(found, dict) and found.keys() == names and all(
        type(field) is list and len(field) == 2 and type(field[0]) is int and type(field[1]) is list
        and _are_counts(field[1]) for field in found.values())


def _are_counts(pairs: list) -> bool:
    """pairs is a list of [term, count] (or tuples of them)."""
    if not pairs:
        return True
    if not set(map(type, pairs)) <= {list, tuple} or set(map(len, pairs)) != {2}:
        return False
    terms, counts = zip(*pairs)
    return set(map(type, terms)) == {str} and set(map(type, counts)) == {int}


def index_of(builder):
    """The queryable lunr.py Index, its scores rounded to 3 decimals as the browser's are."""
    index = builder.build()
    for vector in index.field_vectors.values():
        vector.elements = [round(x, 3) if i % 2 else x for i, x in enumerate(vector.elements)]
        vector._magnitude = None
    return index


def field_scores(fields_of_items: list[list]) -> dict[str, dict[str, float]]:
    """Each item's field's score for each term it holds ("field/ref" → term → score), from the items'
    analysed() fields: the BM25 of lunr.py's Builder._create_field_vectors (0.8), computed and rounded as
    it does, with its own idf (lunr.idf: over the fields holding the term), but kept by term instead of
    in lunr Vectors, which only queries in Python need (test_search holds the two equal)."""
    import lunr.builder

    defaults, count = lunr.builder.Builder(), len(fields_of_items)
    k1, b = defaults._k1, defaults._b
    average = [sum(fields[column][0] for fields in fields_of_items) / count for column in range(len(FIELDS))]
    average[[name for name, _ in FIELDS].index(LENGTH_UNCOUNTED)] = math.inf
    held = Counter(term for fields in fields_of_items for _, counts in fields for term, _ in counts)
    idfs = {term: math.log(1 + abs((count - n + 0.5) / (n + 0.5))) for term, n in held.items()}
    out = {}
    for ref, fields in enumerate(fields_of_items):
        for (name, boost), (length, counts), mean in zip(FIELDS, fields, average):
            norm = k1 * (1 - b + b * (length / mean))
            out[f"{name}/{ref}"] = {term: round(idfs[term] * ((k1 + 1) * tf) / (norm + tf) * boost, 3)
                                    for term, tf in counts}
    return out


def _stem(token, i=None, tokens=None):
    """lunr's stemmer, remembering each word's stem (used while indexing; lunr.js knows 'stemmer')."""
    return token.update(lambda text, metadata: porter_stem(text))


def fnv1a(text: str) -> int:
    """32-bit FNV-1a of a string's characters (all in the BMP: UTF-16 code units, as search.js hashes)."""
    value = 0x811C9DC5
    for char in text:
        value = ((value ^ ord(char)) * 0x01000193) & 0xFFFFFFFF
    return value


def _postings(scores: dict) -> dict[str, list[list[int]]]:
    """Per term, per field: the items holding it and their scores, as [gap, score × 1000, …]."""
    columns = {name: column for column, (name, _) in enumerate(FIELDS)}
    rows: list[defaultdict] = [defaultdict(list) for _ in FIELDS]  # per field: term → its row
    previous: list[dict[str, int]] = [{} for _ in FIELDS]  # per field: term → the last item holding it
    for field_ref, terms in scores.items():  # in the items' order
        field, _, ref = field_ref.partition("/")
        ref, column = int(ref), columns[field]
        held, last = rows[column], previous[column]
        for term, score in terms.items():
            held[term] += [ref - last.get(term, 0), round(score * 1000)]
            last[term] = ref
    empty: list[int] = []
    return {term: [held.get(term, empty) for held in rows] for term in {t: 0 for held in rows for t in held}}


def _runs(values: list[int]) -> list[list[int]]:
    """Values as runs [value, count]."""
    runs = []
    for value in values:
        if runs and runs[-1][0] == value:
            runs[-1][1] += 1
        else:
            runs.append([value, 1])
    return runs


def _steps(values: list[int]) -> list[list[int]]:
    """Values as runs [first, count, step], each value the one before plus step (0 or 1): task numbers."""
    runs = []
    for value in values:
        last = runs[-1] if runs else None
        if last and last[1] == 1 and value - last[0] in (0, 1):
            last[1], last[2] = 2, value - last[0]
        elif last and last[1] > 1 and value == last[0] + last[1] * last[2]:
            last[1] += 1
        else:
            runs.append([value, 1, 0])
    return runs


def _script(name: str, data) -> str:
    """A search file: a script that hands its data to search.js (scripts load from file:// too)."""
    return f"policySearch.receive({json.dumps(name)},{json.dumps(data, ensure_ascii=False, separators=(',', ':'))});\n"


@contextmanager
def tokens_remembered(site, memo=None):
    """While the block runs, with a memo (cache.Memo): the tokens of items (site_items) and their fields'
    terms (analysed) whose text did not change are taken from it, and all are recorded there."""
    if memo is not None:
        _MEMO.update(memo=memo, glossary=hashlib.blake2b(json.dumps(
            [[t.folded, t.tokens] for t in _glossary_terms(site).values()], ensure_ascii=False).encode()).hexdigest())
    try:
        yield
    finally:
        _MEMO.clear()


def items_digest(items: list[Item], facets: Facets, languages: list[str]) -> str:
    """A digest of everything search_files makes the search files from: of each item, what it shows and
    where it sits, and its tokens, or where it has one (with the memo) the digest of what they are made from."""
    if all(item.source for item in items):
        rows = [[_tokens_key(item), item.kind, item.doc, item.chapter, item.number, item.agencies, item.shown,
                 item.related] for item in items]
    else:
        rows = [[getattr(item, f.name) for f in fields(Item) if f.name not in ("syllables", "source")] +
                [sorted(item.syllables)] for item in items]
    return hashlib.blake2b(json.dumps([languages, rows, facets.documents, facets.chapters, facets.agencies],
                                      ensure_ascii=False).encode(), digest_size=16).hexdigest()


def search_files(items: list[Item], facets: Facets, languages: list[str]) -> tuple[dict[str, str], str, int]:
    """The search files of a site's items (site_items), the name of their head (search/head.HASH.js, its
    pieces under search/HASH/) and how many pieces the index is cut into (a search page asks for a
    query's pieces before the head comes)."""
    postings = _postings(field_scores(analysed(items)))
    rows = len(json.dumps(list(postings.values()))) - 2 * len(postings)  # each row's JSON, less "[" and ", "s
    shards = max(1, math.ceil((rows + sum(map(len, postings))) / SHARD_BYTES))
    pieces: list[dict] = [{"t": [], "p": []} for _ in range(shards)]
    for term in sorted(postings):
        piece = pieces[fnv1a(term) % shards]
        piece["t"].append(term)
        piece["p"].append(postings[term])
    known = sorted({s for item in items for s in item.syllables})
    chinese = {c for item in items for c in item.shown[languages[0]][0] + item.shown[languages[0]][3]}
    t2s = "".join(t + s for t, s in traditional_to_simplified().items() if s in chinese)
    body = {"fields": [f for f, _ in FIELDS], "shards": shards, "chunk": CHUNK, "kinds": list(KINDS),
            "weights": [KIND_WEIGHT[k] for k in KINDS], "syllables": known, "t2s": t2s,
            "kind": _runs([KINDS.index(i.kind) for i in items]), "doc": _runs([i.doc for i in items]),
            "chapter": _runs([i.chapter for i in items]), "number": _steps([i.number for i in items]),
            "count": len(items), "docs": [doc for doc, _ in facets.documents],
            "related": [[ref, *item.related] for ref, item in enumerate(items) if item.related]}
    content = {f"s{k}": _script(f"s{k}", piece) for k, piece in enumerate(pieces)}
    for lang in languages:
        for k in range(0, len(items), CHUNK):
            content[f"{lang}/{k // CHUNK}"] = _script(f"{lang}/{k // CHUNK}", [list(item.shown[lang])
                                                                              for item in items[k:k + CHUNK]])
        content[f"facets.{lang}"] = _script(f"facets.{lang}", {
            "documents": [[doc, titles[lang]] for doc, titles in facets.documents],
            "chapters": [[[n, labels[lang]] for n, labels in chapters] for chapters in facets.chapters],
            "agencies": [[slug, names[lang]] for slug, names in facets.agencies],
            "items": _agency_items(items, len(facets.agencies))})
    content["words"] = _script("words", vocabulary(items))
    digest = hashlib.sha256("".join([json.dumps(body, ensure_ascii=False)] + [content[k] for k in sorted(content)])
                            .encode("utf-8")).hexdigest()[:10]
    files = {f"search/{digest}/{name}.js": text for name, text in content.items()}
    head = _script("head", {**body, "dir": f"{digest}/"})
    files[f"search/head.{digest}.js"] = head
    return files, f"search/head.{digest}.js", shards


def _agency_items(items: list[Item], count: int) -> list[list[int]]:
    """Per agency: the items naming it, as gaps."""
    held: list[list[int]] = [[] for _ in range(count)]
    for position, item in enumerate(items):
        for agency in item.agencies:
            held[agency].append(position)
    return [[b - a for a, b in zip([0] + positions, positions)] for positions in held]


def vocabulary(items: list[Item]) -> dict[str, int]:
    """The English words of the items (folded), with how many items use each: what typos are corrected to."""
    counts: Counter = Counter()
    for item in items:
        counts.update(item.words)
    return dict(sorted(counts.items()))


# ---------- queries ----------


@dataclass(frozen=True)
class Found:
    """A query's results, best first (item positions), and what the reader is told of how they were found."""

    refs: list[int]
    partial: bool = False  # no result holds every word: these hold some of them
    corrected: tuple[tuple[str, str], ...] = ()  # (word typed, word searched for) for each typo corrected


class Searcher:
    """Queries over a site's items in Python, the same steps static/search.js takes."""

    def __init__(self, items: list[Item], index):
        self.index, self.items = index, items
        self.known = frozenset(s for item in items for s in item.syllables)
        self.words = vocabulary(items)

    def has(self, word: str) -> bool:
        return porter_stem(word) in self.index.inverted_index

    def correct(self, word: str) -> str | None:
        """A word of the vocabulary one edit away from a word that finds nothing, or None: a letter left
        out before two letters swapped, before one letter wrong, before one too many; then the most used
        word, then the first in order."""
        candidates = [w for w in edits1(word) if w in self.words and self.has(w)]
        return min(candidates, key=lambda w: (edit_rank(word, w), -self.words[w], w)) if candidates else None

    def query(self, text: str) -> Found:
        from lunr.query import QueryPresence
        from lunr.stop_word_filter import stop_word_filter
        from lunr.token import Token

        text = text[:MAX_QUERY]
        first = []
        number = TASK_NUMBER.match(unicodedata.normalize("NFKC", text))
        if number:  # the tasks of that number first, then what holds the number (第 and 项 are not searched)
            first = [i for i, item in enumerate(self.items) if item.kind == "task" and item.number == int(number.group(1))]
            text = number.group(1)
        tokens = [(t, must) for t, must in query_tokens(text) if stop_word_filter(Token(t)) is not None][:MAX_TERMS]
        words = [t for t, _ in tokens]
        corrected = []
        for i, word in enumerate(words):
            if len(word) >= TYPO_LENGTH and word.isascii() and word.isalpha() and not self.has(word) \
                    and split_syllables(word, self.known) is None:
                better = self.correct(word)
                if better:
                    words[i] = better
                    corrected.append((word, better))
        variants = [list(zip(words, [must for _, must in tokens]))] if words else []
        pinyin = pinyin_query(words, self.known) if words else None
        if pinyin:
            variants.append([(t, True) for t in pinyin])

        def run(terms):
            q = self.index.create_query()
            for term, must in terms:
                q.term(term, presence=QueryPresence.REQUIRED if must else QueryPresence.OPTIONAL)
            return self.index.query(q)

        found: dict[int, float] = {}
        for variant in variants:
            for match in run(variant):
                ref = int(match["ref"])
                found[ref] = max(found.get(ref, 0.0), match["score"])
        partial = False
        if not found and len(words) > 1:  # looser: the items holding at least half the words
            least = math.ceil(len({porter_stem(w) for w in words}) / 2)
            found = {int(m["ref"]): m["score"] for m in run([(w, False) for w in words])
                     if len(m["match_data"].metadata) >= least}
            partial = bool(found)
        weighted = sorted(((score * KIND_WEIGHT[self.items[ref].kind], ref) for ref, score in found.items()),
                          key=lambda pair: (-pair[0], pair[1]))
        refs = first + [ref for _, ref in weighted if ref not in set(first)]
        return Found(refs, partial, tuple(corrected))


def edit_rank(typed: str, word: str) -> int:
    """How likely a typist made word into typed: 0 a letter left out, 1 two swapped, 2 one wrong, 3 one extra."""
    if len(word) > len(typed):
        return 0
    if len(word) < len(typed):
        return 3
    return 1 if sorted(word) == sorted(typed) else 2


