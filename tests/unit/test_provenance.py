"""Where a publish came from (provenance.py): git and the GitHub Actions environment."""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from opencatalog import __version__
from opencatalog.provenance import Provenance, collect, describe

NOW = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def git(root: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True,
                          text=True).stdout.strip()


def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    (root / "catalog").mkdir(parents=True)
    (root / "catalog" / "catalog.yaml").write_text("profile: thai-gdc\n", "utf-8")
    git(root, "init", "-q")
    git(root, "remote", "add", "origin", "https://steward:ghp_secret123456789@github.com/cdd/catalog")
    git(root, "add", ".")
    git(root, "-c", "user.name=t", "-c", "user.email=t@x", "commit", "-qm", "first")
    return root


def test_from_github_actions(tmp_path: Path) -> None:
    env = {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "cdd/catalog",
           "GITHUB_RUN_ID": "42", "GITHUB_SHA": "a" * 40, "GITHUB_REF": "refs/pull/7/merge"}
    got = collect(repo(tmp_path), env, NOW)
    assert got == Provenance(tool=__version__, published_at="2026-12-01T09:30:00+00:00",
                             repository="https://github.com/cdd/catalog", commit="a" * 40,
                             ci_run="https://github.com/cdd/catalog/actions/runs/42",
                             pull_request="https://github.com/cdd/catalog/pull/7")
    line = describe(Provenance.parse(got.to_json()))
    assert "aaaaaaaaaaaa" in line and "pull/7" in line and __version__ in line


def test_from_a_laptop_with_uncommitted_changes(tmp_path: Path) -> None:
    root = repo(tmp_path)
    clean = collect(root, {}, NOW)
    assert clean.commit == git(root, "rev-parse", "HEAD") and not clean.dirty
    assert clean.repository == "https://github.com/cdd/catalog"  # credentials left out
    (root / "catalog" / "catalog.yaml").write_text("profile: ckan\n", "utf-8")
    dirty = collect(root, {}, NOW)
    assert dirty.dirty and "uncommitted" in describe(Provenance.parse(dirty.to_json()))


def test_outside_git(tmp_path: Path) -> None:
    got = collect(tmp_path, {}, NOW)
    assert (got.commit, got.repository, got.dirty) == (None, None, False)
    assert Provenance.parse("not json") == {} and Provenance.parse(None) == {}
