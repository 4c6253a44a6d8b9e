"""The `opencatalog` command: a thin click layer over the library."""

from __future__ import annotations

import importlib
import sys
import traceback

import click

from opencatalog import __version__, redaction
from opencatalog.errors import OpenCatalogError

INTERNAL_ERROR = 3


# name -> (module, attribute): a command's module is imported only when it is used, so
# `opencatalog validate` does not pay for the CKAN, portal and export code at start-up.
_COMMANDS = {
    "validate": ("opencatalog.commands.validate", "validate_command"),
    "plan": ("opencatalog.commands.publish", "plan_command"),
    "publish": ("opencatalog.commands.publish", "publish_command"),
    "portal": ("opencatalog.commands.portal", "portal_group"),
    "export": ("opencatalog.commands.export", "export_command"),
    "schema": ("opencatalog.commands.schema", "schema_command"),
    "init": ("opencatalog.commands.init", "init_command"),
    "fix": ("opencatalog.commands.fix", "fix_group"),
    "import": ("opencatalog.commands.import_", "import_command"),
    "new": ("opencatalog.commands.new", "new_command"),
}


class _Group(click.Group):
    """Turns every known problem into a one-line message and an exit code, never a traceback."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return [*_COMMANDS, *super().list_commands(ctx)]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in _COMMANDS:
            module, attr = _COMMANDS[cmd_name]
            return getattr(importlib.import_module(module), attr)
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OpenCatalogError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                click.echo(redaction.redact(traceback.format_exc()), err=True)
            click.secho(f"error: {redaction.redact(str(exc))}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.secho("interrupted", err=True, fg="red")
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if ctx.obj and ctx.obj.get("debug"):
                click.echo(redaction.redact(traceback.format_exc()), err=True)
            click.secho(f"internal error: {type(exc).__name__}: {redaction.shorten(str(exc))}\n"
                        "This is a bug in OpenCatalog; re-run with --debug and report the output.",
                        err=True, fg="red")
            ctx.exit(INTERNAL_ERROR)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="opencatalog")
@click.option("--debug", is_flag=True, help="Show tracebacks for errors.")
@click.pass_context
def cli(ctx: click.Context, debug: bool) -> None:
    """Catalog-as-code for government open data: validate, plan and publish to CKAN."""
    ctx.ensure_object(dict)
    ctx.obj["debug"] = debug


def main() -> None:
    cli(obj={}, prog_name="opencatalog")


if __name__ == "__main__":
    sys.exit(main())
