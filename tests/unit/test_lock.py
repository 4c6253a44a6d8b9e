"""apply/lock.py: mutual exclusion with a delay, on a dataset's extras (a fake portal here;
tests/integration/test_trust.py races two real publishes)."""

from __future__ import annotations

import json
import threading
from typing import Any

import pytest

from opencatalog.apply import lock
from opencatalog.bookkeeping import LOCK_KEY, extras_of


class FakePortal:
    """package_show / package_patch of one dataset's extras, as CKAN answers them."""

    def __init__(self) -> None:
        self.pkg: dict[str, Any] = {"id": "p1", "name": "ds", "extras": [{"key": "a", "value": "1"}]}
        self.guard = threading.Lock()

    def call(self, action: str, **data: Any) -> Any:
        with self.guard:
            if action == "package_show":
                return json.loads(json.dumps(self.pkg))
            assert action == "package_patch"
            self.pkg["extras"] = data["extras"]
            return self.pkg


def test_two_writers_that_both_saw_it_free_end_with_one_holder(monkeypatch) -> None:
    portal = FakePortal()
    monkeypatch.setattr(lock, "SETTLE", 0.3)
    monkeypatch.setattr(lock, "POLL", 0.05)
    barrier = threading.Barrier(2)
    holders: list[str] = []
    order: list[str] = []

    def publish(name: str) -> None:
        barrier.wait()
        lock.acquire(portal, "p1", name)  # type: ignore[arg-type]
        order.append(f"{name} in")
        holders.append(json.loads(extras_of(portal.pkg)[LOCK_KEY])["holder"])
        lock.release(portal, "p1", name)  # type: ignore[arg-type]
        order.append(f"{name} out")

    threads = [threading.Thread(target=publish, args=(n,)) for n in ("A", "B")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert sorted(holders) == ["A", "B"]
    assert order[1].endswith("out") and order[3].endswith("out")  # never both inside
    assert extras_of(portal.pkg) == {"a": "1"}  # released; other extras kept


def test_a_held_lock_makes_the_other_wait_then_give_up_with_who_holds_it(monkeypatch) -> None:
    portal = FakePortal()
    monkeypatch.setattr(lock, "SETTLE", 0)
    monkeypatch.setattr(lock, "EXPIRES", 1e12)
    lock.acquire(portal, "p1", "steward@laptop")  # type: ignore[arg-type]
    said: list[str] = []
    now = [1e10]

    def sleep(seconds: float) -> None:
        now[0] += seconds

    with pytest.raises(lock.DatasetLocked) as err:
        lock.acquire(portal, "p1", "ci", say=said.append, sleep=sleep,  # type: ignore[arg-type]
                     clock=lambda: now[0])
    assert "steward@laptop" in str(err.value) and "--break-lock" in str(err.value)
    assert said and "waiting" in said[0]
    lock.acquire(portal, "p1", "ci", break_lock=True)  # type: ignore[arg-type]
    assert json.loads(extras_of(portal.pkg)[LOCK_KEY])["holder"] == "ci"


def test_a_stale_lock_is_taken_over(monkeypatch) -> None:
    portal = FakePortal()
    monkeypatch.setattr(lock, "SETTLE", 0)
    stale = json.dumps({"holder": "gone", "since": 0, "expires": 1})
    portal.pkg["extras"].append({"key": LOCK_KEY, "value": stale})
    lock.acquire(portal, "p1", "me")  # type: ignore[arg-type]
    assert json.loads(extras_of(portal.pkg)[LOCK_KEY])["holder"] == "me"
