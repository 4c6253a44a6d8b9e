"""Resources that are not tables: decided in one place, never read as CSV (issue 20, item 1)."""

from __future__ import annotations

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML
from file_fixtures import XLS_HEAD, pdf_bytes, zip_bytes
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.model.datapackage import package_descriptor
from opencatalog.validate import validate

EXTRA = """\
  - name: report
    title: {th: รายงานประจำปี}
    path: report.pdf
  - name: maps
    title: {th: แผนที่}
    path: maps.zip
"""


def _catalog(make_catalog, files: dict, extra: str = EXTRA):
    return load_catalog(make_catalog({DATASET_FILE: DATASET_YAML + extra,
                                      **{f"{DATA_DIR}/{k}": v for k, v in files.items()}}))


def _found(report):
    """The findings of this issue's checks (the personal-data scan has its own tests)."""
    return [(f.code, f.severity, f.file, f.resource) for f in report.findings
            if not f.code.startswith("pdpa.")]


def test_pdf_and_zip_validate_clean_and_are_not_read_as_csv(make_catalog) -> None:
    catalog = _catalog(make_catalog, {"report.pdf": pdf_bytes(), "maps.zip": zip_bytes()})
    report = validate(catalog)
    assert _found(report) == []
    names = [r["name"] for r in package_descriptor(catalog.datasets[0])["resources"]]
    assert names == ["provinces", "funds"]  # the data package holds the tables only


def test_pdf_with_thai_bytes_gets_no_encoding_hint(make_catalog) -> None:
    # a PDF full of bytes that are not UTF-8 (as in the walkthrough that got an iconv hint)
    catalog = _catalog(make_catalog, {"report.pdf": pdf_bytes() + "รายงาน".encode("cp874") * 50,
                                      "maps.zip": zip_bytes()})
    assert _found(validate(catalog)) == []


def test_empty_file_and_content_of_another_format(make_catalog) -> None:
    catalog = _catalog(make_catalog, {"report.pdf": b"", "maps.zip": pdf_bytes()})
    report = validate(catalog)
    assert _found(report) == [
        ("file.empty", "error", f"{DATA_DIR}/report.pdf", "report"),
        ("file.format-mismatch", "error", f"{DATA_DIR}/maps.zip", "maps"),
    ]
    assert report.findings[1].message == (
        f"resource 'maps' says its format is ZIP, but {DATA_DIR}/maps.zip is a PDF file")
    assert report.findings[1].hint.startswith("set `format:` to what the file is (PDF)")


def test_a_pdf_saved_as_csv_is_named_as_a_pdf_not_as_bad_utf8(make_catalog) -> None:
    catalog = load_catalog(make_catalog({f"{DATA_DIR}/funds.csv": pdf_bytes()}))
    report = validate(catalog)
    assert [(f.code, f.resource) for f in report.errors] == [("file.format-mismatch", "funds")]
    assert report.errors[0].message.endswith("funds.csv is a PDF file")


def test_xls_is_published_as_a_file_with_a_note(make_catalog) -> None:
    extra = "  - name: old-book\n    title: {th: สมุดงานเก่า}\n    path: book.xls\n"
    report = validate(_catalog(make_catalog, {"book.xls": XLS_HEAD}, extra))
    assert _found(report) == [("file.xls-not-checked", "info", f"{DATA_DIR}/book.xls", "old-book")]
    assert report.ok
