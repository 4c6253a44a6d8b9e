"""`opencatalog validate` and the personal-data (PDPA) gate: exit codes, exceptions, masking."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import pdpa_corpus
from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML, replace_once

CSV, IDS, PHONES = pdpa_corpus.members_csv()
MEMBERS = {DATASET_FILE: DATASET_YAML + pdpa_corpus.MEMBERS_RESOURCE,
           f"{DATA_DIR}/members.csv": CSV, f"{DATA_DIR}/members.schema.yaml": pdpa_corpus.MEMBERS_SCHEMA}
EXCEPTION = """\
pdpa:
  exceptions:
    - resource: members
      column: office_phone
      kinds: [phone]
      reason: เบอร์โทรศัพท์สำนักงานพัฒนาชุมชนอำเภอ เผยแพร่บนเว็บไซต์กรมอยู่แล้ว
      decided_by: เจ้าหน้าที่คุ้มครองข้อมูลส่วนบุคคล (DPO) กรมการพัฒนาชุมชน, 2566-10-01
"""


def _yaml(*, extra: str = "", private: bool = False, category: str | None = None) -> str:
    text = DATASET_YAML + pdpa_corpus.MEMBERS_RESOURCE + extra
    if private:
        text = text.replace("license: Open Data Common\n", "license: Open Data Common\nprivate: true\n", 1)
    if category:
        text = replace_once(text, "data_category: ข้อมูลสาธารณะ", f"data_category: {category}")
    return text


def _clean() -> dict[str, str]:
    """The members file with a fund code instead of the citizen ID (the phones stay)."""
    lines = CSV.splitlines()
    rows = [line.split(",") for line in lines[1:]]
    csv = "\n".join(["member_no,fund_code,office_phone,amount"]
                    + [",".join([r[0], f"F-{int(r[0]):04d}", *r[2:]]) for r in rows]) + "\n"
    schema = pdpa_corpus.MEMBERS_SCHEMA.replace("{name: citizen_id, type: string, title: เลขประจำตัวประชาชน}",
                                                "{name: fund_code, type: string, title: รหัสกองทุน}")
    return {f"{DATA_DIR}/members.csv": csv, f"{DATA_DIR}/members.schema.yaml": schema}


def _pdpa(run) -> list[dict]:
    return [f for f in run.report["findings"] if f["code"].startswith("pdpa.")]


def test_a_citizen_id_column_makes_the_dataset_invalid(make_catalog, invoke) -> None:
    run = invoke("validate", "--root", make_catalog(MEMBERS), "--format", "json", "--no-cache")
    assert run.exit_code == 1
    found = {(f["field"], f["severity"]) for f in _pdpa(run)}
    assert found == {("citizen_id", "error"), ("office_phone", "error")}
    ids = next(f for f in _pdpa(run) if f["field"] == "citizen_id")
    assert ids["file"] == f"{DATA_DIR}/members.csv" and ids["row"] == 2 and ids["line"] == 2
    assert "40 of 40" in ids["message"] and "-XXXX-XXXXX-XX-" in ids["message"]


@pytest.mark.parametrize("fmt", ["text", "json", "github", "markdown"])
def test_no_output_format_shows_a_whole_id_or_phone(make_catalog, invoke, fmt: str) -> None:
    # a type error quotes the cell: the citizen-ID column typed as an integer, one ID dashed
    schema = pdpa_corpus.MEMBERS_SCHEMA.replace("{name: citizen_id, type: string",
                                                "{name: citizen_id, type: integer")
    dashed = CSV.replace(IDS[3], pdpa_corpus.dashed(IDS[3]))
    root = make_catalog({**MEMBERS, f"{DATA_DIR}/members.schema.yaml": schema,
                         f"{DATA_DIR}/members.csv": dashed})
    run = invoke("validate", "--root", root, "--format", fmt, "--no-cache")
    assert run.exit_code == 1
    output = run.stdout + run.stderr
    assert "holds Thai citizen ID numbers" in output and "Type error" in output
    for value in IDS + [pdpa_corpus.dashed(i) for i in IDS] + PHONES:
        assert value not in output, value
    assert "-XXXX-XXXXX-XX-" in output and "XXX-XX" in output


def test_a_declared_exception_passes_and_is_reported(make_catalog, invoke) -> None:
    root = make_catalog({**MEMBERS, DATASET_FILE: _yaml(extra=EXCEPTION), **_clean()})
    run = invoke("validate", "--root", root, "--format", "json", "--no-cache")
    assert run.exit_code == 0, _pdpa(run)
    [note] = _pdpa(run)
    assert note["code"] == "pdpa.exception" and note["severity"] == "info"
    assert note["file"] == DATASET_FILE and note["line"] == DATASET_YAML.count("\n") + 7
    assert "office_phone" in note["message"] and "DPO" in note["message"]
    markdown = invoke("validate", "--root", root, "--format", "markdown").stdout
    assert "ℹ️" in markdown and "declared exception" in markdown  # the PR summary shows it


def test_an_exception_that_matches_nothing_is_a_warning(make_catalog, invoke) -> None:
    stale = EXCEPTION.replace("column: office_phone", "column: telephone")
    root = make_catalog({**MEMBERS, DATASET_FILE: _yaml(extra=stale), **_clean()})
    run = invoke("validate", "--root", root, "--format", "json", "--no-cache")
    codes = sorted((f["code"], f["severity"]) for f in _pdpa(run))
    assert codes == [("pdpa.exception-unused", "warning"), ("pdpa.personal-data", "error")]


def test_a_column_named_like_a_citizen_id_is_flagged_even_when_empty(make_catalog, invoke) -> None:
    clean = {**MEMBERS, DATASET_FILE: _yaml(extra=EXCEPTION), **_clean()}
    assert invoke("validate", "--root", make_catalog(clean), "--no-cache").exit_code == 0
    csv = clean[f"{DATA_DIR}/members.csv"]
    empty = "\n".join(line.rsplit(",", 1)[0] + "," for line in csv.splitlines()) + "\n"
    empty = empty.replace("office_phone,", "office_phone,เลขบัตรประชาชน", 1)
    schema = clean[f"{DATA_DIR}/members.schema.yaml"].replace(
        "{name: amount, type: integer, title: เงินออม (บาท)}", "{name: เลขบัตรประชาชน, type: string}")
    run = invoke("validate", "--root", make_catalog({**clean, f"{DATA_DIR}/members.csv": empty,
                                                     f"{DATA_DIR}/members.schema.yaml": schema}),
                 "--format", "json", "--no-cache")
    assert run.exit_code == 1
    [error] = [f for f in _pdpa(run) if f["severity"] == "error"]
    assert error["field"] == "เลขบัตรประชาชน" and "is named like" in error["message"]


@pytest.mark.parametrize("category", ["ข้อมูลส่วนบุคคล", "ข้อมูลความลับทางราชการ"])
def test_a_category_that_is_not_public_is_refused_unless_private(make_catalog, invoke,
                                                               category: str) -> None:
    clean = {**_clean(), DATASET_FILE: _yaml(extra=EXCEPTION, category=category)}
    run = invoke("validate", "--root", make_catalog({**MEMBERS, **clean}), "--format", "json")
    assert run.exit_code == 1
    assert [f["code"] for f in _pdpa(run) if f["severity"] == "error"] == ["pdpa.data-category"]
    private = {DATASET_FILE: _yaml(category=category, private=True)}
    run = invoke("validate", "--root", make_catalog({**MEMBERS, **private}), "--format", "json")
    assert run.exit_code == 0
    notes = _pdpa(run)
    assert {f["severity"] for f in notes} == {"info"} and len(notes) == 2
    assert all("private" in f["message"] for f in notes)


def test_a_secret_classification_is_refused(make_catalog, invoke) -> None:
    text = replace_once(_yaml(extra=EXCEPTION), "data_classification: เปิดเผย", "data_classification: ลับ")
    run = invoke("validate", "--root", make_catalog({**MEMBERS, DATASET_FILE: text, **_clean()}),
                 "--format", "json")
    assert [f["code"] for f in run.report["findings"] if f["severity"] == "error"] == [
        "pdpa.data-classification"]


def test_both_engines_find_the_same_and_the_cache_keeps_it_masked(make_catalog, invoke) -> None:
    root = make_catalog(MEMBERS)
    fast = invoke("validate", "--root", root, "--format", "json", "--no-cache")
    reference = invoke("validate", "--root", root, "--format", "json", "--no-cache",
                       "--engine", "frictionless")
    assert _pdpa(fast) == _pdpa(reference)
    first = invoke("validate", "--root", root, "--format", "json")
    second = invoke("validate", "--root", root, "--format", "json")
    assert second.report["summary"]["cache"]["hits"] == ["village-funds"]
    assert _pdpa(first) == _pdpa(second) == _pdpa(fast)
    cached = "".join(p.read_text("utf-8") for p in (Path(root) / ".opencatalog/cache").rglob("*.json"))
    assert "pdpa.personal-data" in cached and not any(i in cached for i in IDS)


def test_the_schema_lists_the_kinds_of_the_rules() -> None:
    from opencatalog.schemas.build import shipped
    from opencatalog.validate.personal_data.rules import KIND

    exception = shipped("dataset")["properties"]["pdpa"]["properties"]["exceptions"]["items"]
    assert exception["properties"]["kinds"]["items"]["enum"] == list(KIND)


def test_an_unknown_key_in_the_pdpa_block_is_a_schema_error(make_catalog, invoke) -> None:
    text = _yaml(extra=EXCEPTION.replace("decided_by:", "approved_by:"))
    run = invoke("validate", "--root", make_catalog({**MEMBERS, DATASET_FILE: text}), "--format", "json",
                 "--no-data")
    assert run.exit_code == 1
    assert {f["code"] for f in run.report["findings"]} >= {"schema.unknown-key"}
    assert json.dumps(run.report, ensure_ascii=False).count("approved_by") >= 1


def test_a_spreadsheet_whose_rows_are_not_read_is_said_to_be_unscanned(make_catalog, invoke) -> None:
    workbook = {DATASET_FILE: DATASET_YAML + "  - name: sheet\n    path: sheet.xlsx\n",
                f"{DATA_DIR}/sheet.xlsx": b"PK\x03\x04" + bytes(100)}
    run = invoke("validate", "--root", make_catalog(workbook), "--format", "json", "--no-cache")
    assert run.exit_code == 0
    [warning] = _pdpa(run)
    assert (warning["code"], warning["severity"], warning["resource"]) == (
        "pdpa.not-scanned", "warning", "sheet")


def test_a_file_the_fast_path_leaves_is_scanned_too(make_catalog, invoke) -> None:
    """A quoted cell that spans lines sends the file to frictionless; polars scans it."""
    lines = CSV.splitlines()
    lines[3] = lines[3].rsplit(",", 1)[0] + ',"1\n2"'  # amount cell over two lines (a type error)
    run = invoke("validate", "--root", make_catalog({**MEMBERS, f"{DATA_DIR}/members.csv": "\n".join(lines)}),
                 "--format", "json", "--no-cache")
    found = {f["field"]: f for f in _pdpa(run)}
    assert set(found) == {"citizen_id", "office_phone"}
    assert "40 of 40" in found["citizen_id"]["message"] and found["citizen_id"]["row"] == 2


def test_a_table_that_cannot_be_scanned_fails_closed(make_catalog, invoke, monkeypatch) -> None:
    from opencatalog.validate.personal_data import gate
    from opencatalog.validate.personal_data.files import NotScanned

    def broken(entry, basepath):
        raise NotScanned("a reader failed")

    monkeypatch.setattr(gate, "scan_file", broken)
    run = invoke("validate", "--root", make_catalog(), "--format", "json", "--no-cache",
                 "--engine", "frictionless")
    assert run.exit_code == 1
    assert {(f["code"], f["severity"]) for f in _pdpa(run)} == {("pdpa.not-scanned", "error")}


def test_a_workbook_is_scanned_too(make_catalog, invoke, tmp_path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    book.active.append(["member_no", "citizen_id", "office_phone", "amount"])
    for line in CSV.splitlines()[1:]:
        no, pid, phone, amount = line.split(",")
        book.active.append([int(no), pid, phone, int(amount)])
    book.save(tmp_path / "members.xlsx")
    files = {**MEMBERS, DATASET_FILE: _yaml().replace("path: members.csv", "path: members.xlsx"),
             f"{DATA_DIR}/members.xlsx": (tmp_path / "members.xlsx").read_bytes()}
    run = invoke("validate", "--root", make_catalog(files), "--format", "json", "--no-cache")
    assert run.exit_code == 1
    found = {f["field"]: f for f in _pdpa(run)}
    assert set(found) == {"citizen_id", "office_phone"} and "40 of 40" in found["citizen_id"]["message"]
    assert found["citizen_id"]["file"] == f"{DATA_DIR}/members.xlsx"
    assert not any(value in run.stdout for value in IDS + PHONES)
