"""Reads a loaded table back with `datastore_search` and compares it with the file."""

from __future__ import annotations

import csv
import io

from opencatalog.ckan_client import CkanClient
from opencatalog.datastore import DatastoreError
from opencatalog.datastore.fields import TableSpec
from opencatalog.datastore.load import LoadResult
from opencatalog.datastore.rows import RowDigest

PAGE_ROWS = 32_000  # CKAN's default ckan.datastore.search.rows_max
# CKAN reports the PostgreSQL type name; our field definitions use its aliases.
REPORTED_TYPES = {"int": "int4", "bigint": "int8"}


def verify_table(client: CkanClient, resource_id: str, spec: TableSpec, expected: LoadResult,
                 *, page_rows: int = PAGE_ROWS) -> None:
    """Row count, column types, data dictionary and a checksum of every row, in `_id` order.

    Rows are fetched in `_id` order (the file's order) as CSV, which CKAN produces with
    PostgreSQL's own text for numbers: numerics are compared exactly.
    """
    names = [c.name for c in spec.columns]
    digest = RowDigest([c.ds_type for c in spec.columns])
    keyset = _has_filter_operators(client)
    read = last_id = 0
    checked_fields = False
    while True:
        # Keyset paging (`_id > last`) keeps every page cheap; filter operators exist in
        # CKAN 2.12 (checked here), older portals are paged by offset.
        where = {"filters": {"_id": {"gt": last_id}}} if keyset else {"offset": read}
        page = client.call("datastore_search", resource_id=resource_id, fields=["_id", *names],
                           sort="_id", limit=page_rows, records_format="csv",
                           include_total=False, **where)
        if not checked_fields:
            check_fields(spec, page.get("fields") or [])
            checked_fields = True
        in_page = 0
        for row in csv.reader(io.StringIO(page.pop("records", None) or "")):
            last_id = int(row[0])
            digest.add(row[1:])
            in_page += 1
        read += in_page
        if in_page < int(page.get("limit") or page_rows) or not in_page:
            break
    if digest.rows != expected.rows:
        raise DatastoreError(f"the DataStore table has {digest.rows:,} rows, the file "
                             f"{expected.rows:,}", hint="re-run publish to load it again")
    if digest.hexdigest() != expected.checksum:
        raise DatastoreError("the rows in the DataStore differ from the file (checksum mismatch)",
                             hint="re-run publish to load it again")


def _has_filter_operators(client: CkanClient) -> bool:
    version = str(client.call("status_show").get("ckan_version") or "")
    numbers = [int(part) for part in version.split(".")[:2] if part.isdigit()]
    return len(numbers) == 2 and tuple(numbers) >= (2, 12)


def check_fields(spec: TableSpec, fields: list[dict]) -> None:
    got = {f.get("id"): f for f in fields}
    for column in spec.columns:
        have = got.get(column.name)
        if have is None:
            raise DatastoreError(f"the DataStore table has no column {column.name}",
                                 field=column.name)
        want = REPORTED_TYPES.get(column.ds_type, column.ds_type)
        if have.get("type") != want:
            raise DatastoreError(f"column {column.name} is {have.get('type')} in the DataStore, "
                                 f"expected {want}", field=column.name,
                                 hint="the table was changed on the portal; re-run publish")
        info = column.ckan_field().get("info") or {}
        have_info = have.get("info") or {}
        if any(have_info.get(k) != v for k, v in info.items()):
            raise DatastoreError(f"the data dictionary of column {column.name} differs from "
                                 "the table schema", field=column.name)
