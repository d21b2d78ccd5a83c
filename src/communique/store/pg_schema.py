"""The knowledge base schema on PostgreSQL: the SQLite tables (``store/schema.py``), in PostgreSQL types.

The same migrations, step for step, recorded in ``meta.schema_version`` as on SQLite, so that a
version means one schema on both backends. What differs:

- ``facts.value``, the resolved tables' ``record`` and ``documents.tags``/``pages`` are JSONB;
- the full-text index is a ``tsvector`` column on ``passages`` with a GIN index (``passages_tsv``),
  made from the paragraph (weight A) and its document's title (weight B) by the ``communique`` text
  search configuration (``store/pg_search.py``); there is no separate index table;
- text columns compare byte-wise (``COLLATE "C"``), as SQLite does, so listings sort the same;
- BM25 is computed as FTS5 computes it (``store/pg_search.py``), from ``passages.tokens`` and the
  number of paragraphs a phrase matches, so that results rank as on SQLite;
- ``facts.n`` keeps the order facts were written in, which SQLite keeps in its rowid.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from communique.store.base import RECORD_TABLES
from communique.store.schema import check_version

__all__ = ["SCHEMA_VERSION", "migrate", "TABLES"]

T = 'TEXT COLLATE "C"'
TABLES = ("meta", "files", "facts", "passages", *RECORD_TABLES, "documents")  # dependants first


def _v1(cur: Any) -> None:
    cur.execute(
        f"""
        DO $$ BEGIN
            IF NOT EXISTS (SELECT 1 FROM pg_ts_dict WHERE dictname = 'communique_stem') THEN
                CREATE TEXT SEARCH DICTIONARY communique_stem (TEMPLATE = snowball, Language = english);
            END IF;
            IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'communique') THEN
                CREATE TEXT SEARCH CONFIGURATION communique (COPY = english);
                ALTER TEXT SEARCH CONFIGURATION communique ALTER MAPPING FOR asciiword, word, numword,
                    asciihword, hword, hword_asciipart, hword_part, hword_numpart WITH communique_stem;
            END IF;
        END $$;
        CREATE TABLE documents (
            id {T} PRIMARY KEY, path {T} NOT NULL, root {T} NOT NULL,
            title {T}, publisher {T}, date {T}, date_source {T}, url {T},
            tags JSONB NOT NULL DEFAULT '[]', format {T} NOT NULL, encoding {T}, size BIGINT,
            text_hash {T} NOT NULL UNIQUE, pages JSONB NOT NULL DEFAULT '[]',
            text {T} NOT NULL, added_at {T} NOT NULL
        );
        CREATE INDEX documents_path ON documents(path);
        CREATE INDEX documents_date ON documents(date);
        CREATE TABLE files (
            path {T} PRIMARY KEY, relpath {T} NOT NULL, root {T} NOT NULL, size BIGINT, mtime_ns BIGINT,
            status {T} NOT NULL, document_id {T}, reason {T}, seen_at {T} NOT NULL
        );
        CREATE INDEX files_document ON files(document_id);
        CREATE INDEX files_status ON files(status);
        CREATE TABLE passages (
            id BIGINT PRIMARY KEY,
            document_id {T} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind {T} NOT NULL, seq INTEGER NOT NULL, paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            tsv TSVECTOR NOT NULL,        -- paragraph words (weight A) and title words (B), stemmed
            tokens INTEGER NOT NULL       -- words of both: the length BM25 divides by
        );
        CREATE INDEX passages_document ON passages(document_id, kind, seq);
        CREATE INDEX passages_tsv ON passages USING GIN (tsv);
        CREATE TABLE facts (
            n BIGSERIAL,
            id {T} PRIMARY KEY,
            document_id {T} NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind {T} NOT NULL, value JSONB NOT NULL, start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            quote {T} NOT NULL, extractor {T} NOT NULL
        );
        CREATE INDEX facts_document ON facts(document_id);
        CREATE INDEX facts_kind ON facts(kind, n);
        """
    )
    for table in RECORD_TABLES:
        cur.execute(
            f"""CREATE TABLE {table} (id {T} PRIMARY KEY, seq INTEGER NOT NULL, key {T}, date {T},
                                      record JSONB NOT NULL);
                CREATE INDEX {table}_key ON {table}(lower(key));
                CREATE INDEX {table}_seq ON {table}(seq)"""
        )


def _v2(cur: Any) -> None:
    """As on SQLite: each document keeps its number of sentences, and sentences are not stored."""
    cur.execute(
        """ALTER TABLE documents ADD COLUMN sentences INTEGER NOT NULL DEFAULT 0;
           UPDATE documents SET sentences =
               (SELECT COUNT(*) FROM passages p WHERE p.document_id = documents.id AND p.kind = 'sentence');
           DELETE FROM passages WHERE kind = 'sentence'"""
    )


def _v3(cur: Any) -> None:
    """As on SQLite: each document keeps its kind, worked out again for documents stored before."""
    from communique.ingest.kind import document_kind

    cur.execute("ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'")
    cur.execute("SELECT id, title, substr(text, 1, 1500) FROM documents")
    rows = cur.fetchall()
    for row in rows:
        values = list(row.values()) if isinstance(row, dict) else list(row)
        cur.execute("UPDATE documents SET kind = %s WHERE id = %s", (document_kind(values[1], values[2]), values[0]))
    cur.execute("CREATE INDEX documents_kind ON documents(kind)")


MIGRATIONS: list[Callable[[Any], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(conn: Any) -> int:
    """Bring the schema up to date, one committed transaction per step; returns the version it was at."""
    from psycopg.rows import tuple_row

    with conn.cursor(row_factory=tuple_row) as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
        cur.execute("SELECT value FROM meta WHERE key = 'schema_version'")
        row = cur.fetchone()
        conn.commit()
        version = int(row[0]) if row else 0
        check_version(version, SCHEMA_VERSION)
        for step in range(version, SCHEMA_VERSION):
            MIGRATIONS[step](cur)
            cur.execute(
                "INSERT INTO meta(key, value) VALUES ('schema_version', %s) "
                "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value", (str(step + 1),)
            )
            conn.commit()
    return version
