"""How `import` and `new` write catalog files: readable YAML, the editor's schema line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from opencatalog.validate.tabular.encoding import check_encoding

_SCHEMA_PATH = {"catalog": "../.schemas/catalog.schema.json",
                "dataset": "../../.schemas/dataset.schema.json",
                "organization": "../../.schemas/organization.schema.json",
                "group": "../../.schemas/group.schema.json"}


def header(kind: str) -> str:
    """The line a YAML language server (VS Code's YAML extension) completes the file from."""
    return f"# yaml-language-server: $schema={_SCHEMA_PATH[kind]}\n"


class _Dumper(yaml.SafeDumper):
    pass


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    # multi-line text (markdown descriptions) as a literal block: byte for byte, readable
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)


def dump_yaml(data: Any) -> str:
    text = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    assert yaml.safe_load(text) == data  # what the loader reads back is what was meant
    return text


def text_encoding(path: Path) -> str | None:
    """'utf-8', 'cp874' (Thai Windows-874 / TIS-620) or None (not text: no encoding to name)."""
    if not check_encoding(path, path.name):
        return "utf-8"
    try:
        with path.open("r", encoding="cp874") as handle:
            while handle.read(1 << 20):
                pass
    except UnicodeDecodeError:
        return None
    return "cp874"
