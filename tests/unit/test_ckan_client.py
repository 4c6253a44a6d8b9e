"""The CKAN client without a portal: retries, and the token never reaching a message."""

from __future__ import annotations

import pytest
import requests

from opencatalog.apply.errors import failure_findings
from opencatalog.ckan_client import CkanClient, PortalUnavailable
from opencatalog.plan.model import Action

TOKEN = "secret-token-1234567890"


def test_unreachable_portal_is_retried_then_reported_without_token(monkeypatch):
    client = CkanClient("http://127.0.0.1:9", TOKEN, retries=2, sleep=lambda s: None)

    def refuse(*args, **kwargs):
        raise requests.ConnectionError(f"refused while sending Authorization: {TOKEN}")

    monkeypatch.setattr(client._ckan(), "call_action", refuse)
    with pytest.raises(PortalUnavailable) as caught:
        client.call("package_show", id="x")
    assert TOKEN not in str(caught.value) and "***" in str(caught.value)
    assert client.calls["package_show"] == 3  # first try + 2 retries
    assert client.reads == 3 and client.writes == 0


def test_unsafe_write_is_not_retried(monkeypatch):
    client = CkanClient("http://127.0.0.1:9", TOKEN, retries=3, sleep=lambda s: None)
    monkeypatch.setattr(client._ckan(), "call_action",
                        lambda *a, **k: (_ for _ in ()).throw(requests.Timeout("slow")))
    with pytest.raises(PortalUnavailable):
        client.call("package_create", name="x")
    assert client.calls["package_create"] == 1


def test_unexpected_failure_message_is_redacted():
    client = CkanClient("http://127.0.0.1:9", TOKEN)
    action = Action(kind="dataset", name="d", op="create", file="catalog/datasets/d.yaml")
    [finding] = failure_findings(action, RuntimeError(f"boom {TOKEN}"), None, client)
    assert TOKEN not in finding.message and "***" in finding.message
    assert finding.file == "catalog/datasets/d.yaml"
