"""The xloader lane: on a portal that runs ckanext-xloader, its jobs worker loads the file with
PostgreSQL COPY into the typed table OpenCatalog created first.

How: `datastore_create` makes the empty table with the Table Schema's types and the Thai data
dictionary, each field carrying `info.type_override` (its own type) and `strip_extra_white:
false`; then `xloader_submit(ignore_hash=True)`. xloader reads the existing fields, finds them
identical to what the overrides ask for, truncates the table and COPYs the file into it (types,
dictionary and primary key kept). OpenCatalog waits for the job, then verifies the table as in
the API lane (row count, types, dictionary, checksum of every row). Anything xloader does
differently (another version, a value COPY reads otherwise) fails that verification, and the
caller loads the table again through the API. See docs/datastore.md.
"""

from __future__ import annotations

import csv
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from opencatalog.ckan_client import CkanClient, NotFound, ValidationError
from opencatalog.datastore import DatastoreError
from opencatalog.datastore.fields import TableSpec
from opencatalog.datastore.load import LoadResult, create_table, drop_table, portal_refusal
from opencatalog.datastore.rows import RowDigest, read_batches
from opencatalog.datastore.verify import REPORTED_TYPES

POLL_SECONDS = 0.5
PROGRESS_SECONDS = 5


def xloader_fields(spec: TableSpec) -> list[dict[str, Any]]:
    """The table's fields with what makes xloader keep them: its type override, no stripping."""
    fields = []
    for field in spec.ckan_fields():
        # the name the DataStore reports (int4, not int): xloader compares it with the table's
        # and drops the table (primary key and all) when they differ
        override = REPORTED_TYPES.get(field["type"], field["type"])
        info = {**field.get("info", {}), "type_override": override}
        fields.append({**field, "info": info, "strip_extra_white": False})
    return fields


def header_matches(file: Path, spec: TableSpec) -> bool:
    """xloader loads every column of the (UTF-8) file in its order: it must be the schema's."""
    with file.open(encoding="utf-8-sig", newline="") as handle:
        header = next(csv.reader(handle), [])
    return [h.strip() for h in header] == [c.name for c in spec.columns]


def load_with_xloader(client: CkanClient, resource_id: str, file: Path, spec: TableSpec, *,
                      encoding: str = "utf-8", replace: bool = False,
                      progress: Callable[[str], None] | None = None,
                      before_load: Callable[[], None] | None = None,
                      timeout: float = 3600) -> LoadResult:
    """Create the typed table, have xloader COPY the file in, wait; returns the file's rows and
    checksum (for verify_table). Raises DatastoreError when xloader fails or times out."""
    with ThreadPoolExecutor(1) as pool:
        # the checksum the table must match, read as the API lane would load it, meanwhile
        checksum = pool.submit(_file_digest, file, spec, encoding)
        _submit_and_wait(client, resource_id, spec, replace, progress, before_load, timeout)
        return checksum.result()


def _file_digest(file: Path, spec: TableSpec, encoding: str) -> LoadResult:
    digest = RowDigest([c.ds_type for c in spec.columns])
    for _ in read_batches(file, spec, encoding=encoding, digest=digest):
        pass
    return LoadResult(rows=digest.rows, checksum=digest.hexdigest())


def _submit_and_wait(client: CkanClient, resource_id: str, spec: TableSpec, replace: bool,
                     progress: Callable[[str], None] | None,
                     before_load: Callable[[], None] | None, timeout: float) -> None:
    started = time.monotonic()
    # xloader queues nothing while a job of the resource is pending: let its own job for the
    # upload (which skips the file: same md5) finish first
    before = _idle_task(client, resource_id, started + timeout).get("last_updated") or ""
    if before_load is not None:
        before_load()  # xloader empties the table before its COPY: hide a public dataset
    if replace:
        drop_table(client, resource_id)
    try:
        create_table(client, resource_id=resource_id, force=True, fields=xloader_fields(spec),
                      primary_key=list(spec.primary_key), records=[])
    except ValidationError as exc:
        raise portal_refusal(exc) from None
    if not client.call("xloader_submit", resource_id=resource_id, ignore_hash=True):
        raise DatastoreError("xloader did not queue the load (another job of the resource is "
                             "pending)")
    reported = time.monotonic()
    while time.monotonic() - started < timeout:
        task = _task(client, resource_id)
        if task.get("status") in ("complete", "error") and (task.get("last_updated") or "") > before:
            if task["status"] == "error":
                error = task.get("error") or {}
                message = error.get("message") if isinstance(error, dict) else str(error)
                raise DatastoreError(f"xloader failed: {message or 'no message'}")
            return
        if progress and time.monotonic() - reported >= PROGRESS_SECONDS:
            reported = time.monotonic()
            progress(f"xloader: {task.get('status') or 'queued'} ({reported - started:.0f} s)")
        time.sleep(POLL_SECONDS)
    raise DatastoreError(f"xloader did not finish within {timeout:.0f} s")


def _idle_task(client: CkanClient, resource_id: str, deadline: float) -> dict[str, Any]:
    while True:
        task = _task(client, resource_id)
        if task.get("status") in (None, "complete", "error"):
            return task
        if time.monotonic() > deadline:
            raise DatastoreError(f"xloader's job of the resource is still {task['status']}")
        time.sleep(POLL_SECONDS)


def _task(client: CkanClient, resource_id: str) -> dict[str, Any]:
    try:
        return client.call("xloader_status", resource_id=resource_id) or {}
    except NotFound:  # no task for this resource yet
        return {}
