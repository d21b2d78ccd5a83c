"""What search shares and keeps between requests gives the results of a search that keeps nothing.

Searches read documents' texts from a bounded cache, mark highlights in a temporary index that is
rolled back, and the server keeps its latest results until the knowledge base is rebuilt. Each of
these is checked against the plain path on real documents: same hits, same quotes, bounded memory.
"""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from communique.query import search as search_module
from communique.query.search import search_page
from communique.store import open_store
from communique.web.catalog import RECENT_RESULTS, SEARCH_SECONDS, STAMP_SECONDS, Catalog
from tests.conftest import ROOT, corpus_dir, run_cli
from tests.web_server import Server

# the words most passages of a White House knowledge base hold (the bench's worst case for ranking)
COMMON = [line.strip() for line in (ROOT / "bench" / "search_common.txt").read_text().splitlines() if line.strip()]


def _hits(store, query: str, **kwargs) -> list[tuple]:  # type: ignore[no-untyped-def]
    result = search_page(store, query, limit=20, **kwargs)
    return [(result.total, result.found)] + [(h.document, h.start, h.end, h.quote, h.snippet, tuple(h.highlights), h.score,
                                              h.folded) for h in result.hits]


def test_common_words_give_the_same_hits_cold_warm_and_uncached(wh_asean_db: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    cold = {q: _hits(open_store(wh_asean_db), q) for q in COMMON}  # a new store per search: nothing cached
    warm_store = open_store(wh_asean_db)
    with warm_store.time_limit(SEARCH_SECONDS, "the search"):  # within the server's limit, busy machine or not
        warm = {q: _hits(warm_store, q) for q in COMMON}
        again = {q: _hits(warm_store, q) for q in reversed(COMMON)}
    assert warm == cold == again
    assert sum(len(v) - 1 for v in cold.values()) >= 10 * len(COMMON) // 2  # the common words do find passages
    monkeypatch.setattr(search_module, "TEXT_CACHE_CHARS", 1)  # every text read again from the store
    uncached_store = open_store(wh_asean_db)
    assert {q: _hits(uncached_store, q) for q in COMMON} == cold
    for q in COMMON[:3]:
        for h in search_page(warm_store, q, limit=20).hits:
            assert h.quote == warm_store.text_slice(h.document_id, h.start, h.end)


def test_filters_sorts_and_pages_are_the_same_from_the_cache(wh_asean_db: Path) -> None:
    store = open_store(wh_asean_db)
    for q in ("ASEAN maritime cooperation", "president"):
        search_page(store, q, limit=20)  # fills the text cache
        for kwargs in ({"offset": 40}, {"sort": "date"}, {"since": "2022", "kind": "statement"}):
            assert _hits(store, q, **kwargs) == _hits(open_store(wh_asean_db), q, **kwargs)


def test_the_text_cache_is_bounded(wh_asean_db: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(search_module, "TEXT_CACHE_CHARS", 60_000)
    store = open_store(wh_asean_db)
    for q in COMMON:
        search_page(store, q, limit=20)
    cache = store._search_texts  # type: ignore[attr-defined]
    assert 0 < len(cache) and cache.chars <= 60_000 + max(len(t) for t in cache._items.values())


def test_highlighting_leaves_no_rows_and_no_transaction(seeds_db: Path) -> None:
    store = open_store(seeds_db)
    for q in ("ASEAN", "Culture House", "cooperation fund"):
        assert any("[[" in h.snippet for h in search_page(store, q, limit=20).hits)
        assert not store.db.in_transaction  # no snapshot of the file is held between searches
        assert store.db.execute("SELECT count(*) FROM temp.page_marks").fetchone()[0] == 0


def test_recent_results_are_bounded_and_computed_once(seeds_db: Path) -> None:
    catalog = Catalog(str(seeds_db))
    computed: list[int] = []

    def compute(n: int) -> dict[str, int]:
        computed.append(n)
        return {"n": n}

    for n in range(RECENT_RESULTS + 40):
        assert catalog.recent(("search", n), lambda n=n: compute(n)) == {"n": n}
    assert len(catalog._recent) == RECENT_RESULTS  # the oldest went first
    assert catalog.recent(("search", RECENT_RESULTS + 39), lambda: compute(-1)) == {"n": RECENT_RESULTS + 39}
    assert catalog.recent(("search", 0), lambda: compute(-2)) == {"n": -2}  # evicted: worked out again
    assert computed.count(-1) == 0 and computed.count(-2) == 1


def test_a_rebuilt_knowledge_base_gives_new_results(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    shutil.copytree(corpus_dir(), corpus)
    db = tmp_path / "kb.db"
    run_cli("build", str(corpus), "--db", str(db), "-q")
    server = Server(db)
    try:
        status, first = server.json("/api/search?q=Cooperation+Fund")
        assert status == 200 and first["total"] > 0
        assert server.json("/api/search?q=Cooperation+Fund")[1] == first  # kept: the same answer
        page = server.get("/search?q=Cooperation+Fund")[2]
        assert f"{first['found']:,} result" in page  # the page shows the JSON twin's results
        source = corpus_dir() / "004_931a6d2c2293319e.txt"
        (corpus / "reposted.txt").write_text("Reposted\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
        run_cli("build", str(corpus), "--db", str(db), "-q")
        time.sleep(STAMP_SECONDS + 0.5)
        status, second = server.json("/api/search?q=Cooperation+Fund")
        assert status == 200 and second["total"] > first["total"]
    finally:
        server.stop()


def test_the_records_are_left_out_of_full_collections(seeds_db: Path) -> None:
    import gc

    catalog = Catalog(str(seeds_db))
    try:
        catalog.warm()
        record = catalog.records("meetings")[0]
        assert gc.get_freeze_count() > 0
        assert not any(o is record for o in gc.get_objects())  # a full pass does not walk it
    finally:
        gc.unfreeze()
