"""Shared fixtures: a minimal valid catalog in a temporary folder and a CLI runner.

The catalog comes from tests/catalog_builder.py, not from the sample catalog in the
repository root, so these tests do not change when the sample does.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

TESTS = Path(__file__).resolve().parent
if str(TESTS) not in sys.path:  # catalog_builder lives here, whichever test folder runs
    sys.path.insert(0, str(TESTS))

from catalog_builder import Content, write_catalog  # noqa: E402

# the session portal fixtures (portal, portal_plain, uniq), shared by integration and browser tests,
# and the tool installed from its wheel into a fresh virtualenv (installed_tool)
pytest_plugins = ["portal_fixtures", "installed_tool"]


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sample: checks the sample catalog in the repository root (catalog/, datapackages/)")


MakeCatalog = Callable[..., Path]


@pytest.fixture
def make_catalog(tmp_path: Path) -> MakeCatalog:
    """Write the minimal valid catalog into a fresh folder under tmp_path and return its root.

    make_catalog()                                   -> the valid catalog
    make_catalog({"catalog/catalog.yaml": "..."})    -> with that file's text replaced
    make_catalog({path: None}) / remove=[path]       -> without that file
    make_catalog(..., name="other")                  -> a second catalog beside the first
    Values may be bytes, to write a file in another encoding.
    """
    counter = iter(range(1_000_000))

    def make(overrides: Mapping[str, Content] | None = None, remove: Iterable[str] = (),
             name: str | None = None) -> Path:
        root = tmp_path / (name or f"repo{next(counter)}")
        return write_catalog(root, overrides, remove)

    return make


@dataclass
class CliRun:
    result: Result

    @property
    def exit_code(self) -> int:
        return self.result.exit_code

    @property
    def stdout(self) -> str:
        return self.result.stdout

    @property
    def stderr(self) -> str:
        return self.result.stderr

    @property
    def report(self) -> dict[str, Any]:
        return json.loads(self.result.stdout)

    def codes(self) -> list[str]:
        return [f["code"] for f in self.report["findings"]]


@pytest.fixture
def invoke() -> Callable[..., CliRun]:
    """Run the `opencatalog` click command in-process: invoke("validate", "--root", root)."""
    from opencatalog.commands.main import cli

    runner = CliRunner()

    def run(*args: str | Path) -> CliRun:
        result = runner.invoke(cli, [str(a) for a in args], obj={}, catch_exceptions=True,
                               prog_name="opencatalog")
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception  # a crash inside the CLI: show it, do not hide it in a result
        return CliRun(result)

    return run
