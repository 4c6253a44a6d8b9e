"""`--limit-errors` on validate (and plan/publish), and the note when it cut the findings."""

from __future__ import annotations

from catalog_builder import DATA_DIR

FUNDS = "fund_id,province_code,amount\n" + "".join(f"{i},10,x{i}\n" for i in range(1, 31))


def test_limit_errors_and_the_stopped_early_note(make_catalog, invoke) -> None:
    root = make_catalog({f"{DATA_DIR}/funds.csv": FUNDS})
    run = invoke("validate", "--root", root, "--format", "json", "--limit-errors", "10")
    codes = [f["code"] for f in run.report["findings"]]
    assert codes.count("data.type-error") == 10
    [note] = [f for f in run.report["findings"] if f["code"] == "data.limit-reached"]
    assert (note["severity"], note["file"], note["resource"]) == ("info", f"{DATA_DIR}/funds.csv", "funds")
    assert note["message"] == ("checking stopped after the first 10 findings in this file "
                               "(--limit-errors 10): later rows may have more")
    every = invoke("validate", "--root", root, "--format", "json", "--limit-errors", "0")
    codes = [f["code"] for f in every.report["findings"]]
    assert codes.count("data.type-error") == 30 and "data.limit-reached" not in codes


def test_the_terminal_shows_a_flood_as_one_group(make_catalog, invoke) -> None:
    root = make_catalog({f"{DATA_DIR}/funds.csv": FUNDS})
    run = invoke("validate", "--root", root)
    assert run.stdout.count("[data.type-error]") == 4  # three rows, then the rest on one line
    assert "… and 27 more rows (rows 5–31) [data.type-error]" in run.stdout
    assert run.stdout.count("fix: Fix the value") == 1


def test_plan_and_publish_take_the_option(invoke) -> None:
    for command in ("plan", "publish"):
        assert "--limit-errors N" in invoke(command, "--help").stdout
