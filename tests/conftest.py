"""Shared fixtures: the real site built once, and small content folders to break on purpose."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policysite.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
CONTENT = ROOT / "content"
SOURCE = CONTENT / "shanxi-12th-fyp-energy-saving-division.zh.txt"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped content, built once for the whole session."""
    out = tmp_path_factory.mktemp("build") / "site"
    build(CONTENT, out)
    return out


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Path:
    """A library of four documents (tests/library.py), built once for the whole session."""
    from .library import make_library

    folder = tmp_path_factory.mktemp("library")
    out = folder / "site"
    build(make_library(folder / "content"), out)
    return out


@pytest.fixture
def content(tmp_path) -> Path:
    """A writable copy of the shipped content folder, for tests that alter it."""
    folder = tmp_path / "content"
    shutil.copytree(CONTENT, folder)
    return folder


def chromium_or_skip() -> str:
    """Path of Debian's chromium; in CI its absence fails the test instead of skipping it."""
    path = shutil.which("chromium")
    if path:
        return path
    if os.environ.get("CI"):
        pytest.fail("chromium is not installed, and CI must run the browser tests (.ci/run installs it)")
    pytest.skip("chromium is not installed (apt-get install chromium)")
