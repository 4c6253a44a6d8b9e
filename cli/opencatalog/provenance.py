"""Where a publish came from: repository, commit, CI run or pull request, tool version, time.

Stored on every dataset a publish writes (the extra `opencatalog_provenance`, see
bookkeeping.py), so a reviewer or an auditor can trace a portal value back to its change.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from opencatalog import __version__
from opencatalog.redaction import redact


@dataclass(frozen=True)
class Provenance:
    tool: str
    published_at: str  # UTC, ISO 8601
    repository: str | None = None
    commit: str | None = None
    dirty: bool = False  # published from a working tree with uncommitted changes
    ci_run: str | None = None  # the GitHub Actions run
    pull_request: str | None = None

    def to_json(self) -> str:
        return json.dumps({k: v for k, v in asdict(self).items() if v not in (None, False)},
                          ensure_ascii=False, sort_keys=True)

    @staticmethod
    def parse(text: Any) -> dict[str, Any]:
        try:
            data = json.loads(text) if isinstance(text, str) else None
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}


def describe(record: dict[str, Any]) -> str:
    """One line for a plan: who published last, from what."""
    what = str(record.get("commit") or "")[:12] or "an unknown commit"
    if record.get("dirty"):
        what += " with uncommitted changes"
    where = record.get("pull_request") or record.get("ci_run") or record.get("repository")
    return (f"last published from {what}" + (f" ({where})" if where else "")
            + (f" at {record['published_at']}" if record.get("published_at") else "")
            + (f" by opencatalog {record['tool']}" if record.get("tool") else ""))


def _git(root: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def _without_credentials(url: str | None) -> str | None:
    # https://user:token@host/... -> https://host/...
    return redact(re.sub(r"(?<=://)[^/@]+@", "", url)) if url else None


def collect(root: Path, env: dict[str, str] | None = None,
            now: dt.datetime | None = None) -> Provenance:
    env = dict(os.environ) if env is None else env
    server = env.get("GITHUB_SERVER_URL", "https://github.com")
    github_repo = env.get("GITHUB_REPOSITORY")
    repository = (f"{server}/{github_repo}" if github_repo else
                  _without_credentials(_git(root, "remote", "get-url", "origin")))
    ci_run = (f"{server}/{github_repo}/actions/runs/{env['GITHUB_RUN_ID']}"
              if github_repo and env.get("GITHUB_RUN_ID") else None)
    pr = re.match(r"refs/pull/(\d+)/", env.get("GITHUB_REF", ""))
    status = _git(root, "status", "--porcelain", "--", "catalog", "datapackages")
    return Provenance(
        tool=__version__,
        published_at=(now or dt.datetime.now(dt.UTC)).replace(microsecond=0).isoformat(),
        repository=repository,
        commit=env.get("GITHUB_SHA") or _git(root, "rev-parse", "HEAD"),
        dirty=bool(status),
        ci_run=ci_run,
        pull_request=f"{server}/{github_repo}/pull/{pr.group(1)}" if pr and github_repo else None,
    )
