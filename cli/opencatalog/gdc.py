"""The Thai Government Data Catalog (GD Catalog) standard, read from the packaged reference.

`reference/gd-catalog-fields.yaml` is the single source of truth for field names,
required flags, the data types a field applies to and the exact allowed values; the
JSON Schema, the validation rules, the CKAN mapping and the local portal's scheming
schema are all derived from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib.resources import files

import yaml

OTHER = "อื่นๆ"  # the choice that asks for a free-text <field>_other companion

DATA_TYPE_CODES = {
    "ข้อมูลระเบียน": "R",
    "ข้อมูลสถิติ": "S",
    "ข้อมูลภูมิสารสนเทศเชิงพื้นที่": "G",
    "ข้อมูลหลากหลายประเภท": "M",
    "ข้อมูลประเภทอื่นๆ": "O",
}

# Fields a dataset YAML gives with core keys instead of under `gdc:`.
CORE_DATASET_FIELDS = {
    "title": "title",
    "name": "name",
    "owner_org": "organization",
    "maintainer": "contact.name",
    "maintainer_email": "contact.email",
    "notes": "description",
    "tag_string": "tags",
    "license_id": "license",
}
CORE_RESOURCE_FIELDS = {"url", "name", "description", "format"}

DATE_FIELDS_NOTE = "date"


@dataclass(frozen=True)
class GdcField:
    name: str
    label_th: str | None
    label_en: str | None
    required: bool
    applies_to: str  # subset of "RSGMO"
    choices: tuple[str, ...] | None
    multiple: bool
    note: str | None
    portal_checks: tuple[str, ...] = ()  # what a real GD portal refuses (see the reference)
    companion: str | None = None  # the `<name>_other` field the standard lists beside it

    @property
    def other_choice(self) -> str | None:
        """The choice that asks for the companion: อื่นๆ, or data_type's ข้อมูลประเภทอื่นๆ."""
        if not self.companion or not self.choices:
            return None
        return next((c for c in self.choices if c.endswith(OTHER)), None)

    @property
    def has_other(self) -> bool:
        return self.other_choice is not None

    @property
    def is_companion(self) -> bool:
        return self.name.endswith("_other") and not self.label_th

    @property
    def title(self) -> str:
        return " / ".join(x for x in (self.label_th, self.label_en) if x) or self.name

    @property
    def is_date(self) -> bool:
        return bool(self.note) and self.note.startswith("date")

    def applies(self, data_type_code: str | None) -> bool:
        return data_type_code is None or data_type_code in self.applies_to


@dataclass(frozen=True)
class GdcStandard:
    dataset_fields: tuple[GdcField, ...]
    resource_fields: tuple[GdcField, ...]
    portal_rules: dict[str, str]

    def dataset_field(self, name: str) -> GdcField | None:
        return next((f for f in self.dataset_fields if f.name == name), None)

    def resource_field(self, name: str) -> GdcField | None:
        return next((f for f in self.resource_fields if f.name == name), None)

    @property
    def gdc_dataset_fields(self) -> tuple[GdcField, ...]:
        """Fields written under `gdc:` in a dataset YAML (not the core CKAN ones)."""
        return tuple(f for f in self.dataset_fields if f.name not in CORE_DATASET_FIELDS)

    @property
    def gdc_resource_fields(self) -> tuple[GdcField, ...]:
        return tuple(f for f in self.resource_fields if f.name not in CORE_RESOURCE_FIELDS)


def _fields(raws: list[dict]) -> tuple[GdcField, ...]:
    names = {raw["name"] for raw in raws}
    out = []
    for raw in raws:
        choices = raw.get("choices")
        companion = f"{raw['name']}_other"
        out.append(GdcField(
            name=raw["name"],
            label_th=raw.get("th"),
            label_en=raw.get("en"),
            required=bool(raw.get("required", False)),
            applies_to=raw.get("applies_to", "RSGMO"),
            choices=tuple(str(c) for c in choices) if choices else None,
            multiple=bool(raw.get("multiple", False)),
            note=raw.get("note"),
            portal_checks=tuple(raw.get("portal_checks") or ()),
            companion=companion if companion in names else None,
        ))
    return tuple(out)


@cache
def standard() -> GdcStandard:
    text = files("opencatalog").joinpath("reference/gd-catalog-fields.yaml").read_text("utf-8")
    raw = yaml.safe_load(text)
    return GdcStandard(
        dataset_fields=_fields(raw["dataset_fields"]),
        resource_fields=_fields(raw["resource_fields"]),
        portal_rules=dict(raw.get("portal_rules", {})),
    )
