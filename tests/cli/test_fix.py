"""`opencatalog fix encoding|unicode`, and the encoding and Unicode findings it answers (issue 20, item 3)."""

from __future__ import annotations

import unicodedata

from catalog_builder import DATA_DIR, DATASET_FILE, DATASET_YAML, PROVINCES_CSV, replace_once
from opencatalog.fix import to_normal_form, to_utf8

TAMBON = "ตำบล"  # SARA AM
TAMBON_LOOKALIKE = "ต\u0e4d\u0e32บล"  # NIKHAHIT + SARA AA: looks the same


def test_fix_encoding_converts_cp874_and_keeps_a_backup(tmp_path, invoke) -> None:
    path = tmp_path / "provinces.csv"
    original = PROVINCES_CSV.encode("cp874")
    path.write_bytes(original)
    run = invoke("fix", "encoding", path)
    assert run.exit_code == 0
    assert run.stdout == (f"{path}: converted from cp874 to UTF-8 (original kept as provinces.csv.bak); "
                          "remove `encoding:` from its resource in the dataset YAML\n")
    assert path.read_text("utf-8") == PROVINCES_CSV
    assert (tmp_path / "provinces.csv.bak").read_bytes() == original
    again = invoke("fix", "encoding", path)  # idempotent
    assert (again.exit_code, again.stdout) == (0, f"{path}: already UTF-8: unchanged\n")


def test_fix_encoding_refuses_to_overwrite_a_backup_and_bytes_it_cannot_read(tmp_path) -> None:
    path = tmp_path / "x.csv"
    path.write_bytes(b"a\n\xff\xfe\n")  # 0xFF is not a cp874 character
    result = to_utf8(path)
    assert not result.ok and result.message.startswith("not cp874 either (line 2:")
    assert path.read_bytes() == b"a\n\xff\xfe\n" and not (tmp_path / "x.csv.bak").exists()
    path.write_bytes("ก\n".encode("cp874"))
    (tmp_path / "x.csv.bak").write_bytes(b"older")
    blocked = to_utf8(path)
    assert not blocked.ok and "x.csv.bak already exists" in blocked.message
    assert path.read_bytes() == "ก\n".encode("cp874")


def test_fix_encoding_streams_across_chunks(tmp_path, monkeypatch) -> None:
    from opencatalog import fix

    monkeypatch.setattr(fix, "CHUNK", 7)
    text = "code,name\n" + "".join(f"{i},บ้าน{TAMBON_LOOKALIKE}ที่ {i}\n" for i in range(50))
    path = tmp_path / "v.csv"
    path.write_bytes(text.encode("cp874"))
    assert to_utf8(path).changed
    assert path.read_text("utf-8") == text.replace(TAMBON_LOOKALIKE, TAMBON)


def test_fix_unicode_normalises_nfd_and_sara_am(tmp_path, invoke) -> None:
    path = tmp_path / "h.csv"
    path.write_text(f"{TAMBON_LOOKALIKE},{unicodedata.normalize('NFD', 'café')}\n", encoding="utf-8")
    run = invoke("fix", "unicode", path)
    assert run.exit_code == 0 and "normal form NFC" in run.stdout
    assert path.read_text("utf-8") == f"{TAMBON},café\n"
    assert to_normal_form(path).message == "already in normal form (NFC): unchanged"


def test_fix_of_a_missing_file_fails_without_traceback(tmp_path, invoke) -> None:
    run = invoke("fix", "encoding", tmp_path / "nope.csv")
    assert run.exit_code == 1 and "nope.csv: no such file" in run.stderr


def test_declared_cp874_validates_and_the_hint_names_the_fix(make_catalog, invoke) -> None:
    declared = replace_once(DATASET_YAML, "    path: provinces.csv\n",
                            "    path: provinces.csv\n    encoding: cp874\n")
    root = make_catalog({DATASET_FILE: declared,
                         f"{DATA_DIR}/provinces.csv": PROVINCES_CSV.encode("cp874")})
    assert invoke("validate", "--root", root, "--format", "json").exit_code == 0
    undeclared = make_catalog({f"{DATA_DIR}/provinces.csv": PROVINCES_CSV.encode("cp874")})
    run = invoke("validate", "--root", undeclared, "--format", "json")
    [finding] = [f for f in run.report["findings"] if f["code"] == "data.encoding-error"]
    assert (finding["file"], finding["row"]) == (f"{DATA_DIR}/provinces.csv", 2)
    fixed = invoke("fix", "encoding", undeclared / DATA_DIR / "provinces.csv")
    assert fixed.exit_code == 0
    assert invoke("validate", "--root", undeclared, "--format", "json").exit_code == 0


def test_excel_bom_validates(make_catalog, invoke) -> None:
    root = make_catalog({f"{DATA_DIR}/provinces.csv": b"\xef\xbb\xbf" + PROVINCES_CSV.encode()})
    run = invoke("validate", "--root", root, "--format", "json")
    assert run.exit_code == 0, run.report["findings"]


def test_header_differing_only_in_unicode_form_says_so(make_catalog, invoke) -> None:
    csv = PROVINCES_CSV.replace("code,name_th", f"code,{TAMBON_LOOKALIKE}")
    schema_file = f"{DATA_DIR}/provinces.schema.yaml"
    from catalog_builder import PROVINCES_SCHEMA

    root = make_catalog({f"{DATA_DIR}/provinces.csv": csv,
                         schema_file: PROVINCES_SCHEMA.replace("name: name_th", f"name: {TAMBON}")})
    run = invoke("validate", "--root", root, "--format", "json")
    [finding] = [f for f in run.report["findings"] if f["code"] == "data.incorrect-label"]
    assert finding["message"] == (
        f'Label "{TAMBON_LOOKALIKE}" at position "2" looks like the field name "{TAMBON}" but is '
        "encoded differently (Unicode normalisation: not NFC, or SARA AM typed as NIKHAHIT + "
        "SARA AA); the label's characters are U+0E15 U+0E4D U+0E32 U+0E1A U+0E25")
    assert "opencatalog fix unicode" in finding["hint"] and "NFC" in finding["hint"]
    assert invoke("fix", "unicode", root / DATA_DIR / "provinces.csv").exit_code == 0
    assert invoke("validate", "--root", root, "--format", "json").exit_code == 0


def test_nfd_header_against_an_nfc_schema_name(make_catalog, invoke) -> None:
    from catalog_builder import PROVINCES_SCHEMA

    nfd = unicodedata.normalize("NFD", "café")
    root = make_catalog({f"{DATA_DIR}/provinces.csv": PROVINCES_CSV.replace("name_th", nfd),
                         f"{DATA_DIR}/provinces.schema.yaml": PROVINCES_SCHEMA.replace("name_th", "café")})
    run = invoke("validate", "--root", root, "--format", "json")
    [finding] = [f for f in run.report["findings"] if f["code"] == "data.incorrect-label"]
    assert finding["message"].endswith("the label's characters are U+0301")
