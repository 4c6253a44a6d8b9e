"""Masking: no output of OpenCatalog shows a whole citizen ID, phone number, e-mail or name.

`mask_value` masks the one example a finding quotes; `mask_text` masks every such value in
any text (the messages of data findings quote cells: a type error in a citizen-ID column
would otherwise print the ID).
"""

from __future__ import annotations

import re

from .rules import CITIZEN_ID, EMAIL, NAME_PREFIX, PASSPORT_SHAPE, PERSON_NAME_IN_TEXT, PHONE

_CITIZEN_ID = re.compile(CITIZEN_ID)
_PHONE = re.compile(PHONE)
_EMAIL = re.compile(EMAIL)
_PASSPORT = re.compile(r"\b" + PASSPORT_SHAPE + r"\b")
_NAME = re.compile(PERSON_NAME_IN_TEXT)


def _digits(value: str, keep_first: int, keep_last: int) -> str:
    """Every digit but the first and last few becomes X; separators stay."""
    positions = [i for i, ch in enumerate(value) if ch.isdigit()]
    hidden = set(positions[keep_first:len(positions) - keep_last])
    return "".join("X" if i in hidden else ch for i, ch in enumerate(value))


def mask_citizen_id(value: str) -> str:
    digits = re.sub(r"[- ]", "", value)
    return f"{digits[0]}-XXXX-XXXXX-XX-{digits[-1]}" if len(digits) == 13 else "X" * len(value)


def mask_phone(value: str) -> str:
    return _digits(value, 3 if value.startswith("+") else 2, 2)


def mask_email(value: str) -> str:
    local, _, domain = value.partition("@")
    return f"{local[:1]}***@***.{domain.rsplit('.', 1)[-1]}"


def mask_passport(value: str) -> str:
    return _digits(value, 0, 2)


def mask_name(value: str) -> str:
    prefix = re.match(NAME_PREFIX, value)
    head = prefix.group(0) if prefix else ""
    parts = value[len(head):].split()
    return head + " ".join(p[:1] + "***" for p in parts)


MASKS = {"citizen-id": mask_citizen_id, "phone": mask_phone, "email": mask_email,
         "passport": mask_passport, "person-name": mask_name}
_IN_TEXT = (("email", _EMAIL), ("citizen-id", _CITIZEN_ID), ("phone", _PHONE),
            ("passport", _PASSPORT), ("person-name", _NAME))


def mask_value(kind: str, value: str) -> str:
    return MASKS[kind](value.strip())


def mask_text(text: str) -> str:
    """`text` with every value that looks like personal data masked (cheap: a few regexes)."""
    for kind, pattern in _IN_TEXT:
        group = 1 if pattern.groups else 0
        text = pattern.sub(lambda m, k=kind, g=group: m.group(0).replace(
            m.group(g), mask_value(k, m.group(g))), text)
    return text
