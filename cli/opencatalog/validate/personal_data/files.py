"""Scanning a tabular file the fast path did not read (other engines, dialects, XLSX).

polars reads a plain UTF-8 CSV (also one whose quoted cells span lines), frictionless every
other format and dialect it supports; the cells go to the same vectorised detectors in
batches, so the findings do not depend on who read the file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import polars as pl

from .detect import ResourceScan

BATCH_ROWS = 20_000
TABULAR_FORMATS = {"csv", "tsv", "txt", "xlsx", "xls", "ods"}


class NotScanned(Exception):
    """The file could not be read for the scan (its own finding says why)."""


def _text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet's 1234567890123.0 is the ID 1234567890123
    return str(value)


def _flush(scan: ResourceScan, width: int, rows: list[int], batch: list[list[Any]]) -> None:
    columns = {f"c{k}": [_text(cells[k]) if k < len(cells) else None for cells in batch]
               for k in range(width)}
    frame = pl.DataFrame({"_i": rows, **columns},
                         schema={"_i": pl.UInt32, **{c: pl.String for c in columns}})
    scan.feed(frame, list(columns))


def _plain_csv(resource: Any) -> str | None:
    """The delimiter of a UTF-8 CSV with one header row and plain RFC 4180 quoting (cells that
    span lines included), which polars reads as frictionless does; None for anything else."""
    from frictionless.formats.csv import CsvControl

    dialect = resource.dialect
    if resource.format not in ("csv", "tsv") or str(resource.encoding).lower().replace("_", "-") \
            not in ("utf-8", "utf8", "utf-8-sig") or dialect.header_rows != [1] \
            or dialect.comment_char or dialect.comment_rows:
        return None
    control = CsvControl.from_dialect(dialect)
    if control.escape_char or control.quote_char not in (None, '"') or control.skip_initial_space:
        return None
    return str(control.delimiter)


def _scan_with_polars(path: Path, delimiter: str, width: int, scan: ResourceScan) -> None:
    """Batches of cells read by polars (constant memory), row numbers counted as records."""
    frame = pl.scan_csv(path, separator=delimiter, quote_char='"', has_header=True,
                        infer_schema=False, encoding="utf8-lossy", truncate_ragged_lines=True)
    first = 2
    for batch in frame.collect_batches(chunk_size=BATCH_ROWS):
        names = batch.columns[:width]
        cells = batch.select([pl.col(n).alias(f"c{k}") for k, n in enumerate(names)])
        cells = cells.with_row_index("_i", offset=first)
        first += batch.height
        scan.feed(cells, [f"c{k}" for k in range(len(names))])


def scan_file(entry: dict[str, Any], basepath: Path) -> ResourceScan | None:
    """The scan of one data package resource (`entry`: its descriptor); None when the file is
    not a table. Raises NotScanned when it cannot be read."""
    from frictionless import Resource

    path = str(entry.get("path") or "")
    fmt = (entry.get("format") or path.rsplit(".", 1)[-1]).lower()
    if fmt not in TABULAR_FORMATS:
        return None
    schema = entry.get("schema") if isinstance(entry.get("schema"), dict) else {}
    fields = {f.get("name"): f for f in schema.get("fields") or [] if isinstance(f, dict)}
    descriptor = {k: v for k, v in entry.items() if k != "schema"}  # raw cells, no typing
    try:
        resource = Resource(descriptor, basepath=str(basepath))
        with resource:
            labels = [str(label) for label in resource.labels]
            scan = ResourceScan(str(entry.get("name")), [
                (label, (fields.get(label) or {}).get("type"), (fields.get(label) or {}).get("title"))
                for label in labels])
            delimiter = _plain_csv(resource)
            if delimiter is not None:
                _scan_with_polars(Path(resource.normpath), delimiter, len(labels), scan)
                return scan
            rows: list[int] = []
            batch: list[list[Any]] = []
            for number, cells in enumerate(resource.cell_stream, start=1):
                if number == 1:
                    continue  # the header row
                rows.append(number)
                batch.append(cells)
                if len(batch) == BATCH_ROWS:
                    _flush(scan, len(labels), rows, batch)
                    rows, batch = [], []
            if batch:
                _flush(scan, len(labels), rows, batch)
    except Exception as exc:  # noqa: BLE001 - any unreadable file: say it was not scanned
        raise NotScanned(str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__) from exc
    return scan
