"""Applies a plan to the portal: the only module that writes to CKAN.

A new dataset is created private, given its resources, and made public (with the
fingerprint of its metadata) only in its last call: a run that dies half-way leaves
nothing half-published in public, and the next plan sees the unfinished dataset
(no fingerprint) and completes it.  Resources are matched by their catalog name,
so re-running never duplicates one.
"""

from __future__ import annotations

import dataclasses
import hashlib
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from opencatalog.apply import lock
from opencatalog.apply.datastore import apply_datastore
from opencatalog.apply.errors import failure_findings
from opencatalog.bookkeeping import ALL_KEYS, LEGACY_KEYS, is_owned, legacy_top_level, with_bookkeeping
from opencatalog.ckan_client import CkanClient, NotFound, PortalUnavailable
from opencatalog.desired.mapping import RESOURCE_KEY, managed_extra_keys
from opencatalog.desired.state import DesiredDataset, DesiredOwner, DesiredResource, DesiredState
from opencatalog.plan.compare import comparable_desired, fingerprint, managed_keys
from opencatalog.plan.diff import dataset_action
from opencatalog.plan.model import Action, Plan, ResourceAction
from opencatalog.report.model import Finding, Report

Progress = Callable[[str], None]


@dataclasses.dataclass
class _Context:
    client: CkanClient
    desired: DesiredState
    progress: Progress | None = None
    provenance: str | None = None  # JSON stored on every dataset written (provenance.py)
    holder: str = dataclasses.field(default_factory=lock.new_holder)  # who holds our locks
    break_lock: bool = False


def _with_fingerprint(ctx: _Context, fields: dict[str, Any], value: str,
                      keep: Sequence[dict[str, Any]] = ()) -> dict[str, Any]:
    """The dataset fields with the fingerprint and the provenance in extras, plus the extras
    others added (`keep`)."""
    return {**fields, "extras": with_bookkeeping([*fields.get("extras", []), *keep], value,
                                                 ctx.provenance)}


def _foreign_extras(pkg: dict[str, Any], profile: str) -> list[dict[str, Any]]:
    """Extras on the portal that neither the catalog nor the bookkeeping owns: kept as they are
    (CKAN replaces the whole extras list on patch)."""
    managed = managed_extra_keys(profile) | ALL_KEYS
    return [{"key": e["key"], "value": e.get("value")} for e in pkg.get("extras") or []
            if isinstance(e, dict) and e.get("key") not in managed]


def loader_hash(path: Path) -> str:
    """The file's md5, sent as the resource's `hash` with every upload: xloader (and DataPusher)
    skip a file whose md5 equals `hash`, so their automatic load never replaces the typed
    table OpenCatalog loads (docs/datastore.md, "Portals that run xloader")."""
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, lambda: hashlib.md5(usedforsecurity=False)).hexdigest()


def _resource_payload(resource: DesiredResource) -> dict[str, Any]:
    payload = dict(resource.fields)
    if resource.file is not None:
        payload["sha256"] = resource.sha256
    else:
        payload["url"] = resource.url
    return payload


def _create_resource(ctx: _Context, package_id: str, resource: DesiredResource) -> str:
    """resource_create; returns the new resource's id."""
    payload = {"package_id": package_id, **_resource_payload(resource)}
    try:
        if resource.file is not None:
            payload["hash"] = loader_hash(resource.file)
            created = ctx.client.upload("resource_create", payload, resource.file,
                                        resource.upload_name or "data")
        else:
            created = ctx.client.call("resource_create", **payload)
        return created["id"]
    except PortalUnavailable:
        # The create may have reached the portal before the connection failed.
        pkg = ctx.client.call("package_show", id=package_id)
        for existing in pkg.get("resources", []):
            if existing.get(RESOURCE_KEY) == resource.key:
                return existing["id"]
        raise


def _update_resource(ctx: _Context, action: ResourceAction, resource: DesiredResource) -> None:
    if action.upload:
        assert resource.file is not None
        # a patch keeps what the resource records besides (its DataStore marker); a field
        # removed from the YAML is cleared
        payload = {"id": action.resource_id,
                   **{c.field: "" for c in action.changes if c.field not in ("file", "sha256")},
                   **_resource_payload(resource), "hash": loader_hash(resource.file)}
        ctx.client.upload("resource_patch", payload, resource.file, resource.upload_name or "data",
                          retry=True)  # same id, same content: safe to repeat
    else:
        changed = {c.field: _resource_payload(resource).get(c.field, "") for c in action.changes}
        ctx.client.call("resource_patch", id=action.resource_id, retry=True, **changed)


def _create_dataset(ctx: _Context, desired: DesiredDataset, pkg_fields: dict[str, Any]) -> str:
    """package_create, private until its resources are in; returns the id."""
    first = dict(pkg_fields)  # no fingerprint yet: the next plan finishes an unfinished create
    if desired.resources:
        first["private"] = True
    try:
        return ctx.client.call("package_create", **first)["id"]
    except PortalUnavailable:
        try:
            pkg = ctx.client.call("package_show", id=desired.name)
        except NotFound:
            return ctx.client.call("package_create", **first)["id"]
        if is_owned(pkg):
            return pkg["id"]
        raise


def _apply_dataset(ctx: _Context, action: Action, desired: DesiredDataset | None) -> str:
    client, profile = ctx.client, ctx.desired.profile
    if action.op == "delete" or desired is None:  # pruned: in the trash, recoverable
        client.call("package_delete", id=action.current_id, retry=True)
        return "deleted"
    if action.op == "noop" and not action.changes_anything:
        return "unchanged"  # no write, no lock
    keys = managed_keys(desired.fields, profile)
    final_hash = fingerprint(comparable_desired(desired.fields, keys, profile))
    if action.op == "purge-and-create":
        client.call("dataset_purge", id=action.current_id)
    if action.op in ("create", "purge-and-create"):
        package_id = _create_dataset(ctx, desired, desired.fields)
        ids = {r.key: _create_resource(ctx, package_id, r) for r in desired.resources}
        # Still private: nobody sees a table before it is loaded and verified.
        apply_datastore(client, action, desired, package_id, ids, ctx.progress)
        final = {"private": desired.fields["private"], "extras": desired.fields["extras"]}
        client.call("package_patch", id=package_id, retry=True,
                    **_with_fingerprint(ctx, final, final_hash))
        return "created"
    package_id = action.current_id
    assert package_id is not None
    # One writer at a time: with the lock taken, plan the dataset again from what the portal
    # holds now (another publish may have done the work meanwhile).
    pkg = lock.acquire(client, package_id, ctx.holder, break_lock=ctx.break_lock,
                       say=ctx.progress)
    try:
        return _update_dataset(ctx, action, desired, pkg, final_hash)
    except BaseException:
        try:
            lock.release(client, package_id, ctx.holder)
        except Exception:  # noqa: BLE001 - the first error is the one to report; it expires
            pass
        raise


def _update_dataset(ctx: _Context, planned: Action, desired: DesiredDataset,
                    pkg: dict[str, Any], final_hash: str) -> str:
    client, profile = ctx.client, ctx.desired.profile
    package_id = planned.current_id
    assert package_id is not None
    action = planned
    if pkg.get("metadata_modified") != planned.seen_modified:
        # written by someone else since the plan (another publish?): plan it again
        prune = any(r.op == "delete" and r.by_hand for r in planned.resources)
        action = dataset_action(desired, pkg, profile, adopt=True, prune=prune)
        if not action.changes_anything:
            lock.release(client, package_id, ctx.holder)
            return "unchanged"
    action = dataclasses.replace(action, op="update")  # the final patch also drops the lock
    resources = {r.key: r for r in desired.resources}
    ids: dict[str, str] = {}
    for res_action in action.resources:
        if res_action.op == "create":
            ids[res_action.key] = _create_resource(ctx, package_id, resources[res_action.key])
        elif res_action.op == "update":
            _update_resource(ctx, res_action, resources[res_action.key])
        elif res_action.op == "delete":
            client.call("resource_delete", id=res_action.resource_id, retry=True)
    if action.reorder or any(r.op == "create" for r in action.resources):
        pkg = client.call("package_show", id=package_id)
        by_key = {r.get(RESOURCE_KEY): r["id"] for r in pkg["resources"]}
        wanted = [by_key[r.key] for r in desired.resources if r.key in by_key]
        others = [r["id"] for r in pkg["resources"] if r["id"] not in wanted]
        if [r["id"] for r in pkg["resources"]] != wanted + others:
            client.call("package_resource_reorder", id=package_id, order=wanted + others,
                        retry=True)
    visibility = apply_datastore(client, action, desired, package_id, ids, ctx.progress)
    if visibility.hidden and action.op != "update":
        client.call("package_patch", id=package_id, retry=True, private=desired.fields["private"])
    if action.op == "update":  # also shows a dataset hidden while its tables loaded
        patch = dict(desired.fields)
        for change in action.changes:
            # extras travel whole in the patch; legacy bookkeeping is cleared below
            if not change.field.startswith("extras.") and change.field not in LEGACY_KEYS:
                patch.setdefault(change.field, "")  # a GD field removed from the YAML is cleared
        # `pkg` was read as our lock was taken: no other writer has changed its extras since
        for key in legacy_top_level(pkg):
            patch[key] = ""  # an earlier version's top-level bookkeeping, now in extras
        client.call("package_patch", id=package_id, retry=True,
                    **_with_fingerprint(ctx, patch, final_hash, _foreign_extras(pkg, profile)))
    return "updated" if action.changes_anything else "unchanged"


def _verify(ctx: _Context, action: Action, desired: DesiredDataset) -> Finding | None:
    """Read the dataset back and plan it again: what a publish wrote must plan empty."""
    pkg = ctx.client.call("package_show", id=desired.name)
    again = dataset_action(desired, pkg, ctx.desired.profile)
    if not again.changes_anything and again.op == "noop":
        return None
    differs = [c.field for c in again.changes] + [
        f"resource {r.key}" + (f" ({', '.join(c.field for c in r.changes)})" if r.changes else "")
        for r in again.resources if r.changes_anything]
    return Finding(
        code="publish.verify", file=action.file, dataset=desired.name,
        message="read back after publishing, the portal holds other values than the catalog for: "
                + (", ".join(differs) or again.op),
        hint="the portal rewrites these values when it saves them (its schema or a plugin): "
             "write in the YAML what the portal stores, or ask its administrators")


def _apply_owner(ctx: _Context, action: Action, owner: DesiredOwner) -> str:
    if action.op == "create":
        try:
            ctx.client.call(f"{owner.kind}_create", **owner.fields)
        except PortalUnavailable:
            try:
                ctx.client.call(f"{owner.kind}_show", id=owner.name)
            except NotFound:
                ctx.client.call(f"{owner.kind}_create", **owner.fields)
        return "created"
    if action.op == "update":
        ctx.client.call(f"{owner.kind}_patch", id=owner.name, retry=True,
                        **{c.field: owner.fields.get(c.field, "") for c in action.changes})
        return "updated"
    return "unchanged"


def apply_plan(plan: Plan, desired: DesiredState, client: CkanClient, *, workers: int = 4,
               progress: Progress | None = None, provenance: str | None = None,
               break_lock: bool = False) -> Report:
    """Apply `plan`; returns a report with one finding per object (info, or error with why)."""
    ctx = _Context(client=client, desired=desired, progress=progress, provenance=provenance,
                   break_lock=break_lock)
    report = Report(command="publish")
    owners = {(o.kind, o.name): o for o in (*desired.organizations, *desired.groups)}
    datasets = {d.name: d for d in desired.datasets}
    lock = threading.Lock()
    counts: dict[str, int] = {}
    failed: set[str] = set()

    def record(action: Action, status: str, findings: list[Finding]) -> None:
        with lock:
            counts[status] = counts.get(status, 0) + 1
            if status == "failed":
                failed.add(action.name)
            report.extend(findings)
            if action.kind == "dataset":
                report.datasets.append(action.name)
            if progress:
                progress(f"{action.kind} {action.name}: {status}")

    def run(action: Action) -> None:
        if action.op == "refuse":
            record(action, "refused", [Finding(
                code="publish.refused", message=action.reason or "refused", file=action.file,
                dataset=action.name if action.kind == "dataset" else None, hint=action.hint)])
            return
        try:
            if action.kind == "dataset":
                status = _apply_dataset(ctx, action, datasets.get(action.name))
            else:
                status = _apply_owner(ctx, action, owners[(action.kind, action.name)])
            desired_dataset = datasets.get(action.name)
            problem = (_verify(ctx, action, desired_dataset)
                       if desired_dataset is not None and status in ("created", "updated")
                       else None)
        except Exception as exc:  # noqa: BLE001 - one failed dataset must not stop the others
            record(action, "failed", failure_findings(action, exc, datasets.get(action.name),
                                                      client))
            return
        if problem is not None:  # never "created" for what the portal did not keep
            record(action, "failed", [problem])
            return
        url = f"{plan.url}/dataset/{action.name}" if action.kind == "dataset" else \
            f"{plan.url}/{action.kind}/{action.name}"
        record(action, status, [Finding(
            code=f"publish.{status}", severity="info", message=f"{action.kind} {status}: {url}",
            file=action.file, dataset=action.name if action.kind == "dataset" else None)])

    owner_actions = [a for a in plan.actions if a.kind != "dataset"]
    for action in owner_actions:
        run(action)
    failed_owners = {a.name for a in owner_actions if a.name in failed}
    dataset_actions = [a for a in plan.actions if a.kind == "dataset"]
    if failed_owners:
        blocked = [a for a in dataset_actions if a.op != "delete" and
                   datasets[a.name].fields.get("owner_org") in failed_owners]
        for action in blocked:
            record(action, "failed", [Finding(
                code="publish.blocked", message=f"not published: its organization "
                f"'{datasets[action.name].fields.get('owner_org')}' could not be published",
                file=action.file, dataset=action.name)])
        dataset_actions = [a for a in dataset_actions if a not in blocked]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(run, dataset_actions))
    report.summary.update({"target": plan.target, "url": plan.url, "counts": counts,
                           "api_calls": sum(client.calls.values()), "writes": client.writes})
    return report
