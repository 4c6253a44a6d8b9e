"""Generate a SYNTHETIC village-level Basic Minimum Needs (จปฐ.) data package.

SYNTHETIC DATA: names, codes and figures are random; they describe no real
village, person or province.  Writes `benchmarks/data/bmn-<rows>/` with

* `villages.csv` (clean) and `villages_bad.csv` (~0.1 % injected errors, listed
  in `INJECTED.csv` with row, field and kind), one row per village survey:
  province / district / sub-district / village codes (8-digit village code is
  the primary key), Thai village and headman names, households, population,
  incomes, indicator rates, zone, survey date and Buddhist-era survey year;
* `provinces.csv`, the lookup table of the `province_code` foreign key;
* `bmn.datapackage.json` (erroneous variant) and `bmn-clean.datapackage.json`.

Text cells are written with Python's csv writer (RFC 4180 minimal quoting):
about 10 % of village names contain a comma ("บ้านหนองบัว, หมู่ 3") and some
contain double quotes, so those rows are quoted and the quoted-CSV path of
the validators is measured too.

    .venv/bin/python benchmarks/generate_bmn.py --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

SYLLABLES = ["บ้าน", "หนอง", "โคก", "นา", "ดอน", "ห้วย", "สระ", "ทุ่ง", "ป่า", "วัง", "แก", "คำ", "โนน", "ท่า"]
TAILS = ["ใหม่", "เหนือ", "ใต้", "กลาง", "ทอง", "แดง", "ยาง", "บัว", "ไผ่", "หิน", "ตะวันออก", "พัฒนา", "สามัคคี"]
GIVEN = ["สมชาย", "สมศักดิ์", "บุญมี", "ประเสริฐ", "วิชัย", "สุนทร", "มาลี", "สมพร", "บัวผัน", "ทองใบ", "อำนวย"]
FAMILY = ["ใจดี", "ศรีสุข", "บุญมา", "แก้วมณี", "ทองคำ", "พรหมมา", "สุขเจริญ", "วงศ์ใหญ่", "ชัยมงคล"]
TITLES = ["นาย", "นาง", "นางสาว"]
N_PROVINCES = 77
ZONES = ["ในเขตเทศบาล", "นอกเขตเทศบาล"]
START = date(2023, 1, 1)


def _field(name: str, type_: str, title: str, **constraints: object) -> dict:
    out: dict = {"name": name, "type": type_, "title": title}
    if constraints:
        out["constraints"] = constraints
    return out


SCHEMA = {
    "fields": [
        _field("village_code", "string", "รหัสหมู่บ้าน (SYNTHETIC)", required=True, pattern="[0-9]{8}"),
        _field("province_code", "string", "รหัสจังหวัด", required=True, pattern="[0-9]{2}"),
        _field("district_code", "string", "รหัสอำเภอ", required=True, pattern="[0-9]{4}"),
        _field("subdistrict_code", "string", "รหัสตำบล", required=True, pattern="[0-9]{6}"),
        _field("village_name", "string", "ชื่อหมู่บ้าน", required=True, maxLength=60),
        _field("headman_name", "string", "ชื่อผู้ใหญ่บ้าน", maxLength=60),
        _field("households", "integer", "จำนวนครัวเรือน", required=True, minimum=1, maximum=5000),
        _field("population", "integer", "จำนวนประชากร", required=True, minimum=0, maximum=30000),
        _field("avg_income", "number", "รายได้เฉลี่ยต่อคนต่อปี (บาท)", minimum=0),
        _field("households_below_38000", "integer", "ครัวเรือนรายได้ต่ำกว่า 38,000 บาท/คน/ปี", minimum=0),
        _field("clean_water_rate", "number", "ร้อยละครัวเรือนมีน้ำสะอาดดื่ม", minimum=0, maximum=100),
        _field("literacy_rate", "number", "ร้อยละคนอายุ 15-59 ปีอ่านเขียนได้", minimum=0, maximum=100),
        _field("zone", "string", "เขตการปกครอง", required=True, enum=ZONES),
        _field("survey_date", "date", "วันที่สำรวจ", required=True, minimum="2023-01-01"),
        _field("survey_year", "integer", "ปีที่สำรวจ (พ.ศ.)", required=True, minimum=2560, maximum=2570),
    ],
    "primaryKey": ["village_code"],
    "foreignKeys": [
        {"fields": ["province_code"], "reference": {"resource": "provinces", "fields": ["code"]}}
    ],
}
NAMES = [f["name"] for f in SCHEMA["fields"]]
# (field, bad value, kind) — each is one frictionless finding
INJECTIONS = [
    ("households", "สิบ", "type-error"),  # Thai word in an integer column
    ("households", "1.0", "type-error"),  # "1.0" is not an integer
    ("households", "0", "constraint minimum"),
    ("population", "-3", "constraint minimum"),
    ("avg_income", "abc", "type-error"),
    ("clean_water_rate", "100.5", "constraint maximum"),
    ("literacy_rate", "-0.1", "constraint minimum"),
    ("zone", "ชานเมือง", "constraint enum"),
    ("survey_date", "2023-02-30", "type-error"),  # impossible date
    ("survey_year", "2023", "constraint minimum"),  # Gregorian year in a Buddhist-era column
    ("district_code", "10-1", "constraint pattern"),
    ("village_name", "", "constraint required"),
    ("province_code", "99", "foreign-key"),  # no province 99
    ("village_code", "DUP", "primary-key"),  # repeats an earlier village code
]


def village_code(i: int) -> tuple[str, str, str, str]:
    """Distinct, zero-padded codes for row i (unique up to 37 million rows)."""
    p = 10 + i % N_PROVINCES
    rest = i // N_PROVINCES
    d, rest = rest % 50 + 1, rest // 50
    s, rest = rest % 99 + 1, rest // 99
    v = rest + 1
    prov = f"{p:02d}"
    dist = f"{prov}{d:02d}"
    sub = f"{dist}{s:02d}"
    return prov, dist, sub, f"{sub}{v:02d}"


def village(rng: random.Random, i: int) -> list[str]:
    prov, dist, sub, code = village_code(i)
    name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(TAILS)
    r = rng.random()
    if r < 0.10:
        name += f", หมู่ {rng.randint(1, 20)}"  # a comma: the cell is quoted
    elif r < 0.11:
        name = f'{name} "{rng.choice(TAILS)}"'  # double quotes inside: quoted, doubled
    households = rng.randint(20, 900)
    population = households * rng.randint(2, 5)
    day = START + timedelta(days=rng.randrange(365))
    return [
        code,
        prov,
        dist,
        sub,
        name,
        f"{rng.choice(TITLES)}{rng.choice(GIVEN)} {rng.choice(FAMILY)}",
        str(households),
        str(population),
        f"{rng.uniform(20000, 300000):.2f}",
        str(rng.randint(0, households // 10)),
        f"{rng.uniform(40, 100):.1f}",
        f"{rng.uniform(70, 100):.1f}",
        ZONES[rng.random() < 0.7],
        day.isoformat(),
        str(day.year + 543),
    ]


def generate(rows: int, out: Path, seed: int = 874, error_rate: float = 0.001) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    with (out / "provinces.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["code", "name"])
        for p in range(10, 10 + N_PROVINCES):
            w.writerow([f"{p:02d}", f"จังหวัดสมมติ {p}"])
    injected: list[tuple[int, str, str, str]] = []
    with (
        (out / "villages_bad.csv").open("w", encoding="utf-8", newline="") as bad_fh,
        (out / "villages.csv").open("w", encoding="utf-8", newline="") as clean_fh,
    ):
        bad = csv.writer(bad_fh, lineterminator="\n")
        clean = csv.writer(clean_fh, lineterminator="\n")
        bad.writerow(NAMES)
        clean.writerow(NAMES)
        for i in range(rows):
            cells = village(rng, i)
            clean.writerow(cells)
            if rng.random() < error_rate:
                name, value, kind = rng.choice(INJECTIONS)
                if value == "DUP":
                    value = village_code(rng.randrange(max(i, 1)))[3] if i else cells[0]
                cells[NAMES.index(name)] = value
                injected.append((i + 2, name, kind, value))
            bad.writerow(cells)
    with (out / "INJECTED.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.writer(fh, lineterminator="\n")
        w.writerow(["row", "field", "kind", "value"])
        w.writerows(injected)
    for variant, path in (("bmn", "villages_bad.csv"), ("bmn-clean", "villages.csv")):
        package = {
            "name": f"synthetic-{variant}",
            "title": "SYNTHETIC village Basic Minimum Needs (จปฐ.) — not real data",
            "description": "SYNTHETIC: random names, codes and figures generated by "
            "benchmarks/generate_bmn.py; they describe no real village.",
            "resources": [
                {
                    "name": "villages",
                    "path": path,
                    "format": "csv",
                    "encoding": "utf-8",
                    "schema": SCHEMA,
                },
                {
                    "name": "provinces",
                    "path": "provinces.csv",
                    "format": "csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [
                            {"name": "code", "type": "string", "constraints": {"pattern": "[0-9]{2}"}},
                            {"name": "name", "type": "string"},
                        ],
                        "primaryKey": ["code"],
                    },
                },
            ],
        }
        (out / f"{variant}.datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    (out / "INJECTED.txt").write_text(f"{len(injected)} injected errors (SYNTHETIC) in {rows} rows\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000, help="e.g. 100000, 1000000, 5000000")
    ap.add_argument("--seed", type=int, default=874)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(__file__).parent / "data" / f"bmn-{args.rows}"
    generate(args.rows, out, args.seed)
    print(out, (out / "INJECTED.txt").read_text().strip())


if __name__ == "__main__":
    main()
