"""Run the fast path over a package, resource by resource.

A resource is validated here only when `plan_resource` accepts it and every
resource its foreign keys point at was parsed here too (those are read first,
completely); the caller sends everything else to the reference engine.
"""

from __future__ import annotations

from typing import Any

from .assemble import check_parsed
from .errors import TableError
from .fast import Parsed, parse, self_referencing
from .plan import Unsupported, plan_resource


def _referenced(package: Any) -> dict[str, set[str]]:
    """resource name -> its fields that other resources' foreign keys point at."""
    out: dict[str, set[str]] = {}
    for resource in package.resources:
        schema = resource.schema
        if schema is None:
            continue
        for fk in schema.foreign_keys:
            ref = fk.get("reference", {})
            name = ref.get("resource") or resource.name
            if name != resource.name:
                out.setdefault(name, set()).update(ref.get("fields") or [])
    return out


def run_fast(
    package: Any, exclude: set[str], limit_errors: int, chunk_bytes: int | None = None,
    scans: Any = None, calendars: dict[str, Any] | None = None,
) -> dict[str, list[TableError]]:
    """name -> findings for the resources the fast path handled; `scans` (a personal-data
    ScanSet) gets the scan of every resource read completely."""
    parsed: dict[str, Parsed | None] = {}
    referenced = _referenced(package)

    def get(name: str) -> Parsed | None:
        if name not in parsed:
            parsed[name] = None  # also marks "in progress": a foreign-key cycle falls back
            if name in exclude or not package.has_resource(name):
                return None
            try:
                plan = plan_resource(package.get_resource(name))
                own = set(self_referencing(plan))
                sources: dict[str, Parsed] = {}
                for g, fk in enumerate(plan.foreign_keys):
                    if g in own:
                        continue
                    ref = fk["reference"]["resource"]
                    other = get(ref)
                    if other is None or not other.complete:
                        raise Unsupported(f"foreign key to {ref}")
                    sources[ref] = other
                keep = referenced.get(name, set())
                if not keep <= set(plan.names):
                    raise Unsupported("referenced fields missing")
                scan = scans.begin(name, plan.fields) if scans is not None else None
                parsed[name] = parse(
                    plan,
                    keep=keep,
                    sources=sources,
                    limit_errors=limit_errors,
                    stop_early=not keep,  # a lookup table is read completely
                    chunk_bytes=chunk_bytes,
                    scan=scan,
                    calendar=(calendars or {}).get(name),
                )
                if scan is not None:  # (after an early stop: the rows read)
                    scan.complete = parsed[name].complete
                    scans.finish(scan)
            except Unsupported:
                parsed[name] = None
            except Exception:
                # Anything unexpected: the reference engine will explain it.
                parsed[name] = None
        return parsed[name]

    results: dict[str, list[TableError]] = {}
    for resource in package.resources:
        mine = get(resource.name)
        if mine is None:
            continue
        try:
            results[resource.name] = check_parsed(mine, limit_errors)
        except Unsupported:
            continue
    return results
