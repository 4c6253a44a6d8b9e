"""The search "index" kept in a PostgreSQL table of CKAN's own database.

CKAN's PackageSearchIndex builds the very document it would send to Solr
(validated_data_dict, permission_labels, capacity, res_format, ...). We keep
that index code untouched and only replace its Solr connection with this
store, so every field Solr would know about is available to the query side.
"""
from __future__ import annotations

import json
import logging
import re
import threading
from typing import Any

import sqlalchemy as sa

log = logging.getLogger(__name__)

TABLE = "opencatalog_search_doc"

# fields whose text makes up the catch-all "text" field (Solr copyField)
TEXT_SOURCES = (
    "name", "title", "notes", "tags", "groups", "organization", "res_name",
    "res_description", "author", "maintainer", "version", "url",
)

_lock = threading.Lock()
_ready = False


def _engine() -> sa.engine.Engine:
    from ckan import model

    return model.meta.engine


def ensure_table() -> None:
    """Create the table once per process (idempotent, race-safe)."""
    global _ready
    if _ready:
        return
    with _lock:
        if _ready:
            return
        with _engine().begin() as conn:
            # advisory lock: several processes (CLI + web) may start together
            conn.execute(sa.text("SELECT pg_advisory_xact_lock(74201)"))
            conn.execute(sa.text(
                f"CREATE TABLE IF NOT EXISTS {TABLE} ("
                " index_id text PRIMARY KEY,"
                " id text NOT NULL,"
                " name text,"
                " fields jsonb NOT NULL,"
                " doc jsonb NOT NULL)"
            ))
            conn.execute(sa.text(
                f"CREATE INDEX IF NOT EXISTS {TABLE}_fields ON {TABLE} USING gin (fields)"
            ))
        _ready = True


def _as_strings(value: Any) -> list[str]:
    """Normalise a Solr document value to a list of strings (Solr multiValued)."""
    if value is None:
        return []
    if isinstance(value, (list, tuple)):
        out: list[str] = []
        for item in value:
            out.extend(_as_strings(item))
        return out
    if isinstance(value, bool):
        return ["true" if value else "false"]
    if isinstance(value, dict):
        return [json.dumps(value, ensure_ascii=False)]
    return [str(value)]


def fields_of(doc: dict[str, Any]) -> dict[str, list[str]]:
    fields = {
        key: _as_strings(value)
        for key, value in doc.items()
        if key not in ("data_dict", "validated_data_dict")
    }
    text_parts: list[str] = []
    for key, values in fields.items():
        if key in TEXT_SOURCES or key.startswith("extras_"):
            text_parts.extend(values)
    fields["text"] = [" ".join(text_parts)]
    return fields


class PgSolrConnection:
    """Stands in for pysolr.Solr in ckan.lib.search.index."""

    url = "postgresql://(opencatalog_pgsearch)"

    def add(self, docs: list[dict[str, Any]], commit: bool = True, **_: Any) -> None:
        ensure_table()
        with _engine().begin() as conn:
            for doc in docs:
                conn.execute(
                    sa.text(
                        f"INSERT INTO {TABLE} (index_id, id, name, fields, doc)"
                        " VALUES (:index_id, :id, :name, CAST(:fields AS jsonb),"
                        " CAST(:doc AS jsonb))"
                        " ON CONFLICT (index_id) DO UPDATE SET id = EXCLUDED.id,"
                        " name = EXCLUDED.name, fields = EXCLUDED.fields, doc = EXCLUDED.doc"
                    ),
                    {
                        "index_id": doc["index_id"],
                        "id": doc["id"],
                        "name": doc.get("name"),
                        "fields": json.dumps(fields_of(doc), default=str),
                        "doc": json.dumps(doc, default=str),
                    },
                )

    def delete(self, q: str | None = None, id: str | None = None, **_: Any) -> None:  # noqa: A002
        ensure_table()
        ref = id
        if q:
            m = re.search(r'id:"([^"]*)"', q)
            ref = m.group(1) if m else None
        with _engine().begin() as conn:
            if ref:
                conn.execute(
                    sa.text(f"DELETE FROM {TABLE} WHERE id = :r OR name = :r"), {"r": ref}
                )
            else:  # clear_index(): "+site_id:..." only
                conn.execute(sa.text(f"DELETE FROM {TABLE}"))

    def commit(self, **_: Any) -> None:
        """Writes are committed immediately; nothing to do."""

    def search(self, *_: Any, **__: Any) -> Any:
        raise NotImplementedError("queries go through PgPackageSearchQuery")


def make_connection(*_: Any, **__: Any) -> PgSolrConnection:
    return PgSolrConnection()
