"""What a resource made by hand does not record: the sha256 of the file uploaded to it.

`opencatalog import` writes the id of such a resource into the YAML (`id:`). Before the
first publish matches it, the plan needs to know whether the catalog's file is the one on
the portal (then only the sha256 is recorded) or not (then it is uploaded): this streams
the portal's copy through sha256 once (read-only, nothing kept on disk).
"""

from __future__ import annotations

from opencatalog.ckan_client import CkanClient
from opencatalog.current.read import CurrentState
from opencatalog.desired.mapping import RESOURCE_KEY
from opencatalog.desired.state import DesiredState

PORTAL_FILE_SHA256 = "__opencatalog_portal_sha256__"  # set on the resource dict, never sent


def hash_uploads_made_by_hand(client: CkanClient, desired: DesiredState,
                              current: CurrentState) -> int:
    """Hash the portal's copy of each upload the catalog matches by id; returns how many."""
    hashed = 0
    for dataset in desired.datasets:
        pkg = current.datasets.get(dataset.name)
        if not pkg or pkg.get("__not_authorized__"):
            continue
        by_id = {r.get("id"): r for r in pkg.get("resources") or []}
        for resource in dataset.resources:
            have = by_id.get(resource.portal_id) if resource.portal_id else None
            if have is None or resource.file is None or have.get(RESOURCE_KEY) \
                    or have.get("sha256") or have.get("url_type") != "upload":
                continue
            _, have[PORTAL_FILE_SHA256] = client.download(str(have.get("url") or ""))
            hashed += 1
    return hashed
