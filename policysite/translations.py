"""Translations: entries keyed by the model's stable ids, each fingerprinting the Chinese it renders.

A language's files live in content/translations/<lang>/*.toml. An entry looks like

    # 合理分解各市节能减排目标。
    [task.1]
    source = "1a2b3c4d5e6f"    # fingerprint of the Chinese text translated
    text = "Set reasonable energy-saving and emission-reduction targets for each city."

When the Chinese changes, the fingerprint no longer matches and the entry is reported stale.

An entry also says how far it can be trusted and who made it, and may carry a translator's note:

    state = "reviewed"          # draft (the default), reviewed or approved
    by = "…"                    # who or what produced the English
    reviewer = "…"              # who checked it against the Chinese (required once reviewed)
    note = "…"                  # the translator's note a reader sees beside the passage
    memory = "DOC task.3"       # a draft the translation memory offered: the entry it was taken from

The translation memory is the library's current entries: where a unit's Chinese is the same as that of
an entry elsewhere in the library (an agency's name, a standard phrase, a sentence), the translations
command offers that entry's English as the unit's draft, saying so.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from .config import read_toml
from .errors import BuildError, Problem, Problems
from .figures import dropped_figures
from .model import Agency, Document, Task
from .reads import note, volatile
from .terms import TermRule, glossary_rules, missed_terms, term_message


def fingerprint(chinese: str) -> str:
    """A short, stable fingerprint of a Chinese text."""
    return hashlib.sha256(chinese.encode("utf-8")).hexdigest()[:12]


@dataclass(frozen=True)
class Unit:
    """One translatable piece of the model: its id, Chinese text, and the fields a translation gives."""

    kind: str  # document, preamble, chapter, section, task, paragraph, agency
    key: str  # the id within its kind: a number, or an agency's name
    chinese: str
    fields: tuple[str, ...]
    file: str  # the translation file (stem) the entry belongs in

    @property
    def id(self) -> str:
        return f"{self.kind}.{self.key}"


def units(document: Document, title: str, agencies: dict[str, Agency]) -> list[Unit]:
    """Every translatable unit of the document, in reading order."""
    out = [Unit("document", "title", title, ("title",), "document")]
    out += [Unit("preamble", str(i), p.text, ("text",), "document")
            for i, p in enumerate(document.preamble, start=1)]

    def body(items, file):
        return [Unit("task", str(item.number), item.text, ("text",), file) if isinstance(item, Task)
                else Unit("paragraph", str(item.number), item.text, ("text",), file) for item in items]

    for chapter in document.chapters:
        file = f"chapter-{chapter.number}"
        if chapter.title:
            out.append(Unit("chapter", str(chapter.number), chapter.title, ("title",), file))
        out += body(chapter.body, file)
        for section in chapter.sections:
            out.append(Unit("section", str(section.number), section.title, ("title",), file))
            out += body(section.body, file)
    out += [Unit("agency", a.name, a.full_name, ("name", "short"), "agencies") for a in agencies.values()]
    return out


STATES = ("draft", "reviewed", "approved")
"""An entry's review state: a first draft (by a person or a machine); checked against the Chinese by a
second reader; approved for publication by the editor."""

META = ("state", "by", "reviewer", "note", "memory")
"""What an entry says about itself besides its text (memory: where the translation memory took a draft
from, "DOCUMENT UNIT-ID")."""


@volatile("entries", "missing", "stale", "total", "found", "meta")  # each page's reads are recorded (reads.py)
@dataclass(frozen=True)
class Translation:
    """A language's translations: fields by unit id, and what is missing or stale."""

    lang: str
    entries: dict[str, dict[str, str]]  # unit id → field → text (only current, complete entries)
    missing: tuple[str, ...]
    stale: tuple[str, ...]
    total: int
    found: dict[str, dict] = field(default_factory=dict)  # every entry as it stands in the files, stale ones too
    meta: dict[str, dict[str, str]] = field(default_factory=dict)  # unit id → state, by, reviewer, note (current entries)

    @property
    def version(self) -> str:
        """A fingerprint of the translation as the site shows it: it changes whenever any entry does."""
        note(self, "version")
        if "_version" not in self.__dict__:
            text = json.dumps(self.__dict__["entries"], ensure_ascii=False, sort_keys=True)
            self.__dict__["_version"] = hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]
        return self.__dict__["_version"]

    def version_of(self, unit_ids) -> str:
        """A fingerprint of some passages' translation (a page's text): it changes when one of them does."""
        for unit_id in unit_ids:
            note(self, f"entries:{unit_id}")
        entries = self.__dict__["entries"]
        text = json.dumps({unit_id: entries.get(unit_id) for unit_id in unit_ids}, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:10]

    def get(self, unit_id: str, field: str) -> str | None:
        note(self, f"entries:{unit_id}")
        entry = self.__dict__["entries"].get(unit_id)
        return entry[field] if entry else None

    def about(self, unit_id: str) -> dict[str, str]:
        """A current entry's state, producer, reviewer and note ({} for an entry missing or stale)."""
        note(self, f"meta:{unit_id}")
        return self.__dict__["meta"].get(unit_id, {})

    def by_state(self) -> dict[str, int]:
        """How many entries are in each state, and how many are missing or stale ("missing")."""
        counts = {state: 0 for state in STATES}
        for about in self.meta.values():
            counts[about["state"]] += 1
        counts["missing"] = self.total - len(self.meta)
        return counts

    def also(self, unit_id: str) -> tuple[str, ...]:
        """Other names a current entry gives (also = [...]): abbreviations readers search by, e.g. EPD."""
        note(self, f"entries:{unit_id}")
        note(self, f"found:{unit_id}")
        return tuple(self.__dict__["found"].get(unit_id, {}).get("also", ())) \
            if unit_id in self.__dict__["entries"] else ()


PARTIAL_KINDS = ("document", "agency")
"""What a partial translation must still give: the document's title and the agencies' names."""


def load_translation(folder: Path | None, lang: str, all_units: list[Unit], problems: Problems,
                     strict: bool, partial: bool = False, terms: tuple[TermRule, ...] = ()) -> Translation:
    """Read folder/*.toml; report unknown ids as errors and missing or stale entries as warnings
    (errors when strict). Without any translation folder, one warning says the edition is pending.
    A partial translation (the document says so) is missing only what is not among PARTIAL_KINDS.
    terms: the glossary's rules for this language (terms.py); an entry that misses one is a warning."""
    by_id = {u.id: u for u in all_units}
    if folder is None or not folder.is_dir():
        report = problems.error if strict else problems.warn
        report(folder or "translations", None, f"{lang}: no translations: every page of the {lang} edition "
                                               f"shows the Chinese, marked as pending")
        return Translation(lang, {}, tuple(u.id for u in all_units), (), len(all_units))
    found: dict[str, tuple[dict, Path, int | None]] = {}
    for path in sorted(folder.glob("*.toml")):
        toml = read_toml(path)
        for kind, table in toml.data.items():
            if not isinstance(table, dict):
                problems.error(path, None, f"{kind}: expected tables like [{kind}.1]")
                continue
            for key, entry in table.items():
                unit_id, line = f"{kind}.{key}", toml.line_of(kind, key)
                if unit_id not in by_id:
                    problems.error(path, line, f"{unit_id}: no such id in the document")
                elif unit_id in found:
                    other = found[unit_id]
                    problems.error(path, line, f"{unit_id}: translated twice (also {other[1]}:{other[2]})")
                elif not isinstance(entry, dict):
                    problems.error(path, line, f"{unit_id}: expected a table")
                elif not isinstance(entry.get("also", []), list) or not all(
                        isinstance(name, str) and name.strip() for name in entry.get("also", [])):
                    problems.error(path, line, f"{unit_id}: also should be a list of names, like also = [\"EPD\"]")
                elif problem := meta_problem(entry):
                    problems.error(path, line, f"{unit_id}: {problem}")
                else:
                    found[unit_id] = (entry, path, line)
    entries, meta, missing, stale = {}, {}, [], []
    report = problems.error if strict else problems.warn
    for unit in all_units:
        entry, path, line = found.get(unit.id, ({}, folder / f"{unit.file}.toml", None))
        texts = {f: entry.get(f) for f in unit.fields}
        if not all(isinstance(t, str) and t.strip() for t in texts.values()):
            missing.append(unit.id)
            if not partial or unit.kind in PARTIAL_KINDS:
                report(path, line, f"{lang}: {unit.id}: translation missing")
        elif entry.get("source") != fingerprint(unit.chinese):
            stale.append(unit.id)
            report(path, line, f"{lang}: {unit.id}: translation stale (the Chinese text changed; "
                               f"source should be {fingerprint(unit.chinese)})")
        else:
            entries[unit.id] = {f: t.strip() for f, t in texts.items()}
            meta[unit.id] = {"state": entry.get("state", "draft"),
                             **{k: entry[k].strip() for k in META[1:] if isinstance(entry.get(k), str)}}
            if unit.kind != "agency":
                dropped = dropped_figures(unit.chinese, " ".join(texts.values()))
                if dropped:
                    report(path, line, f"{lang}: {unit.id}: the translation lacks the figure(s) "
                                       f"{', '.join(dropped)} of the Chinese")
            for rule in missed_terms(unit.chinese, " ".join(texts.values()), terms):
                report(path, line, f"{lang}: {unit.id}: {term_message(rule)}")
    return Translation(lang, entries, tuple(missing), tuple(stale), len(all_units),
                       {unit_id: entry for unit_id, (entry, _, _) in found.items()}, meta)


def meta_problem(entry: dict) -> str | None:
    """What is wrong with an entry's state, by, reviewer or note, if anything."""
    for key in META:
        if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
            return f"{key} should be a text, like {key} = \"…\""
    state = entry.get("state", "draft")
    if state not in STATES:
        return f"state should be one of {', '.join(STATES)}, not {state!r}"
    if state != "draft" and "reviewer" not in entry:
        return f"a {state} entry names who reviewed it (reviewer = \"…\"): nobody is taken to have checked it"
    return None


def _toml_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def skeleton(all_units: list[Unit], translation: Translation, offers: dict[str, dict] | None = None) -> dict[str, str]:
    """TOML text per file stem with an entry for every unit: each existing entry as it stands
    (a stale one keeps its text and old fingerprint, so it is still reported), a new one empty, or as
    offers (unit id → entry: the translation memory's drafts) has it.

    The Chinese stands above each entry as a comment, for the translator and the reviewer.
    """
    files: dict[str, list[str]] = {}
    for unit in all_units:
        entry = translation.found.get(unit.id) or (offers or {}).get(unit.id, {})
        key = unit.key if unit.key.isascii() else _toml_string(unit.key)
        source = entry.get("source") if isinstance(entry.get("source"), str) else fingerprint(unit.chinese)
        lines = [f"# {unit.chinese}", f"[{unit.kind}.{key}]", f"source = {_toml_string(source)}"]
        for name in unit.fields:
            value = entry.get(name)
            lines.append(f"{name} = {_toml_string(value if isinstance(value, str) else '')}")
        if isinstance(entry.get("also"), list):
            lines.append(f"also = [{', '.join(_toml_string(str(name)) for name in entry['also'])}]")
        lines += [f"{key} = {_toml_string(entry[key])}" for key in META if isinstance(entry.get(key), str)]
        files.setdefault(unit.file, []).append("\n".join(lines) + "\n")
    return {stem: "\n".join(entries) for stem, entries in files.items()}


def memory(documents: list[tuple[str, list[Unit], Translation]]) -> dict[tuple, tuple[str, str, dict]]:
    """The translation memory of one language: (Chinese, fields) → (document, unit id, entry) of the
    current entries of the documents (document id, units, translation), the most trusted first found."""
    rank = {state: n for n, state in enumerate(reversed(STATES))}  # approved 0, reviewed 1, draft 2
    found: dict[tuple, tuple[str, str, dict]] = {}
    for doc, all_units, translation in documents:
        for unit in all_units:
            if unit.id not in translation.entries:
                continue
            key, about = (unit.chinese, unit.fields), translation.meta[unit.id]
            if key not in found or rank[about["state"]] < rank[found[key][2]["state"]]:
                found[key] = (doc, unit.id, {**translation.entries[unit.id], "state": about["state"]})
    return found


def offers(all_units: list[Unit], translation: Translation, remembered: dict, doc: str) -> dict[str, dict]:
    """Drafts for the units that have no entry, where the memory holds the same Chinese: unit id → entry,
    a draft marked as the memory's (memory = "DOCUMENT UNIT-ID")."""
    out = {}
    for unit in all_units:
        hit = remembered.get((unit.chinese, unit.fields))
        if unit.id in translation.found or hit is None or (hit[0], hit[1]) == (doc, unit.id):
            continue
        source_doc, source_id, entry = hit
        out[unit.id] = {**{name: entry[name] for name in unit.fields}, "state": "draft", "by": "translation memory",
                        "memory": f"{source_doc} {source_id}"}
    return out


@dataclass(frozen=True)
class DocumentTranslation:
    """A document's translation into one language, with what the tools that write entries need."""

    doc: str  # the document's id: its folder's name
    folder: Path  # its content folder
    lang: str
    units: list[Unit]
    translation: Translation
    terms: tuple[TermRule, ...] = ()  # the glossary's rules (English only)

    def passages(self) -> dict[str, tuple[Unit, str]]:
        """Each passage's id (its unit's id and field) → the unit and the field."""
        return {f"{unit.id}.{name}": (unit, name) for unit in self.units for name in unit.fields}


def document_translations(site) -> list[DocumentTranslation]:
    """The translations of every document of a site (as pipeline.gather reads it), in each language."""
    out = []
    for renderer, _ in site.renderers:
        if renderer.document is None:  # the library's own pages have nothing to translate here
            continue
        folder = renderer.config.content_dir
        if folder is None:
            raise BuildError(Problem("--source", None, "translation files belong in a content folder: use --content"))
        all_units = units(renderer.document, renderer.config.title, renderer.agencies)
        terms = glossary_rules(folder, renderer.library)
        out += [DocumentTranslation(renderer.config.doc or folder.name, folder, edition.lang, all_units,
                                    edition.translation, terms if edition.lang == "en" else ())
                for edition in renderer.editions if edition.translation is not None]
    return out


def write_skeletons(site) -> list[Path]:
    """Write (or bring up to date) every translation file of the site's content folder (of each document,
    in a library), offering the translation memory's drafts for units that have no entry."""
    written, found = [], document_translations(site)
    memories = {lang: memory([(d.doc, d.units, d.translation) for d in found if d.lang == lang])
                for lang in {d.lang for d in found}}
    for d in found:
        target = d.folder / "translations" / d.lang
        target.mkdir(parents=True, exist_ok=True)
        drafts = offers(d.units, d.translation, memories[d.lang], d.doc)
        for stem, text in skeleton(d.units, d.translation, drafts).items():
            path = target / f"{stem}.toml"
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
                written.append(path)
    return written
