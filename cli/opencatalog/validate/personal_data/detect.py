"""The vectorised detectors and the per-column tallies they feed.

Whoever reads a table's rows (the fast path, batch by batch, or `files.scan_file` for the
resources it does not handle) hands each batch of raw cells to `ResourceScan.feed`. Every
detector is a polars expression over a whole column — no Python loop per cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from . import rules
from .mask import mask_value
from .rules import KINDS, Kind


def citizen_id_valid(digits: pl.Expr) -> pl.Expr:
    """True where `digits` (13 ASCII digits) is a possible Thai citizen ID: first digit 1-8 and
    the mod-11 check digit right (the algorithm of stdnum.th.pin, on Int64 columns)."""
    number = digits.cast(pl.Int64, strict=False)
    d = [(number // 10 ** (12 - i)) % 10 for i in range(13)]
    total = d[0] * 13
    for i in range(1, 12):
        total = total + d[i] * (13 - i)
    check = (11 - total % 11) % 10
    return ((check == d[12]) & (d[0] >= 1) & (d[0] <= 8)).fill_null(False)


def matches(kind: str, cell: pl.Expr) -> pl.Expr:
    """True where a cell holds a value of `kind` (null cells: False)."""
    if kind == "citizen-id":
        found = cell.str.extract(rules.CITIZEN_ID, 1).str.replace_all("[- ]", "")
        return citizen_id_valid(found)
    if kind == "phone":
        return cell.str.contains(rules.PHONE).fill_null(False)
    if kind == "email":
        return cell.str.contains(rules.EMAIL).fill_null(False)
    stripped = cell.str.strip_chars()
    if kind == "passport":
        return stripped.str.contains(rules.PASSPORT).fill_null(False)
    if kind == "person-name":
        return (stripped.str.contains(rules.PERSON_NAME)
                & ~stripped.str.contains(rules.NOT_A_NAME)).fill_null(False)
    raise ValueError(kind)


def _extract(kind: str, value: str) -> str:
    """The matched part of a cell (never the rest of it), for the masked example."""
    import re

    pattern = {"citizen-id": rules.CITIZEN_ID, "phone": rules.PHONE, "email": rules.EMAIL,
               "passport": rules.PASSPORT, "person-name": rules.PERSON_NAME}[kind]
    found = re.search(pattern, value.strip())
    return found.group(1) if found else value


def normalised_header(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch not in " _-.\t")


def header_kinds(name: str, title: str | None = None) -> list[str]:
    """Kinds a column's name (or Table Schema title) gives away, e.g. เบอร์โทร → phone."""
    out = []
    for kind in KINDS:
        for text in filter(None, (name, title)):
            norm = normalised_header(text)
            if norm in kind.header_names or any(w in norm for w in kind.header_words):
                out.append(kind.name)
                break
    return out


@dataclass
class Tally:
    """One kind in one column: how many non-empty values were checked and how many match."""

    scanned: int = 0
    count: int = 0
    rows: list[int] = field(default_factory=list)  # first matching row numbers (header = 1)
    example: str | None = None  # masked

    @property
    def flagged(self) -> bool:
        return self.count > 0 and self.count >= rules.FLAG_SHARE * self.scanned


@dataclass
class ColumnScan:
    index: int
    name: str
    title: str | None
    kinds: list[str]  # kinds its type can hold
    header: list[str]  # kinds its name gives away
    tallies: dict[str, Tally] = field(default_factory=dict)

    def flagged(self) -> list[tuple[Kind, Tally | None]]:
        """(kind, tally) per kind found: by values, or by name alone (tally None or unflagged)."""
        out = []
        for kind in KINDS:
            tally = self.tallies.get(kind.name)
            if (tally and tally.flagged) or kind.name in self.header:
                out.append((kind, tally if tally and tally.flagged else None))
        return out


def column_kinds(field_type: str | None) -> list[str]:
    kind_type = field_type if field_type in rules.TEXT_TYPES | rules.NUMBER_TYPES else None
    if field_type is not None and kind_type is None:
        return []  # dates, booleans, geopoints...: their valid values cannot hold these
    return [k.name for k in KINDS if kind_type is None or kind_type in k.types]


class ResourceScan:
    """The tallies of one resource's columns, fed batch by batch."""

    def __init__(self, resource: str, fields: list[tuple[str, str | None, str | None]]) -> None:
        """`fields`: (name, type, title) per column, in file order."""
        self.resource = resource
        self.columns = [ColumnScan(k, name, title, column_kinds(type_), header_kinds(name, title))
                        for k, (name, type_, title) in enumerate(fields)]
        self.complete = True

    def feed(self, frame: pl.DataFrame, cells: list[str], rows: str = "_i") -> None:
        """One batch: `frame[cells[k]]` holds the raw cells of column k (String, null when the
        row has no such cell), `frame[rows]` the row numbers."""
        if frame.height == 0:
            return
        sample = frame.head(rules.SAMPLE_ROWS)
        pairs = [(c, kind) for c in self.columns if c.index < len(cells) for kind in c.kinds]
        if not pairs:
            return
        found = self._counts(sample, cells, pairs)
        hot = [(c, kind) for c, kind in pairs if found[(c.index, kind)][1]]
        whole = frame.height > sample.height and bool(hot)
        if whole:
            found.update(self._counts(frame, cells, hot))
        hot_keys = {(c.index, kind) for c, kind in hot}
        for c, kind in pairs:
            scanned, count = found[(c.index, kind)]
            tally = c.tallies.setdefault(kind, Tally())
            tally.scanned += scanned
            tally.count += count
            if count and len(tally.rows) < rules.ROWS_SHOWN:
                source = frame if whole and (c.index, kind) in hot_keys else sample
                self._first_rows(source, cells[c.index], rows, kind, tally)

    @staticmethod
    def _counts(frame: pl.DataFrame, cells: list[str],
                pairs: list[tuple[ColumnScan, str]]) -> dict[tuple[int, str], tuple[int, int]]:
        exprs: list[pl.Expr] = []
        for j, (c, kind) in enumerate(pairs):
            cell = pl.col(cells[c.index])
            exprs.append((cell.is_not_null() & (cell != "")).sum().alias(f"n{j}"))
            exprs.append(matches(kind, cell).sum().alias(f"m{j}"))
        row = frame.select(exprs).row(0)
        return {(c.index, kind): (int(row[2 * j]), int(row[2 * j + 1]))
                for j, (c, kind) in enumerate(pairs)}

    @staticmethod
    def _first_rows(frame: pl.DataFrame, cell: str, rows: str, kind: str, tally: Tally) -> None:
        need = rules.ROWS_SHOWN - len(tally.rows)
        hits = frame.filter(matches(kind, pl.col(cell))).select(rows, cell).head(need)
        tally.rows.extend(int(i) for i in hits[rows])
        if tally.example is None and hits.height:
            tally.example = mask_value(kind, _extract(kind, hits[cell][0]))


class ScanSet:
    """The scans of one package's resources, by resource name: filled by the fast path for the
    resources it reads completely, and by `files.scan_file` for the others."""

    def __init__(self) -> None:
        self.done: dict[str, ResourceScan] = {}

    def begin(self, resource: str, fields: list[Any]) -> ResourceScan:
        """A scan for a resource about to be read; `fields`: frictionless Field objects."""
        return ResourceScan(resource, [(f.name, f.type, getattr(f, "title", None)) for f in fields])

    def finish(self, scan: ResourceScan) -> None:
        if scan.complete:
            self.done[scan.resource] = scan
