"""Generate a SYNTHETIC village-level Basic Minimum Needs (จปฐ.) data package.

SYNTHETIC DATA: names, codes and figures are random; they describe no real
village.  Writes `benchmarks/data/bmn-<rows>/` with `datapackage.json`, a clean
table (`bmn_clean.csv`), an erroneous copy (`bmn.csv`, ~0.1% injected errors),
and `provinces.csv` for the foreign key.

    .venv/bin/python benchmarks/generate_bmn.py --rows 1000000
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

SYLLABLES = ["บ้าน", "หนอง", "โคก", "นา", "ดอน", "ห้วย", "สระ", "ทุ่ง", "ป่า", "วัง", "แก", "คำ"]
TAILS = ["ใหม่", "เหนือ", "ใต้", "กลาง", "ทอง", "แดง", "ยาง", "บัว", "ไผ่", "หิน", "ตะวันออก"]
N_PROVINCES = 77
SCHEMA = {
    "fields": [
        {"name": "village_id", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{8}"}},
        {"name": "province_code", "type": "string", "constraints": {"required": True, "pattern": "[0-9]{2}"}},
        {"name": "district_code", "type": "string", "constraints": {"pattern": "[0-9]{4}"}},
        {"name": "village_name", "type": "string", "constraints": {"required": True, "maxLength": 40}},
        {
            "name": "households",
            "type": "integer",
            "constraints": {"required": True, "minimum": 1, "maximum": 5000},
        },
        {"name": "population", "type": "integer", "constraints": {"minimum": 0}},
        {"name": "avg_income", "type": "number", "constraints": {"minimum": 0}},
        {"name": "clean_water_rate", "type": "number", "constraints": {"minimum": 0, "maximum": 100}},
        {"name": "zone", "type": "string", "constraints": {"enum": ["urban", "rural"]}},
        {"name": "survey_date", "type": "date", "constraints": {"required": True}},
    ],
    "primaryKey": ["village_id"],
    "foreignKeys": [
        {"fields": ["province_code"], "reference": {"resource": "provinces", "fields": ["code"]}}
    ],
}
# (field index, bad value) — each is one frictionless finding
INJECTIONS = [
    (4, "สิบ"),  # type-error: Thai word in an integer column
    (4, "1.0"),  # type-error: "1.0" is not an integer
    (4, "0"),  # constraint minimum
    (5, "-3"),  # constraint minimum
    (6, "abc"),  # type-error number
    (7, "100.5"),  # constraint maximum
    (8, "suburb"),  # enum
    (9, "2023-02-30"),  # type-error date
    (0, "1234"),  # pattern
    (3, ""),  # required
    (1, "99"),  # foreign key (no province 99)
]


def village(rng: random.Random, i: int) -> list[str]:
    prov = rng.randint(10, 10 + N_PROVINCES - 1)
    name = rng.choice(SYLLABLES) + rng.choice(SYLLABLES) + rng.choice(TAILS)
    households = rng.randint(20, 900)
    return [
        f"{i:08d}",
        f"{prov:02d}",
        f"{prov:02d}{rng.randint(1, 30):02d}",
        name,
        str(households),
        str(households * rng.randint(2, 5)),
        f"{rng.uniform(20000, 300000):.2f}",
        f"{rng.uniform(40, 100):.1f}",
        rng.choice(["urban", "rural"]),
        f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
    ]


def generate(rows: int, out: Path, seed: int = 874, error_rate: float = 0.001) -> Path:
    rng = random.Random(seed)
    out.mkdir(parents=True, exist_ok=True)
    names = [f["name"] for f in SCHEMA["fields"]]
    with (out / "provinces.csv").open("w", encoding="utf-8") as fh:
        fh.write("code,name\n")
        for p in range(10, 10 + N_PROVINCES):
            fh.write(f"{p:02d},จังหวัดสมมติ{p}\n")
    injected = 0
    with (
        (out / "bmn.csv").open("w", encoding="utf-8") as bad,
        (out / "bmn_clean.csv").open("w", encoding="utf-8") as clean,
    ):
        header = ",".join(names) + "\n"
        bad.write(header)
        clean.write(header)
        for i in range(1, rows + 1):
            cells = village(rng, i)
            clean.write(",".join(cells) + "\n")
            if rng.random() < error_rate:
                k, value = rng.choice(INJECTIONS)
                cells[k] = value
                injected += 1
            bad.write(",".join(cells) + "\n")
    for variant, path in (("bmn", "bmn.csv"), ("bmn-clean", "bmn_clean.csv")):
        package = {
            "name": f"synthetic-{variant}",
            "title": "SYNTHETIC village Basic Minimum Needs (จปฐ.) — not real data",
            "resources": [
                {"name": "villages", "path": path, "format": "csv", "encoding": "utf-8", "schema": SCHEMA},
                {
                    "name": "provinces",
                    "path": "provinces.csv",
                    "format": "csv",
                    "encoding": "utf-8",
                    "schema": {
                        "fields": [{"name": "code", "type": "string"}, {"name": "name", "type": "string"}],
                        "primaryKey": ["code"],
                    },
                },
            ],
        }
        (out / f"{variant}.datapackage.json").write_text(
            json.dumps(package, ensure_ascii=False, indent=2), encoding="utf-8"
        )
    (out / "INJECTED.txt").write_text(f"{injected} injected errors (SYNTHETIC)\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=874)
    ap.add_argument("--out", type=Path, default=None)
    args = ap.parse_args()
    out = args.out or Path(__file__).parent / "data" / f"bmn-{args.rows}"
    generate(args.rows, out, args.seed)
    print(out, (out / "INJECTED.txt").read_text().strip())


if __name__ == "__main__":
    main()
