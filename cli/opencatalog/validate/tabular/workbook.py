"""XLSX worksheets on the fast path: read with python-calamine, checked as a CSV.

frictionless reads a workbook with openpyxl (slow) and types each cell from its Python value.
A worksheet goes to the fast path only when every cell converts to text that frictionless's
readers treat exactly as they treat the openpyxl value: text cells as they are, numbers in
integer and number fields, dates at midnight in date fields.  Anything else (a number in a
text field, a boolean, a blank row, a sheet that does not start at A1, a field count other
than the sheet's width, a line break in a cell, foreign keys)
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


def _number(value: Any) -> str:
    if type(value) is float:
        # openpyxl gives an int for a whole number; str() of a float is frictionless's text for it
        return str(int(value)) if value.is_integer() else repr(value)
    if type(value) is int:
        return str(value)
    raise NotExact(f"a {type(value).__name__} cell in a numeric field")


def _date(value: Any) -> str:
    if type(value) is datetime and value.time() == time():
        return value.date().isoformat()
    if type(value) is date:
        return value.isoformat()
    raise NotExact(f"a {type(value).__name__} cell in a date field")


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
    # Text cells go as they are (one with a line break becomes a quoted record over two lines,
    # which the fast path refuses); other cells only where their text is what frictionless reads.
    numeric = [k for k, kind in enumerate(kinds) if kind in NUMERIC]
    dates = [k for k, kind in enumerate(kinds) if kind == "date"]
    others = [k for k in range(len(kinds)) if k not in numeric and k not in dates]
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            for k in numeric:
                if type(row[k]) is not str:
                    row[k] = _number(row[k])
            for k in dates:
                if type(row[k]) is not str:
                    row[k] = _date(row[k])
            for k in others:
                if type(row[k]) is not str:
                    raise NotExact(f"a {type(row[k]).__name__} cell in a {kinds[k]} field")
            if not any(row):
                raise NotExact("a blank row")
            writer.writerow(row)
