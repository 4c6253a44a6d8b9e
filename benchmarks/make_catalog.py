"""Generate a SYNTHETIC catalog of N small datasets for the catalog-scale benchmarks.

The layout copies the sample catalog (catalog/ + datapackages/): one organization,
three groups, N datasets with GD Catalog (`thai-gdc`) metadata, and per dataset
`--files` small CSV files, each with a Frictionless Table Schema (types, required,
unique, minimum/maximum, pattern, enum, primary key; the second file of a dataset
references the first by a foreign key).  Everything is labelled SYNTHETIC: the
figures describe no real village or district.

    .venv/bin/python benchmarks/make_catalog.py --datasets 200 --out /tmp/synthetic-catalog
    .venv/bin/opencatalog validate --root /tmp/synthetic-catalog

`--git` also makes the output a git repository with one commit (for
`opencatalog validate --changed-since`).
"""

from __future__ import annotations

import argparse
import random
import shutil
import subprocess
import tempfile
from pathlib import Path

PREFIX = "synthetic-bmn"
ORG = "cdd-synthetic"
GROUPS = ("synthetic-community-economy", "synthetic-quality-of-life", "synthetic-reference")
PROVINCES = [
    ("10", "กรุงเทพมหานคร"), ("30", "นครราชสีมา"), ("34", "อุบลราชธานี"), ("40", "ขอนแก่น"),
    ("50", "เชียงใหม่"), ("57", "เชียงราย"), ("65", "พิษณุโลก"), ("80", "นครศรีธรรมราช"),
    ("90", "สงขลา"), ("20", "ชลบุรี"), ("41", "อุดรธานี"), ("60", "นครสวรรค์"),
]
SYLLABLES = ["บ้าน", "หนอง", "โนน", "ดอน", "นา", "ห้วย", "โคก", "สระ", "ทุ่ง", "วัง", "ป่า", "คลอง",
             "แม่", "ท่า", "บึง", "เหล่า", "ใหม่", "กลาง", "ใต้", "เหนือ", "สามัคคี", "พัฒนา", "ทอง"]
ENUM_STATUS = ["ผ่าน", "ไม่ผ่าน"]

ORG_YAML = f"""\
name: {ORG}
title:
  th: กรมการพัฒนาชุมชน (ข้อมูลสังเคราะห์สำหรับทดสอบ)
  en: Community Development Department (SYNTHETIC benchmark data)
description:
  th: หน่วยงานสมมติสำหรับชุดข้อมูลสังเคราะห์ที่ใช้วัดประสิทธิภาพ OpenCatalog ข้อมูลทั้งหมดสร้างขึ้นแบบสุ่ม
  en: A stand-in organization for the SYNTHETIC datasets of the OpenCatalog benchmarks; all data is random.
"""

CATALOG_YAML = f"""\
language: th
profile: thai-gdc
defaults:
  organization: {ORG}
  license: Open Data Common
targets:
  local:
    url: local
"""

VILLAGES_SCHEMA = """\
fields:
  - name: village_code
    type: string
    title: รหัสหมู่บ้าน
    description: รหัสหมู่บ้าน 8 หลัก (ข้อมูลสังเคราะห์)
    constraints: {required: true, unique: true, pattern: "^[0-9]{8}$"}
  - name: village_name
    type: string
    title: ชื่อหมู่บ้าน
    description: ชื่อหมู่บ้านสุ่ม (ข้อมูลสังเคราะห์)
    constraints: {required: true}
  - name: households
    type: integer
    title: จำนวนครัวเรือน
    description: จำนวนครัวเรือนที่สำรวจ (ข้อมูลสังเคราะห์)
    constraints: {required: true, minimum: 1, maximum: 5000}
  - name: population
    type: integer
    title: จำนวนประชากร
    description: จำนวนประชากร (ข้อมูลสังเคราะห์)
    constraints: {required: true, minimum: 1}
  - name: avg_income
    type: number
    title: รายได้เฉลี่ยต่อคนต่อปี (บาท)
    description: รายได้เฉลี่ยต่อคนต่อปี (ข้อมูลสังเคราะห์)
    constraints: {minimum: 0}
  - name: survey_date
    type: date
    title: วันที่สำรวจ
    description: วันที่จัดเก็บข้อมูล (ข้อมูลสังเคราะห์)
primaryKey: [village_code]
"""

INDICATORS_SCHEMA = """\
fields:
  - name: village_code
    type: string
    title: รหัสหมู่บ้าน
    description: อ้างอิงตารางหมู่บ้าน (ข้อมูลสังเคราะห์)
    constraints: {required: true, pattern: "^[0-9]{8}$"}
  - name: indicator
    type: integer
    title: ตัวชี้วัด จปฐ.
    description: ลำดับตัวชี้วัดความจำเป็นพื้นฐาน 1-38 (ข้อมูลสังเคราะห์)
    constraints: {required: true, minimum: 1, maximum: 38}
  - name: rate
    type: number
    title: ร้อยละที่ผ่านเกณฑ์
    description: ร้อยละของครัวเรือนที่ผ่านเกณฑ์ (ข้อมูลสังเคราะห์)
    constraints: {required: true, minimum: 0, maximum: 100}
  - name: status
    type: string
    title: ผลการประเมิน
    description: ผ่านหรือไม่ผ่านเกณฑ์ (ข้อมูลสังเคราะห์)
    constraints: {required: true, enum: [ผ่าน, ไม่ผ่าน]}
primaryKey: [village_code, indicator]
foreignKeys:
  - fields: village_code
    reference: {resource: villages, fields: village_code}
"""


def synthetic_contact_and_gdc(script: str, *, years: bool = False) -> str:
    """The contact and GD Catalog fields every synthetic benchmark dataset shares (YAML text)."""
    text = f"""\
contact:
  name: ทีมทดสอบ OpenCatalog (ข้อมูลสังเคราะห์)
  email: synthetic@example.org
gdc:
  data_type: ข้อมูลสถิติ
  objective: [พันธกิจหน่วยงาน]
  update_frequency_unit: ปี
  update_frequency_interval: 1
  geo_coverage: หมู่บ้าน
  data_source: ข้อมูลสังเคราะห์ (สุ่มโดยสคริปต์ {script})
  data_format: [CSV]
  data_category: ข้อมูลสาธารณะ
  data_classification: เปิดเผย
  data_language: [ไทย]
"""
    return text + ('  first_year_of_data: "2566"\n  last_year_of_data: "2566"\n' if years else "")


def _dataset_yaml(i: int, files: int) -> str:
    prov_code, prov_name = PROVINCES[i % len(PROVINCES)]
    name = f"{PREFIX}-{i:04d}"
    res = [
        "  - name: villages",
        f"    title: {{th: หมู่บ้าน ชุดที่ {i} (สังเคราะห์), en: Villages set {i} (SYNTHETIC)}}",
        "    path: villages.csv",
        "    schema: villages.schema.yaml",
    ]
    for k in range(1, files):
        res += [
            f"  - name: indicators-{k}",
            f"    title: {{th: ตัวชี้วัด จปฐ. ส่วนที่ {k} (สังเคราะห์), en: BMN indicators part {k} (SYNTHETIC)}}",
            f"    path: indicators-{k}.csv",
            "    schema: indicators.schema.yaml",
        ]
    groups = ", ".join(GROUPS[j] for j in range(len(GROUPS)) if (i + j) % 2 == 0) or GROUPS[0]
    return f"""\
name: {name}
title: {{th: "ข้อมูลสังเคราะห์ จปฐ. ชุดที่ {i} จังหวัด{prov_name}", en: "SYNTHETIC Basic Minimum Needs sample {i}"}}
description:
  th: |
    **ข้อมูลสังเคราะห์** สำหรับวัดประสิทธิภาพ OpenCatalog เท่านั้น ตัวเลขทั้งหมดสุ่มขึ้น
    ไม่ได้อธิบายหมู่บ้านหรือครัวเรือนจริง (ชุดที่ {i}, รหัสจังหวัด {prov_code})
  en: |
    **SYNTHETIC** data for the OpenCatalog benchmarks only: every figure is random and describes
    no real village or household (set {i}, province code {prov_code}).
organization: {ORG}
groups: [{groups}]
tags: [ข้อมูลสังเคราะห์, จปฐ., synthetic]
license: Open Data Common
{synthetic_contact_and_gdc("benchmarks/make_catalog.py", years=True)}resources:
""" + "\n".join(res) + "\n"


def _villages_csv(rng: random.Random, i: int, rows: int) -> tuple[str, list[str]]:
    prov_code = PROVINCES[i % len(PROVINCES)][0]
    lines = ["village_code,village_name,households,population,avg_income,survey_date"]
    codes = []
    for r in range(rows):
        code = f"{prov_code}{i % 100:02d}{r // 100 % 100:02d}{r % 100:02d}"
        codes.append(code)
        name = "".join(rng.sample(SYLLABLES, 2))
        hh = rng.randint(20, 900)
        pop = hh * rng.randint(2, 5)
        inc = round(rng.uniform(25000, 180000), 2)
        date = f"2023-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        lines.append(f"{code},{name},{hh},{pop},{inc},{date}")
    return "\n".join(lines) + "\n", codes


def _indicators_csv(rng: random.Random, codes: list[str], rows: int) -> str:
    lines = ["village_code,indicator,rate,status"]
    n = 0
    for code in codes:
        for ind in range(1, 39):
            if n >= rows:
                break
            rate = round(rng.uniform(40, 100), 1)
            lines.append(f"{code},{ind},{rate},{ENUM_STATUS[0] if rate >= 80 else ENUM_STATUS[1]}")
            n += 1
    return "\n".join(lines) + "\n"


def make_catalog(out: Path, datasets: int = 200, files: int = 2, rows: int = 40,
                 seed: int = 2566, git: bool = False) -> Path:
    """Write the synthetic catalog under `out` (replaced if it exists); return `out`."""
    if out.exists():
        shutil.rmtree(out)
    rng = random.Random(seed)
    cat = out / "catalog"
    for sub in ("organizations", "groups", "datasets"):
        (cat / sub).mkdir(parents=True)
    (cat / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    (cat / "organizations" / f"{ORG}.yaml").write_text(ORG_YAML, encoding="utf-8")
    group_titles = {
        GROUPS[0]: ("เศรษฐกิจชุมชน (สังเคราะห์)", "Community economy (SYNTHETIC)"),
        GROUPS[1]: ("คุณภาพชีวิต (สังเคราะห์)", "Quality of life (SYNTHETIC)"),
        GROUPS[2]: ("ข้อมูลอ้างอิง (สังเคราะห์)", "Reference data (SYNTHETIC)"),
    }
    for g, (th, en) in group_titles.items():
        (cat / "groups" / f"{g}.yaml").write_text(
            f"name: {g}\ntitle: {{th: {th}, en: {en}}}\n"
            f"description: {{th: กลุ่มสำหรับข้อมูลสังเคราะห์, en: A group for SYNTHETIC benchmark data}}\n",
            encoding="utf-8")
    for i in range(datasets):
        name = f"{PREFIX}-{i:04d}"
        (cat / "datasets" / f"{name}.yaml").write_text(_dataset_yaml(i, files), encoding="utf-8")
        d = out / "datapackages" / name
        d.mkdir(parents=True)
        villages, codes = _villages_csv(rng, i, rows)
        (d / "villages.csv").write_text(villages, encoding="utf-8")
        (d / "villages.schema.yaml").write_text(VILLAGES_SCHEMA, encoding="utf-8")
        if files > 1:
            (d / "indicators.schema.yaml").write_text(INDICATORS_SCHEMA, encoding="utf-8")
        for k in range(1, files):
            part = codes[(k - 1) * max(1, rows // max(1, files - 1)):] or codes
            (d / f"indicators-{k}.csv").write_text(_indicators_csv(rng, part, rows), encoding="utf-8")
    (out / "README.md").write_text(
        "SYNTHETIC catalog generated by benchmarks/make_catalog.py for the OpenCatalog "
        "benchmarks. Every figure is random.\n", encoding="utf-8")
    if git:
        git_init(out)
    return out


def git_init(root: Path) -> None:
    env_args = ["-c", "user.name=bench", "-c", "user.email=bench@example.org", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".gitignore").write_text(".opencatalog/\n", encoding="utf-8")
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", *env_args, "-C", str(root), "commit", "-q", "-m", "synthetic catalog"], check=True)


def dataset_names(datasets: int) -> list[str]:
    return [f"{PREFIX}-{i:04d}" for i in range(datasets)]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=200)
    ap.add_argument("--files", type=int, default=2, help="CSV files per dataset (default 2)")
    ap.add_argument("--rows", type=int, default=40, help="rows per file (default 40)")
    ap.add_argument("--seed", type=int, default=2566)
    ap.add_argument("--out", type=Path, help="output folder (default: a new temp dir)")
    ap.add_argument("--git", action="store_true", help="make it a git repository with one commit")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="opencatalog-synthetic-"))
    make_catalog(out, args.datasets, args.files, args.rows, args.seed, args.git)
    print(out)


if __name__ == "__main__":
    main()
