"""A cache of per-dataset validation findings, keyed by the content of everything they depend on.

The key is a sha256 over: the tool (its version and the bytes of its own source, schemas and
reference lists, plus the versions of the row checkers), the profile, the engine, whether data
was checked, the dataset YAML (path and bytes), every file under the dataset's data folder and
every data/schema file it names (paths and bytes, read in chunks), the referenced organization and
group files, the names of all organizations and groups (they appear in "did you mean" hints)
and catalog/catalog.yaml.  Any change to any of them is a different key, so a cached result is
never stale; entries are plain JSON under .opencatalog/cache/validate/ in the repository.

Only per-dataset findings are cached (metadata, profile rules, references, data); catalog-wide
checks (YAML loading, organizations, groups, unique names) run every time.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import opencatalog
from opencatalog.model.catalog import Catalog, Dataset
from opencatalog.report.model import Finding

CACHE_DIR = Path(".opencatalog/cache/validate")
FORMAT = 1
CHUNK = 1024 * 1024


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "-"


@lru_cache(maxsize=1)
def tool_fingerprint() -> str:
    """The tool version, the bytes of the installed opencatalog package, and checker versions.

    Hashing the package's own files means an edited rule (in a development checkout whose
    version number did not change) never reuses results computed by the old code.
    """
    digest = hashlib.sha256()
    digest.update(f"opencatalog {opencatalog.__version__}\0python {sys.version}\0".encode())
    for package in ("frictionless", "polars", "jsonschema"):
        digest.update(f"{package} {_version(package)}\0".encode())
    package_dir = Path(opencatalog.__file__).parent
    for path in sorted(package_dir.rglob("*")):
        if path.is_file() and path.suffix in (".py", ".json", ".yaml", ".yml", ".txt", ".csv"):
            digest.update(path.relative_to(package_dir).as_posix().encode() + b"\0")
            digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()


class ValidationCache:
    """Per-dataset findings by content hash. `hits`, `misses` and `files_hashed` are observable."""

    def __init__(self, root: Path, *, enabled: bool = True) -> None:
        self.root = root
        self.folder = root / CACHE_DIR
        self.enabled = enabled
        self.hits: list[str] = []
        self.misses: list[str] = []
        self.files_hashed = 0

    # -- key -------------------------------------------------------------------------------------

    def _add_file(self, digest: Any, label: str, path: Path | None) -> None:
        digest.update(b"file\0" + label.encode("utf-8", "surrogateescape") + b"\0")
        if path is None or not path.is_file():
            digest.update(b"<missing>\0")
            return
        self.files_hashed += 1
        file_digest = hashlib.sha256()
        with path.open("rb") as handle:
            while chunk := handle.read(CHUNK):
                file_digest.update(chunk)
        digest.update(file_digest.hexdigest().encode() + b"\0")

    def _rel(self, path: Path) -> str:
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    def key(self, catalog: Catalog, dataset: Dataset, *, profile: str, engine: str,
            data: bool, limit_errors: int = 1000) -> str:
        digest = hashlib.sha256()
        digest.update(json.dumps({"format": FORMAT, "tool": tool_fingerprint(), "profile": profile,
                                  "engine": engine, "data": data, "limit_errors": limit_errors,
                                  "organizations": sorted(catalog.organizations),
                                  "groups": sorted(catalog.groups)}).encode() + b"\0")
        root = catalog.root
        self._add_file(digest, "catalog/catalog.yaml", root / "catalog/catalog.yaml")
        self._add_file(digest, dataset.file, root / dataset.file)
        owners = [("organization", catalog.organizations, dataset.organization)]
        owners += [("group", catalog.groups, group) for group in dataset.groups]
        for kind, table, name in owners:
            if not name:
                continue
            owner = table.get(name)
            label = f"{kind}:{name}:{owner.doc.file if owner else ''}"
            self._add_file(digest, label, root / owner.doc.file if owner else None)
        files: dict[str, Path] = {}
        if dataset.data_dir.is_dir():
            for path in dataset.data_dir.rglob("*"):
                if path.is_file():
                    files[self._rel(path)] = path
        for resource in dataset.resources:
            if resource.data_file is not None:
                files[self._rel(resource.data_file)] = resource.data_file
            if resource.schema_file:
                files[resource.schema_file] = root / resource.schema_file
        for label in sorted(files):
            path = files[label]
            real = path.resolve()
            target = f" -> {self._rel(real)}" if real != path.absolute() else ""
            self._add_file(digest, label + target, path)
        return digest.hexdigest()

    # -- storage ---------------------------------------------------------------------------------

    def lookup(self, catalog: Catalog, dataset: Dataset, *, profile: str, engine: str,
               data: bool, limit_errors: int = 1000) -> tuple[str | None, list[Finding] | None]:
        """(key, cached findings or None). Disabled: (None, None) without reading any file."""
        label = dataset.name or dataset.file
        if not self.enabled:
            self.misses.append(label)
            return None, None
        key = self.key(catalog, dataset, profile=profile, engine=engine, data=data,
                       limit_errors=limit_errors)
        return key, self.get(key, label)

    def get(self, key: str, label: str) -> list[Finding] | None:
        try:
            entry = json.loads((self.folder / f"{key}.json").read_text("utf-8"))
            if entry.get("format") != FORMAT or entry.get("key") != key:
                raise ValueError("stale entry")
            findings = [Finding(**item) for item in entry["findings"]]
        except (OSError, ValueError, TypeError, KeyError):
            self.misses.append(label)
            return None
        self.hits.append(label)
        return findings

    def put(self, key: str | None, label: str, findings: list[Finding]) -> None:
        if not self.enabled or key is None:
            return
        entry = {"format": FORMAT, "key": key, "dataset": label,
                 "findings": [f.to_dict() for f in findings]}
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
            try:
                with os.fdopen(fd, "w", encoding="utf-8") as out:
                    json.dump(entry, out, ensure_ascii=False)
                os.replace(tmp, self.folder / f"{key}.json")
            finally:
                if os.path.exists(tmp):
                    os.unlink(tmp)
        except OSError:
            pass  # a read-only checkout validates without a cache

    def summary(self) -> dict[str, Any]:
        return {"enabled": self.enabled, "hits": list(self.hits), "misses": list(self.misses)}
