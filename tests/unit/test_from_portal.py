"""import is the inverse of mapping.py: mapping(import(portal dicts)) == those portal dicts.

The portal is faked by what mapping.py would send (as CKAN hands it back: organization as
an object, tags and groups as dicts, resources with ids and download URLs), so the two
modules cannot drift apart without this failing.
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from opencatalog.ckan_client import NotFound
from opencatalog.desired.from_portal import split_bilingual
from opencatalog.desired.mapping import bilingual, desired_state, owner_fields
from opencatalog.importer import Importer, write_catalog_config
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.model.catalog import Text
from opencatalog.validate import validate

REPO = Path(__file__).resolve().parents[2]


class FakePortal:
    """The read calls import makes, answered from the sample catalog's desired state."""

    def __init__(self, profile: str) -> None:
        catalog = load_catalog(REPO)
        self.desired = desired_state(catalog, profile)
        self.files: dict[str, Path] = {}
        self.packages = {d.name: self._package(d) for d in self.desired.datasets}
        self.owners = {(o.kind, o.name): {**o.fields, "id": f"{o.kind}-{o.name}"}
                       for o in (*self.desired.organizations, *self.desired.groups)}
        self.calls: Counter[str] = Counter()
        self.writes = 0

    def _package(self, d) -> dict[str, Any]:
        pkg = {**d.fields, "id": f"id-{d.name}", "state": "active",
               "organization": {"name": d.fields["owner_org"], "id": "org-id"},
               "owner_org": "org-id", "metadata_modified": "2026-01-01T00:00:00"}
        pkg["resources"] = []
        for n, r in enumerate(d.resources):
            res = {**r.fields, "id": f"res-{d.name}-{n}", "package_id": pkg["id"]}
            if r.file is not None:
                url = f"http://portal/dataset/{pkg['id']}/resource/{res['id']}/download/" \
                      f"{r.upload_name}"
                res.update(url=url, url_type="upload", sha256=r.sha256,
                           size=r.file.stat().st_size, datastore_active=r.datastore is not None)
                self.files[url] = r.file
            else:
                res.update(url=r.url, url_type="")
            pkg["resources"].append(res)
        return pkg

    def call(self, action: str, **data: Any) -> Any:
        self.calls[action] += 1
        if action == "package_show":
            if data["id"] not in self.packages:
                raise NotFound(data["id"])
            return json.loads(json.dumps(self.packages[data["id"]]))
        if action in ("organization_show", "group_show"):
            return self.owners[(action.split("_")[0], data["id"])]
        raise AssertionError(action)

    def redact(self, text: str) -> str:
        return text

    def download(self, url: str, dest: Path | None = None) -> tuple[int, str]:
        self.calls["download"] += 1
        from opencatalog.desired.mapping import file_sha256

        assert dest is not None
        shutil.copyfile(self.files[url], dest)
        return dest.stat().st_size, file_sha256(dest)


@pytest.mark.parametrize("profile", ["thai-gdc", "ckan"])
def test_mapping_of_import_is_the_portal_state(tmp_path: Path, profile: str) -> None:
    portal = FakePortal(profile)
    importer = Importer(tmp_path, portal, profile)  # type: ignore[arg-type]
    report = importer.run(sorted(portal.packages))
    assert report.ok, [f.to_dict() for f in report.errors]
    write_catalog_config(tmp_path, target="portal", url="http://127.0.0.1:5000", profile=profile,
                         organizations=report.summary["organizations"])
    catalog = load_catalog(tmp_path)
    if profile == "thai-gdc":  # (the sample's Thai tags are refused by stock CKAN's rules)
        assert validate(catalog, profile=profile).ok
    again = desired_state(catalog, profile)
    assert [d.name for d in again.datasets] == [d.name for d in portal.desired.datasets]
    for want, got in zip(portal.desired.datasets, again.datasets, strict=True):
        assert got.fields == want.fields, want.name
        assert [(r.key, r.fields, r.sha256, r.url) for r in got.resources] == \
            [(r.key, r.fields, r.sha256, r.url) for r in want.resources], want.name
        assert [r.datastore.spec if r.datastore else None for r in got.resources] == \
            [r.datastore.spec if r.datastore else None for r in want.resources], want.name
    assert [(o.kind, o.fields) for o in (*again.organizations, *again.groups)] == \
        [(o.kind, o.fields) for o in (*portal.desired.organizations, *portal.desired.groups)]
    # read-only, and every uploaded file byte-identical
    assert portal.writes == 0 and set(portal.calls) <= {"package_show", "organization_show",
                                                        "group_show", "download"}
    thai = (tmp_path / "catalog" / "datasets" / "thai-provinces.yaml").read_text("utf-8")
    assert thai.startswith("# yaml-language-server: $schema=../../.schemas/dataset.schema.json")


@pytest.mark.parametrize("text", [Text("ไทย"), Text("ไทย\n\nย่อหน้า", "English\n"),
                                  Text("ไทย", None)])
@pytest.mark.parametrize("heading", [None, "Title"])
def test_split_bilingual_inverts_bilingual(text: Text, heading: str | None) -> None:
    th, title_en, en = split_bilingual(bilingual(text, heading))
    assert bilingual(Text(th, en), title_en) == bilingual(text, heading)


def test_owner_round_trip() -> None:
    from opencatalog.desired.from_portal import owner_yaml
    from opencatalog.load.yaml_source import parse_yaml
    from opencatalog.model.catalog import Owner

    fields = {"name": "cdd", "title": "กรม", "description": bilingual(Text("ก", "E"), "Dept")}
    data = owner_yaml(fields)
    title, desc = Text.parse(data["title"]), Text.parse(data["description"])
    owner = Owner("organization", parse_yaml("{}", "x"), "cdd", title, desc, None, None)
    assert owner_fields(owner) == fields


def test_an_upload_made_by_hand_without_schema_gets_one_inferred_and_no_datastore_load(
        tmp_path: Path) -> None:
    portal = FakePortal("thai-gdc")
    [res] = portal.packages["otop-product-categories"]["resources"]
    for key in ("opencatalog_name", "schema", "sha256", "datastore_active"):
        res.pop(key, None)
    report = Importer(tmp_path, portal, "thai-gdc").run(["otop-product-categories"])  # type: ignore[arg-type]
    assert "import.inferred" in {f.code for f in report.findings}
    write_catalog_config(tmp_path, target="portal", url="http://127.0.0.1:5000",
                         profile="thai-gdc", organizations=["cdd"])
    catalog = load_catalog(tmp_path)
    [resource] = catalog.dataset("otop-product-categories").resources
    assert resource.portal_id == res["id"] and resource.datastore is False
    assert resource.schema and [f["name"] for f in resource.schema["fields"]][:1] == ["code"]
    assert validate(catalog, profile="thai-gdc").ok


def test_a_file_that_cannot_be_downloaded_is_an_error_naming_it_not_a_crash(tmp_path: Path) -> None:
    portal = FakePortal("thai-gdc")

    def gone(url: str, dest: Path | None = None) -> tuple[int, str]:
        raise NotFound(url)

    portal.download = gone  # type: ignore[method-assign]
    report = Importer(tmp_path, portal, "thai-gdc").run(["otop-product-categories"])  # type: ignore[arg-type]
    [error] = report.errors
    assert error.code == "import.download" and error.resource == "categories"
    assert error.file == "datapackages/otop-product-categories/categories.csv"
    assert not (tmp_path / error.file).exists()
