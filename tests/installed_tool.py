"""Session fixture: OpenCatalog built as a wheel and installed into a fresh virtualenv, outside
this repository, as an agency would install it.

Registered as a plugin by tests/conftest.py, so the CLI tests (tests/cli/test_installed_wheel.py)
and the integration test that publishes an init'd catalog share one build.

The wheel is built from a copy of the package sources (pyproject.toml, README.md, cli/) so the
build never writes into the working tree; pip resolves the dependencies with its own
configuration (its index and find-links) and its cache, as `pip install` would for a user.
Measured (2 cores, other tests running): with the virtualenv's own pip (ensurepip) and
byte-compiling, 79 s in all; as below, 45-65 s (build 16 s, install 25-48 s), most of it pip
asking its indexes (pypi.org among them) about each dependency.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


@dataclass
class InstalledTool:
    wheel: Path
    source: Path  # the copy of the sources the wheel was built from
    venv: Path
    seconds: dict[str, float] = field(default_factory=dict)  # build, venv, install

    @property
    def command(self) -> Path:
        return self.venv / "bin" / "opencatalog"

    def env(self, **extra: str) -> dict[str, str]:
        """An environment that sees the fresh virtualenv only (no PYTHONPATH, no repo venv)."""
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
        env["PATH"] = f"{self.venv / 'bin'}{os.pathsep}/usr/bin:/bin"
        return {**env, **extra}

    def run(self, *args: str | Path, cwd: Path, timeout: float = 300,
            **env: str) -> subprocess.CompletedProcess:
        return subprocess.run([str(self.command), *map(str, args)], cwd=cwd, env=self.env(**env),
                              capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)


def _run(args: list[str], **kwargs) -> None:
    done = subprocess.run(args, capture_output=True, text=True, timeout=900, **kwargs)
    if done.returncode != 0:
        pytest.fail(f"{' '.join(args)} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}",
                    pytrace=False)


@pytest.fixture(scope="session")
def installed_tool(tmp_path_factory: pytest.TempPathFactory) -> InstalledTool:
    base = tmp_path_factory.mktemp("installed-tool")
    seconds: dict[str, float] = {}

    start = time.monotonic()
    source = base / "src"
    source.mkdir()
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, source / name)
    shutil.copytree(REPO / "cli", source / "cli",
                    ignore=shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc"))
    dist = base / "dist"
    _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist),
          str(source)])
    (wheel,) = dist.glob("opencatalog-*.whl")
    seconds["build"] = time.monotonic() - start

    start = time.monotonic()
    venv = base / "venv"
    # the interpreter this virtualenv is built on, not the repository's .venv; without a pip of
    # its own (ensurepip takes longer than the rest): the running pip installs into it
    python = getattr(sys, "_base_executable", None) or sys.executable
    _run([python, "-m", "venv", "--without-pip", str(venv)])
    seconds["venv"] = time.monotonic() - start

    start = time.monotonic()
    # --no-compile: byte-compiling every dependency doubles the time and tests nothing
    _run([sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
          "--quiet", "--no-compile", "--disable-pip-version-check", str(wheel)], cwd=base)
    seconds["install"] = time.monotonic() - start
    tool = InstalledTool(wheel=wheel, source=source, venv=venv, seconds=seconds)
    print(f"[installed-tool] {wheel.name}: " +
          ", ".join(f"{k} {v:.1f} s" for k, v in seconds.items()))
    return tool
