"""Pages as a reader sees them in headless Chromium: typography, the side-by-side view, layout."""

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
