"""`opencatalog new`: a dataset YAML and its data package from the files a steward has.

Each CSV/TSV file, and each sheet of an XLSX workbook, becomes a resource with a Table
Schema inferred from every cell (describe/infer.py). Field names are short ASCII names that
PostgreSQL (the DataStore) keeps whole; the header as it was in the file is each field's
`title`. The copy under datapackages/<name>/ gets those names in its header row; every data
row stays byte for byte as in the steward's file (which is never modified). Other files
(PDF, DOCX, ...) are plain uploads. The dataset YAML is filled from the catalog's defaults
and what the data tells; the rest are placeholders (validate/placeholders.py) that validate
reports until a person chooses, with the allowed values in a comment.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
import shutil
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from opencatalog.datastore.decide import MAX_COLUMN_BYTES
from opencatalog.describe.infer import ColumnStats, field_for, stats_of_csv, stats_of_rows
from opencatalog.gdc import standard
from opencatalog.importer.files import dump_yaml, header, text_encoding
from opencatalog.model.catalog import Catalog
from opencatalog.model.filekind import TABLE_FORMATS, WORKBOOK_FORMATS, sniff
from opencatalog.report.model import Finding, Report
from opencatalog.validate.placeholders import placeholder

NAME = re.compile(r"^[a-z0-9_-]{2,70}$")
THAI = re.compile(r"[\u0E00-\u0E7F]")
PROVINCE = re.compile(r"province|changwat|จังหวัด", re.I)
BOM = codecs.BOM_UTF8


@dataclass
class Table:
    """One resource `new` writes: a table of a file (or a sheet), or a plain file."""

    source: Path
    format: str
    resource: str  # the catalog resource name
    title: str
    encoding: str = "utf-8"
    sheet: str | None = None
    header: list[str] = field(default_factory=list)
    fields: list[dict[str, Any]] = field(default_factory=list)
    rows: int = 0
    path_name: str = ""  # the file's name under datapackages/<dataset>/


def ascii_name(text: str, fallback: str) -> str:
    """A lower-case ASCII identifier for a header or file name ('' when it has none)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    name = re.sub(r"[^a-z0-9]+", "_", plain).strip("_")
    if not name or THAI.search(text):
        return fallback  # a Thai header: col_N, the Thai text stays as the title
    if name[0].isdigit():
        name = f"c_{name}"
    return name.encode()[:MAX_COLUMN_BYTES].decode()


def field_names(headers: list[str]) -> list[str]:
    """Stable ASCII field names for a header row, unique, each ≤ 63 bytes."""
    out: list[str] = []
    for index, text in enumerate(headers, start=1):
        name = ascii_name(text.strip(), f"col_{index}")
        base, n = name, 2
        while name in out:
            suffix = f"_{n}"
            name, n = base[:MAX_COLUMN_BYTES - len(suffix)] + suffix, n + 1
        out.append(name)
    return out


def _text_header(path: Path, encoding: str, delimiter: str) -> list[str]:
    with path.open("r", encoding="utf-8-sig" if encoding == "utf-8" else encoding,
                   newline="") as handle:
        return next(csv.reader(handle, delimiter=delimiter), [])


def _read_text_table(table: Table) -> None:
    delimiter = "\t" if table.format == "TSV" else ","
    table.header = _text_header(table.source, table.encoding, delimiter)
    width = len(table.header)
    if table.encoding == "utf-8":
        stats, table.rows = stats_of_csv(table.source, width, delimiter)
    else:
        with table.source.open("r", encoding=table.encoding, newline="") as handle:
            reader = csv.reader(handle, delimiter=delimiter)
            next(reader, None)
            stats, table.rows = stats_of_rows(reader, width)
    _set_fields(table, stats)


def _set_fields(table: Table, stats: list[ColumnStats]) -> None:
    names = field_names(table.header)
    table.fields = [field_for(n, h.strip(), s, table.rows)
                    for n, h, s in zip(names, table.header, stats, strict=True)]


def _sheets(path: Path) -> list[str]:
    from python_calamine import CalamineWorkbook

    return list(CalamineWorkbook.from_path(str(path)).sheet_names)


def _read_sheet(table: Table) -> None:
    from opencatalog.datastore.rows import _sheet_rows  # issue 20's reader: the load's cell texts

    rows = _sheet_rows(table.source, table.sheet or 1)
    table.header = next(rows, [])
    while table.header and table.header[-1] == "":
        table.header.pop()
    stats, table.rows = stats_of_rows(rows, len(table.header))
    _set_fields(table, stats)


def _kind(path: Path) -> str:
    declared = path.suffix.lower().lstrip(".").upper()
    content = sniff(path)
    if declared in TABLE_FORMATS and content is None:
        return declared
    if declared in WORKBOOK_FORMATS and content == "ZIP":
        return declared
    return declared or "BIN"


def read_tables(path: Path, taken: set[str], sheet: str | None = None) -> list[Table]:
    """The resources of one of the steward's files."""
    kind = _kind(path)
    stem = ascii_name(path.stem, "") or f"file-{len(taken) + 1}"

    def unique(name: str) -> str:
        name = name.replace("_", "-")
        base, n = name, 2
        while name in taken:
            name, n = f"{base}-{n}", n + 1
        taken.add(name)
        return name

    if kind in TABLE_FORMATS:
        encoding = text_encoding(path)
        if encoding is None:
            return [Table(path, kind, unique(stem), path.stem)]  # not text after all
        table = Table(path, kind, unique(stem), path.stem, encoding=encoding)
        _read_text_table(table)
        return [table]
    if kind in WORKBOOK_FORMATS:
        tables = []
        for name in ([sheet] if sheet else _sheets(path)):
            sheet_name = ascii_name(name, "") or f"sheet-{len(tables) + 1}"
            table = Table(path, kind, unique(f"{stem}-{sheet_name}"), f"{path.stem} {name}",
                          sheet=name)
            _read_sheet(table)
            tables.append(table)
        return tables
    return [Table(path, kind, unique(stem), path.stem)]


def infer_schema(path: Path, fmt: str, encoding: str) -> dict[str, Any] | None:
    """The Table Schema of a CSV/TSV whose header stays as it is (`import`: the file must
    stay the portal's bytes); None when its header cannot be field names (empty, repeated)."""
    table = Table(path, fmt.upper(), "x", path.stem, encoding=encoding)
    if table.format not in TABLE_FORMATS:
        return None
    _read_text_table(table)
    names = [h.strip() for h in table.header]
    if not names or "" in names or len(set(names)) != len(names) or names != table.header:
        return None
    fields = []
    for spec, name in zip(table.fields, names, strict=True):
        spec = {k: v for k, v in spec.items() if k != "title"}
        fields.append({"name": name, **{k: v for k, v in spec.items() if k != "name"}})
    return {"fields": fields}


def _copy_text(table: Table, dest: Path) -> None:
    """The file with the field names as its header line; the data rows byte for byte."""
    names = [f["name"] for f in table.fields]
    with table.source.open("rb") as source, dest.open("wb") as out:
        first = source.readline()
        bom = first.startswith(BOM)
        ending = b"\r\n" if first.endswith(b"\r\n") else b"\n"
        line = io.StringIO()
        csv.writer(line, delimiter="\t" if table.format == "TSV" else ",",
                   lineterminator="").writerow(names)
        out.write((BOM if bom else b"") + line.getvalue().encode("ascii") + ending)
        shutil.copyfileobj(source, out)


def _copy_workbook(tables: list[Table], dest: Path) -> None:
    """The workbook with each described sheet's first row set to its field names."""
    import openpyxl

    book = openpyxl.load_workbook(tables[0].source)
    for table in tables:
        sheet = book[table.sheet] if table.sheet else book.worksheets[0]
        for column, spec in enumerate(table.fields, start=1):
            sheet.cell(row=1, column=column, value=spec["name"])
    book.save(dest)


def _q(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _choice_line(key: str, value: Any, choices: tuple[str, ...] | None, indent: str = "  ") -> str:
    comment = f"  # one of: {' | '.join(choices)}" if choices else ""
    return f"{indent}{key}: {_q(value)}{comment}"


def dataset_text(name: str, catalog: Catalog, tables: list[Table]) -> tuple[str, list[str]]:
    """The dataset YAML (with comments) and the names of the values left to a person."""
    config, gd = catalog.config, standard()
    todo: list[str] = []

    def ask(key: str, what: str) -> str:
        todo.append(key)
        return placeholder(what)

    lines = [header("dataset").rstrip("\n"), f"name: {name}",
             f"title: {_q(ask('title', 'ชื่อชุดข้อมูล (ภาษาไทย) / the dataset title'))}",
             f"description: {_q(ask('description', 'คำอธิบายชุดข้อมูล / what the data is'))}"]
    if not config.default_organization:
        lines.append(f"organization: {_q(ask('organization', 'ชื่อหน่วยงานบนพอร์ทัล'))}")
    if not config.default_license:
        lines.append(f"license: {_q(ask('license', 'สัญญาอนุญาต'))}")
    lines.append(f"tags: [{_q(ask('tags', 'คำสำคัญ'))}]")
    contact = config.default_contact
    if not (contact and contact.name and contact.email):
        lines.append("contact:")
        if not (contact and contact.name):
            lines.append(f"  name: {_q(ask('contact.name', 'ผู้ติดต่อ / contact person or unit'))}")
        if not (contact and contact.email):
            lines.append(f"  email: {_q(ask('contact.email', 'อีเมลผู้ติดต่อ'))}")
    known: dict[str, Any] = {}
    formats = sorted({t.format for t in tables})
    choices = gd.dataset_field("data_format").choices or ()
    data_format = [f if f in choices else ("XLS" if f == "XLSX" else "อื่นๆ") for f in formats]
    known["data_format"] = sorted(set(data_format))
    if "อื่นๆ" in data_format:
        known["data_format_other"] = ", ".join(f for f in formats if f not in choices)
    texts = [h for t in tables for h in t.header] + [t.title for t in tables]
    if any(THAI.search(text) for text in texts):
        known["data_language"] = ["ไทย"]
    province = next((f for t in tables for f in t.fields
                     if PROVINCE.search(f"{f['name']} {f.get('title', '')}")), None)
    if province is not None:
        known["geo_coverage"] = "จังหวัด"
    lines.append("gdc:")
    for spec in gd.gdc_dataset_fields:
        if spec.name in known:
            why = (f"  # from column {province['name']} ({province.get('title', '')})"
                   if spec.name == "geo_coverage" and province else "  # from the files")
            lines.append(f"  {spec.name}: {_q(known[spec.name])}{why}")
        elif spec.required:
            value: Any = ask(f"gdc.{spec.name}", "เลือกจากรายการ" if spec.choices else "กรอก")
            lines.append(_choice_line(spec.name, [value] if spec.multiple else value,
                                      spec.choices))
    lines.append("resources:")
    for table in tables:
        lines += [f"  - name: {table.resource}", f"    title: {_q(table.title)}",
                  f"    path: {_q(table.path_name)}"]
        if table.fields:
            lines.append(f"    schema: {table.resource}.schema.yaml")
        if table.encoding != "utf-8":
            lines.append(f"    encoding: {table.encoding}")
        if table.sheet:
            lines.append(f"    sheet: {_q(table.sheet)}")
    return "\n".join(lines) + "\n", todo


def _notes(table: Table) -> list[str]:
    """What inference decided that a steward should check, one sentence per resource."""
    renamed = [f"{f['name']} ← {f['title']!r}" for f in table.fields
               if f.get("title") and f["title"] != f["name"]]
    said = []
    if renamed:
        said.append(f"{len(renamed)} header(s) renamed, each kept as the field's title: "
                    + ", ".join(renamed[:4]) + (" …" if len(renamed) > 4 else ""))
    for key, what in (("calendar", "Buddhist-era years (calendar: buddhist; the DataStore "
                                   "stores them Gregorian)"),
                      ("groupChar", "thousands separators (groupChar: ',')"),
                      ("format", "dd/mm/yyyy dates (format: '%d/%m/%Y')")):
        names = [f["name"] for f in table.fields if f.get(key)]
        if names:
            said.append(f"{what} in {', '.join(names)}")
    if table.encoding != "utf-8":
        said.append(f"encoding {table.encoding} (Thai Windows-874 / TIS-620), declared")
    return [f"{table.resource}: {'; '.join(said)}"] if said else []


def new_dataset(catalog: Catalog, name: str, files: list[Path], *, sheet: str | None = None,
                force: bool = False) -> Report:
    """Write catalog/datasets/<name>.yaml and datapackages/<name>/ (see the module doc)."""
    report = Report(command="new", summary={"written": []})
    root = catalog.root
    yaml_path = root / "catalog" / "datasets" / f"{name}.yaml"
    data_dir = root / "datapackages" / name
    rel = yaml_path.relative_to(root).as_posix()
    if not NAME.match(name):
        report.findings.append(Finding(code="new.name", file=rel, message=f"'{name}' is not a "
                                       "dataset name: 2-70 characters a-z 0-9 - _",
                                       hint="e.g. village-funds-2567"))
        return report
    if (yaml_path.exists() or data_dir.exists()) and not force:
        report.findings.append(Finding(code="new.exists", file=rel, dataset=name,
                                       message=f"dataset '{name}' exists already; nothing written",
                                       hint="choose another name, or --force to overwrite it"))
        return report
    missing = [f for f in files if not f.is_file()]
    for path in missing:
        report.findings.append(Finding(code="new.no-file", file=str(path), dataset=name,
                                       message=f"{path} is not a file"))
    if missing:
        return report
    taken: set[str] = set()
    tables = [t for path in files for t in read_tables(path, taken, sheet)]
    data_dir.mkdir(parents=True, exist_ok=True)
    written: list[str] = []
    by_source: dict[Path, list[Table]] = {}
    for table in tables:
        by_source.setdefault(table.source, []).append(table)
    for source, group in by_source.items():
        dest_name = f"{ascii_name(source.stem, '') or group[0].resource}{source.suffix.lower()}"
        dest = data_dir / dest_name.replace("_", "-")
        renamed = any(f["name"] != h for t in group for f, h in zip(t.fields, t.header,
                                                                       strict=True))
        if group[0].format in TABLE_FORMATS and group[0].fields and renamed:
            _copy_text(group[0], dest)
        elif group[0].format in WORKBOOK_FORMATS and renamed:
            _copy_workbook(group, dest)
        else:
            shutil.copyfile(source, dest)
        written.append(dest.relative_to(root).as_posix())
        for table in group:
            table.path_name = dest.name
    for table in tables:
        if table.fields:
            schema_path = data_dir / f"{table.resource}.schema.yaml"
            comment = (f"# inferred by `opencatalog new` from all {table.rows:,} rows of "
                       f"{table.source.name}{' sheet ' + table.sheet if table.sheet else ''}; "
                       "review it\n")
            schema_path.write_text(comment + dump_yaml({"fields": table.fields}), "utf-8")
            written.append(schema_path.relative_to(root).as_posix())
        for note in _notes(table):
            report.findings.append(Finding(code="new.inferred", severity="info", message=note,
                                           dataset=name, resource=table.resource))
    text, todo = dataset_text(name, catalog, tables)
    yaml_path.parent.mkdir(parents=True, exist_ok=True)
    yaml_path.write_text(text, "utf-8")
    written.insert(0, rel)
    for key in todo:
        report.findings.append(Finding(
            code="new.placeholder", severity="warning", file=rel, dataset=name, field=key,
            message=f"{key}: a placeholder — the files do not tell; a person chooses",
            hint="edit the value (choices are in the comment on its line); validate reports it "
                 "until then"))
    report.datasets.append(name)
    report.summary["written"] = written
    return report
