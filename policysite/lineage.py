"""Stage 3, continued: who holds each agency's responsibilities today (content/lineage.toml).

Each entry says how the agency fared in the reforms since the document (renamed, merged, split …),
which bodies hold its responsibilities now, and the source that says so, with the words quoted.
A fact without a source is not recorded: an entry whose status is not "unknown" must name the page.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .config import read_toml
from .errors import Problems
from .model import Agency

STATUSES = ("unchanged", "renamed", "merged", "split", "abolished", "unknown")
BASES = ("direct", "national", "current-name")
"""How a source supports the entry: it states the change for this government; a national reform text
states it and a later source shows the local name; or a later source merely uses the name."""


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    quote: str


@dataclass(frozen=True)
class Lineage:
    """An agency's fate since the document, and the source of it."""

    status: str
    basis: str
    year: int  # 0 when no source gives it
    successors: tuple[str, ...]
    successors_en: tuple[str, ...]
    source: Source | None
    more_sources: tuple[Source, ...] = ()
    evidence: str = ""
    note: str = ""


def load_lineage(path: Path | None, agencies: dict[str, Agency], problems: Problems,
                 shared: bool = False) -> dict[str, Lineage]:
    """The lineage entries of the agencies the document names; problems name the file and the entry's line.
    A lineage shared by a government's documents (shared) may hold agencies this document does not name."""
    if path is None:
        return {}
    toml = read_toml(path)
    lineages = {}
    for name, entry in toml.data.items():
        line = toml.line_of(name)

        def fail(message: str) -> None:
            problems.error(path, line, f"lineage of {name}: {message}")

        if name not in agencies:
            if not shared:
                fail("the document names no agency of that name")
            continue
        status, basis = entry.get("status"), entry.get("basis", "")
        successors, english = tuple(entry.get("successors", ())), tuple(entry.get("successors_en", ()))
        if status not in STATUSES:
            fail(f"status must be one of {', '.join(STATUSES)}")
        elif status != "unknown" and not (entry.get("source_url") and entry.get("quote")):
            fail("every fact needs the source it comes from: give source_url and quote, or status = \"unknown\"")
        elif status != "unknown" and (basis not in BASES or not successors):
            fail(f"give successors and a basis ({', '.join(BASES)})")
        elif len(english) != len(successors):
            fail("successors_en needs one English name per successor")
        elif not isinstance(entry.get("year", 0), int):
            fail("year must be a number (0 when unknown)")
        else:
            source = Source(entry["source_url"], entry.get("source_title", ""), entry["quote"]) \
                if entry.get("source_url") else None
            lineages[name] = Lineage(status, basis, entry.get("year", 0), successors, english, source,
                                     tuple(Source(s["url"], s.get("title", ""), s.get("quote", ""))
                                           for s in entry.get("more_sources", ())),
                                     entry.get("evidence", ""), entry.get("note", ""))
    return lineages
