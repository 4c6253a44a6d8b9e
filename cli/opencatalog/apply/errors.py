"""Turns a failed portal call into findings that point at the YAML."""

from __future__ import annotations

from opencatalog.ckan_client import CkanClient, NotAuthorized, PortalUnavailable, ValidationError
from opencatalog.datastore import DatastoreError
from opencatalog.desired.state import DesiredDataset
from opencatalog.plan.model import Action
from opencatalog.report.model import Finding


def _messages(value: object) -> str:
    if isinstance(value, list):
        return "; ".join(_messages(v) for v in value if v)
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_messages(v)}" for k, v in value.items() if v)
    return str(value)


def failure_findings(action: Action, exc: Exception, desired: DesiredDataset | None,
                     client: CkanClient) -> list[Finding]:
    dataset = action.name if action.kind == "dataset" else None
    lines = desired.lines if desired else {}
    if isinstance(exc, DatastoreError):
        hint = exc.hint
        if exc.left_private:
            hint = ((hint + "; ") if hint else "") + ("the dataset stays private until a publish "
                                                      "loads the table completely")
        return [Finding(code="datastore.failed", dataset=dataset, resource=exc.resource,
                        file=action.file, line=lines.get(f"resource:{exc.resource}"),
                        row=exc.row, field=exc.field, hint=hint,
                        message=f"DataStore table of resource '{exc.resource}' not loaded: {exc}")]
    if isinstance(exc, ValidationError):
        errors = exc.error_dict if isinstance(exc.error_dict, dict) else {"error": exc.error_dict}
        out = []
        for field, problem in errors.items():
            if field.startswith("__"):
                continue
            out.append(Finding(
                code="portal.validation", dataset=dataset, file=action.file, line=lines.get(field),
                field=field, message=f"the portal refused {field}: {_messages(problem)}",
                hint="fix the value in the YAML; `opencatalog validate --target` checks the "
                     "portal's rules offline"))
        return out or [Finding(code="portal.validation", dataset=dataset, file=action.file,
                               message=f"the portal refused {action.kind} '{action.name}': "
                                       f"{_messages(errors)}")]
    if isinstance(exc, NotAuthorized):
        org = desired.fields.get("owner_org") if desired else action.name
        role = ("sysadmin" if action.kind != "dataset" and action.op == "create"
                else f"editor or admin role in organization '{org}'")
        return [Finding(code="portal.not-authorized", dataset=dataset, file=action.file,
                        message=f"not allowed to {action.op} {action.kind} '{action.name}'",
                        hint=f"the API token's user needs the {role}")]
    if isinstance(exc, PortalUnavailable):
        return [Finding(code="portal.unavailable", dataset=dataset, file=action.file,
                        message=str(exc), hint="re-run publish when the portal answers; "
                        "it continues where this run stopped")]
    text = client.redact(str(exc))
    return [Finding(code="publish.failed", dataset=dataset, file=action.file,
                    message=f"{action.kind} '{action.name}' failed: {type(exc).__name__}: {text[:500]}")]
