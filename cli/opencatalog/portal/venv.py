"""CKAN's own virtualenv: built on first `up`, reused afterwards.

CKAN pins many dependencies (Flask, SQLAlchemy, ...) that must never clash
with OpenCatalog's, so it lives in a separate venv. OPENCATALOG_CKAN_VENV
points several state dirs (e.g. test portals) at one shared venv.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from importlib import resources
from pathlib import Path

from .state import PortalError

CKAN_VERSION = "2.12.0"
REQUIREMENTS = [
    f"ckan[requirements]=={CKAN_VERSION}",
    "ckanext-scheming==3.1.0",
    "gunicorn==23.0.0",
    "wheel",  # lets pip build our plugin without build isolation (offline-friendly)
]
MARKER = ".opencatalog-venv.json"


def files_dir() -> Path:
    return Path(str(resources.files("opencatalog.portal") / "files"))


def plugin_source() -> Path:
    return files_dir() / "ckanext-opencatalog"


def plugin_hash() -> str:
    digest = hashlib.sha256()
    src = plugin_source()
    for path in sorted(src.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(str(path.relative_to(src)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def venv_path(layout_root: Path) -> Path:
    env = os.environ.get("OPENCATALOG_CKAN_VENV")
    return Path(env).expanduser().resolve() if env else layout_root / "ckan-venv"


def _marker(venv: Path) -> dict[str, str]:
    try:
        return json.loads((venv / MARKER).read_text())
    except (OSError, ValueError):
        return {}


def venv_ready(venv: Path) -> bool:
    """True when the base CKAN install is complete (the plugin may still be stale)."""
    return _marker(venv).get("requirements") == " ".join(REQUIREMENTS) and (
        venv / "bin" / "ckan"
    ).exists()


def _run(cmd: list[str], log: Path, what: str) -> None:
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        from .procs import tail

        raise PortalError(f"{what} failed (exit {result.returncode}). Last lines of {log}:\n"
                          f"{tail(log, 25)}")


def ensure_venv(venv: Path, log: Path, echo: Callable[[str], object]) -> None:
    """Create/refresh the CKAN venv; a file lock serialises concurrent `up`s."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        marker = _marker(venv)
        if not venv_ready(venv):
            echo(f"Building CKAN {CKAN_VERSION} virtualenv in {venv} (first run, ~1 min)...")
            if venv.exists():
                shutil.rmtree(venv)
            base_python = getattr(sys, "_base_executable", sys.executable)
            _run([base_python, "-m", "venv", str(venv)], log, "Creating the CKAN virtualenv")
            pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
            _run(pip + ["install", "--quiet", *REQUIREMENTS], log,
                 f"Installing CKAN {CKAN_VERSION} (pip)")
            marker = {"requirements": " ".join(REQUIREMENTS)}
            (venv / MARKER).write_text(json.dumps(marker))
        want = plugin_hash()
        if marker.get("plugin") != want:
            # copy first: pip builds local projects in place and would litter
            # our package directory with build/ and *.egg-info
            with tempfile.TemporaryDirectory() as tmp:
                dst = Path(tmp) / "ckanext-opencatalog"
                shutil.copytree(plugin_source(), dst,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                pip = [str(venv / "bin" / "python"), "-m", "pip",
                       "--disable-pip-version-check"]
                _run(pip + ["install", "--quiet", "--no-deps", "--no-build-isolation",
                            "--force-reinstall", str(dst)], log,
                     "Installing the opencatalog_pgsearch CKAN plugin")
            marker["plugin"] = want
            (venv / MARKER).write_text(json.dumps(marker))
