"""Files departments publish besides CSVs, generated for tests: a PDF, a ZIP, an XLS header."""

from __future__ import annotations

import io
import zipfile


def pdf_bytes(text: str = "OpenCatalog test") -> bytes:
    """A small, valid one-page PDF (cross-reference offsets computed)."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 100] /Contents 4 0 R >>",
    ]
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode()
    objects.append(b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream")
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


def zip_bytes(files: dict[str, bytes] | None = None) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in (files or {"readme.txt": "ไฟล์ทดสอบ\n".encode()}).items():
            archive.writestr(name, data)
    return out.getvalue()


# The first bytes of an Excel 97-2003 (.xls, OLE2 compound) file; enough for format checks.
XLS_HEAD = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    """An Excel workbook (openpyxl) with one worksheet per entry, rows as given."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# A departmental workbook: a valid sheet and one with two wrong rows (Thai headers as titles).
VILLAGES_OK = [["code", "village", "households", "surveyed"],
               ["01", "บ้านหนองบัว", 120, "2023-10-15"],
               ["02", "บ้านโคกสูง", 85, "2024-02-29"]]
VILLAGES_BAD = [["code", "village", "households", "surveyed"],
                ["01", "บ้านหนองบัว", "หนึ่งร้อย", "2023-10-15"],
                ["02", "บ้านโคกสูง", 85, "2023-02-30"]]
VILLAGES_SCHEMA = {"fields": [
    {"name": "code", "type": "string", "title": "รหัส"},
    {"name": "village", "type": "string", "title": "หมู่บ้าน"},
    {"name": "households", "type": "integer", "title": "จำนวนครัวเรือน"},
    {"name": "surveyed", "type": "date", "title": "วันที่สำรวจ"}]}
