"""Data validation for tabular resources of a Frictionless data package.

`check_package` runs a byte-level encoding pre-check on every file and then
validates the data with either the polars fast path or the frictionless
reference engine.  Both engines return identical `TableError` lists (same
resource, type, row and field, in the same order).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Literal

from .calendar import ResourceCalendar, merge, prepare, scan_file
from .encoding import check_encoding
from .errors import TableError
from .lines import place_rows, row_dialect
from .plan import THAI_SINGLE_BYTE, fast_encoding
from .reference import (
    DEFAULT_LIMIT_ERRORS,
    check_package_frictionless,
    check_resource_frictionless,
    open_package,
)
from .suggest import suggest_date_formats

Engine = Literal["auto", "fast", "frictionless"]

__all__ = ["Engine", "TableError", "check_package", "check_package_frictionless"]


def _local_file(resource: Any) -> Path | None:
    try:
        if resource.remote or resource.multipart or not isinstance(resource.path, str):
            return None
        path = Path(resource.normpath)
    except Exception:
        return None
    return path if path.is_file() else None


def _drop_foreign_keys_to(resource: Any, unreadable: set[str]) -> None:
    """Foreign keys into a file that is not UTF-8 cannot be checked: frictionless would read
    that file while checking this one and blame its encoding on this file. The broken file
    has its own finding; this one's rows are still checked."""
    schema = getattr(resource, "schema", None)
    keys = getattr(schema, "foreign_keys", None)
    if not unreadable or not keys:
        return
    schema.foreign_keys = [fk for fk in keys
                           if (fk.get("reference") or {}).get("resource") not in unreadable]


def check_package(
    descriptor: dict[str, Any],
    basepath: Path,
    engine: Engine = "auto",
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    scans: Any = None,
) -> list[TableError]:
    """Validate the data of every resource; never raises on bad input.

    engine: "frictionless" uses the reference engine only; "auto" and "fast"
    use the polars fast path for every resource it supports exactly and the
    reference engine for the rest (so "fast" never changes the findings).
    `scans` (a personal-data ScanSet) collects the scan of each resource the fast path read.
    """
    basepath = Path(basepath)
    original = descriptor
    # declared Buddhist-era fields reach the engines as text; calendar.py checks them
    descriptor, calendars = prepare(descriptor)
    try:
        package = open_package(descriptor, basepath)
        package.to_descriptor(validate=True)
    except Exception:
        # Broken metadata: the reference engine turns it into findings.
        return check_package_frictionless(descriptor, basepath, limit_errors)

    found: list[TableError] = []
    skip: set[str] = set()  # resources whose bytes are not UTF-8: nothing more to say
    other: set[str] = set()  # resources declared in another encoding
    thai = {r.name for r in package.resources if fast_encoding(r.encoding) in THAI_SINGLE_BYTE}
    pre: dict[str, list[TableError]] = {}
    for resource in package.resources:
        if fast_encoding(resource.encoding) != "utf-8":
            # A declared other encoding is honoured: the fast path decodes the single-byte Thai
            # ones (cp874, tis-620), frictionless decodes every one; no UTF-8 pre-check then.
            pre[resource.name] = []
            other.add(resource.name)

    fast_results: dict[str, list[TableError]] = {}
    if engine != "frictionless":
        from .engine import run_fast

        # The fast path reads every byte of the files it handles as UTF-8 (a
        # file that is not is left to the encoding check below).
        try:
            fast_results = run_fast(package, exclude=other - thai, limit_errors=limit_errors,
                                    scans=scans, calendars=calendars)
        except Exception:  # noqa: BLE001 - the fast path must never make validation worse
            fast_results = {}
        fast_results.update(_fast_workbooks(package, limit_errors))

    for resource in package.resources:
        if resource.name in other:
            continue
        path = _local_file(resource)
        if path is None or resource.name in fast_results or resource.format not in ("csv", "tsv"):
            pre[resource.name] = []  # the fast path read it as UTF-8, or it is not text (XLSX)
        else:
            pre[resource.name] = check_encoding(path, resource.name)
            if any(e.type == "encoding-error" for e in pre[resource.name]):
                skip.add(resource.name)

    for resource in package.resources:
        found.extend(pre[resource.name])
        if resource.name in skip:
            continue
        if resource.name in fast_results:
            rows = fast_results[resource.name]
        else:
            _drop_foreign_keys_to(resource, skip)
            rows = place_rows(check_resource_frictionless(resource, limit_errors),
                              _local_file(resource), resource)
        calendar = calendars.get(resource.name)
        if calendar is not None:
            rows = merge(rows, _calendar_findings(resource, calendar, resource.name in fast_results),
                         limit_errors)
        found.extend(rows)
    return suggest_date_formats(found, original)


def _fast_workbooks(package: Any, limit_errors: int) -> dict[str, list[TableError]]:
    """XLSX worksheets that convert exactly to CSV (workbook.py), checked by the fast path."""
    import tempfile

    from .engine import run_fast
    from .workbook import NotExact, sheet_as_csv

    out: dict[str, list[TableError]] = {}
    keys = {fk.get("reference", {}).get("resource") for r in package.resources if r.schema
            for fk in r.schema.foreign_keys}
    for resource in package.resources:
        path = _local_file(resource)
        schema = resource.schema
        if resource.format != "xlsx" or path is None or schema is None or schema.foreign_keys \
                or resource.name in keys:
            continue
        try:
            sheet = resource.dialect.get_control("excel").sheet
        except Exception:  # noqa: BLE001 - no excel control: the first sheet
            sheet = 1
        fields = [f.to_descriptor() for f in schema.fields]
        with tempfile.TemporaryDirectory(prefix="opencatalog-xlsx-") as tmp:
            try:
                sheet_as_csv(path, sheet, fields, Path(tmp) / "sheet.csv")
                copy = {"name": resource.name, "path": "sheet.csv", "format": "csv",
                        "encoding": "utf-8", "schema": schema.to_descriptor()}
                found = run_fast(open_package({"name": "workbook", "resources": [copy]}, Path(tmp)),
                                 exclude=set(), limit_errors=limit_errors)
            except (NotExact, OSError, Exception):  # noqa: BLE001 - frictionless reads it then
                continue
        if resource.name in found:
            out[resource.name] = found[resource.name]
    return out


def _calendar_findings(resource: Any, calendar: ResourceCalendar, fast: bool) -> list[TableError]:
    """The Buddhist-era checks: fed by the fast path as it read every row, else read here."""
    if not (fast and calendar.complete):
        path = _local_file(resource)
        if path is None:
            return []
        try:
            scan_file(calendar, path, resource.encoding or "utf-8", row_dialect(resource))
        except (OSError, UnicodeDecodeError, LookupError, csv.Error):
            return []  # the engine's findings already say what is wrong with the file
    return calendar.findings()
