"""CSV rows -> typed DataStore records, in batches, with a checksum (pure, streaming).

The file is read row by row; only one batch is held at a time, so memory does not
grow with the file.  The same canonical form of each value is computed from what we
send and from what `datastore_search` returns, so their checksums can be compared.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from opencatalog.buddhist_era import OFFSET, buddhist_date
from opencatalog.datastore import DatastoreError
from opencatalog.datastore.fields import Column, TableSpec

Record = dict[str, Any]


class Batch(list[Record]):
    """Records for one DataStore call; `last` says no row follows (read one row ahead)."""

    last: bool = False
_TRUE = ("true", "True", "TRUE", "1")
_FALSE = ("false", "False", "FALSE", "0")
_NOT_NUMBER = re.compile(r"^[^0-9+\-.]+|[^0-9.]+$")


def _number_text(text: str, options: dict[str, Any]) -> str:
    group, decimal_char = options.get("groupChar"), options.get("decimalChar", ".")
    if group:
        text = text.replace(group, "")
    if decimal_char != ".":
        text = text.replace(decimal_char, ".")
    if options.get("bareNumber") is False:  # "5%", "€ 12": leading/trailing text allowed
        text = _NOT_NUMBER.sub("", text)
    return text.strip()


def _parse_date(text: str, fmt: str | None) -> date:
    if fmt and fmt not in ("default", "any"):
        return datetime.strptime(text, fmt).date()
    return date.fromisoformat(text)


def _parse_datetime(text: str, fmt: str | None) -> datetime:
    value = (datetime.strptime(text, fmt) if fmt and fmt not in ("default", "any")
             else datetime.fromisoformat(text))
    if value.tzinfo is not None:
        # DataStore `timestamp` has no zone: store the instant in UTC rather than drop the offset.
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def _parse_time(text: str, fmt: str | None) -> time:
    if fmt and fmt not in ("default", "any"):
        return datetime.strptime(text, fmt).time()
    return time.fromisoformat(text)


def _buddhist(kind: str, text: str, fmt: str | None) -> Any:
    """A Buddhist-era date or year as the Gregorian value the DataStore stores."""
    if kind == "year":
        return int(text) - OFFSET
    value = buddhist_date(text, fmt)
    if value is None:
        raise ValueError(f"not a Buddhist-era date: {text!r}")
    return value.isoformat()


def convert(column: Column, text: str) -> Any:
    """One cell's text (already known not to be a missing value) -> a JSON value for CKAN."""
    kind, opts = column.schema_type, column.options
    fmt = opts.get("format")
    if opts.get("calendar") == "buddhist" and kind in ("date", "year"):
        return _buddhist(kind, text, fmt)
    if kind in ("integer", "year"):
        return int(_number_text(text, opts) if kind == "integer" else text)
    if kind == "number":
        try:
            value = Decimal(_number_text(text, opts))
        except InvalidOperation:
            raise ValueError(f"not a number: {text!r}") from None
        return str(value)  # as text: a JSON float would lose digits that numeric keeps
    if kind == "boolean":
        if text in opts.get("trueValues", _TRUE):
            return True
        if text in opts.get("falseValues", _FALSE):
            return False
        raise ValueError(f"not a boolean: {text!r}")
    if kind == "date":
        return _parse_date(text, fmt).isoformat()
    if kind == "datetime":
        return _parse_datetime(text, fmt).isoformat()
    if kind == "time":
        return _parse_time(text, fmt).isoformat()
    return text


def canonical(ds_type: str, value: Any) -> str | None:
    """The comparable form of a value, whether we sent it or the portal's CSV output gave it.

    The DataStore's output formats timestamps with millisecond precision, so timestamps and
    times are compared to the millisecond; numerics exactly, ignoring trailing zeros.
    """
    if value is None or value == "":
        return None
    if ds_type in ("int", "bigint", "int4", "int8"):
        return str(int(value))
    if ds_type == "numeric":
        number = Decimal(str(value))
        return "0" if number == 0 else format(number.normalize(), "f")
    if ds_type == "bool":
        return "true" if value in (True, "t", "true", "True") else "false"
    if ds_type == "timestamp":
        moment = datetime.fromisoformat(str(value))
        return f"{moment:%Y-%m-%dT%H:%M:%S}.{moment.microsecond // 1000:03d}"
    if ds_type == "time":
        clock = time.fromisoformat(str(value))
        return f"{clock:%H:%M:%S}.{clock.microsecond // 1000:03d}"
    return str(value)


class RowDigest:
    """sha256 over the canonical rows, in order; and how many rows went in."""

    def __init__(self, ds_types: list[str]) -> None:
        self._types = ds_types
        self._hash = hashlib.sha256()
        self.rows = 0

    def add(self, values: list[Any]) -> None:
        line = [canonical(t, v) for t, v in zip(self._types, values, strict=True)]
        self._hash.update(json.dumps(line, ensure_ascii=False, separators=(",", ":")).encode())
        self._hash.update(b"\n")
        self.rows += 1

    def hexdigest(self) -> str:
        return self._hash.hexdigest()


def _open(path: Path, encoding: str):
    # utf-8-sig drops a byte-order mark, which would otherwise end up in the first header.
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    return path.open("r", encoding=enc, newline="")


def read_batches(path: Path, spec: TableSpec, *, encoding: str = "utf-8",
                 sheet: str | int | None = None, batch_rows: int = 10_000,
                 digest: RowDigest | None = None) -> Iterator[Batch]:
    """Typed records of the CSV at `path` (or of the XLSX worksheet `sheet`: a name, or a number
    from 1), `batch_rows` at a time; `digest` sees every row.

    Holds one batch and one row: whether a batch is the last is known without reading
    the next batch.  A file without rows gives one empty batch.
    """
    batch = Batch()
    for record in _records(path, spec, encoding, digest, sheet):
        if len(batch) >= batch_rows:
            yield batch
            batch = Batch()
        batch.append(record)
    batch.last = True
    yield batch


def _sheet_rows(path: Path, sheet: str | int) -> Iterator[list[str]]:
    """A worksheet's rows as cell texts, read with python-calamine (Rust; much faster than
    openpyxl): whole numbers without ".0", dates in ISO form."""
    from python_calamine import CalamineWorkbook

    book = CalamineWorkbook.from_path(str(path))
    table = (book.get_sheet_by_index(sheet - 1) if isinstance(sheet, int)
             else book.get_sheet_by_name(sheet))
    for row in table.iter_rows():
        yield [_cell_text(value) for value in row]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    return str(value)


def _rows(path: Path, encoding: str, sheet: str | int | None) -> Iterator[list[str]]:
    if sheet is not None:
        yield from _sheet_rows(path, sheet)
        return
    with _open(path, encoding) as handle:
        yield from csv.reader(handle)


def _records(path: Path, spec: TableSpec, encoding: str, digest: RowDigest | None,
             sheet: str | int | None = None) -> Iterator[Record]:
    missing = set(spec.missing_values)
    reader = _rows(path, encoding, sheet)
    header = next(reader, None) or []
    where = {name: i for i, name in enumerate(header)}
    absent = [c.name for c in spec.columns if c.name not in where]
    if absent:
        raise DatastoreError(f"{path.name}: the header has no column {', '.join(absent)} "
                             "named in the table schema", row=1, field=absent[0])
    picks = [(c, where[c.name]) for c in spec.columns]
    for row_number, row in enumerate(reader, start=2):  # header is row 1
        record: Record = {}
        for column, index in picks:
            text = row[index] if index < len(row) else ""
            if text in missing:
                record[column.name] = None
                continue
            try:
                record[column.name] = convert(column, text)
            except ValueError:
                raise DatastoreError(
                    f"{path.name} row {row_number}, field {column.name}: {text!r} is not a "
                    f"valid {column.schema_type}", row=row_number, field=column.name,
                    hint="`opencatalog validate` reports every such cell") from None
        if digest is not None:
            digest.add(list(record.values()))
        yield record
