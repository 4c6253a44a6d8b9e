"""XLSX worksheets on the fast path: read with python-calamine, checked as a CSV.

frictionless reads a workbook with openpyxl (slow) and types each cell from its Python value.
A worksheet goes to the fast path only when every cell converts to text that frictionless's
readers treat exactly as they treat the openpyxl value: text cells as they are, whole numbers
in integer and number fields, other numbers in number fields, dates at midnight in date
fields.  Anything else (a number in a text field, a boolean, a blank row, a sheet that does not
start at A1, a field count other than the sheet's width, a line break in a cell, foreign keys)
leaves the workbook to frictionless, so the findings are the same either way.
"""

from __future__ import annotations

import csv
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

NUMERIC = ("integer", "number")


class NotExact(Exception):
    """This worksheet cannot be checked as a CSV with frictionless's findings."""


def _text(value: Any, kind: str) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        if "\n" in value or "\r" in value:
            raise NotExact("a line break in a cell")
        return value
    if isinstance(value, bool):
        raise NotExact("a boolean cell")
    if isinstance(value, int | float) and kind in NUMERIC:
        if isinstance(value, float) and value.is_integer():
            return str(int(value))  # openpyxl gives an int for a whole number
        return repr(value)  # str() of the float: frictionless's text for it, also in a type error
    if isinstance(value, datetime) and kind == "date" and value.time() == time():
        return value.date().isoformat()
    if isinstance(value, date) and not isinstance(value, datetime) and kind == "date":
        return value.isoformat()
    raise NotExact(f"a {type(value).__name__} cell in a {kind} field")


def sheet_as_csv(path: Path, sheet: str | int, fields: list[dict[str, Any]], out: Path) -> None:
    """Write worksheet `sheet` of `path` to `out` as CSV, or raise NotExact."""
    from python_calamine import CalamineWorkbook

    try:
        book = CalamineWorkbook.from_path(str(path))
        table = (book.get_sheet_by_index(sheet - 1) if isinstance(sheet, int)
                 else book.get_sheet_by_name(sheet))
    except Exception as exc:  # noqa: BLE001 - frictionless reports an unreadable workbook
        raise NotExact(f"calamine: {exc}") from exc
    kinds = [str(f.get("type") or "string") for f in fields]
    names = [f.get("name") for f in fields]
    if table.start not in (None, (0, 0)) or table.width != len(fields):
        raise NotExact("the sheet does not span exactly the fields from A1")
    rows = table.iter_rows()
    if next(rows, None) != names:
        raise NotExact("header")  # frictionless reports label errors precisely
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            cells = [_text(value, kind) for value, kind in zip(row, kinds, strict=True)]
            if not any(cells):
                raise NotExact("a blank row")
            writer.writerow(cells)
