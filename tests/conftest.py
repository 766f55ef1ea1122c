"""Shared fixtures: the real site built once, and small content folders to break on purpose."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from policysite.pipeline import build

ROOT = Path(__file__).resolve().parent.parent
LIBRARY = ROOT / "content"  # the shipped library
CONTENT = LIBRARY / "documents" / "shanxi-2012-energy-saving-division"  # its Shanxi document, a content folder too
SOURCE = CONTENT / "shanxi-12th-fyp-energy-saving-division.zh.txt"


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """The shipped Shanxi document built alone (as a content folder of one document), once per session."""
    out = tmp_path_factory.mktemp("build") / "site"
    build(CONTENT, out)
    return out


@pytest.fixture(scope="session")
def library(tmp_path_factory) -> Path:
    """The shipped library, built once for the whole session."""
    out = tmp_path_factory.mktemp("library") / "site"
    build(LIBRARY, out)
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


@pytest.fixture(scope="module")
def base_url(site):
    """The Shanxi site served on loopback."""
    from .browser import serve

    with serve(site) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from .browser import chromium

    with chromium() as browser:
        yield browser


@pytest.fixture
def page(browser):
    """A fresh page that fails the test on any script error or console error."""
    context = browser.new_context(viewport={"width": 1200, "height": 900})
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda message: message.type == "error" and errors.append(message.text))
    yield page
    context.close()
    assert errors == []
