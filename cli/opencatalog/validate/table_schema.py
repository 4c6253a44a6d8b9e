"""Rules on a table schema itself, reported at the schema file's own line.

frictionless reports a broken schema as one "schema-error" without a position; the rules
here name the field (or key) and its line, and list what is valid.
"""

from __future__ import annotations

from typing import Any

from opencatalog.buddhist_era import format_regex
from opencatalog.model.catalog import Dataset, Resource
from opencatalog.report.model import Finding
from opencatalog.validate.tabular.calendar import BUDDHIST, CALENDARS


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


def check_table_schemas(dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for resource in dataset.resources:
        fields = (resource.schema or {}).get("fields")
        for index, raw in enumerate(fields if isinstance(fields, list) else []):
            if isinstance(raw, dict):
                out += _calendar(dataset, resource, index, raw)
    return out
