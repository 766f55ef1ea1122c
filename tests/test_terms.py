"""The term check: where an entry's Chinese uses a glossary term, its English uses the glossary's rendering
(or one the glossary allows), in any inflection; otherwise a warning at the entry's file and line, an
error under --strict."""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from policysite.terms import missed_terms, term_rules

from .conftest import ROOT

RULES = term_rules([
    {"zh": "脱硝", "en": "denitration (NOx removal)", "variants": ["denitrification"]},
    {"zh": "淘汰落后产能", "en": "phase out backward production capacity", "allowed": ["eliminate obsolete capacity"]},
    {"zh": "落后产能", "en": "backward production capacity"},
    {"zh": "脱硫", "en": "desulphurisation"},
    {"zh": "各市", "en": "each city / the cities"},
    {"zh": "化学需氧量", "en": "chemical oxygen demand (COD)"},
])


@pytest.mark.parametrize("chinese, english", [
    ("推进脱硝", "Promote denitration."),
    ("推进脱硝", "Promote NOx removal at power plants."),  # the part in brackets, alone
    ("加快淘汰落后产能", "Phasing out backward production capacity faster."),  # inflected
    ("加快淘汰落后产能", "Eliminate obsolete capacity."),  # allowed
    ("落后产能", "Backward Production Capacities"),  # capitalised, plural
    ("火电脱硫", "Desulfurization of thermal power units."),  # American spelling
    ("各市", "The cities shall …"),
    ("降低化学需氧量", "Cut COD."),
])
def test_a_rendering_is_found_in_any_form(chinese, english):
    assert missed_terms(chinese, english, RULES) == []


@pytest.mark.parametrize("chinese, english, missed", [
    ("推进脱硝", "Promote denitrification.", ["脱硝"]),  # a search variant is not a rendering
    ("火电脱硫脱硝", "Desulphurisation of power plants.", ["脱硝"]),
    ("加快淘汰落后产能", "Close outdated plants.", ["淘汰落后产能"]),  # the longer term only: 落后产能 is inside it
    ("落后产能和各市", "Outdated capacity in every prefecture.", ["落后产能", "各市"]),
])
def test_a_term_left_out_is_named(chinese, english, missed):
    assert [rule.zh for rule in missed_terms(chinese, english, RULES)] == missed


def _build(content, out, *options):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), "--content", str(content), "--out", str(out),
                           *options], capture_output=True, text=True)


def test_an_entry_that_misses_a_term_is_a_warning_at_its_line_and_an_error_when_strict(content, tmp_path):
    chapter = next(p for p in (content / "translations" / "en").glob("*.toml") if "[task.67]" in p.read_text("utf-8"))
    text = chapter.read_text(encoding="utf-8")
    start = text.index("[task.67]")
    entry = text[start:text.index("\n\n", start)]
    assert "denitration" in entry
    chapter.write_text(text.replace(entry, entry.replace("denitration", "denitrification")), encoding="utf-8")
    line = text[:start].count("\n") + 1

    done = _build(content, tmp_path / "site")
    assert done.returncode == 0 and (tmp_path / "site" / "en" / "index.html").exists()
    warning = f"warning: {chapter}:{line}: en: task.67: 脱硝 is not rendered as the glossary has it: " \
              f"“denitration (NOx removal)”"
    assert warning in done.stderr, done.stderr

    strict = _build(content, tmp_path / "strict", "--strict")
    assert strict.returncode == 2 and not (tmp_path / "strict").exists()
    assert warning.replace("warning:", "error:", 1) in strict.stderr and "Traceback" not in strict.stderr

    glossary = content / "glossary.toml"  # the glossary may allow the rendering, saying when it is right
    glossary.write_text(re.sub(r'(zh = "脱硝"\nen = "[^"]+"\n)',
                               r'\1allowed = ["denitrification"]\nallowed_note = "Only in quoting older texts."\n',
                               glossary.read_text(encoding="utf-8")), encoding="utf-8")
    assert _build(content, tmp_path / "allowed", "--strict").returncode == 0


def test_a_malformed_allowed_list_is_refused_at_its_line(content, tmp_path):
    glossary = content / "glossary.toml"
    text = glossary.read_text(encoding="utf-8")
    glossary.write_text(text.replace('zh = "脱硝"\n', 'zh = "脱硝"\nallowed = "NOx removal"\n'), encoding="utf-8")
    done = _build(content, tmp_path / "site")
    line = text[:text.index('zh = "脱硝"')].count("\n")  # the [[term]] line above it
    assert done.returncode == 2
    assert f"error: {glossary}:{line}: 脱硝: allowed should be a list of English renderings" in done.stderr, done.stderr
