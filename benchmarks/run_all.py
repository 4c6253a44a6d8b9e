"""Run every benchmark and write benchmarks/RESULTS.md (also printed).

    .venv/bin/python benchmarks/run_all.py            # full: ~13 min on 2 shared cores
    .venv/bin/python benchmarks/run_all.py --quick    # smoke run, small sizes: ~2-3 min

By default the code measured is the committed HEAD: `cli/`, `benchmarks/` and the sample
catalog of HEAD are extracted (git archive) to benchmarks/data/src-<sha>/ and every
benchmark runs against that snapshot, so edits in progress in the working tree do not
leak into the figures (`--working-tree` measures the working tree instead).  The local
portals are started from the installed tree (`opencatalog portal up`), reusing the CKAN
venv at $OPENCATALOG_CKAN_VENV (default ~/.cache/opencatalog/ckan-venv-2.12.0).

Benchmarks (each is also a script of its own, see benchmarks/README.md):

* validate      bench_validate.py   1M-row SYNTHETIC BMN package, fast path vs frictionless
* catalog       bench_catalog.py    200 small datasets: cold / warm cache / --changed-since / frictionless
* publish       bench_publish.py    200 datasets: first publish, no-op, one YAML change, one data change
* upload        bench_upload.py     100 and 500 MB CSV: peak RSS, OpenCatalog vs ckanapi
* alternatives  bench_alternatives.py  sample catalog twice: OpenCatalog, ckanapi loop, frictionless
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import DATA, HERE, REPO, markdown  # noqa: E402

ORDER = ("validate", "catalog", "publish", "upload", "alternatives")
TITLES = {
    "validate": "Tabular validation (SYNTHETIC BMN package)",
    "catalog": "Validation at catalog scale (SYNTHETIC catalog)",
    "publish": "Publishing at catalog scale (SYNTHETIC catalog, local portal)",
    "upload": "Upload memory (SYNTHETIC CSV, local portal)",
    "alternatives": "The alternatives, on the sample catalog (6 datasets, 8 files), each run twice",
}


def snapshot(commit: str) -> tuple[Path, str]:
    """cli/, benchmarks/ and the sample catalog of `commit` under benchmarks/data/src-<sha>/
    (benchmarks/data/ itself is shared: a symlink)."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", commit], capture_output=True,
                         text=True, check=True).stdout.strip()
    dest = DATA / f"src-{sha[:12]}"
    if not (dest / "COMMIT").exists() or not (dest / "catalog").exists():
        subprocess.run(["rm", "-rf", str(dest)], check=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "cli", "benchmarks",
                                  "catalog", "datapackages"],
                                 capture_output=True, check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        (dest / "COMMIT").write_text(sha + "\n")
    data = dest / "benchmarks" / "data"
    if not data.is_symlink():
        subprocess.run(["rm", "-rf", str(data)], check=True)
        data.symlink_to(DATA)
    return dest, sha


def _supports(script: Path, option: str, env: dict[str, str]) -> bool:
    out = subprocess.run([sys.executable, str(script), "--help"], capture_output=True, text=True, env=env)
    return option in out.stdout


def run_bench(name: str, bench_dir: Path, args: argparse.Namespace, env: dict[str, str],
              tmp: Path) -> dict:
    """Run one benchmark script; return {rows, markdown, note, seconds, error}."""
    quick = ["--quick"] if args.quick else []
    out_json = tmp / f"{name}.json"
    note = ""
    if name == "validate":
        script = bench_dir / "bench_validate.py"
        rows = "100000" if args.quick else str(args.validate_rows)
        repeat = "1" if args.quick else str(args.repeat)
        cmd = [sys.executable, str(script), "--rows", rows, "--repeat", repeat]
        if _supports(script, "--json", env):
            cmd += ["--json", str(out_json)]
        else:
            note = ("bench_validate.py has no --json option at this commit: its printed table is "
                    "included as it is.")
    else:
        script = bench_dir / f"bench_{name}.py"
        cmd = [sys.executable, str(script), *quick, "--json", str(out_json)]
        if name in ("catalog", "publish", "upload") and not args.quick:
            cmd += ["--repeat", str(args.repeat)]
        if name == "catalog" and args.quick:
            cmd += ["--no-per-process"]
    print(f"\n=== {name}: {' '.join(cmd)}  (load {os.getloadavg()[0]:.2f})", flush=True)
    start = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, env=env, cwd=REPO)
    seconds = time.perf_counter() - start
    print(proc.stdout[-4000:], flush=True)
    shown = [("python" if c == sys.executable else f"benchmarks/{Path(c).name}" if c == str(script) else c)
             for c in cmd]
    if "--json" in shown:
        i = shown.index("--json")
        del shown[i:i + 2]
    result = {"cmd": " ".join(shown),
              "seconds": round(seconds, 1), "note": note, "rows": None, "markdown": None, "error": None}
    if proc.returncode != 0:
        result["error"] = (proc.stderr or proc.stdout)[-2500:]
        print(result["error"], file=sys.stderr)
        return result
    if out_json.exists():
        result["rows"] = json.loads(out_json.read_text(encoding="utf-8"))
    else:
        result["markdown"] = proc.stdout.strip()
    return result


def _generic_table(rows: list[dict]) -> str:
    """Any list of flat dicts as a markdown table (for rows whose format we do not own)."""
    keys: list[str] = []
    for r in rows:
        for k, v in r.items():
            if k not in keys and not isinstance(v, (list, dict)):
                keys.append(k)
    lines = ["| " + " | ".join(keys) + " |", "|" + "---|" * len(keys)]
    for r in rows:
        cells = []
        for k in keys:
            v = r.get(k)
            if v is None:
                cells.append("—")
            elif isinstance(v, bool):
                cells.append(str(v))
            elif isinstance(v, float):
                cells.append(f"{v:,.2f}")
            elif isinstance(v, int):
                cells.append(f"{v:,}")
            else:
                cells.append(str(v))
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _section(name: str, res: dict) -> str:
    parts = [f"### {TITLES[name]}", "", f"`{res['cmd']}` — {res['seconds']} s"]
    if res.get("note"):
        parts += ["", res["note"]]
    if res.get("error"):
        parts += ["", "**Failed:**", "", "```", res["error"].strip(), "```"]
    elif res.get("rows") is not None:
        rows = res["rows"]
        if rows and isinstance(rows, list) and all(isinstance(r, dict) and "case" in r and "benchmark" in r
                                                   for r in rows):
            parts += ["", markdown(rows)]
        elif isinstance(rows, list) and rows and all(isinstance(r, dict) for r in rows):
            parts += ["", _generic_table(rows)]
        else:
            parts += ["", "```json", json.dumps(rows, ensure_ascii=False, indent=1)[:4000], "```"]
    elif res.get("markdown"):
        parts += ["", res["markdown"]]
    return "\n".join(parts)


def _targets(results: dict) -> list[str]:
    lines = []

    def rows(name: str) -> list[dict]:
        return (results.get(name) or {}).get("rows") or []

    for r in rows("publish"):
        if r["case"].startswith("no-op republish"):
            ok = r.get("writes") == 0 and (r.get("wall_s") or 99) < 10
            lines.append(f"- No-op republish ({r['case'].split(', ')[-1]}): {r.get('writes')} writes, "
                         f"{r.get('wall_s')} s (median) — target 0 writes and < 10 s: "
                         f"**{'met' if ok else 'NOT met'}**.")
    cat = rows("catalog")
    if cat:
        def w(prefix: str) -> str:
            r = next((r for r in cat if r["case"].startswith(prefix)), None)
            return f"{r['wall_s']} s" if r else "—"

        lines.append(f"- Catalog-scale validation: `opencatalog validate` cold "
                     f"{w('opencatalog validate, cold')}, "
                     f"warm cache {w('opencatalog validate, warm cache, nothing')}, `--changed-since` "
                     f"{w('opencatalog validate --changed-since')}; frictionless (data only) "
                     f"{w('frictionless validate, one process looping')} in one process, "
                     f"{w('frictionless validate, one process per package')} as one process per package.")
    up = [r for r in rows("upload") if r.get("rss_mb") is not None]
    ours = [r for r in up if r["case"].startswith("OpenCatalog upload path")]
    cli = [r for r in up if r["case"].startswith("opencatalog publish")]
    theirs = [r for r in up if r["case"].startswith("ckanapi")]
    if ours:
        peak = max(r["rss_mb"] for r in ours)
        lines.append(f"- Upload peak RSS, OpenCatalog upload path: {', '.join(_size_rss(r) for r in ours)} "
                     f"— target flat and < 100 MB: **{'met' if peak < 100 else 'NOT met'}**.")
    if cli:
        lines.append(f"- Whole `opencatalog publish` of the same file (includes validating it): "
                     f"{', '.join(_size_rss(r) for r in cli)}.")
    if theirs:
        lines.append(f"- ckanapi `resource_create(upload=…)`: {', '.join(_size_rss(r) for r in theirs)} "
                     "(grows with the file).")
    alt = rows("alternatives")
    if alt:
        second = [r for r in alt if r["case"].endswith(("run 2", "run 2b (allow_update=True)"))]
        parts = []
        for r in second:
            m = re.search(r"\*\*(\d+) duplicated\*\*", r.get("extra", ""))
            errs = len((r.get("raw") or {}).get("errors") or [])
            parts.append(f"{r['case']}: {r.get('writes')} writes, {m.group(1) if m else '?'} duplicated "
                         f"resources" + (f", {errs} error(s)" if errs else ""))
        lines.append("- Second run on the sample catalog — " + "; ".join(parts) + ".")
    return lines


def _validation_targets(vrows: list) -> list[str]:
    """Summary of bench_validate.py's rows (its format: tool, rows, wall_s, speedup_vs_frictionless…)."""
    out = []
    for r in vrows:
        if not isinstance(r, dict) or r.get("tool") != "opencatalog validate (CLI)":
            continue
        speed, same = r.get("speedup_vs_frictionless"), r.get("identical_to_frictionless")
        rows, rss = r.get("rows") or 0, r.get("peak_rss_mb")
        if not isinstance(rss, (int, float)):
            continue
        vs = f"{speed}× frictionless, identical findings: {same}, " if speed is not None else ""
        text = (f"- Validation of the {rows:,}-row package ({r.get('variant')}): `opencatalog validate` "
                f"{r.get('wall_s')} s, {vs}peak RSS {rss:.0f} MB")
        if isinstance(speed, (int, float)) and rows >= 1_000_000:
            met = "met" if speed >= 10 and same else "NOT met"
            text += f" — target ≥ 10× with identical findings: **{met}**"
        if rows >= 5_000_000 and isinstance(rss, (int, float)):
            text += f"; memory < 300 MB at 5M rows: **{'met' if rss < 300 else 'NOT met'}**"
        out.append(text + ".")
    if not out and vrows:
        out.append("- Validation targets: see the tabular validation section.")
    return out


def _size_rss(r: dict) -> str:
    size = r["case"].rsplit(", ", 1)[-1].replace(" CSV", "")
    return f"{r['rss_mb']:.0f} MB at {size}"


def render(results: dict, info: dict, args: argparse.Namespace, total: float) -> str:
    mode = "quick (smoke sizes, 1 run)" if args.quick else f"full, medians of {args.repeat} runs"
    pk = ", ".join(f"{k} {v}" for k, v in info["packages"].items())
    la = info["loadavg"]
    lines = [
        "# Benchmark results",
        "",
        f"Generated by `.venv/bin/python benchmarks/run_all.py{' --quick' if args.quick else ''}` "
        f"on {info['date_utc']} ({mode}; total {total / 60:.1f} min). All data is SYNTHETIC "
        "except the alternatives' sample catalog (this repository's).",
        "",
        f"- **Code measured:** commit `{info['commit'].split()[0]}`"
        + (" (working tree)" if args.working_tree else
           " (cli/, benchmarks/ and the sample catalog of that commit, extracted with git archive)"),
        f"- **Machine:** {info['nproc']} CPU (`nproc`), {info['cpu']}, {info['ram_gb']} GB RAM, "
        f"{info['os']}; load average at start {la[0]:.2f} / {la[1]:.2f} / {la[2]:.2f} "
        "(the machine is shared: single runs vary by up to ±50 %; each row gives the 1-min load "
        "average when it ran)",
        f"- **Software:** Python {info['python']}, {pk}; CKAN {info['ckan']}, "
        f"PostgreSQL {info['postgresql']}",
        "- Wall times are of fresh processes (interpreter start and imports included); peak RSS is "
        "the child's `ru_maxrss` (as `/usr/bin/time -f %M`). Runs: medians over the `runs` column; "
        "`1` marks the one-off or slow cases.",
        "",
        "## Targets",
        "",
        *(_targets(results) or ["- (no target rows: see the sections below)"]),
    ]
    lines += _validation_targets((results.get("validate") or {}).get("rows") or [])
    lines += ["", "## Results", ""]
    for name in ORDER:
        if name in results:
            lines += [_section(name, results[name]), ""]
    return "\n".join(lines).rstrip() + "\n"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="small sizes, 1 run each: a smoke run")
    ap.add_argument("--repeat", type=int, default=3, help="runs per figure (median), default 3")
    ap.add_argument("--only", default=",".join(ORDER), help=f"comma-separated subset of {','.join(ORDER)}")
    ap.add_argument("--validate-rows", type=int, default=1_000_000)
    ap.add_argument("--working-tree", action="store_true", help="measure the working tree, not HEAD")
    ap.add_argument("--commit", default="HEAD", help="commit to measure (default HEAD)")
    ap.add_argument("--render-only", action="store_true",
                    help="rewrite the markdown from the last run (benchmarks/data/run_all.json)")
    ap.add_argument("--out", type=Path, default=HERE / "RESULTS.md",
                    help="markdown output (default benchmarks/RESULTS.md)")
    args = ap.parse_args()
    if args.render_only:
        last = json.loads((DATA / "run_all.json").read_text(encoding="utf-8"))
        for k, v in last["args"].items():
            setattr(args, k, v)
        text = render(last["results"], last["machine"], args, last["total_s"])
        args.out.write_text(text, encoding="utf-8")
        print(text)
        return
    env = dict(os.environ)
    env.setdefault("OPENCATALOG_CKAN_VENV", str(Path.home() / ".cache/opencatalog/ckan-venv-2.12.0"))
    if args.working_tree:
        bench_dir = HERE
        env.pop("OPENCATALOG_BENCH_SRC", None)
    else:
        src, _ = snapshot(args.commit)
        bench_dir = src / "benchmarks"
        env["OPENCATALOG_BENCH_SRC"] = str(src / "cli")
        os.environ["OPENCATALOG_BENCH_SRC"] = env["OPENCATALOG_BENCH_SRC"]
        if not (bench_dir / "bench_publish.py").exists():
            raise SystemExit(f"{args.commit} has no benchmarks/bench_publish.py; use --working-tree")
    # machine() reads the commit from the snapshot when OPENCATALOG_BENCH_SRC is set
    import importlib

    import _common

    importlib.reload(_common)
    info = _common.machine()
    wanted = [n for n in ORDER if n in args.only.split(",")]
    results: dict[str, dict] = {}
    start = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="opencatalog-run-all-") as tmp:
        for name in wanted:
            results[name] = run_bench(name, bench_dir, args, env, Path(tmp))
    total = time.perf_counter() - start
    text = render(results, info, args, total)
    args.out.write_text(text, encoding="utf-8")
    (DATA / "run_all.json").parent.mkdir(parents=True, exist_ok=True)
    saved = {"machine": info, "results": results, "total_s": total,
             "args": {"quick": args.quick, "repeat": args.repeat, "working_tree": args.working_tree}}
    (DATA / "run_all.json").write_text(json.dumps(saved, ensure_ascii=False, indent=1, default=str),
                                       encoding="utf-8")
    print("\n" + text)
    print(f"written to {args.out}")
    failed = [n for n, r in results.items() if r.get("error")]
    if failed:
        print(f"failed: {', '.join(failed)}", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
