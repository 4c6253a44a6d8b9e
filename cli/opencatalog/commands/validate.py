"""`opencatalog validate`."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from opencatalog.changes import is_touched, touched_datasets
from opencatalog.commands.options import format_option, limit_errors_option, root_option
from opencatalog.load.catalog_loader import find_root, load_catalog
from opencatalog.model.catalog import Catalog
from opencatalog.report import render
from opencatalog.report.model import Finding
from opencatalog.validate import validate
from opencatalog.validate.cache import ValidationCache


def datasets_for_paths(catalog: Catalog, paths: tuple[str, ...]) -> list[str]:
    """Dataset names selected by PATHS: dataset YAML files or files/folders of their data.

    catalog/catalog.yaml and organization/group files select the datasets that depend on
    them (so a pre-commit hook can pass any changed catalog file).
    """
    selected: list[str] = []
    root = catalog.root.resolve()
    for raw in paths:
        path = Path(raw).resolve()
        rel = [path.relative_to(root).as_posix()] if path.is_relative_to(root) else []
        # Any catalog file gets the catalog-wide checks (a new organization, a dataset file
        # that does not parse), even when no dataset depends on it.
        matched = bool(rel) and rel[0].startswith("catalog/")
        for dataset in catalog.datasets:
            yaml_file = (catalog.root / dataset.file).resolve()
            data_dir = dataset.data_dir.resolve()
            if path == yaml_file or path == data_dir or path.is_relative_to(data_dir) \
                    or data_dir.is_relative_to(path) or yaml_file.is_relative_to(path) \
                    or (rel and is_touched(catalog, dataset, rel)):
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
@click.option("--target", default=None,
              help="Check the rules of this publishing target's profile, and the catalog against "
                   "the target portal's live dataset schema when it runs ckanext-scheming.")
@click.option("--no-data", is_flag=True, help="Check metadata only, not the data files.")
@limit_errors_option
@click.option("--engine", type=click.Choice(["auto", "fast", "frictionless"]), default="auto",
              show_default=True, help="Row checker: the columnar fast path or frictionless-py.")
@click.option("--changed-since", "changed_since", metavar="REF", default=None,
              help="Only the datasets a change since git REF touches (committed, uncommitted or "
                   "untracked); the whole catalog when REF cannot be resolved.")
@click.option("--no-cache", is_flag=True,
              help="Re-check every dataset instead of reusing results cached in .opencatalog/cache.")
def validate_command(paths: tuple[str, ...], root: str | None, fmt: str, profile: str | None,
                     target: str | None, no_data: bool, limit_errors: int, engine: str,
                     changed_since: str | None, no_cache: bool) -> None:
    """Validate the catalog: metadata, portal rules and data packages.

    PATHS limit the check to some datasets (their YAML files or data folders).
    --changed-since REF limits it to the datasets changed since REF (with PATHS: both).
    Exit code 0 = valid, 1 = invalid, 2 = usage or configuration error.
    """
    if root is not None:
        catalog = load_catalog(root, search_parents=False)
    else:
        catalog = load_catalog(find_root(Path(paths[0] if paths else ".")))
    if target is not None and profile is None:
        if target not in catalog.config.targets:
            raise click.BadParameter(f"no target '{target}' in catalog/catalog.yaml "
                                     f"(known: {', '.join(catalog.config.targets) or 'none'})",
                                     param_hint="--target")
        profile = catalog.config.targets[target].profile
    wanted = datasets_for_paths(catalog, paths) if paths else None
    deleted: list[Finding] = []
    if changed_since is not None:
        changes = touched_datasets(catalog, changed_since)
        if changes.fallback:
            click.echo(f"--changed-since: {changes.fallback}", err=True)
        else:
            click.echo(f"--changed-since {changed_since}: {len(changes.datasets)} dataset(s) touched"
                       + (f": {', '.join(changes.datasets)}" if changes.datasets else ""), err=True)
        for file in changes.deleted:
            name = Path(file).stem
            click.echo(f"--changed-since {changed_since}: dataset {name} deleted ({file})", err=True)
            deleted.append(Finding(code="dataset.deleted", severity="info", dataset=name,
                                   message=f"dataset {name} was deleted since {changed_since} "
                                           f"({file}); publishing with --prune removes it from "
                                           "the portal", file=file))
        touched = set(changes.datasets)
        wanted = sorted(touched if wanted is None else touched & set(wanted))
    cache = ValidationCache(catalog.root, enabled=not no_cache)
    report = validate(catalog, datasets=wanted, profile=profile, data=not no_data, engine=engine,
                      cache=cache, limit_errors=limit_errors)
    if target is not None:
        from opencatalog.publishing import check_target_schema  # imports the CKAN client

        check_target_schema(catalog, target, report, wanted)
    if changed_since is not None:
        report.extend(deleted)
        report.summary["changed_since"] = {"ref": changed_since, "datasets": wanted,
                                           "deleted": changes.deleted, "fallback": changes.fallback}
    render(report, fmt, sys.stdout)
    sys.exit(0 if report.ok else 1)
