"""`opencatalog import` at catalog scale: 200 datasets / 400 files from a private local portal.

Publishes the SYNTHETIC catalog (make_catalog.py) to its own portal, then times
`opencatalog import --url <portal> --all` into an empty folder (wall time, peak RSS of the
process, API calls from its JSON report) and the `opencatalog plan --detailed-exitcode`
right after it, which must be empty (exit 0). Targets (issue 13): < 60 s, flat memory.

    .venv/bin/python benchmarks/bench_import.py            # 200 datasets x 2 files
    .venv/bin/python benchmarks/bench_import.py --quick    # 10 datasets
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import (  # noqa: E402
    DATA,
    OPENCATALOG,
    Row,
    catalog_arguments,
    local_portal,
    markdown,
    parse_catalog_arguments,
    timed,
    write_rows,
)
from make_catalog import dataset_names, make_catalog  # noqa: E402

TARGET_S = 60.0


def run(datasets: int, files: int, rows: int, state_dir: Path, catalog_dir: Path) -> list[Row]:
    root = make_catalog(catalog_dir, datasets, files, rows)
    out: list[Row] = []
    with local_portal(state_dir) as portal:
        env = dict(portal.env)
        published = timed([OPENCATALOG, "publish", "--root", str(root), "--target", "local",
                           "--yes", "--format", "json"], env=env)
        out.append(Row("import", f"setup: first publish, {datasets} datasets",
                       wall_s=round(published.wall, 2), extra="not a target"))
        for size, label in ((datasets, "all"), (max(datasets // 10, 1), "a tenth")):
            empty = Path(tempfile.mkdtemp(prefix="opencatalog-bench-import-"))
            env["OPENCATALOG_TOKEN_BENCH"] = portal.token()
            select = ["--all"] if size == datasets else dataset_names(datasets)[:size]
            imported = timed([OPENCATALOG, "import", "--root", str(empty), "--url", portal.url,
                              "--target", "bench", "--format", "json", *select], env=env)
            summary = json.loads(imported.stdout)["summary"]
            plan = timed([OPENCATALOG, "plan", "--root", str(empty), "--target", "bench",
                          "--detailed-exitcode"], env=env, check=False)
            n_files = len([p for p in summary["written"] if p.startswith("datapackages/")
                           and not p.endswith(".schema.yaml")])
            met = "met" if imported.wall < TARGET_S and plan.rc == 0 else "NOT met"
            out.append(Row("import", f"import {label}: {len(json.loads(imported.stdout)['datasets'])}"
                           f" datasets, {n_files} files", wall_s=round(imported.wall, 2),
                           api_calls=summary["api_calls"], writes=summary["writes"],
                           rss_mb=round(imported.rss_mb, 1), load=round(imported.load, 2),
                           extra=f"plan right after: exit {plan.rc} ({plan.wall:.1f} s); "
                                 f"target < {TARGET_S:.0f} s and plan empty: {met}"))
            shutil.rmtree(empty, ignore_errors=True)
    return out


def main() -> None:
    ap = catalog_arguments(__doc__)
    args = parse_catalog_arguments(ap)
    state = Path(tempfile.mkdtemp(prefix="opencatalog-bench-portal-"))
    rows = run(args.datasets, args.files, args.rows, state, DATA / f"import-catalog-{args.datasets}")
    write_rows(rows, args.json)
    print(markdown(rows))


if __name__ == "__main__":
    main()
