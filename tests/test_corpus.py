"""The corpus of real documents: each builds from its source alone with the figures a person counted by
hand, every clause read as a clause; the files people have (GB18030, UTF-16, invisible characters) read
the same; and build.py check tells a maintainer what was read."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

from policysite.clauses import is_role_line, trailing_clause
from policysite.normalize import decode, normalize
from policysite.parse import parse, to_text

from .conftest import CONTENT, ROOT
from .corpus import FIGURES, REAL, build, differences, documents, header

UNREAD = REAL / "unread"


def test_the_corpus_is_as_big_and_varied_as_promised():
    headers = [header(name) for name in documents()]
    assert len(headers) >= 15
    assert len({h["government"] for h in headers}) >= 10
    assert len({h["year"] for h in headers}) >= 4
    assert {h["level"] for h in headers} >= {"national", "province", "city", "district"}
    for h in headers:
        assert all(isinstance(h["expected"][key], type(h["expected"][key])) for key in FIGURES)
        assert h["source_url"] and h["found_with"] and h["extent"]


@pytest.mark.parametrize("name", documents())
def test_a_real_document_builds_with_its_hand_counted_figures(name, tmp_path):
    result = build(name, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert differences(name, tmp_path / "site") == {}


@pytest.mark.parametrize("name", documents())
def test_every_clause_is_read_as_a_clause_and_nothing_is_lost(name):
    path = REAL / f"{name}.zh.txt"
    text = normalize(path, decode(path, path.read_bytes()))
    document = parse(path, text.lines)
    for task in document.tasks:  # no clause left at the end of a task's text, none inside it on a line of its own
        assert trailing_clause(task.text, path, task.line) is None, task.text
        assert not any(is_role_line(part) for part in task.text.split("\n")), task.text
    # every character of the source is in the model once, in order (line breaks aside: the reader joins
    # what a web page broke and splits what it ran together)
    assert to_text(document).replace("\n", "") == text.text.replace("\n", "")


@pytest.mark.parametrize("encoding", ["gb18030", "utf-16"])
def test_a_document_in_a_government_encoding_reads_the_same(encoding, tmp_path):
    name = "city-sanmenxia-2023-key-work-units"
    source = tmp_path / f"{name}.zh.txt"
    source.write_bytes((REAL / f"{name}.zh.txt").read_text(encoding="utf-8").encode(encoding))
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert f"read {'GB18030' if encoding == 'gb18030' else 'UTF-16'};" in result.stdout
    assert differences(name, tmp_path / "site") == {}


def test_invisible_characters_do_not_make_agencies_of_their_own(tmp_path):
    name = "county-anshan-lishan-2023-key-tasks"
    source = tmp_path / f"{name}.zh.txt"
    text = (REAL / f"{name}.zh.txt").read_text(encoding="utf-8")
    source.write_text(text.replace("区发改局", "区\u200b发改局", 1).replace("区工信局", "区\u202e工信局"),
                      encoding="utf-8")
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "invisible" in result.stdout
    assert differences(name, tmp_path / "site") == {}


def check(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "check", *args], capture_output=True,
                          text=True)


def test_check_reports_what_was_read_and_exits_0_when_clean():
    result = check(str(REAL / "city-lishui-2023-key-work-responsibility.zh.txt"))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 chapters, 1 sections, 10 tasks, 10 clauses read" in result.stdout
    assert "lead rule: (除标注“分别牵头”外,列第一位为牵头或汇总单位,下同)" in result.stdout
    assert "6 lead agencies: 市发改委、市商务局、市人力社保局、市农业农村局、市财政局、市双招双引办" in result.stdout
    assert "1 collective parties: 各县(市、区)政府 1" in result.stdout


def test_check_of_the_shipped_document_is_clean_and_gives_json():
    result = check("--content", str(CONTENT), "--json")
    assert result.returncode == 0, result.stdout
    found = json.loads(result.stdout)
    assert (found["tasks"], found["clauses"], found["sections"], len(found["agencies"])) == (144, 144, 51, 35)
    assert found["agencies"]["省发展改革委"] == 82 and found["warnings"] == []


def test_check_of_the_shipped_library_reports_every_document():
    result = check("--json")
    found = json.loads(result.stdout)
    assert [Path(f["source"]).parent.name for f in found] == sorted(
        p.name for p in (ROOT / "content" / "documents").iterdir())
    assert [f["tasks"] for f in found] == [45, 5, 7, 144, 5, 9]
    assert result.returncode == 1  # Guangzhou's task 1 carries no clause, as its hand count says
    assert [w for f in found for w in f["warnings"]] == [
        f"{found[0]['source']}:4: task 1. has no responsibility clause, though 44 of the 45 tasks have one"]


def test_check_warns_with_file_and_line_and_exits_1(tmp_path):
    source = tmp_path / "doc.zh.txt"
    source.write_text("一、总体要求\n1.建立制度。（市发改委负责）\n2.完善机制，由市财政局负责。\n"
                      "3.开展检查。（市发改委、开展专项检查工作的有关单位负责）\n4.加强督查。（市监察局负责）\n",
                      encoding="utf-8")
    result = check(str(source))
    assert result.returncode == 1
    assert f"warning: {source}:3: task 2. has no responsibility clause, though 3 of the 4 tasks have one" \
        in result.stdout
    assert f"warning: {source}:3: a paragraph mentions 负责" not in result.stdout  # it is a task, numbered
    assert f"warning: {source}:4: agency name" not in result.stdout  # 有关单位: a party, not an agency


def test_check_exits_2_on_errors(tmp_path):
    source = tmp_path / "doc.zh.txt"
    source.write_text("一、总体要求\n1.建立制度。（市发改委负责）\n3.完善机制。（市财政局负责）\n", encoding="utf-8")
    result = check(str(source), "--json")
    assert result.returncode == 2
    assert json.loads(result.stdout)["errors"] == [f"{source}:3: task numbered 3, expected 2"]


def test_an_excerpt_that_starts_inside_a_chapter_reads_with_warnings_not_errors():
    """Tasks before the first heading, numbered past 1, are the end of a chapter whose heading the copy left out."""
    source = REAL / "province-zhejiang-2023-gwr-key-work-responsibility.zh.txt"
    result = check(str(source))
    assert result.returncode == 1, result.stdout
    assert "1 chapters, 0 sections, 7 tasks, 7 clauses read" in result.stdout
    assert "  1. (no chapter heading): 1 tasks\n  2. 卢山副省长牵头重点工作: 6 tasks" in result.stdout
    assert f"warning: {source}:1: tasks start at 3, not 1: is this an excerpt?" in result.stdout
    assert f"warning: {source}:3: chapters start at 4, not 1: is this an excerpt?" in result.stdout


@pytest.mark.parametrize("name", sorted(p.name for p in UNREAD.glob("*.zh.txt")))
def test_a_copy_the_reader_cannot_read_yet_is_never_passed_off_as_clean(name):
    """The web copies whose layout the reader does not know yet fail, or warn; none reads as clean."""
    assert check(str(UNREAD / name)).returncode in (1, 2)


def test_every_clause_ending_the_reader_knows_has_words_in_every_language():
    import tomllib

    from policysite.clauses import MODIFIERS

    strings = tomllib.loads((ROOT / "templates" / "strings.toml").read_text(encoding="utf-8"))
    assert all(f"modifier_{m}" in strings[lang] for m in MODIFIERS for lang in ("zh", "en"))
