"""Column names the DataStore cannot hold are validate errors at the schema's line (issue 20, item 5)."""

from __future__ import annotations

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML, replace_once
from opencatalog.datastore.decide import truncated
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate

SCHEMA = f"{DATA_DIR}/funds.schema.yaml"
HOUSEHOLDS = "จำนวนครัวเรือนทั้งหมดในหมู่บ้าน"
NAME_70 = HOUSEHOLDS[:23] + "1"  # 23 Thai characters (3 bytes each) and a digit
BASE_63 = HOUSEHOLDS[:21]


def _catalog(make_catalog, names: list[str], dataset_yaml: str = DATASET_YAML):
    fields = "".join(f"  - name: {n}\n    type: integer\n" for n in names)
    schema = "fields:\n  - name: fund_id\n    type: integer\n" + fields
    csv = "fund_id," + ",".join(names) + "\n1," + ",".join("1" for _ in names) + "\n"
    return load_catalog(make_catalog({SCHEMA: schema, f"{DATA_DIR}/funds.csv": csv,
                                      DATASET_FILE: dataset_yaml}))


def _columns(report):
    return [(f.code, f.file, f.line, f.field) for f in report.findings
            if f.code.startswith("datastore.")]


def test_a_70_byte_thai_header_is_an_error_at_its_schema_line(make_catalog) -> None:
    assert len(NAME_70.encode()) == 70
    report = validate(_catalog(make_catalog, [NAME_70]))
    assert _columns(report) == [("datastore.column-name-too-long", SCHEMA, 4, NAME_70)]
    [finding] = [f for f in report.findings if f.code.startswith("datastore.")]
    assert finding.message == (
        f"field name '{NAME_70}' is 70 bytes in UTF-8; DataStore (PostgreSQL) column names hold "
        "at most 63 bytes (about 21 Thai characters), so loading its rows would fail")
    assert "`title:`" in finding.hint and "name: col_2" in finding.hint
    assert finding.resource == "funds" and finding.dataset == "village-funds"
    assert not report.ok


def test_two_headers_equal_after_truncation(make_catalog) -> None:
    first, second = BASE_63 + "ปี2566", BASE_63 + "ปี2567"
    assert truncated(first) == truncated(second) == BASE_63
    report = validate(_catalog(make_catalog, [first, second]))
    assert _columns(report) == [
        ("datastore.column-name-too-long", SCHEMA, 4, first),
        ("datastore.column-name-too-long", SCHEMA, 6, second),
        ("datastore.column-name-collision", SCHEMA, 6, second),
    ]


def test_names_ckan_reserves(make_catalog) -> None:
    report = validate(_catalog(make_catalog, ["_id", "_note", "ok"]))
    assert _columns(report) == [
        ("datastore.column-name-reserved", SCHEMA, 4, "_id"),
        ("datastore.column-name-reserved", SCHEMA, 6, "_note"),
    ]


def test_not_a_finding_when_the_rows_are_not_loaded(make_catalog) -> None:
    off = replace_once(DATASET_YAML, "    schema: funds.schema.yaml\n",
                       "    schema: funds.schema.yaml\n    datastore: false\n")
    assert _columns(validate(_catalog(make_catalog, [NAME_70], off))) == []


def test_truncation_never_splits_a_character() -> None:
    assert truncated("a" + HOUSEHOLDS) == "a" + HOUSEHOLDS[:20]  # 61 bytes: a 22nd would be 64
    assert truncated("short") == "short"


def test_publish_refuses_before_any_portal_call(make_catalog) -> None:
    import pytest

    from opencatalog.publishing import InvalidCatalog, make_plan
    from opencatalog.targets import ResolvedTarget

    class NoPortal:
        def call(self, *args, **kwargs):
            raise AssertionError("the portal must not be called")

    target = ResolvedTarget(name="local", url="http://127.0.0.1:9", token="x", profile="thai-gdc")
    with pytest.raises(InvalidCatalog) as caught:
        make_plan(_catalog(make_catalog, [NAME_70]), target, client=NoPortal(), use_cache=False)
    assert [f.code for f in caught.value.report.errors] == ["datastore.column-name-too-long"]
