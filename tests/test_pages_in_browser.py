"""Pages as a reader sees them in headless Chromium: typography, the side-by-side view, layout."""

import re

import pytest

pytestmark = pytest.mark.browser

CHAPTER = "chapters/qiang-hua-jie-neng-jian-pai-mu-biao-ze-ren/"


def fonts_used(page, selector: str) -> list[str]:
    """The fonts Chromium really drew a node's text with (DevTools' platform fonts), most glyphs first."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
    fonts = cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]
    cdp.detach()
    return [f["familyName"] for f in sorted(fonts, key=lambda f: -f["glyphCount"])]


def test_the_side_by_side_choice_is_remembered_from_page_to_page(page, base_url):
    page.goto(f"{base_url}zh/{CHAPTER}")
    assert not page.is_checked("#parallel-toggle")
    page.check("#parallel-toggle", force=True)
    page.goto(f"{base_url}zh/tasks/67/")
    assert page.is_checked("#parallel-toggle") and page.locator(".task-text.other").is_visible()
    page.uncheck("#parallel-toggle", force=True)
    page.goto(f"{base_url}en/tasks/68/")
    assert not page.is_checked("#parallel-toggle")


def test_english_beside_chinese_is_set_as_english(page, base_url):
    """Chinese justified in a CJK face; the English beside it left-aligned in a Latin face."""
    page.goto(f"{base_url}zh/tasks/67/")
    page.check("#parallel-toggle", force=True)
    align = page.evaluate("""() => [...document.querySelectorAll('.task-page .task-text')]
        .map(p => [p.lang || document.documentElement.lang, getComputedStyle(p).textAlign])""")
    assert align == [["zh-Hans", "justify"], ["en", "start"]]
    assert "CJK" in fonts_used(page, ".task-page .task-text:not(.other)")[0]
    assert "CJK" not in fonts_used(page, ".task-page .task-text.other")[0]


def test_chinese_quotation_marks_take_the_cjk_face(page, base_url):
    """“” are shared by Latin and CJK fonts: on a Chinese page they must come out full-width."""
    page.goto(f"{base_url}zh/")
    page.evaluate("""() => { const s = document.createElement('span'); s.id = 'quotes'; s.textContent = '“”';
        document.querySelector('h1').append(s); }""")
    width = page.evaluate("() => document.getElementById('quotes').getBoundingClientRect().width")
    size = page.evaluate("() => parseFloat(getComputedStyle(document.getElementById('quotes')).fontSize)")
    assert "CJK" in fonts_used(page, "#quotes")[0]
    assert width > 1.5 * size  # two full-width marks, not two narrow Latin ones


def test_chapter_contents_are_numbered_once(page, base_url):
    """The headings in a chapter's contents carry their own numbers; the list adds none."""
    page.goto(f"{base_url}en/{CHAPTER}")
    first = page.locator(".in-page li").first
    assert first.inner_text().startswith("(1) ")
    assert page.evaluate("e => getComputedStyle(e).listStyleType", first.element_handle()) == "none"


SHANXI = "documents/shanxi-2012-energy-saving-division/"
EVERY_KIND = ["", "search/?q=energy", "departments/", "departments/shanxi/sheng-huan-bao-ting/", "governments/shanxi/",
              "years/2012/", "glossary/", "about/", "open-data/", SHANXI, SHANXI + CHAPTER,
              SHANXI + "sections/tui-jin-er-yang-hua-liu-he-dan-yang-hua-wu-jian-pai-gong-cheng-he-yan-chen-gong/",
              SHANXI + "tasks/67/", SHANXI + "agencies/", SHANXI + "agencies/sheng-huan-bao-ting/",
              SHANXI + "agencies/sheng-huan-bao-ting/with/sheng-cai-zheng-ting/", SHANXI + "matrix/",
              SHANXI + "collaboration/", SHANXI + "search/?q=energy", "documents/state-council-2016-quantified-targets/",
              # who holds the job today, from a source whose title holds one long word (a file's path)
              SHANXI + "agencies/sheng-fa-zhan-gai-ge-wei/", "departments/shanxi/sheng-cai-zheng-ting/"]


@pytest.fixture(scope="module")
def library_url(library):
    from .browser import serve

    with serve(library) as url:
        yield url


@pytest.mark.parametrize("width", [320, 390, 1366])
def test_no_page_scrolls_sideways(browser, library_url, width):
    """Every kind of page, in both languages, on a small phone, a phone and a laptop: wide tables and the
    picture scroll inside their own boxes, the page itself never does; the header's search hint is not cut."""
    context = browser.new_context(viewport={"width": width, "height": 800})
    page = context.new_page()
    wide, clipped = {}, {}
    for lang in ("zh", "en"):
        for path in EVERY_KIND + ["404.html"]:
            url = f"{library_url}{lang}/{path}" if path != "404.html" else library_url + path
            page.goto(url)
            overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
            if overflow > 0:
                wide[url] = overflow
            hint = page.evaluate("""() => { const box = document.getElementById('site-q'); if (!box) return 0;
                const style = getComputedStyle(box), context = document.createElement('canvas').getContext('2d');
                context.font = style.font;
                const room = box.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
                return context.measureText(box.placeholder).width - room; }""")
            if hint > 0:
                clipped[url] = hint
    context.close()
    assert wide == {} and clipped == {}


MATRIX_FIRST_COLUMN = """() => { const box = document.querySelector('.table-scroll');
    const cell = box.querySelector('tbody th'); box.scrollLeft = box.scrollWidth;
    return [box.scrollWidth > box.clientWidth, cell.getBoundingClientRect().left - box.getBoundingClientRect().left]; }"""


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_matrix_on_a_phone(browser, library_url, lang):
    """The table scrolls in its box with the agencies kept in view; the chapters are named on the page
    (not only on hover); a cell reads as a count with, in brackets, how many list the agency first."""
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(f"{library_url}{lang}/{SHANXI}matrix/")
    scrolls, offset = page.evaluate(MATRIX_FIRST_COLUMN)
    assert scrolls and abs(offset) < 1
    key = page.locator(".chapter-key li")
    assert key.count() == 9 and key.first.is_visible()
    assert key.nth(4).inner_text() == {"zh": "五、 大力发展循环经济", "en": "V. Vigorously develop the circular economy"}[lang]
    cell = page.locator(".matrix tbody tr").first.locator("td a").first.inner_text()
    assert "/" not in cell and "／" not in cell
    assert (re.fullmatch(r"\d+（首位\d+）", cell) if lang == "zh" else re.fullmatch(r"\d+ \(\d+ first\)", cell))
    page.close()


PICTURE_LABELS = """() => {
    const svg = document.querySelector('svg.collaboration'), frame = svg.getBoundingClientRect();
    const texts = [...svg.querySelectorAll('text')];
    const outside = texts.filter(t => { const r = t.getBoundingClientRect();
        return r.left < frame.left - 0.5 || r.right > frame.right + 0.5 || r.top < frame.top - 0.5
            || r.bottom > frame.bottom + 0.5; }).map(t => t.textContent);
    return [outside, svg.getScreenCTM().a * parseFloat(getComputedStyle(texts[0]).fontSize)]; }"""
"""The picture's labels that stand outside its frame, and the labels' height on screen in pixels."""


@pytest.mark.parametrize("width", [390, 1366])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_collaboration_picture_is_legible_and_whole(browser, library_url, lang, width):
    """Every label inside the picture's frame, at least 10 px high on screen; on a phone the picture
    scrolls in its box and a link leads to the table."""
    page = browser.new_page(viewport={"width": width, "height": 900})
    page.goto(f"{library_url}{lang}/{SHANXI}collaboration/")
    outside, size = page.evaluate(PICTURE_LABELS)
    assert page.locator("svg.collaboration text").count() == 35 and outside == []
    assert size >= 10
    assert page.evaluate("document.documentElement.scrollWidth") == width
    page.click("a[href='#pairs-caption']")
    assert page.locator("#pairs-caption").is_visible()
    page.close()


@pytest.mark.parametrize("missing", ["zh/documents/shanxi-2012-energy-saving-division/tasks/999/", "en/nowhere/at/all",
                                     "404.html"])
def test_the_404_page_works_at_any_depth_under_a_prefix(browser, library, missing):
    """A host serves 404.html for every missing address: styled, its links and both searches lead into
    the site under its path prefix, with no error (its one inline script allowed by its hash)."""
    from .browser import serve

    context = browser.new_context()
    page = context.new_page()
    errors = []
    page.on("console", lambda message: message.type == "error" and "404" not in message.text
            and errors.append(message.text))
    page.on("pageerror", lambda error: errors.append(str(error)))
    with serve(library, prefix="/policy/", not_found=True) as url:
        response = page.goto(url + missing)
        assert response.status == (200 if missing == "404.html" else 404)
        assert page.evaluate("getComputedStyle(document.body).margin") == "0px"  # the site's stylesheet
        assert page.locator("h1").inner_text() == "找不到该页面"
        page.click("section[lang=en] a")
        assert page.url == url + "en/" and page.locator("h1").is_visible()
        page.go_back()
        page.fill("#q-zh", "节能")
        page.press("#q-zh", "Enter")
        page.wait_for_load_state()
        assert page.url == url + "zh/search/?q=" + "%E8%8A%82%E8%83%BD"
        page.wait_for_selector("html[data-search-ready]")
        context.close()  # before the server stops, so that nothing is left loading from it
    assert errors == []


@pytest.mark.parametrize("count", [3, 150])
def test_the_collaboration_picture_holds_any_number_of_agencies(browser, site, tmp_path, count):
    """Labels of any length, Chinese or English, inside the frame and legible, for few or many agencies."""
    from policysite.graph import collaboration_svg

    names = [("省" + "发展改革委环保厅"[: 1 + i % 8]) if i % 2 else "Provincial " + "Department of " * (i % 4) + f"Body {i}"
             for i in range(count)]
    pairs = [(i, (i * 7 + 3) % count, 1 + i % 5) for i in range(count) if (i * 7 + 3) % count != i]
    css = next((site / "static").glob("style.*.css"))
    page_file = tmp_path / "picture.html"
    page_file.write_text(f'<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8"><link rel="stylesheet" '
                         f'href="{css.as_uri()}"></head><body><div class="table-scroll">'
                         f'{collaboration_svg(names, pairs, "title", "description")}</div></body></html>',
                         encoding="utf-8")
    page = browser.new_page(viewport={"width": 390, "height": 800})
    page.goto(page_file.as_uri())
    outside, size = page.evaluate(PICTURE_LABELS)
    assert outside == [] and size >= 10
    page.close()


def test_serve_reloads_the_page_and_shows_a_failed_builds_errors(browser, content, tmp_path):
    """`serve`: an edit reloads the open page by itself; a build that fails shows its errors
    (file:line: message) over the last good site, and they go when the error is fixed."""
    from playwright.sync_api import expect

    from .browser import build_py_serve

    out = tmp_path / "site"
    with build_py_serve(content, out) as (url, _):
        page = browser.new_page()
        page.goto(url + "zh/tasks/67/")
        assert page.locator("#policysite-build-errors").count() == 0
        config = content / "site.toml"
        good = config.read_text(encoding="utf-8")
        config.write_text(good.replace('zh = "山西省“十二五”节能减排部门分工"', 'zh = "山西节能减排分工（改）"'),
                          encoding="utf-8")
        expect(page).to_have_title(re.compile("山西节能减排分工（改）"), timeout=30_000)  # reloaded by itself
        registry = content / "agencies.toml"
        kept = registry.read_text(encoding="utf-8")
        registry.write_text(kept + "\n[broken\n", encoding="utf-8")
        errors = page.locator("#policysite-build-errors")
        errors.wait_for(timeout=30_000)
        assert re.search(rf"{re.escape(str(registry))}:\d+: invalid TOML", errors.inner_text())
        assert "山西节能减排分工（改）" in page.title()  # the last good site, under the errors
        registry.write_text(kept, encoding="utf-8")
        errors.wait_for(state="detached", timeout=30_000)
        page.close()
    assert not (out / "zh" / "tasks" / "67" / "index.html").read_text(encoding="utf-8").count("__policysite")


def test_a_reader_sees_the_translators_note_and_the_draft_mark(page, library_url):
    """On an English page: the note beside its passage, marked as the translator's, and the draft mark."""
    page.goto(f"{library_url}en/documents/guangzhou-2012-talent-cluster/tasks/29/")
    note = page.locator(".task-page .translator-note")
    assert note.is_visible() and note.inner_text().startswith("Translator’s note: The project's name")
    draft = page.locator(".task-page .task-text .draft").first
    assert draft.is_visible() and draft.inner_text() == "(draft translation, not yet reviewed)"
    page.goto(f"{library_url}en/documents/shanxi-2012-energy-saving-division/tasks/41/")
    assert page.locator(".translator-note").is_visible() and page.locator(".draft").count() == 0
