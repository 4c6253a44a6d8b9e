"""Buddhist-era (พ.ศ.) dates and years: declared with `calendar: buddhist` on a field.

frictionless knows only the Gregorian calendar: it would read 2566-10-15 as year 2566 CE and
refuse 29/02/2567 (a real day: 29 February 2024).  So a declared Buddhist-era field is given
to both engines as a string (its `required`, `unique`, `pattern`, length and `enum`
constraints still apply to the text) and checked here: a real day of the Buddhist calendar
in the field's format, and `minimum`/`maximum` written in the same calendar.

Undeclared `date` and `year` fields whose every year is after 2400 get one finding: they look
Buddhist-era and would be stored 543 years in the future.

Both engines feed the same `ResourceCalendar`: the fast path batch by batch while it reads
(no second pass over the file), the reference engine through `scan_file`; so the findings
are the same whichever engine ran.  Nothing here runs for a table without date or year fields.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from opencatalog.buddhist_era import LOOKS_BUDDHIST_AFTER, OFFSET, buddhist_date, format_regex

from .errors import TableError, calendar_message, hint_for

BUDDHIST = "buddhist"
CALENDARS = ("buddhist", "gregorian")
SUSPECT_AFTER = LOOKS_BUDDHIST_AFTER
BOUNDS = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
BOUND_TESTS = {"minimum": lambda v, b: v < b, "maximum": lambda v, b: v > b,
               "exclusiveMinimum": lambda v, b: v <= b, "exclusiveMaximum": lambda v, b: v >= b}
KEPT_CONSTRAINTS = ("required", "unique", "pattern", "minLength", "maxLength", "enum")


@dataclass
class CalendarField:
    index: int
    name: str
    type: str  # "date" or "year"
    declared: bool  # calendar: buddhist (else: only watched for Buddhist-era years)
    regex: str | None  # date fields: groups d, m, Y
    fmt: str
    bounds: dict[str, Any] = field(default_factory=dict)  # constraint -> (text, Gregorian value)


@dataclass
class ResourceCalendar:
    """What one resource's rows say about its date and year fields."""

    resource: str
    fields: list[CalendarField]
    missing: tuple[str, ...] = ("",)
    errors: list[tuple[int, int, str, str, str]] = field(default_factory=list)  # row, k, cell, kind, note
    min_year: dict[int, int] = field(default_factory=dict)  # undeclared fields: smallest year
    example: dict[int, str] = field(default_factory=dict)
    fed: bool = False  # rows were given (by the fast path or scan_file)
    complete: bool = False  # every row was given

    def reset(self) -> None:
        self.errors, self.min_year, self.example = [], {}, {}
        self.fed = self.complete = False

    def columns(self) -> list[int]:
        return [f.index for f in self.fields]

    def batch(self, df: pl.DataFrame) -> None:
        """`df`: `_i` (row number) and `c<k>` (the raw cells, null when missing) of some rows."""
        self.fed = True
        for f in self.fields:
            raw = pl.col(f"c{f.index}")
            present = raw.is_not_null() & ~raw.is_in(list(self.missing))
            years, value, sure = _years_and_values(f, raw)
            if not f.declared:
                # 4-digit years only, compared as text (cheaper than numbers, same order)
                digits = present & (years.str.len_bytes() == 4) & (years >= "0000") & (years <= "9999")
                found = df.select(y=pl.when(digits).then(years).min(),
                                  e=pl.when(digits).then(raw).drop_nulls().first())
                low = found["y"][0]  # the smallest year, as 4-digit text
                if low is not None and low.isdigit():
                    low = int(low)
                    self.min_year[f.index] = min(low, self.min_year.get(f.index, low))
                    self.example.setdefault(f.index, found["e"][0])
                continue
            unsure = df.filter(present & ~sure).select("_i", raw.alias("cell"))
            exact: dict[int, Any] = {}  # few: a 29 February, a value not zero-padded, a wrong one
            for row, cell in unsure.iter_rows():
                exact[row] = _exact_value(f, cell)
                if exact[row] is None:
                    self.errors.append((row, f.index, cell, "type", ""))
            if not f.bounds:
                continue
            checked = df.filter(present & sure).select("_i", raw.alias("cell"), value.alias("v"))
            for name, (text, bound) in f.bounds.items():
                test = BOUND_TESTS[name]
                out = [(row, cell) for row, cell in
                       checked.filter(test(pl.col("v"), bound)).select("_i", "cell").iter_rows()]
                out += [(row, cell) for row, cell in unsure.iter_rows()
                        if exact[row] is not None and test(exact[row], bound)]
                self.errors.extend((row, f.index, cell, name, text) for row, cell in sorted(out))

    def findings(self) -> list[TableError]:
        by_index = {f.index: f for f in self.fields}
        out: list[TableError] = []
        for k, low in sorted(self.min_year.items()):
            f = by_index[k]
            if low > SUSPECT_AFTER:
                out.append(TableError(
                    resource=self.resource, type="buddhist-era-suspected", field_name=f.name,
                    message=calendar_message("suspected", field=f.name, year=SUSPECT_AFTER,
                                             example=self.example.get(k, ""), type=f.type),
                    hint=hint_for("buddhist-era-suspected")))
        order = {f.index: n for n, f in enumerate(self.fields)}
        for row, k, cell, kind, note in sorted(self.errors, key=lambda e: (e[0], order[e[1]])):
            f = by_index[k]
            out.append(TableError(
                resource=self.resource, type="type-error" if kind == "type" else "constraint-error",
                row_number=row, field_name=f.name, cell=cell,
                message=calendar_message(kind, cell=cell, row=row, field=f.name, position=k + 1,
                                         fmt=f.fmt, bound=note, type=f.type),
                hint=hint_for("buddhist-era-type" if kind == "type" else "constraint-error")))
        return out


def _years_and_values(f: CalendarField, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr, pl.Expr]:
    """(the year as written, as text; the Gregorian value, for bounds only; sure) of each cell.

    A cell that is not `sure` (not in the format's zero-padded form, or a 29 February) is
    judged by `buddhist_date`: polars reads the date as if its year were Gregorian, which is
    right for every day but 29 February (leap years differ between the two readings).
    """
    if f.type == "year":
        year = raw.str.extract(r"^([0-9]{4})$", 1)
        value = year.cast(pl.Int32, strict=False) - OFFSET
        return year, pl.when(value >= 1).then(value), (value >= 1).fill_null(False)
    at = _positions(f.fmt)
    year = raw.str.slice(at["Y"], 4)
    if not f.declared:
        return year, pl.lit(None, dtype=pl.Date), pl.lit(True)
    as_if = raw.str.to_date(f.fmt, strict=False)
    sure = ((raw.str.len_bytes() == at["len"]) & as_if.is_not_null() & (year > str(OFFSET).zfill(4))
            & ~((raw.str.slice(at["m"], 2) == "02") & (raw.str.slice(at["d"], 2) == "29")))
    value = as_if.dt.offset_by(f"-{OFFSET}y") if f.bounds else pl.lit(None, dtype=pl.Date)
    return year, pl.when(sure).then(value), sure.fill_null(False)


def _positions(fmt: str) -> dict[str, int]:
    """Where Y, m and d start in a zero-padded date of `fmt`, and its length."""
    sample = date(1999, 11, 22).strftime(fmt)
    return {"Y": sample.index("1999"), "m": sample.index("11"), "d": sample.index("22"),
            "len": len(sample.encode())}


def _exact_value(f: CalendarField, cell: str) -> Any:
    if f.type == "year":
        return int(cell) - OFFSET if len(cell) == 4 and cell.isascii() and cell.isdigit() \
            and int(cell) > OFFSET else None
    return buddhist_date(cell, f.fmt)


def _field(k: int, raw: dict[str, Any]) -> CalendarField | None:
    kind = raw.get("type")
    if kind not in ("date", "year"):
        return None
    declared = raw.get("calendar") == BUDDHIST
    fmt = raw.get("format") if isinstance(raw.get("format"), str) else "default"
    regex = format_regex(fmt) if kind == "date" else None
    if not declared and raw.get("calendar") == "gregorian":
        return None  # declared Gregorian: years after 2400 are meant
    if kind == "date" and regex is None:
        return None  # a format we cannot read (undeclared only: the schema check refuses it)
    f = CalendarField(k, str(raw.get("name")), kind, declared, regex,
                      "%Y" if kind == "year" else "%Y-%m-%d" if fmt == "default" else fmt)
    constraints = raw.get("constraints") or {}
    if declared:
        for name in BOUNDS:
            if name in constraints:
                text = str(constraints[name])
                value = buddhist_date(text, fmt) if kind == "date" else \
                    (int(text) - OFFSET if text.isdigit() else None)
                if value is not None:
                    f.bounds[name] = (text, value)
    return f


def engine_field(raw: dict[str, Any]) -> dict[str, Any]:
    """A declared Buddhist-era field as the engines see it: text, with its text constraints."""
    constraints = raw.get("constraints") or {}
    kept = {k: v for k, v in constraints.items() if k in KEPT_CONSTRAINTS}
    if "enum" in kept:
        kept["enum"] = [str(v) for v in kept["enum"]]
    out = {k: v for k, v in raw.items() if k not in ("type", "format", "calendar", "constraints")}
    out["type"] = "string"
    if kept:
        out["constraints"] = kept
    return out


def prepare(descriptor: dict[str, Any]) -> tuple[dict[str, Any], dict[str, ResourceCalendar]]:
    """(the descriptor the engines validate, the calendar checks of each resource)."""
    calendars: dict[str, ResourceCalendar] = {}
    resources = []
    for resource in descriptor.get("resources") or []:
        schema = resource.get("schema") if isinstance(resource, dict) else None
        if isinstance(resource, dict) and resource.get("format") not in (None, "csv", "tsv"):
            schema = None  # a workbook's cells are typed by its reader: no calendar check
        fields = schema.get("fields") if isinstance(schema, dict) else None
        if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
            resources.append(resource)
            continue
        watched = [c for k, raw in enumerate(fields) if (c := _field(k, raw)) is not None]
        if watched:
            missing = schema.get("missingValues")
            calendars[resource["name"]] = ResourceCalendar(
                resource["name"], watched,
                tuple(missing) if isinstance(missing, list) else ("",))
        if any(c.declared for c in watched):
            declared = {c.index for c in watched if c.declared}
            schema = {**schema, "fields": [engine_field(raw) if k in declared else raw
                                           for k, raw in enumerate(fields)]}
            resource = {**resource, "schema": schema}
        resources.append(resource)
    return {**descriptor, "resources": resources}, calendars


def scan_file(calendar: ResourceCalendar, path: Path, encoding: str, dialect: dict[str, str],
              batch_rows: int = 100_000) -> None:
    """Give `calendar` every row of the file (for resources the fast path did not read whole).

    Python's csv numbers the records as frictionless does (a quoted cell may span lines).
    """
    calendar.reset()
    columns = calendar.columns()
    enc = "utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding
    schema = {"_i": pl.UInt32, **{f"c{k}": pl.String for k in columns}}

    def flush(rows: list[list[Any]]) -> None:
        if rows:
            calendar.batch(pl.DataFrame(rows, schema=schema, orient="row"))
            rows.clear()

    with path.open(encoding=enc, newline="") as handle:
        reader = csv.reader(handle, **dialect)
        next(reader, None)  # the header
        rows: list[list[Any]] = []
        for number, record in enumerate(reader, start=2):
            rows.append([number, *(record[k] if k < len(record) else None for k in columns)])
            if len(rows) >= batch_rows:
                flush(rows)
        flush(rows)
    calendar.complete = True


def merge(engine: list[TableError], calendar: list[TableError], limit: int) -> list[TableError]:
    """Calendar findings among the engine's, by row (findings without a row first)."""
    if not calendar:
        return engine
    out = sorted([*engine, *calendar], key=lambda e: e.row_number or 0)  # stable: engine first
    return out[:limit] if limit else out
