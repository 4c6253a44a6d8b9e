"""`opencatalog new` → a person fills the placeholders → publish: typed DataStore columns."""

from __future__ import annotations

import uuid
from pathlib import Path

import pytest
import yaml
from ckanapi import RemoteCKAN

from catalog_builder import write_catalog
from opencatalog.describe import new_dataset
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget
from steward_files import write_steward_files

pytestmark = pytest.mark.integration

CHOSEN = {"description": "กองทุนหมู่บ้านรายจังหวัด ไฟล์จากเจ้าหน้าที่",
          "tags": ["กองทุน", "จังหวัด"],
          "gdc": {"data_type": "ข้อมูลสถิติ", "objective": ["พันธกิจหน่วยงาน"],
                  "update_frequency_unit": "ปี", "data_source": "กรมทดสอบ",
                  "data_category": "ข้อมูลสาธารณะ"}}


def test_new_then_fill_the_placeholders_then_publish_typed_tables(tmp_path: Path, portal) -> None:
    sfx = uuid.uuid4().hex[:6]
    name = f"steward-funds-{sfx}"
    root = write_catalog(tmp_path / "repo")
    files = write_steward_files(tmp_path / "steward")
    report = new_dataset(load_catalog(root), name, list(files.values()))
    assert report.ok, report.findings
    path = root / "catalog" / "datasets" / f"{name}.yaml"
    data = yaml.safe_load(path.read_text("utf-8"))
    data["title"] = f"กองทุนหมู่บ้าน {sfx}"
    data["description"] = CHOSEN["description"]
    data["tags"] = CHOSEN["tags"]
    data["contact"] = {"name": "ศูนย์สารสนเทศ", "email": "data@example.go.th"}
    data["gdc"].update(CHOSEN["gdc"])
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), "utf-8")

    target = ResolvedTarget(name="local", url=portal.url, token=portal.token(),
                            profile=portal.profile)
    result = make_plan(load_catalog(root), target, only=[name])
    published = publish(result)
    assert published.ok, [f.to_dict() for f in published.errors]
    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    resources = {r["opencatalog_name"]: r for r in ckan.action.package_show(id=name)["resources"]}
    for key in ("funds", "funds-excel", "funds-tis620"):
        table = ckan.action.datastore_search(resource_id=resources[key]["id"], limit=1, sort="_id")
        types = {f["id"]: f["type"] for f in table["fields"] if f["id"] != "_id"}
        assert types == {"col_1": "text", "col_2": "text", "col_3": "date",
                         "col_4": "numeric", "col_5": "bool", "col_6": "int4",
                         "budget_thb": "int8"}, key
        labels = {f["id"]: (f.get("info") or {}).get("label") for f in table["fields"]}
        assert labels["col_1"] == "รหัสจังหวัด"  # the Thai header, as the data dictionary
        [row] = table["records"]
        assert (row["col_1"], row["col_2"], row["col_3"][:10], str(row["col_4"]), row["col_5"],
                row["col_6"]) == ("10", "กรุงเทพมหานคร", "2024-01-01", "1000", False, 2023), key
    sheet = ckan.action.datastore_search(resource_id=resources["summary-dates"]["id"], limit=0)
    assert {f["id"]: f["type"] for f in sheet["fields"]}["reported"] == "date"
    again = make_plan(load_catalog(root), target, only=[name])
    assert not again.plan.has_changes and again.client.writes == 0
