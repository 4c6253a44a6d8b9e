"""Smoke tests of the benchmark scripts (the ones that need no portal; a few seconds).

The portal benchmarks (publish, upload, alternatives) are exercised by
`benchmarks/run_all.py --quick` (about 2 minutes), not here.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parents[2] / "benchmarks"
sys.path.insert(0, str(BENCH))

import make_catalog as synthetic  # noqa: E402
import run_all  # noqa: E402

OPENCATALOG = Path(sys.executable).parent / "opencatalog"


def test_synthetic_catalog_is_valid(tmp_path: Path) -> None:
    root = synthetic.make_catalog(tmp_path / "cat", datasets=3, files=3, rows=12)
    assert sorted(p.name for p in (root / "datapackages").iterdir()) == synthetic.dataset_names(3)
    text = (root / "catalog" / "datasets" / "synthetic-bmn-0000.yaml").read_text(encoding="utf-8")
    assert "SYNTHETIC" in text
    out = subprocess.run([str(OPENCATALOG), "validate", "--root", str(root), "--no-cache"],
                         capture_output=True, text=True)
    assert out.returncode == 0, out.stdout + out.stderr


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_bench_catalog_quick(tmp_path: Path) -> None:
    out_json = tmp_path / "rows.json"
    env = {**os.environ, "OPENCATALOG_BENCH_DATA": str(tmp_path / "data")}
    env.pop("OPENCATALOG_BENCH_SRC", None)
    proc = subprocess.run([sys.executable, str(BENCH / "bench_catalog.py"), "--quick", "--datasets", "3",
                           "--no-per-process", "--json", str(out_json)],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 0, proc.stderr[-3000:]
    rows = json.loads(out_json.read_text(encoding="utf-8"))
    assert len(rows) == 5
    assert all(r["wall_s"] > 0 and r["benchmark"] == "validate-catalog" for r in rows)
    assert "| validate-catalog |" in proc.stdout


def test_run_all_renders_targets() -> None:
    results = {
        "publish": {"cmd": "x", "seconds": 1.0, "note": "", "error": None, "markdown": None, "rows": [
            {"benchmark": "publish", "case": "no-op republish, 200 datasets", "wall_s": 4.2, "runs": 3,
             "api_calls": 205, "writes": 0, "rss_mb": 120.0, "extra": "", "load": 1.0}]},
        "upload": {"cmd": "y", "seconds": 1.0, "note": "", "error": None, "markdown": None, "rows": [
            {"benchmark": "upload", "case": "OpenCatalog upload path (x), 500 MB CSV", "wall_s": 3.0,
             "runs": 1, "rss_mb": 41.0, "extra": "", "load": 1.0},
            {"benchmark": "upload", "case": "ckanapi resource_create(x), 500 MB CSV", "wall_s": 3.0,
             "runs": 1, "rss_mb": 1050.0, "extra": "", "load": 1.0}]},
        "validate": {"cmd": "z", "seconds": 1.0, "note": "", "error": "boom", "markdown": None, "rows": None},
    }
    info = {"packages": {"opencatalog": "0.1.0"}, "loadavg": (1.0, 1.0, 1.0), "date_utc": "now",
            "commit": "abc", "nproc": 2, "cpu": "cpu", "ram_gb": 1, "os": "Linux", "python": "3.11",
            "ckan": "2.12.0", "postgresql": "15"}
    args = type("A", (), {"quick": False, "repeat": 3, "working_tree": False})()
    text = run_all.render(results, info, args, 60.0)
    assert "0 writes, 4.2 s (median) — target 0 writes and < 10 s: **met**" in text
    assert "41 MB at 500 MB — target flat and < 100 MB: **met**" in text
    assert "**Failed:**" in text and "boom" in text
