"""Stage 2: turn normalized lines into the document model (chapters › sections › tasks › clauses)."""

from __future__ import annotations

import re
from pathlib import Path

from .errors import BuildError, Problem
from .model import Chapter, Clause, Document, Paragraph, Section, Task
from .normalize import Line

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")}
_DIGITS["〇"] = 0
_NUMERAL = "零〇一二三四五六七八九十百"

CHAPTER = re.compile(rf"^([{_NUMERAL}]+)、(.+)$")
SECTION = re.compile(rf"^[（(]([{_NUMERAL}]+)[）)](.+)$")
TASK = re.compile(r"^([0-9０-９]+)[.．](.+)$")
CLAUSE = re.compile(r"[（(]([^（）()]*)负责[）)]$")

MODIFIERS = ("会同有关部门", "等有关部门", "等部门")
"""Clause endings that say other agencies take part too, longest first."""


def chinese_numeral(text: str) -> int:
    """Read a Chinese numeral below 1000: 九 → 9, 十一 → 11, 五十一 → 51, 一百零二 → 102."""
    total, digit = 0, None
    for char in text:
        if char == "百":
            total += (digit or 1) * 100
            digit = None
        elif char == "十":
            total += (digit or 1) * 10
            digit = None
        elif char in _DIGITS:
            digit = _DIGITS[char] if digit is None else digit * 10 + _DIGITS[char]
        else:
            raise ValueError(f"not a Chinese numeral: {text!r}")
    return total + (digit or 0)


def parse_clause(text: str, path: Path, line: int) -> Clause | None:
    """Split the closing （…负责） clause of a task into agencies and modifier."""
    match = CLAUSE.search(text)
    if not match:
        return None
    body = match.group(1)
    modifier = next((m for m in MODIFIERS if body.endswith(m)), "")
    names = body[: len(body) - len(modifier)].split("、")
    if any(not name.strip() for name in names):
        raise BuildError(Problem(path, line, f"empty agency name in the clause {match.group()}"))
    return Clause(tuple(name.strip() for name in names), modifier, match.group())


class _Builder:
    """Accumulates chapters, sections and tasks while checking the numbering."""

    def __init__(self, path: Path):
        self.path = path
        self.preamble: list[Paragraph] = []
        self.chapters: list[tuple[int, str, int, list]] = []  # number, title, line, sections
        self.sections: list[tuple[int, str, int, list]] = []  # across the document
        self.task_count = 0
        self.problems: list[Problem] = []

    def expect(self, kind: str, got: int, expected: int, line: int) -> None:
        if got != expected:
            self.problems.append(Problem(self.path, line, f"{kind} numbered {got}, expected {expected}"))

    def chapter(self, line: Line, number: int, title: str) -> None:
        self.expect("chapter", number, len(self.chapters) + 1, line.number)
        self.chapters.append((number, title, line.number, []))

    def section(self, line: Line, number: int, title: str) -> None:
        if not self.chapters:
            self.problems.append(Problem(self.path, line.number, "section before the first chapter"))
            return
        self.expect("section", number, len(self.sections) + 1, line.number)
        section = (number, title, line.number, [])
        self.sections.append(section)
        self.chapters[-1][3].append(section)

    def task(self, line: Line, number: int, body: str) -> None:
        self.task_count += 1
        self.expect("task", number, self.task_count, line.number)
        if not self.chapters or not self.chapters[-1][3]:
            self.problems.append(Problem(self.path, line.number, f"task {number} stands before any section"))
            return
        clause = parse_clause(body, self.path, line.number)
        if clause is None:
            self.problems.append(Problem(self.path, line.number,
                                         f"task {number} has no closing responsibility clause （…负责）"))
            return
        chapter, section = self.chapters[-1][0], self.chapters[-1][3][-1]
        text = body[: len(body) - len(clause.text)]
        section[3].append(Task(number, chapter, section[0], text, clause, line.number))

    def paragraph(self, line: Line) -> None:
        if self.chapters:
            self.problems.append(Problem(self.path, line.number,
                                         "a paragraph that is not a chapter, section or numbered task"))
        else:
            self.preamble.append(Paragraph(line.text, line.number))

    def document(self) -> Document:
        if not self.chapters and not self.problems:
            self.problems.append(Problem(self.path, 1, "no chapters (一、…) found: is this a policy document?"))
        if self.problems:
            raise BuildError(self.problems)
        chapters = tuple(
            Chapter(number, title, line, tuple(
                Section(s_number, number, s_title, s_line, tuple(tasks))
                for s_number, s_title, s_line, tasks in sections))
            for number, title, line, sections in self.chapters)
        return Document(tuple(self.preamble), chapters)


def parse(path: Path, lines: tuple[Line, ...]) -> Document:
    """Parse normalized lines into a Document, reporting every numbering or clause problem."""
    builder = _Builder(path)
    for line in lines:
        if match := CHAPTER.match(line.text):
            builder.chapter(line, chinese_numeral(match.group(1)), match.group(2))
        elif match := SECTION.match(line.text):
            builder.section(line, chinese_numeral(match.group(1)), match.group(2))
        elif match := TASK.match(line.text):
            builder.task(line, int(match.group(1)), match.group(2))
        else:
            builder.paragraph(line)
        if len(builder.problems) > 50:
            break
    return builder.document()


def to_text(document: Document) -> str:
    """Rebuild the normalized text from the model: the inverse of parse, for the round-trip test."""
    out = [p.text for p in document.preamble]
    for chapter in document.chapters:
        out.append(f"{numeral_text(chapter.number)}、{chapter.title}")
        for section in chapter.sections:
            out.append(f"（{numeral_text(section.number)}）{section.title}")
            out.extend(f"{t.number}.{t.text}{t.clause.text}" for t in section.tasks)
    return "".join(line + "\n" for line in out)


def numeral_text(number: int) -> str:
    """Write a number below 100 as a Chinese numeral: 9 → 九, 11 → 十一, 51 → 五十一."""
    digits = "零一二三四五六七八九"
    tens, ones = divmod(number, 10)
    if tens == 0:
        return digits[ones]
    return ("" if tens == 1 else digits[tens]) + "十" + (digits[ones] if ones else "")
