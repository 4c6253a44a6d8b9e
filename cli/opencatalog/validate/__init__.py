"""Validation: metadata (JSON Schema), profile and portal rules, references, and data.

Validation reads only: it never writes to a portal and never modifies a file.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from opencatalog.model.catalog import Catalog
from opencatalog.report.model import Report
from opencatalog.validate.data import check_dataset_data
from opencatalog.validate.datastore_columns import check_datastore_columns
from opencatalog.validate.files import check_files
from opencatalog.validate.metadata import check_document
from opencatalog.validate.personal_data import check_publication
from opencatalog.validate.placeholders import check_placeholders
from opencatalog.validate.profile_rules import check_dataset
from opencatalog.validate.references import (
    check_dataset_references,
    check_owners,
    check_unique_names,
)
from opencatalog.validate.table_schema import check_table_schemas
from opencatalog.validate.tabular.reference import DEFAULT_LIMIT_ERRORS

if TYPE_CHECKING:
    from opencatalog.validate.cache import ValidationCache


def validate(catalog: Catalog, *, datasets: Iterable[str] | None = None, profile: str | None = None,
             data: bool = True, engine: str = "auto",
             cache: ValidationCache | None = None,
             limit_errors: int = DEFAULT_LIMIT_ERRORS) -> Report:
    """Validate `catalog` (or only the named datasets) and return one report.

    `profile` overrides the catalog's metadata profile ("thai-gdc" or "ckan").
    `cache` (optional) reuses each dataset's findings while nothing they depend on changed;
    its hits and misses are reported in `summary["cache"]`.  `limit_errors`: findings per data
    file after which its rows are no longer checked (0: all).
    """
    profile = profile or catalog.config.profile
    wanted = set(datasets) if datasets is not None else None
    report = Report(command="validate", summary={"profile": profile})
    report.extend(catalog.load_findings if wanted is None else
                  [f for f in catalog.load_findings if f.dataset is None or f.dataset in wanted])
    for kind, doc in catalog.docs:
        if kind != "dataset":
            report.extend(check_document(kind, doc))
    report.extend(check_owners(catalog))
    report.extend([f for f in check_unique_names(catalog, profile)
                   if wanted is None or f.dataset in wanted])
    for dataset in catalog.datasets:
        if wanted is not None and dataset.name not in wanted:
            continue
        label = dataset.name or dataset.file
        report.datasets.append(label)
        key, findings = (cache.lookup(catalog, dataset, profile=profile, engine=engine, data=data,
                                      limit_errors=limit_errors)
                         if cache is not None else (None, None))
        if findings is None:
            findings = [*check_document("dataset", dataset.doc, dataset.name),
                        *check_dataset(dataset, profile),
                        *check_publication(dataset),
                        *check_placeholders(dataset),
                        *check_dataset_references(catalog, dataset),
                        *check_datastore_columns(dataset),
                        *check_table_schemas(dataset)]
            if data:
                findings += check_files(catalog, dataset)
                findings += check_dataset_data(catalog, dataset, engine=engine,
                                               limit_errors=limit_errors)
            if cache is not None:
                cache.put(key, label, findings)
        report.extend(findings)
    if cache is not None:
        report.summary["cache"] = cache.summary()
    return report
