"""Options shared by several commands."""

from __future__ import annotations

import click

from opencatalog.report import FORMATS

format_option = click.option(
    "--format", "fmt", type=click.Choice(FORMATS), default="text", show_default=True,
    help="text for people, json for programs, github for Actions annotations, markdown for summaries.")
limit_errors_option = click.option(
    "--limit-errors", "limit_errors", type=click.IntRange(min=0), default=1000, show_default=True,
    metavar="N", help="Stop checking a file's rows after N findings (0 = all; frictionless's default).")
root_option = click.option(
    "--root", type=click.Path(file_okay=False, path_type=str), default=None,
    help="Catalog repository root (default: found from the current folder upwards).")
workers_option = click.option(
    "--workers", default=4, show_default=True, type=click.IntRange(1, 16),
    help="Datasets handled at the same time (parallel calls to the portal).")
