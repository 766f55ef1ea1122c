"""Stage 3: join the agencies named in the clauses with the registry of their official names.

Where a content folder has a registry, an agency the text names but the registry lacks is an
error naming the task and its line. Without one, every agency is registered automatically (kind
"other", full name as written, pinyin slug) with a warning.
"""

from __future__ import annotations

import re
from pathlib import Path

from .config import read_toml
from .errors import Problems
from .model import KINDS, Agency, Document
from .slugs import unique_slugs

SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def load_agencies(document: Document, source: Path, registry: Path | None,
                  problems: Problems, strict: bool = False) -> dict[str, Agency]:
    """Every agency named in the document, in order of first mention, with what is known of it."""
    named: dict[str, dict[str, list[int]]] = {}
    first_mention: dict[str, tuple[int, int]] = {}
    for task in document.tasks:
        for position, name in enumerate(task.clause.agencies):
            entry = named.setdefault(name, {"tasks": [], "first": [], "led": []})
            entry["tasks"].append(task.number)
            first_mention.setdefault(name, (task.number, task.line))
            if position == 0:
                entry["first"].append(task.number)
            if name in task.clause.lead:
                entry["led"].append(task.number)
    if registry is None:
        report = problems.error if strict else problems.warn
        for name, (number, line) in first_mention.items():
            report(source, line, f"task {number}: agency {name} is registered automatically "
                                 f"(no agency registry in the content folder)")
        slugs = unique_slugs(list(named), prefix="agency")
        entries = {name: {"full_name": name, "kind": "other", "slug": slug} for name, slug in zip(named, slugs)}
        lines = {}
    else:
        entries, lines = _read_registry(registry, problems)
        for name, (number, line) in first_mention.items():
            if name not in entries:
                problems.error(source, line, f"task {number}: agency {name} is not in the registry {registry}")
        problems.raise_if_any()
    return {name: Agency(name, entries[name]["full_name"], entries[name]["kind"], entries[name]["slug"],
                         tuple(n["tasks"]), tuple(n["first"]), tuple(n["led"]), lines.get(name),
                         entries[name].get("same_as", ""), tuple(entries[name].get("also", ())))
            for name, n in named.items()}


def _read_registry(registry: Path, problems: Problems) -> tuple[dict[str, dict], dict[str, int]]:
    """The registry's entries, checked (full_name, kind and slug present and well-formed), and their lines."""
    toml = read_toml(registry)
    for name, entry in toml.data.items():
        line = toml.line_of(name)
        if not isinstance(entry, dict):
            problems.error(registry, line, f"{name}: expected a table [\"{name}\"]")
            continue
        for key in ("full_name", "kind", "slug"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                problems.error(registry, line, f"{name}: missing {key}")
        also = entry.get("also", [])
        if not isinstance(also, list) or not all(isinstance(n, str) and n.strip() for n in also):
            problems.error(registry, line, f"{name}: also should be a list of other names, like also = [\"发改委\"]")
        if isinstance(entry.get("kind"), str) and entry["kind"] not in KINDS:
            problems.error(registry, line, f"{name}: kind {entry['kind']!r} is not one of {', '.join(KINDS)}")
        if "same_as" in entry and (entry["same_as"] == name or not isinstance(toml.data.get(entry["same_as"]), dict)):
            problems.error(registry, line, f"{name}: same_as {entry['same_as']!r} is not another agency of this registry")
        if isinstance(entry.get("slug"), str) and not SLUG.match(entry["slug"]):
            problems.error(registry, line, f"{name}: slug {entry['slug']!r} is not lowercase ASCII words "
                                           f"joined by hyphens")
    problems.raise_if_any()
    return toml.data, {name: toml.line_of(name) for name in toml.data}
