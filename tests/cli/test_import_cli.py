"""`opencatalog import` usage errors (no portal), and how the plan shows resources made by hand."""

from __future__ import annotations

import io
from pathlib import Path

from click.testing import CliRunner

from catalog_builder import write_catalog
from opencatalog.commands.main import cli
from opencatalog.plan.model import Action, Plan, ResourceAction
from opencatalog.plan.render import render_plan


def run(*args: str):
    return CliRunner().invoke(cli, ["import", *args], obj={})


def test_import_needs_exactly_one_selection(tmp_path: Path) -> None:
    root = write_catalog(tmp_path)
    for args in ([], ["a", "--all"], ["--all", "--organization", "x"]):
        result = run("--root", str(root), *args)
        assert result.exit_code == 2 and "name the datasets" in result.output, args


def test_import_outside_a_catalog_without_url_is_a_usage_error(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "--all")
    assert result.exit_code == 2 and "--url URL" in result.output


def test_import_refuses_plain_http_to_a_remote_portal(tmp_path: Path) -> None:
    result = run("--root", str(tmp_path), "--url", "http://data.example.go.th", "--all")
    assert result.exit_code == 2 and "plain http:// is refused" in result.output
    assert "Traceback" not in result.output


def test_the_plan_shows_a_resource_added_on_the_portal_as_kept() -> None:
    plan = Plan(target="t", url="u", profile="thai-gdc", actions=[Action(
        kind="dataset", name="funds", op="noop", resources=[
            ResourceAction(op="noop", key="funds"),
            ResourceAction(op="keep", key="ไฟล์เพิ่มเติม", resource_id="r-9", by_hand=True)])])
    out = io.StringIO()
    render_plan(plan, out)
    assert "? resource 'ไฟล์เพิ่มเติม' (id r-9) is on the portal but not in the catalog: kept" in \
        out.getvalue()
    assert not plan.has_changes and "No changes" in out.getvalue()
