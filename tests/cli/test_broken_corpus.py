"""`opencatalog validate` on the broken-catalog corpus in tests/broken/.

Each case folder is a small repository with one defect; tests/broken/cases.yaml says
which exit code, finding code, file and line (YAML) or row (data) must come out.
Cases are copied to a temporary folder first, so the repository's own catalog (a
parent folder of tests/broken) cannot stand in for a missing one.
"""

from __future__ import annotations

import filecmp
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

BROKEN = Path(__file__).resolve().parent.parent / "broken"
CASES: list[dict[str, Any]] = yaml.safe_load((BROKEN / "cases.yaml").read_text("utf-8"))
BY_NAME = {c["case"]: c for c in CASES}

# The codes the corpus must keep covering (tests/broken is for these).
REQUIRED_CODES = {
    "yaml.syntax", "yaml.duplicate-key", "schema.unknown-key", "gdc.required", "schema.enum",
    "schema.pattern", "path.missing-data", "path.outside", "data.encoding-error",
    "datastore.column-name-too-long", "data.type-error", "data.constraint-error", "data.primary-key",
    "data.foreign-key", "portal.name-length", "portal.tag-characters", "portal.duplicate-title",
    "reference.organization",
}

KNOWN_BUGS: dict[str, str] = {}

SUBPROCESS_CASES = ["yaml-syntax", "schema-unknown-key", "path-outside-absolute",
                    "data-encoding-error", "data-foreign-key", "portal-tag-characters", "no-catalog"]


def _params(names: list[str]) -> list[Any]:
    return [pytest.param(BY_NAME[n], id=n, marks=[pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[n])]
                         if n in KNOWN_BUGS else []) for n in names]


def _copy_case(case: dict[str, Any], tmp_path: Path) -> Path:
    root = tmp_path / case["case"]
    shutil.copytree(BROKEN / case["case"], root)
    return root


def _check(case: dict[str, Any], exit_code: int, stdout: str, stderr: str) -> None:
    assert "Traceback" not in stdout and "Traceback" not in stderr
    assert "internal error" not in stderr
    assert exit_code == case["exit"], (stdout, stderr)
    if case["exit"] == 2:
        assert case["stderr_contains"] in stderr
        assert stdout == ""
        return
    report = json.loads(stdout)
    assert report["valid"] is False
    assert report["errors"] >= 1
    errors = [f for f in report["findings"] if f["severity"] == "error"]
    # One defect: every error is the expected kind (or a stated consequence of it).
    allowed = {case["code"], *case.get("also", [])}
    assert {f["code"] for f in errors} <= allowed, errors
    matching = [f for f in errors if f["code"] == case["code"]]
    assert matching, f"no {case['code']} finding in {errors}"
    assert any(f.get("file") == case["file"] for f in matching), matching
    here = [f for f in matching if f.get("file") == case["file"]]
    if "row" in case:  # data: the CSV row (header = row 1), which is also the line
        found = [f for f in here if f.get("row") == case["row"] and f.get("line") == case["row"]]
    else:
        found = [f for f in here if f.get("line") == case["line"]]
    assert found, f"expected {case['code']} at {case['file']}:{case.get('line', case.get('row'))}, " \
                  f"got {[(f.get('line'), f.get('row')) for f in here]}"
    finding = found[0]
    if "column" in case:
        assert finding.get("column") == case["column"]
    if "field" in case:
        assert finding.get("field") == case["field"]
    if "hint_contains" in case:
        assert case["hint_contains"] in finding.get("hint", "")
    if "message_contains" in case:
        assert case["message_contains"] in finding["message"]


@pytest.mark.parametrize("case", _params(list(BY_NAME)))
def test_case_in_process(case: dict[str, Any], tmp_path: Path, invoke) -> None:
    root = _copy_case(case, tmp_path)
    run = invoke("validate", "--root", root, "--format", "json")
    _check(case, run.exit_code, run.stdout, run.stderr)


GITHUB_CASES = [c["case"] for c in CASES if c["exit"] == 1 and c["case"] not in KNOWN_BUGS]


@pytest.mark.parametrize("case", _params(GITHUB_CASES))
def test_case_github_annotation(case: dict[str, Any], tmp_path: Path, invoke) -> None:
    """The same finding as a GitHub Actions annotation on the right file and line."""
    run = invoke("validate", "--root", _copy_case(case, tmp_path), "--format", "github")
    assert run.exit_code == 1
    line = case.get("line", case.get("row"))
    file = case["file"].replace(":", "%3A").replace(",", "%2C")
    wanted = f"::error file={file},line={line},"
    annotations = [a for a in run.stdout.splitlines() if a.startswith(wanted)]
    assert any(f"title={case['code']}::" in a for a in annotations), run.stdout
    assert run.stdout.splitlines()[-1].split(": ")[1].startswith("INVALID")


def _cli_command() -> list[str]:
    return [sys.executable, "-m", "opencatalog.commands.main"]


def _run(args: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "NO_COLOR": "1"}
    return subprocess.run(args, cwd=cwd, capture_output=True, text=True, encoding="utf-8",
                          env=env, timeout=120)


@pytest.mark.parametrize("case", _params(SUBPROCESS_CASES))
def test_case_subprocess(case: dict[str, Any], tmp_path: Path) -> None:
    root = _copy_case(case, tmp_path)
    proc = _run([*_cli_command(), "validate", "--root", str(root), "--format", "json"], tmp_path)
    _check(case, proc.returncode, proc.stdout, proc.stderr)


def test_console_script_text_output(tmp_path: Path) -> None:
    """The installed `opencatalog` script, human output: file:line:col, code and fix."""
    script = shutil.which("opencatalog", path=str(Path(sys.executable).parent)) or \
        shutil.which("opencatalog")
    command = [script] if script else _cli_command()
    case = BY_NAME["schema-unknown-key"]
    root = _copy_case(case, tmp_path)
    proc = _run([*command, "validate", "--root", str(root)], tmp_path)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stdout + proc.stderr
    assert f"{case['file']}:{case['line']}:{case['column']}" in proc.stdout
    assert "[schema.unknown-key]" in proc.stdout
    assert "did you mean 'license'?" in proc.stdout
    assert "INVALID" in proc.stdout


def test_no_catalog_from_inside_the_case_folder(tmp_path: Path) -> None:
    """Run without --root inside a folder with no catalog: exit 2, a message, no traceback."""
    root = _copy_case(BY_NAME["no-catalog"], tmp_path)
    proc = _run([*_cli_command(), "validate"], root / "datapackages")
    assert proc.returncode == 2
    assert "no catalog found" in proc.stderr
    assert "--root" in proc.stderr  # tells the user what to do
    assert "Traceback" not in proc.stdout + proc.stderr


def test_no_catalog_in_place_is_not_replaced_by_the_repository_catalog(invoke) -> None:
    """--root tests/broken/no-catalog lies inside this repository, whose own catalog is a parent."""
    run = invoke("validate", "--root", BROKEN / "no-catalog", "--format", "json")
    assert run.exit_code == 2
    assert "no catalog found" in run.stderr


def test_encoding_error_blames_only_the_broken_file(tmp_path: Path, invoke) -> None:
    case = BY_NAME["data-encoding-error"]
    run = invoke("validate", "--root", _copy_case(case, tmp_path), "--format", "json")
    findings = run.report["findings"]
    assert {f.get("file") for f in findings if f["severity"] == "error"} == {case["file"]}
    # the foreign keys into the broken file could not be checked, and the report says so
    assert [f["code"] for f in findings if f["severity"] == "warning"] == [
        "data.foreign-key-unchecked"]


# --- the corpus itself -----------------------------------------------------------------------


def test_every_case_folder_is_listed() -> None:
    folders = {p.name for p in BROKEN.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))}
    assert folders == set(BY_NAME)


def test_corpus_covers_the_required_codes() -> None:
    assert REQUIRED_CODES <= {c.get("code") for c in CASES}
    assert any(c["exit"] == 2 for c in CASES)
    outside = [c for c in CASES if c.get("code") == "path.outside"]
    assert {"path-outside-dotdot", "path-outside-absolute"} <= {c["case"] for c in outside}


def test_corpus_is_up_to_date(tmp_path: Path) -> None:
    """The committed corpus is exactly what make_corpus.py generates (regenerate if not)."""
    spec = importlib.util.spec_from_file_location("make_corpus", BROKEN / "make_corpus.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    module.write_corpus(tmp_path)
    for case in CASES:
        diff = filecmp.dircmp(BROKEN / case["case"], tmp_path / case["case"],
                              ignore=[*filecmp.DEFAULT_IGNORES, ".opencatalog"])
        stack = [diff]
        while stack:
            d = stack.pop()
            assert not (d.left_only or d.right_only or d.diff_files), (
                f"{d.left}: run `.venv/bin/python tests/broken/make_corpus.py`")
            _, mismatch, errors = filecmp.cmpfiles(d.left, d.right, d.common_files, shallow=False)
            assert not mismatch and not errors, mismatch
            stack.extend(d.subdirs.values())
    assert (tmp_path / "cases.yaml").read_text("utf-8") == (BROKEN / "cases.yaml").read_text("utf-8")


def test_encoding_case_is_real_cp874(tmp_path: Path) -> None:
    raw = (BROKEN / "data-encoding-error/datapackages/village-funds/provinces.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    assert "กรุงเทพมหานคร" in raw.decode("cp874")


def test_base_catalog_of_the_corpus_is_valid(make_catalog, invoke) -> None:
    """Without the mutation the corpus catalog passes, so each case's finding is its one defect."""
    run = invoke("validate", "--root", make_catalog(), "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert run.report["findings"] == []
    assert run.report["valid"] is True
