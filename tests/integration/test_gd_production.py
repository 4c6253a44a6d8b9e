"""A GD Catalog portal as production runs it: its schema declares no OpenCatalog field.

The portal here is started with a scheming schema written by this test straight from the
packaged reference (not by OpenCatalog's own generator): the GD fields and nothing else,
so ckanext-scheming drops every top-level key it does not know, as on a real GD portal.
It starts with the schema of an earlier OpenCatalog version (the bookkeeping declared as
fields) to publish a dataset the old way, then switches to the production schema.
"""

from __future__ import annotations

import os
import uuid
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
import yaml
from ckanapi import RemoteCKAN
from sample_copy import copy_sample, set_field

from opencatalog.bookkeeping import FINGERPRINT_KEY, OWNER_KEY, extras_of, is_owned
from opencatalog.desired.mapping import dataset_fields
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.portal import LocalPortalInfo, portal_up, purge_portal
from opencatalog.portal.procs import free_port
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration

LEGACY = ("opencatalog_managed", "opencatalog_source")
_CORE_PRESETS = {"title": {"preset": "title"}, "name": {"preset": "dataset_slug"},
                 "owner_org": {"preset": "dataset_organization"},
                 "tag_string": {"preset": "tag_string_autocomplete"},
                 "url": {"preset": "resource_url_upload"},
                 "format": {"preset": "resource_format_autocomplete"}}


def production_schema(legacy: bool = False) -> dict[str, Any]:
    """GD Catalog's field list as scheming declares it, from the reference alone."""
    ref = yaml.safe_load(files("opencatalog").joinpath("reference/gd-catalog-fields.yaml")
                         .read_text("utf-8"))

    def field(spec: dict[str, Any], resource: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"field_name": spec["name"], "label": spec.get("th", spec["name"])}
        core = _CORE_PRESETS.get(spec["name"])
        if core and (resource == (spec["name"] in ("url", "format"))):
            out.update(core)
        elif spec.get("multiple"):
            out.update({"preset": "multiple_checkbox",
                        "choices": [{"value": c, "label": c} for c in spec["choices"]]})
        elif "isodate" in spec.get("portal_checks", []):
            out["preset"] = "date"
        return out

    dataset = [field(f, False) for f in ref["dataset_fields"]]
    if legacy:  # what OpenCatalog before 0.2 generated for its own portal
        dataset += [{"field_name": name, "label": name} for name in LEGACY]
    return {"scheming_version": 2, "dataset_type": "dataset", "about": "GD Catalog (test)",
            "about_url": "https://gdcatalog.go.th/",
            "dataset_fields": dataset,
            "resource_fields": [field(f, True) for f in ref["resource_fields"]]}


class GdPortal:
    def __init__(self, state_dir: Path, schemas: dict[str, Path]) -> None:
        self.state_dir, self.schemas = state_dir, schemas
        self.info: LocalPortalInfo | None = None

    def use(self, schema: str) -> LocalPortalInfo:
        """(Re)start the portal with the 'legacy' or the 'production' schema."""
        port = int(self.info.url.rsplit(":", 1)[1]) if self.info else free_port()
        self.info = portal_up(state_dir=self.state_dir, port=port,
                              schema=str(self.schemas[schema]), echo=lambda m: print(f"[gd] {m}"),
                              ckan=os.environ.get("OPENCATALOG_TEST_CKAN_VERSION") or None)
        return self.info


@pytest.fixture(scope="module")
def gd(tmp_path_factory: pytest.TempPathFactory, portal: LocalPortalInfo):
    if os.environ.get("OPENCATALOG_TEST_CKAN_URL"):
        pytest.skip("needs portals started by the tests")
    del portal  # started first: it builds the shared CKAN venv
    base = tmp_path_factory.mktemp("gd-production")
    schemas = {}
    for kind in ("legacy", "production"):
        schemas[kind] = base / f"{kind}.yaml"
        schemas[kind].write_text(yaml.safe_dump(production_schema(kind == "legacy"),
                                                allow_unicode=True, sort_keys=False), "utf-8")
    state = base / "state"
    portal = GdPortal(state, schemas)
    portal.use("legacy")
    yield portal
    purge_portal(state)


def target(info: LocalPortalInfo) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=info.url, token=info.token(), profile="thai-gdc")


def api(info: LocalPortalInfo) -> RemoteCKAN:
    return RemoteCKAN(info.url, apikey=info.token())


def plan_and_publish(root: Path, info: LocalPortalInfo, **kwargs: Any):
    result = make_plan(load_catalog(root), target(info), **kwargs)
    return result, publish(result)


def test_dataset_of_an_earlier_version_is_owned_and_migrated(gd: GdPortal, tmp_path: Path) -> None:
    """Published before 0.2 (bookkeeping as top-level fields of the portal's old schema),
    migrated by the next publish; then the portal moves to the production schema."""
    info = gd.use("legacy")
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories", "cdd-programmes"])
    old, moved = f"otop-product-categories-{sfx}", f"cdd-programmes-{sfx}"
    assert plan_and_publish(root, info, only=[moved])[1].ok  # the organization and groups
    ckan = api(info)
    ckan.action.dataset_purge(id=moved)
    for name in (old, moved):  # what 0.1 sent: the marker and fingerprint at the top level
        fields = dataset_fields(load_catalog(root).dataset(name), "thai-gdc")
        fields.pop("extras")
        ckan.action.package_create(**fields, opencatalog_managed="opencatalog",
                                   opencatalog_source="0" * 32)
    assert ckan.action.package_show(id=old)["opencatalog_managed"] == "opencatalog"

    result = make_plan(load_catalog(root), target(info), only=[old])
    [action] = result.plan.actions[-1:]
    assert action.op == "update" and not action.drift
    assert {c.field for c in action.changes} >= set(LEGACY)
    assert publish(result).ok
    pkg = ckan.action.package_show(id=old)
    assert not any(pkg.get(key) for key in LEGACY)
    assert extras_of(pkg)[OWNER_KEY] == "opencatalog" and extras_of(pkg)[FINGERPRINT_KEY]
    assert not make_plan(load_catalog(root), target(info), only=[old]).plan.has_changes

    # The portal is upgraded to a schema without those fields: the stored values now show
    # as extras. Still owned, and migrated by the next publish.
    info = gd.use("production")
    pkg = ckan.action.package_show(id=moved)
    assert set(LEGACY) <= set(extras_of(pkg)) and is_owned(pkg)
    result, report = plan_and_publish(root, info, only=[moved])
    assert report.ok, [f.to_dict() for f in report.errors]
    assert not set(LEGACY) & set(extras_of(ckan.action.package_show(id=moved)))
    assert not make_plan(load_catalog(root), target(info)).plan.has_changes


def test_sample_catalog_keeps_working_after_the_first_publish(gd: GdPortal, tmp_path: Path,
                                                              invoke, monkeypatch) -> None:
    info = gd.use("production")
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx)
    first, report = plan_and_publish(root, info)
    assert report.ok, [f.to_dict() for f in report.errors]
    ckan = api(info)
    names = [d.name for d in first.desired.datasets]
    for name in names:
        pkg = ckan.action.package_show(id=name)
        assert is_owned(pkg) and extras_of(pkg)[FINGERPRINT_KEY], name
        assert not set(pkg) & {"opencatalog_owner", "opencatalog_fingerprint", *LEGACY}
    for run in range(2, 11):  # the second ... tenth publish: no write, empty plan
        again, report = plan_and_publish(root, info)
        assert report.ok and not again.plan.has_changes, run
        assert again.client.writes == 0, (run, dict(again.client.calls))

    monkeypatch.setenv("OPENCATALOG_PORTAL_STATE_DIR", str(gd.state_dir))
    cli = invoke("plan", "--root", root, "--detailed-exitcode")
    assert cli.exit_code == 0, cli.stdout + cli.stderr
    checked = invoke("validate", "--root", root, "--target", "local", "--no-data",
                     "--format", "json")
    assert checked.exit_code == 0, checked.stdout + checked.stderr
    assert checked.report["summary"]["live_schema"] == info.url  # the live schema was read

    # an edit by hand on the portal is drift: shown, then overwritten by publish
    edited = names[0]
    ckan.action.package_patch(id=edited, data_source="แก้บนพอร์ทัล")
    result = make_plan(load_catalog(root), target(info))
    [action] = [a for a in result.plan.actions if a.name == edited]
    assert action.drift and [(c.field, c.drift) for c in action.changes] == [("data_source", True)]
    assert invoke("plan", "--root", root, "--detailed-exitcode").exit_code == 2
    assert publish(result).ok
    assert ckan.action.package_show(id=edited)["data_source"] != "แก้บนพอร์ทัล"

    # a dataset made by hand is refused, then adopted
    adopted = names[1]
    fields = dataset_fields(load_catalog(root).dataset(adopted), "thai-gdc")
    ckan.action.dataset_purge(id=adopted)
    fields.pop("extras")
    ckan.action.package_create(**fields)
    result = make_plan(load_catalog(root), target(info))
    assert [a.op for a in result.plan.actions if a.name == adopted] == ["refuse"]
    assert invoke("plan", "--root", root, "--detailed-exitcode").exit_code == 1
    result, report = plan_and_publish(root, info, adopt=[adopted])
    assert report.ok, [f.to_dict() for f in report.errors]
    assert is_owned(ckan.action.package_show(id=adopted))
    assert not make_plan(load_catalog(root), target(info)).plan.has_changes

    # --prune deletes an owned dataset that left the catalog, and nothing else
    pruned = names[2]
    (root / "catalog" / "datasets" / f"{pruned}.yaml").unlink()
    result, report = plan_and_publish(root, info, prune=True)
    assert report.ok
    # (owned datasets of the same organization from the test before are pruned as well)
    assert [a.name for a in result.plan.actions if a.op == "delete" and sfx in a.name] == [pruned]
    assert ckan.action.package_show(id=pruned)["state"] == "deleted"
    set_field(root, names[3], ["gdc", "data_source"], "กรมการพัฒนาชุมชน")
    result, report = plan_and_publish(root, info)
    assert [a.name for a in result.plan.actions if a.changes_anything] == [names[3]]
