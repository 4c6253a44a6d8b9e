"""Copies of the sample catalog with unique names, so tests sharing one portal never collide."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from catalog_builder import copy_sample_catalog


def copy_sample(dest: Path, suffix: str, datasets: list[str] | None = None) -> Path:
    """Copy catalog/ and datapackages/ to `dest`, renaming datasets `<name>-<suffix>`.

    Titles get the suffix too: GD Catalog portals require unique titles.
    """
    copy_sample_catalog(dest)
    for file in sorted((dest / "catalog" / "datasets").glob("*.yaml")):
        data = yaml.safe_load(file.read_text("utf-8"))
        old = data["name"]
        if datasets is not None and old not in datasets:
            file.unlink()
            shutil.rmtree(dest / "datapackages" / old, ignore_errors=True)
            continue
        new = f"{old}-{suffix}"[:70]
        data["name"] = new
        title = data["title"]
        if isinstance(title, dict):
            title["th"] = f"{title['th']} ({suffix})"
        else:
            data["title"] = f"{title} ({suffix})"
        file.unlink()
        (dest / "catalog" / "datasets" / f"{new}.yaml").write_text(
            yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
        (dest / "datapackages" / old).rename(dest / "datapackages" / new)
    return dest


def set_field(root: Path, dataset: str, path: list[str], value: object) -> None:
    file = root / "catalog" / "datasets" / f"{dataset}.yaml"
    data = yaml.safe_load(file.read_text("utf-8"))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
