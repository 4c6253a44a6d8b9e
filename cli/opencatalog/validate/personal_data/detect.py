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


def citizen_id_valid(digits: pl.Series) -> pl.Series:
    """True where `digits` (13 ASCII digits, or null) is a possible Thai citizen ID: first digit
    1-8 and the mod-11 check digit right (stdnum.th.pin's algorithm, on an Int64 column)."""
    number = digits.cast(pl.Int64, strict=False)
    d = [(number // 10 ** (12 - i)) % 10 for i in range(13)]
    total = d[0] * 13
    for i in range(1, 12):
        total = total + d[i] * (13 - i)
    check = (11 - total % 11) % 10
    return ((check == d[12]) & (d[0] >= 1) & (d[0] <= 8)).fill_null(False)


def _candidates(kind: str, cell: pl.Expr) -> pl.Expr:
    """Boolean per cell; for citizen IDs the 13 digits found (null: none), checked by `_valid`
    on the Series (an expression of 13 digit extractions costs more to plan than to run)."""
    if kind == "citizen-id":
        return cell.str.extract(rules.CITIZEN_ID, 1).str.replace_all("[- ]", "")
    if kind == "phone":
        return cell.str.contains(rules.PHONE).fill_null(False)
    if kind == "email":
        return cell.str.contains(rules.EMAIL).fill_null(False)
    if kind == "passport":
        return cell.str.contains(rules.PASSPORT).fill_null(False)
    if kind == "person-name":
        return (cell.str.contains(rules.PERSON_NAME)
                & ~cell.str.contains(rules.NOT_A_NAME)).fill_null(False)
    raise ValueError(kind)


def _valid(kind: str, candidates: pl.Series) -> pl.Series:
    if kind != "citizen-id":
        return candidates
    if candidates.null_count() == len(candidates):  # the usual column: no 13 digits anywhere
        return pl.repeat(False, len(candidates), eager=True)
    return citizen_id_valid(candidates)


def matches(kind: str, values: pl.Series) -> pl.Series:
    """True where a value holds personal data of `kind` (null: False)."""
    frame = pl.DataFrame({"v": values.cast(pl.String)})
    return _valid(kind, frame.select(_candidates(kind, pl.col("v")))["v"])


def _extract(kind: str, value: str) -> str:
    """The matched part of a cell (never the rest of it), for the masked example."""
    import re

    pattern = {"citizen-id": rules.CITIZEN_ID, "phone": rules.PHONE, "email": rules.EMAIL,
               "passport": rules.PASSPORT, "person-name": rules.PERSON_NAME}[kind]
    found = re.search(pattern, value.strip())
    return found.group(1) if found else value


def _filled(cell: pl.Expr) -> pl.Expr:
    """The number of non-empty cells (a missing cell is null, an empty one "")."""
    return (cell.str.len_bytes() > 0).sum()


def _maybe(column: ColumnScan, cell: pl.Expr) -> pl.Expr:
    """True where a cell might hold one of the column's kinds (implied by each detector)."""
    if column.kinds == ["citizen-id"]:  # a number column
        return (cell.str.len_bytes() >= rules.ID_MIN_BYTES).fill_null(False)
    return cell.str.contains(rules.TEXT_PREFILTER).fill_null(False)


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

    @property
    def settled(self) -> bool:
        return self.scanned >= rules.SETTLED_VALUES and self.count >= rules.SETTLED_SHARE * self.scanned


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
        self.complete = True  # False: the row checks stopped early (too many errors) and so did the scan

    def feed(self, frame: pl.DataFrame, cells: list[str], rows: str = "_i") -> None:
        """One batch: `frame[cells[k]]` holds the raw cells of column k (String, null when the
        row has no such cell), `frame[rows]` the row numbers. (Sequential evaluation, `select_seq`
        and Series: the fast path keeps the cores busy, and scheduling many small parallel
        expressions costs more than it saves.)"""
        columns = [c for c in self.columns if c.kinds and c.index < len(cells)]
        if frame.height == 0 or not columns:
            return
        whole = frame.height > 2 * rules.SAMPLE_ROWS
        sample = frame.head(rules.SAMPLE_ROWS) if whole else frame
        stats = sample.select_seq([e for c in columns for e in (
            _filled(pl.col(cells[c.index])).alias(f"n{c.index}"),
            _maybe(c, pl.col(cells[c.index])).any().alias(f"p{c.index}"))]).row(0, named=True)
        for c in columns:
            filled = sample_filled = int(stats[f"n{c.index}"])
            counts = {}
            if sample_filled and stats[f"p{c.index}"]:
                values = sample[cells[c.index]]
                counts = {kind: int(matches(kind, values).sum()) for kind in c.kinds}
            hot = [kind for kind, n in counts.items()
                   if n and whole and not (kind in c.tallies and c.tallies[kind].settled)]
            if hot:  # a kind seen in the sample is counted over the whole batch
                values = frame[cells[c.index]]
                filled = int(frame.select_seq(_filled(pl.col(cells[c.index]))).item())
                counts.update({kind: int(matches(kind, values).sum()) for kind in hot})
            for kind in c.kinds:
                tally = c.tallies.setdefault(kind, Tally())
                full = kind in hot
                tally.scanned += filled if full else sample_filled
                tally.count += counts.get(kind, 0)
                if counts.get(kind) and len(tally.rows) < rules.ROWS_SHOWN:
                    self._first_rows(frame if full else sample, cells[c.index], rows, kind, tally)

    @staticmethod
    def _first_rows(frame: pl.DataFrame, cell: str, rows: str, kind: str, tally: Tally) -> None:
        need = rules.ROWS_SHOWN - len(tally.rows)
        hits = frame.filter(matches(kind, frame[cell])).select(rows, cell).head(need)
        tally.rows.extend(int(i) for i in hits[rows])
        if tally.example is None and hits.height:
            tally.example = mask_value(kind, _extract(kind, hits[cell][0]))


class ScanSet:
    """The scans of one package's resources, by resource name: filled by the fast path for the
    resources it reads, and by `files.scan_file` for the others."""

    def __init__(self) -> None:
        self.done: dict[str, ResourceScan] = {}

    def begin(self, resource: str, fields: list[Any]) -> ResourceScan:
        """A scan for a resource about to be read; `fields`: frictionless Field objects."""
        return ResourceScan(resource, [(f.name, f.type, getattr(f, "title", None)) for f in fields])

    def finish(self, scan: ResourceScan) -> None:
        self.done[scan.resource] = scan
