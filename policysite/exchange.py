"""Exchange with translation tools (OmegaT, Poedit, memoQ, Trados, Weblate): each document's translation
exported as an XLIFF 2.0 or gettext PO file, and such a file imported back into the translation entries.

Every passage is one unit, named by its entry's id and field (task.12.text, agency.省环保厅.name): its
Chinese as the source, the current English as the target, the entry's state, who made and reviewed
it, the translator's note, and the glossary terms its Chinese uses (as hints). The files are read and
written by the Translate Toolkit (translate.storage.xliff2 and .pypo).

States: XLIFF's translated, reviewed and final are draft, reviewed and approved; initial is a passage
to do (missing, or stale: its English was written for other Chinese). PO marks drafts and stale
passages fuzzy; it has no word for reviewed, so a PO file changes texts and notes, and an entry whose
text it changes becomes a draft.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from .errors import BuildError, Problem
from .translations import META, DocumentTranslation, Unit, document_translations, fingerprint, meta_problem, skeleton

FORMATS = {"xliff": ".xlf", "po": ".po"}
XLIFF_STATES = {"draft": "translated", "reviewed": "reviewed", "approved": "final"}
"""An entry's state as an XLIFF 2.0 segment's state (a passage to do is "initial")."""
STATES_OF_XLIFF = {value: key for key, value in XLIFF_STATES.items()}
XML_SPACE = "{http://www.w3.org/XML/1998/namespace}space"
DOCUMENT_HEADER = "X-Policysite-Document"  # in a PO file's header: the document its units belong to
STALE = "stale: this English was written for an earlier Chinese text"


@dataclass
class Imported:
    """What an import did: the entries it changed, the files it wrote, the units it could not take."""

    edition: DocumentTranslation
    changed: list[str] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    stale: list[Problem] = field(default_factory=list)  # each unit left out: where it is in the file, and why


def export_files(site, fmt: str, out: Path | None) -> list[Path]:
    """Write every edition's file (into out, or each document's translations folder); returns their paths."""
    written = []
    for edition in document_translations(site):
        path = export_path(edition, fmt, out)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(export(edition, fmt))
        written.append(path)
    return written


def import_file(path: Path, read: tuple[str, str, list], site, by: str | None = None) -> Imported:
    """Take a file read by read_exchange_file into its document's entries and write the files they are in;
    BuildError, and nothing written, where the file does not fit the content folder."""
    doc, lang, file_units = read
    every = document_translations(site)
    found = [edition for edition in every if edition.doc == doc]
    if not found:
        known = ", ".join(edition.doc for edition in every)
        raise BuildError(Problem(path, None, f"no document {doc!r} in the content folder (it has {known})"))
    matching = [edition for edition in found if edition.lang == lang]
    if not matching:
        raise BuildError(Problem(path, None, f"{doc}: the file is in {lang or 'no language'}; the document is "
                                             f"translated into {', '.join(e.lang for e in found)}"))
    report = import_units(path, matching[0], file_units, by)
    write_entries(report)
    return report


def export_path(edition: DocumentTranslation, fmt: str, out: Path | None) -> Path:
    """Where an edition's file goes: DOC.LANG.xlf (or .po) in out, or in the document's translations folder."""
    return (out or edition.folder / "translations") / f"{edition.doc}.{edition.lang}{FORMATS[fmt]}"


def export(edition: DocumentTranslation, fmt: str) -> bytes:
    """The edition's every passage as an XLIFF 2.0 or PO file."""
    return _xliff(edition) if fmt == "xliff" else _po(edition)


def _passage(edition: DocumentTranslation, unit: Unit, name: str) -> tuple[str, dict, bool]:
    """A passage's English (empty if none), its entry, and whether the passage is to do (missing or stale)."""
    entry = edition.translation.found.get(unit.id, {})
    text = entry.get(name) if isinstance(entry.get(name), str) else ""
    current = unit.id in edition.translation.entries
    return text, entry, not current


def _context(unit: Unit, name: str) -> list[str]:
    """What a tool's user needs to know of a passage beyond its Chinese: which of an agency's names it is."""
    if unit.kind != "agency":
        return []
    return [f"the agency's full name (the document writes {unit.key})" if name == "name" else
            f"the agency's short name, for {unit.key} (the Chinese shown is its full name)"]


def _hints(edition: DocumentTranslation, unit: Unit) -> list[str]:
    """The glossary terms a unit's Chinese uses, each as "zh → rendering (or allowed ones)"."""
    return [f"{rule.zh} → {' / '.join(rule.shown)}" for rule in edition.terms if rule.zh in unit.chinese]


def _xliff(edition: DocumentTranslation) -> bytes:
    from translate.storage import xliff2

    store = xliff2.Xliff2File(sourcelanguage="zh", targetlanguage=edition.lang)
    store.setfilename(store.body, edition.doc)
    for pid, (unit, name) in edition.passages().items():
        text, entry, to_do = _passage(edition, unit, name)
        item = store.addsourceunit(unit.chinese)
        item.setid(pid)
        if text:
            item.target = text
        item.xmlelement.set("state", "initial" if to_do else XLIFF_STATES[entry.get("state", "draft")])
        for context in _context(unit, name):
            item.addnote(context, origin="context")
        for hint in _hints(edition, unit):
            item.addnote(hint, origin="glossary")
        for key in ("by", "reviewer", "memory"):
            if isinstance(entry.get(key), str):
                item.addnote(entry[key], origin=key)
        if isinstance(entry.get("note"), str):
            item.addnote(entry["note"], origin="translator")
        if to_do and text:
            item.addnote(STALE, origin="status")
    for segment in store.body.iter(store.namespaced("segment")):  # where XLIFF 2.0 has them: the toolkit
        unit_element, notes = segment.getparent(), segment.find(store.namespaced("notes"))  # puts them in
        if notes is not None:  # the segment
            segment.remove(notes)
            unit_element.insert(0, notes)
        unit_element.set(XML_SPACE, segment.attrib.pop(XML_SPACE, "preserve"))
    return bytes(store)


def _xliff_notes(item, category: str) -> str:
    """A unit's notes of a category, from the unit (XLIFF 2.0) or its segment (as the toolkit writes them)."""
    return "\n".join(note.text or "" for element in (item.getunitelement(), item.xmlelement)
                     for notes in element.iterchildren(item.namespaced("notes"))
                     for note in notes.iterchildren(item.namespaced("note")) if note.get("category") == category)


def _po(edition: DocumentTranslation) -> bytes:
    from translate.storage import pypo

    store = pypo.pofile()
    store.updateheader(add=True, Language=edition.lang, Content_Type="text/plain; charset=UTF-8",
                       Project_Id_Version=edition.doc,
                       **{DOCUMENT_HEADER.replace("-", "_"): edition.doc})
    for pid, (unit, name) in edition.passages().items():
        text, entry, to_do = _passage(edition, unit, name)
        item = store.addsourceunit(unit.chinese)
        item.setcontext(pid)
        item.target = text
        about = [f"{key}: {entry[key]}" for key in ("by", "reviewer", "memory") if isinstance(entry.get(key), str)]
        status = STALE if to_do and text else \
            f"state: {entry.get('state', 'draft')}" if text else "to translate"
        for comment in [*_context(unit, name), status, *about,
                        *(f"glossary: {hint}" for hint in _hints(edition, unit))]:
            item.addnote(comment, origin="developer")
        if isinstance(entry.get("note"), str):
            item.addnote(entry["note"], origin="translator")
        item.markfuzzy(bool(text) and (to_do or entry.get("state", "draft") == "draft"))
    return bytes(store)


@dataclass(frozen=True)
class FileUnit:
    """A unit as a file holds it."""

    fmt: str  # xliff or po
    pid: str
    line: int | None
    source: str
    target: str
    state: str | None  # draft, reviewed or approved; None: to do (XLIFF initial), or not fuzzy (PO)
    note: str  # the translator's note
    maker: str = ""  # who made it: XLIFF's "by" note, PO's Last-Translator
    reviewer: str = ""  # XLIFF's "reviewer" note


def read_exchange_file(path: Path) -> tuple[str, str, list[FileUnit]]:
    """The document id, language and units of an XLIFF 2.0 or PO file; BuildError (file and line) if the
    file is not one, or is not one of ours."""
    data = path.read_bytes()
    try:
        if path.suffix == ".po":
            return _read_po(path, data)
        if path.suffix in (".xlf", ".xliff"):
            return _read_xliff(path, data)
    except BuildError:
        raise
    except Exception as exc:  # the toolkit's parse errors: PoParseError, XMLSyntaxError, ValueError, …
        line = getattr(exc, "lineno", None) or getattr(getattr(exc, "parse_state", None), "lineno", None)
        raise BuildError(Problem(path, line,
                                 f"not a readable {'PO' if path.suffix == '.po' else 'XLIFF 2.0'} file: "
                                 f"{exc or type(exc).__name__}")) from None
    raise BuildError(Problem(path, None, "expected a .xlf, .xliff or .po file"))


def _read_xliff(path: Path, data: bytes) -> tuple[str, str, list[FileUnit]]:
    from translate.storage import xliff2

    store = xliff2.Xliff2File.parsestring(data)
    root = store.document.getroot()
    if root.tag != f"{{{xliff2.Xliff2File.namespace}}}xliff":
        raise BuildError(Problem(path, root.sourceline, "not an XLIFF 2.0 file (its root is not <xliff>)"))
    files = list(root.iterchildren(store.namespaced("file")))
    if len(files) != 1 or not files[0].get("id"):
        raise BuildError(Problem(path, root.sourceline, "expected one <file> whose id names the document"))
    units = []
    for item in store.units:
        state = item.xmlelement.get("state")
        if state not in (None, "initial", *STATES_OF_XLIFF):
            raise BuildError(Problem(path, item.xmlelement.sourceline, f"{item.getid()}: unknown state {state!r}"))
        units.append(FileUnit("xliff", item.getid(), item.xmlelement.sourceline, item.source or "",
                              (item.target or "").strip(), STATES_OF_XLIFF.get(state or "initial"),
                              _xliff_notes(item, "translator").strip(), _xliff_notes(item, "by").strip(),
                              _xliff_notes(item, "reviewer").strip()))
    return files[0].get("id"), store.gettargetlanguage() or "", units


def _read_po(path: Path, data: bytes) -> tuple[str, str, list[FileUnit]]:
    from translate.storage import pypo

    store = pypo.pofile.parsestring(data)
    header = store.parseheader()
    doc = header.get(DOCUMENT_HEADER, "")
    if not doc:
        raise BuildError(Problem(path, 1, f"the header does not say which document the file is for "
                                          f"({DOCUMENT_HEADER})"))
    translator = header.get("Last-Translator", "")
    translator = "" if translator.startswith("FULL NAME") else translator.strip()
    units = []
    for item in store.units:
        if item.isheader() or item.isobsolete():
            continue
        units.append(FileUnit("po", item.getcontext() or "", None, item.source or "", (item.target or "").strip(),
                              "draft" if item.isfuzzy() else None, item.getnotes("translator").strip(), translator))
    return doc, header.get("Language", ""), units


def import_units(path: Path, edition: DocumentTranslation, units: list[FileUnit], by: str | None = None) -> Imported:
    """Take a file's units into the edition's entries (BuildError, nothing changed, where a unit is not
    possible); returns the entries changed and the units left stale. Writes nothing."""
    passages, report = edition.passages(), Imported(edition)
    found, updated, seen = edition.translation.found, {}, set()
    for item in units:
        if item.pid in seen:
            raise BuildError(Problem(path, item.line, f"{item.pid}: the file holds this unit twice"))
        seen.add(item.pid)
        if item.pid not in passages:
            report.stale.append(Problem(path, item.line, f"{item.pid}: not imported: no such passage in the "
                                                         f"document now"))
            continue
        unit, name = passages[item.pid]
        if item.source != unit.chinese:
            report.stale.append(Problem(path, item.line, f"{item.pid}: not imported: its Chinese has changed since "
                                                         f"the file was made: export the document again"))
            continue
        updated.setdefault(unit.id, (unit, []))[1].append(item)
    entries = {}
    for unit_id, (unit, items) in updated.items():
        old = found.get(unit_id, {})
        new = _updated_entry(unit, old, items, {passages[i.pid][1]: i.target for i in items}, by or "", path.name)
        if problem := meta_problem(new):
            raise BuildError(Problem(path, items[0].line, f"{items[0].pid}: {problem}"))
        if new != old:
            entries[unit_id] = new
            report.changed.append(unit_id)
    report.edition = replace(edition, translation=replace(edition.translation, found={**found, **entries}))
    return report


def _updated_entry(unit: Unit, old: dict, items: list[FileUnit], texts: dict, by: str, file_name: str) -> dict:
    """An entry as a file's units for it leave it: its texts, note, state, maker and reviewer.

    A text changed makes the entry current (its fingerprint the Chinese's now), a draft unless an XLIFF
    file calls it reviewed or final and names the reviewer, made by whom --by, the PO file's
    Last-Translator or a changed XLIFF "by" note names (else "unknown"). A stale entry whose English the
    file confirms unchanged (not fuzzy; XLIFF: not initial) becomes current, a draft. Without a change
    of text an XLIFF file may change the state, the reviewer and the maker; either format the note."""
    new = {**old, **{name: texts[name] for name in unit.fields if texts.get(name, "") != (old.get(name) or "")}}
    changed = any((new.get(name) or "") != (old.get(name) or "") for name in unit.fields)
    complete = all(isinstance(new.get(name), str) and new[name] for name in unit.fields)
    xliff = items[0].fmt == "xliff"
    states = {item.state for item in items}
    state = states.pop() if len(states) == 1 else None  # None: to do (XLIFF initial), or PO not fuzzy
    first = items[0]
    maker = by or (first.maker if not xliff or first.maker != old.get("by") else "")
    confirmed = complete and old.get("source") != fingerprint(unit.chinese) and (state is not None if xliff
                                                                                  else state is None)
    if changed or confirmed:
        new["source"] = fingerprint(unit.chinese)
        for key in ("state", "reviewer", "memory"):  # what the file confirms or changes is no longer
            new.pop(key, None)  # the memory's offer
        if changed or maker:
            new["by"] = maker or f"unknown (imported from {file_name})"
        if xliff and state in ("reviewed", "approved") and first.reviewer:
            new["state"], new["reviewer"] = state, first.reviewer
        else:
            new["state"] = "draft"
    elif xliff and state is not None and complete:
        new["state"] = state
        if first.reviewer and state != "draft":
            new["reviewer"] = first.reviewer
        elif state == "draft" and old.get("state", "draft") != "draft":
            new.pop("reviewer", None)
        if maker:
            new["by"] = maker
    if first.note != (old.get("note") or "").strip():
        if first.note:
            new["note"] = first.note
        else:
            new.pop("note", None)
    return {key: value for key, value in new.items() if key in ("source", *unit.fields, "also", *META)}


def write_entries(report: Imported) -> list[Path]:
    """Write the translation files that the changed entries belong in (only those whose text changes)."""
    edition = report.edition
    files = skeleton(edition.units, edition.translation)
    stems = {unit.file for unit in edition.units if unit.id in report.changed}
    folder = edition.folder / "translations" / edition.lang
    for stem in sorted(stems):
        path = folder / f"{stem}.toml"
        if not path.exists() or path.read_text(encoding="utf-8") != files[stem]:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(files[stem], encoding="utf-8")
            report.written.append(path)
    return report.written
