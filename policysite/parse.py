"""Stage 2: turn normalized lines into the document model (chapters › sections › tasks › clauses).

The parser reads the documents of this genre as governments publish them: a title, document number
and addressee before the body and a signature, date and notes after it (kept as metadata); headings
and tasks numbered in any of the forms of numbering.MARKERS, numbered through the document or afresh
in each chapter; responsibility clauses in brackets at the end of a paragraph or on lines of their
own (clauses.py reads them); headings and tasks that the web page broke over two lines; prose
paragraphs anywhere. It works in three steps: lines are assembled into pieces (a numbered or
unnumbered paragraph with its clause), the numbering form that carries the clauses is taken as the
tasks' form, and the pieces are laid out into chapters, sections and tasks while the numbering is
checked. Numbering gaps and duplicates, misplaced tasks and broken clauses are errors that name the line;
what merely looks wrong is a warning (see Reading.doubts and _Builder.warn).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field, replace
from pathlib import Path

from .clauses import (CLAUSE_WORD, OPENING, find_lead_rule, is_clause, is_name_list, is_role_line, last_clause_end,
                      read_clause, simplified, trailing_clause)
from .errors import BuildError, Problem
from .model import NO_CLAUSE, Chapter, Clause, Document, Meta, Paragraph, Section, Task
from .numbering import LEVEL, Marker, chinese_numeral, read_marker
from .tables import NUMBER_HEADER, Row, Table, read_table

__all__ = ["chinese_numeral", "parse", "to_text"]

DOCUMENT_NUMBER = re.compile(r"^\S{1,20}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d+\s*[号號]$")
DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年[\d〇○零一二三四五六七八九十]{1,3}月"
                  r"[\d〇○零一二三四五六七八九十]{1,3}日$")
NOTE = re.compile(r"^[（(]此件.{1,20}[）)]$")
HEADING_KINDS = {"part": "chapter", "chapter": "chapter", "section": "section", "dash": "section"}
"""Numbering forms that make a heading when they carry no clause, and the level they make."""
ITEM_KINDS = ("item", "paren-item", "half-paren-item", "circled")
"""Numbering forms of tasks: the one that carries most clauses is the document's task numbering."""
MENTIONS_RESPONSIBILITY = re.compile(r"负责|牵头")
TERMINAL = "。；;！？!?：:"


# ---------- the document around the body ----------


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not re.search(r"[。；：:，,]$", text) and read_marker(text) is None


def split_meta(lines: list) -> tuple[list, list, list]:
    """Split Line objects into (leading metadata lines, body lines, trailing metadata lines).

    At the end: notes and the date, and, where there is a date, the short lines of the signature
    before it. At the start: document numbers and title lines (up to a table's 序号), then an addressee line.
    """
    end = len(lines)
    while end > 0 and (NOTE.match(lines[end - 1].text) or DATE.match(lines[end - 1].text)):
        end -= 1
    if end < len(lines) and end > 0 and any(DATE.match(l.text) for l in lines[end:]):
        while end > 0 and len(lines[end - 1].text) <= 30 and _is_title_like(lines[end - 1].text) \
                and not CLAUSE_WORD.search(simplified(lines[end - 1].text)):
            end -= 1
    start = 0
    while start < end:
        text = lines[start].text
        if (DOCUMENT_NUMBER.match(text) or _is_title_like(text)) and not NUMBER_HEADER.match(text):
            start += 1
        elif len(text) <= 120 and re.search(r"[：:]$", text) and (text.startswith("各") or "、" in text):
            start += 1  # the addressee line
            break
        else:
            break
    return lines[:start], lines[start:end], lines[end:]


BRACKETED_NOTE = re.compile(r"^[（(][^（）()]{2,20}[）)]$")
"""A short note in brackets under a signature: （此件公开发布）, (本文有删减)."""


def split_notice(path: Path, body: list) -> tuple[list, list]:
    """Split off a covering notice that stands before the body: (notice lines, body lines).

    The notice is everything up to a signature line and a date (and any bracketed notes under them)
    that more text follows, where no line before carries a responsibility clause: the 一、二、 of its
    instructions are then prose, not chapters."""
    for index, line in enumerate(body):
        if _carries_clause(path, line):
            break
        if DATE.match(line.text) and index and _is_title_like(body[index - 1].text) \
                and len(body[index - 1].text) <= 30:
            end = index + 1
            while end < len(body) and BRACKETED_NOTE.match(body[end].text):
                end += 1
            if end < len(body):
                return body[:end], body[end:]
    return [], body


def _carries_clause(path: Path, line) -> bool:
    try:
        return is_role_line(line.text) or bool(trailing_clause(line.text, path, line.number))
    except BuildError:
        return True


def read_meta(leading: list, trailing: list) -> Meta:
    """Title, document number and addressee from the leading lines; signature, date, notes from the trailing."""
    title_lines, number, addressee = [], "", ""
    for line in leading:
        if DOCUMENT_NUMBER.match(line.text):
            number = line.text
        elif re.search(r"[：:]$", line.text):
            addressee = line.text
        else:
            title_lines.append(line.text)
    signature, date, notes = [], "", []
    for line in trailing:
        if NOTE.match(line.text):
            notes.append(line.text)
        elif DATE.match(line.text):
            date = line.text
        else:
            signature.append(line.text)
    return Meta(title="".join(title_lines), title_lines=tuple(title_lines), document_number=number,
                addressee=addressee, signature="、".join(signature), date=date, notes=tuple(notes),
                lines=tuple((l.number, l.text) for l in [*leading, *trailing]))


# ---------- step 1: lines into pieces ----------


@dataclass
class _Piece:
    """A paragraph of the body as the web page laid it out: its numbering, text and clause."""

    line: int
    marker: Marker | None
    text: str  # after the marker, without the clause
    clause: str = ""  # the clause as written ("" when none); role lines joined by newlines
    inline: bool = True  # the clause ends the paragraph (False: written on lines of its own)
    breaks: tuple[int, ...] = ()  # where, in marker + text + clause, the page broke a line
    heading: bool = False  # a table's group row: a chapter heading, numbered or not
    cell: bool = False  # a cell of a table's header row
    line_roles: tuple[str, ...] = ()  # for a table row: what each line of the clause holds, by its column

    @property
    def full(self) -> str:
        return (self.marker.text if self.marker else "") + self.text

    @property
    def kind(self) -> str:
        return self.marker.kind if self.marker else ""


RUN_TOGETHER = re.compile(r"(?<=[。：:；;）)])(?=[一二三四五六七八九十]+、)")
"""Where a run-together line starts a new item: a chapter marker (二、) right after the end of a sentence."""


def _split_runs(lines: list) -> list:
    """Lines that hold many paragraphs run together (a copy that lost its line breaks) split into one line
    per item: before each 一、 that follows a sentence's end, and after the last clause of each item."""
    out = []
    for line in lines:
        starts = [m.start() for m in RUN_TOGETHER.finditer(line.text)]
        if len(starts) < 2:
            out.append(line)
            continue
        bounds = [0, *starts, len(line.text)]
        for a, b in zip(bounds, bounds[1:]):
            part = line.text[a:b]
            end = last_clause_end(part) if b == len(line.text) else None
            for piece in (part[:end], part[end:]) if end and part[end:] else (part,):
                out.append(type(line)(line.number, piece))
    return out


def _assemble(path: Path, lines: list) -> list[_Piece]:
    """Lines into pieces: role lines join the paragraph above them as its clause; a heading or task that
    the page broke over two lines is joined again."""
    lines = _split_runs(lines)
    pieces: list[_Piece] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        text = line.text
        table = read_table(lines, index)
        if table:
            pieces.extend(_table_pieces(table))
            index = table.end
            continue
        index += 1
        if pieces and (is_role_line(text) or _clause_below(pieces[-1], text)):
            _attach_role_line(pieces[-1], text)
            continue
        try:
            split = trailing_clause(text, path, line.number)
        except BuildError:
            following = lines[index] if index < len(lines) else None
            if following is None or read_marker(following.text) or is_role_line(following.text):
                raise
            text, index = text + following.text, index + 1  # a clause the page broke over two lines
            pieces.append(_piece(line.number, text, trailing_clause(text, path, line.number), (len(line.text),)))
            continue
        piece = _piece(line.number, text, split)
        previous = pieces[-1] if pieces else None
        if previous and _continues(previous, piece, lines[index] if index < len(lines) else None):
            offset = len(previous.full) + len(previous.clause)
            previous.breaks += (offset,)
            previous.text += piece.full
            previous.clause, previous.inline = piece.clause, piece.inline
            continue
        pieces.append(piece)
    return pieces


def _table_pieces(table: Table) -> list[_Piece]:
    """A flattened table as pieces: header cells as paragraphs, group headings, and a task per row whose
    text cells make its text and whose units (and deadline, people) make its clause."""
    pieces = [_Piece(line.number, None, line.text, cell=True) for line in table.header]
    for item in table.items:
        if not isinstance(item, Row):
            marker = read_marker(item.text)
            marker = marker if marker and HEADING_KINDS.get(marker.kind) == "chapter" else None
            pieces.append(_Piece(item.number, marker, item.text[len(marker.text) if marker else 0:], heading=True))
            continue
        marker = Marker("row", item.number, item.marker, "")
        piece = _Piece(item.line, marker, "")
        clause_lines = []
        for _, text, column in item.cells:
            if column.kind == "text":
                piece.breaks += (len(piece.full),)
                piece.text += text
            else:
                clause_lines.append((text, column.role if column.kind == "units" else column.kind))
        piece.clause = "\n".join(text for text, _ in clause_lines)
        piece.line_roles = tuple(role for _, role in clause_lines)
        piece.inline = False
        pieces.append(piece)
    return pieces


def _piece(number: int, text: str, split: tuple[str, str] | None, breaks: tuple[int, ...] = ()) -> _Piece:
    body, clause = split if split else (text, "")
    marker = read_marker(body)
    rest = body[len(marker.text):] if marker else body
    return _Piece(number, marker, rest, clause, True, breaks)


def _clause_below(piece: _Piece, text: str) -> bool:
    """Whether a line is nothing but a bracketed clause, or list of names, standing below a task that has none."""
    if piece.clause or not (piece.kind in ITEM_KINDS or piece.kind in HEADING_KINDS):
        return False
    return is_name_list(text) or (is_clause(text) and text.rstrip("。.；;，, ")[0] in OPENING
                                  and trailing_clause(text, Path(), 0) == ("", text))


def _attach_role_line(piece: _Piece, text: str) -> None:
    """A clause written on a line of its own joins the paragraph above (after any clause it has)."""
    if piece.clause and piece.inline:  # a bracketed clause, then role lines: keep the bracket in the text
        piece.text += piece.clause
        piece.clause = ""
    piece.clause = f"{piece.clause}\n{text}" if piece.clause else text
    piece.inline = False


def _continues(previous: _Piece, piece: _Piece, following) -> bool:
    """Whether a piece is the rest of the paragraph above it, which the web page broke in two.

    A heading continues on a short unnumbered line without a clause when a numbered line or a role
    line follows; a task without a clause continues on an unnumbered line that ends with one.
    """
    if piece.marker or previous.clause or previous.text.endswith(tuple(TERMINAL)):
        return False
    if previous.kind in HEADING_KINDS and not piece.clause:
        return (len(piece.text) <= 20 and not piece.text.endswith(tuple(TERMINAL))
                and (following is None or read_marker(following.text) is not None or is_role_line(following.text)))
    return previous.kind in ITEM_KINDS and bool(piece.clause) and piece.inline


# ---------- step 2 and 3: the numbering of tasks, and the layout ----------


@dataclass
class _Container:
    """A chapter or section while it is being filled."""

    number: int
    title: str
    line: int
    marker: str
    breaks: tuple[int, ...] = ()
    body: list = field(default_factory=list)
    sections: list = field(default_factory=list)


def _lead_sentence(text: str) -> tuple[str, str]:
    """A heading that is a whole paragraph splits after its first sentence: (title, body text)."""
    lead, stop, rest = text.partition("。")
    return (lead + stop, rest) if rest.strip() else (text, "")


class _Counter:
    """Checks one kind of numbering: through the document, or restarting at 1 in each container."""

    def __init__(self, kind: str):
        self.kind, self.last, self.scope = kind, 0, None

    def expects(self, value: int, scope) -> bool:
        return value == self.last + 1 or (value == 1 and scope is not self.scope)

    def check(self, value: int, scope, problems: list, path: Path, line: int, warnings: list | None = None) -> None:
        """Check the next number; with warnings, the first may be any (an excerpt), which is noted there."""
        if warnings is not None and self.scope is None and self.last == 0 and value > 1:
            warnings.append(Problem(path, line, f"{self.kind}s start at {value}, not 1: is this an excerpt?"))
        elif not self.expects(value, scope):
            problems.append(Problem(path, line, f"{self.kind} numbered {value}, expected {self.last + 1}"))
        self.last, self.scope = value, scope


class _Builder:
    """Accumulates chapters, sections, tasks and paragraphs while checking the numbering."""

    def __init__(self, path: Path, has_chapters: bool, lead_rule: str):
        self.path = path
        self.has_chapters = has_chapters
        self.preamble: list[Paragraph] = []
        self.chapters: list[_Container] = []
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []
        self.counters = {"chapter": _Counter("chapter"), "section": _Counter("section"),
                         "task": _Counter("task"), "flat": _Counter("item"), "row": _Counter("row")}
        self.tasks = 0
        self.sections = 0
        self.paragraphs = 0
        self.lead_rule = lead_rule
        self.rule_in_force = bool(lead_rule)

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

    def warn(self, line: int, message: str) -> None:
        self.warnings.append(Problem(self.path, line, message))

    @property
    def chapter(self) -> _Container | None:
        if not self.chapters and not self.has_chapters:
            self.chapters.append(_Container(1, "", 0, ""))
        return self.chapters[-1] if self.chapters else None

    @property
    def container(self) -> _Container | None:
        chapter = self.chapter
        if chapter is None:
            return None
        return chapter.sections[-1] if chapter.sections else chapter

    def add_chapter(self, piece: _Piece) -> None:
        if piece.marker:
            self.counters["chapter"].check(piece.marker.value, None, self.problems, self.path, piece.line,
                                           self.warnings)
        title, rest = _lead_sentence(piece.text)
        self.chapters.append(_Container(len(self.chapters) + 1, title, piece.line,
                                        piece.marker.text if piece.marker else "", piece.breaks))
        if rest:
            self.add_paragraph(piece.line, rest)

    def add_section(self, piece: _Piece) -> None:
        chapter = self.chapter
        if chapter is None:
            self.error(piece.line, f"section {piece.marker.text} stands before the first chapter heading")
            return
        if piece.kind != "dash":  # a ——subheading has no number to check
            self.counters["section"].check(piece.marker.value, chapter, self.problems, self.path, piece.line)
        title, rest = _lead_sentence(piece.text)
        self.sections += 1
        chapter.sections.append(_Container(self.sections, title, piece.line, piece.marker.text, piece.breaks))
        if rest:
            self.add_paragraph(piece.line, rest)

    def add_task(self, piece: _Piece, counter: _Counter | None) -> None:
        container = self.container
        label = piece.marker.text if piece.marker else piece.text[:10]
        if container is None and piece.marker and piece.marker.value > 1 and not self.tasks:
            self.chapters.append(_Container(1, "", 0, ""))  # an excerpt that starts inside a chapter: warned below
            container = self.chapters[-1]
        elif container is None:
            self.error(piece.line, f"task {label} stands before the first chapter heading")
            return
        if counter is not None:
            counter.check(piece.marker.value, container, self.problems, self.path, piece.line,
                          self.warnings if counter is self.counters["task"] else None)
        clause = self.read(piece) if piece.clause else NO_CLAUSE
        self.tasks += 1
        chapter = self.chapters[-1]
        section = chapter.sections[-1].number if chapter.sections else None
        container.body.append(Task(self.tasks, chapter.number, section, piece.text, clause, piece.line,
                                   piece.marker.text if piece.marker else "", piece.breaks))

    def read(self, piece: _Piece) -> Clause:
        """Read a piece's clause, noting a lead rule it states and what the reader doubts."""
        reading = read_clause(piece.clause, self.path, piece.line, self.rule_in_force, piece.inline,
                              piece.line_roles)
        if reading.rule:
            self.lead_rule = self.lead_rule or reading.rule
            self.rule_in_force = True
        for doubt in reading.doubts:
            self.warn(piece.line, doubt)
        return reading.clause

    def add_paragraph(self, line: int, text: str, doubt: bool = True) -> None:
        """Add prose; with doubt, warn when it mentions 负责 or 牵头 (a table's header cell, 牵头单位, does not)."""
        if doubt and MENTIONS_RESPONSIBILITY.search(simplified(text)) and self.chapters and not find_lead_rule(text):
            self.warn(line, f"a paragraph mentions 负责 or 牵头 but has no responsibility clause: {text[:30]}")
        if not self.chapters:
            self.preamble.append(Paragraph(text, line))
            return
        self.paragraphs += 1
        self.container.body.append(Paragraph(text, line, self.paragraphs))

    def document(self, meta: Meta) -> Document:
        if not self.tasks and not self.chapters and not self.problems:
            self.error(1, "no chapters (一、…) and no tasks found: is this a policy document?")
        if self.problems:
            raise BuildError(self.problems)
        chapters = tuple(
            Chapter(c.number, c.title, c.line, tuple(
                Section(s.number, c.number, s.title, s.line, tuple(s.body), s.marker, s.breaks) for s in c.sections),
                tuple(c.body), c.marker, c.breaks)
            for c in self.chapters)
        if self.lead_rule and not meta.lead_rule:
            meta = replace(meta, lead_rule=self.lead_rule)
        document = Document(tuple(self.preamble), chapters, meta)
        with_clause = sum(1 for t in document.tasks if t.clause.text)
        if not with_clause:
            self.warn(1, "no responsibility clause was read anywhere: the document may lay them out in a way "
                         "the reader does not know")
        elif with_clause * 2 > len(document.tasks):
            for task in document.tasks:
                if not task.clause.text:
                    self.warn(task.line, f"task {task.marker or task.number} has no responsibility clause, "
                                         f"though {with_clause} of the {len(document.tasks)} tasks have one")
        return document


def task_kind(pieces: list[_Piece]) -> str:
    """The numbering form of the document's tasks: the item form that carries most clauses."""
    clauses = Counter(p.kind for p in pieces if p.clause and p.kind in (*ITEM_KINDS, "row"))
    return min((*ITEM_KINDS, "row"), key=lambda kind: (-clauses[kind], LEVEL.get(kind, len(LEVEL))))


def parse(path: Path, lines: tuple, warnings: list[Problem] | None = None) -> Document:
    """Parse normalized lines into a Document, reporting every numbering or clause problem.

    What looks wrong but is no error (a paragraph that mentions 负责 without a clause, an agency name
    that reads like a sentence, a task without a clause among tasks with one) is appended to warnings.
    """
    leading, body, trailing = split_meta(list(lines))
    notice, body = split_notice(path, body)
    try:
        pieces = _assemble(path, body)
    except BuildError as exc:
        raise BuildError(exc.problems) from None
    tasks_form = task_kind(pieces)
    has_chapters = any((p.kind in ("chapter", "part") or p.heading) and not p.clause for p in pieces)
    rule = next((r for text in [*(line.text for line in notice), *(p.full for p in pieces if not p.clause)]
                 for r in [find_lead_rule(text)] if r), "")
    builder = _Builder(path, has_chapters, rule)
    for line in notice:
        builder.add_paragraph(line.number, line.text)
    for piece in pieces:
        try:
            _place(builder, piece, tasks_form)
        except BuildError as exc:
            builder.problems.extend(exc.problems)
        if len(builder.problems) > 50:
            break
    meta = read_meta(leading, trailing)
    if notice and not meta.date:  # the date and signature of the covering notice
        dated = max(i for i, line in enumerate(notice) if DATE.match(line.text))
        meta = replace(meta, date=notice[dated].text, signature=notice[dated - 1].text)
    document = builder.document(meta)
    if warnings is not None:
        warnings.extend(builder.warnings)
    return document


def _place(builder: _Builder, piece: _Piece, tasks_form: str) -> None:
    """Put one piece where its numbering and clause say: a heading, a task or a paragraph."""
    kind, marker = piece.kind, piece.marker
    level = "chapter" if piece.heading else HEADING_KINDS.get(kind)
    if level and piece.clause:  # a heading form carrying a clause (一、…（…负责）, （三）…（…负责）): a task
        builder.add_task(piece, builder.counters["flat" if level == "chapter" else "section"])
    elif level == "chapter":
        builder.add_chapter(piece)
    elif level == "section" and (kind != "dash" or len(piece.text) <= 40 and not piece.text.endswith(TERMINAL)):
        builder.add_section(piece)
    elif kind == "row":  # a table's row: numbered afresh in each table
        builder.add_task(piece, builder.counters["row"])
    elif kind == tasks_form and not (marker.ambiguous and not builder.counters["task"].expects(
            marker.value, builder.container)) and (piece.clause or builder.chapters or not builder.has_chapters):
        builder.add_task(piece, builder.counters["task"])
    elif piece.clause:  # another form, or none, with a clause: a task outside the numbering
        builder.add_task(piece, None)
    else:  # prose, or 1.5万吨… where no number was expected: a figure, not a number
        builder.add_paragraph(piece.line, piece.full, doubt=not piece.cell)


# ---------- the inverse, for the round-trip test ----------


def to_text(document: Document) -> str:
    """Rebuild the normalized text from the model: the inverse of parse, for the round-trip test."""
    meta_lines = dict(document.meta.lines)
    body_start = min([p.line for p in document.preamble] +
                     [c.line for c in document.chapters if c.line] +
                     [t.line for t in document.tasks] + [10 ** 9])
    out = [text for number, text in sorted(meta_lines.items()) if number < body_start]
    out += [p.text for p in document.preamble]
    for chapter in document.chapters:
        lead = [item for item in chapter.body if isinstance(item, Paragraph) and item.line == chapter.line]
        if chapter.marker or chapter.title:
            out.append(_broken(f"{chapter.marker}{chapter.title}{lead[0].text if lead else ''}", chapter.breaks))
        out += [_item_text(item) for item in chapter.body if item not in lead]
        for section in chapter.sections:
            lead = [item for item in section.body if isinstance(item, Paragraph) and item.line == section.line]
            out.append(_broken(f"{section.marker}{section.title}{lead[0].text if lead else ''}", section.breaks))
            out += [_item_text(item) for item in section.body if item not in lead]
    out += [text for number, text in sorted(meta_lines.items()) if number > body_start]
    return "".join(line + "\n" for line in out)


def _broken(text: str, breaks: tuple[int, ...]) -> str:
    for offset in reversed(breaks):
        text = text[:offset] + "\n" + text[offset:]
    return text


def _item_text(item: Paragraph | Task) -> str:
    if isinstance(item, Paragraph):
        return item.text
    separator = "" if item.clause.inline or not item.clause.text else "\n"
    return _broken(f"{item.marker}{item.text}{separator}{item.clause.text}", item.breaks)
