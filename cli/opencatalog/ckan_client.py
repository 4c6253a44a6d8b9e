"""A CKAN Action API client on top of ckanapi: retries, streamed uploads, call counts.

ckanapi's `call_action(files=...)` lets requests build the whole multipart body in
memory (RSS grows with the file); uploads here stream a MultipartEncoder instead.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
from ckanapi import RemoteCKAN
from ckanapi.common import reverse_apicontroller_action
from ckanapi.errors import CKANAPIError, NotAuthorized, NotFound, ValidationError
from requests_toolbelt.multipart.encoder import MultipartEncoder

from opencatalog import USER_AGENT, redaction
from opencatalog.errors import OpenCatalogError

__all__ = ["CkanClient", "NotAuthorized", "NotFound", "PortalUnavailable", "ValidationError"]

READ_ACTIONS_PREFIXES = ("package_show", "organization_show", "group_show", "package_search",
                         "status_show", "organization_list", "group_list", "package_list",
                         "datastore_search", "user_show", "resource_show", "datastore_info", "xloader_status",
                         "scheming_dataset_schema_show", "download")


class PortalUnavailable(OpenCatalogError):
    """The portal did not answer (connection refused, timeout, 5xx) after retries."""


class PortalAnswerError(OpenCatalogError):
    """The address answered, but not as CKAN's Action API does (a web page, a redirect, a
    proxy's refusal, a wrong path): a problem of the target's URL or of what is in front."""


# Failures of the connection itself: worth another try for a call that is safe to repeat.
_TRANSPORT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError,
              requests.exceptions.ContentDecodingError)


class CkanClient:
    def __init__(self, url: str, token: str | None, *, timeout: float = 60, retries: int = 4,
                 backoff: float = 0.5, sleep: Callable[[float], None] = time.sleep) -> None:
        self.url = url.rstrip("/")
        self._token = token
        self._timeout = timeout
        self._retries = retries
        self._backoff = backoff
        self._sleep = sleep
        self._local = threading.local()
        self._lock = threading.Lock()
        self.calls: Counter[str] = Counter()  # action name -> count
        redaction.register(token)

    def _ckan(self) -> RemoteCKAN:
        # requests.Session is not thread-safe: one RemoteCKAN per worker thread.
        ckan = getattr(self._local, "ckan", None)
        if ckan is None:
            ckan = RemoteCKAN(self.url, apikey=self._token, user_agent=USER_AGENT)
            self._local.ckan = ckan
        return ckan

    @property
    def reads(self) -> int:
        return sum(n for a, n in self.calls.items() if a.startswith(READ_ACTIONS_PREFIXES))

    @property
    def writes(self) -> int:
        return sum(self.calls.values()) - self.reads

    def _count(self, action: str) -> None:
        with self._lock:
            self.calls[action] += 1

    @property
    def authenticated(self) -> bool:
        """Calls carry an API token (the portal answers as that token's user)."""
        return bool(self._token)

    def redact(self, text: str) -> str:
        """`text` with the API token (and any secret) blanked out, for messages and logs."""
        return redaction.redact(text)

    def call(self, action: str, *, retry: bool | None = None, **data: Any) -> Any:
        """Call an action; retry transport failures when the call is safe to repeat.

        Reads are always safe; a write is retried only when the caller says so
        (creates are checked by the caller before they are tried again).
        """
        safe = action.startswith(READ_ACTIONS_PREFIXES) if retry is None else retry
        return self._with_retries(action, safe, lambda: self._ckan().call_action(
            action, data, requests_kwargs={"timeout": (CONNECT_TIMEOUT, self._timeout)}))

    def _with_retries(self, action: str, safe: bool, fn: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            attempt += 1
            self._count(action)
            try:
                return fn()
            except (NotFound, NotAuthorized, ValidationError):
                raise
            except requests.exceptions.SSLError as exc:  # not worth a retry
                raise PortalAnswerError(
                    f"{self.url}: the secure (https) connection failed for {action}: "
                    f"{redaction.shorten(str(exc))}. If the portal serves plain http on this "
                    "port, write http:// in the target's url") from None
            except (*_TRANSPORT, CKANAPIError) as exc:
                status, body = _answer(exc) if isinstance(exc, CKANAPIError) else (0, "")
                # a dropped connection, 5xx, or a body cut short (200 without valid JSON)
                transient = status == 0 or (status is not None and status >= 500) or (
                    status == 200 and not _is_page(body))
                if not transient:
                    raise PortalAnswerError(_explain(self.url, action, status, body)) from None
                if not safe or attempt > self._retries:
                    raise PortalUnavailable(
                        f"{self.url} did not answer {action}: {redaction.shorten(str(exc))}"
                    ) from None
                self._sleep(self._backoff * 2 ** (attempt - 1))

    def download(self, url: str, dest: Path | None = None, *,
                 chunk_bytes: int = 1024 * 1024) -> tuple[int, str]:
        """Stream the file at `url` (a resource's download link) into `dest` (None: only hash
        it); returns its size and sha256. The token goes along only to this portal's URLs."""

        def fetch() -> tuple[int, str]:
            headers = {"User-Agent": USER_AGENT}
            if self._token and url.startswith(self.url + "/"):
                headers["Authorization"] = self._token
            ckan = self._ckan()
            if ckan.session is None:
                ckan.session = requests.Session()
            with ckan.session.get(url, headers=headers, stream=True,
                                  timeout=self._timeout) as response:
                if response.status_code == 404:
                    raise NotFound(url)
                if response.status_code in (401, 403):
                    raise NotAuthorized(url)
                if response.status_code >= 500:
                    raise requests.ConnectionError(f"{response.status_code} from {url}")
                if response.status_code >= 400:
                    raise OpenCatalogError(f"{url} answered {response.status_code}")
                digest, size = hashlib.sha256(), 0
                with (dest.open("wb") if dest else contextlib.nullcontext()) as out:
                    for chunk in response.iter_content(chunk_bytes):
                        digest.update(chunk)
                        size += len(chunk)
                        if out is not None:
                            out.write(chunk)
                return size, digest.hexdigest()

        return self._with_retries("download", True, fetch)

    def upload(self, action: str, data: dict[str, Any], file: Path, filename: str,
               *, retry: bool = False) -> Any:
        """resource_create / resource_update with the file streamed from disk."""

        def send() -> Any:
            with file.open("rb") as handle:
                fields: list[tuple[str, Any]] = []
                for key, value in data.items():
                    if value is None:
                        continue
                    if isinstance(value, list):  # a form repeats the key for each choice
                        fields.extend((key, str(v)) for v in value)
                    elif isinstance(value, str):
                        fields.append((key, value))
                    else:
                        fields.append((key, json.dumps(value, ensure_ascii=False)))
                fields.append(("upload", (filename, handle, "application/octet-stream")))
                body = MultipartEncoder(fields=fields)
                headers = {"Content-Type": body.content_type, "User-Agent": USER_AGENT}
                if self._token:
                    headers["Authorization"] = self._token
                url = f"{self.url}/api/action/{action}"
                ckan = self._ckan()
                if ckan.session is None:  # ckanapi opens it lazily; share it with call()
                    ckan.session = requests.Session()
                session = ckan.session
                response = session.post(url, data=body, headers=headers, timeout=self._timeout,
                                        allow_redirects=False)
                return reverse_apicontroller_action(url, response.status_code, response.text)

        return self._with_retries(action, retry, send)


_ANSWER = re.compile(r"^\['[^']*', (\d{3}), (.*)\]$", re.DOTALL)
CONNECT_TIMEOUT = 10  # seconds to connect (and finish a TLS handshake); reads get `timeout`


def _answer(exc: CKANAPIError) -> tuple[int | None, str]:
    """ckanapi puts repr([url, status, body]) in the message of answers it cannot read."""
    match = _ANSWER.match(str(exc))
    return (int(match.group(1)), match.group(2)) if match else (None, str(exc))


def _is_page(body: str) -> bool:
    head = body[:2000].lower()
    return "<html" in head or "<!doctype" in head or "<head" in head


def _explain(url: str, action: str, status: int | None, body: str) -> str:
    """What a non-API answer means, and what to check; secrets are blanked before the cut."""
    if status is None:  # an API error ckanapi names itself (a search error, ...)
        return f"{url} answered {action} with an error: {redaction.shorten(body)}"
    seen = f"HTTP {status}" + (", a web page instead of the API's JSON" if _is_page(body) else "")
    if status in (301, 302, 303, 307, 308):
        where = re.search(r"""href=\\?["']([^"'\\]+)""", body)
        to = f" to {redaction.shorten(where.group(1), 120)}" if where else ""
        hint = ("the target's url redirects" + to + "; write the address it redirects to "
                "(https instead of http, or without a trailing path) in catalog/catalog.yaml")
    elif status in (404, 405):
        hint = ("this address does not look like a CKAN portal's root (the Action API lives at "
                "<url>/api/3/action/); check the target's url: the portal's home page, without "
                "/api, /dataset or other paths")
    elif status in (401, 403):
        hint = ("something in front of CKAN refused the call (a proxy, a firewall or a login "
                "page); check that the url reaches CKAN itself and that the token is a CKAN API "
                "token of a user of this portal")
    else:
        hint = "check the target's url, and any proxy or login page in front of the portal"
    return f"{url} answered {action} with {seen}: {hint}"
