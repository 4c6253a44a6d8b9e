"""Thai text that looks the same but is encoded differently (Unicode normalisation)."""

from __future__ import annotations

import unicodedata

# SARA AM (U+0E33) is often typed as NIKHAHIT + SARA AA (U+0E4D U+0E32): the same on screen,
# different text. NFC keeps both (the pair is only a compatibility decomposition), so the pair
# is folded to SARA AM by hand; NFKC would also rewrite other characters of the data.
_SARA_AM_PAIR = "\u0e4d\u0e32"
SARA_AM = "\u0e33"


def normal_form(text: str) -> str:
    """NFC, with NIKHAHIT + SARA AA written as SARA AM."""
    return unicodedata.normalize("NFC", text).replace(_SARA_AM_PAIR, SARA_AM)


def differs_only_in_form(a: str, b: str) -> bool:
    return a != b and normal_form(a) == normal_form(b)
