"""A real local CKAN portal (CKAN + PostgreSQL + Redis on 127.0.0.1).

See docs/portal.md. Public API used by the CLI and the integration tests.
"""
from __future__ import annotations

from .core import (
    LocalPortalInfo,
    locate_local_portal,
    portal_down,
    portal_status,
    portal_up,
    purge_portal,
    start_ckan,
    stop_ckan,
)
from .state import PortalError, default_state_dir

__all__ = [
    "LocalPortalInfo",
    "PortalError",
    "default_state_dir",
    "locate_local_portal",
    "portal_down",
    "portal_status",
    "portal_up",
    "purge_portal",
    "start_ckan",
    "stop_ckan",
]
