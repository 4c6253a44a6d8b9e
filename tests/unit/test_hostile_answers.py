"""Answers that are not CKAN's Action API, from a local fault server: a clear error, the
token never shown (whole or any 12-character piece), never exit 3."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from catalog_builder import VALID_FILES
from opencatalog.ckan_client import CkanClient, PortalAnswerError, PortalUnavailable
from opencatalog.redaction import PIECE, redact, register

TOKEN = "eyJ0eXAiOiJKV1QiLCJhbGciOiJIUzI1NiJ9.c2VjcmV0LXRva2VuLW9mLXRoZS1zdGV3YXJkLTEyMzQ1Njc4OTA"
STATUS_OK = b'{"success": true, "result": {"ckan_version": "2.10.7", "extensions": []}}'


class Fault(BaseHTTPRequestHandler):
    hits: dict[str, int] = {}

    def log_message(self, *args) -> None:  # quiet
        pass

    def _send(self, status: int, body: bytes, ctype: str = "text/html",
              headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        case = self.path.strip("/").split("/")[0]
        Fault.hits[case] = Fault.hits.get(case, 0) + 1
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        echo = "".join(f"<tr><td>{k}</td><td>{v}</td></tr>" for k, v in self.headers.items())
        if case == "echo403":
            self._send(403, f"<html><body><h1>Forbidden</h1><table>{echo}</table></body></html>"
                       .encode())
        elif case == "echo500":  # the token crosses the 300th character of the message
            self._send(500, f"<html><body>{'x' * 200}<table>{echo}</table></body></html>".encode())
        elif case == "wrongpath":
            self._send(405, b"<!doctype html><title>405 Method Not Allowed</title>")
        elif case == "redirect":
            self._send(307, b'<a href="https://portal.example.go.th/">Redirecting</a>',
                       headers={"Location": "https://portal.example.go.th/"})
        elif case == "truncated":
            self._send(200, STATUS_OK[:30], "application/json")
        elif case == "drop-once" and Fault.hits[case] == 1:
            self.send_response(200)
            self.send_header("Content-Length", "500")
            self.end_headers()
            self.wfile.write(b'{"success": tr')
            self.wfile.flush()
            self.connection.close()
        else:
            self._send(200, STATUS_OK, "application/json")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Fault)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


def client(url: str) -> CkanClient:
    return CkanClient(url, TOKEN, retries=2, sleep=lambda _: None)


def assert_no_secret(text: str) -> None:
    assert TOKEN not in text
    for i in range(len(TOKEN) - PIECE + 1):
        assert TOKEN[i:i + PIECE] not in text, f"a piece of the token is shown: {TOKEN[i:i + PIECE]}"


@pytest.mark.parametrize("case,error,says", [
    ("echo403", PortalAnswerError, "refused the call"),
    ("echo500", PortalUnavailable, "did not answer"),
    ("wrongpath", PortalAnswerError, "does not look like a CKAN portal"),
    ("redirect", PortalAnswerError, "https://portal.example.go.th/"),
    ("truncated", PortalUnavailable, "did not answer"),
])
def test_each_bad_answer_is_a_clear_error_without_the_token(server, case, error, says) -> None:
    with pytest.raises(error) as raised:
        client(f"{server}/{case}").call("status_show")
    message = str(raised.value)
    assert says in message
    assert_no_secret(message)


def test_a_read_dropped_mid_answer_is_retried(server) -> None:
    c = client(f"{server}/drop-once")
    assert c.call("status_show")["ckan_version"] == "2.10.7"
    assert c.calls["status_show"] == 2


def test_https_to_a_plain_http_port_fails_fast_with_a_hint(server) -> None:
    started = time.monotonic()
    with pytest.raises(PortalAnswerError) as raised:
        client(server.replace("http://", "https://")).call("status_show")
    assert time.monotonic() - started < 15
    assert "http://" in str(raised.value)


def test_redaction_blanks_pieces_and_happens_before_the_cut() -> None:
    register(TOKEN)
    cut = "header: " + TOKEN[:40] + " and " + TOKEN[-20:] + " end"
    assert_no_secret(redact(cut))
    assert redact("no secret here") == "no secret here"


@pytest.mark.parametrize("debug", [False, True])
def test_the_cli_never_prints_the_token(server, make_catalog, invoke, monkeypatch, debug) -> None:
    catalog_yaml = VALID_FILES["catalog/catalog.yaml"] + \
        f"  gateway:\n    url: {server}/echo403\n"
    root = make_catalog({"catalog/catalog.yaml": catalog_yaml})
    monkeypatch.setenv("OPENCATALOG_TOKEN_GATEWAY", TOKEN)
    args = ["--debug"] if debug else []
    run = invoke(*args, "plan", "--root", root, "--target", "gateway")
    assert run.exit_code in (1, 2), run.stdout + run.stderr
    output = run.stdout + run.stderr
    assert "internal error" not in output and "refused the call" in output
    assert_no_secret(output)
