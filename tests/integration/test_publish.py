"""Publishing the sample catalog to the real local CKAN portal."""

from __future__ import annotations

import hashlib
import threading
import uuid
from pathlib import Path

import pytest
import requests
from ckanapi import RemoteCKAN
from sample_copy import copy_sample, set_field

from opencatalog.bookkeeping import is_owned, stored_fingerprint
from opencatalog.ckan_client import CkanClient
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration


@pytest.fixture()
def local_target(portal):
    return portal


def target_of(portal) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)


def suffix() -> str:
    return uuid.uuid4().hex[:6]


def run(root: Path, portal, **kwargs):
    result = make_plan(load_catalog(root), target_of(portal),
                       **{k: v for k, v in kwargs.items() if k not in ("workers", "progress")})
    report = publish(result, workers=kwargs.get("workers", 4), progress=kwargs.get("progress"))
    return result, report


def sysadmin(portal) -> RemoteCKAN:
    return RemoteCKAN(portal.url, apikey=portal.token())


def test_first_publish_then_second_makes_no_write(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx)
    first, report = run(root, local_target)
    assert report.ok, [f.to_dict() for f in report.errors]
    names = [d.name for d in first.desired.datasets]
    assert len(names) >= 5
    ckan = sysadmin(local_target)
    for name in names:
        pkg = ckan.action.package_show(id=name)
        assert is_owned(pkg) and stored_fingerprint(pkg), name  # bookkeeping in extras
        assert not set(pkg) & {"opencatalog_managed", "opencatalog_source"}
        assert pkg["private"] is False
        assert pkg["resources"], name
        assert pkg["data_type"]  # a GD Catalog field, stored by scheming
    second, report2 = run(root, local_target)
    assert not second.plan.has_changes
    assert second.client.writes == 0, dict(second.client.calls)
    assert report2.ok


def test_one_changed_field_then_one_changed_file(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    assert run(root, local_target)[1].ok
    set_field(root, name, ["gdc", "update_frequency_unit"], "เดือน")
    result = make_plan(load_catalog(root), target_of(local_target))
    changes = [(a.name, [c.field for c in a.changes]) for a in result.plan.actions
               if a.changes_anything]
    assert changes == [(name, ["update_frequency_unit"])]
    assert publish(result).ok

    csv = root / "datapackages" / name / "categories.csv"
    csv.write_bytes(csv.read_bytes() + b"")  # same bytes: no upload
    assert not make_plan(load_catalog(root), target_of(local_target)).plan.has_changes
    lines = csv.read_text("utf-8").splitlines()
    csv.write_text("\n".join(lines[:-1]) + "\n", "utf-8")  # drop the last category
    result = make_plan(load_catalog(root), target_of(local_target))
    uploads = [(a.name, r.key) for a in result.plan.actions for r in a.resources if r.upload]
    assert uploads == [(name, "categories")]
    assert publish(result).ok
    pkg = sysadmin(local_target).action.package_show(id=name)
    assert len(pkg["resources"]) == 1  # replaced in place, not duplicated
    body = requests.get(pkg["resources"][0]["url"], timeout=30).content
    assert hashlib.sha256(body).hexdigest() == hashlib.sha256(csv.read_bytes()).hexdigest()
    assert pkg["resources"][0]["url"].endswith("/categories.csv")


def test_download_is_byte_identical_with_ascii_name(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx, datasets=["thai-provinces"])
    assert run(root, local_target)[1].ok
    pkg = sysadmin(local_target).action.package_show(id=f"thai-provinces-{sfx}")
    for res in pkg["resources"]:
        local = root / "datapackages" / f"thai-provinces-{sfx}" / f"{res['opencatalog_name']}.csv"
        got = requests.get(res["url"], timeout=30)
        assert got.status_code == 200
        assert got.content == local.read_bytes()
        assert res["url"].rsplit("/", 1)[1] == f"{res['opencatalog_name']}.csv"
        assert res["sha256"] == hashlib.sha256(local.read_bytes()).hexdigest()


def test_hand_made_dataset_is_not_overwritten(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    ckan = sysadmin(local_target)
    assert run(root, local_target)[1].ok  # creates the organization etc.
    ckan.action.dataset_purge(id=name)
    hand = load_catalog(root).dataset(name)
    from opencatalog.desired.mapping import dataset_fields
    fields = dataset_fields(hand, "thai-gdc")
    fields.pop("extras")  # no owner marker: made by hand
    fields["title"] = f"made by hand {sfx}"
    ckan.action.package_create(**fields)
    result, report = run(root, local_target)
    assert not report.ok
    refused = [f for f in report.errors if f.code == "publish.refused"]
    assert refused and refused[0].dataset == name
    assert ckan.action.package_show(id=name)["title"] == f"made by hand {sfx}"


def test_prune_removes_only_owned_datasets(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories", "cdd-programmes"])
    assert run(root, local_target)[1].ok
    ckan = sysadmin(local_target)
    hand_name = f"hand-made-{sfx}"
    hand = load_catalog(root).dataset(f"cdd-programmes-{sfx}")
    from opencatalog.desired.mapping import dataset_fields
    fields = dataset_fields(hand, "thai-gdc") | {"name": hand_name, "title": f"hand {sfx}"}
    fields.pop("extras")
    ckan.action.package_create(**fields)
    (root / "catalog" / "datasets" / f"cdd-programmes-{sfx}.yaml").unlink()
    result, report = run(root, local_target, prune=True)
    assert report.ok, [f.to_dict() for f in report.errors]
    deleted = {a.name for a in result.plan.actions if a.op == "delete"}
    assert f"cdd-programmes-{sfx}" in deleted
    assert hand_name not in deleted
    assert ckan.action.package_show(id=f"cdd-programmes-{sfx}")["state"] == "deleted"
    assert ckan.action.package_show(id=hand_name)["state"] == "active"


def test_portal_validation_error_points_at_yaml_line(tmp_path, local_target):
    sfx = suffix()
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    title = load_catalog(root).dataset(name).title.th
    # Someone else already has this title on the portal: GD Catalog titles are unique.
    other = load_catalog(root).dataset(name)
    from opencatalog.desired.mapping import dataset_fields
    assert run(root, local_target)[1].ok
    ckan = sysadmin(local_target)
    ckan.action.dataset_purge(id=name)
    fields = dataset_fields(other, "thai-gdc") | {"name": f"other-{sfx}"}
    ckan.action.package_create(**fields)
    result, report = run(root, local_target)
    errors = [f for f in report.errors if f.code == "portal.validation"]
    assert errors, [f.to_dict() for f in report.findings]
    assert errors[0].field == "title"
    assert errors[0].file == f"catalog/datasets/{name}.yaml"
    text = (root / errors[0].file).read_text("utf-8").splitlines()
    assert title in text[errors[0].line - 1]


def test_ckan_stopped_mid_publish_then_next_run_converges(tmp_path, local_target):
    from opencatalog.portal import start_ckan, stop_ckan

    sfx = suffix()
    root = copy_sample(tmp_path, sfx)
    stopped = threading.Event()

    def kill_after_first_dataset(message: str) -> None:
        if message.startswith("dataset ") and not stopped.is_set():
            stopped.set()
            stop_ckan(local_target.state_dir)

    try:
        result = make_plan(load_catalog(root), target_of(local_target))
        result.client = CkanClient(result.client.url, local_target.token(), retries=1,
                                   backoff=0.1)
        report = publish(result, workers=1, progress=kill_after_first_dataset)
        assert stopped.is_set()
        assert not report.ok  # the rest failed while CKAN was down
    finally:
        start_ckan(local_target.state_dir)
    second, report2 = run(root, local_target)
    assert report2.ok, [f.to_dict() for f in report2.errors]
    third, _ = run(root, local_target)
    assert not third.plan.has_changes
    ckan = sysadmin(local_target)
    for d in second.desired.datasets:
        pkg = ckan.action.package_show(id=d.name)
        keys = [r["opencatalog_name"] for r in pkg["resources"]]
        assert keys == [r.key for r in d.resources]  # none duplicated, order kept
        assert pkg["private"] is False
