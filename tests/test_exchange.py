"""Exchange with translation tools: a document's translation exported as XLIFF 2.0 or PO, edited as a
translator would in a CAT tool, and imported back into the content folder's entries."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

XLIFF_NS = "{urn:oasis:names:tc:xliff:document:2.0}"


def _run(*args, content):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "translations", *map(str, args),
                           "--content", str(content)], capture_output=True, text=True)


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _entry(content: Path, unit: str) -> str:
    for path in (content / "translations" / "en").glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        if f"[{unit}]\n" in text:
            start = text.index(f"[{unit}]\n")
            end = text.find("\n\n", start)
            return text[start:end if end > 0 else None]
    raise AssertionError(unit)


@pytest.mark.parametrize("fmt, suffix", [("xliff", ".xlf"), ("po", ".po")])
def test_a_round_trip_without_edits_changes_no_byte(content, fmt, suffix):
    before = _snapshot(content)
    exported = _run("export", "--format", fmt, content=content)
    assert exported.returncode == 0, exported.stderr
    path = content / "translations" / f"content.en{suffix}"  # by default beside the entries, named by the document
    assert f"wrote {path}" in exported.stdout
    data = path.read_text(encoding="utf-8")
    assert "合理分解各市节能减排目标。" in data and "Rationally apportion energy conservation" in data
    assert "脱硝 → denitration (NOx removal)" in data  # a glossary hint on the units whose Chinese uses the term
    imported = _run("import", path, content=content)
    assert imported.returncode == 0, imported.stderr
    assert "0 entries changed; 0 stale units" in imported.stdout
    after = _snapshot(content)
    del after[path.relative_to(content).as_posix()]
    assert after == before


def test_xliff_is_xliff_2_with_notes_on_the_unit(content, tmp_path):
    from lxml import etree

    assert _run("export", "--out", tmp_path, content=content).returncode == 0
    root = etree.parse(str(tmp_path / "content.en.xlf")).getroot()
    assert root.tag == f"{XLIFF_NS}xliff" and root.get("version") == "2.0"
    assert (root.get("srcLang"), root.get("trgLang")) == ("zh", "en")
    units = root.findall(f"{XLIFF_NS}file/{XLIFF_NS}unit")
    assert len(units) == 241 + 35  # every passage: the 35 agencies give a full and a short name each
    for unit in units:  # the core schema's order: notes, then segments; notes never inside a segment
        assert [child.tag for child in unit][-1] == f"{XLIFF_NS}segment"
        assert unit.find(f"{XLIFF_NS}segment/{XLIFF_NS}notes") is None
        assert unit.find(f"{XLIFF_NS}segment").get("state") == "reviewed"
    task34 = next(u for u in units if u.get("id") == "task.34.text")
    notes = {n.get("category"): n.text for n in task34.iter(f"{XLIFF_NS}note")}
    assert "charging shop" in notes["translator"] and notes["reviewer"].startswith("AI language model")


def test_a_po_edit_comes_back_as_a_draft_by_its_translator(content, tmp_path):
    assert _run("export", "--format", "po", "--out", tmp_path, content=content).returncode == 0
    po = tmp_path / "content.en.po"
    text = po.read_text(encoding="utf-8")
    text = text.replace('"Last-Translator: FULL NAME <EMAIL@ADDRESS>\\n"', '"Last-Translator: Jane Doe <jd@example.org>\\n"')
    text, n = re.subn(r'(msgctxt "task\.3\.text"\nmsgid "[^"]+"\nmsgstr )"[^"]*"',
                      r'\1"Rationally apportion energy conservation targets among the sectors (revised)."', text)
    assert n == 1
    text, n = re.subn(r'(#\. [^\n]*\n)*(#, fuzzy\n)?(msgctxt "task\.4\.text")',
                      lambda m: "# The sectors are those of the provincial plan.\n" + m.group(0), text, count=1)
    assert n == 1
    po.write_text(text, encoding="utf-8")
    before = _snapshot(content)

    done = _run("import", po, content=content)
    assert done.returncode == 0, done.stderr
    assert "2 entries changed (task.3, task.4)" in done.stdout
    task3 = _entry(content, "task.3")
    assert 'text = "Rationally apportion energy conservation targets among the sectors (revised)."' in task3
    assert 'state = "draft"' in task3 and 'by = "Jane Doe <jd@example.org>"' in task3 and "reviewer" not in task3
    task4 = _entry(content, "task.4")  # a note added; the text, state and reviewer as they were
    assert 'note = "The sectors are those of the provincial plan."' in task4 and 'state = "reviewed"' in task4
    after = _snapshot(content)
    assert [name for name in after if after[name] != before[name]] == ["translations/en/chapter-1.toml"]

    built = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out",
                            str(tmp_path / "site"), "--strict", "--quiet"], capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "en" / "tasks" / "3" / "index.html").read_text(encoding="utf-8")
    assert "among the sectors (revised)." in page and "(draft translation, not yet reviewed)" in page


def _xliff(content, tmp_path):
    from translate.storage import xliff2

    assert _run("export", "--out", tmp_path, content=content).returncode == 0
    path = tmp_path / "content.en.xlf"
    return path, xliff2.Xliff2File.parsestring(path.read_bytes())


def _unit(store, pid):
    return next(u for u in store.units if u.getid() == pid)


def _note(unit, category, text):
    notes = unit.getunitelement().find(f"{XLIFF_NS}notes")
    for note in notes.findall(f"{XLIFF_NS}note"):
        if note.get("category") == category:
            note.text = text
            return
    note = notes.makeelement(f"{XLIFF_NS}note", {"category": category})
    note.text = text
    notes.append(note)


def test_an_xliff_edit_keeps_the_state_and_reviewer_the_file_gives(content, tmp_path):
    path, store = _xliff(content, tmp_path)
    unit = _unit(store, "task.5.text")
    unit.target = "Revised by the editor."
    unit.xmlelement.set("state", "final")
    _note(unit, "reviewer", "M. Editor, 7 December 2026")
    _note(unit, "by", "K. Translator")
    other = _unit(store, "task.6.text")
    other.target = other.target + " (reworded)"
    other.xmlelement.set("state", "translated")
    path.write_bytes(bytes(store))

    done = _run("import", path, content=content)
    assert done.returncode == 0, done.stderr
    task5, task6 = _entry(content, "task.5"), _entry(content, "task.6")
    assert 'text = "Revised by the editor."' in task5 and 'state = "approved"' in task5
    assert 'by = "K. Translator"' in task5 and 'reviewer = "M. Editor, 7 December 2026"' in task5
    assert 'state = "draft"' in task6 and "reviewer" not in task6  # changed, and nobody says they checked it
    assert f'by = "unknown (imported from {path.name})"' in task6  # the file names no one new


def test_stale_units_are_reported_and_the_rest_imported(content, tmp_path):
    path, store = _xliff(content, tmp_path)
    _unit(store, "task.7.text").source = "一段已经改过的中文。"  # exported before the Chinese changed
    _unit(store, "task.8.text").target = "A new rendering of task 8."
    _unit(store, "task.9.text").setid("task.999.text")  # a passage the document no longer has
    path.write_bytes(bytes(store))
    before = _entry(content, "task.7")

    done = _run("import", path, content=content)
    assert done.returncode == 1
    assert re.search(rf"warning: {re.escape(str(path))}:\d+: task\.7\.text: not imported: its Chinese has changed",
                     done.stderr), done.stderr
    assert re.search(rf"warning: {re.escape(str(path))}:\d+: task\.999\.text: not imported: no such passage",
                     done.stderr)
    assert "1 entry changed (task.8); 2 stale units" in done.stdout
    assert _entry(content, "task.7") == before and "A new rendering of task 8." in _entry(content, "task.8")


def test_a_po_file_made_before_the_chinese_changed_is_reported_unit_by_unit(content, tmp_path):
    assert _run("export", "--format", "po", "--out", tmp_path, content=content).returncode == 0
    po = tmp_path / "content.en.po"
    text = po.read_text(encoding="utf-8")
    text, n = re.subn(r'(msgctxt "task\.7\.text"\nmsgid )"[^"]+"', r'\1"一段已经改过的中文。"', text)
    assert n == 1
    text = re.sub(r'(msgctxt "task\.8\.text"\nmsgid "[^"]+"\nmsgstr )"[^"]*"', r'\1"A new rendering of task 8."', text)
    po.write_text(text, encoding="utf-8")
    done = _run("import", po, content=content)
    assert done.returncode == 1
    assert f"warning: {po}: task.7.text: not imported: its Chinese has changed" in done.stderr, done.stderr
    assert "1 entry changed (task.8); 1 stale unit" in done.stdout


@pytest.mark.parametrize("name, data, message", [
    ("broken.xlf", b'<?xml version="1.0"?>\n<xliff version="2.0" xmlns="urn:oasis:names:tc:xliff:document:2.0">\n'
                   b'<file id="content"><unit id="task.1.text">\n',
     r"broken\.xlf:\d+: not a readable XLIFF 2\.0 file"),
    ("old.xlf", b'<?xml version="1.0"?>\n<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">'
                b'<file original="x" source-language="zh"><body/></file></xliff>\n',
     r"old\.xlf: not a readable XLIFF 2\.0 file: This file appears to be XLIFF 1\.x"),
    ("broken.po", b'msgid ""\nmsgstr ""\n"X-Policysite-Document: content\\n"\n\nmsgctxt "task.1.text"\nmsgid "x\n',
     r"broken\.po:\d+: not a readable PO file"),
    ("anonymous.po", b'msgid ""\nmsgstr ""\n"Language: en\\n"\n\nmsgctxt "task.1.text"\nmsgid "x"\nmsgstr "y"\n',
     r"anonymous\.po:1: the header does not say which document the file is for"),
    ("other.po", b'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Policysite-Document: elsewhere\\n"\n',
     r"other\.po: no document 'elsewhere' in the content folder \(it has content\)"),
    ("twice.po", b'msgid ""\nmsgstr ""\n"Language: en\\n"\n"X-Policysite-Document: content\\n"\n\n'
                 b'msgctxt "task.1.text"\nmsgid "\xe5\x90\x88\xe7\x90\x86\xe5\x88\x86\xe8\xa7\xa3\xe5\x90\x84\xe5\xb8\x82'
                 b'\xe8\x8a\x82\xe8\x83\xbd\xe5\x87\x8f\xe6\x8e\x92\xe7\x9b\xae\xe6\xa0\x87\xe3\x80\x82"\nmsgstr "a"\n\n'
                 b'msgctxt "task.1.text"\nmsgid "\xe5\x90\x88\xe7\x90\x86\xe5\x88\x86\xe8\xa7\xa3\xe5\x90\x84\xe5\xb8\x82'
                 b'\xe8\x8a\x82\xe8\x83\xbd\xe5\x87\x8f\xe6\x8e\x92\xe7\x9b\xae\xe6\xa0\x87\xe3\x80\x82"\nmsgstr "b"\n',
     r"twice\.po: task\.1\.text: the file holds this unit twice"),
])
def test_a_malformed_file_is_refused_and_nothing_changes(content, tmp_path, name, data, message):
    path = tmp_path / name
    path.write_bytes(data)
    before = _snapshot(content)
    done = _run("import", path, content=content)
    assert done.returncode == 2
    assert re.search(rf"^error: \S*{message}", done.stderr, re.M), done.stderr
    assert "Traceback" not in done.stderr and _snapshot(content) == before
