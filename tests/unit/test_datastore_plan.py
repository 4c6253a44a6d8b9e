"""The DataStore step of a plan, and the call sequence of a load (against a fake client)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from opencatalog.ckan_client import ValidationError
from opencatalog.datastore import MARKER_FIELD, DatastoreError
from opencatalog.datastore.fields import table_spec
from opencatalog.datastore.load import LoadResult, load_table, marker
from opencatalog.desired.mapping import file_sha256
from opencatalog.desired.state import DesiredDatastore, DesiredResource
from opencatalog.plan.diff import datastore_step
from opencatalog.plan.model import Plan

SCHEMA = {"fields": [{"name": "code", "title": "รหัส"}, {"name": "n", "type": "integer"}],
          "primaryKey": ["code"]}


def resource(tmp_path: Path, rows: int = 3, schema: dict | None = None) -> DesiredResource:
    csv = tmp_path / "t.csv"
    csv.write_text("code,n\n" + "".join(f"C{i},{i}\n" for i in range(rows)), encoding="utf-8")
    return DesiredResource(key="t", fields={}, file=csv, sha256=file_sha256(csv),
                           datastore=DesiredDatastore(spec=table_spec(schema or SCHEMA)))


def loaded(res: DesiredResource, **extra: Any) -> dict[str, Any]:
    assert res.datastore and res.sha256
    return {"id": "r1", "datastore_active": True,
            MARKER_FIELD: marker(res.sha256, res.datastore.spec.fields_hash, LoadResult(3, "x")),
            **extra}


def test_new_resource_is_loaded(tmp_path):
    step = datastore_step(resource(tmp_path), None, public=True)
    assert step is not None and step.op == "load"
    # a resource added to a public dataset is visible at once: a many-call load hides it
    assert step.public is True
    assert datastore_step(resource(tmp_path), None, public=False).public is False


def test_unchanged_table_has_no_step(tmp_path):
    res = resource(tmp_path)
    assert datastore_step(res, loaded(res), public=True) is None


def test_changed_file_replaces_and_says_why(tmp_path):
    res = resource(tmp_path)
    have = loaded(res)
    res.sha256 = "0" * 64
    step = datastore_step(res, have, public=True)
    assert (step.op, step.reason, step.public) == ("replace", "file changed", True)


def test_changed_schema_replaces(tmp_path):
    res = resource(tmp_path)
    have = loaded(res)
    other = resource(tmp_path, schema={**SCHEMA, "fields": [{"name": "code", "title": "ใหม่"},
                                                             {"name": "n", "type": "integer"}]})
    step = datastore_step(other, have, public=False)
    assert (step.op, step.reason) == ("replace", "table schema changed")


def test_table_dropped_on_the_portal_is_loaded_again(tmp_path):
    res = resource(tmp_path)
    step = datastore_step(res, loaded(res, datastore_active=False), public=True)
    assert step.op == "load"


def test_table_loaded_by_someone_else_is_replaced(tmp_path):
    res = resource(tmp_path)
    step = datastore_step(res, {"id": "r1", "datastore_active": True}, public=True)
    assert step.op == "replace"


def test_datastore_false_drops_only_our_table(tmp_path):
    res = resource(tmp_path)
    have = loaded(res)
    res.datastore = None
    assert datastore_step(res, have, public=True).op == "delete"
    assert datastore_step(res, {"id": "r1", "datastore_active": True}, public=True) is None
    assert datastore_step(res, None, public=True) is None


def test_plan_json_round_trips_the_step(tmp_path):
    from opencatalog.plan.model import Action, ResourceAction
    step = datastore_step(resource(tmp_path), None, public=False)
    plan = Plan(target="t", url="u", profile="ckan", actions=[Action(
        kind="dataset", name="d", op="noop", resources=[ResourceAction(op="noop", key="t",
                                                                       datastore=step)])])
    data = json.loads(json.dumps(plan.to_dict()))
    assert data["has_changes"] is True and data["counts"]["datastore_loads"] == 1
    assert data["actions"][0]["resources"][0]["datastore"]["op"] == "load"
    assert Plan.signature_of(data) == plan.signature()


class FakeClient:
    def __init__(self, fail_on: str | None = None) -> None:
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.fail_on = fail_on

    def call(self, action: str, **data: Any) -> Any:
        self.calls.append((action, data))
        if action == self.fail_on:
            raise ValidationError({"fields": ['"_n" is not a valid field name']})
        return {}


def test_load_sends_batches_and_counts_records_once(tmp_path):
    res = resource(tmp_path, rows=25)
    client = FakeClient()
    hidden: list[bool] = []
    progress: list[int] = []
    result = load_table(client, "r1", res.file, res.datastore.spec, replace=True, batch_rows=10,
                        progress=progress.append, before_many_calls=lambda: hidden.append(True))
    assert [a for a, _ in client.calls] == ["datastore_delete", "datastore_create",
                                           "datastore_upsert", "datastore_upsert"]
    create = client.calls[1][1]
    assert create["primary_key"] == ["code"] and create["force"] is True
    assert create["fields"][0] == {"id": "code", "type": "text", "info": {"label": "รหัส"}}
    assert [len(d["records"]) for a, d in client.calls[1:]] == [10, 10, 5]
    assert [d["calculate_record_count"] for a, d in client.calls[1:]] == [False, False, True]
    assert all(d["method"] == "insert" for a, d in client.calls[2:])
    assert hidden == [True] and progress == [10, 20, 25]
    assert result.rows == 25


def test_one_batch_is_one_call_and_hides_nothing(tmp_path):
    res = resource(tmp_path, rows=3)
    client = FakeClient()
    hidden: list[bool] = []
    load_table(client, "r1", res.file, res.datastore.spec, before_many_calls=lambda: hidden.append(True))
    assert [a for a, _ in client.calls] == ["datastore_create"]
    assert client.calls[0][1]["calculate_record_count"] is True
    assert client.calls[0][1]["records"][0] == {"code": "C0", "n": 0}
    assert hidden == []


def test_portal_refusal_becomes_a_datastore_error(tmp_path):
    res = resource(tmp_path)
    with pytest.raises(DatastoreError, match="is not a valid field name"):
        load_table(FakeClient(fail_on="datastore_create"), "r1", res.file, res.datastore.spec)


def catalog_resource(tmp_path: Path, **overrides: Any):
    from opencatalog.model.catalog import Resource
    csv = tmp_path / "t.csv"
    csv.write_text("code,n\nA,1\n", encoding="utf-8")
    values = dict(index=0, name="t", title=None, description=None, path="t.csv", url=None,
                  schema=SCHEMA, schema_file=None, format=None, encoding="utf-8", datastore=None,
                  gdc={}, data_file=csv)
    values.update(overrides)
    return Resource(**values)


def test_default_on_for_csv_with_schema_under_the_threshold(tmp_path, monkeypatch):
    from opencatalog.datastore import decide
    from opencatalog.desired import mapping
    assert mapping._datastore(catalog_resource(tmp_path)) is not None
    assert mapping._datastore(catalog_resource(tmp_path, schema=None)) is None
    assert mapping._datastore(catalog_resource(tmp_path, datastore=False)) is None
    assert mapping._datastore(catalog_resource(tmp_path, format="PDF")) is None
    assert mapping._datastore(catalog_resource(tmp_path, format="XLSX")).workbook  # with a schema
    monkeypatch.setattr(decide, "DEFAULT_MAX_BYTES", 5)
    assert mapping._datastore(catalog_resource(tmp_path)) is None  # too big by default
    forced = mapping._datastore(catalog_resource(tmp_path, datastore=True))
    assert forced is not None


def test_explicit_true_without_a_schema_loads_nothing(tmp_path):
    """validate refuses it (resource.datastore-unloadable, test_references), so publish never
    gets here with it; the mapping still plans no table."""
    from opencatalog.desired import mapping
    assert mapping._datastore(catalog_resource(tmp_path, datastore=True, schema=None)) is None


def test_plan_render_shows_the_step_and_counts_tables():
    import io

    from opencatalog.plan.model import Action, DatastoreStep, ResourceAction
    from opencatalog.plan.render import render_plan
    plan = Plan(target="local", url="http://x", profile="thai-gdc", actions=[Action(
        kind="dataset", name="thai-provinces", op="noop", resources=[
            ResourceAction(op="update", key="provinces", upload=True, size=3567,
                           datastore=DatastoreStep("replace", "file changed", True)),
            ResourceAction(op="noop", key="regions",
                           datastore=DatastoreStep("load", "no DataStore table yet", True)),
            ResourceAction(op="noop", key="untouched")])])
    out = io.StringIO()
    render_plan(plan, out)
    text = out.getvalue()
    assert "~ resource provinces (update, upload 3.5 KB, DataStore replace: file changed)" in text
    assert "~ resource regions (update, DataStore load: no DataStore table yet)" in text
    assert "untouched" not in text
    assert "1 file(s) to upload, 2 DataStore table(s) to load" in text


class FakeDatastore:
    """datastore_search over 25 rows, as CKAN answers it (CSV records, limit echoed)."""

    def __init__(self, version: str) -> None:
        self.version = version
        self.searches: list[dict[str, Any]] = []

    def call(self, action: str, **data: Any) -> Any:
        if action == "status_show":
            return {"ckan_version": self.version}
        self.searches.append(data)
        start = data["filters"]["_id"]["gt"] if "filters" in data else data["offset"]
        ids = range(start + 1, min(start + data["limit"], 25) + 1)
        return {"limit": data["limit"],
                "fields": [{"id": "_id", "type": "int"}, {"id": "code", "type": "text",
                                                          "info": {"label": "รหัส"}},
                           {"id": "n", "type": "int8"}],
                "records": "".join(f"{i},C{i - 1},{i - 1}\n" for i in ids)}


@pytest.mark.parametrize(("version", "paging"), [("2.12.0", "filters"), ("2.10.4", "offset"),
                                                  ("2.9.11", "offset")])
def test_verification_pages_by_key_on_new_portals_by_offset_on_old(tmp_path, version, paging):
    from opencatalog.datastore.rows import RowDigest, read_batches
    from opencatalog.datastore.verify import verify_table
    res = resource(tmp_path, rows=25)
    digest = RowDigest(["text", "bigint"])
    for _ in read_batches(res.file, res.datastore.spec, digest=digest):
        pass
    client = FakeDatastore(version)
    verify_table(client, "r1", res.datastore.spec, LoadResult(25, digest.hexdigest()), page_rows=10)
    assert len(client.searches) == 3
    assert all(paging in s for s in client.searches)


def test_first_table_of_a_portal_is_created_alone(tmp_path, monkeypatch):
    """CKAN fails concurrent first datastore_create calls (its "nested" type race)."""
    import threading
    import time

    from opencatalog.datastore import load as load_module

    monkeypatch.setattr(load_module, "_warmed", set())
    res = resource(tmp_path, rows=3)
    active, overlaps = [0], []
    lock = threading.Lock()

    class SlowClient(FakeClient):
        url = "http://portal.example"

        def call(self, action: str, **data: Any) -> Any:
            with lock:
                active[0] += 1
                overlaps.append(active[0])
            time.sleep(0.05)
            with lock:
                active[0] -= 1
            return super().call(action, **data)

    def load(client) -> None:
        load_table(client, "r1", res.file, res.datastore.spec)

    first = [threading.Thread(target=load, args=(SlowClient(),)) for _ in range(3)]
    for t in first:
        t.start()
    for t in first:
        t.join()
    assert overlaps == [1, 1, 1]  # one at a time until the portal has had a table
    overlaps.clear()
    later = [threading.Thread(target=load, args=(SlowClient(),)) for _ in range(3)]
    for t in later:
        t.start()
    for t in later:
        t.join()
    assert max(overlaps) > 1  # afterwards loads run in parallel again


def test_portal_lost_mid_load_says_the_dataset_was_left_private(tmp_path, monkeypatch):
    from opencatalog.apply.datastore import apply_datastore
    from opencatalog.ckan_client import PortalUnavailable
    from opencatalog.datastore import load as load_module
    from opencatalog.desired.state import DesiredDataset
    from opencatalog.plan.model import Action, DatastoreStep, ResourceAction

    monkeypatch.setattr(load_module, "BATCH_ROWS", 10)
    res = resource(tmp_path, rows=25)

    class DyingPortal(FakeClient):
        def call(self, action: str, **data: Any) -> Any:
            self.calls.append((action, data))
            if any(a == "datastore_upsert" for a, _ in self.calls):  # down from the 2nd batch on
                raise PortalUnavailable("http://portal did not answer")
            return {}

    client = DyingPortal()
    step = ResourceAction(op="noop", key="t", resource_id="r1",
                          datastore=DatastoreStep(op="replace", reason="file changed", public=True))
    desired = DesiredDataset(name="d", fields={}, resources=[res], file="catalog/datasets/d.yaml")
    with pytest.raises(PortalUnavailable, match="'d' was left private") as err:
        apply_datastore(client, Action(kind="dataset", name="d", op="update", resources=[step]),
                        desired, "pkg-1", {}, None)
    assert "next publish" in str(err.value)
    assert ("package_patch", {"id": "pkg-1", "private": True, "retry": True}) in client.calls
    # it was not made public again: the partial table could not be dropped
    assert ("package_patch", {"id": "pkg-1", "private": False, "retry": True}) not in client.calls
