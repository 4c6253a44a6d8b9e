"""Generates the broken-catalog corpus: tests/broken/<case>/ and tests/broken/cases.yaml.

Each case is the minimal valid catalog of tests/catalog_builder.py with ONE defect.
The expected finding (code, file, line or row) is written next to it in cases.yaml,
so a reader can open the case, go to that line and see the defect.

Regenerate after changing the builder or a case:

    .venv/bin/python tests/broken/make_corpus.py

tests/cli/test_broken_corpus.py fails when the committed corpus differs from what
this script produces.
"""

from __future__ import annotations

import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

import catalog_builder as cb  # noqa: E402

D = cb.DATA_DIR
DS = cb.DATASET_FILE
CASES_FILE = "cases.yaml"


@dataclass
class Case:
    name: str
    description: str
    files: dict[str, str | bytes]
    expect: dict[str, Any]
    # other error codes the one defect legitimately causes besides the expected one
    also: list[str] = field(default_factory=list)


def _ds(old: str, new: str) -> dict[str, str]:
    """Overrides for the dataset YAML with `old` replaced by `new`."""
    return {DS: cb.replace_once(cb.DATASET_YAML, old, new)}


def _yaml_case(name: str, description: str, overrides: dict[str, Any], code: str, needle: str,
               file: str = DS, remove: tuple[str, ...] = (), **expect: Any) -> Case:
    files = cb.catalog_files(overrides, remove)
    text = files[file]
    if isinstance(text, bytes):  # a file deliberately saved in another encoding
        text = text.decode("cp874")
    also = expect.pop("also", [])
    return Case(name, description, files,
                {"exit": 1, "code": code, "file": file, "line": cb.line_of(text, needle), **expect},
                also)


def _data_case(name: str, description: str, csv: str, text: str, code: str, row: int,
               **expect: Any) -> Case:
    file = f"{D}/{csv}"
    return Case(name, description, cb.catalog_files({file: text}),
                {"exit": 1, "code": code, "file": file, "row": row, **expect})


def _rename_dataset(new: str) -> tuple[dict[str, Any], str]:
    """Overrides that give the dataset (file, name, data folder) the name `new`."""
    overrides: dict[str, Any] = {DS: None}
    new_file = f"catalog/datasets/{new}.yaml"
    overrides[new_file] = cb.replace_once(cb.DATASET_YAML, f"name: {cb.DATASET}\n", f"name: {new}\n")
    for rel, text in cb.VALID_FILES.items():
        if rel.startswith(D + "/"):
            overrides[rel] = None
            overrides[f"datapackages/{new}/{rel[len(D) + 1:]}"] = text
    return overrides, new_file


NAME_71 = "village-funds-by-province-district-and-subdistrict-fiscal-years-2566-70"
assert len(NAME_71) == 71, len(NAME_71)

SECOND_DATASET = cb.second_dataset_yaml()


def cases() -> list[Case]:
    out: list[Case] = []

    # --- YAML reading ---------------------------------------------------------------------
    out.append(_yaml_case(
        "yaml-syntax", "an unclosed flow sequence in the dataset YAML",
        _ds("groups: [test-group]\n", "groups: [test-group\n"), "yaml.syntax", "tags:",
        message_contains="YAML syntax error"))
    out.append(_yaml_case(
        "yaml-duplicate-key", "'license' given twice in the dataset YAML",
        _ds("license: Open Data Common\n", "license: Open Data Common\nlicense: Open Data Common\n"),
        "yaml.duplicate-key", "license:", message_contains="first on line 7"))
    out[-1].expect["line"] = 8  # the second occurrence is the one reported
    out.append(_yaml_case(
        "yaml-anchor", "a YAML anchor and alias in the dataset YAML",
        _ds("organization: test-org\n", "organization: &org test-org\n"), "yaml.anchor",
        "organization:", column=15))
    out.append(_yaml_case(
        "yaml-encoding", "the dataset YAML saved as Windows-874 (CP874) instead of UTF-8",
        {DS: cb.DATASET_YAML.encode("cp874")}, "yaml.encoding", "title:"))

    # --- JSON Schema of the catalog format -------------------------------------------------
    out.append(_yaml_case(
        "schema-unknown-key", "'licence' (British spelling) instead of 'license'",
        _ds("license: Open Data Common\n", "licence: Open Data Common\n"), "schema.unknown-key",
        "licence:", column=1, hint_contains="did you mean 'license'?"))
    out.append(_yaml_case(
        "schema-enum", "geo_coverage is a value outside its GD Catalog choices",
        _ds("geo_coverage: จังหวัด\n", "geo_coverage: ระดับจังหวัด\n"), "schema.enum",
        "geo_coverage:", column=17, hint_contains="did you mean"))
    renamed, renamed_file = _rename_dataset("Village-Funds")
    out.append(_yaml_case(
        "schema-pattern", "dataset name (and its file and data folder) is not a CKAN slug",
        renamed, "schema.pattern", "name: Village-Funds", file=renamed_file, column=7,
        also=["data.package-error"]))  # frictionless also refuses the name as a package name
    out.append(_yaml_case(
        "schema-required", "the dataset has no 'description'",
        _ds(cb.DATASET_YAML.splitlines(keepends=True)[2], ""), "schema.required", "name:",
        message_contains="'description'", also=["gdc.required"]))
    out.append(_yaml_case(
        "schema-path-and-url", "a resource with both a data file and an external URL",
        _ds("    path: funds.csv\n", "    path: funds.csv\n    url: https://example.go.th/funds.csv\n"),
        "schema.oneOf", "- name: funds", message_contains="exactly one of 'path'"))

    # --- GD Catalog profile ----------------------------------------------------------------
    out.append(_yaml_case(
        "gdc-required", "the GD Catalog field data_source is missing",
        _ds("  data_source: หน่วยงานทดสอบ\n", ""), "gdc.required", "data_type:",
        message_contains="data_source"))
    out.append(_yaml_case(
        "gdc-other-missing", "geo_coverage is อื่นๆ without geo_coverage_other",
        _ds("geo_coverage: จังหวัด\n", "geo_coverage: อื่นๆ\n"), "gdc.other-missing",
        "geo_coverage:", hint_contains="geo_coverage_other"))

    # --- paths -----------------------------------------------------------------------------
    out.append(_yaml_case(
        "path-missing-data", "the data file of resource 'funds' does not exist",
        {}, "path.missing-data", "path: funds.csv", remove=(f"{D}/funds.csv",), column=11))
    out.append(_yaml_case(
        "path-missing-schema", "the table schema file of resource 'funds' does not exist",
        {}, "path.missing-schema", "schema: funds.schema.yaml",
        remove=(f"{D}/funds.schema.yaml",)))
    out.append(_yaml_case(
        "path-outside-dotdot", "a resource path that climbs out of the data folder with ..",
        _ds("path: funds.csv\n", "path: ../../catalog/catalog.yaml\n"), "path.outside",
        "path: ../../", message_contains="'..'"))
    out.append(_yaml_case(
        "path-outside-absolute", "a resource path that is absolute",
        _ds("path: funds.csv\n", "path: /etc/passwd\n"), "path.outside", "path: /etc/passwd",
        message_contains="absolute"))

    # --- data ------------------------------------------------------------------------------
    out.append(_data_case(
        "data-encoding-error", "provinces.csv saved as Windows-874 (CP874), Thai names from row 2",
        "provinces.csv", cb.PROVINCES_CSV, "data.encoding-error", 2,
        message_contains="CP874"))
    out[-1].files[f"{D}/provinces.csv"] = cb.PROVINCES_CSV.encode("cp874")
    long_name = "จำนวนเงินกองทุนหมู่บ้านทั้งหมด"  # 30 Thai characters: 90 bytes, PostgreSQL keeps 63
    schema = cb.replace_once(cb.FUNDS_SCHEMA, "  - name: amount\n", f"  - name: {long_name}\n")
    out.append(Case(
        "datastore-column-name-too-long",
        "a Thai field name of 90 bytes, longer than a DataStore (PostgreSQL) column name can be",
        cb.catalog_files({f"{D}/funds.schema.yaml": schema,
                          f"{D}/funds.csv": cb.replace_once(cb.FUNDS_CSV, ",amount\n", f",{long_name}\n")}),
        {"exit": 1, "code": "datastore.column-name-too-long", "file": f"{D}/funds.schema.yaml",
         "line": cb.line_of(schema, long_name), "hint_contains": "title:"}))
    out.append(_data_case(
        "data-type-error", "a Thai word in the integer column amount (row 3)",
        "funds.csv", cb.replace_once(cb.FUNDS_CSV, "2,50,250000", "2,50,สองแสน"),
        "data.type-error", 3, field="amount"))
    out.append(_data_case(
        "data-constraint-error", "a negative amount where the schema says minimum 0 (row 4)",
        "funds.csv", cb.replace_once(cb.FUNDS_CSV, "3,90,300000", "3,90,-5"),
        "data.constraint-error", 4, field="amount"))
    out.append(_data_case(
        "data-primary-key", "fund_id 2 appears twice (rows 3 and 5)",
        "funds.csv", cb.replace_once(cb.FUNDS_CSV, "4,50,125000", "2,50,125000"),
        "data.primary-key", 5))
    out.append(_data_case(
        "data-foreign-key", "province_code 99 is not in provinces.csv (row 5)",
        "funds.csv", cb.replace_once(cb.FUNDS_CSV, "4,50,125000", "4,99,125000"),
        "data.foreign-key", 5))

    # --- portal rules ----------------------------------------------------------------------
    renamed, renamed_file = _rename_dataset(NAME_71)
    out.append(_yaml_case(
        "portal-name-length", "a 71-character dataset name on the thai-gdc profile (limit 70)",
        renamed, "portal.name-length", "name:", file=renamed_file,
        message_contains="71 characters"))
    out.append(_yaml_case(
        "portal-tag-characters", "Thai tags (กองทุน, จังหวัด) on a catalog whose profile is ckan",
        {"catalog/catalog.yaml": cb.replace_once(cb.CATALOG_YAML, "profile: thai-gdc", "profile: ckan")},
        "portal.tag-characters", "tags:", file=DS, column=8, message_contains="กองทุน"))
    out.append(_yaml_case(
        "portal-duplicate-title", "a second dataset with the same Thai title",
        {"catalog/datasets/welfare-funds.yaml": SECOND_DATASET}, "portal.duplicate-title",
        "title:", file="catalog/datasets/welfare-funds.yaml"))

    # --- references ------------------------------------------------------------------------
    out.append(_yaml_case(
        "reference-organization", "the dataset names an organization that has no file",
        _ds("organization: test-org\n", "organization: test-orgg\n"), "reference.organization",
        "organization:", hint_contains="did you mean 'test-org'?"))
    out.append(_yaml_case(
        "reference-group", "the dataset names a group that has no file",
        _ds("groups: [test-group]\n", "groups: [test-grup]\n"), "reference.group",
        "groups:", column=10, hint_contains="did you mean 'test-group'?"))

    # --- no catalog at all: a usage error ---------------------------------------------------
    out.append(Case(
        "no-catalog", "data packages but no catalog/catalog.yaml (exit 2, not a finding)",
        cb.catalog_files(remove=("catalog/catalog.yaml",)),
        {"exit": 2, "stderr_contains": "no catalog found"}))
    return out


def write_corpus(target: Path) -> list[Case]:
    """Write every case folder and cases.yaml under `target` (existing case folders are replaced)."""
    all_cases = cases()
    target.mkdir(parents=True, exist_ok=True)
    for case in all_cases:
        folder = target / case.name
        if folder.exists():
            shutil.rmtree(folder)
        cb.write_files(folder, case.files)
    table = [{"case": c.name, "description": c.description, **c.expect,
              **({"also": c.also} if c.also else {})} for c in all_cases]
    header = ("# Generated by tests/broken/make_corpus.py - edit that script, then run it.\n"
              "# Per case: exit code, the finding code, its file and line (YAML) or row (data).\n")
    (target / CASES_FILE).write_text(
        header + yaml.safe_dump(table, allow_unicode=True, sort_keys=False, width=100), "utf-8")
    return all_cases


if __name__ == "__main__":
    written = write_corpus(HERE)
    print(f"wrote {len(written)} cases to {HERE}")
