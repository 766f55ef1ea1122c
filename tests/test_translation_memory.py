"""The translation memory: where a document's Chinese repeats a unit translated elsewhere in the library,
the translations command offers that English as the unit's draft, marked as the memory's."""

from __future__ import annotations

import itertools
import re
import subprocess
import sys

from .conftest import ROOT
from .test_library import small_library


def _run(content, *args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args, "--content", str(content)],
                          capture_output=True, text=True)


def _fill(folder, reviewed: str):
    """Give every empty field of a document's entries an English text; the entry `reviewed` reviewed."""
    count = itertools.count(1)
    for path in (folder / "translations" / "en").glob("*.toml"):
        text = re.sub(r'^(text|title|name|short) = ""$', lambda m: f'{m.group(1)} = "English {next(count)}."',
                      path.read_text(encoding="utf-8"), flags=re.M)
        text = text.replace(f"[{reviewed}]\n", f'[{reviewed}]\nstate = "reviewed"\nreviewer = "R. Reader"\n')
        path.write_text(text, encoding="utf-8")


def test_a_repeated_unit_gets_the_english_of_the_library_as_a_marked_draft(tmp_path):
    content = small_library(tmp_path / "content", {
        "a": "一、总体要求\n1.建立制度。（市环保局负责）\n2.加强监督检查。（市环保局负责）\n",
        "b": "一、总体要求\n1.完善机制。（市环保局负责）\n2.加强监督检查。（市环保局负责）\n"})
    assert _run(content, "translations").returncode == 0
    _fill(content / "documents" / "a", "task.2")
    for path in (content / "documents" / "b" / "translations" / "en").glob("*.toml"):
        path.unlink()
    a = (content / "documents" / "a" / "translations" / "en" / "chapter-1.toml").read_text(encoding="utf-8")
    english = re.search(r'\[task\.2\]\n(?:.*\n)*?text = "([^"]+)"', a).group(1)

    done = _run(content, "translations")
    assert done.returncode == 0, done.stderr
    b = (content / "documents" / "b" / "translations" / "en" / "chapter-1.toml").read_text(encoding="utf-8")
    task2 = b[b.index("[task.2]"):]
    assert f'text = "{english}"' in task2  # the same Chinese as a's task 2
    assert 'state = "draft"' in task2 and 'by = "translation memory"' in task2 and 'memory = "a task.2"' in task2
    assert 'reviewer' not in task2  # a's review does not carry over
    task1 = b[b.index("[task.1]"):b.index("[task.2]")]
    assert 'text = ""' in task1  # nothing in the library says the same
    chapter = b[b.index("[chapter.1]"):b.index("[task.1]")]
    assert 'memory = "a chapter.1"' in chapter  # 总体要求, in both
    assert _run(content, "translations").returncode == 0  # offered once: now an entry, kept as it is
    assert (content / "documents" / "b" / "translations" / "en" / "chapter-1.toml").read_text("utf-8") == b

    built = _run(content, "--out", str(tmp_path / "site"))
    assert built.returncode == 0, built.stderr
    page = (tmp_path / "site" / "en" / "documents" / "b" / "tasks" / "2" / "index.html").read_text(encoding="utf-8")
    assert english in page and "(draft translation from the translation memory" in page
