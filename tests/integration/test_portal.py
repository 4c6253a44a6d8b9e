"""The local CKAN portal, proven through CKAN's Action API (ckanapi)."""
from __future__ import annotations

import hashlib
import json
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
import requests
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, ValidationError

from opencatalog.portal import (
    LocalPortalInfo,
    locate_local_portal,
    portal_down,
    portal_status,
    portal_up,
    procs,
    start_ckan,
    stop_ckan,
)
from opencatalog.portal.state import Layout, load_state

pytestmark = pytest.mark.integration


def ckan(portal: LocalPortalInfo) -> RemoteCKAN:
    return RemoteCKAN(portal.url, apikey=portal.token())


def anon(portal: LocalPortalInfo) -> RemoteCKAN:
    return RemoteCKAN(portal.url)


def gd_dataset(name: str, title: str, org_id: str, **extra: Any) -> dict[str, Any]:
    """A dataset carrying every GD Catalog field required for all data types."""
    data: dict[str, Any] = {
        "name": name,
        "title": title,
        "owner_org": org_id,
        "data_type": "ข้อมูลสถิติ",
        "maintainer": "กองสถิติ",
        "maintainer_email": "stat@example.go.th",
        "notes": "สถิติประชากรรายจังหวัด",
        "tags": [{"name": "ประชากร"}],
        "objective": ["ยุทธศาสตร์ชาติ", "อื่นๆ"],
        "objective_other": "ติดตามแผนงาน",
        "update_frequency_unit": "ปี",
        "update_frequency_interval": "1",
        "geo_coverage": "จังหวัด",
        "data_source": "สำนักงานสถิติจังหวัด",
        "data_format": ["CSV", "JSON"],
        "data_category": "ข้อมูลสาธารณะ",
        "license_id": "Open Data Common",
        "extras": [{"key": "opencatalog_owner", "value": "opencatalog:test"}],
    }
    data.update(extra)
    return data


@pytest.fixture(scope="module")
def org(portal: LocalPortalInfo) -> dict[str, Any]:
    suffix = hashlib.sha1(str(time.time()).encode()).hexdigest()[:6]
    return ckan(portal).action.organization_create(
        name=f"org-{suffix}", title=f"สำนักงานทดสอบ {suffix}"
    )


def test_organization_and_group(portal: LocalPortalInfo, uniq: str) -> None:
    api = ckan(portal)
    created = api.action.organization_create(name=f"org-{uniq}", title="กรมทดสอบ")
    shown = api.action.organization_show(id=created["id"])
    assert shown["title"] == "กรมทดสอบ"
    assert shown["package_count"] == 0
    group = api.action.group_create(name=f"grp-{uniq}", title="กลุ่มสถิติ")
    assert api.action.group_show(id=group["id"])["package_count"] == 0


def test_dataset_with_gd_fields_round_trips(portal: LocalPortalInfo, org: dict, uniq: str
                                            ) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog schema only")
    api = ckan(portal)
    group = api.action.group_create(name=f"grp-{uniq}", title="กลุ่ม")
    created = api.action.package_create(**gd_dataset(
        f"ds-{uniq}", f"ประชากรรายจังหวัด {uniq}", org["id"], groups=[{"id": group["id"]}],
        opencatalog_managed="opencatalog:test"))  # not in the schema: dropped, as on GD portals
    api.action.package_patch(id=created["id"], notes="แก้ไข")  # extras survive a patch
    shown = api.action.package_show(id=created["id"])
    assert shown["data_type"] == "ข้อมูลสถิติ"
    assert shown["objective"] == ["ยุทธศาสตร์ชาติ", "อื่นๆ"]
    assert shown["objective_other"] == "ติดตามแผนงาน"
    assert shown["data_format"] == ["CSV", "JSON"]
    assert "opencatalog_managed" not in shown
    assert shown["extras"] == [{"key": "opencatalog_owner", "value": "opencatalog:test"}]
    # organization and group dataset counts come from the PostgreSQL search
    assert api.action.organization_show(id=org["id"])["package_count"] >= 1
    assert api.action.group_show(id=group["id"])["package_count"] == 1


def test_missing_required_and_bad_choice_are_field_errors(
    portal: LocalPortalInfo, org: dict, uniq: str
) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog schema only")
    data = gd_dataset(f"bad-{uniq}", f"ผิด {uniq}", org["id"], objective=["ดาวอังคาร"])
    del data["data_type"]
    with pytest.raises(ValidationError) as err:
        ckan(portal).action.package_create(**data)
    errors = err.value.error_dict
    assert "data_type" in errors
    assert "objective" in errors  # multiple-choice fields are choice-checked
    assert "title" not in errors
    # single-choice fields are not, on a real GD portal: any string is stored
    odd = ckan(portal).action.package_create(**gd_dataset(
        f"odd-{uniq}", f"แปลก {uniq}", org["id"], geo_coverage="ดาวอังคาร"))
    assert odd["geo_coverage"] == "ดาวอังคาร"


def test_thai_tags_accepted(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog rule")
    tags = ["จังหวัด", "ชุมชน", "กองทุน", "open-data_1.0", "a/b", "ข้อมูล!"]  # any character
    created = ckan(portal).action.package_create(**gd_dataset(
        f"tags-{uniq}", f"แท็กไทย {uniq}", org["id"], tags=[{"name": t} for t in tags]))
    assert sorted(t["name"] for t in created["tags"]) == sorted(tags)
    with pytest.raises(ValidationError):  # only the length counts: 2-100
        ckan(portal).action.package_create(**gd_dataset(
            f"tagbad-{uniq}", f"แท็กผิด {uniq}", org["id"], tags=[{"name": "ก"}]))


def test_name_longer_than_70_refused(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog rule")
    api = ckan(portal)
    ok_name = (f"n{uniq}-" + "x" * 70)[:70]
    api.action.package_create(**gd_dataset(ok_name, f"ยาวพอดี {uniq}", org["id"]))
    with pytest.raises(ValidationError) as err:
        api.action.package_create(**gd_dataset(ok_name + "y", f"ยาวเกิน {uniq}", org["id"]))
    assert "name" in err.value.error_dict


def test_duplicate_title_refused(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog rule")
    api = ckan(portal)
    title = f"ชื่อซ้ำ {uniq}"
    first = api.action.package_create(**gd_dataset(f"t1-{uniq}", title, org["id"]))
    with pytest.raises(ValidationError) as err:
        api.action.package_create(**gd_dataset(f"t2-{uniq}", title, org["id"]))
    assert "That title is already in use" in json.dumps(err.value.error_dict["title"])
    # updating the dataset that holds the title is not a conflict
    api.action.package_patch(id=first["id"], notes="แก้ไข")


def test_name_in_trash_refused(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog rule")
    api = ckan(portal)
    name = f"trash-{uniq}"
    created = api.action.package_create(**gd_dataset(name, f"ถังขยะ {uniq}", org["id"]))
    api.action.package_delete(id=created["id"])
    with pytest.raises(ValidationError) as err:
        api.action.package_create(**gd_dataset(name, f"ถังขยะใหม่ {uniq}", org["id"]))
    assert "That URL is already in trash" in json.dumps(err.value.error_dict["name"])


def test_upload_download_byte_identical(portal: LocalPortalInfo, org: dict, uniq: str,
                                        tmp_path: Path) -> None:
    api = ckan(portal)
    if portal.profile == "thai-gdc":
        ds = api.action.package_create(**gd_dataset(f"up-{uniq}", f"อัปโหลด {uniq}", org["id"]))
    else:
        ds = api.action.package_create(name=f"up-{uniq}", title="upload", owner_org=org["id"])
    payload = ("จังหวัด,ประชากร\nเชียงใหม่,1789385\n".encode() + bytes(range(256))) * 2000
    path = tmp_path / "ประชากร.csv"
    path.write_bytes(payload)
    digest = hashlib.sha256(payload).hexdigest()
    table_schema = json.dumps({"fields": [{"name": "จังหวัด", "type": "string"}]},
                              ensure_ascii=False)
    with open(path, "rb") as fh:
        res = api.action.resource_create(
            package_id=ds["id"], name="ประชากร", format="CSV", upload=fh,
            sha256=digest, schema=table_schema, opencatalog_name="population")
    assert res["url_type"] == "upload"
    shown = api.action.resource_show(id=res["id"])
    assert shown["sha256"] == digest
    assert json.loads(shown["schema"]) == json.loads(table_schema)
    assert shown["opencatalog_name"] == "population"
    got = requests.get(res["url"], timeout=30)
    assert got.status_code == 200
    assert got.content == payload


def test_search_thai_word_and_owner_org(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    api = ckan(portal)
    title = f"ข้อมูลคุณภาพน้ำแม่น้ำเจ้าพระยา {uniq}"
    if portal.profile == "thai-gdc":
        ds = api.action.package_create(**gd_dataset(f"water-{uniq}", title, org["id"]))
    else:
        ds = api.action.package_create(name=f"water-{uniq}", title=title, owner_org=org["id"])
    found = api.action.package_search(q="เจ้าพระยา", rows=100)
    assert ds["id"] in [r["id"] for r in found["results"]]
    by_org = api.action.package_search(fq=f"owner_org:{org['id']}", rows=1000,
                                       **{"facet.field": ["organization", "tags"]})
    assert ds["id"] in [r["id"] for r in by_org["results"]]
    assert by_org["facets"]["organization"][org["name"]] == by_org["count"]
    # every result belongs to the org; sorting and paging work
    assert {r["owner_org"] for r in by_org["results"]} == {org["id"]}
    page = api.action.package_search(fq=f"owner_org:{org['id']}", rows=1, start=0,
                                     sort="name asc")
    assert page["count"] == by_org["count"] and len(page["results"]) == 1
    assert page["results"][0]["name"] == min(r["name"] for r in by_org["results"])
    # unmatched word: nothing
    assert api.action.package_search(q=f"ไม่มีคำนี้{uniq}")["count"] == 0


def test_private_dataset_hidden_from_anonymous(portal: LocalPortalInfo, org: dict,
                                               uniq: str) -> None:
    api = ckan(portal)
    title = f"ลับเฉพาะ {uniq}"
    if portal.profile == "thai-gdc":
        ds = api.action.package_create(**gd_dataset(f"priv-{uniq}", title, org["id"],
                                                    private=True))
    else:
        ds = api.action.package_create(name=f"priv-{uniq}", title=title, owner_org=org["id"],
                                       private=True)
    assert uniq in str(api.action.package_search(q=f"ลับเฉพาะ {uniq}",
                                                 include_private=True)["results"])
    public = anon(portal).action.package_search(q=f"ลับเฉพาะ {uniq}", include_private=True)
    assert ds["id"] not in [r["id"] for r in public["results"]]
    with pytest.raises((NotAuthorized, NotFound)):
        anon(portal).action.package_show(id=ds["id"])


def test_concurrent_requests_from_four_threads(portal: LocalPortalInfo, org: dict) -> None:
    def work(i: int) -> int:
        api = ckan(portal)
        total = 0
        for _ in range(5):
            total += api.action.package_search(q="ข้อมูล", rows=5)["count"] >= 0
            total += bool(api.action.organization_show(id=org["id"]))
        return total

    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(work, range(4))) == [10, 10, 10, 10]


def test_status_reports_upload_limit_and_profile(portal: LocalPortalInfo) -> None:
    status = portal_status(portal.state_dir)
    if "url" not in status:
        pytest.skip("portal not started by these tests")
    assert status["healthy"] is True
    assert status["max_resource_size_mb"] == portal.max_resource_size_mb >= 1024
    assert status["profile"] == portal.profile
    assert oct(portal.token_file.stat().st_mode & 0o777) == "0o600"
    assert locate_local_portal(portal.state_dir) == portal


def test_plain_ckan_mode_uses_extras(portal_plain: LocalPortalInfo, uniq: str) -> None:
    assert portal_plain.profile == "ckan"
    api = ckan(portal_plain)
    org = api.action.organization_create(name=f"plain-{uniq}", title="Plain")
    ds = api.action.package_create(
        name=f"plain-{uniq}", title="ชุดข้อมูลธรรมดา", owner_org=org["id"],
        extras=[{"key": "data_type", "value": "ข้อมูลสถิติ"},
                {"key": "opencatalog_owner", "value": "opencatalog:test"}])
    shown = api.action.package_show(id=ds["id"])
    assert {e["key"]: e["value"] for e in shown["extras"]}["data_type"] == "ข้อมูลสถิติ"
    assert api.action.package_search(q="ธรรมดา")["count"] == 1


def test_ckan_restart_helpers(portal: LocalPortalInfo) -> None:
    if "url" not in portal_status(portal.state_dir):
        pytest.skip("portal not started by these tests")
    stop_ckan(portal.state_dir)
    with pytest.raises(requests.ConnectionError):
        requests.get(portal.url + "/api/3/action/status_show", timeout=5)
    start_ckan(portal.state_dir)
    assert requests.get(portal.url + "/api/3/action/status_show", timeout=5).ok


def test_datastore_enabled(portal: LocalPortalInfo, org: dict, uniq: str) -> None:
    api = ckan(portal)
    if portal.profile == "thai-gdc":
        ds = api.action.package_create(**gd_dataset(f"dstore-{uniq}", f"ดาต้าสโตร์ {uniq}",
                                                    org["id"]))
    else:
        ds = api.action.package_create(name=f"dstore-{uniq}", owner_org=org["id"])
    res = api.action.resource_create(package_id=ds["id"], url="http://example.com/x.csv",
                                     name="x")  # GD portals require a resource name
    api.action.datastore_create(resource_id=res["id"], force=True,
                                fields=[{"id": "จังหวัด", "type": "text"}],
                                records=[{"จังหวัด": "น่าน"}])
    # read through the read-only DataStore user
    got = anon(portal).action.datastore_search(resource_id=res["id"])
    assert [r["จังหวัด"] for r in got["records"]] == ["น่าน"]


def test_down_leaves_no_process_then_up_again(portal: LocalPortalInfo) -> None:
    """Runs last in this module: stops everything, checks, then restarts (warm up)."""
    if "url" not in portal_status(portal.state_dir):
        pytest.skip("portal not started by these tests")
    state = load_state(Layout(portal.state_dir))
    assert state is not None
    pids = dict(state.pids)
    assert set(pids) == {"postgres", "redis", "ckan"}
    portal_down(portal.state_dir, echo=lambda _m: None)
    for name, pid in pids.items():
        assert not procs.pid_alive(pid), f"{name} (pid {pid}) still running"
        assert procs.session_members(pid) == [], f"{name} left children behind"
    assert locate_local_portal(portal.state_dir) is None
    started = time.monotonic()
    again = portal_up(portal.state_dir, echo=lambda _m: None)
    print(f"warm portal up: {time.monotonic() - started:.1f}s")
    assert again.url == portal.url
    assert ckan(portal).action.status_show()["ckan_version"].startswith("2.")
