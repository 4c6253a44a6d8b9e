"""The local portal shows a DataStore preview as soon as a resource has a DataStore table.

`datatables_view` is the default view (ckan.views.default_views) and the portal plugin
`opencatalog_views` creates it when `datastore_create` sets `datastore_active`, whoever
loads the table (stock CKAN only does so for DataPusher/XLoader).
"""
from __future__ import annotations

import pytest
import requests
from ckanapi import RemoteCKAN

from opencatalog.portal import LocalPortalInfo

pytestmark = pytest.mark.integration

GD_FIELDS = {
    "data_type": "ข้อมูลระเบียน",
    "maintainer": "ศูนย์สารสนเทศ",
    "maintainer_email": "data@example.go.th",
    "notes": "ทดสอบตัวอย่างข้อมูล",
    "tags": [{"name": "ทดสอบ"}],
    "objective": ["พันธกิจหน่วยงาน"],
    "update_frequency_unit": "ปี",
    "geo_coverage": "ประเทศ",
    "data_source": "กรมทดสอบ",
    "data_format": ["CSV"],
    "data_category": "ข้อมูลสาธารณะ",
    "license_id": "Open Data Common",
}


def test_datastore_table_gets_a_datatables_preview(portal: LocalPortalInfo, uniq: str) -> None:
    api = RemoteCKAN(portal.url, apikey=portal.token())
    org = api.action.organization_create(name=f"views-{uniq}", title=f"ทดสอบมุมมอง {uniq}")
    extra = GD_FIELDS if portal.profile == "thai-gdc" else {}
    ds = api.action.package_create(name=f"views-{uniq}", title=f"ตัวอย่างข้อมูล {uniq}",
                                   owner_org=org["id"], **extra)
    res = api.action.resource_create(package_id=ds["id"], name="provinces", format="CSV",
                                     url="http://example.com/provinces.csv")
    no_table = api.action.resource_create(package_id=ds["id"], name="notes", format="CSV",
                                          url="http://example.com/notes.csv")
    assert api.action.resource_view_list(id=res["id"]) == []  # nothing to preview yet

    fields = [{"id": "code", "type": "int", "info": {"label": "รหัสจังหวัด"}},
              {"id": "name_th", "type": "text", "info": {"label": "ชื่อจังหวัด"}}]
    api.action.datastore_create(resource_id=res["id"], force=True, fields=fields,
                                records=[{"code": 10, "name_th": "กรุงเทพมหานคร"}])
    views = api.action.resource_view_list(id=res["id"])
    assert [v["view_type"] for v in views] == ["datatables_view"]

    # replacing the table (delete + create, as a re-load does) adds no second view
    api.action.datastore_delete(resource_id=res["id"], force=True)
    api.action.datastore_create(resource_id=res["id"], force=True, fields=fields,
                                records=[{"code": 50, "name_th": "เชียงใหม่"}])
    assert [v["view_type"] for v in api.action.resource_view_list(id=res["id"])] == [
        "datatables_view"]
    assert api.action.resource_view_list(id=no_table["id"]) == []

    # the resource page embeds it, and the view serves the rows to anyone
    page = requests.get(f"{portal.url}/dataset/{ds['name']}/resource/{res['id']}", timeout=30)
    assert page.ok
    assert f"/view/{views[0]['id']}" in page.text
    rows = requests.post(f"{portal.url}/datatables/ajax/{views[0]['id']}",
                         data={"draw": "1", "start": "0", "length": "10",
                               "search[value]": "", "order[0][column]": "0",
                               "order[0][dir]": "asc"}, timeout=30)
    assert rows.ok, rows.text[:500]
    assert [r["name_th"] for r in rows.json()["data"]] == ["เชียงใหม่"]
