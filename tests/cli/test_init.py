"""`opencatalog init`: the new catalog validates as written, its workflows, pre-commit config and
editor settings are what GitHub, pre-commit and editors read, and an existing catalog is safe."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from opencatalog import __version__
from opencatalog.scaffold import HOOK_ID, ToolSource, example_name
from opencatalog.schemas.build import render
from workflow_checks import (
    check_publish_workflow,
    check_structure,
    check_validate_workflow,
    load_workflow,
    schema_errors,
)

REPO = Path(__file__).resolve().parents[2]
ANSWERS = ["--organization", "moi-dla", "--title-th", "กรมส่งเสริมการปกครองท้องถิ่น",
           "--title-en", "Department of Local Administration", "--url", "https://data.dla.go.th",
           "--contact-name", "ศูนย์เทคโนโลยีสารสนเทศ", "--contact-email", "data@dla.go.th"]


@pytest.fixture
def new_catalog(tmp_path, invoke):
    def make(*extra: str, folder: str = "agency") -> Path:
        run = invoke("init", tmp_path / folder, *ANSWERS, *extra)
        assert run.exit_code == 0, run.stdout + run.stderr
        return tmp_path / folder
    return make


def test_empty_catalog_validates(new_catalog, invoke):
    root = new_catalog()
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert run.report["datasets"] == [] and run.report["valid"] is True
    assert sorted(p.name for p in (root / "catalog" / "datasets").iterdir()) == [".gitkeep"]
    config = yaml.safe_load((root / "catalog/catalog.yaml").read_text("utf-8"))
    assert config["defaults"] == {"organization": "moi-dla", "license": "Open Data Common",
                                  "contact": {"name": "ศูนย์เทคโนโลยีสารสนเทศ",
                                              "email": "data@dla.go.th"}}
    assert config["targets"] == {"local": {"url": "local"},
                                 "production": {"url": "https://data.dla.go.th"}}
    org = yaml.safe_load((root / "catalog/organizations/moi-dla.yaml").read_text("utf-8"))
    assert org == {"name": "moi-dla", "title": {"th": "กรมส่งเสริมการปกครองท้องถิ่น",
                                                 "en": "Department of Local Administration"}}


@pytest.mark.parametrize(("profile", "license_name"), [("thai-gdc", "Creative Commons Attributions"),
                                                        ("ckan", "cc-by")])
def test_example_dataset_validates_with_data(new_catalog, invoke, profile, license_name):
    root = new_catalog("--example", "--profile", profile, "--license", license_name)
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.stdout
    name = example_name("moi-dla")
    assert run.report["datasets"] == [name] and run.report["summary"]["profile"] == profile
    rows = (root / f"datapackages/{name}/agency.csv").read_text("utf-8").splitlines()
    assert rows[1] == ("moi-dla,กรมส่งเสริมการปกครองท้องถิ่น,Department of Local Administration,"
                       "https://data.dla.go.th/organization/moi-dla")


def test_titles_that_need_quoting_stay_exact(new_catalog, invoke, tmp_path):
    run = invoke("init", tmp_path / "q", "--organization", "q-org", "--title-th", "สำนักงาน: ทดสอบ #1",
                 "--title-en", "'Yes' office", "--url", "https://q.example.org")
    assert run.exit_code == 0, run.stderr
    org = yaml.safe_load((tmp_path / "q/catalog/organizations/q-org.yaml").read_text("utf-8"))
    assert org["title"] == {"th": "สำนักงาน: ทดสอบ #1", "en": "'Yes' office"}


def test_workflows_use_the_action_pinned_to_this_version(new_catalog):
    root = new_catalog()
    tool = ToolSource.installed()
    action = f"{tool.repository}@v{__version__}"
    for name in ("validate.yml", "publish.yml"):
        path = root / ".github/workflows" / name
        check_structure(path)
        errors = schema_errors(load_workflow(path), "github-workflows.json")
        assert not errors, "\n".join(errors)
    validate = load_workflow(root / ".github/workflows/validate.yml")
    assert set(validate["on"]["pull_request"]["paths"]) == {"catalog/**", "datapackages/**"}
    check_validate_workflow(validate, action=action)
    check_publish_workflow(load_workflow(root / ".github/workflows/publish.yml"), action=action)


def test_pre_commit_config_names_this_projects_hook(new_catalog):
    root = new_catalog()
    config = yaml.safe_load((root / ".pre-commit-config.yaml").read_text("utf-8"))
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text("utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == ToolSource.installed().url and repo["rev"] == f"v{__version__}"
    assert repo["hooks"] == [{"id": hook["id"]}] and hook["id"] == HOOK_ID
    # the hook's file pattern matches what the new catalog holds
    assert re.search(hook["files"], "catalog/catalog.yaml")


def test_editor_settings_map_every_file_kind_to_its_schema(new_catalog):
    root = new_catalog("--example")
    settings = json.loads((root / ".vscode/settings.json").read_text("utf-8"))
    mapped = {pattern: schema for schema, patterns in settings["yaml.schemas"].items()
              for pattern in patterns}
    for kind in ("catalog", "organization", "group", "dataset"):
        schema = root / f".schemas/{kind}.schema.json"
        assert schema.read_text("utf-8") == render(kind)
    assert {p for p, s in mapped.items() if s.endswith("/dataset.schema.json")} == \
        {"catalog/datasets/*.yaml"}
    for pattern, schema in mapped.items():
        assert (root / schema).is_file()
        for file in root.glob(pattern):  # and the modeline for other editors
            first = file.read_text("utf-8").splitlines()[0]
            target = first.removeprefix("# yaml-language-server: $schema=")
            assert target != first and (file.parent / target).resolve() == (root / schema).resolve()


def test_readme_for_stewards_in_thai_and_english(new_catalog):
    text = (new_catalog() / "README.md").read_text("utf-8")
    assert "เพิ่มชุดข้อมูล" in text and "Add a dataset" in text
    assert text.count("opencatalog new") == 2 and text.count("opencatalog validate") == 2
    assert "OPENCATALOG_TOKEN_PRODUCTION" in text and "pull request" in text
    gitignore = (new_catalog(folder="other") / ".gitignore").read_text("utf-8").split()
    assert ".opencatalog/" in gitignore


def test_refuses_a_catalog_already_there_unless_force(new_catalog, invoke):
    root = new_catalog()
    (root / "catalog/datasets/mine.yaml").write_text("name: mine\n", "utf-8")
    (root / "notes.txt").write_text("kept", "utf-8")
    before = (root / "README.md").read_text("utf-8")
    (root / "README.md").write_text("edited", "utf-8")
    run = invoke("init", root, *ANSWERS)
    assert run.exit_code == 2
    assert "already holds a catalog" in run.stderr and "--force" in run.stderr
    assert (root / "README.md").read_text("utf-8") == "edited"  # nothing was written
    run = invoke("init", root, *ANSWERS, "--force")
    assert run.exit_code == 0, run.stderr
    assert "overwrote README.md" in run.stdout
    assert (root / "README.md").read_text("utf-8") == before
    assert (root / "notes.txt").read_text("utf-8") == "kept"
    assert (root / "catalog/datasets/mine.yaml").is_file()  # --force overwrites, never deletes


def test_a_catalog_folder_alone_is_refused(tmp_path, invoke):
    (tmp_path / "catalog/datasets").mkdir(parents=True)
    (tmp_path / "catalog/datasets/x.yaml").write_text("name: x\n", "utf-8")
    run = invoke("init", tmp_path, *ANSWERS)
    assert run.exit_code == 2 and "catalog/datasets/x.yaml" in run.stderr


def test_without_a_terminal_every_missing_answer_is_named(tmp_path, invoke):
    run = invoke("init", tmp_path / "x", "--title-th", "ทดสอบ")
    assert run.exit_code == 2
    assert "missing --organization, --title-en, --url" in run.stderr
    assert not (tmp_path / "x").exists()
    run = invoke("init", tmp_path / "x", *ANSWERS[:8], "--example")
    assert run.exit_code == 2 and "--contact-email" in run.stderr


@pytest.mark.parametrize(("option", "value", "message"), [
    ("--organization", "Bad Name", "lowercase a-z"),
    ("--url", "http://data.example.go.th", "plain http:// is refused"),
    ("--url", "data.example.go.th", "is not an http(s) URL"),
    ("--contact-email", "nobody", "is not an e-mail address"),
    ("--license", "GPL", "use one of: Open Data Common"),
])
def test_bad_answers_are_refused_with_the_option_named(tmp_path, invoke, option, value, message):
    args = list(ANSWERS)
    if option in args:
        args[args.index(option) + 1] = value
    else:
        args += [option, value]
    run = invoke("init", tmp_path / "x", *args)
    assert run.exit_code == 2, run.stdout
    assert option in run.stderr and message in run.stderr
    assert "Traceback" not in run.stderr and not (tmp_path / "x").exists()


def test_prompts_on_a_terminal_and_asks_again_after_a_bad_answer(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from opencatalog.commands import init as init_module
    from opencatalog.commands.main import cli

    monkeypatch.setattr(init_module, "_interactive", lambda: True)
    answers = ["Not A Slug", "moi-dla", "กรมส่งเสริมการปกครองท้องถิ่น",
               "Department of Local Administration", "https://data.dla.go.th",
               "", "", "ศูนย์เทคโนโลยีสารสนเทศ", "data@dla.go.th"]  # "" = the default
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "t")], input="\n".join(answers) + "\n",
                                obj={})
    assert result.exit_code == 0, result.output
    assert "lowercase a-z" in result.output  # the bad name was refused, then asked again
    config = yaml.safe_load((tmp_path / "t/catalog/catalog.yaml").read_text("utf-8"))
    assert config["profile"] == "thai-gdc" and config["defaults"]["license"] == "Open Data Common"
    assert config["defaults"]["contact"]["email"] == "data@dla.go.th"
