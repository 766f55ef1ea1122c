"""Stage 4: give every page one URL, once, and refuse two things that want the same one."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BuildError, Problem
from .model import Agency, Document
from .slugs import unique_slugs


DOCUMENT_KINDS = frozenset({"home", "search", "chapter", "section", "task", "agencies", "agency", "agency-alone",
                            "agency-first", "agency-led", "pair", "matrix", "collaboration", "glossary"})
"""Pages that belong to one document: in a library they stand under the document's folder
(zh/documents/<id>/…); the others (the library's own pages, the Markdown pages) stand at the top."""


@dataclass(frozen=True)
class Route:
    """A page independent of its language: the same route exists in every edition."""

    kind: str  # home, chapter, section, task, agencies, agency, agency-alone, pair, glossary, page, library, …
    key: str = ""  # chapter/section/task number, agency name (a pair: two, tab-separated) or page name
    doc: str = ""  # the document it belongs to, in a library ("" for a site of one document)

    def path(self, lang: str, slugs: "Slugs") -> str:
        """The page's folder under the site root, e.g. zh/tasks/67/, zh/agencies/sheng-huan-bao-ting/alone/,
        zh/agencies/sheng-fa-zhan-gai-ge-wei/with/sheng-huan-bao-ting/, zh/documents/<id>/tasks/67/."""
        if self.kind == "root":
            return ""
        prefix = slugs.prefix(self.doc) if self.kind in DOCUMENT_KINDS else ""
        return f"{lang}/{prefix}{self._middle(slugs)}"

    def _middle(self, slugs: "Slugs") -> str:
        if self.kind.startswith("agency-"):  # the agency's page narrowed: alone, first, led
            agency = slugs.get(Route("agency", self.key, self.doc))
            return f"agencies/{agency}/{self.kind.removeprefix('agency-')}/"
        if self.kind == "pair":
            first, second = (slugs.get(Route("agency", name, self.doc)) for name in self.key.split("\t"))
            return f"agencies/{first}/with/{second}/"
        if self.kind in ("chapter", "section", "agency"):
            return f"{'agencies' if self.kind == 'agency' else self.kind + 's'}/{slugs.get(self)}/"
        if self.kind == "task":
            return f"tasks/{self.key}/"
        if self.kind in ("page", "year"):
            return f"{'years/' if self.kind == 'year' else ''}{self.key}/"
        if self.kind in ("government", "department"):  # a library's government, and an agency of it
            return f"{'governments' if self.kind == 'government' else 'departments'}/{slugs.get(self)}/"
        if self.kind == "terms":  # a library's one glossary
            return "glossary/"
        return "" if self.kind in ("home", "library") else f"{self.kind}/"


@dataclass(frozen=True)
class Origin:
    """Where a slug comes from, for error messages."""

    path: str
    line: int | None
    what: str

    def __str__(self) -> str:
        return f"{self.what} ({self.path}:{self.line})" if self.line else f"{self.what} ({self.path})"


class Slugs:
    """The slug of every chapter, section and agency of each document (and, in a library, of each
    government and department), computed once, and the folder each document's pages stand in."""

    def __init__(self, document: Document | None = None, agencies: dict[str, Agency] | None = None,
                 source: str = "", registry: str = "", doc: str = "", prefix: str = ""):
        self._slugs: dict[Route, tuple[str, Origin]] = {}
        self._prefixes: dict[str, str] = {doc: prefix}
        if document is not None:
            self.add_document(document, agencies or {}, source, registry, doc, prefix)

    def add_document(self, document: Document, agencies: dict[str, Agency], source: str, registry: str,
                     doc: str = "", prefix: str = "") -> None:
        """The slugs of a document's chapters, sections and agencies; its pages stand under prefix."""
        self._prefixes[doc] = prefix
        chapter_slugs = unique_slugs([c.title for c in document.chapters], prefix="chapter")
        for chapter, slug in zip(document.chapters, chapter_slugs):
            self.add(Route("chapter", str(chapter.number), doc), slug,
                     Origin(source, chapter.line, f"chapter {chapter.number} {chapter.title}"))
        section_slugs = unique_slugs([s.title for s in document.sections], prefix="section")
        for section, slug in zip(document.sections, section_slugs):
            self.add(Route("section", str(section.number), doc), slug,
                     Origin(source, section.line, f"section {section.number} {section.title}"))
        for agency in agencies.values():
            self.add(Route("agency", agency.name, doc), agency.slug,
                     Origin(registry, agency.line, f"agency {agency.name}"))

    def add(self, route: Route, slug: str, origin: Origin) -> None:
        self._slugs[route] = (slug, origin)

    def update(self, other: "Slugs") -> None:
        """Add another's slugs and folders (a document's, made apart)."""
        self._slugs.update(other._slugs)
        self._prefixes.update(other._prefixes)

    def prefix(self, doc: str) -> str:
        return self._prefixes.get(doc, "")

    def get(self, route: Route) -> str:
        return self._slugs[route][0]

    def origin(self, route: Route) -> Origin:
        if route in self._slugs:
            return self._slugs[route][1]
        if route.kind == "page":
            return Origin("content/pages", None, f"the Markdown page {route.key}")
        return Origin("templates", None, f"the {route.kind} page")


def check_unique(routes: list[Route], lang: str, slugs: Slugs) -> None:
    """Fail, naming both, when two routes would be written to the same path."""
    seen: dict[str, Route] = {}
    problems = []
    for route in routes:
        path = route.path(lang, slugs)
        if path in seen:
            here, there = slugs.origin(route), slugs.origin(seen[path])
            problems.append(Problem(here.path, here.line,
                                    f"{here.what} and {there} both want the URL {path}"))
        else:
            seen[path] = route
    if problems:
        raise BuildError(problems)


def links_from(from_dir: str):
    """The links from the page in folder from_dir (e.g. zh/tasks/67/): a function of the path linked to (a
    folder ending in /, or a file) that gives the relative link (from_dir taken apart once, for a page's
    many links)."""
    here = [part for part in from_dir.split("/") if part]
    depth = len(here)

    def link(to_path: str) -> str:
        there = to_path.split("/")
        common, most = 0, min(depth, len(there) - 1)
        while common < most and here[common] == there[common]:
            common += 1
        return "../" * (depth - common) + "/".join(there[common:]) or "./"

    return link
