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
