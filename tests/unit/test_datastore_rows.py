"""CSV -> typed DataStore records: conversion, empty cells, batching, checksum."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from opencatalog.datastore import DatastoreError
from opencatalog.datastore.fields import Column, table_spec
from opencatalog.datastore.rows import RowDigest, canonical, convert, read_batches

SCHEMA = {
    "fields": [
        {"name": "code", "type": "string"},
        {"name": "year", "type": "integer", "constraints": {"minimum": 2500, "maximum": 2600}},
        {"name": "value", "type": "number"},
        {"name": "more_than", "type": "boolean"},
        {"name": "day", "type": "date"},
        {"name": "at", "type": "datetime"},
        {"name": "name_th", "type": "string"},
    ],
    "primaryKey": ["code"],
}


def column(kind: str, **options) -> Column:
    return Column(name="x", schema_type=kind, ds_type="text", options=options)


@pytest.mark.parametrize(("kind", "options", "text", "expected"), [
    ("integer", {}, "2566", 2566),
    ("integer", {"groupChar": ","}, "1,234", 1234),
    ("integer", {"bareNumber": False}, "15%", 15),
    ("year", {}, "2566", 2566),
    ("number", {}, "14.50", "14.50"),  # as text: numeric keeps every digit
    ("number", {}, "0.1234567890123456789", "0.1234567890123456789"),
    ("number", {"decimalChar": ",", "groupChar": "."}, "1.234,5", "1234.5"),
    ("number", {"bareNumber": False}, "€ 12.5", "12.5"),
    ("boolean", {}, "true", True),
    ("boolean", {}, "0", False),
    ("boolean", {"trueValues": ["ใช่"], "falseValues": ["ไม่ใช่"]}, "ใช่", True),
    ("date", {}, "2023-09-06", "2023-09-06"),
    ("date", {"format": "%d/%m/%Y"}, "06/09/2023", "2023-09-06"),
    ("datetime", {}, "2023-09-06T10:00:00", "2023-09-06T10:00:00"),
    ("datetime", {}, "2023-09-06T10:00:00+07:00", "2023-09-06T03:00:00"),  # stored in UTC
    ("datetime", {}, "2023-09-06T10:00:00Z", "2023-09-06T10:00:00"),
    ("time", {}, "08:30:00", "08:30:00"),
    ("string", {}, "กรุงเทพมหานคร", "กรุงเทพมหานคร"),
    ("geopoint", {}, "13.75,100.5", "13.75,100.5"),
])
def test_convert(kind, options, text, expected):
    assert convert(column(kind, **options), text) == expected


@pytest.mark.parametrize(("kind", "text"), [
    ("integer", "สิบ"), ("integer", "1.0"), ("number", "abc"), ("boolean", "yes"),
    ("date", "2023-02-30"), ("datetime", "yesterday"),
])
def test_convert_refuses_bad_cells(kind, text):
    with pytest.raises(ValueError):
        convert(column(kind), text)


@pytest.mark.parametrize(("ds_type", "sent", "returned"), [
    ("numeric", "14.50", "14.5"),
    ("numeric", "1E+3", "1000"),
    ("numeric", "-0.0", "0"),
    ("int", 2566, "2566"),
    ("bigint", 9007199254740993, "9007199254740993"),
    ("bool", True, "t"),
    ("bool", False, "f"),
    ("timestamp", "2023-09-06T03:00:00.123456", "2023-09-06T03:00:00.123"),
    ("timestamp", "2023-09-06T03:00:00", "2023-09-06T03:00:00.000"),
    ("time", "08:30:00", "08:30:00"),
    ("text", "ไทย", "ไทย"),
    ("text", None, ""),  # NULL comes back as an empty CSV cell
])
def test_canonical_form_matches_what_the_portal_returns(ds_type, sent, returned):
    assert canonical(ds_type, sent) == canonical(ds_type, returned)


def test_canonical_form_tells_different_values_apart():
    assert canonical("numeric", "14.5") != canonical("numeric", "14.05")
    assert canonical("bool", True) != canonical("bool", "f")
    assert canonical("text", "") is None and canonical("text", "0") == "0"


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_empty_cells_become_null_and_rows_keep_schema_order(tmp_path):
    csv = write(tmp_path / "d.csv",
                "name_th,code,year,value,more_than,day,at\n"
                "ภาคเหนือ,N,2566,1.5,true,2023-09-06,\n"
                ",S,,,,,\n")
    [batch] = list(read_batches(csv, table_spec(SCHEMA)))
    assert batch[0] == {"code": "N", "year": 2566, "value": "1.5", "more_than": True,
                        "day": "2023-09-06", "at": None, "name_th": "ภาคเหนือ"}
    assert batch[1] == {"code": "S", "year": None, "value": None, "more_than": None,
                        "day": None, "at": None, "name_th": None}


def test_schema_missing_values_and_byte_order_mark(tmp_path):
    csv = tmp_path / "d.csv"
    csv.write_bytes("\ufeffcode,value\nA,-\nB,2\n".encode())
    spec = table_spec({"fields": [{"name": "code"}, {"name": "value", "type": "number"}],
                       "missingValues": ["", "-"]})
    [batch] = list(read_batches(csv, spec))
    assert [r["value"] for r in batch] == [None, "2"]


def test_batches_of_the_requested_size(tmp_path):
    rows = "".join(f"C{i},2566,{i}.5,false,2023-01-01,,ชื่อ{i}\n" for i in range(25))
    csv = write(tmp_path / "d.csv", "code,year,value,more_than,day,at,name_th\n" + rows)
    digest = RowDigest([c.ds_type for c in table_spec(SCHEMA).columns])
    sizes = [len(b) for b in read_batches(csv, table_spec(SCHEMA), batch_rows=10, digest=digest)]
    assert sizes == [10, 10, 5]
    assert digest.rows == 25


def test_bad_cell_names_row_and_field(tmp_path):
    csv = write(tmp_path / "d.csv", "code,year\nA,2566\nB,สองพัน\n")
    spec = table_spec({"fields": [{"name": "code"}, {"name": "year", "type": "integer"}]})
    with pytest.raises(DatastoreError) as err:
        list(read_batches(csv, spec))
    assert (err.value.row, err.value.field) == (3, "year")
    assert "สองพัน" in str(err.value)


def test_header_without_a_schema_field_is_refused(tmp_path):
    csv = write(tmp_path / "d.csv", "code\nA\n")
    spec = table_spec({"fields": [{"name": "code"}, {"name": "year", "type": "integer"}]})
    with pytest.raises(DatastoreError, match="no column year"):
        list(read_batches(csv, spec))


def test_checksum_is_order_and_value_sensitive():
    def digest(rows):
        d = RowDigest(["text", "numeric"])
        for row in rows:
            d.add(row)
        return d.hexdigest()

    rows = [["ก", "1.50"], ["ข", "2"]]
    assert digest(rows) == digest([["ก", "1.5"], ["ข", "2.0"]])
    assert digest(rows) != digest(list(reversed(rows)))
    assert digest(rows) != digest([["ก", "1.5"], ["ข", "2.1"]])
    assert digest([["ก", None]]) != digest([["ก", "0"]])


def test_reading_does_not_hold_the_file(tmp_path):
    """Memory stays at one batch whether the file has 20,000 or 100,000 rows."""
    spec = table_spec({"fields": [{"name": "code"}, {"name": "n", "type": "integer"},
                                  {"name": "v", "type": "number"}]})

    def peak(rows: int) -> int:
        csv = tmp_path / f"{rows}.csv"
        with csv.open("w", encoding="utf-8") as out:
            out.write("code,n,v\n")
            for i in range(rows):
                out.write(f"หมู่บ้าน{i},{i},{i}.25\n")
        digest = RowDigest([c.ds_type for c in spec.columns])
        tracemalloc.start()
        for _batch in read_batches(csv, spec, batch_rows=1000, digest=digest):
            pass
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert digest.rows == rows
        return top

    small, large = peak(20_000), peak(100_000)
    assert large < small * 1.5, (small, large)


def test_last_batch_is_flagged_without_an_empty_tail(tmp_path):
    spec = table_spec({"fields": [{"name": "code"}]})
    exact = write(tmp_path / "exact.csv", "code\n" + "".join(f"C{i}\n" for i in range(20)))
    assert [(len(b), b.last) for b in read_batches(exact, spec, batch_rows=10)] == [
        (10, False), (10, True)]
    empty = write(tmp_path / "empty.csv", "code\n")
    assert [(len(b), b.last) for b in read_batches(empty, spec)] == [(0, True)]
