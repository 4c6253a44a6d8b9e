"""Run the fast path over a package, resource by resource.

A resource is validated here only when `plan_resource` accepts it and every
resource its foreign keys point at was parsed here too; the caller sends
everything else to the reference engine.
"""

from __future__ import annotations

from typing import Any

from .assemble import check_parsed
from .errors import TableError
from .fast import Parsed, parse
from .plan import Unsupported, plan_resource


def run_fast(package: Any, exclude: set[str], limit_errors: int) -> dict[str, list[TableError]]:
    """name -> findings for the resources the fast path handled."""
    parsed: dict[str, Parsed | None] = {}

    def get(name: str) -> Parsed | None:
        if name not in parsed:
            parsed[name] = None
            if name in exclude or not package.has_resource(name):
                return None
            try:
                parsed[name] = parse(plan_resource(package.get_resource(name)))
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
        sources: dict[str, Parsed] = {}
        ok = True
        for fk in mine.plan.foreign_keys:
            ref = fk["reference"].get("resource") or resource.name
            if ref == resource.name:
                continue
            other = get(ref)
            if other is None:
                ok = False
                break
            sources[ref] = other
        if not ok:
            continue
        try:
            results[resource.name] = check_parsed(mine, sources, limit_errors)
        except Unsupported:
            continue
    return results
