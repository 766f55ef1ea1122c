"""Stage 7: the model as open data (site/data/document.json)."""

from __future__ import annotations

import json

from .config import SiteConfig
from .i18n import Edition
from .model import Agency, Document


def document_json(config: SiteConfig, document: Document, agencies: dict[str, Agency],
                  editions: list[Edition]) -> str:
    """The model as JSON: chapters, sections, tasks and agencies, with each translated field."""
    translated = [e for e in editions if e.translation is not None]

    def fields(unit_id: str, field: str, chinese: str, name: str) -> dict:
        return {f"{name}_{e.lang}": e.translation.get(unit_id, field) for e in translated}

    data = {
        "title": config.title,
        **fields("document.title", "title", config.title, "title"),
        "preamble": [p.text for p in document.preamble],
        "chapters": [{"number": c.number, "title": c.title, **fields(f"chapter.{c.number}", "title", c.title, "title")}
                     for c in document.chapters],
        "sections": [{"number": s.number, "chapter": s.chapter, "title": s.title,
                      **fields(f"section.{s.number}", "title", s.title, "title")}
                     for s in document.sections],
        "tasks": [{"number": t.number, "chapter": t.chapter, "section": t.section, "text": t.text,
                   **fields(f"task.{t.number}", "text", t.text, "text"),
                   "agencies": list(t.clause.agencies), "modifier": t.clause.modifier,
                   "clause": t.clause.text}
                  for t in document.tasks],
        "agencies": [{"name": a.name, "full_name": a.full_name,
                      **fields(f"agency.{a.name}", "name", a.full_name, "full_name"),
                      **fields(f"agency.{a.name}", "short", a.name, "short_name"),
                      "kind": a.kind, "slug": a.slug,
                      "tasks": list(a.tasks), "first_listed": list(a.first_listed)}
                     for a in agencies.values()],
    }
    return json.dumps(data, ensure_ascii=False, indent=1) + "\n"
