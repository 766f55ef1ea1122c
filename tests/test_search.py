"""Search: how text is read (folding, tokens, pinyin), the judged query table in Python, and the
browser's code (static/search.js, run in Node on the built search files) giving the same results."""

import json
import subprocess

import pytest

from policysite.pipeline import BuildResult, gather
from policysite.search import (MAX_QUERY, Searcher, analysed, field_scores, index_builder, index_of, site_items,
                               vocabulary)
from policysite.search_text import (fold_spelling, normalize, pinyin_pairs, pinyin_query, pinyin_tokens,
                                    query_tokens, split_syllables, tokenize)

from .conftest import CONTENT, LIBRARY, ROOT
from .judged_queries import JUDGED
from .search_queries import HOSTILE

NODE_SEARCH = r"""
// The judged table (or any list of [edition, query]) through static/search.js, on a built site's files.
const fs = require("fs"), path = require("path"), vm = require("vm");
const core = require(process.argv[2]), lunr = require(process.argv[3]), site = process.argv[4];
function data(file) {
  let out;
  vm.runInNewContext(fs.readFileSync(file, "utf8"), { policySearch: { receive: (name, d) => { out = d; } } });
  return out;
}
const folder = path.join(site, "search");
const head = data(path.join(folder, fs.readdirSync(folder).find(f => f.startsWith("head."))));
const load = name => Promise.resolve(data(path.join(folder, head.dir, name + ".js")));
const engine = new core.Engine(lunr, head, load, Number(process.argv[5]) || undefined);
let input = "";
process.stdin.on("data", c => input += c).on("end", async () => {
  const out = [];
  for (const [lang, q] of JSON.parse(input)) {
    const found = await core.search(engine, q);
    const urls = [];
    for (const ref of found.refs.slice(0, 5)) {
      urls.push((await load(lang + "/" + Math.floor(ref / head.chunk)))[ref % head.chunk][2]);
    }
    out.push({ refs: found.refs.slice(0, 30), urls, partial: found.partial, corrected: found.corrected });
  }
  process.stdout.write(JSON.stringify(out));
});
"""


def node_search(site, queries, tmp_path, ranks=0):
    """What static/search.js finds in Node for each (edition, query), on the site's search files (lunr
    ranking at most `ranks` matches of a query itself, if given)."""
    script = tmp_path / "search.js"
    script.write_text(NODE_SEARCH)
    result = subprocess.run(["node", str(script), str(ROOT / "static" / "search.js"),
                             str(ROOT / "node_modules" / "lunr" / "lunr.js"), str(site), str(ranks)],
                            input=json.dumps(queries), capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def searcher():
    """The shipped library's items and index, queried in Python."""
    items, _ = site_items(gather(LIBRARY, BuildResult()))
    return Searcher(items, index_of(index_builder(items)))


def top(searcher, lang, text, n=5):
    return [searcher.items[ref].shown[lang][2] for ref in searcher.query(text).refs[:n]]


@pytest.mark.parametrize("text, tokens", [
    ("省环保厅", ["省环", "环保", "保厅"]),
    ("节", ["节"]),
    ("Pricing reform, 2015!", ["pricing", "reform", "2015"]),
    ("“7＋2”产业", ["7", "2", "产业"]),
    ("ＬＥＤ灯", ["led", "灯"]),
    ("😀 <b>", ["b"]),
    ("節能減排", ["节能", "能减", "减排"]),
    ("desulphurisation organised", ["desulfurization", "organized"]),
])
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


@pytest.mark.parametrize("british, american", [
    ("desulphurisation", "desulfurization"), ("sulphur", "sulfur"), ("organisation", "organization"),
    ("utilise", "utilize"), ("analyse", "analyze"), ("colour", "color"), ("labour", "labor"),
    ("centre", "center"), ("centres", "centers"), ("kilometres", "kilometers"), ("programme", "program"),
    ("catalogue", "catalog"), ("labelled", "labeled"), ("modelling", "modeling"), ("licence", "license"),
    ("aluminium", "aluminum"), ("judgement", "judgment"), ("ageing", "aging"), ("fulfil", "fulfill"),
])
def test_british_and_american_spellings_fold_to_one(british, american):
    assert fold_spelling(british) == fold_spelling(american)


def test_words_with_one_spelling_are_left_alone():
    for word in ("four", "hour", "source", "resource", "wise", "ore", "filled", "called", "more", "our"):
        assert fold_spelling(word) == word


def test_traditional_characters_fold_to_simplified():
    assert normalize("節能減排、脫硫、發展改革委") == "节能减排、脱硫、发展改革委"
    assert len(normalize("國務院辦公廳")) == len("國務院辦公廳")  # character for character


def test_query_tokens_require_the_pieces_that_cover_a_chinese_run():
    assert query_tokens("淘汰落后产能") == [("淘汰", True), ("汰落", False), ("落后", True), ("后产", False),
                                       ("产能", True)]
    assert query_tokens("cement 脱硫") == [("cement", True), ("脱硫", True)]


def test_pinyin_of_text_and_names():
    assert pinyin_pairs("脱硫设施")[0] == ["tuoliu", "liushe", "sheshi"]
    tokens = pinyin_tokens(["sheng", "huan", "bao", "ting"])
    assert {"sheng", "huanbao", "baoting", "shenghuanbaoting", "hbt", "shbt"} <= set(tokens)
    known = frozenset("huang biao che huan bao ting ren cai gong yu tuo liu".split())
    assert pinyin_query(["huang", "biao", "che"], known) == ["huangbiao", "biaoche"]
    assert pinyin_query(["huanbaoting"], known) == ["huanbao", "baoting"]
    assert pinyin_query(["tuoliu"], known) is None  # already as the index writes it
    assert split_syllables("pricing", known) is None


@pytest.mark.parametrize("lang, text, musts, why", JUDGED, ids=[f"{j[0]}:{j[1]}" for j in JUDGED])
def test_judged_query_in_python(searcher, lang, text, musts, why):
    found = top(searcher, lang, text)
    assert [m for m in musts if m not in found] == [], (why, found)


def test_judged_table_is_big_and_varied():
    assert len(JUDGED) >= 80
    assert {lang for lang, *_ in JUDGED} == {"zh", "en"}
    assert all(1 <= len(musts) <= 5 for _, _, musts, _ in JUDGED)


MORE = ["第６７项", "ＬＥＤ", "No. 12", "#5", "67%", "huan bao", "cement buses", "remanufacturng kilns"]
"""More queries the browser must answer as Python does: full-width digits, numbers, partial and corrected."""


def test_browser_code_finds_what_python_finds(library, searcher, tmp_path):
    """static/search.js, loading the built files piece by piece, ranks every judged and hostile query as
    Python does, and so passes the judged table too."""
    queries = [[lang, text] for lang, text, *_ in JUDGED] + [["zh", text] for text in HOSTILE + MORE]
    results = node_search(library, queries, tmp_path)
    for (lang, text), result in zip(queries, results):
        found = searcher.query(text)
        assert result["refs"] == found.refs[:30], text
        assert result["partial"] == found.partial and [tuple(c) for c in result["corrected"]] == list(found.corrected)
    for (lang, text, musts, _), result in zip(JUDGED, results):
        assert [m for m in musts if m not in result["urls"]] == [], text


def test_past_the_matches_lunr_ranks_itself_the_order_is_the_same(library, searcher, tmp_path):
    """With lunr ranking only the first 5 matches and search.js ranking the rest by lunr's formula, every
    judged query still gives Python's order (Python's lunr.py ranks everything)."""
    queries = [[lang, text] for lang, text, *_ in JUDGED] + [["zh", "节能"], ["en", "energy"], ["zh", "省"]]
    for (lang, text), result in zip(queries, node_search(library, queries, tmp_path, ranks=5)):
        assert result["refs"] == searcher.query(text).refs[:30], text


def test_a_query_no_result_fully_matches_says_so(searcher):
    found = searcher.query("cement buses")
    assert found.partial and found.refs
    assert not searcher.query("cement kilns").partial


def test_a_typo_is_corrected_and_reported(searcher):
    found = searcher.query("biomas stoves")
    assert found.corrected == (("biomas", "biomass"),)
    assert searcher.query("biomass stoves").refs == found.refs
    assert searcher.query("stove").corrected == ()  # short words and words found are left alone


def test_simplified_and_traditional_queries_find_the_same(searcher):
    for simplified, traditional in [("节能减排", "節能減排"), ("黄标车", "黃標車"), ("淘汰落后产能", "淘汰落後產能")]:
        assert searcher.query(simplified).refs == searcher.query(traditional).refs


def test_agencies_are_found_by_every_name(searcher):
    """Short name, full name, English names, an abbreviation (also = [...]) and today's name."""
    for text in ("省环保厅", "山西省环境保护厅", "Provincial Environmental Protection Department", "EPD",
                 "Shanxi Provincial Department of Environmental Protection", "huanbaoting", "hbt"):
        assert "departments/shanxi/sheng-huan-bao-ting/" in top(searcher, "en", text), text


def test_the_english_vocabulary_is_what_typos_are_corrected_to(searcher):
    words = vocabulary(searcher.items)
    assert words["desulfurization"] >= 2 and "desulphurisation" not in words
    assert all(w.isascii() and w.isalpha() for w in words)


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_do_not_break_python_search(searcher, text):
    assert isinstance(searcher.query(text).refs, list)


def test_query_length_is_capped(searcher):
    assert searcher.query("a" * MAX_QUERY + "节能减排").refs == searcher.query("a" * MAX_QUERY).refs


def test_a_document_alone_is_searched_the_same_way():
    items, facets = site_items(gather(CONTENT, BuildResult()))
    search = Searcher(items, index_of(index_builder(items)))
    assert "tasks/67/" in [items[r].shown["en"][2] for r in search.query("desulfurization").refs[:10]]
    assert items[search.query("hbt").refs[0]].shown["zh"][2] == "agencies/sheng-huan-bao-ting/"
    assert len(facets.documents) == 1 and len(facets.agencies) == 35


def test_a_document_in_traditional_characters_is_found_by_simplified_queries(tmp_path):
    """A document published in traditional characters (here made so with OpenCC, as a test input) is
    found by a query in simplified characters and by one in traditional ones; results show it as published."""
    import opencc

    from .test_library import small_library

    traditional = opencc.OpenCC("s2t").convert("一、总体要求\n1.推进燃煤电厂脱硫脱硝改造，淘汰落后产能。（市环保局负责）\n")
    assert "脫硫" in traditional and "淘汰落後產能" in traditional
    content = small_library(tmp_path / "content", {"a": traditional, "b": "一、总体要求\n1.建立制度。（市财政局负责）\n"})
    items, _ = site_items(gather(content, BuildResult()))
    search = Searcher(items, index_of(index_builder(items)))
    for text in ("脱硫", "脫硫", "淘汰落后产能", "tuoliu"):
        first = items[search.query(text).refs[0]]
        assert first.kind == "task" and first.shown["zh"][2] == "documents/a/tasks/1/", text
        assert "脫硫" in first.shown["zh"][3]


def test_the_shipped_scores_are_lunrs():
    """The scores the search files carry (field_scores) are those lunr.py's own index computes, term for
    term, in every field of every item of the library (each item put in by lunr's own Builder.add)."""
    items, _ = site_items(gather(LIBRARY, BuildResult()))
    ours = field_scores(analysed(items))
    index = index_of(index_builder(items, lunrs_own_add=True))
    builder = index_builder(items, lunrs_own_add=True)
    position = {term: posting["_index"] for term, posting in builder.inverted_index.items()}
    for field_ref, vector in index.field_vectors.items():
        by_position = dict(zip(vector.elements[::2], vector.elements[1::2]))
        assert {term: by_position[position[term]] for term in ours[field_ref]} == ours[field_ref], field_ref
    assert ours.keys() == index.field_vectors.keys()


def test_the_index_holds_what_lunrs_own_add_would_put_in_it():
    """Items go into the index word by word remembered (search.analysed), not through lunr.py's Builder.add:
    the terms, their counts, the field lengths and the postings are the same as lunr's own."""
    items, _ = site_items(gather(LIBRARY, BuildResult()))
    ours, lunrs = index_builder(items), index_builder(items, lunrs_own_add=True)
    assert {k: dict(v) for k, v in ours.field_term_frequencies.items()} == \
        {k: dict(v) for k, v in lunrs.field_term_frequencies.items()}
    assert ours.field_lengths == lunrs.field_lengths and ours.document_count == lunrs.document_count
    assert {t: {f: sorted(refs) for f, refs in p.items() if f != "_index"} for t, p in ours.inverted_index.items()} == \
        {t: {f: sorted(refs) for f, refs in p.items() if f != "_index"} for t, p in lunrs.inverted_index.items()}
    assert list(ours.inverted_index) == list(lunrs.inverted_index)  # the terms' order: the vectors' positions
