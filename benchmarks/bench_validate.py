"""Benchmark `check_package` (fast path) against the frictionless reference.

Each run happens in a fresh subprocess so that wall time includes imports and
peak RSS (ru_maxrss of the child) is per engine.  Prints a markdown table.

    .venv/bin/python benchmarks/generate_bmn.py --rows 1000000
    .venv/bin/python benchmarks/bench_validate.py --rows 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
CHILD = """
import json, sys
from pathlib import Path
sys.path.insert(0, {cli!r})
from opencatalog.validate.tabular import check_package
d = Path({data!r})
desc = json.loads((d / {pkg!r}).read_text(encoding="utf-8"))
found = check_package(desc, d, engine={engine!r})
print(json.dumps([list(e.key) for e in found]))
"""


def run_once(engine: str, data: Path, pkg: str) -> tuple[float, int, list]:
    code = CHILD.format(cli=str(HERE.parent / "cli"), data=str(data), pkg=pkg, engine=engine)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
    wall = time.perf_counter() - start
    # ru_maxrss of children is the max over all children so far: run engines
    # in separate bench invocations (--engine) for exact per-engine peaks if needed.
    peak = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, before)
    return wall, peak, json.loads(out.stdout)


def measure(engine: str, data: Path, pkg: str, repeat: int) -> dict:
    walls, peaks, keys = [], [], None
    for _ in range(repeat):
        # a wrapper process per run so RUSAGE_CHILDREN is this run's peak only
        code = (
            f"import json,resource,sys;sys.path.insert(0,{str(HERE)!r});import bench_validate as b;"
            f"w,_,k=b.run_once({engine!r},__import__('pathlib').Path({str(data)!r}),{pkg!r});"
            "print(json.dumps([w,resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,k]))"
        )
        out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True)
        wall, peak, keys = json.loads(out.stdout)
        walls.append(wall)
        peaks.append(peak)
    return {"wall": statistics.median(walls), "rss_mb": max(peaks) / 1024, "keys": keys}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--variant", default="bmn", choices=["bmn", "bmn-clean"])
    ap.add_argument("--engines", default="fast,frictionless")
    args = ap.parse_args()
    data = HERE / "data" / f"bmn-{args.rows}"
    if not data.exists():
        subprocess.run([sys.executable, str(HERE / "generate_bmn.py"), "--rows", str(args.rows)], check=True)
    pkg = f"{args.variant}.datapackage.json"
    results = {e: measure(e, data, pkg, args.repeat) for e in args.engines.split(",")}
    ref = results.get("frictionless", {}).get("keys")
    print(
        f"SYNTHETIC BMN, {args.rows:,} rows, package `{pkg}`, median of {args.repeat} runs, "
        f"nproc={os.cpu_count()}\n"
    )
    print("| engine | wall (s) | rows/s | peak RSS (MB) | findings | identical to frictionless |")
    print("|---|---:|---:|---:|---:|---|")
    for engine, r in results.items():
        same = "—" if ref is None or engine == "frictionless" else str(r["keys"] == ref)
        print(
            f"| {engine} | {r['wall']:.2f} | {args.rows / r['wall']:,.0f} | {r['rss_mb']:.0f} "
            f"| {len(r['keys'])} | {same} |"
        )
    if "fast" in results and "frictionless" in results:
        print(f"\nspeed-up: {results['frictionless']['wall'] / results['fast']['wall']:.1f}x")


if __name__ == "__main__":
    main()
