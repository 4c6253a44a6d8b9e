"""Checks of every data file that can be made without reading it as a table.

Whether a file is a table is decided in model/filekind.py; a file that is not one (PDF, ZIP,
Word, images, old binary Excel...) is only checked here: not empty, and content that matches
its format.  A table whose content is another kind of file (a PDF named .csv) is reported
here too, and its rows are not read.
"""

from __future__ import annotations

from opencatalog.model.catalog import Catalog, Dataset, Resource
from opencatalog.model.filekind import format_mismatch, is_table, sniff
from opencatalog.report.model import Finding


def _readable(resource: Resource) -> bool:
    return resource.data_file is not None and resource.data_file.is_file()


def unreadable_tables(dataset: Dataset) -> set[str]:
    """Names of table resources whose content is not a table (their rows are not read)."""
    return {r.name for r in dataset.resources
            if r.name and is_table(r) and _readable(r) and format_mismatch(r, sniff(r.data_file))}


def check_files(catalog: Catalog, dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    for resource in dataset.resources:
        if not _readable(resource):
            continue  # a missing file is reported by the references check
        assert resource.data_file is not None
        rel = resource.data_file.relative_to(catalog.root).as_posix()
        common = {"file": rel, "line": None, "dataset": dataset.name, "resource": resource.name}
        fmt = resource.resolved_format or "?"
        if resource.data_file.stat().st_size == 0:
            out.append(Finding(code="file.empty", message=f"{rel} is empty (0 bytes)",
                               hint="put the real file in its place, or remove the resource",
                               **common))
            continue
        content = sniff(resource.data_file)
        if format_mismatch(resource, content):
            what = f"a {content} file" if content else "text, not a binary file"
            out.append(Finding(
                code="file.format-mismatch",
                message=f"resource '{resource.name}' says its format is {fmt}, but {rel} is {what}",
                hint=f"set `format:` to what the file is{f' ({content})' if content else ''}, "
                     "or put the right file in its place", **common))
        elif fmt == "XLS":
            out.append(Finding(
                code="file.xls-not-checked", severity="info",
                message=f"{rel} is an Excel 97-2003 workbook (.xls): it is published as a file; "
                        "its rows are not checked and not loaded into the DataStore",
                hint="save it as .xlsx (Excel workbook) or CSV UTF-8, with a table schema, to have "
                     "its rows checked and loaded", **common))
    return out
