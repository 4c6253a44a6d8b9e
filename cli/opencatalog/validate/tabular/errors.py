"""The one error record both tabular engines produce.

Both the frictionless reference engine and the polars fast path return
`TableError`s so that callers (and the differential tests) never see which
engine ran.
"""

from __future__ import annotations

from dataclasses import dataclass

# Hints keyed by frictionless error type.  They live here, not in an engine, so
# that both engines attach the same hint to the same finding.
HINTS: dict[str, str] = {
    "type-error": "Fix the value so it matches the field type, or change the field type in the schema.",
    "constraint-error": "Fix the value, or relax the constraint in the schema.",
    "unique-error": "Values in this field must be unique; remove or correct the duplicate.",
    "primary-key": "Each row needs a distinct, non-empty primary key; remove or correct the duplicate row.",
    "foreign-key": "Add the missing value to the referenced resource, or correct this value.",
    "missing-cell": "The row has fewer cells than the header; add the missing separators.",
    "extra-cell": "The row has more cells than the header; quote values that contain the "
    "separator, or remove the extra cells.",
    "blank-row": "Delete the empty row.",
    "blank-label": "Give every column a header label.",
    "duplicate-label": "Rename the duplicated column header.",
    "incorrect-label": "Rename the column header to the field name in the schema (or fix the schema).",
    "missing-label": "Add the column to the file, or remove the field from the schema.",
    "extra-label": "Add a field to the schema for this column, or remove the column.",
    "scheme-error": "Check that the file path in the data package is correct and the file exists.",
    "source-error": "Check that the file exists, is not empty and is a CSV file.",
    "encoding-error": "Save the file as UTF-8.",
    "buddhist-era-type": "Fix the value: it must be a real day of the Buddhist calendar (พ.ศ. = "
    "ค.ศ. + 543) in the field's format; or correct the field's `format` in the schema.",
    "buddhist-era-suspected": "If the years are พ.ศ., declare it on the field in the table schema: "
    "`calendar: buddhist` (validation then checks real Buddhist-era days, e.g. 29/02/2567, and "
    "the DataStore stores the Gregorian dates); if they really are ค.ศ., add `calendar: gregorian`.",
    # an incorrect-label whose header and field name differ only in Unicode form
    "label-form": "Run `opencatalog fix unicode FILE` on the data file and on the table schema: "
    "it rewrites both in Unicode normal form NFC (and SARA AM as one character), keeping a backup.",
}


@dataclass(frozen=True)
class TableError:
    resource: str  # resource name ("" for package-level problems)
    type: str  # frictionless error type, e.g. "type-error", "primary-key"
    message: str  # human sentence
    row_number: int | None = None  # as frictionless counts (header row = 1)
    field_name: str | None = None
    cell: str | None = None
    hint: str | None = None  # how to fix, when we know
    line_number: int | None = None  # first line of the row in its file, when it differs

    @property
    def key(self) -> tuple[str, str, int | None, str | None]:
        """What the differential tests compare: engine-independent identity."""
        return (self.resource, self.type, self.row_number, self.field_name)


def hint_for(error_type: str) -> str | None:
    return HINTS.get(error_type)


def label_form_message(label: str, field_name: str, position: int | None) -> str:
    """An incorrect-label whose two names look identical: say why they differ."""
    codes = " ".join(f"U+{ord(c):04X}" for c in label if ord(c) > 0x7F)
    return (f'Label "{label}" at position "{position}" looks like the field name "{field_name}" '
            "but is encoded differently (Unicode normalisation: not NFC, or SARA AM typed as "
            f"NIKHAHIT + SARA AA); the label's characters are {codes}")


# Findings of the Buddhist-era calendar check (calendar.py), in frictionless's wording where
# it has one.
CALENDAR_TEMPLATES = {
    "type": 'Type error in the cell "{cell}" in row "{row}" and field "{field}" at position '
            '"{position}": type is "{type}/{fmt}" in the Buddhist calendar (พ.ศ.): not a real day in '
            "that format",
    "bound": 'The cell "{cell}" in row "{row}" and field "{field}" at position "{position}" does '
             'not conform to a constraint: constraint "{name}" is "{bound}" (พ.ศ.)',
    "suspected": 'Every year in field "{field}" is after {year} (e.g. "{example}"): the {type}s '
                 "look Buddhist-era (พ.ศ.) and would be stored 543 years in the future",
}


def date_format_hint(fmt: str, field: str, example: str, buddhist: bool) -> str:
    """The hint of a date column whose failing cells are all written in another format."""
    calendar = (" and `calendar: buddhist` (the years are พ.ศ.; the DataStore then stores "
                "Gregorian dates)") if buddhist else ""
    return (f'Every failing cell of this column is a date written "{fmt}" (e.g. "{example}"): '
            f'add `format: "{fmt}"`{calendar} to field "{field}" in the table schema.')


def calendar_message(kind: str, **values: object) -> str:
    if kind in ("type", "suspected"):
        return CALENDAR_TEMPLATES[kind].format(**values)
    return CALENDAR_TEMPLATES["bound"].format(name=kind, **values)
