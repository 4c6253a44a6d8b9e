"""Reads a catalog repository into the model.

Layout: catalog/catalog.yaml, catalog/organizations/*.yaml, catalog/groups/*.yaml,
catalog/datasets/*.yaml, and data under datapackages/<dataset>/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from opencatalog.errors import OpenCatalogError
from opencatalog.load.paths import UnsafePath, resolve_inside
from opencatalog.load.yaml_source import YamlDoc, YamlProblem, parse_yaml, read_yaml
from opencatalog.model.catalog import (
    Catalog,
    CatalogConfig,
    Contact,
    Dataset,
    Owner,
    PdpaException,
    Resource,
    Target,
    Text,
)
from opencatalog.report.model import Finding

CATALOG_FILE = Path("catalog/catalog.yaml")


class CatalogNotFound(OpenCatalogError):
    """No catalog at the given place: a usage error (exit 2), not an invalid catalog."""


def find_root(start: Path, *, search_parents: bool = True) -> Path:
    """The repository root: `start` or (unless told not to) the nearest parent with a catalog.

    An explicit --root is taken as given: silently validating an enclosing catalog
    instead would report on the wrong files.
    """
    start = start.resolve()
    if start.is_file():
        start = start.parent
    for candidate in (start, *start.parents) if search_parents else (start,):
        if (candidate / CATALOG_FILE).is_file():
            return candidate
    raise CatalogNotFound(
        f"no catalog found: {start}{' nor a parent folder' if search_parents else ''} has no "
        f"{CATALOG_FILE}. "
        "Run the command inside a catalog repository or pass --root."
    )


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _str_list(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _read(path: Path, root: Path, findings: list[Finding]) -> YamlDoc | None:
    rel = path.relative_to(root).as_posix()
    if not path.resolve().is_relative_to(root.resolve()):
        # refused unread: a pull request could otherwise make CI echo a secret file's keys
        findings.append(Finding(code="path.outside", file=rel, hint="replace the link with the "
                                "file itself", message="the file is a link to a file outside the "
                                "repository; it is not read"))
        return None
    try:
        return read_yaml(path, root)
    except YamlProblem as problem:
        findings.append(Finding(code=problem.code, message=problem.message,
                                file=path.relative_to(root).as_posix(), line=problem.line,
                                column=problem.column, hint=problem.hint))
        return None


def _yaml_files(folder: Path) -> list[Path]:
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def _config(doc: YamlDoc | None) -> CatalogConfig:
    data = _dict(doc.data if doc else None)
    defaults = _dict(data.get("defaults"))
    contact = _dict(defaults.get("contact"))
    targets = {}
    for name, raw in _dict(data.get("targets")).items():
        raw = _dict(raw)
        if isinstance(raw.get("url"), str):
            targets[name] = Target(name=name, url=raw["url"], profile=_str(raw.get("profile")))
    return CatalogConfig(
        doc=doc,
        language=_str(data.get("language")) or "th",
        profile=_str(data.get("profile")) or "thai-gdc",
        default_organization=_str(defaults.get("organization")),
        default_license=_str(defaults.get("license")),
        default_contact=Contact(name=_str(contact.get("name")), email=_str(contact.get("email"))),
        targets=targets,
    )


def _owner(kind: str, doc: YamlDoc) -> Owner:
    data = _dict(doc.data)
    return Owner(kind=kind, doc=doc, name=_str(data.get("name")),
                 title=Text.parse(data.get("title")),
                 description=Text.parse(data.get("description")),
                 url=_str(data.get("url")), image_url=_str(data.get("image_url")))


def _table_schema(raw: Any, data_dir: Path, root: Path, doc: YamlDoc, index: int,
                  dataset: str | None, findings: list[Finding],
                  ) -> tuple[dict | None, str | None, YamlDoc | None]:
    if isinstance(raw, dict):
        return raw, None, None
    if not isinstance(raw, str):
        return None, None, None
    where = ("resources", index, "schema")
    try:
        path = resolve_inside(data_dir, raw, root)
    except UnsafePath as exc:
        findings.append(doc.finding("path.outside", str(exc), where, dataset=dataset,
                                    hint="keep table schemas beside the data they describe"))
        return None, None, None
    rel = path.relative_to(root).as_posix()
    if not path.is_file():
        findings.append(doc.finding(
            "path.missing-schema", f"table schema file {rel} does not exist", where,
            dataset=dataset, hint=f"create {rel} or fix the file name"))
        return None, rel, None
    try:
        if path.suffix == ".json":
            schema = json.loads(path.read_text("utf-8"))
            doc_of_schema = _json_positions(path, root)
        else:
            doc_of_schema = read_yaml(path, root)
            schema = doc_of_schema.data
    except YamlProblem as problem:
        findings.append(Finding(code=problem.code, message=problem.message, file=rel,
                                line=problem.line, column=problem.column, hint=problem.hint,
                                dataset=dataset))
        return None, rel, None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        findings.append(Finding(code="schema.syntax", message=f"table schema is not valid JSON: {exc}",
                                file=rel, dataset=dataset))
        return None, rel, None
    if not isinstance(schema, dict):
        findings.append(Finding(code="schema.shape", message="a table schema must be a mapping "
                                "with 'fields'", file=rel, line=1, dataset=dataset))
        return None, rel, None
    return schema, rel, doc_of_schema


def _json_positions(path: Path, root: Path) -> YamlDoc | None:
    """A JSON schema's positions, read as YAML (JSON is YAML); None when that fails."""
    try:
        return read_yaml(path, root)
    except YamlProblem:
        return None


def _resources(doc: YamlDoc, data_dir: Path, root: Path, dataset: str | None,
               findings: list[Finding]) -> list[Resource]:
    raw_list = _dict(doc.data).get("resources")
    out: list[Resource] = []
    for index, raw in enumerate(raw_list if isinstance(raw_list, list) else []):
        raw = _dict(raw)
        path = _str(raw.get("path"))
        data_file = None
        if path is not None:
            try:
                data_file = resolve_inside(data_dir, path, root)
            except UnsafePath as exc:
                findings.append(doc.finding("path.outside", str(exc), ("resources", index, "path"),
                                            dataset=dataset))
                path = None
        schema, schema_file, schema_doc = _table_schema(raw.get("schema"), data_dir, root, doc,
                                                        index, dataset, findings)
        datastore = raw.get("datastore")
        out.append(Resource(
            index=index,
            name=_str(raw.get("name")),
            title=Text.parse(raw.get("title")),
            description=Text.parse(raw.get("description")),
            path=path,
            url=_str(raw.get("url")),
            schema=schema,
            schema_file=schema_file,
            format=_str(raw.get("format")),
            encoding=_str(raw.get("encoding")) or "utf-8",
            datastore=datastore if isinstance(datastore, bool) else None,
            gdc=_dict(raw.get("gdc")),
            data_file=data_file,
            schema_doc=schema_doc,
            sheet=raw.get("sheet") if isinstance(raw.get("sheet"), str | int) else None,
            portal_id=_str(raw.get("id")),
        ))
    return out


def _pdpa_exceptions(raw: Any) -> list[PdpaException]:
    entries = _dict(raw).get("exceptions")
    out = []
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        entry = _dict(entry)
        out.append(PdpaException(index=index, resource=_str(entry.get("resource")),
                                 column=_str(entry.get("column")),
                                 kinds=tuple(_str_list(entry.get("kinds"))),
                                 reason=_str(entry.get("reason")),
                                 decided_by=_str(entry.get("decided_by"))))
    return out


def _dataset(doc: YamlDoc, config: CatalogConfig, root: Path, findings: list[Finding]) -> Dataset:
    data = _dict(doc.data)
    name = _str(data.get("name"))
    folder_name = name or Path(doc.file).stem
    data_dir = root / "datapackages" / folder_name
    contact = _dict(data.get("contact"))
    phone = contact.get("phone")
    default_contact = config.default_contact or Contact()
    return Dataset(
        doc=doc,
        name=name,
        title=Text.parse(data.get("title")),
        description=Text.parse(data.get("description")),
        organization=_str(data.get("organization")) or config.default_organization,
        groups=_str_list(data.get("groups")),
        tags=_str_list(data.get("tags")),
        license=_str(data.get("license")) or config.default_license,
        private=data.get("private") is True,
        contact=Contact(name=_str(contact.get("name")) or default_contact.name,
                        email=_str(contact.get("email")) or default_contact.email,
                        phone=str(phone) if isinstance(phone, str | int) else None),
        gdc=_dict(data.get("gdc")),
        resources=_resources(doc, data_dir, root, name, findings),
        data_dir=data_dir,
        pdpa_exceptions=_pdpa_exceptions(data.get("pdpa")),
    )


def _not_a_dataset(doc: YamlDoc) -> Finding:
    what = ("is empty" if doc.data is None else
            f"holds a {'list' if isinstance(doc.data, list) else 'single value'}, not a dataset")
    return Finding(code="dataset.empty" if doc.data is None else "dataset.not-a-mapping",
                   message=f"the file {what}", file=doc.file, line=1, column=1,
                   hint="a dataset file is a mapping of keys (name:, title:, description:, "
                        "resources:, ...; see docs/catalog-format.md), or delete the file")


def load_catalog(path: str | Path = ".", *, search_parents: bool = True) -> Catalog:
    """Load the catalog at `path` (the repository root or any folder inside it).

    Raises CatalogNotFound when there is no catalog; every other problem becomes a
    finding in `catalog.load_findings`, so validation can report them all together.
    """
    root = find_root(Path(path), search_parents=search_parents)
    findings: list[Finding] = []
    config_doc = _read(root / CATALOG_FILE, root, findings)
    if config_doc is not None and config_doc.data is None:
        config_doc = parse_yaml("{}", config_doc.file)
    config = _config(config_doc)
    catalog = Catalog(root=root, config=config, load_findings=findings)
    if config_doc is not None:
        catalog.docs.append(("catalog", config_doc))

    for kind, folder, table in (("organization", "organizations", catalog.organizations),
                                ("group", "groups", catalog.groups)):
        for file in _yaml_files(root / "catalog" / folder):
            doc = _read(file, root, findings)
            if doc is None:
                continue
            catalog.docs.append((kind, doc))
            owner = _owner(kind, doc)
            table.setdefault(owner.name or file.stem, owner)

    for file in _yaml_files(root / "catalog" / "datasets"):
        doc = _read(file, root, findings)
        if doc is None:
            continue
        if not isinstance(doc.data, dict):  # never "0 datasets checked: valid" for such a file
            findings.append(_not_a_dataset(doc))
            continue
        catalog.docs.append(("dataset", doc))
        catalog.datasets.append(_dataset(doc, config, root, findings))
    return catalog
