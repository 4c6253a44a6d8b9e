"""The gate: which datasets may be published publicly, as findings of `validate`.

A dataset that is not `private: true` must be ข้อมูลสาธารณะ / เปิดเผย (when given) and hold no
personal data outside its declared exceptions; otherwise an error, so `publish` refuses
before any write (it refuses an invalid catalog). A private dataset gets the same findings as
notes (info): it is published to its organization only and never made public.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from opencatalog.model.catalog import Catalog, Dataset, PdpaException, Resource
from opencatalog.report.model import Finding

from . import rules
from .detect import ColumnScan, ResourceScan, ScanSet, Tally
from .files import TABULAR_FORMATS, NotScanned, scan_file
from .mask import mask_text
from .rules import Kind

# Spreadsheets the scan would read (files.scan_file) but the data check may leave out (.xls has
# a note of its own, validate/files.py: its rows are not checked at all).
UNREAD_SPREADSHEETS = TABULAR_FORMATS - {"csv", "tsv", "txt", "xls"}


def check_publication(dataset: Dataset) -> list[Finding]:
    """The metadata half: a public dataset's GD Catalog category and classification."""
    if dataset.private:
        return []
    out = []
    for field, public, message in (
            ("data_category", rules.PUBLIC_CATEGORY, rules.category_message),
            ("data_classification", rules.PUBLIC_CLASSIFICATION, rules.classification_message)):
        value = dataset.gdc.get(field)
        # (a missing data_category is the GD Catalog required-field rule's finding)
        if value is not None and value != public:
            out.append(dataset.doc.finding(
                f"pdpa.{field.replace('_', '-')}", message(value), ("gdc", field),
                dataset=dataset.name, rule=rules.RULE, hint=rules.HINT_METADATA.format(field=field)))
    return out


def _exception_for(exceptions: list[PdpaException], resource: str, column: str,
                   kind: str) -> PdpaException | None:
    return next((e for e in exceptions if e.resource == resource and e.column == column
                 and (not e.kinds or kind in e.kinds)), None)


def _column_findings(dataset: Dataset, resource: Resource, file: str, scan: ResourceScan,
                     column: ColumnScan, used: set[int]) -> list[Finding]:
    out = []
    name = resource.name or ""
    for kind, tally in column.flagged():
        exception = _exception_for(dataset.pdpa_exceptions, name, column.name, kind.name)
        if exception is not None:
            used.add(exception.index)
            out.append(dataset.doc.finding(
                rules.CODE_EXCEPTION, rules.exception_message(
                    kind, column.name, name, tally.count if tally else 0, exception.reason or "",
                    exception.decided_by or ""),
                exception.yaml_path, severity="info", dataset=dataset.name, resource=name,
                field=column.name))
            continue
        out.append(_found(dataset, resource, file, column, kind, tally, partial=not scan.complete))
    return out


def _found(dataset: Dataset, resource: Resource, file: str, column: ColumnScan, kind: Kind,
           tally: Tally | None, partial: bool) -> Finding:
    message = rules.found_message(kind, column.name, resource.name or "",
                                  tally.count if tally else 0, tally.scanned if tally else 0,
                                  tally.rows if tally else [], tally.example if tally else None,
                                  kind.name in column.header, partial)
    private = dataset.private
    return Finding(code=rules.CODE_FOUND, message=rules.private_note(message) if private else message,
                   severity="info" if private else "error", file=file,
                   line=tally.rows[0] if tally and tally.rows else 1, dataset=dataset.name,
                   resource=resource.name, row=tally.rows[0] if tally and tally.rows else None,
                   field=column.name, hint=None if private else rules.HINT_FOUND,
                   rule=None if private else rules.RULE)


def check_scans(catalog: Catalog, dataset: Dataset, entries: list[dict[str, Any]],
                scans: ScanSet, reported: Collection[str] = ()) -> list[Finding]:
    """The data half: each tabular file's columns (scanned by the fast path, else here) and the
    dataset's declared exceptions. `entries`: the package's resources whose files exist;
    `reported`: resources with data errors already (a file that cannot be read is one)."""
    out: list[Finding] = []
    used: set[int] = set()
    by_name = {r.name: r for r in dataset.resources}
    for entry in entries:
        resource = by_name.get(entry.get("name"))
        if resource is None or resource.data_file is None:
            continue
        file = resource.data_file.relative_to(catalog.root).as_posix()
        scan = scans.done.get(resource.name or "")
        if scan is None:
            try:
                scan = scan_file(entry, dataset.data_dir)
            except NotScanned as exc:  # fails closed: not known to be free of personal data
                if resource.name in reported:
                    continue
                out.append(Finding(code=rules.CODE_NOT_SCANNED, file=file,
                                   severity="info" if dataset.private else "error",
                                   message=rules.not_scanned_message(resource.name or "",
                                                                     mask_text(str(exc))),
                                   dataset=dataset.name, resource=resource.name,
                                   hint=rules.HINT_NOT_SCANNED))
                continue
        if scan is None:  # not a table
            continue
        for column in scan.columns:
            out.extend(_column_findings(dataset, resource, file, scan, column, used))
    scanned = {entry.get("name") for entry in entries}
    for resource in dataset.resources:  # spreadsheets the data check does not read as tables
        fmt = (resource.resolved_format or "").lower()
        if (fmt in UNREAD_SPREADSHEETS and resource.data_file is not None and not dataset.private
                and resource.name not in scanned and resource.data_file.is_file()):
            out.append(Finding(code=rules.CODE_NOT_SCANNED, severity="warning",
                               file=resource.data_file.relative_to(catalog.root).as_posix(),
                               message=rules.not_scanned_message(
                                   resource.name or "", f"its rows are not read ({fmt.upper()})"),
                               dataset=dataset.name, resource=resource.name,
                               hint=rules.HINT_NOT_SCANNED))
    for exception in dataset.pdpa_exceptions:
        if exception.index not in used:
            out.append(dataset.doc.finding(
                rules.CODE_UNUSED, rules.unused_message(exception.column, exception.resource),
                exception.yaml_path, severity="warning", dataset=dataset.name,
                hint=rules.HINT_UNUSED))
    return out
