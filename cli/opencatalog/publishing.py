"""The publishing pipeline as a library: catalog -> desired -> current -> plan -> apply."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from opencatalog.apply.engine import Progress, apply_plan
from opencatalog.ckan_client import CkanClient
from opencatalog.current.file_drift import find_replaced_files
from opencatalog.current.live_schema import read_live_schema
from opencatalog.current.read import read_current
from opencatalog.current.tables import (
    auto_loaders,
    replace_tables_changed_on_portal,
    use_xloader_lane,
)
from opencatalog.current.unrecorded import hash_uploads_made_by_hand
from opencatalog.desired.mapping import desired_state
from opencatalog.desired.state import DesiredState
from opencatalog.errors import OpenCatalogError
from opencatalog.model.catalog import Catalog
from opencatalog.plan.diff import build_plan
from opencatalog.plan.model import Plan
from opencatalog.provenance import Provenance, collect
from opencatalog.report.model import Finding, Report
from opencatalog.targets import ResolvedTarget, resolve_target
from opencatalog.validate import validate
from opencatalog.validate.cache import ValidationCache
from opencatalog.validate.live_schema import check_live_schema
from opencatalog.validate.tabular.reference import DEFAULT_LIMIT_ERRORS


class InvalidCatalog(OpenCatalogError):
    exit_code = 1

    def __init__(self, report: Report) -> None:
        super().__init__(f"the catalog is invalid ({len(report.errors)} error(s)); nothing was "
                         "published. Run `opencatalog validate` to see them.")
        self.report = report


@dataclass
class PlanResult:
    plan: Plan
    desired: DesiredState
    client: CkanClient
    target: ResolvedTarget
    validation: Report
    provenance: Provenance | None = None


def auto_loader_warning(status: dict, desired: DesiredState, url: str) -> Finding | None:
    """A note that the portal's xloader/datapusher is kept off OpenCatalog's typed tables."""
    running = auto_loaders(status)
    loads = [r.key for d in desired.datasets for r in d.resources if r.datastore is not None]
    if not running or not loads:
        return None
    return Finding(
        code="portal.auto-datastore", severity="info",
        message=f"{url} runs {' and '.join(running)}: each upload carries the file's md5 as "
                f"`hash`, so its automatic load skips the {len(loads)} file(s) OpenCatalog loads "
                "typed; a table it reloads anyway (by hand, or with ignore_hash) is found by the "
                "next plan and replaced",
        hint="see docs/datastore.md, \"Portals that run xloader\"")


def select_datasets(catalog: Catalog, names: Iterable[str]) -> set[str]:
    """`--only`: the datasets named, and every dataset of the organizations named."""
    names = set(names)
    unknown = names - {d.name for d in catalog.datasets} - set(catalog.organizations)
    if unknown:
        raise OpenCatalogError(f"--only names no dataset nor organization of the catalog: "
                               f"{', '.join(sorted(unknown))}")
    return {d.name for d in catalog.datasets
            if d.name and (d.name in names or d.organization in names)}


def check_target_schema(catalog: Catalog, target: str, report: Report,
                        datasets: Iterable[str] | None = None) -> None:
    """`validate --target`: add the findings of the target's live dataset schema to `report`
    (read-only; a portal that does not answer leaves the offline checks alone)."""
    try:
        resolved = resolve_target(catalog, target)
        live = read_live_schema(CkanClient(resolved.url, resolved.token, retries=1))
    except OpenCatalogError as exc:
        report.findings.append(Finding(
            code="portal.schema-unread", severity="warning",
            message=f"the live schema of target '{target}' could not be read ({exc}); "
                    "checked against the GD Catalog reference only"))
        return
    if live is None:
        return
    wanted = set(datasets) if datasets is not None else None
    valid = [d.name for d in catalog.datasets if d.name and (wanted is None or d.name in wanted)
             and not any(f.dataset == d.name for f in report.errors)]
    report.extend(check_live_schema(desired_state(catalog, resolved.profile, set(valid)), live))
    report.summary["live_schema"] = resolved.url


def make_plan(
    catalog: Catalog,
    target: str | ResolvedTarget | None = None,
    *,
    only: Iterable[str] | None = None,
    adopt: Iterable[str] = (),
    purge_trash: bool = False,
    prune: bool = False,
    check_data: bool = True,
    use_cache: bool = True,
    client: CkanClient | None = None,
    limit_errors: int = DEFAULT_LIMIT_ERRORS,
    verify_files: bool = False,
) -> PlanResult:
    """Validate, then compare the catalog with the portal. Only read calls are made.

    `target` is a target name from catalog.yaml (default: local) or a resolved target.
    `only` names datasets or organizations (all their datasets).
    """
    resolved = target if isinstance(target, ResolvedTarget) else resolve_target(catalog, target)
    wanted = select_datasets(catalog, only) if only else None
    # the same content-keyed cache as `opencatalog validate`: unchanged data is not re-read
    report = validate(catalog, datasets=wanted, profile=resolved.profile, data=check_data,
                      cache=ValidationCache(catalog.root, enabled=use_cache),
                      limit_errors=limit_errors)
    if not report.ok:
        raise InvalidCatalog(report)
    desired = desired_state(catalog, resolved.profile, wanted)
    client = client or CkanClient(resolved.url, resolved.token)
    try:
        status = client.call("status_show")
    except OpenCatalogError as exc:
        raise OpenCatalogError(f"target '{resolved.name}' ({resolved.url}) does not answer: "
                               f"{exc}") from None
    warning = auto_loader_warning(status, desired, resolved.url)
    if warning:
        report.findings.append(warning)
    live = read_live_schema(client)
    if live is not None:  # the portal's own schema wins over the reference
        report.extend(check_live_schema(desired, live))
        if not report.ok:
            raise InvalidCatalog(report)
    current = read_current(client, desired, find_owned=prune and wanted is None)
    hash_uploads_made_by_hand(client, desired, current)  # resources `import` matched by id
    find_replaced_files(client, desired, current, download=verify_files)
    plan = build_plan(desired, current, target=resolved.name, url=resolved.url,
                      adopt=set(adopt), purge_trash=purge_trash, prune=prune and wanted is None)
    if auto_loaders(status):
        replace_tables_changed_on_portal(client, plan, desired, current)
    if "xloader" in auto_loaders(status):
        use_xloader_lane(plan, desired)
    return PlanResult(plan=plan, desired=desired, client=client, target=resolved,
                      validation=report, provenance=collect(catalog.root))


def publish(result: PlanResult, *, workers: int = 4, progress: Progress | None = None,
            break_lock: bool = False) -> Report:
    """Apply a plan made by `make_plan`."""
    provenance = result.provenance
    report = apply_plan(result.plan, result.desired, result.client, workers=workers,
                        progress=progress, provenance=provenance.to_json() if provenance else None,
                        break_lock=break_lock)
    if provenance is not None and provenance.dirty and result.plan.has_changes:
        report.findings.insert(0, Finding(
            code="publish.uncommitted", severity="warning",
            message="published from a working tree with uncommitted changes in catalog/ or "
                    f"datapackages/ (recorded in the provenance, commit {provenance.commit})",
            hint="commit first, so that every portal value can be traced to a commit"))
    report.findings[:0] = [f for f in result.validation.findings if f.severity != "error"]
    return report
