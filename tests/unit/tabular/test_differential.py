"""Differential test: the fast path and frictionless must agree exactly.

Seeded random tables mix every supported error kind with edge cases (Thai
text and digits, empty strings, leading-zero codes, negative numbers, "1.0"
in integer columns, padding whitespace, impossible dates).
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from opencatalog.validate.tabular import check_package
from opencatalog.validate.tabular.engine import run_fast
from opencatalog.validate.tabular.reference import open_package

INTS = ["1", "01", "-5", "0", "1.0", " 7", "+3", "๑๒", "1_000", "abc", "", "5 ", "99999999999999999999", "5 "]
NUMS = ["1.5", "-0.25", "100", "100.0", "100.00001", "1e2", "NaN", "inf", ".5", "5.", "x", "", " 2.5"]
DATES = ["2023-02-28", "2023-02-30", "2024-02-29", "2023-1-5", "0000-01-01", "", "2023-13-01", "x"]
YEARS = ["2023", "0999", "-123", "+123", "12345", "", " 999"]
BOOLS = ["true", "False", "1", "0", "yes", "", "TRUE"]
CODES = ["01", "10", "1", "abc", "", "๐๑", "99"]
NAMES = ["บ้านหนองบัว", "ก", "", " ", "นา", "x" * 12, "โคกสูง ใหม่"]

FIELDS = [
    {"name": "id", "type": "integer"},
    {
        "name": "code",
        "type": "string",
        "constraints": {"required": True, "pattern": "[0-9]{2}", "enum": ["01", "10", "1", "99"]},
    },
    {"name": "name", "type": "string", "constraints": {"minLength": 1, "maxLength": 10}},
    {
        "name": "n",
        "type": "integer",
        "constraints": {"minimum": 0, "maximum": 100, "enum": [0, 1, 5, 7, 100]},
    },
    {"name": "x", "type": "number", "constraints": {"minimum": -1, "maximum": 100}},
    {"name": "d", "type": "date", "constraints": {"minimum": "2023-01-01"}},
    {"name": "y", "type": "year", "constraints": {"maximum": 2024}},
    {"name": "b", "type": "boolean", "constraints": {"required": True}},
    {"name": "u", "type": "string", "constraints": {"unique": True}},
]


def _table(rng: random.Random, rows: int) -> str:
    lines = [",".join(f["name"] for f in FIELDS)]
    for i in range(rows):
        cells = [
            rng.choice([str(i), str(i), rng.choice(INTS[:-2])]),
            rng.choice(CODES),
            rng.choice(NAMES),
            rng.choice(INTS),
            rng.choice(NUMS),
            rng.choice(DATES),
            rng.choice(YEARS),
            rng.choice(BOOLS),
            rng.choice([f"u{i}", f"u{rng.randrange(rows)}", ""]),
        ]
        shape = rng.random()
        if shape < 0.03:
            cells = cells[: rng.randrange(len(cells))]  # missing cells (or blank)
        elif shape < 0.06:
            cells += ["extra"] * rng.randint(1, 2)
        elif shape < 0.08:
            cells = [""] * len(cells)
        lines.append(",".join(cells))
    return "\n".join(lines) + "\n"


def _descriptor(with_fk: bool) -> dict:
    villages = {
        "name": "villages",
        "path": "villages.csv",
        "format": "csv",
        "schema": {"fields": FIELDS, "primaryKey": ["id"]},
    }
    if with_fk:
        villages["schema"]["foreignKeys"] = [
            {"fields": ["code"], "reference": {"resource": "codes", "fields": ["code"]}},
            {"fields": ["u"], "reference": {"resource": "", "fields": ["u"]}},
        ]
    codes = {
        "name": "codes",
        "path": "codes.csv",
        "format": "csv",
        "schema": {
            "fields": [{"name": "code", "type": "string"}, {"name": "label", "type": "string"}],
            "primaryKey": ["code"],
        },
    }
    return {"name": "diff", "resources": [codes, villages]}


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("limit", [1000, 25])
def test_engines_agree(tmp_path: Path, seed: int, limit: int) -> None:
    rng = random.Random(seed)
    (tmp_path / "villages.csv").write_text(_table(rng, rng.randint(5, 400)), encoding="utf-8")
    (tmp_path / "codes.csv").write_text("code,label\n01,หนึ่ง\n10,สิบ\n99,x\n01,dup\n", encoding="utf-8")
    desc = _descriptor(with_fk=seed % 2 == 0)
    # the fast path must really run (otherwise this test compares frictionless to itself)
    assert "villages" in run_fast(open_package(desc, tmp_path), set(), limit)
    fast = check_package(desc, tmp_path, engine="fast", limit_errors=limit)
    ref = check_package(desc, tmp_path, engine="frictionless", limit_errors=limit)
    assert [e.key for e in fast] == [e.key for e in ref]
    assert [e.message for e in fast] == [e.message for e in ref]
    assert len(ref) > 0


# How the file is saved, and the encoding the resource declares (issue 20: Excel's "CSV UTF-8"
# with its byte order mark, and TIS-620 / Windows-874 files declared as such).
SAVED = {
    "utf-8 with BOM (Excel's CSV UTF-8)": ("utf-8-sig", None),
    "utf-8 with BOM, declared utf-8-sig": ("utf-8-sig", "utf-8-sig"),
    "cp874, declared cp874": ("cp874", "cp874"),
    "tis-620, declared tis-620": ("cp874", "tis-620"),
}


@pytest.mark.parametrize("saved", SAVED)
@pytest.mark.parametrize("seed", range(4))
def test_engines_agree_on_bom_and_declared_thai_encodings(tmp_path: Path, seed: int, saved: str) -> None:
    codec, declared = SAVED[saved]
    rng = random.Random(seed)
    (tmp_path / "villages.csv").write_bytes(_table(rng, rng.randint(5, 400)).encode(codec))
    (tmp_path / "codes.csv").write_bytes("code,label\n01,หนึ่ง\n10,สิบ\n99,x\n01,dup\n".encode(codec))
    desc = _descriptor(with_fk=seed % 2 == 0)
    for res in desc["resources"]:
        if declared:
            res["encoding"] = declared
    assert "villages" in run_fast(open_package(desc, tmp_path), set(), 1000)
    fast = check_package(desc, tmp_path, engine="fast")
    ref = check_package(desc, tmp_path, engine="frictionless")
    assert [e.key for e in fast] == [e.key for e in ref]
    assert [e.message for e in fast] == [e.message for e in ref]
    assert len(ref) > 0 and all(e.type != "encoding-error" for e in ref)


XLSX_FIELDS = [
    {"name": "id", "type": "integer", "constraints": {"required": True, "minimum": 0}},
    {"name": "name", "type": "string", "constraints": {"maxLength": 10}},
    {"name": "x", "type": "number", "constraints": {"maximum": 100}},
    {"name": "d", "type": "date"},
]


def _xlsx_cell(rng: random.Random, k: int, i: int, typed_only: bool) -> object:
    import datetime

    pools: list[list[object]] = [
        [i, i, float(i), "x", -1, 2.5, "๑๒"] + ([] if typed_only else [""]),  # (a blank row: refused)
        ["บ้านหนองบัว", "ก", "", "x" * 12, " นา "] + ([] if typed_only else [7, "สอง\nบรรทัด"]),
        [1.5, 100, 100.5, "1e2", "", "abc", -0.25],
        ["2023-02-28", "2023-02-30", "", "x", datetime.datetime(2024, 2, 29)]
        + ([] if typed_only else [datetime.datetime(2024, 1, 1, 12, 30)]),
    ]
    return rng.choice(pools[k])


@pytest.mark.parametrize("typed_only", [True, False])  # False: cells the fast path must refuse
@pytest.mark.parametrize("seed", range(6))
def test_engines_agree_on_xlsx(tmp_path: Path, seed: int, typed_only: bool) -> None:
    from file_fixtures import xlsx_bytes
    from opencatalog.validate.tabular import _fast_workbooks

    rng = random.Random(seed)
    rows = [[_xlsx_cell(rng, k, i, typed_only) for k in range(4)] for i in range(rng.randint(5, 300))]
    (tmp_path / "book.xlsx").write_bytes(xlsx_bytes({"other": [["a"]], "data": [
        [f["name"] for f in XLSX_FIELDS], *rows]}))
    desc = {"name": "x", "resources": [{"name": "book", "path": "book.xlsx", "format": "xlsx",
                                        "dialect": {"excel": {"sheet": "data"}},
                                        "schema": {"fields": XLSX_FIELDS}}]}
    fast_used = "book" in _fast_workbooks(open_package(desc, tmp_path), 1000)
    fast = check_package(desc, tmp_path, engine="fast")
    ref = check_package(desc, tmp_path, engine="frictionless")
    assert [e.key for e in fast] == [e.key for e in ref]
    assert [e.message for e in fast] == [e.message for e in ref]
    assert len(ref) > 0
    assert fast_used == typed_only or not typed_only
