"""The `opencatalog` command: a thin click layer over the library."""

from __future__ import annotations

import sys
import traceback

import click

from opencatalog import __version__
from opencatalog.errors import OpenCatalogError

INTERNAL_ERROR = 3


class _Group(click.Group):
    """Turns every known problem into a one-line message and an exit code, never a traceback."""

    def invoke(self, ctx: click.Context):  # type: ignore[override]
        try:
            return super().invoke(ctx)
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise
        except OpenCatalogError as exc:
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.secho(f"error: {exc}", err=True, fg="red")
            ctx.exit(exc.exit_code)
        except KeyboardInterrupt:
            click.secho("interrupted", err=True, fg="red")
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence for users
            if ctx.obj and ctx.obj.get("debug"):
                traceback.print_exc()
            click.secho(f"internal error: {type(exc).__name__}: {exc}\n"
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


def _register() -> None:
    from opencatalog.commands.schema import schema_command
    from opencatalog.commands.validate import validate_command

    cli.add_command(validate_command)
    cli.add_command(schema_command)
    try:
        from opencatalog.commands.portal import portal_group
    except ImportError:  # the portal commands are optional in a trimmed install
        pass
    else:
        cli.add_command(portal_group)
    for module, name in (("opencatalog.commands.publish", "plan_command"),
                         ("opencatalog.commands.publish", "publish_command"),
                         ("opencatalog.commands.export", "export_command")):
        try:
            mod = __import__(module, fromlist=[name])
        except ImportError:
            continue
        cli.add_command(getattr(mod, name))


_register()


def main() -> None:
    cli(obj={}, prog_name="opencatalog")


if __name__ == "__main__":
    sys.exit(main())
