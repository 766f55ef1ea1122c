"""The build cache: a build with it writes exactly what a build without it writes, keeps only what did
not change, and trusts nothing of a cache it cannot check."""

from __future__ import annotations

import hashlib
import json
import marshal
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from policysite.cache import LIBRARIES, BuildCache, default_folder, installed_versions
from policysite.pipeline import build

from .conftest import LIBRARY, ROOT

SHANXI = "shanxi-2012-energy-saving-division"
KEPT = ("guangzhou-2012-talent-cluster", "state-council-2013-coal-industry")


def files_of(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


def same_tree(a: Path, b: Path) -> None:
    """Both folders hold the same files with the same bytes (the first difference named if not)."""
    left, right = files_of(a), files_of(b)
    assert sorted(left) == sorted(right), sorted(set(left) ^ set(right))[:5]
    different = [path for path in left if left[path] != right[path]]
    assert not different, different[:5]


@pytest.fixture
def inputs(tmp_path) -> dict[str, Path]:
    """A writable small library (Shanxi and two more documents), templates and static files."""
    content = tmp_path / "content"
    shutil.copytree(LIBRARY, content, ignore=lambda folder, names: [
        n for n in names if Path(folder).name == "documents" and n not in (SHANXI, *KEPT)])
    shutil.copytree(ROOT / "templates", tmp_path / "templates")
    shutil.copytree(ROOT / "static", tmp_path / "static")
    return {"content": content, "templates": tmp_path / "templates", "static": tmp_path / "static"}


def build_both(inputs: dict, tmp_path: Path):
    """Build with the cache into cached/ and without any into fresh/; both must be the same."""
    options = dict(templates=inputs["templates"], static=inputs["static"])
    cached = build(inputs["content"], tmp_path / "cached", cache=BuildCache(tmp_path / "cached"), **options)
    shutil.rmtree(tmp_path / "fresh", ignore_errors=True)
    build(inputs["content"], tmp_path / "fresh", **options)
    same_tree(tmp_path / "cached", tmp_path / "fresh")
    return cached


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_build_with_the_cache_writes_what_a_build_without_it_writes_after_every_edit(inputs, tmp_path):
    content, shanxi = inputs["content"], inputs["content"] / "documents" / SHANXI
    first = build_both(inputs, tmp_path)
    assert first.rendered == first.pages  # nothing to keep yet

    again = build(content, tmp_path / "cached", templates=inputs["templates"], static=inputs["static"],
                  cache=BuildCache(tmp_path / "cached"))
    assert again.unchanged and again.pages == first.pages and again.files == first.files

    source = next(shanxi.glob("*.zh.txt"))
    replace_in(source, "67.强化电力行业", "67.加强电力行业")  # one task's Chinese (its English goes stale)
    task = build_both(inputs, tmp_path)
    assert 0 < task.rendered < task.pages / 2, task.rendered
    assert "加强电力行业" in (tmp_path / "cached" / f"zh/documents/{SHANXI}/tasks/67/index.html").read_text()

    replace_in(shanxi / "translations" / "en" / "chapter-1.toml", 'text = "', 'text = "In full: ')
    translation = build_both(inputs, tmp_path)
    assert 0 < translation.rendered < translation.pages

    replace_in(shanxi / "agencies.toml", 'full_name = "山西省环境保护厅"', 'full_name = "山西省生态环境保护厅"')
    build_both(inputs, tmp_path)

    replace_in(inputs["templates"] / "task.html", "{{ provenance(task) }}", "{{ provenance(task) }}<!-- edited -->")
    template = build_both(inputs, tmp_path)
    assert "<!-- edited -->" in (tmp_path / "cached" / f"en/documents/{SHANXI}/tasks/1/index.html").read_text()
    assert template.rendered < template.pages  # pages of other templates are kept

    (inputs["static"] / "style.css").write_text((inputs["static"] / "style.css").read_text() + "\n/* edited */\n")
    build_both(inputs, tmp_path)

    replace_in(content / "pages" / "about.en.md", "This library publishes", "This library, edited, publishes")
    build_both(inputs, tmp_path)
    assert "This library, edited, publishes" in (tmp_path / "cached" / "en/about/index.html").read_text()

    shutil.copytree(LIBRARY / "documents" / "jinxiang-2025-key-work", content / "documents" / "jinxiang-2025-key-work")
    added = build_both(inputs, tmp_path)
    assert (tmp_path / "cached" / "zh/documents/jinxiang-2025-key-work/index.html").is_file()

    shutil.rmtree(content / "documents" / KEPT[1])
    removed = build_both(inputs, tmp_path)
    assert not (tmp_path / "cached" / f"zh/documents/{KEPT[1]}").exists()
    assert removed.pages < added.pages


CORRUPTIONS = {
    "truncated": lambda data, text: text[: len(text) // 2],
    "not JSON": lambda data, text: "\x00\xff garbage",
    "a list": lambda data, text: "[]",
    "another format": lambda data, text: json.dumps({**data, "format": data["format"] + 1}),
    "another generator": lambda data, text: json.dumps({**data, "generator": "0" * 32}),
    "another output folder": lambda data, text: json.dumps({**data, "out": "/elsewhere/site"}),
    "pages of the wrong shape": lambda data, text: json.dumps({**data, "pages": {p: [1, 2] for p in data["pages"]}}),
    "files of the wrong shape": lambda data, text: json.dumps({**data, "files": {p: "x" for p in data["files"]}}),
    "reads that lie": lambda data, text: json.dumps({**data, "inputs": "", "pages": {
        p: [key, [[name, field, "0" * 32] for name, field, _ in reads or []]] for p, (key, reads) in data["pages"].items()}}),
}


@pytest.mark.parametrize("how", list(CORRUPTIONS))
def test_a_corrupt_or_foreign_cache_is_ignored(content, tmp_path, how):
    out = tmp_path / "site"
    build(content, out, cache=BuildCache(out))
    replace_in(next(content.glob("*.zh.txt")), "67.强化电力行业", "67.加强电力行业")
    file = default_folder(out) / "build.json"
    text = file.read_text(encoding="utf-8")
    file.write_text(CORRUPTIONS[how](json.loads(text), text), encoding="utf-8")

    result = build(content, out, cache=BuildCache(out))
    build(content, tmp_path / "fresh")
    same_tree(out, tmp_path / "fresh")
    if how != "reads that lie":  # (that one keeps the pages that read nothing volatile, rightly)
        assert result.rendered == result.pages


def _rechecked(data: bytes, change) -> bytes:
    """A memo file (checksum, then its body) with change made to its values and the checksum made to match."""
    memo = marshal.loads(data.partition(b"\n")[2])
    body = marshal.dumps({**memo, "values": {key: change(value) for key, value in memo["values"].items()}})
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


MEMO_CORRUPTIONS = {
    "truncated": lambda data: data[: len(data) // 2],
    "garbage": lambda data: b"\x00\xff garbage",
    "edited, its checksum not": lambda data: data[:-40] + bytes(40),
    "values of the wrong shape": lambda data: _rechecked(data, lambda value: 7),
    "values holding the wrong types": lambda data: _rechecked(
        data, lambda value: {k: [1, [[2, "x"]]] for k in value} if isinstance(value, dict) else [7] * len(value)),
}


@pytest.mark.parametrize("how", list(MEMO_CORRUPTIONS))
def test_corrupt_memos_are_ignored(content, tmp_path, how):
    """The memos a build keeps beside its record (pinyin read, TOML and Markdown read, search tokens,
    templates' references), corrupted, are read by a new process (as on the command line) and ignored:
    it writes what a build without the cache writes."""
    out = tmp_path / "site"
    command = [sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out), "--quiet"]
    subprocess.run(command, check=True, timeout=300)
    memos = sorted(default_folder(out).glob("*.memo"))
    assert {p.name for p in memos} == {"files.memo", "pinyin.memo", "search.memo", "templates.memo"}
    replace_in(next(content.glob("*.zh.txt")), "67.强化电力行业", "67.加强电力行业")
    for memo in memos:
        memo.write_bytes(MEMO_CORRUPTIONS[how](memo.read_bytes()))
    done = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
    build(content, tmp_path / "fresh")
    same_tree(out, tmp_path / "fresh")


@pytest.mark.parametrize("headers", [[5], [["site", 1]], [[["site"], "1"]], [[["site"]]]])
def test_a_toml_file_whose_memo_is_of_the_wrong_shape_is_parsed_again(tmp_path, headers):
    """What the memo says a TOML file held, with table headers that are not [keys, line] pairs, is not
    used (nor does it stop the build): the file is parsed again."""
    from policysite.cache import Memo, results_kept
    from policysite.config import read_toml

    path = tmp_path / "site.toml"
    path.write_text('[site]\ntitle = "x"\n', encoding="utf-8")
    memo = Memo({})
    with results_kept(memo):
        read_toml(path)
    [key] = memo.used
    with results_kept(Memo({key: json.dumps([{"site": {"title": "y"}}, headers])})):
        toml = read_toml(path)
    assert toml.data == {"site": {"title": "x"}} and toml.header_lines == {("site",): 1}


def test_the_library_versions_the_cache_is_keyed_on_are_those_installed():
    """A build's cache is keyed on the versions of the libraries it renders with (generator_version), read
    from the names of their metadata folders: the versions importlib.metadata gives, for every one installed."""
    from importlib import metadata

    found = installed_versions()
    for dist in metadata.distributions():
        name = dist.metadata["Name"].lower().replace("-", "_").replace(".", "_")
        assert found[name] == metadata.version(name), name
    assert {"jinja2", "markdown", "pypinyin", "lunr"} <= set(found) & set(LIBRARIES)


def test_pages_changed_or_removed_in_the_output_are_written_again(content, tmp_path):
    out = tmp_path / "site"
    build(content, out, cache=BuildCache(out))
    build(content, tmp_path / "fresh")
    task = out / "en/tasks/67/index.html"
    task.write_text(task.read_text(encoding="utf-8").replace("</main>", "tampered</main>"), encoding="utf-8")
    (out / "zh/tasks/1/index.html").unlink()
    result = build(content, out, cache=BuildCache(out))
    assert not result.unchanged and result.rendered == 2
    same_tree(out, tmp_path / "fresh")
    shutil.rmtree(out)
    assert build(content, out, cache=BuildCache(out)).rendered == result.pages
    same_tree(out, tmp_path / "fresh")


def test_the_command_line_says_what_it_kept_and_does_nothing_when_nothing_changed(content, tmp_path):
    out = tmp_path / "site"

    def run(*options):
        done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                               *options], capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1]

    assert run().startswith("built ")
    inode = os.stat(out).st_ino
    assert run().startswith("nothing changed: ")
    assert os.stat(out).st_ino == inode  # not even swapped
    replace_in(next(content.glob("*.zh.txt")), "67.强化电力行业", "67.加强电力行业")
    assert "kept from the last build" in run()
    assert run("--no-cache").startswith("built ") and "kept" not in run("--no-cache")
    assert (tmp_path / ".policysite-cache" / "site" / "build.json").is_file()


def test_a_cache_that_cannot_be_written_is_a_note_and_the_site_is_built(content, tmp_path):
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder should be")
    done = subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out",
                           str(tmp_path / "site"), "--cache-dir", str(blocked)], capture_output=True, text=True,
                          timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"note: the build cache was not saved ({blocked}" in done.stdout
    assert "Traceback" not in done.stderr and (tmp_path / "site" / "zh" / "tasks" / "67" / "index.html").is_file()


def edit_task_67(content: Path, text: str) -> None:
    source = next(content.glob("*.zh.txt"))
    replace_in(source, source.read_text(encoding="utf-8").split("67.", 1)[1][:6], text)


def test_a_build_makes_its_site_from_the_site_before_the_output_changing_only_what_changed(content, tmp_path):
    """The site an output replaces is kept in the cache folder, and the next build makes its staging folder
    from it: the folders and the pages that did not change are the ones it had, no new ones."""
    out = tmp_path / "site"
    build(content, out, cache=BuildCache(out))
    folder = os.stat(out / "zh/tasks/5").st_ino
    edit_task_67(content, "加强电力行业")
    build(content, out, cache=BuildCache(out))
    retired = default_folder(out) / "retired-site"
    assert os.stat(retired / "zh/tasks/5").st_ino == folder  # the first site, kept for the next build
    assert sorted(p.name for p in tmp_path.iterdir()) == [".policysite-cache", "content", "site"]
    edit_task_67(content, "强化电力行业")
    result = build(content, out, cache=BuildCache(out))
    assert 0 < result.rendered < result.pages / 2
    assert os.stat(out / "zh/tasks/5").st_ino == folder  # made from the first site: its folders stand
    build(content, tmp_path / "fresh")
    same_tree(out, tmp_path / "fresh")


def test_a_site_before_the_output_that_was_tampered_with_is_made_right(content, tmp_path):
    """Whatever the kept site holds, the next build's output is what a build without the cache writes."""
    out = tmp_path / "site"
    build(content, out, cache=BuildCache(out))
    edit_task_67(content, "加强电力行业")
    build(content, out, cache=BuildCache(out))
    retired = default_folder(out) / "retired-site"
    (retired / "zh/extra.html").write_text("not a page of the site")
    (retired / "zh/gone/deeper").mkdir(parents=True)
    (retired / "zh/gone/deeper/index.html").write_text("a page the site no longer has")
    (retired / "search/head.js").write_text("a search file beside the new search folder to come")
    page = retired / "en/tasks/3/index.html"
    page.unlink()
    page.write_text("other bytes")  # a file of its own (the output's page is another name of the old one)
    shutil.rmtree(retired / "zh/tasks/4")
    (retired / "zh/tasks/4").write_text("a file where a folder was")
    (retired / "zh/tasks/5/index.html").unlink()
    (retired / "zh/tasks/5/index.html").mkdir()  # a folder where a page was
    (retired / "zh/tasks/6/index.html").unlink()
    (retired / "zh/tasks/6/index.html").symlink_to(ROOT / "README.md")
    edit_task_67(content, "强化电力行业")
    build(content, out, cache=BuildCache(out))
    build(content, tmp_path / "fresh")
    same_tree(out, tmp_path / "fresh")
    assert not (out / "zh/tasks/6/index.html").is_symlink()
