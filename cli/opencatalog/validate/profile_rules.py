"""Rules of the metadata profile and of the portal that will receive the catalog.

`thai-gdc`: the GD Catalog standard (required fields, choices, fields per data type,
<field>_other companions) and the rules GD Catalog portals enforce (names ≤ 70,
Thai tags allowed).  `ckan`: stock CKAN's rules (names ≤ 100, its tag rule, which
rejects Thai vowel and tone marks).  Each finding names the rule that failed.
"""

from __future__ import annotations

import re
from typing import Any

from opencatalog.gdc import CORE_DATASET_FIELDS, DATA_TYPE_CODES, OTHER, GdcField, standard
from opencatalog.licenses import CKAN_LICENSE_IDS, GDC_TO_CKAN
from opencatalog.model.catalog import Dataset, Resource
from opencatalog.report.model import Finding

# CKAN core: ckan/logic/validators.py tag_name_validator uses r'^[\w \-.]*$' (re.UNICODE).
# Python's \w does not match Thai combining vowels and tone marks (category Mn), as in CKAN.
CKAN_TAG = re.compile(r"^[\w \-.]*$", re.UNICODE)
GDC_TAG = re.compile(r"^[\w \-.ก-๙]*$", re.UNICODE)
TAG_MIN, TAG_MAX = 2, 100
NAME_MAX = {"thai-gdc": 70, "ckan": 100}
PORTAL = {"thai-gdc": "GD Catalog portal rule", "ckan": "stock CKAN rule"}


def _core_value(dataset: Dataset, field: str) -> Any:
    return {
        "title": dataset.title,
        "name": dataset.name,
        "owner_org": dataset.organization,
        "maintainer": dataset.contact.name,
        "maintainer_email": dataset.contact.email,
        "telephone_number": dataset.contact.phone,
        "notes": dataset.description,
        "tag_string": dataset.tags or None,
        "license_id": dataset.license,
    }[field]


def _yaml_key(field: str) -> tuple[str, ...]:
    return tuple(CORE_DATASET_FIELDS[field].split("."))


def _name_rules(dataset: Dataset, profile: str) -> list[Finding]:
    out: list[Finding] = []
    doc, name = dataset.doc, dataset.name
    if name is None:
        return out
    stem = doc.file.rsplit("/", 1)[-1].rsplit(".", 1)[0]
    if stem != name:
        out.append(doc.finding("dataset.file-name", f"dataset name '{name}' differs from its file "
                               f"name '{stem}.yaml'", ("name",), dataset=name,
                               hint=f"rename the file to {name}.yaml or set name: {stem}"))
    limit = NAME_MAX[profile]
    if len(name) > limit:
        out.append(doc.finding(
            "portal.name-length", f"dataset name has {len(name)} characters; the portal allows "
            f"at most {limit}", ("name",), dataset=name, rule=f"{PORTAL[profile]}: dataset_name",
            hint="shorten the name (it is the dataset's URL)"))
    return out


def _tag_rules(dataset: Dataset, profile: str) -> list[Finding]:
    out: list[Finding] = []
    pattern = GDC_TAG if profile == "thai-gdc" else CKAN_TAG
    for index, tag in enumerate(dataset.tags):
        where = ("tags", index)
        if not TAG_MIN <= len(tag) <= TAG_MAX:
            out.append(dataset.doc.finding(
                "portal.tag-length", f"tag '{tag}' must have {TAG_MIN} to {TAG_MAX} characters",
                where, dataset=dataset.name, rule=f"{PORTAL[profile]}: tags"))
        elif not pattern.match(tag):
            hint = ("stock CKAN accepts only letters, digits, space, - _ and .; Thai vowel and "
                    "tone marks are refused — use the thai-gdc profile for a GD Catalog portal, "
                    "or an English tag" if profile == "ckan" else
                    "use Thai or Latin letters, digits, space, - _ and . only")
            out.append(dataset.doc.finding(
                "portal.tag-characters", f"tag '{tag}' has characters the portal refuses",
                where, dataset=dataset.name, rule=f"{PORTAL[profile]}: tags", hint=hint))
    return out


def _license_rule(dataset: Dataset, profile: str) -> list[Finding]:
    lic = dataset.license
    if lic is None:
        return []
    allowed = (list(GDC_TO_CKAN) if profile == "thai-gdc"
               else list(GDC_TO_CKAN) + list(CKAN_LICENSE_IDS))
    if lic in allowed:
        return []
    return [dataset.doc.finding(
        "gdc.license", f"licence '{lic}' is not known to the {profile} profile", ("license",),
        dataset=dataset.name, hint="use one of: " + ", ".join(allowed))]


def _choice_companions(doc_finding, values: dict[str, Any], fields: tuple[GdcField, ...],
                       prefix: tuple[str | int, ...], dataset: str | None) -> list[Finding]:
    """`<field>_other` must be filled exactly when the choice อื่นๆ is taken."""
    out: list[Finding] = []
    for field in fields:
        if not field.has_other:
            continue
        value = values.get(field.name)
        chose_other = value == OTHER or (isinstance(value, list) and OTHER in value)
        companion = f"{field.name}_other"
        if chose_other and not values.get(companion):
            out.append(doc_finding("gdc.other-missing",
                                   f"{field.name} is 'อื่นๆ' but {companion} is not given",
                                   (*prefix, field.name), dataset=dataset,
                                   hint=f"add {companion}: <what the other value is>"))
        elif values.get(companion) and not chose_other:
            out.append(doc_finding("gdc.other-unused",
                                   f"{companion} is given but {field.name} is not 'อื่นๆ'",
                                   (*prefix, companion), dataset=dataset, severity="warning",
                                   hint=f"remove {companion} or choose อื่นๆ"))
    return out


def _gdc_dataset_rules(dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    gdc = standard()
    doc = dataset.doc
    data_type = dataset.gdc.get("data_type")
    code = DATA_TYPE_CODES.get(data_type) if isinstance(data_type, str) else None
    for field in gdc.dataset_fields:
        if not (field.required and field.applies(code)):
            continue
        if field.name in CORE_DATASET_FIELDS:
            if _core_value(dataset, field.name) in (None, "", []):
                key = CORE_DATASET_FIELDS[field.name]
                out.append(doc.finding(
                    "gdc.required", f"GD Catalog requires {field.name} ({field.label_th}); "
                    f"give it as '{key}'", _yaml_key(field.name)[:1], dataset=dataset.name,
                    hint=f"add {key}: ..." + (" (or a default in catalog.yaml)"
                                              if key in ("organization", "license") else "")))
        elif dataset.gdc.get(field.name) in (None, "", []):
            out.append(doc.finding(
                "gdc.required", f"GD Catalog requires gdc.{field.name} ({field.label_th})",
                ("gdc",), dataset=dataset.name,
                hint=(f"add {field.name}: one of " + ", ".join(field.choices)
                      if field.choices else f"add {field.name}: ...")))
    if code is not None:
        for field in gdc.gdc_dataset_fields:
            if field.name in dataset.gdc and not field.applies(code):
                out.append(doc.finding(
                    "gdc.not-applicable", f"gdc.{field.name} does not apply to {data_type} "
                    "datasets; GD Catalog portals hide it", ("gdc", field.name), key=True,
                    dataset=dataset.name, severity="warning", hint="remove it or change data_type"))
    out += _choice_companions(doc.finding, dataset.gdc, gdc.gdc_dataset_fields, ("gdc",),
                              dataset.name)
    for resource in dataset.resources:
        out += _choice_companions(doc.finding, resource.gdc, gdc.gdc_resource_fields,
                                  (*resource.yaml_path, "gdc"), dataset.name)
    return out


def _resource_rules(dataset: Dataset, resource: Resource) -> list[Finding]:
    out: list[Finding] = []
    if resource.is_file and resource.schema is None and resource.schema_file is None and \
            (resource.resolved_format or "") in ("CSV", "TSV"):
        out.append(dataset.doc.finding(
            "resource.no-schema", f"resource '{resource.name}' has no table schema, so its types "
            "and constraints are not checked", resource.yaml_path, dataset=dataset.name,
            severity="warning", hint="add schema: <file>.schema.yaml beside the data"))
    return out


def check_dataset(dataset: Dataset, profile: str) -> list[Finding]:
    out = _name_rules(dataset, profile) + _tag_rules(dataset, profile)
    out += _license_rule(dataset, profile)
    if profile == "thai-gdc":
        out += _gdc_dataset_rules(dataset)
    for resource in dataset.resources:
        out += _resource_rules(dataset, resource)
    return out
