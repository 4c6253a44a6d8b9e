"""opencatalog.validate.references and the whole-catalog validate(): names exist and are unique."""

from __future__ import annotations

from catalog_builder import (
    DATASET_FILE,
    DATASET_YAML,
    SECOND_DATASET_FILE,
    VALID_FILES,
    line_of,
    replace_once,
    second_dataset_yaml,
)
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.validate import validate
from opencatalog.validate.references import (
    check_dataset_references,
    check_owners,
    check_unique_names,
)

CATALOG = "catalog/catalog.yaml"
SECOND = SECOND_DATASET_FILE
SECOND_YAML = second_dataset_yaml()


def test_default_organization_must_exist(make_catalog) -> None:
    text = replace_once(VALID_FILES[CATALOG], "organization: test-org", "organization: tset-org")
    catalog = load_catalog(make_catalog({CATALOG: text}))
    [f] = check_owners(catalog)
    assert (f.code, f.file, f.line, f.column) == ("reference.organization", CATALOG, 4, 17)
    assert f.hint == "did you mean 'test-org'?"


def test_owner_name_must_match_its_file(make_catalog) -> None:
    catalog = load_catalog(make_catalog({
        "catalog/groups/test-group.yaml": "name: other-group\ntitle: กลุ่ม\n"}))
    [f] = check_owners(catalog)
    assert (f.code, f.file, f.line) == ("group.file-name", "catalog/groups/test-group.yaml", 1)


def test_unknown_group_lists_the_known_ones_when_nothing_is_close(make_catalog) -> None:
    text = replace_once(DATASET_YAML, "groups: [test-group]", "groups: [test-group, economy]")
    catalog = load_catalog(make_catalog({DATASET_FILE: text}))
    [f] = check_dataset_references(catalog, catalog.datasets[0])
    assert (f.code, f.field) == ("reference.group", "groups[1]")
    assert f.hint == "known: test-group"


def test_resource_names_are_unique_within_a_dataset(make_catalog) -> None:
    text = replace_once(DATASET_YAML, "  - name: funds\n", "  - name: provinces\n")
    catalog = load_catalog(make_catalog({DATASET_FILE: text}))
    [f] = check_dataset_references(catalog, catalog.datasets[0])
    assert f.code == "resource.duplicate-name"
    assert f.line == 29 and f.field == "resources[1].name"
    assert "first as resource 1" in f.message


def test_missing_data_file_names_the_repository_path(make_catalog) -> None:
    catalog = load_catalog(make_catalog(remove=["datapackages/village-funds/provinces.csv"]))
    [f] = check_dataset_references(catalog, catalog.datasets[0])
    assert f.code == "path.missing-data"
    assert f.message == "data file datapackages/village-funds/provinces.csv does not exist"
    assert (f.line, f.resource) == (line_of(DATASET_YAML, "path: provinces.csv"), "provinces")


def test_duplicate_title_is_a_gdc_rule_only(make_catalog) -> None:
    catalog = load_catalog(make_catalog({SECOND: SECOND_YAML}))
    [f] = check_unique_names(catalog, "thai-gdc")
    assert (f.code, f.file, f.line, f.dataset) == ("portal.duplicate-title", SECOND, 2, "welfare-funds")
    assert f.rule == "GD Catalog portal rule: dataset_title"
    assert check_unique_names(catalog, "ckan") == []


def test_duplicate_title_ignores_surrounding_space(make_catalog) -> None:
    second = replace_once(SECOND_YAML, "{th: กองทุนหมู่บ้านรายจังหวัด,", "{th: ' กองทุนหมู่บ้านรายจังหวัด ',")
    catalog = load_catalog(make_catalog({SECOND: second}))
    assert [f.code for f in check_unique_names(catalog, "thai-gdc")] == ["portal.duplicate-title"]


def test_different_titles_pass(make_catalog) -> None:
    second = replace_once(SECOND_YAML, "กองทุนหมู่บ้านรายจังหวัด", "กองทุนสวัสดิการ")
    catalog = load_catalog(make_catalog({SECOND: second}))
    assert check_unique_names(catalog, "thai-gdc") == []
    assert validate(catalog, data=False).ok


def test_duplicate_dataset_name(make_catalog) -> None:
    second = replace_once(SECOND_YAML, "name: welfare-funds\n", "name: village-funds\n")
    second = replace_once(second, "กองทุนหมู่บ้านรายจังหวัด", "กองทุนสวัสดิการ")
    catalog = load_catalog(make_catalog({SECOND: second}))
    [f] = check_unique_names(catalog, "thai-gdc")
    assert (f.code, f.file) == ("dataset.duplicate-name", SECOND)
    assert DATASET_FILE in f.message
    codes = [f.code for f in validate(catalog, data=False).findings]
    assert sorted(codes) == ["dataset.duplicate-name", "dataset.file-name"]


def test_limiting_to_one_dataset_leaves_out_the_others(make_catalog) -> None:
    second = replace_once(SECOND_YAML, "organization: test-org", "organization: nobody")
    catalog = load_catalog(make_catalog({SECOND: second}))
    everything = validate(catalog, data=False)
    assert sorted(f.code for f in everything.findings) == ["portal.duplicate-title",
                                                           "reference.organization"]
    only_first = validate(catalog, datasets=["village-funds"], data=False)
    assert only_first.findings == [] and only_first.datasets == ["village-funds"]
    only_second = validate(catalog, datasets=["welfare-funds"], data=False)
    assert sorted(f.code for f in only_second.findings) == ["portal.duplicate-title",
                                                            "reference.organization"]


def test_catalog_level_problems_are_reported_whatever_the_limit(make_catalog) -> None:
    text = replace_once(VALID_FILES[CATALOG], "organization: test-org", "organization: nobody")
    catalog = load_catalog(make_catalog({CATALOG: text}))
    report = validate(catalog, datasets=["village-funds"], data=False)
    assert [f.code for f in report.findings] == ["reference.organization"]
    assert report.findings[0].file == CATALOG


def test_datastore_true_needs_a_csv_file_with_a_schema(make_catalog) -> None:
    link = ("  - name: portal\n    title: {th: เว็บไซต์, en: Website}\n"
            "    url: https://www.cdd.go.th/\n    format: HTML\n    datastore: true\n")
    text = DATASET_YAML + link
    text = replace_once(text, "    schema: provinces.schema.yaml\n",
                        "    schema: provinces.schema.yaml\n    datastore: true\n")
    catalog = load_catalog(make_catalog({DATASET_FILE: text}))
    [f] = check_dataset_references(catalog, catalog.datasets[0])
    assert (f.code, f.resource, f.field) == ("resource.datastore-unloadable", "portal",
                                             "resources[2].datastore")
    assert "is a link" in f.message
    assert f.line == len(text.splitlines())  # the link's `datastore: true`, the last line
