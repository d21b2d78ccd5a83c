"""The Store verbs that the partnership desk's queries use answer alike on SQLite and PostgreSQL.

The seed corpus is built into both backends; search pages (filters, paging, sort), the partnerships,
a briefing pack and the commitments' follow-ups must come out the same, and so must each verb.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from communique.query.partnership import scope_of
from communique.query.search import search_page
from communique.resolve.followups import attach_followups
from communique.store import open_store
from communique.store.pg_search import parse_match
from tests.conftest import run_cli

MATCHES = ['text : ("summit")', '("asean" "dialogue") AND text : ("asean" OR "dialogue")', '"special summit"',
           '"korea" OR "busan"', 'text : ("cooperation")']


@pytest.fixture()
def stores(seeds_db: Path, seeds_pg: str) -> Iterator[tuple[Any, Any]]:
    a, b = open_store(seeds_db), open_store(seeds_pg)
    try:
        yield a, b
    finally:
        a.close()
        b.close()


def _page(store: Any, query: str, **kw: Any) -> dict[str, Any]:
    return search_page(store, query, **kw).as_dict()


def _same_page(a: dict[str, Any], b: dict[str, Any]) -> None:
    scores = [(x.pop("score"), y.pop("score")) for x, y in zip(a["hits"], b["hits"])]
    assert b == a
    assert all(abs(x - y) < 1e-3 for x, y in scores), scores


def _filters(store: Any) -> list[tuple[str, dict[str, Any]]]:
    """Filters drawn from the knowledge base itself: a kind, a publisher word, a year of its documents."""
    docs = store.document_catalog()
    kind = next(d["kind"] for d in docs if d["kind"])
    publisher = next(d["publisher"] for d in docs if d["publisher"]).split()[-1]
    year = sorted(d["date"] for d in docs if d["date"])[len(docs) // 2][:4]
    return [
        ("ASEAN", {}), ("cooperation", {"sort": "date"}), ("cooperation", {"sort": "oldest", "limit": 3}),
        ("ASEAN Korea", {"limit": 4, "offset": 4}), ("ASEAN", {"limit": 5, "offset": 5, "per_document": 0}),
        ("summit", {"since": year}), ("partnership", {"until": year}), ("ASEAN", {"kind": kind}),
        ("Korea", {"publisher": publisher}), ("dialogue", {"scope": scope_of(store, "ASEAN-ROK").document_ids}),
        ("maritime security cooperation", {}),  # three words: ranked on all of them, then on any
    ]


def test_search_pages_are_the_same(stores: tuple[Any, Any]) -> None:
    a, b = stores
    hits = 0
    for query, kw in _filters(a):
        on_sqlite, on_pg = _page(a, query, **kw), _page(b, query, **kw)
        hits += len(on_sqlite["hits"])
        _same_page(on_sqlite, on_pg)
    assert hits > 40


def test_paging_on_postgres_continues_the_first_page(seeds_pg: str) -> None:
    with open_store(seeds_pg) as store:
        whole = [(h["document"], h["start"]) for h in _page(store, "ASEAN", limit=8, per_document=0)["hits"]]
        pages = [(h["document"], h["start"]) for o in (0, 4) for h in
                 _page(store, "ASEAN", limit=4, offset=o, per_document=0)["hits"]]
    assert len(whole) == 8 and pages == whole


def test_partnerships_are_the_same(seeds_db: Path, seeds_pg: str) -> None:
    on_sqlite = run_cli("partnerships", "--db", str(seeds_db), "--json").stdout
    assert '"ASEAN-ROK"' in on_sqlite or "ASEAN" in on_sqlite
    assert run_cli("partnerships", "--db", seeds_pg, "--json").stdout == on_sqlite


def test_the_brief_is_the_same(seeds_db: Path, seeds_pg: str) -> None:
    args = ("brief", "--partnership", "ASEAN-ROK", "--mechanism", "ASEAN-ROK Dialogue", "--format", "md")
    on_sqlite = run_cli(*args, "--db", str(seeds_db)).stdout
    assert len(on_sqlite.splitlines()) > 20
    assert run_cli(*args, "--db", seeds_pg).stdout == on_sqlite


def test_followups_are_the_same(stores: tuple[Any, Any]) -> None:
    a, b = stores
    found = []
    for store in (a, b):
        records = store.records("commitments")
        attach_followups(store, records, semantic=False)  # computed again at query time, on each backend
        found.append([(r["id"], r["status"], r["follow_ups"]) for r in records])
    assert found[1] == found[0]
    assert sum(1 for _, _, links in found[0] if links) >= 1


def _spans(store: Any, ids: list[int]) -> list[tuple[str, int]]:
    """Paragraph ids as (document, start): the two backends may number paragraphs differently."""
    heads = {i: (s, e) for i, s, e, _ in store.passage_heads(ids)}
    ranges = store.passage_ranges()
    starts = [first for first, _ in ranges]
    return [(ranges[bisect.bisect_right(starts, i) - 1][1], heads[i][0]) for i in ids]


def test_the_verbs_answer_alike(stores: tuple[Any, Any]) -> None:
    a, b = stores
    assert b.document_catalog() == a.document_catalog()
    assert len(b.passage_ranges()) == len(a.passage_ranges()) == a.count_documents()
    for names, kinds, per in ((("ASEAN", "Republic of Korea"), None, "document_id"),
                              (None, ("state", "organisation"), "path")):
        on_sqlite = sorted(a.mention_counts(names=names, kinds=kinds, per=per))
        assert on_sqlite and sorted(b.mention_counts(names=names, kinds=kinds, per=per)) == on_sqlite
    for match in MATCHES:
        total = a.count_matches(match)
        assert total > 0 and b.count_matches(match) == total, match
        assert _spans(b, b.latest_matches(match, 5, 1)) == _spans(a, a.latest_matches(match, 5, 1))
        ra, rb = a.rank_matches(match, 10), b.rank_matches(match, 10)
        assert _spans(b, [i for i, _ in rb]) == _spans(a, [i for i, _ in ra]), match
        assert all(abs(x - y) < 1e-3 for (_, x), (_, y) in zip(ra, rb)), match
        marked = [(a.highlight_passage(match, i), b.highlight_passage(match, j)) for (i, _), (j, _) in zip(ra, rb)]
        assert marked and all(x is not None and y is not None for x, y in marked), match
        if match.startswith("text :"):  # one word, in the paragraph's own text: marked alike
            assert all("\x02" in x and x == y for x, y in marked), match
    docs = sorted((d["date"], d["path"]) for d in a.document_catalog() if d["date"])
    cut, other = docs[0][0], docs[1][1]
    found = []
    for store in (a, b):
        later = store.search_passages('"asean"', 50, after=cut, except_path=other)
        assert later and all(str(r["date"]) > cut and r["path"] != other for r in later)
        found.append([(r["path"], r["start"], r["text"]) for r in later])
    assert found[1] == found[0]


def test_a_column_filter_is_a_weight() -> None:
    assert parse_match('text : ("summit")') == ("((('summit':A)))", ["('summit':A)"])
    query, phrases = parse_match('("a" "b") AND text : ("a" OR "b")')
    assert phrases == ["('a')", "('b')", "('a':A)", "('b':A)"] and query.count(":A") == 2
