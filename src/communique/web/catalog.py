"""What the web app reads: bounded, shared, read-only.

- Resolved records are parsed once per process (not per thread) and shared by every page and by
  the question answerers; the knowledge base does not change while it is served (a rebuild changes
  the file's modification time, which empties the cache).
- Each request thread has its own read-only connection with a bounded page cache; the server
  runs a bounded number of request threads (``REQUEST_THREADS``).
- Questions run in a pool of ``ASK_WORKERS`` threads, each with one answerer whose document texts
  are bounded; a question waits at most ``ASK_SECONDS`` and its queries are stopped at that limit.
- Searches are stopped after ``SEARCH_SECONDS``.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import os
import threading
from typing import Any

from communique.errors import QueryTimeout
from communique.query.ask import Answer, Asker
from communique.store.db import Store, open_store
from communique.store.limits import time_limit

__all__ = ["Catalog", "REQUEST_THREADS", "ASK_WORKERS", "ASK_SECONDS", "SEARCH_SECONDS"]

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
        open_store(db_path).close()  # fail at start-up, not on the first request
        self._local = threading.local()
        self._lock = threading.RLock()  # cached() computes with records() inside
        self._cache: dict[str, Any] = {}
        self._stamp = self._mtime()
        self._ask_pool = concurrent.futures.ThreadPoolExecutor(ASK_WORKERS, thread_name_prefix="ask")
        self._ask_slots = threading.BoundedSemaphore(ASK_QUEUE)

    def _mtime(self) -> float:
        return max(os.path.getmtime(p) for p in (self.db_path, self.db_path + "-wal") if os.path.exists(p))

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

    def _submit(self, question: str) -> "concurrent.futures.Future[Answer]":
        if not self._ask_slots.acquire(blocking=False):
            raise QueryTimeout("the server is answering too many questions: try again in a moment")

        def run() -> Answer:
            try:
                asker = self._asker()
                with time_limit(asker.store.db, ASK_SECONDS, "the question"):
                    return asker.ask(question)
            finally:
                self._ask_slots.release()

        return self._ask_pool.submit(run)

    def ask(self, question: str) -> Answer:
        """Answer in the bounded pool, waiting at most ``ASK_SECONDS`` (plus the time queued).

        Raises:
            QueryTimeout: too many questions wait already, or this one took too long.
        """
        try:
            return self._submit(question).result(timeout=ASK_SECONDS + ASK_WAIT_SECONDS)
        except concurrent.futures.TimeoutError:
            raise QueryTimeout(f"the question took longer than {ASK_SECONDS:g} s and was stopped") from None

    async def ask_async(self, question: str) -> Answer:
        """``ask`` for the event loop: waits without holding a request thread."""
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self._submit(question)), ASK_SECONDS + ASK_WAIT_SECONDS)
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

    def records(self, table: str) -> list[dict[str, Any]]:
        stamp = self._mtime()
        with self._lock:
            if stamp != self._stamp:
                self._cache.clear()
                self._stamp = stamp
            if table not in self._cache:
                self._cache[table] = self.store.records(table)
            return self._cache[table]

    def cached(self, key: str, compute: Any) -> Any:
        """A value computed once per version of the knowledge base (a bounded number of keys)."""
        self.records("meetings")  # notices a rebuilt file and empties the cache
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
