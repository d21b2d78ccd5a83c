"""The ``Store`` interface: the verbs every knowledge-base backend answers, and ``open_store``.

Two backends implement it: ``SQLiteStore`` (``store/db.py``, one file, the default for a plain path)
and ``PostgresStore`` (``store/postgres.py``, for ``postgresql://...``). Build, resolve, query, web and
CLI talk to a ``Store`` only; none of them knows which backend it has, and none runs SQL.

Rows that readers get back are mappings (``row["path"]``); a fact's ``value`` and a record are the
same JSON on both backends.
"""

from __future__ import annotations

import hashlib
import json
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from contextlib import AbstractContextManager, nullcontext
from typing import Any

from communique.model import Document, Fact

__all__ = [
    "Store", "StoredDocument", "PreparedRows", "RECORD_TABLES", "fact_id", "open_store", "is_postgres_url",
]

RECORD_TABLES = ("meetings", "events", "commitments", "figures", "people", "entities")


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
    kind: str = "other"

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


Row = Mapping[str, Any]


class Store(ABC):
    """An open knowledge base. Use ``open_store`` to get one.

    Writes happen only in ``communique.build`` under the exclusive build lock, between ``begin`` and
    ``commit`` (or inside ``transaction()``); everything else reads."""

    path: str  # what the store was opened from: a file path or a postgresql:// URL
    readonly: bool

    # -- lifecycle -------------------------------------------------------------------------
    @abstractmethod
    def upgrade(self) -> None:
        """Bring the schema up to date (writable stores only)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @abstractmethod
    def acquire_lock(self, wait: float = 0.0) -> None:
        """Take the exclusive build lock.

        Raises:
            BuildLockedError: another build holds it after ``wait`` seconds.
        """

    @abstractmethod
    def release_lock(self) -> None: ...

    @abstractmethod
    def reset(self) -> None:
        """Start over (``--rebuild``): an empty, migrated knowledge base; the build lock stays held."""

    @abstractmethod
    def stamp(self) -> Any:
        """A value that changes when a build changes the knowledge base (readers' caches key on it)."""

    def time_limit(self, seconds: float, what: str = "the query") -> AbstractContextManager[None]:
        """A block in which any statement of this store is stopped after ``seconds``.

        Raises:
            QueryTimeout: a statement ran past the limit.
        """
        return nullcontext()

    # -- transactions ----------------------------------------------------------------------
    @abstractmethod
    def begin(self) -> None:
        """Open a write transaction (the build's batches)."""

    @abstractmethod
    def commit(self) -> None: ...

    @abstractmethod
    def rollback(self) -> None:
        """Undo the open transaction, if one is open."""

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Commit what the block writes, or undo it when the block raises."""
        self.begin()
        try:
            yield self
        except BaseException:
            self.rollback()
            raise
        self.commit()

    # -- writing (build only) ----------------------------------------------------------------
    @abstractmethod
    def set_meta(self, key: str, value: Any) -> None: ...

    @abstractmethod
    def get_meta(self, key: str, default: Any = None) -> Any: ...

    @abstractmethod
    def known_files(self) -> dict[str, tuple[int, int, str, str | None]]:
        """Absolute path -> (size, mtime_ns, status, document_id) of every file seen before."""

    @abstractmethod
    def document_by_text_hash(self, text_hash: str) -> str | None: ...

    @abstractmethod
    def has_document(self, document_id: str) -> bool: ...

    @abstractmethod
    def file_holding(self, document_id: str, other_than: str) -> str | None:
        """The relative path of another file stored as this document, if any."""

    @abstractmethod
    def insert_document(self, doc: Document, root: str, rows: PreparedRows) -> None:
        """Insert a document with its paragraphs, index rows and facts (inside the caller's transaction)."""

    @abstractmethod
    def delete_document(self, document_id: str) -> None: ...

    @abstractmethod
    def record_file(
        self, path: str, relpath: str, root: str, size: int | None, mtime_ns: int | None,
        status: str, document_id: str | None, reason: str | None = None,
    ) -> str | None:
        """Record what a file held; returns the document it held before, if that changed."""

    @abstractmethod
    def drop_orphan(self, document_id: str) -> bool:
        """Delete a document no file refers to any more."""

    @abstractmethod
    def replace_records(self, table: str, rows: list[tuple[str, int, Any, Any, str]]) -> int:
        """Replace a resolved table with rows (id, seq, key, date, record JSON); returns its row count."""

    # -- reading -------------------------------------------------------------------------------
    @abstractmethod
    def document(self, ref: str) -> StoredDocument | None:
        """A document by id, by path relative to its build folder, or by a unique prefix of either."""

    @abstractmethod
    def documents(self, limit: int | None = None, offset: int = 0) -> list[dict[str, Any]]: ...

    @abstractmethod
    def count_documents(self) -> int: ...

    @abstractmethod
    def document_text(self, document_id: str) -> str | None: ...

    @abstractmethod
    def text_at(self, path: str) -> str | None:
        """The clean text of the document at ``path`` (relative to its build folder)."""

    @abstractmethod
    def text_slice(self, document_id: str, start: int, end: int) -> str:
        """``documents.text[start:end]`` of one document, without reading the rest of it."""

    @abstractmethod
    def paragraph_at(self, path: str, start: int, end: int) -> tuple[int, int] | None:
        """The (start, end) of a paragraph of the document at ``path`` that holds the span."""

    @abstractmethod
    def errors(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def duplicates(self) -> list[dict[str, Any]]: ...

    @abstractmethod
    def stats(self) -> dict[str, Any]: ...

    @abstractmethod
    def iter_facts(self, kind: str | None = None) -> Iterator[Row]:
        """Facts with their document's ``path``, ``title`` and ``doc_date``; ``value`` is JSON text."""

    @abstractmethod
    def mentions(self) -> Iterator[Row]:
        """Every mention fact in document order: name, kind, count, start, end, quote, path, title, date,
        and ``after``, the 60 characters that follow it."""

    @abstractmethod
    def named_mentions(self, kinds: tuple[str, ...]) -> Iterator[Row]:
        """Mentions whose named thing is of one of ``kinds``: document_id, start, end, quote, name, kind,
        path, title, date."""

    @abstractmethod
    def records(self, table: str, key: str | None = None) -> list[dict[str, Any]]:
        """Resolved records of one kind (meetings, events, ...), optionally filtered on their key."""

    def record_fields(self, table: str, paths: dict[str, tuple[str | int, ...]]) -> list[dict[str, Any]]:
        """Every record of a table, in order, as its ``id`` and only the scalar values at ``paths``
        (``{"document": ("sources", 0, "document")}``; None where a record has none): the index of a
        large table without decoding its whole records (the question answerer's warm-up)."""
        out = []
        for record in self.records(table):
            row: dict[str, Any] = {"id": record.get("id")}
            for name, path in paths.items():
                row[name] = _at(record, path)
            out.append(row)
        return out

    def records_by_id(self, table: str, ids: list[str]) -> dict[str, dict[str, Any]]:
        """The records of a table with these ids, by id (those that exist)."""
        wanted = set(ids)
        return {r["id"]: r for r in self.records(table) if r.get("id") in wanted}

    # -- the question answerer's retrieval ------------------------------------------------------
    @abstractmethod
    def ranked_paragraphs(self, match: str, limit: int, scope: Any = None) -> list[dict[str, Any]]:
        """Paragraphs for a full-text expression, best first (``bm25``: lower is better, as FTS5 gives it),
        with document_id, start, end, path, title, date and text; ``scope``: only those document ids."""

    @abstractmethod
    def paragraph_frequency(self, term: str) -> int:
        """How many paragraphs hold a word (stemmed as the index stems)."""

    @abstractmethod
    def document_ids_by_path(self) -> dict[str, str]:
        """Every document's id by its path."""

    @abstractmethod
    def paragraph_total(self) -> int:
        """How many paragraphs the knowledge base holds."""

    @abstractmethod
    def document_catalog(self) -> list[dict[str, Any]]:
        """Every document's id, path, title, publisher, date and kind (no text), in path order."""

    @abstractmethod
    def passage_ranges(self) -> list[tuple[int, str]]:
        """(first paragraph id, document id) of every document, by paragraph id: a document's
        paragraphs have consecutive ids."""

    @abstractmethod
    def passage_heads(self, ids: list[int], chars: int = 240) -> list[tuple[int, int, int, str]]:
        """(id, start, end, the paragraph's first ``chars`` characters) of each paragraph of ``ids``."""

    def passage_spans(self, ids: list[int]) -> dict[int, tuple[int, int]]:
        """id -> (start, end) of each paragraph of ``ids``, without reading any text."""
        return {i: (start, end) for i, start, end, _ in self.passage_heads(ids, 0)}

    def document_texts(self, document_ids: list[str]) -> dict[str, str]:
        """id -> clean text of each document of ``document_ids`` that is stored."""
        texts = {d: self.document_text(d) for d in dict.fromkeys(document_ids)}
        return {d: t for d, t in texts.items() if t is not None}

    @abstractmethod
    def mention_counts(
        self, *, names: tuple[str, ...] | None = None, kinds: tuple[str, ...] | None = None, per: str = "document_id",
    ) -> list[tuple[str, str, int]]:
        """(document id or path, named thing, mentions) for mentions of ``names`` or of things of ``kinds``;
        ``per`` is ``document_id`` or ``path`` (a path held by two build folders counts as one)."""

    @abstractmethod
    def count_matches(self, match: str) -> int:
        """How many paragraphs match a full-text expression (``match`` as in ``search_passages``, which may
        also restrict phrases to the paragraph's own words: ``text : (...)``)."""

    @abstractmethod
    def latest_matches(self, match: str, limit: int, offset: int = 0) -> list[int]:
        """Ids of matching paragraphs, the most recently added first."""

    @abstractmethod
    def rank_matches(self, match: str, limit: int, since_id: int = 0) -> list[tuple[int, float]]:
        """(id, BM25 score, higher is better) of the best ``limit`` matching paragraphs of id ``since_id``
        or more, best first (title and text weighted alike)."""

    @abstractmethod
    def highlight_passage(self, match: str, passage_id: int) -> str | None:
        """The paragraph's text with each word ``match`` matched between ``\\x02`` and ``\\x03``; None when
        it does not match."""

    def highlight_passages(self, match: str, passage_ids: list[int],
                           texts: dict[int, tuple[str, str | None]] | None = None) -> dict[int, str]:
        """``highlight_passage`` of each paragraph (those that match), by id: one page of results.
        ``texts``: id -> (text, title) of those paragraphs where the caller has them already."""
        out = {}
        for passage_id in passage_ids:
            text = self.highlight_passage(match, passage_id)
            if text is not None:
                out[passage_id] = text
        return out

    @abstractmethod
    def search_passages(
        self, match: str, limit: int, *, title_weight: float = 1.0, highlight: bool = False,
        after: str | None = None, except_path: str | None = None,
    ) -> list[dict[str, Any]]:
        """Paragraphs matching a full-text expression, best first.

        ``match`` is the FTS5 subset the query layer writes: double-quoted phrases joined by ``AND``,
        ``OR``, parentheses or a space (AND). Each row: id, document_id, start, end, path, title, date,
        ``text`` (exactly ``documents.text[start:end]``), ``score`` (higher is better) and, with
        ``highlight``, ``marked``: the text with each matched word between ``\\x02`` and ``\\x03``.
        ``after`` keeps documents dated later than it, ``except_path`` leaves that document out.
        """


def is_postgres_url(path: str | Path) -> bool:
    return str(path).startswith(("postgresql://", "postgres://"))


def open_store(path: str | Path, *, readonly: bool = True, upgrade: bool = True) -> Store:
    """Open a knowledge base: a SQLite file for a plain path, PostgreSQL for a ``postgresql://`` URL.

    A writable store is created and migrated; ``upgrade=False`` leaves an older schema as it is: for a
    caller that empties it at once (``reset``), so that it does not first pay to migrate what it throws away.

    Raises:
        StoreError: the knowledge base is missing, unreachable or not a Communique knowledge base.
    """
    if is_postgres_url(path):
        from communique.store.postgres import PostgresStore

        return PostgresStore(str(path), readonly=readonly, upgrade=upgrade)
    from communique.store.db import SQLiteStore

    return SQLiteStore(path, readonly=readonly, upgrade=upgrade)


def _at(value: Any, path: tuple[str | int, ...]) -> Any:
    """The value at a path of keys and list indexes, None where the path leads nowhere."""
    for step in path:
        if isinstance(step, int) and isinstance(value, list) and -len(value) <= step < len(value):
            value = value[step]
        elif isinstance(step, str) and isinstance(value, dict):
            value = value.get(step)
        else:
            return None
    return None if isinstance(value, (dict, list)) else value
