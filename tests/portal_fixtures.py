"""Session fixtures: one real local CKAN portal for the integration and browser tests.

Registered as a plugin by tests/conftest.py (pytest_plugins), so every test folder sees
the same session-scoped `portal`.

Either uses a portal that is already running (OPENCATALOG_TEST_CKAN_URL and
OPENCATALOG_TEST_CKAN_TOKEN; optional OPENCATALOG_TEST_CKAN_PROFILE, default
"thai-gdc"), or brings one up in a temporary state dir on free ports and
purges it afterwards. The CKAN version is OPENCATALOG_TEST_CKAN_VERSION (2.10, 2.11
or 2.12; default the newest); each version's virtualenv is shared between runs and
portals (~/.cache/opencatalog/ckan-venv-<release>, or $OPENCATALOG_CKAN_VENV), built
once (about 40 s) and reused. `xloader_portal` is a third portal running ckanext-xloader
and its jobs worker.
"""
from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from pathlib import Path

import pytest

from opencatalog.portal import LocalPortalInfo, PortalError, portal_up, purge_portal
from opencatalog.portal.procs import free_port
from opencatalog.portal.venv import ckan_release

CKAN_VERSION = ckan_release(os.environ.get("OPENCATALOG_TEST_CKAN_VERSION") or None)


def _start(tmp_path_factory: pytest.TempPathFactory, name: str, schema: str | None,
           xloader: bool = False) -> tuple[LocalPortalInfo, Path]:
    state_dir = tmp_path_factory.mktemp(name)
    try:
        info = portal_up(state_dir=state_dir, port=free_port(), schema=schema,
                         echo=lambda msg: print(f"[portal] {msg}"), ckan=CKAN_VERSION,
                         xloader=xloader)
    except PortalError as exc:
        purge_portal(state_dir)
        pytest.fail(f"local portal did not start: {exc}", pytrace=False)
    return info, state_dir


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPortalInfo]:
    url = os.environ.get("OPENCATALOG_TEST_CKAN_URL")
    token = os.environ.get("OPENCATALOG_TEST_CKAN_TOKEN")
    if url and token:
        token_dir = tmp_path_factory.mktemp("external-portal")
        token_file = token_dir / "sysadmin.token"
        fd = os.open(token_file, os.O_WRONLY | os.O_CREAT, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(token)
        yield LocalPortalInfo(
            url=url.rstrip("/"), state_dir=token_dir, token_file=token_file,
            profile=os.environ.get("OPENCATALOG_TEST_CKAN_PROFILE", "thai-gdc"),
            max_resource_size_mb=int(os.environ.get("OPENCATALOG_TEST_CKAN_MAX_MB", "2048")),
        )
        return
    info, state_dir = _start(tmp_path_factory, "portal", None)
    try:
        yield info
    finally:
        purge_portal(state_dir)


@pytest.fixture(scope="session")
def portal_plain(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPortalInfo]:
    """A second portal in plain-CKAN mode (--schema none); shares the CKAN venv."""
    if os.environ.get("OPENCATALOG_TEST_CKAN_URL"):
        pytest.skip("plain-CKAN portal only when the tests start their own portals")
    info, state_dir = _start(tmp_path_factory, "portal-plain", "none")
    try:
        yield info
    finally:
        purge_portal(state_dir)


@pytest.fixture(scope="session")
def xloader_portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LocalPortalInfo]:
    """A GD Catalog portal that runs ckanext-xloader and its jobs worker, as production does."""
    if os.environ.get("OPENCATALOG_TEST_CKAN_URL"):
        pytest.skip("the xloader portal only when the tests start their own portals")
    info, state_dir = _start(tmp_path_factory, "portal-xloader", None, xloader=True)
    try:
        yield info
    finally:
        purge_portal(state_dir)


@pytest.fixture
def uniq() -> str:
    """A short random suffix: tests share one portal, names must not collide."""
    return secrets.token_hex(4)
