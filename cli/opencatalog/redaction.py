"""The one place every message passes through before it is shown: secrets are blanked out.

A token is blanked whole and wherever 12 or more of its characters in a row appear (a page
that echoes request headers may cut it). Redaction happens before any message is cut, so a
cut can never leave a piece of a token behind.
"""

from __future__ import annotations

import threading

PIECE = 12  # the shortest run of a secret's characters that is blanked
MASK = "***"
SCAN_LIMIT = 64 * 1024  # a message is never shown longer than this; longer text is cut first
_secrets: set[str] = set()
_lock = threading.Lock()


def register(secret: str | None) -> None:
    """Remember a secret (an API token) so that no message ever shows it."""
    if secret and len(secret) >= PIECE:
        with _lock:
            _secrets.add(secret)


def redact(text: str) -> str:
    text = text[:SCAN_LIMIT]
    with _lock:
        secrets = sorted(_secrets, key=len, reverse=True)
    for secret in secrets:
        text = text.replace(secret, MASK)
        grams = {secret[i:i + PIECE] for i in range(len(secret) - PIECE + 1)}
        covered = [False] * len(text)
        for i in range(len(text) - PIECE + 1):
            if text[i:i + PIECE] in grams:
                covered[i:i + PIECE] = [True] * PIECE
        if any(covered):
            out, i = [], 0
            while i < len(text):
                if covered[i]:
                    while i < len(text) and covered[i]:
                        i += 1
                    out.append(MASK)
                else:
                    out.append(text[i])
                    i += 1
            text = "".join(out)
    return text


def shorten(text: str, limit: int = 300) -> str:
    """Redacted first, then cut."""
    text = redact(text)
    return text if len(text) <= limit else text[:limit] + "…"
