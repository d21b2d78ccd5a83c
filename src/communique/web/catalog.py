"""What the web app reads: bounded, shared, read-only.

- Resolved records are parsed once per process (not per thread) and shared by every page and by
  the question answerers; the knowledge base does not change while it is served (a rebuild changes
  the file's modification time, which empties the cache).
- Each request thread has its own read-only connection with a bounded page cache; the server
  runs a bounded number of request threads (``REQUEST_THREADS``).
- Questions run in a pool of ``ASK_WORKERS`` threads, each with one answerer whose document texts
  are bounded; a question waits at most ``ASK_SECONDS`` and its queries are stopped at that limit.
- Searches are stopped after ``SEARCH_SECONDS``.

The knowledge base does not change while it is served (a rebuild changes the file's modification
time, which empties the cache), so records are parsed once, not on every request.

A request may be scoped to a partnership (``CURRENT_PARTNERSHIP``, set by ``communique.web.desk``
from the ``partnership`` query parameter or cookie): ``records``, ``cached``, ``documents`` and
``counts`` then give that partnership's part only, cached per partnership.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from contextvars import ContextVar
from typing import Any

from communique.errors import QueryTimeout
from communique.query.ask import Answer, Asker
from communique.store import Store, open_store

__all__ = ["Catalog", "CURRENT_PARTNERSHIP", "REQUEST_THREADS", "ASK_WORKERS", "ASK_SECONDS", "SEARCH_SECONDS"]

CURRENT_PARTNERSHIP: ContextVar[str | None] = ContextVar("communique_partnership", default=None)

REQUEST_THREADS = 16
ASK_WORKERS = 2
ASK_SECONDS = 10.0
SEARCH_SECONDS = 10.0
ASK_WAIT_SECONDS = 20.0  # how long a question may wait for a free answerer
ASK_QUEUE = 64  # questions waiting beyond this are refused at once (503) rather than queued for minutes
RECORD_TABLES = ("meetings", "events", "commitments", "figures", "people", "entities")


class Catalog:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._probe = open_store(db_path)  # fails at start-up, not on the first request; tells rebuilds apart
        self._local = threading.local()
        self._lock = threading.RLock()  # cached() computes with records() inside
        self._cache: dict[str, Any] = {}
        self._stamp = self._mtime()
        self._ask_pool = concurrent.futures.ThreadPoolExecutor(ASK_WORKERS, thread_name_prefix="ask")
        self._ask_slots = threading.BoundedSemaphore(ASK_QUEUE)

    def _mtime(self) -> Any:
        with self._lock:
            return self._probe.stamp()

    @property
    def store(self) -> Store:
        """This thread's read-only connection (made again after a rebuild)."""
        store = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "stamp", None) != self._stamp:
            if store is not None:
                store.close()
            store = self._local.store = open_store(self.db_path)
            self._local.stamp = self._stamp
            self._local.asker = None
        return store

    def _asker(self) -> Asker:
        """The answerer of this ask-pool thread, sharing the process's records."""
        store = self.store
        asker = getattr(self._local, "asker", None)
        if asker is None:
            asker = self._local.asker = Asker(store)
            shared = getattr(asker, "_records", None)
            if isinstance(shared, dict):  # the parsed records are read-only: one copy for all
                for table in RECORD_TABLES:
                    shared[table] = self.records(table)
        return asker

    def _submit(self, question: str, scope: Any = None) -> "concurrent.futures.Future[Answer]":
        if not self._ask_slots.acquire(blocking=False):
            raise QueryTimeout("the server is answering too many questions: try again in a moment")

        def run() -> Answer:
            try:
                asker = self._asker()
                with asker.store.time_limit(ASK_SECONDS, "the question"):
                    return asker.ask(question, scope=scope) if scope is not None else asker.ask(question)
            finally:
                self._ask_slots.release()

        return self._ask_pool.submit(run)

    def ask(self, question: str, scope: Any = None) -> Answer:
        """Answer in the bounded pool, waiting at most ``ASK_SECONDS`` (plus the time queued).

        Raises:
            QueryTimeout: too many questions wait already, or this one took too long.
        """
        try:
            return self._submit(question, scope).result(timeout=ASK_SECONDS + ASK_WAIT_SECONDS)
        except concurrent.futures.TimeoutError:
            raise QueryTimeout(f"the question took longer than {ASK_SECONDS:g} s and was stopped") from None

    async def ask_async(self, question: str, scope: Any = None) -> Answer:
        """``ask`` for the event loop: waits without holding a request thread."""
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self._submit(question, scope)), ASK_SECONDS + ASK_WAIT_SECONDS)
        except asyncio.TimeoutError:
            raise QueryTimeout(f"the question took longer than {ASK_SECONDS:g} s and was stopped") from None

    def warm(self) -> None:
        """Parse the records and the document list now (the server calls it at start, in the background):
        the first page of each kind is then as quick as the next, and no request waits behind a load."""
        for table in RECORD_TABLES:
            self.records(table)
        self.stats()
        self.cached("documents", self.store.documents)
        for _ in range(ASK_WORKERS):  # each answerer's own indexes
            self._ask_pool.submit(lambda: self._asker().warm())

    def close(self) -> None:
        self._ask_pool.shutdown(wait=False, cancel_futures=True)

    def partnership(self) -> Any:
        """The partnership this request is scoped to (``Partnership``), or None."""
        from communique.query.partnership import parse_partnership

        name = CURRENT_PARTNERSHIP.get()
        return parse_partnership(name) if name else None

    def scope(self) -> Any:
        """The current partnership's ``Scope`` (its documents), computed once per partnership."""
        from communique.query.partnership import scope_of

        p = self.partnership()
        if p is None:
            return None
        self._check_stamp()
        with self._lock:
            key = f"__scope|{p.name}"
            if key not in self._cache:
                self._cache[key] = scope_of(self.store, p)
            return self._cache[key]

    def _check_stamp(self) -> None:
        stamp = self._mtime()
        with self._lock:
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp

    def records(self, table: str) -> list[dict[str, Any]]:
        self._check_stamp()
        with self._lock:
            if table not in self._cache:
                self._cache[table] = self.store.records(table)
            base = self._cache[table]
        p = self.partnership()
        if p is None:
            return base
        from communique.query.partnership import scope_records

        scope = self.scope()
        with self._lock:
            key = f"__scoped|{p.name}|{table}"
            if key not in self._cache:
                self._cache[key] = scope_records(table, base, scope)
            return self._cache[key]

    def documents(self) -> list[dict[str, Any]]:
        """Every document's summary row (the current partnership's only, when scoped)."""
        rows = self.cached("documents", self.store.documents)
        scope = self.scope()
        return rows if scope is None else [r for r in rows if r["path"] in scope.paths]

    def counts(self) -> dict[str, Any]:
        """The knowledge base's counts (``stats``), or the current partnership's."""
        stats = self.stats()
        if self.partnership() is None:
            return stats
        tables = ("meetings", "events", "commitments", "figures", "people", "entities")
        return stats | {"documents": len(self.scope().paths)} | {t: len(self.records(t)) for t in tables}

    def cached(self, key: str, compute: Any) -> Any:
        """A value computed once per version of the knowledge base (a bounded number of keys)."""
        self._check_stamp()  # notices a rebuilt file and empties the cache
        p = self.partnership()
        if p is not None and key != "documents":
            key = f"{p.name}|{key}"
        with self._lock:
            if key not in self._cache:
                if len(self._cache) > 256:
                    for stale in [k for k in self._cache if ":" in k][:128]:
                        del self._cache[stale]
                self._cache[key] = compute()
            return self._cache[key]

    def stats(self) -> dict[str, Any]:
        with self._lock:
            if "__stats" not in self._cache:
                self._cache["__stats"] = self.store.stats()
            return self._cache["__stats"]
