"""Other documents of the genre: fixture documents of other layouts build into correct sites."""

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest

from policysite.normalize import decode, normalize
from policysite.parse import parse, to_text

from .conftest import ROOT
from .sitecheck import broken_links

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "documents"


def parsed(name: str):
    path = FIXTURES / name
    text = normalize(path, decode(path, path.read_bytes()))
    return parse(path, text.lines), text


def build_source(path: Path, out: Path, *options):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(path), "--out", str(out), *options],
                          capture_output=True, text=True)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_round_trip(name):
    document, text = parsed(name)
    assert to_text(document) == text.text


def test_national_document_metadata_and_structure():
    document, _ = parsed("national.zh.txt")
    meta = document.meta
    assert meta.title == "国务院办公厅关于印发重点领域节能工作部门分工方案的通知"  # a title over two lines
    assert meta.document_number == "国办发〔2019〕3号"
    assert meta.addressee == "各省、自治区、直辖市人民政府，国务院各部委、各直属机构："
    assert (meta.signature, meta.date, meta.notes) == ("国务院办公厅", "2019年3月5日", ("（此件公开发布）",))
    assert [p.text[:4] for p in document.preamble] == ["为贯彻落"]
    assert [len(c.sections) for c in document.chapters] == [0, 2, 2]
    assert [c.paragraphs[0].text[:4] for c in document.chapters[:1]] == ["坚持节约"]  # a chapter of prose only
    assert [s.marker for s in document.sections] == ["（一）", "（二）", "（一）", "（二）"]  # numbering restarts
    assert [t.marker for t in document.tasks] == ["1.", "2.", "3.", "4.", "1.", "2."]
    assert [type(i).__name__ for i in document.sections[0].body] == ["Task", "Task", "Paragraph"]


def test_lead_rule_declared_in_a_clause_applies_to_later_clauses():
    document, _ = parsed("national.zh.txt")
    assert document.meta.lead_rule == "列第一位者为牵头单位，下同"
    assert [t.clause.lead for t in document.tasks] == [
        ("发展改革委",), ("工业和信息化部",), ("住房城乡建设部",), ("海关总署",), ("发展改革委",), ("市场监管总局",)]
    assert document.tasks[0].clause.modifier == "等"


def test_collective_parties_are_not_agencies():
    document, _ = parsed("national.zh.txt")
    task = document.tasks[3]
    assert task.clause.agencies == ("海关总署", "商务部") and task.clause.parties == ("各省级人民政府",)
    assert document.tasks[5].clause.parties == ("各有关单位",)


def test_flat_items_with_roles_and_no_chapters():
    document, _ = parsed("flat.zh.txt")
    assert len(document.chapters) == 1 and document.chapters[0].title == "" and not document.sections
    assert [t.marker for t in document.tasks] == ["一、", "二、", "三、", "四、"]
    assert document.tasks[2].clause.lead == ("市委宣传部",)
    assert dict(document.tasks[2].clause.roles) == {"市委宣传部": "lead", "市教育局": "support", "市水务局": "support"}
    assert document.tasks[3].clause.agencies == ("市发展改革委", "市财政局", "市水务局")
    assert document.tasks[3].clause.lead == ("市发展改革委",)
    assert document.meta.document_number == "某政办发〔2018〕12号"


def test_paragraph_tasks_sections_as_paragraphs_and_tasks_without_sections():
    document, _ = parsed("paragraph-tasks.zh.txt")
    assert document.meta.lead_rule == "排在第一位的部门为牵头部门"  # stated in the preamble
    first = document.chapters[0]
    assert not first.sections and [t.marker for t in first.tasks] == ["（一）", "（二）"]  # （一）…（…负责） tasks
    second = document.chapters[1]
    assert second.title == "推进重点工程。" and second.paragraphs[0].text == "落实节能改造项目，加强项目管理。"
    section = second.sections[0]
    assert (section.marker, section.title) == ("（三）", "加快实施余热余压利用工程。")  # numbered through
    assert section.paragraphs[0].text == "该工程分年度推进，优先支持重点企业。"
    assert section.tasks[1].clause.agencies == ()  # a task with no clause
    assert document.chapters[2].tasks == ()  # a chapter with no tasks
    assert [t.marker for t in document.chapters[3].tasks] == ["1.", "2."]  # tasks with no section
    assert all(t.clause.lead == t.clause.agencies[:1] for t in document.tasks)


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.txt")))
def test_fixture_builds_into_a_site_from_the_source_alone(name, tmp_path):
    out = tmp_path / "site"
    result = build_source(FIXTURES / name, out)
    assert result.returncode == 0, result.stderr
    assert "is registered automatically" in result.stderr and "en: no translations" in result.stderr
    assert broken_links(out) == []
    document = json.loads((out / "data" / "document.json").read_text(encoding="utf-8"))
    schema = json.loads((out / "data" / "document.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(document, schema)
    assert all("lead" in task for task in document["tasks"])
    english = (out / "en" / "tasks" / "1" / "index.html").read_text(encoding="utf-8")
    assert '<span class="pending">(translation pending)</span>' in english


def test_national_document_json_meta(tmp_path):
    out = tmp_path / "site"
    assert build_source(FIXTURES / "national.zh.txt", out).returncode == 0
    meta = json.loads((out / "data" / "document.json").read_text(encoding="utf-8"))["meta"]
    assert (meta["title"], meta["document_number"], meta["date"]) == (
        "国务院办公厅关于印发重点领域节能工作部门分工方案的通知", "国办发〔2019〕3号", "2019年3月5日")
    home = (out / "zh" / "index.html").read_text(encoding="utf-8")
    assert "国办发〔2019〕3号" in home and "（此件公开发布）" in home
    task = (out / "zh" / "tasks" / "4" / "index.html").read_text(encoding="utf-8")
    assert '<span class="role role-lead">牵头</span>' in task and "各省级人民政府" in task


def test_automatic_registration_is_an_error_when_strict(tmp_path):
    result = build_source(FIXTURES / "flat.zh.txt", tmp_path / "site", "--strict")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{FIXTURES / 'flat.zh.txt'}:4: task 1: agency 市水务局 is registered automatically" in result.stderr


def test_messy_input_just_works(tmp_path):
    """BOM, CRLF, trailing spaces, full-width digits and half-width parentheses."""
    source = tmp_path / "messy.zh.txt"
    text = ("一、总体要求  \r\n（一）加强管理。\r\n１．建立制度。(市环保局负责)\t\r\n２．开展检查。（市环保局、市水务局负责） \r\n"
            "(二)强化考核。\r\n３．严格考核。（市政府办公室负责）\r\n")
    source.write_bytes("\ufeff".encode() + text.encode("utf-8"))
    document = parse(source, normalize(source, decode(source, source.read_bytes())).lines)
    assert [t.clause.agencies for t in document.tasks] == [("市环保局",), ("市环保局", "市水务局"), ("市政府办公室",)]
    assert [s.title for s in document.sections] == ["加强管理。", "强化考核。"]
    assert build_source(source, tmp_path / "site").returncode == 0


def test_content_folder_without_registry_or_translations(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "doc.txt").write_bytes((FIXTURES / "flat.zh.txt").read_bytes())
    (content / "site.toml").write_text('[document]\nsource = "doc.txt"\n\n[site]\nlanguages = ["zh", "en"]\n',
                                       encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "某市节约用水工作分工" in (tmp_path / "site" / "zh" / "index.html").read_text(encoding="utf-8")
    assert broken_links(tmp_path / "site") == []


def test_translation_files_are_written_for_a_new_document_and_kept(tmp_path):
    """build.py translations writes an entry per piece of the document; it keeps what a translator wrote,
    stale entries included."""
    content = tmp_path / "content"
    content.mkdir()
    (content / "doc.txt").write_bytes((FIXTURES / "flat.zh.txt").read_bytes())
    (content / "site.toml").write_text('[document]\nsource = "doc.txt"\n\n[site]\nlanguages = ["zh", "en"]\n',
                                       encoding="utf-8")

    def run(*args):
        return subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--content", str(content),
                               "--out", str(tmp_path / "site")], capture_output=True, text=True)

    result = run("translations")
    assert result.returncode == 0, result.stderr
    chapter = content / "translations" / "en" / "chapter-1.toml"
    assert f"wrote {chapter}" in result.stdout
    text = chapter.read_text(encoding="utf-8")
    assert "# 制定年度用水总量控制目标，分解到各区。\n[task.1]\nsource = " in text
    chapter.write_text(text.replace('text = ""', 'text = "Set the annual target for total water use."', 1),
                       encoding="utf-8")
    assert "en: 1/" in run().stdout
    source = content / "doc.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("分解到各区", "分解到各县区"), encoding="utf-8")
    assert run("translations").returncode == 0
    kept = chapter.read_text(encoding="utf-8")
    assert 'text = "Set the annual target for total water use."' in kept  # nothing is lost
    assert "task.1: translation stale" in run().stderr
