"""`opencatalog fix encoding|unicode PATH...`: rewrite data files in place, with a backup."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

import click

from opencatalog.fix import FixResult, to_normal_form, to_utf8


def _report(paths: tuple[Path, ...], fix: Callable[[Path], FixResult]) -> None:
    failed = 0
    for path in paths:
        result = fix(path)
        failed += not result.ok
        click.secho(f"{path}: {result.message}", fg=None if result.ok else "red",
                    err=not result.ok)
    sys.exit(1 if failed else 0)


@click.group("fix")
def fix_group() -> None:
    """Rewrite data files in place (each original is kept as FILE.bak)."""


@fix_group.command("encoding")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--from", "source", default="cp874", show_default=True, metavar="ENCODING",
              help="The encoding the files are in now (cp874 = Thai Windows-874 / TIS-620).")
def encoding_command(paths: tuple[Path, ...], source: str) -> None:
    """Convert files to UTF-8 (and Unicode NFC); files already in UTF-8 are left alone."""
    _report(paths, lambda path: to_utf8(path, source))


@fix_group.command("unicode")
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
def unicode_command(paths: tuple[Path, ...]) -> None:
    """Rewrite UTF-8 files in Unicode normal form NFC (Thai SARA AM as one character)."""
    _report(paths, to_normal_form)
