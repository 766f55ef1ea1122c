"""A library: many documents in one site, and every department across all of them.

A content folder is a library when its site.toml has a [library] table; each folder under
content/documents/ with a site.toml is then one document (a content folder of its own, which
builds alone too), built under zh/documents/<id>/ … . The library joins them: its home lists the documents (filtered by
government and by year on pages of their own), and each department of each government has one page
listing its tasks in every document. A department is one government's agency as the documents
write it; the same short name in two governments is two departments.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from .config import TomlFile, read_toml
from .errors import BuildError, Problem, Problems
from .model import Agency, Task
from .urls import Origin, Route, Slugs

DOCUMENT_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Government:
    """An issuing government of the library, with its names in each language."""

    key: str  # as site.toml [governments] names it, e.g. shanxi; also its URL slug
    names: dict  # language → name
    level: str  # national, province, city, district, county


@dataclass(frozen=True)
class LibraryConfig:
    """What the library's site.toml says, and where its documents are."""

    toml: TomlFile
    titles: dict  # language → the library's title
    governments: dict  # key → Government
    documents: tuple  # (id, folder) of each document, in id order
    glossary: tuple[Path, ...] = ()  # the library's glossary files (the documents' own are not used then)


def load_library(content_dir: Path) -> LibraryConfig | None:
    """The library the content folder holds, or None when it holds one document (no [library] table)."""
    path = content_dir / "site.toml"
    if not path.is_file():
        return None
    toml = read_toml(path)
    library = toml.data.get("library")
    if library is None:
        return None
    titles = library.get("title")
    if not isinstance(titles, dict) or not all(isinstance(v, str) and v for v in titles.values()):
        raise BuildError(Problem(path, toml.line_of("library"), "[library] needs title.LANG = \"…\" per language"))
    governments = {}
    for key, entry in toml.data.get("governments", {}).items():
        if not DOCUMENT_ID.match(key) or not isinstance(entry, dict) or not all(
                isinstance(entry.get(lang), str) and entry[lang] for lang in ("zh", "en")):
            raise BuildError(Problem(path, toml.line_of("governments", key),
                                     f"[governments.{key}] needs a lowercase ASCII key and zh = \"…\", en = \"…\""))
        governments[key] = Government(key, {"zh": entry["zh"], "en": entry["en"]}, entry.get("level", ""))
    folder = content_dir / "documents"
    documents = tuple((p.parent.name, p.parent) for p in sorted(folder.glob("*/site.toml")))
    for doc, where in documents:
        if not DOCUMENT_ID.match(doc):
            raise BuildError(Problem(where, None, f"a document's folder name is its URL: {doc!r} must be lowercase "
                                                  f"ASCII words joined by hyphens"))
    if not documents:
        raise BuildError(Problem(folder, None, "a library needs documents: documents/<id>/site.toml"))
    glossary = library.get("glossary", [])
    glossary = [glossary] if isinstance(glossary, str) else glossary
    if not isinstance(glossary, list) or not all(isinstance(name, str) and name for name in glossary):
        raise BuildError(Problem(path, toml.line_of("library"), "[library] glossary names its files: "
                                                                "glossary = [\"glossary.toml\", …]"))
    return LibraryConfig(toml, titles, governments, documents, tuple(content_dir / name for name in glossary))


@dataclass(frozen=True)
class Holding:
    """A department's tasks in one document."""

    doc: str
    agency: Agency  # the document's own record of it (its page, its counts)
    tasks: tuple[Task, ...]


DEPARTMENT_TASKS_SHOWN = 150
"""A department page lists its tasks where they number at most this many; past it, the page is split by
document: each document's section gives the counts and links to the department's page in that document."""


@dataclass(frozen=True)
class Department:
    """One government's agency across the documents of the library."""

    government: Government
    name: str  # as the documents write it
    full_name: str
    holdings: tuple[Holding, ...]  # one per document naming it, in library order
    today: object = None  # its Lineage: who holds its job today, where the government's lineage says

    @property
    def route(self) -> Route:
        return Route("department", f"{self.government.key}\t{self.name}")

    @property
    def tasks(self) -> int:
        return sum(len(h.tasks) for h in self.holdings)

    @property
    def split(self) -> bool:
        """Whether the page is split by document (too many tasks to list on one page)."""
        return self.tasks > DEPARTMENT_TASKS_SHOWN

    @property
    def first_listed(self) -> int:
        return sum(len(h.agency.first_listed) for h in self.holdings)

    @property
    def led(self) -> int:
        return sum(len(h.agency.led) for h in self.holdings)


def departments(documents: list, governments: dict, lineages: dict | None = None) -> list[Department]:
    """Join the documents' agencies into the library's departments: one per government and name, where
    an agency the registry says is the same as another (same_as) joins that one.

    documents holds (config, document, agencies) per document, in library order; lineages maps
    (government, name) to who holds the department's job today."""
    held: dict[tuple[str, str], list[Holding]] = {}
    full_names: dict[tuple[str, str], str] = {}
    for config, document, agencies in documents:
        tasks = {t.number: t for t in document.tasks}
        for agency in agencies.values():
            key = (config.government, agency.same_as or agency.name)
            held.setdefault(key, []).append(Holding(config.doc, agency, tuple(tasks[n] for n in agency.tasks)))
            if agency.same_as:  # the full name is the registry's for the agency it is the same as
                full_names.setdefault(key, agency.full_name)
            else:
                full_names[key] = agency.full_name
    order = {key: i for i, key in enumerate(governments)}
    lineages = lineages or {}
    return [Department(governments[gov], name, full_names[(gov, name)], tuple(holdings), lineages.get((gov, name)))
            for (gov, name), holdings in sorted(held.items(), key=lambda item: (
                order[item[0][0]], -sum(len(h.tasks) for h in item[1]), item[0][1]))]


def add_library_slugs(slugs: Slugs, library: LibraryConfig, found: list[Department]) -> None:
    """Slugs of the governments (their keys) and departments (government/agency slug)."""
    for government in library.governments.values():
        slugs.add(Route("government", government.key), government.key,
                  Origin(str(library.toml.path), library.toml.line_of("governments", government.key),
                         f"government {government.key}"))
    for department in found:
        agency = department.holdings[0].agency
        slugs.add(department.route, f"{department.government.key}/{agency.slug}",
                  Origin(str(library.toml.path), None, f"department {department.name} of {department.government.key}"))


def years(summaries: list) -> list[int]:
    """The years of the library's documents, newest first."""
    return sorted(Counter(s.year for s in summaries), reverse=True)


@dataclass(frozen=True)
class Summary:
    """What the library's lists show of a document."""

    doc: str
    route: Route  # its home page
    titles: dict  # language → its title (Markup: the Chinese, tagged, where a translation is pending)
    government: Government | None
    year: int
    issuer: str
    number: str
    date: str
    tasks: int
    agencies: int
    coverage: dict  # language → (entries translated and current, entries)
    cites: tuple[str, ...] = ()  # the numbers of the documents it cites (its [[document.cites]] and preamble)
    states: dict = field(default_factory=dict)  # language → entries by review state (Translation.by_state)
    notes: dict = field(default_factory=dict)  # language → the translator's notes (Renderer.translation_status)


def summary(renderer, governments: dict) -> Summary:
    """A document's line in the library's lists, from its renderer."""
    config, document = renderer.config, renderer.document
    source = renderer.known
    coverage = {e.lang: (e.translation.total - len(e.translation.missing) - len(e.translation.stale),
                         e.translation.total) for e in renderer.editions if e.translation is not None}
    status = {e.lang: renderer.translation_status(e) for e in renderer.editions if e.translation is not None}
    return Summary(config.doc, Route("home", "", config.doc),
                   {e.lang: renderer.title_of(None, e) for e in renderer.editions},
                   governments.get(config.government), config.year,
                   source.issuer_zh, source.number, source.date,
                   len(document.tasks), len(renderer.agencies), coverage, cited_numbers(renderer),
                   {lang: states for lang, (states, _) in status.items()},
                   {lang: notes for lang, (_, notes) in status.items()})


CITED_NUMBER = re.compile(r"[\u4e00-\u9fff]{1,10}[〔\[［(（]\d{4}[〕\]］)）]\s*\d{1,4}\s*号")
"""A document number as a preamble cites it: 国发〔2011〕26号, 国办函[2016]38号."""


def number_key(number: str) -> str:
    """A document number written one way, whatever brackets and spaces the text used (for matching)."""
    return re.sub(r"\s", "", number.translate(str.maketrans("[［(（]］)）", "〔〔〔〔〕〕〕〕")))


def cited_numbers(renderer) -> tuple[str, ...]:
    """The document numbers a document cites: those its config lists, then any more its preamble names."""
    numbers: dict[str, str] = {}  # each number once, as first written
    for number in [c.number for c in renderer.config.cites] + [
            m.group() for p in renderer.document.preamble for m in CITED_NUMBER.finditer(p.text)]:
        numbers.setdefault(number_key(number), number)
    return tuple(numbers.values())


def citations(summaries: list[Summary]) -> dict[str, dict]:
    """Per document: the library's documents among those it cites (by number), and those that cite it."""
    by_number = {number_key(s.number): s for s in summaries if s.number}
    return {s.doc: {"in_library": {number_key(n): by_number[number_key(n)] for n in s.cites
                                   if number_key(n) in by_number and by_number[number_key(n)] is not s},
                    "cited_by": [other for other in summaries if other is not s and s.number and
                                 number_key(s.number) in {number_key(n) for n in other.cites}],
                    "numbers": s.cites}
            for s in summaries}


def library_pages(library: LibraryConfig, summaries: list[Summary], found: list[Department],
                  markdown_pages: tuple, texts: dict, terms: tuple = ()) -> list:
    """The library's own pages: its home, a page per government and per year, the departments and each one."""
    from .pages import Page, page

    by_government = {key: [s for s in summaries if s.government and s.government.key == key]
                     for key in library.governments}
    by_year = {year: [s for s in summaries if s.year == year] for year in years(summaries)}
    filters = dict(governments=[(library.governments[k], len(v)) for k, v in by_government.items() if v],
                   years=[(y, len(v)) for y, v in by_year.items()])
    pages = [page(Route("home"), "library.html", documents=summaries, **filters),
             page(Route("search"), "search.html"),
             page(Route("departments"), "departments.html", library_texts=texts, groups=[
                 (government, [d for d in found if d.government.key == key])
                 for key, government in library.governments.items() if any(d.government.key == key for d in found)])]
    for key, documents in by_government.items():
        if documents:
            pages.append(page(Route("government", key), "library.html", documents=documents,
                              government=library.governments[key], **filters))
    for year, documents in by_year.items():
        pages.append(page(Route("year", str(year)), "library.html", documents=documents, year=year, **filters))
    titles = {s.doc: s.titles for s in summaries}
    successors, predecessors = lineage_links(found)
    for department in found:
        pages.append(page(department.route, "department.html", department=department, titles=titles,
                          library_texts=texts, successors=successors.get(department.route, ()),
                          predecessors=predecessors.get(department.route, ())))
    if terms:
        pages.append(page(Route("terms"), "library_glossary.html", terms=terms, titles=titles))
    for markdown_page in markdown_pages:
        pages.append(page(Route("page", markdown_page.name), "mdpage.html", md=markdown_page, documents=summaries))
    return pages


def lineage_links(found: list[Department]) -> tuple[dict, dict]:
    """Departments that hold another's job today, by the lineage: route → its successors' departments, and
    route → its predecessors' (a successor is found by its full name among the same government's)."""
    by_full_name = {(d.government.key, d.full_name): d for d in found}
    successors: dict[Route, tuple[Department, ...]] = {}
    predecessors: dict[Route, list[Department]] = {}
    for department in found:
        line = department.today
        if line is None or line.status == "unchanged":
            continue
        held = tuple(by_full_name[(department.government.key, name)] for name in line.successors
                     if (department.government.key, name) in by_full_name)
        if held:
            successors[department.route] = held
        for successor in held:
            predecessors.setdefault(successor.route, []).append(department)
    return successors, {route: tuple(ds) for route, ds in predecessors.items()}


def check_shared_lineages(documents: list) -> None:
    """A government's lineage names only agencies that some document of that government names."""
    named: dict[Path, set[str]] = {}
    for renderer, _ in documents:
        if renderer.config.shared_lineage:
            named.setdefault(renderer.config.lineage, set()).update(renderer.agencies)
    problems = Problems()
    for path, names in named.items():
        toml = read_toml(path)
        for name in toml.data:
            if name not in names:
                problems.error(path, toml.line_of(name), f"lineage of {name}: no document of its government names "
                                                         f"an agency of that name")
    problems.raise_if_any()


def texts(documents: list) -> dict:
    """What the library's pages show of each document, in each language: task texts, agency names."""
    return {r.config.doc: {
        "task": {t.number: {e.lang: r.title_of(t, e) for e in r.editions} for t in r.document.tasks},
        "agency": {a.name: {e.lang: r.name_of(a, e) for e in r.editions} for a in r.agencies.values()},
        "full": {a.name: {e.lang: r.full_name_of(a, e) for e in r.editions} for a in r.agencies.values()},
    } for r, _ in documents}
