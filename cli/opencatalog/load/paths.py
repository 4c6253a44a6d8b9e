"""Keeps every path a catalog names inside the repository."""

from __future__ import annotations

from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    pass


def resolve_inside(base: Path, relative: str, root: Path) -> Path:
    """Resolve `relative` against `base`, refusing anything that leaves `root`.

    Absolute paths, `..` segments and symlinks that point outside the repository
    are refused: a catalog from a pull request must not make CI read (or publish)
    files from elsewhere on the machine.
    """
    pure = PurePosixPath(relative.replace("\\", "/"))
    if pure.is_absolute() or (relative[1:3] == ":/" or relative[1:3] == ":\\"):
        raise UnsafePath(f"'{relative}' is an absolute path; give a path relative to {base.name}/")
    if ".." in pure.parts:
        raise UnsafePath(f"'{relative}' contains '..'; data files must stay inside {base.name}/")
    candidate = base / Path(*pure.parts)
    real = candidate.resolve()
    if not real.is_relative_to(root.resolve()):
        raise UnsafePath(f"'{relative}' is a symlink that points outside the repository ({real})")
    return candidate
