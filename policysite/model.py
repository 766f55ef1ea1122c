"""The document model: frozen dataclasses built once by the parser, read by every later stage (what they
derive, their tasks, sections and paragraphs, is made once)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from .reads import volatile


@dataclass(frozen=True)
class Clause:
    """A task's responsibility clause, e.g. （省发展改革委会同有关部门负责）."""

    agencies: tuple[str, ...]  # names as written, in the document's order
    modifier: str  # "", "会同有关部门", "等有关部门", "等部门" or "等"
    text: str  # the clause exactly as it stands, parentheses included ("" for a task without one)
    parties: tuple[str, ...] = ()  # collective parties that are not agencies, e.g. 各市人民政府
    lead: tuple[str, ...] = ()  # agencies the document itself marks as leading
    roles: tuple[tuple[str, str], ...] = ()  # (agency, "lead" | "support") where the document says
    inline: bool = True  # at the end of the task's paragraph; False when written on lines of its own
    deadline: str = ""  # what a 完成时限： label says, if the clause has one
    people: str = ""  # the officials a 责任领导： label names, if the clause has one


NO_CLAUSE = Clause((), "", "")


@volatile("text")  # its text is what edits change: reads of it are recorded (reads.py)
@dataclass(frozen=True)
class Paragraph:
    """A prose paragraph: the preamble, or text between headings."""

    text: str
    line: int
    number: int = 0  # its place among the body paragraphs (0 for the preamble)


@volatile("text")  # its text is what edits change: reads of it are recorded (reads.py)
@dataclass(frozen=True)
class Task:
    """A task: its text (without the clause) and its clause."""

    number: int  # its place in the document, 1…N: its id and its URL
    chapter: int
    section: int | None
    text: str
    clause: Clause
    line: int
    marker: str = ""  # the numbering as written: "67.", "（三）", "一、" or "" for an unnumbered paragraph
    breaks: tuple[int, ...] = ()  # where, in marker + text + clause, the web page broke the paragraph

    @property
    def id(self) -> str:
        return f"task-{self.number}"


@volatile("title")  # its text is what edits change: reads of it are recorded (reads.py)
@dataclass(frozen=True)
class Section:
    """A （一）… heading and what follows it, numbered in order through the whole document."""

    number: int
    chapter: int
    title: str
    line: int
    body: tuple[Paragraph | Task, ...]
    marker: str = ""
    breaks: tuple[int, ...] = ()  # where, in marker + title, the web page broke the heading

    @property
    def id(self) -> str:
        return f"section-{self.number}"

    @cached_property
    def tasks(self) -> tuple[Task, ...]:
        return tuple(item for item in self.body if isinstance(item, Task))

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(item for item in self.body if isinstance(item, Paragraph))


@volatile("title")  # its text is what edits change: reads of it are recorded (reads.py)
@dataclass(frozen=True)
class Chapter:
    """A 一、… heading, what follows it before its first section, and its sections.

    A document with no chapter headings has one chapter with an empty title and marker.
    """

    number: int
    title: str
    line: int
    sections: tuple[Section, ...]
    body: tuple[Paragraph | Task, ...] = ()
    marker: str = ""
    breaks: tuple[int, ...] = ()  # where, in marker + title, the web page broke the heading

    @property
    def id(self) -> str:
        return f"chapter-{self.number}"

    @cached_property
    def tasks(self) -> tuple[Task, ...]:
        own = tuple(item for item in self.body if isinstance(item, Task))
        return own + tuple(task for section in self.sections for task in section.tasks)

    @cached_property
    def paragraphs(self) -> tuple[Paragraph, ...]:
        return tuple(item for item in self.body if isinstance(item, Paragraph))


@dataclass(frozen=True)
class Meta:
    """What stands around the body of a document: title, number, addressee, signature, date, notes."""

    title: str = ""
    title_lines: tuple[str, ...] = ()
    document_number: str = ""
    addressee: str = ""
    signature: str = ""
    date: str = ""
    notes: tuple[str, ...] = ()
    lead_rule: str = ""  # the sentence by which the document names its lead agencies, if any
    lines: tuple[tuple[int, str], ...] = ()  # every metadata line as (line number, text), in order


@dataclass(frozen=True)
class Document:
    """The whole parsed document."""

    preamble: tuple[Paragraph, ...]
    chapters: tuple[Chapter, ...]
    meta: Meta = field(default_factory=Meta)

    @cached_property
    def sections(self) -> tuple[Section, ...]:
        return tuple(s for c in self.chapters for s in c.sections)

    @cached_property
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
    led: tuple[int, ...] = field(default=())  # tasks in which the document marks it as leading
    line: int | None = None  # its entry's line in the registry (None when registered automatically)
    same_as: str = ""  # the registry's name for it where this is another short name of one agency
    also: tuple[str, ...] = ()  # other names readers know it by (the registry's also = [...]), e.g. 发改委


KINDS = ("government", "party", "central", "enterprise", "people", "other")
"""Agency kinds, in the order the directory shows them (labels live in templates/strings.toml).
"other" is the kind of an agency registered automatically, for want of a registry entry."""
