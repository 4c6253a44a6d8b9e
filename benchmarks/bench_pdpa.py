"""Benchmark the personal-data (PDPA) scan: its cost inside `validate`, and its precision/recall.

On the SYNTHETIC 1M-row BMN package of `generate_bmn.py` (its `headman_name` column holds
SYNTHETIC prefixed names, so the scan finds personal data in every batch: the worst case),
each measurement a fresh process:

* `opencatalog validate --no-cache --format json` on the one-dataset catalog of
  bench_validate.py, with the scan (as shipped) and without it (the same code with the scan
  switched off in the child: `ScanSet`/`check_scans` of validate/data.py replaced by no-ops),
  runs interleaved;
* `check_package(engine="fast")` in a child process with and without a `ScanSet` (`check_s`:
  the time inside the call);
* the citizen-ID check digit on 1M 13-digit strings: the vectorised polars check vs a Python
  loop over python-stdnum's `stdnum.th.pin.is_valid` (they must agree on every value);
* precision and recall of every detector on the generated corpus of tests/pdpa_corpus.py.

    .venv/bin/python benchmarks/bench_pdpa.py --rows 1000000 --repeat 5 --json out.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from bench_validate import OPENCATALOG_CMD, SRC, loadavg, make_catalog, timed

HERE = Path(__file__).resolve().parent
TESTS = HERE.parent / "tests"

NO_SCAN = ("import opencatalog.validate.data as d; d.ScanSet = lambda: None; "
           "d.check_scans = lambda *a, **k: []; ")

CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from opencatalog.validate.personal_data import ScanSet
from opencatalog.validate.tabular import check_package
d = Path({data!r})
desc = json.loads((d / "bmn-clean.datapackage.json").read_text(encoding="utf-8"))
scans = ScanSet() if {scan!r} else None
t = time.perf_counter()
found = check_package(desc, d, engine="fast", scans=scans)
print(json.dumps({{"check_s": time.perf_counter() - t, "findings": len(found)}}))
"""


def cli_runs(root: Path, repeat: int) -> dict[str, list[float]]:
    cmd = [*OPENCATALOG_CMD, "validate", "--root", str(root), "--no-cache", "--format", "json"]
    off = [cmd[0], "-c", NO_SCAN + cmd[2], *cmd[3:]]
    walls: dict[str, list[float]] = {"with scan": [], "without scan": []}
    codes: dict[str, list[str]] = {"with scan": [], "without scan": []}
    for _ in range(repeat):
        for label, argv in (("without scan", off), ("with scan", cmd)):
            wall, _rss, out, _ = timed(argv, cwd=root)
            walls[label].append(wall)
            codes[label] = sorted({f["code"] for f in json.loads(out)["findings"]})
    print(f"  findings: {codes}", file=sys.stderr)
    return walls


def in_call(data: Path, scan: bool, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        _, _, text, _ = timed([sys.executable, "-c", CHILD.format(src=SRC, data=str(data), scan=scan)])
        out.append(json.loads(text)["check_s"])
    return out


def check_digit_speed(n: int) -> dict[str, Any]:
    import random

    import polars as pl
    from stdnum.th import pin

    sys.path.insert(0, SRC)
    from opencatalog.validate.personal_data.detect import citizen_id_valid

    rng = random.Random(14)
    values = ["".join(rng.choice("0123456789") for _ in range(13)) for _ in range(n)]
    series = pl.Series(values)
    start = time.perf_counter()
    fast = citizen_id_valid(series)
    polars_s = time.perf_counter() - start
    start = time.perf_counter()
    slow = [pin.is_valid(v) for v in values]
    stdnum_s = time.perf_counter() - start
    return {"values": n, "polars_s": round(polars_s, 3), "stdnum_loop_s": round(stdnum_s, 3),
            "agree": fast.to_list() == slow, "valid": sum(slow)}


def precision_recall(cells: int) -> list[dict[str, Any]]:
    sys.path.insert(0, str(TESTS))
    sys.path.insert(0, SRC)
    import pdpa_corpus
    from opencatalog.validate.personal_data.rules import KINDS

    corpus = pdpa_corpus.cells(cells)
    rows = []
    for kind in KINDS:
        tp, fp, fn = pdpa_corpus.score(kind.name, corpus)
        rows.append({"kind": kind.name, "positives": tp + fn, "tp": tp, "fp": fp, "fn": fn,
                     "precision": round(tp / (tp + fp), 4) if tp + fp else None,
                     "recall": round(tp / (tp + fn), 4) if tp + fn else None})
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=5, help="runs per figure (interleaved)")
    ap.add_argument("--corpus", type=int, default=20_000, help="cells in the precision/recall corpus")
    ap.add_argument("--json", type=Path, default=None)
    args = ap.parse_args()
    data = HERE / "data" / f"bmn-{args.rows}"
    if not (data / "bmn-clean.datapackage.json").exists():
        subprocess.run([sys.executable, str(HERE / "generate_bmn.py"), "--rows", str(args.rows)], check=True)
    root = make_catalog(data, "bmn-clean")
    load = loadavg()
    walls = cli_runs(root, args.repeat)
    calls = {"without scan": in_call(data, False, args.repeat), "with scan": in_call(data, True, args.repeat)}
    result: dict[str, Any] = {"rows": args.rows, "repeat": args.repeat, "nproc": os.cpu_count(),
                              "load_1min_start": load, "load_1min_end": loadavg(), "cli": {}, "in_call": {}}
    for label in ("without scan", "with scan"):
        result["cli"][label] = {"median_s": round(statistics.median(walls[label]), 3),
                                "min_s": round(min(walls[label]), 3),
                                "all_s": [round(w, 3) for w in walls[label]]}
        result["in_call"][label] = {"median_s": round(statistics.median(calls[label]), 3),
                                    "min_s": round(min(calls[label]), 3)}
    for part in ("cli", "in_call"):
        base, scan = result[part]["without scan"], result[part]["with scan"]
        result[part]["overhead_median_pct"] = round(100 * (scan["median_s"] / base["median_s"] - 1), 1)
        result[part]["overhead_min_pct"] = round(100 * (scan["min_s"] / base["min_s"] - 1), 1)
    result["check_digit"] = check_digit_speed(min(args.rows, 1_000_000))
    result["precision_recall"] = precision_recall(args.corpus)

    print(f"SYNTHETIC BMN, {args.rows:,} rows x 15 columns, nproc={os.cpu_count()}, {args.repeat} "
          f"interleaved runs, 1-min load {load} -> {result['load_1min_end']}\n")
    print("| | without scan: median (min) | with scan: median (min) | overhead: median (min) |")
    print("|---|---:|---:|---:|")
    for part, title in (("cli", "`opencatalog validate` (CLI, wall)"),
                        ("in_call", "`check_package(engine=\"fast\")` (in the call)")):
        r = result[part]
        print(f"| {title} | {r['without scan']['median_s']:.2f} s ({r['without scan']['min_s']:.2f}) "
              f"| {r['with scan']['median_s']:.2f} s ({r['with scan']['min_s']:.2f}) "
              f"| {r['overhead_median_pct']:+.1f} % ({r['overhead_min_pct']:+.1f} %) |")
    c = result["check_digit"]
    print(f"\nCitizen-ID check digit on {c['values']:,} random 13-digit strings: polars {c['polars_s']} s, "
          f"Python loop over stdnum.th.pin.is_valid {c['stdnum_loop_s']} s; identical: {c['agree']} "
          f"({c['valid']:,} valid)\n")
    print(f"Detectors on the generated corpus ({args.corpus:,} cells, tests/pdpa_corpus.py):\n")
    print("| kind | positives | true pos. | false pos. | false neg. | precision | recall |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in result["precision_recall"]:
        print(f"| {r['kind']} | {r['positives']:,} | {r['tp']:,} | {r['fp']:,} | {r['fn']:,} "
              f"| {r['precision']} | {r['recall']} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
