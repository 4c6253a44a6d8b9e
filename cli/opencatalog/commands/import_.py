"""`opencatalog import`: adopt the portal a department already runs (thin layer)."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from opencatalog.ckan_client import CkanClient
from opencatalog.commands.options import format_option, root_option, workers_option
from opencatalog.current.live_schema import read_live_schema
from opencatalog.errors import OpenCatalogError
from opencatalog.importer import Selection, import_catalog, write_catalog_config
from opencatalog.load.catalog_loader import CatalogNotFound, load_catalog
from opencatalog.report import render
from opencatalog.targets import ResolvedTarget, check_url, resolve_target, token_env_name


def _new_target(url: str, name: str) -> ResolvedTarget:
    """A portal not yet named in a catalog.yaml: the token from the environment as for publish."""
    check_url(url, name)
    client = CkanClient(url, None, retries=1)
    try:
        client.call("status_show")
    except OpenCatalogError as exc:
        raise OpenCatalogError(f"{url} does not answer: {exc}") from None
    live = read_live_schema(client)  # a scheming schema with GD fields: a GD Catalog portal
    gdc = live is not None and "data_type" in live.dataset_fields
    token = os.environ.get(token_env_name(name)) or os.environ.get("CKAN_API_TOKEN")
    return ResolvedTarget(name=name, url=url.rstrip("/"), token=token,
                          profile="thai-gdc" if gdc else "ckan")


@click.command("import")
@root_option
@click.option("--target", "-t", default=None,
              help="Target of catalog.yaml to read (default: local); with --url, the name "
                   "given to the new target (default: production).")
@click.option("--url", default=None, help="A portal not named in a catalog.yaml yet: also writes "
                                           "catalog/catalog.yaml with it as the target.")
@click.option("--organization", default=None, metavar="ORG",
              help="Every dataset of this organization.")
@click.option("--all", "everything", is_flag=True, help="Every dataset on the portal.")
@click.option("--force", is_flag=True,
              help="Overwrite datasets, organizations and groups the catalog already has "
                   "(without it their differences are shown and nothing is written).")
@workers_option
@format_option
@click.argument("names", nargs=-1)
def import_command(root: str | None, target: str | None, url: str | None,
                   organization: str | None, everything: bool, force: bool, workers: int,
                   fmt: str, names: tuple[str, ...]) -> None:
    """Write catalog YAML and data files from the datasets a CKAN portal already has.

    Read-only on the portal. Afterwards `opencatalog plan` against it is empty (a dataset
    made by hand: `plan --adopt NAME`, then `publish --adopt NAME` writes only bookkeeping).
    """
    if sum(map(bool, (names, organization, everything))) != 1:
        raise click.UsageError("name the datasets, or give --organization ORG, or --all")
    folder = Path(root or ".")
    if url:
        resolved = _new_target(url, target or "production")
    else:
        try:
            catalog = load_catalog(folder, search_parents=root is None)
        except CatalogNotFound:
            raise click.UsageError("no catalog here: run import with --url URL to start one "
                                   "(or --root DIR)") from None
        folder = catalog.root
        resolved = resolve_target(catalog, target)
    client = CkanClient(resolved.url, resolved.token)
    report = import_catalog(folder, client, resolved.profile,
                            Selection(names=names, organization=organization,
                                      everything=everything), force=force, workers=workers)
    if url:
        written = write_catalog_config(folder, target=resolved.name, url=resolved.url,
                                       profile=resolved.profile,
                                       organizations=report.summary.get("organizations", []))
        if written:
            report.summary["written"].insert(0, written)
    if fmt == "text":
        for path in report.summary.get("written", []):
            click.echo(f"wrote {path}")
    render(report, fmt, sys.stdout)
    sys.exit(0 if report.ok else 1)
