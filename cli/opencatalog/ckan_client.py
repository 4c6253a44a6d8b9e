"""A CKAN Action API client on top of ckanapi: retries, streamed uploads, call counts.

ckanapi's `call_action(files=...)` lets requests build the whole multipart body in
memory (RSS grows with the file); uploads here stream a MultipartEncoder instead.
"""

from __future__ import annotations

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

from opencatalog import USER_AGENT
from opencatalog.errors import OpenCatalogError

__all__ = ["CkanClient", "NotAuthorized", "NotFound", "PortalUnavailable", "ValidationError"]

READ_ACTIONS_PREFIXES = ("package_show", "organization_show", "group_show", "package_search",
                         "status_show", "organization_list", "group_list", "package_list",
                         "datastore_search", "user_show", "resource_show", "datastore_info", "xloader_status",
                         "scheming_dataset_schema_show")


class PortalUnavailable(OpenCatalogError):
    """The portal did not answer (connection refused, timeout, 5xx) after retries."""


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
        """`text` with the API token blanked out, for messages and logs."""
        return text.replace(self._token, "***") if self._token else text

    def call(self, action: str, *, retry: bool | None = None, **data: Any) -> Any:
        """Call an action; retry transport failures when the call is safe to repeat.

        Reads are always safe; a write is retried only when the caller says so
        (creates are checked by the caller before they are tried again).
        """
        safe = action.startswith(READ_ACTIONS_PREFIXES) if retry is None else retry
        return self._with_retries(action, safe, lambda: self._ckan().call_action(
            action, data, requests_kwargs={"timeout": self._timeout}))

    def _with_retries(self, action: str, safe: bool, fn: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            attempt += 1
            self._count(action)
            try:
                return fn()
            except (NotFound, NotAuthorized, ValidationError):
                raise
            except (requests.ConnectionError, requests.Timeout, CKANAPIError) as exc:
                transient = not isinstance(exc, CKANAPIError) or _is_5xx(exc)
                if not transient:
                    raise
                if not safe or attempt > self._retries:
                    raise PortalUnavailable(
                        f"{self.url} did not answer {action}: {self.redact(_short(exc))}") from None
                self._sleep(self._backoff * 2 ** (attempt - 1))

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


_STATUS = re.compile(r"^\['[^']*', (\d{3}),")


def _is_5xx(exc: CKANAPIError) -> bool:
    """ckanapi puts repr([url, status, body]) in the message of unrecognised errors."""
    match = _STATUS.match(str(exc))
    return bool(match) and match.group(1).startswith("5")


def _short(exc: Exception) -> str:
    text = str(exc)
    return text if len(text) < 300 else text[:300] + "…"
