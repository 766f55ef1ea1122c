#!/usr/bin/env python3
"""Make a test library of N documents of realistic size, derived from the real ones.

    .venv/bin/python benchmarks/make_library.py N FOLDER

Each document is the Shanxi division (144 tasks) with about a tenth of its tasks left out and the
rest renumbered, retitled, and issued by one of about N/5 governments whose agencies are a
varied mix: each government renames the agencies it takes over and adds some of its own, and
each document shuffles who is named in which clause. Nothing is registered (the agencies are
registered automatically) and nothing is translated: the English edition shows the Chinese, marked
as pending. The same N and seed give the same library.
"""

from __future__ import annotations

import random
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHANXI = ROOT / "content" / "documents" / "shanxi-2012-energy-saving-division" / "shanxi-12th-fyp-energy-saving-division.zh.txt"
CORPUS = ROOT / "tests" / "fixtures" / "real"
CLAUSE = re.compile(r"（([^（）]*?)(等有关部门|会同有关部门)?负责）(\ue004*)$")
"""A clause as the Shanxi text writes it (the web page left U+E004 at line ends)."""
TASK = re.compile(r"^(\u3000*)(\d+)\.")
PLACES = ["太原", "大同", "阳泉", "长治", "晋城", "朔州", "晋中", "运城", "忻州", "临汾", "吕梁", "苏州", "无锡",
          "常州", "南通", "扬州", "镇江", "泰州", "徐州", "盐城"]


def derive(text: str, rng: random.Random, names: dict[str, str]) -> str:
    """The text with a tenth of its tasks left out, the rest renumbered, and its agencies renamed and shuffled."""
    out, number = [], 0
    for line in text.split("\n"):
        task = TASK.match(line)
        if task and rng.random() < 0.1 and number > 0:
            continue  # leave this task out
        if task:
            number += 1
            line = f"{task.group(1)}{number}." + line[task.end():]
        clause = CLAUSE.search(line)
        if clause:
            agencies = [names.get(a, a) for a in clause.group(1).split("、") if a]
            rng.shuffle(agencies)
            line = line[:clause.start()] + f"（{'、'.join(agencies)}{clause.group(2) or ''}负责）{clause.group(3)}"
        out.append(line)
    return "\n".join(out)


def agency_names(text: str) -> list[str]:
    """The agencies the clauses name."""
    return sorted({a for line in text.split("\n") for m in [CLAUSE.search(line)] if m
                   for a in m.group(1).split("、") if a})


def make(count: int, folder: Path, seed: int = 1) -> Path:
    """Write a library of count documents into folder; returns it."""
    rng = random.Random(seed)
    shanxi = SHANXI.read_text(encoding="utf-8")
    originals = agency_names(shanxi)
    governments = max(1, count // 5)
    lines = ['[library]', 'title.zh = "测试文件库"', 'title.en = "A test library"', '', '[site]',
             'languages = ["zh", "en"]', '']
    mixes = []
    for g in range(governments):
        place = PLACES[g % len(PLACES)] + (str(g // len(PLACES)) if g >= len(PLACES) else "")
        lines += [f'[governments.g{g}]', f'zh = "{place}市"', f'en = "{place} City (test)"', 'level = "city"', '']
        own = [f"市{place}第{i}局" for i in range(rng.randint(3, 12))]
        mixes.append({name: rng.choice([name.replace("省", "市", 1), *own]) for name in originals})
    (folder / "documents").mkdir(parents=True, exist_ok=True)
    (folder / "site.toml").write_text("\n".join(lines), encoding="utf-8")
    for d in range(count):
        g = d % governments
        doc = folder / "documents" / f"doc-{d + 1:03d}"
        doc.mkdir()
        (doc / "source.zh.txt").write_text(derive(shanxi, rng, mixes[g]), encoding="utf-8")
        year = 2011 + d % 14
        (doc / "site.toml").write_text(
            f'[document]\nsource = "source.zh.txt"\ntitle = "{year}年节能减排工作部门分工（测试文件{d + 1}）"\n'
            f'government = "g{g}"\nyear = {year}\n', encoding="utf-8")
    return folder


if __name__ == "__main__":
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit(__doc__)
    make(int(sys.argv[1]), Path(sys.argv[2]))
    print(f"wrote a library of {sys.argv[1]} documents to {sys.argv[2]}")
