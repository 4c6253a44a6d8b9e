"""opencatalog.validate.metadata: JSON Schema errors as findings a data steward can act on."""

from __future__ import annotations

from catalog_builder import DATASET_YAML, line_of, replace_once
from opencatalog.load.yaml_source import parse_yaml
from opencatalog.report.model import Finding
from opencatalog.validate.metadata import check_document

FILE = "catalog/datasets/village-funds.yaml"


def check(text: str, kind: str = "dataset") -> list[Finding]:
    return check_document(kind, parse_yaml(text, FILE), "village-funds")


def test_the_builder_documents_pass() -> None:
    assert check(DATASET_YAML) == []


def test_unknown_key_with_a_close_match() -> None:
    text = replace_once(DATASET_YAML, "    path: funds.csv\n", "    pathh: funds.csv\n")
    findings = check(text)
    unknown = [f for f in findings if f.code == "schema.unknown-key"]
    assert len(unknown) == 1
    [f] = unknown
    assert f.hint == "did you mean 'path'?"
    assert f.field == "resources[1].pathh"
    assert (f.line, f.column) == (line_of(text, "pathh"), 5)  # the key, not the value
    assert f.dataset == "village-funds"


def test_unknown_key_without_a_close_match_lists_the_allowed_keys() -> None:
    findings = check("name: cdd\ntitle: กรม\nzzz: 1\n", "organization")
    [f] = findings
    assert f.code == "schema.unknown-key"
    assert f.hint == "allowed keys here: description, image_url, name, title, url"


def test_several_unknown_keys_are_all_reported() -> None:
    text = DATASET_YAML + "foo: 1\nbar: 2\n"
    assert [f.field for f in check(text)] == ["foo", "bar"]


def test_enum_without_a_close_match_lists_the_choices() -> None:
    text = replace_once(DATASET_YAML, "data_category: ข้อมูลสาธารณะ", "data_category: xyz")
    [f] = check(text)
    assert f.code == "schema.enum"
    assert f.message == "gdc.data_category: 'xyz' is not one of the allowed values"
    assert f.hint and f.hint.startswith("allowed: ข้อมูลสาธารณะ, ข้อมูลใช้ภายใน")


def test_enum_inside_a_multiple_choice_list_points_at_the_item() -> None:
    text = replace_once(DATASET_YAML, "data_format: [CSV]", "data_format: [CSV, CVS]")
    [f] = check(text)
    assert f.code == "schema.enum"
    assert f.field == "gdc.data_format[1]"
    assert (f.line, f.column) == (line_of(text, "data_format"), 22)
    assert f.hint == "did you mean 'CSV'?"


def test_text_mapping_without_th_says_th_is_missing() -> None:
    """A title written as a mapping is told about the mapping, not that it is not a string."""
    text = replace_once(DATASET_YAML, "title: {th: กองทุนหมู่บ้านรายจังหวัด, en: Village funds by province}",
                        "title: {en: Village funds}")
    [f] = check(text)
    assert f.code == "schema.required"
    assert f.message == "title: required key 'th' is missing"
    assert f.line == 2


def test_text_mapping_with_a_typo_is_an_unknown_key() -> None:
    text = replace_once(DATASET_YAML, "{th: จังหวัด, en: Provinces}", "{th: จังหวัด, eng: Provinces}")
    [f] = check(text)
    assert (f.code, f.hint) == ("schema.unknown-key", "did you mean 'en'?")


def test_type_error_message() -> None:
    text = replace_once(DATASET_YAML, "license: Open Data Common\n",
                        "license: Open Data Common\nprivate: 'no'\n")
    [f] = check(text)
    assert f.code == "schema.type"
    assert f.message == "private: expected boolean, got str 'no'"


def test_duplicate_tags() -> None:
    text = replace_once(DATASET_YAML, "tags: [กองทุน, จังหวัด, OTOP]", "tags: [OTOP, OTOP]")
    [f] = check(text)
    assert (f.code, f.message, f.hint) == ("schema.uniqueItems", "tags: the list has the same value twice",
                                          "remove the duplicate")


def test_resource_with_neither_path_nor_url_is_reported_at_the_resource() -> None:
    text = replace_once(DATASET_YAML, "    path: funds.csv\n", "")
    [f] = check(text)
    assert f.field == "resources[1]"
    assert f.line == line_of(text, "- name: funds")


def test_resource_with_neither_path_nor_url_mentions_both() -> None:
    text = replace_once(DATASET_YAML, "    path: funds.csv\n", "")
    [f] = check(text)
    assert "'url'" in f.message


def test_resource_with_both_path_and_url() -> None:
    text = replace_once(DATASET_YAML, "    path: funds.csv\n",
                        "    path: funds.csv\n    url: https://example.go.th/f.csv\n")
    [f] = check(text)
    assert f.code == "schema.oneOf"
    assert "exactly one of 'path'" in f.message and "'url'" in f.message


def test_name_too_short_and_bad_pattern() -> None:
    [f] = check(replace_once(DATASET_YAML, "name: village-funds\n", "name: v\n"))
    assert (f.code, f.message) == ("schema.minLength", "name: 'v' has 1 characters; minLength is 2")
    [f] = check(replace_once(DATASET_YAML, "name: village-funds\n", "name: กองทุน\n"))
    assert f.code == "schema.pattern"


def test_contact_email_pattern() -> None:
    [f] = check(replace_once(DATASET_YAML, "email: data@example.go.th", "email: data at example"))
    assert (f.code, f.field, f.line) == ("schema.pattern", "contact.email", 10)


def test_empty_document() -> None:
    [f] = check_document("group", parse_yaml("", "catalog/groups/g.yaml"))
    assert (f.code, f.file, f.line) == ("schema.empty", "catalog/groups/g.yaml", 1)


def test_catalog_requires_a_profile_and_closed_targets() -> None:
    findings = check_document("catalog", parse_yaml(
        "language: th\ntargets:\n  prod:\n    url: https://x\n    token: abc\n", "catalog/catalog.yaml"))
    assert sorted(f.code for f in findings) == ["schema.required", "schema.unknown-key"]
    [unknown] = [f for f in findings if f.code == "schema.unknown-key"]
    assert (unknown.field, unknown.line) == ("targets.prod.token", 5)


def test_every_error_of_a_document_is_reported_in_one_run() -> None:
    text = replace_once(DATASET_YAML, "name: village-funds\n", "name: Village\n")
    text = replace_once(text, "geo_coverage: จังหวัด", "geo_coverage: x")
    text = replace_once(text, "    path: funds.csv\n", "    path: funds.csv\n    colour: red\n")
    findings = check(text)
    # sorted by key path, so the order is stable from run to run
    assert [f.field for f in findings] == ["gdc.geo_coverage", "name", "resources[1].colour"]
    assert [f.line for f in findings] == [16, 1, 32]
