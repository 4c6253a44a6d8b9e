"""Values `opencatalog new` could not tell from the files: an error until a person chooses."""

from __future__ import annotations

from typing import Any

from opencatalog.load.yaml_source import KeyPath
from opencatalog.model.catalog import Dataset
from opencatalog.report.model import Finding

MARK = "TODO(opencatalog)"  # every placeholder starts with it


def placeholder(what: str) -> str:
    return f"{MARK}: {what}"


def _walk(value: Any, path: KeyPath):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _walk(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _walk(item, (*path, index))
    elif isinstance(value, str) and value.startswith(MARK):
        yield path, value


def check_placeholders(dataset: Dataset) -> list[Finding]:
    return [dataset.doc.finding(
        "new.placeholder", f"a placeholder is left here: {text[len(MARK) + 2:]}", path,
        dataset=dataset.name,
        hint="replace it with the real value (a choice list is in the comment on its line)")
        for path, text in _walk(dataset.doc.data, ())]
