"""Shared helpers of the publishing/catalog benchmarks: timed children, a private
local portal, the machine description, result rows and markdown tables."""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATA = Path(os.environ.get("OPENCATALOG_BENCH_DATA") or HERE / "data")  # generated, gitignored
BIN = Path(sys.executable).parent
OPENCATALOG = str(BIN / "opencatalog") if (BIN / "opencatalog").exists() else "opencatalog"
FRICTIONLESS = str(BIN / "frictionless") if (BIN / "frictionless").exists() else "frictionless"
DEFAULT_CKAN_VENV = Path.home() / ".cache" / "opencatalog" / "ckan-venv-2.12.0"
# OPENCATALOG_BENCH_SRC: a snapshot of cli/ (run_all.py extracts the committed HEAD there) to
# measure instead of the working tree, which other people may be editing.  `portal up` always
# runs from the installed tree, so that the shared CKAN venv's plugin is not reinstalled.
SRC = os.environ.get("OPENCATALOG_BENCH_SRC")
if SRC and SRC not in sys.path:
    sys.path.insert(0, SRC)


def loadavg() -> float:
    try:
        return round(os.getloadavg()[0], 2)
    except OSError:
        return float("nan")


@dataclass
class Run:
    wall: float
    rss_mb: float
    rc: int
    stdout: str
    stderr: str
    load: float


def timed(cmd: list[str], *, env: dict[str, str] | None = None, cwd: Path | None = None,
          check: bool = True, stdin: Any = None) -> Run:
    """Run `cmd`; wall time and peak RSS of that child (os.wait4's ru_maxrss)."""
    load = loadavg()
    with tempfile.TemporaryFile() as out_f, tempfile.TemporaryFile() as err_f:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out_f, stderr=err_f, stdin=stdin)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
        out_f.seek(0)
        err_f.seek(0)
        out = out_f.read().decode("utf-8", "replace")
        err = err_f.read().decode("utf-8", "replace")
    if check and proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} exited {proc.returncode}\n{err[-3000:]}\n{out[-2000:]}")
    return Run(wall, usage.ru_maxrss / 1024, proc.returncode, out, err, load)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Portal:
    url: str
    state_dir: Path
    env: dict[str, str]
    up_seconds: float
    max_resource_size_mb: int | None = None

    def token(self) -> str:
        return (self.state_dir / "sysadmin.token").read_text(encoding="utf-8").strip()


def bench_env(state_dir: Path | None = None, *, snapshot: bool = True) -> dict[str, str]:
    env = dict(os.environ)
    if SRC and snapshot:
        env["PYTHONPATH"] = SRC + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    elif not snapshot:
        env.pop("PYTHONPATH", None)
    env.setdefault("OPENCATALOG_CKAN_VENV", str(DEFAULT_CKAN_VENV))
    if state_dir is not None:
        env["OPENCATALOG_PORTAL_STATE_DIR"] = str(state_dir)
    env.pop("OPENCATALOG_TOKEN_LOCAL", None)
    env.pop("CKAN_API_TOKEN", None)
    return env


@contextmanager
def local_portal(state_dir: Path, port: int | None = None, schema: str | None = None,
                 keep: bool = False, up_args: tuple[str, ...] = ()) -> Iterator[Portal]:
    """A private local portal (`opencatalog portal up`), purged at the end unless `keep`."""
    from opencatalog.portal import portal_status, purge_portal

    if not keep and state_dir.exists():
        purge_portal(state_dir)
    env = bench_env(state_dir)
    port = port or free_port()
    cmd = [OPENCATALOG, "portal", "up", "--state-dir", str(state_dir), "--port", str(port)]
    if schema:
        cmd += ["--schema", schema]
    cmd += up_args  # e.g. --xloader, --workers 2
    up = timed(cmd, env=bench_env(state_dir, snapshot=False))
    status = portal_status(state_dir)
    portal = Portal(url=status.get("url") or f"http://127.0.0.1:{port}", state_dir=state_dir,
                    env=env, up_seconds=up.wall,
                    max_resource_size_mb=status.get("max_resource_size_mb"))
    try:
        yield portal
    finally:
        if not keep:
            purge_portal(state_dir)


@dataclass
class Row:
    """One result row; every benchmark script emits a list of these (as JSON)."""

    benchmark: str
    case: str
    wall_s: float | None = None
    runs: int = 1
    api_calls: int | None = None
    writes: int | None = None
    rss_mb: float | None = None
    extra: str = ""
    load: float | None = None
    raw: dict[str, Any] = field(default_factory=dict)


def median(values: list[float]) -> float:
    import statistics

    return statistics.median(values)


def write_rows(rows: list[Row], path: Path | None) -> None:
    if path is None:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps([asdict(r) for r in rows], ensure_ascii=False, indent=1), encoding="utf-8")


def _fmt(v: Any, digits: int = 2) -> str:
    if v is None:
        return "—"
    if isinstance(v, float):
        return f"{v:,.{digits}f}"
    return str(v)


def markdown(rows: list[Row | dict[str, Any]]) -> str:
    lines = ["| benchmark | case | wall (s) | runs | API calls | writes | peak RSS (MB) | notes | load |",
             "|---|---|---:|---:|---:|---:|---:|---|---:|"]
    for r in rows:
        d = asdict(r) if isinstance(r, Row) else r
        lines.append(
            f"| {d['benchmark']} | {d['case']} | {_fmt(d.get('wall_s'))} | {d.get('runs', 1)} "
            f"| {_fmt(d.get('api_calls'))} | {_fmt(d.get('writes'))} | {_fmt(d.get('rss_mb'), 0)} "
            f"| {d.get('extra', '')} | {_fmt(d.get('load'))} |")
    return "\n".join(lines)


def git_commit() -> str:
    if SRC and (Path(SRC).parent / "COMMIT").exists():
        return (Path(SRC).parent / "COMMIT").read_text().strip() + " (snapshot of cli/)"
    try:
        sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", "HEAD"], capture_output=True,
                             text=True, check=True).stdout.strip()
        dirty = subprocess.run(["git", "-C", str(REPO), "status", "--porcelain", "--", "cli"],
                               capture_output=True, text=True).stdout.strip()
        return sha + (" (+ uncommitted changes in cli/)" if dirty else "")
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def _pkg_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed"


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem_gb = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem_gb = round(int(line.split()[1]) / 1024 / 1024, 1)
    except OSError:
        pass
    ckan_venv = Path(os.environ.get("OPENCATALOG_CKAN_VENV", DEFAULT_CKAN_VENV))
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": mem_gb,
        "os": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "packages": {p: _pkg_version(p) for p in
                     ("opencatalog", "frictionless", "polars", "ckanapi", "requests", "PyYAML")},
        "ckan": "2.12.0" if ckan_venv.exists() else "not built",
        "postgresql": _cmd_version(["bash", "-c", "ls /usr/lib/postgresql | sort -V | tail -1"]),
        "loadavg": os.getloadavg() if hasattr(os, "getloadavg") else None,
        "commit": git_commit(),
        "measured": SRC or str(REPO / "cli"),
        "date_utc": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }


def _cmd_version(cmd: list[str]) -> str:
    if shutil.which(cmd[0]) is None:
        return "unknown"
    try:
        return subprocess.run(cmd, capture_output=True, text=True, timeout=10).stdout.strip() or "unknown"
    except (OSError, subprocess.SubprocessError):
        return "unknown"


def publish_summary(run: Run) -> dict[str, Any]:
    """The `summary` of `opencatalog publish --format json` (api_calls, writes, counts)."""
    report = json.loads(run.stdout)
    return report.get("summary") or {}


def snapshot(commit: str = "HEAD") -> Path:
    """Extract cli/ of `commit` to benchmarks/data/src-<sha>/cli (git archive, no git state)."""
    sha = subprocess.run(["git", "-C", str(REPO), "rev-parse", commit], capture_output=True, text=True,
                         check=True).stdout.strip()
    dest = DATA / f"src-{sha[:12]}"
    if not (dest / "COMMIT").exists():
        shutil.rmtree(dest, ignore_errors=True)
        dest.mkdir(parents=True)
        archive = subprocess.run(["git", "-C", str(REPO), "archive", sha, "cli"], capture_output=True,
                                 check=True).stdout
        subprocess.run(["tar", "-x", "-C", str(dest)], input=archive, check=True)
        (dest / "COMMIT").write_text(sha + "\n")
    return dest / "cli"


def catalog_arguments(description: str | None) -> argparse.ArgumentParser:
    """The options of the benchmarks over a synthetic catalog (make_catalog.py)."""
    ap = argparse.ArgumentParser(description=description,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", type=int, default=200)
    ap.add_argument("--files", type=int, default=2)
    ap.add_argument("--rows", type=int, default=40)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--json", type=Path, help="write the result rows as JSON")
    ap.add_argument("--quick", action="store_true", help="10 datasets, 1 repeat")
    return ap


def parse_catalog_arguments(ap: argparse.ArgumentParser) -> argparse.Namespace:
    args = ap.parse_args()
    if args.quick:
        args.datasets, args.repeat = min(args.datasets, 10), 1
    return args
