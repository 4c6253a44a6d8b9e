"""The DataStore part of applying a dataset: load, replace or drop its resources' tables.

Visibility: a table filled by several calls is half-loaded between them, and the Action
API has no way to swap a table in at once.  So when a dataset is public and one of its
tables needs more than one call, the dataset is made private first and public again
only after every table is loaded and verified (a new dataset is private anyway until its
last call).  A failed load drops its partial table; see docs/datastore.md.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass

from opencatalog.ckan_client import CkanClient, NotAuthorized, PortalUnavailable
from opencatalog.datastore import MARKER_FIELD, DatastoreError
from opencatalog.datastore.load import LoadResult, drop_table, load_table, marker
from opencatalog.datastore.rows import RowDigest, read_batches
from opencatalog.datastore.verify import verify_table
from opencatalog.datastore.xloader import load_with_xloader
from opencatalog.desired.state import DesiredDataset, DesiredResource
from opencatalog.plan.model import Action, ResourceAction

Progress = Callable[[str], None]


@dataclass
class Visibility:
    """Whether this run made the dataset private to hide a load in progress."""

    client: CkanClient
    package_id: str
    hidden: bool = False
    partial_left: bool = False  # a partial table could not be dropped: stay private

    def hide(self) -> None:
        if not self.hidden:
            self.client.call("package_patch", id=self.package_id, private=True, retry=True)
            self.hidden = True

    def show_after_failure(self) -> None:
        if not self.hidden or self.partial_left:
            return
        try:
            self.client.call("package_patch", id=self.package_id, private=False, retry=True)
            self.hidden = False
        except Exception:  # noqa: BLE001 - the load's own error is the one to report
            pass


def _load(client: CkanClient, step: ResourceAction, resource: DesiredResource, resource_id: str,
          visibility: Visibility, progress: Progress | None, label: str) -> None:
    assert resource.datastore is not None and resource.file is not None and step.datastore
    spec = resource.datastore.spec

    def report(rows: int) -> None:
        if progress:
            progress(f"{label}: {rows:,} rows loaded into the DataStore")

    try:
        result = _through_xloader(client, step, resource, resource_id, visibility, progress,
                                  label) if step.datastore.lane == "xloader" else None
        if result is None:
            result = load_table(
                client, resource_id, resource.file, spec, encoding=resource.datastore.encoding,
            sheet=(resource.datastore.sheet or 1) if resource.datastore.workbook else None,
                replace=step.datastore.op == "replace" or step.datastore.lane == "xloader",
                progress=report,
                before_many_calls=visibility.hide if step.datastore.public else None)
            verify_table(client, resource_id, spec, result)
    except Exception:
        # Never leave a partial table behind: without a table the resource has no preview,
        # which is better than a wrong one; the next publish loads it again.
        try:
            drop_table(client, resource_id)
        except Exception:  # noqa: BLE001 - the load's own error is the one to report
            visibility.partial_left = True
        raise
    client.call("resource_patch", id=resource_id, retry=True,
                **{MARKER_FIELD: marker(resource.sha256 or "", spec.fields_hash, result)})
    if progress:
        progress(f"{label}: DataStore verified ({result.rows:,} rows)")


def _adopt(client: CkanClient, step: ResourceAction, resource: DesiredResource, resource_id: str,
           visibility: Visibility, progress: Progress | None, label: str) -> None:
    """A table made on the portal (an adopted resource): when its columns and every row equal
    the file's, only the marker is written; otherwise it is replaced."""
    assert resource.datastore is not None and resource.file is not None and step.datastore
    spec = resource.datastore.spec
    digest = RowDigest([c.ds_type for c in spec.columns])
    for _batch in read_batches(resource.file, spec, encoding=resource.datastore.encoding,
                               sheet=(resource.datastore.sheet or 1)
                               if resource.datastore.workbook else None, digest=digest):
        pass
    expected = LoadResult(rows=digest.rows, checksum=digest.hexdigest())
    try:
        verify_table(client, resource_id, spec, expected)
    except DatastoreError as exc:
        if progress:
            progress(f"{label}: the table made on the portal differs from the file ({exc}); "
                     "replacing it")
        replace = ResourceAction(op=step.op, key=step.key, resource_id=step.resource_id,
                                 datastore=dataclasses.replace(step.datastore, op="replace"))
        _load(client, replace, resource, resource_id, visibility, progress, label)
        return
    client.call("resource_patch", id=resource_id, retry=True,
                **{MARKER_FIELD: marker(resource.sha256 or "", spec.fields_hash, expected)})
    if progress:
        progress(f"{label}: the table made on the portal equals the file ({expected.rows:,} "
                 "rows): adopted")


def _through_xloader(client: CkanClient, step: ResourceAction, resource: DesiredResource,
                     resource_id: str, visibility: Visibility, progress: Progress | None,
                     label: str) -> LoadResult | None:
    """The xloader lane, verified; None when it failed (the caller loads through the API)."""
    assert resource.datastore is not None and resource.file is not None and step.datastore

    def report(message: str) -> None:
        if progress:
            progress(f"{label}: {message}")

    try:
        result = load_with_xloader(
            client, resource_id, resource.file, resource.datastore.spec,
            encoding=resource.datastore.encoding, replace=step.datastore.op == "replace",
            progress=report, before_load=visibility.hide if step.datastore.public else None)
        verify_table(client, resource_id, resource.datastore.spec, result)
    except DatastoreError as exc:
        report(f"the xloader lane failed ({exc}); loading through the API instead")
        return None
    report(f"loaded by xloader ({result.rows:,} rows)")
    return result


def _as_datastore_error(exc: Exception, client: CkanClient) -> DatastoreError:
    if isinstance(exc, DatastoreError):
        return exc
    if isinstance(exc, NotAuthorized):
        return DatastoreError("not allowed to write the DataStore table",
                              hint="the API token's user needs the editor or admin role in the "
                                   "dataset's organization")
    return DatastoreError(f"{type(exc).__name__}: {client.redact(str(exc))[:300]}")


def apply_datastore(client: CkanClient, action: Action, desired: DesiredDataset, package_id: str,
                    resource_ids: dict[str, str], progress: Progress | None) -> Visibility:
    """Runs the plan's DataStore steps of one dataset; the caller un-hides it at the end."""
    visibility = Visibility(client, package_id)
    resources = {r.key: r for r in desired.resources}
    for step in action.resources:
        if step.datastore is None:
            continue
        resource_id = resource_ids.get(step.key) or step.resource_id
        assert resource_id is not None
        try:
            if step.datastore.op == "delete":
                drop_table(client, resource_id)
                client.call("resource_patch", id=resource_id, retry=True, **{MARKER_FIELD: ""})
            elif step.datastore.op == "adopt":
                _adopt(client, step, resources[step.key], resource_id, visibility, progress,
                       f"dataset {desired.name} resource {step.key}")
            else:
                _load(client, step, resources[step.key], resource_id, visibility, progress,
                      f"dataset {desired.name} resource {step.key}")
        except Exception as exc:
            visibility.show_after_failure()
            if isinstance(exc, PortalUnavailable):
                if not visibility.hidden:
                    raise
                raise PortalUnavailable(
                    f"{exc}; dataset '{desired.name}' was left private while its DataStore "
                    "table was loading: the next publish loads it again and makes it public"
                ) from None
            error = _as_datastore_error(exc, client)
            error.resource = step.key
            error.left_private = visibility.hidden
            raise error from None
    return visibility
