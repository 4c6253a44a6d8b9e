"""A small parser for the subset of Solr query syntax CKAN itself emits.

CKAN builds `q` and `fq` strings such as
    +capacity:public +state:(active OR draft) owner_org:"abc" tags:"ชุมชน"
    name_ngram:"x" OR title_ngram:"x"
    metadata_modified:[2020-01-01T00:00:00Z TO *]
We parse them into  OR-of-AND groups of clauses; anything fancier (boosts,
fuzzy, nested boolean trees) is not supported and degrades to text terms.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# one clause: optional +/-/NOT, optional field:, then a value which may be a
# quoted string, a parenthesised list, a [a TO b] range, or a bare word.
_CLAUSE = re.compile(
    r"""
    (?P<sign>[+-])?
    (?:(?P<field>[A-Za-z_][\w.\-]*):)?
    (?P<value>
        "(?:[^"\\]|\\.)*"
      | \((?:[^()"\\]|\\.|"(?:[^"\\]|\\.)*")*\)
      | \[[^\]]*\]
      | \{[^}]*\}
      | (?:[^\s()"\\]|\\.)+
    )
    """,
    re.VERBOSE,
)


@dataclass
class Clause:
    field: str | None  # None: free text
    values: list[str]  # alternatives (OR) unless all_of
    negate: bool = False
    all_of: bool = False  # (a AND b)
    range: tuple[str, str] | None = None  # inclusive [lo TO hi], '*' = open


@dataclass
class Query:
    # OR over groups; each group is an AND of clauses. Empty = match all.
    groups: list[list[Clause]] = field(default_factory=list)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    return re.sub(r"\\(.)", r"\1", value)


def _split_list(inner: str) -> tuple[list[str], bool]:
    tokens = re.findall(r'"(?:[^"\\]|\\.)*"|\S+', inner)
    all_of = any(t == "AND" for t in tokens)
    values = [_unquote(t) for t in tokens if t not in ("OR", "AND")]
    return values, all_of


def _parse_clause(m: re.Match[str], negate: bool) -> Clause | None:
    fieldname = m.group("field")
    raw = m.group("value")
    negate = negate or m.group("sign") == "-"
    if raw.startswith("(") and raw.endswith(")"):
        values, all_of = _split_list(raw[1:-1])
        return Clause(fieldname, values, negate, all_of)
    if raw[0] in "[{" and " TO " in raw:
        lo, hi = raw[1:-1].split(" TO ", 1)
        return Clause(fieldname, [], negate, range=(lo.strip(), hi.strip()))
    value = _unquote(raw)
    if fieldname is None and value in ("*:*", "*"):
        return None
    return Clause(fieldname, [value], negate)


def parse(text: str | None) -> Query:
    """Parse a q/fq string. Top-level OR splits groups; all else is AND."""
    query = Query()
    if not text or text.strip() in ("*:*", '""', "''"):
        return query
    group: list[Clause] = []
    negate_next = False
    pos = 0
    text = text.strip()
    while pos < len(text):
        if text[pos].isspace():
            pos += 1
            continue
        word = re.match(r"(OR|AND|NOT|&&|\|\|)(?=\s)", text[pos:])
        if word:
            op = word.group(1)
            if op in ("OR", "||"):
                query.groups.append(group)
                group = []
            elif op == "NOT":
                negate_next = True
            pos += word.end()
            continue
        m = _CLAUSE.match(text, pos)
        if not m or m.end() == pos:
            pos += 1  # skip a stray character (e.g. unmatched bracket)
            continue
        clause = _parse_clause(m, negate_next)
        negate_next = False
        if clause is not None:
            group.append(clause)
        pos = m.end()
    query.groups.append(group)
    query.groups = [g for g in query.groups if g] or []
    return query


def merge_and(queries: list[Query]) -> list[Query]:
    """fq entries are ANDed together; keep them as separate Query objects."""
    return [q for q in queries if q.groups]
