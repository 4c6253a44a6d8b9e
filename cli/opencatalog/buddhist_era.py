"""Buddhist-era (พ.ศ.) dates: one reading for validation and for the DataStore load."""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache

OFFSET = 543  # พ.ศ. = ค.ศ. + 543
LOOKS_BUDDHIST_AFTER = 2400  # a year after this is taken for พ.ศ. (2400 CE is never real data)
DIRECTIVES = {"%d": r"(?P<d>[0-9]{1,2})", "%m": r"(?P<m>[0-9]{1,2})", "%Y": r"(?P<Y>[0-9]{4})"}


def _escape(text: str) -> str:
    """Literal text for both Python's re and polars' (Rust) regex, which refuses some escapes."""
    return re.sub(r"([\\.^$|?*+()\[\]{}-])", r"\\\1", text)


def format_regex(fmt: str | None) -> str | None:
    """A regex with groups d, m, Y for a date format made of %d, %m, %Y and literal text."""
    if fmt in (None, "default"):
        fmt = "%Y-%m-%d"
    out, pos = "", 0
    for match in re.finditer(r"%.", fmt):
        out += _escape(fmt[pos:match.start()])
        if match.group() not in DIRECTIVES or DIRECTIVES[match.group()] in out:
            return None
        out += DIRECTIVES[match.group()]
        pos = match.end()
    out += _escape(fmt[pos:])
    return f"^{out}$" if all(d in out for d in ("?P<d>", "?P<m>", "?P<Y>")) else None


@lru_cache(maxsize=64)
def _compiled(fmt: str | None) -> re.Pattern[str] | None:
    regex = format_regex(fmt)
    return re.compile(regex) if regex else None


def buddhist_date(text: str, fmt: str | None) -> date | None:
    """The Gregorian date of a Buddhist-era date text, or None (the DataStore uses it too)."""
    pattern = _compiled(fmt)
    match = pattern.match(text) if pattern else None
    if match is None:
        return None
    try:
        return date(int(match["Y"]) - OFFSET, int(match["m"]), int(match["d"]))
    except ValueError:
        return None
