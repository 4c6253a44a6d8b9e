"""The shipped JSON Schemas never drift from the builder or from the GD Catalog reference."""

from __future__ import annotations

import json
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from jsonschema import Draft202012Validator

from opencatalog.gdc import CORE_DATASET_FIELDS, CORE_RESOURCE_FIELDS, OTHER
from opencatalog.licenses import GDC_TO_CKAN
from opencatalog.schemas.build import SCHEMAS, render, shipped

SCHEMA_DIR = Path(str(files("opencatalog").joinpath("schemas")))
NAMES = sorted(SCHEMAS)


def _reference() -> dict[str, Any]:
    """The packaged reference, read directly (not through opencatalog.gdc)."""
    text = files("opencatalog").joinpath("reference/gd-catalog-fields.yaml").read_text("utf-8")
    return yaml.safe_load(text)


def _choices(field: dict[str, Any], by_name: dict[str, dict[str, Any]]) -> list[str] | None:
    if field.get("choices"):
        return [str(c) for c in field["choices"]]
    note = field.get("note") or ""
    if note.startswith("same choices as "):
        return [str(c) for c in by_name[note.removeprefix("same choices as ")]["choices"]]
    return None


def _enum(prop: dict[str, Any]) -> list[Any]:
    if prop.get("type") == "array":
        return prop["items"]["enum"]
    return prop["enum"]


def test_the_four_kinds_are_shipped() -> None:
    assert NAMES == ["catalog", "dataset", "group", "organization"]
    assert sorted(p.name for p in SCHEMA_DIR.glob("*.schema.json")) == \
        [f"{n}.schema.json" for n in NAMES]


@pytest.mark.parametrize("name", NAMES)
def test_shipped_file_equals_what_build_renders(name: str) -> None:
    shipped_text = (SCHEMA_DIR / f"{name}.schema.json").read_text("utf-8")
    assert shipped_text == render(name), (
        f"schemas/{name}.schema.json is stale: run `python -m opencatalog.schemas.build`")
    assert shipped(name) == SCHEMAS[name]()


@pytest.mark.parametrize("name", NAMES)
def test_shipped_schema_is_a_valid_2020_12_schema(name: str) -> None:
    schema = shipped(name)
    Draft202012Validator.check_schema(schema)
    assert schema["$id"].endswith(f"/{name}.schema.json")
    assert schema["additionalProperties"] is False  # every mapping is closed


@pytest.mark.parametrize("kind,fields", [("dataset", "dataset_fields"),
                                         ("resource", "resource_fields")])
def test_every_gd_choice_field_is_an_enum(kind: str, fields: str) -> None:
    ref = _reference()
    by_name = {f["name"]: f for f in ref["dataset_fields"]}
    dataset = shipped("dataset")
    gdc = dataset["properties"]["gdc"]["properties"]
    if kind == "resource":
        gdc = dataset["properties"]["resources"]["items"]["properties"]["gdc"]["properties"]
    core = CORE_DATASET_FIELDS if kind == "dataset" else CORE_RESOURCE_FIELDS
    checked = 0
    for field in ref[fields]:
        choices = _choices(field, by_name)
        if field["name"] in core or not choices:
            continue
        prop = gdc[field["name"]]
        enum = _enum(prop)
        if set(choices) == {"True", "False"}:  # YAML booleans are accepted for these too
            assert set(enum) == {"True", "False", True, False}, field["name"]
        else:
            assert enum == choices, field["name"]
        assert (prop.get("type") == "array") == bool(field.get("multiple")), field["name"]
        if OTHER in choices:
            assert gdc[f"{field['name']}_other"]["type"] == "string"
        checked += 1
    assert checked == (18 if kind == "dataset" else 7)


def test_every_gd_field_outside_the_core_is_a_gdc_property() -> None:
    ref = _reference()
    dataset = shipped("dataset")
    gdc = dataset["properties"]["gdc"]["properties"]
    resource_gdc = dataset["properties"]["resources"]["items"]["properties"]["gdc"]["properties"]
    for field in ref["dataset_fields"]:
        assert (field["name"] in gdc) != (field["name"] in CORE_DATASET_FIELDS), field["name"]
    for field in ref["resource_fields"]:
        assert (field["name"] in resource_gdc) != (field["name"] in CORE_RESOURCE_FIELDS)


def test_licence_choices_are_the_known_licences() -> None:
    ref = _reference()
    [licence] = [f for f in ref["dataset_fields"] if f["name"] == "license_id"]
    assert list(GDC_TO_CKAN) == licence["choices"]


def test_dataset_schema_accepts_the_builder_dataset() -> None:
    from catalog_builder import DATASET_YAML

    errors = list(Draft202012Validator(shipped("dataset")).iter_errors(yaml.safe_load(DATASET_YAML)))
    assert errors == []


@pytest.mark.parametrize("gdc,valid", [
    ({"geo_coverage": "จังหวัด"}, True),
    ({"geo_coverage": "ระดับจังหวัด"}, False),
    ({"objective": ["พันธกิจหน่วยงาน"]}, True),
    ({"objective": "พันธกิจหน่วยงาน"}, False),  # multiple-choice fields are lists
    ({"objective": []}, False),
    ({"objective": ["พันธกิจหน่วยงาน", "พันธกิจหน่วยงาน"]}, False),
    ({"reference_data": "True"}, True),
    ({"reference_data": True}, True),
    ({"reference_data": "yes"}, False),
    ({"update_frequency_interval": 0}, False),
    ({"first_year_of_data": "2566"}, True),
    ({"first_year_of_data": "66"}, False),
    ({"created_date": "2024-01-31"}, True),
    ({"created_date": "31/01/2024"}, False),
    ({"geo_coverage_other": "ลุ่มน้ำโขง"}, True),
    ({"not_a_gd_field": "x"}, False),
])
def test_gdc_values(gdc: dict[str, Any], valid: bool) -> None:
    instance = {"name": "ab", "title": "t", "description": "d", "resources": [], "gdc": gdc}
    assert Draft202012Validator(shipped("dataset")).is_valid(instance) is valid


def test_schema_files_are_utf8_json_with_thai_unescaped() -> None:
    text = (SCHEMA_DIR / "dataset.schema.json").read_text("utf-8")
    assert "ข้อมูลสถิติ" in text
    assert json.loads(text)["title"].startswith("OpenCatalog")


def test_packaged_reference_has_the_real_extension_fields() -> None:
    """58 dataset and 24 resource fields, as the real GD Catalog extension declares them."""
    ref = _reference()
    assert (len(ref["dataset_fields"]), len(ref["resource_fields"])) == (58, 24)
    names = {f["name"] for f in ref["dataset_fields"]}
    assert {"data_type_other", "allow_harvest", "reference_url_catalog"} <= names
    assert "telephone_number" not in names
    assert "resource_cdp" in {f["name"] for f in ref["resource_fields"]}
    assert all("portal_checks" in f for f in ref["dataset_fields"] + ref["resource_fields"])


def test_packaged_reference_equals_the_shared_reference_when_present() -> None:
    """The project ships its own copy; beside the shared folder it must say the same."""
    shared = Path(__file__).resolve().parents[3] / "shared" / "reference" / "gd-catalog-fields.yaml"
    if not shared.is_file():
        pytest.skip("no ../shared beside the checkout (a user's machine)")
    assert yaml.safe_load(shared.read_text("utf-8")) == _reference()
