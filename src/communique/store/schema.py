"""The knowledge base schema: plain tables with readable names, migrations as recorded steps.

Tables a user can query directly (``sqlite3 communique.db``, Datasette, DB Browser):

- ``documents``: one row per distinct document: clean ``text`` and metadata; ``path`` is the file
  name relative to the folder the build started from; ``kind`` what sort of document it is
  (``communique.ingest.kind``).
- ``files``: every file a build has seen: its size and modification time (for incremental builds),
  its status (``stored``, ``duplicate``, ``error``) and the reason of an error.
- ``passages``: paragraphs, as ``start``/``end`` offsets into ``documents.text``. Sentences are not
  stored: ``communique.ingest.passages.sentence_spans`` finds them again in a paragraph, in microseconds.
- ``paragraph_text``: a view, each paragraph with its text and its document's title.
- ``passages_fts``: FTS5 index over paragraph text and title; rowid = passages.id. Its content is
  read from ``paragraph_text``, so the text is stored once, in ``documents``.
- ``facts``: every fact extracted from one document, ``value`` a JSON object, with its evidence span.
- ``meetings``, ``events``, ``commitments``, ``figures``, ``people``, ``entities``: facts resolved
  across documents, each row's ``record`` a JSON object with its ``sources``.
- ``meta``: schema version and build information.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

__all__ = ["SCHEMA_VERSION", "migrate"]


def _v1(db: sqlite3.Connection) -> None:
    db.executescript(
        """
        CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
        CREATE TABLE documents (
            id TEXT PRIMARY KEY,          -- hash of the file's raw bytes
            path TEXT NOT NULL,           -- relative to the folder the build started from
            root TEXT NOT NULL,           -- that folder
            title TEXT, publisher TEXT, date TEXT, date_source TEXT, url TEXT,
            tags TEXT NOT NULL DEFAULT '[]',      -- JSON list
            format TEXT NOT NULL, encoding TEXT, size INTEGER,
            text_hash TEXT NOT NULL UNIQUE,       -- hash of the normalised text: duplicates share it
            pages TEXT NOT NULL DEFAULT '[]',     -- JSON [[page, start offset], ...] for PDFs
            text TEXT NOT NULL,
            added_at TEXT NOT NULL
        );
        CREATE INDEX documents_path ON documents(path);
        CREATE INDEX documents_date ON documents(date);
        CREATE TABLE files (
            path TEXT PRIMARY KEY,        -- absolute path on the machine that built
            relpath TEXT NOT NULL, root TEXT NOT NULL,
            size INTEGER, mtime_ns INTEGER,
            status TEXT NOT NULL,         -- stored | duplicate | error
            document_id TEXT,             -- the document it holds (or duplicates)
            reason TEXT,                  -- why it failed, for status = error
            seen_at TEXT NOT NULL
        );
        CREATE INDEX files_document ON files(document_id);
        CREATE INDEX files_status ON files(status);
        CREATE TABLE passages (
            id INTEGER PRIMARY KEY,
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,           -- paragraph | sentence
            seq INTEGER NOT NULL, paragraph INTEGER NOT NULL,
            start INTEGER NOT NULL, "end" INTEGER NOT NULL
        );
        CREATE INDEX passages_document ON passages(document_id, kind, seq);
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            text, title, tokenize = 'porter unicode61 remove_diacritics 2'
        );
        CREATE TABLE facts (
            id TEXT PRIMARY KEY,          -- hash of (document, kind, span, value)
            document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,           -- meeting | event | commitment | figure | role | mention
            value TEXT NOT NULL,          -- JSON object
            start INTEGER NOT NULL, "end" INTEGER NOT NULL,
            quote TEXT NOT NULL,
            extractor TEXT NOT NULL
        );
        CREATE INDEX facts_document ON facts(document_id);
        CREATE INDEX facts_kind ON facts(kind);
        """
    )
    for table in ("meetings", "events", "commitments", "figures", "people", "entities"):
        db.execute(
            f"""CREATE TABLE {table} (
                id TEXT PRIMARY KEY, seq INTEGER NOT NULL,
                key TEXT,                  -- kind, mechanism, measure or canonical name: for filters
                date TEXT,                 -- ISO 8601 at the stated precision
                record TEXT NOT NULL       -- JSON, the shape the CLI's --json prints
            )"""
        )
        db.execute(f"CREATE INDEX {table}_key ON {table}(key)")
        db.execute(f"CREATE INDEX {table}_seq ON {table}(seq)")


def _v2(db: sqlite3.Connection) -> None:
    """Sentences are found again when needed rather than stored (a build writes 70% fewer rows);
    the full-text index reads its content from the documents (the text is stored once); each
    document keeps its number of sentences."""
    db.executescript(
        """
        ALTER TABLE documents ADD COLUMN sentences INTEGER NOT NULL DEFAULT 0;
        UPDATE documents SET sentences =
            (SELECT COUNT(*) FROM passages p WHERE p.document_id = documents.id AND p.kind = 'sentence');
        DELETE FROM passages WHERE kind = 'sentence';
        DROP TABLE passages_fts;
        CREATE VIEW paragraph_text AS
            SELECT p.id AS id, p.document_id AS document_id,
                   substr(d.text, p.start + 1, p."end" - p.start) AS text, d.title AS title
            FROM passages p JOIN documents d ON d.id = p.document_id;
        CREATE VIRTUAL TABLE passages_fts USING fts5(
            text, title, content = 'paragraph_text', content_rowid = 'id',
            tokenize = 'porter unicode61 remove_diacritics 2'
        );
        -- pending index data is flushed in 8 MB rather than 1 MB pieces: fewer segments to merge
        INSERT INTO passages_fts(passages_fts, rank) VALUES ('hashsize', 8388608);
        INSERT INTO passages_fts(passages_fts) VALUES ('rebuild');
        """
    )


def _v3(db: sqlite3.Connection) -> None:
    """Each document keeps its kind (joint statement, readout, proclamation...), worked out again
    here from the stored title and text for documents built before kinds existed."""
    from communique.ingest.kind import document_kind

    db.execute("ALTER TABLE documents ADD COLUMN kind TEXT NOT NULL DEFAULT 'other'")
    rows = db.execute("SELECT id, title, substr(text, 1, 1500) FROM documents").fetchall()
    db.executemany("UPDATE documents SET kind = ? WHERE id = ?",
                   [(document_kind(title, opening), doc_id) for doc_id, title, opening in rows])
    db.execute("CREATE INDEX documents_kind ON documents(kind)")


MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [_v1, _v2, _v3]
SCHEMA_VERSION = len(MIGRATIONS)


def check_version(version: int, current: int) -> None:
    """Refuse a knowledge base written by a newer Communique (either backend)."""
    if version > current:
        from communique.errors import StoreError

        raise StoreError(
            f"the knowledge base has schema version {version}, newer than this Communique "
            f"({current}): upgrade Communique"
        )


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema up to date; returns the version it was at."""
    db.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)")
    row = db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    version = int(row[0]) if row else 0
    check_version(version, SCHEMA_VERSION)
    for step in range(version, SCHEMA_VERSION):
        with db:
            MIGRATIONS[step](db)
            db.execute(
                "INSERT OR REPLACE INTO meta(key, value) VALUES ('schema_version', ?)", (str(step + 1),)
            )
    return version
