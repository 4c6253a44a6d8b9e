"""Apply-side DataStore calls: (re)create a resource's table and fill it in batches.

Called only by the apply engine.  A replace drops the old table and loads the new one
with one `datastore_create` (fields, primary key, first batch) and then one
`datastore_upsert` (method insert) per further batch.  Each call is its own portal
transaction, so a load of more than one batch is not atomic; see docs/datastore.md for
what the publisher does about it (the caller hides the dataset meanwhile).
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from opencatalog.ckan_client import CkanClient, NotFound, ValidationError
from opencatalog.datastore import BATCH_ROWS, DatastoreError
from opencatalog.datastore.fields import TableSpec
from opencatalog.datastore.rows import RowDigest, read_batches

# CKAN creates its DataStore's "nested" type on the first datastore_create a database
# ever sees, and two such calls at once fail with a 500 (duplicate pg_type) - seen here on
# a new portal with 4 workers. So, per portal, the first create of a run goes alone.
_first_create = threading.Lock()
_warmed: set[str] = set()


def create_table(client: CkanClient, **payload: Any) -> None:
    portal = str(getattr(client, "url", ""))
    if portal in _warmed:
        client.call("datastore_create", **payload)
        return
    with _first_create:
        client.call("datastore_create", **payload)
        _warmed.add(portal)


@dataclass(frozen=True)
class LoadResult:
    rows: int
    checksum: str


def marker(sha256: str, fields_hash: str, result: LoadResult) -> str:
    """What a verified load stored on the resource: compared by the next plan."""
    return json.dumps({"sha256": sha256, "fields": fields_hash, "rows": result.rows,
                       "checksum": result.checksum}, sort_keys=True)


def parse_marker(value: Any) -> dict[str, Any] | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        data = json.loads(value)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def portal_refusal(exc: ValidationError) -> DatastoreError:
    """CKAN's error dict (e.g. {'fields': ['"_x" is not a valid field name']}) as one message."""
    errors = exc.error_dict if isinstance(exc.error_dict, dict) else {"error": exc.error_dict}
    parts = []
    for key, problem in errors.items():
        if key.startswith("__"):
            continue
        if isinstance(problem, dict):  # {'info': {'orig': [...]}}: PostgreSQL's own message
            problem = problem.get("orig", problem)
        text = "; ".join(map(str, problem)) if isinstance(problem, list) else str(problem)
        parts.append(f"{key}: {text.strip()}")
    return DatastoreError("the portal refused the DataStore table: " + " | ".join(parts),
                          hint="check the table schema's field names and types against the data")


def drop_table(client: CkanClient, resource_id: str) -> None:
    try:
        client.call("datastore_delete", resource_id=resource_id, force=True, retry=True)
    except NotFound:
        pass  # no table: nothing to drop


def load_table(client: CkanClient, resource_id: str, file: Path, spec: TableSpec, *,
               encoding: str = "utf-8", sheet: str | int | None = None, replace: bool = False,
               batch_rows: int | None = None,
               progress: Callable[[int], None] | None = None,
               before_many_calls: Callable[[], None] | None = None) -> LoadResult:
    """Load `file` into the resource's DataStore table; returns the row count and checksum.

    `before_many_calls` runs before the first write when the rows need more than one call
    (the caller hides the dataset then); one row is read ahead to know it.
    """
    digest = RowDigest([c.ds_type for c in spec.columns])
    batches = read_batches(file, spec, encoding=encoding, sheet=sheet,
                           batch_rows=batch_rows or BATCH_ROWS, digest=digest)
    first = next(batches)
    if not first.last and before_many_calls is not None:
        before_many_calls()
    if replace:
        drop_table(client, resource_id)
    loaded = len(first)
    try:
        # Intermediate calls skip the record count; the last call computes it once.
        create_table(client, resource_id=resource_id, force=True,
                      fields=spec.ckan_fields(), primary_key=list(spec.primary_key),
                      records=list(first), calculate_record_count=first.last)
        if progress:
            progress(loaded)
        del first
        for batch in batches:
            client.call("datastore_upsert", resource_id=resource_id, force=True, method="insert",
                        records=list(batch), calculate_record_count=batch.last)
            loaded += len(batch)
            del batch  # free it before the reader builds the next one
            if progress:
                progress(loaded)
    except ValidationError as exc:
        raise portal_refusal(exc) from None
    return LoadResult(rows=digest.rows, checksum=digest.hexdigest())
