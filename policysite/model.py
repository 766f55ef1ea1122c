"""The document model: frozen dataclasses built once by the parser, read by every later stage."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Clause:
    """A task's closing responsibility clause, e.g. （省发展改革委会同有关部门负责）."""

    agencies: tuple[str, ...]  # names as written, in the document's order
    modifier: str  # "", "会同有关部门", "等有关部门" or "等部门"
    text: str  # the clause exactly as it stands, parentheses included


@dataclass(frozen=True)
class Task:
    """A numbered task: its text (without the clause) and its clause."""

    number: int
    chapter: int
    section: int
    text: str
    clause: Clause
    line: int  # line in the source file

    @property
    def id(self) -> str:
        return f"task-{self.number}"


@dataclass(frozen=True)
class Section:
    """A （一）… heading, numbered across the whole document."""

    number: int
    chapter: int
    title: str
    line: int
    tasks: tuple[Task, ...]

    @property
    def id(self) -> str:
        return f"section-{self.number}"


@dataclass(frozen=True)
class Chapter:
    """A 一、… heading and the sections under it."""

    number: int
    title: str
    line: int
    sections: tuple[Section, ...]

    @property
    def id(self) -> str:
        return f"chapter-{self.number}"

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(task for section in self.sections for task in section.tasks)


@dataclass(frozen=True)
class Paragraph:
    """A prose paragraph outside the numbered structure (the preamble)."""

    text: str
    line: int


@dataclass(frozen=True)
class Document:
    """The whole parsed document."""

    preamble: tuple[Paragraph, ...]
    chapters: tuple[Chapter, ...]

    @property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for c in self.chapters for s in c.sections)

    @property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(t for c in self.chapters for t in c.tasks)


@dataclass(frozen=True)
class Agency:
    """A responsible agency, as named in the text, with what the registry says of it."""

    name: str  # as written in the clauses, e.g. 省环保厅
    full_name: str  # official Chinese name as of the document's date
    kind: str  # a key of KINDS
    slug: str
    tasks: tuple[int, ...] = field(default=())  # numbers of the tasks naming it, in order
    first_listed: tuple[int, ...] = field(default=())  # tasks that list it first


KINDS = ("government", "party", "central", "enterprise", "people")
"""Agency kinds, in the order the directory shows them (labels live in templates/strings.toml)."""
