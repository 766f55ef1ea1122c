"""The corpus of real documents (tests/fixtures/real/): their headers, and the figures a build gives.

Run as a script, it builds every corpus document with a given build.py and prints, per document,
whether the figures match the hand counts — the measure of how many real documents a version of the
parser reads correctly:  python tests/corpus.py [PATH/TO/build.py]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import tomllib
from pathlib import Path

REAL = Path(__file__).resolve().parent / "fixtures" / "real"
ROOT = Path(__file__).resolve().parent.parent
FIGURES = ("chapters", "sections", "tasks", "clauses", "numbered_without_clause", "agencies", "leads", "parties")


def documents() -> list[str]:
    """The ids of the corpus documents, in order."""
    return sorted(p.name.removesuffix(".zh.txt") for p in REAL.glob("*.zh.txt") if p.with_name(p.name.replace(".zh.txt", ".toml")).exists())


def header(name: str) -> dict:
    return tomllib.loads((REAL / f"{name}.toml").read_text(encoding="utf-8"))


def _distinct(names) -> list[str]:
    return list(dict.fromkeys(names))


def figures(document: dict) -> dict:
    """The hand-countable figures of a built document.json."""
    tasks = document["tasks"]
    with_clause = [t for t in tasks if t["clause"]]
    return {
        "chapters": sum(1 for c in document["chapters"] if c["title"]),
        "sections": len(document["sections"]),
        "tasks": len(with_clause),
        "clauses": len(with_clause),
        "numbered_without_clause": len(tasks) - len(with_clause),
        "agencies": _distinct(name for t in tasks for name in t["agencies"]),
        "leads": _distinct(name for t in tasks for name in t["lead"]),
        "parties": _distinct(name for t in tasks for name in t.get("parties", [])),
    }


def build(name: str, out: Path, build_py: Path = ROOT / "build.py") -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(build_py), "--source", str(REAL / f"{name}.zh.txt"),
                           "--out", str(out)], capture_output=True, text=True, timeout=120)


def differences(name: str, out: Path) -> dict:
    """Figure → (expected, found) for every figure of the built document that differs from the hand count."""
    found = figures(json.loads((out / "data" / "document.json").read_text(encoding="utf-8")))
    expected = header(name)["expected"]
    return {key: (expected[key], found[key]) for key in FIGURES if expected[key] != found[key]}


def main(argv: list[str]) -> int:
    build_py = Path(argv[0]).resolve() if argv else ROOT / "build.py"
    right = 0
    with tempfile.TemporaryDirectory() as folder:
        for name in documents():
            out = Path(folder) / name
            result = build(name, out, build_py)
            if result.returncode != 0:
                errors = [line for line in result.stderr.splitlines() if line.startswith("error")]
                print(f"FAILS   {name}: {errors[0] if errors else result.stderr.strip()[-200:]}")
                continue
            diff = differences(name, out)
            right += not diff
            print(f"{'right' if not diff else 'WRONG':7} {name}" + "".join(
                f"\n        {key}: expected {want!r}, found {got!r}" for key, (want, got) in diff.items()))
    print(f"{right} of {len(documents())} corpus documents read with the hand-counted figures")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
