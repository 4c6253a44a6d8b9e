"""Where a row starts in its file, for findings of the reference engine.

frictionless numbers records, not lines: after a quoted cell that spans lines, row N
starts further down than line N.  Findings must point at the line a person opens, so
rows are mapped to their first line with Python's csv module (the parser frictionless
itself uses).  The fast path never needs this: it declines files with such cells.
"""

from __future__ import annotations

import csv
import dataclasses
from pathlib import Path
from typing import Any

from .errors import TableError


def row_dialect(resource: Any) -> dict[str, str]:
    """Python csv options for the dialect frictionless reads `resource` with."""
    try:
        control = resource.dialect.get_control("csv")
        return {"delimiter": control.delimiter or ",", "quotechar": control.quote_char or '"'}
    except Exception:  # noqa: BLE001 - default CSV when frictionless has no control for it
        return {"delimiter": ",", "quotechar": '"'}


def row_lines(path: Path, rows: set[int], *, encoding: str = "utf-8-sig",
              dialect: dict[str, str] | None = None) -> dict[int, int]:
    """First line of each wanted record (header = record 1, line 1); stops after the last."""
    out: dict[int, int] = {}
    if not rows:
        return out
    last = max(rows)
    with path.open(encoding=encoding, newline="", errors="replace") as handle:
        reader = csv.reader(handle, **(dialect or {}))
        start = 1
        for number, _ in enumerate(reader, start=1):
            if number in rows:
                out[number] = start
            if number >= last:
                break
            start = reader.line_num + 1
    return out


def place_rows(errors: list[TableError], path: Path | None, resource: Any) -> list[TableError]:
    """Give each row finding its line (only when some record before it spans lines)."""
    rows = {e.row_number for e in errors if e.row_number}
    if path is None or not rows or getattr(resource, "format", "csv") not in ("csv", "tsv"):
        return errors  # a workbook's rows are its sheet's rows
    encoding = (getattr(resource, "encoding", None) or "utf-8-sig").lower()
    if encoding in ("utf-8", "utf8"):
        encoding = "utf-8-sig"
    try:
        lines = row_lines(path, rows, encoding=encoding, dialect=row_dialect(resource))
    except (OSError, LookupError, csv.Error):
        return errors  # the findings already say what is wrong with the file
    return [dataclasses.replace(e, line_number=lines.get(e.row_number, e.row_number))
            if e.row_number else e for e in errors]
