"""Browser fixtures: one headless Chromium (Debian's, driven by Playwright) for the session.

The browser is the system one, /usr/bin/chromium (or $OPENCATALOG_CHROMIUM): Playwright's
own browser download (`playwright install`) is never used. scripts/install-system-deps
installs Debian's `chromium` and `fonts-thai-tlwg`. Without either the tests FAIL with a
message saying so: CI installs them, so a missing browser is an error, not a skip.

Screenshots go to $OPENCATALOG_TEST_ARTIFACTS, default tests/browser/artifacts/ (gitignored);
a failing test leaves one of the page it failed on, named FAILED-<test>.png.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}
TIMEOUT_MS = 30_000  # per action; a loaded 2-core CI machine can be slow

Shot = Callable[[Any, str], Path]


def chromium_path() -> Path:
    return Path(os.environ.get("OPENCATALOG_CHROMIUM", "/usr/bin/chromium"))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    folder = Path(os.environ.get("OPENCATALOG_TEST_ARTIFACTS") or HERE / "artifacts")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _require_browser() -> None:
    exe = chromium_path()
    if not (exe.is_file() and os.access(exe, os.X_OK)):
        pytest.fail(f"Chromium not found at {exe}: the browser tests need Debian's chromium "
                    "and fonts-thai-tlwg; run scripts/install-system-deps (or set "
                    "OPENCATALOG_CHROMIUM to a Chromium executable).", pytrace=False)
    fc_list = shutil.which("fc-list")
    if fc_list:
        thai = subprocess.run([fc_list, ":lang=th", "family"], capture_output=True, text=True)
        if not thai.stdout.strip():
            pytest.fail("No Thai font installed: headless Chromium would draw Thai as empty "
                        "boxes; run scripts/install-system-deps (installs fonts-thai-tlwg).",
                        pytrace=False)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    _require_browser()
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("The Python package playwright is missing: pip install -e '.[dev]'",
                    pytrace=False)
    with sync_playwright() as pw:
        try:
            chromium = pw.chromium.launch(executable_path=str(chromium_path()),
                                          args=CHROMIUM_ARGS, timeout=60_000)
        except Exception as exc:  # noqa: BLE001 - say which browser failed and why
            pytest.fail(f"Chromium at {chromium_path()} did not start: {exc}", pytrace=False)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[Any]:
    report = yield
    if report.when == "call":
        item.stash[_FAILED] = report.failed
    return report


_FAILED = pytest.StashKey[bool]()


@pytest.fixture
def page(browser: Any, artifacts: Path, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (no cookies: an anonymous citizen) that accepts downloads."""
    context = browser.new_context(viewport=VIEWPORT, locale="th-TH", accept_downloads=True)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    try:
        yield tab
    finally:
        if request.node.stash.get(_FAILED, False):
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            try:
                tab.screenshot(path=str(artifacts / f"FAILED-{name}.png"), full_page=True)
            except Exception:  # noqa: BLE001 - the failure itself is what matters
                pass
        context.close()


@pytest.fixture
def shot(artifacts: Path) -> Shot:
    """shot(page, "03-dataset") saves a full-page screenshot and returns its path."""

    def take(tab: Any, name: str) -> Path:
        path = artifacts / f"{name}.png"
        tab.screenshot(path=str(path), full_page=True)
        return path

    return take
