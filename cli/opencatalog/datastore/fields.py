"""Table Schema -> DataStore table definition (pure).

One place maps a Frictionless field type to a PostgreSQL column type, and a
field's `title`/`description` to CKAN's data dictionary (`info.label`/`info.notes`).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

INT4_MIN, INT4_MAX = -(2**31), 2**31 - 1

# Table Schema type -> DataStore (PostgreSQL) type; anything else is kept as text.
TYPE_MAP = {
    "number": "numeric",
    "boolean": "bool",
    "date": "date",
    "datetime": "timestamp",
    "time": "time",
    "string": "text",
    "year": "int",
}
# Options of a Table Schema field that change how a cell's text becomes a value.
_PARSE_OPTIONS = ("format", "trueValues", "falseValues", "decimalChar", "groupChar", "bareNumber",
                  "calendar")
# the data dictionary's note on a Buddhist-era field (its values are stored as Gregorian)
BUDDHIST_NOTE = ("ในไฟล์ต้นทางเป็นปีพุทธศักราช (พ.ศ.) จัดเก็บเป็นคริสต์ศักราช (ค.ศ.) / "
                 "Buddhist era (B.E.) in the source file, stored as Gregorian (C.E.)")


@dataclass(frozen=True)
class Column:
    name: str
    schema_type: str  # Frictionless type
    ds_type: str  # DataStore type
    title: str | None = None
    description: str | None = None
    options: dict[str, Any] = field(default_factory=dict)

    def ckan_field(self) -> dict[str, Any]:
        out: dict[str, Any] = {"id": self.name, "type": self.ds_type}
        info = {k: v for k, v in (("label", self.title), ("notes", self.description)) if v}
        if info:
            out["info"] = info
        return out


@dataclass(frozen=True)
class TableSpec:
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...] = ()
    missing_values: tuple[str, ...] = ("",)

    def ckan_fields(self) -> list[dict[str, Any]]:
        return [c.ckan_field() for c in self.columns]

    @property
    def fields_hash(self) -> str:
        """Changes whenever the table definition or how cells are read changes."""
        doc = {"fields": self.ckan_fields(), "primary_key": list(self.primary_key),
               "missing": list(self.missing_values),
               "options": [c.options for c in self.columns]}
        text = json.dumps(doc, ensure_ascii=False, sort_keys=True)
        return hashlib.sha256(text.encode()).hexdigest()[:32]


def datastore_type(schema_field: dict[str, Any]) -> str:
    kind = schema_field.get("type") or "string"
    if kind == "integer":
        # int4 only when the constraints prove every value fits; else bigint.
        constraints = schema_field.get("constraints") or {}
        low, high = constraints.get("minimum"), constraints.get("maximum")
        if isinstance(low, int) and isinstance(high, int) and INT4_MIN <= low and high <= INT4_MAX:
            return "int"
        return "bigint"
    return TYPE_MAP.get(kind, "text")


def _text(value: Any) -> str | None:
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None


def _description(raw: dict[str, Any]) -> str | None:
    text = _text(raw.get("description"))
    if raw.get("calendar") != "buddhist" or raw.get("type") not in ("date", "year"):
        return text
    return f"{text}\n\n{BUDDHIST_NOTE}" if text else BUDDHIST_NOTE


def table_spec(schema: dict[str, Any]) -> TableSpec:
    columns = []
    for raw in schema.get("fields") or []:
        if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
            continue
        columns.append(Column(
            name=raw["name"], schema_type=raw.get("type") or "string",
            ds_type=datastore_type(raw), title=_text(raw.get("title")),
            description=_description(raw),
            options={k: raw[k] for k in _PARSE_OPTIONS if k in raw}))
    key = schema.get("primaryKey") or []
    missing = schema.get("missingValues")
    return TableSpec(
        columns=tuple(columns),
        primary_key=tuple([key] if isinstance(key, str) else key),
        missing_values=tuple(missing) if isinstance(missing, list) else ("",))
