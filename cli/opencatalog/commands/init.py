"""`opencatalog init [DIR]`: start a new agency's catalog repository."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from opencatalog import scaffold
from opencatalog.scaffold import Answers, InitError


def _ask(value: Any, prompt: str, check: Callable[[str], Any], *,
         interactive: bool, default: str | None = None, required: bool = True) -> Any:
    """The option's value (checked), else a prompt on a terminal, else a usage error."""
    if value is not None:
        return check(value)  # InitError names the option: exit 2 with its message
    if not interactive:  # the command has refused missing required answers already
        return check(default) if default is not None else None

    def proc(text: str) -> Any:
        try:
            return check(text)
        except InitError as exc:  # click shows it and asks again
            raise click.UsageError(str(exc)) from None

    return click.prompt(prompt, default=default if default is not None else
                        ("" if not required else None), value_proc=proc,
                        show_default=bool(default))


def _interactive() -> bool:
    return sys.stdin.isatty()


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path), default=".")
@click.option("--organization", metavar="NAME",
              help="The agency's organization name on the portal (lowercase URL name, e.g. cdd).")
@click.option("--title-th", metavar="TEXT", help="The organization's Thai title.")
@click.option("--title-en", metavar="TEXT", help="The organization's English title.")
@click.option("--url", metavar="URL", help="The production portal (https://…), target `production`.")
@click.option("--profile", type=click.Choice(scaffold.PROFILES), default=None,
              help="thai-gdc: a GD Catalog portal (default); ckan: stock CKAN.")
@click.option("--license", "license_name", metavar="NAME",
              help=f"Default licence of every dataset (default: {scaffold.DEFAULT_LICENSE}).")
@click.option("--contact-name", metavar="TEXT",
              help="Default contact (the unit data users write to), e.g. ศูนย์เทคโนโลยีสารสนเทศ.")
@click.option("--contact-email", metavar="EMAIL", help="Default contact e-mail.")
@click.option("--example", is_flag=True,
              help="Add one small example dataset (the agency's contact point) instead of none.")
@click.option("--force", is_flag=True,
              help="Overwrite the files init writes when a catalog is already there.")
def init_command(directory: Path, organization: str | None, title_th: str | None,
                 title_en: str | None, url: str | None, profile: str | None,
                 license_name: str | None, contact_name: str | None, contact_email: str | None,
                 example: bool, force: bool) -> None:
    """Start a new catalog repository in DIRECTORY (default: the current folder).

    Asks for what is not given as an option when run on a terminal; in CI and scripts give
    --organization, --title-th, --title-en and --url. Writes catalog/, datapackages/, GitHub
    workflows using OpenCatalog's action, a pre-commit config, editor settings, .gitignore and a
    README for the stewards (Thai and English). Refuses to overwrite a catalog unless --force.
    """
    interactive = _interactive()
    missing = [option for option, value in (
        ("--organization", organization), ("--title-th", title_th), ("--title-en", title_en),
        ("--url", url), ("--contact-email", contact_email if example else "")) if value is None]
    if missing and not interactive:
        raise click.UsageError(f"missing {', '.join(missing)} (standard input is not a terminal, "
                               "so init cannot ask; give every answer as an option)")
    ask: dict[str, Any] = {"interactive": interactive}
    org = _ask(organization, "Organization name on the portal (e.g. cdd)",
               scaffold.check_organization, **ask)
    th = _ask(title_th, "Organization title in Thai",
              lambda v: scaffold.check_title(v, "--title-th"), **ask)
    en = _ask(title_en, "Organization title in English",
              lambda v: scaffold.check_title(v, "--title-en"), **ask)
    portal = _ask(url, "Production portal URL (https://…)", scaffold.check_portal_url,
                  **ask)
    prof = _ask(profile, f"Metadata profile ({' or '.join(scaffold.PROFILES)})",
                scaffold.check_profile, default="thai-gdc", **ask)
    lic = _ask(license_name, "Default licence",
               lambda v: scaffold.check_license(v, prof), default=scaffold.DEFAULT_LICENSE, **ask)
    name = _ask(contact_name, "Default contact (unit or person; empty: none)",
                lambda v: " ".join(v.split()) or None, required=False, **ask)
    email = _ask(contact_email, "Default contact e-mail" + ("" if example else " (empty: none)"),
                 scaffold.check_email, required=example, **ask)
    answers = Answers(organization=org, title_th=th, title_en=en, url=portal, profile=prof,
                      license=lic, contact_name=name, contact_email=email, example=example)
    result = scaffold.init_catalog(directory, answers, force=force)
    for rel in result.written:
        click.echo(f"wrote {rel}")
    for rel in result.overwritten:
        click.echo(f"overwrote {rel}")
    where = directory if directory != Path(".") else Path.cwd()
    cd = f"  cd {directory}\n" if directory != Path(".") else ""
    click.echo(f"\nA new catalog for {org} is in {where}. Next:\n{cd}"
               "  git init && git add . && git commit -m 'Start the data catalog'\n"
               "  opencatalog validate                 # valid as written\n"
               "  opencatalog portal up && opencatalog publish --target local\n"
               "On GitHub, set the secret OPENCATALOG_TOKEN_PRODUCTION (an API token of an editor "
               f"of '{org}' on {portal}); README.md tells the stewards the rest.")
