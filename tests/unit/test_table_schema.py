"""Table-schema rules at the schema file's own line (issue 20, items 4 and 7)."""

from __future__ import annotations

from catalog_builder import DATA_DIR, FUNDS_SCHEMA, replace_once
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate

SCHEMA = f"{DATA_DIR}/funds.schema.yaml"


def _findings(make_catalog, schema: str, prefix: str = "table-schema."):
    report = validate(load_catalog(make_catalog({SCHEMA: schema})))
    return [(f.code, f.file, f.line, f.field, f.message) for f in report.findings
            if f.code.startswith(prefix)]


def test_calendar_on_a_field_that_is_not_a_date(make_catalog) -> None:
    schema = replace_once(FUNDS_SCHEMA, "    title: จำนวนเงิน (บาท)\n",
                          "    title: จำนวนเงิน (บาท)\n    calendar: buddhist\n")
    assert _findings(make_catalog, schema) == [(
        "table-schema.calendar", SCHEMA, 12, "amount",
        "field 'amount' is of type integer: a calendar applies to date and year fields only")]


def test_unknown_calendar_and_unreadable_buddhist_format(make_catalog) -> None:
    schema = FUNDS_SCHEMA.replace("primaryKey:", """\
  - name: d
    type: date
    calendar: thai
  - name: t
    type: date
    format: "%d %B %Y"
    calendar: buddhist
primaryKey:""")
    found = _findings(make_catalog, schema)
    assert [(c, line, field) for c, _, line, field, _ in found] == [
        ("table-schema.calendar", 15, "d"), ("table-schema.calendar-format", 18, "t")]


def test_unknown_type_at_the_schema_line_with_the_valid_types(make_catalog) -> None:
    schema = replace_once(FUNDS_SCHEMA, "  - name: amount\n    type: integer\n",
                          "  - name: amount\n    type: int\n")
    report = validate(load_catalog(make_catalog({SCHEMA: schema})))
    assert [(f.code, f.file, f.line, f.column, f.field) for f in report.errors] == [
        ("table-schema.field-type", SCHEMA, 10, 11, "amount")]  # and no row is read
    assert report.errors[0].message == "field 'amount': type 'int' is not a Table Schema type"
    assert report.errors[0].hint.startswith("did you mean 'integer'? the types are: string, number")


def test_keys_naming_fields_or_resources_that_do_not_exist(make_catalog) -> None:
    schema = FUNDS_SCHEMA.replace("primaryKey: [fund_id]", "primaryKey: [fund_no]").replace(
        "reference: {resource: provinces, fields: [code]}",
        "reference: {resource: provinces, fields: [province]}")
    found = _findings(make_catalog, schema)
    assert [(c, line, field) for c, _, line, field, _ in found] == [
        ("table-schema.primary-key", 13, "fund_no"), ("table-schema.foreign-key", 16, "province")]
    assert found[1][4] == ("foreign key 1 points at field 'province' of resource 'provinces', "
                           "which has no such field")
    other = FUNDS_SCHEMA.replace("resource: provinces", "resource: province")
    [(code, _, line, field, message)] = _findings(make_catalog, other)
    assert (code, line, field) == ("table-schema.foreign-key", 16, "province")
    assert message == "foreign key 1 points at resource 'province', which this dataset does not have"


def test_inline_schema_points_at_the_dataset_yaml(make_catalog) -> None:
    from catalog_builder import DATASET_FILE, DATASET_YAML

    inline = replace_once(DATASET_YAML, "    schema: funds.schema.yaml\n",
                          "    schema:\n      fields:\n        - {name: fund_id, type: int}\n"
                          "        - {name: province_code, type: string}\n"
                          "        - {name: amount, type: integer}\n")
    report = validate(load_catalog(make_catalog({DATASET_FILE: inline})))
    assert [(f.code, f.file, f.line) for f in report.errors] == [
        ("table-schema.field-type", DATASET_FILE, 34)]  # the field's own line
