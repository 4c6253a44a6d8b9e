"""`opencatalog import` against the real local portal: the round trip of the sample catalog,
and a department's portal made by hand (through ckanapi, not OpenCatalog)."""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path

import pytest
import yaml
from ckanapi import RemoteCKAN
from click.testing import CliRunner
from sample_copy import copy_sample

from opencatalog.bookkeeping import is_owned
from opencatalog.ckan_client import READ_ACTIONS_PREFIXES, CkanClient
from opencatalog.commands.main import cli
from opencatalog.importer import Selection, import_catalog, write_catalog_config
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget
from opencatalog.validate import validate

pytestmark = pytest.mark.integration


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def writes(client: CkanClient) -> dict[str, int]:
    return {a: n for a, n in client.calls.items() if not a.startswith(READ_ACTIONS_PREFIXES)}


def test_round_trip_publish_import_into_an_empty_folder_validates_and_plans_empty(
        tmp_path: Path, portal, monkeypatch) -> None:
    sfx = uuid.uuid4().hex[:6]
    source = copy_sample(tmp_path / "source", sfx)
    first = make_plan(load_catalog(source), target_of(portal))
    assert publish(first).ok
    names = [d.name for d in first.desired.datasets]

    empty = tmp_path / "imported"
    empty.mkdir()
    monkeypatch.setenv("OPENCATALOG_TOKEN_PORTAL", portal.token())
    result = CliRunner().invoke(cli, ["import", "--root", str(empty), "--url", portal.url,
                                      "--target", "portal", *names], obj={})
    assert result.exit_code == 0, result.output
    assert "wrote catalog/catalog.yaml" in result.output
    assert "0 write(s) to the portal" in result.output
    config = yaml.safe_load((empty / "catalog" / "catalog.yaml").read_text("utf-8"))
    assert config["profile"] == "thai-gdc" and config["defaults"] == {"organization": "cdd"}
    assert config["targets"] == {"portal": {"url": portal.url}}

    catalog = load_catalog(empty)
    report = validate(catalog, profile=portal.profile)
    assert report.ok, [f.to_dict() for f in report.errors]
    again = make_plan(catalog, target_of(portal))
    assert not again.plan.has_changes, [(a.name, a.op, a.changes, a.resources)
                                        for a in again.plan.actions if a.changes_anything]
    assert again.client.writes == 0
    # every upload byte-identical, Thai text too
    for dataset in first.desired.datasets:
        imported = {r.key: r for r in next(d for d in again.desired.datasets
                                           if d.name == dataset.name).resources}
        for resource in dataset.resources:
            if resource.file is not None:
                assert sha256(imported[resource.key].file) == resource.sha256
    # a second import over the catalog writes nothing and finds no difference
    client = CkanClient(portal.url, portal.token())
    report = import_catalog(empty, client, portal.profile, Selection(names=tuple(names)))
    assert report.summary["written"] == [] and not report.warnings, report.findings


CSV = "code,amount,province\n01,1500,กรุงเทพมหานคร\n02,2500,เชียงใหม่\n"


def _hand_made(ckan: RemoteCKAN, org: str, name: str, tmp_path: Path) -> dict:
    """A dataset as a department's staff make it in the web form (here through ckanapi)."""
    ckan.action.organization_create(name=org, title=f"สำนักงานทดสอบ {org}")
    pkg = ckan.action.package_create(
        name=name, title=f"กองทุนหมู่บ้าน รายจังหวัด {name}", owner_org=org,
        notes="จำนวนเงินกองทุนหมู่บ้านแยกตามจังหวัด\n\nจัดทำโดยเจ้าหน้าที่", license_id="Open Data Common",
        maintainer="ศูนย์สารสนเทศ", maintainer_email="data@example.go.th",
        tags=[{"name": "กองทุน"}, {"name": "จังหวัด"}],
        extras=[{"key": "note_by_staff", "value": "ทำมือ"}],
        data_type="ข้อมูลระเบียน", objective=["พันธกิจหน่วยงาน"], update_frequency_unit="ปี",
        update_frequency_interval="1", geo_coverage="ประเทศ", data_source="กรมทดสอบ",
        data_format=["CSV"], data_category="ข้อมูลสาธารณะ", data_classification="เปิดเผย",
        data_language=["ไทย"], data_support="หน่วยงานของรัฐ",
        data_collect="ขอบเขตเชิงภูมิศาสตร์หรือเชิงพื้นที่")
    csv = tmp_path / "funds.csv"
    csv.write_text(CSV, "utf-8")
    with csv.open("rb") as handle:
        upload = ckan.action.resource_create(package_id=pkg["id"], name="ตารางกองทุน",
                                             format="CSV", upload=handle)
    ckan.action.datastore_create(
        resource_id=upload["id"], force=True,
        fields=[{"id": "code", "type": "text", "info": {"label": "รหัสจังหวัด"}},
                {"id": "amount", "type": "int4", "info": {"label": "จำนวนเงิน (บาท)"}},
                {"id": "province", "type": "text", "info": {"label": "จังหวัด"}}],
        records=[{"code": "01", "amount": 1500, "province": "กรุงเทพมหานคร"},
                 {"code": "02", "amount": 2500, "province": "เชียงใหม่"}])
    ckan.action.resource_create(package_id=pkg["id"], name="เว็บไซต์กรม",
                                url="https://www.example.go.th/funds.html", format="HTML")
    return ckan.action.package_show(id=name)


def test_import_a_hand_made_portal_then_adopt_writes_only_bookkeeping(
        tmp_path: Path, portal) -> None:
    sfx = uuid.uuid4().hex[:6]
    org, name = f"dept-{sfx}", f"village-funds-{sfx}"
    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    before = _hand_made(ckan, org, name, tmp_path)
    root = tmp_path / "catalog-repo"
    root.mkdir()
    client = CkanClient(portal.url, portal.token())
    report = import_catalog(root, client, portal.profile, Selection(organization=org))
    write_catalog_config(root, target="local", url=portal.url, profile=portal.profile,
                         organizations=[org])
    assert report.ok and client.writes == 0, report.findings
    assert report.datasets == [name]
    codes = {(f.code, f.field) for f in report.findings}
    assert ("import.unplaced", "extras.note_by_staff") in codes  # kept on the portal, reported
    assert ("import.adopt", None) in codes
    data = yaml.safe_load((root / "catalog" / "datasets" / f"{name}.yaml").read_text("utf-8"))
    assert data["title"] == before["title"] and data["tags"] == ["กองทุน", "จังหวัด"]
    upload, link = data["resources"]
    assert upload["id"] == before["resources"][0]["id"] and upload["path"] == "funds.csv"
    assert link == {"name": "resource-2", "title": "เว็บไซต์กรม", "format": "HTML",
                    "url": "https://www.example.go.th/funds.html",
                    "id": before["resources"][1]["id"]}
    assert (root / "datapackages" / name / "funds.csv").read_text("utf-8") == CSV  # byte-identical
    schema = yaml.safe_load((root / "datapackages" / name / "funds.schema.yaml").read_text("utf-8"))
    assert [(f["name"], f["type"], f.get("title")) for f in schema["fields"]] == [
        ("code", "string", "รหัสจังหวัด"), ("amount", "integer", "จำนวนเงิน (บาท)"),
        ("province", "string", "จังหวัด")]

    catalog = load_catalog(root)
    assert validate(catalog, profile=portal.profile).ok
    refused = make_plan(catalog, target_of(portal))
    assert [a.op for a in refused.plan.actions if a.kind == "dataset"] == ["refuse"]

    preview = make_plan(load_catalog(root), target_of(portal), adopt=[name])
    [action] = [a for a in preview.plan.actions if a.kind == "dataset"]
    assert all(c.field.startswith("extras.opencatalog_") for c in action.changes), action.changes
    assert [(r.op, r.key, r.upload) for r in action.resources] == [
        ("update", "funds", False), ("update", "resource-2", False)]
    assert {c.field for r in action.resources for c in r.changes} <= {
        "opencatalog_name", "sha256", "schema"}
    assert action.resources[0].datastore is not None
    assert action.resources[0].datastore.op == "adopt"
    assert preview.client.writes == 0

    report = publish(preview)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert set(writes(preview.client)) <= {"package_patch", "resource_patch"}, \
        dict(preview.client.calls)
    after = ckan.action.package_show(id=name)
    assert is_owned(after) and [r["id"] for r in after["resources"]] == \
        [r["id"] for r in before["resources"]]  # no resource duplicated, none re-created
    assert ckan.action.datastore_search(resource_id=after["resources"][0]["id"])["total"] == 2
    assert {e["key"]: e["value"] for e in after["extras"]}["note_by_staff"] == "ทำมือ"
    quiet = make_plan(load_catalog(root), target_of(portal))
    assert not quiet.plan.has_changes and quiet.client.writes == 0

    # a resource someone adds by hand to the (now OpenCatalog) dataset: shown, kept, pruned
    extra = ckan.action.resource_create(package_id=after["id"], name="ไฟล์เพิ่มเติม",
                                        url="https://www.example.go.th/more.pdf", format="PDF")
    shown = make_plan(load_catalog(root), target_of(portal))
    [action] = [a for a in shown.plan.actions if a.kind == "dataset"]
    assert [(r.op, r.key, r.by_hand) for r in action.resources][-1] == ("keep", "ไฟล์เพิ่มเติม",
                                                                         True)
    assert not shown.plan.has_changes
    pruned = make_plan(load_catalog(root), target_of(portal), prune=True)
    assert publish(pruned).ok
    assert extra["id"] not in [r["id"] for r in ckan.action.package_show(id=name)["resources"]]
