"""Benchmarks of issue 20: XLSX validation, and Buddhist-era dates vs Gregorian ones.

All data is SYNTHETIC (generated here or by generate_bmn.py; it describes no real village).

* `xlsx`: a workbook of ROWS rows x 15 columns (a valid sheet; 0.1 % wrong cells) — the
  library call `check_package` (what `opencatalog validate` runs) vs the `frictionless
  validate` CLI on the same package, each a fresh process; findings compared as (resource,
  type, row, field); plus python-calamine reading the same sheet (what the DataStore load
  uses), for scale.
* `be`: the BMN villages table of generate_bmn.py (ROWS rows) with `survey_date` in the
  Gregorian calendar (as generated) and the same file with its years in พ.ศ. and
  `calendar: buddhist` — `check_package(engine="fast")`, median of `--repeat` fresh processes.

    .venv/bin/python benchmarks/bench_department_files.py xlsx --rows 100000
    .venv/bin/python benchmarks/bench_department_files.py be --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import statistics
import sys
from pathlib import Path

from _common import loadavg, timed  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
DATA = HERE / "data"
BIN = Path(sys.executable).parent
FRICTIONLESS = str(BIN / "frictionless")
SRC = str(HERE.parent / "cli")

CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from opencatalog.validate.tabular import check_package
d = Path({data!r})
desc = json.loads((d / {pkg!r}).read_text(encoding="utf-8"))
t = time.perf_counter()
found = check_package(desc, d, engine="fast")
print(json.dumps({{"check_s": time.perf_counter() - t, "keys": [list(e.key) for e in found]}}))
"""
CALAMINE = """
import sys, time
from python_calamine import CalamineWorkbook
t = time.perf_counter()
rows = CalamineWorkbook.from_path(sys.argv[1]).get_sheet_by_index(0).to_python()
print(len(rows), time.perf_counter() - t)
"""

XLSX_FIELDS = [
    ("village_code", "string"), ("province_code", "string"), ("village_name", "string"),
    ("households", "integer"), ("population", "integer"), ("avg_income", "number"),
    ("below_38000", "integer"), ("water_rate", "number"), ("literacy_rate", "number"),
    ("zone", "string"), ("survey_date", "date"), ("survey_year", "integer"),
    ("budget", "number"), ("groups", "integer"), ("remark", "string"),
]


def _child(data: Path, pkg: str) -> dict:
    run = timed([sys.executable, "-c", CHILD.format(src=SRC, data=str(data), pkg=pkg)])
    result = json.loads(run.stdout)
    return {"wall_s": round(run.wall, 2), "check_s": round(result["check_s"], 2),
            "rss_mb": round(run.rss_mb), "load": run.load, "keys": result["keys"]}


def bench_xlsx(rows: int) -> dict:
    from openpyxl import Workbook

    folder = DATA / f"xlsx-{rows}"
    folder.mkdir(parents=True, exist_ok=True)
    book_path = folder / "villages.xlsx"
    if not book_path.exists():
        rng = random.Random(20)
        book = Workbook(write_only=True)
        sheet = book.create_sheet("villages")
        sheet.append([name for name, _ in XLSX_FIELDS])
        for i in range(rows):
            row = [f"{10010101 + i}", f"{10 + i % 77}", f"บ้านสังเคราะห์ {i}", rng.randint(20, 400),
                   rng.randint(50, 1500), round(rng.uniform(20000, 90000), 2), rng.randint(0, 9),
                   round(rng.uniform(40, 100), 1), round(rng.uniform(60, 100), 1),
                   rng.choice(["ในเขตเทศบาล", "นอกเขตเทศบาล"]), f"2023-{1 + i % 12:02d}-{1 + i % 28:02d}",
                   2566, round(rng.uniform(0, 1e6), 2), rng.randint(0, 20), ""]
            if i % 1000 == 7:
                row[3] = "ไม่ทราบ"  # 0.1 % type errors
            sheet.append(row)
        book.save(book_path)
    schema = {"fields": [{"name": n, "type": t} for n, t in XLSX_FIELDS]}
    package = {"name": "synthetic-xlsx", "resources": [
        {"name": "villages", "path": "villages.xlsx", "format": "xlsx",
         "dialect": {"excel": {"sheet": "villages"}}, "schema": schema}]}
    (folder / "datapackage.json").write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    ours = _child(folder, "datapackage.json")
    fl = timed([FRICTIONLESS, "validate", "--json", "datapackage.json"], cwd=folder, check=False)
    report = json.loads(fl.stdout)
    theirs = [[task.get("name", ""), e["type"], e.get("rowNumber"), e.get("fieldName")]
              for task in report["tasks"] for e in task["errors"]]
    cal = timed([sys.executable, "-c", CALAMINE, str(book_path)])
    return {"benchmark": f"xlsx {rows:,} rows x 15", "load": loadavg(),
            "opencatalog_check_package": {k: v for k, v in ours.items() if k != "keys"},
            "frictionless_validate_cli": {"wall_s": round(fl.wall, 2), "rss_mb": round(fl.rss_mb),
                                          "load": fl.load},
            "same_findings": ours["keys"] == theirs, "findings": len(theirs),
            "calamine_read_sheet": {"wall_s": round(cal.wall, 2),
                                    "read_s": round(float(cal.stdout.split()[1]), 2),
                                    "rss_mb": round(cal.rss_mb)}}


def bench_be(rows: int, repeat: int) -> dict:
    folder = DATA / f"bmn-{rows}"
    if not (folder / "bmn-clean.datapackage.json").exists():
        raise SystemExit(f"run: .venv/bin/python benchmarks/generate_bmn.py --rows {rows}")
    be_csv = folder / "villages_be.csv"
    if not be_csv.exists():
        with (folder / "villages.csv").open(encoding="utf-8", newline="") as src, \
                be_csv.open("w", encoding="utf-8", newline="") as out:
            reader, writer = csv.reader(src), csv.writer(out, lineterminator="\n")
            header = next(reader)
            writer.writerow(header)
            k = header.index("survey_date")
            for row in reader:
                row[k] = f"{int(row[k][:4]) + 543}{row[k][4:]}"
                writer.writerow(row)
    package = json.loads((folder / "bmn-clean.datapackage.json").read_text("utf-8"))
    for resource in package["resources"]:
        if resource["name"] == "villages":
            resource["path"] = "villages_be.csv"
            for f in resource["schema"]["fields"]:
                if f["name"] == "survey_date":
                    f["calendar"] = "buddhist"
                    if "minimum" in f.get("constraints", {}):
                        f["constraints"]["minimum"] = "2566-01-01"
    (folder / "bmn-be.datapackage.json").write_text(json.dumps(package, ensure_ascii=False), "utf-8")
    runs: dict[str, list[dict]] = {"gregorian": [], "buddhist": []}
    for _ in range(repeat):  # interleaved, so that a change of load hits both alike
        runs["gregorian"].append(_child(folder, "bmn-clean.datapackage.json"))
        runs["buddhist"].append(_child(folder, "bmn-be.datapackage.json"))
    out = {"benchmark": f"Buddhist-era dates, {rows:,} rows (fast path)", "load": loadavg()}
    for name, results in runs.items():
        out[name] = {"check_s_median": round(statistics.median(r["check_s"] for r in results), 2),
                     "wall_s_median": round(statistics.median(r["wall_s"] for r in results), 2),
                     "rss_mb": max(r["rss_mb"] for r in results),
                     "findings": len(results[0]["keys"])}
    out["buddhist_vs_gregorian"] = round(out["buddhist"]["check_s_median"]
                                         / out["gregorian"]["check_s_median"], 3)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("which", choices=["xlsx", "be"])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    result = bench_xlsx(args.rows) if args.which == "xlsx" else bench_be(args.rows, args.repeat)
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
