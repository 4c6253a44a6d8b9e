"""Upload memory: peak RSS of publishing one big CSV file, OpenCatalog vs ckanapi.

For each size (default 100 and 500 MB) a SYNTHETIC CSV (BMN-like rows, random values)
is written to benchmarks/data/ and published to a private local portal, each run as a
fresh process whose peak RSS is its `ru_maxrss` (os.wait4, = `/usr/bin/time -f %M`):

* `opencatalog publish` — the whole command: validation of the file (fast path), plan,
  streamed upload;
* OpenCatalog upload path — the same publish in-process with `check_data=False`
  (make_plan + publish): the upload alone;
* ckanapi — `RemoteCKAN(url, apikey=token).action.resource_create(package_id=…,
  name=…, upload=open(f, 'rb'))` on the same file, into the dataset OpenCatalog created.

Each OpenCatalog run publishes a new dataset (a new name), so every run really uploads.
The portal's `ckan.max_resource_size` is read from `portal status` and reported.
The resource has `datastore: false`: this measures the file upload, not the DataStore
load (which streams the rows in batches; it has its own benchmark).

    .venv/bin/python benchmarks/bench_upload.py --sizes 100,500 --repeat 1 --json out.json
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, OPENCATALOG, Row, local_portal, markdown, median, timed, write_rows  # noqa: E402
from make_catalog import CATALOG_YAML, ORG, ORG_YAML, synthetic_contact_and_gdc  # noqa: E402

HEADER = "village_code,village_name,households,population,avg_income,survey_date\n"
SCHEMA = """\
fields:
  - {name: village_code, type: string, title: รหัสหมู่บ้าน, constraints: {required: true, pattern: "^[0-9]{10}$"}}
  - {name: village_name, type: string, title: ชื่อหมู่บ้าน (สังเคราะห์)}
  - {name: households, type: integer, title: จำนวนครัวเรือน, constraints: {minimum: 0}}
  - {name: population, type: integer, title: จำนวนประชากร, constraints: {minimum: 0}}
  - {name: avg_income, type: number, title: รายได้เฉลี่ย (บาท)}
  - {name: survey_date, type: date, title: วันที่สำรวจ}
"""
DATASET = """\
name: {name}
title: {{th: "ข้อมูลสังเคราะห์ไฟล์ใหญ่ {label}", en: "SYNTHETIC big file {label}"}}
description:
  th: ข้อมูลสังเคราะห์สำหรับวัดหน่วยความจำในการอัปโหลด ตัวเลขทั้งหมดสุ่มขึ้น
  en: SYNTHETIC data to measure upload memory; every figure is random.
organization: {org}
tags: [ข้อมูลสังเคราะห์]
{contact_and_gdc}resources:
  - name: big
    title: {{th: ไฟล์ใหญ่ (สังเคราะห์), en: Big file (SYNTHETIC)}}
    path: big.csv
    schema: big.schema.yaml
    datastore: false
"""
DRIVER = """
import json, sys
from opencatalog.load.catalog_loader import load_catalog
from opencatalog.publishing import make_plan, publish
catalog = load_catalog(sys.argv[1], search_parents=False)
report = publish(make_plan(catalog, "local", check_data=False))
print(json.dumps(report.summary))
"""
CKANAPI = """
import json, sys
import ckanapi
url, token, package, path = sys.argv[1:5]
ckan = ckanapi.RemoteCKAN(url, apikey=token)
with open(path, "rb") as f:
    res = ckan.action.resource_create(package_id=package, name="ckanapi-upload", format="CSV",
                                      upload=f)
print(json.dumps({"id": res["id"], "size": res.get("size")}))
"""


def make_csv(path: Path, size_mb: int) -> Path:
    """A SYNTHETIC CSV of about `size_mb` MB (kept between runs)."""
    target = size_mb * 1024 * 1024
    if path.exists() and abs(path.stat().st_size - target) < 1024 * 1024:
        return path
    rng = random.Random(size_mb)
    names = ["บ้านหนองบัว", "บ้านโนนสูง", "บ้านดอนแดง", "บ้านนาคำ", "บ้านห้วยทราย", "บ้านโคกกลาง"]
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part")
    written, i = 0, 0
    with tmp.open("w", encoding="utf-8") as f:
        f.write(HEADER)
        while written < target:
            lines = []
            for _ in range(20000):
                hh = rng.randint(20, 900)
                lines.append(f"{i:010d},{names[i % 6]},{hh},{hh * 3},{rng.randint(25000, 180000)}.5,"
                             f"2023-{i % 12 + 1:02d}-{i % 28 + 1:02d}\n")
                i += 1
            chunk = "".join(lines)
            f.write(chunk)
            written += len(chunk.encode("utf-8"))
    tmp.rename(path)
    return path


def make_upload_catalog(root: Path, name: str, label: str, csv: Path) -> Path:
    """A one-dataset catalog whose file is a hard link to `csv` (no copy)."""
    for sub in ("organizations", "datasets"):
        (root / "catalog" / sub).mkdir(parents=True, exist_ok=True)
    (root / "catalog" / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    (root / "catalog" / "organizations" / f"{ORG}.yaml").write_text(ORG_YAML, encoding="utf-8")
    for old in (root / "catalog" / "datasets").glob("*.yaml"):
        old.unlink()
    (root / "catalog" / "datasets" / f"{name}.yaml").write_text(
        DATASET.format(name=name, label=label, org=ORG, contact_and_gdc=synthetic_contact_and_gdc(
            "benchmarks/bench_upload.py", years=True)), encoding="utf-8")
    data = root / "datapackages" / name
    data.mkdir(parents=True, exist_ok=True)
    (data / "big.schema.yaml").write_text(SCHEMA, encoding="utf-8")
    if not (data / "big.csv").exists():
        (data / "big.csv").hardlink_to(csv)
    return root


def run(sizes: list[int], repeat: int, state_dir: Path, keep: bool) -> list[Row]:
    out: list[Row] = []
    with local_portal(state_dir, keep=keep) as portal:
        env = portal.env
        out.append(Row("upload", "portal `ckan.max_resource_size`",
                       extra=f"{portal.max_resource_size_mb} MB"))
        for size in sizes:
            csv = make_csv(DATA / f"upload-{size}mb.csv", size)
            actual_mb = csv.stat().st_size / 1024 / 1024
            reps = repeat if size <= 500 else 1
            note = "" if reps == repeat else " (1 run: slow)"
            cli_runs, path_runs, api_runs = [], [], []
            for k in range(reps):
                for kind in ("cli", "path"):
                    name = f"synthetic-upload-{size}mb-{kind}-{k}"
                    root = make_upload_catalog(DATA / f"upload-catalog-{size}-{kind}-{k}", name,
                                               f"{size} MB {kind} {k}", csv)
                    if kind == "cli":
                        r = timed([OPENCATALOG, "publish", "--root", str(root), "--target", "local",
                                   "--yes", "--format", "json"], env=env)
                        summary = json.loads(r.stdout).get("summary", {})
                        cli_runs.append((r, summary))
                    else:
                        r = timed([sys.executable, "-c", DRIVER, str(root)], env=env)
                        path_runs.append((r, json.loads(r.stdout)))
                    if kind == "path":
                        a = timed([sys.executable, "-c", CKANAPI, portal.url, portal.token(), name, str(csv)],
                                  env=env)
                        api_runs.append((a, json.loads(a.stdout)))
            size_label = f"{actual_mb:,.0f} MB CSV"
            for label, runs, extra in (
                ("opencatalog publish (validate + plan + streamed upload)", cli_runs,
                 "whole command"),
                ("OpenCatalog upload path (publish with check_data=False)", path_runs,
                 "upload alone"),
                ("ckanapi resource_create(upload=open(f,'rb'))", api_runs, ""),
            ):
                summ = runs[-1][1]
                out.append(Row(
                    "upload", f"{label}, {size_label}",
                    wall_s=round(median([r.wall for r, _ in runs]), 2), runs=len(runs),
                    api_calls=summ.get("api_calls"), writes=summ.get("writes"),
                    rss_mb=round(max(r.rss_mb for r, _ in runs), 1),
                    extra=(extra + note).strip(), load=round(median([r.load for r, _ in runs]), 2),
                    raw={"walls": [round(r.wall, 3) for r, _ in runs],
                         "rss": [round(r.rss_mb, 1) for r, _ in runs], "file_bytes": csv.stat().st_size}))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="100,500", help="file sizes in MB (default 100,500)")
    ap.add_argument("--repeat", type=int, default=3, help="runs for sizes <= 500 MB (bigger: 1)")
    ap.add_argument("--state-dir", type=Path)
    ap.add_argument("--keep", action="store_true")
    ap.add_argument("--json", type=Path)
    ap.add_argument("--quick", action="store_true", help="10 and 30 MB, 1 run")
    args = ap.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    if args.quick:
        sizes, args.repeat = [10, 30], 1
    state = args.state_dir or Path(tempfile.mkdtemp(prefix="opencatalog-bench-upload-"))
    rows = run(sizes, args.repeat, state, args.keep)
    write_rows(rows, args.json)
    print(markdown(rows))


if __name__ == "__main__":
    main()
