"""Column names the DataStore can hold, checked before anything is uploaded.

PostgreSQL cuts a column name at 63 bytes, which is about 21 Thai characters: CKAN then
refuses every row ("row 1 has extra keys"). CKAN itself refuses names starting with "_".
A resource whose rows publish would load gets these as errors, at the field's line in its
table schema.
"""

from __future__ import annotations

from opencatalog.datastore.decide import MAX_COLUMN_BYTES, invalid_reason, loads_rows, truncated
from opencatalog.model.catalog import Dataset
from opencatalog.report.model import Finding

RENAME_HINT = (
    "give the field a short ASCII `name` (e.g. `{example}`) in the schema and in the file's "
    "header, and keep the Thai text as its `title:` - the portal shows the title as the column's "
    "label (the data dictionary); or set `datastore: false` on the resource"
)


def check_datastore_columns(dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for resource in dataset.resources:
        if resource.schema is None or not loads_rows(resource):
            continue
        fields = resource.schema.get("fields")
        seen: dict[str, str] = {}  # truncated name -> the field that has it
        for index, raw in enumerate(fields if isinstance(fields, list) else []):
            name = raw.get("name") if isinstance(raw, dict) else None
            if not isinstance(name, str):
                continue  # the schema check reports it
            where = ("fields", index, "name")
            hint = RENAME_HINT.format(example=f"name: col_{index + 1}")
            size = len(name.encode("utf-8"))
            reason = invalid_reason(name)
            if reason is not None:
                out.append(dataset.schema_finding(
                    resource, "datastore.column-name-reserved",
                    f"field name '{name}' {reason}: the DataStore would refuse the table",
                    where, field=name, hint=hint))
            elif size > MAX_COLUMN_BYTES:
                out.append(dataset.schema_finding(
                    resource, "datastore.column-name-too-long",
                    f"field name '{name}' is {size} bytes in UTF-8; DataStore (PostgreSQL) column "
                    f"names hold at most {MAX_COLUMN_BYTES} bytes (about 21 Thai characters), so "
                    "loading its rows would fail", where, field=name, hint=hint))
            short = truncated(name)
            if short in seen and seen[short] != name:
                out.append(dataset.schema_finding(
                    resource, "datastore.column-name-collision",
                    f"fields '{seen[short]}' and '{name}' are the same column once PostgreSQL cuts "
                    f"them to {MAX_COLUMN_BYTES} bytes ('{short}')", where, field=name, hint=hint))
            seen.setdefault(short, name)
    return out
