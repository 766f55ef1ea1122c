"""The clause reader: where a task's responsibility is written, and what it says.

A clause stands in brackets at the end of a task's paragraph (（…） () 〔〕 【】, mixed or nested), or
on lines of its own after the task (牵头单位：… / 责任单位：…). Inside, it names agencies and collective
parties, with roles given by labels (牵头单位：), by the word that closes a group of names (…牵头，
…配合, …按职责分工负责), or by a rule that the first-listed agency leads. Everything is driven by the
tables below; a word the tables do not know is reported, never guessed at.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .errors import BuildError, Problem
from .model import Clause

OPENING, CLOSING = "（(〔【［[", "）)〕】］]"
"""Brackets that may enclose a clause or stand inside one; any closing bracket closes any opening one,
as web copies mix full-width and half-width forms."""

ROLE_LABELS: dict[str, str] = {
    "牵头": "lead", "主办": "lead", "主责": "lead", "牵头负责": "lead",
    "责任": "", "实施": "", "承办": "", "落实": "",
    "配合": "support", "协办": "support", "参与": "support", "协助": "support", "协同": "support",
    "协作": "support", "参加": "support",
}
"""Role labels, e.g. 牵头单位：, 配合部门： (the word before 单位/部门 → the role it gives)."""

OTHER_LABELS: dict[str, str] = {
    "完成时限": "deadline", "完成时间": "deadline", "时间节点": "deadline", "时限要求": "deadline",
    "时间要求": "deadline", "完成期限": "deadline", "时限": "deadline", "进度安排": "deadline",
    "责任领导": "people", "牵头领导": "people", "分管领导": "people", "责任人": "people",
    "牵头市领导": "people", "牵头区领导": "people", "牵头县领导": "people", "联系人": "people",
}
"""Labels that say something other than who is responsible: a deadline, or the people in charge."""

ROLE_WORDS: tuple[tuple[str, str], ...] = (
    ("牵头负责", "lead"), ("牵头抓总", "lead"), ("分别牵头", "lead"), ("牵头", "lead"),
    ("按职责分工负责", ""), ("按照职责分工负责", ""), ("按职能分工负责", ""), ("按职责分工落实", ""),
    ("按职责负责", ""), ("依职责负责", ""), ("分别负责", ""), ("共同负责", ""), ("具体负责", ""),
    ("负责落实", ""), ("负责", ""),
    ("配合落实", "support"), ("配合", "support"), ("参与", "support"), ("协助", "support"),
    ("协办", "support"), ("主办", "lead"), ("起草", ""),
)
"""Words that close a group of names and give it a role (longest first): …牵头，…配合."""

MODIFIERS = ("会同有关部门和单位", "会同有关部门", "会同相关部门", "会同有关单位",
             "等有关部门和单位", "等有关部门", "等相关部门", "等有关单位", "等相关单位", "等部门", "等单位", "等")
"""Tails after the last agency saying that others take part too, longest first."""

_LABEL_WORDS = "|".join(sorted(ROLE_LABELS, key=len, reverse=True))
ROLE_LABEL = re.compile(rf"({_LABEL_WORDS})(?:责任)?(单位|部门)(?:[（(](?:单位|部门)[）)])?\s*[:：]\s*")
OTHER_LABEL = re.compile(rf"({'|'.join(sorted(OTHER_LABELS, key=len, reverse=True))})\s*[:：]\s*")
LABEL = re.compile(rf"{ROLE_LABEL.pattern}|{OTHER_LABEL.pattern}")

LEAD_RULE = re.compile(
    r"(?:各项(?:工作|任务)中?|每项(?:工作|任务)中?|以上|上述)?"
    r"(?:列|排|位|名)[在于列]?(?:第一|第1|首)(?:位|个|名)?的?(?:[^，,。；;：:]{0,6}?)"
    r"(?:者|的)?(?:为|是)(?:牵头|主办|主责|主要负责)(?:或[^，,。；;]{1,4}?)?(?:单位|部门)(?:[（(](?:单位|部门)[）)])?"
    r"|(?:第一|首)(?:个|位)(?:单位|部门)?(?:为|是)(?:牵头|主办|主责)(?:单位|部门)")
"""The sentence by which a document makes the first-listed agency the lead, in the wordings
governments use: 排在第一位的为牵头单位, 列第一位者为牵头单位, 第一个单位为牵头单位, …"""

_RULE_TAIL = re.compile(r"^[，,；;、]?\s*(?:(?:其他|其余|其它)[^，,。；;]{0,8}?(?:为|是)(?:配合|参与|责任|协办)"
                        r"(?:单位|部门)|下同)")

COLLECTIVE = re.compile(r"各|有关|相关|其[他它]|所属|成员单位$|^(街道|板块|乡镇|镇街|部门|单位|区县|县区|市县)$"
                        r"|^(省|市|县|区|乡镇?)级")
"""A name with one of these words names a group (各有关部门, 市级各有关部门, 国务院有关部门); a bare kind of
unit (街道, 乡镇) or a level (省级人民政府) names all of them: none is one body."""
_COLLECTIVE_TAIL = re.compile(r"^(县级市|县|市|区|旗|乡|镇|乡镇|街道|县区|市县)(人民政府|政府)?$")

CLAUSE_WORD = re.compile(rf"{LABEL.pattern}|{LEAD_RULE.pattern}|"
                         rf"(?:{'|'.join(w for w, _ in ROLE_WORDS)})\s*(?=[，,；;。.、\n{re.escape(CLOSING)}]|$)")
"""What makes a bracket a responsibility clause rather than a remark: a label, a lead rule, or a role word
closing a group of names."""

_VERB = re.compile(r"负责|牵头|配合|参与|落实|督促|完成|加强|开展|建立|制定|推动|做好|确保|提高|扩大")
MAX_NAME = 20
AGENCY_END = re.compile(r"(局|委|厅|办|部|署|会|府|院|室|中心|行|司|所|队|处|社|团|组|站|馆|公司|集团|海关|区|县|市|街道|镇|乡)$")
"""How the names of bodies end (市发改委, 财政局, 各县〔市、区〕政府): a bracket of nothing but such names
is a clause even without a role word; a bracket like （LED） is not."""
DEADLINE = re.compile(r"\d{1,4}\s*(年|月|季度)|年底|月底|底前|长期|持续|每年|全年")
"""A date or schedule (2023年底前, 5月初审, 长期坚持), as a table's deadline column or a clause's tail holds."""


@dataclass(frozen=True)
class Reading:
    """What the reader made of a clause: the clause, the lead rule it states, and what it did not understand."""

    clause: Clause
    rule: str = ""
    doubts: tuple[str, ...] = ()


@cache
def _converter():
    import opencc  # imported when first needed: most documents are in simplified characters

    return opencc.OpenCC("t2s")


def simplified(text: str) -> str:
    """The text in simplified characters, character for character (same length, same positions), so
    that the tables read documents published in traditional characters; the text shown stays as written."""
    if text.isascii():
        return text
    folded = _converter().convert(text)
    if len(folded) != len(text):  # a phrase converted to another length: fold character by character
        folded = "".join(c if len(f := _converter().convert(c)) != 1 else f for c in text)
    return folded


def _depths(text: str):
    """(index, character, bracket depth before it) for each character."""
    depth = 0
    for i, char in enumerate(text):
        if char in CLOSING:
            depth -= 1
        yield i, char, depth
        if char in OPENING:
            depth += 1


def split_top(text: str, separators: str) -> list[str]:
    """Split at separators that stand outside brackets: 各县（市、区）政府 stays whole."""
    parts, start = [], 0
    for i, char, depth in _depths(text):
        if depth == 0 and char in separators:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return parts


def is_clause(text: str) -> bool:
    """Whether a bracketed text (brackets included) or a run of role lines is a responsibility clause."""
    return bool(CLAUSE_WORD.search(simplified(text)))


def trailing_clause(text: str, path: Path, line: int) -> tuple[str, str] | None:
    """Split a paragraph into (text, clause) when it ends with a bracketed responsibility clause.

    An unclosed bracket holding clause words, or a closing one never opened, is an error.
    """
    stripped = text.rstrip("。.；;，, ")
    if not stripped.endswith(tuple(CLOSING)):
        opening = _unmatched_opening(stripped)
        if opening is not None and is_clause(stripped[opening:]):
            raise BuildError(Problem(path, line, f"unclosed parenthesis in the clause {stripped[opening:]}"))
        return None
    depth, start = 0, None
    for i in range(len(stripped) - 1, -1, -1):
        if stripped[i] in CLOSING:
            depth += 1
        elif stripped[i] in OPENING:
            depth -= 1
            if depth == 0:
                start = i
                break
    if start is None:
        if is_clause(stripped[-30:]):
            raise BuildError(Problem(path, line, f"the clause {stripped[-30:]} closes a parenthesis it never opened"))
        return None
    if not (is_clause(stripped[start:]) or is_name_list(stripped[start:])):
        return None
    outer = _unmatched_opening(stripped[:start])
    if outer is not None and is_clause(stripped[outer:]) and not is_clause(stripped[outer:start]):
        raise BuildError(Problem(path, line, f"unclosed parenthesis in the clause {stripped[outer:]}"))
    return text[:start], text[start:]


def _unmatched_opening(text: str) -> int | None:
    """Where the last bracket that the text opens and never closes stands, if any."""
    depth = 0
    for i in range(len(text) - 1, -1, -1):
        if text[i] in CLOSING:
            depth += 1
        elif text[i] in OPENING:
            if depth == 0:
                return i
            depth -= 1
    return None


def is_name_list(text: str) -> bool:
    """Whether a bracketed line holds nothing but names (（市发改委、财政局，无锡国税局）): a clause
    written without a role word, as some documents put it on a line of its own below the task."""
    if len(text) < 3 or text[0] not in OPENING or text[-1] not in CLOSING or _unmatched_opening(text[1:-1]):
        return False
    names = [n.strip() for n in split_top(simplified(text[1:-1]), "、，,")]
    return all(2 <= len(n) <= MAX_NAME and not _VERB.search(n) and not re.search(r"[。；;：:\d]", n)
               and (AGENCY_END.search(n) or COLLECTIVE.search(n)) for n in names)


def last_clause_end(text: str) -> int | None:
    """Where the last bracketed responsibility clause in a text ends (after a 。 that follows it), if any."""
    depth, end = 0, None
    for i in range(len(text) - 1, -1, -1):
        if text[i] in CLOSING:
            depth += 1
            if depth == 1:
                end = i + 1
        elif text[i] in OPENING:
            depth -= 1
            if depth == 0 and end is not None and is_clause(text[i:end]):
                return end + 1 if text[end:end + 1] in ("。", "；") else end
    return None


def is_role_line(text: str) -> bool:
    """Whether a line is a responsibility written on its own: 牵头单位：… / 责任单位：… / 完成时限：…"""
    return bool(LABEL.match(simplified(text)))


def find_lead_rule(text: str) -> str:
    """The lead-agency rule a paragraph states, with what follows it (下同, 其他为配合单位), or ""."""
    folded = simplified(text)
    match = LEAD_RULE.search(folded)
    if not match:
        return ""
    start, end = match.start(), match.end()
    while tail := _RULE_TAIL.match(folded[end:]):
        end += tail.end()
    opening = _unmatched_opening(folded[:start])  # a rule in brackets of its own: （…列第一位为牵头单位，下同）
    if opening is not None and folded[end:end + 1] and folded[end] in CLOSING:
        start, end = opening, end + 1
    return text[start:end]


def read_clause(text: str, path: Path, line: int, lead_rule: bool = False, inline: bool = True,
                line_roles: tuple[str, ...] = ()) -> Reading:
    """Read a clause (brackets included, or lines of its own joined by newlines): agencies, parties, roles.

    line_roles gives, for a clause from a table, what each line holds by its column: a role ("lead",
    "support", "" for plain responsibility), or "deadline" or "people".
    """
    written = text.rstrip("。.；;，, ")[1:-1] if inline else "\n".join(_unbracketed(l) for l in text.split("\n"))
    rule = find_lead_rule(written)
    body = simplified(written.replace(rule, "；" * len(rule), 1) if rule else written)
    items: dict[str, str] = {}  # name → role ("lead", "support" or "" where none is given), in order
    cursor = [0]  # where in the body the next name is looked for
    modifier, notes = "", {"deadline": [], "people": []}
    for segment, column in _segments(body, line_roles):
        if column in ("deadline", "people"):
            notes[column].append(segment)
            continue
        label = LABEL.match(segment)
        if label and not label.group(1):
            notes[OTHER_LABELS[label.group(label.lastindex)]].append(segment[label.end():].strip())
            continue
        if label:
            names, word_role = _strip_role_word(segment[label.end():])
            groups = [(names, ROLE_LABELS[label.group(1)] or word_role or "")]
        else:
            groups = [(names, role or column or "") for names, role in _groups(segment)]
        for names, role in groups:
            for name in _split_names(names):
                name, tail = _strip_modifier(name)
                modifier = modifier or tail
                if not name and not tail:
                    raise BuildError(Problem(path, line, f"empty agency name in the clause {text}"))
                if name:
                    items.setdefault(_as_written(name, body, written, cursor), role)
    agencies, parties, previous_collective = [], [], False
    for name in items:
        collective = bool(COLLECTIVE.search(name)) or (previous_collective and bool(_COLLECTIVE_TAIL.match(name)))
        (parties if collective else agencies).append(name)
        previous_collective = collective
    leads = [n for n in agencies if items[n] == "lead"]
    if not any(role == "lead" for role in items.values()) and (lead_rule or rule) and items \
            and next(iter(items)) in agencies:
        leads = [next(iter(items))]
    roles = tuple((n, "lead" if n in leads else "support") for n in agencies
                  if leads or items[n] == "support")
    clause = Clause(tuple(agencies), modifier, text, tuple(parties), tuple(leads), roles, inline=inline,
                    deadline="；".join(notes["deadline"]), people="；".join(notes["people"]))
    return Reading(clause, rule, _doubts(clause))


def _as_written(name: str, folded: str, written: str, cursor: list[int]) -> str:
    """The name as the document writes it: the same span of the unfolded text (names come in order)."""
    at = folded.find(name, cursor[0])
    if at < 0:
        return name
    cursor[0] = at + len(name)
    return written[at:at + len(name)]


def _doubts(clause: Clause) -> tuple[str, ...]:
    """What looks wrong in a clause as read: no one named, or a name that reads like a sentence."""
    doubts = [f"agency name {name} is longer than {MAX_NAME} characters or holds a verb: is it a name?"
              for name in clause.agencies if len(name) > MAX_NAME or _VERB.search(name)]
    if not clause.agencies and not clause.parties:
        doubts.append(f"the clause {clause.text} names no agency")
    return tuple(doubts)


def _segments(body: str, line_roles: tuple[str, ...] = ()) -> list[tuple[str, str | None]]:
    """Split a clause body at top-level 。；; and newlines, and before every label that follows a comma;
    each segment comes with what its line holds by its table column (None outside tables)."""
    segments = []
    for number, text in enumerate(body.split("\n")):
        column = line_roles[number] if number < len(line_roles) else None
        for part in split_top(text, "。；;"):
            starts = [0] + [m.start() for m in LABEL.finditer(part) if m.start() > 0
                            and part[m.start() - 1] in "，, 　"]
            for a, b in zip(starts, starts[1:] + [len(part)]):
                piece = part[a:b].strip("，,、 　.")
                if piece:
                    segments.append((piece, column))
    return segments


def _unbracketed(line: str) -> str:
    """A line that is one bracketed list of names, its brackets blanked out (same length), else as it is."""
    if line[:1] in OPENING and line[-1:] in CLOSING and _unmatched_opening(line[1:-1]) is None:
        return "；" + line[1:-1] + "；"
    return line


def _groups(segment: str) -> list[tuple[str, str]]:
    """Names grouped by the role word that closes each group: A、B牵头，C配合 → [(A、B, lead), (C, support)]."""
    groups, pending = [], []
    for piece in split_top(segment, "，,"):
        if groups and not pending and DEADLINE.search(piece):  # …起草，5月初审: a schedule after the names
            continue
        names, role = _strip_role_word(piece)
        pending.append(names)
        if role is not None:
            groups.append(("、".join(pending), role))
            pending = []
    if pending:
        groups.append(("、".join(pending), ""))
    return groups


def _strip_role_word(text: str) -> tuple[str, str | None]:
    """(names, the role its closing word gives) — None when no role word closes the text."""
    text = text.strip()
    for word, role in ROLE_WORDS:
        if text.endswith(word):
            return text[: -len(word)].rstrip(), role
    return text, None


def _split_names(text: str) -> list[str]:
    names = []
    for part in split_top(text, "、，,/"):
        names.extend(p.strip() for p in re.split(r"(?<=\S)及(?=\S)", part))
    if names and names[0].startswith("由"):
        names[0] = names[0][1:]
    return names


def _strip_modifier(name: str) -> tuple[str, str]:
    for modifier in MODIFIERS:
        if name.endswith(modifier):
            return name[: -len(modifier)], modifier
    return name, ""
