"""Whether publish loads a resource's rows into the DataStore, and the column names it can hold.

One decision for the desired state (what publish does) and for validate (which refuses, before
anything is uploaded, a table whose load is known to fail).
"""

from __future__ import annotations

from opencatalog.datastore import DEFAULT_MAX_BYTES
from opencatalog.model.catalog import Resource

# PostgreSQL cuts identifiers at NAMEDATALEN - 1 bytes (at a character boundary).
MAX_COLUMN_BYTES = 63
# CKAN's datastore `is_valid_field_name`: no leading "_" (its own `_id`, `_full_text`), no '"',
# no surrounding whitespace, not empty.
RESERVED_COLUMNS = ("_id", "_full_text")


def loads_rows(resource: Resource) -> bool:
    """`datastore:` in the YAML; by default on for a CSV file or XLSX workbook with a table
    schema up to 200 MB.

    `datastore: true` on anything else is refused by validate (resource.datastore-unloadable).
    """
    file = resource.data_file
    loadable = resource.resolved_format in ("CSV", "XLSX") and resource.schema is not None
    if resource.datastore is False or file is None or not loadable:
        return False
    if resource.datastore is None and (not file.is_file() or file.stat().st_size > DEFAULT_MAX_BYTES):
        return False
    return True


def truncated(name: str) -> str:
    """The column name PostgreSQL keeps: at most 63 UTF-8 bytes, never half a character."""
    return name.encode("utf-8")[:MAX_COLUMN_BYTES].decode("utf-8", "ignore")


def invalid_reason(name: str) -> str | None:
    """Why CKAN's DataStore refuses `name` as a column, or None."""
    if not name:
        return "is empty"
    if name in RESERVED_COLUMNS:
        return f"is reserved by CKAN's DataStore ({', '.join(RESERVED_COLUMNS)})"
    if name.startswith("_"):
        return "starts with '_', which CKAN's DataStore reserves for its own columns"
    if '"' in name:
        return "contains a double quote"
    if name != name.strip():
        return "starts or ends with a space"
    return None
