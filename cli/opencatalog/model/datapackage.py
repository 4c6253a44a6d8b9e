"""A dataset as a Frictionless Data Package descriptor."""

from __future__ import annotations

from typing import Any

from opencatalog.model.catalog import Dataset
from opencatalog.model.filekind import is_table


def package_descriptor(dataset: Dataset) -> dict[str, Any]:
    """The dataset's file resources as a data package rooted at datapackages/<dataset>/.

    External-URL resources are left out: validation never fetches from the network; so are
    files that are not tables (model/filekind.py): they are never read as CSV.
    """
    resources = []
    for resource in dataset.resources:
        if resource.data_file is None or resource.name is None or not is_table(resource):
            continue
        entry: dict[str, Any] = {
            "name": resource.name,
            "path": resource.data_file.relative_to(dataset.data_dir).as_posix(),
            "encoding": resource.encoding,
        }
        fmt = resource.resolved_format
        if fmt:
            entry["format"] = fmt.lower()
        if resource.schema is not None:
            entry["schema"] = resource.schema
        if fmt == "XLSX":  # frictionless reads the sheet (by name or number) with openpyxl
            entry["dialect"] = {"excel": {"sheet": resource.sheet or 1}}
            entry.pop("encoding")
        resources.append(entry)
    return {"name": dataset.name or "dataset", "resources": resources}
