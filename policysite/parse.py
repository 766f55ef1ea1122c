"""Stage 2: turn normalized lines into the document model (chapters › sections › tasks › clauses).

It reads the variants of Chinese task-allocation documents: a title, document number and
addressee before the preamble, and a signature, date and notes after the body (kept as
metadata); chapters 一、, sections （一） numbered through the document or afresh in each
chapter, tasks 1. (or whatever paragraph carries a responsibility clause, however it is
numbered, or a flat list of 一、 items with no chapters); prose paragraphs anywhere; and the
clause forms that name lead agencies. Numbering gaps and duplicates, misplaced tasks and broken
clauses are errors that name the line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from .errors import BuildError, Problem
from .model import NO_CLAUSE, Chapter, Clause, Document, Meta, Paragraph, Section, Task

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS.update({"〇": 0, "○": 0, "两": 2})
_NUMERAL = "零〇○一二两三四五六七八九十百"

CHAPTER = re.compile(rf"^([{_NUMERAL}]+)([、．.])\s*(.+)$")
SECTION = re.compile(rf"^([（(]([{_NUMERAL}]+)[）)])\s*(.+)$")
TASK = re.compile(r"^((\d+)\s*[.．、](?!\d)|[（(](\d+)[）)])\s*(.+)$")
DOCUMENT_NUMBER = re.compile(r"^\S{1,20}[〔\[［【(（]\d{4}[〕\]］】)）]\s*\d+\s*号$")
DATE = re.compile(r"^(\d{4}|[〇○零一二三四五六七八九]{4})年[\d〇○零一二三四五六七八九十]{1,3}月"
                  r"[\d〇○零一二三四五六七八九十]{1,3}日$")
NOTE = re.compile(r"^[（(]此件.{1,20}[）)]$")
CLAUSE_WORDS = re.compile(r"负责|牵头|配合单位|参与")
LEAD_RULE = re.compile(r"(列|排在?|位)(于)?(第一位|首位)的?(者|部门|单位)?(为|是)牵头(单位|部门)")

MODIFIERS = ("会同有关部门", "等有关部门", "等部门", "等")
"""Clause endings that say other agencies take part too, longest first."""

_COLLECTIVE = re.compile(r"^各|^有关(部门|单位)$|^其他")
_COLLECTIVE_TAIL = re.compile(r"^(县级市|县|市|区|旗|乡|镇|乡镇|街道|县区|市县)(人民政府|政府)?$")


def chinese_numeral(text: str) -> int:
    """Read a Chinese numeral below 1000: 九 → 9, 十一 → 11, 五十一 → 51, 一百零二 → 102."""
    total, digit = 0, None
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = None
        elif char == "十":
            total += (digit if digit is not None else 1) * 10
            digit = None
        elif char in _DIGITS:
            digit = _DIGITS[char] if digit is None else digit * 10 + _DIGITS[char]
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


# ---------- clauses ----------


def _split_clause(text: str, path: Path, line: int) -> tuple[str, str] | None:
    """Split a paragraph into (text, clause) when it ends with a responsibility clause.

    An unclosed or nested parenthesis in the clause is an error.
    """
    stripped = text.rstrip("。.；;")
    if not stripped.endswith(("）", ")")):
        opening = max(stripped.rfind("（"), stripped.rfind("("))
        closing = max(stripped.rfind("）"), stripped.rfind(")"))
        if opening > closing and CLAUSE_WORDS.search(stripped[opening:]):
            raise BuildError(Problem(path, line, f"unclosed parenthesis in the clause {stripped[opening:]}"))
        return None
    depth, start = 0, None
    for i in range(len(stripped) - 1, -1, -1):
        char = stripped[i]
        if char in "）)":
            depth += 1
            if depth > 1 and CLAUSE_WORDS.search(stripped[i:]):
                raise BuildError(Problem(path, line, "nested parenthesis in the responsibility clause "
                                                     f"{stripped[max(0, i - 20):]}"))
        elif char in "（(":
            depth -= 1
            if depth == 0:
                start = i
                break
    if start is None:
        if CLAUSE_WORDS.search(stripped[-30:]):
            raise BuildError(Problem(path, line, f"the clause {stripped[-30:]} closes a parenthesis it never opened"))
        return None
    clause = text[start:]
    if not CLAUSE_WORDS.search(clause):
        return None
    return text[:start], clause


def _names(text: str, path: Path, line: int, clause: str) -> tuple[list[str], list[str]]:
    """Agencies and collective parties named in a 、-separated list."""
    agencies, parties = [], []
    previous_collective = False
    for raw in re.split(r"[、,，]", text):
        name = raw.strip()
        if not name:
            raise BuildError(Problem(path, line, f"empty agency name in the clause {clause}"))
        if _COLLECTIVE.search(name) or (previous_collective and _COLLECTIVE_TAIL.match(name)):
            parties.append(name)
            previous_collective = True
        else:
            agencies.append(name)
            previous_collective = False
    return agencies, parties


def parse_clause(clause: str, path: Path, line: int, lead_rule: bool = False) -> tuple[Clause, str]:
    """Read a clause: its agencies, parties, modifier and roles; returns it and any lead-rule sentence."""
    body = clause[1:-1].strip()
    rule = ""
    if "。" in body:
        body, extra = body.split("。", 1)
        if LEAD_RULE.search(extra):
            rule = extra.strip("，, 。")
    lead_rule = lead_rule or bool(rule)
    roles = re.match(r"^牵头(?:单位|部门)[:：](.+?)[；;，,]\s*(?:配合|参与)(?:单位|部门)[:：](.+)$", body) \
        or re.match(r"^(.+?)牵头[，,、；;]\s*(.+?)(?:参与|配合)$", body)
    if roles:  # （牵头单位：A；配合单位：B、C） or （A牵头，B、C参与）
        leads, parties = _names(roles.group(1), path, line, clause)
        supports, more = _names(roles.group(2), path, line, clause)
        named = tuple((n, "lead") for n in leads) + tuple((n, "support") for n in supports)
        return Clause(tuple(leads + supports), "", clause, tuple(parties + more), tuple(leads), named), rule
    if body.endswith("负责"):
        body = body[:-2]
    modifier = next((m for m in MODIFIERS if body.endswith(m) and len(body) > len(m)), "")
    agencies, parties = _names(body[: len(body) - len(modifier)], path, line, clause)
    lead = tuple(agencies[:1]) if lead_rule else ()
    roles = tuple((n, "lead" if n in lead else "support") for n in agencies) if lead_rule else ()
    return Clause(tuple(agencies), modifier, clause, tuple(parties), lead, roles), rule


# ---------- the document around the body ----------


def _is_title_like(text: str) -> bool:
    return len(text) <= 60 and not re.search(r"[。；：:，,]$", text) and not _structural(text)


def _structural(text: str) -> bool:
    return bool(CHAPTER.match(text) or SECTION.match(text) or TASK.match(text))


def split_meta(lines: list) -> tuple[list, list, list]:
    """(leading metadata lines, body lines, trailing metadata lines).

    At the end: notes and the date, and, where there is a date, the short lines of the signature
    before it. At the start: document numbers and title lines, then an addressee line.
    """
    end = len(lines)
    while end > 0 and (NOTE.match(lines[end - 1].text) or DATE.match(lines[end - 1].text)):
        end -= 1
    if end < len(lines) and end > 0 and any(DATE.match(l.text) for l in lines[end:]):
        while end > 0 and len(lines[end - 1].text) <= 30 and _is_title_like(lines[end - 1].text) \
                and not CLAUSE_WORDS.search(lines[end - 1].text):
            end -= 1
    start = 0
    while start < end:
        text = lines[start].text
        if DOCUMENT_NUMBER.match(text) or _is_title_like(text):
            start += 1
        elif len(text) <= 120 and re.search(r"[：:]$", text) and (text.startswith("各") or "、" in text):
            start += 1  # the addressee line
            break
        else:
            break
    return lines[:start], lines[start:end], lines[end:]


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


# ---------- the body ----------


@dataclass
class _Container:
    """A chapter or section while it is being filled."""

    number: int
    title: str
    line: int
    marker: str
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

    def check(self, value: int, scope, problems: list, path: Path, line: int) -> None:
        restart = scope is not self.scope and value == 1
        expected = 1 if restart else self.last + 1
        if value != expected:
            problems.append(Problem(path, line, f"{self.kind} numbered {value}, expected {self.last + 1}"))
        self.last, self.scope = value, scope


class _Builder:
    """Accumulates chapters, sections, tasks and paragraphs while checking the numbering."""

    def __init__(self, path: Path, has_chapters: bool):
        self.path = path
        self.has_chapters = has_chapters
        self.preamble: list[Paragraph] = []
        self.chapters: list[_Container] = []
        self.problems: list[Problem] = []
        self.chapter_numbers = _Counter("chapter")
        self.section_numbers = _Counter("section")
        self.task_numbers = _Counter("task")
        self.flat_numbers = _Counter("item")
        self.tasks = 0
        self.sections = 0
        self.paragraphs = 0
        self.lead_rule = ""

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(self.path, line, message))

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

    def add_chapter(self, line, value: int, marker: str, title: str) -> None:
        self.chapter_numbers.check(value, None, self.problems, self.path, line.number)
        title, rest = _lead_sentence(title)
        self.chapters.append(_Container(len(self.chapters) + 1, title, line.number, marker))
        if rest:
            self.add_paragraph(line, rest)

    def add_section(self, line, value: int, marker: str, title: str) -> None:
        chapter = self.chapter
        if chapter is None:
            self.error(line.number, f"section {marker} stands before the first chapter heading")
            return
        self.section_numbers.check(value, chapter, self.problems, self.path, line.number)
        title, rest = _lead_sentence(title)
        self.sections += 1
        chapter.sections.append(_Container(self.sections, title, line.number, marker))
        if rest:
            self.add_paragraph(line, rest)

    def add_task(self, line, body: str, marker: str, value: int | None, counter: _Counter | None) -> None:
        container = self.container
        if container is None:
            self.error(line.number, f"task {marker or body[:10]} stands before the first chapter heading")
            return
        if counter is not None:
            counter.check(value, container, self.problems, self.path, line.number)
        split = _split_clause(body, self.path, line.number)
        if split:
            text, clause_text = split
            clause, rule = parse_clause(clause_text, self.path, line.number, bool(self.lead_rule))
            self.lead_rule = self.lead_rule or rule
        else:
            text, clause = body, NO_CLAUSE
        self.tasks += 1
        chapter = self.chapters[-1]
        section = chapter.sections[-1].number if chapter.sections else None
        container.body.append(Task(self.tasks, chapter.number, section, text, clause, line.number, marker))

    def add_paragraph(self, line, text: str) -> None:
        if not self.chapters:
            self.preamble.append(Paragraph(text, line.number))
            if LEAD_RULE.search(text) and not self.lead_rule:
                self.lead_rule = LEAD_RULE.search(text).group()
            return
        self.paragraphs += 1
        self.container.body.append(Paragraph(text, line.number, self.paragraphs))

    def document(self, meta: Meta) -> Document:
        if not self.tasks and not self.chapters and not self.problems:
            self.error(1, "no chapters (一、…) and no tasks found: is this a policy document?")
        if self.problems:
            raise BuildError(self.problems)
        chapters = tuple(
            Chapter(c.number, c.title, c.line, tuple(
                Section(s.number, c.number, s.title, s.line, tuple(s.body), s.marker) for s in c.sections),
                tuple(c.body), c.marker)
            for c in self.chapters)
        if self.lead_rule and not meta.lead_rule:
            meta = Meta(**{**meta.__dict__, "lead_rule": self.lead_rule})
        return Document(tuple(self.preamble), chapters, meta)


def parse(path: Path, lines: tuple) -> Document:
    """Parse normalized lines into a Document, reporting every numbering or clause problem."""
    leading, body, trailing = split_meta(list(lines))
    has_chapters = any(CHAPTER.match(l.text) and not _split_clause_quiet(l.text, path, l.number) for l in body)
    builder = _Builder(path, has_chapters)
    for line in body:
        text = line.text
        try:
            if match := CHAPTER.match(text):
                clause = _split_clause(text, path, line.number)
                if clause:  # a flat 一、…（…负责） item: a task
                    builder.add_task(line, match.group(3), match.group(1) + match.group(2),
                                     chinese_numeral(match.group(1)), builder.flat_numbers)
                else:
                    builder.add_chapter(line, chinese_numeral(match.group(1)), match.group(1) + match.group(2),
                                        match.group(3))
            elif match := SECTION.match(text):
                if _split_clause(text, path, line.number):  # a （三）…（…负责） paragraph: a task
                    builder.add_task(line, match.group(3), match.group(1), chinese_numeral(match.group(2)),
                                     builder.section_numbers)
                else:
                    builder.add_section(line, chinese_numeral(match.group(2)), match.group(1), match.group(3))
            elif match := TASK.match(text):
                value = int(match.group(2) or match.group(3))
                builder.add_task(line, match.group(4), match.group(1), value, builder.task_numbers)
            elif _split_clause(text, path, line.number):  # an unnumbered paragraph with a clause
                builder.add_task(line, text, "", None, None)
            else:
                builder.add_paragraph(line, text)
        except BuildError as exc:
            builder.problems.extend(exc.problems)
        if len(builder.problems) > 50:
            break
    return builder.document(read_meta(leading, trailing))


def _split_clause_quiet(text: str, path: Path, line: int):
    try:
        return _split_clause(text, path, line)
    except BuildError:
        return None


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
        if chapter.marker:
            out.append(f"{chapter.marker}{chapter.title}{lead[0].text if lead else ''}")
        out += [_item_text(item) for item in chapter.body if item not in lead]
        for section in chapter.sections:
            lead = [item for item in section.body if isinstance(item, Paragraph) and item.line == section.line]
            out.append(f"{section.marker}{section.title}{lead[0].text if lead else ''}")
            out += [_item_text(item) for item in section.body if item not in lead]
    out += [text for number, text in sorted(meta_lines.items()) if number > body_start]
    return "".join(line + "\n" for line in out)


def _item_text(item: Paragraph | Task) -> str:
    if isinstance(item, Paragraph):
        return item.text
    return f"{item.marker}{item.text}{item.clause.text}"
