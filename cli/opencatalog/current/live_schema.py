"""The portal's own dataset schema, when it runs ckanext-scheming (read-only)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ckanapi.errors import CKANAPIError

from opencatalog.ckan_client import (
    CkanClient,
    NotAuthorized,
    NotFound,
    PortalAnswerError,
    ValidationError,
)


@dataclass(frozen=True)
class LiveField:
    name: str
    label: str
    required: bool
    choices: tuple[str, ...] | None
    multiple: bool  # a multiple-choice field: the portal checks its choices


@dataclass
class LiveSchema:
    dataset_fields: dict[str, LiveField] = field(default_factory=dict)
    resource_fields: dict[str, LiveField] = field(default_factory=dict)


def _label(raw: Any) -> str:
    if isinstance(raw, dict):  # scheming's {lang: text}
        return str(raw.get("th") or raw.get("en") or next(iter(raw.values()), ""))
    return str(raw or "")


def _field(raw: dict[str, Any]) -> LiveField:
    choices = raw.get("choices")
    validators = str(raw.get("validators") or "")
    return LiveField(
        name=str(raw["field_name"]),
        label=_label(raw.get("label")),
        required=bool(raw.get("required")) or validators.split()[:1] == ["not_empty"],
        choices=tuple(str(c.get("value")) for c in choices if isinstance(c, dict))
        if isinstance(choices, list) else None,
        multiple="scheming_multiple_choice" in validators
        or raw.get("preset") == "multiple_checkbox",
    )


def parse_live_schema(raw: dict[str, Any]) -> LiveSchema:
    return LiveSchema(
        dataset_fields={f["field_name"]: _field(f) for f in raw.get("dataset_fields") or []
                        if isinstance(f, dict) and f.get("field_name")},
        resource_fields={f["field_name"]: _field(f) for f in raw.get("resource_fields") or []
                         if isinstance(f, dict) and f.get("field_name")})


def read_live_schema(client: CkanClient) -> LiveSchema | None:
    """The `dataset` schema the portal validates with; None when it runs no scheming."""
    try:
        raw = client.call("scheming_dataset_schema_show", type="dataset", expanded=True)
    except (NotFound, NotAuthorized, ValidationError):
        return None
    except (CKANAPIError, PortalAnswerError):  # stock CKAN: "Action name not known" (400)
        return None
    return parse_live_schema(raw) if isinstance(raw, dict) else None
