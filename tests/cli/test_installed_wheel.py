"""The tool on its own: the wheel installed into a fresh virtualenv, run in a folder far from
this repository — --version, init, validate and schema work with nothing of the repository around.
"""

from __future__ import annotations

import json
import subprocess
import tomllib
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
ANSWERS = ["--organization", "onde", "--title-th", "สำนักงานพัฒนารัฐบาลดิจิทัล",
           "--title-en", "Digital Government Development Agency", "--url", "https://data.go.th",
           "--contact-email", "contact@dga.or.th"]


@pytest.fixture(scope="module")
def outside(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("agency-elsewhere")
    assert REPO not in folder.parents
    return folder


def test_wheel_holds_every_runtime_file(installed_tool):
    names = set(zipfile.ZipFile(installed_tool.wheel).namelist())
    for required in ("opencatalog/reference/gd-catalog-fields.yaml",
                     "opencatalog/schemas/dataset.schema.json",
                     "opencatalog/portal/files/ckan.ini.tmpl",
                     "opencatalog/portal/files/ckanext-opencatalog/setup.py",
                     "opencatalog/scaffold/templates/README.md",
                     "opencatalog/scaffold/templates/workflows/validate.yml",
                     "opencatalog/scaffold/templates/example/agency.schema.yaml"):
        assert required in names, required
    assert not [n for n in names if n.startswith(("catalog/", "datapackages/", "tests/"))]
    # every file of the package's source tree is in the wheel
    cli = installed_tool.source / "cli"
    source = {p.relative_to(cli).as_posix() for p in (cli / "opencatalog").rglob("*")
              if p.is_file()}
    assert source <= names, sorted(source - names)


def test_version_comes_from_the_package_metadata(installed_tool, outside):
    version = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["version"]
    done = installed_tool.run("--version", cwd=outside)
    assert done.returncode == 0 and done.stdout.strip() == f"opencatalog, version {version}"
    where = installed_tool.venv / "bin" / "python"
    located = subprocess.run([str(where), "-c", "import opencatalog; print(opencatalog.__file__)"],
                             cwd=outside, env=installed_tool.env(), capture_output=True, text=True)
    assert Path(located.stdout.strip()).is_relative_to(installed_tool.venv)


def test_init_validate_schema_in_a_fresh_virtualenv(installed_tool, outside):
    done = installed_tool.run("init", "empty", *ANSWERS, cwd=outside)
    assert done.returncode == 0, done.stderr
    assert "wrote catalog/catalog.yaml" in done.stdout
    done = installed_tool.run("validate", cwd=outside / "empty")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip() == "0 dataset(s) checked (thai-gdc): valid — 0 error(s), 0 warning(s)"

    done = installed_tool.run("init", "example", *ANSWERS, "--example", cwd=outside)
    assert done.returncode == 0, done.stderr
    done = installed_tool.run("validate", "--format", "json", cwd=outside / "example")
    assert done.returncode == 0, done.stdout + done.stderr
    assert json.loads(done.stdout)["datasets"] == ["onde-about"]

    done = installed_tool.run("schema", "dataset", cwd=outside)
    assert done.returncode == 0 and json.loads(done.stdout)["title"].startswith("OpenCatalog")
    assert (outside / "example/.schemas/dataset.schema.json").read_text("utf-8") == done.stdout

    done = installed_tool.run("init", "example", *ANSWERS, cwd=outside)
    assert done.returncode == 2 and "already holds a catalog" in done.stderr
    assert "Traceback" not in done.stderr


def test_install_is_reasonably_fast(installed_tool):
    # measured on the 2-core test machine with a warm pip cache: ≈ 45 s in all (see
    # tests/installed_tool.py); far more means pip fetches from the network or its cache is cold
    assert sum(installed_tool.seconds.values()) < 300, installed_tool.seconds
