"""Differential tests of the streaming fast path: quoted CSVs, dialects, batches.

Every case asserts that the fast path really validated the resource (or, for
the refused ones, that it did not) and that its findings equal frictionless's
(type, row, field and message, in order).
"""

from __future__ import annotations

import csv
import io
import random
from pathlib import Path

import pytest

from opencatalog.validate.tabular import check_package, fast
from opencatalog.validate.tabular.engine import run_fast
from opencatalog.validate.tabular.reference import open_package

FIELDS = [
    {"name": "id", "type": "integer"},
    {"name": "name", "type": "string", "constraints": {"required": True, "maxLength": 12}},
    {"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{2}"}},
    {"name": "n", "type": "integer", "constraints": {"minimum": 0}},
    {"name": "note", "type": "string", "constraints": {"unique": True}},
]
TEXT = ["บ้านหนองบัว", "a,b", 'say "hi"', "", " ", "x" * 15, "นา, หมู่ 3", '"', ",", "ok", 'a""b', "tab\there"]
NUMS = ["1", "01", "-2", "x", "", "1.0", "๑"]


def _descriptor(fields: list[dict] = FIELDS, primary: list[str] | None = None) -> dict:
    schema: dict = {"fields": fields}
    if primary:
        schema["primaryKey"] = primary
    return {"name": "q", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": schema}]}


def _agree(tmp: Path, desc: dict, limit: int = 1000, fast_used: bool = True) -> list:
    handled = run_fast(open_package(desc, tmp), set(), limit)
    assert ("t" in handled) is fast_used
    got = check_package(desc, tmp, engine="fast", limit_errors=limit)
    ref = check_package(desc, tmp, engine="frictionless", limit_errors=limit)
    assert [e.key for e in got] == [e.key for e in ref]
    assert [e.message for e in got] == [e.message for e in ref]
    return got


def _rows(rng: random.Random, count: int) -> list[list[str]]:
    rows = []
    for i in range(count):
        row = [
            rng.choice([str(i), str(i), str(rng.randrange(count)), rng.choice(NUMS)]),
            rng.choice(TEXT),
            rng.choice(["01", "10", "1", "ab", ""]),
            rng.choice(NUMS),
            rng.choice([f"u{i}", f"u{rng.randrange(count)}", "", rng.choice(TEXT)]),
        ]
        shape = rng.random()
        if shape < 0.04:
            row = row[: rng.randrange(len(row))]
        elif shape < 0.08:
            row += rng.choice([[""], ["x"], ["", ""], ["a,b"]])
        elif shape < 0.1:
            row[-1] = ""  # an empty last cell
        rows.append(row)
    return rows


def _write(rng: random.Random, rows: list[list[str]], delimiter: str, quoting: int, newline: str) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, quoting=quoting, lineterminator=newline)
    writer.writerow([f["name"] for f in FIELDS])
    lines = []
    for row in rows:
        buf = io.StringIO()
        csv.writer(buf, delimiter=delimiter, quoting=quoting, lineterminator="").writerow(row)
        line = buf.getvalue()
        r = rng.random()
        if r < 0.03:
            line = ""  # an empty line: a blank row
        elif r < 0.05:
            line = line.replace("a", 'a"', 1)  # a quote inside an unquoted cell: Python's csv decides
        lines.append(line)
    return out.getvalue() + newline.join(lines) + rng.choice([newline, ""])


@pytest.mark.parametrize("seed", range(16))
def test_quoted_files_agree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, seed: int) -> None:
    rng = random.Random(seed)
    # small batches: keys, blank rows and quotes cross batch boundaries
    monkeypatch.setattr(fast, "CHUNK_BYTES", rng.choice([64, 200, 1 << 20]))
    monkeypatch.setattr(fast, "QUOTE_DENSITY", rng.choice([1, 400, 10**9]))  # regex or Python walk
    monkeypatch.setattr(fast, "FLAGGED_MAX", rng.choice([0, 256]))  # rows re-read by Python's csv
    delimiter = rng.choice([",", ",", ";", "\t", "|"])
    quoting = rng.choice([csv.QUOTE_MINIMAL, csv.QUOTE_MINIMAL, csv.QUOTE_ALL, csv.QUOTE_NONNUMERIC])
    newline = rng.choice(["\n", "\n", "\r\n"])
    text = _write(rng, _rows(rng, rng.randint(20, 300)), delimiter, quoting, newline)
    data = text.encode("utf-8")
    if seed % 5 == 0:
        data = b"\xef\xbb\xbf" + data  # BOM: reported, then read as utf-8-sig
    (tmp_path / "t.csv").write_bytes(data)
    desc = _descriptor(primary=["id"] if seed % 2 else None)
    found = _agree(tmp_path, desc, limit=rng.choice([1000, 1000, 15]))
    assert found


@pytest.mark.parametrize(
    "body",
    [
        'id,name\n1,"a,b"\n2,"say ""hi"""\n3,""\nx,y\n',
        'id,name\r\n1,"a,b"\r\n\r\nx,y\r\n',  # CRLF and a blank row
        'id,name\n\n1,"a,b"\n\n\nx,\n',  # blank rows in the polars lane
        'id,name\n1,ab"c\n2,"ab"c\n3,"a" \nx,y',  # irregular quotes: Python's csv; no final newline
        'id,name\n1,a,\n2\n3,a,b,c\n',  # extra empty cell, missing cell: the counts do not add up
        '"id","name"\n"1","x"\n"2",\n',  # quoted header, empty last cell
    ],
)
def test_quoted_cases(tmp_path: Path, body: str) -> None:
    (tmp_path / "t.csv").write_text(body, encoding="utf-8")
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string", "constraints": {"required": True}},
    ]
    _agree(tmp_path, _descriptor(fields))


@pytest.mark.parametrize(
    ("body", "why"),
    [
        ('id,name\n1,"a\nb"\nx,y\n', "a newline inside quotes"),
        ('id,name\n1,ok\nx,"unbalanced\n', "an unbalanced quote"),
        ("id,name\n1,a\rb\nx,y\n", "a CR inside a line"),
        ("id,name\n1,a\x00b\nx,y\n", "a NUL byte"),
        ('id,"na\nme"\n1,a\n', "a newline inside the quoted header"),
    ],
)
def test_refused_falls_back(tmp_path: Path, body: str, why: str) -> None:
    (tmp_path / "t.csv").write_text(body, encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    _agree(tmp_path, _descriptor(fields), fast_used=False)


def test_refused_in_a_later_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A refusal after some batches were read drops the partial result."""
    monkeypatch.setattr(fast, "CHUNK_BYTES", 32)
    rows = "".join(f"{i},x\n" for i in range(50))
    (tmp_path / "t.csv").write_text("id,name\n" + rows + 'y,"a\nb"\n', encoding="utf-8")
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    _agree(tmp_path, _descriptor(fields), fast_used=False)


def test_early_stop_then_bad_bytes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """After the error limit the fast path stops typing rows but still reads every
    byte as UTF-8: a bad byte late in the file is the encoding finding."""
    monkeypatch.setattr(fast, "CHUNK_BYTES", 64)
    rows = "".join(f"x{i},a\n" for i in range(100)).encode()
    (tmp_path / "t.csv").write_bytes(b"id,name\n" + rows + b"1,\xff\n")
    fields = [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}]
    found = _agree(tmp_path, _descriptor(fields), limit=10, fast_used=False)
    assert [e.type for e in found] == ["encoding-error"]


def test_early_stop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading stops once the rows read hold `limit` erroneous rows; a duplicate
    key after that point cannot change the findings."""
    monkeypatch.setattr(fast, "CHUNK_BYTES", 64)
    rows = "".join(f"{i},{'bad' if i % 3 == 0 else 'ok'}\n" for i in range(300)) + "5,ok\n"
    (tmp_path / "t.csv").write_text("id,name\n" + rows, encoding="utf-8")
    fields = [
        {"name": "id", "type": "integer"},
        {"name": "name", "type": "string", "constraints": {"enum": ["ok"]}},
    ]
    desc = _descriptor(fields, primary=["id"])
    parsed = []
    real = fast.parse

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        parsed.append(real(*args, **kwargs))
        return parsed[-1]

    monkeypatch.setattr("opencatalog.validate.tabular.engine.parse", spy)
    found = _agree(tmp_path, desc, limit=20)
    assert len(found) == 20 and not parsed[0].complete


def test_hash_collisions_are_checked_exactly(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Key hashes only select candidates: even if every hash collided, the
    values read again from the file decide."""
    monkeypatch.setattr(fast, "CHUNK_BYTES", 64)
    rows = "".join(f"{i % 37},{i % 11},u{i % 53}\n" for i in range(200)) + ",,\n"
    (tmp_path / "t.csv").write_text("a,b,u\n" + rows, encoding="utf-8")
    fields = [
        {"name": "a", "type": "integer"},
        {"name": "b", "type": "integer"},
        {"name": "u", "type": "string", "constraints": {"unique": True}},
    ]
    desc = _descriptor(fields, primary=["a", "b"])
    honest = _agree(tmp_path, desc)
    everything = list(range(2, 203))
    monkeypatch.setattr(fast, "_candidates", lambda parsed, group: everything)
    assert [e.key for e in _agree(tmp_path, desc)] == [e.key for e in honest]


def _id() -> dict:
    return {"name": "id", "type": "integer"}


def _name() -> dict:
    return {"name": "name", "type": "string"}


@pytest.mark.parametrize(
    ("fields", "extra", "body"),
    [
        ([_id(), {"name": "name", "type": "any"}], {}, "id,name\n1,a\nx,b\n"),  # type outside the list
        ([_id(), {"name": "d", "type": "date", "format": "%d/%m/%Y"}], {}, "id,d\n1,01/02/2023\nx,b\n"),
        ([{"name": "id", "type": "integer", "bareNumber": False}, _name()], {}, "id,name\n1,a\nx,b\n"),
        ([{"name": "b", "type": "boolean", "trueValues": ["yes"]}, _name()], {}, "b,name\nyes,a\nx,b\n"),
        ([{"name": "t", "type": "datetime", "constraints": {"minimum": "2023-01-01T00:00:00"}}, _name()], {},
         "t,name\n2023-01-01T00:00:00,a\nx,b\n"),
        ([{"name": "x", "type": "number", "constraints": {"enum": [1, 2]}}, _name()], {},
         "x,name\n1,a\n3,b\n"),
        ([_id(), {"name": "name", "type": "string", "constraints": {"pattern": "(?=a)a"}}], {},
         "id,name\n1,a\nx,b\n"),  # look-ahead: Rust's regex cannot
        ([{"name": "x", "type": "number"}, _name()], {"primaryKey": ["x"]}, "x,name\n1,a\n1.0,b\n"),
        ([_id(), _name()], {"missingValues": ["", "-"]}, "id,name\n1,-\nx,b\n"),
        ([_id(), _name()], {}, "id,label\n1,a\nx,b\n"),  # header is not the field names
    ],
)
def test_plan_refusals(tmp_path: Path, fields: list[dict], extra: dict, body: str) -> None:
    (tmp_path / "t.csv").write_text(body, encoding="utf-8")
    desc = _descriptor(fields)
    desc["resources"][0]["schema"].update(extra)
    _agree(tmp_path, desc, fast_used=False)


@pytest.mark.parametrize(
    "resource_extra",
    [
        {"dialect": {"delimiter": ",", "escapeChar": "\\"}},
        {"dialect": {"headerRows": [1, 2]}},
        {"dialect": {"commentChar": "#"}},
        {"dialect": {"quoteChar": "'"}},
        {"bytes": 10},  # declared stats are checked by frictionless
        {"encoding": "latin-1"},  # (cp874 and tis-620 are read: test_differential)
    ],
)
def test_resource_refusals(tmp_path: Path, resource_extra: dict) -> None:
    (tmp_path / "t.csv").write_text("id,name\n1,a\nx,b\n#c,d\n", encoding="utf-8")
    desc = _descriptor([_id(), _name()])
    desc["resources"][0].update(resource_extra)
    _agree(tmp_path, desc, fast_used=False)


def test_foreign_key_to_a_refused_resource(tmp_path: Path) -> None:
    """A resource whose lookup table fell back falls back too; so does a cycle."""
    (tmp_path / "t.csv").write_text("id,name\n1,a\n2,zz\n", encoding="utf-8")
    (tmp_path / "u.csv").write_text('name,x\na,1\n"b\nc",2\n', encoding="utf-8")  # refused: newline
    fk = [{"fields": ["name"], "reference": {"resource": "u", "fields": ["name"]}}]
    desc = {
        "name": "q",
        "resources": [
            {"name": "t", "path": "t.csv", "format": "csv",
             "schema": {"fields": [_id(), _name()], "foreignKeys": fk}},
            {"name": "u", "path": "u.csv", "format": "csv",
             "schema": {"fields": [_name(), {"name": "x", "type": "integer"}]}},
        ],
    }
    _agree(tmp_path, desc, fast_used=False)
    (tmp_path / "u.csv").write_text("name,x\na,1\nb,2\n", encoding="utf-8")
    back = [{"fields": ["name"], "reference": {"resource": "t", "fields": ["name"]}}]
    desc["resources"][1]["schema"]["foreignKeys"] = back  # t -> u -> t
    _agree(tmp_path, desc, fast_used=False)
