"""What the web app reads: one read-only store per thread, resolved records cached in memory.

The knowledge base does not change while it is served (a rebuild changes the file's modification
time, which empties the cache), so records are parsed once, not on every request.

A request may be scoped to a partnership (``CURRENT_PARTNERSHIP``, set by ``communique.web.desk``
from the ``partnership`` query parameter or cookie): ``records``, ``cached``, ``documents`` and
``counts`` then give that partnership's part only, cached per partnership.
"""

from __future__ import annotations

import os
import threading
from contextvars import ContextVar
from typing import Any

from communique.query.ask import Asker
from communique.store.db import Store, open_store

__all__ = ["Catalog", "CURRENT_PARTNERSHIP"]

CURRENT_PARTNERSHIP: ContextVar[str | None] = ContextVar("communique_partnership", default=None)


class Catalog:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        open_store(db_path).close()  # fail at start-up, not on the first request
        self._local = threading.local()
        self._lock = threading.RLock()  # cached() computes with records() inside
        self._cache: dict[str, Any] = {}
        self._stamp = self._mtime()

    def _mtime(self) -> float:
        return max(os.path.getmtime(p) for p in (self.db_path, self.db_path + "-wal") if os.path.exists(p))

    @property
    def store(self) -> Store:
        store = getattr(self._local, "store", None)
        if store is None or getattr(self._local, "stamp", None) != self._stamp:
            store = self._local.store = open_store(self.db_path)
            self._local.stamp = self._stamp
            self._local.asker = Asker(store)
        return store

    @property
    def asker(self) -> Asker:
        self.store  # noqa: B018 - makes sure this thread's asker exists
        return self._local.asker

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
