"""The catalogue of malformed inputs: each fails with a message naming file and line, exit status 2,
no traceback, the last good site left as it was and nothing written outside the output folder."""

import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .conftest import CONTENT, ROOT

SOURCE = "shanxi-12th-fyp-energy-saving-division.zh.txt"


def edit(relative: str, old: str, new: str, count: int = 1):
    """A change that replaces text in a file of the content folder (or templates/…)."""
    def change(content: Path, templates: Path):
        path = (templates.parent if relative.startswith("templates/") else content) / relative
        text = path.read_text(encoding="utf-8")
        assert old in text, f"{old!r} not in {relative}"
        path.write_text(text.replace(old, new, count), encoding="utf-8")
    return change


def write(relative: str, data: bytes):
    def change(content: Path, templates: Path):
        (content / relative).write_bytes(data)
    return change


def remove(relative: str):
    def change(content: Path, templates: Path):
        path = (templates.parent if relative.startswith("templates/") else content) / relative
        path.unlink()
    return change


def chinese_source(change: str):
    """The shipped source with one line changed, for parser errors: (old, new)."""
    old, new = change.split(" => ")
    return edit(SOURCE, old, new)


CASES = [
    ("task number gap", chinese_source("　　2.合理分解各行业节能目标 => 　　3.合理分解各行业节能目标"),
     "{source}:10: task numbered 3, expected 2"),
    ("task number duplicate", chinese_source("　　3.合理分解各行业减排目标 => 　　2.合理分解各行业减排目标"),
     "{source}:12: task numbered 2, expected 3"),
    ("chapter number gap", chinese_source("　　二、调整优化产业结构 => 　　三、调整优化产业结构"),
     "{source}:41: chapter numbered 3, expected 2"),
    ("section number gap", chinese_source("　　（二）健全节能减排统计 => 　　（三）健全节能减排统计"),
     "{source}:14: section numbered 3, expected 2"),
    ("task before the first chapter", chinese_source("现将有关工作分工如下： => 现将有关工作分工如下：\n1.先行任务。（省环保厅负责）"),
     "{source}:3: task 1. stands before the first chapter heading"),
    ("unclosed clause", chinese_source("减排目标。（省环保厅负责） => 减排目标。（省环保厅负责"),
     "{source}:12: unclosed parenthesis in the clause （省环保厅负责"),
    ("clause with an unclosed inner bracket", chinese_source("减排目标。（省环保厅负责） => 减排目标。（省环保厅、各市（县负责）"),
     "{source}:12: unclosed parenthesis in the clause （省环保厅、各市（县负责）"),
    ("clause never opened", chinese_source("减排目标。（省环保厅负责） => 减排目标。省环保厅负责）"),
     "{source}:12: the clause"),
    ("empty agency name", chinese_source("（省经信委、省发展改革委负责） => （省经信委、、省发展改革委负责）"),
     "{source}:10: empty agency name in the clause （省经信委、、省发展改革委负责）"),
    ("agency missing from the registry", edit("agencies.toml", '["省妇联"]', '["省妇女联合会"]'),
     "{source}:413: task 143: agency 省妇联 is not in the registry"),
    ("two agencies, one URL", edit("agencies.toml", 'slug = "sheng-fu-lian"', 'slug = "tuan-sheng-wei"'),
     "{content}/agencies.toml:{line:agencies.toml:[\"省妇联\"]}: agency 省妇联 and agency 团省委 "
     "({content}/agencies.toml:{line:agencies.toml:[\"团省委\"]}) both want the URL zh/agencies/tuan-sheng-wei/"),
    ("registry kind unknown", edit("agencies.toml", 'kind = "people"\nslug = "sheng-fu-lian"',
                                   'kind = "ngo"\nslug = "sheng-fu-lian"'),
     "{content}/agencies.toml:{line:agencies.toml:[\"省妇联\"]}: 省妇联: kind 'ngo' is not one of"),
    ("registry same_as naming no agency", edit("agencies.toml", 'slug = "sheng-fu-lian"',
                                               'slug = "sheng-fu-lian"\nsame_as = "省妇女联合会"'),
     "{content}/agencies.toml:{line:agencies.toml:[\"省妇联\"]}: 省妇联: same_as '省妇女联合会' is not another agency "
     "of this registry"),
    ("registry slug not ASCII", edit("agencies.toml", 'slug = "sheng-fu-lian"', 'slug = "省妇联"'),
     "{content}/agencies.toml:{line:agencies.toml:[\"省妇联\"]}: 省妇联: slug '省妇联' is not lowercase ASCII"),
    ("registry also not a list", edit("agencies.toml", 'also = ["发改委", "省发改委"]', 'also = "发改委"'),
     "{content}/agencies.toml:{line:agencies.toml:[\"省发展改革委\"]}: 省发展改革委: also should be a list of other "
     "names, like also = [\"发改委\"]"),
    ("translation also not a list", edit("translations/en/agencies.toml", 'also = ["EPD", "Shanxi EPD"]', 'also = "EPD"'),
     "{content}/translations/en/agencies.toml:{line:translations/en/agencies.toml:[agency.\"省环保厅\"]}: "
     "agency.省环保厅: also should be a list of names, like also = [\"EPD\"]"),
    ("lineage of an agency the document never names", edit("lineage.toml", '["省妇联"]', '["省妇女联合会"]'),
     "{content}/lineage.toml:{line:lineage.toml:[\"省妇女联合会\"]}: lineage of 省妇女联合会: the document names no "
     "agency of that name"),
    ("lineage without its source", edit("lineage.toml", 'source_url = "http://shanxi.chinagdp.org/hjzy/201811/826.html"',
                                        'source_url = ""'),
     "{content}/lineage.toml:{line:lineage.toml:[\"省环保厅\"]}: lineage of 省环保厅: every fact needs the source it "
     "comes from: give source_url and quote, or status = \"unknown\""),
    ("lineage with an unknown status", edit("lineage.toml", 'status = "renamed"', 'status = "reformed"'),
     "{content}/lineage.toml:{line:lineage.toml:[\"省经信委\"]}: lineage of 省经信委: status must be one of"),
    ("invalid TOML: site.toml", edit("site.toml", "[site]", "[site"), "{content}/site.toml:{line:site.toml:[site}: invalid TOML"),
    ("invalid TOML: agencies.toml", edit("agencies.toml", 'kind = "government"', 'kind = government'),
     "{content}/agencies.toml:{line:agencies.toml:kind = government}: invalid TOML"),
    ("invalid TOML: glossary.toml", edit("glossary.toml", "[[term]]", "[[term]", 2),
     "{content}/glossary.toml:{line:glossary.toml:[[term]}: invalid TOML"),
    ("invalid TOML: a translation", edit("translations/en/chapter-2.toml", 'text = "', 'text = ', 1),
     "{content}/translations/en/chapter-2.toml:{line:translations/en/chapter-2.toml:text = }: invalid TOML"),
    ("invalid TOML: strings.toml", edit("templates/strings.toml", "[en]", "[en"),
     "{templates}/strings.toml:{line:templates/strings.toml:[en}: invalid TOML"),
    ("translation for an unknown id", edit("translations/en/chapter-9.toml", "[task.144]", "[task.145]"),
     "{content}/translations/en/chapter-9.toml:{line:translations/en/chapter-9.toml:[task.145]}: task.145: no such id"),
    ("glossary term the document never uses", edit("glossary.toml", 'zh = "节能减排"', 'zh = "碳达峰"'),
     "{content}/glossary.toml:{line:glossary.toml:zh = \"碳达峰\":-1}: 碳达峰: the document does not use this term"),
    ("site.toml without a source", edit("site.toml", 'source = "', 'sauce = "'),
     "{content}/site.toml:{line:site.toml:[document]}: [document] needs source"),
    ("source file missing", edit("site.toml", SOURCE, "missing.txt"),
     "{content}/missing.txt: cannot read the source text"),
    ("source in an encoding that is not Chinese", write(SOURCE, "Energy policy\nCaf\u00e9 r\u00e9sum\u00e9\n".encode("cp1252")),
     "{source}:2: the file is not valid UTF-8, nor UTF-16 with a byte-order mark, nor GB18030 or Big5 Chinese "
     "text: save it as UTF-8"),
    ("binary source", write(SOURCE, b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4),
     "{source}:3: this is a binary file, not text"),
    ("empty source", write(SOURCE, b""), "{source}:1: the file is empty"),
    ("10 MB of text that is no policy document", write(SOURCE, ("这不是政策文件。" * 40 + "\n").encode() * 11000),
     "{source}: the file is 10.6 MB"),
    ("prose that is no policy document", write(SOURCE, "今天天气很好。\n我们去公园散步。\n".encode()),
     "{source}:1: no chapters (一、…) and no tasks found"),
    ("unexplained private-use character", chinese_source("合理分解各市 => 合理分解\ue123各市"),
     "{source}:8: unexpected private-use character U+E123"),
    ("Markdown page without a title", edit("pages/about.en.md", "# About this site\n", "About this site\n"),
     "{content}/pages/about.en.md:1: a page starts with its title"),
    ("Markdown page in one language only", remove("pages/open-data.en.md"),
     "{content}/pages/open-data.en.md: page open-data has no en version"),
    ("missing template", remove("templates/agency.html"), "{templates}/agency.html: template not found"),
    ("template with a missing variable", edit("templates/task.html", "{% block content %}",
                                              "{% block content %}{{ no_such_variable }}"),
     "{templates}/task.html:{line:templates/task.html:no_such_variable}: template error: UndefinedError"),
    ("template with a missing variable, made after the search index", edit(  # the index's memo not kept
        "templates/search.html", "{% block content %}", "{% block content %}{{ no_such_variable }}"),
     "{templates}/search.html:{line:templates/search.html:no_such_variable}: template error: UndefinedError"),
    ("template syntax error", edit("templates/home.html", "{% endfor %}", "{% endfo %}"),
     "{templates}/home.html:{line:templates/home.html:endfo}: template error"),
]


def line_of(folder: Path, relative: str, needle: str, offset: int = 0) -> int:
    lines = (folder / relative).read_text(encoding="utf-8").splitlines()
    return next(i for i, line in enumerate(lines, start=1) if needle in line) + offset


def expand(message: str, content: Path, templates: Path) -> str:
    """The expected message: {source}, {content}, {templates} and {line:FILE:TEXT[:OFFSET]} (the line of
    FILE on which TEXT stands, plus OFFSET) filled in."""

    def line(match: re.Match) -> str:
        relative, needle, offset = match.group(1), match.group(2), int(match.group(3) or 0)
        base = templates.parent if relative.startswith("templates/") else content
        return str(line_of(base, relative, needle, offset))

    message = re.sub(r"\{line:([^:}]+):(.+?)(?::(-?\d+))?\}", line, message)
    return message.replace("{source}", str(content / SOURCE)).replace("{content}", str(content)) \
        .replace("{templates}", str(templates))


def tree(folder: Path) -> dict[str, int | None]:
    """Every path under folder, with each file's modification time (a folder counts by name only)."""
    return {str(p.relative_to(folder)): None if p.is_dir() else p.stat().st_mtime_ns for p in folder.rglob("*")}


def test_the_catalogue_is_big_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("name, change, message", CASES, ids=[c[0] for c in CASES])
def test_bad_input_fails_cleanly(tmp_path, name, change, message):
    content, templates = tmp_path / "content", tmp_path / "templates"
    shutil.copytree(CONTENT, content)
    shutil.copytree(ROOT / "templates", templates)
    change(content, templates)
    out = tmp_path / "out" / "site"
    out.mkdir(parents=True)
    (out / "index.html").write_text("the last good site")
    before = tree(tmp_path)
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content),
                             "--templates", str(templates), "--out", str(out)], capture_output=True, text=True,
                            timeout=60)
    assert time.monotonic() - started < 20
    assert result.returncode == 2, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    expected = expand(message, content, templates)
    assert f"error: {expected}" in result.stderr, result.stderr
    assert tree(tmp_path) == before  # the old site as it was, nothing written anywhere else
    assert (out / "index.html").read_text() == "the last good site"


@pytest.mark.parametrize("where", ["source", "translation", "markdown"])
def test_markup_in_the_input_is_shown_as_text(content, tmp_path, where):
    """<script> and raw HTML in the source, a translation or a Markdown page never reach the page as markup."""
    attack = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    if where == "source":
        edit(SOURCE, "合理分解各市节能减排目标。", f"合理分解各市节能减排目标{attack}。")(content, tmp_path)
        page = "zh/tasks/1/index.html"
    elif where == "translation":
        edit("translations/en/chapter-1.toml", '"Rationally apportion', f'"{attack.replace(chr(34), "")} Rationally apportion')(content, tmp_path)
        page = "en/tasks/1/index.html"
    else:
        edit("pages/about.en.md", "## The document", f"{attack}\n\n## The document")(content, tmp_path)
        page = "en/about/index.html"
    result = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out",
                             str(tmp_path / "site")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "site" / page).read_text(encoding="utf-8")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert" in html


def test_glossary_variants_that_are_not_a_list_are_refused(tmp_path):
    from policysite.errors import BuildError
    from policysite.glossary import read_terms

    path = tmp_path / "glossary.toml"
    path.write_text('[[term]]\nzh = "二氧化硫"\nen = "sulphur dioxide"\nvariants = "SO2"\n', encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        read_terms(path)
    assert f"{path}:1: 二氧化硫: variants should be a list of English renderings" in str(caught.value)
