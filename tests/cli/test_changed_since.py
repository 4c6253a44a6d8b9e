"""`opencatalog validate --changed-since REF` in a temporary git repository of the sample catalog.

The sample catalog (catalog/ and datapackages/ of this repository) is copied into a fresh git
repository; each test commits a change and checks which datasets are validated.
All six sample datasets belong to the organization `cdd`; `reference-data` is the group of
gdc-code-lists, otop-product-categories and thai-provinces.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from catalog_builder import REPO_ROOT, copy_sample_catalog

ALL = ["cdd-awards-2566", "cdd-performance-2566", "cdd-programmes", "gdc-code-lists",
       "otop-product-categories", "thai-provinces"]
REFERENCE_DATA = ["gdc-code-lists", "otop-product-categories", "thai-provinces"]

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
         "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main", *args],
        cwd=root, capture_output=True, text=True, check=True)
    return done.stdout


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def validate(root: Path, *args: str) -> Result:
    from opencatalog.commands.main import cli

    result = CliRunner().invoke(cli, ["validate", "--root", str(root), *args], obj={})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result


def report(result: Result) -> dict[str, Any]:
    return json.loads(result.stdout)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = copy_sample_catalog(tmp_path / "repo")
    shutil.copy(REPO_ROOT / ".gitignore", root / ".gitignore")
    git(root, "init", "-q")
    commit(root, "sample catalog")
    return root


def test_broken_dataset_is_annotated_alone(repo: Path) -> None:
    yaml_file = repo / "catalog/datasets/thai-provinces.yaml"
    lines = yaml_file.read_text("utf-8").splitlines(keepends=True)
    lines.insert(1, "colour: blue\n")  # an unknown key on line 2
    yaml_file.write_text("".join(lines), "utf-8")
    commit(repo, "break thai-provinces")

    result = validate(repo, "--changed-since", "HEAD~1", "--format", "github")
    assert result.exit_code == 1, result.output
    annotations = [line for line in result.stdout.splitlines() if line.startswith("::")]
    assert annotations, result.stdout
    assert all(a.startswith("::error file=catalog/datasets/thai-provinces.yaml,line=")
               for a in annotations), annotations
    assert re.match(r"::error file=catalog/datasets/thai-provinces\.yaml,line=2\b.*colour",
                    annotations[0])
    assert "1 dataset(s) checked" in result.stdout
    assert "thai-provinces" in result.stderr

    as_json = report(validate(repo, "--changed-since", "HEAD~1", "--format", "json"))
    assert as_json["datasets"] == ["thai-provinces"]
    assert {f["dataset"] for f in as_json["findings"]} == {"thai-provinces"}
    # Before the breaking commit nothing changed: nothing to validate, and that is valid.
    unchanged = validate(repo, "--changed-since", "HEAD", "--format", "json")
    assert unchanged.exit_code == 0
    assert report(unchanged)["datasets"] == []


def test_organization_change_revalidates_its_datasets(repo: Path) -> None:
    org = repo / "catalog/organizations/cdd.yaml"
    org.write_text(org.read_text("utf-8") + "# reviewed\n", "utf-8")
    commit(repo, "touch the organization")
    result = validate(repo, "--changed-since", "HEAD~1", "--format", "json")
    assert result.exit_code == 0, result.output
    assert report(result)["datasets"] == ALL


def test_group_change_revalidates_only_its_datasets(repo: Path) -> None:
    group = repo / "catalog/groups/reference-data.yaml"
    group.write_text(group.read_text("utf-8") + "# reviewed\n", "utf-8")
    commit(repo, "touch a group")
    assert report(validate(repo, "--changed-since", "HEAD~1", "--format", "json"))["datasets"] \
        == REFERENCE_DATA


def test_catalog_yaml_change_revalidates_everything(repo: Path) -> None:
    config = repo / "catalog/catalog.yaml"
    config.write_text(config.read_text("utf-8") + "# reviewed\n", "utf-8")
    commit(repo, "touch catalog.yaml")
    assert report(validate(repo, "--changed-since", "HEAD~1", "--format", "json"))["datasets"] == ALL


def test_data_file_change_revalidates_its_dataset(repo: Path) -> None:
    csv = repo / "datapackages/thai-provinces/provinces.csv"
    csv.write_text(csv.read_text("utf-8").replace("10,TH-10,", "1x,TH-10,", 1), "utf-8")
    commit(repo, "a bad province code")
    result = validate(repo, "--changed-since", "HEAD~1", "--format", "json")
    body = report(result)
    assert body["datasets"] == ["thai-provinces"]
    assert result.exit_code == 1
    assert body["findings"] and all(f["dataset"] == "thai-provinces" for f in body["findings"])
    assert all(f["code"].startswith("data.") for f in body["findings"]), body["findings"]


def test_uncommitted_and_untracked_changes_count(repo: Path) -> None:
    schema = repo / "datapackages/otop-product-categories"
    (schema / "notes.txt").write_text("untracked\n", "utf-8")
    result = validate(repo, "--changed-since", "HEAD", "--format", "json")
    assert report(result)["datasets"] == ["otop-product-categories"]
    (schema / "notes.txt").unlink()
    csv = repo / "datapackages/thai-provinces/regions.csv"
    csv.write_text(csv.read_text("utf-8") + "\n", "utf-8")
    assert report(validate(repo, "--changed-since", "HEAD", "--format", "json"))["datasets"] \
        == ["thai-provinces"]


def test_unresolvable_ref_falls_back_to_everything(repo: Path) -> None:
    result = validate(repo, "--changed-since", "origin/no-such-branch", "--format", "json")
    assert result.exit_code == 0, result.output
    assert report(result)["datasets"] == ALL
    assert "cannot be resolved" in result.stderr and "whole catalog" in result.stderr
    assert report(result)["summary"]["changed_since"]["fallback"]


def test_not_a_git_repository_falls_back(tmp_path: Path) -> None:
    root = copy_sample_catalog(tmp_path / "plain")
    result = validate(root, "--changed-since", "main", "--format", "json")
    assert result.exit_code == 0
    assert report(result)["datasets"] == ALL
    assert "not a git repository" in result.stderr


def test_deleted_dataset_is_reported(repo: Path) -> None:
    git(repo, "rm", "-q", "-r", "catalog/datasets/cdd-programmes.yaml", "datapackages/cdd-programmes")
    git(repo, "commit", "-q", "-m", "retire cdd-programmes")
    result = validate(repo, "--changed-since", "HEAD~1", "--format", "json")
    assert result.exit_code == 0, result.output
    body = report(result)
    assert body["datasets"] == []
    assert body["summary"]["changed_since"]["deleted"] == ["catalog/datasets/cdd-programmes.yaml"]
    deleted = [f for f in body["findings"] if f["code"] == "dataset.deleted"]
    assert deleted and deleted[0]["severity"] == "info" and deleted[0]["dataset"] == "cdd-programmes"
    assert "cdd-programmes" in result.stderr and "deleted" in result.stderr


def test_paths_and_changed_since_intersect(repo: Path) -> None:
    org = repo / "catalog/organizations/cdd.yaml"
    org.write_text(org.read_text("utf-8") + "# reviewed\n", "utf-8")
    result = validate(repo, str(repo / "catalog/datasets/thai-provinces.yaml"),
                      "--changed-since", "HEAD", "--format", "json")
    assert report(result)["datasets"] == ["thai-provinces"]


def test_pre_commit_paths_select_dependent_datasets(repo: Path) -> None:
    """The pre-commit hook passes changed files: organization/group files and catalog.yaml too."""
    group = validate(repo, str(repo / "catalog/groups/reference-data.yaml"), "--format", "json")
    assert report(group)["datasets"] == REFERENCE_DATA
    config = validate(repo, str(repo / "catalog/catalog.yaml"), "--format", "json")
    assert report(config)["datasets"] == ALL
    broken = repo / "catalog/datasets/thai-provinces.yaml"
    broken.write_text("name: [unclosed\n", "utf-8")
    result = validate(repo, str(broken), "--format", "json")
    assert result.exit_code == 1, result.output
    assert [f["file"] for f in report(result)["findings"]] == ["catalog/datasets/thai-provinces.yaml"]
