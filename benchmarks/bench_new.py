"""`opencatalog new` on a 1M-row CSV: wall time and peak RSS (issue 13 target: < 5 s, < 300 MB).

The SYNTHETIC file has what Thai government tables have: Thai headers (one over 63 bytes),
leading-zero province codes, Buddhist-era dd/mm/yyyy dates and fiscal years, amounts with
thousands separators, Thai booleans. Inference reads every cell in one polars pass (plus a
look at the columns with few distinct values); `new` then copies the file with the new header.

    .venv/bin/python benchmarks/bench_new.py              # 1,000,000 rows
    .venv/bin/python benchmarks/bench_new.py --rows 100000
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from _common import DATA, OPENCATALOG, Row, bench_env, markdown, median, timed, write_rows  # noqa: E402

from catalog_builder import write_catalog  # noqa: E402

HEADER = ("รหัสจังหวัด,จังหวัด,วันที่รายงาน,"
          "จำนวนผู้รับประโยชน์จากโครงการพัฒนาคุณภาพชีวิตในชุมชนประจำปีงบประมาณ,"
          "ผ่านเกณฑ์,ปีงบประมาณ,budget\n")
PROVINCES = [("10", "กรุงเทพมหานคร"), ("50", "เชียงใหม่"), ("40", "ขอนแก่น"), ("01", "ทดสอบ")]


def make_csv(path: Path, rows: int) -> Path:
    if path.exists() and path.stat().st_size > 0:
        return path
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(HEADER)
        for i in range(rows):
            code, name = PROVINCES[i % 4]
            out.write(f'{code},{name},{1 + i % 28:02d}/{1 + i % 12:02d}/25{60 + i % 8},'
                      f'"{1000 + i * 7:,}",{"ใช่" if i % 3 else "ไม่ใช่"},25{60 + i % 8},{i}\n')
    return path


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    source = make_csv(DATA / f"new-{args.rows}.csv", args.rows)
    walls, rss, loads = [], [], []
    for _ in range(args.repeat):
        root = write_catalog(Path(tempfile.mkdtemp(prefix="opencatalog-bench-new-")))
        run = timed([OPENCATALOG, "new", "--root", str(root), "bench-new", str(source)],
                    env=bench_env())
        walls.append(run.wall)
        rss.append(run.rss_mb)
        loads.append(run.load)
        shutil.rmtree(root, ignore_errors=True)
    size_mb = source.stat().st_size / 1e6
    met = "met" if max(walls) < 5 and max(rss) < 300 else "NOT met"
    rows = [Row("new", f"new on a {args.rows:,}-row CSV ({size_mb:.0f} MB, 7 columns)",
                wall_s=round(median(walls), 2), runs=len(walls), rss_mb=round(max(rss), 1),
                load=round(median(loads), 2),
                extra=f"walls {', '.join(f'{w:.2f}' for w in walls)}; target < 5 s, < 300 MB: "
                      f"{met}")]
    write_rows(rows, args.json)
    print(markdown(rows))


if __name__ == "__main__":
    main()
