"""Files replaced on the portal by hand since the last publish (read-only).

The `sha256` a resource records is what OpenCatalog uploaded; a file replaced through the
web form or `resource_patch` keeps that value while the portal serves other bytes. The size
CKAN reports for the upload tells most replacements at no cost; `--verify-files` downloads
and hashes every uploaded file (streamed) for a full check.
"""

from __future__ import annotations

from opencatalog.ckan_client import CkanClient
from opencatalog.current.read import CurrentState
from opencatalog.desired.mapping import RESOURCE_KEY
from opencatalog.desired.state import DesiredState

FILE_REPLACED = "__opencatalog_file_replaced__"  # set on the resource dict: why; never sent


def find_replaced_files(client: CkanClient, desired: DesiredState, current: CurrentState, *,
                        download: bool = False) -> int:
    """Mark the uploads whose file on the portal is not the one last published; returns how
    many files were downloaded and hashed."""
    hashed = 0
    for dataset in desired.datasets:
        pkg = current.datasets.get(dataset.name)
        if not pkg or pkg.get("__not_authorized__"):
            continue
        by_key = {r.get(RESOURCE_KEY): r for r in pkg.get("resources") or []}
        for resource in dataset.resources:
            have = by_key.get(resource.key)
            if resource.file is None or have is None or have.get("url_type") != "upload" \
                    or have.get("sha256") != resource.sha256:
                continue  # not ours, not an upload, or already to be uploaded
            local = resource.file.stat().st_size
            if download:
                size, digest = client.download(str(have.get("url") or ""))
                hashed += 1
                if digest != resource.sha256:
                    have[FILE_REPLACED] = (f"replaced on the portal since the last publish (it "
                                           f"serves {size} bytes with sha256 {digest[:12]}…)")
            elif isinstance(have.get("size"), int) and have["size"] != local:
                have[FILE_REPLACED] = (f"replaced on the portal since the last publish (it serves "
                                       f"{have['size']} bytes, the catalog's file has {local})")
    return hashed
