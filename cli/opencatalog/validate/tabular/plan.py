"""Decide whether the polars fast path can validate a resource exactly.

The fast path must produce the very same findings as frictionless.  Rather
than approximate a feature, we refuse it here (raise `Unsupported`) and the
resource goes to the reference engine.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

# Types whose parsing we reproduce cell-for-cell (with frictionless's own
# reader as the judge of every cell the vectorised test is unsure about).
SUPPORTED_TYPES = {"string", "integer", "number", "boolean", "date", "year", "datetime"}
# Types allowed in unique / primaryKey / foreignKey comparisons: their parsed
# values compare in polars exactly as the Python objects compare.
KEY_TYPES = {"string", "integer", "date", "year", "boolean"}
CONSTRAINTS = {
    "required",
    "unique",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "pattern",
    "enum",
}
DELIMITERS = {",", ";", "\t", "|"}
# Encodings the fast path reads: UTF-8, and the single-byte Thai ones (one byte, one character:
# line ends and line numbers are those of the bytes), as Python names them.
UTF8_NAMES = ("utf-8", "utf8", "utf-8-sig")
THAI_SINGLE_BYTE = ("cp874", "tis-620")
DEFAULT_TRUE = ["true", "True", "TRUE", "1"]
DEFAULT_FALSE = ["false", "False", "FALSE", "0"]


class Unsupported(Exception):
    """The fast path cannot reproduce frictionless for this resource."""


@dataclass
class Plan:
    name: str
    path: Path
    delimiter: str
    fields: list[Any]  # frictionless Field objects (schema as frictionless reads it)
    primary_key: list[str]
    foreign_keys: list[dict[str, Any]] = field(default_factory=list)
    encoding: str = "utf-8"  # or one of THAI_SINGLE_BYTE

    @property
    def names(self) -> list[str]:
        return [f.name for f in self.fields]


def _check_field(f: Any, key_fields: set[str]) -> None:
    if f.type not in SUPPORTED_TYPES:
        raise Unsupported(f'field "{f.name}": type {f.type}')
    if f.format not in (None, "default"):
        raise Unsupported(f'field "{f.name}": format {f.format}')
    defined = set(f.list_defined())
    for prop in ("missing_values", "bare_number", "decimal_char", "group_char", "float_number"):
        if prop in defined:
            raise Unsupported(f'field "{f.name}": {prop}')
    if f.type == "boolean" and (f.true_values != DEFAULT_TRUE or f.false_values != DEFAULT_FALSE):
        raise Unsupported(f'field "{f.name}": trueValues/falseValues')
    names = set(f.constraints)
    if not names <= CONSTRAINTS:
        raise Unsupported(f'field "{f.name}": constraints {sorted(names - CONSTRAINTS)}')
    if f.type == "datetime" and names - {"required"}:
        raise Unsupported(f'field "{f.name}": datetime constraints')
    if f.type == "number" and "enum" in names:
        raise Unsupported(f'field "{f.name}": enum on number (Decimal equality)')
    if "pattern" in names:
        try:
            pl.Series([""]).str.contains(f"^{f.constraints['pattern']}$")
        except Exception as exc:  # Rust regex lacks look-around, back-references
            raise Unsupported(f'field "{f.name}": pattern {exc}') from exc
        re.compile(f"^{f.constraints['pattern']}$")
    if (f.constraints.get("unique") or f.name in key_fields) and f.type not in KEY_TYPES:
        raise Unsupported(f'field "{f.name}": {f.type} in a key')


def fast_encoding(declared: str | None) -> str | None:
    """The encoding the fast path reads a file declared `declared` in, or None (it cannot)."""
    import codecs

    name = (declared or "utf-8").lower().replace("_", "-")
    if name in UTF8_NAMES:
        return "utf-8"
    try:
        name = codecs.lookup(name).name
    except LookupError:
        return None
    return name if name in THAI_SINGLE_BYTE else None


def _check_dialect(resource: Any) -> str:
    """Open a copy (without foreign keys: those would read other files) to see the
    dialect frictionless sniffs and the header it reads; returns the delimiter."""
    from frictionless.formats.csv import CsvControl

    copy = resource.to_copy()
    if copy.schema:
        copy.schema.foreign_keys = []
    try:
        copy.open()
    except Exception as exc:
        raise Unsupported(f"cannot open: {exc}") from exc
    try:
        if fast_encoding(str(copy.encoding)) is None:
            raise Unsupported(f"encoding {copy.encoding}")
        dialect = copy.dialect
        if not dialect.header or dialect.header_rows != [1]:
            raise Unsupported("header rows")
        if dialect.comment_char or dialect.comment_rows or dialect.skip_blank_rows:
            raise Unsupported("comment rows / skipBlankRows")
        if not dialect.header_case:
            raise Unsupported("headerCase false")
        if not copy.header.valid or list(copy.labels) != [f.name for f in copy.schema.fields]:
            raise Unsupported("header errors")  # reference reports them precisely
        control = CsvControl.from_dialect(dialect)
        if control.delimiter not in DELIMITERS or control.escape_char or control.skip_initial_space:
            raise Unsupported("csv dialect")
        if control.quote_char not in (None, '"'):
            raise Unsupported("quote char")
        return str(control.delimiter)
    finally:
        copy.close()


def plan_resource(resource: Any) -> Plan:
    """Return a Plan for `resource` or raise Unsupported."""
    if resource.type not in (None, "table") or resource.format != "csv":
        raise Unsupported("not a CSV table")
    if resource.multipart or resource.remote or resource.compression or resource.innerpath:
        raise Unsupported("multipart/remote/compressed")
    for stat in ("hash", "bytes", "rows", "fields"):
        if getattr(resource, stat, None):
            raise Unsupported(f"declared {stat}")
    schema = resource.schema
    if schema is None or not schema.fields or schema.has_defined("fields_match"):
        raise Unsupported("schema")
    if list(schema.missing_values) != [""]:
        raise Unsupported("missingValues")
    path = Path(resource.normpath)
    if not path.is_file() or path.stat().st_size == 0:
        raise Unsupported("missing or empty file")
    key_fields = set(schema.primary_key)
    for fk in schema.foreign_keys:
        key_fields.update(fk["fields"])
    for f in schema.fields:
        _check_field(f, key_fields)
    delimiter = _check_dialect(resource)
    encoding = fast_encoding(resource.encoding)
    assert encoding is not None  # _check_dialect refused the others
    return Plan(
        encoding=encoding,
        name=resource.name,
        path=path,
        delimiter=delimiter,
        fields=list(schema.fields),
        primary_key=list(schema.primary_key),
        foreign_keys=[dict(fk) for fk in schema.foreign_keys],
    )
