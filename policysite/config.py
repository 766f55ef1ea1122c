"""Reading the content folder's TOML files: the site configuration, with errors that name the line."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from .cache import remembered
from .errors import BuildError, Problem

_HEADER = re.compile(r"^\s*\[[^\[].*\]\s*(#.*)?$")
_BARE_HEADER = re.compile(r"^\s*\[\s*([A-Za-z0-9_-]+(?:\s*\.\s*[A-Za-z0-9_-]+)*)\s*\]\s*(?:#.*)?$")
"""A header of bare keys only ([task.67]): its key path is its dotted parts (others are read as TOML)."""


@dataclass(frozen=True)
class TomlFile:
    """A parsed TOML file and the line on which each table header stands."""

    path: Path
    data: dict
    header_lines: dict[tuple[str, ...], int]

    def line_of(self, *keys: str) -> int | None:
        """The line of the table [keys…], if it has a header of its own."""
        return self.header_lines.get(tuple(keys))


def _key_path(data: dict) -> tuple[str, ...]:
    path = []
    while isinstance(data, dict) and len(data) == 1:
        key, data = next(iter(data.items()))
        path.append(key)
    return tuple(path)


def read_toml(path: Path) -> TomlFile:
    """Parse a TOML file; a syntax error becomes a Problem naming the file and line. (With the build cache,
    a file as it was last time is not parsed again: cache.remembered.)"""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise BuildError(Problem(path, None, "file not found")) from None
    data, headers = remembered("toml", raw, lambda: _parsed(path, raw), valid=_is_parsed)
    return TomlFile(path, data, {tuple(keys): line for keys, line in headers})


def _is_parsed(value) -> bool:
    """value is what _parsed() gives (a memo's value read back is checked)."""
    return isinstance(value, list) and len(value) == 2 and isinstance(value[0], dict) \
        and isinstance(value[1], list) and all(
            isinstance(header, list) and len(header) == 2 and isinstance(header[0], list)
            and all(isinstance(key, str) for key in header[0]) and type(header[1]) is int for header in value[1])


def _parsed(path: Path, raw: bytes) -> list:
    """[the data of a TOML file, [[the keys of each table header, its line], …]]."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BuildError(Problem(path, None, f"not valid UTF-8 (byte {exc.start})")) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"\(at line (\d+), column \d+\)", str(exc))
        message = re.sub(r"\s*\(at line.*\)$", "", str(exc))
        raise BuildError(Problem(path, int(where.group(1)) if where else None,
                                 f"invalid TOML: {message}")) from None
    headers = []
    for number, line in enumerate(text.splitlines(), start=1):
        if _HEADER.match(line):
            bare = _BARE_HEADER.match(line)
            keys = [key.strip() for key in bare.group(1).split(".")] if bare else list(_key_path(tomllib.loads(line)))
            headers.append([keys, number])
    return [data, headers]


@dataclass(frozen=True)
class SiteConfig:
    """What content/site.toml says: the document's source and title, the languages, the registry."""

    content_dir: Path | None  # None when building from a bare source text
    source: Path
    title: str  # "" to take the title from the document itself
    implements: tuple[str, ...]
    languages: tuple[str, ...]
    registry: Path | None
    lineage: Path | None = None  # who holds each agency's responsibilities today (lineage.py)
    base_url: str = ""  # where the site is published, e.g. https://example.org/policy/ ("" if unknown)
    short_titles: dict = field(default_factory=dict)  # language → the short title page titles end with
    facts: "DocumentFacts | None" = None  # issuer, number and date where the text lacks them, with a source
    cites: tuple["Citation", ...] = ()  # the documents its preamble cites
    partial: tuple[str, ...] = ()  # languages whose translation the document says is partial (title and names)
    shared_lineage: bool = False  # in a library: the lineage is its government's, shared by its documents
    doc: str = ""  # in a library: the document's id (its folder's name)
    government: str = ""  # in a library: the key of its issuing government in site.toml [governments]
    year: int = 0  # in a library: the year it was issued


@dataclass(frozen=True)
class DocumentFacts:
    """Who issued the document, its number and date ("" where unknown), and the page they come from."""

    issuer: str
    document_number: str
    date: str
    source_url: str
    source_title: str
    finding: dict  # language → what the research found, in words
    issuer_en: str = ""  # the issuer's name in English, for the English citation


@dataclass(frozen=True)
class Citation:
    """A document the preamble cites: its number, title (Chinese and English), issuer, date, where found."""

    number: str
    title: str
    title_en: str = ""
    issuer: str = ""
    date: str = ""  # as signed or promulgated; "" when unknown
    published: str = ""  # when it was published, where only that is known
    source_url: str = ""
    source_title: str = ""


def load_config(content_dir: Path, library: "TomlFile | None" = None, doc: str = "") -> SiteConfig:
    """Read content_dir/site.toml, checking that required keys are there and of the right type. In a
    library, a document's languages and base URL are the library's, and its registry and lineage its
    government's where the library names them (else its own, relative to its folder)."""
    toml = read_toml(content_dir / "site.toml")
    document = toml.data.get("document", {})
    site = toml.data.get("site", {})
    own = {key: content_dir / site[key] for key in ("registry", "lineage") if isinstance(site.get(key), str)}
    if library is not None:
        site = {key: value for key, value in library.data.get("site", {}).items() if key in ("languages", "base_url")}
        if not isinstance(document.get("government"), str) or not isinstance(document.get("year"), int):
            raise BuildError(Problem(toml.path, toml.line_of("document"),
                                     "[document] in a library needs government = \"<a government of site.toml>\" "
                                     "and year = <the year it was issued>"))
        government = library.data.get("governments", {}).get(document["government"])
        if not isinstance(government, dict):
            raise BuildError(Problem(toml.path, toml.line_of("document"),
                                     f"government {document['government']!r} is not among the [governments] of "
                                     f"{library.path}"))
        own.update({key: library.path.parent / government[key] for key in ("registry", "lineage") if key in government})

    def need(table: dict, name: str, key: str, kind: type):
        value = table.get(key)
        if not isinstance(value, kind) or (isinstance(value, (str, list)) and not value):
            raise BuildError(Problem(toml.path, toml.line_of(name),
                                     f"[{name}] needs {key} = a non-empty {kind.__name__}"))
        return value

    base_url = site.get("base_url", "")
    if not isinstance(base_url, str):
        raise BuildError(Problem(toml.path, toml.line_of("site"), "[site] base_url must be an http(s) URL"))
    return SiteConfig(
        content_dir=content_dir,
        source=content_dir / need(document, "document", "source", str),
        title=document.get("title", "") if isinstance(document.get("title", ""), str) else
        need(document, "document", "title", str),
        implements=tuple(document.get("implements", ())),
        languages=tuple(need(site, "site", "languages", list)),
        registry=own.get("registry"),
        lineage=own.get("lineage"),
        base_url=normalize_base_url(base_url, toml.path, toml.line_of("site")),
        short_titles=_short_titles(toml, document.get("short_title", {})),
        facts=_facts(toml, document.get("facts")),
        cites=_cites(toml, document.get("cites", [])),
        doc=doc, government=document.get("government", ""), year=document.get("year", 0),
        partial=_partial(toml, document.get("translations", {})),
        shared_lineage=library is not None and "lineage" in library.data.get("governments", {}).get(
            document.get("government"), {}),
    )


def _partial(toml: TomlFile, value) -> tuple[str, ...]:
    if not isinstance(value, dict) or not all(v in ("complete", "partial") for v in value.values()):
        raise BuildError(Problem(toml.path, toml.line_of("document", "translations") or toml.line_of("document"),
                                 "[document.translations] says of each language \"complete\" or \"partial\" "
                                 "(a partial translation gives the title and the agencies' names)"))
    return tuple(lang for lang, state in value.items() if state == "partial")


def _facts(toml: TomlFile, value) -> DocumentFacts | None:
    if value is None:
        return None
    keys = ("issuer", "document_number", "date", "source_url", "source_title")
    if not isinstance(value, dict) or not all(isinstance(value.get(k, ""), str) for k in keys + ("issuer_en",)) \
            or not isinstance(value.get("finding", {}), dict):
        raise BuildError(Problem(toml.path, toml.line_of("document", "facts"),
                                 "[document.facts] holds issuer, issuer_en, document_number, date, source_url, source_title "
                                 "(text, \"\" when unknown) and finding.LANG"))
    return DocumentFacts(*(value.get(k, "") for k in keys), dict(value.get("finding", {})), value.get("issuer_en", ""))


def _cites(toml: TomlFile, value) -> tuple[Citation, ...]:
    fields = Citation.__dataclass_fields__
    if not isinstance(value, list) or not all(
            isinstance(c, dict) and c.get("number") and c.get("title") and set(c) <= set(fields)
            and all(isinstance(v, str) for v in c.values()) for c in value):
        raise BuildError(Problem(toml.path, toml.line_of("document"),
                                 f"each [[document.cites]] needs number and title, and may hold "
                                 f"{', '.join(list(fields)[2:])} (text)"))
    return tuple(Citation(**c) for c in value)


def _short_titles(toml: TomlFile, value) -> dict[str, str]:
    if not isinstance(value, dict) or not all(isinstance(v, str) and v for v in value.values()):
        raise BuildError(Problem(toml.path, toml.line_of("document", "short_title") or toml.line_of("document"),
                                 "[document.short_title] maps a language to a non-empty title, e.g. zh = \"…\""))
    return dict(value)


def normalize_base_url(url: str, where: Path | str, line: int | None = None) -> str:
    """A base URL ending in exactly one slash ("" stays ""); anything but an http(s) URL is an error."""
    if url and not re.match(r"^https?://[^\s/]+\S*$", url):
        raise BuildError(Problem(where, line, f"base URL {url!r} is not an http(s) URL"))
    return url.rstrip("/") + "/" if url else ""


def config_for_source(source: Path) -> SiteConfig:
    """The configuration of a site built from nothing but a source text: Chinese and English
    (pending), the title taken from the document, every agency registered automatically."""
    return SiteConfig(content_dir=None, source=source, title="", implements=(), languages=("zh", "en"),
                      registry=None)
