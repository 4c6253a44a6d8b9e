"""Checks every YAML document against the JSON Schema of its kind.

jsonschema's own messages are written for programmers; here each error becomes a
finding with the file, line and column of the offending value and a sentence a
data steward can act on (with a "did you mean" for misspelt keys).
"""

from __future__ import annotations

import difflib
from functools import cache

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from opencatalog.load.yaml_source import YamlDoc, dotted
from opencatalog.report.model import Finding
from opencatalog.schemas.build import shipped

_PATH_OR_URL = [{"required": ["path"]}, {"required": ["url"]}]


@cache
def _validator(kind: str) -> Draft202012Validator:
    return Draft202012Validator(shipped(kind))




def _unknown_keys(error: ValidationError, doc: YamlDoc, dataset: str | None) -> list[Finding]:
    allowed = sorted(error.schema.get("properties", {}))
    instance = error.instance if isinstance(error.instance, dict) else {}
    out = []
    for key in instance:
        if key in allowed:
            continue
        path = (*error.absolute_path, key)
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        hint = (f"did you mean '{close[0]}'?" if close else
                f"allowed keys here: {', '.join(allowed)}")
        out.append(doc.finding("schema.unknown-key", f"unknown key '{key}'", path, key=True,
                               dataset=dataset, hint=hint))
    return out


def _message(error: ValidationError) -> tuple[str, str | None]:
    """A readable sentence and an optional hint for one schema error."""
    value = error.instance
    keyword = error.validator
    if keyword == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
        return f"required key '{missing}' is missing", None
    if keyword == "enum":
        choices = [c for c in error.validator_value if isinstance(c, str)]
        close = difflib.get_close_matches(str(value), choices, n=1, cutoff=0.5)
        hint = f"did you mean '{close[0]}'?" if close else "allowed: " + ", ".join(choices)
        return f"'{value}' is not one of the allowed values", hint
    if keyword == "pattern":
        return f"'{value}' does not match the required pattern {error.validator_value}", None
    if keyword == "type":
        expected = error.validator_value
        expected = " or ".join(expected) if isinstance(expected, list) else expected
        return f"expected {expected}, got {type(value).__name__} {value!r}", None
    if keyword in ("minLength", "maxLength"):
        return f"'{value}' has {len(value)} characters; {keyword} is {error.validator_value}", None
    if keyword == "oneOf" and error.schema.get("oneOf") == _PATH_OR_URL:
        return ("a resource needs exactly one of 'path' (a data file) or 'url' (an external link)",
                None)
    if keyword == "uniqueItems":
        return "the list has the same value twice", "remove the duplicate"
    if keyword == "minItems":
        return "the list must not be empty", None
    return error.message, None


def _most_relevant(error: ValidationError) -> ValidationError:
    """For anyOf/oneOf, the error of the branch the author evidently meant.

    A title written as a mapping should be told about the mapping branch, not that it
    "is not a string"; so branches failing only on type are the last resort.
    """
    while error.validator in ("anyOf", "oneOf") and error.context:
        if error.schema.get("oneOf") == _PATH_OR_URL:
            break  # its own sentence names both alternatives
        meant = [e for e in error.context if e.validator != "type"]
        error = best_match(meant or error.context)
    return error


def check_document(kind: str, doc: YamlDoc, dataset: str | None = None) -> list[Finding]:
    if doc.data is None:
        return [Finding(code="schema.empty", message=f"the {kind} file is empty", file=doc.file,
                        line=1, dataset=dataset)]
    findings: list[Finding] = []
    for error in sorted(_validator(kind).iter_errors(doc.data), key=lambda e: list(map(str, e.path))):
        error = _most_relevant(error)
        if error.validator == "additionalProperties":
            findings.extend(_unknown_keys(error, doc, dataset))
            continue
        path = tuple(error.absolute_path)
        message, hint = _message(error)
        where = dotted(path)
        findings.append(doc.finding(f"schema.{error.validator}",
                                    f"{where}: {message}" if where else message,
                                    path, dataset=dataset, hint=hint))
    return findings
