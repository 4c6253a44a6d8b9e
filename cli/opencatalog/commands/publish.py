"""`opencatalog plan` and `opencatalog publish`."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from opencatalog.commands.options import format_option, limit_errors_option, root_option, workers_option
from opencatalog.commands.progress import PublishProgress
from opencatalog.errors import OpenCatalogError
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.plan.model import Plan
from opencatalog.plan.render import render_plan
from opencatalog.publishing import InvalidCatalog, make_plan, publish
from opencatalog.report import render

target_option = click.option("--target", "-t", default=None,
                             help="Target name from catalog.yaml (default: local).")
only_option = click.option("--only", multiple=True, metavar="NAME",
                           help="Only these datasets, or every dataset of these organizations "
                                "(repeatable).")
no_cache_option = click.option("--no-cache", is_flag=True,
                               help="Re-validate every dataset instead of reusing cached results.")


def _plan_or_exit(root: str | None, target: str | None, **kwargs):
    catalog = load_catalog(root or ".", search_parents=root is None)
    try:
        return make_plan(catalog, target, **kwargs)
    except InvalidCatalog as exc:
        render(exc.report, "text", sys.stderr)
        raise


@click.command("plan")
@root_option
@target_option
@only_option
@no_cache_option
@limit_errors_option
@click.option("--prune", is_flag=True, help="Also plan deleting owned datasets missing from the "
                                           "catalog, and resources added on the portal.")
@click.option("--adopt", multiple=True, metavar="NAME",
              help="Preview taking over an existing dataset not published by OpenCatalog "
                   "(repeatable; as publish --adopt).")
@click.option("--json", "json_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Save the plan as JSON for review (and for publish --plan).")
@click.option("--detailed-exitcode", is_flag=True,
              help="Exit 0 = no changes, 2 = changes pending, 1 = error or refused objects "
                   "(as Terraform). Without it: 0, or 1 when something is refused.")
@click.option("--verify-files", is_flag=True,
              help="Download and hash every file uploaded to the portal (streamed) to find files "
                   "replaced there by hand; without it the size the portal reports is compared.")
def plan_command(root: str | None, target: str | None, only: tuple[str, ...], no_cache: bool,
                 limit_errors: int, prune: bool, adopt: tuple[str, ...], json_file: Path | None,
                 detailed_exitcode: bool, verify_files: bool) -> None:
    """Show what publishing would change on the portal (read-only)."""
    try:
        result = _plan_or_exit(root, target, only=only or None, prune=prune, adopt=adopt,
                               use_cache=not no_cache, limit_errors=limit_errors,
                               verify_files=verify_files)
    except OpenCatalogError as exc:
        if detailed_exitcode:
            click.secho(f"error: {exc}", err=True, fg="red")
            sys.exit(1)
        raise
    render_plan(result.plan, sys.stdout)
    for note in result.validation.findings:  # warnings, and notes such as declared pdpa exceptions
        if note.severity != "error":
            click.secho(f"{'warning' if note.severity == 'warning' else 'note'}: "
                        f"{note.file + ': ' if note.file else ''}{note.message}", err=True,
                        fg="yellow" if note.severity == "warning" else "cyan")
    if json_file is not None:
        json_file.write_text(json.dumps(result.plan.to_dict(), ensure_ascii=False, indent=2,
                                        default=str) + "\n", "utf-8")
        click.echo(f"plan saved to {json_file}")
    if result.plan.refused:  # refused datasets would fail at publish: never "in sync"
        click.secho(f"error: {len(result.plan.refused)} object(s) refused; publishing them "
                    "would fail (see above)", err=True, fg="red")
        sys.exit(1)
    if detailed_exitcode:
        sys.exit(2 if result.plan.has_changes else 0)


@click.command("publish")
@root_option
@target_option
@only_option
@no_cache_option
@limit_errors_option
@click.option("--plan", "plan_file", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Apply this reviewed plan; refuse if the catalog or portal changed since.")
@click.option("--prune", is_flag=True, help="Delete owned datasets that left the catalog (to "
                                           "trash), and resources added on the portal.")
@click.option("--adopt", multiple=True, metavar="NAME",
              help="Take over an existing dataset not published by OpenCatalog (repeatable).")
@click.option("--purge-trash", is_flag=True,
              help="Purge a deleted dataset of ours from the trash when it holds a catalog name.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask before deleting.")
@click.option("--break-lock", is_flag=True,
              help="Publish even where another publish holds a dataset's lock (only when that "
                   "publish is gone; a lock expires by itself after 10 minutes).")
@workers_option
@format_option
def publish_command(root: str | None, target: str | None, only: tuple[str, ...], no_cache: bool,
                    limit_errors: int, plan_file: Path | None, prune: bool, adopt: tuple[str, ...],
                    purge_trash: bool, yes: bool, break_lock: bool, workers: int,
                    fmt: str) -> None:
    """Validate, plan and apply: publish the catalog to a CKAN portal.

    Idempotent: a second run with no change makes no write call.
    """
    result = _plan_or_exit(root, target, only=only or None, prune=prune, adopt=adopt,
                           purge_trash=purge_trash, use_cache=not no_cache,
                           limit_errors=limit_errors)
    if plan_file is not None:
        saved = json.loads(plan_file.read_text("utf-8"))
        if saved.get("url") != result.plan.url or \
                Plan.signature_of(saved) != result.plan.signature():
            raise OpenCatalogError(
                f"the plan in {plan_file} no longer matches the catalog and the portal "
                "(something changed since it was made); run `opencatalog plan` again and review it")
    text_out = sys.stdout if fmt == "text" else sys.stderr
    render_plan(result.plan, text_out)
    deletes = [a.name for a in result.plan.actions if a.op == "delete"]
    deletes += [f"{a.name}: resource {r.key!r} (made on the portal)" for a in result.plan.actions
                for r in a.resources if r.op == "delete" and r.by_hand]
    if deletes and not yes:
        if not sys.stdin.isatty():
            raise OpenCatalogError(f"--prune would delete {len(deletes)} dataset(s) or "
                                   f"resource(s) ({', '.join(deletes)}); add --yes to confirm")
        click.confirm(f"Delete {len(deletes)} dataset(s) or resource(s) from {result.plan.url}?",
                      abort=True)
    with PublishProgress(len(result.plan.actions) if result.plan.has_changes else 0) as progress:
        report = publish(result, workers=workers, progress=progress, break_lock=break_lock)
    render(report, fmt, sys.stdout)
    sys.exit(0 if report.ok else 1)
