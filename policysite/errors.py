"""Build errors that name a file and line, collected and reported together."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Problem:
    """One error or warning, located in a file."""

    path: Path | str
    line: int | None
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        return f"{where}: {self.message}"


class BuildError(Exception):
    """The build cannot go on; carries every problem found so far."""

    def __init__(self, problems: list[Problem] | Problem):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    def __reduce__(self):  # so that an error raised in a worker process reaches the parent whole
        return (BuildError, (self.problems,))


class Problems:
    """Collects errors and warnings during a stage, then raises them all at once."""

    def __init__(self) -> None:
        self.errors: list[Problem] = []
        self.warnings: list[Problem] = []

    def error(self, path, line, message) -> None:
        self.errors.append(Problem(path, line, message))

    def warn(self, path, line, message) -> None:
        self.warnings.append(Problem(path, line, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise BuildError(self.errors)
