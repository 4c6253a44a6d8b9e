"""PackageSearchQuery answered from the opencatalog_search_doc table.

Replaces only the Solr round trip: package_search, organization/group
dataset counts, autocomplete and the web search pages keep calling
`ckan.lib.search.query_for(model.Package).run(...)` as usual.
"""
from __future__ import annotations

import json
import logging
import re
from typing import Any

import sqlalchemy as sa
from ckan.common import config
from ckan.lib.search.common import SearchError, SearchQueryError
from ckan.lib.search.query import VALID_SOLR_PARAMETERS, PackageSearchQuery

from . import solrq, store

log = logging.getLogger(__name__)

# fields matched as case-insensitive substrings rather than exact strings
TEXT_FIELDS = {
    "text", "title", "notes", "name_ngram", "title_ngram", "res_name",
    "res_description", "author", "maintainer", "url",
}
# Solr copyFields CKAN queries that have no document field of their own
FIELD_ALIASES = {"name_ngram": "name", "title_ngram": "title"}
_FIELD_RE = re.compile(r"^[A-Za-z_][\w.\-]*$")
_SORT_RE = re.compile(r"^\s*([\w.\-]+)\s+(asc|desc)\s*$", re.IGNORECASE)


def _like(value: str) -> str:
    """ILIKE pattern for a substring; Solr's * and ? become SQL wildcards."""
    escaped = value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    escaped = escaped.replace("*", "%").replace("?", "_")
    return f"%{escaped}%"


class _Sql:
    """Accumulates a WHERE clause with bound parameters."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}
        self.text_terms: list[str] = []

    def bind(self, value: Any) -> str:
        name = f"p{len(self.params)}"
        self.params[name] = value
        return f":{name}"

    def value_match(self, fieldname: str, value: str) -> str:
        text_like = fieldname in TEXT_FIELDS
        fieldname = FIELD_ALIASES.get(fieldname, fieldname)
        f = self.bind(fieldname)
        if text_like:
            if fieldname == "text":
                self.text_terms.append(value)
            return (
                f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields->{f}) v"
                f" WHERE v ILIKE {self.bind(_like(value))})"
            )
        if value == "*":
            return f"(fields ? {f})"
        if "*" in value or "?" in value:
            pattern = self.bind(_like(value)[1:-1])
            return (
                f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields->{f}) v"
                f" WHERE v ILIKE {pattern})"
            )
        return f"(fields->{f} @> jsonb_build_array(CAST({self.bind(value)} AS text)))"

    def range_match(self, fieldname: str, lo: str, hi: str) -> str:
        f = self.bind(fieldname)
        conds = []
        if lo != "*":
            conds.append(f"v >= {self.bind(lo)}")
        if hi != "*":
            conds.append(f"v <= {self.bind(hi)}")
        where = " AND ".join(conds) or "TRUE"
        return f"EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields->{f}) v WHERE {where})"

    def clause(self, clause: solrq.Clause) -> str:
        fieldname = clause.field or "text"
        if not _FIELD_RE.match(fieldname):
            raise SearchQueryError(f"Invalid field: {fieldname}")
        if clause.range is not None:
            sql = self.range_match(fieldname, *clause.range)
        else:
            parts = [self.value_match(fieldname, v) for v in clause.values] or ["TRUE"]
            sql = "(" + (" AND " if clause.all_of else " OR ").join(parts) + ")"
        return f"(NOT {sql})" if clause.negate else sql

    def query(self, query: solrq.Query) -> str:
        if not query.groups:
            return "TRUE"
        ors = ["(" + " AND ".join(self.clause(c) for c in group) + ")" for group in query.groups]
        return "(" + " OR ".join(ors) + ")"


def _score_sql(sql: _Sql) -> str:
    """A crude relevance: title hits weigh most, then name, tags, any text."""
    parts = []
    for term in sql.text_terms:
        p = sql.bind(_like(term))
        parts.append(
            f"(CASE WHEN doc->>'title' ILIKE {p} THEN 4 ELSE 0 END"
            f" + CASE WHEN doc->>'name' ILIKE {p} THEN 4 ELSE 0 END"
            f" + CASE WHEN fields->>'tags' ILIKE {p} THEN 2 ELSE 0 END"
            f" + CASE WHEN doc->>'notes' ILIKE {p} THEN 1 ELSE 0 END)"
        )
    return " + ".join(parts)


def _order_by(sort: str | None, sql: _Sql) -> str:
    keys = []
    for part in (sort or "score desc, metadata_modified desc").split(","):
        if not part.strip():
            continue
        m = _SORT_RE.match(part)
        if not m:
            raise SearchQueryError('Invalid "sort" parameter')
        fieldname, direction = m.group(1), m.group(2).upper()
        if fieldname == "score":
            if sql.text_terms:  # without text terms every score is equal
                keys.append(f"({_score_sql(sql)}) {direction}")
        else:
            keys.append(f"(fields->{sql.bind(fieldname)}->>0) {direction} NULLS LAST")
    keys.append("index_id ASC")  # stable paging
    return ", ".join(keys)


def _facet_fields(query: dict[str, Any]) -> list[str]:
    raw = query.get("facet.field") or []
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            raw = [raw]
    return [f for f in raw if isinstance(f, str) and _FIELD_RE.match(f)]


class PgPackageSearchQuery(PackageSearchQuery):
    def get_all_entity_ids(self, max_results: int = 1000) -> list[str]:
        store.ensure_table()
        with store._engine().connect() as conn:
            rows = conn.execute(
                sa.text(
                    f"SELECT id FROM {store.TABLE} WHERE fields->'state' @> '[\"active\"]'"
                    " LIMIT :n"
                ),
                {"n": max_results},
            )
            return [r[0] for r in rows]

    def get_index(self, reference: str) -> dict[str, Any]:
        # package_show then falls back to the database: always fresh.
        raise SearchError(f"Dataset not found in the search index: {reference}")

    def run(
        self,
        query: dict[str, Any],
        permission_labels: list[str] | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        if not set(query.keys()) <= VALID_SOLR_PARAMETERS:
            invalid = sorted(set(query.keys()) - VALID_SOLR_PARAMETERS)
            raise SearchQueryError(f"Invalid search parameters: {invalid}")
        store.ensure_table()

        sql = _Sql()
        where = [sql.query(solrq.parse(query.get("q")))]
        fqs = [query.get("fq") or ""]
        fq_list = query.get("fq_list") or []
        fqs.extend([fq_list] if isinstance(fq_list, str) else fq_list)
        for fq in fqs:
            if isinstance(fq, str) and fq.strip():
                where.append(sql.query(solrq.parse(fq)))
        if not any("+state:" in (fq or "") for fq in fqs if isinstance(fq, str)):
            where.append(sql.value_match("state", "active"))
        where.append(sql.value_match("site_id", config.get("ckan.site_id")))
        if permission_labels is not None:
            where.append(
                "EXISTS (SELECT 1 FROM jsonb_array_elements_text(fields->'permission_labels') l"
                f" WHERE l = ANY({sql.bind(list(permission_labels))}))"
            )
        where_sql = " AND ".join(where)

        rows = int(query.get("rows", 10))
        start = int(query.get("start", 0) or 0)
        order = _order_by(query.get("sort"), sql)
        table = store.TABLE

        with store._engine().connect() as conn:
            self.count = conn.execute(
                sa.text(f"SELECT count(*) FROM {table} WHERE {where_sql}"), sql.params
            ).scalar_one()
            docs = [
                r[0]
                for r in conn.execute(
                    sa.text(
                        f"SELECT doc FROM {table} WHERE {where_sql} ORDER BY {order}"
                        f" LIMIT {sql.bind(max(rows, 0))} OFFSET {sql.bind(max(start, 0))}"
                    ),
                    sql.params,
                )
            ]
            self.facets = {}
            if str(query.get("facet", "true")).lower() == "true":
                self.facets = self._facets(conn, query, where_sql, sql)

        self.results = [self._select_fields(doc, query.get("fl") or "name") for doc in docs]
        fl = query.get("fl")
        if fl in ("id", "name"):
            self.results = [r.get(fl) for r in self.results]
        return {"results": self.results, "count": self.count}

    def _facets(
        self, conn: Any, query: dict[str, Any], where_sql: str, sql: _Sql
    ) -> dict[str, dict[str, int]]:
        limit = int(query.get("facet.limit") or config.get("search.facets.limit") or 50)
        mincount = int(query.get("facet.mincount") or 1)
        facets: dict[str, dict[str, int]] = {}
        for fieldname in _facet_fields(query):
            params = dict(sql.params, _ff=fieldname, _min=mincount)
            limit_sql = "" if limit < 0 else f" LIMIT {int(limit)}"
            rows = conn.execute(
                sa.text(
                    f"SELECT v, count(*) AS c FROM {store.TABLE},"
                    " jsonb_array_elements_text(COALESCE(fields->:_ff, '[]'::jsonb)) v"
                    f" WHERE {where_sql} GROUP BY v HAVING count(*) >= :_min"
                    f" ORDER BY c DESC, v ASC{limit_sql}"
                ),
                params,
            )
            facets[fieldname] = {r[0]: int(r[1]) for r in rows}
        return facets

    @staticmethod
    def _select_fields(doc: dict[str, Any], fl: str) -> dict[str, Any]:
        wanted = [f for f in re.split(r"[\s,]+", fl) if f]
        if "*" in wanted:
            selected = dict(doc)
        else:
            selected = {f: doc[f] for f in wanted if f in doc}
            selected.setdefault("id", doc.get("id"))
        # same shape as Solr results: extras_* collected into 'extras'
        extras = {k[len("extras_"):]: selected.pop(k) for k in list(selected) if
                  k.startswith("extras_")}
        if extras:
            selected["extras"] = extras
        return selected
