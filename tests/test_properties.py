"""Property-based tests: arbitrary input never crashes the parser or the slugger."""

import re
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from policysite.errors import BuildError
from policysite.normalize import decode, normalize
from policysite.clauses import read_clause
from policysite.parse import parse
from policysite.slugs import unique_slugs

PIECES = ["一、", "二、", "十一、", "（一）", "（二）", "(三)", "1.", "2．", "3、", "（4）", "负责", "牵头", "配合单位：",
          "牵头单位：", "参与", "会同有关部门", "等有关部门", "等", "、", "，", "。", "；", "（", "）", "(", ")", "省环保厅",
          "各市", "县级市", "\n", "\n\n", "\u3000\u3000", " ", "\ue004", "\ue00b3", "〔2019〕3号", "2019年3月5日",
          "（此件公开发布）", "列第一位者为牵头单位，下同", "：", "\r\n", "\ufeff", "〔", "】", "责任单位:",
          "按职责分工负责", "及", "\u200b", "\u202e", "11.2024年", "12.5G"]
documents = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=60).map("".join)

P = Path("prop.txt")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents)
def test_parser_raises_nothing_but_build_errors(text):
    try:
        document = parse(P, normalize(P, text).lines)
    except BuildError as exc:
        assert exc.problems and all(str(p).startswith("prop.txt") for p in exc.problems)
    else:
        numbers = [t.number for t in document.tasks]
        assert numbers == list(range(1, len(numbers) + 1))


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_decoding_raises_nothing_but_build_errors(data):
    try:
        assert isinstance(decode(P, data), str)
    except BuildError as exc:
        assert str(exc).startswith("prop.txt")


@settings(max_examples=200, deadline=None)
@given(st.from_regex(r"（[^（）()]{0,30}）", fullmatch=True))
def test_clauses_raise_nothing_but_build_errors(clause):
    try:
        parsed = read_clause(clause, P, 1).clause
    except BuildError:
        return
    assert all(name for name in parsed.agencies)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=12), min_size=1, max_size=20))
def test_slugs_are_ascii_non_empty_and_unique(texts):
    slugs = unique_slugs(texts, prefix="item")
    assert len(slugs) == len(texts) and len(set(slugs)) == len(slugs)
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug) for slug in slugs)
