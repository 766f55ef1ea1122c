"""The shipped library (content/): the documents under their own folders, the library's home filtered by
government and year, and one page per department across the documents."""

import json
import re
import shutil
import subprocess
import sys
from dataclasses import replace

import pytest

from policysite.config import config_for_source
from policysite.errors import BuildError
from policysite.glossary import load_library_glossary
from policysite.library import Government, departments
from policysite.pipeline import BuildResult, gather
from policysite.search import site_items
from policysite.model import NO_CLAUSE, Agency, Chapter, Document, Meta, Task

from .conftest import LIBRARY, ROOT
from .sitecheck import broken_links

SHANXI = "shanxi-2012-energy-saving-division"
DOCUMENTS = sorted(p.name for p in (LIBRARY / "documents").iterdir() if (p / "site.toml").is_file())


def build(content, out):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out)],
                          capture_output=True, text=True, timeout=300)


def page(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_every_document_keeps_its_pages_under_its_own_folder(library, site):
    """Shanxi in the library has every page it has alone (but its About, Open data and glossary pages, of
    which the library has its own), under zh/documents/<id>/."""
    alone = {p.relative_to(site / "zh") for p in (site / "zh").rglob("index.html")} - {
        p.relative_to(site / "zh") for p in (site / "zh").glob("*/index.html")
        if p.parent.name in ("about", "open-data", "glossary")}
    inside = {p.relative_to(library / "zh" / "documents" / SHANXI)
              for p in (library / "zh" / "documents" / SHANXI).rglob("index.html")}
    assert inside == alone
    assert len(DOCUMENTS) >= 6
    for doc in DOCUMENTS:
        assert (library / "zh" / "documents" / doc / "tasks" / "1" / "index.html").is_file()
        assert (library / "data" / "documents" / doc / "document.json").is_file()


def test_the_library_home_lists_the_documents_and_filters_without_javascript(library):
    home = page(library, "zh/index.html")
    rows = re.findall(r'<tr><th scope="row"><a href="documents/([a-z0-9-]+)/">', home)
    assert rows == DOCUMENTS
    assert '<a href="governments/state-council/">国务院办公厅 (2)</a>' in home
    assert '<a href="years/2012/">2012 (2)</a>' in home
    state_council = page(library, "zh/governments/state-council/index.html")
    assert re.findall(r'<a href="../../documents/([a-z0-9-]+)/">', state_council) == [
        "state-council-2013-coal-industry", "state-council-2016-quantified-targets"]
    assert "<h1>国务院办公厅的文件</h1>" in state_council
    year = page(library, "en/years/2012/index.html")
    assert re.findall(r'<th scope="row"><a href="../../documents/([a-z0-9-]+)/">', year) == [
        "guangzhou-2012-talent-cluster", SHANXI]
    english = page(library, "en/index.html")
    assert "241 of 241 entries<br><span class=\"count\">0 draft, 241 reviewed, 0 approved</span>" in english
    assert "23 of 23 entries<br><span class=\"count\">23 draft, 0 reviewed, 0 approved</span>" in english


def test_a_department_page_lists_its_tasks_in_every_document(library):
    """发展改革委 of the State Council General Office: 5 tasks in the 2013 document, 2 in the 2016 one."""
    data = {doc: json.loads(page(library, f"data/documents/{doc}/document.json"))
            for doc in ("state-council-2013-coal-industry", "state-council-2016-quantified-targets")}
    expected = {doc: [t["number"] for t in d["tasks"] if "发展改革委" in t["agencies"]] for doc, d in data.items()}
    assert {doc: len(numbers) for doc, numbers in expected.items()} == {
        "state-council-2013-coal-industry": 5, "state-council-2016-quantified-targets": 2}
    department = page(library, "zh/departments/state-council/fa-zhan-gai-ge-wei/index.html")
    for doc, numbers in expected.items():
        section = department.split(f'id="doc-{doc}"')[1].split("</section>")[0]
        assert [int(n) for n in re.findall(rf'<li><a href="../../../documents/{doc}/tasks/(\d+)/"', section)] \
            == numbers
    assert "7项任务" in department and "见于2份文件" in department
    assert '<a href="../../../documents/state-council-2013-coal-industry/agencies/cai-zheng-bu/">财政部</a>' \
        in department  # the other agencies on the task, beside it
    own = page(library, "zh/documents/state-council-2013-coal-industry/agencies/fa-zhan-gai-ge-wei/index.html")
    assert '<a href="../../../../departments/state-council/fa-zhan-gai-ge-wei/">' in own
    directory = page(library, "zh/departments/index.html")
    assert directory.index('id="gov-state-council"') < directory.index('id="gov-shanxi"')


def test_english_counts_of_one_are_singular(library):
    """"1 task", "in 1 document": no English page of the library says "1 tasks" or "1 documents", and
    pages that count one of something say so in the singular (the Chinese has no plural to mend)."""
    plural = re.compile(r"(?<![\d.,])1 (tasks|documents|sections|agencies)\b")
    wrong, singular = [], 0
    for page in (library / "en").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        wrong += [f"{page.relative_to(library)}: {m.group(0)}" for m in plural.finditer(text)]
        singular += len(re.findall(r"(?<![\d.,])1 task names both agencies|\bin 1 document\b", text))
    assert not wrong, wrong[:5]
    assert singular > 0


def test_the_same_short_name_in_two_governments_is_two_departments():
    """财政局 of one city is not 财政局 of another: a department is a government's agency."""
    def document(doc, government):
        task = Task(1, 1, None, "完善机制。", NO_CLAUSE, 1, "1.")
        config = config_for_source(ROOT / f"{doc}.zh.txt")
        return (replace(config, doc=doc, government=government),
                Document((), (Chapter(1, "总体要求", 1, (), (task,), "一、"),), Meta()),
                {"财政局": Agency("财政局", "财政局", "government", "cai-zheng-ju", (1,), (1,))})

    governments = {key: Government(key, {"zh": key, "en": key}, "city") for key in ("wuxi", "suzhou")}
    found = departments([document("a", "wuxi"), document("b", "suzhou"), document("c", "wuxi")], governments)
    assert [(d.government.key, d.name, [h.doc for h in d.holdings]) for d in found] == [
        ("wuxi", "财政局", ["a", "c"]), ("suzhou", "财政局", ["b"])]


def test_the_library_has_no_broken_links(library):
    assert broken_links(library) == []


def test_urls_do_not_depend_on_which_documents_the_library_holds(tmp_path, library):
    """Removing a document leaves every other page where it was."""
    content = tmp_path / "content"
    shutil.copytree(LIBRARY, content)
    shutil.rmtree(content / "documents" / "guangzhou-2012-talent-cluster")
    result = build(content, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    smaller = {p.relative_to(tmp_path / "site") for p in (tmp_path / "site").rglob("index.html")}
    larger = {p.relative_to(library) for p in library.rglob("index.html")}
    assert smaller < larger and all("guangzhou" in str(p) for p in larger - smaller)


def test_another_short_name_joins_the_agency_the_registry_says_it_is():
    """One document writes 市环保局, another 市环境保护局; the registry says the second is the same as the first."""
    def document(doc, name, same_as=""):
        task = Task(1, 1, None, "完善机制。", NO_CLAUSE, 1, "1.")
        return (replace(config_for_source(ROOT / f"{doc}.zh.txt"), doc=doc, government="wuxi"),
                Document((), (Chapter(1, "总体要求", 1, (), (task,), "一、"),), Meta()),
                {name: Agency(name, f"无锡{name}", "government", "slug", (1,), (1,), same_as=same_as)})

    governments = {"wuxi": Government("wuxi", {"zh": "无锡市", "en": "Wuxi City"}, "city")}
    found = departments([document("a", "市环境保护局", same_as="市环保局"), document("b", "市环保局")], governments)
    assert [(d.name, d.full_name, [(h.doc, h.agency.name) for h in d.holdings]) for d in found] == [
        ("市环保局", "无锡市环保局", [("a", "市环境保护局"), ("b", "市环保局")])]


def small_library(content, texts: dict, governments: str = ""):
    """A library of small documents (id → text) of one government, test City."""
    for doc, text in texts.items():
        (content / "documents" / doc).mkdir(parents=True)
        (content / "documents" / doc / "source.zh.txt").write_text(text, encoding="utf-8")
        (content / "documents" / doc / "site.toml").write_text(
            '[document]\nsource = "source.zh.txt"\ngovernment = "test"\nyear = 2020\n', encoding="utf-8")
    (content / "site.toml").write_text('[library]\ntitle.zh = "测试文件库"\ntitle.en = "A test library"\n\n'
                                       '[site]\nlanguages = ["zh", "en"]\n\n[governments.test]\nzh = "测试市"\n'
                                       'en = "Test City"\n' + governments, encoding="utf-8")
    return content


def test_a_department_links_the_department_that_holds_its_job_today(tmp_path):
    """The lineage says 市环保局 became 测试市生态环境局, which a later document names as 市生态环境局:
    each department's page links to the other."""
    content = small_library(tmp_path / "content", {
        "a": "一、总体要求\n1.建立制度。（市环保局负责）\n",
        "b": "一、总体要求\n1.完善机制。（市生态环境局负责）\n"}, governments='registry = "registry.toml"\n'
        'lineage = "lineage.toml"\n')
    (content / "registry.toml").write_text(
        '["市环保局"]\nfull_name = "测试市环境保护局"\nkind = "government"\nslug = "shi-huan-bao-ju"\n\n'
        '["市生态环境局"]\nfull_name = "测试市生态环境局"\nkind = "government"\nslug = "shi-sheng-tai-huan-jing-ju"\n',
        encoding="utf-8")
    (content / "lineage.toml").write_text(
        '["市环保局"]\nstatus = "renamed"\nbasis = "direct"\nyear = 2019\nsuccessors = ["测试市生态环境局"]\n'
        'successors_en = ["Test City Ecology and Environment Bureau"]\nsource_url = "https://example.org/reform"\n'
        'quote = "组建市生态环境局，不再保留市环境保护局。"\n', encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    old = page(tmp_path / "site", "zh/departments/test/shi-huan-bao-ju/index.html")
    assert '其职责今天由本库中的这些单位承担：<a href="../shi-sheng-tai-huan-jing-ju/">市生态环境局</a>' in old
    new = page(tmp_path / "site", "zh/departments/test/shi-sheng-tai-huan-jing-ju/index.html")
    assert '本库中由其承担今天职责的前身单位： <a href="../shi-huan-bao-ju/">市环保局</a>' in new


def test_a_government_lineage_names_no_agency_its_documents_do_not(tmp_path):
    content = small_library(tmp_path / "content", {"a": "一、总体要求\n1.建立制度。（市环保局负责）\n"},
                            governments='lineage = "lineage.toml"\n')
    (content / "lineage.toml").write_text('["市林业局"]\nstatus = "unknown"\n', encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert result.returncode == 2
    assert f"{content / 'lineage.toml'}:1: lineage of 市林业局: no document of its government names" in result.stderr


def test_documents_that_cite_one_another_link_both_ways(tmp_path):
    """B's preamble cites A by its number: B's page links to A, and A's page lists B among those citing it."""
    content = tmp_path / "content"
    texts = {"a": "测政发〔2020〕1号\n测试市人民政府关于印发节能工作分工的通知\n各区人民政府，市政府各部门：\n"
                  "现将有关工作分工如下：\n一、总体要求\n1.建立制度。（市发改委负责）\n2.完善机制。（市财政局负责）\n",
             "b": "测试市人民政府办公室关于印发节能工作分工细化方案的通知\n各区人民政府，市政府各部门：\n"
                  "根据《测试市人民政府关于印发节能工作分工的通知》（测政发[2020]1号）精神，现将有关工作分工如下：\n"
                  "一、总体要求\n1.细化制度。（市发改委负责）\n"}
    small_library(content, texts)
    result = build(content, tmp_path / "site")
    assert result.returncode == 0, result.stderr
    b = page(tmp_path / "site", "zh/documents/b/index.html")
    assert '<li><span lang="zh-Hans">测政发[2020]1号</span> <a href="../a/">测试市人民政府关于印发节能工作分工的通知</a></li>' in b
    a = page(tmp_path / "site", "zh/documents/a/index.html")
    cited_by = a.split("引用本文件的文件")[1]
    assert '<li><a href="../b/">测试市人民政府办公室关于印发节能工作分工细化方案的通知</a></li>' in cited_by
    assert "测政发〔2020〕1号" in page(tmp_path / "site", "zh/index.html")  # the library lists its number


def test_a_department_with_too_many_tasks_for_one_page_is_split_by_document(tmp_path):
    """Three documents made by benchmarks/make_library.py: a department with more than 150 tasks lists
    none itself; each document's section links to its page in that document."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from make_library import make

    result = build(make(3, tmp_path / "content"), tmp_path / "site")
    assert result.returncode == 0, result.stderr
    pages = {p: p.read_text(encoding="utf-8") for p in (tmp_path / "site" / "en" / "departments").glob("*/*/index.html")}
    split = {p: text for p, text in pages.items() if "too many for one page" in text}
    assert split and len(split) < len(pages)
    for path, text in split.items():
        tasks = int(re.search(r"This agency has (\d+) tasks", text).group(1))
        assert tasks > 150 and "/tasks/" not in text.split("</dl>")[1]
        assert len(re.findall(r'<a href="../../../documents/doc-00\d/agencies/[a-z0-9-]+/">Its page in this document',
                              text)) == text.count('<section aria-labelledby="doc-')
    assert max(len(text) for text in pages.values()) < 200_000


def test_the_library_answers_what_its_issue_promised(library):
    """省环保厅's department page names its successor with the source; the Shanxi document says what is known
    of its issuer, number and date, and where from; the home names each document's issuing body."""
    epb = page(library, "en/departments/shanxi/sheng-huan-bao-ting/index.html")
    today = epb.split('id="today"')[1].split("</section>")[0]
    assert "Department of Ecology and Environment of Shanxi Province" in today
    assert 'href="http://shanxi.chinagdp.org/hjzy/201811/826.html" rel="external"' in today
    shanxi = page(library, f"en/documents/{SHANXI}/index.html")
    assert "<dt>Issued by</dt><dd>unknown</dd>" in shanxi and "wisor.cc" in shanxi
    home = page(library, "zh/index.html")
    assert '<td><span lang="zh-Hans">国务院办公厅</span></td>' in home and "国办发〔2013〕104号" in home
    jiayu = page(library, "en/documents/jiayu-2021-government-work-report/index.html")
    assert "An excerpt: the covering notice and items (1) to (5)" in jiayu
    partial = "The English of this document so far covers its title and the names of its agencies"
    assert partial not in jiayu and partial not in shanxi  # every document's English is complete


def test_the_library_has_one_glossary_that_says_where_each_document_uses_a_term(library):
    """节能减排 (energy conservation and emission reduction) is used by Shanxi and the State Council's 2013 text."""
    glossary = page(library, "zh/glossary/index.html")
    term = glossary.split('id="jie-neng-jian-pai"')[1].split("</div>")[0]
    data = {doc: json.loads(page(library, f"data/documents/{doc}/document.json")) for doc in DOCUMENTS}
    using = {doc: [t["number"] for t in d["tasks"] if "节能减排" in t["text"]] for doc, d in data.items()}
    assert re.findall(r'<a href="../documents/([a-z0-9-]+)/">', term) == [doc for doc, n in using.items() if n] == [
        SHANXI, "state-council-2013-coal-industry"]
    coal = term.split('href="../documents/state-council-2013-coal-industry/"')[1]
    assert re.findall(r'<a href="../documents/state-council-2013-coal-industry/tasks/(\d+)/">', coal) == [
        str(n) for n in using["state-council-2013-coal-industry"]]
    task = page(library, f"zh/documents/{SHANXI}/tasks/1/index.html")
    assert '<a href="../../../../glossary/">术语表</a>' in task  # the document's pages link the library's glossary
    assert not (library / "zh" / "documents" / SHANXI / "glossary").exists()


def test_a_term_no_document_of_the_library_uses_is_left_out_with_a_warning_and_an_error_when_strict(tmp_path):
    """As when the document that used it leaves the library: the build goes on without it."""
    content = small_library(tmp_path / "content", {"a": "一、总体要求\n1.建立制度。（市环保局负责）\n"})
    (content / "site.toml").write_text((content / "site.toml").read_text(encoding="utf-8").replace(
        'title.en = "A test library"\n', 'title.en = "A test library"\nglossary = "glossary.toml"\n'), encoding="utf-8")
    (content / "glossary.toml").write_text('[[term]]\nzh = "碳达峰"\nen = "carbon peaking"\n\n'
                                           '[[term]]\nzh = "制度"\nen = "system"\n', encoding="utf-8")
    message = f"{content / 'glossary.toml'}:1: 碳达峰: no document of the library uses this term; left out"
    result = build(content, tmp_path / "site")
    assert result.returncode == 0 and f"warning: {message}" in result.stderr, result.stderr
    glossary = page(tmp_path / "site", "en/glossary/index.html")
    assert "carbon peaking" not in glossary and "system" in glossary
    documents = [(r.config.doc, r.document) for r, _ in gather(content, BuildResult()).renderers if r.document]
    with pytest.raises(BuildError) as strict:  # --strict (this small library fails it sooner, for other reasons)
        load_library_glossary((content / "glossary.toml",), documents, strict=True)
    assert [str(problem) for problem in strict.value.problems] == [message]


def test_the_library_glossary_joins_its_files_and_refuses_a_term_two_of_them_give(tmp_path, library):
    page = (library / "en" / "glossary" / "index.html").read_text(encoding="utf-8")
    assert "overseas talent workstations" in page and "denitration (NOx removal)" in page  # content/glossary.toml,
    assert 'Also rendered: <span lang="en">“Government Work Report”</span> <span lang="en">(Report on' in page
    content = small_library(tmp_path / "content", {"a": "一、总体要求\n1.建立制度。（市环保局负责）\n"})  # Shanxi's
    (content / "site.toml").write_text((content / "site.toml").read_text(encoding="utf-8").replace(
        'title.en = "A test library"\n', 'title.en = "A test library"\nglossary = ["one.toml", "two.toml"]\n'),
        encoding="utf-8")
    (content / "one.toml").write_text('[[term]]\nzh = "制度"\nen = "system"\n', encoding="utf-8")
    (content / "two.toml").write_text('# another\n[[term]]\nzh = "制度"\nen = "institution"\n', encoding="utf-8")
    result = build(content, tmp_path / "site")
    assert result.returncode == 2
    assert f"{content / 'two.toml'}:2: 制度: also in {content / 'one.toml'}:1" in result.stderr


def test_a_document_of_the_library_finds_the_library_glossary_terms_it_uses(library):
    """Its search (the library's, narrowed to it) keeps the glossary terms and departments it uses."""
    head = next((library / "search").glob("head.*.js")).read_text(encoding="utf-8")
    data = json.loads(head[head.index(",") + 1:head.rindex(")")])
    coal = data["docs"].index("state-council-2013-coal-industry")
    items, _ = site_items(gather(LIBRARY, BuildResult()))
    related = {ref: docs for ref, *docs in data["related"]}
    anchors = {item.shown["zh"][2]: ref for ref, item in enumerate(items) if item.kind == "term"}
    assert coal in related[anchors["glossary/#jie-neng-jian-pai"]]
    assert coal not in related[anchors["glossary/#mu-biao-ze-ren-zhi"]]
