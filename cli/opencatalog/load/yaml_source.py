"""Safe YAML reading that remembers where every value came from.

Catalog files are written by people, so every problem must point at a file, line
and column.  PyYAML's composer gives us nodes with marks; we build plain Python
values from them ourselves so we can (a) refuse duplicate keys, which PyYAML
silently accepts, (b) refuse anchors and aliases, the vehicle of "billion laughs"
bombs and never needed in a catalog, and (c) record a position for each key path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from opencatalog.report.model import Finding

MAX_YAML_BYTES = 2 * 1024 * 1024  # a catalog file is a few KB; refuse anything absurd

KeyPath = tuple[str | int, ...]


class YamlProblem(Exception):
    def __init__(self, code: str, message: str, line: int | None, column: int | None,
                 hint: str | None = None) -> None:
        super().__init__(message)
        self.code, self.message, self.line, self.column, self.hint = code, message, line, column, hint


@dataclass
class YamlDoc:
    """A parsed YAML file: its data and the position of each value and key."""

    file: str  # repository-relative path, posix
    data: Any
    value_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    key_pos: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)

    def where(self, path: KeyPath, *, key: bool = False) -> tuple[int | None, int | None]:
        """Line and column of `path`, or of its nearest existing parent."""
        table = self.key_pos if key else self.value_pos
        probe = tuple(path)
        while probe:
            if probe in table:
                return table[probe]
            if probe in self.value_pos:
                return self.value_pos[probe]
            probe = probe[:-1]
        return self.value_pos.get((), (1, 1))

    def finding(self, code: str, message: str, path: KeyPath = (), *, key: bool = False,
                **extra: Any) -> Finding:
        line, column = self.where(path, key=key)
        if "field" not in extra and path:
            extra["field"] = dotted(path)
        return Finding(code=code, message=message, file=self.file, line=line, column=column,
                       **extra)


def dotted(path: KeyPath) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


class _Loader(yaml.SafeLoader):
    def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: D401 - PyYAML hook
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise YamlProblem(
                "yaml.alias", "YAML aliases (*name) are not allowed in catalog files",
                event.start_mark.line + 1, event.start_mark.column + 1,
                hint="write the value out in full instead of referring to an anchor",
            )
        event = self.peek_event()
        anchor = getattr(event, "anchor", None)
        if anchor is not None:
            raise YamlProblem(
                "yaml.anchor", f"YAML anchors (&{anchor}) are not allowed in catalog files",
                event.start_mark.line + 1, event.start_mark.column + 1,
                hint="remove the anchor and write each value out in full",
            )
        return super().compose_node(parent, index)


def _pos(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


MAX_DEPTH = 64  # catalog files nest a handful of levels; deeper is a mistake or an attack


# The YAML core schema's tags; anything else (!!python/..., !custom) is refused: catalog files
# hold plain values, and a tag on a mapping would otherwise be passed over unnoticed.
_CORE_TAGS = {f"tag:yaml.org,2002:{t}" for t in
              ("str", "int", "float", "bool", "null", "map", "seq", "timestamp", "merge")}


def _build(node: yaml.Node, path: KeyPath, doc: YamlDoc, loader: Any) -> Any:
    if node.tag not in _CORE_TAGS:
        raise YamlProblem("yaml.tag", f"the YAML tag {node.tag} is not allowed in catalog files",
                          *_pos(node), hint="remove the tag: catalog files hold plain values "
                                            "(text, numbers, lists, mappings)")
    if len(path) > MAX_DEPTH:
        raise YamlProblem("yaml.too-deep", f"YAML is nested more than {MAX_DEPTH} levels deep",
                          *_pos(node), hint="flatten the structure; catalog files nest a few levels")
    doc.value_pos[path] = _pos(node)
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise YamlProblem("yaml.key-type", "a key must be a plain word, not a list or mapping",
                                  *_pos(key_node))
            if key_node.tag == "tag:yaml.org,2002:merge":
                raise YamlProblem("yaml.merge", "YAML merge keys (<<) are not allowed in catalog files",
                                  *_pos(key_node), hint="write the keys out in full")
            key = str(loader.construct_object(key_node))
            if key in out:
                first = doc.key_pos[path + (key,)]
                raise YamlProblem(
                    "yaml.duplicate-key",
                    f"key '{key}' appears twice in the same mapping (first on line {first[0]})",
                    *_pos(key_node), hint="keep one of the two; YAML would silently drop the first",
                )
            doc.key_pos[path + (key,)] = _pos(key_node)
            out[key] = _build(value_node, path + (key,), doc, loader)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_build(item, path + (i,), doc, loader) for i, item in enumerate(node.value)]
    # Dates stay text: catalog dates are copied verbatim into CKAN string fields, and an
    # impossible one (2023-02-30) is a finding of the profile rules, not a YAML crash.
    if node.tag == "tag:yaml.org,2002:timestamp":
        return node.value
    value = loader.construct_object(node)
    if isinstance(value, dt.date | dt.datetime):
        return node.value
    return value


_FastLoader: type | None = getattr(yaml, "CSafeLoader", None)  # libyaml, when PyYAML has it


def _fast_path_safe(text: str) -> bool:
    """libyaml composes in C, where the anchor/alias hook above cannot run, so it is used only
    when the text cannot hold an anchor or alias (no & or *) and cannot nest deeply
    (bounded brackets and indentation); anything else takes the pure-Python loader."""
    if "&" in text or "*" in text or text.count("[") + text.count("{") > MAX_DEPTH:
        return False
    return max((len(line) - len(line.lstrip(" ")) for line in text.splitlines()), default=0) \
        <= 2 * MAX_DEPTH


def parse_yaml(text: str, file: str) -> YamlDoc:
    """Parse one YAML document; raise YamlProblem with a position on any problem."""
    if _FastLoader is not None and _fast_path_safe(text):
        fast = _FastLoader(text)
        try:
            node = fast.get_single_node()
            if node is not None:
                doc = YamlDoc(file=file, data=None)
                doc.data = _build(node, (), doc, fast)
                return doc
        except yaml.YAMLError:
            pass  # report it with the pure-Python parser's (tested) messages and positions
        finally:
            fast.dispose()
    doc = YamlDoc(file=file, data=None)
    loader = _Loader(text)
    try:
        try:
            node = loader.get_single_node()
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line, col = (mark.line + 1, mark.column + 1) if mark else (None, None)
            problem = exc.problem or str(exc)
            raise YamlProblem("yaml.syntax", f"YAML syntax error: {problem}", line, col,
                              hint="check indentation and quoting on this line") from None
        except yaml.YAMLError as exc:
            raise YamlProblem("yaml.syntax", f"YAML error: {exc}", None, None) from None
        if node is None:
            doc.data = None
            return doc
        doc.data = _build(node, (), doc, loader)
        return doc
    except RecursionError:
        # Hundreds of nested [ or { : never a catalog, and a way to crash a parser.
        raise YamlProblem("yaml.too-deep", "YAML is nested too deeply to be a catalog file",
                          1, None, hint="flatten the structure; catalog files nest a few levels") from None
    finally:
        loader.dispose()


def read_yaml(path: Path, root: Path) -> YamlDoc:
    """Read and parse a file of the repository at `root`."""
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    size = path.stat().st_size
    if size > MAX_YAML_BYTES:
        raise YamlProblem("yaml.too-large",
                          f"file is {size // 1024} KB; catalog files may be at most "
                          f"{MAX_YAML_BYTES // 1024 // 1024} MB", None, None,
                          hint="keep data in datapackages/, not in YAML")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise YamlProblem("yaml.encoding", "file is not UTF-8", line, None,
                          hint="save the file as UTF-8 (e.g. `iconv -f CP874 -t UTF-8`)") from None
    return parse_yaml(text, rel)
