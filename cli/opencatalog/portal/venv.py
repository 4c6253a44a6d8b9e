"""CKAN's own virtualenvs: one per supported CKAN version, built on first use.

CKAN pins many dependencies (Flask, SQLAlchemy, ...) that must never clash
with OpenCatalog's, so it lives in a separate venv. Each version has its own,
shared by every state dir: ${XDG_CACHE_HOME:-~/.cache}/opencatalog/ckan-venv-<release>
(OPENCATALOG_CKAN_VENV names another path). ckanext-xloader is added to a
venv the first time a portal asks for it (`portal up --xloader`).
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

# `portal up --ckan 2.10|2.11|2.12` -> the release installed; GD portals in the
# field run 2.10 (thai_gdc 3.x). The newest is the default.
CKAN_RELEASES = {"2.10": "2.10.7", "2.11": "2.11.4", "2.12": "2.12.0"}
DEFAULT_CKAN = "2.12"
CKAN_VERSION = CKAN_RELEASES[DEFAULT_CKAN]
# 2.5.2, not 2.6.0: 2.6.0 requires requests>=2.34.2, urllib3>=2.8 and zipp>=4.1, above what
# CKAN 2.10/2.11 pin, and CKAN 2.10 refuses to load a plugin whose requirements are unmet.
# 2.5.2 declares none of its runtime dependencies: they are installed beside it, unpinned
# where CKAN already has them so that pip keeps CKAN's versions.
XLOADER_REQUIREMENT = "ckanext-xloader==2.5.2"
XLOADER_DEPENDENCIES = ["tabulator==1.53.5", "Unidecode==1.4.0", "chardet", "ckantoolkit",
                        "python-dateutil", "six", "typing_extensions"]
MARKER = ".opencatalog-venv.json"


def ckan_release(version: str | None) -> str:
    """'2.10' or '2.10.7' -> '2.10.7'; None -> the default release."""
    if version is None:
        return CKAN_VERSION
    for minor, release in CKAN_RELEASES.items():
        if version in (minor, release):
            return release
    raise PortalError(f"CKAN {version} is not supported by the local portal; choose one of "
                      f"{', '.join(CKAN_RELEASES)}")


def requirements(release: str) -> list[str]:
    return [
        f"ckan[requirements]=={release}",
        "ckanext-scheming==3.1.0",
        "gunicorn==23.0.0",
        "wheel",  # lets pip build our plugin without build isolation (offline-friendly)
    ]


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


def venv_path(release: str) -> Path:
    env = os.environ.get("OPENCATALOG_CKAN_VENV")
    if env:
        return Path(env).expanduser().resolve()
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "opencatalog" / f"ckan-venv-{release}"


def _marker(venv: Path) -> dict[str, str]:
    try:
        return json.loads((venv / MARKER).read_text())
    except (OSError, ValueError):
        return {}


def venv_ready(venv: Path, release: str, xloader: bool = False) -> bool:
    """True when nothing has to be built (the plugin may still be stale)."""
    marker = _marker(venv)
    return (marker.get("requirements") == " ".join(requirements(release))
            and (venv / "bin" / "ckan").exists()
            and (not xloader or marker.get("xloader") == XLOADER_REQUIREMENT))


def _check_release(venv: Path, release: str) -> None:
    """Never wipe a venv built for another CKAN (another portal may be running from it)."""
    built = _marker(venv).get("requirements", "")
    if built and built.split()[0] != requirements(release)[0]:
        raise PortalError(f"OPENCATALOG_CKAN_VENV={venv} holds another CKAN ({built.split()[0]}),"
                          f" not {release}; unset it or point it at another directory")


def _run(cmd: list[str], log: Path, what: str) -> None:
    with open(log, "ab") as out:
        out.write(f"\n$ {' '.join(cmd)}\n".encode())
        out.flush()
        result = subprocess.run(cmd, stdout=out, stderr=subprocess.STDOUT)
    if result.returncode != 0:
        from .procs import tail

        raise PortalError(f"{what} failed (exit {result.returncode}). Last lines of {log}:\n"
                          f"{tail(log, 25)}")


def ensure_venv(venv: Path, release: str, xloader: bool, log: Path,
                echo: Callable[[str], object]) -> None:
    """Create/refresh the CKAN venv; a file lock serialises concurrent `up`s."""
    venv.parent.mkdir(parents=True, exist_ok=True)
    log.parent.mkdir(parents=True, exist_ok=True)
    pip = [str(venv / "bin" / "python"), "-m", "pip", "--disable-pip-version-check"]
    with open(venv.parent / f".{venv.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        _check_release(venv, release)
        marker = _marker(venv)
        if not venv_ready(venv, release):
            echo(f"Building CKAN {release} virtualenv in {venv} (first run, ~1 min)...")
            if venv.exists():
                shutil.rmtree(venv)
            base_python = getattr(sys, "_base_executable", sys.executable)
            _run([base_python, "-m", "venv", str(venv)], log, "Creating the CKAN virtualenv")
            _run(pip + ["install", "--quiet", *requirements(release)], log,
                 f"Installing CKAN {release} (pip)")
            marker = {"requirements": " ".join(requirements(release))}
            (venv / MARKER).write_text(json.dumps(marker))
        if xloader and marker.get("xloader") != XLOADER_REQUIREMENT:
            echo(f"Adding {XLOADER_REQUIREMENT} to {venv}...")
            _run(pip + ["install", "--quiet", XLOADER_REQUIREMENT, *XLOADER_DEPENDENCIES], log,
                 f"Installing {XLOADER_REQUIREMENT} (pip)")
            marker["xloader"] = XLOADER_REQUIREMENT
            (venv / MARKER).write_text(json.dumps(marker))
        want = plugin_hash()
        if marker.get("plugin") != want:
            # copy first: pip builds local projects in place and would litter
            # our package directory with build/ and *.egg-info
            with tempfile.TemporaryDirectory() as tmp:
                dst = Path(tmp) / "ckanext-opencatalog"
                shutil.copytree(plugin_source(), dst,
                                ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
                _run(pip + ["install", "--quiet", "--no-deps", "--no-build-isolation",
                            "--force-reinstall", str(dst)], log,
                     "Installing the opencatalog_pgsearch CKAN plugin")
            marker["plugin"] = want
            (venv / MARKER).write_text(json.dumps(marker))
