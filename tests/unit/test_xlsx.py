"""XLSX workbooks with a table schema are tables (issue 20, item 2); without one they are files."""

from __future__ import annotations

import yaml

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML
from file_fixtures import VILLAGES_BAD, VILLAGES_OK, VILLAGES_SCHEMA, xlsx_bytes
from opencatalog.datastore.fields import table_spec
from opencatalog.datastore.rows import read_batches
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate
from opencatalog.validate.tabular import check_package

BOOK = xlsx_bytes({"ok": VILLAGES_OK, "bad": VILLAGES_BAD})


def _catalog(make_catalog, sheet: str | None, schema: bool = True):
    extra = "  - name: villages\n    title: {th: หมู่บ้าน}\n    path: villages.xlsx\n"
    if schema:
        extra += "    schema: villages.schema.yaml\n"
    if sheet:
        extra += f"    sheet: {sheet}\n"
    return load_catalog(make_catalog({
        DATASET_FILE: DATASET_YAML + extra, f"{DATA_DIR}/villages.xlsx": BOOK,
        f"{DATA_DIR}/villages.schema.yaml": yaml.safe_dump(VILLAGES_SCHEMA, allow_unicode=True)}))


def test_the_valid_sheet_validates(make_catalog) -> None:
    assert [f.code for f in validate(_catalog(make_catalog, "ok")).findings] == []


def test_the_invalid_sheet_gives_row_and_field(make_catalog) -> None:
    report = validate(_catalog(make_catalog, "bad"))
    assert [(f.code, f.file, f.line, f.row, f.field) for f in report.findings] == [
        ("data.type-error", f"{DATA_DIR}/villages.xlsx", 2, 2, "households"),
        ("data.type-error", f"{DATA_DIR}/villages.xlsx", 3, 3, "surveyed"),
    ]
    assert report.findings[0].message == (
        'Type error in the cell "หนึ่งร้อย" in row "2" and field "households" at position "3": '
        'type is "integer/default"')


def test_the_first_sheet_by_default_and_a_workbook_without_schema_is_a_file(make_catalog) -> None:
    assert validate(_catalog(make_catalog, None)).ok
    assert validate(_catalog(make_catalog, "bad", schema=False)).errors == []  # not read as a table


def test_both_engines_agree_on_a_workbook(tmp_path) -> None:
    (tmp_path / "v.xlsx").write_bytes(BOOK)
    for sheet in ("ok", "bad", 2):
        desc = {"name": "p", "resources": [{"name": "v", "path": "v.xlsx", "format": "xlsx",
                                            "dialect": {"excel": {"sheet": sheet}},
                                            "schema": VILLAGES_SCHEMA}]}
        fast = check_package(desc, tmp_path, engine="fast")
        ref = check_package(desc, tmp_path, engine="frictionless")
        assert [(e.key, e.message) for e in fast] == [(e.key, e.message) for e in ref]


def test_datastore_rows_of_a_worksheet(tmp_path) -> None:
    path = tmp_path / "v.xlsx"
    path.write_bytes(BOOK)
    [batch] = list(read_batches(path, table_spec(VILLAGES_SCHEMA), sheet="ok"))
    assert list(batch) == [
        {"code": "01", "village": "บ้านหนองบัว", "households": 120, "surveyed": "2023-10-15"},
        {"code": "02", "village": "บ้านโคกสูง", "households": 85, "surveyed": "2024-02-29"}]
    assert list(read_batches(path, table_spec(VILLAGES_SCHEMA), sheet=1)) == [batch]


def test_a_workbook_table_is_loaded_into_the_datastore_by_default(make_catalog) -> None:
    from opencatalog.desired.mapping import _datastore

    resource = _catalog(make_catalog, "ok").datasets[0].resources[-1]
    wanted = _datastore(resource)
    assert wanted is not None and (wanted.sheet, wanted.workbook) == ("ok", True)
