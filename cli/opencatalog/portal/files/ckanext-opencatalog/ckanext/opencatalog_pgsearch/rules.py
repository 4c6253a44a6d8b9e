"""GD Catalog portal rules (portal_rules in gd-catalog-fields.yaml).

Used only when the portal runs in GD Catalog mode (opencatalog.gdc_rules).
The generated scheming schema names these validators on its fields.
"""
from __future__ import annotations

from typing import Any

from ckan import model
from ckan.common import _
from ckan.lib.navl.dictization_functions import missing

NAME_MAX = 70
NAME_MIN = 2


def gdc_tag_name_validator(value: Any, context: Any) -> Any:
    """GD Catalog's tag check matches every string: any character is accepted (only CKAN's
    length check, 2-100, still applies)."""
    return value


def opencatalog_gdc_tag_string(key: tuple, data: dict, errors: dict, context: dict) -> None:
    """A tag_string that is sent must hold at least one tag (a missing one is skipped)."""
    value = data.get(key)
    if value is missing or value is None:
        return
    if isinstance(value, str) and not [t for t in value.split(",") if t.strip()]:
        errors[key].append(_("Tag string must contain at least one tag"))


def _own_package_id(key: tuple, data: dict, context: dict) -> str | None:
    package = context.get("package")
    if package is not None:
        return package.id
    pkg_id = data.get(key[:-1] + ("id",))
    return None if pkg_id in (None, missing, "") else pkg_id


def opencatalog_gdc_name(key: tuple, data: dict, errors: dict, context: dict) -> None:
    value = data.get(key)
    if not isinstance(value, str) or value is missing:
        return
    if not NAME_MIN <= len(value) <= NAME_MAX:
        errors[key].append(
            _("Name must be between %d and %d characters long") % (NAME_MIN, NAME_MAX)
        )
        return
    session = context.get("session") or model.Session
    query = session.query(model.Package.id).filter(
        model.Package.name == value, model.Package.state == model.State.DELETED
    )
    own = _own_package_id(key, data, context)
    if own:
        query = query.filter(model.Package.id != own)
    if session.query(query.exists()).scalar():
        errors[key].append(_("That URL is already in trash"))


def opencatalog_gdc_title_unique(key: tuple, data: dict, errors: dict, context: dict) -> None:
    value = data.get(key)
    if not isinstance(value, str) or not value:
        return
    session = context.get("session") or model.Session
    query = session.query(model.Package.id).filter(
        model.Package.title == value,  # exact: case and spaces count, as on GD portals
        model.Package.state != model.State.DELETED,
        model.Package.type == "dataset",
    )
    own = _own_package_id(key, data, context)
    if own:
        query = query.filter(model.Package.id != own)
    if session.query(query.exists()).scalar():
        errors[key].append(_("That title is already in use"))
