"""The plan is a pure diff: desired state vs. a portal's package dicts (no portal here)."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from opencatalog.bookkeeping import OWNER_KEY, OWNER_VALUE, with_bookkeeping
from opencatalog.current.read import CurrentState
from opencatalog.desired.mapping import file_sha256
from opencatalog.desired.state import DesiredDataset, DesiredResource, DesiredState
from opencatalog.plan.compare import comparable_desired, fingerprint, managed_keys
from opencatalog.plan.diff import build_plan, dataset_action


@pytest.fixture()
def desired(tmp_path: Path) -> DesiredDataset:
    data = tmp_path / "p.csv"
    data.write_text("code,name\n10,กรุงเทพมหานคร\n", encoding="utf-8")
    return DesiredDataset(
        name="provinces",
        fields={"name": "provinces", "title": "จังหวัด", "notes": "รายชื่อจังหวัด", "owner_org": "cdd",
                "private": False, "tags": [{"name": "จังหวัด"}], "groups": [{"name": "ref"}],
                "data_type": "ข้อมูลระเบียน", "objective": ["พันธกิจหน่วยงาน"],
                "update_frequency_interval": "1", "extras": with_bookkeeping([], None)},
        resources=[DesiredResource(key="provinces", fields={"opencatalog_name": "provinces",
                                                           "name": "จังหวัด", "format": "CSV"},
                                   file=data, sha256=file_sha256(data), upload_name="provinces.csv")],
        file="catalog/datasets/provinces.yaml",
    )


def portal_copy(desired: DesiredDataset) -> dict:
    """What CKAN hands back after publishing `desired`: other clothes, same content."""
    f = desired.fields
    keys = managed_keys(f, "thai-gdc")
    pkg = {
        "id": "pkg-1", "state": "active", "name": f["name"], "title": f["title"],
        "notes": f["notes"] + "\n", "organization": {"name": "cdd", "id": "org-1"},
        "owner_org": "org-1", "private": False,
        "tags": [{"name": "จังหวัด", "id": "t1", "display_name": "จังหวัด"}],
        "groups": [{"name": "ref", "id": "g1", "title": "Ref"}],
        "data_type": f["data_type"], "objective": ["พันธกิจหน่วยงาน"],
        "update_frequency_interval": 1,  # numbers may come back as numbers
        # a foreign extra (added by hand) is neither compared nor removed
        "extras": [{"key": "note_by_hand", "value": "x"},
                   *with_bookkeeping([], fingerprint(comparable_desired(f, keys, "thai-gdc")))],
        "resources": [{"id": "res-1", "opencatalog_name": "provinces", "name": "จังหวัด",
                       "format": "CSV", "sha256": desired.resources[0].sha256,
                       "url": "http://127.0.0.1/dataset/x/resource/res-1/download/provinces.csv"}],
    }
    return pkg


def test_absent_dataset_is_created_with_its_upload(desired):
    action = dataset_action(desired, None, "thai-gdc")
    assert action.op == "create"
    assert [(r.op, r.key, r.upload) for r in action.resources] == [("create", "provinces", True)]


def test_published_copy_is_a_noop(desired):
    action = dataset_action(desired, portal_copy(desired), "thai-gdc")
    assert action.op == "noop", action.changes
    assert not action.changes_anything


def test_one_changed_field_gives_a_one_field_plan(desired):
    current = portal_copy(desired)
    changed = copy.deepcopy(desired)
    changed.fields["title"] = "จังหวัดของประเทศไทย"
    action = dataset_action(changed, current, "thai-gdc")
    assert action.op == "update"
    assert [(c.field, c.old, c.new) for c in action.changes] == [
        ("title", "จังหวัด", "จังหวัดของประเทศไทย")]
    assert not action.drift
    assert all(r.op == "noop" for r in action.resources)


def test_changed_file_gives_one_upload(desired):
    current = portal_copy(desired)
    desired.resources[0].file.write_text("code,name\n10,กรุงเทพฯ\n", encoding="utf-8")
    desired.resources[0].sha256 = file_sha256(desired.resources[0].file)
    action = dataset_action(desired, current, "thai-gdc")
    assert [(r.op, r.upload) for r in action.resources] == [("update", True)]
    assert action.op == "noop" and action.changes_anything


def test_portal_edit_is_reported_as_drift(desired):
    current = portal_copy(desired)
    current["title"] = "edited on the portal"
    action = dataset_action(desired, current, "thai-gdc")
    assert action.drift
    assert [(c.field, c.drift) for c in action.changes] == [("title", True)]


def test_hand_made_dataset_is_refused_unless_adopted(desired):
    current = portal_copy(desired)
    current["extras"] = [e for e in current["extras"] if e["key"] != OWNER_KEY]
    assert dataset_action(desired, current, "thai-gdc").op == "refuse"
    adopted = dataset_action(desired, current, "thai-gdc", adopt=True)
    assert adopted.op == "update"
    assert (f"extras.{OWNER_KEY}", None, OWNER_VALUE) in [
        (c.field, c.old, c.new) for c in adopted.changes]


def test_name_in_trash_is_refused_and_purged_only_when_owned_and_asked(desired):
    current = portal_copy(desired) | {"state": "deleted"}
    refused = dataset_action(desired, current, "thai-gdc")
    assert refused.op == "refuse" and "trash" in refused.reason
    assert dataset_action(desired, current, "thai-gdc", purge_trash=True).op == "purge-and-create"
    current["extras"] = []
    assert dataset_action(desired, current, "thai-gdc", purge_trash=True).op == "refuse"


def test_unfinished_publish_is_completed(desired):
    current = portal_copy(desired) | {"extras": with_bookkeeping([], None), "private": True}
    action = dataset_action(desired, current, "thai-gdc")
    assert action.op == "update"
    assert [c.field for c in action.changes] == ["private"]


def test_resource_removed_from_catalog_is_deleted_but_hand_added_ones_stay(desired):
    current = portal_copy(desired)
    current["resources"] += [{"id": "res-2", "opencatalog_name": "old", "name": "old"},
                             {"id": "res-3", "name": "added by hand"}]
    action = dataset_action(desired, current, "thai-gdc")
    assert [(r.op, r.key, r.by_hand) for r in action.resources] == [
        ("noop", "provinces", False), ("delete", "old", False), ("keep", "added by hand", True)]
    assert not action.resources[2].changes_anything  # shown in the plan, not a change
    pruned = dataset_action(desired, current, "thai-gdc", prune=True)
    assert [(r.op, r.resource_id) for r in pruned.resources][2] == ("delete", "res-3")


def _made_by_hand(desired: DesiredDataset, **resource: object) -> dict:
    """`desired`'s dataset as someone made it in the web form: no bookkeeping at all."""
    current = portal_copy(desired)
    current["extras"] = [{"key": "note_by_hand", "value": "x"}]
    current["resources"] = [{"id": "res-9", "name": "จังหวัด", "format": "CSV",
                             "url_type": "upload", "url": "http://127.0.0.1/x.csv", **resource},
                            {"id": "res-10", "name": "ลิงก์", "url": "https://a.example/x.html"}]
    desired.resources[0].portal_id = "res-9"
    return current


def test_adopting_a_hand_made_dataset_matches_its_resources_by_id_and_writes_bookkeeping_only(
        desired):
    from opencatalog.current.unrecorded import PORTAL_FILE_SHA256

    current = _made_by_hand(desired, **{PORTAL_FILE_SHA256: desired.resources[0].sha256})
    assert dataset_action(desired, current, "thai-gdc").op == "refuse"  # not without --adopt
    action = dataset_action(desired, current, "thai-gdc", adopt=True)
    assert [c.field for c in action.changes] == [f"extras.{OWNER_KEY}"]
    res = action.resources
    assert [(r.op, r.key, r.resource_id, r.upload) for r in res] == [
        ("update", "provinces", "res-9", False), ("keep", "ลิงก์", "res-10", False)]
    assert [(c.field, c.old) for c in res[0].changes] == [("opencatalog_name", ""),
                                                          ("sha256", None)]


def test_a_hand_made_upload_that_differs_from_the_file_is_uploaded(desired):
    from opencatalog.current.unrecorded import PORTAL_FILE_SHA256

    current = _made_by_hand(desired, **{PORTAL_FILE_SHA256: "0" * 64})
    action = dataset_action(desired, current, "thai-gdc", adopt=True)
    assert action.resources[0].upload and action.resources[0].op == "update"


def test_a_hand_made_datastore_table_is_adopted_not_replaced(desired):
    from opencatalog.current.unrecorded import PORTAL_FILE_SHA256
    from opencatalog.datastore.fields import table_spec
    from opencatalog.desired.state import DesiredDatastore

    desired.resources[0].datastore = DesiredDatastore(spec=table_spec(
        {"fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}]}))
    current = _made_by_hand(desired, datastore_active=True,
                            **{PORTAL_FILE_SHA256: desired.resources[0].sha256})
    step = dataset_action(desired, current, "thai-gdc", adopt=True).resources[0].datastore
    assert step is not None and step.op == "adopt"


def test_gdc_field_removed_from_yaml_is_cleared(desired):
    current = portal_copy(desired) | {"geo_coverage": "ประเทศ"}
    action = dataset_action(desired, current, "thai-gdc")
    assert [(c.field, c.new) for c in action.changes] == [("geo_coverage", "")]


def test_prune_deletes_only_owned_datasets_missing_from_catalog(desired):
    state = DesiredState(profile="thai-gdc", organizations=[], groups=[], datasets=[desired])
    current = CurrentState(datasets={"provinces": portal_copy(desired)},
                           owned_elsewhere=[{"id": "x", "name": "gone", "state": "active",
                                             "extras": with_bookkeeping([], "f")}])
    plan = build_plan(state, current, target="t", url="u", prune=True)
    assert [(a.name, a.op) for a in plan.actions] == [("provinces", "noop"), ("gone", "delete")]
    no_prune = build_plan(state, current, target="t", url="u")
    assert not no_prune.has_changes


def test_plain_ckan_extras_change_is_shown_per_key(desired):
    """On plain CKAN the GD fields are extras: a change names the extra, not the whole list."""
    plain = copy.deepcopy(desired)
    gd = {"data_type": plain.fields.pop("data_type"), "objective": plain.fields.pop("objective")}
    plain.fields.pop("update_frequency_interval")
    plain.fields["extras"] = with_bookkeeping(
        [{"key": k, "value": str(v)} for k, v in sorted(gd.items())], None)
    keys = managed_keys(plain.fields, "ckan")
    current = portal_copy(desired)
    for field in ("data_type", "objective", "update_frequency_interval"):
        current.pop(field)
    current["extras"] = with_bookkeeping(
        [*plain.fields["extras"], {"key": "note_by_hand", "value": "x"}],
        fingerprint(comparable_desired(plain.fields, keys, "ckan")))
    assert dataset_action(plain, current, "ckan").op == "noop"

    changed = copy.deepcopy(plain)
    next(e for e in changed.fields["extras"] if e["key"] == "data_type")["value"] = "ข้อมูลสถิติ"
    action = dataset_action(changed, current, "ckan")
    assert [(c.field, c.old, c.new) for c in action.changes] == [
        ("extras.data_type", "ข้อมูลระเบียน", "ข้อมูลสถิติ")]


def test_top_level_marker_of_an_earlier_version_is_owned_and_moved_to_extras(desired):
    """Before 0.2 the marker and fingerprint were top-level fields: still ours, migrated."""
    current = portal_copy(desired)
    current["extras"] = [{"key": "note_by_hand", "value": "x"}]
    current |= {"opencatalog_managed": "opencatalog", "opencatalog_source": "0123abcd"}
    action = dataset_action(desired, current, "thai-gdc")
    assert action.op == "update" and not action.drift
    assert [(c.field, c.old, c.new) for c in action.changes] == [
        ("opencatalog_managed", "opencatalog", None), ("opencatalog_source", "0123abcd", None)]


def test_plain_ckan_marker_of_an_earlier_version_in_extras_is_owned(desired):
    current = portal_copy(desired)
    current["extras"] = [{"key": "opencatalog_managed", "value": "opencatalog"}]
    action = dataset_action(desired, current, "ckan")
    assert action.op == "update"
    assert ("opencatalog_managed", "opencatalog", None) in [
        (c.field, c.old, c.new) for c in action.changes]
