"""Licence names: GD Catalog's list and stock CKAN's licence register.

Catalog YAML uses GD Catalog's licence names (what Thai portals store); for a stock
CKAN portal they map to the closest id of CKAN's default register.  A stock-CKAN
catalog may also use CKAN ids directly.
"""

from __future__ import annotations

CKAN_LICENSE_IDS = (
    "notspecified", "odc-pddl", "odc-odbl", "odc-by", "cc-zero", "cc-by", "cc-by-sa", "gfdl",
    "other-open", "other-pd", "other-at", "uk-ogl", "cc-nc", "other-nc", "other-closed",
)

GDC_TO_CKAN = {
    "Open Data Common": "other-open",  # Thailand's Open Data Common licence has no CKAN id
    "Creative Commons Attributions": "cc-by",
    "Creative Commons Attribution Non-Commercial": "cc-nc",
    "Creative Commons Attribution Share-Alike": "cc-by-sa",
    "Creative Commons Attribution Non-Commercial Share-Alike": "other-nc",
    "Creative Commons Attribution Non-Commercial No-Derivs": "other-nc",
    "Creative Commons Attribution No-Derivs": "other-at",
    "อื่นๆ": "notspecified",
}


def ckan_license_id(name: str) -> str:
    return GDC_TO_CKAN.get(name, name)
