"""The personal-data (PDPA) gate against the real local CKAN portal: nothing personal leaves."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml
from ckanapi import NotAuthorized, NotFound, RemoteCKAN
from sample_copy import copy_sample

import pdpa_corpus
from opencatalog.ckan_client import CkanClient
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import InvalidCatalog, make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration

CSV, IDS, PHONES = pdpa_corpus.members_csv(rows=30, seed=11)
EXCEPTION = {"resource": "members", "column": "office_phone", "kinds": ["phone"],
             "reason": "เบอร์โทรศัพท์สำนักงานพัฒนาชุมชนอำเภอ เผยแพร่บนเว็บไซต์กรมอยู่แล้ว",
             "decided_by": "เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO), 2566-10-01"}


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def with_members(tmp_path: Path, *, ids: bool = True, private: bool = False,
                 exception: bool = False) -> tuple[Path, str]:
    """A copy of one sample dataset with a SYNTHETIC members file (citizen IDs, office phones)."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    file = root / "catalog" / "datasets" / f"{name}.yaml"
    data = yaml.safe_load(file.read_text("utf-8"))
    data["resources"].append({"name": "members", "title": {"th": "สมาชิก (สังเคราะห์)"},
                              "path": "members.csv", "schema": "members.schema.yaml"})
    if private:
        data["private"] = True
    if exception:
        data["pdpa"] = {"exceptions": [EXCEPTION]}
    file.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")
    csv, schema = CSV, pdpa_corpus.MEMBERS_SCHEMA
    if not ids:  # the citizen-ID column replaced by a fund code
        rows = [line.split(",") for line in CSV.splitlines()[1:]]
        csv = "\n".join(["member_no,fund_code,office_phone,amount"]
                        + [",".join([r[0], f"F-{int(r[0]):04d}", *r[2:]]) for r in rows]) + "\n"
        schema = schema.replace("{name: citizen_id, type: string, title: เลขประจำตัวประชาชน}",
                                "{name: fund_code, type: string, title: รหัสกองทุน}")
    (root / "datapackages" / name / "members.csv").write_text(csv, "utf-8")
    (root / "datapackages" / name / "members.schema.yaml").write_text(schema, "utf-8")
    return root, name


def test_a_citizen_id_column_is_refused_before_any_call(tmp_path, portal, invoke, monkeypatch) -> None:
    root, name = with_members(tmp_path)
    client = CkanClient(portal.url, portal.token())
    with pytest.raises(InvalidCatalog) as refused:
        make_plan(load_catalog(root), target_of(portal), client=client)
    assert sum(client.calls.values()) == 0 and client.writes == 0
    codes = {(f.code, f.field) for f in refused.value.report.errors}
    assert codes == {("pdpa.personal-data", "citizen_id"), ("pdpa.personal-data", "office_phone")}

    monkeypatch.setenv("OPENCATALOG_PORTAL_STATE_DIR", str(portal.state_dir))
    run = invoke("publish", "--root", root, "--yes")
    assert run.exit_code == 1
    output = run.stdout + run.stderr
    assert "nothing was published" in output and "-XXXX-XXXXX-XX-" in output
    assert not any(value in output for value in IDS + PHONES)
    with pytest.raises(NotFound):
        RemoteCKAN(portal.url, apikey=portal.token()).action.package_show(id=name)


def test_a_declared_exception_is_published_and_shown_in_the_plan(tmp_path, portal, invoke,
                                                                monkeypatch) -> None:
    root, name = with_members(tmp_path, ids=False, exception=True)
    monkeypatch.setenv("OPENCATALOG_PORTAL_STATE_DIR", str(portal.state_dir))
    shown = invoke("plan", "--root", root)
    assert shown.exit_code == 0, shown.stdout + shown.stderr
    assert f"+ dataset {name}" in shown.stdout
    assert "note:" in shown.stderr and "declared exception" in shown.stderr
    assert "office_phone" in shown.stderr and "DPO" in shown.stderr

    result = make_plan(load_catalog(root), target_of(portal))
    report = publish(result)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert "pdpa.exception" in {f.code for f in report.findings}  # in the publish report too
    pkg = RemoteCKAN(portal.url, apikey=portal.token()).action.package_show(id=name)
    assert pkg["private"] is False and len(pkg["resources"]) == 2
    again = make_plan(load_catalog(root), target_of(portal))
    assert not again.plan.has_changes


def test_a_private_dataset_with_personal_data_stays_private(tmp_path, portal) -> None:
    root, name = with_members(tmp_path, private=True)
    result = make_plan(load_catalog(root), target_of(portal))
    notes = [f for f in result.validation.findings if f.code == "pdpa.personal-data"]
    assert len(notes) == 2 and {f.severity for f in notes} == {"info"}
    assert publish(result).ok
    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    assert ckan.action.package_show(id=name)["private"] is True
    again = make_plan(load_catalog(root), target_of(portal))
    assert publish(again).ok and again.client.writes == 0
    assert ckan.action.package_show(id=name)["private"] is True
    anonymous = RemoteCKAN(portal.url)
    with pytest.raises((NotFound, NotAuthorized)):  # the public cannot see it
        anonymous.action.package_show(id=name)
