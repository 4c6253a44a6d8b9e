"""A date column whose cells all fail the same way gets the format they are written in.

`dd/mm/yyyy` in a `date` field without `format` is one type error per row; when every failing
cell reads as a date in one common (Thai) format, the findings' hint names it, and the
Buddhist calendar when the years are พ.ศ.  Cells only are looked at: the findings are the same
whichever engine ran.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from opencatalog.buddhist_era import OFFSET, buddhist_date

from .calendar import SUSPECT_AFTER
from .errors import TableError, date_format_hint

# common ways Thai offices write a date, most likely first (day before month)
CANDIDATES = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %m %Y", "%Y%m%d", "%m/%d/%Y")
SAMPLE = 200
MIN_CELLS = 2


def _reads(cells: list[str], fmt: str) -> str | None:
    """"gregorian" or "buddhist" when every cell is a date written `fmt`; else None."""
    try:
        years = [datetime.strptime(cell, fmt).year for cell in cells]
    except ValueError:
        years = []
    if years and min(years) <= SUSPECT_AFTER:
        return "gregorian"
    dates = [buddhist_date(cell, fmt) for cell in cells]
    if all(d is not None and d.year + OFFSET > SUSPECT_AFTER for d in dates):
        return "buddhist"
    return None


def _date_fields(descriptor: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    out = {}
    for resource in descriptor.get("resources") or []:
        fields = ((resource.get("schema") or {}).get("fields") or []) if isinstance(resource, dict) else []
        for raw in fields:
            if isinstance(raw, dict) and raw.get("type") == "date":
                out[(resource.get("name"), raw.get("name"))] = raw
    return out


def suggest_date_formats(found: list[TableError], descriptor: dict[str, Any]) -> list[TableError]:
    fields = _date_fields(descriptor)
    cells: dict[tuple[str, str], list[str]] = {}
    for error in found:
        key = (error.resource, error.field_name or "")
        if error.type == "type-error" and key in fields and error.cell:
            cells.setdefault(key, []).append(error.cell)
    hints: dict[tuple[str, str], str] = {}
    for key, values in cells.items():
        if len(values) < MIN_CELLS:
            continue
        sample = values[:SAMPLE]
        declared = fields[key].get("format")
        for fmt in CANDIDATES:
            if fmt == declared:
                continue
            calendar = _reads(sample, fmt)
            if calendar is not None:
                hints[key] = date_format_hint(fmt=fmt, field=key[1], example=sample[0],
                                              buddhist=calendar == "buddhist"
                                              and fields[key].get("calendar") != "buddhist")
                break
    if not hints:
        return found
    return [dataclasses.replace(e, hint=hints[(e.resource, e.field_name or "")])
            if e.type == "type-error" and (e.resource, e.field_name or "") in hints else e
            for e in found]
