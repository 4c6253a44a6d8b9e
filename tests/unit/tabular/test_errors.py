"""Each kind of data error, on tiny CSVs, with row/field/type asserted."""

from __future__ import annotations

import pytest

from opencatalog.validate.tabular.engine import run_fast
from opencatalog.validate.tabular.reference import open_package

from .conftest import Both, package, resource


def keys(found):  # noqa: ANN001, ANN201
    return [(e.type, e.row_number, e.field_name) for e in found]


def test_type_error(both: Both) -> None:
    both.write("t", "id,n\n1,5\n2,สิบ\n3,1.0\n4,01\n")
    found = both(
        package([resource("t", [{"name": "id", "type": "integer"}, {"name": "n", "type": "integer"}])])
    )
    assert keys(found) == [("type-error", 3, "n"), ("type-error", 4, "n")]


@pytest.mark.parametrize(
    ("field", "cells", "bad_row"),
    [
        ({"type": "string", "constraints": {"required": True}}, ["a", ""], 3),
        ({"type": "integer", "constraints": {"minimum": 0}}, ["0", "-1"], 3),
        ({"type": "number", "constraints": {"maximum": 100}}, ["100", "100.5"], 3),
        ({"type": "string", "constraints": {"minLength": 2}}, ["ab", "ก"], 3),
        ({"type": "string", "constraints": {"maxLength": 3}}, ["บ้าน", "abcd"], 3),
        ({"type": "string", "constraints": {"pattern": "[0-9]{2}"}}, ["01", "1"], 3),
        ({"type": "string", "constraints": {"enum": ["urban", "rural"]}}, ["rural", "x"], 3),
        ({"type": "date", "constraints": {"minimum": "2020-01-01"}}, ["2020-01-01", "2019-12-31"], 3),
    ],
)
def test_each_constraint(both: Both, field: dict, cells: list[str], bad_row: int) -> None:
    both.write("t", "id,v\n" + "".join(f"{i},{c}\n" for i, c in enumerate(cells)))
    found = both(package([resource("t", [{"name": "id", "type": "integer"}, {"name": "v", **field}])]))
    assert keys(found)[-1] == ("constraint-error", bad_row, "v")


def test_unique_and_primary_key(both: Both) -> None:
    both.write("t", "id,code\n1,a\n2,b\n01,a\n")
    found = both(
        package(
            [
                resource(
                    "t",
                    [
                        {"name": "id", "type": "integer"},
                        {"name": "code", "type": "string", "constraints": {"unique": True}},
                    ],
                    primaryKey=["id"],
                )
            ]
        )
    )
    # "01" and "1" are the same integer
    assert keys(found) == [("unique-error", 4, "code"), ("primary-key", 4, None)]


def test_foreign_key(both: Both) -> None:
    both.write("prov", "code,name\n10,กรุงเทพ\n11,นนทบุรี\n")
    both.write("v", "id,prov\n1,10\n2,99\n3,\n")
    found = both(
        package(
            [
                resource("prov", [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}]),
                resource(
                    "v",
                    [{"name": "id", "type": "integer"}, {"name": "prov", "type": "string"}],
                    foreignKeys=[{"fields": ["prov"], "reference": {"resource": "prov", "fields": ["code"]}}],
                ),
            ]
        )
    )
    assert keys(found) == [("foreign-key", 3, None)]


def test_missing_extra_blank(both: Both) -> None:
    both.write("t", "a,b,c\n1,2\n1,2,3,4\n\n")
    found = both(package([resource("t", [{"name": n, "type": "integer"} for n in "abc"])]))
    assert keys(found) == [("missing-cell", 2, "c"), ("extra-cell", 3, None), ("blank-row", 4, None)]


def test_missing_file(both: Both) -> None:
    found = both(package([resource("nope", [{"name": "a", "type": "string"}])]))
    assert [e.type for e in found] == ["scheme-error"]
    assert found[0].hint


def test_cp874_thai(both: Both) -> None:
    both.write("t", "id,name\n1,ok\n2,บ้านหนองบัว\n".encode("cp874"))
    found = both(
        package([resource("t", [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}])])
    )
    assert keys(found) == [("encoding-error", 3, None)]
    assert "CP874" in found[0].message and "line 3" in found[0].message
    assert found[0].hint == (
        "Declare the encoding on the resource: `encoding: cp874` (validation and the DataStore then "
        "read it as Thai Windows-874), or convert the file to UTF-8 with "
        "`opencatalog fix encoding t.csv` (it keeps a backup).")


def test_excel_csv_utf8_with_a_bom_is_accepted(both: Both) -> None:
    both.write("t", "\ufeffid,name\n1,บ้าน\nx,นา\n")
    found = both(package([resource("t", [{"name": "id", "type": "integer"},
                                         {"name": "name", "type": "string"}])]))
    assert keys(found) == [("type-error", 3, "id")]  # the BOM is not data; rows keep their numbers


def test_declared_cp874_is_read_as_thai(both: Both) -> None:
    both.write("t", "id,name\n1,บ้านหนองบัว\nx,นา\n".encode("cp874"))
    desc = package([resource("t", [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}])])
    desc["resources"][0]["encoding"] = "cp874"
    found = both(desc)
    assert keys(found) == [("type-error", 3, "id")]


def test_encoding_error_split_across_chunks(tmp_path, monkeypatch) -> None:  # noqa: ANN001
    from opencatalog.validate.tabular import encoding

    monkeypatch.setattr(encoding, "CHUNK", 5)
    path = tmp_path / "x.csv"
    path.write_bytes("a\nกขค\n".encode() + b"\n\xff\n")
    found = encoding.check_encoding(path, "x")
    assert found[0].type == "encoding-error" and found[0].row_number == 4


def test_bad_descriptor_never_raises(tmp_path) -> None:  # noqa: ANN001
    from opencatalog.validate.tabular import check_package

    found = check_package({"resources": "nope"}, tmp_path)
    assert found and found[0].type == "package-error"
    bad_type = package([resource("t", [{"name": "a", "type": "nosuchtype"}])])
    assert check_package(bad_type, tmp_path)


def test_fast_path_really_used(both: Both) -> None:
    both.write("t", "id\n1\n")
    desc = package([resource("t", [{"name": "id", "type": "integer"}])])
    assert "t" in run_fast(open_package(desc, both.tmp), set(), 1000)


def test_unsupported_falls_back(both: Both) -> None:
    both.write("t", 'id,name\n1,"a\nb"\nx,y\n')  # a newline inside quotes: reference engine
    desc = package([resource("t", [{"name": "id", "type": "integer"}, {"name": "name", "type": "string"}])])
    assert "t" not in run_fast(open_package(desc, both.tmp), set(), 1000)
    assert keys(both(desc)) == [("type-error", 3, "id")]  # records, not lines


def test_limit_errors_parity(both: Both) -> None:
    rows = "\n".join(f"{i},x" for i in range(50))
    both.write("t", "a,b\n" + rows + "\n")
    desc = package(
        [
            resource(
                "t",
                [
                    {"name": "a", "type": "integer", "constraints": {"minimum": 100}},
                    {"name": "b", "type": "integer"},
                ],
            )
        ]
    )
    from opencatalog.validate.tabular import check_package

    fast = check_package(desc, both.tmp, limit_errors=7)
    ref = check_package(desc, both.tmp, engine="frictionless", limit_errors=7)
    assert [e.key for e in fast] == [e.key for e in ref] and len(fast) == 7


def test_shared_objects_in_the_descriptor(both: Both) -> None:
    """A YAML alias makes two resources share one schema object: still validated."""
    both.write("t", "name\na\n\n")
    both.write("u", "name\nb\n")
    field = {"name": "name", "type": "string"}
    desc = package([resource("t", [field]), resource("u", [field])])
    assert keys(both(desc)) == [("blank-row", 3, None)]
