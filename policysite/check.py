"""python build.py check: what the parser read in a source text, and what looks wrong, without building.

The report names the encoding and the noise removed, the metadata, the chapters with their tasks, the
clauses read, every agency with how often it is named, the lead agencies and the collective parties;
then the warnings (file:line) that the reader raised. Exit status: 0 clean, 1 warnings, 2 errors.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

from .errors import BuildError, Problem
from .normalize import normalize, read_encoding
from .parse import parse


def report(source: Path) -> dict:
    """What the parser finds in a source text, as a dict (raises BuildError on errors)."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise BuildError(Problem(source, None, f"cannot read the source text: {exc.strerror}")) from None
    raw, encoding = read_encoding(source, data)
    text = normalize(source, raw)
    warnings: list[Problem] = []
    document = parse(source, text.lines, warnings)
    tasks = document.tasks
    named = Counter(name for task in tasks for name in task.clause.agencies)
    meta = document.meta
    return {
        "source": str(source),
        "encoding": encoding,
        "normalized": dict(sorted(text.changes.items())),
        "meta": {"title": meta.title, "document_number": meta.document_number, "date": meta.date,
                 "addressee": meta.addressee, "signature": meta.signature, "lead_rule": meta.lead_rule},
        "chapters": [{"number": c.number, "title": c.title, "sections": len(c.sections), "tasks": len(c.tasks)}
                     for c in document.chapters],
        "sections": len(document.sections),
        "tasks": len(tasks),
        "clauses": sum(1 for t in tasks if t.clause.text),
        "agencies": dict(named.most_common()),
        "leads": list(dict.fromkeys(name for t in tasks for name in t.clause.lead)),
        "parties": dict(Counter(p for t in tasks for p in t.clause.parties).most_common()),
        "warnings": [str(w) for w in warnings],
    }


def as_text(found: dict) -> str:
    """The report for a reader at a terminal."""
    meta = found["meta"]
    lines = [f"{found['source']}: read as {found['encoding']}; normalized: "
             + (", ".join(f"{k} {v}" for k, v in found["normalized"].items()) or "nothing")]
    lines += [f"  {label}: {meta[key]}" for key, label in (
        ("title", "title"), ("document_number", "number"), ("date", "date"), ("lead_rule", "lead rule")) if meta[key]]
    lines.append(f"{len([c for c in found['chapters'] if c['title']])} chapters, {found['sections']} sections, "
                 f"{found['tasks']} tasks, {found['clauses']} clauses read")
    lines += [f"  {c['number']}. {c['title'] or '(no chapter heading)'}: {c['tasks']} tasks" for c in found["chapters"]]
    lines.append(f"{len(found['agencies'])} agencies: "
                 + "、".join(f"{name} {count}" for name, count in found["agencies"].items()))
    lines.append(f"{len(found['leads'])} lead agencies: {'、'.join(found['leads']) or '(none marked)'}")
    lines.append(f"{len(found['parties'])} collective parties: "
                 + ("、".join(f"{name} {count}" for name, count in found["parties"].items()) or "(none)"))
    lines += [f"warning: {w}" for w in found["warnings"]]
    return "\n".join(lines)


def run(sources: list[Path], as_json: bool) -> int:
    """Print the report of each source (a library has one per document; as JSON, a list of them); the
    exit status says whether all are clean (0), some have warnings (1) or errors (2)."""
    found, status = [], 0
    for source in sources:
        try:
            found.append(report(source))
            status = max(status, 1 if found[-1]["warnings"] else 0)
        except BuildError as exc:
            found.append({"source": str(source), "errors": [str(p) for p in exc.problems]})
            status = 2
    if as_json:
        print(json.dumps(found[0] if len(found) == 1 else found, ensure_ascii=False, indent=1))
    else:
        print("\n\n".join("\n".join(f"error: {e}" for e in f["errors"]) if "errors" in f else as_text(f)
                          for f in found))
    return status
