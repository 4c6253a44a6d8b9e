"""Publishing to a portal that runs ckanext-xloader and its jobs worker, as GD portals do.

What happens without care (seen on this portal): xloader queues a load for every uploaded CSV,
drops OpenCatalog's table and loads the file again with every column as `text` (the data
dictionary's labels survive), while the resource keeps OpenCatalog's load marker, so the next
plan saw nothing. Now each upload carries the file's md5 as `hash`, which xloader compares
before loading; and a table reloaded anyway is found by the plan and replaced.
"""

from __future__ import annotations

import time
import uuid

import pytest
from sample_copy import copy_sample
from test_datastore import resource, run, sysadmin, target_of

from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish

pytestmark = pytest.mark.integration

DATASET = "cdd-performance-2566"
TYPED = {"fiscal_year": "int4", "value": "numeric", "more_than": "bool"}


def wait_for_xloader(portal, resource_id: str, since: str = "", timeout: float = 90) -> dict:
    """xloader's task for the resource once the jobs worker finished it (newer than `since`)."""
    api = sysadmin(portal)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            status = api.action.xloader_status(resource_id=resource_id)
        except Exception:  # noqa: BLE001 - no task yet
            status = {}
        if status.get("status") in ("complete", "error") and status.get("last_updated", "") > since:
            return status
        time.sleep(0.5)
    raise AssertionError(f"xloader did not finish resource {resource_id} in {timeout:.0f}s")


def columns(portal, resource_id: str) -> dict[str, tuple[str, str | None]]:
    fields = sysadmin(portal).action.datastore_search(resource_id=resource_id, limit=0)["fields"]
    return {f["id"]: (f["type"], (f.get("info") or {}).get("label")) for f in fields}


def test_xloader_skips_our_tables_and_a_forced_reload_is_planned_as_a_replace(tmp_path,
                                                                             xloader_portal):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[DATASET])
    name = f"{DATASET}-{sfx}"
    result, report = run(root, xloader_portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert [f.code for f in result.validation.findings if f.code == "portal.auto-datastore"]
    res = resource(xloader_portal, name, "indicators-2566")

    # the worker ran xloader's automatic job for the upload, which skipped the file
    task = wait_for_xloader(xloader_portal, res["id"])
    assert task["status"] == "complete"
    logs = " ".join(entry.get("message", "") for entry in (task.get("task_info") or {}).get("logs")
                    or [])
    assert "the file hash hasn't changed" in logs
    got = columns(xloader_portal, res["id"])
    assert {k: got[k][0] for k in TYPED} == TYPED
    assert got["fiscal_year"][1] == "ปีงบประมาณ (พ.ศ.)"  # the Thai data dictionary
    assert not make_plan(load_catalog(root), target_of(xloader_portal)).plan.has_changes

    # a reload forced by hand (the resource page's "Upload to DataStore") makes every column text
    sysadmin(xloader_portal).action.xloader_submit(resource_id=res["id"], ignore_hash=True)
    wait_for_xloader(xloader_portal, res["id"], since=task["last_updated"])
    assert {columns(xloader_portal, res["id"])[k][0] for k in TYPED} == {"text"}
    plan = make_plan(load_catalog(root), target_of(xloader_portal)).plan
    [step] = [r.datastore for a in plan.actions for r in a.resources if r.datastore]
    assert step.op == "replace" and "table changed on the portal" in step.reason
    assert "fiscal_year is text" in step.reason

    # publishing puts the typed table back, verified; then the plan is empty again
    _, report = run(root, xloader_portal)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert {k: columns(xloader_portal, res["id"])[k][0] for k in TYPED} == TYPED
    assert not make_plan(load_catalog(root), target_of(xloader_portal)).plan.has_changes


def test_fast_lane_hands_the_load_to_xloader_with_our_types_then_verifies(tmp_path,
                                                                         xloader_portal,
                                                                         monkeypatch):
    import opencatalog.current.tables as tables

    monkeypatch.setattr(tables, "XLOADER_LANE_MIN_BYTES", 0)  # the sample files are small
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=[DATASET])
    name = f"{DATASET}-{sfx}"
    messages: list[str] = []
    result = make_plan(load_catalog(root), target_of(xloader_portal))
    [step] = [r.datastore for a in result.plan.actions for r in a.resources if r.datastore]
    assert step.lane == "xloader"
    report = publish(result, progress=messages.append)
    assert report.ok, [f.to_dict() for f in report.errors]
    assert any("loaded by xloader (22 rows)" in m for m in messages), messages
    res = resource(xloader_portal, name, "indicators-2566")
    task = sysadmin(xloader_portal).action.xloader_status(resource_id=res["id"])
    logs = " ".join(e.get("message", "") for e in (task.get("task_info") or {}).get("logs") or [])
    assert task["status"] == "complete" and "hash hasn't changed" not in logs
    got = columns(xloader_portal, res["id"])
    assert {k: got[k][0] for k in TYPED} == TYPED and got["fiscal_year"][1] == "ปีงบประมาณ (พ.ศ.)"
    assert not make_plan(load_catalog(root), target_of(xloader_portal)).plan.has_changes

    # the type overrides make a reload forced by hand keep the typed table
    sysadmin(xloader_portal).action.xloader_submit(resource_id=res["id"], ignore_hash=True)
    wait_for_xloader(xloader_portal, res["id"], since=task["last_updated"])
    assert {k: columns(xloader_portal, res["id"])[k][0] for k in TYPED} == TYPED
    assert not make_plan(load_catalog(root), target_of(xloader_portal)).plan.has_changes
