"""opencatalog.report.render: one report, four views."""

from __future__ import annotations

import io
import json

import pytest

from opencatalog.report import FORMATS, Finding, Report, render

ENUM = Finding(code="schema.enum", message="gdc.geo_coverage: 'x' is not one of the allowed values",
               file="catalog/datasets/village-funds.yaml", line=17, column=17,
               dataset="village-funds", hint="did you mean 'จังหวัด'?")
DATA = Finding(code="data.type-error", message='Type error in the cell "สองแสน"',
               file="datapackages/village-funds/funds.csv", line=3, dataset="village-funds",
               resource="funds", row=3, field="amount", hint="fix the value")
TRICKY = Finding(code="x.escape", message="50% done\nsecond line | with pipe",
                 file="catalog/a,b:c.yaml", line=2, column=1, severity="warning",
                 rule="GD Catalog portal rule: tags", hint="100% sure")
CATALOG_LEVEL = Finding(code="reference.organization", message="default organization missing",
                        file="catalog/catalog.yaml", line=3, column=17, severity="info")
NOWHERE = Finding(code="x.nowhere", message="no file at all")


def report(*findings: Finding) -> Report:
    return Report(command="validate", findings=list(findings), datasets=["village-funds"],
                  summary={"profile": "thai-gdc"})


def rendered(rep: Report, fmt: str) -> str:
    out = io.StringIO()
    render(rep, fmt, out)
    return out.getvalue()


def test_formats() -> None:
    assert FORMATS == ("text", "json", "github", "markdown")


# --- github -----------------------------------------------------------------------------------


def test_github_error_annotation() -> None:
    lines = rendered(report(ENUM), "github").splitlines()
    assert lines[0] == (
        "::error file=catalog/datasets/village-funds.yaml,line=17,col=17,title=schema.enum::"
        "gdc.geo_coverage: 'x' is not one of the allowed values — fix: did you mean 'จังหวัด'?")
    assert lines[1].startswith("1 dataset(s) checked (thai-gdc): INVALID — 1 error(s)")
    assert len(lines) == 2


def test_github_escapes_percent_newlines_and_property_separators() -> None:
    [line, _] = rendered(report(TRICKY), "github").splitlines()
    assert line.startswith("::warning file=catalog/a%2Cb%3Ac.yaml,line=2,col=1,title=x.escape::")
    message = line.split("::", 2)[2]
    assert message == ("50%25 done%0Asecond line | with pipe [GD Catalog portal rule: tags]"
                       " — fix: 100%25 sure")


def test_github_escapes_carriage_returns() -> None:
    crlf = Finding(code="x.crlf", message="cell \"a\r\nb\"", file="f.csv", line=1)
    line = rendered(report(crlf), "github").splitlines()[0]
    assert line.endswith('::cell "a%0D%0Ab"')


def test_github_data_finding_names_resource_row_and_field() -> None:
    line = rendered(report(DATA), "github").splitlines()[0]
    assert line.startswith("::error file=datapackages/village-funds/funds.csv,line=3,title=data.type-error::")
    assert "col=" not in line
    assert "(resource funds, row 3, field amount)" in line


def test_github_info_is_a_notice_and_missing_file_has_no_file_property() -> None:
    lines = rendered(report(CATALOG_LEVEL, NOWHERE), "github").splitlines()
    assert lines[0].startswith("::notice file=catalog/catalog.yaml,line=3,col=17,")
    assert lines[1] == "::error title=x.nowhere::no file at all"


def test_github_valid_report_has_only_the_headline() -> None:
    assert rendered(report(), "github") == \
        "1 dataset(s) checked (thai-gdc): valid — 0 error(s), 0 warning(s)\n"


# --- markdown ---------------------------------------------------------------------------------


def _rows(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.startswith("| ") and not line.startswith("| |")]


def test_markdown_has_a_table_row_per_finding() -> None:
    text = rendered(report(ENUM, DATA, TRICKY, CATALOG_LEVEL), "markdown")
    assert text.startswith("## ❌ OpenCatalog validate\n")
    rows = _rows(text)
    assert len(rows) == 4
    assert rows[0] == ("| ❌ | `catalog/datasets/village-funds.yaml:17:17` | gdc.geo_coverage: 'x' is "
                       "not one of the allowed values | did you mean 'จังหวัด'? |")
    assert "(resource funds, row 3, field amount)" in rows[1]
    assert "### village-funds" in text and "### (catalog)" in text


def test_markdown_escapes_pipes_and_newlines() -> None:
    [row] = _rows(rendered(report(TRICKY), "markdown"))
    assert row.startswith("| ⚠️ |")
    assert "second line \\| with pipe" in row
    assert "*GD Catalog portal rule: tags*" in row
    assert row.count(" | ") == 3  # four cells, no stray separators


def test_markdown_row_survives_a_carriage_return() -> None:
    crlf = Finding(code="x.crlf", message="cell \"a\r\nb\" and \"c\rd\"", file="f.csv", line=1)
    text = rendered(report(crlf), "markdown")
    assert "\r" not in text
    assert len(_rows(text)) == 1


def test_markdown_valid_report() -> None:
    text = rendered(report(), "markdown")
    assert text.startswith("## ✅ OpenCatalog validate")
    assert _rows(text) == []


# --- json -------------------------------------------------------------------------------------


def test_json_parses_and_has_valid() -> None:
    data = json.loads(rendered(report(ENUM, TRICKY), "json"))
    assert data["valid"] is False
    assert (data["errors"], data["warnings"]) == (1, 1)
    assert data["command"] == "validate"
    assert data["datasets"] == ["village-funds"]
    assert data["summary"] == {"profile": "thai-gdc"}
    assert data["findings"][0] == {
        "code": "schema.enum", "message": ENUM.message, "severity": "error",
        "file": "catalog/datasets/village-funds.yaml", "line": 17, "column": 17,
        "dataset": "village-funds", "hint": "did you mean 'จังหวัด'?"}  # no null keys


def test_json_of_a_report_with_only_warnings_is_valid() -> None:
    data = json.loads(rendered(report(TRICKY), "json"))
    assert data["valid"] is True
    assert (data["errors"], data["warnings"]) == (0, 1)
    assert data["findings"][0]["message"] == TRICKY.message  # newlines survive as JSON escapes


def test_json_keeps_thai_readable() -> None:
    text = rendered(report(ENUM), "json")
    assert "จังหวัด" in text
    assert text.endswith("}\n")


# --- text -------------------------------------------------------------------------------------


def test_text_without_colour() -> None:
    text = rendered(report(ENUM, DATA), "text")
    assert "\x1b[" not in text  # StringIO is not a terminal
    assert "error catalog/datasets/village-funds.yaml:17:17: gdc.geo_coverage" in text
    assert "[schema.enum]" in text
    assert "fix: did you mean 'จังหวัด'?" in text
    assert "datapackages/village-funds/funds.csv:3 (resource funds, row 3, field amount)" in text
    assert text.rstrip().endswith("INVALID — 2 error(s), 0 warning(s)")


def test_text_does_not_interpret_markup_in_messages() -> None:
    odd = Finding(code="x.markup", message="value [bold]x[/bold] and [red]", file="f.yaml", line=1)
    text = rendered(report(odd), "text")
    assert "[bold]x[/bold] and [red]" in text


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_names_every_finding_location(fmt: str) -> None:
    text = rendered(report(ENUM, DATA), fmt)
    assert "village-funds.yaml" in text and "funds.csv" in text


def test_location() -> None:
    assert ENUM.location == "catalog/datasets/village-funds.yaml:17:17"
    assert DATA.location == "datapackages/village-funds/funds.csv:3"
    assert NOWHERE.location == ""
