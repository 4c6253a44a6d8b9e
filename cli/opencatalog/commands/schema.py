"""`opencatalog schema`: print the JSON Schemas of the catalog format."""

from __future__ import annotations

from pathlib import Path

import click

from opencatalog.schemas.build import SCHEMAS, render


@click.command("schema")
@click.argument("name", type=click.Choice(sorted(SCHEMAS)), required=False)
@click.option("--write", "write_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Write all schemas as <name>.schema.json into this folder.")
def schema_command(name: str | None, write_dir: Path | None) -> None:
    """Print the JSON Schema of a catalog file kind (catalog, organization, group, dataset).

    Editors use these for completion: e.g. in VS Code's YAML extension map
    catalog/datasets/*.yaml to dataset.schema.json.
    """
    if write_dir is not None:
        write_dir.mkdir(parents=True, exist_ok=True)
        for schema_name in SCHEMAS:
            (write_dir / f"{schema_name}.schema.json").write_text(render(schema_name), "utf-8")
            click.echo(f"wrote {write_dir / f'{schema_name}.schema.json'}")
        return
    if name is None:
        raise click.UsageError("name a schema (catalog, organization, group, dataset) or use --write DIR")
    click.echo(render(name), nl=False)
