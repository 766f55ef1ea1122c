"""Search: the tokenizer, pinyin, the packed index lunr.js unpacks, and the query table in Python."""

import json
import subprocess

import pytest

from policysite.pipeline import BuildResult, gather
from policysite.search import (MAX_QUERY, index_builder, index_of, known_syllables, pack, pinyin_tokens, query,
                               search_docs, serialized, split_syllables, tokenize)

from .conftest import CONTENT, ROOT
from .search_queries import HOSTILE, QUERIES


@pytest.fixture(scope="module")
def editions():
    """Per edition: its search docs, lunr.py index, builder and known syllables."""
    site = gather(CONTENT, BuildResult())
    out = {}
    for edition in site.renderer.editions:
        docs = search_docs(site.renderer, edition)
        builder = index_builder(docs)
        index = index_of(builder)
        out[edition.lang] = (docs, index, builder, known_syllables(docs))
    return out


@pytest.mark.parametrize("text, tokens", [
    ("省环保厅", ["省环", "环保", "保厅"]),
    ("节", ["节"]),
    ("Pricing reform, 2015!", ["pricing", "reform", "2015"]),
    ("排污许可证", ["排污", "污许", "许可", "可证"]),
    ("“7＋2”产业", ["7", "2", "产业"]),
    ("ＬＥＤ灯", ["led", "灯"]),
    ("😀 <b>", ["b"]),
])
def test_tokenize(text, tokens):
    assert tokenize(text) == tokens


def test_pinyin_tokens_of_a_name():
    tokens = pinyin_tokens(["sheng", "huan", "bao", "ting"])
    assert {"sheng", "huan", "bao", "ting", "shenghuanbaoting", "hbt", "shbt", "hb", "bt"} <= set(tokens)


@pytest.mark.parametrize("word, pieces", [
    ("huanbaoting", ["huan", "bao", "ting"]),
    ("shengfazhangaigewei", ["sheng", "fa", "zhan", "gai", "ge", "wei"]),
    ("xian", ["xian"]),
    ("pricing", None),
])
def test_split_syllables(word, pieces):
    known = frozenset("huan bao ting sheng fa zhan gai ge wei xian xi an".split())
    assert split_syllables(word, known) == pieces


@pytest.mark.parametrize("lang, text, expected, rank", QUERIES, ids=[f"{q[0]}:{q[1]}" for q in QUERIES])
def test_query_table_in_python(editions, lang, text, expected, rank):
    docs, index, _, known = editions[lang]
    results = query(index, text, known, {d.ref for d in docs})
    assert expected in results[:rank], results[:5]


def test_query_table_is_big_enough():
    assert len(QUERIES) >= 30 and {q[0] for q in QUERIES} == {"zh", "en"}


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_queries_do_not_break_python_search(editions, text):
    docs, index, _, known = editions["zh"]
    assert isinstance(query(index, text, known), list)


def test_query_length_is_capped(editions):
    docs, index, _, known = editions["zh"]
    assert query(index, "a" * MAX_QUERY + "节能减排", known) == query(index, "a" * MAX_QUERY, known)


def test_terms_are_in_utf16_order(editions):
    for docs, index, builder, _ in editions.values():
        terms = [term for term, _ in serialized(index)["invertedIndex"]]
        assert terms == sorted(terms, key=lambda t: t.encode("utf-16-be"))


UNPACK = r"""
const core = require(process.argv[2]);
const lunr = require(process.argv[3]);
let data = "";
process.stdin.on("data", c => data += c).on("end", () => {
  const {packed, expected} = JSON.parse(data);
  const index = core.unpack(packed);
  lunr.Index.load(index);  // throws on out-of-order terms or unknown pipeline functions
  process.stdout.write(JSON.stringify(index));
});
"""


def _terms_by_index(serialized_index):
    return {entry["_index"]: term for term, entry in serialized_index["invertedIndex"]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_browser_unpacks_the_same_index_lunr_py_built(editions, lang, tmp_path):
    """The packed index, unpacked by static/search.js in Node, equals lunr.py's serialized index."""
    docs, index, builder, _ = editions[lang]
    packed = pack(builder, [d.ref for d in docs])
    script = tmp_path / "unpack.js"
    script.write_text(UNPACK)
    result = subprocess.run(["node", str(script), str(ROOT / "static" / "search.js"),
                             str(ROOT / "node_modules" / "lunr" / "lunr.js")],
                            input=json.dumps({"packed": packed, "expected": None}), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    unpacked = json.loads(result.stdout)
    expected = serialized(index)
    assert unpacked["fields"] == expected["fields"] and unpacked["pipeline"] == expected["pipeline"]
    assert [t for t, _ in unpacked["invertedIndex"]] == [t for t, _ in expected["invertedIndex"]]
    for (term, mine), (_, theirs) in zip(unpacked["invertedIndex"], expected["invertedIndex"]):
        for field in expected["fields"]:
            assert sorted(mine[field]) == sorted(theirs[field]), term
    mine_terms, their_terms = _terms_by_index(unpacked), _terms_by_index(expected)
    theirs = {ref: dict(zip((their_terms[i] for i in v[::2]), v[1::2])) for ref, v in expected["fieldVectors"]}
    mine = {ref: dict(zip((mine_terms[i] for i in v[::2]), v[1::2])) for ref, v in unpacked["fieldVectors"]}
    assert mine.keys() == theirs.keys()
    for ref in theirs:
        assert mine[ref].keys() == theirs[ref].keys(), ref
        for term, score in theirs[ref].items():
            assert abs(mine[ref][term] - score) <= 0.0011, (ref, term)
