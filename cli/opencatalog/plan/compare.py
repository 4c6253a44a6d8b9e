"""Puts desired and current CKAN dicts into one comparable shape.

CKAN hands back what it was given in other clothes (tags as dicts with ids, the
organization as an object, numbers as text, extras as a list); comparing the
normalised forms is what makes a second publish a no-op.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from opencatalog.bookkeeping import ALL_KEYS
from opencatalog.desired.mapping import RESOURCE_KEY, managed_extra_keys
from opencatalog.gdc import standard

OWNER_FIELDS = ("title", "description", "image_url")


def norm(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str):
        text = value.strip()
        if text.startswith("[") and text.endswith("]"):
            # Some CKAN versions hand a multiple-choice value back as JSON text.
            try:
                parsed = json.loads(text)
            except ValueError:
                return text
            if isinstance(parsed, list):
                return norm(parsed)
        return text
    if isinstance(value, list):
        # An unset multiple-choice field comes back as [] where we sent nothing.
        return sorted((norm(v) for v in value), key=str) if value else ""
    if isinstance(value, dict):
        return {k: norm(v) for k, v in value.items()}
    return value


def managed_keys(desired_fields: dict[str, Any], profile: str) -> list[str]:
    keys = [k for k in desired_fields if k not in ALL_KEYS]
    if profile == "thai-gdc":
        # GD fields removed from the YAML must be cleared on the portal too.
        keys += [f.name for f in standard().gdc_dataset_fields if f.name not in keys]
    return keys


def _names(items: Any) -> list[str]:
    return sorted(i["name"] if isinstance(i, dict) else str(i) for i in items or [])


def _extras(items: Any, profile: str) -> dict[str, Any]:
    """The extras the catalog manages; bookkeeping and extras added by others are left out."""
    managed = managed_extra_keys(profile)
    return {i["key"]: norm(i.get("value")) for i in items or []
            if isinstance(i, dict) and i.get("key") in managed}


def comparable_desired(fields: dict[str, Any], keys: list[str], profile: str) -> dict[str, Any]:
    out = {}
    for key in keys:
        value = fields.get(key)
        if key in ("tags", "groups"):
            out[key] = _names(value)
        elif key == "extras":
            out[key] = _extras(value, profile)
        else:
            out[key] = norm(value)
    return out


def comparable_current(pkg: dict[str, Any], keys: list[str], profile: str) -> dict[str, Any]:
    out = {}
    for key in keys:
        if key in ("tags", "groups"):
            out[key] = _names(pkg.get(key))
        elif key == "extras":
            out[key] = _extras(pkg.get("extras"), profile)
        elif key == "owner_org":
            org = pkg.get("organization")
            out[key] = norm(org["name"] if isinstance(org, dict) else pkg.get("owner_org"))
        else:
            out[key] = norm(pkg.get(key))
    return out


def fingerprint(comparable: dict[str, Any]) -> str:
    text = json.dumps(comparable, ensure_ascii=False, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def resource_key(resource: dict[str, Any]) -> str | None:
    return resource.get(RESOURCE_KEY)
