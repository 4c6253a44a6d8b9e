"""opencatalog.load.yaml_source: positions, and what a catalog YAML file may not contain."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from opencatalog.load import yaml_source
from opencatalog.load.yaml_source import YamlProblem, dotted, parse_yaml, read_yaml

TEXT = """\
name: village-funds
title: {th: กองทุน, en: Funds}
contact:
  name: ศูนย์
  email: a@b.go.th
tags: [กองทุน, OTOP]
resources:
  - name: funds
    path: funds.csv
  - name: link
    url: https://example.go.th
"""


def problem(text: str) -> YamlProblem:
    with pytest.raises(YamlProblem) as info:
        parse_yaml(text, "catalog/datasets/x.yaml")
    return info.value


# --- positions --------------------------------------------------------------------------------


def test_values_and_keys_have_line_and_column() -> None:
    doc = parse_yaml(TEXT, "catalog/datasets/village-funds.yaml")
    assert doc.data["resources"][1]["url"] == "https://example.go.th"
    assert doc.value_pos[("name",)] == (1, 7)
    assert doc.key_pos[("name",)] == (1, 1)
    assert doc.value_pos[("title", "en")] == (2, 25)  # columns count characters, not bytes
    assert doc.key_pos[("contact", "email")] == (5, 3)
    assert doc.value_pos[("contact", "email")] == (5, 10)
    assert doc.value_pos[("tags", 1)] == (6, 16)
    assert doc.value_pos[("resources", 0)] == (8, 5)
    assert doc.key_pos[("resources", 1, "url")] == (11, 5)
    assert doc.value_pos[()] == (1, 1)


def test_where_falls_back_to_the_nearest_parent() -> None:
    doc = parse_yaml(TEXT, "f.yaml")
    assert doc.where(("resources", 0, "schema")) == (8, 5)  # missing key -> its mapping
    assert doc.where(("resources", 7, "path")) == doc.value_pos[("resources",)]
    assert doc.where(("nope",)) == (1, 1)
    assert doc.where(("contact", "email"), key=True) == (5, 3)
    assert doc.where(("contact", "email")) == (5, 10)


def test_finding_carries_file_position_and_dotted_field() -> None:
    doc = parse_yaml(TEXT, "catalog/datasets/village-funds.yaml")
    finding = doc.finding("x.test", "message", ("resources", 1, "url"), dataset="village-funds")
    assert (finding.file, finding.line, finding.column) == ("catalog/datasets/village-funds.yaml", 11, 10)
    assert finding.field == "resources[1].url"
    assert finding.dataset == "village-funds"
    assert finding.severity == "error"


def test_dotted() -> None:
    assert dotted(("resources", 0, "gdc", "x")) == "resources[0].gdc.x"
    assert dotted(("tags", 3)) == "tags[3]"
    assert dotted(()) == ""


def test_dates_stay_text_and_scalars_keep_their_type() -> None:
    doc = parse_yaml("d: 2024-01-31\nt: 2024-01-31T10:00:00\nn: 1\nb: true\ns: '2566'\n", "f.yaml")
    assert doc.data == {"d": "2024-01-31", "t": "2024-01-31T10:00:00", "n": 1, "b": True, "s": "2566"}


def test_empty_document_is_none() -> None:
    assert parse_yaml("", "f.yaml").data is None
    assert parse_yaml("# only a comment\n", "f.yaml").data is None


# --- refused content ---------------------------------------------------------------------------


def test_syntax_error_has_a_position() -> None:
    err = problem("name: x\ntags: [a, b\nlicense: y\n")
    assert err.code == "yaml.syntax"
    assert err.line == 3 and err.column is not None
    assert err.message.startswith("YAML syntax error")


def test_two_documents_are_a_syntax_error() -> None:
    err = problem("name: a\n---\nname: b\n")
    assert err.code == "yaml.syntax"
    assert err.line == 2


def test_duplicate_key_is_refused_at_the_second_occurrence() -> None:
    err = problem("name: a\ntitle: t\nname: b\n")
    assert err.code == "yaml.duplicate-key"
    assert (err.line, err.column) == (3, 1)
    assert "'name'" in err.message and "first on line 1" in err.message
    assert err.hint


def test_duplicate_key_in_a_nested_mapping() -> None:
    err = problem("resources:\n  - name: a\n    path: a.csv\n    name: b\n")
    assert err.code == "yaml.duplicate-key"
    assert (err.line, err.column) == (4, 5)
    assert "first on line 2" in err.message


def test_same_key_in_different_mappings_is_fine() -> None:
    doc = parse_yaml("a: {name: x}\nb: {name: y}\nc: [{name: 1}, {name: 2}]\n", "f.yaml")
    assert doc.data["c"][1]["name"] == 2


def test_duplicate_key_that_differs_only_in_quoting() -> None:
    err = problem("name: a\n'name': b\n")
    assert err.code == "yaml.duplicate-key"


def test_anchor_is_refused() -> None:
    err = problem("a: &x 1\nb: 2\n")
    assert err.code == "yaml.anchor"
    assert "&x" in err.message
    assert (err.line, err.column) == (1, 4)


def test_alias_without_anchor_is_refused_as_alias() -> None:
    err = problem("a: 1\nb: *x\n")
    assert err.code == "yaml.alias"
    assert (err.line, err.column) == (2, 4)


def test_billion_laughs_is_refused_fast() -> None:
    bomb = 'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    for i, name in enumerate("bcdefghi"):
        prev = "abcdefghi"[i]
        bomb += f"{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
    start = time.perf_counter()
    err = problem(bomb)
    assert err.code == "yaml.anchor"
    assert time.perf_counter() - start < 1


def test_merge_key_is_refused() -> None:
    err = problem("base: {a: 1}\nthing:\n  <<: {a: 1}\n  b: 2\n")
    assert err.code == "yaml.merge"
    assert (err.line, err.column) == (3, 3)


def test_non_scalar_key_is_refused() -> None:
    err = problem("? [a, b]\n: 1\n")
    assert err.code == "yaml.key-type"
    assert err.line == 1


# --- files ------------------------------------------------------------------------------------


def test_read_yaml_names_the_file_relative_to_the_root(tmp_path: Path) -> None:
    path = tmp_path / "catalog" / "datasets" / "x.yaml"
    path.parent.mkdir(parents=True)
    path.write_text("name: x\n", "utf-8")
    doc = read_yaml(path, tmp_path)
    assert doc.file == "catalog/datasets/x.yaml"
    assert doc.data == {"name": "x"}


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + "name: กรม\n".encode())
    doc = read_yaml(path, tmp_path)
    assert doc.data == {"name": "กรม"}
    assert doc.key_pos[("name",)] == (1, 1)


def test_non_utf8_yaml_is_refused_with_the_line(tmp_path: Path) -> None:
    path = tmp_path / "x.yaml"
    path.write_bytes("name: x\nlicense: y\ntitle: กองทุน\n".encode("cp874"))
    with pytest.raises(YamlProblem) as info:
        read_yaml(path, tmp_path)
    assert info.value.code == "yaml.encoding"
    assert info.value.line == 3
    assert "UTF-8" in info.value.message
    assert "CP874" in (info.value.hint or "")


def test_oversize_file_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: [" + b"1," * (yaml_source.MAX_YAML_BYTES // 2) + b"1]\n")
    assert path.stat().st_size > 2 * 1024 * 1024
    start = time.perf_counter()
    with pytest.raises(YamlProblem) as info:
        read_yaml(path, tmp_path)
    assert info.value.code == "yaml.too-large"
    assert "2 MB" in info.value.message
    assert time.perf_counter() - start < 1  # refused by size, not parsed


def test_size_limit_boundary(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_source, "MAX_YAML_BYTES", 64)
    ok = tmp_path / "ok.yaml"
    ok.write_bytes(b"a: " + b"x" * 60 + b"\n")  # exactly 64 bytes
    assert ok.stat().st_size == 64
    assert read_yaml(ok, tmp_path).data == {"a": "x" * 60}
    too_big = tmp_path / "big.yaml"
    too_big.write_bytes(b"a: " + b"x" * 61 + b"\n")
    with pytest.raises(YamlProblem, match="at most"):
        read_yaml(too_big, tmp_path)


def test_loader_turns_a_yaml_problem_into_a_finding(make_catalog) -> None:
    from opencatalog.load.catalog_loader import load_catalog

    root = make_catalog({"catalog/groups/test-group.yaml": "name: test-group\nname: again\n"})
    catalog = load_catalog(root)
    [finding] = catalog.load_findings
    assert (finding.code, finding.file, finding.line) == (
        "yaml.duplicate-key", "catalog/groups/test-group.yaml", 2)
    assert "test-group" not in catalog.groups


def test_absurd_nesting_is_a_finding_not_a_crash() -> None:
    err = problem("a: " + "[" * 1000 + "]" * 1000 + "\n")
    assert err.code.startswith("yaml.")
    assert err.line == 1


def test_reasonable_nesting_is_fine() -> None:
    doc = parse_yaml("a: " + "[" * 50 + "1" + "]" * 50 + "\n", "f.yaml")
    value = doc.data["a"]
    for _ in range(49):
        value = value[0]
    assert value == [1]


def _every_catalog_yaml() -> list[Path]:
    root = Path(__file__).resolve().parents[2]
    paths = sorted([*root.glob("catalog/**/*.yaml"), *root.glob("tests/broken/**/*.yaml")])
    return [p for p in paths if _utf8(p)]  # the non-UTF-8 case never reaches the parser


def _utf8(path: Path) -> bool:
    try:
        path.read_text("utf-8-sig")
    except UnicodeDecodeError:
        return False
    return True


@pytest.mark.parametrize("path", _every_catalog_yaml(), ids=lambda p: p.name)
def test_libyaml_fast_path_gives_the_same_data_and_positions(path: Path, monkeypatch) -> None:
    """libyaml is used for speed; the result must not differ from the pure-Python loader's."""
    text = path.read_text("utf-8-sig")

    def parse(fast: bool):
        if not fast:
            monkeypatch.setattr(yaml_source, "_FastLoader", None)
        try:
            doc = parse_yaml(text, "f.yaml")
        except YamlProblem as exc:
            return ("problem", exc.code, exc.message, exc.line, exc.column)
        finally:
            monkeypatch.undo()
        return (doc.data, doc.value_pos, doc.key_pos)

    assert parse(fast=True) == parse(fast=False)


def test_fast_path_is_refused_where_the_anchor_hook_or_depth_guard_is_needed() -> None:
    assert yaml_source._fast_path_safe(TEXT)
    assert not yaml_source._fast_path_safe("a: &x 1\nb: *x\n")
    assert not yaml_source._fast_path_safe("a: " + "[" * 100 + "]" * 100)
    assert not yaml_source._fast_path_safe("a:\n" + " " * 200 + "b: 1\n")
