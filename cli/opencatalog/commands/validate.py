"""`opencatalog validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opencatalog.commands.options import format_option, root_option
from opencatalog.load.catalog_loader import find_root, load_catalog
from opencatalog.model.catalog import Catalog
from opencatalog.report import render
from opencatalog.validate import validate


def datasets_for_paths(catalog: Catalog, paths: tuple[str, ...]) -> list[str]:
    """Dataset names selected by PATHS: dataset YAML files or files/folders of their data."""
    selected: list[str] = []
    for raw in paths:
        path = Path(raw).resolve()
        matched = False
        for dataset in catalog.datasets:
            yaml_file = (catalog.root / dataset.file).resolve()
            data_dir = dataset.data_dir.resolve()
            if path == yaml_file or path == data_dir or path.is_relative_to(data_dir) \
                    or data_dir.is_relative_to(path) or yaml_file.is_relative_to(path):
                selected.append(dataset.name or dataset.file)
                matched = True
        if not matched:
            raise click.BadParameter(f"{raw} is not a dataset file or folder of this catalog",
                                     param_hint="PATHS")
    return sorted(set(selected))


@click.command("validate")
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@root_option
@format_option
@click.option("--profile", type=click.Choice(["thai-gdc", "ckan"]), default=None,
              help="Metadata profile to check against (default: the catalog's, or the target's).")
@click.option("--target", default=None, help="Check the rules of this publishing target's profile.")
@click.option("--no-data", is_flag=True, help="Check metadata only, not the data files.")
@click.option("--engine", type=click.Choice(["auto", "fast", "frictionless"]), default="auto",
              show_default=True, help="Row checker: the columnar fast path or frictionless-py.")
def validate_command(paths: tuple[str, ...], root: str | None, fmt: str, profile: str | None,
                     target: str | None, no_data: bool, engine: str) -> None:
    """Validate the catalog: metadata, portal rules and data packages.

    PATHS limit the check to some datasets (their YAML files or data folders).
    Exit code 0 = valid, 1 = invalid, 2 = usage or configuration error.
    """
    catalog = load_catalog(find_root(Path(root or (paths[0] if paths else "."))))
    if target is not None and profile is None:
        if target not in catalog.config.targets:
            raise click.BadParameter(f"no target '{target}' in catalog/catalog.yaml "
                                     f"(known: {', '.join(catalog.config.targets) or 'none'})",
                                     param_hint="--target")
        profile = catalog.config.targets[target].profile
    wanted = datasets_for_paths(catalog, paths) if paths else None
    report = validate(catalog, datasets=wanted, profile=profile, data=not no_data, engine=engine)
    render(report, fmt, sys.stdout)
    sys.exit(0 if report.ok else 1)
