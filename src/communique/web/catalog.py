"""What the web app reads: bounded, shared, read-only.

- Resolved records are parsed once per process (not per thread) and shared by every page; the
  knowledge base does not change while it is served (a rebuild changes the file's modification
  time, which empties the cache).
- Each request thread has its own read-only connection with a bounded page cache; the server
  runs a bounded number of request threads (``REQUEST_THREADS``). What search reads once per
  connection (the document catalogue, the passage ranges, a bounded cache of document texts) is
  read once per process and shared.
- Once read, the records are left out of the garbage collector's full passes (``gc.freeze``).
- The knowledge base's file time is looked at once per ``STAMP_SECONDS`` at most; the latest
  ``RECENT_RESULTS`` searches are kept with their results (``recent``), so a search asked again
  (its page after its JSON twin, the next visitor's) costs a lookup.
- Questions are answered in a pool of worker processes (``communique.web.askpool``), never in the
  server's threads: the reader is CPU-bound Python and would hold the GIL against pages and searches.
- Searches are stopped after ``SEARCH_SECONDS``.

A request may be scoped to a partnership (``CURRENT_PARTNERSHIP``, set by ``communique.web.desk``
from the ``partnership`` query parameter or cookie): ``records``, ``cached``, ``documents`` and
``counts`` then give that partnership's part only, cached per partnership.
"""

from __future__ import annotations

import gc
import threading
import time
from collections import OrderedDict
from contextvars import ContextVar
from typing import Any

from communique.store import Store, open_store
from communique.web.askpool import ASK_SECONDS, AskPool

__all__ = ["Catalog", "CURRENT_PARTNERSHIP", "REQUEST_THREADS", "ASK_WORKERS", "ASK_SECONDS", "SEARCH_SECONDS"]

CURRENT_PARTNERSHIP: ContextVar[str | None] = ContextVar("communique_partnership", default=None)

REQUEST_THREADS = 16
ASK_WORKERS = 1  # answering processes: one per spare core (the server's own threads need the other)
SEARCH_SECONDS = 10.0
RECENT_RESULTS = 256  # searches kept with their results (about 20-40 KB each)
STAMP_SECONDS = 0.5  # a rebuilt knowledge base is noticed within this long
_SEARCH_SHARED = ("_search_meta", "_search_ranges", "_search_texts")  # what query.search keeps on a connection
RECORD_TABLES = ("meetings", "events", "commitments", "figures", "people", "entities")


def _freeze() -> None:
    """Leave what has been read so far (the records, hundreds of thousands of objects that live as long
    as the server) out of the garbage collector's full passes: one pass over them held every thread
    for most of a second under load. They are still freed by reference counting after a rebuild."""
    gc.freeze()


class Catalog:
    def __init__(self, db_path: str, ask_workers: int = ASK_WORKERS, ask_seconds: float = ASK_SECONDS) -> None:
        self.db_path = db_path
        self._probe = open_store(db_path)  # fails at start-up, not on the first request; tells rebuilds apart
        self._local = threading.local()
        self._lock = threading.Lock()  # guards the cache; held only to read or store a value
        self._probe_lock = threading.Lock()
        self._cache: dict[str, Any] = {}
        self._recent: OrderedDict[tuple[Any, ...], Any] = OrderedDict()  # latest searches, least recent first
        self._computing: dict[str, Any] = {}  # key -> the lock of the thread computing it
        self._partnerships_worker: threading.Thread | None = None
        self._stamp = self._mtime()
        self._stamp_checked = time.monotonic()
        self.ask_pool = AskPool(db_path, workers=ask_workers, seconds=ask_seconds)

    def _mtime(self) -> Any:
        with self._probe_lock:
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
            self._share_search_state(store)
        return store

    def _share_search_state(self, store: Store) -> None:
        """Give a new connection the search state the process has read already (read-only, per version
        of the knowledge base): sixteen threads do not each read the document catalogue again."""
        with self._lock:
            shared = self._cache.setdefault("__search_state", {})
            for name in _SEARCH_SHARED:
                if name in shared:
                    setattr(store, name, shared[name])

    def remember_search_state(self, store: Store) -> None:
        """Keep what a search read on ``store`` for the connections opened after it; a connection that
        read its own copy meanwhile takes the shared one (one bounded text cache per process)."""
        with self._lock:
            shared = self._cache.setdefault("__search_state", {})
            for name in _SEARCH_SHARED:
                if name not in shared and getattr(store, name, None) is not None:
                    shared[name] = getattr(store, name)
                if name in shared:
                    setattr(store, name, shared[name])

    def _answer_key(self, question: str) -> tuple[Any, ...]:
        self._check_stamp()
        return (self._stamp, CURRENT_PARTNERSHIP.get(), question)

    def ask(self, question: str, scope: Any = None) -> dict[str, Any]:
        """The answer's dict, worked out in the ask pool (``AskPool.ask``), kept for the same question
        of the same partnership until the knowledge base changes."""
        return self.ask_pool.ask(question, scope, key=self._answer_key(question))

    async def ask_async(self, question: str, scope: Any = None) -> dict[str, Any]:
        """``ask`` for the event loop: waits without holding a request thread."""
        return await self.ask_pool.ask_async(question, scope, key=self._answer_key(question))

    def warm(self) -> None:
        """Parse the records and the document list now (the server calls it at start, in the background):
        the first page of each kind is then as quick as the next, and no request waits behind a load."""
        for table in RECORD_TABLES:
            self.records(table)
        self.stats()
        self.cached("documents", self.store.documents)
        from communique.query.search import _documents_meta, _passage_documents, _texts

        _documents_meta(self.store)  # what every search reads: once here, shared by every thread
        _passage_documents(self.store)
        _texts(self.store, [])  # the (empty) text cache every thread's searches fill
        self.remember_search_state(self.store)
        _freeze()
        self.partnerships_soon(0)  # every page's switcher lists them: slow on a large knowledge base, so now

    def partnerships(self) -> list[dict[str, Any]]:
        """The knowledge base's partnerships (``query.partnership.partnerships``), whatever the scope."""
        from communique.query.partnership import partnerships

        token = CURRENT_PARTNERSHIP.set(None)
        try:
            return self.cached("partnerships", lambda: partnerships(self.store, self.records))
        finally:
            CURRENT_PARTNERSHIP.reset(token)

    def partnerships_soon(self, seconds: float) -> list[dict[str, Any]] | None:
        """``partnerships``, waiting at most ``seconds`` for them to be worked out (in the background);
        None meanwhile: a page's partnership switcher does not hold the page for minutes."""
        self._check_stamp()
        with self._lock:
            if "partnerships" in self._cache:
                return self._cache["partnerships"]
            worker = self._partnerships_worker
            if worker is None or not worker.is_alive():
                worker = self._partnerships_worker = threading.Thread(target=lambda: (self.partnerships(), _freeze()),
                                                                      name="partnerships", daemon=True)
                worker.start()
        worker.join(seconds)
        with self._lock:
            return self._cache.get("partnerships")

    def close(self) -> None:
        """Stop the ask pool's workers."""
        self.ask_pool.close()

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
        return self._once(f"__scope|{p.name}", lambda: scope_of(self.store, p))

    def _check_stamp(self) -> None:
        # one look at the file's time per STAMP_SECONDS, not one per call (a page makes dozens): the
        # two stat calls under the probe's lock were a queue of their own under load
        now = time.monotonic()
        if now - self._stamp_checked < STAMP_SECONDS:
            return
        self._stamp_checked = now
        stamp = self._mtime()
        with self._lock:
            if stamp != self._stamp:
                self._cache.clear()
                self._recent.clear()
                self._stamp = stamp

    def _once(self, key: Any, compute: Any, recent: bool = False) -> Any:
        """The value cached under ``key``, computed by the first thread that needs it. Only the threads
        that need the same key wait for it: a slow computation (the partnership list of a large knowledge
        base) never holds back pages that need something else. ``recent``: kept among the
        ``RECENT_RESULTS`` latest such values only (searches: their number is unbounded)."""
        cache = self._recent if recent else self._cache
        with self._lock:
            if key in cache:
                if recent:
                    self._recent.move_to_end(key)
                return cache[key]
            stamp = self._stamp
            computing = self._computing.setdefault(key, threading.RLock())
        with computing:
            with self._lock:
                if key in cache:
                    return cache[key]
            value = compute()
            with self._lock:
                if self._stamp == stamp:  # not a value of a knowledge base rebuilt meanwhile
                    if recent:
                        while len(self._recent) >= RECENT_RESULTS:
                            self._recent.popitem(last=False)
                    elif len(self._cache) > 256:
                        for stale in [k for k in self._cache if ":" in k][:128]:
                            del self._cache[stale]
                    cache[key] = value
                if self._computing.get(key) is computing:
                    del self._computing[key]
            return value

    def recent(self, key: tuple[Any, ...], compute: Any) -> Any:
        """A search's result, computed once and kept while it is among the ``RECENT_RESULTS`` latest
        distinct ones of this version of the knowledge base (and of this partnership): the same search
        again, its JSON twin or its page, is not ranked again."""
        self._check_stamp()
        return self._once((CURRENT_PARTNERSHIP.get(), *key), compute, recent=True)

    def records(self, table: str) -> list[dict[str, Any]]:
        self._check_stamp()
        base = self._once(table, lambda: self.store.records(table))
        p = self.partnership()
        if p is None:
            return base
        from communique.query.partnership import scope_records

        scope = self.scope()
        return self._once(f"__scoped|{p.name}|{table}", lambda: scope_records(table, base, scope))

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
        return self._once(key, compute)

    def stats(self) -> dict[str, Any]:
        return self._once("__stats", lambda: self.store.stats())
