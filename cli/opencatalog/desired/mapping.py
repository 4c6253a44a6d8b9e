"""Maps the catalog model to CKAN dicts, per metadata profile.

This is the one place where a catalog key becomes a CKAN field:
- `thai-gdc`: GD Catalog fields as top-level (ckanext-scheming) fields,
  multiple-choice fields as lists, `<field>_other` companions beside them;
- `ckan`: core CKAN fields; everything else as `extras`;
- on both, OpenCatalog's own bookkeeping as `extras` (see bookkeeping.py).
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

from opencatalog.bookkeeping import with_bookkeeping
from opencatalog.datastore.decide import loads_rows
from opencatalog.datastore.fields import table_spec
from opencatalog.desired.state import (
    DesiredDataset,
    DesiredDatastore,
    DesiredOwner,
    DesiredResource,
    DesiredState,
)
from opencatalog.gdc import standard
from opencatalog.licenses import ckan_license_id
from opencatalog.model.catalog import Catalog, Dataset, Owner, Resource, Text

PHONE_EXTRA = "contact_phone"  # stock CKAN has no phone field: an extra there
RESOURCE_KEY = "opencatalog_name"
HASH_CHUNK = 1024 * 1024


def bilingual(text: Text | None, en_heading: str | None = None) -> str:
    """Thai text, then the English version under a rule (CKAN has one text per field)."""
    if text is None:
        return ""
    if not text.en:
        return text.th
    heading = f"**{en_heading}**\n\n" if en_heading else ""
    return f"{text.th}\n\n---\n\n{heading}{text.en}"


def _gdc_value(value: Any) -> Any:
    if isinstance(value, bool):
        return "True" if value else "False"
    if isinstance(value, int | float):
        return str(value)
    return value


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def ascii_filename(name: str, path: Path) -> str:
    """CKAN strips non-ASCII characters from uploaded names; give it a clean one."""
    stem = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "data"
    return f"{stem}{path.suffix.lower()}"


def owner_fields(owner: Owner) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "name": owner.name,
        "title": owner.title.th if owner.title else owner.name,
        "description": bilingual(owner.description, owner.title.en if owner.title else None),
    }
    if owner.image_url:
        fields["image_url"] = owner.image_url
    return fields


def _datastore(resource: Resource) -> DesiredDatastore | None:
    if not loads_rows(resource):
        return None
    return DesiredDatastore(spec=table_spec(resource.schema or {}), encoding=resource.encoding,
                            sheet=resource.sheet, workbook=resource.resolved_format == "XLSX")


def _resource(dataset: Dataset, resource: Resource, profile: str) -> DesiredResource:
    assert resource.name is not None
    fields: dict[str, Any] = {
        RESOURCE_KEY: resource.name,
        "name": resource.title.th if resource.title else resource.name,
        "description": bilingual(resource.description, resource.title.en if resource.title else None),
        "format": resource.resolved_format or "",
    }
    if resource.schema is not None:
        # The Table Schema travels with the resource for portal-side validators.
        fields["schema"] = json.dumps(resource.schema, ensure_ascii=False, sort_keys=True)
    for key, value in resource.gdc.items():
        value = _gdc_value(value)
        if profile == "ckan" and isinstance(value, list):
            value = json.dumps(value, ensure_ascii=False)
        fields[key] = value
    if resource.data_file is not None:
        return DesiredResource(key=resource.name, fields=fields, file=resource.data_file,
                               sha256=file_sha256(resource.data_file),
                               upload_name=ascii_filename(resource.name, resource.data_file),
                               datastore=_datastore(resource), portal_id=resource.portal_id)
    return DesiredResource(key=resource.name, fields=fields, url=resource.url,
                           portal_id=resource.portal_id)


def dataset_fields(dataset: Dataset, profile: str) -> dict[str, Any]:
    assert dataset.name is not None
    title = dataset.title.th if dataset.title else dataset.name
    fields: dict[str, Any] = {
        "name": dataset.name,
        "title": title,
        "notes": bilingual(dataset.description, dataset.title.en if dataset.title else None),
        "owner_org": dataset.organization,
        "private": dataset.private,
        "maintainer": dataset.contact.name or "",
        "maintainer_email": dataset.contact.email or "",
        "tags": [{"name": tag} for tag in dataset.tags],
        "groups": [{"name": group} for group in dataset.groups],
    }
    lic = dataset.license or ""
    gdc = {key: _gdc_value(value) for key, value in dataset.gdc.items()}
    extras: dict[str, Any] = {}
    if profile == "thai-gdc":
        fields["license_id"] = lic
        fields.update(gdc)
        # contact.phone has no GD Catalog field: validate warns (gdc.phone-unpublished)
    else:
        fields["license_id"] = ckan_license_id(lic)
        extras = {k: json.dumps(v, ensure_ascii=False) if isinstance(v, list) else v
                  for k, v in gdc.items()}
        if dataset.contact.phone:
            extras[PHONE_EXTRA] = str(dataset.contact.phone)
    # Bookkeeping travels in extras on every profile (bookkeeping.py); the fingerprint is
    # added by apply once the dataset is complete.
    fields["extras"] = with_bookkeeping(
        [{"key": k, "value": v} for k, v in sorted(extras.items())], None)
    return fields


def managed_extra_keys(profile: str) -> frozenset[str]:
    """The extras the catalog owns on `profile`; other extras found on a dataset are kept."""
    if profile == "thai-gdc":
        return frozenset()
    return frozenset(f.name for f in standard().gdc_dataset_fields) | {PHONE_EXTRA}


def _lines(dataset: Dataset) -> dict[str, int]:
    """Where each CKAN field came from in the YAML, to point portal errors at a line."""
    where = dataset.doc.where
    lines = {"name": where(("name",))[0], "title": where(("title",))[0],
             "notes": where(("description",))[0], "owner_org": where(("organization",))[0],
             "tags": where(("tags",))[0], "groups": where(("groups",))[0],
             "maintainer": where(("contact", "name"))[0],
             "maintainer_email": where(("contact", "email"))[0],
             "license_id": where(("license",))[0], "resources": where(("resources",))[0]}
    for key in dataset.gdc:
        lines[key] = where(("gdc", key))[0]
    for resource in dataset.resources:  # where DataStore errors of a resource point
        lines[f"resource:{resource.name}"] = where(resource.yaml_path)[0]
    return {k: v for k, v in lines.items() if v}


def desired_state(catalog: Catalog, profile: str, only: set[str] | None = None) -> DesiredState:
    """The portal state the catalog asks for. Assumes the catalog validated."""
    datasets = [
        DesiredDataset(
            name=d.name, fields=dataset_fields(d, profile),
            resources=[_resource(d, r, profile) for r in d.resources if r.name],
            file=d.file, lines=_lines(d))
        for d in catalog.datasets
        if d.name and (only is None or d.name in only)
    ]
    used_orgs = {d.fields["owner_org"] for d in datasets}
    used_groups = {g["name"] for d in datasets for g in d.fields["groups"]}
    return DesiredState(
        profile=profile,
        organizations=[DesiredOwner("organization", name, owner_fields(o), o.doc.file)
                       for name, o in sorted(catalog.organizations.items())
                       if only is None or name in used_orgs],
        groups=[DesiredOwner("group", name, owner_fields(g), g.doc.file)
                for name, g in sorted(catalog.groups.items())
                if only is None or name in used_groups],
        datasets=datasets,
    )
