"""The `opencatalog` command line: validate and schema, options, exit codes, messages."""

from __future__ import annotations

import json
from pathlib import Path

import click
import pytest

from catalog_builder import (
    DATA_DIR,
    DATASET_FILE,
    DATASET_YAML,
    FUNDS_CSV,
    REPO_ROOT,
    SECOND_DATASET_FILE,
    VALID_FILES,
    replace_once,
    second_dataset_yaml,
)
from opencatalog import __version__
from opencatalog.commands.main import cli
from opencatalog.schemas.build import SCHEMAS, render

SECOND = SECOND_DATASET_FILE
SECOND_YAML = second_dataset_yaml("กองทุนสวัสดิการชุมชน")
TYPE_ERROR = {f"{DATA_DIR}/funds.csv": replace_once(FUNDS_CSV, "2,50,250000", "2,50,สองแสน")}


def no_traceback(run) -> None:
    assert "Traceback" not in run.stdout and "Traceback" not in run.stderr


# --- the sample catalog of the repository ------------------------------------------------------


@pytest.mark.sample
def test_sample_catalog_is_valid(invoke) -> None:
    """The sample catalog in catalog/ and datapackages/ of this repository validates clean."""
    run = invoke("validate", "--root", REPO_ROOT, "--format", "json")
    assert run.exit_code == 0, json.dumps([f for f in run.report["findings"]], ensure_ascii=False)
    assert run.report["valid"] is True
    assert run.report["errors"] == 0
    files = sorted(p.stem for p in (REPO_ROOT / "catalog" / "datasets").glob("*.yaml"))
    assert sorted(run.report["datasets"]) == files


@pytest.mark.sample
def test_sample_catalog_found_from_a_subfolder(invoke, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT / "datapackages")
    run = invoke("validate", "--no-data", "--format", "json")
    assert run.exit_code == 0
    assert run.report["datasets"]


# --- global options ---------------------------------------------------------------------------


def test_version(invoke) -> None:
    run = invoke("--version")
    assert run.exit_code == 0
    assert run.stdout.strip() == f"opencatalog, version {__version__}"


def _all_commands(group: click.Group, prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    out = []
    ctx = click.Context(group)
    for name in sorted(group.list_commands(ctx)):  # the CLI loads its commands lazily
        command = group.get_command(ctx, name)
        out.append((*prefix, name))
        if isinstance(command, click.Group):
            out.extend(_all_commands(command, (*prefix, name)))
    return out


COMMANDS = _all_commands(cli)


def test_the_core_commands_exist() -> None:
    wanted = {"validate", "plan", "publish", "portal", "export", "schema"}
    assert {(c,) for c in wanted} <= set(COMMANDS)
    assert ("portal", "up") in COMMANDS


@pytest.mark.parametrize("path", [(), *COMMANDS], ids=lambda p: " ".join(p) or "opencatalog")
@pytest.mark.parametrize("flag", ["--help", "-h"])
def test_help_on_every_command(invoke, path: tuple[str, ...], flag: str) -> None:
    run = invoke(*path, flag)
    assert run.exit_code == 0, run.stderr
    assert run.stdout.startswith(f"Usage: {' '.join(('opencatalog', *path))} [OPTIONS]")
    no_traceback(run)


def test_unknown_command_is_a_usage_error(invoke) -> None:
    run = invoke("valdiate")
    assert run.exit_code == 2
    assert "No such command" in run.stderr


# --- schema -----------------------------------------------------------------------------------


def test_schema_dataset_prints_json(invoke) -> None:
    run = invoke("schema", "dataset")
    assert run.exit_code == 0
    assert run.stdout == render("dataset")
    schema = json.loads(run.stdout)
    assert schema["$id"].endswith("/dataset.schema.json")
    assert "gdc" in schema["properties"]


@pytest.mark.parametrize("name", sorted(SCHEMAS))
def test_schema_each_kind(invoke, name: str) -> None:
    run = invoke("schema", name)
    assert run.exit_code == 0
    assert json.loads(run.stdout)["$id"].endswith(f"/{name}.schema.json")


def test_schema_without_a_name_is_a_usage_error(invoke) -> None:
    run = invoke("schema")
    assert run.exit_code == 2
    assert "name a schema" in run.stderr
    run = invoke("schema", "resource")
    assert run.exit_code == 2
    assert "Invalid value" in run.stderr


def test_schema_write(invoke, tmp_path: Path) -> None:
    run = invoke("schema", "--write", tmp_path / "out")
    assert run.exit_code == 0
    for name in SCHEMAS:
        assert (tmp_path / "out" / f"{name}.schema.json").read_text("utf-8") == render(name)


# --- validate: exit codes and formats -----------------------------------------------------------


def test_valid_catalog_exits_0_in_every_format(make_catalog, invoke) -> None:
    root = make_catalog()
    assert invoke("validate", "--root", root).exit_code == 0
    text = invoke("validate", "--root", root).stdout
    assert "1 dataset(s) checked (thai-gdc): valid — 0 error(s), 0 warning(s)" in text
    assert invoke("validate", "--root", root, "--format", "json").report["valid"] is True
    assert invoke("validate", "--root", root, "--format", "github").stdout.startswith("1 dataset(s)")
    assert invoke("validate", "--root", root, "--format", "markdown").stdout.startswith("## ✅")


def test_invalid_catalog_github_and_markdown(make_catalog, invoke) -> None:
    root = make_catalog(TYPE_ERROR)
    run = invoke("validate", "--root", root, "--format", "github")
    assert run.exit_code == 1
    assert run.stdout.startswith(
        f"::error file={DATA_DIR}/funds.csv,line=3,title=data.type-error::")
    run = invoke("validate", "--root", root, "--format", "markdown")
    assert run.exit_code == 1
    assert f"| ❌ | `{DATA_DIR}/funds.csv:3` (resource funds, row 3, field amount) |" in run.stdout


def test_outside_a_catalog_exits_2_with_a_clear_message(invoke, tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    run = invoke("validate")
    assert run.exit_code == 2
    assert run.stdout == ""
    assert run.stderr.startswith("error: no catalog found")
    assert "catalog/catalog.yaml" in run.stderr and "--root" in run.stderr
    no_traceback(run)


def test_root_that_does_not_exist_exits_2(invoke, tmp_path: Path) -> None:
    run = invoke("validate", "--root", tmp_path / "nowhere", "--format", "json")
    assert run.exit_code == 2
    assert "no catalog found" in run.stderr
    no_traceback(run)


def test_explicit_root_without_a_catalog_is_not_replaced_by_a_parent(make_catalog, invoke) -> None:
    outer = make_catalog()
    inner = outer / "vendor" / "other-repo"
    (inner / "datapackages").mkdir(parents=True)
    run = invoke("validate", "--root", inner, "--format", "json")
    assert run.exit_code == 2
    assert "no catalog found" in run.stderr


def test_internal_errors_are_one_line_unless_debug(make_catalog, invoke,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import opencatalog.commands.validate as command

    def boom(*args, **kwargs):
        raise RuntimeError("kaboom")

    monkeypatch.setattr(command, "validate", boom)
    root = make_catalog()
    run = invoke("validate", "--root", root)
    assert run.exit_code == 3
    assert "internal error: RuntimeError: kaboom" in run.stderr
    assert "--debug" in run.stderr
    no_traceback(run)
    run = invoke("--debug", "validate", "--root", root)
    assert run.exit_code == 3
    assert "Traceback" in run.stderr


def test_validate_modifies_no_catalog_file(make_catalog, invoke) -> None:
    """Validation reads the catalog; the only thing it may write is its cache in .opencatalog/."""

    def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
        return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
                for p in root.rglob("*") if p.is_file() and ".opencatalog" not in p.parts}

    root = make_catalog(TYPE_ERROR)
    before = snapshot(root)
    assert sorted(before) == sorted(VALID_FILES)
    assert invoke("validate", "--root", root, "--format", "json").exit_code == 1
    assert invoke("validate", "--root", root, "--no-cache", "--profile", "ckan").exit_code == 1
    assert snapshot(root) == before


# --- validate: PATHS -----------------------------------------------------------------------------


@pytest.fixture
def two_datasets(make_catalog) -> Path:
    """village-funds has a data error, welfare-funds a reference error."""
    broken_second = replace_once(SECOND_YAML, "organization: test-org\n", "organization: nobody\n")
    return make_catalog({**TYPE_ERROR, SECOND: broken_second})


def test_without_paths_every_dataset_is_checked(two_datasets: Path, invoke) -> None:
    run = invoke("validate", "--root", two_datasets, "--format", "json")
    assert run.exit_code == 1
    assert run.report["datasets"] == ["village-funds", "welfare-funds"]
    assert sorted(run.codes()) == ["data.type-error", "reference.organization"]


def test_a_dataset_file_limits_the_check(two_datasets: Path, invoke) -> None:
    run = invoke("validate", two_datasets / SECOND, "--format", "json")
    assert run.report["datasets"] == ["welfare-funds"]
    assert run.codes() == ["reference.organization"]
    assert run.exit_code == 1


@pytest.mark.parametrize("rel", [DATA_DIR, f"{DATA_DIR}/funds.csv", DATASET_FILE])
def test_a_data_folder_or_file_limits_the_check(two_datasets: Path, invoke, rel: str) -> None:
    run = invoke("validate", two_datasets / rel, "--format", "json")
    assert run.report["datasets"] == ["village-funds"]
    assert run.codes() == ["data.type-error"]


def test_several_paths(two_datasets: Path, invoke) -> None:
    run = invoke("validate", two_datasets / SECOND, two_datasets / DATA_DIR, "--format", "json")
    assert run.report["datasets"] == ["village-funds", "welfare-funds"]


def test_catalog_yaml_selects_the_datasets_that_depend_on_it(two_datasets: Path, invoke) -> None:
    run = invoke("validate", two_datasets / "catalog" / "catalog.yaml", "--format", "json")
    assert run.report["datasets"] == ["village-funds", "welfare-funds"]


def test_a_path_that_is_no_dataset_is_a_usage_error(two_datasets: Path, invoke) -> None:
    readme = two_datasets / "README.md"
    readme.write_text("# catalog\n", "utf-8")
    run = invoke("validate", readme)
    assert run.exit_code == 2
    assert "is not a dataset file or folder of this catalog" in run.stderr
    no_traceback(run)


def test_a_path_that_does_not_exist_is_a_usage_error(two_datasets: Path, invoke) -> None:
    run = invoke("validate", two_datasets / "catalog" / "datasets" / "nope.yaml")
    assert run.exit_code == 2
    assert "does not exist" in run.stderr


# --- validate: --no-data, --profile, --target ---------------------------------------------------


def test_no_data_skips_the_data_files(make_catalog, invoke) -> None:
    root = make_catalog(TYPE_ERROR)
    assert invoke("validate", "--root", root, "--format", "json").codes() == ["data.type-error"]
    run = invoke("validate", "--root", root, "--no-data", "--format", "json")
    assert run.exit_code == 0
    assert run.report["findings"] == []
    assert run.report["datasets"] == ["village-funds"]


def test_no_data_still_checks_metadata(make_catalog, invoke) -> None:
    text = replace_once(DATASET_YAML, "geo_coverage: จังหวัด", "geo_coverage: ระดับจังหวัด")
    run = invoke("validate", "--root", make_catalog({DATASET_FILE: text}), "--no-data",
                 "--format", "json")
    assert run.exit_code == 1
    assert run.codes() == ["schema.enum"]


def test_profile_ckan(make_catalog, invoke) -> None:
    root = make_catalog()
    run = invoke("validate", "--root", root, "--profile", "ckan", "--format", "json")
    assert run.exit_code == 1
    assert run.report["summary"]["profile"] == "ckan"
    assert run.codes() == ["portal.tag-characters", "portal.tag-characters"]
    messages = " ".join(f["message"] for f in run.report["findings"])
    assert "กองทุน" in messages and "จังหวัด" in messages and "OTOP" not in messages


def test_profile_ckan_does_not_require_gd_fields(make_catalog, invoke) -> None:
    head, rest = DATASET_YAML.split("gdc:\n", 1)
    text = replace_once(head, "tags: [กองทุน, จังหวัด, OTOP]", "tags: [OTOP]") + \
        "resources:\n" + rest.split("resources:\n", 1)[1]
    root = make_catalog({DATASET_FILE: text})
    assert invoke("validate", "--root", root, "--profile", "ckan").exit_code == 0
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 1
    assert set(run.codes()) == {"gdc.required"}


def test_profile_option_overrides_the_catalog_profile(make_catalog, invoke) -> None:
    catalog_yaml = replace_once(VALID_FILES["catalog/catalog.yaml"], "profile: thai-gdc", "profile: ckan")
    root = make_catalog({"catalog/catalog.yaml": catalog_yaml})
    assert invoke("validate", "--root", root).exit_code == 1
    run = invoke("validate", "--root", root, "--profile", "thai-gdc", "--format", "json")
    assert run.exit_code == 0
    assert run.report["summary"]["profile"] == "thai-gdc"


def test_unknown_profile_is_a_usage_error(make_catalog, invoke) -> None:
    run = invoke("validate", "--root", make_catalog(), "--profile", "dkan")
    assert run.exit_code == 2
    assert "Invalid value for '--profile'" in run.stderr


def test_target_profile(make_catalog, invoke) -> None:
    catalog_yaml = VALID_FILES["catalog/catalog.yaml"] + \
        "  stock:\n    url: https://ckan.example.org\n    profile: ckan\n"
    root = make_catalog({"catalog/catalog.yaml": catalog_yaml})
    assert invoke("validate", "--root", root, "--target", "local").exit_code == 0
    run = invoke("validate", "--root", root, "--target", "stock", "--format", "json")
    assert run.exit_code == 1
    assert run.report["summary"]["profile"] == "ckan"
    # the target does not answer: its live schema cannot be read, which a warning says
    assert set(run.codes()) == {"portal.tag-characters", "portal.schema-unread"}
    run = invoke("validate", "--root", root, "--target", "nope")
    assert run.exit_code == 2
    assert "no target 'nope'" in run.stderr and "local, stock" in run.stderr
    no_traceback(run)


# --- data -----------------------------------------------------------------------------------------


def test_csv_without_a_schema_validates_with_a_warning(make_catalog, invoke) -> None:
    text = replace_once(DATASET_YAML, "    schema: funds.schema.yaml\n", "")
    root = make_catalog({DATASET_FILE: text}, remove=[f"{DATA_DIR}/funds.schema.yaml"])
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.stderr
    assert run.codes() == ["resource.no-schema"]


def test_csv_without_a_schema_with_the_reference_engine(make_catalog, invoke) -> None:
    text = replace_once(DATASET_YAML, "    schema: funds.schema.yaml\n", "")
    root = make_catalog({DATASET_FILE: text}, remove=[f"{DATA_DIR}/funds.schema.yaml"])
    run = invoke("validate", "--root", root, "--engine", "frictionless", "--format", "json")
    assert run.exit_code == 0
    assert run.codes() == ["resource.no-schema"]


@pytest.mark.parametrize("engine", ["auto", "fast", "frictionless"])
def test_engines_agree_on_a_data_error(make_catalog, invoke, engine: str) -> None:
    run = invoke("validate", "--root", make_catalog(TYPE_ERROR), "--engine", engine,
                 "--format", "json")
    assert run.exit_code == 1
    [finding] = run.report["findings"]
    assert (finding["code"], finding["row"], finding["field"]) == ("data.type-error", 3, "amount")


def test_declared_cp874_encoding_is_honoured(make_catalog, invoke) -> None:
    from catalog_builder import PROVINCES_CSV

    text = replace_once(DATASET_YAML, "    path: provinces.csv\n",
                        "    path: provinces.csv\n    encoding: cp874\n")
    root = make_catalog({DATASET_FILE: text, f"{DATA_DIR}/provinces.csv": PROVINCES_CSV.encode("cp874")})
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.report["findings"]


def test_undeclared_cp874_is_an_encoding_error_with_a_conversion_hint(make_catalog, invoke) -> None:
    from catalog_builder import PROVINCES_CSV

    root = make_catalog({f"{DATA_DIR}/provinces.csv": PROVINCES_CSV.encode("cp874")})
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 1
    [first] = [f for f in run.report["findings"] if f["file"] == f"{DATA_DIR}/provinces.csv"
               and f["severity"] == "error"]
    assert (first["code"], first["row"]) == ("data.encoding-error", 2)
    assert "`encoding: cp874`" in first["hint"]
    assert "`opencatalog fix encoding provinces.csv`" in first["hint"]


def test_deeply_nested_yaml_is_a_finding(make_catalog, invoke) -> None:
    root = make_catalog({DATASET_FILE: "name: x\ntags: " + "[" * 1000 + "]" * 1000 + "\n"})
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 1, run.stderr
    [finding] = run.report["findings"]
    assert finding["code"].startswith("yaml.") and finding["file"] == DATASET_FILE


def test_path_naming_a_folder_does_not_claim_it_is_missing(make_catalog, invoke) -> None:
    root = make_catalog({DATASET_FILE: replace_once(DATASET_YAML, "path: funds.csv", "path: .")})
    run = invoke("validate", "--root", root, "--format", "json", "--no-data")
    assert run.exit_code == 1
    [finding] = run.report["findings"]
    assert finding["line"] == 31
    assert "does not exist" not in finding["message"]


@pytest.mark.parametrize("text,code", [("", "dataset.empty"), ("# nothing yet\n", "dataset.empty"),
                                       ("- name: x\n", "dataset.not-a-mapping"),
                                       ("just text\n", "dataset.not-a-mapping")])
def test_a_dataset_file_holding_no_dataset_is_an_error(make_catalog, invoke, text, code) -> None:
    root = make_catalog({"catalog/datasets/draft.yaml": text})
    for args in (["catalog/datasets/draft.yaml"], []):  # named, and as part of the catalog
        run = invoke("validate", "--root", root, "--format", "json", "--no-data",
                     *[str(root / a) for a in args])
        assert run.exit_code == 1, run.stdout
        [finding] = [f for f in run.report["findings"] if f["code"] == code]
        assert finding["file"] == "catalog/datasets/draft.yaml" and finding["line"] == 1
        assert run.report["findings"] == [finding]  # no flood of follow-up errors
