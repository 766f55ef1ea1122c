"""Stage 5: the list of pages of one edition, each with the facts its template shows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from types import MappingProxyType

from .glossary import Term
from .mdpages import MarkdownPage
from .model import KINDS, Agency, Chapter, Document, Section, Task
from .urls import Route


@dataclass(frozen=True)
class Page:
    """A page to render: its route, template and the facts specific to it."""

    route: Route
    template: str
    context: MappingProxyType = field(default_factory=lambda: MappingProxyType({}))


@dataclass(frozen=True)
class AgencyView:
    """What an agency page shows beyond the Agency itself."""

    agency: Agency
    by_chapter: tuple[tuple[Chapter, tuple[Task, ...]], ...]
    partners: tuple[tuple[Agency, int], ...]  # agencies named in the same tasks, most shared first


def partners(agency: Agency, tasks: dict[int, Task], agencies: dict[str, Agency]) -> tuple[tuple[Agency, int], ...]:
    """Agencies named together with this one, with the number of tasks they share."""
    shared = Counter(name for n in agency.tasks for name in tasks[n].clause.agencies if name != agency.name)
    order = list(agencies)
    return tuple((agencies[name], count)
                 for name, count in sorted(shared.items(), key=lambda item: (-item[1], order.index(item[0]))))


def agency_views(document: Document, agencies: dict[str, Agency]) -> dict[str, AgencyView]:
    """Per agency: its tasks grouped by chapter, and its partners."""
    tasks = {t.number: t for t in document.tasks}
    views = {}
    for agency in agencies.values():
        mine = set(agency.tasks)
        by_chapter = tuple((c, tuple(t for t in c.tasks if t.number in mine))
                           for c in document.chapters if any(t.number in mine for t in c.tasks))
        views[agency.name] = AgencyView(agency, by_chapter, partners(agency, tasks, agencies))
    return views


def directory(agencies: dict[str, Agency]) -> tuple[tuple[str, tuple[Agency, ...]], ...]:
    """Agencies grouped by kind, in KINDS order, each group ordered by task count (most first)."""
    groups = []
    for kind in KINDS:
        members = sorted((a for a in agencies.values() if a.kind == kind), key=lambda a: -len(a.tasks))
        if members:
            groups.append((kind, tuple(members)))
    return tuple(groups)


def build_pages(document: Document, agencies: dict[str, Agency], glossary: tuple[Term, ...] = (),
                markdown_pages: tuple[MarkdownPage, ...] = ()) -> list[Page]:
    """Every page of an edition (the same list for every language)."""

    def page(route: Route, template: str, **context) -> Page:
        return Page(route, template, MappingProxyType(context))

    tasks = document.tasks
    views = agency_views(document, agencies)
    pages = [page(Route("home"), "home.html"), page(Route("search"), "search.html"),
             page(Route("agencies"), "agencies.html", groups=directory(agencies)),
             page(Route("matrix"), "matrix.html", rows=matrix(document, agencies)),
             page(Route("collaboration"), "collaboration.html", pairs=shared_tasks(document, agencies))]
    for chapter in document.chapters:
        pages.append(page(Route("chapter", str(chapter.number)), "chapter.html", chapter=chapter))
        for section in chapter.sections:
            pages.append(page(Route("section", str(section.number)), "section.html",
                              chapter=chapter, section=section))
    sections = {s.number: s for s in document.sections}
    chapters = {c.number: c for c in document.chapters}
    for i, task in enumerate(tasks):
        pages.append(page(Route("task", str(task.number)), "task.html", task=task,
                          chapter=chapters[task.chapter], section=sections.get(task.section),
                          previous=tasks[i - 1] if i else None,
                          next=tasks[i + 1] if i + 1 < len(tasks) else None))
    for agency in agencies.values():
        pages.append(page(Route("agency", agency.name), "agency.html", view=views[agency.name]))
    if glossary:
        pages.append(page(Route("glossary"), "glossary.html", terms=glossary))
    for markdown_page in markdown_pages:
        pages.append(page(Route("page", markdown_page.name), "mdpage.html", md=markdown_page))
    return pages


def route_of(item: Chapter | Section | Task | Agency) -> Route:
    """The route of a model object's page."""
    if isinstance(item, Chapter):
        return Route("chapter", str(item.number))
    if isinstance(item, Section):
        return Route("section", str(item.number))
    if isinstance(item, Task):
        return Route("task", str(item.number))
    return Route("agency", item.name)


@dataclass(frozen=True)
class MatrixRow:
    """One agency's row of the responsibility matrix: per chapter, (listed first, named in)."""

    agency: Agency
    cells: tuple[tuple[int, int], ...]


HEAT_LEVELS = (0, 1, 2, 4, 7, 11)
"""Lower bounds of the matrix's heat classes (heat-0 … heat-5) by number of tasks."""


def heat(count: int) -> int:
    """The heat class of a cell naming count tasks."""
    return max(i for i, bound in enumerate(HEAT_LEVELS) if count >= bound)


def matrix(document: Document, agencies: dict[str, Agency]) -> tuple[MatrixRow, ...]:
    """Agencies (in directory order) × chapters: how many tasks list the agency first, and name it."""
    rows = []
    for _, members in directory(agencies):
        for agency in members:
            first, named = set(agency.first_listed), set(agency.tasks)
            rows.append(MatrixRow(agency, tuple(
                (sum(t.number in first for t in c.tasks), sum(t.number in named for t in c.tasks))
                for c in document.chapters)))
    return tuple(rows)


def shared_tasks(document: Document, agencies: dict[str, Agency]) -> tuple[tuple[Agency, Agency, int], ...]:
    """Every pair of agencies named in the same task, with how many tasks they share, most first."""
    order = {name: i for i, name in enumerate(agencies)}
    pairs = Counter()
    for task in document.tasks:
        names = sorted(set(task.clause.agencies), key=order.get)
        pairs.update((a, b) for i, a in enumerate(names) for b in names[i + 1:])
    return tuple((agencies[a], agencies[b], n)
                 for (a, b), n in sorted(pairs.items(), key=lambda item: (-item[1], order[item[0][0]], order[item[0][1]])))
