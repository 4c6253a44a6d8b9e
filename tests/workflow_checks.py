"""Checks of GitHub Actions workflows shared by this repository's own (tests/cli/test_workflows.py)
and the ones `opencatalog init` writes (tests/cli/test_init.py)."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

# a published action pinned to a ref, or this repository's own action (`./`)
USES = re.compile(r"[\w.-]+/[\w.-]+(/[\w./-]+)?@[\w.-]+|\./")


def load_workflow(path: Path) -> dict[str, Any]:
    doc = yaml.safe_load(path.read_text("utf-8"))
    assert isinstance(doc, dict)
    if True in doc:  # YAML 1.1 reads the key `on` as true
        doc["on"] = doc.pop(True)
    return doc


def schema_errors(doc: dict[str, Any], schema_file: str) -> list[str]:
    """`doc` checked against a JSON Schema that check-jsonschema vendors (SchemaStore's)."""
    pytest.importorskip("check_jsonschema")
    jsonschema = pytest.importorskip("jsonschema")
    vendor = resources.files("check_jsonschema.builtin_schemas.vendor")
    schema = json.loads(vendor.joinpath(schema_file).read_text("utf-8"))
    validator_class = jsonschema.validators.validator_for(schema)
    errors = sorted(validator_class(schema).iter_errors(doc), key=lambda e: list(e.path))
    return [f"{list(e.path)}: {e.message}" for e in errors]


def check_structure(path: Path) -> None:
    doc = load_workflow(path)
    assert doc.get("name") and doc.get("on") and doc.get("jobs"), path
    for job_name, job in doc["jobs"].items():
        assert job.get("runs-on"), job_name
        assert job.get("steps"), job_name
        for step in job["steps"]:
            assert ("run" in step) != ("uses" in step), step
            if "uses" in step:
                assert USES.fullmatch(step["uses"]), step
    expressions = re.findall(r"\$\{\{(.*?)\}\}", path.read_text("utf-8"))
    assert all(e.count("(") == e.count(")") and e.count("'") % 2 == 0 for e in expressions)


def action_steps(doc: dict[str, Any], command: str) -> list[dict[str, Any]]:
    """The steps that run the OpenCatalog action with `command`."""
    return [s for s in steps(doc) if "uses" in s and not s["uses"].startswith("actions/")
            and s.get("with", {}).get("command") == command]


def steps(doc: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in doc["jobs"].values() for step in job["steps"]]


def check_validate_workflow(doc: dict[str, Any], action: str) -> None:
    """validate.yml, here and as `opencatalog init` writes it: the action does the work."""
    checkout = next(s for s in steps(doc) if s.get("uses", "").startswith("actions/checkout@"))
    assert checkout["with"]["fetch-depth"] == 0
    (validate,) = action_steps(doc, "validate")
    assert validate["uses"] == action
    assert validate["with"]["changed-since"] == "origin/${{ github.base_ref }}"
    assert "if" not in validate  # its exit status is the job's result
    (plan,) = action_steps(doc, "plan")
    assert plan["uses"] == action and plan["with"]["target"] == "production"
    assert plan["if"].startswith("env.") and plan["env"]["OPENCATALOG_TOKEN_PRODUCTION"] \
        == "${{ secrets.OPENCATALOG_TOKEN_PRODUCTION }}"
    assert "OPENCATALOG_TOKEN_PRODUCTION" not in doc["jobs"]["validate"].get("env", {})


def check_publish_workflow(doc: dict[str, Any], action: str) -> None:
    assert doc["on"]["push"]["branches"] == ["main"]
    assert doc["on"]["workflow_dispatch"]["inputs"]["dry_run"]["type"] == "boolean"
    assert doc["concurrency"] == {"group": "publish-production", "cancel-in-progress": False}
    (job,) = doc["jobs"].values()
    assert job["env"]["OPENCATALOG_TOKEN_PRODUCTION"] == "${{ secrets.OPENCATALOG_TOKEN_PRODUCTION }}"
    (validate,) = action_steps(doc, "validate")
    (plan,) = action_steps(doc, "plan")
    (publish,) = action_steps(doc, "publish")
    assert {validate["uses"], plan["uses"], publish["uses"]} == {action}
    assert plan["with"]["target"] == publish["with"]["target"] == "production"
    assert "dry_run" in plan["if"] and "dry_run" in publish["if"] and "if" not in validate
    names = [s.get("name", s.get("uses")) for s in steps(doc)]
    assert names.index("Validate") < names.index("Publish")
