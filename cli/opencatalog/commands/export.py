"""`opencatalog export`: the catalog as DCAT for harvesters."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from opencatalog.commands.options import root_option
from opencatalog.errors import OpenCatalogError
from opencatalog.export import ExportOptions, to_data_json, to_jsonld
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.report import render
from opencatalog.targets import check_url, resolve_target
from opencatalog.validate import validate


class InvalidForExport(OpenCatalogError):
    exit_code = 1


def _portal_base(catalog, base_url: str | None, target: str | None) -> str | None:
    if base_url:
        check_url(base_url, "--base-url")
        return base_url.rstrip("/")
    try:
        return resolve_target(catalog, target).url
    except OpenCatalogError as exc:
        if target is not None:  # asked for explicitly: say why it cannot be used
            raise
        click.echo(f"note: no portal URL ({exc}); links are left out and identifiers are "
                   "urn:opencatalog:… — pass --base-url for portal links", err=True)
        return None


def _license_urls(pairs: tuple[str, ...]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    for pair in pairs:
        name, sep, url = pair.partition("=")
        if not sep or not name.strip():
            raise click.BadParameter(f"'{pair}' is not NAME=URL", param_hint="--license-url")
        out[name.strip()] = url.strip() or None
    return out


@click.command("export")
@root_option
@click.option("--format", "fmt", type=click.Choice(["dcat", "dcat-ap"]), default="dcat",
              show_default=True,
              help="dcat: DCAT-US / Project Open Data v1.1 data.json; dcat-ap: DCAT-AP JSON-LD.")
@click.option("--base-url", metavar="URL", default=None,
              help="Portal base URL for identifiers and links (default: the target's URL, "
                   "if it can be resolved).")
@click.option("--target", "-t", default=None,
              help="Take the portal URL from this target of catalog.yaml (default: local, if running).")
@click.option("--files-base-url", metavar="URL", default=None,
              help="Where the repository's files are served (e.g. a raw git URL): gives data "
                   "files a downloadURL and table schemas a describedBy link.")
@click.option("--license-url", "license_url", multiple=True, metavar="NAME=URL",
              help="Licence URL for a licence name, e.g. 'Open Data Common=https://…' (repeatable).")
@click.option("--include-private", is_flag=True,
              help="Also list private datasets (as accessLevel non-public).")
@click.option("--output", "-o", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write to this file (default: standard output).")
def export_command(root: str | None, fmt: str, base_url: str | None, target: str | None,
                   files_base_url: str | None, license_url: tuple[str, ...],
                   include_private: bool, output: Path | None) -> None:
    """Export the whole catalog as DCAT for harvesters (data.json or JSON-LD).

    The catalog is validated first (metadata only); an invalid catalog is refused.
    """
    catalog = load_catalog(Path(root or "."))
    report = validate(catalog, data=False)
    if not report.ok:
        render(report, "text", sys.stderr)
        raise InvalidForExport("the catalog is not valid; fix the errors above before exporting")
    if files_base_url:
        check_url(files_base_url, "--files-base-url")
    options = ExportOptions(base_url=_portal_base(catalog, base_url, target),
                            files_base_url=files_base_url, include_private=include_private,
                            license_urls=_license_urls(license_url))
    document = to_data_json(catalog, options) if fmt == "dcat" else to_jsonld(catalog, options)
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, "utf-8")
        click.echo(f"wrote {output} ({len(document.get('dataset') or document.get('dcat:dataset'))} "
                   "datasets)", err=True)
