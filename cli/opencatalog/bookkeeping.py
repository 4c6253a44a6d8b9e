"""What OpenCatalog stores on a portal dataset for itself, and where: the `extras` list.

A GD Catalog portal runs ckanext-scheming, which silently drops top-level dataset keys
its schema does not declare; the free `extras` list survives package_create,
package_patch and package_show there as on stock CKAN. So the ownership marker and
the metadata fingerprint travel as extras on every profile, under names no schema
declares (CKAN refuses an extra named like a schema field).

Versions before 0.2 stored `opencatalog_managed` / `opencatalog_source` as top-level
fields (thai-gdc) or extras (ckan). Those datasets are still recognised as owned, and
the next publish moves the bookkeeping to the keys below.
"""

from __future__ import annotations

from typing import Any

OWNER_KEY = "opencatalog_owner"  # present on every dataset OpenCatalog created or adopted
OWNER_VALUE = "opencatalog"
FINGERPRINT_KEY = "opencatalog_fingerprint"  # metadata last published, to see edits made by hand
PROVENANCE_KEY = "opencatalog_provenance"  # JSON: repository, commit, CI run, tool, time (provenance.py)
LOCK_KEY = "opencatalog_lock"  # JSON: who is publishing the dataset now (apply/lock.py)
KEYS = (OWNER_KEY, FINGERPRINT_KEY, PROVENANCE_KEY, LOCK_KEY)
LEGACY_OWNER_KEY = "opencatalog_managed"
LEGACY_FINGERPRINT_KEY = "opencatalog_source"
LEGACY_KEYS = (LEGACY_OWNER_KEY, LEGACY_FINGERPRINT_KEY)
ALL_KEYS = frozenset(KEYS + LEGACY_KEYS)


def extras_of(pkg: dict[str, Any]) -> dict[str, Any]:
    """A package's extras as a mapping (CKAN hands them as a list of key/value dicts)."""
    return {item["key"]: item.get("value") for item in pkg.get("extras") or []
            if isinstance(item, dict) and "key" in item}


def _legacy(pkg: dict[str, Any], key: str) -> Any:
    return pkg.get(key) or extras_of(pkg).get(key)


def is_owned(pkg: dict[str, Any]) -> bool:
    return bool(extras_of(pkg).get(OWNER_KEY) or _legacy(pkg, LEGACY_OWNER_KEY))


def stored_fingerprint(pkg: dict[str, Any]) -> str:
    return str(extras_of(pkg).get(FINGERPRINT_KEY) or "")


def legacy_keys(pkg: dict[str, Any]) -> dict[str, Any]:
    """Bookkeeping of an earlier version still on the dataset (to be moved), with its values."""
    return {key: value for key in LEGACY_KEYS if (value := _legacy(pkg, key))}


def legacy_top_level(pkg: dict[str, Any]) -> list[str]:
    """Legacy keys stored as top-level fields: a publish must clear them there."""
    return [key for key in LEGACY_KEYS if pkg.get(key)]


def with_bookkeeping(extras: list[dict[str, Any]], fingerprint: str | None,
                     provenance: str | None = None) -> list[dict[str, Any]]:
    """`extras` (without any bookkeeping) plus the owner marker and, once known, the
    fingerprint and the provenance of the publish."""
    out = [e for e in extras if e.get("key") not in ALL_KEYS]
    out.append({"key": OWNER_KEY, "value": OWNER_VALUE})
    if fingerprint:
        out.append({"key": FINGERPRINT_KEY, "value": fingerprint})
    if provenance:
        out.append({"key": PROVENANCE_KEY, "value": provenance})
    return sorted(out, key=lambda e: e["key"])
