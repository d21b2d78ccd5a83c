"""``Store``: the verbs that read and write the knowledge base.

Writes happen only in ``communique.build`` under an exclusive build lock; everything else reads.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import sqlite3
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Iterator

from communique.errors import BuildLockedError, StoreError
from communique.model import Document, Fact
from communique.store.schema import SCHEMA_VERSION, migrate

__all__ = ["Store", "StoredDocument", "PreparedRows", "open_store", "fact_id"]


@dataclass(frozen=True, slots=True)
class StoredDocument:
    id: str
    path: str
    root: str
    title: str | None
    publisher: str | None
    date: str | None
    date_source: str | None
    url: str | None
    tags: list[str]
    format: str
    encoding: str | None
    size: int
    text: str
    pages: list[list[int]]

    def summary(self) -> dict[str, Any]:
        return {
            "id": self.id, "path": self.path, "title": self.title, "publisher": self.publisher,
            "date": self.date, "url": self.url, "format": self.format, "chars": len(self.text),
        }


@dataclass(slots=True)
class PreparedRows:
    """A document's paragraphs and facts as plain rows, made in the worker process so that the
    process that writes only writes: ``paragraphs`` are (seq, start, end), ``facts``
    (id, kind, value JSON, start, end, quote, extractor); ``sentences`` is their number."""

    paragraphs: list[tuple[int, int, int]]
    facts: list[tuple[str, str, str, int, int, str, str]]
    sentences: int = 0

    @classmethod
    def of(cls, doc: Document, facts: list[Fact]) -> "PreparedRows":
        return cls(
            [(p.seq, p.start, p.end) for p in doc.passages if p.kind == "paragraph"],
            [(fact_id(doc.id, f), f.kind, _VALUE_ENCODER.encode(f.value), f.start, f.end,
              doc.text[f.start : f.end], f.extractor) for f in facts],
            sum(1 for p in doc.passages if p.kind == "sentence"),
        )


# Encoders made once: making one per call costs more than encoding a small fact.
_VALUE_ENCODER = json.JSONEncoder(ensure_ascii=False)
_ID_ENCODER = json.JSONEncoder(sort_keys=True)


def fact_id(document_id: str, fact: Fact) -> str:
    payload = _ID_ENCODER.encode([document_id, fact.kind, fact.start, fact.end, fact.value])
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:16]


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


class Store:
    """An open knowledge base. Use ``open_store`` to get one."""

    def __init__(self, path: str | Path, *, readonly: bool = True, upgrade: bool = True) -> None:
        self.path = str(path)
        self.readonly = readonly
        if readonly:
            if not Path(self.path).is_file():
                raise StoreError(f"no knowledge base at {self.path}: run 'communique build PATH --db {self.path}' first")
            uri = f"file:{Path(self.path).resolve()}?mode=ro"
            self.db = sqlite3.connect(uri, uri=True, check_same_thread=False)
        else:
            Path(self.path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, timeout=30, check_same_thread=False)
        self.db.row_factory = sqlite3.Row
        try:
            self.db.execute("PRAGMA busy_timeout = 30000")
            self.db.execute("PRAGMA foreign_keys = ON")
            self.db.execute("PRAGMA cache_size = -65536")
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
            Store(self.path, readonly=False).close()
        except (sqlite3.Error, OSError) as exc:
            raise StoreError(
                f"{self.path} was built by an older Communique and cannot be upgraded here ({exc}): "
                f"run 'communique build PATH --db {self.path}'"
            ) from None

    def close(self) -> None:
        self.release_lock()
        self.db.close()

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

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
        row = self.db.execute("SELECT * FROM documents WHERE id = ? OR path = ?", (ref, ref)).fetchone()
        if row is None:
            rows = self.db.execute(
                "SELECT * FROM documents WHERE id LIKE ? OR path LIKE ? LIMIT 2",
                (ref.replace("%", "") + "%", ref.replace("%", "") + "%"),
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
        if scope is not None:
            ids = sorted(set(scope))
            if not ids:
                return []
            where += f" AND p.document_id IN ({','.join('?' * len(ids))})"
            args += ids
        rows = self.db.execute(
            f"""SELECT p.document_id, p.start, p."end", d.path, d.title, d.date,
                       substr(d.text, p.start + 1, p."end" - p.start) AS text, bm25(passages_fts, 1.0, 0.3) AS bm25
                FROM passages_fts JOIN passages p ON p.id = passages_fts.rowid JOIN documents d ON d.id = p.document_id
                WHERE {where} ORDER BY bm25 LIMIT ?""",
            (*args, limit),
        ).fetchall()
        return [dict(r) for r in rows]

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


def open_store(path: str | Path, *, readonly: bool = True, upgrade: bool = True) -> Store:
    """Open a knowledge base file (created and migrated when ``readonly`` is false).

    ``upgrade=False`` leaves an older schema as it is: for a caller that empties the file at once
    (``reset``), so that it does not first pay to migrate what it throws away."""
    return Store(path, readonly=readonly, upgrade=upgrade)
