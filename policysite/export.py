"""Stage 7: the model as open data: site/data/document.json (with its JSON Schema) and CSV files.

The CSV files are UTF-8 with a byte-order mark, so that spreadsheet programs open the Chinese
intact, and hold both languages side by side.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from pathlib import Path

from .i18n import Edition, strip_cites
from .model import Agency, Document

SCHEMA = Path(__file__).with_name("document.schema.json")


class OpenData:
    """The open-data files of a site, from its model and editions."""

    def __init__(self, renderer):
        self.renderer = renderer
        self.document: Document = renderer.document
        self.agencies: dict[str, Agency] = renderer.agencies
        self.translated: list[Edition] = [e for e in renderer.editions if e.translation is not None]

    def english(self, unit_id: str, field: str) -> dict[str, str | None]:
        """The unit's field in each translation, keyed field_lang (e.g. text_en); None while pending."""
        out = {}
        for edition in self.translated:
            text = edition.translation.get(unit_id, field)
            out[edition.lang] = strip_cites(text) if text else None
        return out

    def _with(self, name: str, unit_id: str, field: str) -> dict:
        return {f"{name}_{lang}": text for lang, text in self.english(unit_id, field).items()}

    def page_url(self, item, lang: str) -> str:
        from .pages import route_of

        path = self.renderer.path(route_of(item), next(e for e in self.renderer.editions if e.lang == lang))
        return self.renderer.absolute(path) or path

    def document_json(self) -> str:
        """The model as JSON: meta, chapters, sections, tasks (agencies in order, lead) and agencies."""
        config, meta = self.renderer.config, self.document.meta
        data = {
            "meta": {"title": config.title, **self._with("title", "document.title", "title"),
                     "document_number": meta.document_number or None, "date": meta.date or None,
                     "addressee": meta.addressee or None, "signature": meta.signature or None,
                     "notes": list(meta.notes), "lead_rule": meta.lead_rule or None,
                     "implements": list(config.implements), "languages": list(config.languages),
                     "facts": dataclasses.asdict(config.facts) if config.facts else None,
                     "cites": [dataclasses.asdict(c) for c in config.cites]},
            "preamble": [p.text for p in self.document.preamble],
            "paragraphs": [{"number": p.number, "chapter": chapter, "section": section, "text": p.text,
                            **self._with("text", f"paragraph.{p.number}", "text")}
                           for chapter, section, p in self.paragraph_places()],
            "chapters": [{"number": c.number, "title": c.title, **self._with("title", f"chapter.{c.number}", "title")}
                         for c in self.document.chapters],
            "sections": [{"number": s.number, "chapter": s.chapter, "title": s.title,
                          **self._with("title", f"section.{s.number}", "title")}
                         for s in self.document.sections],
            "tasks": [{"number": t.number, "chapter": t.chapter, "section": t.section, "text": t.text,
                       **self._with("text", f"task.{t.number}", "text"),
                       "agencies": list(t.clause.agencies), "lead": list(t.clause.lead),
                       "parties": list(t.clause.parties), "modifier": t.clause.modifier, "clause": t.clause.text}
                      for t in self.document.tasks],
            "agencies": [{"name": a.name, "full_name": a.full_name,
                          **self._with("full_name", f"agency.{a.name}", "name"),
                          **self._with("short_name", f"agency.{a.name}", "short"),
                          "kind": a.kind, "slug": a.slug,
                          "tasks": list(a.tasks), "first_listed": list(a.first_listed), "led": list(a.led),
                          **self._today(a.name)}
                         for a in self.agencies.values()],
        }
        return json.dumps(data, ensure_ascii=False, indent=1) + "\n"

    def _today(self, name: str) -> dict:
        """The agency's lineage (who holds its job today), if researched."""
        line = self.renderer.extras.lineage.get(name)
        if line is None:
            return {}
        source = line.source
        return {"today": {"status": line.status, "basis": line.basis, "year": line.year,
                          "successors": list(line.successors), "successors_en": list(line.successors_en),
                          "source_url": source and source.url, "source_title": source and source.title,
                          "quote": source and source.quote}}

    def paragraph_places(self):
        """(chapter, section or None, paragraph) for every body paragraph, in order."""
        for chapter in self.document.chapters:
            yield from ((chapter.number, None, p) for p in chapter.paragraphs)
            for section in chapter.sections:
                yield from ((chapter.number, section.number, p) for p in section.paragraphs)

    def tasks_csv(self) -> bytes:
        langs = [e.lang for e in self.translated]
        header = ["number", "chapter", "section", "text_zh", *[f"text_{l}" for l in langs],
                  "agencies", "lead", "modifier", "url_zh", *[f"url_{l}" for l in langs]]
        rows = [[t.number, t.chapter, t.section, t.text, *self.english(f"task.{t.number}", "text").values(),
                 "、".join(t.clause.agencies), "、".join(t.clause.lead), t.clause.modifier,
                 *[self.page_url(t, lang) for lang in ["zh", *langs]]]
                for t in self.document.tasks]
        return _csv(header, rows)

    def agencies_csv(self) -> bytes:
        langs = [e.lang for e in self.translated]
        header = ["slug", "name", "full_name", *[f"full_name_{l}" for l in langs],
                  *[f"short_name_{l}" for l in langs], "kind", "tasks", "listed_first"]
        rows = [[a.slug, a.name, a.full_name, *self.english(f"agency.{a.name}", "name").values(),
                 *self.english(f"agency.{a.name}", "short").values(), a.kind, len(a.tasks), len(a.first_listed)]
                for a in self.agencies.values()]
        return _csv(header, rows)

    def assignments_csv(self) -> bytes:
        header = ["task", "agency", "agency_slug", "position", "of", "lead", "modifier"]
        rows = [[t.number, name, self.agencies[name].slug, position, len(t.clause.agencies),
                 "yes" if name in t.clause.lead else "", t.clause.modifier]
                for t in self.document.tasks for position, name in enumerate(t.clause.agencies, start=1)]
        return _csv(header, rows)

    def files(self) -> dict[str, str | bytes]:
        """Every open-data file, by path under the site root."""
        return {
            "data/document.json": self.document_json(),
            "data/document.schema.json": SCHEMA.read_bytes(),
            "data/tasks.csv": self.tasks_csv(),
            "data/agencies.csv": self.agencies_csv(),
            "data/assignments.csv": self.assignments_csv(),
        }


def _csv(header: list[str], rows: list[list]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(["" if value is None else value for value in row] for row in rows)
    return "\ufeff".encode("utf-8") + out.getvalue().encode("utf-8")


LIBRARY_SCHEMA = Path(__file__).with_name("library.schema.json")


def library_files(library, documents: list, summaries: list, found: list, cited: dict, slugs) -> dict[str, bytes | str]:
    """A library's open data: library.json (documents, governments, departments with their tasks in every
    document) with its JSON Schema, and departments.csv and library-assignments.csv."""
    renderers = {r.config.doc: r for r, _ in documents}

    def english(doc: str, unit: str, field: str):
        edition = next((e for e in renderers[doc].editions if e.translation is not None), None)
        return edition.translation.entries.get(unit, {}).get(field) if edition else None

    def today(department) -> dict | None:
        line = department.today
        return None if line is None else {"status": line.status, "basis": line.basis, "year": line.year,
                                          "successors": list(line.successors),
                                          "source_url": line.source and line.source.url}

    data = {
        "title": dict(library.titles),
        "governments": [{"key": g.key, "zh": g.names["zh"], "en": g.names["en"], "level": g.level}
                        for g in library.governments.values()],
        "documents": [{"id": s.doc, "title": renderers[s.doc].config.title,
                       "title_en": english(s.doc, "document.title", "title"),
                       "government": s.government.key if s.government else "", "year": s.year, "issuer": s.issuer,
                       "document_number": s.number, "date": s.date, "tasks": s.tasks, "agencies": s.agencies,
                       "translation": {lang: {"translated": done, "entries": total}
                                       for lang, (done, total) in s.coverage.items()},
                       "url_zh": s.route.path("zh", slugs), "data": f"data/documents/{s.doc}/document.json",
                       "cites": list(s.cites), "cited_by": [other.doc for other in cited[s.doc]["cited_by"]]}
                      for s in summaries],
        "departments": [{"government": d.government.key, "name": d.name, "full_name": d.full_name,
                         "name_en": english(d.holdings[0].doc, f"agency.{d.holdings[0].agency.name}", "name"),
                         "url_zh": d.route.path("zh", slugs), "tasks": d.tasks, "listed_first": d.first_listed,
                         "led": d.led, "today": today(d),
                         "documents": [{"document": h.doc, "written": h.agency.name,
                                        "tasks": [t.number for t in h.tasks],
                                        "first_listed": list(h.agency.first_listed), "led": list(h.agency.led)}
                                       for h in d.holdings]}
                        for d in found],
    }
    departments_csv = _csv(
        ["government", "name", "full_name", "name_en", "documents", "tasks", "listed_first", "led", "url_zh"],
        [[d["government"], d["name"], d["full_name"], d["name_en"] or "", len(d["documents"]), d["tasks"],
          d["listed_first"], d["led"], d["url_zh"]] for d in data["departments"]])
    assignments_csv = _csv(
        ["government", "department", "written", "document", "task", "position", "of", "lead"],
        [[d.government.key, d.name, h.agency.name, h.doc, t.number, t.clause.agencies.index(h.agency.name) + 1,
          len(t.clause.agencies), "yes" if h.agency.name in t.clause.lead else ""]
         for d in found for h in d.holdings for t in h.tasks])
    return {"data/library.json": json.dumps(data, ensure_ascii=False, indent=1) + "\n",
            "data/library.schema.json": LIBRARY_SCHEMA.read_bytes(),
            "data/departments.csv": departments_csv, "data/library-assignments.csv": assignments_csv}
