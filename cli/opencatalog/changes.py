"""Which datasets a change touches, for `opencatalog validate --changed-since REF`.

A dataset is touched when its YAML, any file under its data folder (datapackages/<name>/),
any of its data or schema files, its organization's file, any of its groups' files, or
catalog/catalog.yaml changed between REF and the working tree (committed since the merge
base of REF and HEAD, uncommitted, or untracked).  Git is asked read-only; when it cannot
answer (no git, not a repository, REF unknown) the caller validates everything and says why.
"""

from __future__ import annotations

import subprocess
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from opencatalog.model.catalog import Catalog, Dataset

CATALOG_FILE = "catalog/catalog.yaml"


@dataclass
class ChangeSet:
    datasets: list[str] = field(default_factory=list)  # names of the datasets to validate
    deleted: list[str] = field(default_factory=list)  # dataset YAML files deleted since REF
    fallback: str | None = None  # why every dataset must be validated, if so
    changed: list[str] = field(default_factory=list)  # catalog-relative paths that changed


class GitUnavailable(Exception):
    pass


def _git(cwd: Path, *args: str) -> str:
    try:
        done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                              encoding="utf-8", errors="surrogateescape", check=False)
    except FileNotFoundError as exc:
        raise GitUnavailable("git is not installed") from exc
    if done.returncode != 0:
        message = done.stderr.strip().splitlines()
        raise GitUnavailable(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


def _names(output: str) -> list[str]:
    return [p for p in output.split("\0") if p]


def changed_paths(root: Path, ref: str) -> list[str]:
    """Paths (relative to `root`, posix) changed since `ref`: committed, uncommitted, untracked.

    Raises GitUnavailable with a reason when git cannot tell.
    """
    try:
        top = Path(_git(root, "rev-parse", "--show-toplevel").strip())
    except GitUnavailable as exc:
        raise GitUnavailable(f"{root} is not a git repository ({exc})") from exc
    try:
        _git(top, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    except GitUnavailable as exc:
        raise GitUnavailable(f"git reference '{ref}' cannot be resolved") from exc
    try:
        committed = _git(top, "diff", "--name-only", "--no-renames", "-z", f"{ref}...HEAD")
    except GitUnavailable as exc:
        raise GitUnavailable(f"no merge base between '{ref}' and HEAD "
                             f"(a shallow clone? fetch with depth 0): {exc}") from exc
    uncommitted = _git(top, "diff", "--name-only", "--no-renames", "-z", "HEAD")
    untracked = _git(top, "ls-files", "--others", "--exclude-standard", "-z")
    real_root = root.resolve()
    out: set[str] = set()
    for name in _names(committed) + _names(uncommitted) + _names(untracked):
        path = (top / name).resolve() if (top / name).exists() else top.resolve() / name
        if path.is_relative_to(real_root):
            out.add(path.relative_to(real_root).as_posix())
    return sorted(out)


def _rel(catalog: Catalog, path: Path | None) -> set[str]:
    """`path` relative to the catalog root, as written and with symlinks resolved."""
    if path is None:
        return set()
    out = set()
    for base, candidate in ((catalog.root, path), (catalog.root.resolve(), path.resolve())):
        try:
            out.add(candidate.relative_to(base).as_posix())
        except ValueError:
            pass
    return out


def _owner_files(catalog: Catalog, kind: str, name: str) -> set[str]:
    table = catalog.organizations if kind == "organization" else catalog.groups
    folder = "organizations" if kind == "organization" else "groups"
    files = {f"catalog/{folder}/{name}.yaml", f"catalog/{folder}/{name}.yml"}
    owner = table.get(name)
    if owner is not None:
        files.add(owner.doc.file)
    return files


def dataset_inputs(catalog: Catalog, dataset: Dataset) -> tuple[set[str], str]:
    """The files a dataset's findings depend on, and its data folder (catalog-relative)."""
    files = {dataset.file, CATALOG_FILE}
    if dataset.organization:
        files |= _owner_files(catalog, "organization", dataset.organization)
    for group in dataset.groups:
        files |= _owner_files(catalog, "group", group)
    for resource in dataset.resources:
        files |= _rel(catalog, resource.data_file)
        if resource.schema_file:
            files.add(resource.schema_file)
            files |= _rel(catalog, catalog.root / resource.schema_file)
    data_dir = next(iter(sorted(_rel(catalog, dataset.data_dir))), "")
    return files, data_dir


def is_touched(catalog: Catalog, dataset: Dataset, changed: list[str]) -> bool:
    files, data_dir = dataset_inputs(catalog, dataset)
    prefix = PurePosixPath(data_dir)
    for path in changed:
        if path in files or (data_dir and PurePosixPath(path).is_relative_to(prefix)):
            return True
    return False


def touched_datasets(catalog: Catalog, ref: str) -> ChangeSet:
    """The datasets a change since `ref` touches (see the module docstring)."""
    label = {id(d): d.name or d.file for d in catalog.datasets}
    try:
        changed = changed_paths(catalog.root, ref)
    except GitUnavailable as exc:
        return ChangeSet(datasets=sorted(label.values()),
                         fallback=f"{exc}; validating the whole catalog")
    touched = [d for d in catalog.datasets if is_touched(catalog, d, changed)]
    # A changed name or title can clash with an untouched dataset: check those too.
    names = {d.name for d in touched if d.name}
    titles = {d.title.th.strip() for d in touched if d.title}
    seen = {id(d) for d in touched}
    touched += [d for d in catalog.datasets if id(d) not in seen
                and ((d.name and d.name in names) or (d.title and d.title.th.strip() in titles))]
    known = {d.file for d in catalog.datasets}
    deleted = [p for p in changed
               if p.startswith("catalog/datasets/") and p.endswith((".yaml", ".yml"))
               and p not in known and not (catalog.root / p).exists()]
    return ChangeSet(datasets=sorted({label[id(d)] for d in touched}), deleted=deleted,
                     changed=changed)
