"""The data half of validation: each dataset's files as a Frictionless data package."""

from __future__ import annotations

from opencatalog.model.catalog import Catalog, Dataset
from opencatalog.model.datapackage import package_descriptor
from opencatalog.report.model import Finding
from opencatalog.validate.files import unreadable_tables
from opencatalog.validate.personal_data import ScanSet, check_scans, mask_text
from opencatalog.validate.table_schema import broken_schemas
from opencatalog.validate.tabular import check_package
from opencatalog.validate.tabular.errors import TableError
from opencatalog.validate.tabular.reference import DEFAULT_LIMIT_ERRORS


def _place(catalog: Catalog, dataset: Dataset, error: TableError) -> tuple[str, int | None]:
    """The file and line a data error points at."""
    resource = next((r for r in dataset.resources if r.name == error.resource), None)
    if resource is None:  # package-level problem: the dataset's resource list
        return dataset.file, dataset.doc.where(("resources",))[0]
    if "schema" in error.type:  # a broken table schema: its file, or its inline entry
        if resource.schema_file:
            return resource.schema_file, 1
        return dataset.file, dataset.doc.where((*resource.yaml_path, "schema"))[0]
    if resource.data_file is None:
        return dataset.file, dataset.doc.where(resource.yaml_path)[0]
    # A row's line: the same number (header = row 1) unless a quoted cell above spans lines.
    return (resource.data_file.relative_to(catalog.root).as_posix(),
            error.line_number or error.row_number or 1)


def _finding(catalog: Catalog, dataset: Dataset, error: TableError) -> Finding:
    file, line = _place(catalog, dataset, error)
    # (messages quote cells: a type error in a citizen-ID column must not print the ID)
    return Finding(code=f"data.{error.type}", message=mask_text(error.message), file=file, line=line,
                   dataset=dataset.name, resource=error.resource, row=error.row_number,
                   field=error.field_name, hint=error.hint)


def check_dataset_data(catalog: Catalog, dataset: Dataset, engine: str = "auto",
                       limit_errors: int = DEFAULT_LIMIT_ERRORS) -> list[Finding]:
    descriptor = package_descriptor(dataset)
    # reported by validate/files.py and validate/table_schema.py, at their own lines
    not_tables = unreadable_tables(dataset) | broken_schemas(dataset)
    present = [r for r in descriptor["resources"]  # missing files are reported already
               if (dataset.data_dir / r["path"]).is_file() and r["name"] not in not_tables]
    if not present:
        return []
    descriptor["resources"] = [_without_keys_to(r, not_tables) for r in present]
    scans = ScanSet()  # the personal-data scan, fed by the fast path while it reads the rows
    errors = check_package(descriptor, dataset.data_dir, engine=engine, scans=scans,
                           limit_errors=limit_errors)
    return ([_finding(catalog, dataset, e) for e in errors] + _unchecked_foreign_keys(dataset, errors)
            + _stopped_early(catalog, dataset, errors, limit_errors)
            + check_scans(catalog, dataset, present, scans, reported={e.resource for e in errors}))


def _without_keys_to(resource: dict, left_out: set[str]) -> dict:
    """A resource without its foreign keys into resources whose rows are not read (they have
    their own finding; frictionless would fail on the missing resource)."""
    schema = resource.get("schema")
    keys = schema.get("foreignKeys") if isinstance(schema, dict) else None
    if not left_out or not isinstance(keys, list):
        return resource
    kept = [fk for fk in keys if not (isinstance(fk, dict) and isinstance(fk.get("reference"), dict)
                                      and fk["reference"].get("resource") in left_out)]
    return {**resource, "schema": {**schema, "foreignKeys": kept}}


def _stopped_early(catalog: Catalog, dataset: Dataset, errors: list[TableError],
                   limit: int) -> list[Finding]:
    """A file whose findings reached the limit: its later rows were not checked."""
    counts: dict[str, int] = {}
    for error in errors:
        if error.row_number is not None:
            counts[error.resource] = counts.get(error.resource, 0) + 1
    out = []
    for resource in dataset.resources:
        if not limit or counts.get(resource.name or "", 0) < limit or resource.data_file is None:
            continue
        out.append(Finding(
            code="data.limit-reached", severity="info", dataset=dataset.name,
            resource=resource.name, file=resource.data_file.relative_to(catalog.root).as_posix(),
            message=f"checking stopped after the first {limit:,} findings in this file "
                    f"(--limit-errors {limit}): later rows may have more",
            hint="fix these first, or run with --limit-errors 0 to see every finding"))
    return out


def _unchecked_foreign_keys(dataset: Dataset, errors: list[TableError]) -> list[Finding]:
    """Foreign keys into a file that could not be decoded are skipped: say so."""
    unreadable = {e.resource for e in errors if e.type == "encoding-error"}
    out = []
    for resource in dataset.resources:
        if not unreadable or resource.name in unreadable or not isinstance(resource.schema, dict):
            continue
        for index, fk in enumerate(resource.schema.get("foreignKeys") or []):
            target = (fk.get("reference") or {}).get("resource") if isinstance(fk, dict) else None
            if target in unreadable:
                out.append(dataset.doc.finding(
                    "data.foreign-key-unchecked",
                    f"foreign key {index + 1} of resource '{resource.name}' was not checked: "
                    f"resource '{target}' could not be read as UTF-8",
                    (*resource.yaml_path, "schema"), severity="warning", dataset=dataset.name,
                    resource=resource.name, hint=f"fix the encoding of '{target}' first"))
    return out
