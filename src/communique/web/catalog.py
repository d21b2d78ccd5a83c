"""What the web app reads: one read-only store per thread, resolved records cached in memory.

The knowledge base does not change while it is served (a rebuild changes the file's modification
time, which empties the cache), so records are parsed once, not on every request.
"""

from __future__ import annotations

import threading
from typing import Any

from communique.query.ask import Asker
from communique.store import Store, open_store

__all__ = ["Catalog"]


class Catalog:
    def __init__(self, db_path: str) -> None:
        self.db_path = db_path
        self._probe = open_store(db_path)  # fails at start-up, not on the first request; tells rebuilds apart
        self._local = threading.local()
        self._lock = threading.RLock()  # cached() computes with records() inside
        self._cache: dict[str, Any] = {}
        self._stamp = self._mtime()

    def _mtime(self) -> Any:
        with self._lock:
            return self._probe.stamp()

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
