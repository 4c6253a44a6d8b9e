"""A DataStore table's columns and data dictionary -> a Table Schema (inverse of fields.py)."""

from __future__ import annotations

from typing import Any

from opencatalog.datastore.fields import BUDDHIST_NOTE, INT4_MAX, INT4_MIN

# PostgreSQL type CKAN reports -> Table Schema type
_TYPES = {"int4": "integer", "int8": "integer", "int": "integer", "bigint": "integer",
          "int2": "integer", "numeric": "number", "float8": "number", "float4": "number",
          "bool": "boolean", "date": "date", "timestamp": "datetime", "time": "time",
          "text": "string"}


def schema_from_dictionary(fields: list[dict[str, Any]]) -> tuple[dict[str, Any], list[str]]:
    """The Table Schema of a table's `datastore_search` fields (without `_id`), and notes
    about columns whose type has no Table Schema type (they become strings)."""
    out: list[dict[str, Any]] = []
    notes: list[str] = []
    for column in fields:
        name = column.get("id")
        if not isinstance(name, str) or name.startswith("_"):
            continue
        ds_type = str(column.get("type") or "text")
        kind = _TYPES.get(ds_type)
        if kind is None:
            notes.append(f"column '{name}' is {ds_type} in the DataStore, which has no Table "
                         "Schema type: imported as string")
            kind = "string"
        entry: dict[str, Any] = {"name": name, "type": kind}
        info = column.get("info") or {}
        if isinstance(info, dict):
            if isinstance(info.get("label"), str) and info["label"].strip():
                entry["title"] = info["label"].strip()
            notes_text = info.get("notes")
            if isinstance(notes_text, str) and notes_text.strip():
                text = notes_text.strip()
                if text.endswith(BUDDHIST_NOTE):  # OpenCatalog's note of a Buddhist-era field
                    notes.append(f"column '{name}' was loaded from Buddhist-era dates; the "
                                 "downloaded file says which calendar its cells use")
                entry["description"] = text
        if ds_type in ("int4", "int"):
            # the table holds 32-bit integers: the constraints keep it int4 (fields.py)
            entry["constraints"] = {"minimum": INT4_MIN, "maximum": INT4_MAX}
        out.append(entry)
    return {"fields": out}, notes
