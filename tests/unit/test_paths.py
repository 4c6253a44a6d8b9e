"""opencatalog.load.paths.resolve_inside: every path a catalog names stays in the repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML, FUNDS_CSV, PROVINCES_SCHEMA, replace_once
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.load.paths import UnsafePath, resolve_inside
from opencatalog.validate import validate


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path]:
    root = tmp_path / "repo"
    base = root / "datapackages" / "ds"
    (base / "sub").mkdir(parents=True)
    (base / "a.csv").write_text("x\n1\n", "utf-8")
    (base / "sub" / "b.csv").write_text("x\n1\n", "utf-8")
    (root / "catalog").mkdir()
    (root / "catalog" / "catalog.yaml").write_text("profile: thai-gdc\n", "utf-8")
    return root, base


def _symlink(link: Path, target: Path) -> None:
    try:
        link.symlink_to(target, target_is_directory=target.is_dir())
    except (OSError, NotImplementedError):  # pragma: no cover - e.g. Windows without rights
        pytest.skip("symlinks not available")


def test_relative_path_resolves_under_base(repo: tuple[Path, Path]) -> None:
    root, base = repo
    assert resolve_inside(base, "a.csv", root) == base / "a.csv"
    assert resolve_inside(base, "sub/b.csv", root) == base / "sub" / "b.csv"
    assert resolve_inside(base, "sub\\b.csv", root) == base / "sub" / "b.csv"  # Windows separators
    assert resolve_inside(base, "./a.csv", root) == base / "a.csv"


def test_a_missing_file_is_not_an_unsafe_path(repo: tuple[Path, Path]) -> None:
    root, base = repo
    assert resolve_inside(base, "later.csv", root) == base / "later.csv"


@pytest.mark.parametrize("relative", [
    "../other/a.csv", "../../catalog/catalog.yaml", "sub/../../x.csv", "..", "..\\..\\x.csv",
    "sub/../a.csv",  # stays inside, but '..' is refused outright
])
def test_dotdot_is_refused(repo: tuple[Path, Path], relative: str) -> None:
    root, base = repo
    with pytest.raises(UnsafePath, match=r"'\.\.'"):
        resolve_inside(base, relative, root)


@pytest.mark.parametrize("relative", ["/etc/passwd", "/", "C:\\data\\a.csv", "C:/data/a.csv",
                                      "\\\\server\\share\\a.csv"])
def test_absolute_path_is_refused(repo: tuple[Path, Path], relative: str) -> None:
    root, base = repo
    with pytest.raises(UnsafePath, match="absolute"):
        resolve_inside(base, relative, root)


def test_absolute_path_inside_the_repo_is_still_refused(repo: tuple[Path, Path]) -> None:
    root, base = repo
    with pytest.raises(UnsafePath, match="absolute"):
        resolve_inside(base, str(base / "a.csv"), root)


def test_symlinked_file_pointing_outside_is_refused(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, base = repo
    secret = tmp_path / "secret.txt"
    secret.write_text("token\n", "utf-8")
    _symlink(base / "leak.csv", secret)
    with pytest.raises(UnsafePath, match="symlink"):
        resolve_inside(base, "leak.csv", root)


def test_symlinked_folder_pointing_outside_is_refused(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, base = repo
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "a.csv").write_text("x\n", "utf-8")
    _symlink(base / "linked", outside)
    with pytest.raises(UnsafePath, match="outside the repository"):
        resolve_inside(base, "linked/a.csv", root)


def test_dangling_symlink_pointing_outside_is_refused(repo: tuple[Path, Path], tmp_path: Path) -> None:
    root, base = repo
    _symlink(base / "dangling.csv", tmp_path / "does-not-exist.csv")
    with pytest.raises(UnsafePath):
        resolve_inside(base, "dangling.csv", root)


def test_symlink_inside_the_repository_is_allowed(repo: tuple[Path, Path]) -> None:
    root, base = repo
    shared = root / "datapackages" / "shared.csv"
    shared.write_text("x\n1\n", "utf-8")
    _symlink(base / "shared.csv", shared)
    assert resolve_inside(base, "shared.csv", root) == base / "shared.csv"
    _symlink(base / "alias", base / "sub")
    assert resolve_inside(base, "alias/b.csv", root) == base / "alias" / "b.csv"


def test_repository_reached_through_a_symlink(repo: tuple[Path, Path], tmp_path: Path) -> None:
    """A root given via a symlinked path (e.g. /home -> /data/home) is not 'outside'."""
    root, _ = repo
    _symlink(tmp_path / "via-link", root)
    linked_root = tmp_path / "via-link"
    linked_base = linked_root / "datapackages" / "ds"
    assert resolve_inside(linked_base, "a.csv", linked_root) == linked_base / "a.csv"


def test_loader_reports_a_symlink_out_as_path_outside(make_catalog, tmp_path: Path) -> None:
    from opencatalog.load.catalog_loader import load_catalog

    secret = tmp_path / "secret.csv"
    secret.write_text("fund_id,province_code,amount\n1,10,5\n", "utf-8")
    root = make_catalog(remove=[f"{DATA_DIR}/funds.csv"])
    _symlink(root / DATA_DIR / "funds.csv", secret)
    catalog = load_catalog(root)
    [finding] = [f for f in catalog.load_findings if f.code == "path.outside"]
    assert finding.file == DATASET_FILE
    assert finding.line == 31 and finding.field == "resources[1].path"
    assert str(secret.resolve()) in finding.message
    assert catalog.datasets[0].resources[1].data_file is None  # never read


def test_loader_refuses_a_schema_path_outside(make_catalog) -> None:
    from opencatalog.load.catalog_loader import load_catalog

    root = make_catalog({DATASET_FILE: replace_once(
        DATASET_YAML, "schema: funds.schema.yaml", "schema: ../../catalog/catalog.yaml")})
    catalog = load_catalog(root)
    [finding] = catalog.load_findings
    assert (finding.code, finding.line, finding.field) == ("path.outside", 32, "resources[1].schema")
    assert catalog.datasets[0].resources[1].schema is None


def test_symlink_inside_validates_clean(make_catalog, invoke) -> None:
    root = make_catalog({f"{DATA_DIR}/real/funds.csv": FUNDS_CSV}, remove=[f"{DATA_DIR}/funds.csv"])
    _symlink(root / DATA_DIR / "funds.csv", root / DATA_DIR / "real" / "funds.csv")
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.stdout
    assert run.report["findings"] == []


def test_home_and_variables_are_not_expanded(repo: tuple[Path, Path],
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """'~' and environment variables are ordinary names, never a way out."""
    root, base = repo
    monkeypatch.setenv("OPENCATALOG_TEST_HOME", "/etc")
    assert resolve_inside(base, "~/a.csv", root) == base / "~" / "a.csv"
    assert resolve_inside(base, "$OPENCATALOG_TEST_HOME/passwd", root) == \
        base / "$OPENCATALOG_TEST_HOME" / "passwd"


def test_a_dataset_yaml_linking_outside_the_repository_is_refused_unread(make_catalog, tmp_path):
    """A pull request must not make CI echo the keys of a secret file through annotations."""
    secret = tmp_path / "secret.yaml"
    secret.write_text("aws_secret_access_key_x9: hunter2hunter2\n", "utf-8")
    root = make_catalog()
    (root / "catalog" / "datasets" / "leak.yaml").symlink_to(secret)
    catalog = load_catalog(root)
    [finding] = [f for f in catalog.load_findings if f.file == "catalog/datasets/leak.yaml"]
    assert finding.code == "path.outside" and "not read" in finding.message
    report = validate(catalog, data=False)
    text = json.dumps([f.to_dict() for f in report.findings], ensure_ascii=False)
    assert "aws_secret" not in text and "hunter2" not in text
    assert not report.ok


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system [\"true\"]",
                                 "!!python/name:os.system", "!custom x"])
def test_yaml_tags_in_a_table_schema_are_refused(make_catalog, tag):
    schema = PROVINCES_SCHEMA.replace("fields:", f"x-extra: {tag}\nfields:", 1)
    catalog = load_catalog(make_catalog({f"{DATA_DIR}/provinces.schema.yaml": schema}))
    [finding] = catalog.load_findings
    assert finding.code == "yaml.tag" and finding.file == f"{DATA_DIR}/provinces.schema.yaml"
    assert finding.line == 1
