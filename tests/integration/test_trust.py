"""Trust in what the portal says: provenance on every dataset, read-back after apply."""

from __future__ import annotations

import json
import threading
import uuid

import pytest
import requests
from ckanapi import RemoteCKAN
from sample_copy import copy_sample, set_field

from opencatalog.bookkeeping import PROVENANCE_KEY, extras_of
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration
BASE = "otop-product-categories"


def target(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def test_provenance_from_github_actions_and_the_last_publisher_of_a_drift(
        portal, tmp_path, monkeypatch) -> None:
    if portal.profile != "thai-gdc":
        pytest.skip("GD Catalog portal")
    for key, value in {"GITHUB_SERVER_URL": "https://github.com", "GITHUB_REPOSITORY": "cdd/catalog",
                       "GITHUB_RUN_ID": "4242", "GITHUB_SHA": "c0ffee" * 6 + "c0ff",
                       "GITHUB_REF": "refs/pull/17/merge"}.items():
        monkeypatch.setenv(key, value)
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[BASE])
    name = f"{BASE}-{sfx}"
    assert publish(make_plan(load_catalog(root), target(portal))).ok
    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    record = json.loads(extras_of(ckan.action.package_show(id=name))[PROVENANCE_KEY])
    assert record["commit"] == "c0ffee" * 6 + "c0ff"
    assert record["ci_run"] == "https://github.com/cdd/catalog/actions/runs/4242"
    assert record["pull_request"] == "https://github.com/cdd/catalog/pull/17"
    assert record["tool"] and record["published_at"]

    ckan.action.package_patch(id=name, data_source="แก้ด้วยมือ")
    [action] = [a for a in make_plan(load_catalog(root), target(portal)).plan.actions
                if a.name == name]
    assert action.drift and "c0ffeec0ffee" in (action.last_published or "")
    assert "pull/17" in (action.last_published or "")


def test_a_value_the_portal_rewrites_is_an_error_not_created(portal, tmp_path) -> None:
    """CKAN's clean_format stores 'text/csv' as 'CSV': read back, it differs; a publish must
    say so instead of "created" (and would otherwise never plan empty)."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[BASE])
    name = f"{BASE}-{sfx}"
    data = load_catalog(root).dataset(name).doc.data
    set_field(root, name, ["resources"], [*data["resources"], {
        "name": "download-page", "url": "https://www.cdd.go.th/otop/categories.csv",
        "format": "text/csv"}])
    report = publish(make_plan(load_catalog(root), target(portal)))
    [problem] = [f for f in report.errors if f.code == "publish.verify"]
    assert problem.dataset == name and "resource download-page (format)" in problem.message
    assert not any(f.code == "publish.created" and f.dataset == name for f in report.findings)


def published_copy(portal, tmp_path):
    """A published copy of one sample dataset: its root, name and a sysadmin API."""
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[BASE])
    assert publish(make_plan(load_catalog(root), target(portal))).ok
    return root, f"{BASE}-{sfx}", RemoteCKAN(portal.url, apikey=portal.token())


def test_a_file_replaced_on_the_portal_is_shown_and_restored(portal, tmp_path) -> None:
    root, name, ckan = published_copy(portal, tmp_path)
    [res] = ckan.action.package_show(id=name)["resources"]
    local = (root / "datapackages" / name / "categories.csv").read_bytes()

    def replace_by_hand(body: bytes) -> None:
        other = tmp_path / "by-hand.csv"
        other.write_bytes(body)
        with other.open("rb") as handle:
            ckan.action.resource_patch(id=res["id"], upload=handle)

    def file_changes(**kwargs):
        plan = make_plan(load_catalog(root), target(portal), **kwargs).plan
        return [(r.key, r.upload, [c.field for c in r.changes]) for a in plan.actions
                for r in a.resources if a.name == name and r.changes_anything]

    replace_by_hand(b"code,name\n1,x\n")  # another size: seen without downloading
    assert file_changes() == [("categories", True, ["file"])]
    restored = publish(make_plan(load_catalog(root), target(portal)))  # restores the file
    assert restored.ok, [f.to_dict() for f in restored.errors]
    assert file_changes() == [] and file_changes(verify_files=True) == []
    served = requests.get(ckan.action.resource_show(id=res["id"])["url"], timeout=30).content
    assert served == local

    replace_by_hand(bytes(reversed(local)))  # the same size: only --verify-files sees it
    assert file_changes() == []
    assert file_changes(verify_files=True) == [("categories", True, ["file"])]


def test_two_publishes_at_once_leave_no_duplicate_and_an_empty_plan(portal, tmp_path) -> None:
    root, name, ckan = published_copy(portal, tmp_path)
    for round_ in range(10):
        data = load_catalog(root).dataset(name).doc.data
        set_field(root, name, ["resources"], [*data["resources"], {
            "name": f"page-{round_}", "url": f"https://www.cdd.go.th/otop/{round_}.html"}])
        set_field(root, name, ["gdc", "data_source"], f"กรมการพัฒนาชุมชน รอบ {round_}")
        plans = [make_plan(load_catalog(root), target(portal)) for _ in range(2)]
        reports: list = [None, None]
        barrier = threading.Barrier(2)

        def run(i: int, barrier: threading.Barrier, plans: list, reports: list) -> None:
            barrier.wait()
            reports[i] = publish(plans[i])

        threads = [threading.Thread(target=run, args=(i, barrier, plans, reports))
                   for i in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(300)
        for report in reports:  # each one published, or waited and found nothing left to do
            assert report is not None and report.ok, [f.to_dict() for f in report.errors]
        keys = [r.get("opencatalog_name") for r in ckan.action.package_show(id=name)["resources"]]
        assert len(keys) == len(set(keys)) == round_ + 2, keys
        assert not make_plan(load_catalog(root), target(portal)).plan.has_changes
