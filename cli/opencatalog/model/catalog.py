"""The catalog as typed objects, built from YAML documents.

Construction is tolerant: a value of the wrong type becomes None here and the JSON
Schema check reports it with its position, so one run shows every problem at once.
"""

from __future__ import annotations

import mimetypes
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import urlparse

from opencatalog.load.yaml_source import KeyPath, YamlDoc
from opencatalog.report.model import Finding


@dataclass(frozen=True)
class Text:
    th: str
    en: str | None = None

    @classmethod
    def parse(cls, raw: Any) -> Text | None:
        if isinstance(raw, str):
            return cls(th=raw)
        if isinstance(raw, dict) and isinstance(raw.get("th"), str):
            en = raw.get("en")
            return cls(th=raw["th"], en=en if isinstance(en, str) else None)
        return None


@dataclass(frozen=True)
class Target:
    name: str
    url: str
    profile: str | None = None

    @property
    def is_local(self) -> bool:
        return self.url == "local"


@dataclass
class CatalogConfig:
    doc: YamlDoc | None
    language: str = "th"
    profile: str = "thai-gdc"
    default_organization: str | None = None
    default_license: str | None = None
    default_contact: Contact | None = None  # defaults.contact: each field unless a dataset sets it
    targets: dict[str, Target] = field(default_factory=dict)


@dataclass
class Owner:
    """A CKAN organization or group."""

    kind: str  # "organization" | "group"
    doc: YamlDoc
    name: str | None
    title: Text | None
    description: Text | None
    url: str | None
    image_url: str | None


@dataclass
class Contact:
    name: str | None = None
    email: str | None = None
    phone: str | None = None


@dataclass
class Resource:
    index: int
    name: str | None
    title: Text | None
    description: Text | None
    path: str | None  # relative to the dataset's data folder
    url: str | None
    schema: dict[str, Any] | None  # the Table Schema, loaded
    schema_file: str | None  # repository-relative, when the schema lives in a file
    format: str | None
    encoding: str
    datastore: bool | None
    gdc: dict[str, Any]
    data_file: Path | None = None  # absolute path once resolved and checked
    schema_doc: YamlDoc | None = None  # the schema file with positions (None: inline or unreadable)
    sheet: str | int | None = None  # the worksheet of an XLSX table (None: the first)
    portal_id: str | None = None  # `id:` the portal resource it is (import: one made by hand)

    @property
    def yaml_path(self) -> KeyPath:
        return ("resources", self.index)

    @property
    def is_file(self) -> bool:
        return self.path is not None

    @property
    def resolved_format(self) -> str | None:
        if self.format:
            return self.format.upper()
        if self.path and "." in self.path:
            return self.path.rsplit(".", 1)[1].upper()
        if self.url:
            # as CKAN guesses a new link's format: from a file extension mimetypes knows
            suffix = PurePosixPath(urlparse(self.url).path).suffix
            if suffix and mimetypes.guess_type(f"x{suffix}")[0]:
                return suffix[1:].upper()
        return None


@dataclass(frozen=True)
class PdpaException:
    """A declared exception to the personal-data gate (`pdpa: exceptions:` in the dataset YAML)."""

    index: int
    resource: str | None
    column: str | None
    kinds: tuple[str, ...]  # empty: every kind
    reason: str | None
    decided_by: str | None

    @property
    def yaml_path(self) -> KeyPath:
        return ("pdpa", "exceptions", self.index)


@dataclass
class Dataset:
    doc: YamlDoc
    name: str | None
    title: Text | None
    description: Text | None
    organization: str | None
    groups: list[str]
    tags: list[str]
    license: str | None
    private: bool
    contact: Contact
    gdc: dict[str, Any]
    resources: list[Resource]
    data_dir: Path  # datapackages/<name>/
    pdpa_exceptions: list[PdpaException] = field(default_factory=list)

    @property
    def file(self) -> str:
        return self.doc.file

    def schema_finding(self, resource: Resource, code: str, message: str,
                       path: KeyPath = (), **extra: Any) -> Finding:
        """A finding at `path` inside `resource`'s table schema: its own file's line, or the
        inline schema's line in the dataset YAML."""
        extra.setdefault("dataset", self.name)
        extra.setdefault("resource", resource.name)
        if resource.schema_doc is not None:
            return resource.schema_doc.finding(code, message, path, **extra)
        if resource.schema_file is not None:  # a file without positions
            return Finding(code=code, message=message, file=resource.schema_file, line=1, **extra)
        return self.doc.finding(code, message, (*resource.yaml_path, "schema", *path), **extra)


@dataclass
class Catalog:
    root: Path
    config: CatalogConfig
    organizations: dict[str, Owner] = field(default_factory=dict)
    groups: dict[str, Owner] = field(default_factory=dict)
    datasets: list[Dataset] = field(default_factory=list)
    docs: list[tuple[str, YamlDoc]] = field(default_factory=list)  # (kind, doc) of every file
    load_findings: list[Finding] = field(default_factory=list)  # problems met while reading

    def dataset(self, name: str) -> Dataset | None:
        return next((d for d in self.datasets if d.name == name), None)
