"""Rules on a table schema itself, reported at the schema file's own line.

frictionless reports a broken schema as one "schema-error" without a position; the rules
here name the field (or key) and its line, and list what is valid.
"""

from __future__ import annotations

import difflib
from typing import Any

from opencatalog.buddhist_era import format_regex
from opencatalog.model.catalog import Dataset, Resource
from opencatalog.report.model import Finding
from opencatalog.validate.tabular.calendar import BUDDHIST, CALENDARS

# Frictionless Table Schema v1 field types, and what people write instead
FIELD_TYPES = ["string", "number", "integer", "boolean", "object", "array", "date", "time",
               "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any"]
SYNONYMS = {"int": "integer", "float": "number", "decimal": "number", "double": "number",
            "bool": "boolean", "text": "string", "str": "string", "timestamp": "datetime"}


def _calendar(dataset: Dataset, resource: Resource, index: int, raw: dict[str, Any]) -> list[Finding]:
    if "calendar" not in raw:
        return []
    name, kind, value = raw.get("name"), raw.get("type"), raw.get("calendar")
    where = ("fields", index, "calendar")
    if value not in CALENDARS:
        return [dataset.schema_finding(
            resource, "table-schema.calendar", f"field '{name}': calendar '{value}' is not known",
            where, field=name, hint="use `calendar: buddhist` (years in พ.ศ.) or `calendar: gregorian`")]
    if kind not in ("date", "year"):
        return [dataset.schema_finding(
            resource, "table-schema.calendar", f"field '{name}' is of type {kind or 'string'}: "
            "a calendar applies to date and year fields only", where, field=name,
            hint="set `type: date` (or `type: year`), or remove `calendar:`")]
    fmt = raw.get("format")
    if value == BUDDHIST and kind == "date" and fmt not in (None, "default") and \
            (not isinstance(fmt, str) or format_regex(fmt) is None):
        return [dataset.schema_finding(
            resource, "table-schema.calendar-format",
            f"field '{name}': format '{fmt}' cannot be read in the Buddhist calendar",
            ("fields", index, "format"), field=name,
            hint="a Buddhist-era date format is made of %d, %m and %Y (each once) and other "
                 "text, e.g. \"%d/%m/%Y\"; leave `format` out for 2566-10-15")]
    return []


def _names(value: Any) -> list[Any]:
    return [value] if isinstance(value, str) else value if isinstance(value, list) else []


def _field_names(resource: Resource | None) -> list[str]:
    fields = (resource.schema or {}).get("fields") if resource is not None else None
    return [f["name"] for f in fields if isinstance(f, dict) and isinstance(f.get("name"), str)] \
        if isinstance(fields, list) else []


def _known(names: list[str]) -> str:
    return ", ".join(names) if names else "none"


def _types(dataset: Dataset, resource: Resource) -> list[Finding]:
    out = []
    fields = (resource.schema or {}).get("fields")
    for index, raw in enumerate(fields if isinstance(fields, list) else []):
        if not isinstance(raw, dict) or raw.get("type", "string") in FIELD_TYPES:
            continue
        kind, name = raw.get("type"), raw.get("name")
        close = difflib.get_close_matches(str(kind), FIELD_TYPES, n=1, cutoff=0.5)
        guess = SYNONYMS.get(str(kind).lower()) or (close[0] if close else None)
        out.append(dataset.schema_finding(
            resource, "table-schema.field-type",
            f"field '{name}': type '{kind}' is not a Table Schema type", ("fields", index, "type"),
            field=name, hint=(f"did you mean '{guess}'? " if guess else "")
            + "the types are: " + ", ".join(FIELD_TYPES)))
    return out


def _keys(dataset: Dataset, resource: Resource) -> list[Finding]:
    schema = resource.schema or {}
    own = _field_names(resource)
    out = []
    for name in _names(schema.get("primaryKey")):
        if name not in own:
            out.append(dataset.schema_finding(
                resource, "table-schema.primary-key",
                f"primaryKey names field '{name}', which this schema does not have",
                ("primaryKey",), field=name, hint=f"the fields are: {_known(own)}"))
    by_name = {r.name: r for r in dataset.resources if r.name}
    for index, fk in enumerate(schema.get("foreignKeys") or []):
        if not isinstance(fk, dict):
            continue
        where = ("foreignKeys", index)
        for name in _names(fk.get("fields")):
            if name not in own:
                out.append(dataset.schema_finding(
                    resource, "table-schema.foreign-key",
                    f"foreign key {index + 1} names field '{name}', which this schema does not have",
                    (*where, "fields"), field=name, hint=f"the fields are: {_known(own)}"))
        reference = fk.get("reference") if isinstance(fk.get("reference"), dict) else {}
        target_name = reference.get("resource")
        if target_name in (None, "", resource.name):
            target = resource
        elif target_name in by_name and by_name[target_name].schema is not None:
            target = by_name[target_name]
        else:
            tables = [r.name for r in dataset.resources if r.name and r.schema is not None]
            out.append(dataset.schema_finding(
                resource, "table-schema.foreign-key",
                f"foreign key {index + 1} points at resource '{target_name}', which this dataset "
                "does not have" + (" with a table schema" if target_name in by_name else ""),
                (*where, "reference", "resource"), field=str(target_name),
                hint=f"the resources with a table schema are: {_known(tables)}"))
            continue
        theirs = _field_names(target)
        for name in _names(reference.get("fields")):
            if name not in theirs:
                out.append(dataset.schema_finding(
                    resource, "table-schema.foreign-key",
                    f"foreign key {index + 1} points at field '{name}' of resource "
                    f"'{target.name}', which has no such field", (*where, "reference", "fields"),
                    field=name, hint=f"the fields of '{target.name}' are: {_known(theirs)}"))
    return out


def _of_resource(dataset: Dataset, resource: Resource) -> list[Finding]:
    out = _types(dataset, resource) + _keys(dataset, resource)
    fields = (resource.schema or {}).get("fields")
    for index, raw in enumerate(fields if isinstance(fields, list) else []):
        if isinstance(raw, dict):
            out += _calendar(dataset, resource, index, raw)
    return out


def check_table_schemas(dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for resource in dataset.resources:
        if isinstance(resource.schema, dict):
            out += _of_resource(dataset, resource)
    return out


def broken_schemas(dataset: Dataset) -> set[str]:
    """Resources whose schema has a finding here: their rows are not read (frictionless would
    only say, without a position, that the package is invalid)."""
    return {r.name for r in dataset.resources if r.name and isinstance(r.schema, dict)
            and any(f.severity == "error" for f in _of_resource(dataset, r))}
