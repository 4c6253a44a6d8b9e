"""The personal-data detectors, masking and per-column tallies (validate/personal_data)."""

from __future__ import annotations

import random

import polars as pl
import pytest
from stdnum.th import pin

import pdpa_corpus
from opencatalog.validate.personal_data import rules
from opencatalog.validate.personal_data.detect import (
    ResourceScan,
    citizen_id_valid,
    header_kinds,
    matches,
)
from opencatalog.validate.personal_data.mask import mask_text, mask_value

# Precision and recall floors per kind on the generated corpus (the figures themselves are in
# benchmarks/README.md; the corpus holds known limits: phones written with dots are missed,
# stock codes of a passport's shape are flagged).
FLOORS = {"citizen-id": (1.0, 1.0), "phone": (1.0, 0.9), "email": (1.0, 1.0),
          "passport": (0.95, 1.0), "person-name": (1.0, 1.0)}


def test_the_vectorised_check_digit_is_stdnums() -> None:
    rng = random.Random(3)
    values = ["".join(rng.choice("0123456789") for _ in range(13)) for _ in range(50_000)]
    values += [pdpa_corpus.citizen_id(rng) for _ in range(5_000)]
    ours = citizen_id_valid(pl.Series(values)).to_list()
    assert ours == [pin.is_valid(v) for v in values]
    assert sum(ours) > 5_000  # both kinds of value were there


@pytest.mark.parametrize("kind", [k.name for k in rules.KINDS])
def test_precision_and_recall_per_kind(kind: str) -> None:
    tp, fp, fn = pdpa_corpus.score(kind, pdpa_corpus.cells(10_000))
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= FLOORS[kind][0] and recall >= FLOORS[kind][1], (precision, recall)


@pytest.mark.parametrize(("text", "kind", "expected"), [
    ("1-1012-00345-67-5", "citizen-id", pin.is_valid("1101200345675")),
    ("31006004456350", "citizen-id", False),  # a valid ID inside a longer number
    ("9100600445633", "citizen-id", False),  # impossible first digit
    ("0100600445633", "citizen-id", False),
    ("3-1006-00445-63-5", "phone", False),  # a dashed citizen ID is not a phone number
    ("0.23456789", "phone", False),
    ("10010101", "phone", False),  # a village code
    ("081-234-5678", "phone", True),
    ("+66 2 141 6000", "phone", True),
    ("(02) 141 6000 ต่อ 123", "phone", True),
    ("โทร. 053-123456", "phone", True),
    ("ติดต่อ somchai.j@gmail.com", "email", True),
    ("www.cdd.go.th", "email", False),
    ("AA1234567", "passport", True),
    ("OTOP123456789", "passport", False),
    ("นายสมชาย ใจดี", "person-name", True),
    ("ด.ญ.มาลี ศรีสุข", "person-name", True),
    ("นายกเทศมนตรี ตำบลบ้านใหม่", "person-name", False),
    ("นายอำเภอเมือง เชียงใหม่", "person-name", False),
    ("นางรอง บุรีรัมย์", "person-name", False),
    ("บ้านหนองบัว หมู่ 3", "person-name", False),
])
def test_cells(text: str, kind: str, expected: bool) -> None:
    assert matches(kind, pl.Series([text])).to_list() == [expected]


def test_the_prefilter_never_hides_a_match() -> None:
    """Each column's sample is first tested with one cheap pattern: it must imply every kind."""
    values = pl.Series([text for text, _ in pdpa_corpus.cells(10_000)])
    found = pl.select(pl.any_horizontal([matches(k.name, values) for k in rules.KINDS])).to_series()
    assert found.sum() > 4_000
    assert (values.str.contains(rules.TEXT_PREFILTER) | ~found).all()


@pytest.mark.parametrize(("name", "title", "kinds"), [
    ("citizen_id", None, ["citizen-id"]),
    ("เลขประจำตัวประชาชน", None, ["citizen-id"]),
    ("id", "เลขบัตรประชาชน", ["citizen-id"]),
    ("เบอร์โทร", None, ["phone"]),
    ("Phone Number", None, ["phone"]),
    ("tel", None, ["phone"]),
    ("E-mail", None, ["email"]),
    ("passport_no", None, ["passport"]),
    ("ชื่อ-นามสกุล", None, ["person-name"]),
    ("province_name", "ชื่อจังหวัด", []),
    ("hotel", None, []),
    ("code", "รหัสหมู่บ้าน", []),
])
def test_column_names_that_give_a_column_away(name: str, title: str | None, kinds: list[str]) -> None:
    assert header_kinds(name, title) == kinds


def test_masks_keep_no_whole_value() -> None:
    assert mask_value("citizen-id", "3100600445635") == "3-XXXX-XXXXX-XX-5"
    assert mask_value("citizen-id", "3-1006-00445-63-5") == "3-XXXX-XXXXX-XX-5"
    assert mask_value("phone", "081-234-5678") == "08X-XXX-XX78"
    assert mask_value("phone", "+66 81 234 5678") == "+66 8X XXX XX78"
    assert mask_value("email", "somchai.j@gmail.com") == "s***@***.com"
    assert mask_value("passport", "AA1234567") == "AAXXXXX67"
    assert mask_value("person-name", "นายสมชาย ใจดี") == "นายส*** ใ***"


def test_mask_text_masks_values_quoted_in_any_message() -> None:
    message = ('Type error in the cell "3-1006-00445-63-5" in row "2"; values "3100600445635", '
               '"081-234-5678", "somchai.j@gmail.com" and "นางสาวมาลี ศรีสุข" not found')
    masked = mask_text(message)
    for whole in ("3-1006-00445-63-5", "3100600445635", "081-234-5678", "somchai.j", "มาลี"):
        assert whole not in masked
    assert 'in row "2"' in masked and "3-XXXX-XXXXX-XX-5" in masked


def _frame(columns: dict[str, list[str | None]]) -> tuple[pl.DataFrame, list[str]]:
    n = len(next(iter(columns.values())))
    frame = pl.DataFrame({"_i": list(range(2, n + 2)),
                          **{f"c{k}": values for k, values in enumerate(columns.values())}},
                         schema={"_i": pl.UInt32, **{f"c{k}": pl.String for k in range(len(columns))}})
    return frame, [f"c{k}" for k in range(len(columns))]


def test_tallies_count_the_whole_batch_of_a_kind_seen_in_its_sample() -> None:
    rng = random.Random(5)
    n = 30_000
    ids: list[str | None] = [pdpa_corpus.citizen_id(rng) if i % 4 else "" for i in range(n)]
    sparse = [pdpa_corpus.citizen_id(rng) if i % 10 == 0 else "x" for i in range(n)]  # 10 %
    late: list[str | None] = ["" if i < 20_000 else pdpa_corpus.email(rng) for i in range(n)]
    frame, cells = _frame({"citizen_id": ids, "remarks": sparse, "contact": late})
    scan = ResourceScan("members", [("citizen_id", "string", None), ("remarks", "string", None),
                                    ("contact", "string", None)])
    for start in range(0, n, 10_000):  # three batches of 10,000 rows
        scan.feed(frame.slice(start, 10_000), cells)
    ids_column, remarks, contact = scan.columns
    tally = ids_column.tallies["citizen-id"]
    assert (tally.count, tally.scanned) == (n * 3 // 4, n * 3 // 4)  # exact: every batch was hot
    assert tally.rows == [3, 4, 5, 7, 8] and tally.example and "XXXX" in tally.example
    assert ids_column.flagged()[0][0].name == "citizen-id"
    assert remarks.tallies["citizen-id"].count == n // 10 and not remarks.flagged()  # under 50 %
    # the e-mails start in the third batch: counted there, flagged over the non-empty values
    assert contact.tallies["email"].count == 10_000 and contact.tallies["email"].flagged


def test_an_empty_column_named_like_one_is_flagged() -> None:
    frame, cells = _frame({"เบอร์โทร": ["", "", None]})
    scan = ResourceScan("r", [("เบอร์โทร", "string", None)])
    scan.feed(frame, cells)
    [(kind, tally)] = scan.columns[0].flagged()
    assert kind.name == "phone" and tally is None


def test_dates_and_booleans_are_not_scanned_numbers_only_for_ids() -> None:
    scan = ResourceScan("r", [("d", "date", None), ("flag", "boolean", None), ("n", "integer", None)])
    assert [c.kinds for c in scan.columns] == [[], [], ["citizen-id"]]
    frame, cells = _frame({"d": ["2023-01-01"], "flag": ["true"], "n": ["3100600445635"]})
    scan.feed(frame, cells)
    assert scan.columns[2].tallies["citizen-id"].count == 1


def test_the_fast_path_feeds_the_scan_and_says_when_it_stopped_early(tmp_path) -> None:
    from opencatalog.validate.personal_data import ScanSet
    from opencatalog.validate.tabular.engine import run_fast
    from opencatalog.validate.tabular.reference import open_package

    rng = random.Random(9)
    rows = [f"x{i},{pdpa_corpus.citizen_id(rng)}" for i in range(3_000)]  # every id a type error
    (tmp_path / "t.csv").write_text("id,citizen_id\n" + "\n".join(rows) + "\n", encoding="utf-8")
    descriptor = {"name": "p", "resources": [{"name": "t", "path": "t.csv", "format": "csv", "schema": {
        "fields": [{"name": "id", "type": "integer"}, {"name": "citizen_id", "type": "string"}]}}]}
    scans = ScanSet()
    found = run_fast(open_package(descriptor, tmp_path), set(), 100, chunk_bytes=4_096, scans=scans)
    assert len(found["t"]) == 100
    scan = scans.done["t"]
    tally = scan.columns[1].tallies["citizen-id"]
    assert not scan.complete and 100 <= tally.count == tally.scanned < 3_000



def test_a_column_flagged_beyond_doubt_is_then_counted_on_the_samples() -> None:
    rng = random.Random(6)
    frame, cells = _frame({"phone": [pdpa_corpus.mobile(rng) for _ in range(60_000)]})
    scan = ResourceScan("r", [("phone", "string", None)])
    for start in range(0, 60_000, 10_000):
        scan.feed(frame.slice(start, 10_000), cells)
    tally = scan.columns[0].tallies["phone"]
    # two whole batches settle it (20,000 of 20,000); the four others add their samples
    assert (tally.count, tally.scanned) == (20_000 + 4 * rules.SAMPLE_ROWS,) * 2 and tally.flagged
