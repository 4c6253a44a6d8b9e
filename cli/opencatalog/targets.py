"""Publishing targets: where a name from catalog.yaml points, and the token to use.

Tokens never live in YAML: they come from OPENCATALOG_TOKEN_<TARGET>, CKAN_API_TOKEN,
or (for the `local` portal) the token file the portal wrote with mode 0600.
"""

from __future__ import annotations

import ipaddress
import os
import re
from dataclasses import dataclass, field
from urllib.parse import urlparse

from opencatalog.errors import OpenCatalogError
from opencatalog.model.catalog import Catalog


@dataclass(frozen=True)
class ResolvedTarget:
    name: str
    url: str
    profile: str
    token: str | None = field(repr=False, default=None)  # never printed


def token_env_name(target: str) -> str:
    return "OPENCATALOG_TOKEN_" + re.sub(r"[^A-Z0-9]", "_", target.upper())


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_url(url: str, target: str) -> None:
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise OpenCatalogError(f"target '{target}': '{url}' is not an http(s) URL")
    if parsed.scheme == "http" and not _is_loopback(parsed.hostname):
        raise OpenCatalogError(
            f"target '{target}': plain http:// is refused for {parsed.hostname} because the API "
            "token would travel unencrypted; use https:// (http is allowed only for loopback)")


def resolve_target(catalog: Catalog, name: str | None) -> ResolvedTarget:
    targets = catalog.config.targets
    name = name or ("local" if "local" in targets or not targets else next(iter(targets)))
    target = targets.get(name)
    if target is None and name != "local":
        raise OpenCatalogError(f"no target '{name}' in catalog/catalog.yaml "
                               f"(known: {', '.join(targets) or 'none'})")
    profile = (target.profile if target else None) or catalog.config.profile
    env_token = os.environ.get(token_env_name(name)) or os.environ.get("CKAN_API_TOKEN")
    if target is None or target.is_local:
        from opencatalog.portal import locate_local_portal

        portal = locate_local_portal()
        if portal is None:
            raise OpenCatalogError(
                "the local portal is not running; start it with `opencatalog portal up` "
                "(or set OPENCATALOG_PORTAL_STATE_DIR to where it runs)")
        return ResolvedTarget(name=name, url=portal.url, token=env_token or portal.token(),
                              profile=(target.profile if target else None) or portal.profile)
    check_url(target.url, name)
    return ResolvedTarget(name=name, url=target.url.rstrip("/"), token=env_token, profile=profile)
