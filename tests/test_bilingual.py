"""The English edition: counterparts, language tags, hreflang, coverage and staleness, figures."""

import json
import re
from collections import Counter
import subprocess
import sys
import tomllib
from html.parser import HTMLParser
from pathlib import Path

import pytest

from policysite.figures import dropped_figures

from .conftest import CONTENT, ROOT
from .sitecheck import target_file

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]")


class _LangReader(HTMLParser):
    """Collects the text of <body> that stands in an element whose language is English."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "col", "base", "embed"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, str]] = []
        self.untagged: list[str] = []
        self.in_body = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        lang = dict(attrs).get("lang") or (self.stack[-1][1] if self.stack else "")
        self.stack.append((tag, lang))
        self.in_body = self.in_body or tag == "body"

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        if self.in_body and self.stack and self.stack[-1][1] == "en" and CJK.search(data):
            self.untagged.append(data.strip())


def alternates(page: Path) -> dict[str, str]:
    html = page.read_text(encoding="utf-8")
    return dict(re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html))


def test_every_page_has_its_counterpart(site):
    zh = {p.relative_to(site / "zh") for p in (site / "zh").rglob("index.html")}
    en = {p.relative_to(site / "en") for p in (site / "en").rglob("index.html")}
    tasks = json.loads((site / "data" / "document.json").read_text(encoding="utf-8"))["tasks"]
    shared = Counter((a, b) for t in tasks for a in t["agencies"] for b in t["agencies"] if a < b)
    crowded = Counter((a, b) for t in tasks if len(t["agencies"]) > 12 for a in t["agencies"] for b in t["agencies"]
                      if a < b)  # a pair brought together by one task of more than 12 agencies links to it
    pairs = [pair for pair, n in shared.items() if n > 1 or not crowded[pair]]
    alone = {t["agencies"][0] for t in tasks if len(t["agencies"]) == 1 and not t.get("parties")}
    first = {t["agencies"][0] for t in tasks if t["agencies"]}
    assert (len(shared), len(pairs), len(alone), len(first)) == (192, 192, 17, 23)
    # home, search, directory, matrix, collaboration; glossary, about, open data; chapters, sections, tasks,
    # agencies; each agency's page narrowed to the tasks it holds alone or is listed first in; a page per pair
    assert zh == en and len(zh) == 5 + 3 + 9 + 51 + 144 + 35 + len(alone) + len(first) + len(pairs)
    assert Path("agencies/sheng-fa-zhan-gai-ge-wei/with/sheng-huan-bao-ting/index.html") in zh


def test_language_switch_goes_to_the_exact_counterpart(site):
    for page in list(site.glob("zh/**/index.html")) + list(site.glob("en/**/index.html")):
        lang = page.relative_to(site).parts[0]
        other = "en" if lang == "zh" else "zh"
        switch = re.search(r'<li class="lang-switch">\s*<a href="([^"]+)"', page.read_text(encoding="utf-8"))
        target, _ = target_file(site, page, switch.group(1))
        assert target == site / other / page.relative_to(site / lang), page


def test_hreflang_pairs_resolve_on_every_page(site):
    for page in site.glob("*/**/index.html"):
        links = alternates(page)
        assert set(links) == {"zh-Hans", "en", "x-default"}, page
        lang_dir = page.relative_to(site).parts[0]
        for hreflang, href in links.items():
            target, _ = target_file(site, page, href)
            assert target.is_file(), (page, href)
            if hreflang != "x-default":
                expected = "zh" if hreflang == "zh-Hans" else "en"
                assert target == site / expected / page.relative_to(site / lang_dir)


def test_html_lang_on_every_page(site):
    for lang, expected in (("zh", "zh-Hans"), ("en", "en")):
        for page in (site / lang).rglob("index.html"):
            assert f'<html lang="{expected}">' in page.read_text(encoding="utf-8")


@pytest.mark.parametrize("built", ["site", "library"])
def test_no_english_page_has_untagged_chinese(built, request):
    """Neither the Shanxi document alone nor the library, whose other documents are partly translated."""
    site = request.getfixturevalue(built)
    offenders = {}
    for page in (site / "en").rglob("index.html"):
        reader = _LangReader()
        reader.feed(page.read_text(encoding="utf-8"))
        if reader.untagged:
            offenders[str(page.relative_to(site))] = reader.untagged[:3]
    assert offenders == {}


def test_untagged_chinese_would_be_caught():
    reader = _LangReader()
    reader.feed('<html lang="en"><body><p>Task <span lang="zh-Hans">省环保厅</span> 省财政厅</p></body></html>')
    assert reader.untagged == ["省财政厅"]


def test_unofficial_notice_once_on_every_english_page(site):
    notice = "This English translation is unofficial. The Chinese text is the official text and prevails."
    for page in (site / "en").rglob("index.html"):
        assert page.read_text(encoding="utf-8").count(notice) == 1, page
    assert notice not in (site / "zh" / "index.html").read_text(encoding="utf-8")


def test_english_task_page(site):
    page = (site / "en" / "tasks" / "67" / "index.html").read_text(encoding="utf-8")
    assert "1.8 kg" in page and "4,000" in page and "50 mg/Nm³" in page
    assert re.search(r'Provincial Environmental Protection Department</a>\s*<span class="position">listed 1st of 5', page)
    assert '<span lang="zh-Hans">（省环保厅、省发展改革委、省经信委、山西电监办、省电力公司负责）</span>' in page


def test_parallel_view_holds_both_texts_task_by_task(site):
    html = (site / "en" / "chapters" / "qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren" / "index.html").read_text(encoding="utf-8")
    assert '<input type="checkbox" id="parallel-toggle" class="parallel-toggle">' in html
    tasks = re.findall(r'<article class="task" id="task-(\d+)"', html)
    assert tasks == [str(n) for n in range(1, 15)]
    pair = html.split('id="task-6"')[1].split("</article>")[0]
    assert re.search(r'<p class="task-text">[A-Z][^<]*ammonia nitrogen', pair)
    assert '<p class="task-text other" lang="zh-Hans">加强氨氮、氮氧化物排放统计监测' in pair
    zh = (site / "zh" / "tasks" / "6" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="task-text other" lang="en">[A-Z][^<]*ammonia nitrogen', zh)


def test_document_json_has_english_fields(site):
    data = json.loads((site / "data" / "document.json").read_text(encoding="utf-8"))
    assert data["meta"]["title_en"].startswith("Division of Departmental Responsibilities")
    assert "*" not in json.dumps(data, ensure_ascii=False)  # cited titles are plain text in the data
    assert all(t["text_en"] for t in data["tasks"]) and all(c["title_en"] for c in data["chapters"])
    assert all(s["title_en"] for s in data["sections"])
    agency = next(a for a in data["agencies"] if a["name"] == "省环保厅")
    assert agency["full_name_en"] and agency["short_name_en"]


def test_glossary(site):
    terms = tomllib.loads((CONTENT / "glossary.toml").read_text(encoding="utf-8"))["term"]
    assert len(terms) >= 40
    required = ["节能减排", "十二五", "一票否决", "黄标车", "四气", "7＋2", "2＋10", "一池三改", "四位一体", "吊炕",
                "能评", "环评", "合同能源管理", "领跑者", "城市矿产", "排污权", "阶梯价格"]
    assert not set(required) - {t["zh"] for t in terms}
    page = (site / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    entry = page.split('id="huang-biao-che"')[1].split("</div>")[0]
    source = (CONTENT / "shanxi-12th-fyp-energy-saving-division.zh.txt").read_text(encoding="utf-8")
    uses = [int(n) for n in re.findall(r"\u3000(\d+)\.[^\n]*黄标车", source)]
    assert re.findall(r'href="../tasks/(\d+)/"', entry) == [str(n) for n in uses] and uses


def test_about_page_in_both_editions(site):
    for lang, title in (("zh", "关于本站"), ("en", "About this site")):
        page = (site / lang / "about" / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{title}</h1>" in page
        assert re.search(r"<code>private-use-line-end</code></th><td>[^<]+</td><td class=\"num\">200</td>", page)
        home = (site / lang / "index.html").read_text(encoding="utf-8")
        assert f'href="about/">{title}</a>' in home


@pytest.mark.parametrize("chinese, english", [
    ("150亿立方米", "15 billion cubic metres"),
    ("2000万平方米", "20 million m²"),
    ("发展高效“吊炕”25万户", "250,000 households with efficient raised kangs"),
    ("达到80%以上，控制在1.8kg以内", "at least 80%, within 1.8 kg"),
    ("到2015年", "by 2015"),
    ("4000吨/日以上", "4,000 tonnes/day or more"),
    ("2021年5月12日", "12 May 2021"),
    ("于2012年10月底前", "by the end of October 2012"),
])
def test_figure_check_understands_conversions(chinese, english):
    assert dropped_figures(chinese, english) == []


@pytest.mark.parametrize("chinese, english, dropped", [
    ("150亿立方米", "15 million cubic metres", ["15,000,000,000"]),
    ("到2015年，达到80%以上", "by 2015, at least 8%", ["80"]),
    ("推广10万户，改造5万户", "promote 100,000 households", ["50000"]),
    ("2021年5月12日", "12 June 2021", ["5"]),  # the wrong month named
    ("用3个月完成", "complete it in March", ["3"]),  # three months is not March
])
def test_figure_check_catches_dropped_figures(chinese, english, dropped):
    assert dropped_figures(chinese, english) == dropped


def _build(content: Path, out: Path, *options):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                           *options], capture_output=True, text=True)


@pytest.fixture
def damaged(content):
    """Content whose English lacks task 2, and whose Chinese for task 3 changed since translation."""
    chapter = content / "translations" / "en" / "chapter-1.toml"
    text = chapter.read_text(encoding="utf-8")
    text = re.sub(r'(\[task\.2\]\nsource = "\w+"\ntext = )".*"', r'\1""', text)
    chapter.write_text(text, encoding="utf-8")
    source = content / "shanxi-12th-fyp-energy-saving-division.zh.txt"
    source.write_text(source.read_text(encoding="utf-8").replace("合理分解各行业减排目标。", "合理分解各行业污染物减排目标。"),
                      encoding="utf-8")
    return content


def test_missing_and_stale_entries_warn_and_fall_back_to_chinese(damaged, tmp_path):
    result = _build(damaged, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    chapter = damaged / "translations" / "en" / "chapter-1.toml"
    lines = chapter.read_text(encoding="utf-8").splitlines()
    assert f"warning: {chapter}:{lines.index('[task.2]') + 1}: en: task.2: translation missing" in result.stderr
    assert f"warning: {chapter}:{lines.index('[task.3]') + 1}: en: task.3: translation stale" in result.stderr
    assert "en: 239/241 entries translated, 1 stale" in result.stdout
    page = (tmp_path / "site" / "en" / "tasks" / "3" / "index.html").read_text(encoding="utf-8")
    assert '<span lang="zh-Hans">合理分解各行业污染物减排目标。</span> <span class="pending">(translation pending)</span>' in page


def test_strict_build_fails_on_missing_and_stale(damaged, tmp_path):
    result = _build(damaged, tmp_path / "site", "--strict")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert re.search(r"^error: .*chapter-1.toml:\d+: en: task.2: translation missing$", result.stderr, re.M)
    assert re.search(r"^error: .*chapter-1.toml:\d+: en: task.3: translation stale", result.stderr, re.M)
    assert not (tmp_path / "site").exists()


def test_translation_for_an_unknown_id_is_an_error(content, tmp_path):
    chapter = content / "translations" / "en" / "chapter-9.toml"
    chapter.write_text(chapter.read_text(encoding="utf-8") + '\n[task.145]\nsource = "0"\ntext = "No such task."\n',
                       encoding="utf-8")
    result = _build(content, tmp_path / "site")
    assert result.returncode == 2
    lines = chapter.read_text(encoding="utf-8").splitlines()
    assert f"error: {chapter}:{lines.index('[task.145]') + 1}: task.145: no such id in the document" in result.stderr


def test_dropped_figure_in_a_translation_is_reported(content, tmp_path):
    chapter = content / "translations" / "en" / "chapter-4.toml"
    text = chapter.read_text(encoding="utf-8")
    chapter.write_text(text.replace("1.8 kg", "some kilograms"), encoding="utf-8")
    result = _build(content, tmp_path / "site", "--strict")
    assert result.returncode == 2
    assert "en: task.67: the translation lacks the figure(s) 1.8 of the Chinese" in result.stderr


def test_shipped_content_builds_strictly(tmp_path):
    result = _build(CONTENT, tmp_path / "site", "--strict")
    assert result.returncode == 0, result.stderr
    assert "en: 241/241 entries translated, 0 stale" in result.stdout
