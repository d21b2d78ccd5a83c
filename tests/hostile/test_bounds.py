"""The bounds the server relies on: query time limits, bounded text caches, records shared once."""

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


def test_answerers_share_the_records_of_the_process(seeds_db: Path) -> None:
    from communique.web.catalog import Catalog

    catalog = Catalog(str(seeds_db))
    try:
        answer = catalog.ask("Where was the 26th ASEAN-ROK Dialogue held?")
        assert answer.question
        asker = catalog._ask_pool.submit(catalog._asker).result()
        assert asker.records("meetings") is catalog.records("meetings")
    finally:
        catalog.close()
