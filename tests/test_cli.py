"""The command line: summary, help, and failed builds that explain themselves and keep the old site."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SOURCE

SOURCE_NAME = "shanxi-12th-fyp-energy-saving-division.zh.txt"


def run(*args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture
def old_site(tmp_path):
    """An output folder holding a previous build, marked so that we can see it is untouched."""
    out = tmp_path / "site"
    out.mkdir()
    (out / "marker.txt").write_text("previous build")
    return out


def assert_failed_cleanly(result, old_site, *messages):
    assert result.returncode == 2, result.stderr
    assert "Traceback" not in result.stderr
    for message in messages:
        assert message in result.stderr, result.stderr
    assert [p.name for p in old_site.iterdir()] == ["marker.txt"]
    assert not [p for p in old_site.parent.iterdir() if p.name.startswith(".site.")]


def test_help_explains_every_option():
    result = run("--help")
    assert result.returncode == 0
    for option in ("--content", "--out", "--templates", "--strict", "--quiet"):
        assert option in result.stdout


def test_build_prints_a_one_line_summary(tmp_path):
    result = run("--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert re.search(r"^built \d+ pages \(\d+ files\) in .*out, \d+ warning\(s\), \d+\.\d\d s$",
                     result.stdout, re.M)
    assert "shanxi-2012-energy-saving-division: read UTF-8; normalized: blank-line 212, indentation 205, " \
           "private-use-line-end 200, private-use-superscript 1, stray-space 3" in result.stdout  # a line per document
    assert "state-council-2016-quantified-targets: read UTF-8; normalized: blank-line 12, stray-space 4, " \
           "table-cells 10" in result.stdout
    assert "note: no base URL (base_url in site.toml, or --base-url): pages carry no canonical link" in result.stdout
    assert not (tmp_path / "out" / "sitemap.xml").exists()
    published = run("--out", tmp_path / "published", "--base-url", "https://example.org/")
    assert "note:" not in published.stdout and (tmp_path / "published" / "sitemap.xml").is_file()


def test_successful_build_replaces_the_old_site(old_site):
    assert run("--out", old_site).returncode == 0
    assert not (old_site / "marker.txt").exists()
    assert (old_site / "zh" / "index.html").is_file()


def test_numbering_gap_fails_with_file_and_line(content, old_site):
    source = content / SOURCE_NAME
    source.write_text(source.read_text(encoding="utf-8").replace("\u3000\u30002.合理分解各行业节能目标",
                                                                  "\u3000\u30003.合理分解各行业节能目标"),
                      encoding="utf-8")
    result = run("--content", content, "--out", old_site)
    assert_failed_cleanly(result, old_site, f"{source}:10: task numbered 3, expected 2")


def test_agency_missing_from_registry_names_task_and_line(content, old_site):
    registry = content / "agencies.toml"
    registry.write_text(registry.read_text(encoding="utf-8").replace('["省妇联"]', '["省妇女联合会"]'),
                        encoding="utf-8")
    result = run("--content", content, "--out", old_site)
    assert_failed_cleanly(result, old_site,
                          f"{content / SOURCE_NAME}:413: task 143: agency 省妇联 is not in the registry")


def test_two_agencies_wanting_one_url_name_both(content, old_site):
    registry = content / "agencies.toml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        'slug = "sheng-fu-lian"', 'slug = "tuan-sheng-wei"'), encoding="utf-8")
    result = run("--content", content, "--out", old_site)
    assert_failed_cleanly(result, old_site, "agency 省妇联 and agency 团省委",
                          "both want the URL zh/agencies/tuan-sheng-wei/")


def test_invalid_registry_toml_names_the_line(content, old_site):
    registry = content / "agencies.toml"
    lines = registry.read_text(encoding="utf-8").splitlines()
    lines[10] = 'full_name = "unclosed'
    registry.write_text("\n".join(lines), encoding="utf-8")
    result = run("--content", content, "--out", old_site)
    assert_failed_cleanly(result, old_site, f"{registry}:11: invalid TOML")


@pytest.mark.parametrize("options", [(), ("--no-cache",)])  # templates compiled here, or in a helper process
def test_template_with_a_missing_variable_names_template_and_line(tmp_path, old_site, options):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    task = templates / "task.html"
    lines = task.read_text(encoding="utf-8").splitlines()
    lines.insert(6, "{{ no_such_variable }}")
    task.write_text("\n".join(lines), encoding="utf-8")
    result = run("--templates", templates, "--out", old_site, *options)
    assert_failed_cleanly(result, old_site, f"{task}:7: template error: UndefinedError: "
                                            "'no_such_variable' is undefined")


@pytest.mark.parametrize("options", [(), ("--no-cache",)])
def test_template_syntax_error_names_template_and_line(tmp_path, old_site, options):
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    (templates / "home.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n")
    result = run("--templates", templates, "--out", old_site, *options)
    assert_failed_cleanly(result, old_site, f"{templates / 'home.html'}:3: template error:")


def test_the_installed_policysite_command_builds_as_build_py_does(tmp_path):
    """README's quick start installs the project: `policysite build|serve|check|translations`."""
    command = Path(sys.executable).parent / "policysite"
    assert command.is_file(), "the quick start's `pip install -e .` puts the command beside python"
    helped = subprocess.run([str(command), "--help"], capture_output=True, text=True)
    assert helped.returncode == 0 and helped.stdout.startswith("usage: policysite")
    built = subprocess.run([str(command), "build", "--out", str(tmp_path / "out"), "--quiet"],
                           capture_output=True, text=True, cwd=tmp_path)
    assert built.returncode == 0, built.stderr
    assert (tmp_path / "out" / "zh" / "index.html").is_file()
    checked = subprocess.run([str(command), "check", str(SOURCE)], capture_output=True, text=True)
    assert checked.returncode == 0 and "144" in checked.stdout
