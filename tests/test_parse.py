"""The parser reproduces the figures measured on the source, and refuses broken numbering."""

from collections import Counter
from pathlib import Path

import pytest

from policysite.errors import BuildError
from policysite.normalize import normalize
from policysite.clauses import read_clause
from policysite.parse import chinese_numeral, parse, to_text

from .conftest import SOURCE


@pytest.fixture(scope="module")
def normalized():
    return normalize(SOURCE, SOURCE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def document(normalized):
    return parse(SOURCE, normalized.lines)


def test_structure_counts(document):
    assert len(document.chapters) == 9
    assert [s.number for s in document.sections] == list(range(1, 52))
    assert [t.number for t in document.tasks] == list(range(1, 145))
    assert len(document.preamble) == 1


def test_agency_figures(document):
    named = Counter(name for task in document.tasks for name in task.clause.agencies)
    assert len(named) == 35
    assert sum(named.values()) == 405
    assert named.most_common(4) == [("省发展改革委", 82), ("省经信委", 65), ("省环保厅", 61), ("省财政厅", 32)]
    assert sorted(name for name, count in named.items() if count == 1) == sorted(
        ["山西电监办", "省金融办", "山西证监局", "山西保监局", "省政府办公厅", "省总工会", "团省委", "省妇联"])


def test_modifier_figures(document):
    modifiers = Counter(task.clause.modifier for task in document.tasks)
    assert modifiers["会同有关部门"] == 11
    assert modifiers["等有关部门"] == 7
    assert modifiers["等部门"] == 1


def test_round_trip_rebuilds_the_normalized_text(document, normalized):
    assert to_text(document) == normalized.text


def test_task_fields(document):
    task = document.tasks[66]
    assert (task.number, task.chapter, task.section, task.line) == (67, 4, 20, 186)
    assert task.text.startswith("强化电力行业二氧化硫减排") and task.text.endswith("进一步削减烟尘和工业粉尘。")
    assert "50mg/Nm³" in task.text
    assert task.clause.agencies == ("省环保厅", "省发展改革委", "省经信委", "山西电监办", "省电力公司")


@pytest.mark.parametrize("numeral, value", [
    ("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("五十一", 51), ("一百零二", 102),
])
def test_chinese_numerals(numeral, value):
    assert chinese_numeral(numeral) == value


@pytest.mark.parametrize("clause, agencies, modifier, lead, parties", [
    ("（省环保厅负责）", ("省环保厅",), "", (), ()),
    ("（省环保厅会同有关部门负责）", ("省环保厅",), "会同有关部门", (), ()),
    ("（省统计局、省发展改革委等有关部门负责）", ("省统计局", "省发展改革委"), "等有关部门", (), ()),
    ("（省委宣传部、省教育厅等部门负责）", ("省委宣传部", "省教育厅"), "等部门", (), ()),
    ("(省环保厅负责)", ("省环保厅",), "", (), ()),
    ("（市发展改革委、市财政局等负责。列第一位者为牵头单位，下同）", ("市发展改革委", "市财政局"), "等",
     ("市发展改革委",), ()),
    ("（牵头单位：市商务局；配合单位：市财政局、海关）", ("市商务局", "市财政局", "海关"), "", ("市商务局",), ()),
    ("（发展改革委牵头，工业和信息化部、海关总署参与）", ("发展改革委", "工业和信息化部", "海关总署"), "",
     ("发展改革委",), ()),
    ("（市环保局、各区、县级市人民政府负责）", ("市环保局",), "", (), ("各区", "县级市人民政府")),
    ("（市城管局、各有关单位负责）", ("市城管局",), "", (), ("各有关单位",)),
    ("（省环保厅、各县（市、区）人民政府负责）", ("省环保厅",), "", (), ("各县（市、区）人民政府",)),
])
def test_clause_forms(clause, agencies, modifier, lead, parties):
    parsed = read_clause(clause, Path("x.txt"), 1).clause
    assert (parsed.agencies, parsed.modifier, parsed.lead, parsed.parties) == (agencies, modifier, lead, parties)


def _parse(text: str):
    path = Path("doc.txt")
    return parse(path, normalize(path, text).lines)


@pytest.mark.parametrize("text, message", [
    ("一、甲\n（一）乙\n1.丙（省环保厅负责）\n3.丁（省环保厅负责）\n", "doc.txt:4: task numbered 3, expected 2"),
    ("一、甲\n（一）乙\n1.丙（省环保厅负责）\n1.丁（省环保厅负责）\n", "doc.txt:4: task numbered 1, expected 2"),
    ("一、甲\n（二）乙\n1.丙（省环保厅负责）\n", "doc.txt:2: section numbered 2, expected 1"),
    ("一、甲\n三、乙\n", "doc.txt:2: chapter numbered 3, expected 2"),
    ("一、甲\n（一）乙\n1.丙（省环保厅、负责）\n", "doc.txt:3: empty agency name in the clause （省环保厅、负责）"),
    ("1.丙（省环保厅负责）\n一、甲\n", "doc.txt:1: task 1. stands before the first chapter heading"),
    ("只有一段文字。\n", "doc.txt:1: no chapters (一、…) and no tasks found: is this a policy document?"),
    ("一、甲\n（一）乙\n1.丙（省环保厅负责\n", "doc.txt:3: unclosed parenthesis in the clause （省环保厅负责"),
    ("一、甲\n（一）乙\n1.丙（省环保厅、各县（市负责）\n",
     "doc.txt:3: unclosed parenthesis in the clause （省环保厅、各县（市负责）"),
])
def test_broken_structure_is_reported_with_file_and_line(text, message):
    with pytest.raises(BuildError) as err:
        _parse(text)
    assert message in str(err.value).splitlines()


def _read(text: str):
    path = Path("doc.txt")
    return parse(path, normalize(path, text).lines)


def test_a_covering_notice_before_the_body_is_prose_and_gives_the_date():
    """Its 一、二、 are instructions, not chapters; its signature and date are the document's."""
    document = _read("关于印发任务分工的通知\n各部门：\n现将任务分工印发给你们。\n一、各部门要高度重视。\n"
                     "二、牵头部门要加强协调。\n市政府办公室\n2016年4月6日\n（此件公开发布）\n任务分工\n"
                     "一、主要目标\n1.城镇新增就业1万人。（市人社局负责）\n2.推进改造。（市经信委负责）\n")
    assert [c.title for c in document.chapters] == ["主要目标"]
    assert [p.text for p in document.preamble][1:3] == ["一、各部门要高度重视。", "二、牵头部门要加强协调。"]
    assert (document.meta.date, document.meta.signature) == ("2016年4月6日", "市政府办公室")
    assert len(document.tasks) == 2


def test_a_table_row_that_stood_on_one_line_fills_the_last_columns():
    """A row flattened onto one line loses its empty cells: the units still land in the units column."""
    document = _read("序号 名称 工作任务 牵头责任单位\n一、主要目标\n1 地区生产总值增长7%. 发改委\n"
                     "2 工业投资增长10%. 发改委、经信委\n")
    assert [c.marker + c.title for c in document.chapters] == ["一、主要目标"]
    assert [(t.text, t.clause.agencies, t.clause.lead) for t in document.tasks] == [
        ("地区生产总值增长7%.", ("发改委",), ("发改委",)),
        ("工业投资增长10%.", ("发改委", "经信委"), ("发改委", "经信委"))]
    assert to_text(document) == normalize(Path("doc.txt"), "序号 名称 工作任务 牵头责任单位\n一、主要目标\n"
                                          "1 地区生产总值增长7%. 发改委\n2 工业投资增长10%. 发改委、经信委\n").text
