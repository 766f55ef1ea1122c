"""Stage 3: join the agencies named in the clauses with the registry of their official names."""

from __future__ import annotations

import re
from pathlib import Path

from .config import read_toml
from .errors import BuildError, Problems
from .model import KINDS, Agency, Document

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load_agencies(document: Document, source: Path, registry: Path) -> dict[str, Agency]:
    """Every agency named in the document, in order of first mention, with its registry entry.

    An agency the text names but the registry lacks is an error naming the task and its line.
    """
    toml = read_toml(registry)
    problems = Problems()
    for name, entry in toml.data.items():
        line = toml.line_of(name)
        if not isinstance(entry, dict):
            problems.error(registry, line, f"{name}: expected a table [\"{name}\"]")
            continue
        for key in ("full_name", "kind", "slug"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.error(registry, line, f"{name}: missing {key}")
        if entry.get("kind") and entry["kind"] not in KINDS:
            problems.error(registry, line, f"{name}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if isinstance(entry.get("slug"), str) and not SLUG.match(entry["slug"]):
            problems.error(registry, line, f"{name}: slug {entry['slug']!r} is not lowercase ASCII words "
                                           f"joined by hyphens")
    problems.raise_if_any()

    tasks: dict[str, list[int]] = {}
    first: dict[str, list[int]] = {}
    for task in document.tasks:
        for position, name in enumerate(task.clause.agencies):
            if name not in toml.data:
                problems.error(source, task.line, f"task {task.number}: agency {name} is not in the "
                                                  f"registry {registry}")
            tasks.setdefault(name, []).append(task.number)
            if position == 0:
                first.setdefault(name, []).append(task.number)
    problems.raise_if_any()
    return {
        name: Agency(name, toml.data[name]["full_name"], toml.data[name]["kind"], toml.data[name]["slug"],
                     tuple(numbers), tuple(first.get(name, ())))
        for name, numbers in tasks.items()
    }
