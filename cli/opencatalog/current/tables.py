"""On a portal that runs xloader or DataPusher: are the tables OpenCatalog loaded still its own?

OpenCatalog sends each uploaded file's md5 as the resource's `hash`, so the loader's automatic
run skips the file (docs/datastore.md). A loader run forced by hand (the resource page's
"Upload to DataStore", `xloader_submit` with `ignore_hash`) still replaces the table, every
column as text, while the resource keeps OpenCatalog's load marker. Only on such a portal,
the plan therefore reads each table it would leave alone (one `datastore_search` with
`limit=0` per table) and plans a replace where its columns no longer match the Table Schema.
"""

from __future__ import annotations

from typing import Any

from opencatalog.ckan_client import CkanClient, NotFound
from opencatalog.current.read import CurrentState
from opencatalog.datastore import DatastoreError
from opencatalog.datastore.verify import check_fields
from opencatalog.datastore.xloader import header_matches
from opencatalog.desired.state import DesiredState
from opencatalog.plan.model import DatastoreStep, Plan

AUTO_LOADERS = ("xloader", "datapusher")
# A queued xloader job costs seconds before any row moves; below this, the API lane is
# chosen (a judgement, not a measurement: benchmarks/README.md, "DataStore lanes").
XLOADER_LANE_MIN_BYTES = 2_000_000


def auto_loaders(status: dict[str, Any] | None) -> list[str]:
    """The automatic DataStore loaders a portal runs, from its `status_show`."""
    return sorted(set(AUTO_LOADERS) & set((status or {}).get("extensions") or []))


def replace_tables_changed_on_portal(client: CkanClient, plan: Plan, desired: DesiredState,
                                     current: CurrentState) -> None:
    """Plan a replace for every table the plan leaves alone whose columns differ from its schema."""
    wanted = {(d.name, r.key): r for d in desired.datasets for r in d.resources
              if r.datastore is not None}
    for action in plan.actions:
        pkg = current.datasets.get(action.name) if action.kind == "dataset" else None
        if not pkg:
            continue
        active = {r["id"] for r in pkg.get("resources") or []
                  if r.get("datastore_active") in (True, "True", "true")}
        for step in action.resources:
            resource = wanted.get((action.name, step.key))
            if (resource is None or resource.datastore is None or step.datastore is not None
                    or step.resource_id not in active):
                continue
            try:
                page = client.call("datastore_search", resource_id=step.resource_id, limit=0)
                check_fields(resource.datastore.spec, page.get("fields") or [])
            except NotFound:
                reason = "the DataStore table is gone"
            except DatastoreError as exc:
                reason = f"table changed on the portal (e.g. reloaded by xloader): {exc}"
            else:
                continue
            step.datastore = DatastoreStep("replace", reason, public=not pkg.get("private"))


def use_xloader_lane(plan: Plan, desired: DesiredState) -> None:
    """On a portal that runs xloader: big UTF-8 CSV files whose header is the schema's go
    through it."""
    wanted = {(d.name, r.key): r for d in desired.datasets for r in d.resources}
    for action in plan.actions:
        for step in action.resources:
            resource = wanted.get((action.name, step.key))
            if (step.datastore is None or step.datastore.op == "delete" or resource is None
                    or resource.datastore is None or resource.file is None):
                continue
            if (not resource.datastore.workbook
                    and resource.datastore.encoding.lower().replace("_", "-") in ("utf-8", "utf8")
                    and resource.file.stat().st_size >= XLOADER_LANE_MIN_BYTES
                    and header_matches(resource.file, resource.datastore.spec)):
                step.datastore.lane = "xloader"
