"""The build cache: what the last build wrote and from what, so that the next one redoes only what changed.

One JSON file per output folder, by default in .policysite-cache/<output folder's name>/ beside the
output (git ignores it). It holds a digest of every input (content, templates, static files, the
generator's own code and libraries, the options), the build's report, each page's key and the texts
it read (plan.py), the search files' key, and the size, time and inode of every file the build wrote.

Nothing in it is trusted that can be checked: a cache that is missing, unreadable, of another format,
another generator version or another output folder is ignored; a page is kept only where its file in
the output is still the one the last build wrote; a kept page is hard-linked into the new site, never
copied from the cache. The cache imports nothing heavy: a build with nothing changed answers from it
before the rest of the generator is loaded.
"""

from __future__ import annotations

import functools
import hashlib
import json
import marshal
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .write import alive

FORMAT = 1
FOLDER = ".policysite-cache"
LIBRARIES = ("jinja2", "markupsafe", "markdown", "pypinyin", "lunr", "opencc", "tomli")
"""Libraries whose version changes what a build writes (those installed; the rest are skipped)."""
PACKAGE = Path(__file__).resolve().parent


def default_folder(out: Path) -> Path:
    """Where the cache of a build into out lives: beside it, in .policysite-cache/<its name>."""
    out = out.resolve()
    return out.parent / FOLDER / out.name


@functools.cache
def generator_version() -> str:
    """A digest of the generator itself: its code, the versions of the libraries it renders with, Python's."""
    h = hashlib.sha256(f"{FORMAT} {sys.version}".encode())
    installed = installed_versions()
    for name in LIBRARIES:
        if name in installed:
            h.update(f"{name}={installed[name]};".encode())
    for path in sorted(PACKAGE.glob("*.py")):
        h.update(path.name.encode() + b"\0" + path.read_bytes())
    return h.hexdigest()[:32]


def installed_versions() -> dict[str, str]:
    """The version of each distribution installed on sys.path, by its name in lower case: the first found,
    from the name of its metadata folder (name-version.dist-info, as wheels install it, the name's "-"
    and "." made "_"). What importlib.metadata.version answers, without its import (a fifth of a no-op
    build's time)."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            project, dash, version = name.removesuffix(".dist-info").partition("-")
            if name.endswith(".dist-info") and dash and "-" not in version:
                found.setdefault(project.lower().replace(".", "_"), version)
    return found


def tree_digest(*paths: Path) -> str:
    """A digest of the files given and of every file under the folders given: names and bytes."""
    h = hashlib.sha256()
    for root in paths:
        h.update(str(root).encode() + b"\0")
        if root.is_file():
            h.update(root.read_bytes())
            continue
        for folder, dirs, files in sorted(os.walk(root)):
            dirs.sort()
            for name in sorted(files):
                path = Path(folder, name)
                h.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return h.hexdigest()[:32]


def inputs_digest(paths: list[Path], options: dict) -> str:
    """A digest of everything a build reads: the input files and folders given, the generator, the options."""
    return hashlib.sha256(json.dumps([generator_version(), tree_digest(*paths), options], sort_keys=True,
                                     default=str).encode()).hexdigest()[:32]


def build_inputs(content: Path, templates: Path, static: Path, strict: bool, base_url: str | None) -> str:
    """The inputs digest of a build: its content folder (or source text), templates, static files,
    vendored libraries, the generator, and the options that change what it writes."""
    from .assets import vendor_sources

    return inputs_digest([content, templates, static, *vendor_sources()], {"strict": strict, "base_url": base_url})


def output_files(out: Path) -> dict[str, list[int]]:
    """Every file under out: its path → [size, modification time (ns), inode]."""
    found = {}

    def walk(folder: str, prefix: str) -> None:
        with os.scandir(folder) as entries:
            for entry in entries:
                if entry.is_dir(follow_symlinks=False):
                    walk(entry.path, f"{prefix}{entry.name}/")
                else:
                    found[prefix + entry.name] = _stat_list(entry.stat(follow_symlinks=False))

    if out.is_dir():
        walk(str(out), "")
    return found


def _stat_list(stat: os.stat_result) -> list[int]:
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def _stat(path: str | Path) -> list[int] | None:
    """A file's [size, modification time (ns), inode], as output_files() gives them; None if it is not there."""
    try:
        return _stat_list(os.lstat(path))
    except OSError:
        return None


class BuildCache:
    """The last build's record for one output folder (empty when there is none to trust)."""

    def __init__(self, out: Path, folder: Path | None = None):
        self.out = out.resolve()
        self.folder = folder or default_folder(out)
        self.file = self.folder / "build.json"
        self.retired = self.folder / "retired-site"  # the site the output replaced: the next build's staging
        self.compiled = self.folder / "templates"  # the templates, compiled (render.CompiledTemplates)
        self.last = self._load()
        self._present: dict | None = None
        self._memos: dict[str, dict] = {}  # memos this object saved, by name

    def _load(self) -> dict:
        try:
            data = json.loads(self.file.read_text(encoding="utf-8"))
            if not (isinstance(data, dict) and data.get("format") == FORMAT
                    and data.get("generator") == generator_version() and data.get("out") == str(self.out)
                    and isinstance(data.get("files"), dict) and isinstance(data.get("pages"), dict)
                    and isinstance(data.get("report"), dict) and isinstance(data.get("search"), dict)
                    and all(_is_stat(s) for s in data["files"].values())
                    and all(_is_page(e) for e in data["pages"].values())):
                return {}
            return data
        except (OSError, ValueError, TypeError, AttributeError, RecursionError):  # missing, unreadable, corrupt
            return {}

    @property
    def present(self) -> dict:
        """The files under the output now, as output_files() (looked at once)."""
        if self._present is None:
            self._present = output_files(self.out)
        return self._present

    def intact(self, path: str) -> bool:
        """Whether the output's file at path is still the one the last build wrote."""
        recorded = self.last.get("files", {}).get(path)
        if recorded is None:
            return False
        if self._present is not None:
            return self._present.get(path) == recorded
        return _stat(os.path.join(self.out, path)) == recorded

    def unchanged(self, inputs: str) -> dict | None:
        """The last build's report, if it was built from the same inputs and its output is untouched."""
        if self.last and self.last.get("inputs") == inputs and self.present == self.last["files"]:
            return self.last["report"]
        return None

    def page(self, path: str):
        """The last build's [key, reads] for the page at path, if its file is intact."""
        return self.last["pages"].get(path) if self.last and self.intact(path) else None

    def search(self, key: str) -> dict | None:
        """The last build's search files ({"head", "shards", "files"}) if made from the same key and intact."""
        search = self.last.get("search", {})
        if search.get("key") == key and all(self.intact(path) for path in search.get("files", ())):
            return search
        return None

    def memo(self, name: str) -> Memo:
        """The memo of that name the last build saved (empty if none can be trusted); in a process that
        builds again and again (serve), the one it saved itself, without reading it back."""
        if name in self._memos:
            return Memo(self._memos[name])
        try:
            checksum, _, body = (self.folder / f"{name}.memo").read_bytes().partition(b"\n")
            if checksum == hashlib.sha256(body).hexdigest().encode():
                data = marshal.loads(body)
                if isinstance(data, dict) and data.get("generator") == generator_version() \
                        and isinstance(data.get("values"), dict):
                    return Memo(data["values"])
        except (OSError, ValueError, EOFError, TypeError):
            pass
        return Memo({})

    def save_memo(self, name: str, memo: Memo | bytes) -> None:
        """Keep the memo's used values for the next build (memo: or its file's bytes, memo_file(memo), as a
        worker process hands them back)."""
        self._write(self.folder / f"{name}.memo", memo if isinstance(memo, bytes) else memo_file(memo))
        if isinstance(memo, Memo):
            self._memos[name] = memo.used

    def _write(self, path: Path, data: str | bytes) -> None:
        """Write a file of the cache whole or not at all (to a new file, then moved into place)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".new-{os.getpid()}-", suffix=path.suffix, dir=self.folder)
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(data.encode("utf-8") if isinstance(data, str) else data)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise

    def save(self, inputs: str, report: dict, pages: dict, search: dict, site: Path,
             paths: set[str] | None = None) -> None:
        """Record a build whose site (its files as they will stand in the output: a folder renamed keeps
        them as they are) is about to become the output; paths: the files it holds, where known (else
        found by going through it)."""
        files = {path: _stat(os.path.join(site, path)) for path in sorted(paths)} if paths is not None \
            else output_files(site)
        data = {"format": FORMAT, "generator": generator_version(), "out": str(self.out), "inputs": inputs,
                "report": report, "search": search, "pages": pages, "files": files}
        self._write(self.file, json.dumps(data, ensure_ascii=False, separators=(",", ":")))  # dumps: the C encoder
        self.last, self._present = data, None
        # what a build that was killed left half-written, in the folders the cache writes to (not in the
        # retired site: looking through its thousand files took 0.02 s of every build)
        for leftover in [*self.folder.glob(".new-*"), *self.compiled.glob(".new-*")]:
            pid = leftover.name.split("-")[1]
            if pid.isdigit() and not alive(int(pid)):
                leftover.unlink(missing_ok=True)


class Memo:
    """Results of a pure function of text, kept from build to build (key → plain data: strings, numbers,
    lists, dicts); a build keeps those it used. Saved with a checksum: a file that does not match it, or
    that another generator wrote, is ignored, and what a value holds is checked where it is read."""

    def __init__(self, last: dict):
        self.last, self.used = last, {}

    def get(self, key: str):
        value = self.used.get(key)
        if value is None:
            value = self.last.get(key)
            if value is not None:
                self.used[key] = value
        return value

    def put(self, key: str, value) -> None:
        self.used[key] = value


def memo_file(memo: Memo) -> bytes:
    """What a memo's file holds: a checksum line, then its used values in Python's marshal format (as
    Python keeps its own compiled code: four times as fast to write as JSON)."""
    body = marshal.dumps({"generator": generator_version(), "values": memo.used})
    return hashlib.sha256(body).hexdigest().encode() + b"\n" + body


_kept_results: Memo | None = None  # during a build with a cache: what remembered() made, kept for the next


@contextmanager
def results_kept(memo: Memo | None):
    """For one build with a cache (memo None: without): what remembered() makes of input files taken from
    memo where the last build made it of the same bytes, and kept there for the next build."""
    global _kept_results
    _kept_results = memo
    try:
        yield
    finally:
        _kept_results = None


def remembered(kind: str, data: bytes, make, valid=lambda value: True):
    """make(): a JSON value made of data (a file's bytes) alone, by the generator; with results_kept, the
    one the last build made of the same bytes where it is valid (valid(value): what a memo holds is
    checked), each call getting a value of its own. A value JSON cannot hold is made each time."""
    memo = _kept_results
    if memo is None:
        return make()
    key = f"{kind} {hashlib.blake2b(data, digest_size=16).hexdigest()}"
    found = memo.get(key)
    if isinstance(found, str):
        try:
            value = json.loads(found)
            if valid(value):
                return value
        except (ValueError, RecursionError):
            pass
    value = make()
    try:
        memo.put(key, json.dumps(value, ensure_ascii=False))
    except (TypeError, ValueError):  # a date in a TOML file, say
        pass
    return value


def _is_stat(value) -> bool:
    return isinstance(value, list) and len(value) == 3 and all(type(n) is int for n in value)


def _is_page(value) -> bool:
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], str) and (
        value[1] is None or isinstance(value[1], list) and all(
            isinstance(r, list) and len(r) == 3 and all(isinstance(x, str) for x in r) for r in value[1]))
