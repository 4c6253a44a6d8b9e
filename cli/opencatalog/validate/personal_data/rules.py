"""What counts as personal data, and every sentence the personal-data gate says.

One place for the detectors' patterns, the column names that give a column away, the
thresholds and the wording, so that a reviewer (or a translator) reads them together.
The patterns are written for both engines that use them: polars (Rust `regex`, no
look-around) for the vectorised scan, Python's `re` for masking a few example values.
"""

from __future__ import annotations

from dataclasses import dataclass

# -- the gate -------------------------------------------------------------------------------

# GD Catalog choices (reference/gd-catalog-fields.yaml) that a public dataset must have.
PUBLIC_CATEGORY = "ข้อมูลสาธารณะ"
PUBLIC_CLASSIFICATION = "เปิดเผย"

# -- scanning -------------------------------------------------------------------------------

# A column is flagged for a kind when at least this share of its non-empty scanned values match.
# Random 13-digit codes pass the citizen-ID check digit about one time in ten, so the share is
# well above that.
FLAG_SHARE = 0.5
# The rows are scanned batch by batch (about 20,000 rows each on the fast path). The first
# SAMPLE_ROWS rows of a batch are checked for every kind (a batch of up to twice that: all of
# it); a kind found in a column's sample is then counted over the whole batch. A column with
# nothing in its samples costs only the samples.
SAMPLE_ROWS = 500
# ...until a column is flagged beyond doubt (this many values scanned, nearly all matching):
# from then on the samples of later batches suffice (the counts are then of the values scanned).
SETTLED_VALUES = 20_000
SETTLED_SHARE = 0.9
ROWS_SHOWN = 5  # first matching row numbers named in a finding
# Table Schema types whose cells can hold each kind (a date or boolean cannot hold a phone).
TEXT_TYPES = frozenset({"string", "any"})
NUMBER_TYPES = frozenset({"integer", "number"})

# Thai citizen ID (เลขประจำตัวประชาชน): 13 digits, or 1-2345-67890-12-3 with dashes or spaces,
# not inside a longer number. The first digit (1-8) and the mod-11 check digit are tested by
# detect.citizen_id_valid, vectorised; python-stdnum's stdnum.th.pin is the reference in tests.
CITIZEN_ID = r"(?:^|[^0-9])([0-9][- ]?[0-9]{4}[- ]?[0-9]{5}[- ]?[0-9]{2}[- ]?[0-9])(?:[^0-9]|$)"
# Thai phone numbers: mobile 0[689]x-xxx-xxxx, landline 0x-xxx-xxxx / 0xx-xxx-xxx, or +66
# without the leading 0; digits may be separated by a dash, a space or ")" — not by a dot
# (0.23456789 is a number). Not a part of a longer group of numbers (a dashed citizen ID).
_SEP = r"[- )]{0,2}"
PHONE = (r"(?:^[- (]?|[^0-9+\- ()][- (]?)((?:\+66" + _SEP + r"|0)(?:[689](?:" + _SEP
         + r"[0-9]){8}|[2-7](?:" + _SEP + r"[0-9]){7}))(?:[- )]?$|[- )]?[^0-9\- )])")
EMAIL = r"([A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,})"
# Thai passports: one or two letters and seven digits, the whole cell. There is no check digit,
# so a code column of the same shape is flagged too (declare an exception).
PASSPORT_SHAPE = r"[A-Z]{1,2}[0-9]{7}"
PASSPORT = r"^\s*(" + PASSPORT_SHAPE + r")\s*$"
# A person's name: an honorific prefix, a given name and a family name, at the start of a cell.
NAME_PREFIX = r"(?:นางสาว|นาย|นาง|น\.ส\.|ด\.ช\.|ด\.ญ\.|เด็กชาย|เด็กหญิง)"
PERSON_NAME = r"^\s*(" + NAME_PREFIX + r"\s?[ก-๎]{2,}\s+[ก-๎]{2,})"
# ...but not an office or a place that starts like one (นายกเทศมนตรี, นายอำเภอ, อำเภอนางรอง).
NOT_A_NAME = (r"^\s*(?:นาย(?:ก|อำเภอ|ทะเบียน|ช่าง|ตรวจ|สถานี|หน้า|จ้าง|ทุน|ด่าน|อากร|ประกัน|ท้าย|ร้อย|สิบ"
              r"|พัน|พล)|นาง(?:รอง|พยาบาล|แล|งาม))")
# In free text (a finding's message quoting a cell) a name is masked wherever it stands.
PERSON_NAME_IN_TEXT = NAME_PREFIX + r"\s?[ก-๎]{2,}(?:\s+[ก-๎]{2,})?"
# One cheap test per text column of a sample that every kind above implies: nine digits (with
# separators), an "@", a name's prefix or a passport's shape. Columns without it cost nothing more.
TEXT_PREFILTER = (r"(?:[0-9][- ()+]{0,2}){9}|@|^\s*" + NAME_PREFIX + r"|" + PASSPORT)
ID_MIN_BYTES = 13  # a number column's cell shorter than this cannot hold a citizen ID


@dataclass(frozen=True)
class Kind:
    name: str  # stable, used in `pdpa:` exceptions: kinds: [...]
    label: str  # in messages: "column 'x' holds <label>"
    types: frozenset[str]  # Table Schema types scanned for it (None/unknown type: text)
    # normalised column names (lower case; spaces, "_", "-", "." removed) that give it away:
    header_words: tuple[str, ...]  # ...contained in the name or title
    header_names: tuple[str, ...] = ()  # ...equal to it


KINDS: tuple[Kind, ...] = (
    Kind("citizen-id", "Thai citizen ID numbers (เลขประจำตัวประชาชน)", TEXT_TYPES | NUMBER_TYPES,
         ("เลขประจำตัวประชาชน", "เลขบัตรประชาชน", "บัตรประชาชน", "citizenid", "nationalid",
          "idcard", "personalid"), ("pid", "cid")),
    Kind("phone", "phone numbers (เบอร์โทรศัพท์)", TEXT_TYPES,
         ("เบอร์โทร", "โทรศัพท์", "phone", "mobile"), ("tel", "telno", "โทร", "มือถือ")),
    Kind("email", "e-mail addresses (อีเมล)", TEXT_TYPES, ("email", "อีเมล"), ("mail",)),
    Kind("passport", "passport numbers (เลขหนังสือเดินทาง)", TEXT_TYPES,
         ("passport", "หนังสือเดินทาง")),
    Kind("person-name", "persons' names (ชื่อ-นามสกุล)", TEXT_TYPES,
         ("ชื่อสกุล", "ชื่อนามสกุล", "นามสกุล", "firstname", "lastname", "surname", "fullname")),
)
KIND = {k.name: k for k in KINDS}

# -- wording --------------------------------------------------------------------------------

CODE_FOUND = "pdpa.personal-data"
CODE_CATEGORY = "pdpa.data-category"
CODE_CLASSIFICATION = "pdpa.data-classification"
CODE_EXCEPTION = "pdpa.exception"
CODE_UNUSED = "pdpa.exception-unused"
CODE_NOT_SCANNED = "pdpa.not-scanned"
RULE = "PDPA gate: a public dataset holds no personal data (พ.ร.บ.คุ้มครองข้อมูลส่วนบุคคล พ.ศ. 2562)"

HINT_FOUND = ("remove the column (or replace it with a code that identifies nobody), publish the "
              "dataset with `private: true` (to its organization only), or, if it is not personal "
              "data or is lawful to publish, declare an exception in the dataset YAML: "
              "`pdpa: {exceptions: [{resource: …, column: …, reason: …, decided_by: …}]}`")
HINT_METADATA = ("publish it with `private: true` (to its organization only), or correct "
                 "`gdc.{field}` if the data really is public")
HINT_UNUSED = "remove the exception, or correct its resource and column names"
HINT_NOT_SCANNED = ("until it can be read (a CSV UTF-8 with a table schema always can), nobody knows it "
                    "is free of personal data: check it by hand, or publish the dataset `private: true`")


def rows_text(rows: list[int], count: int) -> str:
    shown = ", ".join(str(r) for r in rows)
    return f"row {shown}" if count == 1 else f"rows {shown}{', …' if count > len(rows) else ''}"


def found_message(kind: Kind, column: str, resource: str, count: int, scanned: int,
                  rows: list[int], example: str | None, header: bool, partial: bool) -> str:
    if not count:
        return f"column '{column}' of resource '{resource}' is named like a column of {kind.label}"
    named = " (and is named like one)" if header else ""
    where = " in the rows read before the row checks stopped (too many errors)" if partial else ""
    return (f"column '{column}' of resource '{resource}' holds {kind.label}{named}: {count:,} of "
            f"{scanned:,} non-empty value(s) scanned{where} ({rows_text(rows, count)}), e.g. {example}")


def private_note(message: str) -> str:
    return message + "; the dataset is private: it is published to its organization only"


def category_message(value: object) -> str:
    return (f"the dataset is public but its data_category is '{value}': only "
            f"{PUBLIC_CATEGORY} may be published publicly")


def classification_message(value: object) -> str:
    return (f"the dataset is public but its data_classification is '{value}': only "
            f"{PUBLIC_CLASSIFICATION} may be published publicly")


def exception_message(kind: Kind, column: str, resource: str, count: int, reason: str,
                      decided_by: str) -> str:
    what = f"{count:,} value(s)" if count else "its name"
    return (f"column '{column}' of resource '{resource}' ({kind.label}: {what}) is published "
            f"under a declared exception — reason: {reason}; decided by: {decided_by}")


def unused_message(column: str | None, resource: str | None) -> str:
    return (f"the pdpa exception for column '{column}' of resource '{resource}' matches no "
            "flagged column")


def not_scanned_message(resource: str, reason: str) -> str:
    return f"resource '{resource}' could not be scanned for personal data: {reason}"
