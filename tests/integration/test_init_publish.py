"""From nothing to a published catalog with the tool as an agency installs it: the wheel in a
fresh virtualenv, `opencatalog init --example` in a folder outside this repository, then
`publish --target local` to the session's real CKAN, and a plan that is empty afterwards."""

from __future__ import annotations

import os

import pytest
from ckanapi import RemoteCKAN

pytestmark = pytest.mark.integration


def test_init_example_publishes_and_plans_empty(installed_tool, portal, uniq, tmp_path):
    if os.environ.get("OPENCATALOG_TEST_CKAN_URL"):
        pytest.skip("`--target local` needs the portal the tests start (its state dir)")
    org = f"agency-{uniq}"
    answers = ["--organization", org, "--title-th", f"สำนักงานทดสอบ {uniq}",
               "--title-en", f"Test Office {uniq}", "--url", "https://data.example.go.th",
               "--contact-email", "data@example.go.th", "--example"]
    env = {"OPENCATALOG_PORTAL_STATE_DIR": str(portal.state_dir)}
    done = installed_tool.run("init", "catalog-repo", *answers, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    root = tmp_path / "catalog-repo"

    done = installed_tool.run("publish", "--target", "local", cwd=root, **env)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"organization {org} (create)" in done.stdout
    assert f"dataset {org}-about (create)" in done.stdout

    ckan = RemoteCKAN(portal.url, apikey=portal.token())
    pkg = ckan.action.package_show(id=f"{org}-about")
    assert pkg["organization"]["name"] == org and not pkg["private"]
    assert pkg["maintainer_email"] == "data@example.go.th"  # catalog.yaml defaults.contact
    assert [r["opencatalog_name"] for r in pkg["resources"]] == ["agency"]

    done = installed_tool.run("plan", "--target", "local", "--detailed-exitcode", cwd=root, **env)
    assert done.returncode == 0, done.stdout + done.stderr  # 0: nothing to change
