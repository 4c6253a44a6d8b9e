"""A data finding names the line a person opens, even after a quoted cell spanning lines."""

from __future__ import annotations

from pathlib import Path

from catalog_builder import DATA_DIR
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate
from opencatalog.validate.tabular.lines import row_lines

PROVINCES = 'code,name_th\n10,กรุงเทพมหานคร\n50,"เชียง\nใหม่"\n90,สงขลา\n'


def test_row_lines_follow_quoted_newlines(tmp_path: Path) -> None:
    path = tmp_path / "p.csv"
    path.write_text(PROVINCES + "x\n\n96,นราธิวาส\n", encoding="utf-8")
    # records: 1 header, 2 Bangkok, 3 Chiang Mai (lines 3-4), 4 Songkhla, 5 x, 6 blank, 7
    assert row_lines(path, {1, 2, 3, 4, 5, 6, 7}) == {1: 1, 2: 2, 3: 3, 4: 5, 5: 6, 6: 7, 7: 8}
    assert row_lines(path, set()) == {}


def test_finding_after_a_multiline_cell_points_at_its_line(make_catalog) -> None:
    # Chiang Mai's name spans two lines, so the duplicate code (row 5) is on line 6
    root = make_catalog({f"{DATA_DIR}/provinces.csv": PROVINCES + "90,ซ้ำ\n"})
    report = validate(load_catalog(root))
    [finding] = [f for f in report.errors if f.code.startswith("data.")]
    assert finding.code == "data.primary-key"
    assert finding.row == 5  # as frictionless counts records (header = 1)
    assert finding.file == f"{DATA_DIR}/provinces.csv" and finding.line == 6
    lines = (root / DATA_DIR / "provinces.csv").read_text("utf-8").splitlines()
    assert lines[finding.line - 1] == "90,ซ้ำ"


def test_without_multiline_cells_row_and_line_agree(make_catalog) -> None:
    funds = 'fund_id,province_code,amount\n1,10,1000000\n2,"50",250000\n3,90,ไม่ทราบ\n'
    root = make_catalog({f"{DATA_DIR}/funds.csv": funds})
    [finding] = [f for f in validate(load_catalog(root)).errors if f.code.startswith("data.")]
    assert finding.row == finding.line == 4


def test_unreadable_referenced_file_is_blamed_alone_and_rows_still_checked(make_catalog) -> None:
    provinces = "code,name_th\n10,กรุงเทพมหานคร\n50,เชียงใหม่\n90,สงขลา\n".encode("cp874")
    funds = "fund_id,province_code,amount\n1,10,1000000\n2,50,ไม่ทราบ\n"
    root = make_catalog({f"{DATA_DIR}/provinces.csv": provinces, f"{DATA_DIR}/funds.csv": funds})
    report = validate(load_catalog(root))
    found = {(f.file.rsplit("/", 1)[-1], f.code, f.row)
             for f in report.errors if f.code.startswith("data.")}
    assert found == {("provinces.csv", "data.encoding-error", 2),  # the first line that is not UTF-8
                     ("funds.csv", "data.type-error", 3)}, found
    [warning] = report.warnings
    assert warning.code == "data.foreign-key-unchecked" and warning.resource == "funds"
    assert "'provinces' could not be read as UTF-8" in warning.message
