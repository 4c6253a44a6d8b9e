"""`opencatalog new NAME FILE…`: a dataset from the files a steward has (thin layer)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opencatalog.commands.options import format_option, root_option
from opencatalog.describe import new_dataset
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.report import render


@click.command("new")
@root_option
@click.option("--sheet", default=None, help="Only this sheet of an XLSX workbook (default: every "
                                            "sheet, one resource each).")
@click.option("--force", is_flag=True, help="Overwrite the dataset if it exists.")
@format_option
@click.argument("name")
@click.argument("files", nargs=-1, type=click.Path(path_type=Path))
def new_command(root: str | None, sheet: str | None, force: bool, fmt: str, name: str,
                files: tuple[Path, ...]) -> None:
    """Write catalog/datasets/NAME.yaml and datapackages/NAME/ from FILES (CSV, TSV, XLSX, or any
    file as a plain upload), with each table's schema inferred from its data."""
    catalog = load_catalog(root or ".", search_parents=root is None)
    report = new_dataset(catalog, name, list(files), sheet=sheet, force=force)
    if fmt == "text":
        for path in report.summary.get("written", []):
            click.echo(f"wrote {path}")
    render(report, fmt, sys.stdout)
    if report.ok and fmt == "text":
        click.echo(f"next: edit the placeholders in catalog/datasets/{name}.yaml, then "
                   "`opencatalog validate` and `opencatalog publish`")
    sys.exit(0 if report.ok else 1)
