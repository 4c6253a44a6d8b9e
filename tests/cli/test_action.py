"""The reusable action's command step (action/run), run here as GitHub runs it: environment in,
log, step summary, outputs and the exit status out."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from opencatalog.scaffold import Answers, init_catalog

REPO = Path(__file__).resolve().parents[2]
RUN = REPO / "action" / "run"


@pytest.fixture
def agency(tmp_path) -> Path:
    root = tmp_path / "agency"
    init_catalog(root, Answers(organization="moi-dla", title_th="กรมส่งเสริมการปกครองท้องถิ่น",
                               title_en="Department of Local Administration",
                               url="https://data.dla.go.th", contact_email="data@dla.go.th",
                               example=True))
    return root


def run_action(root: Path, tmp_path: Path, **inputs: str) -> tuple[subprocess.CompletedProcess,
                                                                     str, dict[str, str]]:
    summary, output = tmp_path / "summary.md", tmp_path / "output.txt"
    summary.write_text("", "utf-8")
    output.write_text("", "utf-8")
    env = {**os.environ, "GITHUB_STEP_SUMMARY": str(summary), "GITHUB_OUTPUT": str(output),
           # the opencatalog command of the interpreter running the tests
           "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
           **{f"OPENCATALOG_{k.upper()}": v for k, v in inputs.items()}}
    done = subprocess.run([str(RUN)], cwd=root, env=env, capture_output=True, text=True, timeout=120)
    outputs = dict(line.split("=", 1) for line in output.read_text("utf-8").splitlines())
    return done, summary.read_text("utf-8"), outputs


def test_validate_passes_annotations_summary_and_status(agency, tmp_path):
    done, summary, outputs = run_action(agency, tmp_path, command="validate")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "1 dataset(s) checked (thai-gdc): valid" in done.stdout
    assert summary.startswith("## ✅ OpenCatalog validate")
    assert outputs == {"exit-code": "0"}


def test_an_invalid_catalog_fails_the_step_with_annotations(agency, tmp_path):
    dataset = next((agency / "catalog/datasets").glob("*.yaml"))
    dataset.write_text(dataset.read_text("utf-8") + "colour: blue\n", "utf-8")
    done, summary, outputs = run_action(agency, tmp_path, command="validate", args="--no-data")
    assert done.returncode == 1
    assert f"::error file=catalog/datasets/{dataset.name},line=" in done.stdout
    assert "unknown key 'colour'" in done.stdout and "## ❌ OpenCatalog validate" in summary
    assert outputs == {"exit-code": "1"}
    done, summary, _ = run_action(agency, tmp_path, command="validate", summary="false",
                                  format="json")
    assert done.returncode == 1 and done.stdout.lstrip().startswith("{") and summary == ""


def test_a_usage_error_passes_through(agency, tmp_path):
    # plan --detailed-exitcode: 1 is an error (2 would be "changes pending", a success)
    done, _, outputs = run_action(agency, tmp_path, command="plan", target="nowhere")
    assert done.returncode == 1 and "no target 'nowhere'" in done.stderr
    assert outputs == {"changes": "false", "exit-code": "1"}
    done, _, outputs = run_action(agency, tmp_path, command="deploy")
    assert done.returncode == 2 and "::error" in done.stdout and outputs == {"exit-code": "2"}
