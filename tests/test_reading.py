"""Wayfinding and typography as a reader meets them: where a page sits, what comes before and after
it, the glossary's letters, and Chinese interface text set with Chinese punctuation."""

import re
from html.parser import HTMLParser

from policysite.slugs import syllables

from .sitecheck import target_file

DOC = "documents/shanxi-2012-energy-saving-division/"
CHAPTER = "qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren/"


def html(site, path):
    return (site / path).read_text(encoding="utf-8")


def prev_next(site, path):
    """The previous and next links of a page, as (page they lead to, text), resolved to files."""
    page = site / path
    nav = re.search(r'<nav class="prev-next".*?</nav>', html(site, path), re.S)
    if not nav:
        return {}
    found = {}
    for rel, href, text in re.findall(r'<a rel="(prev|next)" href="([^"]+)">(.*?)</a>', nav.group(), re.S):
        target, _ = target_file(site, page, href)
        found[rel] = (target.parent.relative_to(site / path.split("/")[0]).as_posix(), re.sub(r"<.*?>", "", text))
    return found


def test_a_task_page_names_its_section_under_the_heading(site):
    page = html(site, "zh/tasks/67/index.html")
    meta = re.search(r"</h1>\s*<p class=\"meta\">(.*?)</p>", page, re.S).group(1)
    assert re.sub(r"<.*?>", "", meta) == "（二十）推进二氧化硫和氮氧化物减排工程和烟尘、工业粉尘治理。"
    english = html(site, "en/tasks/67/index.html")
    meta = re.search(r"</h1>\s*<p class=\"meta\">(.*?)</p>", english, re.S).group(1)
    assert re.sub(r"<.*?>", "", meta).startswith("(20) Advance sulphur dioxide and nitrogen oxides reduction")


def test_previous_and_next_on_task_chapter_and_section_pages(site):
    assert prev_next(site, "zh/tasks/67/index.html") == {"prev": ("tasks/66", "← 上一项：第66项"),
                                                         "next": ("tasks/68", "下一项：第68项 →")}
    assert prev_next(site, "en/tasks/1/index.html") == {"next": ("tasks/2", "Next task: Task 2 →")}
    chapters = [p.parent.name for p in (site / "zh" / "chapters").glob("*/index.html")]
    home = html(site, "zh/index.html")
    order = sorted(chapters, key=lambda name: home.index(f'href="chapters/{name}/"'))
    first, second, last = order[0], order[1], order[-1]
    first_links = prev_next(site, f"zh/chapters/{first}/index.html")
    assert list(first_links) == ["next"] and first_links["next"][0] == f"chapters/{second}"
    assert first_links["next"][1] == "下一章：二、调整优化产业结构 →"
    assert set(prev_next(site, f"zh/chapters/{last}/index.html")) == {"prev"}
    section = prev_next(site, "en/sections/tui-jin-er-yang-hua-liu-he-dan-yang-hua-wu-jian-pai-gong-cheng-he-yan-chen-gong/"
                              "index.html")
    assert section["prev"][1].startswith("← Previous section: (19) ")
    assert section["next"][1].startswith("Next section: (21) ")


def test_the_glossary_has_a_letter_index_in_each_editions_order(site):
    for lang in ("zh", "en"):
        page = html(site, f"{lang}/glossary/index.html")
        letters = re.findall(r'<a href="#letter-(\w+)">', re.search(r'<nav class="letters".*?</nav>', page, re.S).group())
        headings = re.findall(r'<h2 class="letter" id="letter-(\w+)">', page)
        assert letters == headings == sorted(headings) and len(headings) > 10
        for letter, block in re.findall(r'<h2 class="letter" id="letter-(\w+)">(.*?)</dl>', page, re.S):
            terms = re.findall(r'<dt><span lang="zh-Hans">(.*?)</span> <span class="rendering" lang="en">(.*?)</span>',
                               block)
            keys = [syllables(zh) if lang == "zh" else re.sub(r"^\W+", "", en).casefold() for zh, en in terms]
            assert keys == sorted(keys), (lang, letter)
            if letter == "other":  # terms that start with a figure come last
                assert not any(key[0][0].isalpha() for key in keys)
            else:
                assert {key[0][0].upper() for key in keys} == {letter}, (lang, letter, keys)
    assert re.search(r'id="letter-W">.*?问责制', html(site, "zh/glossary/index.html"), re.S)
    assert re.search(r'id="letter-A">.*?accountability system', html(site, "en/glossary/index.html"), re.S)


class _ChineseText(HTMLParser):
    """The text of <body> in Chinese-language elements, with a break wherever other text stood."""

    VOID = {"meta", "link", "br", "img", "input", "hr", "wbr", "source", "area", "col", "base", "embed"}

    def __init__(self):
        super().__init__()
        self.stack, self.text, self.in_body = [], [], False

    def handle_starttag(self, tag, attrs):
        if tag not in self.VOID:
            attrs = dict(attrs)
            lang = "quoted" if attrs.get("rel") == "external" else attrs.get("lang")
            self.stack.append((tag, lang or (self.stack[-1][1] if self.stack else "")))
            self.in_body = self.in_body or tag == "body"

    def handle_endtag(self, tag):
        while self.stack and self.stack.pop()[0] != tag:
            pass

    def handle_data(self, data):
        if self.in_body:
            chinese = self.stack and self.stack[-1][1].startswith("zh") and self.stack[-1][0] not in ("blockquote", "q")
            self.text.append(data if chinese else "\0")


HALF_WIDTH_AFTER_CHINESE = re.compile(r"[\u4e00-\u9fff）》”][ \n]*[:;](?!”)|\0\.\s+[\u4e00-\u9fff]")


def half_width_punctuation(page: str) -> list[str]:
    reader = _ChineseText()
    reader.feed(page)
    text = "".join(reader.text)
    return [text[max(0, m.start() - 6):m.end() + 4] for m in HALF_WIDTH_AFTER_CHINESE.finditer(text)]


def test_chinese_interface_text_uses_full_width_colons_and_semicolons(site, library):
    """Interface strings on Chinese pages (上一项：, 出现于：, 现为：, …). Quoted sources and the titles of
    linked sources are left out: their text is as their publishers wrote it."""
    assert half_width_punctuation('<html lang="zh-Hans"><body><p>出现于: <a>1</a></p></body></html>') == ["出现于: 1"]
    assert half_width_punctuation('<body lang="zh-Hans"><a lang="en">wisor.cc</a>. 找到</body>')
    assert not half_width_punctuation('<body lang="zh-Hans"><p>始于“各委、办、厅、局:”，未载</p></body>')
    found = {}
    for built, folder in ((site, "zh"), (library, "zh/departments")):
        for path in (built / folder).rglob("*.html"):
            bad = half_width_punctuation(path.read_text(encoding="utf-8"))
            if bad:
                found[path.relative_to(built).as_posix()] = bad[:3]
    assert found == {}


def test_one_english_title_everywhere(site):
    """The document's English title is the same in its heading, the About page, the page metadata and
    the citations; English pages show the Chinese title beside it."""
    from html import unescape

    home = html(site, "en/index.html")
    title = unescape(re.sub(r"<.*?>", "", re.search(r"<h1>(.*?)</h1>", home, re.S).group(1)))
    assert title == ("Division of Departmental Responsibilities for Shanxi Province's 12th Five-Year Comprehensive "
                     "Work Plan for Energy Conservation and Emission Reduction")
    assert '<span lang="zh-Hans">山西省“十二五”节能减排综合性工作方案部门分工</span>' in home.split("</h1>")[1].split("</p>")[0]
    about = unescape(re.sub(r"\s+", " ", html(site, "en/about/index.html")))
    assert f"<em>{title}</em>" in about
    for path in ("en/index.html", "en/tasks/67/index.html", "en/chapters/" + CHAPTER + "index.html"):
        page = unescape(html(site, path))
        assert f'<meta property="og:site_name" content="{title}">' in page, path
        cites = re.findall(r'<p class="cite-text"><span class="label">In English</span>(.*?)</p>', page)
        assert len(cites) == 1 and title in cites[0], path
