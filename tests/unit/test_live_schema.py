"""The catalog against a portal's live scheming schema (pure: the schema dict is given)."""

from __future__ import annotations

from typing import Any

from opencatalog.current.live_schema import parse_live_schema
from opencatalog.desired.mapping import desired_state
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.portal.schema import build_schema
from opencatalog.validate.live_schema import check_live_schema


def department_schema(**changes: Any) -> dict[str, Any]:
    """The GD schema the local portal runs, changed the way a department's portal might be."""
    schema = build_schema()
    fields = {f["field_name"]: f for f in schema["dataset_fields"]}
    for name, change in changes.items():
        if change is None:
            fields.pop(name)
        else:
            fields[name] = {"field_name": name, "label": name, **change}
    schema["dataset_fields"] = list(fields.values())
    return schema


def findings_for(make_catalog, schema: dict[str, Any]):
    desired = desired_state(load_catalog(make_catalog()), "thai-gdc")
    return check_live_schema(desired, parse_live_schema(schema)), desired


def test_the_standard_schema_finds_nothing(make_catalog) -> None:
    findings, _ = findings_for(make_catalog, build_schema())
    assert findings == []


def test_a_field_the_department_requires(make_catalog) -> None:
    findings, _ = findings_for(make_catalog, department_schema(
        department_code={"required": True}, data_classification={"required": True}))
    by_field = {f.field: f for f in findings}
    assert set(by_field) == {"department_code"}  # data_classification is set by the dataset
    finding = by_field["department_code"]
    assert finding.code == "portal.schema-required" and finding.severity == "error"
    assert "the GD Catalog standard has no such field" in finding.message
    assert finding.file == "catalog/datasets/village-funds.yaml" and finding.line


def test_choices_that_differ_from_the_standard(make_catalog) -> None:
    findings, _ = findings_for(make_catalog, department_schema(
        objective={"preset": "multiple_checkbox", "validators": "scheming_multiple_choice",
                   "choices": [{"value": "ยุทธศาสตร์ชาติ"}]},
        geo_coverage={"choices": [{"value": "ประเทศ"}]}))
    by_field = {f.field: f for f in findings}
    assert by_field["objective"].severity == "error"  # the portal refuses it
    assert by_field["geo_coverage"].severity == "warning"  # stored, but not in the list
    assert "'พันธกิจหน่วยงาน'" in by_field["objective"].message
    assert "differ from the GD Catalog standard" in by_field["objective"].message
    assert by_field["objective"].hint == "use one of: ยุทธศาสตร์ชาติ"


def test_a_field_the_portal_would_drop_is_named_and_not_sent(make_catalog) -> None:
    findings, desired = findings_for(make_catalog, department_schema(first_year_of_data=None))
    [finding] = findings
    assert finding.code == "portal.schema-drops" and finding.field == "first_year_of_data"
    assert "'2566'" in finding.message
    assert "first_year_of_data" not in desired.datasets[0].fields  # a re-plan stays empty
