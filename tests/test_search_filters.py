"""Search an analyst expects, through the real CLI and library: count, pages, filters, sort, folding."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from communique.errors import QueryError
from communique.query.search import search_page
from communique.store import open_store
from tests.conftest import cli_json, corpus_dir, run_cli


def test_pages_do_not_overlap_and_count(seeds_db) -> None:
    store = open_store(seeds_db)
    first = search_page(store, "ASEAN", limit=3)
    second = search_page(store, "ASEAN", limit=3, offset=3)
    assert first.total >= first.found >= 6 and first.as_dict()["pages"] == -(-first.found // 3)
    assert not {(h.document, h.start) for h in first.hits} & {(h.document, h.start) for h in second.hits}


def test_filters_by_kind_date_and_publisher(seeds_db) -> None:
    store = open_store(seeds_db)
    hits = search_page(store, "ASEAN", limit=50, kind="joint_statement").hits
    assert hits and all(h.kind == "joint_statement" for h in hits)
    hits = search_page(store, "ASEAN", limit=50, since="2020", until="2020-12").hits
    assert hits and all(h.date and "2020" <= h.date[:4] <= "2020" for h in hits)
    hits = search_page(store, "ASEAN", limit=50, publisher="secretariat").hits
    assert hits and all("Secretariat" in (h.publisher or "") for h in hits)
    assert search_page(store, "ASEAN", kind="proclamation").hits == []


def test_sort_by_date(seeds_db) -> None:
    hits = cli_json("search", "cooperation", "--db", str(seeds_db), "--sort", "date", "--limit", "30")
    dates = [h["date"] or "" for h in hits]
    assert dates == sorted(dates, reverse=True)
    oldest = cli_json("search", "cooperation", "--db", str(seeds_db), "--sort", "oldest", "--limit", "30")
    assert [h["date"] or "" for h in oldest] == sorted(h["date"] or "" for h in oldest)


def test_snippets_highlight_within_a_window(seeds_db) -> None:
    for h in search_page(open_store(seeds_db), "Busan", limit=20).hits:
        assert "[[Busan]]" in h.snippet and len(h.snippet) <= 420


def test_near_duplicates_are_folded(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    source = corpus_dir() / "004_931a6d2c2293319e.txt"
    shutil.copy(source, corpus / "a.txt")
    (corpus / "b.txt").write_text("Reposted\n\n" + source.read_text(encoding="utf-8"), encoding="utf-8")
    db = tmp_path / "kb.db"
    run_cli("build", str(corpus), "--db", str(db), "-q")
    hits = search_page(open_store(db), "Cooperation Fund", limit=20, per_document=0).hits
    assert hits and len({h.quote for h in hits}) == len(hits)  # each paragraph once
    assert any(h.folded == 1 for h in hits)


def test_bad_search_arguments(seeds_db) -> None:
    store = open_store(seeds_db)
    with pytest.raises(QueryError):
        search_page(store, "ASEAN", sort="random")
    with pytest.raises(QueryError):
        search_page(store, "ASEAN", offset=10**6)
    proc = run_cli("search", "ASEAN", "--db", str(seeds_db), "--sort", "sideways", check=False)
    assert proc.returncode == 1 and "sort must be" in proc.stderr
