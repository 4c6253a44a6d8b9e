"""The inverse of mapping.py: CKAN dicts as the portal hands them back -> catalog YAML data.

`opencatalog import` writes what this returns; `mapping.py` must map it back to the same
CKAN fields (tests/unit/test_from_portal.py checks mapping(from_portal(x)) == x on both
profiles, so the two cannot drift). Fields the catalog format has no place for are
returned apart (`Unplaced`), to be reported: they stay on the portal untouched, since a
publish only patches the fields the catalog manages.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any
from urllib.parse import unquote, urlparse

from opencatalog.bookkeeping import ALL_KEYS, extras_of
from opencatalog.desired.mapping import PHONE_EXTRA, RESOURCE_KEY
from opencatalog.gdc import standard

RULE = "\n\n---\n\n"  # bilingual(): Thai, the rule, then **English title** and the English text
_HEADING = re.compile(r"^\*\*(?P<title>[^*\n]+)\*\*\n\n(?P<rest>.*)\Z", re.S)

# What CKAN itself sets on a dataset or resource: nothing for a catalog to keep.
_CKAN_DATASET_KEYS = frozenset({
    "id", "state", "type", "metadata_created", "metadata_modified", "creator_user_id",
    "num_resources", "num_tags", "revision_id", "isopen", "license_title", "license_url",
    "organization", "owner_org", "relationships_as_object", "relationships_as_subject",
    "tracking_summary", "resources", "tags", "groups", "extras", "private", "name", "title",
    "notes", "maintainer", "maintainer_email", "license_id", "tag_string"})
_CKAN_RESOURCE_KEYS = frozenset({
    "id", "package_id", "state", "created", "last_modified", "metadata_modified", "position",
    "url_type", "size", "mimetype", "mimetype_inner", "cache_url", "cache_last_updated",
    "revision_id", "datastore_active", "datastore_contains_all_records_of_source_file",
    "hash", "tracking_summary", "resource_type", "url", "name", "description", "format",
    RESOURCE_KEY, "sha256", "schema", "opencatalog_datastore", "ignore_hash",
    "original_url"})


@dataclass
class Unplaced:
    """Portal fields with no place in the catalog format (kept on the portal, reported)."""

    where: str  # "dataset" or "resource <name>"
    key: str
    value: Any


@dataclass
class ImportedResource:
    data: dict[str, Any]  # the resource's YAML mapping (without path/schema for an upload)
    upload_url: str | None = None  # an uploaded file to download
    sha256: str | None = None  # what the portal says the file's sha256 is (OpenCatalog's)
    size: int | None = None
    schema: dict[str, Any] | None = None  # the Table Schema published with it
    datastore_active: bool = False
    file_name: str | None = None  # local file name for an upload
    resource_id: str | None = None  # on the portal


@dataclass
class ImportedDataset:
    data: dict[str, Any]
    resources: list[ImportedResource]
    unplaced: list[Unplaced] = field(default_factory=list)
    owned: bool = False


def split_bilingual(text: str | None) -> tuple[str, str | None, str | None]:
    """(Thai, English title, English text) of a text `bilingual()` wrote."""
    text = text or ""
    if RULE not in text:
        return text, None, None
    th, en = text.split(RULE, 1)
    match = _HEADING.match(en)
    if match:
        return th, match["title"], match["rest"]
    return th, None, en


def _text(th: str, en: str | None) -> Any:
    return {"th": th, "en": en} if en else th


def owner_yaml(org: dict[str, Any]) -> dict[str, Any]:
    th, title_en, desc_en = split_bilingual(org.get("description"))
    out: dict[str, Any] = {"name": org["name"],
                           "title": _text(org.get("title") or org["name"], title_en)}
    if th or desc_en:
        out["description"] = _text(th, desc_en)
    if org.get("image_url"):
        out["image_url"] = org["image_url"]
    return out


def _gdc_from(value: Any, multiple: bool, integer: bool) -> Any:
    if value is None or value == "" or value == []:
        return None
    if isinstance(value, str) and value.startswith("[") and value.endswith("]"):
        try:
            value = json.loads(value)
        except ValueError:
            pass
    if multiple and isinstance(value, str):
        value = [value]
    if integer and isinstance(value, str) and value.isdigit():
        return int(value)
    return value


def slug(text: str, fallback: str) -> str:
    """An ASCII catalog name (a-z 0-9 - _) for a portal title or file name."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    out = re.sub(r"[^a-z0-9_-]+", "-", ascii_text).strip("-_")
    return out[:100] or fallback


def _resource_name(res: dict[str, Any], index: int, taken: set[str]) -> str:
    name = res.get(RESOURCE_KEY)
    if not name:
        stem = PurePosixPath(unquote(urlparse(str(res.get("url") or "")).path)).stem
        name = slug(stem if res.get("url_type") == "upload" else "", "") or \
            slug(str(res.get("name") or ""), f"resource-{index + 1}")
    base, n = name, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    taken.add(name)
    return name


def resource_yaml(res: dict[str, Any], index: int, taken: set[str], profile: str
                  ) -> tuple[ImportedResource, list[Unplaced]]:
    name = _resource_name(res, index, taken)
    th, title_en, desc_en = split_bilingual(res.get("description"))
    data: dict[str, Any] = {"name": name,
                            "title": _text(str(res.get("name") or name), title_en)}
    if th or desc_en:
        data["description"] = _text(th, desc_en)
    upload = res.get("url_type") == "upload"
    imported = ImportedResource(data=data, resource_id=res.get("id"))
    if upload:
        url = str(res.get("url") or "")
        suffix = PurePosixPath(unquote(urlparse(url).path)).suffix.lower()
        imported.upload_url, imported.file_name = url, f"{name}{suffix}"
        imported.sha256 = res.get("sha256") or None
        imported.size = res.get("size") if isinstance(res.get("size"), int) else None
        data["path"] = imported.file_name
    else:
        data["url"] = res.get("url") or ""
    data["format"] = res.get("format") or ""
    if isinstance(res.get("schema"), str) and res["schema"].strip().startswith("{"):
        try:
            imported.schema = json.loads(res["schema"])
        except ValueError:
            imported.schema = None
    imported.datastore_active = res.get("datastore_active") in (True, "True", "true")
    gdc = {}
    names = set()
    for f in standard().gdc_resource_fields:
        names.add(f.name)
        value = _gdc_from(res.get(f.name), f.multiple, False)
        if value is not None:
            gdc[f.name] = value
    if gdc:
        data["gdc"] = gdc
    if not res.get(RESOURCE_KEY) and res.get("id"):
        data["id"] = res["id"]  # made by hand: publish matches it by this id
    unplaced = [Unplaced(f"resource {name}", k, v) for k, v in sorted(res.items())
                if k not in _CKAN_RESOURCE_KEYS and k not in names and not k.startswith("__")
                and v not in (None, "", [], {})]
    return imported, unplaced


def dataset_yaml(pkg: dict[str, Any], profile: str) -> ImportedDataset:
    """The dataset YAML data of a package_show result, its resources, and what has no place."""
    th, title_en, desc_en = split_bilingual(pkg.get("notes"))
    org = pkg.get("organization")
    data: dict[str, Any] = {
        "name": pkg["name"],
        "title": _text(pkg.get("title") or pkg["name"], title_en),
        "description": _text(th, desc_en),
        "organization": org["name"] if isinstance(org, dict) else pkg.get("owner_org"),
    }
    groups = [g["name"] for g in pkg.get("groups") or []]
    if groups:
        data["groups"] = groups
    data["tags"] = [t["name"] for t in pkg.get("tags") or []]
    if pkg.get("license_id"):
        data["license"] = pkg["license_id"]
    if pkg.get("private"):
        data["private"] = True
    extras = extras_of(pkg)
    contact = {k: v for k, v in (("name", pkg.get("maintainer")),
                                 ("email", pkg.get("maintainer_email")),
                                 ("phone", extras.get(PHONE_EXTRA) if profile == "ckan" else None))
               if v}
    if contact:
        data["contact"] = contact
    source = pkg if profile == "thai-gdc" else extras
    gdc = {}
    for f in standard().gdc_dataset_fields:
        value = _gdc_from(source.get(f.name), f.multiple, f.name == "update_frequency_interval")
        if value is not None:
            gdc[f.name] = value
    if gdc:
        data["gdc"] = gdc
    imported = ImportedDataset(data=data, resources=[])
    taken: set[str] = set()
    for index, res in enumerate(pkg.get("resources") or []):
        resource, unplaced = resource_yaml(res, index, taken, profile)
        imported.resources.append(resource)
        imported.unplaced += unplaced
    data["resources"] = [r.data for r in imported.resources]
    gdc_names = {f.name for f in standard().gdc_dataset_fields}
    placed = _CKAN_DATASET_KEYS | (gdc_names if profile == "thai-gdc" else set())
    imported.unplaced[:0] = [Unplaced("dataset", k, v) for k, v in sorted(pkg.items())
                             if k not in placed and k not in ALL_KEYS and not k.startswith("__")
                             and v not in (None, "", [], {})]
    managed_extras = (gdc_names | {PHONE_EXTRA}) if profile == "ckan" else set()
    imported.unplaced += [Unplaced("dataset", f"extras.{k}", v) for k, v in sorted(extras.items())
                          if k not in managed_extras and k not in ALL_KEYS]
    return imported
