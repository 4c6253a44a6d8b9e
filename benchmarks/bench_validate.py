"""Benchmark tabular validation: `opencatalog validate` vs `frictionless validate`.

On the SYNTHETIC BMN package of `generate_bmn.py` (generated on first use),
every measurement is a fresh process, timed from outside (wall time includes
interpreter start and imports; peak RSS is the child's `ru_maxrss`):

* `opencatalog validate` — the real CLI, on a one-dataset catalog made for
  the package (`--no-cache --format json`, the CSVs hard-linked);
* `frictionless validate --json` — the real frictionless CLI, same package;
* `check_package(engine="fast")` in a child process (the library call the
  CLI makes; `check_s` is the time inside the call, imports excluded), and
  optionally `engine="frictionless"` (`--engines`).

Findings are compared as (resource, error type, row, field) lists, in order.

    .venv/bin/python benchmarks/generate_bmn.py --rows 1000000
    .venv/bin/python benchmarks/bench_validate.py --rows 1000000 --repeat 3 --json out.json

`--json FILE` writes a list of result rows (keys documented in README.md).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from make_catalog import synthetic_contact_and_gdc  # benchmarks/ is the script's folder

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
BIN = Path(sys.executable).parent
FRICTIONLESS = str(BIN / "frictionless") if (BIN / "frictionless").exists() else "frictionless"
# OPENCATALOG_BENCH_SRC: a snapshot of cli/ to measure (run_all.py sets it)
SRC = os.environ.get("OPENCATALOG_BENCH_SRC") or str(REPO / "cli")
# the `opencatalog` console script, run from SRC (the script itself does just this import)
OPENCATALOG_CMD = [
    sys.executable,
    "-c",
    f"import sys; sys.path.insert(0, {SRC!r}); sys.argv[0] = 'opencatalog'; "
    "from opencatalog.commands.main import main; main()",
]

CHILD = """
import json, sys, time
sys.path.insert(0, {src!r})
from pathlib import Path
from opencatalog.validate.tabular import check_package
d = Path({data!r})
desc = json.loads((d / {pkg!r}).read_text(encoding="utf-8"))
t = time.perf_counter()
found = check_package(desc, d, engine={engine!r})
print(json.dumps({{"check_s": time.perf_counter() - t, "keys": [list(e.key) for e in found]}}))
"""

DATASET_YAML = """\
name: synthetic-bmn
title:
  th: "ข้อมูลสังเคราะห์ จปฐ. ระดับหมู่บ้าน ({rows} แถว)"
  en: "SYNTHETIC village Basic Minimum Needs ({rows} rows)"
description:
  th: |
    **ข้อมูลสังเคราะห์** สำหรับวัดประสิทธิภาพการตรวจสอบข้อมูลของ OpenCatalog เท่านั้น ชื่อ รหัส
    และตัวเลขทั้งหมดสุ่มขึ้น ไม่ได้อธิบายหมู่บ้านจริง
  en: |
    **SYNTHETIC** data for the OpenCatalog validation benchmark only: every name, code and figure
    is random and describes no real village.
organization: cdd-synthetic
tags: [ข้อมูลสังเคราะห์, จปฐ., synthetic]
license: Open Data Common
{contact_and_gdc}resources:
  - name: villages
    title: {{th: หมู่บ้าน (สังเคราะห์), en: Villages (SYNTHETIC)}}
    path: {villages}
    schema: villages.schema.json
  - name: provinces
    title: {{th: จังหวัดสมมติ (สังเคราะห์), en: Fictional provinces (SYNTHETIC)}}
    path: provinces.csv
    schema: provinces.schema.json
"""
CATALOG_YAML = """\
language: th
profile: thai-gdc
defaults:
  organization: cdd-synthetic
  license: Open Data Common
"""
ORG_YAML = """\
name: cdd-synthetic
title: {th: หน่วยงานสมมติ (ข้อมูลสังเคราะห์), en: A fictional agency (SYNTHETIC data)}
description: {th: หน่วยงานสมมติสำหรับข้อมูลสังเคราะห์, en: Stand-in organization for SYNTHETIC benchmark data}
"""


def loadavg() -> float:
    return round(os.getloadavg()[0], 2)


def timed(cmd: list[str], cwd: Path | None = None) -> tuple[float, float, str, int]:
    """(wall s, peak RSS MB, stdout, exit code) of one child process."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, stdout=out, stderr=err)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        out.seek(0)
        text = out.read().decode("utf-8", errors="replace")
        if os.waitstatus_to_exitcode(status) not in (0, 1):
            err.seek(0)
            raise RuntimeError(f"{cmd[0]} failed: {err.read().decode(errors='replace')[-2000:]}")
    return wall, usage.ru_maxrss / 1024, text, os.waitstatus_to_exitcode(status)


def make_catalog(data: Path, variant: str) -> Path:
    """A one-dataset catalog over the package (CSVs hard-linked, not copied)."""
    pkg = json.loads((data / f"{variant}.datapackage.json").read_text(encoding="utf-8"))
    root = data / f"catalog-{variant}"
    if root.exists():
        shutil.rmtree(root)
    for sub in ("catalog/organizations", "catalog/datasets", "datapackages/synthetic-bmn"):
        (root / sub).mkdir(parents=True)
    (root / "catalog" / "catalog.yaml").write_text(CATALOG_YAML, encoding="utf-8")
    (root / "catalog" / "organizations" / "cdd-synthetic.yaml").write_text(ORG_YAML, encoding="utf-8")
    res = {r["name"]: r for r in pkg["resources"]}
    (root / "catalog" / "datasets" / "synthetic-bmn.yaml").write_text(
        DATASET_YAML.format(rows=data.name.split("-")[-1], villages=res["villages"]["path"],
                            contact_and_gdc=synthetic_contact_and_gdc("benchmarks/generate_bmn.py")),
        encoding="utf-8",
    )
    target = root / "datapackages" / "synthetic-bmn"
    for name, r in res.items():
        os.link(data / r["path"], target / r["path"])
        (target / f"{name}.schema.json").write_text(
            json.dumps(r["schema"], ensure_ascii=False, indent=1), encoding="utf-8"
        )
    return root


def keys_opencatalog(stdout: str) -> list[list[Any]]:
    report = json.loads(stdout)
    return [
        [f.get("resource"), f["code"][len("data.") :], f.get("row"), f.get("field")]
        for f in report["findings"]
        if f["code"].startswith("data.")
    ]


def keys_frictionless(stdout: str) -> list[list[Any]]:
    report = json.loads(stdout)
    out = [["", e["type"], e.get("rowNumber"), e.get("fieldName")] for e in report.get("errors", [])]
    for task in report["tasks"]:
        out += [[task["name"], e["type"], e.get("rowNumber"), e.get("fieldName")] for e in task["errors"]]
    return out


def measure(tool: str, data: Path, variant: str, repeat: int) -> dict[str, Any]:
    pkg = f"{variant}.datapackage.json"
    runs: list[tuple[float, float, float | None, list]] = []
    load = loadavg()
    for _ in range(repeat):
        check_s = None
        if tool == "opencatalog validate (CLI)":
            root = data / f"catalog-{variant}"
            cmd = [*OPENCATALOG_CMD, "validate", "--root", str(root), "--no-cache", "--format", "json"]
            wall, rss, out, _ = timed(cmd, cwd=root)
            keys = keys_opencatalog(out)
        elif tool == "frictionless validate (CLI)":
            wall, rss, out, _ = timed([FRICTIONLESS, "validate", "--json", pkg], cwd=data)
            keys = keys_frictionless(out)
        else:
            engine = tool.split('"')[1]
            code = CHILD.format(src=SRC, data=str(data), pkg=pkg, engine=engine)
            wall, rss, out, _ = timed([sys.executable, "-c", code])
            child = json.loads(out)
            keys, check_s = child["keys"], child["check_s"]
        runs.append((wall, rss, check_s, keys))
    walls = [r[0] for r in runs]
    checks = [r[2] for r in runs if r[2] is not None]
    return {
        "tool": tool,
        "runs": repeat,
        "wall_s": round(statistics.median(walls), 3),
        "wall_s_all": [round(w, 3) for w in walls],
        "check_s": round(statistics.median(checks), 3) if checks else None,
        "peak_rss_mb": round(max(r[1] for r in runs), 1),
        "load_1min": load,
        "keys": runs[-1][3],
        "stable": all(r[3] == runs[0][3] for r in runs),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="100000, 1000000 or 5000000")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (median)")
    ap.add_argument("--variant", default="bmn", choices=["bmn", "bmn-clean", "both"],
                    help="bmn: ~0.1%% injected errors; bmn-clean: none")
    ap.add_argument("--engines", default="fast",
                    help="in-process check_package engines to add (comma list of fast, frictionless; "
                    "'' for none)")
    ap.add_argument("--skip-frictionless", action="store_true", help="do not run frictionless at all")
    ap.add_argument("--frictionless-repeat", type=int, default=None,
                    help="runs of frictionless (default: --repeat, 1 at 5M rows or more)")
    ap.add_argument("--json", type=Path, default=None, help="write the result rows to this file")
    args = ap.parse_args()
    data = HERE / "data" / f"bmn-{args.rows}"
    if not (data / "bmn.datapackage.json").exists():
        subprocess.run([sys.executable, str(HERE / "generate_bmn.py"), "--rows", str(args.rows)], check=True)
    f_repeat = args.frictionless_repeat or (1 if args.rows >= 5_000_000 else args.repeat)
    variants = ["bmn", "bmn-clean"] if args.variant == "both" else [args.variant]
    rows_out: list[dict[str, Any]] = []
    for variant in variants:
        make_catalog(data, variant)
        tools = ["opencatalog validate (CLI)"]
        if not args.skip_frictionless:
            tools.append("frictionless validate (CLI)")
        for e in filter(None, args.engines.split(",")):
            if e == "frictionless" and args.skip_frictionless:
                continue
            tools.append(f'check_package(engine="{e}")')
        results = []
        for tool in tools:
            repeat = f_repeat if "frictionless" in tool else args.repeat
            print(f"  {variant}: {tool} x{repeat} (load {loadavg()})", file=sys.stderr, flush=True)
            results.append(measure(tool, data, variant, repeat))
        ref = next((r for r in results if r["tool"] == "frictionless validate (CLI)"), None)
        for r in results:
            same = None if ref is None or r is ref else r["keys"] == ref["keys"]
            speedup = None if ref is None or r is ref else round(ref["wall_s"] / r["wall_s"], 1)
            rows_out.append({
                "benchmark": "validate",
                "variant": variant,
                "rows": args.rows,
                "tool": r["tool"],
                "runs": r["runs"],
                "wall_s": r["wall_s"],
                "wall_s_all": r["wall_s_all"],
                "check_s": r["check_s"],
                "rows_per_s": round(args.rows / r["wall_s"]),
                "peak_rss_mb": r["peak_rss_mb"],
                "findings": len(r["keys"]),
                "identical_to_frictionless": same,
                "same_findings_every_run": r["stable"],
                "speedup_vs_frictionless": speedup,
                "load_1min": r["load_1min"],
            })
    print(f"SYNTHETIC BMN, {args.rows:,} rows x 15 columns (+ 77-row lookup), nproc={os.cpu_count()}, "
          f"wall = median of the runs\n")
    print("| variant | tool | runs | wall (s) | in-call (s) | rows/s | peak RSS (MB) | findings "
          "| identical to frictionless | speed-up | load |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---|---:|---:|")
    for r in rows_out:
        same = "—" if r["identical_to_frictionless"] is None else ("yes" if r["identical_to_frictionless"]
                                                                   else "NO")
        print(f"| {r['variant']} | {r['tool']} | {r['runs']} | {r['wall_s']:.2f} | "
              f"{'—' if r['check_s'] is None else format(r['check_s'], '.2f')} | {r['rows_per_s']:,} | "
              f"{r['peak_rss_mb']:.0f} | {r['findings']} | {same} | "
              f"{'—' if r['speedup_vs_frictionless'] is None else str(r['speedup_vs_frictionless']) + '×'} | "
              f"{r['load_1min']} |")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(rows_out, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
