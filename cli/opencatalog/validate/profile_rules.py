"""Rules of the metadata profile and of the portal that will receive the catalog.

`thai-gdc`: the GD Catalog standard (required fields, choices, fields per data type,
<field>_other companions) and the rules GD Catalog portals enforce (names ≤ 70,
Thai tags allowed).  `ckan`: stock CKAN's rules (names ≤ 100, its tag rule, which
rejects Thai vowel and tone marks).  Each finding names the rule that failed.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from opencatalog.buddhist_era import LOOKS_BUDDHIST_AFTER, OFFSET
from opencatalog.gdc import (
    CORE_DATASET_FIELDS,
    DATA_TYPE_CODES,
    GdcField,
    standard,
)
from opencatalog.licenses import CKAN_LICENSE_IDS, GDC_TO_CKAN
from opencatalog.model.catalog import Dataset, Resource
from opencatalog.report.model import Finding

# CKAN core: ckan/logic/validators.py tag_name_validator uses r'^[\w \-.]*$' (re.UNICODE).
# Python's \w does not match Thai combining vowels and tone marks (category Mn), as in CKAN.
# GD Catalog portals accept any character in a tag (portal_rules.tags): length only.
CKAN_TAG = re.compile(r"^[\w \-.]*$", re.UNICODE)
TAG_MIN, TAG_MAX = 2, 100
NAME_MAX = {"thai-gdc": 70, "ckan": 100}
NAME_RESERVED = ("new", "edit", "search")  # CKAN's name_validator
# CKAN's email_validator (ckan/logic/validators.py email_pattern): ASCII only, no '..'.
EMAIL = re.compile(
    r"^(?!\.)(?!.*\.$)(?!.*?\.\.)[a-zA-Z0-9.!#$%&'*+\/=?^_`{|}~-]+@[a-zA-Z0-9]"
    r"(?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*$")
ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
PORTAL = {"thai-gdc": "GD Catalog portal rule", "ckan": "stock CKAN rule"}


def _core_value(dataset: Dataset, field: str) -> Any:
    return {
        "title": dataset.title,
        "name": dataset.name,
        "owner_org": dataset.organization,
        "maintainer": dataset.contact.name,
        "maintainer_email": dataset.contact.email,
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
    if name in NAME_RESERVED:
        out.append(doc.finding(
            "portal.name-reserved", f"'{name}' is a word CKAN reserves for its own pages",
            ("name",), dataset=name, rule=f"{PORTAL[profile]}: dataset_name",
            hint="choose another name"))
    limit = NAME_MAX[profile]
    if len(name) > limit:
        out.append(doc.finding(
            "portal.name-length", f"dataset name has {len(name)} characters; the portal allows "
            f"at most {limit}", ("name",), dataset=name, rule=f"{PORTAL[profile]}: dataset_name",
            hint="shorten the name (it is the dataset's URL)"))
    return out


def _tag_rules(dataset: Dataset, profile: str) -> list[Finding]:
    out: list[Finding] = []
    for index, tag in enumerate(dataset.tags):
        where = ("tags", index)
        if not TAG_MIN <= len(tag) <= TAG_MAX:
            out.append(dataset.doc.finding(
                "portal.tag-length", f"tag '{tag}' must have {TAG_MIN} to {TAG_MAX} characters",
                where, dataset=dataset.name, rule=f"{PORTAL[profile]}: tags"))
        elif profile == "ckan" and not CKAN_TAG.match(tag):
            out.append(dataset.doc.finding(
                "portal.tag-characters", f"tag '{tag}' has characters the portal refuses",
                where, dataset=dataset.name, rule=f"{PORTAL[profile]}: tags",
                hint="stock CKAN accepts only letters, digits, space, - _ and .; Thai vowel and "
                     "tone marks are refused — use the thai-gdc profile for a GD Catalog portal, "
                     "or an English tag"))
    return out


def _contact_rules(dataset: Dataset, profile: str) -> list[Finding]:
    out: list[Finding] = []
    email, phone = dataset.contact.email, dataset.contact.phone
    if isinstance(email, str) and email and not EMAIL.match(email):
        out.append(dataset.doc.finding(
            "portal.email", f"contact e-mail '{email}' is refused by the portal's e-mail check "
            "(maintainer_email)", ("contact", "email"), dataset=dataset.name,
            rule=f"{PORTAL[profile]}: email",
            hint="use an ASCII address such as data@cdd.go.th: Latin letters, digits and "
                 ". _ - + before the @, no two dots in a row, a domain of letters, digits, "
                 "'-' and '.' (no '_')"))
    if phone and profile == "thai-gdc":
        out.append(dataset.doc.finding(
            "gdc.phone-unpublished", "contact.phone is not published: the GD Catalog standard "
            "has no telephone field (a GD portal would drop it)", ("contact", "phone"),
            dataset=dataset.name, severity="warning",
            hint=f"put the number in contact.name (e.g. '{dataset.contact.name or 'ฝ่ายงาน'} "
                 f"โทร. {phone}') or remove contact.phone"))
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
    """`<field>_other` must be filled exactly when the choice อื่นๆ (or its kind) is taken."""
    out: list[Finding] = []
    for field in fields:
        other, companion = field.other_choice, field.companion
        if other is None or companion is None:
            continue
        value = values.get(field.name)
        chose_other = value == other or (isinstance(value, list) and other in value)
        if chose_other and not values.get(companion):
            out.append(doc_finding("gdc.other-missing",
                                   f"{field.name} is '{other}' but {companion} is not given",
                                   (*prefix, field.name), dataset=dataset,
                                   hint=f"add {companion}: <what the other value is>"))
        elif values.get(companion) and not chose_other:
            out.append(doc_finding("gdc.other-unused",
                                   f"{companion} is given but {field.name} is not '{other}'",
                                   (*prefix, companion), dataset=dataset, severity="warning",
                                   hint=f"remove {companion} or choose {other}"))
    return out


def _date_finding(doc_finding, field: GdcField, value: Any, where: tuple[str | int, ...],
                  dataset: str | None) -> Finding | None:
    """GD date fields go through CKAN's isodate: a real Gregorian day (portal_rules.dates)."""
    match = ISO_DATE.match(value) if isinstance(value, str) else None
    if match is None:
        return None  # the JSON Schema reports the shape
    year, month, day = (int(g) for g in match.groups())
    label = f"{'.'.join(str(p) for p in where[-2:])} ({field.label_th})"
    if year > LOOKS_BUDDHIST_AFTER:
        try:
            meant = dt.date(year - OFFSET, month, day).isoformat()
            hint = f"write the Gregorian (ค.ศ.) date: {meant}"
        except ValueError:
            hint = f"{value} is not a real day in the Buddhist era either; check the date"
        return doc_finding(
            "gdc.buddhist-era-date", f"{label} '{value}' looks like a Buddhist-era (พ.ศ.) date; "
            f"the portal would take {year} as a Gregorian year (or refuse the day)", where,
            dataset=dataset, rule="GD Catalog portal rule: dates", hint=hint)
    try:
        dt.date(year, month, day)
    except ValueError:
        return doc_finding(
            "gdc.date-invalid", f"{label} '{value}' is not a real calendar day", where,
            dataset=dataset, rule="GD Catalog portal rule: dates",
            hint="give a real day as YYYY-MM-DD (Gregorian year)")
    return None


def _date_rules(dataset: Dataset) -> list[Finding]:
    gdc, out = standard(), []
    places = [((("gdc",)), dataset.gdc, gdc.dataset_fields)]
    places += [((*r.yaml_path, "gdc"), r.gdc, gdc.resource_fields) for r in dataset.resources]
    for prefix, values, fields in places:
        for field in fields:
            if "isodate" in field.portal_checks and field.name in values:
                finding = _date_finding(dataset.doc.finding, field, values[field.name],
                                        (*prefix, field.name), dataset.name)
                if finding is not None:
                    out.append(finding)
    return out


def _portal_required(field: GdcField) -> bool:
    # owner_org has no flag upstream, but every catalog dataset belongs to an organization
    return field.required or "required" in field.portal_checks or field.name == "owner_org"


def _gdc_dataset_rules(dataset: Dataset) -> list[Finding]:
    out: list[Finding] = []
    gdc = standard()
    doc = dataset.doc
    data_type = dataset.gdc.get("data_type")
    code = DATA_TYPE_CODES.get(data_type) if isinstance(data_type, str) else None
    for field in gdc.dataset_fields:
        if not (_portal_required(field) and field.applies(code)) or field.name == "name":
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
    out += _date_rules(dataset)
    for resource in dataset.resources:
        out += _choice_companions(doc.finding, resource.gdc, gdc.gdc_resource_fields,
                                  (*resource.yaml_path, "gdc"), dataset.name)
    return out


def _resource_rules(dataset: Dataset, resource: Resource, profile: str) -> list[Finding]:
    out: list[Finding] = []
    file = resource.data_file  # a path the loader refused is reported there, not here
    checkable = resource.url is not None or (file is not None and file.is_file())
    if profile == "thai-gdc" and resource.name and checkable and not resource.resolved_format:
        out.append(dataset.doc.finding(
            "portal.resource-format", f"resource '{resource.name}' has no format and none can "
            "be guessed from its URL; the portal requires one", resource.yaml_path,
            dataset=dataset.name, rule="GD Catalog portal rule: resource_format",
            hint="add format: HTML (a web page), API, PDF, CSV, XLSX, ..."))
    if resource.is_file and resource.schema is None and resource.schema_file is None and \
            (resource.resolved_format or "") in ("CSV", "TSV"):
        out.append(dataset.doc.finding(
            "resource.no-schema", f"resource '{resource.name}' has no table schema, so its types "
            "and constraints are not checked", resource.yaml_path, dataset=dataset.name,
            severity="warning", hint="add schema: <file>.schema.yaml beside the data"))
    return out


def check_dataset(dataset: Dataset, profile: str) -> list[Finding]:
    out = _name_rules(dataset, profile) + _tag_rules(dataset, profile)
    out += _license_rule(dataset, profile) + _contact_rules(dataset, profile)
    if profile == "thai-gdc":
        out += _gdc_dataset_rules(dataset)
    for resource in dataset.resources:
        out += _resource_rules(dataset, resource, profile)
    return out
