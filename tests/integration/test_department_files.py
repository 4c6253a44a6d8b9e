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

from file_fixtures import VILLAGES_BAD, VILLAGES_OK, VILLAGES_SCHEMA, pdf_bytes, xlsx_bytes, zip_bytes
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


def table(portal, resource_id: str) -> dict:
    return RemoteCKAN(portal.url).action.datastore_search(resource_id=resource_id, sort="_id")


def test_cp874_and_buddhist_era_csvs_land_decoded_and_gregorian(tmp_path, portal) -> None:
    schema = {"fields": [
        {"name": "code", "type": "string", "title": "รหัส"},
        {"name": "village", "type": "string", "title": "หมู่บ้าน"},
        {"name": "surveyed", "type": "date", "calendar": "buddhist", "title": "วันที่สำรวจ"},
        {"name": "registered", "type": "date", "format": "%d/%m/%Y", "calendar": "buddhist"},
        {"name": "fiscal_year", "type": "year", "calendar": "buddhist"},
        {"name": "households", "type": "integer"}]}
    rows = ("code,village,surveyed,registered,fiscal_year,households\n"
            "01,บ้านหนองบัว,2566-10-15,29/02/2567,2567,120\n"
            "02,บ้านโคกสูง,2567-01-31,01/03/2566,2566,85\n")
    root, name = with_resources(tmp_path, [
        {"name": "villages-tis620", "title": {"th": "หมู่บ้าน (TIS-620)"}, "path": "villages-874.csv",
         "schema": "villages.schema.yaml", "encoding": "cp874"},
        {"name": "villages-excel", "title": {"th": "หมู่บ้าน (Excel CSV UTF-8)"},
         "path": "villages-bom.csv", "schema": "villages.schema.yaml"},
    ], {"villages-874.csv": rows.encode("cp874"), "villages-bom.csv": b"\xef\xbb\xbf" + rows.encode(),
        "villages.schema.yaml": yaml.safe_dump(schema, allow_unicode=True)})
    _, report = run(root, portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    published = resources_of(portal, name)
    for key in ("villages-tis620", "villages-excel"):
        found = table(portal, published[key]["id"])
        types = {f["id"]: f["type"] for f in found["fields"]}
        assert (types["surveyed"], types["registered"], types["village"]) == ("date", "date", "text")
        assert [{k: r[k] for k in ("code", "village", "surveyed", "registered", "fiscal_year",
                                   "households")} for r in found["records"]] == [
            {"code": "01", "village": "บ้านหนองบัว", "surveyed": "2023-10-15",
             "registered": "2024-02-29", "fiscal_year": 2024, "households": 120},
            {"code": "02", "village": "บ้านโคกสูง", "surveyed": "2024-01-31",
             "registered": "2023-03-01", "fiscal_year": 2023, "households": 85}]
        surveyed = next(f for f in found["fields"] if f["id"] == "surveyed")
        assert "พ.ศ." in surveyed["info"]["notes"] and surveyed["info"]["label"] == "วันที่สำรวจ"
    # the uploaded files are the department's own bytes, BOM and TIS-620 included
    assert download(portal, published["villages-tis620"]["url"]) == rows.encode("cp874")
    assert download(portal, published["villages-excel"]["url"]).startswith(b"\xef\xbb\xbf")
    second, _ = run(root, portal)
    assert not second.plan.has_changes and second.client.writes == 0


def test_xlsx_is_published_as_the_workbook_and_its_sheet_goes_to_the_datastore(tmp_path, portal) -> None:
    book = xlsx_bytes({"ok": VILLAGES_OK, "bad": VILLAGES_BAD})
    root, name = with_resources(tmp_path, [
        {"name": "villages", "title": {"th": "หมู่บ้าน (Excel)"}, "path": "villages.xlsx",
         "schema": "villages.schema.yaml", "sheet": "ok"}],
        {"villages.xlsx": book, "villages.schema.yaml": yaml.safe_dump(VILLAGES_SCHEMA, allow_unicode=True)})
    _, report = run(root, portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    resource = resources_of(portal, name)["villages"]
    assert resource["format"] == "XLSX" and resource["url"].endswith("/villages.xlsx")
    assert resource["mimetype"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert download(portal, resource["url"]) == book
    found = table(portal, resource["id"])
    assert {f["id"]: f["type"] for f in found["fields"]}["households"] in ("int8", "bigint")
    assert [{k: r[k] for k in ("code", "village", "households", "surveyed")} for r in found["records"]] == [
        {"code": "01", "village": "บ้านหนองบัว", "households": 120, "surveyed": "2023-10-15"},
        {"code": "02", "village": "บ้านโคกสูง", "households": 85, "surveyed": "2024-02-29"}]
    second, _ = run(root, portal)
    assert not second.plan.has_changes and second.client.writes == 0
