"""The catalog against the portal's live dataset schema (a department's portal may differ
from the GD Catalog standard; the live schema wins, and each finding says where it differs).

Checked on the desired state, i.e. on exactly what would be sent: fields the portal requires
that a dataset does not set, values outside the portal's choices, and fields the catalog sends
that the portal's scheming would drop without a word.
"""

from __future__ import annotations

from typing import Any

from opencatalog.current.live_schema import LiveSchema
from opencatalog.desired.state import DesiredDataset, DesiredState
from opencatalog.gdc import standard
from opencatalog.report.model import Finding, Severity

# Keys CKAN handles itself (relations, flags, the free extras): never dropped by scheming.
_CKAN_OWN = {"name", "owner_org", "private", "tags", "groups", "extras", "resources", "state",
             "type", "id"}
_SCHEMING_NAMES = {"tags": "tag_string"}  # a field the schema calls by another name


def _empty(value: Any) -> bool:
    return value in (None, "", [], {})


def _reference_note(name: str, *, required: bool = False, choices: bool = False) -> str:
    field = standard().dataset_field(name)
    if field is None:
        return " (the GD Catalog standard has no such field: this portal adds it)"
    if required and not (field.required or "required" in field.portal_checks):
        return " (the GD Catalog standard does not require it: this portal differs)"
    if choices:
        return " (this portal's choices differ from the GD Catalog standard's)"
    return ""


def _finding(dataset: DesiredDataset, code: str, message: str, field: str, hint: str,
             severity: Severity = "error") -> Finding:
    return Finding(code=code, message=message, file=dataset.file,
                   line=dataset.lines.get(field) or dataset.lines.get("name"),
                   dataset=dataset.name, field=field, hint=hint, severity=severity,
                   rule="the portal's live dataset schema (scheming_dataset_schema_show)")


def _check_dataset(dataset: DesiredDataset, live: LiveSchema) -> tuple[list[Finding], list[str]]:
    out: list[Finding] = []
    fields = dataset.fields
    sent = {_SCHEMING_NAMES.get(k, k): v for k, v in fields.items()}
    for name, spec in live.dataset_fields.items():
        value = sent.get(name)
        if spec.required and _empty(value) and name not in ("title", "owner_org"):
            out.append(_finding(
                dataset, "portal.schema-required",
                f"the portal requires {name} ({spec.label}), which the dataset does not set"
                + _reference_note(name, required=True), name,
                hint=f"set it in the dataset YAML (a GD field goes under gdc: as {name}: ...)"))
        if spec.choices and not _empty(value) and name != "tag_string":
            values = value if isinstance(value, list) else [value]
            bad = [str(v) for v in values if str(v) not in spec.choices]
            if bad:
                out.append(_finding(
                    dataset, "portal.schema-choice",
                    f"{name} ({spec.label}): {', '.join(repr(b) for b in bad)} is not one of the "
                    "portal's choices" + _reference_note(name, choices=True), name,
                    hint="use one of: " + ", ".join(spec.choices),
                    severity="error" if spec.multiple else "warning"))
    dropped = [k for k in fields if k not in _CKAN_OWN and _SCHEMING_NAMES.get(k, k)
               not in live.dataset_fields and not _empty(fields[k])]
    for name in dropped:
        out.append(_finding(
            dataset, "portal.schema-drops",
            f"the portal's schema has no field {name}: it would drop the value "
            f"{fields[name]!r} without a word" + _reference_note(name), name,
            hint="remove it from the YAML, or ask the portal's administrators to add the field; "
                 "until then it is not sent", severity="warning"))
    return out, dropped


def check_live_schema(desired: DesiredState, live: LiveSchema) -> list[Finding]:
    """Findings for every dataset; fields the portal would drop are taken out of `desired`
    (sending them would make every later plan show them as changed)."""
    out: list[Finding] = []
    for dataset in desired.datasets:
        findings, dropped = _check_dataset(dataset, live)
        out += findings
        for name in dropped:
            dataset.fields.pop(name, None)
    return out
