"""Debian packages the portal needs, and the unprivileged service user."""
from __future__ import annotations

import glob
import os
import pwd
import shutil
import subprocess
import sysconfig
from pathlib import Path

from .state import PortalError

SERVICE_USER = "opencatalog"


def pg_bindir() -> Path | None:
    dirs = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda d: int(Path(d).parent.name) if Path(d).parent.name.isdigit() else 0,
    )
    for d in reversed(dirs):
        if Path(d, "postgres").exists() and Path(d, "initdb").exists():
            return Path(d)
    return None


def missing_packages(need_build: bool) -> list[str]:
    """Debian packages to install; build tools only when a CKAN venv must be built."""
    missing = []
    if pg_bindir() is None:
        missing.append("postgresql")
    if not shutil.which("redis-server"):
        missing.append("redis-server")
    if need_build:
        if not shutil.which("pg_config"):
            missing.append("libpq-dev")
        if not shutil.which("gcc"):
            missing.append("gcc")
        include = sysconfig.get_paths().get("include", "")
        if not Path(include, "Python.h").exists():
            missing.append("python3-dev")
    return missing


def require_packages(need_build: bool) -> None:
    missing = missing_packages(need_build)
    if missing:
        raise PortalError(
            "Missing system packages for the local portal: " + ", ".join(missing) + "\n"
            "Install them with:\n"
            "  apt-get update && apt-get install -y --no-install-recommends "
            + " ".join(missing)
            + "\n(or run scripts/install-system-deps)"
        )


def service_user() -> str | None:
    """PostgreSQL refuses to run as root: as root, use a system user of our own."""
    if os.geteuid() != 0:
        return None
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        result = subprocess.run(
            ["useradd", "--system", "--no-create-home", "--home-dir", "/nonexistent",
             "--shell", "/usr/sbin/nologin", "--user-group", SERVICE_USER],
            capture_output=True, text=True,
        )
        if result.returncode != 0 and "already exists" not in result.stderr:
            raise PortalError(
                f"Could not create system user {SERVICE_USER!r} for PostgreSQL: "
                f"{result.stderr.strip()}"
            ) from None
    return SERVICE_USER


def chown_to(path: Path, user: str | None) -> None:
    if user is None:
        return
    entry = pwd.getpwnam(user)
    os.chown(path, entry.pw_uid, entry.pw_gid, follow_symlinks=False)
    for root, dirs, files in os.walk(path):
        os.chown(root, entry.pw_uid, entry.pw_gid)
        for name in dirs + files:
            os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid, follow_symlinks=False)
