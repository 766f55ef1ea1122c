"""The normalization table: each rule does exactly what it documents, and nothing else changes."""

from pathlib import Path

import pytest

from policysite.errors import BuildError
from policysite.normalize import RULES, decode, normalize, read_encoding

from .conftest import SOURCE

P = Path("doc.txt")


@pytest.mark.parametrize("raw, expected, rule", [
    ("\ufeff一、标题", "一、标题", "byte-order-mark"),
    ("一、标题\r", "一、标题", "carriage-return"),
    ("\u3000\u3000根据文件", "根据文件", "indentation"),
    ("一、强化目标责任\ue004", "一、强化目标责任", "private-use-line-end"),
    ("含量50mg/Nm\ue00b3以下", "含量50mg/Nm³以下", "private-use-superscript"),
    ("发展高效“吊炕” 25万户", "发展高效“吊炕”25万户", "stray-space"),
    ("推进建设 “户集中", "推进建设“户集中", "stray-space"),
    ("一、标题 LED\t", "一、标题LED", "trailing-space"),
])
def test_each_rule_changes_what_it_names(raw, expected, rule):
    result = normalize(P, raw + "\n")
    assert result.text == expected + "\n"
    assert result.changes[rule] >= 1


def test_every_rule_is_documented():
    assert all(rule.explanation.endswith(".") and rule.name for rule in RULES)


def test_spaces_between_latin_words_stay():
    assert normalize(P, "采用 LED lamps 灯具\n").text == "采用LED lamps灯具\n"


def test_shipped_source_changes_are_counted_exactly():
    text = SOURCE.read_text(encoding="utf-8")
    result = normalize(SOURCE, text)
    assert dict(result.changes) == {
        "blank-line": 212, "indentation": 205, "private-use-line-end": 200,
        "private-use-superscript": 1, "stray-space": 3,
    }


def test_nothing_but_the_noise_changes():
    """Removing the documented noise from the raw text by hand gives the normalized text."""
    raw = SOURCE.read_text(encoding="utf-8")
    expected = [line.strip("\u3000").replace("\ue004", "").replace("\ue00b3", "³")
                .replace("” 25", "”25").replace("设 “", "设“").replace("业 “", "业“")
                for line in raw.split("\n")]
    assert normalize(SOURCE, raw).text == "".join(line + "\n" for line in expected if line)


def test_unexplained_private_use_character_is_an_error_with_its_line():
    with pytest.raises(BuildError) as err:
        normalize(P, "一、标题\n（一）小节\ue123。\n")
    assert str(err.value) == "doc.txt:2: unexpected private-use character U+E123 (no normalization rule explains it)"


def test_undecodable_bytes_are_an_error_with_their_line():
    with pytest.raises(BuildError) as err:
        decode(P, "一、标题\n".encode() + "节能".encode("gbk"))
    assert str(err.value).startswith("doc.txt:2: the file is not valid UTF-8")


def test_the_official_text_is_kept_byte_for_byte():
    """content/ holds the published text exactly (sha256 of ../shared/source/…, measured once)."""
    import hashlib

    assert hashlib.sha256(SOURCE.read_bytes()).hexdigest() == \
        "21b27d1874f5832e21c99a875b5509b5460674d50fae160c075e568fa36fd07c"


@pytest.mark.parametrize("encoding, name", [
    ("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8"), ("utf-16", "UTF-16"), ("utf-16-be", None), ("gb18030", "GB18030"),
    ("gbk", "GB18030"), ("big5", "Big5"),
])
def test_the_encodings_governments_publish_in_are_read_and_named(encoding, name):
    text = "一、總體要求\n（一）加強組織領導。（省發展改革委牽頭，各市人民政府負責）\n" if encoding == "big5" else \
        "一、总体要求\n（一）加强组织领导。（省发展改革委牵头，各市人民政府负责）\n"
    data = (b"\xfe\xff" if encoding == "utf-16-be" else b"") + text.encode(encoding)
    if name is None:  # UTF-16 is read where its byte-order mark says which it is
        name = "UTF-16"
    decoded, read = read_encoding(P, data)
    assert (decoded.lstrip("\ufeff"), read) == (text, name)


def test_invisible_characters_are_removed_and_counted():
    result = normalize(P, "（省\u200b环保厅\u200d、省\u202e财政厅\u00ad负责）\u2066x\u2069\n")
    assert result.text == "（省环保厅、省财政厅负责）x\n"
    assert result.changes["invisible"] == 6


def test_a_table_flattened_to_one_line_per_row_gets_a_line_per_cell():
    result = normalize(P, "附件：任务分解表 序号 名称 工作任务 牵头责任单位\n一、主要目标\n"
                          "1 地区生产总值增长7%以上. 发改委\n2 研发经费占GDP比重2.8%. 科技局、经信委\n")
    assert result.text.split("\n") == ["附件：任务分解表", "序号", "名称", "工作任务", "牵头责任单位", "一、主要目标",
                                       "1", "地区生产总值增长7%以上.", "发改委",
                                       "2", "研发经费占GDP比重2.8%.", "科技局、经信委", ""]
    assert [line.number for line in result.lines] == [1, 1, 1, 1, 1, 2, 3, 3, 3, 4, 4, 4]
    assert result.changes["table-cells"] == 3


def test_a_header_word_spaced_out_letter_by_letter_is_one_cell():
    result = normalize(P, "序 号 工 作 任 务 牵头负责部门\n1 城镇新增就业1000万人以上 人力资源社会保障部\n")
    assert result.text.split("\n")[:3] == ["序号", "工作任务", "牵头负责部门"]


def test_spaces_are_split_into_cells_only_inside_such_a_table():
    """Without a header of spaced cells naming the units, or after a paragraph of prose ends the table,
    a numbered line with spaces is a paragraph whose spaces are noise."""
    assert normalize(P, "1 推进 节能 改造（省经信委负责）\n").text == "1推进节能改造（省经信委负责）\n"
    ended = normalize(P, "序号 工作任务 责任单位\n1 节能改造 省经信委\n"
                         "以上任务由各单位按照职责抓好落实，年底前报送完成情况，市政府办公室将适时组织督查。\n2 推进 改造 工作\n")
    assert ended.text.split("\n")[-2] == "2推进改造工作"
