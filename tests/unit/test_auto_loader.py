"""A portal that reloads uploads into the DataStore by itself gets a note before publish: the
md5 `hash` sent with each upload keeps its loader off OpenCatalog's tables."""

from __future__ import annotations

from pathlib import Path

from opencatalog.datastore.fields import table_spec
from opencatalog.desired.state import DesiredDataset, DesiredDatastore, DesiredResource, DesiredState
from opencatalog.publishing import auto_loader_warning


def desired(tmp_path: Path, datastore: bool) -> DesiredState:
    csv = tmp_path / "t.csv"
    csv.write_text("a\n1\n", encoding="utf-8")
    resource = DesiredResource(key="t", fields={}, file=csv, sha256="x", datastore=DesiredDatastore(
        spec=table_spec({"fields": [{"name": "a", "type": "integer"}]})) if datastore else None)
    return DesiredState(profile="ckan", organizations=[], groups=[], datasets=[
        DesiredDataset(name="d", fields={}, resources=[resource], file="catalog/datasets/d.yaml")])


def test_xloader_on_the_portal_is_a_note_when_we_load_tables(tmp_path: Path) -> None:
    status = {"ckan_version": "2.11.1", "extensions": ["datastore", "xloader", "scheming_datasets"]}
    note = auto_loader_warning(status, desired(tmp_path, True), "https://data.example.go.th")
    assert note is not None and note.severity == "info"
    assert note.code == "portal.auto-datastore"
    assert "runs xloader" in note.message and "skips the 1 file(s)" in note.message
    assert "docs/datastore.md" in (note.hint or "")


def test_no_warning_without_a_loader_or_without_tables(tmp_path: Path) -> None:
    plain = {"extensions": ["datastore", "datatables_view"]}
    assert auto_loader_warning(plain, desired(tmp_path, True), "u") is None
    assert auto_loader_warning({"extensions": ["datapusher"]}, desired(tmp_path, False), "u") is None
    assert auto_loader_warning({}, desired(tmp_path, True), "u") is None
