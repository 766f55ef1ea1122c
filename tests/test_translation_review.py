"""What a translation says of itself: each entry's review state, who made and reviewed it, and the
translator's notes; shown on the pages, counted on the About page and the library's home."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from .conftest import ROOT

GUANGZHOU = "documents/guangzhou-2012-talent-cluster"


def _build(content, out, *options):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                           "--quiet", *options], capture_output=True, text=True)


def _set(content, unit: str, lines: str) -> None:
    """Put lines into a translation entry, right after its header and source."""
    for path in (content / "translations" / "en").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        new = re.sub(rf'(\[{re.escape(unit)}\]\nsource = "\w+"\n)', rf"\1{lines}\n", text)
        if new != text:
            path.write_text(new, encoding="utf-8")
            return
    raise AssertionError(unit)


def test_a_note_stands_beside_its_passage_on_the_english_page_and_on_the_about_page(library):
    page = (library / "en" / GUANGZHOU / "tasks/29/index.html").read_text(encoding="utf-8")
    note = re.search(r'<p class="translator-note"><span class="label">Translator’s note: </span>(.+?)</p>', page)
    assert note and "no fewer than 200 experts" in note.group(1)
    assert 'class="translator-note"' not in (library / "zh" / GUANGZHOU / "tasks/29/index.html").read_text("utf-8")
    about = (library / "en" / "about" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<dt><a href="../documents/guangzhou-2012-talent-cluster/tasks/29/">Task 29</a></dt>\s*'
                     r'<dd>The project&#39;s name in the Chinese says “hundred”', about)
    assert "charging shop" in about  # a note on the Shanxi document's task 34


def test_drafts_are_marked_and_reviewed_entries_are_not(library):
    draft = (library / "en" / GUANGZHOU / "tasks/29/index.html").read_text(encoding="utf-8")
    assert '<span class="draft">(draft translation, not yet reviewed)</span>' in draft
    beside = (library / "zh" / GUANGZHOU / "tasks/29/index.html").read_text(encoding="utf-8")
    assert re.search(r'<p class="task-text other" lang="en">[^<]*.*<span class="draft">\(draft translation', beside)
    reviewed = (library / "en" / "documents/shanxi-2012-energy-saving-division/tasks/34/index.html").read_text("utf-8")
    assert 'class="draft"' not in reviewed and "natural gas filling stations" in reviewed


def test_the_about_page_and_the_library_home_count_entries_by_state(library):
    about = (library / "en" / "about" / "index.html").read_text(encoding="utf-8")
    row = re.search(r'<a href="../documents/shanxi-2012-energy-saving-division/">[^<]+</a></th>((?:<td class="num">\d+'
                    r'</td>){4})', about)
    assert re.findall(r"\d+", row.group(1)) == ["0", "241", "0", "0"]  # draft, reviewed, approved, missing
    home = (library / "zh" / "index.html").read_text(encoding="utf-8")
    assert "241/241条<br><span class=\"count\">初稿0，已审校241，已核准0</span>" in home


@pytest.mark.parametrize("lines, message", [
    ('state = "reviewed"', "task.3: a reviewed entry names who reviewed it (reviewer = \"…\")"),
    ('state = "done"\nreviewer = "A. Reader"', "task.3: state should be one of draft, reviewed, approved, not 'done'"),
    ('note = ""', "task.3: note should be a text"),
])
def test_a_state_nobody_vouches_for_is_refused_at_its_file_and_line(content, tmp_path, lines, message):
    for path in (content / "translations" / "en").glob("*.toml"):  # no entry says who reviewed it
        path.write_text(re.sub(r'^(state|reviewer|by) = .*\n', "", path.read_text(encoding="utf-8"), flags=re.M),
                        encoding="utf-8")
    _set(content, "task.3", lines)
    done = _build(content, tmp_path / "site")
    assert done.returncode == 2
    assert re.search(rf"error: \S+/translations/en/chapter-1\.toml:\d+: {re.escape(message)}", done.stderr), done.stderr
    assert "Traceback" not in done.stderr and not (tmp_path / "site").exists()


def test_without_a_state_an_entry_is_a_draft(content, tmp_path):
    for path in (content / "translations" / "en").glob("*.toml"):
        path.write_text(re.sub(r'^(state|reviewer|by) = .*\n', "", path.read_text(encoding="utf-8"), flags=re.M),
                        encoding="utf-8")
    assert _build(content, tmp_path / "site").returncode == 0
    page = (tmp_path / "site" / "en" / "tasks" / "3" / "index.html").read_text(encoding="utf-8")
    assert '<span class="draft">(draft translation, not yet reviewed)</span>' in page


def test_a_document_declared_partial_needs_only_its_title_and_agencies(content, tmp_path):
    """translations.en = "partial": the tasks' English may be missing (even under --strict); the pages
    say so and show the Chinese, marked as pending."""
    config = content / "site.toml"
    config.write_text(config.read_text(encoding="utf-8").replace(
        "[document]\n", '[document]\ntranslations.en = "partial"\n', 1), encoding="utf-8")
    chapter = content / "translations" / "en" / "chapter-1.toml"
    chapter.write_text(re.sub(r'^text = ".*"$', 'text = ""', chapter.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    assert _build(content, tmp_path / "site", "--strict").returncode == 0
    home = (tmp_path / "site" / "en" / "index.html").read_text(encoding="utf-8")
    assert "The English of this document so far covers its title and the names of its agencies" in home
    task = (tmp_path / "site" / "en" / "tasks" / "1" / "index.html").read_text(encoding="utf-8")
    assert '<span class="pending">(translation pending)</span>' in task and 'class="draft"' not in task
