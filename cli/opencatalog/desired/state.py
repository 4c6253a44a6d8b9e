"""The state the portal should be in, as plain data (no portal calls here)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opencatalog.datastore.fields import TableSpec


@dataclass
class DesiredOwner:
    kind: str  # "organization" | "group"
    name: str
    fields: dict[str, Any]
    file: str  # YAML file it came from


@dataclass
class DesiredDatastore:
    """Rows of the resource's file to load into the portal's DataStore."""

    spec: TableSpec
    encoding: str = "utf-8"
    sheet: str | int | None = None  # an XLSX workbook's worksheet (None: a CSV file)
    workbook: bool = False  # the file is an XLSX workbook


@dataclass
class DesiredResource:
    key: str  # the catalog's resource name, stored on the portal as opencatalog_name
    fields: dict[str, Any]  # CKAN resource fields except url/upload/sha256
    file: Path | None = None  # a local file to upload
    url: str | None = None  # or an external link
    sha256: str | None = None
    upload_name: str | None = None  # ASCII file name the portal will serve
    datastore: DesiredDatastore | None = None
    portal_id: str | None = None  # the portal resource it is when that has no opencatalog_name


@dataclass
class DesiredDataset:
    name: str
    fields: dict[str, Any]  # CKAN package fields except resources
    resources: list[DesiredResource]
    file: str  # the dataset's YAML file
    lines: dict[str, int] = field(default_factory=dict)  # CKAN field -> YAML line, for errors


@dataclass
class DesiredState:
    profile: str
    organizations: list[DesiredOwner]
    groups: list[DesiredOwner]
    datasets: list[DesiredDataset]
