"""Byte-level encoding pre-check.

Thai government CSVs are often exported from Excel as Windows-874 (TIS-620).
frictionless reports that as a vague decode failure (or silently guesses another
codec); we read the bytes ourselves, in constant memory, and say exactly what is
wrong and how to fix it.  UTF-8 with a byte order mark (Excel's "CSV UTF-8") is
accepted.
"""

from __future__ import annotations

import codecs
from pathlib import Path

from .errors import TableError

CHUNK = 1 << 20  # 1 MiB: large enough to be fast, small enough to stay O(1) memory
THAI_HINT = (
    "Declare the encoding on the resource: `encoding: cp874` (validation and the DataStore then "
    "read it as Thai Windows-874), or convert the file to UTF-8 with "
    "`opencatalog fix encoding {file}` (it keeps a backup)."
)
UTF8_HINT = "Re-save the file with UTF-8 encoding."


def _bad_line(path: Path, limit: int = 4096) -> tuple[int, bytes] | None:
    """(1-based line, raw line bytes up to `limit`) of the first non-UTF-8 byte."""
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    line = 1
    tail = b""  # the current line so far, so the finding can quote it
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            try:
                # The incremental decoder keeps a multi-byte character that is
                # split across two chunks until the next chunk completes it.
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                # exc.start is relative to the pending bytes + this chunk; the
                # pending part is at most 3 bytes, so clamp into the chunk.
                start = max(exc.start - (len(exc.object) - len(chunk)), 0)
                before = chunk[:start]
                line += before.count(b"\n")
                last_nl = before.rfind(b"\n")
                head = before[last_nl + 1 :] if last_nl >= 0 else tail + before
                rest = chunk[start:]
                end = rest.find(b"\n")
                return line, (head + (rest if end < 0 else rest[:end]))[:limit]
            line += chunk.count(b"\n")
            last_nl = chunk.rfind(b"\n")
            tail = chunk[last_nl + 1 :] if last_nl >= 0 else (tail + chunk)[-4096:]
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return line, tail[-limit:]
    return None


def _looks_thai(raw: bytes) -> bool:
    """True when the bytes decode as CP874 and contain Thai letters."""
    try:
        text = raw.decode("cp874")
    except UnicodeDecodeError:
        return False
    return any("\u0e01" <= ch <= "\u0e5b" for ch in text)


def check_encoding(path: Path, resource: str) -> list[TableError]:
    """Return an encoding finding for `path` (empty when the file is UTF-8, with or without
    Excel's byte order mark, which is not data: both engines and the DataStore skip it).

    A missing or unreadable file returns nothing here: the engines report it.
    """
    found: list[TableError] = []
    try:
        bad = _bad_line(path)
    except OSError:
        return found
    if bad is None:
        return found
    line, raw = bad
    if _looks_thai(raw):
        message = (
            f'The file "{path.name}" is not UTF-8: line {line} looks like '
            "TIS-620/Windows-874 (CP874, Thai) text."
        )
        sample = raw.decode("cp874", errors="replace")
        hint = THAI_HINT.format(file=path.name)
    else:
        message = f'The file "{path.name}" is not UTF-8: line {line} has bytes that are not UTF-8.'
        sample = raw.decode("utf-8", errors="replace")
        hint = UTF8_HINT
    found.append(
        TableError(
            resource=resource,
            type="encoding-error",
            message=message,
            row_number=line,
            cell=sample[:200],
            hint=hint,
        )
    )
    return found
