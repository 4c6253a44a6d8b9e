"""opencatalog.validate.profile_rules: GD Catalog (thai-gdc) and stock CKAN rules."""

from __future__ import annotations

import pytest

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML, VALID_FILES, line_of, replace_once
from opencatalog.gdc import standard
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.model.catalog import Dataset
from opencatalog.report.model import Finding
from opencatalog.validate import validate
from opencatalog.validate.profile_rules import CKAN_TAG, check_dataset


@pytest.fixture
def load(make_catalog):
    """load(dataset_yaml_text, name) -> the Dataset, loaded from a catalog on disk.

    `name` renames the dataset file and its data folder (the text must say the same name).
    """

    def run(text: str = DATASET_YAML, name: str = "village-funds", clean: bool = True) -> Dataset:
        overrides: dict[str, str | None] = {DATASET_FILE: text}
        if name != "village-funds":
            overrides[DATASET_FILE] = None
            overrides[f"catalog/datasets/{name}.yaml"] = text
            for rel, content in VALID_FILES.items():
                if rel.startswith(DATA_DIR + "/"):
                    overrides[rel] = None
                    overrides[rel.replace(DATA_DIR, f"datapackages/{name}")] = content
        catalog = load_catalog(make_catalog(overrides))
        if clean:
            assert catalog.load_findings == []
        [dataset] = catalog.datasets
        return dataset

    return run


def codes(findings: list[Finding]) -> list[str]:
    return [f.code for f in findings]


def with_tags(tags: str) -> str:
    return replace_once(DATASET_YAML, "tags: [กองทุน, จังหวัด, OTOP]", f"tags: [{tags}]")


def test_the_builder_dataset_passes_both_profiles_except_ckan_tags(load) -> None:
    dataset = load()
    assert check_dataset(dataset, "thai-gdc") == []
    assert codes(check_dataset(dataset, "ckan")) == ["portal.tag-characters"] * 2


# --- tags ---------------------------------------------------------------------------------------


def test_ckan_tag_rule_rejects_thai_marks_and_gdc_accepts_them(load) -> None:
    dataset = load(with_tags("จังหวัด, OTOP"))
    assert check_dataset(dataset, "thai-gdc") == []
    [finding] = check_dataset(dataset, "ckan")
    assert finding.code == "portal.tag-characters"
    assert "จังหวัด" in finding.message
    assert finding.rule == "stock CKAN rule: tags"
    assert "thai-gdc" in (finding.hint or "")
    assert (finding.file, finding.line, finding.column) == (DATASET_FILE, 6, 8)
    assert finding.field == "tags[0]"


@pytest.mark.parametrize("tag", ["จังหวัด", "ชุมชน", "กองทุน", "ข้อมูล", "เศรษฐกิจพอเพียง"])
def test_words_with_combining_marks_fail_ckan(tag: str) -> None:
    assert not CKAN_TAG.match(tag)


@pytest.mark.parametrize("tag", ["OTOP", "open data", "data_2566", "v1.0", "กรม", "ตลาด"])
def test_tags_both_rules_accept(load, tag: str) -> None:
    """Thai words made of letters only (no vowel or tone marks) pass even stock CKAN."""
    assert CKAN_TAG.match(tag)
    assert check_dataset(load(with_tags(f'"{tag}", OTOP')), "thai-gdc") == []


@pytest.mark.parametrize("tag", ["a/b", "ข้อมูล!", "@cdd", "#hash", "ผลิตภัณฑ์/OTOP"])
def test_gdc_portal_accepts_any_character_in_a_tag(load, tag: str) -> None:
    """A real GD portal's tag check matches every string (portal_rules.tags): length only."""
    dataset = load(with_tags(f'"{tag}", OTOP'))
    assert check_dataset(dataset, "thai-gdc") == []
    assert codes(check_dataset(dataset, "ckan")) == ["portal.tag-characters"]


def test_tag_length(load) -> None:
    dataset = load(with_tags("ก, OTOP, " + "x" * 101))
    findings = check_dataset(dataset, "thai-gdc")
    assert codes(findings) == ["portal.tag-length", "portal.tag-length"]
    assert [f.field for f in findings] == ["tags[0]", "tags[2]"]


# --- dataset name -------------------------------------------------------------------------------


NAME_70 = "village-funds-by-province-district-and-subdistrict-fiscal-year-2566-70"
NAME_71 = NAME_70 + "x"


def test_name_of_70_characters_passes_thai_gdc(load) -> None:
    assert len(NAME_70) == 70
    text = replace_once(DATASET_YAML, "name: village-funds\n", f"name: {NAME_70}\n")
    assert check_dataset(load(text, NAME_70), "thai-gdc") == []


def test_name_of_71_characters_fails_thai_gdc_but_not_ckan(load) -> None:
    assert len(NAME_71) == 71
    dataset = load(replace_once(with_tags("OTOP"), "name: village-funds\n", f"name: {NAME_71}\n"),
                   NAME_71)
    [finding] = check_dataset(dataset, "thai-gdc")
    assert finding.code == "portal.name-length"
    assert "71" in finding.message and "70" in finding.message
    assert finding.rule == "GD Catalog portal rule: dataset_name"
    assert (finding.line, finding.column) == (1, 7)
    assert check_dataset(dataset, "ckan") == []  # stock CKAN allows 100


def test_name_differing_from_file_name(load) -> None:
    text = replace_once(DATASET_YAML, "name: village-funds\n", "name: village-fund\n")
    [finding] = check_dataset(load(text, clean=False), "thai-gdc")
    assert finding.code == "dataset.file-name"
    assert "village-fund.yaml" in (finding.hint or "")


# --- GD Catalog fields --------------------------------------------------------------------------


def test_other_choice_needs_its_companion(load) -> None:
    text = replace_once(DATASET_YAML, "geo_coverage: จังหวัด", "geo_coverage: อื่นๆ")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert finding.code == "gdc.other-missing"
    assert finding.severity == "error"
    assert finding.field == "gdc.geo_coverage"
    assert finding.line == line_of(text, "geo_coverage:")
    assert "geo_coverage_other" in (finding.hint or "")


def test_other_choice_with_companion_passes(load) -> None:
    text = replace_once(DATASET_YAML, "  geo_coverage: จังหวัด\n",
                        "  geo_coverage: อื่นๆ\n  geo_coverage_other: ลุ่มน้ำโขง\n")
    assert check_dataset(load(text), "thai-gdc") == []


def test_other_in_a_multiple_choice_list_needs_its_companion(load) -> None:
    text = replace_once(DATASET_YAML, "objective: [พันธกิจหน่วยงาน]",
                        "objective: [พันธกิจหน่วยงาน, อื่นๆ]")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert (finding.code, finding.field) == ("gdc.other-missing", "gdc.objective")


def test_companion_without_other_is_a_warning(load) -> None:
    text = replace_once(DATASET_YAML, "  geo_coverage: จังหวัด\n",
                        "  geo_coverage: จังหวัด\n  geo_coverage_other: ลุ่มน้ำโขง\n")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert (finding.code, finding.severity) == ("gdc.other-unused", "warning")
    assert finding.field == "gdc.geo_coverage_other"


def test_resource_other_choice_needs_its_companion(load) -> None:
    text = replace_once(DATASET_YAML, 'gdc: {resource_first_year_of_data: "2566"}',
                        "gdc: {resource_unit_of_multiplier: อื่นๆ}")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert finding.code == "gdc.other-missing"
    assert finding.field == "resources[1].gdc.resource_unit_of_multiplier"
    assert finding.line == line_of(text, "resource_unit_of_multiplier")


def test_field_not_applicable_to_the_data_type_is_a_warning(load, make_catalog) -> None:
    # data_support applies to record/multiple/other data (RMO), not to statistics (S).
    text = replace_once(DATASET_YAML, "  data_source: หน่วยงานทดสอบ\n",
                        "  data_source: หน่วยงานทดสอบ\n  data_support: หน่วยงานของรัฐ\n")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert (finding.code, finding.severity) == ("gdc.not-applicable", "warning")
    assert "data_support" in finding.message
    assert (finding.line, finding.column) == (line_of(text, "data_support"), 3)  # the key
    report = validate(load_catalog(make_catalog({DATASET_FILE: text})))
    assert report.ok  # a warning does not make the catalog invalid


def test_field_applicable_to_record_data_is_fine_there(load) -> None:
    text = replace_once(DATASET_YAML, "data_type: ข้อมูลสถิติ", "data_type: ข้อมูลระเบียน")
    text = replace_once(text, '  first_year_of_data: "2566"\n  last_year_of_data: "2566"\n',
                        "  data_support: หน่วยงานของรัฐ\n")
    text = replace_once(text, '    gdc: {resource_first_year_of_data: "2566"}\n', "")
    assert check_dataset(load(text), "thai-gdc") == []


def _without_gdc_block() -> str:
    head, rest = DATASET_YAML.split("gdc:\n", 1)
    return head + "resources:\n" + rest.split("resources:\n", 1)[1]


def test_every_required_gd_field_is_required_on_thai_gdc(load) -> None:
    text = _without_gdc_block()
    findings = check_dataset(load(text), "thai-gdc")
    assert set(codes(findings)) == {"gdc.required"}
    required = {f.name for f in standard().gdc_dataset_fields
                if f.required or "required" in f.portal_checks}
    assert required == {"data_type", "objective", "update_frequency_unit", "geo_coverage",
                        "data_source", "data_format", "data_category"}
    assert {f.message.split("gdc.")[1].split(" ")[0] for f in findings} == required
    for finding in findings:
        assert finding.hint and finding.hint.startswith("add ")


def test_ckan_profile_does_not_require_gd_fields(load) -> None:
    text = with_tags("OTOP")
    head, rest = text.split("gdc:\n", 1)
    text = head + "resources:\n" + rest.split("resources:\n", 1)[1]
    assert check_dataset(load(text), "ckan") == []


def test_required_core_fields_point_at_their_yaml_key(load, make_catalog) -> None:
    text = replace_once(DATASET_YAML, "  email: data@example.go.th\n", "")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert finding.code == "gdc.required"
    assert "maintainer_email" in finding.message and "contact.email" in finding.message
    assert finding.line == line_of(text, "contact:") + 1  # the contact mapping


def test_organization_and_license_come_from_catalog_defaults(load) -> None:
    text = replace_once(DATASET_YAML, "organization: test-org\n", "")
    text = replace_once(text, "license: Open Data Common\n", "")
    dataset = load(text)
    assert (dataset.organization, dataset.license) == ("test-org", "Open Data Common")
    assert check_dataset(dataset, "thai-gdc") == []


def test_missing_organization_without_default(make_catalog) -> None:
    catalog_yaml = VALID_FILES["catalog/catalog.yaml"].replace("  organization: test-org\n", "")
    text = replace_once(DATASET_YAML, "organization: test-org\n", "")
    catalog = load_catalog(make_catalog({"catalog/catalog.yaml": catalog_yaml, DATASET_FILE: text}))
    [finding] = check_dataset(catalog.datasets[0], "thai-gdc")
    assert finding.code == "gdc.required" and "owner_org" in finding.message
    assert "catalog.yaml" in (finding.hint or "")


# --- licence ------------------------------------------------------------------------------------


def test_ckan_licence_id_is_accepted_only_on_ckan(load) -> None:
    text = replace_once(with_tags("OTOP"), "license: Open Data Common", "license: cc-by")
    dataset = load(text)
    assert check_dataset(dataset, "ckan") == []
    [finding] = check_dataset(dataset, "thai-gdc")
    assert finding.code == "gdc.license"
    assert "Open Data Common" in (finding.hint or "")


def test_unknown_licence_fails_both(load) -> None:
    dataset = load(replace_once(with_tags("OTOP"), "license: Open Data Common", "license: MIT"))
    assert codes(check_dataset(dataset, "thai-gdc")) == ["gdc.license"]
    assert codes(check_dataset(dataset, "ckan")) == ["gdc.license"]


# --- resources ----------------------------------------------------------------------------------


def test_csv_without_table_schema_is_a_warning(load) -> None:
    text = replace_once(DATASET_YAML, "    schema: funds.schema.yaml\n", "")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert (finding.code, finding.severity) == ("resource.no-schema", "warning")
    assert finding.line == line_of(text, "- name: funds")


# --- what the real GD portal refuses (portal_checks), refused offline first ----------------------


def with_gdc(line: str) -> str:
    return replace_once(with_tags("OTOP"), "gdc:\n", f"gdc:\n  {line}\n")


@pytest.mark.parametrize("value", ["2023-02-30", "2023-13-01", "2023-02-29"])
def test_impossible_dates_are_refused(load, value: str) -> None:
    dataset = load(with_gdc(f"last_updated_date: {value}"))
    [finding] = check_dataset(dataset, "thai-gdc")
    assert finding.code == "gdc.date-invalid"
    assert "วันที่ปรับปรุงข้อมูลล่าสุด" in finding.message and value in finding.message
    assert finding.field == "gdc.last_updated_date"


@pytest.mark.parametrize("value,meant", [("2566-10-15", "2023-10-15"), ("2567-02-29", "2024-02-29")])
def test_buddhist_era_date_names_the_gregorian_date_it_means(load, value: str, meant: str) -> None:
    [finding] = check_dataset(load(with_gdc(f'last_updated_date: "{value}"')), "thai-gdc")
    assert finding.code == "gdc.buddhist-era-date" and finding.severity == "error"
    assert "พ.ศ." in finding.message
    assert meant in (finding.hint or "")


def test_buddhist_era_date_that_is_no_day_in_either_calendar(load) -> None:
    [finding] = check_dataset(load(with_gdc("last_updated_date: 2566-02-29")), "thai-gdc")
    assert finding.code == "gdc.buddhist-era-date"
    assert "not a real day" in (finding.hint or "")


def test_real_date_passes(load) -> None:
    assert check_dataset(load(with_gdc("last_updated_date: 2024-02-29")), "thai-gdc") == []


@pytest.mark.parametrize("email", ["ข้อมูล@cdd.go.th", "data..center@cdd.go.th", "data@cdd_go.th",
                                   ".data@cdd.go.th", "data@-cdd.go.th"])
def test_emails_ckan_refuses_are_refused_on_both_profiles(load, email: str) -> None:
    dataset = load(replace_once(with_tags("OTOP"), "data@example.go.th", email), clean=False)
    for profile in ("thai-gdc", "ckan"):
        assert "portal.email" in codes(check_dataset(dataset, profile)), (email, profile)


@pytest.mark.parametrize("email", ["data@cdd.go.th", "data.center+otop@cdd.go.th", "o'neil@cdd.go.th"])
def test_emails_ckan_accepts_pass(load, email: str) -> None:
    dataset = load(replace_once(with_tags("OTOP"), "data@example.go.th", f'"{email}"'))
    assert check_dataset(dataset, "thai-gdc") == []


def test_link_without_a_format_is_refused_on_gdc(load) -> None:
    text = replace_once(with_tags("OTOP"), "resources:\n",
                        "resources:\n  - name: site\n    url: https://www.cdd.go.th/otop\n")
    dataset = load(text)
    assert codes(check_dataset(dataset, "thai-gdc")) == ["portal.resource-format"]
    assert check_dataset(dataset, "ckan") == []
    guessed = load(replace_once(text, "https://www.cdd.go.th/otop", "https://www.cdd.go.th/a.pdf"))
    assert check_dataset(guessed, "thai-gdc") == []
    assert guessed.resources[0].resolved_format == "PDF"


def test_reserved_dataset_name(load) -> None:
    dataset = load(replace_once(with_tags("OTOP"), "name: village-funds\n", "name: search\n"),
                   name="search")
    assert "portal.name-reserved" in codes(check_dataset(dataset, "thai-gdc"))


def test_phone_has_no_gd_field_and_says_so(load) -> None:
    text = replace_once(with_tags("OTOP"), "  email: data@example.go.th\n",
                        "  email: data@example.go.th\n  phone: 02 141 6000\n")
    [finding] = check_dataset(load(text), "thai-gdc")
    assert finding.code == "gdc.phone-unpublished" and finding.severity == "warning"
    assert "02 141 6000" in (finding.hint or "")
    assert check_dataset(load(text), "ckan") == []


@pytest.mark.parametrize("gdc", ["data_type_other: แผนที่ชุมชน", 'allow_harvest: "True"',
                                 "reference_url_catalog: https://gdcatalog.go.th/dataset/x",
                                 "objective_other: งานวิจัย"])
def test_every_real_gd_field_can_be_written(load, make_catalog, gdc: str) -> None:
    catalog = load_catalog(make_catalog({DATASET_FILE: with_gdc(gdc)}))
    report = validate(catalog, data=False)
    assert [f.code for f in report.errors] == [], [f.message for f in report.errors]
