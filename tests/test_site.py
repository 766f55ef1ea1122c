"""The built Chinese edition: every page exists, says what it should, and every link resolves."""

import json
import re
import subprocess
import sys

from .conftest import ROOT
from .sitecheck import broken_links, read_page


def html(site, path):
    return (site / path).read_text(encoding="utf-8")


def test_every_page_type_is_written(site):
    zh = site / "zh"
    assert (zh / "index.html").is_file()
    assert len(list((zh / "chapters").glob("*/index.html"))) == 9
    assert len(list((zh / "sections").glob("*/index.html"))) == 51
    assert sorted(int(p.parent.name) for p in (zh / "tasks").glob("*/index.html")) == list(range(1, 145))
    assert (zh / "agencies" / "index.html").is_file()
    assert len(list((zh / "agencies").glob("*/index.html"))) == 35


def test_no_broken_links_or_fragments(site):
    assert broken_links(site) == []


def test_crawl_catches_a_broken_link(site, tmp_path):
    """The crawl itself can fail: a page with a dead link and a dead fragment is reported."""
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "index.html").write_text('<html lang="zh"><a href="../b/">x</a><a href="#nope">y</a></html>')
    assert len(broken_links(tmp_path)) == 2


def test_every_page_declares_its_language(site):
    langs = {read_page(p).lang for p in (site / "zh").rglob("*.html")}
    assert langs == {"zh-Hans"}


def test_home_has_title_preamble_and_contents(site):
    page = html(site, "zh/index.html")
    assert "山西省“十二五”节能减排综合性工作方案部门分工" in page
    assert "根据《国务院关于印发“十二五”节能减排综合性工作方案的通知》（国发〔2011〕26号）" in page
    assert re.search(r"一、强化节能减排目标责任</a>\s*<span class=\"count\">14项任务", page)
    assert re.search(r"（五十一）政府机关带头节能减排。</a>\s*<span class=\"count\">1项任务", page)
    assert 'href="agencies/"' in page


def test_task_page(site):
    page = html(site, "zh/tasks/67/index.html")
    assert "控制焦炉煤气硫化氢含量50mg/Nm³以下" in page
    assert re.search(r'href="../../agencies/sheng-huan-bao-ting/">省环保厅</a>\s*<span class="position">列第1位（共5个）', page)
    assert re.search(r'href="../../agencies/sheng-dian-li-gong-si/">省电力公司</a>\s*<span class="position">列第5位（共5个）', page)
    assert 'rel="prev" href="../66/"' in page and 'rel="next" href="../68/"' in page
    crumbs = re.search(r'<nav class="breadcrumbs".*?</nav>', page, re.S).group()
    assert [re.sub(r"<.*?>", "", item).strip() for item in re.findall(r"<li>(.*?)</li>", crumbs, re.S)] == [
        "首页", "四、实施污染减排重点工程", "（二十）推进二氧化硫和氮氧化物减排工程和烟尘、工业粉尘治理。", "第67项"]


def test_task_page_shows_the_modifier(site):
    page = html(site, "zh/tasks/6/index.html")
    assert "条款写明由上列单位“会同有关部门”负责。" in page
    assert "（省环保厅会同有关部门负责）" in page


def test_first_and_last_task_have_one_neighbour(site):
    assert 'rel="prev"' not in html(site, "zh/tasks/1/index.html")
    assert 'rel="next"' not in html(site, "zh/tasks/144/index.html")


def test_chapter_page_anchors_its_sections(site):
    page = html(site, "zh/chapters/qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren/index.html")
    assert 'id="he-li-fen-jie-jie-neng-jian-pai-zhi-biao"' in page
    assert page.count('class="task"') == 14


def test_agency_directory_groups_by_kind_and_orders_by_count(site):
    page = html(site, "zh/agencies/index.html")
    groups = re.findall(r'<h2 id="kind-(\w+)">', page)
    assert groups == ["government", "party", "central", "enterprise", "people"]
    government = page.split('id="kind-government"')[1].split("<h2")[0]
    counts = [int(n) for n in re.findall(r'<td class="num">(\d+)</td><td class="num">\d+</td>', government)]
    assert counts == sorted(counts, reverse=True) and counts[0] == 82
    assert "人行太原中心支行" in page.split('id="kind-central"')[1].split("<h2")[0]


def test_agency_page(site):
    page = html(site, "zh/agencies/sheng-huan-bao-ting/index.html")
    assert "<h1>山西省环境保护厅</h1>" in page
    first = sum(1 for t in json.loads(html(site, "data/document.json"))["tasks"] if t["agencies"][0] == "省环保厅")
    assert f"61项任务，其中{first}项列第一位" in page
    assert page.index('id="partners"') < page.index('id="tasks"')  # the partners table sits near the top
    partners = page.split('id="partners"')[1]
    assert re.search(r'href="../sheng-fa-zhan-gai-ge-wei/">省发展改革委</a></th><td class="num">'
                     r'<a href="../sheng-fa-zhan-gai-ge-wei/with/sheng-huan-bao-ting/">37<span', partners)


def test_an_agency_page_names_the_other_agencies_beside_each_task(site):
    page = html(site, "zh/agencies/sheng-huan-bao-ting/index.html")
    task_6 = page.split('href="../../tasks/6/"')[1].split("</li>\n    <li>")[0]
    assert "单独承担" in task_6  # 加强氨氮……（省环保厅会同有关部门负责）
    task_9 = page.split('href="../../tasks/9/"')[1].split("</li>\n    <li>")[0]
    assert re.search(r'共同承担：\s*<ul>\s*<li><a href="../sheng-fa-zhan-gai-ge-wei/">省发展改革委</a></li>\s*'
                     r'<li><a href="../sheng-tong-ji-ju/">省统计局</a></li>', task_9)


def test_an_agency_page_narrows_without_javascript(site):
    tasks = json.loads(html(site, "data/document.json"))["tasks"]
    alone = [t["number"] for t in tasks if t["agencies"] == ["省环保厅"] and not t.get("parties")]
    first = [t["number"] for t in tasks if t["agencies"][:1] == ["省环保厅"]]
    page = html(site, "zh/agencies/sheng-huan-bao-ting/index.html")
    assert f'<a href="alone/">单独承担（{len(alone)}）</a>' in page and f'<a href="first/">列第一位（{len(first)}）</a>' in page
    for narrow, numbers in (("alone", alone), ("first", first)):
        narrowed = html(site, f"zh/agencies/sheng-huan-bao-ting/{narrow}/index.html")
        shown = [int(n) for n in re.findall(r'<li><a href="../../../tasks/(\d+)/"', narrowed)]
        assert shown == numbers
        assert 'aria-current="page">' + ("单独承担" if narrow == "alone" else "列第一位") in narrowed


def test_a_pair_page_lists_the_tasks_two_agencies_share(site):
    tasks = json.loads(html(site, "data/document.json"))["tasks"]
    shared = [t["number"] for t in tasks if {"省环保厅", "省发展改革委"} <= set(t["agencies"])]
    assert len(shared) == 37
    page = html(site, "zh/agencies/sheng-fa-zhan-gai-ge-wei/with/sheng-huan-bao-ting/index.html")
    assert "<h1>省发展改革委与省环保厅</h1>" in page
    assert [int(n) for n in re.findall(r'<li><a href="../../../../tasks/(\d+)/"', page)] == shared
    collaboration = html(site, "en/collaboration/index.html")
    assert re.search(r'<td class="num"><a href="../agencies/sheng-fa-zhan-gai-ge-wei/with/sheng-huan-bao-ting/">37'
                     r'<span class="visually-hidden"> \(tasks shared by Provincial DRC and Provincial Environmental '
                     r'Protection Department\)</span></a>', collaboration)


def test_document_json(site):
    data = json.loads(html(site, "data/document.json"))
    assert len(data["chapters"]) == 9 and len(data["sections"]) == 51 and len(data["tasks"]) == 144
    task = data["tasks"][5]
    assert task["number"] == 6 and task["chapter"] == 1 and task["section"] == 2
    assert task["text"] == "加强氨氮、氮氧化物排放统计监测，建立农业源和机动车排放统计监测指标体系。"
    assert task["agencies"] == ["省环保厅"] and task["modifier"] == "会同有关部门"
    agency = next(a for a in data["agencies"] if a["name"] == "人行太原中心支行")
    assert agency["full_name"] == "中国人民银行太原中心支行" and agency["kind"] == "central"
    assert agency["slug"] == "ren-hang-tai-yuan-zhong-xin-zhi-hang" and agency["tasks"] == [15, 126]


def test_a_clause_naming_many_agencies_keeps_every_page_bounded(tmp_path):
    """Sixty agencies in one clause: each agency page lists its 50 closest partners and says how many more;
    beside the task, twelve others and a link to the task for the rest; a pair sharing that one task links
    to the task itself, so no page is made for each of the 1,770 pairs."""
    names = "、".join(f"市第{i}局" for i in range(1, 61))
    source = tmp_path / "crowd.zh.txt"
    source.write_text(f"一、总体要求\n1.建立制度。（{names}负责）\n2.完善机制。（市第1局、市第2局负责）\n", encoding="utf-8")
    out = tmp_path / "site"
    subprocess.run([sys.executable, str(ROOT / "build.py"), "--source", str(source), "--out", str(out), "--quiet"],
                   check=True)
    page = (out / "zh/agencies/shi-di-5-ju/index.html").read_text(encoding="utf-8")
    partners = page.split('id="partners"')[1].split("</section>")[0]
    assert partners.count('<th scope="row">') == 50 and "另有9个单位与本单位共同承担任务" in partners
    assert '<a href="../../tasks/1/">1<span' in partners
    assert '<li><a href="../../tasks/1/">另47个，见任务页</a></li>' in page
    first = (out / "zh/agencies/shi-di-1-ju/index.html").read_text(encoding="utf-8")
    assert '<a href="with/shi-di-2-ju/">2<span' in first
    assert sorted(p.parent.name for p in out.glob("zh/agencies/*/with/*/index.html")) == ["shi-di-2-ju"]


def test_an_agency_page_says_who_holds_the_job_today_with_its_source(site):
    page = html(site, "zh/agencies/sheng-huan-bao-ting/index.html")
    today = page.split('id="today"')[1].split("</section>")[0]
    assert "<dt>此后</dt><dd>更名（2018年）</dd>" in today
    assert "<dt>现承担单位</dt><dd>山西省生态环境厅</dd>" in today
    assert '<a href="http://shanxi.chinagdp.org/hjzy/201811/826.html" rel="external" lang="zh-Hans">为建设美丽山西提供坚实生态环境支撑</a>' \
        in today and "10月27日,山西省生态环境厅正式挂牌" in today
    english = html(site, "en/agencies/sheng-huan-bao-ting/index.html")
    assert ("Department of Ecology and Environment of Shanxi Province (<span lang=\"zh-Hans\">山西省生态环境厅</span>)"
            in english)
    task = html(site, "en/tasks/9/index.html")
    assert '<span class="today-short">today: Department of Ecology and Environment of Shanxi Province' in task
    unchanged = html(site, "zh/agencies/sheng-cai-zheng-ting/index.html")
    assert "未变，仍以原名称存在" in unchanged
    data = json.loads(html(site, "data/document.json"))
    epb = next(a for a in data["agencies"] if a["name"] == "省环保厅")
    assert epb["today"]["successors"] == ["山西省生态环境厅"] and epb["today"]["year"] == 2018


def test_the_home_page_says_what_is_known_of_the_document_and_where_from(site):
    """The Shanxi text has no heading: issuer, number and date are unknown, and the page says why."""
    page = html(site, "en/index.html")
    provenance = page.split('id="provenance"')[1].split("</section>")[0]
    assert "<dt>Issued by</dt><dd>unknown</dd>" in provenance and "<dt>Date</dt><dd>unknown</dd>" in provenance
    assert 'href="http://wisor.cc/policy/show.php?from=client&amp;itemid=98577" rel="external"' in provenance
    assert "shows no issuing body, number or date" in provenance  # what the research found
    facts = page.split('id="doc-facts"')[1].split("</section>")[0]
    assert facts.count("<li>") == 3 and "晋政发〔2012〕10号</span> <cite" in facts and "2012-04-08" in facts
    assert "No copy of it was found" in facts  # 国办函〔2011〕125号
    meta = json.loads(html(site, "data/document.json"))["meta"]
    assert meta["facts"]["issuer"] == "" and [c["number"] for c in meta["cites"]] == meta["implements"]


def test_templates_call_functions_as_jinja2_does(tmp_path):
    """The build's quicker way of calling from a template (render._Context) changes nothing a template
    sees: a function marked pass_context gets its context, a macro its arguments and its caller, a
    callable object and a class are called, and a call that raises StopIteration is undefined."""
    import jinja2

    from policysite.render import environment

    (tmp_path / "t.html").write_text(
        '{% macro m(a, b="b") %}{{ a }}{{ b }}{{ caller() if caller is defined else "" }}{% endmacro %}'
        '{{ m("x", b="y") }}|{% call m("p") %}c{% endcall %}|{% for i in [1] %}{{ ctx() }}{% endfor %}|'
        '{{ plus(1) }}|{{ dict(k=2).k }}|{{ stop() is undefined }}', encoding="utf-8")

    @jinja2.pass_context
    def ctx(context):
        return context["name"]

    class Plus:
        def __call__(self, n):
            return n + 1

    def stop():
        raise StopIteration

    values = dict(name="N", ctx=ctx, plus=Plus(), stop=stop)
    html = environment(tmp_path).get_template("t.html").render(values)
    assert html == "xy|pbc|N|2|2|True"
    assert html == jinja2.Environment(loader=jinja2.FileSystemLoader(tmp_path), undefined=jinja2.StrictUndefined,
                                      autoescape=True).get_template("t.html").render(values)
