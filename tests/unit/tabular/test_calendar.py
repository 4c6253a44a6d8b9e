"""Buddhist-era dates (issue 20, item 4): `calendar: buddhist`, checked the same by both engines."""

from __future__ import annotations

from opencatalog.datastore.fields import table_spec
from opencatalog.datastore.rows import convert
from opencatalog.validate.tabular.engine import run_fast
from opencatalog.validate.tabular.reference import open_package

from .conftest import Both, package, resource

BE_CSV = """\
id,d,t
1,2566-10-15,15/10/2566
2,2567-02-29,29/02/2567
3,2566-02-29,29/02/2566
4,,
5,2566-13-01,x
6,2565-12-31,31/12/2565
"""
ID = {"name": "id", "type": "integer"}


def keys(found):  # noqa: ANN001, ANN201
    return [(e.type, e.row_number, e.field_name) for e in found]


def test_declared_buddhist_dates_iso_and_dd_mm_yyyy(both: Both) -> None:
    both.write("be", BE_CSV)
    fields = [ID, {"name": "d", "type": "date", "calendar": "buddhist",
                   "constraints": {"minimum": "2566-01-01"}},
              {"name": "t", "type": "date", "format": "%d/%m/%Y", "calendar": "buddhist"}]
    desc = package([resource("be", fields)])
    found = both(desc)
    # 29/02/2567 (29 February 2024) is a real day; 29/02/2566 (2023) is not
    assert keys(found) == [
        ("type-error", 4, "d"), ("type-error", 4, "t"),
        ("type-error", 6, "d"), ("type-error", 6, "t"),
        ("constraint-error", 7, "d"),
    ]
    assert found[1].message == (
        'Type error in the cell "29/02/2566" in row "4" and field "t" at position "3": type is '
        '"date/%d/%m/%Y" in the Buddhist calendar (พ.ศ.): not a real day in that format')
    assert found[4].message == (
        'The cell "2565-12-31" in row "7" and field "d" at position "2" does not conform to a '
        'constraint: constraint "minimum" is "2566-01-01" (พ.ศ.)')
    assert "29/02/2567" in (found[0].hint or "") or "พ.ศ." in (found[0].hint or "")


def test_the_fast_path_feeds_the_calendar_while_it_reads(tmp_path) -> None:
    from opencatalog.validate.tabular.calendar import prepare

    (tmp_path / "be.csv").write_text(BE_CSV, encoding="utf-8")
    fields = [ID, {"name": "d", "type": "date", "calendar": "buddhist"},
              {"name": "t", "type": "date", "format": "%d/%m/%Y", "calendar": "buddhist"}]
    desc, calendars = prepare(package([resource("be", fields)]))
    assert desc["resources"][0]["schema"]["fields"][1] == {"name": "d", "type": "string"}
    assert "be" in run_fast(open_package(desc, tmp_path), set(), 1000, calendars=calendars)
    assert calendars["be"].complete and calendars["be"].fed


def test_undeclared_buddhist_era_column_gets_one_finding(both: Both) -> None:
    both.write("be", BE_CSV)
    found = both(package([resource("be", [ID, {"name": "d", "type": "date"},
                                          {"name": "t", "type": "date", "format": "%d/%m/%Y"}])]))
    assert keys(found)[:2] == [("buddhist-era-suspected", None, "d"),
                               ("buddhist-era-suspected", None, "t")]
    assert found[0].message == (
        'Every year in field "d" is after 2400 (e.g. "2566-10-15"): the dates look Buddhist-era '
        "(พ.ศ.) and would be stored 543 years in the future")
    assert "`calendar: buddhist`" in (found[0].hint or "")
    # and the Gregorian reading refuses the real day 29/02/2567: frictionless's own type errors
    assert ("type-error", 3, "t") in keys(found)


def test_gregorian_dates_and_declared_gregorian_get_no_calendar_finding(both: Both) -> None:
    both.write("g", "id,d\n1,2023-10-15\n2,2567-01-01\n")
    assert both(package([resource("g", [ID, {"name": "d", "type": "date"}])])) == []
    both.write("f", "id,d\n1,2566-10-15\n")
    assert both(package([resource("f", [ID, {"name": "d", "type": "date", "calendar": "gregorian"}])])) == []


def test_buddhist_years(both: Both) -> None:
    both.write("y", "id,y\n1,2566\n2,566\n3,ปี\n")
    found = both(package([resource("y", [ID, {"name": "y", "type": "year", "calendar": "buddhist"}])]))
    assert keys(found) == [("type-error", 3, "y"), ("type-error", 4, "y")]
    both.write("u", "id,y\n1,2566\n2,2567\n")
    found = both(package([resource("u", [ID, {"name": "y", "type": "year"}])]))
    assert keys(found) == [("buddhist-era-suspected", None, "y")]


def test_the_datastore_gets_gregorian_dates_and_a_dictionary_note() -> None:
    spec = table_spec({"fields": [
        {"name": "d", "type": "date", "calendar": "buddhist", "title": "วันที่"},
        {"name": "t", "type": "date", "format": "%d/%m/%Y", "calendar": "buddhist"},
        {"name": "y", "type": "year", "calendar": "buddhist"}]})
    d, t, y = spec.columns
    assert convert(d, "2566-10-15") == "2023-10-15"
    assert convert(t, "29/02/2567") == "2024-02-29"
    assert convert(y, "2566") == 2023
    assert d.ckan_field() == {"id": "d", "type": "date", "info": {
        "label": "วันที่", "notes": "ในไฟล์ต้นทางเป็นปีพุทธศักราช (พ.ศ.) จัดเก็บเป็นคริสต์ศักราช (ค.ศ.) / "
                                  "Buddhist era (B.E.) in the source file, stored as Gregorian (C.E.)"}}
