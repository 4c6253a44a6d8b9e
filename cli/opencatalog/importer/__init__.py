"""`opencatalog import`: a portal's organizations, groups and datasets -> catalog files.

Read-only on the portal (package_show, organization_show, group_show, package_search,
datastore_search with limit 0, and the downloads). What it writes is what
desired/from_portal.py returns, so the next `opencatalog plan` against the same portal is
empty (for a dataset made by hand: once adopted with `publish --adopt NAME`, which then
writes only bookkeeping). A dataset already in the catalog is compared, not overwritten,
unless `force`.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opencatalog.bookkeeping import is_owned
from opencatalog.ckan_client import CkanClient, NotAuthorized, NotFound
from opencatalog.datastore import DEFAULT_MAX_BYTES
from opencatalog.desired.from_portal import ImportedDataset, ImportedResource, dataset_yaml, owner_yaml
from opencatalog.errors import OpenCatalogError
from opencatalog.importer.dictionary import schema_from_dictionary
from opencatalog.importer.files import dump_yaml, header, text_encoding
from opencatalog.report.model import Finding, Report


@dataclass
class Selection:
    """Which datasets to import: names, every dataset of an organization, or all."""

    names: tuple[str, ...] = ()
    organization: str | None = None
    everything: bool = False


@dataclass
class _Written:
    files: list[str] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


def _search(client: CkanClient, fq: str) -> list[str]:
    names: list[str] = []
    start = 0
    while True:
        page = client.call("package_search", fq=fq, include_private=True, rows=1000, start=start,
                           fl="name", sort="name asc")
        names += [p["name"] for p in page["results"]]
        start += len(page["results"])
        if not page["results"] or start >= page["count"]:
            return names


def dataset_names(client: CkanClient, selection: Selection) -> list[str]:
    if selection.names:
        return list(selection.names)
    if selection.organization:
        return _search(client, f"organization:{selection.organization}")
    if selection.everything:
        return _search(client, "")  # CKAN adds +dataset_type:dataset itself
    raise OpenCatalogError("name the datasets to import, or use --organization ORG or --all")


def _rel(root: Path, path: Path) -> str:
    return path.relative_to(root).as_posix()


def _write(root: Path, path: Path, text: str, written: _Written) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    written.files.append(_rel(root, path))


def _differences(old: Any, new: Any, where: str = "") -> list[str]:
    """Dotted keys where the catalog's YAML and the portal differ."""
    if isinstance(old, dict) and isinstance(new, dict):
        out = []
        for key in [*old, *(k for k in new if k not in old)]:
            out += _differences(old.get(key), new.get(key), f"{where}.{key}" if where else key)
        return out
    if isinstance(old, list) and isinstance(new, list) and len(old) == len(new) \
            and all(isinstance(x, dict) for x in old + new):
        return [d for i, (a, b) in enumerate(zip(old, new, strict=True))
                for d in _differences(a, b, f"{where}[{i}]")]
    return [] if old == new else [where]


class Importer:
    def __init__(self, root: Path, client: CkanClient, profile: str, *, force: bool = False,
                 workers: int = 4) -> None:
        self.root, self.client, self.profile = root, client, profile
        self.force, self.workers = force, workers
        self.report = Report(command="import")

    def _finding(self, code: str, message: str, severity: str = "info", **extra: Any) -> None:
        self.report.findings.append(Finding(code=code, message=message,
                                            severity=severity, **extra))  # type: ignore[arg-type]

    # -- owners ------------------------------------------------------------------------------
    def write_owner(self, kind: str, name: str) -> None:
        folder = "organizations" if kind == "organization" else "groups"
        path = self.root / "catalog" / folder / f"{name}.yaml"
        try:
            owner = self.client.call(f"{kind}_show", id=name, include_datasets=False)
        except (NotFound, NotAuthorized):
            self._finding("import.unreadable", f"{kind} '{name}' could not be read on the portal",
                          "warning", file=_rel(self.root, path))
            return
        data = owner_yaml(owner)
        if path.is_file() and not self.force:
            old = yaml.safe_load(path.read_text("utf-8")) or {}
            for key in _differences(old, data):
                self._finding("import.differs", f"{kind} '{name}': {key} differs on the portal "
                              "(file kept; --force overwrites it)", "warning",
                              file=_rel(self.root, path), field=key)
            return
        written = _Written()
        _write(self.root, path, header(kind) + dump_yaml(data), written)
        self.report.summary.setdefault("written", []).extend(written.files)

    # -- datasets ----------------------------------------------------------------------------
    def _resource_files(self, dataset: str, resource: ImportedResource, written: _Written) -> None:
        data_dir = self.root / "datapackages" / dataset
        where = {"dataset": dataset, "resource": resource.data["name"]}
        if resource.upload_url:
            target = data_dir / str(resource.file_name)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                size, digest = self.client.download(resource.upload_url, target)
            except (NotFound, NotAuthorized, OpenCatalogError) as exc:
                target.unlink(missing_ok=True)
                written.findings.append(Finding(
                    code="import.download", file=_rel(self.root, target), **where,
                    message=f"the file could not be downloaded from {resource.upload_url}: "
                            f"{self.client.redact(str(exc)) or type(exc).__name__}",
                    hint="check that the token's user may read the dataset, then re-run import"))
                return
            written.files.append(_rel(self.root, target))
            if resource.sha256 and digest != resource.sha256:
                written.findings.append(Finding(
                    code="import.sha256-mismatch", file=_rel(self.root, target), **where,
                    message=f"the downloaded file's sha256 {digest[:12]}… is not the "
                            f"{resource.sha256[:12]}… the portal records",
                    hint="the file on the portal changed without its record; re-run import, "
                         "or publish the file you trust"))
            if resource.size is not None and size != resource.size:
                written.findings.append(Finding(
                    code="import.size-mismatch", severity="warning", file=_rel(self.root, target),
                    message=f"downloaded {size:,} bytes, the portal says {resource.size:,}",
                    **where))
            text = str(resource.data.get("format") or "").upper() in ("CSV", "TSV", "TXT")
            encoding = text_encoding(target) if text else None
            if encoding and encoding != "utf-8":
                resource.data["encoding"] = encoding
        schema = resource.schema
        if schema is None and resource.datastore_active:
            schema = self._dictionary_schema(resource, where, written)
        if schema is None and resource.upload_url and "id" in resource.data:
            # made by hand, no table: inferred as `new` does, names = the file's header
            from opencatalog.describe import infer_schema

            target = data_dir / str(resource.file_name)
            schema = infer_schema(target, str(resource.data.get("format") or ""),
                                  str(resource.data.get("encoding") or "utf-8"))
            if schema is not None:
                written.findings.append(Finding(
                    code="import.inferred", severity="info", **where,
                    file=_rel(self.root, data_dir / f"{resource.data['name']}.schema.yaml"),
                    message="the portal has no schema nor DataStore table for this file: its "
                            "Table Schema is inferred from the data (review it); `datastore: "
                            "false` keeps publish from loading it"))
        if schema is not None and resource.upload_url:
            schema_path = data_dir / f"{resource.data['name']}.schema.yaml"
            _write(self.root, schema_path, dump_yaml(schema), written)
            resource.data["schema"] = schema_path.name
            loads = resource.data.get("format", "").upper() in ("CSV", "XLSX") and \
                (resource.size or 0) <= DEFAULT_MAX_BYTES
            if loads != resource.datastore_active:
                resource.data["datastore"] = resource.datastore_active
        elif schema is not None:
            resource.data["schema"] = schema  # a link with a schema: inline

    def _dictionary_schema(self, resource: ImportedResource, where: dict[str, str],
                           written: _Written) -> dict[str, Any] | None:
        resource_id = resource.resource_id
        try:
            info = self.client.call("datastore_search", resource_id=resource_id, limit=0)
        except (NotFound, NotAuthorized):
            return None
        schema, notes = schema_from_dictionary(info.get("fields") or [])
        for note in notes:
            written.findings.append(Finding(code="import.dictionary", severity="warning",
                                            message=note, **where))
        return schema

    def import_dataset(self, name: str) -> tuple[ImportedDataset | None, _Written]:
        written = _Written()
        path = self.root / "catalog" / "datasets" / f"{name}.yaml"
        try:
            pkg = self.client.call("package_show", id=name)
        except (NotFound, NotAuthorized) as exc:
            what = "does not exist" if isinstance(exc, NotFound) else "is not readable with the token"
            written.findings.append(Finding(code="import.not-found", dataset=name,
                                            message=f"dataset '{name}' {what} on the portal"))
            return None, written
        imported = dataset_yaml(pkg, self.profile)
        imported.owned = is_owned(pkg)
        if path.is_file() and not self.force:
            old = yaml.safe_load(path.read_text("utf-8")) or {}
            new = dict(imported.data)
            for key in _differences({k: v for k, v in old.items()},
                                    {k: v for k, v in new.items()}):
                if key.startswith("resources") and key.endswith((".schema", ".path", ".encoding",
                                                                  ".datastore")):
                    continue  # local file names: not what the portal holds
                written.findings.append(Finding(
                    code="import.differs", severity="warning", file=_rel(self.root, path),
                    dataset=name, field=key,
                    message=f"{key} differs between the portal and the YAML (file kept; "
                            "--force overwrites it)"))
            return imported, written
        for resource in imported.resources:
            self._resource_files(name, resource, written)
        _write(self.root, path, header("dataset") + dump_yaml(imported.data), written)
        for item in imported.unplaced:
            written.findings.append(Finding(
                code="import.unplaced", severity="warning", file=_rel(self.root, path),
                dataset=name, field=item.key,
                message=f"{item.where}: the portal field '{item.key}' has no place in the "
                        "catalog format; it stays on the portal as it is (publish leaves it alone)"))
        if not imported.owned:
            written.findings.append(Finding(
                code="import.adopt", severity="info", file=_rel(self.root, path), dataset=name,
                message=f"dataset '{name}' was made on the portal, not by OpenCatalog",
                hint=f"review `opencatalog plan --adopt {name}`, then `opencatalog publish "
                     f"--adopt {name}` (it writes only OpenCatalog's bookkeeping)"))
        return imported, written

    def run(self, names: list[str]) -> Report:
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            results = list(pool.map(self.import_dataset, names))
        organizations: set[str] = set()
        groups: set[str] = set()
        for name, (imported, written) in zip(names, results, strict=True):
            self.report.findings.extend(written.findings)
            self.report.summary.setdefault("written", []).extend(written.files)
            if imported is None:
                continue
            self.report.datasets.append(name)
            if imported.data.get("organization"):
                organizations.add(imported.data["organization"])
            groups.update(imported.data.get("groups") or [])
        for org in sorted(organizations):
            self.write_owner("organization", org)
        for group in sorted(groups):
            self.write_owner("group", group)
        self.report.summary.update({"organizations": sorted(organizations),
                                    "api_calls": sum(self.client.calls.values()),
                                    "writes": self.client.writes})
        return self.report


def write_catalog_config(root: Path, *, target: str, url: str, profile: str,
                         organizations: list[str]) -> str | None:
    """catalog/catalog.yaml for a catalog `import --url` starts; None when one exists."""
    path = root / "catalog" / "catalog.yaml"
    if path.is_file():
        return None
    data: dict[str, Any] = {"language": "th", "profile": profile}
    if len(organizations) == 1:
        data["defaults"] = {"organization": organizations[0]}
    data["targets"] = {target: {"url": url}}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header("catalog") + dump_yaml(data), "utf-8")
    return _rel(root, path)


def import_catalog(root: str | Path, client: CkanClient, profile: str, selection: Selection, *,
                   force: bool = False, workers: int = 4) -> Report:
    """Import the selected datasets (and their organizations and groups) into `root`."""
    importer = Importer(Path(root), client, profile, force=force, workers=workers)
    return importer.run(dataset_names(client, selection))
