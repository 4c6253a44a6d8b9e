"""A ministry's catalog with two departments: a token that is editor of one organization only
publishes that organization's datasets; the other's are refused with a finding that names the
organization, and nothing of it is written."""

from __future__ import annotations

import shutil
import uuid

import pytest
from ckanapi import NotFound, RemoteCKAN

from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.scaffold import Answers, example_name, init_catalog
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration


def two_departments(root, dept_a: str, dept_b: str) -> None:
    """init's catalog for dept_a (with its example dataset), plus dept_b and a dataset of it."""
    init_catalog(root, Answers(organization=dept_a, title_th=f"กรมทดสอบ ก {dept_a}",
                               title_en=f"Test Department A {dept_a}", url="https://data.example.go.th",
                               contact_email="data@example.go.th", example=True))
    (root / f"catalog/organizations/{dept_b}.yaml").write_text(
        f"name: {dept_b}\ntitle: {{th: กรมทดสอบ ข {dept_b}, en: Test Department B {dept_b}}}\n", "utf-8")
    a_name, b_name = example_name(dept_a), example_name(dept_b)
    text = (root / f"catalog/datasets/{a_name}.yaml").read_text("utf-8")  # name, organization, title
    (root / f"catalog/datasets/{b_name}.yaml").write_text(text.replace(dept_a, dept_b), "utf-8")
    shutil.copytree(root / f"datapackages/{a_name}", root / f"datapackages/{b_name}")


def target(portal, token: str) -> ResolvedTarget:
    return ResolvedTarget(name="local", url=portal.url, token=token, profile=portal.profile)


def test_editor_of_one_organization_publishes_its_datasets_only(tmp_path, portal):
    sfx = uuid.uuid4().hex[:6]
    dept_a, dept_b = f"dept-a-{sfx}", f"dept-b-{sfx}"
    root = tmp_path / "ministry"
    two_departments(root, dept_a, dept_b)
    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    # a sysadmin creates both organizations, without their datasets
    admin_catalog = load_catalog(root)
    for dataset in list(admin_catalog.datasets):
        admin_catalog.datasets.remove(dataset)
    assert publish(make_plan(admin_catalog, target(portal, portal.token()))).ok
    assert {ckan.action.organization_show(id=d)["name"] for d in (dept_a, dept_b)} == {dept_a, dept_b}

    user = f"steward-{sfx}"
    ckan.action.user_create(name=user, email=f"{user}@example.org", password=uuid.uuid4().hex)
    ckan.action.organization_member_create(id=dept_a, username=user, role="editor")
    token = ckan.action.api_token_create(user=user, name="test")["token"]

    result = make_plan(load_catalog(root), target(portal, token))
    ops = {a.name: a.op for a in result.plan.actions}
    assert ops[example_name(dept_a)] == "create" and ops[example_name(dept_b)] == "refuse"
    report = publish(result)
    assert not report.ok
    [finding] = report.errors
    assert finding.dataset == example_name(dept_b) and finding.code == "publish.refused"
    assert f"organization '{dept_b}'" in finding.message
    assert f"/organization/members/{dept_b}" in (finding.hint or "")
    assert token not in str(report.to_dict())
    created = {f.dataset for f in report.findings if f.code == "publish.created"}
    assert created == {example_name(dept_a)}
    assert ckan.action.package_show(id=example_name(dept_a))["organization"]["name"] == dept_a
    with pytest.raises(NotFound):
        ckan.action.package_show(id=example_name(dept_b))

    # the editor's next plan: nothing to do in its organization, the other still refused
    again = make_plan(load_catalog(root), target(portal, token))
    assert not again.plan.has_changes
    assert [a.name for a in again.plan.refused] == [example_name(dept_b)]
    # --only by organization: the editor's own department alone is a clean, empty run
    only = make_plan(load_catalog(root), target(portal, token), only=[dept_a])
    assert {a.name for a in only.plan.actions} == {dept_a, example_name(dept_a)}
    assert not only.plan.has_changes and not only.plan.refused
    assert publish(only).ok
