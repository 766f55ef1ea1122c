"""What a build did: pages written, normalization, warnings, time per stage (light: no heavy imports)."""

from __future__ import annotations

import sys
import time
from contextlib import contextmanager
from dataclasses import dataclass, field

from .errors import Problem


@dataclass
class BuildResult:
    """What a build did: pages written, the changes normalization made, warnings, time per stage."""

    pages: int = 0
    files: int = 0
    rendered: int = 0  # pages rendered; the others were kept from the last build (the cache)
    unchanged: bool = False  # nothing changed since the last build: nothing was done
    changes: dict[str, int] = field(default_factory=dict)  # over all documents
    reads: dict[str, tuple[str, dict]] = field(default_factory=dict)  # per document: (encoding, changes)
    warnings: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what the build left out, and why (not a problem)
    coverage: dict[str, str] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)
    peak_bytes: dict[str, int] = field(default_factory=dict)  # filled only while tracemalloc traces

    def report(self) -> dict:
        """What the build said, for the cache to say again when nothing has changed."""
        return {"pages": self.pages, "files": self.files, "changes": self.changes, "reads": self.reads,
                "warnings": [[str(p.path), p.line, p.message] for p in self.warnings], "notes": self.notes,
                "coverage": self.coverage}

    @classmethod
    def replay(cls, report: dict) -> "BuildResult":
        """The result of a build that found nothing changed since the one that made the report."""
        return cls(pages=report["pages"], files=report["files"], changes=report["changes"],
                   reads={doc: tuple(read) for doc, read in report["reads"].items()},
                   warnings=[Problem(*warning) for warning in report["warnings"]], notes=report["notes"],
                   coverage=report["coverage"], unchanged=True)

    @contextmanager
    def stage(self, name: str):
        """Time a stage (and, when tracemalloc is tracing, record its peak memory)."""
        tracemalloc = sys.modules.get("tracemalloc")  # imported (and started) by the benchmark, if at all
        tracing = tracemalloc is not None and tracemalloc.is_tracing()
        if tracing:
            tracemalloc.reset_peak()
        start = time.perf_counter()
        yield
        self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
        if tracing:
            self.peak_bytes[name] = tracemalloc.get_traced_memory()[1]
