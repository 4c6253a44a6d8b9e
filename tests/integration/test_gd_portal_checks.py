"""Every kind of `portal_checks`: the local GD portal refuses the value through the Action API,
and `validate` refuses it first. And what a real GD portal accepts, the local one accepts."""

from __future__ import annotations

import copy
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from ckanapi import RemoteCKAN, ValidationError
from sample_copy import copy_sample, set_field

from opencatalog.desired.mapping import dataset_fields
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget
from opencatalog.validate import validate

pytestmark = pytest.mark.integration
BASE = "otop-product-categories"


@pytest.fixture(scope="module")
def published(portal, tmp_path_factory) -> tuple[Path, str, RemoteCKAN, str]:
    """A published copy of one sample dataset: its organization exists on the portal."""
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog portal only")
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path_factory.mktemp("checks"), sfx, datasets=[BASE])
    target = ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile="thai-gdc")
    assert publish(make_plan(load_catalog(root), target)).ok
    return root, f"{BASE}-{sfx}", RemoteCKAN(portal.url, apikey=portal.token()), sfx


def _fields(root: Path, name: str) -> dict[str, Any]:
    return dataset_fields(load_catalog(root).dataset(name), "thai-gdc")


# kind, YAML edit (path, value), the validate finding, the API payload edit, the refused key
Edit = Callable[[dict[str, Any]], None]
CASES: list[tuple[str, list[str], Any, str, Edit, str]] = [
    ("required", ["gdc", "data_source"], "", "gdc.required",
     lambda f: f.update(data_source=""), "data_source"),
    ("choices", ["gdc", "objective"], ["ดาวอังคาร"], "schema.enum",
     lambda f: f.update(objective=["ดาวอังคาร"]), "objective"),
    ("isodate", ["gdc", "last_updated_date"], "2023-02-30", "gdc.date-invalid",
     lambda f: f.update(last_updated_date="2023-02-30"), "last_updated_date"),
    ("isodate-buddhist-era", ["gdc", "last_updated_date"], "2567-02-29", "gdc.buddhist-era-date",
     lambda f: f.update(last_updated_date="2567-02-29"), "last_updated_date"),
    ("email-thai", ["contact", "email"], "ข้อมูล@cdd.go.th", "portal.email",
     lambda f: f.update(maintainer_email="ข้อมูล@cdd.go.th"), "maintainer_email"),
    ("email-dots", ["contact", "email"], "data..center@cdd.go.th", "portal.email",
     lambda f: f.update(maintainer_email="data..center@cdd.go.th"), "maintainer_email"),
    ("email-underscore", ["contact", "email"], "data@cdd_go.th", "portal.email",
     lambda f: f.update(maintainer_email="data@cdd_go.th"), "maintainer_email"),
    ("name-max-70", ["name"], "x" * 71, "portal.name-length",
     lambda f: f.update(name="x" * 71), "name"),
    ("name-slug", ["name"], "OTOP Categories", "schema.pattern",
     lambda f: f.update(name="OTOP Categories"), "name"),
    ("tag-length-2-100", ["tags"], ["ก"], "portal.tag-length",
     lambda f: f.update(tags=[{"name": "ก"}]), "tags"),
    ("org-exists", ["organization"], "no-such-org", "reference.organization",
     lambda f: f.update(owner_org="no-such-org"), "owner_org"),
]


@pytest.mark.parametrize("kind,path,value,code,api_edit,key", CASES, ids=[c[0] for c in CASES])
def test_validate_refuses_what_the_portal_refuses(published, tmp_path, kind, path, value, code,
                                                  api_edit, key) -> None:
    root, name, ckan, sfx = published
    fields = _fields(root, name)
    fields |= {"name": f"chk-{uuid.uuid4().hex[:8]}", "title": f"{kind} {uuid.uuid4().hex[:8]}"}
    api_edit(fields)
    with pytest.raises(ValidationError) as err:
        ckan.action.package_create(**fields)
    assert key in err.value.error_dict, err.value.error_dict

    copy = copy_sample(tmp_path, sfx, datasets=[BASE])
    set_field(copy, name, path, value)
    report = validate(load_catalog(copy), data=False)
    assert code in [f.code for f in report.errors], [f.to_dict() for f in report.findings]


def test_resource_without_a_format_is_refused_by_both(published, tmp_path) -> None:
    root, name, ckan, sfx = published
    package = ckan.action.package_show(id=name)
    with pytest.raises(ValidationError) as err:
        ckan.action.resource_create(package_id=package["id"], name="เว็บไซต์",
                                    url="https://www.cdd.go.th/otop")
    assert "format" in err.value.error_dict
    # a link with a known file extension gets its format guessed, as on GD portals
    guessed = ckan.action.resource_create(package_id=package["id"], name="pdf",
                                          url="https://www.cdd.go.th/otop.pdf")
    assert guessed["format"] == "PDF"
    ckan.action.resource_delete(id=guessed["id"])

    copy = copy_sample(tmp_path, sfx, datasets=[BASE])
    data = load_catalog(copy).dataset(name).doc.data
    set_field(copy, name, ["resources"], [*data["resources"], {
        "name": "website", "url": "https://www.cdd.go.th/otop"}])
    codes = [f.code for f in validate(load_catalog(copy), data=False).errors]
    assert codes == ["portal.resource-format"]


def test_title_unique_and_name_in_trash(published, tmp_path) -> None:
    root, name, ckan, sfx = published
    fields = _fields(root, name)
    with pytest.raises(ValidationError) as err:  # title-unique: another dataset has it
        ckan.action.package_create(**(fields | {"name": f"twin-{sfx}"}))
    assert "title" in err.value.error_dict
    copy = copy_sample(tmp_path, sfx, datasets=[BASE, "cdd-programmes"])
    set_field(copy, f"cdd-programmes-{sfx}", ["title"], load_catalog(copy).dataset(name).title.th)
    assert "portal.duplicate-title" in [f.code for f in validate(load_catalog(copy),
                                                                 data=False).errors]

    trashed = ckan.action.package_create(**(fields | {"name": f"trash-{sfx}",
                                                      "title": f"ถังขยะ {sfx}"}))
    ckan.action.package_delete(id=trashed["id"])
    with pytest.raises(ValidationError) as err:  # name-unique-incl-trash
        ckan.action.package_create(**(fields | {"name": f"trash-{sfx}", "title": f"ใหม่ {sfx}"}))
    assert "name" in err.value.error_dict
    # offline nothing can know the portal's trash: the plan refuses it before any write
    copy2 = copy_sample(tmp_path / "two", sfx, datasets=[BASE])
    (copy2 / "catalog" / "datasets" / f"{name}.yaml").rename(
        copy2 / "catalog" / "datasets" / f"trash-{sfx}.yaml")
    (copy2 / "datapackages" / name).rename(copy2 / "datapackages" / f"trash-{sfx}")
    set_field(copy2, f"trash-{sfx}", ["name"], f"trash-{sfx}")
    set_field(copy2, f"trash-{sfx}", ["title"], f"ใหม่ {sfx}")
    target = ResolvedTarget(name="local", url=ckan.address, token=ckan.apikey, profile="thai-gdc")
    result = make_plan(load_catalog(copy2), target)
    assert [a.op for a in result.plan.actions if a.name == f"trash-{sfx}"] == ["refuse"]


def test_tag_string_sent_empty_is_refused(published) -> None:
    root, name, ckan, sfx = published
    fields = copy.deepcopy(_fields(root, name))
    fields |= {"name": f"tags-{sfx}", "title": f"แท็ก {sfx}", "tag_string": " , "}
    fields.pop("tags")
    with pytest.raises(ValidationError) as err:
        ckan.action.package_create(**fields)
    assert "tag_string" in err.value.error_dict


def test_what_a_real_gd_portal_accepts_is_accepted(published, tmp_path) -> None:
    """Single-choice fields are not choice-checked; tags may hold any character; the GD
    fields the old reference lacked can be written; a Buddhist-era year is not refused."""
    root, name, ckan, sfx = published
    fields = _fields(root, name) | {
        "name": f"lax-{sfx}", "title": f"ผ่อนปรน {sfx}", "geo_coverage": "ลุ่มน้ำโขง",
        "tags": [{"name": "ผลิตภัณฑ์/OTOP"}, {"name": "ข้อมูล!"}],
        "data_type": "ข้อมูลประเภทอื่นๆ", "data_type_other": "แผนที่ชุมชน",
        "allow_harvest": "True", "reference_url_catalog": "https://gdcatalog.go.th/dataset/x",
        "created_date": "2566-10-15"}
    shown = ckan.action.package_create(**fields)
    assert shown["geo_coverage"] == "ลุ่มน้ำโขง" and shown["created_date"] == "2566-10-15"
    assert shown["allow_harvest"] == "True" and shown["data_type_other"] == "แผนที่ชุมชน"
    assert sorted(t["name"] for t in shown["tags"]) == ["ข้อมูล!", "ผลิตภัณฑ์/OTOP"]
    resource = ckan.action.resource_create(package_id=shown["id"], name="cdp", format="CSV",
                                           url="https://x.go.th/a.csv", resource_cdp="ใช่1",
                                           opencatalog_name="cdp")
    assert resource["resource_cdp"] == "ใช่1" and resource["opencatalog_name"] == "cdp"
    # ... and validate agrees, except where the national harvest would suffer
    copy = copy_sample(tmp_path, sfx, datasets=[BASE])
    for key, value in (("data_type", "ข้อมูลประเภทอื่นๆ"), ("data_type_other", "แผนที่ชุมชน"),
                       ("allow_harvest", "True"),
                       ("reference_url_catalog", "https://gdcatalog.go.th/dataset/x")):
        set_field(copy, name, ["gdc", key], value)
    set_field(copy, name, ["tags"], ["ผลิตภัณฑ์/OTOP", "ข้อมูล!"])
    assert validate(load_catalog(copy), data=False).errors == []
    set_field(copy, name, ["gdc", "geo_coverage"], "ลุ่มน้ำโขง")  # kept strict offline
    assert [f.code for f in validate(load_catalog(copy), data=False).errors] == ["schema.enum"]


def test_live_schema_of_the_portal_is_read(published) -> None:
    from opencatalog.ckan_client import CkanClient
    from opencatalog.current.live_schema import read_live_schema
    from opencatalog.gdc import standard

    _, _, ckan, _ = published
    live = read_live_schema(CkanClient(ckan.address, ckan.apikey))
    assert live is not None
    assert list(live.dataset_fields) == [f.name for f in standard().dataset_fields]
    assert live.dataset_fields["objective"].multiple and live.dataset_fields["objective"].required
    assert not live.dataset_fields["geo_coverage"].multiple
