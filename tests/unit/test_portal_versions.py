"""`portal up --ckan`: which release each version installs, where its venv lives, and the
refusals that protect a portal's database and a shared venv (no services started here)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from opencatalog.portal import PortalError, portal_up
from opencatalog.portal.state import Layout, PortalState, save_state
from opencatalog.portal.venv import (
    CKAN_RELEASES,
    CKAN_VERSION,
    MARKER,
    ckan_release,
    ensure_venv,
    requirements,
    venv_path,
    venv_ready,
)


def test_each_supported_version_maps_to_one_release_and_the_newest_is_the_default():
    assert ckan_release("2.10") == ckan_release("2.10.7") == "2.10.7"
    assert ckan_release("2.11") == "2.11.4"
    assert ckan_release(None) == CKAN_VERSION == CKAN_RELEASES[max(CKAN_RELEASES)]
    with pytest.raises(PortalError, match="2.9 is not supported.*2.10, 2.11, 2.12"):
        ckan_release("2.9")


def test_each_release_has_its_own_venv_in_the_cache(monkeypatch, tmp_path):
    monkeypatch.delenv("OPENCATALOG_CKAN_VENV", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert venv_path("2.10.7") == tmp_path / "opencatalog" / "ckan-venv-2.10.7"
    assert venv_path("2.12.0") != venv_path("2.10.7")
    monkeypatch.setenv("OPENCATALOG_CKAN_VENV", str(tmp_path / "mine"))
    assert venv_path("2.10.7") == (tmp_path / "mine").resolve()


def _fake_venv(path: Path, release: str, **extra: str) -> Path:
    (path / "bin").mkdir(parents=True)
    (path / "bin" / "ckan").write_text("")
    (path / MARKER).write_text(json.dumps({"requirements": " ".join(requirements(release)),
                                           **extra}))
    return path


def test_xloader_counts_as_built_only_once_added(tmp_path):
    venv = _fake_venv(tmp_path / "v", "2.11.4")
    assert venv_ready(venv, "2.11.4")
    assert not venv_ready(venv, "2.11.4", xloader=True)
    assert not venv_ready(venv, "2.10.7")


def test_a_venv_of_another_release_is_refused_not_wiped(monkeypatch, tmp_path):
    venv = _fake_venv(tmp_path / "shared", "2.12.0")
    monkeypatch.setenv("OPENCATALOG_CKAN_VENV", str(venv))
    with pytest.raises(PortalError, match="holds another CKAN .*2.12.0.*not 2.10.7"):
        ensure_venv(venv, "2.10.7", False, tmp_path / "pip.log", print)
    assert (venv / "bin" / "ckan").exists()


def test_a_portal_keeps_the_ckan_it_was_created_with(tmp_path):
    layout = Layout(tmp_path / "state")
    save_state(layout, PortalState(initialized=True, ckan_version="2.12.0"))
    with pytest.raises(PortalError, match="created with CKAN 2.12.0.*cannot be moved to CKAN "
                                          "2.10.7.*another --state-dir"):
        portal_up(state_dir=layout.root, ckan="2.10", echo=lambda _: None)


def test_a_state_written_before_versions_were_recorded_is_2_12(tmp_path):
    layout = Layout(tmp_path / "state")
    layout.root.mkdir()
    layout.state_file.write_text(json.dumps({"initialized": True, "profile": "thai-gdc"}))
    with pytest.raises(PortalError, match="created with CKAN 2.12.0"):
        portal_up(state_dir=layout.root, ckan="2.11", echo=lambda _: None)
