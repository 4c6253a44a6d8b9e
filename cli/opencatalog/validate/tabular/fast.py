"""Columnar fast path: the frictionless row checks, vectorised with polars.

How exactness is kept:
* a cell is judged by polars only when it matches a strict, plain form
  (e.g. `-?[0-9]+` for integers) whose polars value equals the Python value;
  every other non-empty cell goes through frictionless's own cell reader;
* error order inside a row follows frictionless's lazy row processing (see
  `_order_row`), so truncation at `limit_errors` cuts at the same error;
* messages are rendered by frictionless's own error classes.
Anything else is refused in `plan.py` and handled by the reference engine.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import polars as pl

from .plan import Plan, Unsupported

INT_RE = r"^-?[0-9]{1,18}$"  # fits Int64, so the polars cast is exact
NUM_RE = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"
DATE_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
YEAR_RE = r"^[0-9]{4}$"
BOUNDS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
}


@dataclass
class Parsed:
    """One resource read and typed: `df` has `_i` (row number), `_n` (cell
    count), raw cells `c0..` and typed values `v0..`."""

    plan: Plan
    df: pl.DataFrame
    cell_errors: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)


def _col(k: int) -> str:
    return f"c{k}"


def _val(k: int) -> str:
    return f"v{k}"


def _read(plan: Plan) -> pl.DataFrame:
    """Split lines into cells.  Quoted files are refused: without quotes a CSV
    record is a line, which keeps missing cells (null) apart from empty ones."""
    n = len(plan.fields)
    parts = pl.col("line").str.split(plan.delimiter)
    lf = (
        pl.scan_lines(plan.path)
        .with_row_index("_i", offset=1)
        .filter(pl.col("_i") > 1)
        .with_columns(
            _q=pl.col("line").str.contains('["\r]'),
            _n=pl.when(pl.col("line") == "").then(0).otherwise(parts.list.len()),
            _x=parts.list.slice(n),
            **{_col(k): parts.list.get(k, null_on_oob=True) for k in range(n)},
        )
        .drop("line")
    )
    df = lf.collect()
    if df.height and df["_q"].any():
        raise Unsupported("quoted fields or bare CR")
    return df.drop("_q")


def _typed(f: Any, raw: pl.Expr) -> tuple[pl.Expr, pl.Expr]:
    """(value, plain) for a non-missing cell: `plain` cells are ones whose polars
    value is known to equal the Python value; the rest go to frictionless."""
    t = f.type
    if t == "string":
        return raw, pl.lit(True)
    if t == "integer":
        # polars' integer parse accepts a strict subset of Python's int()
        # (sign + ASCII digits) and yields the same value for it.
        return raw.cast(pl.Int64, strict=False), pl.lit(True)
    if t == "number":
        value = raw.cast(pl.Float64, strict=False)
        # NaN/inf: Decimal semantics differ, let frictionless judge them
        return value, value.is_finite()
    if t == "year":
        value = raw.cast(pl.Int64, strict=False)
        return value, (raw.str.len_bytes() == 4) & (value >= 0)
    if t == "boolean":
        value = raw.replace_strict(
            ["true", "True", "TRUE", "1", "false", "False", "FALSE", "0"],
            [True] * 4 + [False] * 4,
            default=None,
            return_dtype=pl.Boolean,
        )
        return value, pl.lit(True)
    if t == "date":
        value = raw.str.to_date("%Y-%m-%d", strict=False)
        # year 0 exists in polars, not in Python's datetime
        return value, (raw.str.len_bytes() == 10) & (value.dt.year() >= 1)
    if t == "datetime":
        value = raw.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False, time_unit="us")
        return value, raw.str.contains(DATETIME_RE) & (value.dt.year() >= 1)
    raise Unsupported(t)


def _violations(f: Any, k: int) -> list[tuple[str, pl.Expr]]:
    """(constraint name, violated) in frictionless's check order, for plain cells."""
    reader = f.create_value_reader()
    value, ok, missing = pl.col(_val(k)), pl.col(f"ok{k}"), pl.col(f"m{k}")
    out: list[tuple[str, pl.Expr]] = []
    for name in f.supported_constraints:
        c = f.constraints.get(name)
        if c is None:
            continue
        if name == "required":
            if c:
                out.append((name, missing))
        elif name in BOUNDS:
            bound = reader(c)
            if bound is None:
                raise Unsupported(f"bad {name}")
            if f.type == "number":
                bound = float(bound)
            out.append((name, ok & ~getattr(value, BOUNDS[name])(bound)))
        elif name == "minLength":
            out.append((name, ok & (value.str.len_chars() < c)))
        elif name == "maxLength":
            out.append((name, ok & (value.str.len_chars() > c)))
        elif name == "pattern":
            out.append((name, ok & ~value.str.contains(f"^{c}$")))
        elif name == "enum":
            allowed = [v for v in (reader(x) for x in c) if v is not None]
            out.append((name, ok & ~value.is_in(pl.Series(allowed).implode())))
    return out


def _ambiguous(f: Any, value: pl.Expr) -> pl.Expr:
    """Number cells equal (as floats) to a bound: Decimal decides, not float."""
    amb = pl.lit(False)
    if f.type != "number":
        return amb
    reader = f.create_value_reader()
    for name in BOUNDS:
        if f.constraints.get(name) is not None:
            amb = amb | (value == float(reader(f.constraints[name])))
    return amb


def parse(plan: Plan) -> Parsed:
    df = _read(plan)
    # Stage 1: typed values once per column (eager with_columns does not share
    # sub-expressions, so later stages refer to these columns by name).
    stage1: list[pl.Expr] = []
    for k, f in enumerate(plan.fields):
        raw = pl.col(_col(k))
        value, plain = _typed(f, raw)
        stage1.append((raw.is_null() | (raw == "")).alias(f"m{k}"))
        stage1.append(value.alias(f"t{k}"))
        stage1.append(plain.fill_null(False).alias(f"p{k}"))
    df = df.with_columns(stage1)
    stage2: list[pl.Expr] = []
    for k, f in enumerate(plan.fields):
        t = pl.col(f"t{k}")
        ok = ~pl.col(f"m{k}") & pl.col(f"p{k}") & t.is_not_null() & ~_ambiguous(f, t)
        stage2.append(ok.fill_null(False).alias(f"ok{k}"))
    df = df.with_columns(stage2)
    stage3: list[pl.Expr] = []
    flags: list[tuple[int, str, str]] = []  # (field index, constraint, column)
    for k in range(len(plan.fields)):
        stage3.append(pl.when(pl.col(f"ok{k}")).then(pl.col(f"t{k}")).alias(_val(k)))
        stage3.append((~pl.col(f"m{k}") & ~pl.col(f"ok{k}")).alias(f"s{k}"))
    df = df.with_columns(stage3)
    stage4: list[pl.Expr] = []
    for k, f in enumerate(plan.fields):
        for name, viol in _violations(f, k):
            column = f"f{k}_{name}"
            stage4.append(viol.fill_null(False).alias(column))
            flags.append((k, name, column))
    df = df.with_columns(stage4).drop(
        [f"{p}{k}" for k in range(len(plan.fields)) for p in ("t", "p", "m", "ok")]
    )
    parsed = Parsed(plan, df)
    _slow_cells(parsed)
    _flag_cells(parsed, flags)
    return parsed


def _slow_cells(parsed: Parsed) -> None:
    """Cells polars is unsure about: frictionless's reader decides each one."""
    df = parsed.df
    plan = parsed.plan
    keys = set(plan.primary_key) | {n for fk in plan.foreign_keys for n in fk["fields"]}
    for k, f in enumerate(plan.fields):
        # only key fields need the value itself (constraints were judged above)
        is_key = f.name in keys or bool(f.constraints.get("unique"))
        sub = df.filter(pl.col(f"s{k}")).select("_i", _col(k))
        if sub.height == 0:
            continue
        reader = f.create_cell_reader()
        rows, values = [], []
        for i, raw in sub.iter_rows():
            value, notes = reader(raw)
            if notes:
                parsed.cell_errors.setdefault((i, k), []).extend(notes.items())
            if value is not None and is_key:
                rows.append(i)
                values.append(value)
        if rows:
            dtype = df.schema[_val(k)]
            try:
                patch = pl.DataFrame(
                    {"_i": rows, "_p": values}, schema={"_i": pl.UInt32, "_p": dtype}, strict=True
                )
            except Exception as exc:  # e.g. an integer beyond Int64
                raise Unsupported(f"value outside polars range: {exc}") from exc
            df = (
                df.join(patch, on="_i", how="left")
                .with_columns(pl.coalesce(_val(k), "_p").alias(_val(k)))
                .drop("_p")
            )
    parsed.df = df


def _flag_cells(parsed: Parsed, flags: list[tuple[int, str, str]]) -> None:
    if not flags:
        return
    hit = parsed.df.filter(pl.any_horizontal([pl.col(c) for _, _, c in flags]))
    by_field: dict[int, list[tuple[str, str]]] = {}
    for k, name, column in flags:
        by_field.setdefault(k, []).append((name, column))
    for k, items in by_field.items():
        f = parsed.plan.fields[k]
        cols = ["_i"] + [c for _, c in items]
        for row in hit.select(cols).iter_rows():
            i = row[0]
            for (name, _), bad in zip(items, row[1:], strict=True):
                if bad:
                    note = f'constraint "{name}" is "{f.constraints[name]}"'
                    parsed.cell_errors.setdefault((i, k), []).append((name, note))


# --- integrity: unique, primary key, foreign keys ---------------------------


def _dup_candidates(df: pl.DataFrame, cols: list[str]) -> pl.DataFrame:
    """Rows whose key hash repeats: a cheap superset of the duplicates, so the
    exact (and slower) per-group `shift().over()` runs on a few rows only."""
    key = pl.col(cols[0]) if len(cols) == 1 else pl.struct(cols)
    return df.filter(key.hash().is_duplicated())


def unique_dups(parsed: Parsed) -> dict[int, list[tuple[int, int]]]:
    """row -> [(field index, earlier row)] for repeated values of unique fields."""
    out: dict[int, list[tuple[int, int]]] = {}
    for k, f in enumerate(parsed.plan.fields):
        if not f.constraints.get("unique"):
            continue
        v = pl.col(_val(k))
        dups = (
            _dup_candidates(parsed.df.select("_i", _val(k)).filter(v.is_not_null()), [_val(k)])
            # frictionless remembers the latest row for each value
            .with_columns(_prev=pl.col("_i").shift(1).over(_val(k)))
            .filter(pl.col("_prev").is_not_null())
        )
        for i, prev in dups.select("_i", "_prev").iter_rows():
            out.setdefault(i, []).append((k, prev))
    return out


def primary_key_errors(parsed: Parsed) -> dict[int, str]:
    """row -> frictionless note for a primary-key violation."""
    plan = parsed.plan
    if not plan.primary_key:
        return {}
    cols = [_val(plan.names.index(n)) for n in plan.primary_key]
    df = parsed.df.select(["_i", *cols])
    all_null = pl.all_horizontal([pl.col(c).is_null() for c in cols])
    out = {i: 'cells composing the primary keys are all "None"' for i in df.filter(all_null)["_i"]}
    dups = (
        _dup_candidates(df.filter(~all_null), cols)
        .with_columns(_prev=pl.col("_i").shift(1).over(cols))
        .filter(pl.col("_prev").is_not_null())
    )
    for i, prev in dups.select("_i", "_prev").iter_rows():
        out[i] = f"the same as in the row at position {prev}"
    return out


def foreign_key_errors(parsed: Parsed, sources: dict[str, Parsed]) -> dict[int, list[tuple[int, list[Any]]]]:
    """row -> [(fk index, target values)] for rows whose key is not in the source."""
    plan = parsed.plan
    out: dict[int, list[tuple[int, list[Any]]]] = {}
    for g, fk in enumerate(plan.foreign_keys):
        ref = fk["reference"]
        source = parsed if ref.get("resource") in ("", None, plan.name) else sources[ref["resource"]]
        tcols = [_val(plan.names.index(n)) for n in fk["fields"]]
        try:
            scols = [_val(source.plan.names.index(n)) for n in ref["fields"]]
        except ValueError as exc:
            raise Unsupported("foreign key to a missing field") from exc
        for t, s in zip(tcols, scols, strict=True):
            if parsed.df.schema[t] != source.df.schema[s]:
                raise Unsupported("foreign key between different types")
        keys = [f"_k{j}" for j in range(len(tcols))]
        lookup = (
            source.df.select([pl.col(s).alias(key) for s, key in zip(scols, keys, strict=True)])
            .filter(~pl.all_horizontal([pl.col(key).is_null() for key in keys]))
            .unique()
        )
        target = parsed.df.select(
            "_i", *[pl.col(t).alias(key) for t, key in zip(tcols, keys, strict=True)]
        ).filter(~pl.all_horizontal([pl.col(key).is_null() for key in keys]))
        bad = target.join(lookup, on=keys, how="anti", nulls_equal=True)
        for row in bad.sort("_i").iter_rows():
            out.setdefault(row[0], []).append((g, list(row[1:])))
    return out
