"""`opencatalog portal up|down|status|token`: the local CKAN portal."""
from __future__ import annotations

import json
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Any

import click

from opencatalog.portal import (
    PortalError,
    locate_local_portal,
    portal_down,
    portal_status,
    portal_up,
)
from opencatalog.portal.core import LocalPortalInfo
from opencatalog.portal.venv import CKAN_RELEASES, DEFAULT_CKAN

_state_dir_option = click.option(
    "--state-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Portal state directory (default: $OPENCATALOG_PORTAL_STATE_DIR or "
    "~/.local/share/opencatalog/portal).",
)


def _user_errors(fn: Callable[..., Any]) -> Callable[..., Any]:
    """PortalError -> message on stderr, exit 2; no traceback."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PortalError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(2)

    return wrapper


@click.group("portal")
def portal_group() -> None:
    """A real local CKAN portal (CKAN + PostgreSQL + Redis on 127.0.0.1)."""


@portal_group.command("up")
@click.option("--port", type=int, default=None, help="CKAN port (default 5000).")
@_state_dir_option
@click.option("--schema", "schema", default=None, metavar="FILE|none",
              help="ckanext-scheming dataset schema file; 'none' for plain CKAN "
              "(default: the GD Catalog schema generated from the packaged reference).")
@click.option("--ckan", "ckan", type=click.Choice(list(CKAN_RELEASES)), default=None,
              help=f"CKAN version (default: the portal's, else {DEFAULT_CKAN}); each has its "
              "own virtualenv, built on first use. GD Catalog portals in the field run 2.10.")
@click.option("--xloader/--no-xloader", default=None,
              help="Run ckanext-xloader and CKAN's jobs worker, as GD portals do "
              "(default: as the portal was last started; off for a new one).")
@click.option("--workers", "web_workers", type=click.IntRange(1, 16), default=None,
              help="CKAN web worker processes (default: as last started; 1 for a new portal).")
@_user_errors
def up_cmd(port: int | None, state_dir: Path | None, schema: str | None, ckan: str | None,
           xloader: bool | None, web_workers: int | None) -> None:
    """Start the portal (idempotent); builds CKAN's virtualenv on first run."""
    portal_up(state_dir=state_dir, port=port, schema=schema, echo=click.echo, ckan=ckan,
              xloader=xloader, web_workers=web_workers)


@portal_group.command("down")
@_state_dir_option
@_user_errors
def down_cmd(state_dir: Path | None) -> None:
    """Stop the processes `portal up` started."""
    portal_down(state_dir=state_dir, echo=click.echo)


@portal_group.command("status")
@_state_dir_option
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@_user_errors
def status_cmd(state_dir: Path | None, as_json: bool) -> None:
    """Show whether the portal runs, its URL, ports, memory and upload limit."""
    status = portal_status(state_dir)
    if as_json:
        click.echo(json.dumps(status, indent=2))
        return
    if "url" not in status:
        click.echo(f"No portal in {status['state_dir']} (run `opencatalog portal up`)")
        return
    state = "running" if status["healthy"] else (
        "running (CKAN not answering)" if status["running"] else "stopped")
    click.echo(f"Portal:      {status['url']}  [{state}]")
    click.echo(f"CKAN:        {status['ckan_version']}"
               + (" + xloader" if status["xloader"] else "")
               + f", {status['web_workers']} web worker(s)  ({status['ckan_venv']})")
    click.echo(f"Profile:     {status['profile']} (schema: {status['schema']})")
    click.echo(f"Max upload:  {status['max_resource_size_mb']} MB (ckan.max_resource_size)")
    click.echo(f"Token file:  {status['token_file']}")
    click.echo(f"State dir:   {status['state_dir']}")
    click.echo(f"Logs:        {status['logs']}")
    for name, svc in status["services"].items():
        detail = f"pid {svc['pid']}, {svc['rss_mb']} MB RSS" if svc["running"] else "stopped"
        click.echo(f"  {name:<9} port {svc.get('port')}: {detail}")


@portal_group.command("token")
@_state_dir_option
@_user_errors
def token_cmd(state_dir: Path | None) -> None:
    """Print the sysadmin API token (stored with mode 0600)."""
    info: LocalPortalInfo | None = locate_local_portal(state_dir)
    if info is None:
        status = portal_status(state_dir)
        if not status.get("initialized"):
            raise PortalError("No local portal yet; run `opencatalog portal up` first.")
        from opencatalog.portal.state import Layout

        info_token = Layout(Path(status["state_dir"])).token_file
        click.echo(LocalPortalInfo("", Path(), info_token, "", 0).token())
        return
    click.echo(info.token())
