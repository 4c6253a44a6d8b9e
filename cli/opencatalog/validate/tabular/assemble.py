"""Turn the fast path's column findings into frictionless-ordered TableErrors.

frictionless processes a row lazily: the unique, primary-key and foreign-key
checks read their cells first (their cell errors come first), and appending a
row-level error forces the rest of the row to be processed before it.  A blank
row replaces every error found so far.  `_order_row` replays that sequence so
that the `limit_errors` cut falls on the same error in both engines.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from frictionless import errors as ferrors
from frictionless import helpers as fhelpers

from .errors import TableError, hint_for
from .fast import Parsed, primary_key_errors, unique_dups
from .plan import Unsupported


@dataclass
class _E:
    """A frictionless error, rendered only if it survives the limit (building
    frictionless's own error objects costs ~0.2 ms each)."""

    cls: Any
    row_number: int
    note: str = ""
    cell: str | None = None
    field_name: str = ""
    field_number: int | None = None

    @property
    def type(self) -> str:
        return str(self.cls.type)

    @property
    def message(self) -> str:
        return str(
            fhelpers.safe_format(
                self.cls.template,
                {
                    "note": self.note,
                    "rowNumber": self.row_number,
                    "cell": self.cell,
                    "fieldName": self.field_name,
                    "fieldNumber": self.field_number,
                },
            )
        )


def _to_str(v: Any) -> str:
    return "" if v is None else str(v)


class _Row:
    """The facts about one erroneous row, and frictionless's ordering of them."""

    def __init__(self, parsed: Parsed, i: int, raw: dict[str, Any]) -> None:
        self.p = parsed
        self.i = i
        self.raw = raw  # c0.., _n, _x for this row
        self.out: list[Any] = []
        self.seen: set[int] = set()
        self.full = False

    def _cell_errors(self, k: int) -> None:
        f = self.p.plan.fields[k]
        source = self.raw[f"c{k}"]
        for name, note in self.p.cell_errors.get((self.i, k), []):
            cls = ferrors.TypeError if name == "type" else ferrors.ConstraintError
            self.out.append(
                _E(
                    cls=cls,
                    note=note,
                    row_number=self.i,
                    cell=str(source),
                    field_name=f.name,
                    field_number=k + 1,
                )
            )

    def access(self, k: int) -> None:
        if self.full or k in self.seen:
            return
        self.seen.add(k)
        self._cell_errors(k)

    def finish(self) -> None:
        if self.full:
            return
        n = len(self.p.plan.fields)
        for k in range(n):
            if k not in self.seen:
                self._cell_errors(k)
        count = self.raw["_n"]
        for j, cell in enumerate(self.raw["_x"] or [], start=n + 1):
            self.out.append(
                _E(
                    cls=ferrors.ExtraCellError,
                    note="",
                    row_number=self.i,
                    cell=str(cell),
                    field_name="",
                    field_number=j,
                )
            )
        for k in range(count, n):
            self.out.append(
                _E(
                    cls=ferrors.MissingCellError,
                    note="",
                    row_number=self.i,
                    cell="",
                    field_name=self.p.plan.fields[k].name,
                    field_number=k + 1,
                )
            )
        blank = all(self.raw[f"c{k}"] in (None, "") for k in range(n))
        if blank:
            self.out = [_E(ferrors.BlankRowError, note="", row_number=self.i)]
        self.full = True


def check_parsed(parsed: Parsed, limit_errors: int) -> list[TableError]:
    plan = parsed.plan
    n = len(plan.fields)
    uniques = unique_dups(parsed)
    pks = primary_key_errors(parsed)
    fks = parsed.fk_errors
    assert parsed.rows is not None
    raws = {row["_i"]: row for row in parsed.rows.iter_rows(named=True)}
    rows = sorted(set(raws) | set(uniques) | set(pks) | set(fks))
    if not rows:
        return []
    # a row with key errors only: full, no cell errors, not blank
    plain = {"_n": n, "_x": None, **{f"c{k}": "-" for k in range(n)}}
    unique_fields = [k for k, f in enumerate(plan.fields) if f.constraints.get("unique")]
    pk_fields = [plan.names.index(name) for name in plan.primary_key]
    found: list[Any] = []
    for i in rows:
        r = _Row(parsed, i, raws.get(i) or plain)
        dup = dict(uniques.get(i, []))
        for k in unique_fields:
            r.access(k)
            if k in dup:
                r.finish()
                r.out.append(
                    _E(
                        cls=ferrors.UniqueError,
                        note=f"the same as in the row at position {dup[k]}",
                        row_number=i,
                        cell=str(parsed.value(k, i)),
                        field_name=plan.fields[k].name,
                        field_number=k + 1,
                    )
                )
        for k in pk_fields:
            r.access(k)
        if i in pks:
            r.finish()
            r.out.append(_E(ferrors.PrimaryKeyError, note=pks[i], row_number=i))
        failed = dict(fks.get(i, []))
        for g, fk in enumerate(plan.foreign_keys):
            for name in fk["fields"]:
                r.access(plan.names.index(name))
            if g in failed:
                r.finish()
                ref = fk["reference"]
                values = failed[g]
                note = 'for "{}": values "{}" not found in the lookup table "{}" as "{}"'.format(
                    ", ".join(fk["fields"]),
                    ", ".join(str(d) for d in values),
                    ref.get("resource", ""),
                    ", ".join(ref["fields"]),
                )
                r.out.append(
                    _E(
                        cls=ferrors.ForeignKeyError,
                        note=note,
                        row_number=i,
                    )
                )
        r.finish()
        found.extend(r.out)
        # frictionless checks the limit after each row, then truncates
        if limit_errors and len(found) >= limit_errors:
            found = found[:limit_errors]
            break
    else:
        if not parsed.complete:
            # early stop means at least `limit_errors` erroneous rows were read
            raise Unsupported("stopped early without reaching the error limit")
    return [_convert(e, plan.name) for e in found]


def _convert(error: Any, resource: str) -> TableError:
    cell = getattr(error, "cell", None)
    return TableError(
        resource=resource,
        type=error.type,
        message=error.message,
        row_number=getattr(error, "row_number", None),
        field_name=getattr(error, "field_name", None) or None,
        cell=None if cell is None else str(cell),
        hint=hint_for(error.type),
    )
