"""Stage 1: decode the source and remove the noise of web copying, by a documented table.

Each rule names one kind of noise, what it does, and is counted when it applies, so the
build can report exactly what it changed. Nothing outside these rules is touched; a
private-use character that no rule explains is an error, not something to guess at.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from .errors import BuildError, Problem

INVISIBLE = "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
"""Zero-width spaces and joiners, soft hyphen, word joiner, marks and controls of bidirectional text, and
U+FEFF inside a line (at the very start of a file it is the byte-order mark, removed by its own rule)."""
_CJK = r"\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef“”‘’"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


@dataclass(frozen=True)
class Rule:
    """One kind of noise: a pattern, its replacement, and a sentence saying why."""

    name: str
    pattern: re.Pattern
    replace: str | Callable[[re.Match], str]
    explanation: str
    explanation_zh: str


RULES: tuple[Rule, ...] = (
    Rule("byte-order-mark", re.compile(r"^\ufeff"), "",
         "UTF-8 byte-order mark at the start of the file: removed.",
         "文件开头的UTF-8字节顺序标记：删除。"),
    Rule("carriage-return", re.compile(r"\r$"), "",
         "Windows line ending (CR LF): the CR is removed.",
         "Windows换行符（CR LF）：删除CR。"),
    Rule("invisible", re.compile(INVISIBLE), "",
         "Invisible characters that web pages carry (zero-width spaces and joiners, soft hyphens, "
         "byte-order marks inside the text, bidirectional controls): removed, so that names compare "
         "equal and nothing can reorder what a reader sees.",
         "网页带来的不可见字符（零宽空格与连接符、软连字符、文中的字节顺序标记、双向控制符）：删除，"
         "使名称一致，且不会改变读者所见的文字顺序。"),
    Rule("no-break-space", re.compile("\u00a0"), " ",
         "No-break space (U+00A0, from &nbsp; in a web page): read as an ordinary space, which the rules "
         "below then treat.",
         "不换行空格（U+00A0，来自网页的&nbsp;）：视为普通空格，再由下列规则处理。"),
    Rule("indentation", re.compile(r"^[\u3000 \t]+"), "",
         "Ideographic spaces (U+3000) indenting a paragraph: removed; layout comes from HTML.",
         "段首缩进的全角空格（U+3000）：删除，版式由网页样式决定。"),
    Rule("private-use-line-end", re.compile(r"\ue004+$"), "",
         "Private-use glyph U+E004 that the web page left at the end of a line: removed.",
         "网页遗留在行末的私用区字符U+E004：删除。"),
    Rule("private-use-superscript", re.compile(r"\ue00b([0-9])"),
         lambda m: m.group(1).translate(_SUPERSCRIPT),
         "Private-use glyph U+E00B before a digit, standing for a superscript "
         "(Nm\\uE00B3 → Nm³): replaced by the superscript digit.",
         "数字前的私用区字符U+E00B，代表上标（Nm\\uE00B3 → Nm³）：替换为上标数字。"),
    Rule("stray-space", re.compile(rf"(?<=[{_CJK}]) +| +(?=[{_CJK}])"), "",
         "ASCII space next to Chinese text or punctuation, which Chinese typesetting "
         "does not use: removed.",
         "中文或中文标点旁的半角空格（中文排版不用）：删除。"),
    Rule("trailing-space", re.compile(r"[ \t\u3000]+$"), "",
         "Spaces at the end of a line: removed.",
         "行末空格：删除。"),
)

BLANK_LINE = "blank-line"
TABLE_CELLS = "table-cells"
CELLS_BEFORE = "indentation"
"""Table rows are split into cells after the rules before this one (so a no-break space separates cells
too) and before it (so stray-space does not run the cells together)."""

TABLE: tuple[tuple[str, str, str], ...] = tuple((r.name, r.explanation, r.explanation_zh) for r in RULES) + (
    (TABLE_CELLS, "A table that the web page flattened to one line per row, with spaces between the cells "
                  "(a header row that starts with the number column and names a column of responsible units, "
                  "then rows that start with their number): each cell put on a line of its own, as the rows of "
                  "other flattened tables stand.",
     "网页把表格压成每行一行、单元格以空格分隔（序号 工作任务 牵头单位 / 1 地区生产总值增长7% 市发改委）："
     "每个单元格各占一行，与其他压平的表格一致。"),
    (BLANK_LINE, "Empty lines between paragraphs: dropped; each remaining line is one paragraph.",
     "段落之间的空行：删除，其余每行为一段。"),)
"""Every kind of change normalization makes, as (name, explanation, Chinese explanation): the
rules above and the dropping of blank lines. The About page shows it with the build's counts."""

_PRIVATE_USE = re.compile(r"[\ue000-\uf8ff]")


@dataclass(frozen=True)
class Line:
    """A non-blank line of normalized text and its line number in the source file."""

    number: int
    text: str


@dataclass(frozen=True)
class NormalizedText:
    """The normalized lines and the count of changes made by each rule."""

    path: Path
    lines: tuple[Line, ...]
    changes: Counter

    @property
    def text(self) -> str:
        """The normalized text: one paragraph per line."""
        return "".join(line.text + "\n" for line in self.lines)


MAX_BYTES = 2_000_000
"""A document of this kind is well under 100 kB; anything past this is refused before it is read."""

ENCODINGS: tuple[tuple[str, str], ...] = (("GB18030", "gb18030"), ("Big5", "big5"))
"""The legacy Chinese encodings tried, in order, when a file is not UTF-8 and has no UTF-16 byte-order mark."""


def decode(path: Path, data: bytes) -> str:
    """The text of a source file, whatever encoding it was read in (see read_encoding)."""
    return read_encoding(path, data)[0]


def read_encoding(path: Path, data: bytes) -> tuple[str, str]:
    """Decode a source file: (text, name of the encoding read).

    UTF-8 (with or without a byte-order mark), UTF-16 with a byte-order mark, or else the first of
    ENCODINGS that reads the bytes as Chinese text. Fails saying why: empty, too large, binary, or
    in no encoding it knows (naming the first line that does not decode as UTF-8).
    """
    if not data.strip():
        raise BuildError(Problem(path, 1, "the file is empty"))
    if len(data) > MAX_BYTES:
        raise BuildError(Problem(path, None, f"the file is {len(data) / 1e6:.1f} MB; a policy document of this "
                                             f"kind is far smaller (the limit is {MAX_BYTES / 1e6:.0f} MB)"))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError as exc:
            raise BuildError(Problem(path, None, f"the file starts as UTF-16 but byte {exc.start} "
                                                 f"is not UTF-16")) from None
    if b"\x00" in data[:65536]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise BuildError(Problem(path, line, "this is a binary file, not text (a NUL byte)"))
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
    for name, codec in ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _reads_as_chinese(text):
            return text, name
    raise BuildError(Problem(path, line, "the file is not valid UTF-8, nor UTF-16 with a byte-order mark, "
                                         f"nor {' or '.join(name for name, _ in ENCODINGS)} Chinese text: "
                                         "save it as UTF-8"))


def _reads_as_chinese(text: str) -> bool:
    """Whether nine in ten of the non-ASCII characters are Chinese characters or CJK punctuation, as in
    any real document (bytes of one Chinese encoding read as another come out as kana, Greek and symbols)."""
    other = [c for c in text if ord(c) > 0x7F]
    chinese = sum(1 for c in other if "\u4e00" <= c <= "\u9fff" or "\u3000" <= c <= "\u303f"
                  or "\uff00" <= c <= "\uffef" or c in "“”‘’—…·")
    return bool(other) and chinese >= 0.9 * len(other)


def normalize(path: Path, text: str) -> NormalizedText:
    """Apply RULES line by line; drop blank lines; refuse unexplained private-use characters."""
    changes: Counter = Counter()
    lines = []
    problems = []
    raw_lines = text.split("\n")
    if raw_lines[-1] == "":
        raw_lines.pop()  # the newline that ends the file
    split = [rule.name for rule in RULES].index(CELLS_BEFORE)
    cells = _SpacedTable()
    for number, raw in enumerate(raw_lines, start=1):
        parts = cells.split(_apply(RULES[:split], raw, changes))
        changes[TABLE_CELLS] += len(parts) > 1
        for line in (_apply(RULES[split:], part, changes) for part in parts):
            if not line:
                changes[BLANK_LINE] += 1
                continue
            stray = _PRIVATE_USE.search(line)
            if stray:
                problems.append(Problem(path, number, f"unexpected private-use character U+{ord(stray.group()):04X} "
                                                      f"(no normalization rule explains it)"))
            lines.append(Line(number, line))
    if problems:
        raise BuildError(problems)
    return NormalizedText(path, tuple(lines), +changes)


def _apply(rules: tuple[Rule, ...], line: str, changes: Counter) -> str:
    for rule in rules:
        line, count = rule.pattern.subn(rule.replace, line)
        changes[rule.name] += count
    return line


SPACED_HEADER = re.compile(r"(?:^|(?<= ))序 ?号(?: +\S{1,12}){2,}$")
"""A table's header row with spaces between its cells, alone or at the end of a run-together line:
序号 名称 工作任务 牵头责任单位, 序号 工 作 任 务 牵头负责部门 (a word spaced out letter by letter is one cell)."""
SPACED_ROW = re.compile(r"^\d{1,3}(?: +\S+){2,}$")
"""A row of such a table: its number, then at least two cells (the task, the responsible units …)."""
UNITS_COLUMN = re.compile(r"单位|部门|單位")


class _SpacedTable:
    """Splits the rows of a table flattened with spaces between the cells, from its header on.

    The table lasts while lines are rows or short lines (group headings between rows); a longer line of
    prose ends it. Outside such a table a line is never split, so a prose line's spaces stay noise."""

    def __init__(self) -> None:
        self.active = False

    def split(self, line: str) -> list[str]:
        header = SPACED_HEADER.search(line)
        if header and UNITS_COLUMN.search(header.group()):
            self.active = True
            before = line[:header.start()]
            return ([before] if before.strip() else []) + _header_cells(header.group())
        if self.active and SPACED_ROW.match(line):
            return line.split()
        if self.active and len(line.strip()) > 40:
            self.active = False
        return [line]


def _header_cells(text: str) -> list[str]:
    """The cells of a header row; single characters spaced out (工 作 任 务) are one cell."""
    number = re.match(r"序 ?号", text).group()
    cells: list[str] = [number]
    for token in text[len(number):].split():
        if len(token) == 1 and len(cells) > 1 and len(cells[-1].split()[-1]) == 1:
            cells[-1] += " " + token
        else:
            cells.append(token)
    return cells
