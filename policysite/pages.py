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

    def __reduce__(self):  # a mapping proxy cannot be pickled: a page read in a worker comes back with a copy
        return _page, (self.route, self.template, dict(self.context))


def _page(route: Route, template: str, context: dict) -> "Page":
    return Page(route, template, MappingProxyType(context))


NARROWINGS = ("alone", "first", "led")
"""The ways an agency page narrows its tasks, each a page of its own (no JavaScript needed): the tasks
it holds alone, those that list it first, and those in which the document names it lead."""


@dataclass(frozen=True)
class AgencyView:
    """What an agency page shows beyond the Agency itself: its tasks (all, or narrowed), the narrowed
    pages with their counts, and its partners with the page of each pair."""

    agency: Agency
    by_chapter: tuple[tuple[Chapter, tuple[Task, ...]], ...]
    partners: tuple[tuple[Agency, int, Route], ...]  # agencies named in the same tasks, most shared first
    narrowings: tuple[tuple[str, int], ...]  # (narrowing, number of tasks), for those that have any
    narrow: str = ""  # "" for all its tasks, or one of NARROWINGS
    partner_count: int = 0  # all its partners, of which partners holds the first PARTNERS_SHOWN


def holds(agency: Agency, task: Task, narrow: str) -> bool:
    """Whether a task belongs on the agency's page narrowed to narrow."""
    names = task.clause.agencies
    if narrow == "alone":
        return names == (agency.name,) and not task.clause.parties
    if narrow == "first":
        return bool(names) and names[0] == agency.name
    if narrow == "led":
        return agency.name in task.clause.lead
    return agency.name in names


PARTNERS_SHOWN = 50
"""An agency page lists at most this many partners, most shared first, and says how many more there are."""
PAIRS_SHOWN = 500
"""The collaboration view draws and lists at most this many pairs, most shared first."""


CROWDED = 12
"""A task naming more agencies than this makes no pair page for the pairs it alone brings together."""


class Pairs:
    """The pages that answer "what do these two agencies share?": a pair page for every pair some page
    links to, except a pair whose one shared task names more than CROWDED agencies, which links to
    that task: one clause naming hundreds of agencies does not make a page for every two of them."""

    def __init__(self, document: Document, agencies: dict[str, Agency]):
        self.agencies = agencies
        self.tasks = {t.number: t for t in document.tasks}
        self.order = {name: i for i, name in enumerate(agencies)}
        self.linked: dict[Route, tuple[Agency, Agency, int]] = {}

    def key(self, a: Agency, b: Agency) -> tuple[Agency, Agency]:
        return (a, b) if self.order[a.name] < self.order[b.name] else (b, a)

    def link(self, a: Agency, b: Agency, count: int) -> Route:
        """The page a count of shared tasks links to (and, for a pair page, note that it is needed)."""
        first, second = self.key(a, b)
        if count == 1:
            task = self.tasks[min(set(a.tasks) & set(b.tasks))]
            if len(task.clause.agencies) > CROWDED:
                return Route("task", str(task.number))
        route = Route("pair", f"{first.name}\t{second.name}")
        self.linked[route] = (first, second, count)
        return route


def partners(agency: Agency, tasks: dict[int, Task], pairs: Pairs) -> tuple[tuple[Agency, int, Route], ...]:
    """Agencies named together with this one (the PARTNERS_SHOWN sharing most), with the number of tasks
    they share and the page that lists those tasks."""
    shared = Counter(name for n in agency.tasks for name in tasks[n].clause.agencies if name != agency.name)
    ranked = sorted(shared.items(), key=lambda item: (-item[1], pairs.order[item[0]]))[:PARTNERS_SHOWN]
    return tuple((pairs.agencies[name], count, pairs.link(agency, pairs.agencies[name], count))
                 for name, count in ranked)


def agency_views(document: Document, agencies: dict[str, Agency], pairs: Pairs) -> list[tuple[Route, AgencyView]]:
    """Per agency: its page (tasks grouped by chapter, partners) and a narrowed page per NARROWINGS with tasks."""
    tasks = {t.number: t for t in document.tasks}
    views = []
    for agency in agencies.values():
        mine = [tasks[n] for n in agency.tasks]
        counts = tuple((narrow, n) for narrow in NARROWINGS
                       for n in [sum(holds(agency, t, narrow) for t in mine)] if n)
        shared = partners(agency, tasks, pairs)
        partner_count = len({name for t in mine for name in t.clause.agencies} - {agency.name})
        for narrow in ("", *(narrow for narrow, _ in counts)):
            kept = by_chapter(document, {t.number for t in mine if holds(agency, t, narrow)})
            route = Route(f"agency-{narrow}" if narrow else "agency", agency.name)
            views.append((route, AgencyView(agency, kept, shared, counts, narrow, partner_count)))
    return views


@dataclass(frozen=True)
class PairView:
    """The tasks two agencies share, by chapter."""

    a: Agency
    b: Agency
    by_chapter: tuple[tuple[Chapter, tuple[Task, ...]], ...]
    count: int


def pair_views(document: Document, pairs: Pairs) -> list[tuple[Route, PairView]]:
    """A page per pair of agencies that some page links to (see Pairs)."""
    return [(route, PairView(a, b, by_chapter(document, set(a.tasks) & set(b.tasks)), count))
            for route, (a, b, count) in pairs.linked.items()]


def by_chapter(document: Document, numbers: set[int]) -> tuple[tuple[Chapter, tuple[Task, ...]], ...]:
    """The tasks of the given numbers, grouped by chapter (chapters without any left out)."""
    return tuple((c, kept) for c in document.chapters for kept in [tuple(t for t in c.tasks if t.number in numbers)]
                 if kept)


def directory(agencies: dict[str, Agency]) -> tuple[tuple[str, tuple[Agency, ...]], ...]:
    """Agencies grouped by kind, in KINDS order, each group ordered by task count (most first)."""
    groups = []
    for kind in KINDS:
        members = sorted((a for a in agencies.values() if a.kind == kind), key=lambda a: -len(a.tasks))
        if members:
            groups.append((kind, tuple(members)))
    return tuple(groups)


def neighbours(items):
    """Each item with the one before and the one after it (None at either end)."""
    items = tuple(items)
    return [(item, items[i - 1] if i else None, items[i + 1] if i + 1 < len(items) else None)
            for i, item in enumerate(items)]


def page(route: Route, template: str, **context) -> Page:
    """A page of a route, rendered by a template from the facts given."""
    return Page(route, template, MappingProxyType(context))


def build_pages(document: Document, agencies: dict[str, Agency], glossary: tuple[Term, ...] = (),
                markdown_pages: tuple[MarkdownPage, ...] = ()) -> list[Page]:
    """Every page of an edition (the same list for every language)."""

    tasks = document.tasks
    pairs = Pairs(document, agencies)
    every_pair = shared_tasks(document, agencies)
    pages = [page(Route("home"), "home.html"), page(Route("search"), "search.html"),
             page(Route("agencies"), "agencies.html", groups=directory(agencies)),
             page(Route("matrix"), "matrix.html", rows=matrix(document, agencies)),
             page(Route("collaboration"), "collaboration.html", pair_count=len(every_pair),
                  pairs=tuple((a, b, n, pairs.link(a, b, n)) for a, b, n in every_pair[:PAIRS_SHOWN]))]
    for chapter, previous, following in neighbours(document.chapters):
        pages.append(page(Route("chapter", str(chapter.number)), "chapter.html", chapter=chapter,
                          previous=previous, next=following))
    chapters = {c.number: c for c in document.chapters}
    for section, previous, following in neighbours(document.sections):
        pages.append(page(Route("section", str(section.number)), "section.html",
                          chapter=chapters[section.chapter], section=section, previous=previous, next=following))
    sections = {s.number: s for s in document.sections}
    for task, previous, following in neighbours(tasks):
        pages.append(page(Route("task", str(task.number)), "task.html", task=task,
                          chapter=chapters[task.chapter], section=sections.get(task.section),
                          previous=previous, next=following))
    for route, view in agency_views(document, agencies, pairs):
        pages.append(page(route, "agency.html", view=view))
    for route, pair in pair_views(document, pairs):
        pages.append(page(route, "pair.html", pair=pair))
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
