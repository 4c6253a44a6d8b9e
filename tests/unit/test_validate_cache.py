"""The validation cache: unchanged datasets are not re-checked, any change is a miss.

What was read is observed by counting the calls of the data check (the part that reads the
data files) and through `summary["cache"]` of the JSON report — never by timing.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

import opencatalog.validate as validate_module
from catalog_builder import copy_sample_catalog
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate
from opencatalog.validate.cache import CACHE_DIR, ValidationCache

ALL = ["cdd-awards-2566", "cdd-performance-2566", "cdd-programmes", "gdc-code-lists",
       "otop-product-categories", "thai-provinces"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    return copy_sample_catalog(tmp_path / "repo")


@pytest.fixture
def data_reads(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The datasets whose data files the validator checked, in order."""
    seen: list[str] = []
    real = validate_module.check_dataset_data

    def counting(catalog: Any, dataset: Any, engine: str = "auto", **options: Any) -> Any:
        seen.append(dataset.name)
        return real(catalog, dataset, engine=engine, **options)

    monkeypatch.setattr(validate_module, "check_dataset_data", counting)
    return seen


def run(root: Path, *args: str) -> tuple[Result, dict[str, Any]]:
    from opencatalog.commands.main import cli

    result = CliRunner().invoke(cli, ["validate", "--root", str(root), "--format", "json", *args],
                                obj={})
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result, json.loads(result.stdout)


def test_second_run_hits_the_cache(root: Path, data_reads: list[str]) -> None:
    _, first = run(root)
    assert first["summary"]["cache"]["misses"] == ALL and first["summary"]["cache"]["hits"] == []
    assert sorted(data_reads) == ALL
    assert len(list((root / CACHE_DIR).glob("*.json"))) == len(ALL)

    data_reads.clear()
    _, second = run(root)
    assert second["summary"]["cache"]["hits"] == ALL and second["summary"]["cache"]["misses"] == []
    assert data_reads == []
    assert second["findings"] == first["findings"]


def test_changed_data_file_is_a_miss(root: Path, data_reads: list[str]) -> None:
    run(root)
    data_reads.clear()
    csv = root / "datapackages/thai-provinces/provinces.csv"
    csv.write_text(csv.read_text("utf-8").replace("10,TH-10,", "1x,TH-10,", 1), "utf-8")
    result, body = run(root)
    assert body["summary"]["cache"]["misses"] == ["thai-provinces"]
    assert sorted(body["summary"]["cache"]["hits"]) == sorted(set(ALL) - {"thai-provinces"})
    assert data_reads == ["thai-provinces"]
    assert result.exit_code == 1 and any(f["code"].startswith("data.") for f in body["findings"])


def test_new_file_in_data_folder_is_a_miss(root: Path) -> None:
    run(root)
    (root / "datapackages/gdc-code-lists/README.md").write_text("notes\n", "utf-8")
    assert run(root)[1]["summary"]["cache"]["misses"] == ["gdc-code-lists"]


def test_schema_file_change_is_a_miss(root: Path) -> None:
    run(root)
    schema = root / "datapackages/thai-provinces/regions.schema.yaml"
    schema.write_text(schema.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert run(root)[1]["summary"]["cache"]["misses"] == ["thai-provinces"]


def test_referenced_files_and_options_are_in_the_key(root: Path) -> None:
    run(root)
    group = root / "catalog/groups/reference-data.yaml"
    group.write_text(group.read_text("utf-8") + "# edited\n", "utf-8")
    assert run(root)[1]["summary"]["cache"]["misses"] == [
        "gdc-code-lists", "otop-product-categories", "thai-provinces"]
    org = root / "catalog/organizations/cdd.yaml"
    org.write_text(org.read_text("utf-8") + "# edited\n", "utf-8")
    assert run(root)[1]["summary"]["cache"]["misses"] == ALL
    config = root / "catalog/catalog.yaml"
    config.write_text(config.read_text("utf-8") + "# edited\n", "utf-8")
    assert run(root)[1]["summary"]["cache"]["misses"] == ALL
    assert run(root, "--profile", "ckan")[1]["summary"]["cache"]["misses"] == ALL
    assert run(root, "--no-data")[1]["summary"]["cache"]["misses"] == ALL
    assert run(root, "--engine", "frictionless")[1]["summary"]["cache"]["misses"] == ALL
    assert run(root)[1]["summary"]["cache"]["hits"] == ALL


def test_tool_change_is_a_miss(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    run(root)
    monkeypatch.setattr("opencatalog.validate.cache.tool_fingerprint", lambda: "another build")
    assert run(root)[1]["summary"]["cache"]["misses"] == ALL


def test_no_cache_reads_everything(root: Path, data_reads: list[str]) -> None:
    run(root)
    data_reads.clear()
    _, body = run(root, "--no-cache")
    assert sorted(data_reads) == ALL
    assert body["summary"]["cache"]["hits"] == [] and body["summary"]["cache"]["enabled"] is False


def test_cached_findings_round_trip_exactly(root: Path) -> None:
    yaml_file = root / "catalog/datasets/thai-provinces.yaml"
    yaml_file.write_text(yaml_file.read_text("utf-8").replace("organization: cdd",
                                                              "organization: cdd\ncolour: blue"), "utf-8")
    csv = root / "datapackages/otop-product-categories"
    first_csv = sorted(csv.glob("*.csv"))[0]
    lines = first_csv.read_text("utf-8").splitlines(keepends=True)
    first_csv.write_text(lines[0] + "".join(lines[1:]) + "too,many,,,,,,,,,,,,fields\n", "utf-8")
    fresh, first = run(root)
    cached, second = run(root)
    assert fresh.exit_code == cached.exit_code == 1
    assert second["summary"]["cache"]["hits"] == ALL
    assert second["findings"] == first["findings"] and first["errors"] >= 2
    assert {f["code"].split(".")[0] for f in first["findings"]} >= {"schema", "data"}


def test_corrupt_entry_is_a_miss(root: Path) -> None:
    run(root)
    for entry in (root / CACHE_DIR).glob("*.json"):
        entry.write_text("{not json", "utf-8")
    _, body = run(root)
    assert body["summary"]["cache"]["misses"] == ALL
    assert run(root)[1]["summary"]["cache"]["hits"] == ALL


def test_validate_api_without_cache_is_unchanged(root: Path) -> None:
    catalog = load_catalog(root)
    report = validate(catalog)
    assert "cache" not in report.summary and report.datasets == ALL
    cache = ValidationCache(root)
    validate(catalog, cache=cache)
    assert cache.misses == ALL and cache.files_hashed > 0
