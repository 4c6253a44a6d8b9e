"""Reads the portal's current state with read-only calls."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from opencatalog.bookkeeping import is_owned
from opencatalog.ckan_client import CkanClient, NotAuthorized, NotFound
from opencatalog.desired.state import DesiredState


@dataclass
class CurrentState:
    organizations: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    groups: dict[str, dict[str, Any] | None] = field(default_factory=dict)
    datasets: dict[str, dict[str, Any] | None] = field(default_factory=dict)  # None = absent
    owned_elsewhere: list[dict[str, Any]] = field(default_factory=list)  # owned, not in catalog
    # What the token's user may do, per organization (None: not asked, e.g. without a token):
    # publish datasets (editor or admin) and change the organization itself (admin).
    dataset_organizations: set[str] | None = None
    admin_organizations: set[str] | None = None


def _show(client: CkanClient, action: str, name: str, **extra: Any) -> dict[str, Any] | None:
    try:
        return client.call(action, id=name, **extra)
    except NotFound:
        return None
    except NotAuthorized:
        # A private dataset of an organization we cannot read looks like this.
        return {"name": name, "__not_authorized__": True}


def read_current(client: CkanClient, desired: DesiredState, *, workers: int = 4,
                 find_owned: bool = False) -> CurrentState:
    state = CurrentState()
    if client.authenticated:
        def organizations_where(permission: str) -> set[str]:
            # a sysadmin gets every organization; a user without the role in one does not get it
            return {org["name"] for org in
                    client.call("organization_list_for_user", permission=permission)}

        state.dataset_organizations = organizations_where("create_dataset")
        state.admin_organizations = organizations_where("manage_group")
    for owner in desired.organizations:
        state.organizations[owner.name] = _show(client, "organization_show", owner.name,
                                                include_datasets=False)
    for owner in desired.groups:
        state.groups[owner.name] = _show(client, "group_show", owner.name, include_datasets=False)
    names = [d.name for d in desired.datasets]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for name, pkg in zip(names, pool.map(lambda n: _show(client, "package_show", n), names),
                             strict=True):
            state.datasets[name] = pkg
    if find_owned:
        wanted = set(names)
        for org in desired.organizations:
            if state.organizations.get(org.name) is None:
                continue
            start = 0
            while True:
                page = client.call("package_search", fq=f"organization:{org.name}",
                                   include_private=True, rows=500, start=start)
                for pkg in page["results"]:
                    if pkg["name"] not in wanted and is_owned(pkg):
                        state.owned_elsewhere.append(pkg)
                start += len(page["results"])
                if not page["results"] or start >= page["count"]:
                    break
    return state
