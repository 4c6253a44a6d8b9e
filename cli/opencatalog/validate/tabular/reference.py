"""Reference engine: frictionless-py 5 does all the work.

This is the ground truth the fast path is tested against, and the fallback for
anything the fast path does not implement.  It must never raise: a broken
descriptor or an unreadable file becomes a `TableError`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from opencatalog.thai_text import differs_only_in_form

from .errors import TableError, hint_for, label_form_message

DEFAULT_LIMIT_ERRORS = 1000  # frictionless's own default; both engines use it


def from_frictionless(error: Any, resource: str) -> TableError:
    """Convert one frictionless `Error` object to a `TableError`."""
    field_name = getattr(error, "field_name", None) or None
    cell = getattr(error, "cell", None)
    kind = str(getattr(error, "type", "error"))
    message, hint = str(getattr(error, "message", error)), hint_for(kind)
    label = getattr(error, "label", None)
    if kind == "incorrect-label" and isinstance(label, str) and field_name \
            and differs_only_in_form(label, field_name):
        message = label_form_message(label, field_name, getattr(error, "field_number", None))
        hint = hint_for("label-form")
    return TableError(
        resource=resource,
        type=kind,
        message=message,
        row_number=getattr(error, "row_number", None),
        field_name=field_name,
        cell=None if cell is None else str(cell),
        hint=hint,
    )


def _crash(resource: str, exc: BaseException) -> TableError:
    return TableError(
        resource=resource,
        type="source-error",
        message=f"The data could not be read: {exc}",
        hint=hint_for("source-error"),
    )


def open_package(descriptor: dict[str, Any], basepath: Path) -> Any:
    """Build a frictionless Package; raises FrictionlessException on a bad descriptor."""
    from frictionless import Package

    # frictionless mutates descriptors it is given: give it a fresh tree (not
    # deepcopy, which keeps an object used twice — a YAML alias — shared, and
    # frictionless then fails on the second use).
    return Package(_fresh(descriptor), basepath=str(basepath))


def _fresh(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def check_resource_frictionless(resource: Any, limit_errors: int = DEFAULT_LIMIT_ERRORS) -> list[TableError]:
    """Validate one resource of an opened package (foreign keys resolve via its package)."""
    name = str(getattr(resource, "name", "") or "")
    try:
        report = resource.validate(limit_errors=limit_errors)
        found: list[TableError] = []
        for task in report.tasks:
            found.extend(from_frictionless(e, task.name or name) for e in task.errors)
        found.extend(from_frictionless(e, name) for e in report.errors)
        return found
    except Exception as exc:  # frictionless raises many kinds; the brief says never raise
        return [_crash(name, exc)]


def check_package_frictionless(
    descriptor: dict[str, Any],
    basepath: Path,
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    only: set[str] | None = None,
) -> list[TableError]:
    """Validate a data package with frictionless and return every finding.

    `only` restricts validation to the named resources (the fast path uses it
    for the resources it cannot handle); package metadata errors are always
    reported.
    """
    from frictionless import FrictionlessException

    try:
        package = open_package(descriptor, basepath)
        package.to_descriptor(validate=True)
    except FrictionlessException as exc:
        return [from_frictionless(e, "") for e in exc.to_errors()]
    except Exception as exc:
        return [_crash("", exc)]

    found: list[TableError] = []
    for resource in package.resources:
        if only is not None and resource.name not in only:
            continue
        found.extend(check_resource_frictionless(resource, limit_errors))
    return found
