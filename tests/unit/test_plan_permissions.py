"""Several organizations in one catalog: the plan refuses what the token's user may not do in one
organization and keeps the rest; `--only` selects by organization (no portal here)."""

from __future__ import annotations

import pytest

from opencatalog.current.read import CurrentState
from opencatalog.desired.state import DesiredDataset, DesiredOwner, DesiredState
from opencatalog.errors import OpenCatalogError
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.plan.diff import build_plan
from opencatalog.publishing import select_datasets

URL = "http://127.0.0.1:5000"


def desired_state() -> DesiredState:
    def org(name: str) -> DesiredOwner:
        return DesiredOwner("organization", name, {"name": name, "title": name.upper()},
                            f"catalog/organizations/{name}.yaml")

    def dataset(name: str, owner: str) -> DesiredDataset:
        return DesiredDataset(name=name, fields={"name": name, "title": name, "owner_org": owner},
                              resources=[], file=f"catalog/datasets/{name}.yaml")

    return DesiredState(profile="thai-gdc", organizations=[org("dept-a"), org("dept-b")],
                        groups=[], datasets=[dataset("a-data", "dept-a"), dataset("b-data", "dept-b")])


def portal_orgs(*names: str) -> dict:
    return {n: {"id": f"id-{n}", "name": n, "title": n.upper()} for n in names}


def ops(plan) -> dict[str, str]:
    return {a.name: a.op for a in plan.actions}


def test_datasets_of_an_organization_the_user_may_not_edit_are_refused():
    current = CurrentState(organizations=portal_orgs("dept-a", "dept-b"),
                           datasets={"a-data": None, "b-data": None},
                           dataset_organizations={"dept-a"}, admin_organizations=set())
    plan = build_plan(desired_state(), current, target="local", url=URL)
    assert ops(plan) == {"dept-a": "noop", "dept-b": "noop", "a-data": "create", "b-data": "refuse"}
    refused = plan.refused[0]
    assert "organization 'dept-b'" in refused.reason and "other organizations" in refused.reason
    assert f"{URL}/organization/members/dept-b" in refused.hint and "editor" in refused.hint
    assert plan.has_changes  # a-data is still created


def test_without_a_token_nothing_is_known_and_nothing_refused():
    current = CurrentState(organizations=portal_orgs("dept-a", "dept-b"),
                           datasets={"a-data": None, "b-data": None})
    plan = build_plan(desired_state(), current, target="local", url=URL)
    assert ops(plan)["b-data"] == "create"


def test_an_organization_this_run_creates_is_not_checked():
    # a sysadmin's list holds only organizations that exist; the new one is theirs to fill
    current = CurrentState(organizations={**portal_orgs("dept-a"), "dept-b": None},
                           datasets={"a-data": None, "b-data": None},
                           dataset_organizations={"dept-a"}, admin_organizations={"dept-a"})
    plan = build_plan(desired_state(), current, target="local", url=URL)
    assert ops(plan) == {"dept-a": "noop", "dept-b": "create", "a-data": "create", "b-data": "create"}


def test_an_editor_cannot_change_the_organization_but_still_publishes_its_datasets():
    orgs = portal_orgs("dept-a", "dept-b")
    orgs["dept-a"]["title"] = "renamed on the portal"
    current = CurrentState(organizations=orgs, datasets={"a-data": None, "b-data": None},
                           dataset_organizations={"dept-a", "dept-b"}, admin_organizations=set())
    plan = build_plan(desired_state(), current, target="local", url=URL)
    assert ops(plan) == {"dept-a": "refuse", "dept-b": "noop", "a-data": "create", "b-data": "create"}
    assert "not its admin" in plan.refused[0].reason


def test_only_selects_datasets_and_organizations(make_catalog):
    catalog = load_catalog(make_catalog())
    assert select_datasets(catalog, ["test-org"]) == {"village-funds"}
    assert select_datasets(catalog, ["village-funds"]) == {"village-funds"}
    with pytest.raises(OpenCatalogError, match="no dataset nor organization of the catalog: nope"):
        select_datasets(catalog, ["nope", "test-org"])
