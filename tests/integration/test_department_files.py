"""The files departments really have, published to the real local portal (issue 20).

PDF and ZIP resources are uploads (byte-identical downloads, format and mimetype set, no
write on a second run); CSVs in Windows-874 or with Buddhist-era dates land in the DataStore
decoded and in the Gregorian calendar.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
import requests
import yaml
from ckanapi import RemoteCKAN
from sample_copy import copy_sample

from file_fixtures import pdf_bytes, zip_bytes
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration

BASE = "otop-product-categories"


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def run(root: Path, portal):
    result = make_plan(load_catalog(root), target_of(portal), use_cache=False)
    return result, publish(result)


def with_resources(tmp_path: Path, resources: list[dict], files: dict[str, bytes | str]) -> tuple[Path, str]:
    """A copy of one sample dataset with `resources` appended and `files` in its data folder."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[BASE])
    name = f"{BASE}-{sfx}"
    yaml_file = root / "catalog" / "datasets" / f"{name}.yaml"
    data = yaml.safe_load(yaml_file.read_text("utf-8"))
    data["resources"].extend(resources)
    yaml_file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    for rel, content in files.items():
        target = root / "datapackages" / name / rel
        target.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root, name


def resources_of(portal, name: str) -> dict[str, dict]:
    pkg = RemoteCKAN(portal.url, apikey=portal.token()).action.package_show(id=name)
    return {r["opencatalog_name"]: r for r in pkg["resources"]}


def download(portal, url: str) -> bytes:
    response = requests.get(url, headers={"Authorization": portal.token()}, timeout=30)
    response.raise_for_status()
    return response.content


def test_pdf_and_zip_are_uploaded_byte_identical_then_left_alone(tmp_path, portal) -> None:
    pdf, archive = pdf_bytes("annual report"), zip_bytes()
    root, name = with_resources(tmp_path, [
        {"name": "annual-report", "title": {"th": "รายงานประจำปี"}, "path": "annual-report.pdf"},
        {"name": "maps", "title": {"th": "แผนที่"}, "path": "maps.zip"},
    ], {"annual-report.pdf": pdf, "maps.zip": archive})
    first, report = run(root, portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    published = resources_of(portal, name)
    for key, content, fmt, mimetype in (("annual-report", pdf, "PDF", "application/pdf"),
                                        ("maps", archive, "ZIP", "application/zip")):
        resource = published[key]
        assert (resource["format"], resource["mimetype"]) == (fmt, mimetype)
        assert resource["url_type"] == "upload"
        assert resource["url"].endswith(f"/{key}.{fmt.lower()}")
        assert hashlib.sha256(download(portal, resource["url"])).hexdigest() == \
            hashlib.sha256(content).hexdigest()
        assert not resource.get("datastore_active")
    second, _ = run(root, portal)
    assert not second.plan.has_changes and second.client.writes == 0
