"""A plan for people: Terraform-style symbols, one line per change."""

from __future__ import annotations

from typing import IO, Any

from opencatalog.plan.model import Plan

_SYMBOL = {"create": "+", "update": "~", "delete": "-", "refuse": "!", "noop": "=",
           "purge-and-create": "±", "keep": "?", "unchanged": "="}


def _short(value: Any, limit: int = 60) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _size(n: int | None) -> str:
    if n is None:
        return "?"
    for unit in ("B", "KB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def render_plan(plan: Plan, out: IO[str]) -> None:
    out.write(f"Plan for target '{plan.target}' ({plan.url}, profile {plan.profile}):\n")
    unchanged = 0
    for action in plan.actions:
        kept = [r for r in action.resources if r.op == "keep"]
        if not action.changes_anything and action.op != "refuse" and not kept:
            unchanged += 1
            continue
        op = "update" if action.op == "noop" and action.changes_anything else action.op
        if op == "noop":
            op = "unchanged"  # shown only for the resources added on the portal below
        out.write(f"  {_SYMBOL[op]} {action.kind} {action.name} ({op})\n")
        if action.reason:
            out.write(f"      {action.reason}\n")
        if action.last_published:
            out.write(f"      edited on the portal since it was {action.last_published}\n")
        if action.hint:
            out.write(f"      fix: {action.hint}\n")
        for change in action.changes:
            drift = "  [edited on the portal; will be overwritten]" if change.drift else ""
            out.write(f"      {change.field}: {_short(change.old)} → {_short(change.new)}{drift}\n")
        for res in kept:
            out.write(f"      ? resource {res.key!r} (id {res.resource_id}) is on the portal but "
                      "not in the catalog: kept; `--prune` removes it (or `opencatalog import "
                      "--force` adds it to the YAML)\n")
        for res in action.resources:
            if not res.changes_anything:
                continue
            upload = f", upload {_size(res.size)}" if res.upload else ""
            table = f", DataStore {res.datastore.op}: {res.datastore.reason}" if res.datastore else ""
            op = "update" if res.op == "noop" else res.op
            made = " added on the portal, not in the catalog" if res.by_hand else ""
            out.write(f"      {_SYMBOL[op]} resource {res.key} ({op}{made}{upload}{table})\n")
            for change in res.changes:
                if change.field == "sha256":
                    continue
                out.write(f"          {change.field}: {_short(change.old)} → {_short(change.new)}\n")
        if action.reorder:
            out.write("      ~ resource order\n")
    counts = plan.counts()
    creates = sum(v for k, v in counts.items() if k.endswith((":create", ":purge-and-create")))
    updates = sum(v for k, v in counts.items() if k.endswith(":update"))
    deletes = sum(v for k, v in counts.items() if k.endswith(":delete"))
    refused = len(plan.refused)
    out.write(f"  = {unchanged} unchanged\n" if unchanged else "")
    if not plan.has_changes and not refused:
        out.write("No changes: the portal matches the catalog.\n")
        return
    out.write(f"Plan: {creates} to create, {updates} to update, {deletes} to delete, "
              f"{counts['uploads']} file(s) to upload, {counts['datastore_loads']} DataStore "
              f"table(s) to load, {refused} refused.\n")
