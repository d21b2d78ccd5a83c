"""``PostgresStore``: the ``Store`` verbs on a PostgreSQL database (``--db postgresql://...``).

A server that many readers and the web tier share. The tables are those of the SQLite file
(``store/pg_schema.py``); the build lock is a session advisory lock, so two builds into one
database exclude each other wherever they run. Readers use autocommit read-only sessions.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from communique.errors import BuildLockedError, QueryTimeout, StoreError
from communique.model import Document
from communique.store.base import RECORD_TABLES, PreparedRows, Store, StoredDocument
from communique.store.pg_schema import SCHEMA_VERSION, TABLES, migrate
from communique.store.pg_search import CONFIG, headlines, index_text, search_passages, to_tsquery_text

__all__ = ["PostgresStore"]

_LOCK_KEY = 0x436F6D6D  # the build lock: one advisory lock id for every Communique database


def _TSV_OF(body: str, title: str) -> str:  # noqa: N802 - reads as the SQL it writes
    return f"setweight(to_tsvector('{CONFIG}', {body}), 'A') || setweight(to_tsvector('{CONFIG}', {title}), 'B')"


def _now() -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())


def redact(url: str) -> str:
    """The URL without its password, for messages."""
    return re.sub(r"(://[^:/@]+):[^@]*@", r"\1:***@", url)


class PostgresStore(Store):
    """A knowledge base in a PostgreSQL database. Use ``open_store`` to get one."""

    def __init__(self, url: str, *, readonly: bool = True, upgrade: bool = True) -> None:
        import psycopg
        from psycopg.rows import dict_row

        self.path = url
        self.readonly = readonly
        self._psycopg = psycopg
        try:
            self.db = psycopg.connect(url, autocommit=readonly, row_factory=dict_row, connect_timeout=10,
                                      application_name="communique")
        except psycopg.Error as exc:
            raise StoreError(f"cannot connect to {redact(url)}: {_first_line(exc)}") from None
        self._locked = False
        self._next_passage: int | None = None
        self._bm25: dict[Any, Any] = {}  # corpus figures BM25 needs, for one stamp of the knowledge base
        try:
            version = self._version()
            if readonly:
                if version is None:
                    raise StoreError(f"no knowledge base at {redact(url)}: run 'communique build PATH --db URL' first")
                if version < SCHEMA_VERSION:  # written by an older Communique: bring it up to date once
                    PostgresStore(url, readonly=False).close()
                self.db.read_only = True
            elif upgrade:
                self.upgrade()
        except psycopg.Error as exc:
            self.db.close()
            raise StoreError(f"{redact(url)} is not a Communique knowledge base ({_first_line(exc)})") from None
        except BaseException:
            self.db.close()
            raise

    def _version(self) -> int | None:
        row = self.db.execute("SELECT to_regclass('meta') IS NOT NULL AS present").fetchone()
        if not row["present"]:
            self._end_read()
            return None
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        self._end_read()
        return int(row["value"]) if row else None

    def _end_read(self) -> None:
        if not self.db.autocommit:
            self.db.commit()  # a writer must not sit in a transaction that a read opened

    # -- lifecycle -------------------------------------------------------------------------
    def upgrade(self) -> None:
        try:
            migrate(self.db)
        except self._psycopg.Error as exc:
            self.db.rollback()
            raise StoreError(f"{redact(self.path)}: cannot bring the schema up to date ({_first_line(exc)})") from None

    def close(self) -> None:
        if self.db.closed:
            return
        self.release_lock()
        self.db.close()

    def acquire_lock(self, wait: float = 0.0) -> None:
        deadline = time.monotonic() + wait
        while True:
            row = self.db.execute("SELECT pg_try_advisory_lock(%s) AS ok", (_LOCK_KEY,)).fetchone()
            self._end_read()
            if row["ok"]:
                self._locked = True
                return
            if time.monotonic() >= deadline:
                raise BuildLockedError(
                    f"another build is writing to {redact(self.path)}: wait for it to finish, or use --wait SECONDS"
                )
            time.sleep(0.2)

    def release_lock(self) -> None:
        if self._locked and not self.db.closed:
            if not self.db.autocommit:
                self.db.rollback()
            self.db.execute("SELECT pg_advisory_unlock(%s)", (_LOCK_KEY,))
            self._end_read()
            self._locked = False

    def reset(self) -> None:
        self.db.rollback()
        self.db.execute("DROP TABLE IF EXISTS " + ", ".join(TABLES) + " CASCADE")
        self.db.commit()
        migrate(self.db)
        self._next_passage = None

    def stamp(self) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'last_build'").fetchone()
        self._end_read()
        return row["value"] if row else None

    # -- transactions ----------------------------------------------------------------------
    @contextmanager
    def time_limit(self, seconds: float, what: str = "the query") -> Iterator[None]:
        """PostgreSQL stops the statement itself (``statement_timeout``)."""
        import psycopg

        with self.db.cursor() as cur:
            cur.execute(f"SET statement_timeout = {max(1, int(seconds * 1000))}")
        try:
            yield
        except psycopg.errors.QueryCanceled:
            if not self.db.autocommit:
                self.db.rollback()
            raise QueryTimeout(f"{what} took longer than {seconds:g} s and was stopped: try fewer or rarer words") from None
        finally:
            with self.db.cursor() as cur:
                cur.execute("SET statement_timeout = 0")

    def begin(self) -> None:
        """Transactions open at the first statement (psycopg); nothing to do."""

    def commit(self) -> None:
        self.db.commit()

    def rollback(self) -> None:
        if not self.db.closed:
            self.db.rollback()

    # -- writing (build only) ----------------------------------------------------------------
    def set_meta(self, key: str, value: Any) -> None:
        self.db.execute(
            "INSERT INTO meta(key, value) VALUES (%s, %s) ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            (key, json.dumps(value)),
        )

    def get_meta(self, key: str, default: Any = None) -> Any:
        row = self.db.execute("SELECT value FROM meta WHERE key = %s", (key,)).fetchone()
        return json.loads(row["value"]) if row else default

    def known_files(self) -> dict[str, tuple[int, int, str, str | None]]:
        rows = self.db.execute("SELECT path, size, mtime_ns, status, document_id FROM files").fetchall()
        return {r["path"]: (r["size"], r["mtime_ns"], r["status"], r["document_id"]) for r in rows}

    def document_by_text_hash(self, text_hash: str) -> str | None:
        row = self.db.execute("SELECT id FROM documents WHERE text_hash = %s", (text_hash,)).fetchone()
        return row["id"] if row else None

    def has_document(self, document_id: str) -> bool:
        return self.db.execute("SELECT 1 FROM documents WHERE id = %s", (document_id,)).fetchone() is not None

    def file_holding(self, document_id: str, other_than: str) -> str | None:
        row = self.db.execute(
            "SELECT relpath FROM files WHERE document_id = %s AND status = 'stored' AND path != %s LIMIT 1",
            (document_id, other_than),
        ).fetchone()
        return row["relpath"] if row else None

    def insert_document(self, doc: Document, root: str, rows: PreparedRows) -> None:
        db = self.db
        if self._next_passage is None:
            self._next_passage = db.execute("SELECT COALESCE(MAX(id), 0) + 1 AS n FROM passages").fetchone()["n"]
        first = self._next_passage
        self._next_passage += len(rows.paragraphs)
        title = index_text(doc.title or "")
        text = index_text(doc.text)
        title_tokens = len(title.split())
        paragraphs = rows.paragraphs
        with db.pipeline():  # the document's three statements in one round trip
            db.execute(
                """INSERT INTO documents(id, path, root, title, publisher, date, date_source, url, tags, format,
                       encoding, size, text_hash, pages, text, added_at, sentences, kind)
                   VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s)""",
                (doc.id, doc.path, root, doc.title, doc.publisher, doc.date, doc.date_source, doc.url,
                 json.dumps(doc.tags), doc.format, doc.encoding, doc.size, doc.text_hash,
                 json.dumps(doc.pages), doc.text, _now(), rows.sentences, doc.kind),
            )
            db.execute(
                f"""INSERT INTO passages(id, document_id, kind, seq, paragraph, start, "end", tsv, tokens)
                    SELECT id, %s, 'paragraph', seq, seq, start, stop, {_TSV_OF('body', '%s::text')}, tokens
                    FROM unnest(%s::bigint[], %s::int[], %s::int[], %s::int[], %s::text[], %s::int[])
                         AS u(id, seq, start, stop, body, tokens)""",
                (doc.id, title, [first + i for i in range(len(paragraphs))], [p[0] for p in paragraphs],
                 [p[1] for p in paragraphs], [p[2] for p in paragraphs], [text[a:b] for _, a, b in paragraphs],
                 [len(text[a:b].split()) + title_tokens for _, a, b in paragraphs]),
            )
            facts = rows.facts
            db.execute(
                """INSERT INTO facts(id, document_id, kind, value, start, "end", quote, extractor)
                   SELECT id, %s, kind, value::jsonb, start, stop, quote, extractor
                   FROM unnest(%s::text[], %s::text[], %s::text[], %s::int[], %s::int[], %s::text[], %s::text[])
                        WITH ORDINALITY AS u(id, kind, value, start, stop, quote, extractor, n)
                   ORDER BY n ON CONFLICT (id) DO NOTHING""",
                (doc.id, *([f[i] for f in facts] for i in range(7))),
            )

    def delete_document(self, document_id: str) -> None:
        for table in ("passages", "facts", "documents"):
            key = "id" if table == "documents" else "document_id"
            self.db.execute(f"DELETE FROM {table} WHERE {key} = %s", (document_id,))

    def record_file(
        self, path: str, relpath: str, root: str, size: int | None, mtime_ns: int | None,
        status: str, document_id: str | None, reason: str | None = None,
    ) -> str | None:
        row = self.db.execute(  # one round trip: the statement's snapshot still sees the old row
            """WITH old AS (SELECT document_id FROM files WHERE path = %s)
               INSERT INTO files(path, relpath, root, size, mtime_ns, status, document_id, reason, seen_at)
               VALUES (%s,%s,%s,%s,%s,%s,%s,%s,%s)
               ON CONFLICT (path) DO UPDATE SET relpath = EXCLUDED.relpath, root = EXCLUDED.root,
                   size = EXCLUDED.size, mtime_ns = EXCLUDED.mtime_ns, status = EXCLUDED.status,
                   document_id = EXCLUDED.document_id, reason = EXCLUDED.reason, seen_at = EXCLUDED.seen_at
               RETURNING (SELECT document_id FROM old) AS previous""",
            (path, path, relpath, root, size, mtime_ns, status, document_id, reason, _now()),
        ).fetchone()
        previous = row["previous"] if row else None
        return previous if previous and previous != document_id else None

    def drop_orphan(self, document_id: str) -> bool:
        still = self.db.execute("SELECT 1 FROM files WHERE document_id = %s LIMIT 1", (document_id,)).fetchone()
        if still:
            return False
        self.delete_document(document_id)
        return True

    def replace_records(self, table: str, rows: list[tuple[str, int, Any, Any, str]]) -> int:
        _check_table(table)
        self.db.execute(f"DELETE FROM {table}")
        with self.db.cursor() as cur:
            cur.executemany(
                f"""INSERT INTO {table}(id, seq, key, date, record) VALUES (%s,%s,%s,%s,%s)
                    ON CONFLICT (id) DO UPDATE SET seq = EXCLUDED.seq, key = EXCLUDED.key,
                        date = EXCLUDED.date, record = EXCLUDED.record""",
                rows,
            )
        return self.db.execute(f"SELECT COUNT(*) AS n FROM {table}").fetchone()["n"]

    # -- reading -------------------------------------------------------------------------------
    def document(self, ref: str) -> StoredDocument | None:
        row = self.db.execute("SELECT * FROM documents WHERE id = %s OR path = %s LIMIT 1", (ref, ref)).fetchone()
        if row is None:
            prefix = ref.replace("%", "") + "%"  # ILIKE, as SQLite's LIKE: ASCII case folded, '_' any character
            rows = self.db.execute(
                "SELECT * FROM documents WHERE id ILIKE %s OR path ILIKE %s LIMIT 2", (prefix, prefix)
            ).fetchall()
            row = rows[0] if len(rows) == 1 else None
        if row is None:
            return None
        return StoredDocument(
            id=row["id"], path=row["path"], root=row["root"], title=row["title"], publisher=row["publisher"],
            date=row["date"], date_source=row["date_source"], url=row["url"], tags=row["tags"],
            format=row["format"], encoding=row["encoding"], size=row["size"], text=row["text"], pages=row["pages"], kind=row.get("kind") or "other",
        )

    def documents(self, limit: int | None = None, offset: int = 0, kind: str | None = None) -> list[dict[str, Any]]:
        sql = """SELECT d.id, d.path, d.title, d.publisher, d.date, d.url, d.kind, d.format, length(d.text) AS chars,
                        (SELECT COUNT(*) FROM files f WHERE f.document_id = d.id AND f.status = 'duplicate') AS duplicates
                 FROM documents d WHERE (%s::text IS NULL OR d.kind = %s) ORDER BY d.path LIMIT %s OFFSET %s"""
        return self.db.execute(sql, (kind, kind, limit, offset)).fetchall()

    def count_documents(self) -> int:
        return self.db.execute("SELECT COUNT(*) AS n FROM documents").fetchone()["n"]

    def document_text(self, document_id: str) -> str | None:
        row = self.db.execute("SELECT text FROM documents WHERE id = %s", (document_id,)).fetchone()
        return row["text"] if row else None

    def text_at(self, path: str) -> str | None:
        row = self.db.execute("SELECT text FROM documents WHERE path = %s LIMIT 1", (path,)).fetchone()
        return row["text"] if row else None

    def text_slice(self, document_id: str, start: int, end: int) -> str:
        return self.db.execute("SELECT substr(text, %s, %s) AS t FROM documents WHERE id = %s",
                               (start + 1, end - start, document_id)).fetchone()["t"]

    def paragraph_at(self, path: str, start: int, end: int) -> tuple[int, int] | None:
        row = self.db.execute(
            """SELECT p.start, p."end" FROM passages p JOIN documents d ON d.id = p.document_id
               WHERE d.path = %s AND p.start <= %s AND p."end" >= %s ORDER BY p.id LIMIT 1""",
            (path, start, end),
        ).fetchone()
        return (row["start"], row["end"]) if row else None

    def errors(self) -> list[dict[str, Any]]:
        return self.db.execute(
            "SELECT relpath AS path, root, reason, seen_at FROM files WHERE status='error' ORDER BY relpath"
        ).fetchall()

    def duplicates(self) -> list[dict[str, Any]]:
        return self.db.execute(
            """SELECT f.relpath AS path, d.path AS duplicate_of FROM files f JOIN documents d ON d.id = f.document_id
               WHERE f.status = 'duplicate' ORDER BY f.relpath"""
        ).fetchall()

    def stats(self) -> dict[str, Any]:
        one = lambda sql: next(iter(self.db.execute(sql).fetchone().values()))  # noqa: E731
        counts = {
            "documents": one("SELECT COUNT(*) FROM documents"),
            "characters": int(one("SELECT COALESCE(SUM(length(text)), 0) FROM documents")),
            "paragraphs": one("SELECT COUNT(*) FROM passages WHERE kind='paragraph'"),
            "sentences": int(one("SELECT COALESCE(SUM(sentences), 0) FROM documents")),
            "files_seen": one("SELECT COUNT(*) FROM files"),
            "duplicates": one("SELECT COUNT(*) FROM files WHERE status='duplicate'"),
            "errors": one("SELECT COUNT(*) FROM files WHERE status='error'"),
            "facts": one("SELECT COUNT(*) FROM facts"),
        }
        for table in RECORD_TABLES:
            counts[table] = one(f"SELECT COUNT(*) FROM {table}")
        counts["earliest_date"] = one("SELECT MIN(date) FROM documents")
        counts["latest_date"] = one("SELECT MAX(date) FROM documents")
        counts["formats"] = {r["format"]: r["n"] for r in self.db.execute(
            "SELECT format, COUNT(*) AS n FROM documents GROUP BY format ORDER BY format")}
        counts["kinds"] = {r["kind"]: r["n"] for r in self.db.execute(
            "SELECT kind, COUNT(*) AS n FROM documents GROUP BY kind ORDER BY COUNT(*) DESC, kind")}
        counts["roots"] = [r["root"] for r in self.db.execute("SELECT DISTINCT root FROM documents ORDER BY root")]
        counts["file_size_bytes"] = int(self.db.execute(  # what the tables and their indexes take on disk
            "SELECT COALESCE(SUM(pg_total_relation_size(to_regclass(t))), 0) AS n FROM unnest(%s::text[]) t",
            (list(TABLES),)).fetchone()["n"])
        counts["last_build"] = self.get_meta("last_build")
        self._end_read()
        return counts

    def iter_facts(self, kind: str | None = None) -> Iterator[dict[str, Any]]:
        where = "WHERE f.kind = %s" if kind else ""
        yield from self.db.execute(
            f"""SELECT f.id, f.document_id, f.kind, f.value::text AS value, f.start, f."end", f.quote, f.extractor,
                       d.path, d.title, d.date AS doc_date, d.kind AS doc_kind
                FROM facts f JOIN documents d ON d.id = f.document_id {where} ORDER BY d.path, f.start, f.n""",
            (kind,) if kind else (),
        ).fetchall()

    def mentions(self) -> Iterator[dict[str, Any]]:
        yield from self.db.execute(
            """SELECT f.value->>'name' AS name, f.value->>'kind' AS kind,
                      COALESCE((f.value->>'count')::int, 0) AS count, f.start, f."end", f.quote,
                      d.path, d.title, d.date, substr(d.text, f."end" + 1, 60) AS after
               FROM facts f JOIN documents d ON d.id = f.document_id WHERE f.kind = 'mention'
               ORDER BY d.date NULLS FIRST, d.path, f.start, f.n"""
        ).fetchall()

    def named_mentions(self, kinds: tuple[str, ...]) -> Iterator[dict[str, Any]]:
        yield from self.db.execute(
            """SELECT f.document_id, f.start, f."end", f.quote, f.value->>'name' AS name, f.value->>'kind' AS kind,
                      d.path, d.title, d.date
               FROM facts f JOIN documents d ON d.id = f.document_id
               WHERE f.kind = 'mention' AND f.value->>'kind' = ANY(%s) ORDER BY f.n""",
            (list(kinds),),
        ).fetchall()

    def records(self, table: str, key: str | None = None) -> list[dict[str, Any]]:
        _check_table(table)
        if key:
            rows = self.db.execute(f"SELECT record FROM {table} WHERE lower(key) = lower(%s) ORDER BY seq", (key,))
        else:
            rows = self.db.execute(f"SELECT record FROM {table} ORDER BY seq")
        return [r["record"] for r in rows.fetchall()]

    def record_fields(self, table: str, paths: dict[str, tuple[str | int, ...]]) -> list[dict[str, Any]]:
        _check_table(table)
        names = list(paths)
        columns = "".join(f", record #> %s AS c{i}" for i in range(len(names)))
        rows = self.db.execute(f"SELECT id{columns} FROM {table} ORDER BY seq",
                               [[str(step) for step in paths[n]] for n in names]).fetchall()
        return [{"id": r["id"], **{n: r[f"c{i}"] for i, n in enumerate(names)}} for r in rows]

    def records_by_id(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        _check_table(table)
        rows = self.db.execute(f"SELECT id, record FROM {table} WHERE id = ANY(%s)", (sorted(set(ids)),)).fetchall()
        return {r["id"]: r["record"] for r in rows}

    def search_passages(
        self, match: str, limit: int, *, title_weight: float = 1.0, highlight: bool = False,
        after: str | None = None, except_path: str | None = None,
    ) -> list[dict[str, Any]]:
        return search_passages(self, match, limit, title_weight=title_weight, highlight=highlight,
                               after=after, except_path=except_path)

    def ranked_paragraphs(self, match: str, limit: int, scope: Any = None) -> list[dict[str, Any]]:
        allowed = None if scope is None else set(scope)
        if allowed is not None and not allowed:
            return []
        rows = search_passages(self, match, limit if allowed is None else limit * 5, title_weight=0.3)
        out = []
        for r in rows:
            if allowed is not None and r["document_id"] not in allowed:
                continue
            out.append({k: r[k] for k in ("document_id", "start", "end", "path", "title", "date", "text")}
                       | {"bm25": -float(r["score"])})
        return out[:limit]

    def paragraph_frequency(self, term: str) -> int:
        query = to_tsquery_text('"' + term.replace('"', '""') + '"')
        if query is None:
            return 0
        return int(self.db.execute(
            f"SELECT count(*) AS n FROM passages WHERE tsv @@ to_tsquery('{CONFIG}', %s)", (query,)).fetchone()["n"])

    def document_ids_by_path(self) -> dict[str, str]:
        return {r["path"]: r["id"] for r in self.db.execute("SELECT path, id FROM documents")}

    def paragraph_total(self) -> int:
        return int(self.db.execute("SELECT count(*) AS n FROM passages WHERE kind = 'paragraph'").fetchone()["n"])

    def document_catalog(self) -> list[dict[str, Any]]:
        return self.db.execute("SELECT id, path, title, publisher, date, kind FROM documents ORDER BY path, id").fetchall()

    def passage_ranges(self) -> list[tuple[int, str]]:
        return [(r["first"], r["document_id"]) for r in self.db.execute(
            "SELECT MIN(id) AS first, document_id FROM passages GROUP BY document_id ORDER BY 1").fetchall()]

    def passage_heads(self, ids: list[int], chars: int = 240) -> list[tuple[int, int, int, str]]:
        return [(r["id"], r["start"], r["end"], r["head"]) for r in self.db.execute(
            """SELECT p.id, p.start, p."end", substr(d.text, p.start + 1, least(p."end" - p.start, %s)) AS head
               FROM passages p JOIN documents d ON d.id = p.document_id WHERE p.id = ANY(%s)""",
            (chars, list(ids))).fetchall()]

    def mention_counts(
        self, *, names: tuple[str, ...] | None = None, kinds: tuple[str, ...] | None = None, per: str = "document_id",
    ) -> list[tuple[str, str, int]]:
        if per not in ("document_id", "path"):
            raise StoreError(f"mention counts are per document_id or path, not {per!r}")
        key = "f.document_id" if per == "document_id" else "d.path"
        return [(r["key"], r["name"], r["n"]) for r in self.db.execute(
            f"""SELECT {key} AS key, f.value->>'name' AS name, COUNT(*) AS n
                FROM facts f JOIN documents d ON d.id = f.document_id
                WHERE f.kind = 'mention' AND (%(names)s::text[] IS NULL OR f.value->>'name' = ANY(%(names)s))
                  AND (%(kinds)s::text[] IS NULL OR f.value->>'kind' = ANY(%(kinds)s))
                GROUP BY 1, 2 ORDER BY 1, 2""",
            {"names": list(names) if names is not None else None,
             "kinds": list(kinds) if kinds is not None else None}).fetchall()]

    def count_matches(self, match: str) -> int:
        query = to_tsquery_text(match)
        if query is None:
            return 0
        return self.db.execute(f"SELECT COUNT(*) AS n FROM passages WHERE tsv @@ to_tsquery('{CONFIG}', %s)",
                               (query,)).fetchone()["n"]

    def latest_matches(self, match: str, limit: int, offset: int = 0) -> list[int]:
        query = to_tsquery_text(match)
        if query is None:
            return []
        return [r["id"] for r in self.db.execute(
            f"SELECT id FROM passages WHERE tsv @@ to_tsquery('{CONFIG}', %s) ORDER BY id DESC LIMIT %s OFFSET %s",
            (query, limit, offset)).fetchall()]

    def rank_matches(self, match: str, limit: int, since_id: int = 0) -> list[tuple[int, float]]:
        return [(r["id"], r["score"]) for r in search_passages(self, match, limit, since_id=since_id, ids_only=True)]

    def highlight_passage(self, match: str, passage_id: int) -> str | None:
        query = to_tsquery_text(match)
        if query is None:
            return None
        row = self.db.execute(
            f"""SELECT substr(d.text, p.start + 1, p."end" - p.start) AS text FROM passages p
                JOIN documents d ON d.id = p.document_id WHERE p.id = %s AND p.tsv @@ to_tsquery('{CONFIG}', %s)""",
            (passage_id, query)).fetchone()
        return headlines(self, query, [row["text"]])[0] if row else None


def _check_table(table: str) -> None:
    if table not in RECORD_TABLES:
        raise StoreError(f"unknown record table {table!r}")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0] if text else exc.__class__.__name__
