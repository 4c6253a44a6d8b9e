"""`opencatalog new` on files the tests generate: the dataset validates but for its placeholders."""

from __future__ import annotations

import hashlib
from pathlib import Path

import yaml
from click.testing import CliRunner

from catalog_builder import write_catalog
from opencatalog.commands.main import cli
from opencatalog.describe import field_names
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate
from steward_files import LONG_HEADER, write_steward_files

# what validate says about placeholders (and nothing else may be reported)
PLACEHOLDER_CODES = {"new.placeholder", "schema.enum", "schema.pattern", "portal.email",
                     "pdpa.data-category"}


def run_new(root: Path, *args: str):
    return CliRunner().invoke(cli, ["new", "--root", str(root), *args], obj={})


def test_new_writes_a_dataset_whose_only_findings_are_its_placeholders(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "repo")
    files = write_steward_files(tmp_path / "steward")
    result = run_new(root, "village-funds-2567", *map(str, files.values()))
    assert result.exit_code == 0, result.output
    assert "wrote catalog/datasets/village-funds-2567.yaml" in result.output
    text = (root / "catalog/datasets/village-funds-2567.yaml").read_text("utf-8")
    assert text.startswith("# yaml-language-server: $schema=../../.schemas/dataset.schema.json\n")
    assert "# one of: ข้อมูลระเบียน | ข้อมูลสถิติ" in text  # the choices beside the placeholder
    data = yaml.safe_load(text)
    assert data["gdc"]["data_format"] == ["CSV", "XLS"] and data["gdc"]["geo_coverage"] == "จังหวัด"
    assert "organization" not in data and "license" not in data  # the catalog's defaults
    resources = {r["name"]: r for r in data["resources"]}
    assert resources["funds-tis620"]["encoding"] == "cp874"
    assert "encoding" not in resources["funds-excel"]  # a BOM is UTF-8
    assert [r.get("sheet") for r in data["resources"][-2:]] == ["สรุปรายจังหวัด", "dates"]

    folder = root / "datapackages/village-funds-2567"
    schema = yaml.safe_load((folder / "funds.schema.yaml").read_text("utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    assert fields["col_1"] == {"name": "col_1", "title": "รหัสจังหวัด", "type": "string",
                               "constraints": {"required": True,  # leading zeros kept
                                               "enum": ["01", "10", "40", "50"]}}
    assert fields["col_3"]["type"] == "date" and fields["col_3"]["format"] == "%d/%m/%Y"
    assert fields["col_3"]["calendar"] == "buddhist"
    assert fields["col_4"] == {"name": "col_4", "title": LONG_HEADER, "type": "number",
                               "groupChar": ",", "constraints": {"required": True}}
    assert fields["col_5"]["type"] == "boolean" and fields["col_5"]["trueValues"] == ["ใช่"]
    assert fields["col_6"] == {"name": "col_6", "title": "ปีงบประมาณ", "type": "year",
                               "calendar": "buddhist", "constraints": {"required": True}}
    assert fields["budget_thb"]["type"] == "integer"
    assert fields["col_2"]["constraints"]["enum"] == ["กรุงเทพมหานคร", "ขอนแก่น", "ทดสอบ",
                                                      "เชียงใหม่"]
    # the copy's header holds the field names; every data row is the steward's bytes
    original, copy = files["cp874"].read_bytes(), (folder / "funds-tis620.csv").read_bytes()
    assert copy.split(b"\r\n", 1)[1] == original.split(b"\r\n", 1)[1]
    assert copy.startswith(b"col_1,col_2,col_3,col_4,col_5,col_6,budget_thb\r\n")
    assert (folder / "funds-excel.csv").read_bytes().startswith(b"\xef\xbb\xbfcol_1,")

    report = validate(load_catalog(root), profile="thai-gdc")
    assert report.errors and {f.code for f in report.findings} <= PLACEHOLDER_CODES, \
        [f.to_dict() for f in report.findings if f.code not in PLACEHOLDER_CODES]
    lines = {f.line for f in report.findings}
    assert all("TODO(opencatalog)" in text.splitlines()[line - 1] for line in lines)


def test_new_never_overwrites_without_force(tmp_path: Path) -> None:
    root = write_catalog(tmp_path / "repo")
    files = write_steward_files(tmp_path / "steward")
    assert run_new(root, "funds-a", str(files["utf8"])).exit_code == 0
    target = root / "catalog/datasets/funds-a.yaml"
    before = hashlib.sha256(target.read_bytes()).hexdigest()
    again = run_new(root, "funds-a", str(files["bom"]))
    assert again.exit_code == 1 and "exists already" in again.output
    assert hashlib.sha256(target.read_bytes()).hexdigest() == before
    assert run_new(root, "funds-a", str(files["bom"]), "--force").exit_code == 0
    assert run_new(root, "funds-b", str(tmp_path / "nope.csv")).exit_code == 1
    assert run_new(root, "Bad Name", str(files["utf8"])).exit_code == 1


def test_field_names_are_stable_ascii_within_63_bytes() -> None:
    names = field_names(["รหัส", "Province Code", "province code", LONG_HEADER, "2567", ""])
    assert names == ["col_1", "province_code", "province_code_2", "col_4", "c_2567", "col_6"]
    assert all(len(n.encode()) <= 63 for n in field_names(["x" * 100, "x" * 100]))
    assert field_names(["x" * 100, "x" * 100])[0] != field_names(["x" * 100, "x" * 100])[1]
