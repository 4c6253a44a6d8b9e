"""A plan is data: what publishing will do, field by field. Printed, saved as JSON, applied."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

Op = Literal["create", "update", "noop", "delete", "refuse", "purge-and-create"]
ResourceOp = Literal["create", "update", "noop", "delete", "keep"]  # keep: made by hand, kept
DatastoreOp = Literal["load", "replace", "delete", "adopt"]  # adopt: verify a table made by hand


@dataclass
class FieldChange:
    field: str
    old: Any
    new: Any
    drift: bool = False  # the portal value was edited there since our last publish


@dataclass
class DatastoreStep:
    """What happens to the resource's DataStore table (none when it already matches)."""

    op: DatastoreOp
    reason: str  # e.g. "file changed", "table schema changed", "datastore: false"
    public: bool = False  # the dataset is public now: a load of many calls hides it meanwhile
    lane: str = "api"  # "xloader": the portal's xloader COPYs the file in (datastore/xloader.py)


@dataclass
class ResourceAction:
    op: ResourceOp
    key: str  # catalog resource name
    resource_id: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    upload: bool = False  # the file's sha256 differs from the portal's
    size: int | None = None  # bytes to upload
    datastore: DatastoreStep | None = None
    by_hand: bool = False  # on the portal only (added by hand): `key` is its title there

    @property
    def changes_anything(self) -> bool:
        return self.op not in ("noop", "keep") or self.datastore is not None


@dataclass
class Action:
    kind: Literal["organization", "group", "dataset"]
    name: str
    op: Op
    file: str | None = None
    changes: list[FieldChange] = field(default_factory=list)
    resources: list[ResourceAction] = field(default_factory=list)
    reorder: bool = False
    reason: str | None = None  # why a dataset is refused
    hint: str | None = None
    current_id: str | None = None
    drift: bool = False
    last_published: str | None = None  # of a drifted dataset: who published it last, from what
    seen_modified: str | None = None  # the dataset's metadata_modified when planned

    @property
    def changes_anything(self) -> bool:
        return self.op not in ("noop", "refuse") or self.reorder or any(
            r.changes_anything for r in self.resources)


@dataclass
class Plan:
    target: str
    url: str
    profile: str
    actions: list[Action] = field(default_factory=list)

    @property
    def has_changes(self) -> bool:
        return any(a.changes_anything for a in self.actions if a.op != "refuse")

    @property
    def refused(self) -> list[Action]:
        return [a for a in self.actions if a.op == "refuse"]

    def counts(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for action in self.actions:
            op = action.op
            if op == "noop" and action.changes_anything:
                op = "update"
            out[f"{action.kind}:{op}"] = out.get(f"{action.kind}:{op}", 0) + 1
        out["uploads"] = sum(r.upload for a in self.actions for r in a.resources)
        out["datastore_loads"] = sum(r.datastore is not None and r.datastore.op != "delete"
                                     for a in self.actions for r in a.resources)
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"format": "opencatalog-plan/1", **asdict(self), "has_changes": self.has_changes,
                "counts": self.counts()}

    def signature(self) -> list[Any]:
        """What a reviewer approved: every action and change, without volatile ids."""
        out = []
        for a in self.actions:
            out.append([a.kind, a.name, a.op, a.reorder,
                        [[c.field, repr(c.old), repr(c.new)] for c in a.changes],
                        [[r.op, r.key, r.upload, [[c.field, repr(c.old), repr(c.new)]
                                                  for c in r.changes],
                          r.datastore.op if r.datastore else None] for r in a.resources]])
        return out

    @staticmethod
    def signature_of(data: dict[str, Any]) -> list[Any]:
        actions = []
        for a in data["actions"]:
            actions.append(Action(
                kind=a["kind"], name=a["name"], op=a["op"], reorder=a.get("reorder", False),
                changes=[FieldChange(**c) for c in a.get("changes", [])],
                resources=[ResourceAction(
                    op=r["op"], key=r["key"], upload=r.get("upload", False),
                    changes=[FieldChange(**c) for c in r.get("changes", [])],
                    datastore=DatastoreStep(**r["datastore"]) if r.get("datastore") else None)
                    for r in a.get("resources", [])]))
        return Plan(target="", url="", profile="", actions=actions).signature()
