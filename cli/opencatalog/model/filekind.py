"""Whether a resource's file is a table, decided in one place.

By the declared `format` (else the file's extension): CSV/TSV files, and XLSX workbooks with a
table schema, are tables (checked row by row, loaded into the DataStore); everything else -
PDF, Word, ZIP, images, Shapefile parts, GeoTIFF, JSON, old binary Excel - is a file: published
as an upload and
checked only for what can be checked (exists, not empty, content matching its format's magic
bytes), never read as CSV.  The content's magic bytes are sniffed here too, so a PDF saved
with a .csv name is reported as such instead of as "not UTF-8".
"""

from __future__ import annotations

from pathlib import Path

from opencatalog.model.catalog import Resource

TABLE_FORMATS = ("CSV", "TSV")  # text tables
WORKBOOK_FORMATS = ("XLSX",)  # tables when they have a table schema (else: files)

# the first bytes of a file -> what it is
MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"%PDF-", "PDF"),
    (b"PK\x03\x04", "ZIP"),  # also XLSX, DOCX, PPTX, ODS, ODT
    (b"PK\x05\x06", "ZIP"),  # an empty ZIP
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE2"),  # XLS, DOC, PPT (Office 97-2003)
    (b"\x89PNG\r\n\x1a\n", "PNG"),
    (b"\xff\xd8\xff", "JPEG"),
    (b"GIF87a", "GIF"),
    (b"GIF89a", "GIF"),
    (b"II*\x00", "TIFF"),
    (b"MM\x00*", "TIFF"),
    (b"\x00\x00\x27\x0a", "SHP"),  # ESRI Shapefile .shp / .shx
    (b"\x1f\x8b", "GZIP"),
)
# a declared format -> the content kinds it may have (formats not listed are not checked)
EXPECTED: dict[str, tuple[str, ...]] = {
    "PDF": ("PDF",),
    "ZIP": ("ZIP",), "XLSX": ("ZIP",), "DOCX": ("ZIP",), "PPTX": ("ZIP",), "ODS": ("ZIP",),
    "ODT": ("ZIP",), "KMZ": ("ZIP",), "SHP": ("SHP", "ZIP"),
    "XLS": ("OLE2",), "DOC": ("OLE2",), "PPT": ("OLE2",),
    "PNG": ("PNG",), "JPG": ("JPEG",), "JPEG": ("JPEG",), "GIF": ("GIF",),
    "TIF": ("TIFF",), "TIFF": ("TIFF",), "GEOTIFF": ("TIFF",),
    "GZ": ("GZIP",),
}
HEAD_BYTES = 16


def sniff(path: Path) -> str | None:
    """The kind of content by its magic bytes (e.g. "PDF", "ZIP"), or None (text or unknown)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(HEAD_BYTES)
    except OSError:
        return None
    return next((kind for magic, kind in MAGIC if head.startswith(magic)), None)


def is_table(resource: Resource) -> bool:
    """A CSV/TSV file (by its declared format, else its extension), or an XLSX workbook with a
    table schema (its rows are checked and loaded like a CSV's; without one it is a file)."""
    fmt = resource.resolved_format or ""
    return resource.is_file and (fmt in TABLE_FORMATS or
                                 (fmt in WORKBOOK_FORMATS and resource.schema is not None))


def format_mismatch(resource: Resource, content: str | None) -> bool:
    """True when the content's magic bytes contradict the resource's format."""
    fmt = resource.resolved_format or ""
    if fmt in TABLE_FORMATS:
        return content is not None  # a table is text; binary content is something else
    expected = EXPECTED.get(fmt)
    return expected is not None and content not in expected
