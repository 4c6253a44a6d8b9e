"""Error floods (issue 20, item 6): a date format suggested, --limit-errors, grouped views."""

from __future__ import annotations

import io

from opencatalog.report.model import Finding, Report
from opencatalog.report.render import render

from .conftest import Both, package, resource

ID = {"name": "id", "type": "integer"}
ROWS = 10_000


def _dd_mm_yyyy(year_offset: int = 0) -> str:
    lines = ["id,d"] + [f"{i},{1 + i % 28:02d}/{1 + i % 12:02d}/{2023 + year_offset}" for i in range(ROWS)]
    return "\n".join(lines) + "\n"


def test_a_10000_row_column_of_one_systematic_error_suggests_the_format(both: Both) -> None:
    both.write("t", _dd_mm_yyyy())
    found = both(package([resource("t", [ID, {"name": "d", "type": "date"}])]))
    assert len(found) == 1000  # frictionless's default limit, in both engines
    assert {(e.type, e.field_name) for e in found} == {("type-error", "d")}
    assert [e.row_number for e in found[:3]] == [2, 3, 4]
    assert {e.hint for e in found} == {
        'Every failing cell of this column is a date written "%d/%m/%Y" (e.g. "01/01/2023"): add '
        '`format: "%d/%m/%Y"` to field "d" in the table schema.'}


def test_buddhist_years_are_named_in_the_suggestion(both: Both) -> None:
    both.write("t", _dd_mm_yyyy(543))
    found = both(package([resource("t", [ID, {"name": "d", "type": "date"}])]))
    assert "`calendar: buddhist`" in (found[-1].hint or "")


def test_limit_errors_zero_reports_every_row(tmp_path) -> None:
    from opencatalog.validate.tabular import check_package

    (tmp_path / "t.csv").write_text(_dd_mm_yyyy(), encoding="utf-8")
    desc = package([resource("t", [ID, {"name": "d", "type": "date"}])])
    assert len(check_package(desc, tmp_path, engine="fast", limit_errors=0)) == ROWS
    assert len(check_package(desc, tmp_path, engine="fast", limit_errors=25)) == 25


def _flood(n: int) -> Report:
    findings = [Finding(code="data.type-error", message=f"Type error in row {r}", file="d/t.csv",
                        line=r, dataset="ds", resource="t", row=r, field="d", hint="add a format")
                for r in range(2, 2 + n)]
    findings.append(Finding(code="gdc.required", message="GD Catalog requires x", file="c.yaml",
                            line=3, dataset="ds"))
    return Report(command="validate", findings=findings, datasets=["ds"], summary={"profile": "thai-gdc"})


def test_text_view_shows_the_first_rows_then_the_rest_as_one_line() -> None:
    out = io.StringIO()
    render(_flood(1000), "text", out)
    lines = out.getvalue().splitlines()
    assert lines[1:6] == [
        "  error d/t.csv:2 (resource t, row 2, field d): Type error in row 2 [data.type-error]",
        "  error d/t.csv:3 (resource t, row 3, field d): Type error in row 3 [data.type-error]",
        "  error d/t.csv:4 (resource t, row 4, field d): Type error in row 4 [data.type-error]",
        "      fix: add a format",
        "  … and 997 more rows (rows 5–1001) [data.type-error]",
    ]
    assert lines[6].startswith("  error c.yaml:3: GD Catalog requires x")


def test_github_view_is_one_annotation_per_group() -> None:
    out = io.StringIO()
    render(_flood(1000), "github", out)
    annotations = [line for line in out.getvalue().splitlines() if line.startswith("::")]
    assert annotations == [
        "::error file=d/t.csv,line=2,title=data.type-error::Type error in row 2 (resource t, row 2, "
        "field d); and 999 more rows (rows 3–1001) like it — fix: add a format",
        "::error file=c.yaml,line=3,title=gdc.required::GD Catalog requires x",
    ]


def test_markdown_view_groups_too() -> None:
    out = io.StringIO()
    render(_flood(5), "markdown", out)
    assert "| | | … and 2 more rows (rows 5–6) | |" in out.getvalue()
    assert out.getvalue().count("Type error in row") == 3
