"""A token without rights on the organization: refused in the plan (the portal is asked which
organizations the user may publish in), a clear finding, nothing written."""

from __future__ import annotations

import uuid

import pytest
from ckanapi import RemoteCKAN
from sample_copy import copy_sample, set_field

from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
from opencatalog.targets import ResolvedTarget

pytestmark = pytest.mark.integration


def test_user_without_role_gets_org_and_role_named(tmp_path, portal):
    sfx = uuid.uuid4().hex[:6]
    root = copy_sample(tmp_path, sfx, datasets=["otop-product-categories"])
    name = f"otop-product-categories-{sfx}"
    admin = ResolvedTarget(name="local", url=portal.url, token=portal.token(), profile=portal.profile)
    assert publish(make_plan(load_catalog(root), admin)).ok

    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    user = f"steward-{sfx}"
    ckan.action.user_create(name=user, email=f"{user}@example.org", password=uuid.uuid4().hex)
    token = ckan.action.api_token_create(user=user, name="test")["token"]
    visitor = ResolvedTarget(name="local", url=portal.url, token=token, profile=portal.profile)

    set_field(root, name, ["gdc", "update_frequency_unit"], "เดือน")
    result = make_plan(load_catalog(root), visitor)
    assert [a.name for a in result.plan.refused] == [name]
    report = publish(result)
    assert not report.ok and result.client.writes == 0
    [finding] = report.errors
    assert finding.code == "publish.refused"
    assert finding.dataset == name and "organization 'cdd'" in finding.message
    assert "organization 'cdd'" in (finding.hint or "") and "editor or admin" in finding.hint
    assert token not in str(report.to_dict())
    # the refused change did not land
    assert ckan.action.package_show(id=name)["update_frequency_unit"] != "เดือน"
