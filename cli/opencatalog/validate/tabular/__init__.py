"""Data validation for tabular resources of a Frictionless data package.

`check_package` runs a byte-level encoding pre-check on every file and then
validates the data with either the polars fast path or the frictionless
reference engine.  Both engines return identical `TableError` lists.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

from .errors import TableError
from .reference import DEFAULT_LIMIT_ERRORS, check_package_frictionless

Engine = Literal["auto", "fast", "frictionless"]

__all__ = ["Engine", "TableError", "check_package", "check_package_frictionless"]


def check_package(
    descriptor: dict[str, Any],
    basepath: Path,
    engine: Engine = "auto",
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
) -> list[TableError]:
    return check_package_frictionless(descriptor, Path(basepath), limit_errors)
