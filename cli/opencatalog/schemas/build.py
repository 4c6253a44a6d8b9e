"""Builds the JSON Schemas of the catalog format.

The schemas are shipped as files (`opencatalog schema` prints them, editors use them
for completion); a test keeps the files equal to what this module builds, so the
GD Catalog choices in them always follow the packaged reference.
"""

from __future__ import annotations

import json
from importlib.resources import files
from typing import Any

from opencatalog.gdc import GdcField, standard

BASE = "https://opencatalog.example/schemas/"
SLUG = "^[a-z0-9_-]+$"
EMAIL = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"

TEXT = {
    "description": "Text in Thai, or {th: ..., en: ...}",
    "anyOf": [
        {"type": "string", "minLength": 1},
        {
            "type": "object",
            "properties": {"th": {"type": "string", "minLength": 1}, "en": {"type": "string"}},
            "required": ["th"],
            "additionalProperties": False,
        },
    ],
}


# Declared exceptions to the personal-data gate (validate/personal_data), reviewed in git;
# the kinds are those of personal_data/rules.py (a test keeps them equal).
PDPA = {
    "type": "object",
    "description": "personal-data (PDPA) gate: columns flagged as personal data that may be "
                   "published all the same",
    "properties": {
        "exceptions": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "resource": {"type": "string", "pattern": SLUG},
                    "column": {"type": "string", "minLength": 1},
                    "kinds": {"type": "array", "uniqueItems": True, "minItems": 1,
                              "items": {"enum": ["citizen-id", "phone", "email", "passport",
                                                 "person-name"]},
                              "description": "the kinds of personal data excepted (default: all)"},
                    "reason": {"type": "string", "minLength": 1,
                               "description": "why it is not personal data, or is lawful to publish"},
                    "decided_by": {"type": "string", "minLength": 1,
                                   "description": "who decided (name, role, date)"},
                },
                "required": ["resource", "column", "reason", "decided_by"],
                "additionalProperties": False,
            },
        },
    },
    "additionalProperties": False,
}


def _gdc_property(field: GdcField, fields: tuple[GdcField, ...]) -> dict[str, Any]:
    title = field.title
    prop: dict[str, Any]
    parent = next((f for f in fields if f.companion == field.name), None)
    if parent is not None:
        return {"type": "string", "minLength": 1,
                "title": f"{parent.name}: free text when the choice is {parent.other_choice}"}
    if field.choices and set(field.choices) == {"True", "False"}:
        prop = {"enum": ["True", "False", True, False]}
    elif field.choices and field.multiple:
        prop = {"type": "array", "items": {"enum": list(field.choices)}, "minItems": 1,
                "uniqueItems": True}
    elif field.choices:
        prop = {"enum": list(field.choices)}
    elif field.is_date:
        prop = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif field.name == "update_frequency_interval":
        prop = {"type": "integer", "minimum": 1}
    elif "year_of_data" in field.name:
        prop = {"type": ["string", "integer"], "pattern": r"^\d{4}$", "minimum": 1000,
                "maximum": 9999}
    elif field.name in ("url", "reference_url_catalog"):
        prop = {"type": "string", "pattern": "^https?://"}
    else:
        prop = {"type": ["string", "number"]}
    prop["title"] = title
    if field.note:
        prop["description"] = field.note
    return prop


def _gdc_object(fields: tuple[GdcField, ...]) -> dict[str, Any]:
    props = {field.name: _gdc_property(field, fields) for field in fields}
    return {"type": "object", "properties": props, "additionalProperties": False}


def catalog_schema() -> dict[str, Any]:
    target = {
        "type": "object",
        "properties": {
            "url": {"type": "string", "description": "portal URL, or 'local' for the local portal"},
            "profile": {"enum": ["thai-gdc", "ckan"]},
        },
        "required": ["url"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + "catalog.schema.json",
        "title": "OpenCatalog catalog/catalog.yaml",
        "type": "object",
        "properties": {
            "language": {"enum": ["th", "en"]},
            "profile": {"enum": ["thai-gdc", "ckan"]},
            "defaults": {
                "type": "object",
                "properties": {"organization": {"type": "string", "pattern": SLUG},
                               "license": {"type": "string"},
                               "contact": {  # each dataset's contact unless it names its own
                                   "type": "object",
                                   "properties": {"name": {"type": "string", "minLength": 1},
                                                  "email": {"type": "string", "pattern": EMAIL}},
                                   "additionalProperties": False}},
                "additionalProperties": False,
            },
            "targets": {"type": "object", "propertyNames": {"pattern": SLUG},
                        "additionalProperties": target},
        },
        "required": ["profile"],
        "additionalProperties": False,
    }


def owner_schema(kind: str) -> dict[str, Any]:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + f"{kind}.schema.json",
        "title": f"OpenCatalog catalog/{kind}s/<name>.yaml (a CKAN {kind})",
        "type": "object",
        "properties": {
            "name": {"type": "string", "pattern": SLUG, "minLength": 2, "maxLength": 100},
            "title": TEXT,
            "description": TEXT,
            "url": {"type": "string", "pattern": "^https?://"},
            "image_url": {"type": "string", "pattern": "^https?://"},
        },
        "required": ["name", "title"],
        "additionalProperties": False,
    }


def dataset_schema() -> dict[str, Any]:
    gdc = standard()
    resource = {
        "type": "object",
        "properties": {
            "name": {"type": "string", "pattern": SLUG, "minLength": 1, "maxLength": 100},
            "title": TEXT,
            "description": TEXT,
            "path": {"type": "string", "minLength": 1,
                     "description": "data file, relative to datapackages/<dataset>/"},
            "url": {"type": "string", "pattern": "^https?://"},
            "schema": {
                "description": "Table Schema: a file name beside the data, or inline",
                "type": ["string", "object"],
            },
            "format": {"type": "string"},
            "encoding": {"type": "string",
                         "description": "utf-8 (default; a byte order mark is fine), or cp874 / "
                                        "tis-620 for a Thai Windows-874 file"},
            "sheet": {"type": ["string", "integer"], "minimum": 1,
                      "description": "the worksheet of an XLSX workbook that holds the table: its "
                                     "name or number (default: the first)"},
            "datastore": {"type": "boolean",
                          "description": "load the rows into the portal's DataStore (preview, "
                                         "filters, Data API). Default: true for a CSV file with "
                                         "a table schema up to 200 MB, else false; true forces "
                                         "it (the file must be CSV with a table schema)"},
            "gdc": _gdc_object(gdc.gdc_resource_fields),
            "id": {"type": "string", "minLength": 1,
                   "description": "the id of the portal resource this is (written by `opencatalog "
                                  "import` for a resource made by hand, which has no "
                                  "opencatalog_name yet): publish matches it instead of "
                                  "creating another"},
        },
        "required": ["name"],
        "oneOf": [{"required": ["path"]}, {"required": ["url"]}],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": BASE + "dataset.schema.json",
        "title": "OpenCatalog catalog/datasets/<name>.yaml (one dataset)",
        "type": "object",
        "properties": {
            "name": {"type": "string", "pattern": SLUG, "minLength": 2, "maxLength": 100},
            "title": TEXT,
            "description": TEXT,
            "organization": {"type": "string", "pattern": SLUG},
            "groups": {"type": "array", "items": {"type": "string", "pattern": SLUG},
                       "uniqueItems": True},
            "tags": {"type": "array", "items": {"type": "string", "minLength": 1},
                     "uniqueItems": True},
            "license": {"type": "string"},
            "private": {"type": "boolean"},
            "contact": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "minLength": 1},
                    "email": {"type": "string", "pattern": EMAIL},
                    "phone": {"type": ["string", "integer"],
                              "description": "stock CKAN: an extra; GD Catalog has no such field"},
                },
                "additionalProperties": False,
            },
            "gdc": _gdc_object(gdc.gdc_dataset_fields),
            "resources": {"type": "array", "items": resource},
            "pdpa": PDPA,
        },
        "required": ["name", "title", "description", "resources"],
        "additionalProperties": False,
    }


SCHEMAS = {
    "catalog": catalog_schema,
    "organization": lambda: owner_schema("organization"),
    "group": lambda: owner_schema("group"),
    "dataset": dataset_schema,
}


def shipped(name: str) -> dict[str, Any]:
    """The schema file shipped in the package."""
    text = files("opencatalog").joinpath(f"schemas/{name}.schema.json").read_text("utf-8")
    return json.loads(text)


def render(name: str) -> str:
    return json.dumps(SCHEMAS[name](), ensure_ascii=False, indent=2) + "\n"


if __name__ == "__main__":  # regenerate: python -m opencatalog.schemas.build
    from pathlib import Path

    here = Path(__file__).parent
    for schema_name in SCHEMAS:
        (here / f"{schema_name}.schema.json").write_text(render(schema_name), encoding="utf-8")
