"""State dir layout and the persisted state file (ports, pids, secrets)."""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

STATE_FILE = "portal.json"
TOKEN_FILE = "sysadmin.token"


class PortalError(Exception):
    """A user-facing error; the CLI prints the message without a traceback."""


def default_state_dir() -> Path:
    env = os.environ.get("OPENCATALOG_PORTAL_STATE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(xdg) / "opencatalog" / "portal"


@dataclass
class PortalState:
    ckan_port: int = 5000
    pg_port: int = 54329
    redis_port: int = 63799
    profile: str = "thai-gdc"  # or "ckan"
    schema_source: str = "default"  # "default", "none" or a file path
    max_resource_size_mb: int = 2048
    venv: str = ""
    pgdata: str = ""
    pg_user: str = ""
    secrets: dict[str, str] = field(default_factory=dict)
    pids: dict[str, int] = field(default_factory=dict)
    initialized: bool = False
    sysadmin: str = "opencatalog"
    # the CKAN release this portal's database was created by (states written before
    # the version was recorded were all 2.12.0); never changes once initialised
    ckan_version: str = "2.12.0"
    xloader: bool = False  # ckanext-xloader and its jobs worker
    web_workers: int = 1  # gunicorn worker processes (8 threads each)


class Layout:
    """Paths inside one state dir."""

    def __init__(self, state_dir: Path) -> None:
        self.root = state_dir.expanduser().resolve()
        self.state_file = self.root / STATE_FILE
        self.token_file = self.root / TOKEN_FILE
        self.logs = self.root / "logs"
        self.storage = self.root / "storage"
        self.ini = self.root / "ckan.ini"
        self.wsgi = self.root / "wsgi.py"
        self.schema = self.root / "schema" / "dataset.yaml"
        self.redis_dir = self.root / "redis"
        self.tmp = self.root / "tmp"

    def log(self, name: str) -> Path:
        return self.logs / f"{name}.log"


def load_state(layout: Layout) -> PortalState | None:
    if not layout.state_file.exists():
        return None
    data: dict[str, Any] = json.loads(layout.state_file.read_text(encoding="utf-8"))
    known = set(PortalState.__dataclass_fields__)
    return PortalState(**{k: v for k, v in data.items() if k in known})


def save_state(layout: Layout, state: PortalState) -> None:
    layout.root.mkdir(parents=True, exist_ok=True)
    tmp = layout.state_file.with_suffix(".tmp")
    # holds database passwords: owner-only
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        json.dump(asdict(state), fh, indent=2)
    os.replace(tmp, layout.state_file)


def write_secret_file(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(path, 0o600)
