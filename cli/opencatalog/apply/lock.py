"""One writer at a time on a dataset: a lock in its extras, taken before the first write.

CKAN has no compare-and-set an organization editor may use, so the lock is written, left to
settle, and read back (mutual exclusion with a delay): two writers that both saw the dataset
free both write their lock; after SETTLE seconds each reads it back and only the one whose
lock is there goes on, the other waits. This holds while a write lands within SETTLE seconds
of the read before it. A lock expires after EXPIRES seconds (a publish that died); the final
write of the dataset (or `release`) removes it. `--break-lock` ignores locks of others.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import time
import uuid
from collections.abc import Callable
from typing import Any

from opencatalog.bookkeeping import LOCK_KEY, extras_of
from opencatalog.ckan_client import CkanClient
from opencatalog.errors import OpenCatalogError

SETTLE = 2.0  # seconds between writing the lock and reading it back
EXPIRES = 600  # a lock older than this is stale
WAIT = 300  # how long a publish waits for another one before it gives up
POLL = 2.0


class DatasetLocked(OpenCatalogError):
    exit_code = 1


def new_holder() -> str:
    """Who this publish is, as shown to a publish that waits for it."""
    return f"{os.environ.get('USER', 'someone')}@{socket.gethostname()} pid {os.getpid()} " \
           f"run {uuid.uuid4().hex[:8]}"


def _lock(pkg: dict[str, Any]) -> dict[str, Any] | None:
    try:
        lock = json.loads(extras_of(pkg).get(LOCK_KEY) or "null")
    except ValueError:
        return None
    return lock if isinstance(lock, dict) and "holder" in lock else None


def _without_lock(pkg: dict[str, Any]) -> list[dict[str, Any]]:
    return [{"key": e["key"], "value": e.get("value")} for e in pkg.get("extras") or []
            if isinstance(e, dict) and e.get("key") != LOCK_KEY]


def acquire(client: CkanClient, package_id: str, holder: str, *, break_lock: bool = False,
            say: Callable[[str], None] | None = None, sleep: Callable[[float], None] = time.sleep,
            clock: Callable[[], float] = time.time) -> dict[str, Any]:
    """Take the dataset's lock; returns the dataset as read just before the lock was written
    (what another writer left, to tell whether the plan still holds)."""
    deadline = clock() + WAIT
    told = False
    while True:
        pkg = client.call("package_show", id=package_id)
        lock = _lock(pkg)
        if lock and lock["holder"] != holder and lock.get("expires", 0) > clock() \
                and not break_lock:
            since = dt.datetime.fromtimestamp(lock.get("since", 0), dt.UTC).isoformat()
            if clock() > deadline:
                raise DatasetLocked(
                    f"dataset '{pkg.get('name')}' is being published by {lock['holder']} "
                    f"(since {since}); gave up after {WAIT} s. Run publish again when it is "
                    "done, or with --break-lock if that publish is gone")
            if say and not told:
                say(f"waiting: dataset {pkg.get('name')} is being published by "
                    f"{lock['holder']} (since {since})")
                told = True
            sleep(POLL)
            continue
        before = pkg
        now = clock()
        mine = json.dumps({"holder": holder, "since": now, "expires": now + EXPIRES})
        client.call("package_patch", id=package_id, retry=True,
                    extras=[*_without_lock(pkg), {"key": LOCK_KEY, "value": mine}])
        sleep(SETTLE)
        pkg = client.call("package_show", id=package_id)
        lock = _lock(pkg)
        if lock and lock["holder"] == holder:
            return before


def release(client: CkanClient, package_id: str, holder: str) -> None:
    """Remove our lock (when the dataset's final write did not already)."""
    pkg = client.call("package_show", id=package_id)
    lock = _lock(pkg)
    if lock and lock["holder"] == holder:
        client.call("package_patch", id=package_id, retry=True, extras=_without_lock(pkg))
