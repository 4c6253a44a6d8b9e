"""DataStore tables loaded by publish, checked through the portal's own API."""

from __future__ import annotations

import csv
import json
import uuid
from pathlib import Path

import pytest
import yaml
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError
from sample_copy import copy_sample, set_field

from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import InvalidCatalog, make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def run(root: Path, portal, progress=None):
    result = make_plan(load_catalog(root), target_of(portal))
    return result, publish(result, progress=progress)


def sysadmin(portal) -> RemoteCKAN:
    return RemoteCKAN(portal.url, apikey=portal.token())


def anonymous(portal) -> RemoteCKAN:
    return RemoteCKAN(portal.url)


def rows_of(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def schema_of(path: Path) -> dict:
    return yaml.safe_load(path.read_text("utf-8"))


def table(portal, resource_id: str, limit: int = 1000) -> dict:
    """The table as a citizen gets it: anonymous datastore_search."""
    return anonymous(portal).action.datastore_search(resource_id=resource_id, limit=limit,
                                                     sort="_id")


def resource(portal, dataset: str, key: str) -> dict:
    pkg = sysadmin(portal).action.package_show(id=dataset)
    return next(r for r in pkg["resources"] if r["opencatalog_name"] == key)


def test_first_publish_loads_typed_tables_with_thai_dictionary_then_no_write(tmp_path, portal):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["cdd-performance-2566", "thai-provinces"])
    first, report = run(root, portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert first.plan.counts()["datastore_loads"] == 3

    name = f"cdd-performance-2566-{sfx}"
    folder = root / "datapackages" / name
    res = resource(portal, name, "indicators-2566")
    assert res["datastore_active"] is True
    got = table(portal, res["id"])
    want = rows_of(folder / "indicators-2566.csv")
    assert got["total"] == len(want) == 22
    types = {f["id"]: f["type"] for f in got["fields"]}
    assert types == {"_id": "int", "indicator_code": "text", "fiscal_year": "int4",
                     "dimension_th": "text", "indicator_name_th": "text",
                     "indicator_name_en": "text", "value": "numeric", "more_than": "bool",
                     "unit_multiplier": "text", "unit_th": "text", "source_note": "text"}
    for record, row in zip(got["records"], want, strict=True):
        assert record["indicator_name_th"] == row["indicator_name_th"]  # Thai text intact
        assert record["source_note"] == row["source_note"]
        assert record["fiscal_year"] == int(row["fiscal_year"])
        assert record["more_than"] is (row["more_than"] == "true")
        assert float(record["value"]) == float(row["value"])
    schema = schema_of(folder / "indicators-2566.schema.yaml")
    info = {f["id"]: f.get("info") for f in got["fields"]}
    for field in schema["fields"]:
        assert info[field["name"]] == {"label": field["title"], "notes": field["description"]}
    # `id`, not `resource_id`: CKAN 2.10 requires it (2.11+ accept both)
    ds_info = sysadmin(portal).action.datastore_info(id=res["id"])
    assert ds_info["meta"]["count"] == 22
    assert {f["id"]: f["schema"]["is_index"] for f in ds_info["fields"]}["indicator_code"]

    marker = json.loads(res["opencatalog_datastore"])
    assert marker["rows"] == 22 and marker["sha256"] == res["sha256"]
    provinces = resource(portal, f"thai-provinces-{sfx}", "provinces")
    assert table(portal, provinces["id"])["total"] == 77

    second, report2 = run(root, portal)
    assert report2.ok
    assert not second.plan.has_changes
    assert second.client.writes == 0, dict(second.client.calls)

    # The schema's primaryKey is the table's unique key: a duplicate code is refused.
    with pytest.raises(ValidationError):
        sysadmin(portal).action.datastore_upsert(
            resource_id=res["id"], force=True, method="insert",
            records=[{"indicator_code": got["records"][0]["indicator_code"]}])


def test_changed_csv_replaces_the_table_hidden_while_it_loads(tmp_path, portal, monkeypatch):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["thai-provinces"])
    name = f"thai-provinces-{sfx}"
    assert run(root, portal)[1].ok
    before = json.loads(resource(portal, name, "provinces")["opencatalog_datastore"])

    data = root / "datapackages" / name / "provinces.csv"
    lines = data.read_text("utf-8").splitlines()
    kept = lines[:-5]  # drop five provinces, rename one
    kept[1] = kept[1].replace("กรุงเทพมหานคร", "กรุงเทพฯ")
    data.write_text("\n".join(kept) + "\n", "utf-8")
    plan = make_plan(load_catalog(root), target_of(portal)).plan
    steps = [(r.key, r.datastore.op, r.datastore.reason) for a in plan.actions
             for r in a.resources if r.datastore]
    assert steps == [("provinces", "replace", "file changed")]

    # Small batches: the replace takes several calls, so the dataset must be hidden meanwhile.
    monkeypatch.setattr("opencatalog.datastore.load.BATCH_ROWS", 20)
    seen_during_load: list[str] = []

    def watch(message: str) -> None:
        if "rows loaded" in message:
            try:
                anonymous(portal).action.package_show(id=name)
                seen_during_load.append("visible")
            except (NotAuthorized, NotFound):
                seen_during_load.append("hidden")

    result, report = run(root, portal, progress=watch)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert seen_during_load == ["hidden"] * 4  # 72 rows in batches of 20
    res = resource(portal, name, "provinces")
    got = table(portal, res["id"])
    assert got["total"] == 72
    assert got["records"][0]["name_th"] == "กรุงเทพฯ"
    after = json.loads(res["opencatalog_datastore"])
    assert after["rows"] == 72 and after["checksum"] != before["checksum"]
    assert anonymous(portal).action.package_show(id=name)["private"] is False
    regions = resource(portal, name, "regions")  # unchanged: not reloaded
    assert json.loads(regions["opencatalog_datastore"])["rows"] == 6
    assert run(root, portal)[0].client.writes == 0


def test_datastore_false_gets_no_table_and_drops_ours(tmp_path, portal):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories", "thai-provinces"])
    otop, provinces = f"otop-product-categories-{sfx}", f"thai-provinces-{sfx}"
    set_field(root, otop, ["resources", 0, "datastore"], False)
    assert run(root, portal)[1].ok
    res = resource(portal, otop, "categories")
    assert not res.get("datastore_active")
    with pytest.raises(NotFound):
        table(portal, res["id"])

    # Switching an already loaded resource off drops the table OpenCatalog loaded.
    set_field(root, provinces, ["resources", 0, "datastore"], False)
    result, report = run(root, portal)
    assert report.ok
    steps = [(r.key, r.datastore.op) for a in result.plan.actions for r in a.resources
             if r.datastore]
    assert steps == [("regions", "delete")]
    with pytest.raises(NotFound):
        table(portal, resource(portal, provinces, "regions")["id"])
    assert table(portal, resource(portal, provinces, "provinces")["id"])["total"] == 77
    assert run(root, portal)[0].client.writes == 0


def test_a_column_the_datastore_refuses_is_refused_before_any_upload(tmp_path, portal):
    """A field name Frictionless accepts and the DataStore refuses (leading underscore): once a
    DataStore error after the upload, now a validate finding before any write."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    folder = root / "datapackages" / name
    data = folder / "categories.csv"
    data.write_text(data.read_text("utf-8").replace("name_en", "_name_en", 1), "utf-8")
    schema = folder / "categories.schema.yaml"
    schema.write_text(schema.read_text("utf-8").replace("name: name_en", "name: _name_en"), "utf-8")
    with pytest.raises(InvalidCatalog) as raised:
        run(root, portal)
    [error] = raised.value.report.errors
    assert error.code == "datastore.column-name-reserved" and "_name_en" in error.message
    assert error.file == f"datapackages/{name}/categories.schema.yaml" and error.line
    with pytest.raises(NotFound):  # nothing was published
        RemoteCKAN(portal.url, apikey=portal.token()).action.package_show(id=name)


def test_plain_ckan_profile_gets_the_same_tables(tmp_path, portal_plain):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    set_field(root, name, ["tags"], ["OTOP"])  # stock CKAN refuses Thai marks in tags
    target = ResolvedTarget(name="plain", url=portal_plain.url, token=portal_plain.token(),
                            profile="ckan")
    result = make_plan(load_catalog(root), target)
    assert publish(result).ok
    res = resource(portal_plain, name, "categories")
    got = table(portal_plain, res["id"])
    assert got["total"] == 5
    assert [r["name_th"] for r in got["records"]][:2] == ["อาหาร", "เครื่องดื่ม"]
    assert {f["id"]: f["type"] for f in got["fields"]}["code"] == "int4"
    assert make_plan(load_catalog(root), target).plan.has_changes is False


def test_verification_reads_every_page_and_catches_a_changed_row(tmp_path, portal):
    from opencatalog.ckan_client import CkanClient
    from opencatalog.datastore import DatastoreError
    from opencatalog.datastore.fields import table_spec
    from opencatalog.datastore.load import LoadResult
    from opencatalog.datastore.verify import verify_table

    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["thai-provinces"])
    name = f"thai-provinces-{sfx}"
    assert run(root, portal)[1].ok
    res = resource(portal, name, "provinces")
    loaded = json.loads(res["opencatalog_datastore"])
    expected = LoadResult(rows=loaded["rows"], checksum=loaded["checksum"])
    spec = table_spec(schema_of(root / "datapackages" / name / "provinces.schema.yaml"))
    client = CkanClient(portal.url, portal.token())
    verify_table(client, res["id"], spec, expected, page_rows=10)  # 8 pages
    assert client.calls["datastore_search"] == 8

    # Someone edits one cell on the portal: the checksum no longer matches.
    sysadmin(portal).action.datastore_upsert(resource_id=res["id"], force=True, method="upsert",
                                             records=[{"code": "50", "name_en": "Chiang Mai!"}])
    with pytest.raises(DatastoreError, match="checksum"):
        verify_table(client, res["id"], spec, expected, page_rows=10)
    with pytest.raises(DatastoreError, match="rows"):
        verify_table(client, res["id"], spec, LoadResult(78, loaded["checksum"]))
