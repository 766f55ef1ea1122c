"""Tables that a web page flattened to one cell per line: 序号 / 工作任务 / 责任单位 / 1 / … / 市发改委 / 2 / …

The header row names the columns; COLUMNS says what each kind of column holds. Each row starts with
its number on a line of its own (the next one expected), then one line per cell; the last column of
responsible units may run over several lines, one unit a line. A row that stood on one line, its cells
split by normalize (table-cells), loses its empty cells: its cells fill the last columns. A line between rows that is no number
is a group heading (经济社会发展主要预期目标分解(15项)).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clauses import DEADLINE, ROLE_LABELS, is_name_list, simplified
from .numbering import read_marker

NUMBER_HEADER = re.compile(r"^(序\s*号|编\s*号)$")
COLUMNS: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"领导|责任人"), "people"),
    (re.compile(r"单位|部门"), "units"),
    (re.compile(r"时限|时间|期限|节点|进度"), "deadline"),
)
"""Column kinds by the words of their header: people in charge, responsible units, a deadline; any
other column holds the task's text."""
BARE_NUMBER = re.compile(r"^(\d{1,3})$")


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # "text", "units", "people" or "deadline"
    role: str = ""  # for units: "lead", "support" or "" as the header says (牵头单位, 配合单位, 责任单位)


@dataclass
class Row:
    """One row: its number line, and its cells as (line number, text, column)."""

    number: int
    line: int
    marker: str
    cells: list


@dataclass
class Table:
    """What the reader found from a header line on: the header lines, then rows and group headings in order."""

    header: list  # the Line objects of the header cells
    items: list  # Row, or a Line that is a group heading
    end: int  # index of the first line after the table


def _column(name: str) -> Column:
    folded = simplified(name)
    for pattern, kind in COLUMNS:
        if pattern.search(folded):
            role = next((r for word, r in ROLE_LABELS.items() if folded.startswith(word)), "") if kind == "units" else ""
            return Column(name, kind, role)
    return Column(name, "text")


def read_table(lines: list, start: int) -> Table | None:
    """The table whose header starts at lines[start] (a 序号 line), or None if there is none there."""
    if not NUMBER_HEADER.match(lines[start].text):
        return None
    index, header = start + 1, [lines[start]]
    while index < len(lines) and not BARE_NUMBER.match(lines[index].text) and len(header) <= 8 \
            and len(lines[index].text) <= 15 and not re.search(r"[。，,；;]", lines[index].text) \
            and read_marker(lines[index].text) is None:
        header.append(lines[index])
        index += 1
    columns = [_column(line.text) for line in header[1:]]
    if not any(c.kind == "units" for c in columns):
        return None
    items, expected = [], 1
    while index < len(lines):
        text = lines[index].text
        match = BARE_NUMBER.match(text)
        if match and int(match.group(1)) == expected:
            row, index = _read_row(lines, index, columns, expected)
            items.append(row)
            expected += 1
        elif not match and _heading_at(lines, index, expected):
            items.append(lines[index])  # a group heading between rows
            index += 1
        else:
            break
    if not any(isinstance(item, Row) for item in items):
        return None
    return Table(header, items, index)


def _read_row(lines: list, index: int, columns: list[Column], number: int) -> tuple[Row, int]:
    row = Row(number, lines[index].number, lines[index].text, [])
    index += 1
    same_line = index
    while same_line < len(lines) and lines[same_line].number == row.line:
        same_line += 1
    if same_line > index:  # a row that stood on one line (normalize split its cells): cells align right
        cells = lines[index:same_line]
        for position, cell in enumerate(cells):
            column = columns[max(0, position + len(columns) - len(cells))]
            row.cells.append((cell.number, cell.text, column))
        return row, same_line
    last_units = max(i for i, c in enumerate(columns) if c.kind == "units")
    for position, column in enumerate(columns):
        if index >= len(lines) or BARE_NUMBER.match(lines[index].text):
            break
        row.cells.append((lines[index].number, lines[index].text, column))
        index += 1
        if position == last_units:  # one unit a line: the cell runs on while names follow
            following = columns[position + 1:]
            while index < len(lines) and _more_units(lines, index, following, number + 1):
                row.cells.append((lines[index].number, lines[index].text, column))
                index += 1
    return row, index


def _heading_at(lines: list, index: int, expected: int) -> bool:
    """Whether lines[index] is a group heading: a short line followed by the next row's number."""
    following = BARE_NUMBER.match(lines[index + 1].text) if index + 1 < len(lines) else None
    return len(lines[index].text) <= 40 and bool(following) and int(following.group(1)) == expected


def _more_units(lines: list, index: int, following: list[Column], next_row: int) -> bool:
    """Whether lines[index] is one more responsible unit of the cell above it."""
    text = lines[index].text
    if BARE_NUMBER.match(text) or _heading_at(lines, index, next_row) or (
            following and following[0].kind == "deadline" and DEADLINE.search(text)):
        return False
    return is_name_list(f"（{text}）")
