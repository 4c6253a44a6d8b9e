"""Publishing to a plain CKAN (no ckanext-scheming): the `ckan` profile, GD fields as extras."""

from __future__ import annotations

import hashlib
import uuid

import pytest
import requests
import yaml
from ckanapi import RemoteCKAN
from sample_copy import copy_sample, set_field

from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import InvalidCatalog, make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="plain", url=portal.url, token=portal.token(), profile="ckan")


def english_tags(root, names: list[str]) -> None:
    """Stock CKAN refuses Thai vowel/tone marks in tags, so give the copies tags it accepts."""
    for name in names:
        set_field(root, name, ["tags"], ["community", "OTOP", "reference data"])


def test_sample_with_thai_tags_is_refused_offline_for_plain_ckan(tmp_path, portal_plain):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["thai-provinces"])
    with pytest.raises(InvalidCatalog) as err:
        make_plan(load_catalog(root), target_of(portal_plain))
    codes = {f.code for f in err.value.report.errors}
    assert "portal.tag-chars" in codes or any(c.startswith("portal.tag") for c in codes), codes
    # nothing reached the portal
    ckan = RemoteCKAN(portal_plain.url, apikey=portal_plain.token())
    assert f"thai-provinces-{sfx}" not in ckan.action.package_list()


def test_plain_ckan_publish_extras_download_and_no_op(tmp_path, portal_plain):
    sfx = uuid.uuid4().hex[:6]
    chosen = ["thai-provinces", "otop-product-categories"]
    root = copy_sample(tmp_path, sfx, datasets=chosen)
    names = [f"{n}-{sfx}" for n in chosen]
    english_tags(root, names)

    first = make_plan(load_catalog(root), target_of(portal_plain))
    report = publish(first)
    assert report.ok, [f.to_dict() for f in report.errors]

    ckan = RemoteCKAN(portal_plain.url, apikey=portal_plain.token())
    for name in names:
        pkg = ckan.action.package_show(id=name)
        extras = {e["key"]: e["value"] for e in pkg.get("extras", [])}
        assert extras["opencatalog_owner"] == "opencatalog"
        assert extras.get("opencatalog_fingerprint"), "fingerprint stored as an extra"
        source = yaml.safe_load((root / "catalog" / "datasets" / f"{name}.yaml").read_text("utf-8"))
        # a GD Catalog single-choice field travels as an extra with its Thai value
        assert extras["data_type"] == source["gdc"]["data_type"]
        assert pkg["private"] is False
        assert sorted(t["name"] for t in pkg["tags"]) == ["OTOP", "community", "reference data"]
        for res in pkg["resources"]:
            local = root / "datapackages" / name / f"{res['opencatalog_name']}.csv"
            got = requests.get(res["url"], timeout=30)
            assert got.status_code == 200
            assert hashlib.sha256(got.content).hexdigest() == hashlib.sha256(
                local.read_bytes()).hexdigest()

    second = make_plan(load_catalog(root), target_of(portal_plain))
    assert not second.plan.has_changes, [a.to_dict() for a in second.plan.actions
                                         if a.changes_anything]
    publish(second)
    assert second.client.writes == 0, dict(second.client.calls)

    # one changed GD field -> one field change, applied as an extra
    set_field(root, names[1], ["gdc", "update_frequency_unit"], "เดือน")
    third = make_plan(load_catalog(root), target_of(portal_plain))
    changed = [(a.name, [c.field for c in a.changes]) for a in third.plan.actions
               if a.changes_anything]
    assert changed == [(names[1], ["extras.update_frequency_unit"])]
    assert publish(third).ok
    pkg = ckan.action.package_show(id=names[1])
    assert {e["key"]: e["value"] for e in pkg["extras"]}["update_frequency_unit"] == "เดือน"
