"""The bounds the server relies on: query time limits, bounded text caches, state shared once."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest

from communique.errors import QueryTimeout
from communique.query.textcache import TextCache
from communique.store.limits import time_limit


def test_a_runaway_query_is_stopped_at_its_limit() -> None:
    db = sqlite3.connect(":memory:")
    endless = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT COUNT(*) FROM n"
    started = time.perf_counter()
    with pytest.raises(QueryTimeout):
        with time_limit(db, 0.5, "the search"):
            db.execute(endless).fetchone()
    assert time.perf_counter() - started < 5
    assert db.execute("SELECT 1").fetchone() == (1,)  # the connection is usable again, with no limit left


def test_text_cache_holds_at_most_its_bound() -> None:
    cache = TextCache(max_chars=10_000)
    for i in range(100):
        cache[f"doc{i}"] = "x" * 1_000
    assert cache.chars <= 10_000 and len(cache) == 10
    assert "doc99" in cache and "doc0" not in cache
    cache.get("doc90")  # used: kept over older ones
    cache["new"] = "y" * 1_000
    assert "doc90" in cache and "doc91" not in cache


def test_search_state_is_read_once_per_process(seeds_db: Path) -> None:
    """Every request thread's connection shares the search state read at warm-up, not its own copy."""
    import threading

    from communique.query.search import search_page
    from communique.web.catalog import Catalog

    catalog = Catalog(str(seeds_db))
    try:
        catalog.warm()
        first = catalog.store
        seen: dict[str, object] = {}

        def in_another_thread() -> None:
            store = catalog.store
            seen["store"] = store
            seen["hits"] = search_page(store, "Culture House").hits
            seen["meta"] = store._search_meta  # type: ignore[attr-defined]

        thread = threading.Thread(target=in_another_thread)
        thread.start()
        thread.join()
        assert seen["store"] is not first and seen["hits"]
        assert seen["meta"] is first._search_meta  # type: ignore[attr-defined]
    finally:
        catalog.close()
