"""Columnar fast path: the frictionless row checks, vectorised with polars.

The file is read in byte chunks of about `CHUNK_BYTES` (cut at a line end),
so memory stays flat whatever the file size; each chunk is one batch of
physical lines = CSV records (a record spanning lines is refused, see below).

How exactness is kept:
* a record is a physical line.  A chunk without CR or NUL whose quotes all
  belong to regular RFC 4180 fields (where polars and Python's `csv`, the
  parser frictionless uses, agree) is read by polars' CSV reader; rows whose
  last cell is empty or that have extra cells are re-read with Python's
  `csv`, and the chunk's delimiter count proves the other rows have exactly
  one cell per field.  Other chunks take the line lane (split per line;
  Python's `csv` for irregular quoted lines).  A quoted field that runs past
  the end of its line (an embedded newline or an unbalanced quote), a CR
  inside a line or a NUL byte is refused: frictionless numbers records, and
  records would no longer be lines;
* a cell is judged by polars only when it matches a strict, plain form
  (e.g. `-?[0-9]+` for integers) whose polars value equals the Python value;
  every other non-empty cell goes through frictionless's own cell reader;
* error order inside a row follows frictionless's lazy row processing (see
  `assemble._Row`), so truncation at `limit_errors` cuts at the same error;
* primary keys and unique fields keep an 8-byte hash per row; only rows whose
  hash repeats are read again from the file and compared as frictionless's
  Python values.  Foreign keys to other resources are checked batch by batch
  against the referenced resource's values (kept in memory), self-references
  at the end;
* once the rows read hold at least `limit_errors` erroneous rows, later rows
  cannot change the findings and reading stops (the rest of the file is only
  checked to be UTF-8).
Anything else is refused in `plan.py` (or here, by raising `Unsupported`)
and handled by the reference engine.
"""

from __future__ import annotations

import bisect
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from .plan import Plan, Unsupported

CHUNK_BYTES = 4 << 20  # ~22k rows of the 15-column benchmark table per batch
BOM = b"\xef\xbb\xbf"
DATETIME_RE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}$"
QUOTED = r'"(?:[^"]|"")*"'  # one RFC 4180 quoted field (with "" for a quote)
BOUNDS = {
    "minimum": "ge",
    "maximum": "le",
    "exclusiveMinimum": "gt",
    "exclusiveMaximum": "lt",
}


def _col(k: int) -> str:
    return f"c{k}"


def _val(k: int) -> str:
    return f"v{k}"


# --- reading ----------------------------------------------------------------


def _chunks(path: Path, chunk_bytes: int, delimiter: str,
            encoding: str = "utf-8") -> Iterator[tuple[int, int, int, bytes]]:
    """(number of the chunk's first line, its line count, its file offset, its
    bytes) per chunk of whole lines; the header line (line 1) is left out, a
    leading BOM dropped.  (Plain reads, not mmap: mapped pages would count in
    the process's resident memory.)"""
    with path.open("rb") as handle:
        block = handle.read(chunk_bytes)
        # frictionless reads UTF-8 as utf-8-sig: Excel's byte order mark is not data
        pos = len(BOM) if encoding == "utf-8" and block.startswith(BOM) else 0
        cut = block.find(b"\n", pos)
        while cut < 0:
            more = handle.read(chunk_bytes)
            if not more:
                _header(block[pos:], delimiter, encoding)
                return
            block += more
            cut = block.find(b"\n", pos)
        _header(block[pos:cut], delimiter, encoding)
        rest, offset, first = block[cut + 1 :], cut + 1, 2
        while True:
            block = handle.read(chunk_bytes)
            if not block:
                data, rest = rest, b""
            else:
                cut = block.rfind(b"\n")
                if cut < 0:
                    rest += block
                    continue
                data, rest = rest + block[: cut + 1], block[cut + 1 :]
            if data:
                lines = data.count(b"\n") + (not data.endswith(b"\n"))
                yield first, lines, offset, data
                first += lines
                offset += len(data)
            if not block:
                return


def _header(raw: bytes, delimiter: str, encoding: str) -> None:
    """The header must be one clean record (frictionless checked its labels)."""
    try:
        text = raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise Unsupported("not UTF-8") from exc
    if text.endswith("\r"):
        text = text[:-1]
    if "\r" in text or "\x00" in text:
        raise Unsupported("CR or NUL in the header")
    if '"' in text:
        _python_record(text, delimiter)  # checks that the record ends on its line


def _utf8(data: bytes) -> None:
    """`data` is UTF-8 (checked by polars, fast) or raise Unsupported."""
    try:
        pl.Series([data], dtype=pl.Binary).cast(pl.String)
    except Exception as exc:  # invalid UTF-8
        raise Unsupported("not UTF-8") from exc


def _as_utf8(data: bytes, encoding: str) -> bytes:
    """A batch of a file declared in a single-byte Thai encoding (cp874, tis-620), as UTF-8.
    One byte is one character there, so lines and their numbers are the same."""
    if encoding == "utf-8":
        return data
    try:
        return data.decode(encoding).encode("utf-8")
    except UnicodeDecodeError as exc:  # a byte the codec lacks: frictionless reports it
        raise Unsupported(f"not {encoding}") from exc


def _dialect(delimiter: str) -> dict[str, Any]:
    # frictionless's CsvControl.to_python() for a sniffed or declared dialect
    # without escape character (plan.py refuses the others)
    return {
        "delimiter": delimiter,
        "quotechar": '"',
        "doublequote": True,
        "escapechar": None,
        "skipinitialspace": False,
        "strict": False,
    }


def _python_record(line: str, delimiter: str) -> list[str]:
    """Parse one line with Python's csv (frictionless's parser); refuse a line
    whose quoted field does not end on it (its record would span lines)."""
    records = list(csv.reader([line + "\n", "x\n"], **_dialect(delimiter)))
    if len(records) != 2 or records[1] != ["x"]:
        raise Unsupported("a quoted field spans lines")
    return records[0]


def _regular_re(delimiter: str) -> str:
    d = "\\t" if delimiter == "\t" else "\\" + delimiter
    field_re = f'(?:{QUOTED}|[^"{d}]*)'
    return f"^{field_re}(?:{d}{field_re})*$"


FLAGGED_MAX = 256  # rows per batch re-read with Python's csv before the line lane is cheaper
QUOTE_DENSITY = 400  # one quote per this many bytes or more: a regex checks the quotes


def _regular_quotes(data: bytes, d: str) -> int | None:
    """When every quote in `data` belongs to a field that is fully quoted
    ("..." with "" for a quote), starts at a field start and is followed by a
    delimiter or a line end (there polars' reader and Python's csv agree):
    the number of delimiters inside quoted fields, or -1 for "not counted".
    None otherwise."""
    quotes = data.count(b'"')
    if quotes * QUOTE_DENSITY >= len(data):
        # dense quoting: one regex pass beats a Python loop per quote
        e = "\\t" if d == "\t" else "\\" + d
        field_re = f'(?:{QUOTED}|[^"{e}\\n]*)'
        pattern = f"^(?:{field_re}(?:{e}{field_re})*\\n)*(?:{field_re}(?:{e}{field_re})*)?$"
        ok = pl.Series([data], dtype=pl.Binary).cast(pl.String).str.contains(pattern)[0]
        return -1 if ok else None
    q, delim, nl = ord('"'), ord(d), ord("\n")
    inner = 0
    pos = data.find(b'"')
    while pos >= 0:
        if pos > 0 and data[pos - 1] not in (delim, nl):
            return None
        j = pos + 1
        while True:
            j = data.find(b'"', j)
            if j < 0:
                return None
            if j + 1 < len(data) and data[j + 1] == q:
                j += 2
                continue
            break
        if j + 1 < len(data) and data[j + 1] not in (delim, nl):
            return None
        if data.find(b"\n", pos, j) >= 0:
            return None  # a quoted field spans lines
        inner += data.count(delim.to_bytes(1, "big"), pos, j)
        pos = data.find(b'"', j + 1)
    return inner


def _cells(plan: Plan, start: int, lines: int, data: bytes) -> pl.DataFrame:
    """Split a batch of lines into `_i` (row number), `_n` (cell count), `_x`
    (extra cells, null when none) and `c0..` (cells; null when missing).

    Fast lane: polars' CSV reader over the whole batch, when there is no CR or
    NUL, every quoted field is regular and polars reads one row per line (a
    quoted newline would merge two).  Otherwise the line lane below."""
    n = len(plan.fields)
    d = plan.delimiter
    inner: int | None = 0
    # (an empty line reads as a row of empty cells: `_from_frame` re-reads it)
    if b"\r" in data or b"\x00" in data:
        inner = None
    elif b'"' in data:
        inner = _regular_quotes(data, d)
    if inner is not None:
        # A first line of n+1 empty cells fixes the reader's column count; a
        # row with more cells fills column n (then its line is parsed exactly).
        try:
            frame = pl.read_csv(
                io.BytesIO(d.encode() * n + b"\n" + data),
                has_header=False,
                separator=d,
                quote_char='"',
                schema={_col(k): pl.String for k in range(n + 1)},
                empty_string_is_null=False,
                truncate_ragged_lines=True,
                infer_schema=False,
            ).slice(1)
        except Exception as exc:  # invalid UTF-8
            raise Unsupported(f"polars could not read the batch: {exc}") from exc
        if frame.height == lines:
            df = _from_frame(plan, start, data, frame, inner)
            if df is not None:
                return df
    return _line_cells(plan, start, data)


def _from_frame(
    plan: Plan, start: int, data: bytes, frame: pl.DataFrame, inner: int
) -> pl.DataFrame | None:
    """Cells from polars' reader.  It fills missing cells with "" and keeps at
    most one extra cell, so rows whose last cell is empty or that have an
    extra cell are re-read exactly (Python's csv on their line), and the
    delimiter count of the batch proves every other row has exactly n cells;
    None when it does not add up (the caller uses the line lane)."""
    n = len(plan.fields)
    d = plan.delimiter
    frame = frame.with_row_index("_i", offset=start)
    odd = (pl.col(_col(n - 1)) == "") | (pl.col(_col(n)) != "")
    flagged = frame.filter(odd)
    if flagged.height > FLAGGED_MAX:
        return None  # e.g. an often empty last column: the vectorised line lane is faster
    rest = frame.filter(~odd) if flagged.height else frame
    # every delimiter in the batch separates two cells or sits inside a (quoted) cell
    expected = (n - 1) * rest.height
    if inner < 0:  # not counted yet: the delimiters inside the cells polars read
        inner = rest.select(
            pl.sum_horizontal([pl.col(_col(k)).str.count_matches(d, literal=True) for k in range(n)]).sum()
        ).item() or 0
        inner += (
            flagged.select(
                pl.sum_horizontal([pl.col(_col(k)).str.count_matches(d, literal=True) for k in range(n)])
            ).sum().item() or 0
            if flagged.height
            else 0
        )
    expected += inner
    patch = None
    if flagged.height:
        text = data.decode("utf-8").split("\n")
        records = [(i, _python_record(text[i - start], d)) for i in flagged["_i"]]
        expected += sum(len(c) - 1 for _, c in records)
        rows: dict[str, list[Any]] = {"_i": [], "_n": [], "_x": [], **{_col(k): [] for k in range(n)}}
        for i, cells in records:
            rows["_i"].append(i)
            rows["_n"].append(len(cells))
            rows["_x"].append(cells[n:] or None)
            for k in range(n):
                rows[_col(k)].append(cells[k] if k < len(cells) else None)
        patch = pl.DataFrame(rows, schema=_cell_schema(n))
    if data.count(d.encode()) != expected:
        return None
    df = rest.select(
        "_i",
        pl.lit(n, dtype=pl.UInt32).alias("_n"),
        pl.lit(None, dtype=pl.List(pl.String)).alias("_x"),
        *[_col(k) for k in range(n)],
    )
    if patch is not None:
        df = pl.concat([df, patch]).sort("_i")
    return df


def _cell_schema(n: int) -> dict[str, Any]:
    schema: dict[str, Any] = {"_i": pl.UInt32, "_n": pl.UInt32, "_x": pl.List(pl.String)}
    schema.update({_col(k): pl.String for k in range(n)})
    return schema


def _line_cells(plan: Plan, start: int, data: bytes) -> pl.DataFrame:
    """The line lane: one physical line = one record (see the module docstring)."""
    n = len(plan.fields)
    d = plan.delimiter
    try:
        # scan_lines validates UTF-8, keeps empty lines, drops the newline
        # (and the CR of a CRLF)
        lines = pl.scan_lines(io.BytesIO(data)).collect()["line"]
    except Exception as exc:  # invalid UTF-8
        raise Unsupported("not UTF-8") from exc
    df = pl.DataFrame([lines]).with_row_index("_i", offset=start)
    flags = df.select(
        bad=pl.col("line").str.contains("[\r\x00]").any(),
        quoted=pl.col("line").str.contains('"', literal=True),
    )
    if flags["bad"][0]:
        raise Unsupported("CR inside a line or NUL byte")
    quoted = flags["quoted"]
    # (eager select does not share sub-expressions: split once into a column)
    parts = pl.col("_parts")
    split = df.with_columns(_parts=pl.col("line").str.split(d)).select(
        "_i",
        _n=pl.when(pl.col("line") == "").then(0).otherwise(parts.list.len()).cast(pl.UInt32),
        _x=parts.list.slice(n),
        **{_col(k): parts.list.get(k, null_on_oob=True) for k in range(n)},
    )
    if not quoted.any():
        return split
    sub = df.filter(quoted)
    frames = [split.filter(~quoted)]
    regular = sub["line"].str.contains(_regular_re(d))
    if regular.any():
        frames.append(_polars_quoted(sub.filter(regular), n, d))
    if not regular.all():
        frames.append(_python_quoted(sub.filter(~regular), n, d))
    return pl.concat(frames, how="vertical").sort("_i")


def _polars_quoted(sub: pl.DataFrame, n: int, d: str) -> pl.DataFrame:
    """Lines whose fields are each unquoted or fully quoted: polars' CSV reader."""
    counts = sub["line"].str.replace_all(QUOTED, "").str.count_matches(d, literal=True) + 1
    m = int(counts.max())  # type: ignore[arg-type]
    width = max(m, n)
    # a first line with `width` cells fixes the column count of the reader
    text = d * (width - 1) + "\n" + "\n".join(sub["line"].to_list())
    frame = pl.read_csv(
        io.BytesIO(text.encode("utf-8")),
        has_header=False,
        separator=d,
        quote_char='"',
        schema={f"q{j}": pl.String for j in range(width)},
        empty_string_is_null=False,
        infer_schema=False,
    ).slice(1)
    if frame.height != sub.height:
        raise Unsupported("polars read a different number of quoted records")
    cnt = pl.col("_n")
    extra = (
        pl.concat_list([pl.col(f"q{j}") for j in range(n, width)]).list.head(
            (cnt.cast(pl.Int64) - n).clip(lower_bound=0)
        )
        if width > n
        else pl.lit([], dtype=pl.List(pl.String))
    )
    return frame.with_columns(_i=sub["_i"], _n=counts.cast(pl.UInt32)).select(
        "_i",
        "_n",
        extra.alias("_x"),
        **{_col(k): pl.when(cnt > k).then(pl.col(f"q{k}")) for k in range(n)},
    )


def _python_quoted(sub: pl.DataFrame, n: int, d: str) -> pl.DataFrame:
    """Other quoted lines (e.g. a quote inside an unquoted cell): Python's csv."""
    rows: dict[str, list[Any]] = {"_i": [], "_n": [], "_x": [], **{_col(k): [] for k in range(n)}}
    for i, line in sub.select("_i", "line").iter_rows():
        cells = _python_record(line, d)
        rows["_i"].append(i)
        rows["_n"].append(len(cells))
        rows["_x"].append(cells[n:])
        for k in range(n):
            rows[_col(k)].append(cells[k] if k < len(cells) else None)
    schema = {"_i": pl.UInt32, "_n": pl.UInt32, "_x": pl.List(pl.String)}
    schema.update({_col(k): pl.String for k in range(n)})
    return pl.DataFrame(rows, schema=schema)


# --- typing and cell constraints ---------------------------------------------


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


class _Checks:
    """The per-batch expressions of a plan, built once."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        n = len(plan.fields)
        self.stage1: list[pl.Expr] = []
        self.stage2: list[pl.Expr] = []
        self.stage3: list[pl.Expr] = []
        self.stage4: list[pl.Expr] = []
        self.flags: list[tuple[int, str, str]] = []  # (field index, constraint, column)
        for k, f in enumerate(plan.fields):
            raw = pl.col(_col(k))
            value, plain = _typed(f, raw)
            self.stage1.append((raw.is_null() | (raw == "")).alias(f"m{k}"))
            self.stage1.append(value.alias(f"t{k}"))
            self.stage1.append(plain.fill_null(False).alias(f"p{k}"))
            t = pl.col(f"t{k}")
            ok = ~pl.col(f"m{k}") & pl.col(f"p{k}") & t.is_not_null() & ~_ambiguous(f, t)
            self.stage2.append(ok.fill_null(False).alias(f"ok{k}"))
            self.stage3.append(pl.when(pl.col(f"ok{k}")).then(pl.col(f"t{k}")).alias(_val(k)))
            self.stage3.append((~pl.col(f"m{k}") & ~pl.col(f"ok{k}")).alias(f"s{k}"))
            for name, viol in _violations(f, k):
                column = f"f{k}_{name}"
                self.stage4.append(viol.fill_null(False).alias(column))
                self.flags.append((k, name, column))
        self.drop = [f"{p}{k}" for k in range(n) for p in ("t", "p", "m", "ok")]
        self.readers: dict[int, Any] = {}

    def reader(self, k: int) -> Any:
        if k not in self.readers:
            self.readers[k] = self.plan.fields[k].create_cell_reader()
        return self.readers[k]


# --- one resource, batch by batch ---------------------------------------------


@dataclass
class Parsed:
    """One resource read and typed.

    `rows`: raw cells (`_i`, `_n`, `_x`, `c0..`) of every row that has a cell,
    shape or blank-row error or a foreign-key error against another resource;
    `keys`: typed values `v<k>` of the fields in `keep` (other resources'
    lookups, self-references) of every row read, in row order (row number =
    index + 2); `fk_errors`: row -> [(fk index, values)]."""

    plan: Plan
    keep: list[int]
    checks: Any = None
    rows: pl.DataFrame | None = None
    keys: pl.DataFrame | None = None
    cell_errors: dict[tuple[int, int], list[tuple[str, str]]] = field(default_factory=dict)
    fk_errors: dict[int, list[tuple[int, list[Any]]]] = field(default_factory=dict)
    complete: bool = True  # every row was read (no early stop)
    # (first line, file offset, length) of every batch read
    batches: list[tuple[int, int, int]] = field(default_factory=list)
    # key group (tuple of field indexes) -> 8-byte hashes of every row's key
    # (null: no key), and the rows whose primary key is all null
    hashes: dict[tuple[int, ...], list[pl.Series]] = field(default_factory=dict)
    pk_null_rows: list[int] = field(default_factory=list)
    exact: dict[tuple[int, int], Any] = field(default_factory=dict)  # (row, field) -> Python value

    def value(self, k: int, i: int) -> Any:
        return self.exact[(i, k)]


def _row_keys(plan: Plan) -> set[str]:
    return set(plan.primary_key) | {n for fk in plan.foreign_keys for n in fk["fields"]}


def _slow_cells(parsed: Parsed, checks: _Checks, df: pl.DataFrame) -> pl.DataFrame:
    """Cells polars is unsure about: frictionless's reader decides each one."""
    plan = parsed.plan
    keys = _row_keys(plan)
    unsure = df.select([pl.col(f"s{k}").any() for k in range(len(plan.fields))]).row(0)
    for k, f in enumerate(plan.fields):
        if not unsure[k]:
            continue
        # only key fields need the value itself (constraints were judged above)
        is_key = f.name in keys or bool(f.constraints.get("unique")) or k in parsed.keep
        sub = df.filter(pl.col(f"s{k}")).select("_i", _col(k))
        if sub.height == 0:
            continue
        reader = checks.reader(k)
        rows, values = [], []
        for i, raw in sub.iter_rows():
            value, notes = reader(raw)
            if notes:
                parsed.cell_errors.setdefault((i, k), []).extend(notes.items())
            if value is not None and is_key:
                rows.append(i)
                values.append(value)
        if rows:
            # the batch's rows are consecutive: row i is at position i - first
            first = df["_i"][0]
            column = df[_val(k)].clone()
            try:
                column.scatter([i - first for i in rows], pl.Series(values, dtype=column.dtype, strict=True))
            except Exception as exc:  # e.g. an integer beyond Int64
                raise Unsupported(f"value outside polars range: {exc}") from exc
            df = df.with_columns(column)
    return df


def _flag_cells(parsed: Parsed, checks: _Checks, df: pl.DataFrame) -> None:
    if not checks.flags:
        return
    hit = df.filter(pl.any_horizontal([pl.col(c) for _, _, c in checks.flags]))
    if hit.height == 0:
        return
    by_field: dict[int, list[tuple[str, str]]] = {}
    for k, name, column in checks.flags:
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


def _lookup(source: Parsed, fields: list[str]) -> pl.DataFrame:
    cols = [_val(source.plan.names.index(n)) for n in fields]
    assert source.keys is not None
    keys = [f"_k{j}" for j in range(len(cols))]
    return (
        source.keys.select([pl.col(c).alias(key) for c, key in zip(cols, keys, strict=True)])
        .filter(~pl.all_horizontal([pl.col(key).is_null() for key in keys]))
        .unique()
    )


def _fk_check(
    df: pl.DataFrame, plan: Plan, g: int, lookup: pl.DataFrame, out: dict[int, list[tuple[int, list[Any]]]]
) -> None:
    """Rows of `df` (`_i`, `v<k>`) whose foreign key `g` is not in `lookup`."""
    fk = plan.foreign_keys[g]
    tcols = [_val(plan.names.index(n)) for n in fk["fields"]]
    keys = [f"_k{j}" for j in range(len(tcols))]
    for t, key in zip(tcols, keys, strict=True):
        if df.schema[t] != lookup.schema[key]:
            raise Unsupported("foreign key between different types")
    target = df.select("_i", *[pl.col(t).alias(key) for t, key in zip(tcols, keys, strict=True)]).filter(
        ~pl.all_horizontal([pl.col(key).is_null() for key in keys])
    )
    bad = target.join(lookup, on=keys, how="anti", nulls_equal=True)
    for row in bad.sort("_i").iter_rows():
        out.setdefault(row[0], []).append((g, list(row[1:])))


def self_referencing(plan: Plan) -> list[int]:
    return [
        g
        for g, fk in enumerate(plan.foreign_keys)
        if fk["reference"].get("resource") in ("", None, plan.name)
    ]


def parse(
    plan: Plan,
    keep: set[str],
    sources: dict[str, Parsed],
    limit_errors: int,
    stop_early: bool,
    chunk_bytes: int | None = None,
    scan: Any = None,
    calendar: Any = None,
) -> Parsed:
    """Read, type and check one resource.  `keep`: names of fields whose typed
    values the caller needs afterwards (keys, fields other resources reference);
    `sources`: the parsed resources this one's foreign keys point at; `scan`: a
    personal-data ResourceScan fed every batch's raw cells; `calendar`: the
    Buddhist-era checks (calendar.ResourceCalendar), fed the date and year cells."""
    names = plan.names
    for fk in plan.foreign_keys:
        for n in fk["reference"]["fields"]:
            ref = fk["reference"].get("resource")
            target = plan if ref in ("", None, plan.name) else sources[ref].plan
            if n not in target.names:
                raise Unsupported("foreign key to a missing field")
    own = self_referencing(plan)
    kept = set(keep)
    for g in own:  # checked at the end, over every row's values
        kept |= set(plan.foreign_keys[g]["fields"]) | set(plan.foreign_keys[g]["reference"]["fields"])
    keep_idx = sorted(names.index(n) for n in kept)
    checks = _Checks(plan)
    parsed = Parsed(plan, keep_idx, checks)
    n = len(plan.fields)
    groups = _key_groups(plan)
    pk = tuple(names.index(c) for c in plan.primary_key)
    lookups = {
        g: _lookup(sources[fk["reference"]["resource"]], fk["reference"]["fields"])
        for g, fk in enumerate(plan.foreign_keys)
        if g not in own
    }
    raw_parts: list[pl.DataFrame] = []
    key_parts: list[pl.DataFrame] = []
    bad_rows = 0
    stopped = False
    for start, lines, offset, data in _chunks(plan.path, chunk_bytes or CHUNK_BYTES, plan.delimiter,
                                              plan.encoding):
        if stopped:
            # after an early stop the rest is only checked to be in its encoding
            _utf8(data) if plan.encoding == "utf-8" else _as_utf8(data, plan.encoding)
            continue
        parsed.batches.append((start, offset, len(data)))
        data = _as_utf8(data, plan.encoding)
        df = _cells(plan, start, lines, data)
        del data
        if df.height == 0:
            continue
        if scan is not None:
            scan.feed(df, [_col(k) for k in range(n)])
        if calendar is not None:
            calendar.batch(df.select("_i", *[_col(k) for k in calendar.columns()]))
        df = (
            df.with_columns(checks.stage1)
            .with_columns(checks.stage2)
            .with_columns(checks.stage3)
            .with_columns(checks.stage4)
            .drop(checks.drop)
        )
        df = _slow_cells(parsed, checks, df)
        _flag_cells(parsed, checks, df)
        for g, lookup in lookups.items():
            _fk_check(df, plan, g, lookup, parsed.fk_errors)
        lo, hi = df["_i"][0], df["_i"][-1]
        erroneous = pl.Series(
            "_i",
            sorted(
                {i for i, _ in parsed.cell_errors if lo <= i <= hi}
                | {i for i in parsed.fk_errors if lo <= i <= hi}
            ),
            dtype=pl.UInt32,
        )
        blank = pl.all_horizontal([pl.col(_col(k)).is_null() | (pl.col(_col(k)) == "") for k in range(n)])
        # Kept columns are copied (`_compact`): a string slice of the batch
        # would keep the whole batch's buffers alive.
        raw = df.filter((pl.col("_n") != n) | blank | pl.col("_i").is_in(erroneous.implode())).select(
            "_i",
            "_n",
            pl.col("_x").list.eval(pl.element() + ""),
            *[pl.col(_col(k)) + "" for k in range(n)],
        )
        raw_parts.append(raw)
        if keep_idx:
            key_parts.append(df.select([_compact(pl.col(_val(k)), df.schema[_val(k)]) for k in keep_idx]))
        for group in groups:
            cols = [pl.col(_val(k)) for k in group]
            none = pl.all_horizontal([c.is_null() for c in cols])
            key = cols[0] if len(cols) == 1 else pl.struct(cols)
            hashed = df.select(pl.when(~none).then(key.hash()).alias("_h"), none.alias("_z"))
            parsed.hashes.setdefault(group, []).append(hashed["_h"])
            if group == pk and hashed["_z"].any():
                parsed.pk_null_rows.extend(i + start for i in hashed["_z"].arg_true())
        bad_rows += raw.height
        if stop_early and limit_errors and bad_rows >= limit_errors:
            stopped = True
            parsed.complete = False
    schema = {"_i": pl.UInt32, "_n": pl.UInt32, "_x": pl.List(pl.String)}
    schema.update({_col(k): pl.String for k in range(n)})
    parsed.rows = pl.concat(raw_parts) if raw_parts else pl.DataFrame(schema=schema)
    if key_parts:
        parsed.keys = pl.concat(key_parts, rechunk=True)
    else:
        dtypes = {_val(k): _typed_dtype(plan.fields[k]) for k in keep_idx}
        parsed.keys = pl.DataFrame(schema=dtypes)
    if calendar is not None:
        calendar.complete = parsed.complete
    for g in own:
        fk = plan.foreign_keys[g]
        lookup = _lookup(parsed, fk["reference"]["fields"])
        _fk_check(parsed.keys.with_row_index("_i", offset=2), plan, g, lookup, parsed.fk_errors)
    return parsed


def _key_groups(plan: Plan) -> list[tuple[int, ...]]:
    """The primary key and each unique field: the keys checked for repeats."""
    groups = []
    if plan.primary_key:
        groups.append(tuple(plan.names.index(c) for c in plan.primary_key))
    for k, f in enumerate(plan.fields):
        if f.constraints.get("unique") and (k,) not in groups:
            groups.append((k,))
    return groups


def _compact(value: pl.Expr, dtype: Any) -> pl.Expr:
    """A string column copied into its own buffers (`+ ""` builds new strings)."""
    return value + "" if dtype == pl.String else value


def _typed_dtype(f: Any) -> Any:
    return {
        "string": pl.String,
        "integer": pl.Int64,
        "number": pl.Float64,
        "year": pl.Int64,
        "boolean": pl.Boolean,
        "date": pl.Date,
        "datetime": pl.Datetime("us"),
    }[f.type]


# --- integrity: unique, primary key ------------------------------------------


def _candidates(parsed: Parsed, group: tuple[int, ...]) -> list[int]:
    """Rows whose key hash repeats: a superset of the repeated keys, found by
    sorting 8-byte hashes (lean at millions of rows)."""
    parts = parsed.hashes.get(group) or []
    if not parts:
        return []
    h = pl.concat(parts, rechunk=True)
    srt = h.sort()
    dup = srt.filter((srt == srt.shift(1)).fill_null(False)).unique()
    del srt
    if dup.len() == 0:
        return []
    return [i + 2 for i in h.is_in(dup.implode()).fill_null(False).arg_true()]


def _exact(parsed: Parsed, rows: list[int], fields: set[int]) -> None:
    """Python values (frictionless's cell readers) of `fields` in `rows`, read
    again from the file: the hashes only point at candidates."""
    plan = parsed.plan
    firsts = [b[0] for b in parsed.batches]
    by_batch: dict[int, list[int]] = {}
    for i in rows:
        by_batch.setdefault(bisect.bisect_right(firsts, i) - 1, []).append(i)
    with plan.path.open("rb") as handle:
        for b, its in sorted(by_batch.items()):
            first, offset, length = parsed.batches[b]
            handle.seek(offset)
            lines = handle.read(length).split(b"\n")
            for i in its:
                line = lines[i - first].decode(plan.encoding)
                if line.endswith("\r"):
                    line = line[:-1]
                cells = _python_record(line, plan.delimiter) if line else []
                for k in fields:
                    raw = cells[k] if k < len(cells) else None
                    value = None if raw is None else parsed.checks.reader(k)(raw)[0]
                    parsed.exact[(i, k)] = value


def _repeats(parsed: Parsed, group: tuple[int, ...]) -> list[tuple[int, int]]:
    """(row, earlier row with the same key) — frictionless remembers the latest
    row for each key; keys whose cells are all None are not compared."""
    rows = _candidates(parsed, group)
    if not rows:
        return []
    _exact(parsed, rows, set(group))
    last: dict[tuple[Any, ...], int] = {}
    out = []
    for i in rows:
        key = tuple(parsed.exact[(i, k)] for k in group)
        if all(v is None for v in key):
            continue
        if key in last:
            out.append((i, last[key]))
        last[key] = i
    return out


def unique_dups(parsed: Parsed) -> dict[int, list[tuple[int, int]]]:
    """row -> [(field index, earlier row)] for repeated values of unique fields."""
    out: dict[int, list[tuple[int, int]]] = {}
    for k, f in enumerate(parsed.plan.fields):
        if f.constraints.get("unique"):
            for i, prev in _repeats(parsed, (k,)):
                out.setdefault(i, []).append((k, prev))
    return out


def primary_key_errors(parsed: Parsed) -> dict[int, str]:
    """row -> frictionless note for a primary-key violation."""
    plan = parsed.plan
    if not plan.primary_key:
        return {}
    out = {i: 'cells composing the primary keys are all "None"' for i in parsed.pk_null_rows}
    for i, prev in _repeats(parsed, tuple(plan.names.index(c) for c in plan.primary_key)):
        out[i] = f"the same as in the row at position {prev}"
    return out
