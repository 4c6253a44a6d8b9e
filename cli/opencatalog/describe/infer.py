"""A Table Schema inferred from a table's cells, as Thai government tables need it.

frictionless's own inference reads a sample and knows neither thousands separators, nor
dd/mm/yyyy, nor Buddhist-era years, nor Thai booleans, and turns a leading-zero code into an
integer. Here every cell of every column is counted against each candidate type in one
streaming pass (polars for a UTF-8 CSV or TSV, Python rows for cp874 files and workbooks), so
`required` and `enum` are said only where the whole file supports them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opencatalog.buddhist_era import LOOKS_BUDDHIST_AFTER

# candidate -> regex a non-empty cell matches (the same text for polars and Python's re)
PATTERNS = {
    "int": r"^-?[0-9]+$",
    "int_group": r"^-?[0-9]{1,3}(,[0-9]{3})+$",
    "num": r"^-?[0-9]+\.[0-9]+$",
    "num_group": r"^-?[0-9]{1,3}(,[0-9]{3})+\.[0-9]+$",
    "iso_date": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$",
    "dmy_date": r"^[0-9]{1,2}/[0-9]{1,2}/[0-9]{4}$",
    "leading_zero": r"^0[0-9]+$",
    "year": r"^[0-9]{4}$",
}
BOOLEANS = ({"ใช่", "ไม่ใช่"}, {"true", "false"}, {"TRUE", "FALSE"}, {"True", "False"})
ENUM_MAX = 10  # distinct values a column may have to get an enum
ENUM_MIN_ROWS = 20  # ... and rows it needs before the data supports one
BUDDHIST_ERA_TO = 2800


@dataclass
class ColumnStats:
    filled: int = 0
    empty: int = 0
    matches: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATTERNS, 0))
    values: set[str] | None = field(default_factory=set)  # None: more than ENUM_MAX distinct
    year_min: int | None = None  # the years of its dates
    year_max: int | None = None
    four_min: int | None = None  # its 4-digit numbers (years?)
    four_max: int | None = None

    def year(self, value: int, attr: str = "year") -> None:
        low, high = getattr(self, f"{attr}_min"), getattr(self, f"{attr}_max")
        setattr(self, f"{attr}_min", value if low is None else min(low, value))
        setattr(self, f"{attr}_max", value if high is None else max(high, value))


_COMPILED = {k: re.compile(v) for k, v in PATTERNS.items()}
_YEAR_AT = {"iso_date": slice(0, 4), "dmy_date": slice(-4, None), "year": slice(0, 4)}


def stats_of_rows(rows: Iterable[list[str]], width: int) -> tuple[list[ColumnStats], int]:
    """Counts over rows of cell texts (a cp874 CSV, a workbook's sheet)."""
    stats = [ColumnStats() for _ in range(width)]
    count = 0
    for row in rows:
        count += 1
        for i, column in enumerate(stats):
            text = row[i] if i < len(row) else ""
            if text == "":
                column.empty += 1
                continue
            column.filled += 1
            for name, pattern in _COMPILED.items():
                if pattern.match(text):
                    column.matches[name] += 1
                    if name in _YEAR_AT:
                        column.year(int(text[_YEAR_AT[name]]),
                                    "four" if name == "year" else "year")
            if column.values is not None:
                column.values.add(text)
                if len(column.values) > ENUM_MAX:
                    column.values = None
    return stats, count


SAMPLE_ROWS = 10_000


def stats_of_csv(path: Path, width: int, separator: str) -> tuple[list[ColumnStats], int]:
    """The same counts for a UTF-8 CSV/TSV, in polars: a bounded sample says which patterns a
    column may have; one vectorised pass over the whole file counts only those."""
    import polars as pl

    names = [f"c{i}" for i in range(width)]

    def scan(limit: int | None = None) -> pl.LazyFrame:
        return pl.scan_csv(path, separator=separator, has_header=False, skip_rows=1,
                           schema=dict.fromkeys(names, pl.String), truncate_ragged_lines=True,
                           encoding="utf8-lossy", n_rows=limit)

    sample = scan(SAMPLE_ROWS).collect()
    candidates: dict[str, list[str]] = {}
    few: dict[str, list[str]] = {}  # the sample's values of a column that has few
    for name in names:
        cells = sample[name].fill_null("")
        cells = cells.filter(cells != "")
        candidates[name] = [key for key, regex in PATTERNS.items()
                            if len(cells) and cells.str.contains(regex).any()]
        distinct = cells.unique()
        if len(distinct) <= ENUM_MAX:
            few[name] = distinct.to_list()
    exprs: list[pl.Expr] = [pl.len().alias("rows")]
    for name in names:
        cell = pl.col(name).fill_null("")
        filled = cell != ""
        exprs.append(filled.sum().alias(f"{name}:filled"))
        for key in candidates[name]:
            match = cell.str.contains(PATTERNS[key])
            exprs.append((filled & match).sum().alias(f"{name}:{key}"))
            if key in ("iso_date", "dmy_date", "year"):
                year = pl.when(match).then(
                    cell.str.slice(-4) if key == "dmy_date" else cell.str.slice(0, 4)
                ).cast(pl.Int32, strict=False)
                exprs += [year.min().alias(f"{name}:{key}:min"),
                          year.max().alias(f"{name}:{key}:max")]
        if name in few:  # values outside the sample's few: no enum
            exprs.append((filled & ~cell.is_in(few[name])).sum().alias(f"{name}:others"))
    row = scan().select(exprs).collect().row(0, named=True)
    rows = int(row["rows"])
    out = []
    for name in names:
        column = ColumnStats(filled=int(row[f"{name}:filled"]))
        column.empty = rows - column.filled
        column.matches = {key: int(row.get(f"{name}:{key}") or 0) for key in PATTERNS}
        column.values = set(few[name]) if name in few and not row[f"{name}:others"] else None
        for key in ("iso_date", "dmy_date", "year"):
            low, high = row.get(f"{name}:{key}:min"), row.get(f"{name}:{key}:max")
            if low is not None:
                column.year(int(low), "four" if key == "year" else "year")
                column.year(int(high), "four" if key == "year" else "year")
        out.append(column)
    return out, rows


def field_for(name: str, title: str | None, column: ColumnStats, rows: int) -> dict[str, Any]:
    """The Table Schema field the counts support."""
    entry: dict[str, Any] = {"name": name}
    if title and title != name:
        entry["title"] = title
    m, n = column.matches, column.filled

    def all_of(*keys: str) -> bool:
        return n > 0 and sum(m[k] for k in keys) == n

    values = column.values or set()
    boolean = next((b for b in BOOLEANS if n and values and values <= b), None)
    if boolean is not None and len(values) >= 1 and rows >= 2:
        true, false = sorted(boolean, key=lambda v: v.lower() in ("ไม่ใช่", "false"))
        entry.update(type="boolean", trueValues=[true], falseValues=[false])
    elif m["leading_zero"] and all_of("int"):
        entry["type"] = "string"  # a code: its leading zeros are part of it
    elif all_of("year") and _buddhist(column.four_min, column.four_max):
        entry.update(type="year", calendar="buddhist")
    elif all_of("int"):
        entry["type"] = "integer"
    elif all_of("int", "int_group"):
        # Table Schema's integer has no groupChar: a number (numeric in the DataStore)
        entry.update(type="number", groupChar=",")
    elif all_of("int", "num"):
        entry["type"] = "number"
    elif all_of("int", "int_group", "num", "num_group"):
        entry.update(type="number", groupChar=",")
    elif all_of("iso_date"):
        entry["type"] = "date"
    elif all_of("dmy_date"):
        entry.update(type="date", format="%d/%m/%Y")
    else:
        entry["type"] = "string"
    if entry["type"] == "date" and _buddhist(column.year_min, column.year_max):
        entry["calendar"] = "buddhist"
    constraints: dict[str, Any] = {}
    if rows and column.empty == 0:
        constraints["required"] = True
    if entry["type"] == "string" and column.values is not None and 1 < len(values) \
            and n >= ENUM_MIN_ROWS and n >= 3 * len(values):
        constraints["enum"] = sorted(values)
    if constraints:
        entry["constraints"] = constraints
    return entry


def _buddhist(low: int | None, high: int | None) -> bool:
    """Years that are all Buddhist-era (2400-2799; พ.ศ. 2400 is 1857)."""
    return low is not None and high is not None and LOOKS_BUDDHIST_AFTER <= low \
        and high < BUDDHIST_ERA_TO
