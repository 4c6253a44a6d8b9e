"""Validation at catalog scale: many small datasets (SYNTHETIC, make_catalog.py).

Each measurement is a fresh process (wall time includes interpreter start and imports):

* `opencatalog validate` cold (the content-hash cache `.opencatalog/` removed first);
* warm (cache filled by the previous run, nothing changed);
* warm, one data file changed, whole catalog (1 cache miss);
* `--changed-since HEAD` with one data file changed (the catalog is a git repository with
  one commit; the change is uncommitted);
* `frictionless validate` on the same data packages (descriptors written by OpenCatalog's
  `package_descriptor`, i.e. the same resources and Table Schemas, into a copy of
  datapackages/): (a) one Python process looping `frictionless.validate()` over all
  packages, (b) one `frictionless validate` process per package, as a shell loop does
  (1 run: slow).  frictionless checks the data only, not the GD Catalog metadata.

    .venv/bin/python benchmarks/bench_catalog.py --datasets 200 --repeat 3 --json out.json
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DATA,
    FRICTIONLESS,
    OPENCATALOG,
    Row,
    bench_env,
    catalog_arguments,
    markdown,
    median,
    parse_catalog_arguments,
    timed,
    write_rows,
)
from make_catalog import dataset_names, make_catalog  # noqa: E402

LOOP = """
import json, sys
from pathlib import Path
from frictionless import validate
bad = 0
paths = sorted(Path(sys.argv[1]).glob("*/datapackage.json"))
for p in paths:
    report = validate(str(p))
    bad += not report.valid
print(json.dumps({"packages": len(paths), "invalid": bad}))
"""


def write_descriptors(root: Path, dest: Path) -> int:
    """Copy datapackages/ to `dest` with a datapackage.json in each (as OpenCatalog sees it)."""
    from opencatalog.load.catalog_loader import load_catalog
    from opencatalog.model.datapackage import package_descriptor

    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(root / "datapackages", dest)
    catalog = load_catalog(root, search_parents=False)
    n = 0
    for ds in catalog.datasets:
        desc = package_descriptor(ds)
        (dest / ds.name / "datapackage.json").write_text(json.dumps(desc, ensure_ascii=False),
                                                           encoding="utf-8")
        n += 1
    return n


def _validate(root: Path, *extra: str, cwd: Path | None = None):
    return timed([OPENCATALOG, "validate", "--root", str(root), *extra], env=bench_env(), cwd=cwd)


def _row(case: str, runs: list, extra: str = "") -> Row:
    return Row(benchmark="validate-catalog", case=case, wall_s=round(median([r.wall for r in runs]), 2),
               runs=len(runs), rss_mb=round(max(r.rss_mb for r in runs), 1), extra=extra,
               load=round(median([r.load for r in runs]), 2),
               raw={"walls": [round(r.wall, 3) for r in runs]})


def run(datasets: int, files: int, rows: int, repeat: int, per_process: bool) -> list[Row]:
    root = make_catalog(DATA / f"validate-catalog-{datasets}", datasets, files, rows, git=True)
    names = dataset_names(datasets)
    cache = root / ".opencatalog"
    n_files = datasets * files
    label = f"{datasets} datasets / {n_files} files"
    out: list[Row] = []

    cold = []
    for _ in range(repeat):
        shutil.rmtree(cache, ignore_errors=True)
        cold.append(_validate(root))
    out.append(_row(f"opencatalog validate, cold (no cache), {label}", cold))
    warm = [_validate(root) for _ in range(repeat)]
    out.append(_row("opencatalog validate, warm cache, nothing changed", warm))

    one_changed, since = [], []
    for k in range(repeat):
        # a different file and a different new row each time, so that every run is a real
        # cache miss for the changed dataset (the cache is keyed by content hash)
        for case, runs, opts in (("all", one_changed, ()), ("since", since, ("--changed-since", "HEAD"))):
            name = names[(k * 13 + (3 if case == "all" else 5)) % datasets]
            f = root / "datapackages" / name / "villages.csv"
            original = f.read_bytes()
            code = f"98{k:02d}{0 if case == 'all' else 1}{k:03d}"
            f.write_bytes(original + f"{code},หมู่บ้านแก้ไข{k},10,40,1000.0,2023-01-01\n".encode())
            runs.append(_validate(root, *opts, cwd=root))
            f.write_bytes(original)
    out.append(_row("opencatalog validate --changed-since HEAD, 1 dataset changed", since,
                    "checks 1 dataset"))
    out.append(_row("opencatalog validate, warm cache, 1 data file changed", one_changed,
                    "whole catalog, 1 cache miss"))

    fl_dir = DATA / f"validate-catalog-{datasets}-frictionless"
    write_descriptors(root, fl_dir)
    loop = []
    for _ in range(repeat):
        r = timed([sys.executable, "-c", LOOP, str(fl_dir)])
        res = json.loads(r.stdout)
        if res["invalid"]:
            raise RuntimeError(f"frictionless found {res['invalid']} invalid packages")
        loop.append(r)
    out.append(_row(f"frictionless validate, one process looping over {datasets} packages", loop,
                    "data only, no GD Catalog metadata"))
    if per_process:
        start_load = None
        walls, peak = 0.0, 0.0
        for name in names:
            r = timed([FRICTIONLESS, "validate", str(fl_dir / name / "datapackage.json")], check=False)
            if r.rc != 0:
                raise RuntimeError(f"frictionless validate {name} failed:\n{r.stdout[-2000:]}")
            start_load = start_load if start_load is not None else r.load
            walls += r.wall
            peak = max(peak, r.rss_mb)
        out.append(Row("validate-catalog", f"frictionless validate, one process per package ({datasets})",
                       wall_s=round(walls, 2), runs=1, rss_mb=round(peak, 1),
                       extra="1 run (slow); as `for d in */; do frictionless validate …`",
                       load=start_load))
    return out


def main() -> None:
    ap = catalog_arguments(__doc__)
    ap.add_argument("--no-per-process", action="store_true",
                    help="skip the one-frictionless-process-per-package loop")
    args = parse_catalog_arguments(ap)
    if shutil.which("git") is None:
        raise SystemExit("git is needed for the --changed-since case")
    subprocess.run(["git", "--version"], check=True, capture_output=True)
    rows = run(args.datasets, args.files, args.rows, args.repeat, not args.no_per_process)
    write_rows(rows, args.json)
    print(markdown(rows))


if __name__ == "__main__":
    main()
