"""A portal that reloads uploads into the DataStore by itself gets a warning before publish."""

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


def test_xloader_on_the_portal_is_a_warning_when_we_load_tables(tmp_path: Path) -> None:
    status = {"ckan_version": "2.11.1", "extensions": ["datastore", "xloader", "scheming_datasets"]}
    warning = auto_loader_warning(status, desired(tmp_path, True), "https://data.example.go.th")
    assert warning is not None and warning.severity == "warning"
    assert warning.code == "portal.auto-datastore"
    assert "runs xloader" in warning.message and "1 resource(s)" in warning.message
    assert "datastore: false" in (warning.hint or "")


def test_no_warning_without_a_loader_or_without_tables(tmp_path: Path) -> None:
    plain = {"extensions": ["datastore", "datatables_view"]}
    assert auto_loader_warning(plain, desired(tmp_path, True), "u") is None
    assert auto_loader_warning({"extensions": ["datapusher"]}, desired(tmp_path, False), "u") is None
    assert auto_loader_warning({}, desired(tmp_path, True), "u") is None
