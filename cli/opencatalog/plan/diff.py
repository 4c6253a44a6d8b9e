"""The plan: a pure function of the desired state and the portal's current state."""

from __future__ import annotations

from typing import Any

from opencatalog.bookkeeping import (
    OWNER_KEY,
    OWNER_VALUE,
    PROVENANCE_KEY,
    extras_of,
    is_owned,
    legacy_keys,
    stored_fingerprint,
)
from opencatalog.current.file_drift import FILE_REPLACED
from opencatalog.current.read import CurrentState
from opencatalog.current.unrecorded import PORTAL_FILE_SHA256
from opencatalog.datastore import MARKER_FIELD
from opencatalog.datastore.load import parse_marker
from opencatalog.desired.state import DesiredDataset, DesiredOwner, DesiredResource, DesiredState
from opencatalog.plan.compare import (
    OWNER_FIELDS,
    comparable_current,
    comparable_desired,
    fingerprint,
    managed_keys,
    norm,
    resource_key,
)
from opencatalog.plan.model import Action, DatastoreStep, FieldChange, Plan, ResourceAction
from opencatalog.provenance import Provenance, describe


def _changes(want: dict[str, Any], have: dict[str, Any], drift: bool = False) -> list[FieldChange]:
    changes = []
    for key, value in want.items():
        old = have.get(key)
        if old == value:
            continue
        if key == "extras" and isinstance(value, dict):
            # One change per extra (plain CKAN keeps GD fields there), not one opaque list.
            old_extras = old if isinstance(old, dict) else {}
            changes += [FieldChange(field=f"extras.{k}", old=old_extras.get(k), new=value.get(k),
                                    drift=drift)
                        for k in sorted(value.keys() | old_extras.keys())
                        if old_extras.get(k) != value.get(k)]
        else:
            changes.append(FieldChange(field=key, old=old, new=value, drift=drift))
    return changes


def _owner_action(owner: DesiredOwner, current: dict[str, Any] | None) -> Action:
    kind = owner.kind  # type: ignore[assignment]
    if current is None:
        return Action(kind=kind, name=owner.name, op="create", file=owner.file)
    if current.get("__not_authorized__"):
        return Action(kind=kind, name=owner.name, op="refuse", file=owner.file,
                      reason=f"the token's user may not read {kind} '{owner.name}'")
    keys = [k for k in OWNER_FIELDS if k in owner.fields or current.get(k)]
    want = {k: norm(owner.fields.get(k)) for k in keys}
    have = {k: norm(current.get(k)) for k in keys}
    changes = _changes(want, have)
    return Action(kind=kind, name=owner.name, op="update" if changes else "noop", file=owner.file,
                  changes=changes, current_id=current.get("id"))


def resource_comparable(resource: DesiredResource) -> dict[str, Any]:
    fields = dict(resource.fields)
    if resource.url is not None:
        fields["url"] = resource.url
    return {k: norm(v) for k, v in fields.items()}


def _datastore_active(resource: dict[str, Any]) -> bool:
    return resource.get("datastore_active") in (True, "True", "true")


def datastore_step(resource: DesiredResource, have: dict[str, Any] | None,
                   public: bool, made_by_hand: bool = False) -> DatastoreStep | None:
    """Compare the table the catalog asks for with what the resource records as loaded.

    `made_by_hand`: the resource is adopted (matched by its portal id): a table it has is
    checked against the file by apply and only replaced when it differs."""
    want = resource.datastore
    loaded = parse_marker(have.get(MARKER_FIELD)) if have else None
    active = bool(have) and _datastore_active(have)  # type: ignore[arg-type]
    if want is None:
        # Only a table OpenCatalog loaded is dropped; one made by xloader/datapusher stays.
        return DatastoreStep("delete", "datastore: false", public) if loaded and active else None
    if have is None:
        # a new resource of a public dataset is visible at once: hide a many-call load too
        return DatastoreStep("load", "new resource", public)
    if not active:
        return DatastoreStep("load", "no DataStore table yet", public)
    if loaded is None and made_by_hand:
        return DatastoreStep("adopt", "table made on the portal: checked against the file, "
                                      "replaced only if it differs", public)
    if loaded is None:
        return DatastoreStep("replace", "table not loaded (or not verified) by OpenCatalog", public)
    if loaded.get("sha256") != resource.sha256:
        return DatastoreStep("replace", "file changed", public)
    if loaded.get("fields") != want.spec.fields_hash:
        return DatastoreStep("replace", "table schema changed", public)
    return None


def _resource_actions(desired: DesiredDataset, pkg: dict[str, Any] | None,
                      prune: bool = False) -> tuple[list[ResourceAction], bool]:
    current = [r for r in (pkg or {}).get("resources", [])]
    by_key = {resource_key(r): r for r in current if resource_key(r)}
    # A resource made by hand has no opencatalog_name: `import` records its id (`id:`).
    by_hand = {r["id"]: r for r in current if not resource_key(r) and r.get("id")}
    public = bool(pkg) and not (pkg or {}).get("private")
    actions: list[ResourceAction] = []
    matched: dict[str, str] = {}  # portal id -> catalog name
    for resource in desired.resources:
        have = by_key.get(resource.key)
        adopted = have is None and resource.portal_id in by_hand
        if adopted:
            have = by_hand.pop(resource.portal_id)  # type: ignore[arg-type]
        if have is not None:
            matched[have["id"]] = resource.key
        size = resource.file.stat().st_size if resource.file else None
        step = datastore_step(resource, have, public, made_by_hand=adopted)
        if have is None:
            actions.append(ResourceAction(op="create", key=resource.key,
                                          upload=resource.file is not None, size=size,
                                          datastore=step))
            continue
        want = resource_comparable(resource)
        changes = _changes(want, {k: norm(have.get(k)) for k in want})
        # a file uploaded by hand has no sha256: the plan's reader hashed the portal's copy
        on_portal = have.get("sha256") or have.get(PORTAL_FILE_SHA256)
        upload = resource.file is not None and on_portal != resource.sha256
        if have.get(FILE_REPLACED):  # the recorded sha256 is ours, the bytes are not
            upload = True
            changes.append(FieldChange("file", have[FILE_REPLACED], "the catalog's file"))
        elif upload:
            changes.append(FieldChange("sha256", have.get("sha256"), resource.sha256))
        elif resource.file is not None and not have.get("sha256"):
            changes.append(FieldChange("sha256", None, resource.sha256))  # bookkeeping only
        actions.append(ResourceAction(op="update" if changes else "noop", key=resource.key,
                                      resource_id=have["id"], changes=changes, upload=upload,
                                      size=size if upload else None, datastore=step))
    wanted = {r.key for r in desired.resources}
    for r in current:
        key = resource_key(r)
        if key and key not in wanted:  # ours, dropped from the catalog
            actions.append(ResourceAction(op="delete", key=key, resource_id=r["id"]))
    for r in by_hand.values():  # added on the portal, not in the catalog: kept unless --prune
        actions.append(ResourceAction(op="delete" if prune else "keep",
                                      key=str(r.get("name") or r["id"]), resource_id=r["id"],
                                      by_hand=True))
    ours_now = [matched[r["id"]] for r in current if r.get("id") in matched]
    reorder = bool(pkg) and ours_now != [k for k in (r.key for r in desired.resources)
                                         if k in ours_now]
    return actions, reorder


def dataset_action(desired: DesiredDataset, pkg: dict[str, Any] | None, profile: str, *,
                   adopt: bool = False, purge_trash: bool = False, prune: bool = False) -> Action:
    name, file = desired.name, desired.file
    if pkg is None:
        resources, _ = _resource_actions(desired, None)
        return Action(kind="dataset", name=name, op="create", file=file, resources=resources)
    if pkg.get("__not_authorized__"):
        return Action(kind="dataset", name=name, op="refuse", file=file,
                      reason=f"dataset '{name}' exists but the token's user may not read it",
                      hint=f"give the user the editor or admin role in organization "
                           f"'{desired.fields.get('owner_org')}'")
    owned = is_owned(pkg)
    if pkg.get("state") == "deleted":
        if owned and purge_trash:
            resources, _ = _resource_actions(desired, None)
            return Action(kind="dataset", name=name, op="purge-and-create", file=file,
                          resources=resources, current_id=pkg.get("id"))
        return Action(
            kind="dataset", name=name, op="refuse", file=file, current_id=pkg.get("id"),
            reason=f"the name '{name}' is held by a deleted dataset in the portal's trash",
            hint=("re-run with --purge-trash to purge it (it was published by OpenCatalog)"
                  if owned else "a portal sysadmin must purge it from the trash "
                                "(/ckan-admin/trash), or rename the dataset"))
    if not owned and not adopt:
        org = (pkg.get("organization") or {}).get("name", "?")
        return Action(
            kind="dataset", name=name, op="refuse", file=file, current_id=pkg.get("id"),
            reason=f"dataset '{name}' already exists on the portal (organization '{org}') and was "
                   "not published by OpenCatalog; it is left untouched",
            hint="rename the catalog dataset, or re-run with --adopt NAME to take it over")
    keys = managed_keys(desired.fields, profile)
    want = comparable_desired(desired.fields, keys, profile)
    have = comparable_current(pkg, keys, profile)
    stored = stored_fingerprint(pkg)
    drift = bool(stored) and stored != fingerprint(have)
    changes = _changes(want, have, drift=drift)
    if not owned:
        changes.append(FieldChange(f"extras.{OWNER_KEY}", None, OWNER_VALUE))
    # An earlier version's bookkeeping (top-level fields): moved to extras by this publish.
    changes += [FieldChange(key, legacy, None) for key, legacy in legacy_keys(pkg).items()]
    resources, reorder = _resource_actions(desired, pkg, prune)
    # A dataset whose last publish did not finish has no fingerprint: finish it.
    unfinished = not stored
    op = "update" if changes or unfinished else "noop"
    return Action(kind="dataset", name=name, op=op, file=file, changes=changes,
                  resources=resources, reorder=reorder, current_id=pkg.get("id"), drift=drift,
                  last_published=describe(Provenance.parse(extras_of(pkg).get(PROVENANCE_KEY)))
                  if drift else None, seen_modified=pkg.get("metadata_modified"))


def without_rights(action: Action, organization: str, allowed: set[str] | None,
                   current: CurrentState, url: str) -> Action:
    """`action`, or its refusal when it would change something in an organization that exists on
    the portal and in which the token's user lacks the role (`allowed`: None = not known)."""
    if allowed is None or organization in allowed or not action.changes_anything \
            or action.op == "refuse" or current.organizations.get(organization) is None:
        return action  # an organization this run creates is its creator's to fill
    members = f"{url}/organization/members/{organization}"
    if action.kind == "organization":
        reason = (f"organization '{organization}' is not changed: the token's user is not its "
                  "admin (its datasets are still published if the user is an editor)")
        hint = (f"a sysadmin or an admin of organization '{organization}' gives the user the "
                f"admin role: {members}")
    else:
        reason = (f"not published: the token's user may not publish datasets of organization "
                  f"'{organization}'; the other organizations' datasets are published")
        hint = (f"an admin of organization '{organization}' gives the user the editor or admin "
                f"role: {members}; or publish the others alone with --only ORGANIZATION")
    return Action(kind=action.kind, name=action.name, op="refuse", file=action.file,
                  reason=reason, hint=hint, current_id=action.current_id)


def build_plan(desired: DesiredState, current: CurrentState, *, target: str, url: str,
               adopt: set[str] | None = None, purge_trash: bool = False,
               prune: bool = False) -> Plan:
    plan = Plan(target=target, url=url, profile=desired.profile)
    for owner in desired.organizations:
        plan.actions.append(without_rights(
            _owner_action(owner, current.organizations.get(owner.name)), owner.name,
            current.admin_organizations, current, url))
    for owner in desired.groups:
        plan.actions.append(_owner_action(owner, current.groups.get(owner.name)))
    for dataset in desired.datasets:
        plan.actions.append(without_rights(dataset_action(
            dataset, current.datasets.get(dataset.name), desired.profile,
            adopt=dataset.name in (adopt or set()), purge_trash=purge_trash, prune=prune),
            dataset.fields["owner_org"], current.dataset_organizations, current, url))
    if prune:
        for pkg in current.owned_elsewhere:
            if pkg.get("state", "active") == "active":
                plan.actions.append(Action(kind="dataset", name=pkg["name"], op="delete",
                                           current_id=pkg["id"]))
    return plan

