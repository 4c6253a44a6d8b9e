"""Helpers: write a tiny CSV package into tmp_path and validate it with both engines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from opencatalog.validate.tabular import TableError, check_package


def package(resources: list[dict[str, Any]]) -> dict[str, Any]:
    return {"name": "p", "resources": resources}


def resource(name: str, fields: list[dict[str, Any]], **schema: Any) -> dict[str, Any]:
    return {
        "name": name,
        "path": f"{name}.csv",
        "format": "csv",
        "encoding": "utf-8",
        "schema": {"fields": fields, **schema},
    }


class Both:
    """Run both engines; assert they agree; return the findings."""

    def __init__(self, tmp_path: Path) -> None:
        self.tmp = tmp_path

    def write(self, name: str, text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        (self.tmp / f"{name}.csv").write_bytes(data)

    def __call__(self, descriptor: dict[str, Any]) -> list[TableError]:
        ref = check_package(descriptor, self.tmp, engine="frictionless")
        fast = check_package(descriptor, self.tmp, engine="fast")
        assert [e.key for e in fast] == [e.key for e in ref]
        return fast


@pytest.fixture
def both(tmp_path: Path) -> Both:
    return Both(tmp_path)
