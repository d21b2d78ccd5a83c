"""``SQLiteStore``: the ``Store`` verbs on one SQLite file (the default backend).

Writes happen only in ``communique.build`` under an exclusive build lock; everything else reads.
"""

from __future__ import annotations

import fcntl
import json
import os
import re
import sqlite3
import time
from pathlib import Path
from contextlib import AbstractContextManager
from typing import Any, Iterable, Iterator

from communique.errors import BuildLockedError, StoreError
from communique.model import Document
from communique.store.base import RECORD_TABLES, PreparedRows, Store, StoredDocument, fact_id, open_store
from communique.store.schema import SCHEMA_VERSION, migrate
from communique.store.scoped import PassageRanges

__all__ = ["SQLiteStore", "Store", "StoredDocument", "PreparedRows", "open_store", "fact_id"]


READER_CACHE_KIB = -16384  # SQLite's page cache per read-only connection (negative: KiB)


def _immutable(path: str) -> bool:
    """A knowledge base in a folder this process cannot write, with no write-ahead log beside it:
    nobody can be writing it, and SQLite may read it without the shared-memory file it cannot make."""
    folder = os.path.dirname(os.path.abspath(path))
    return not os.access(folder, os.W_OK) and not os.path.exists(path + "-wal")


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class SQLiteStore(Store):
    """A knowledge base in one SQLite file. Use ``open_store`` to get one."""

    def __init__(self, path: str | Path, *, readonly: bool = True, upgrade: bool = True) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly:
            if not Path(self.path).is_file():
                raise StoreError(f"no knowledge base at {self.path}: run 'communique build PATH --db {self.path}' first")
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            if _immutable(self.path):  # a read-only folder: no lock or index file can be made beside it
                uri += "&immutable=1"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            # a reader keeps 16 MB of pages (a server has one per thread); the build 64 MB
            self.db.execute(f"PRAGMA cache_size = {READER_CACHE_KIB if readonly else -65536}")
            if readonly:
                row = self.db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
                if row is None:
                    raise StoreError(f"{self.path} is not a Communique knowledge base")
                if int(row[0]) < SCHEMA_VERSION:  # written by an older Communique: bring it up to date once
                    self.db.close()
                    self._upgrade()
                    self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
                    self.db.row_factory = sqlite3.Row
            else:
                self.db.execute("PRAGMA journal_mode = WAL")
                self.db.execute("PRAGMA synchronous = NORMAL")
                if upgrade:
                    self.upgrade()
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if "unable to open" in str(exc) or "readonly" in str(exc) or "locking" in str(exc):
                raise StoreError(f"cannot open {self.path} ({exc})") from None
            raise StoreError(f"{self.path} is not a Communique knowledge base ({exc})") from None
        self._lock_handle: Any = None
        self._next_passage: int | None = None  # the next paragraph id, known while a build writes

    # -- lifecycle -------------------------------------------------------------------------
    def upgrade(self) -> None:
        """Bring the schema up to date (writable stores only)."""
        try:
            migrate(self.db)
        except sqlite3.DatabaseError as exc:
            raise StoreError(f"{self.path} is not a Communique knowledge base ({exc})") from None

    def _upgrade(self) -> None:
        try:
            SQLiteStore(self.path, readonly=False).close()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"{self.path} was built by an older Communique and cannot be upgraded here ({exc}): "
                f"run 'communique build PATH --db {self.path}'"
            ) from None

    def close(self) -> None:
        self.release_lock()
        self.db.close()

    def acquire_lock(self, wait: float = 0.0) -> None:
        """Take the exclusive build lock (a lock file beside the database).

        Raises:
            BuildLockedError: another build holds it after ``wait`` seconds.
        """
        handle = open(self.path + ".lock", "a+")
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.close()
                    raise BuildLockedError(
                        f"another build is writing to {self.path}: wait for it to finish, or use --wait SECONDS"
                    ) from None
                time.sleep(0.2)
        handle.seek(0)
        handle.truncate()
        handle.write(str(os.getpid()))
        handle.flush()
        self._lock_handle = handle

    def release_lock(self) -> None:
        if self._lock_handle is not None:
            fcntl.flock(self._lock_handle, fcntl.LOCK_UN)
            self._lock_handle.close()
            self._lock_handle = None

    # -- writing (build only) ----------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta(key, value) VALUES (?, ?)", (key, json.dumps(value)))

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return json.loads(row[0]) if row else default

    def known_files(self) -> dict[str, tuple[int, int, str, str | None]]:
        """Absolute path -> (size, mtime_ns, status, document_id) of every file seen before."""
        return {
            r[0]: (r[1], r[2], r[3], r[4])
            for r in self.db.execute("SELECT path, size, mtime_ns, status, document_id FROM files")
        }

    def document_by_text_hash(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE text_hash = ?", (text_hash,)).fetchone()
        return row[0] if row else None

    def insert_document(self, doc: Document, root: str, rows: "PreparedRows") -> None:
        """Insert a document with its paragraphs, index rows and facts (inside the caller's transaction)."""
        db = self.db
        db.execute(
            """INSERT INTO documents(id, path, root, title, publisher, date, date_source, url, tags, format,
                   encoding, size, text_hash, pages, text, added_at, sentences, kind)
               VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
            (doc.id, doc.path, root, doc.title, doc.publisher, doc.date, doc.date_source, doc.url,
             json.dumps(doc.tags), doc.format, doc.encoding, doc.size, doc.text_hash,
             json.dumps(doc.pages), doc.text, _now(), rows.sentences, doc.kind),
        )
        if self._next_passage is None:
            self._next_passage = db.execute("SELECT COALESCE(MAX(id), 0) FROM passages").fetchone()[0] + 1
        first = self._next_passage
        self._next_passage += len(rows.paragraphs)
        db.executemany(
            'INSERT INTO passages(id, document_id, kind, seq, paragraph, start, "end") VALUES (?,?,\'paragraph\',?,?,?,?)',
            [(first + i, doc.id, seq, seq, start, end) for i, (seq, start, end) in enumerate(rows.paragraphs)],
        )
        title = doc.title or ""
        text = doc.text
        db.executemany("INSERT INTO passages_fts(rowid, text, title) VALUES (?,?,?)",
                       [(first + i, text[start:end], title) for i, (_, start, end) in enumerate(rows.paragraphs)])
        db.executemany(
            'INSERT OR IGNORE INTO facts(id, document_id, kind, value, start, "end", quote, extractor) VALUES (?,?,?,?,?,?,?,?)',
            [(f[0], doc.id, *f[1:]) for f in rows.facts],
        )

    def delete_document(self, document_id: str) -> None:
        db = self.db
        # an external-content index forgets a row when told the values it indexed
        db.execute(
            """INSERT INTO passages_fts(passages_fts, rowid, text, title)
               SELECT 'delete', id, text, COALESCE(title, '') FROM paragraph_text WHERE document_id = ?""",
            (document_id,),
        )
        db.execute("DELETE FROM passages WHERE document_id = ?", (document_id,))
        db.execute("DELETE FROM facts WHERE document_id = ?", (document_id,))
        db.execute("DELETE FROM documents WHERE id = ?", (document_id,))

    def record_file(
        self, path: str, relpath: str, root: str, size: int | None, mtime_ns: int | None,
        status: str, document_id: str | None, reason: str | None = None,
    ) -> str | None:
        """Record what a file held; returns the document it held before, if that changed."""
        row = self.db.execute("SELECT document_id FROM files WHERE path = ?", (path,)).fetchone()
        self.db.execute(
            """INSERT OR REPLACE INTO files(path, relpath, root, size, mtime_ns, status, document_id, reason, seen_at)
               VALUES (?,?,?,?,?,?,?,?,?)""",
            (path, relpath, root, size, mtime_ns, status, document_id, reason, _now()),
        )
        previous = row[0] if row else None
        return previous if previous and previous != document_id else None

    def drop_orphan(self, document_id: str) -> bool:
        """Delete a document no file refers to any more."""
        still = self.db.execute("SELECT 1 FROM files WHERE document_id = ? LIMIT 1", (document_id,)).fetchone()
        if still:
            return False
        self.delete_document(document_id)
        return True

    def reset(self) -> None:
        """Start over (``--rebuild``): a new empty file, faster than deleting every row.

        Call with the build lock held; the lock lives in its own file and stays held."""
        self.db.close()
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(self.path + suffix):
                os.remove(self.path + suffix)
        self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        for pragma in ("busy_timeout = 30000", "foreign_keys = ON", "cache_size = -65536", "journal_mode = WAL",
                       "synchronous = NORMAL"):
            self.db.execute(f"PRAGMA {pragma}")
        migrate(self.db)
        self._next_passage = None

    # -- reading -------------------------------------------------------------------------------
    def document(self, ref: str) -> StoredDocument | None:
        """A document by id, by path relative to its build folder, or by a unique prefix of either."""
        if not ref or len(ref) > 4096:  # no path is that long; SQLite refuses such a LIKE pattern
            return None
        row = self.db.execute("SELECT * FROM documents WHERE id = ? OR path = ?", (ref, ref)).fetchone()
        if row is None:
            prefix = ref.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
            rows = self.db.execute(
                "SELECT * FROM documents WHERE id LIKE ? ESCAPE '\\' OR path LIKE ? ESCAPE '\\' LIMIT 2",
                (prefix, prefix),
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            return None
        return StoredDocument(
            id=row["id"], path=row["path"], root=row["root"], title=row["title"], publisher=row["publisher"],
            date=row["date"], date_source=row["date_source"], url=row["url"], tags=json.loads(row["tags"]),
            format=row["format"], encoding=row["encoding"], size=row["size"], text=row["text"],
            pages=json.loads(row["pages"]), kind=row["kind"] or "other",
        )

    def documents(self, limit: int | None = None, offset: int = 0, kind: str | None = None) -> list[dict[str, Any]]:
        sql = """SELECT d.id, d.path, d.title, d.publisher, d.date, d.url, d.kind, d.format, length(d.text) AS chars,
                        (SELECT COUNT(*) FROM files f WHERE f.document_id = d.id AND f.status = 'duplicate') AS duplicates
                 FROM documents d WHERE (? IS NULL OR d.kind = ?) ORDER BY d.path LIMIT ? OFFSET ?"""
        return [dict(r) for r in self.db.execute(sql, (kind, kind, limit if limit is not None else -1, offset))]

    def errors(self) -> list[dict[str, Any]]:
        return [
            dict(r)
            for r in self.db.execute("SELECT relpath AS path, root, reason, seen_at FROM files WHERE status='error' ORDER BY relpath")
        ]

    def duplicates(self) -> list[dict[str, Any]]:
        sql = """SELECT f.relpath AS path, d.path AS duplicate_of FROM files f JOIN documents d ON d.id = f.document_id
                 WHERE f.status = 'duplicate' ORDER BY f.relpath"""
        return [dict(r) for r in self.db.execute(sql)]

    def stats(self) -> dict[str, Any]:
        one = lambda sql: self.db.execute(sql).fetchone()[0]  # noqa: E731
        counts = {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "characters": one("SELECT COALESCE(SUM(length(text)), 0) FROM documents"),
            "paragraphs": one("SELECT COUNT(*) FROM passages WHERE kind='paragraph'"),
            "sentences": one("SELECT COALESCE(SUM(sentences), 0) FROM documents"),
            "files_seen": one("SELECT COUNT(*) FROM files"),
            "duplicates": one("SELECT COUNT(*) FROM files WHERE status='duplicate'"),
            "errors": one("SELECT COUNT(*) FROM files WHERE status='error'"),
            "facts": one("SELECT COUNT(*) FROM facts"),
        }
        for table in ("meetings", "events", "commitments", "figures", "people", "entities"):
            counts[table] = one(f"SELECT COUNT(*) FROM {table}")
        counts["earliest_date"] = one("SELECT MIN(date) FROM documents")
        counts["latest_date"] = one("SELECT MAX(date) FROM documents")
        counts["formats"] = {r[0]: r[1] for r in self.db.execute("SELECT format, COUNT(*) FROM documents GROUP BY format")}
        counts["kinds"] = {r[0]: r[1] for r in self.db.execute("SELECT kind, COUNT(*) FROM documents GROUP BY kind ORDER BY COUNT(*) DESC")}
        counts["roots"] = [r[0] for r in self.db.execute("SELECT DISTINCT root FROM documents ORDER BY root")]
        counts["file_size_bytes"] = os.path.getsize(self.path) if os.path.exists(self.path) else 0
        counts["last_build"] = self.get_meta("last_build")
        return counts

    def iter_facts(self, kind: str | None = None) -> Iterator[sqlite3.Row]:
        if kind:
            yield from self.db.execute(
                'SELECT f.*, d.path, d.title, d.date AS doc_date, d.kind AS doc_kind FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.kind = ? ORDER BY d.path, f.start', (kind,)
            )
        else:
            yield from self.db.execute(
                'SELECT f.*, d.path, d.title, d.date AS doc_date, d.kind AS doc_kind FROM facts f JOIN documents d ON d.id = f.document_id ORDER BY d.path, f.start'
            )

    def ranked_paragraphs(self, match: str, limit: int, scope: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """Paragraphs for an FTS5 MATCH expression, best BM25 first, with their document's path, title,
        date and the paragraph's text; ``scope`` (document ids) restricts them to those documents."""
        where, args = "passages_fts MATCH ?", [match]
        ids: list[str] = []
        if scope is not None:
            ids = sorted(set(scope))
            where += f" AND p.document_id IN ({','.join('?' * len(ids))})"
            args += ids
        if scope is not None and not ids:
            return []
        blocks = self._ranges().blocks(ids) if scope is not None else None
        if blocks == []:
            return []  # documents without paragraphs
        if blocks:  # the scope's paragraphs by their rowid ranges (``store.scoped``)
            condition, bounds = self._ranges().where(blocks)
            rows = self.db.execute(
                f"""SELECT p.document_id, p.start, p."end", d.path, d.title, d.date,
                          substr(d.text, p.start + 1, p."end" - p.start) AS text, r.bm25
                   FROM (SELECT rowid, bm25(passages_fts, 1.0, 0.3) AS bm25 FROM passages_fts
                         WHERE passages_fts MATCH ? AND ({condition}) ORDER BY bm25 LIMIT ?) r
                   JOIN passages p ON p.id = r.rowid JOIN documents d ON d.id = p.document_id ORDER BY r.bm25""",
                (match, *bounds, limit),
            ).fetchall()
            return [dict(r) for r in rows]
        if scope is None:  # rank first, then read the text of the best rows only
            rows = self.db.execute(
                """SELECT p.document_id, p.start, p."end", d.path, d.title, d.date,
                          substr(d.text, p.start + 1, p."end" - p.start) AS text, r.bm25
                   FROM (SELECT rowid, bm25(passages_fts, 1.0, 0.3) AS bm25 FROM passages_fts
                         WHERE passages_fts MATCH ? ORDER BY bm25 LIMIT ?) r
                   JOIN passages p ON p.id = r.rowid JOIN documents d ON d.id = p.document_id ORDER BY r.bm25""",
                (match, limit),
            ).fetchall()
            return [dict(r) for r in rows]
        rows = self.db.execute(
            f"""SELECT p.document_id, p.start, p."end", d.path, d.title, d.date,
                       substr(d.text, p.start + 1, p."end" - p.start) AS text, bm25(passages_fts, 1.0, 0.3) AS bm25
                FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id
                WHERE {where} ORDER BY bm25 LIMIT ?""",
            (*args, limit),
        ).fetchall()
        return [dict(r) for r in rows]

    def _ranges(self) -> PassageRanges:
        """The paragraph id ranges of the documents (``store.scoped``), made at the first scoped search."""
        if getattr(self, "_passage_ranges", None) is None:
            self._passage_ranges = PassageRanges(self.db)
        return self._passage_ranges

    def paragraph_frequency(self, term: str) -> int:
        """How many paragraphs hold a word (FTS5, stemmed as the index stems): for IDF weights."""
        quoted = '"' + term.replace('"', '""') + '"'
        try:
            return int(self.db.execute("SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?", (quoted,)).fetchone()[0])
        except sqlite3.OperationalError:
            return 0

    def document_ids_by_path(self) -> dict[str, str]:
        """Every document's id by its path."""
        return {r[0]: r[1] for r in self.db.execute("SELECT path, id FROM documents")}

    def paragraph_total(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM passages WHERE kind = 'paragraph'").fetchone()[0])

    def records(self, table: str, key: str | None = None) -> list[dict[str, Any]]:
        """Resolved records of one kind (meetings, events, ...), optionally filtered on their key."""
        if table not in ("meetings", "events", "commitments", "figures", "people", "entities"):
            raise StoreError(f"unknown record table {table!r}")
        if key:
            rows = self.db.execute(f"SELECT record FROM {table} WHERE key = ? COLLATE NOCASE ORDER BY seq", (key,))
        else:
            rows = self.db.execute(f"SELECT record FROM {table} ORDER BY seq")
        return [json.loads(r[0]) for r in rows]

    def record_fields(self, table: str, paths: dict[str, tuple[str | int, ...]]) -> list[dict[str, Any]]:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        names = list(paths)
        columns = "".join(", json_extract(record, ?)" for _ in names)
        rows = self.db.execute(f"SELECT id{columns} FROM {table} ORDER BY seq", [_json_path(paths[n]) for n in names])
        return [{"id": r[0], **dict(zip(names, r[1:]))} for r in rows]

    def records_by_id(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        out: dict[str, dict[str, Any]] = {}
        wanted = sorted(set(ids))
        for i in range(0, len(wanted), 500):
            part = wanted[i : i + 500]
            for r in self.db.execute(f"SELECT id, record FROM {table} WHERE id IN ({','.join('?' * len(part))})", part):
                out[r[0]] = json.loads(r[1])
        return out

    # -- verbs that the build, resolvers and queries once ran as SQL of their own ----------------
    def stamp(self) -> Any:
        return max((os.path.getmtime(p) for p in (self.path, self.path + "-wal") if os.path.exists(p)), default=0.0)

    def time_limit(self, seconds: float, what: str = "the query") -> AbstractContextManager[None]:
        from communique.store.limits import time_limit

        return time_limit(self.db, seconds, what)

    def begin(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def commit(self) -> None:
        self.db.commit()

    def rollback(self) -> None:
        if self.db.in_transaction:
            self.db.rollback()

    def has_document(self, document_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = ?", (document_id,)).fetchone() is not None

    def file_holding(self, document_id: str, other_than: str) -> str | None:
        row = self.db.execute(
            "SELECT relpath FROM files WHERE document_id = ? AND status = 'stored' AND path != ? LIMIT 1",
            (document_id, other_than),
        ).fetchone()
        return row[0] if row else None

    def replace_records(self, table: str, rows: list[tuple[str, int, Any, Any, str]]) -> int:
        if table not in RECORD_TABLES:
            raise StoreError(f"unknown record table {table!r}")
        self.db.execute(f"DELETE FROM {table}")
        self.db.executemany(f"INSERT OR REPLACE INTO {table}(id, seq, key, date, record) VALUES (?,?,?,?,?)", rows)
        return self.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]  # records of one id are one row

    def count_documents(self) -> int:
        return self.db.execute("SELECT COUNT(*) FROM documents").fetchone()[0]

    def document_text(self, document_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM documents WHERE id = ?", (document_id,)).fetchone()
        return row[0] if row else None

    def text_at(self, path: str) -> str | None:
        row = self.db.execute("SELECT text FROM documents WHERE path = ?", (path,)).fetchone()
        return row[0] if row else None

    def text_slice(self, document_id: str, start: int, end: int) -> str:
        return self.db.execute("SELECT substr(text, ?, ?) FROM documents WHERE id = ?",
                               (start + 1, end - start, document_id)).fetchone()[0]

    def paragraph_at(self, path: str, start: int, end: int) -> tuple[int, int] | None:
        row = self.db.execute(
            """SELECT p.start, p."end" FROM passages p JOIN documents d ON d.id = p.document_id
               WHERE d.path = ? AND p.start <= ? AND p."end" >= ? LIMIT 1""",
            (path, start, end),
        ).fetchone()
        return (row[0], row[1]) if row else None

    def mentions(self) -> Iterator[sqlite3.Row]:
        yield from self.db.execute(
            """SELECT json_extract(f.value, '$.name') AS name, json_extract(f.value, '$.kind') AS kind,
                      COALESCE(json_extract(f.value, '$.count'), 0) AS count, f.start, f."end", f.quote,
                      d.path, d.title, d.date, substr(d.text, f."end" + 1, 60) AS after
               FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.kind = 'mention' ORDER BY d.date, d.path, f.start"""
        )

    def named_mentions(self, kinds: tuple[str, ...]) -> Iterator[sqlite3.Row]:
        marks = ", ".join("?" for _ in kinds)
        yield from self.db.execute(
            f"""SELECT f.document_id, f.start, f."end", f.quote, json_extract(f.value, '$.name') AS name,
                      json_extract(f.value, '$.kind') AS kind, d.path, d.title, d.date
               FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.kind = 'mention'
                 AND json_extract(f.value, '$.kind') IN ({marks})""",
            kinds,
        )

    def document_catalog(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute(
            "SELECT id, path, title, publisher, date, kind FROM documents ORDER BY path, id")]

    def passage_ranges(self) -> list[tuple[int, str]]:
        return [(r[0], r[1]) for r in self.db.execute(
            "SELECT MIN(id), document_id FROM passages GROUP BY document_id ORDER BY 1")]

    def passage_heads(self, ids: list[int], chars: int = 240) -> list[tuple[int, int, int, str]]:
        out: list[tuple[int, int, int, str]] = []
        for chunk in range(0, len(ids), 900):  # SQLite's limit on a statement's parameters
            part = ids[chunk : chunk + 900]
            out += [tuple(r) for r in self.db.execute(  # type: ignore[misc]
                f"""SELECT p.id, p.start, p."end", substr(d.text, p.start + 1, min(p."end" - p.start, ?)) FROM passages p
                    JOIN documents d ON d.id = p.document_id WHERE p.id IN ({",".join("?" * len(part))})""",
                (chars, *part))]
        return out

    def passage_spans(self, ids: list[int]) -> dict[int, tuple[int, int]]:
        out: dict[int, tuple[int, int]] = {}
        for chunk in range(0, len(ids), 900):  # SQLite's limit on a statement's parameters
            part = ids[chunk : chunk + 900]
            out.update((r[0], (r[1], r[2])) for r in self.db.execute(
                f'SELECT id, start, "end" FROM passages WHERE id IN ({",".join("?" * len(part))})', part))
        return out

    def document_texts(self, document_ids: list[str]) -> dict[str, str]:
        ids = list(dict.fromkeys(document_ids))
        out: dict[str, str] = {}
        for chunk in range(0, len(ids), 900):
            part = ids[chunk : chunk + 900]
            out.update((r[0], r[1]) for r in self.db.execute(
                f"SELECT id, text FROM documents WHERE id IN ({','.join('?' * len(part))})", part))
        return out

    def mention_counts(
        self, *, names: tuple[str, ...] | None = None, kinds: tuple[str, ...] | None = None, per: str = "document_id",
    ) -> list[tuple[str, str, int]]:
        if per not in ("document_id", "path"):
            raise StoreError(f"mention counts are per document_id or path, not {per!r}")
        where, args = ["f.kind = 'mention'"], []
        if names is not None:
            where.append(f"json_extract(f.value, '$.name') IN ({','.join('?' * len(names))})")
            args += list(names)
        if kinds is not None:
            where.append(f"json_extract(f.value, '$.kind') IN ({','.join('?' * len(kinds))})")
            args += list(kinds)
        key = "f.document_id" if per == "document_id" else "d.path"
        join = "" if per == "document_id" else " JOIN documents d ON d.id = f.document_id"
        return [(r[0], r[1], r[2]) for r in self.db.execute(
            f"""SELECT {key}, json_extract(f.value, '$.name'), COUNT(*) FROM facts f{join}
                WHERE {' AND '.join(where)} GROUP BY 1, 2""", args)]

    def count_matches(self, match: str) -> int:
        return self.db.execute("SELECT COUNT(*) FROM passages_fts WHERE passages_fts MATCH ?", (match,)).fetchone()[0]

    def latest_matches(self, match: str, limit: int, offset: int = 0) -> list[int]:
        return [r[0] for r in self.db.execute(
            "SELECT rowid FROM passages_fts WHERE passages_fts MATCH ? ORDER BY rowid DESC LIMIT ? OFFSET ?",
            (match, limit, offset))]

    def rank_matches(self, match: str, limit: int, since_id: int = 0) -> list[tuple[int, float]]:
        return [(r[0], -r[1]) for r in self.db.execute(
            "SELECT rowid, bm25(passages_fts, 1.0, 1.0) FROM passages_fts WHERE passages_fts MATCH ? AND rowid >= ? "
            "ORDER BY bm25(passages_fts, 1.0, 1.0) LIMIT ?", (match, since_id, limit))]

    def highlight_passage(self, match: str, passage_id: int) -> str | None:
        row = self.db.execute("SELECT highlight(passages_fts, 0, char(2), char(3)) FROM passages_fts "
                              "WHERE passages_fts MATCH ? AND rowid = ?", (match, passage_id)).fetchone()
        return row[0] if row else None

    def _passage_tokenizer(self) -> str:
        """passages_fts's tokenizer, as its schema declares it."""
        if getattr(self, "_tokenizer", None) is None:
            row = self.db.execute("SELECT sql FROM sqlite_master WHERE name = 'passages_fts'").fetchone()
            found = re.search(r"tokenize\s*=\s*'([^']*)'", row[0] if row else "")
            self._tokenizer = found.group(1) if found else "unicode61"
        return self._tokenizer

    def highlight_passages(self, match: str, passage_ids: list[int],
                           texts: dict[int, tuple[str, str | None]] | None = None) -> dict[int, str]:
        """The page's paragraphs indexed again in a temporary FTS5 table of their own (same columns and
        tokenizer, so the same expression marks the same words): ``MATCH ... AND rowid = ?`` on the
        corpus's index reads the whole doclist of every word for each row (a few ms per common word),
        here the expression costs a few rows. The connection's own temporary table, empty after use."""
        ids = list(dict.fromkeys(passage_ids))[:900]  # a page of results (SQLite's limit on parameters)
        if not ids:
            return {}
        known = texts or {}
        rows: list[tuple[int, str, str | None]] = [(i, *known[i]) for i in ids if i in known]
        unknown = [i for i in ids if i not in known]
        if unknown:
            rows += [tuple(r) for r in self.db.execute(  # type: ignore[misc]
                f"SELECT id, text, title FROM paragraph_text WHERE id IN ({','.join('?' * len(unknown))})", unknown)]
        started = not self.db.in_transaction
        self.db.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.page_marks USING fts5(text, title, tokenize = "
                        f"'{self._passage_tokenizer()}')")
        # the rows live in a savepoint that is rolled back: FTS5 matches its pending rows in memory, and
        # nothing is ever written to (or deleted from) the temporary table's segments
        self.db.execute("SAVEPOINT page_marks")
        try:
            self.db.executemany("INSERT INTO temp.page_marks(rowid, text, title) VALUES (?, ?, ?)", rows)
            return {r[0]: r[1] for r in self.db.execute(
                "SELECT rowid, highlight(page_marks, 0, char(2), char(3)) FROM temp.page_marks WHERE page_marks MATCH ?",
                (match,))}
        finally:
            try:
                self.db.execute("ROLLBACK TO page_marks")
                self.db.execute("RELEASE page_marks")
            finally:
                if started and self.db.in_transaction:
                    self.db.rollback()  # only the temporary table was written: no snapshot of the file is kept open

    def search_passages(
        self, match: str, limit: int, *, title_weight: float = 1.0, highlight: bool = False,
        after: str | None = None, except_path: str | None = None,
    ) -> list[dict[str, Any]]:
        if after is not None or except_path is not None:
            # filtered on the document: the filter applies before the limit, so ranked with the join
            return [dict(r) for r in self.db.execute(
                """SELECT p.id, p.document_id, p.start, p."end", d.path, d.title, d.date,
                          substr(d.text, p.start + 1, p."end" - p.start) AS text,
                          -bm25(passages_fts, 1.0, ?) AS score
                   FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id
                   WHERE passages_fts MATCH ? AND (? IS NULL OR d.date > ?) AND (? IS NULL OR d.path != ?)
                   ORDER BY bm25(passages_fts, 1.0, ?) LIMIT ?""",
                (title_weight, match, after, after, except_path, except_path, title_weight, limit))]
        if highlight:
            # ranked ids first, from the index alone; text and highlights only for those kept (a
            # paragraph's text is read from its document, so reading it for every match is unbounded work)
            ids = [r[0] for r in self.db.execute(
                """SELECT rowid FROM passages_fts WHERE passages_fts MATCH ?
                   ORDER BY bm25(passages_fts, 1.0, ?) LIMIT ?""", (match, title_weight, limit))]
            if not ids:
                return []
            marks = ",".join("?" * len(ids))
            found = {r["id"]: dict(r) for r in self.db.execute(
                f"""SELECT p.id, p.document_id, p.start, p."end", d.path, d.title, d.date,
                           substr(d.text, p.start + 1, p."end" - p.start) AS text,
                           -bm25(passages_fts, 1.0, ?) AS score,
                           highlight(passages_fts, 0, char(2), char(3)) AS marked
                    FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid
                    JOIN documents d ON d.id = p.document_id
                    WHERE passages_fts MATCH ? AND passages_fts.rowid IN ({marks})""",
                (title_weight, match, *ids))}
            return [found[i] for i in ids if i in found]
        rows = self.db.execute(
            # ranked from the index alone first: the text is cut only for the paragraphs kept
            """SELECT p.id, p.document_id, p.start, p."end", d.path, d.title, d.date,
                      substr(d.text, p.start + 1, p."end" - p.start) AS text, -ranked.score AS score
               FROM (SELECT rowid, bm25(passages_fts, 1.0, ?) AS score FROM passages_fts
                     WHERE passages_fts MATCH ? ORDER BY score LIMIT ?) ranked
               JOIN passages p ON p.id = ranked.rowid JOIN documents d ON d.id = p.document_id
               ORDER BY ranked.score""",
            (title_weight, match, limit),
        ).fetchall()
        return [dict(r) for r in rows]


def _json_path(path: tuple[str | int, ...]) -> str:
    """SQLite's JSON path of a tuple of keys and list indexes: ("sources", 0, "document") ->
    '$."sources"[0]."document"'."""
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else '."' + step.replace('"', '""') + '"' for step in path)
