"""Cross-references: names exist, are unique, and files are where the YAML says."""

from __future__ import annotations

import difflib
from collections import defaultdict

from opencatalog.model.catalog import Catalog, Dataset
from opencatalog.report.model import Finding


def _did_you_mean(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.5)
    if close:
        return f"did you mean '{close[0]}'?"
    return "known: " + (", ".join(sorted(known)) if known else "none yet")


def check_owners(catalog: Catalog) -> list[Finding]:
    out: list[Finding] = []
    for table in (catalog.organizations, catalog.groups):
        for key, owner in table.items():
            stem = owner.doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            if owner.name and owner.name != stem:
                out.append(owner.doc.finding(
                    f"{owner.kind}.file-name", f"{owner.kind} name '{owner.name}' differs from its "
                    f"file name '{stem}.yaml'", ("name",), hint=f"rename the file to {key}.yaml"))
    config = catalog.config
    default_org = config.default_organization
    if config.doc and default_org and default_org not in catalog.organizations:
        out.append(config.doc.finding(
            "reference.organization", f"default organization '{default_org}' has no file "
            f"catalog/organizations/{default_org}.yaml", ("defaults", "organization"),
            hint=_did_you_mean(default_org, list(catalog.organizations))))
    return out


def check_dataset_references(catalog: Catalog, dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    doc, name = dataset.doc, dataset.name
    org = dataset.organization
    if org and org not in catalog.organizations:
        out.append(doc.finding(
            "reference.organization", f"organization '{org}' does not exist in catalog/organizations/",
            ("organization",), dataset=name, hint=_did_you_mean(org, list(catalog.organizations))))
    for index, group in enumerate(dataset.groups):
        if group not in catalog.groups:
            out.append(doc.finding(
                "reference.group", f"group '{group}' does not exist in catalog/groups/",
                ("groups", index), dataset=name, hint=_did_you_mean(group, list(catalog.groups))))
    seen: dict[str, int] = {}
    for resource in dataset.resources:
        if resource.name is None:
            continue
        if resource.name in seen:
            out.append(doc.finding(
                "resource.duplicate-name", f"resource name '{resource.name}' is used twice in this "
                f"dataset (first as resource {seen[resource.name] + 1})",
                (*resource.yaml_path, "name"), dataset=name, hint="give each resource its own name"))
        seen.setdefault(resource.name, resource.index)
        if resource.data_file is not None and not resource.data_file.is_file():
            rel = resource.data_file.relative_to(catalog.root).as_posix()
            problem = (f"{rel} is a folder, not a data file" if resource.data_file.is_dir()
                       else f"data file {rel} does not exist")
            out.append(doc.finding(
                "path.missing-data", problem, (*resource.yaml_path, "path"),
                dataset=name, resource=resource.name,
                hint=f"name a file under datapackages/{dataset.name}/"))
        if resource.datastore and not (resource.is_file and resource.resolved_format in ("CSV", "XLSX")
                                       and resource.schema is not None):
            what = "a link" if not resource.is_file else "not a CSV or XLSX file with a table schema"
            out.append(doc.finding(
                "resource.datastore-unloadable",
                f"datastore: true, but resource '{resource.name}' is {what}; only CSV and XLSX "
                "files with a table schema are loaded into the DataStore",
                (*resource.yaml_path, "datastore"), dataset=name, resource=resource.name,
                hint="remove `datastore: true`, or give the resource a CSV file and a schema"))
    return out


def check_unique_names(catalog: Catalog, profile: str) -> list[Finding]:
    out: list[Finding] = []
    by_name: dict[str, list[Dataset]] = defaultdict(list)
    by_title: dict[str, list[Dataset]] = defaultdict(list)
    for dataset in catalog.datasets:
        if dataset.name:
            by_name[dataset.name].append(dataset)
        if dataset.title:
            by_title[dataset.title.th.strip()].append(dataset)
    for name, datasets in by_name.items():
        for dataset in datasets[1:]:
            out.append(dataset.doc.finding(
                "dataset.duplicate-name", f"dataset name '{name}' is also used by {datasets[0].file}",
                ("name",), dataset=name, hint="dataset names are URLs and must be unique"))
    if profile == "thai-gdc":
        for title, datasets in by_title.items():
            for dataset in datasets[1:]:
                out.append(dataset.doc.finding(
                    "portal.duplicate-title", f"title '{title}' is also used by {datasets[0].file}",
                    ("title",), dataset=dataset.name, rule="GD Catalog portal rule: dataset_title",
                    hint="GD Catalog portals refuse a second dataset with the same title"))
    return out
