"""`opencatalog fix`: rewrite a data file in place, keeping a backup.

For stewards without `iconv` or `sed`: a Thai Windows-874 (TIS-620) file becomes UTF-8, and
look-alike Thai text becomes one form (NFC, SARA AM). Streams the file (constant memory) into
a temporary file beside it, then swaps: the original is kept as FILE.bak.
"""

from __future__ import annotations

import codecs
import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from opencatalog.thai_text import normal_form

CHUNK = 1 << 20


@dataclass(frozen=True)
class FixResult:
    path: Path
    changed: bool
    message: str
    backup: Path | None = None
    ok: bool = True


def _is_utf8(path: Path) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")("strict")
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _rewrite(path: Path, source: str, transform: Callable[[str], str]) -> tuple[Path, bool]:
    """Decode `path` as `source`, write UTF-8 of `transform(text)`; (backup, changed).

    Raises UnicodeDecodeError (with the line in its `reason`) when the bytes are not `source`,
    FileExistsError when a change is due but FILE.bak exists (nothing is changed then).
    """
    decoder = codecs.getincrementaldecoder(source)("strict")
    changed = False
    line = 1
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with path.open("rb") as src, os.fdopen(fd, "wb") as out:
            pending = ""  # a line in progress: normalisation never splits a character sequence
            while True:
                chunk = src.read(CHUNK)
                try:
                    text = decoder.decode(chunk, final=not chunk)
                except UnicodeDecodeError as exc:
                    line += chunk[: exc.start].count(b"\n")
                    exc.reason = f"line {line}: {exc.reason}"
                    raise
                line += chunk.count(b"\n")
                text = pending + text
                cut = text.rfind("\n") + 1 if chunk else len(text)
                pending, text = text[cut:], text[:cut]
                fixed = transform(text)
                raw = fixed.encode("utf-8")
                changed = changed or fixed != text or source != "utf-8"
                out.write(raw)
                if not chunk:
                    break
        if not changed:
            os.unlink(tmp)
            return path, False
        backup = path.with_name(path.name + ".bak")
        if backup.exists():
            raise FileExistsError(backup)
        os.replace(path, backup)
        os.replace(tmp, path)
        return backup, True
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _backup_in_the_way(exc: FileExistsError, path: Path) -> FixResult:
    return FixResult(path, False, f"{Path(str(exc)).name} already exists; move it away first "
                     "(it may be the backup of an earlier fix)", ok=False)


def to_utf8(path: Path, source: str = "cp874") -> FixResult:
    """Convert `path` from `source` (default: Thai Windows-874 / TIS-620) to UTF-8, in NFC."""
    if not path.is_file():
        return FixResult(path, False, "no such file", ok=False)
    if _is_utf8(path):
        return FixResult(path, False, "already UTF-8: unchanged")
    try:
        codecs.lookup(source)
    except LookupError:
        return FixResult(path, False, f"unknown encoding {source!r}", ok=False)
    try:
        backup, _ = _rewrite(path, source, normal_form)
    except FileExistsError as exc:
        return _backup_in_the_way(exc, path)
    except UnicodeDecodeError as exc:
        return FixResult(path, False, f"not {source} either ({exc.reason}); name its encoding "
                         "with --from", ok=False)
    return FixResult(path, True, f"converted from {source} to UTF-8 (original kept as {backup.name}); "
                     "remove `encoding:` from its resource in the dataset YAML", backup)


def to_normal_form(path: Path) -> FixResult:
    """Rewrite a UTF-8 file with look-alike Thai text in one form (NFC, SARA AM)."""
    if not path.is_file():
        return FixResult(path, False, "no such file", ok=False)
    if not _is_utf8(path):
        return FixResult(path, False, "not UTF-8: run `opencatalog fix encoding` on it first",
                         ok=False)
    try:
        backup, changed = _rewrite(path, "utf-8", normal_form)
    except FileExistsError as exc:
        return _backup_in_the_way(exc, path)
    if not changed:
        return FixResult(path, False, "already in normal form (NFC): unchanged")
    return FixResult(path, True, f"rewritten in Unicode normal form NFC (original kept as "
                     f"{backup.name})", backup)
