"""Retrieval by the question's month and by the name of the meeting it is about (query.retrieve,
query.question.Question.search_names), on the seed documents."""

from __future__ import annotations

from pathlib import Path

from communique.query.question import analyse
from communique.query.retrieve import Retriever, entity_aliases
from communique.store import open_store


def _spied(db: Path) -> tuple[Retriever, list[tuple[str, int, object]]]:
    store = open_store(db)
    seen: list[tuple[str, int, object]] = []
    original = store.ranked_paragraphs

    def spy(match: str, limit: int, scope: object = None) -> list:
        seen.append((match, limit, None if scope is None else sorted(scope)))
        return original(match, limit, scope)

    store.ranked_paragraphs = spy  # type: ignore[method-assign]
    return Retriever(store), seen


def test_the_documents_of_the_month_asked_join_the_pool_after_the_whole_corpus_s_best(seeds_db: Path) -> None:
    r, seen = _spied(seeds_db)
    q = analyse("Which deputy minister co-chaired the consultative meeting with ASEAN officials in July 2022?")
    assert "2022-07" in q.dates
    july = [d["id"] for d in open_store(seeds_db).document_catalog() if (d["date"] or "").startswith("2022-07")]
    assert july
    # a pool of one paragraph of the whole corpus: the month's documents are searched on their own
    found = r.retrieve(q.text, q.words, entity_aliases(q.entities), paragraphs=1, keep=40, months=q.dates)
    assert len(seen) == 2 and seen[0][2] is None and seen[1][2] == sorted(july)
    dated = [s for s in found if s.document_id in july]
    assert dated, "a sentence of the month's document is read"
    first = min(s.paragraph_rank for s in found if s.document_id not in july) if any(
        s.document_id not in july for s in found) else 0
    assert all(s.paragraph_rank >= first for s in dated)  # ranked after the corpus's best, not before
    # no month asked: one search only
    seen.clear()
    r.retrieve(q.text, q.words, entity_aliases(q.entities), paragraphs=1, keep=40)
    assert len(seen) == 1


def test_a_year_alone_or_a_month_without_documents_adds_no_search(seeds_db: Path) -> None:
    r, seen = _spied(seeds_db)
    q = analyse("What did ASEAN and the Republic of Korea agree on in 2022?")
    r.retrieve(q.text, q.words, entity_aliases(q.entities), months=q.dates)
    assert len(seen) == 1
    seen.clear()
    r.retrieve(q.text, q.words, entity_aliases(q.entities), months=["1990-03"])
    assert len(seen) == 1


def test_the_meeting_asked_about_is_searched_as_a_phrase_without_its_number() -> None:
    q = analyse("What was the stated theme of the Ninth Summit of the Americas?")
    assert "Summit of the Americas" in q.search_names()
    q = analyse("Where was the 2022 Summit of the Americas held?")
    assert [n for n in q.search_names() if "Summit of the Americas" in n] and "2022" not in " ".join(q.search_names())
    # a meeting word alone is no phrase
    assert analyse("When did the Dialogue first meet?").search_names() == analyse("When did the Dialogue first meet?").phrases


def test_a_meeting_s_name_is_searched_once_and_no_initial_is_a_name() -> None:
    # "Africa Leaders Summit" (a name the gazetteer does not know) is the meeting's name too: one phrase
    q = analyse("How much did the administration commit at the 2022 U.S.-Africa Leaders Summit?")
    names = [n.lower() for n in q.search_names()]
    assert len([n for n in names if "africa leaders summit" in n]) == 1, names
    # the first letter of "U.S." ends no name ("China in the U" of "China in the U.S.-China talks")
    q = analyse("Who represents China in the U.S.-China trade consultation mechanism?")
    assert not any(n.endswith(("U", "-U")) for n in q.phrases), q.phrases
    q = analyse("Who was named the Special Presidential Representative for U.S.-Africa Leaders Summit Implementation?")
    assert "Special Presidential Representative" in q.phrases, q.phrases
    # a month closes a name, and the plural of the name before it stays whole ("United States in July")
    q = analyse("How much did Saudi Arabia commit to the project it agreed with the United States in July 2022?")
    assert not any(n.endswith("State") for n in q.phrases), q.phrases
    # a possessive is no part of a name: "William Ruto's inauguration" names William Ruto
    q = analyse("Who led the delegation to William Ruto's inauguration?")
    assert "William Ruto" in q.phrases, q.phrases


def test_a_scoped_search_by_paragraph_ranges_finds_what_the_join_finds(wh_asean_db: Path, tmp_path: Path) -> None:
    """The documents of a month are searched by the rowid ranges of their paragraphs (store.scoped):
    the same paragraphs, scores and order as the join on each match's document, which a document
    whose paragraphs are not consecutive falls back to."""
    import shutil
    import sqlite3

    store = open_store(wh_asean_db)
    catalog = store.document_catalog()
    months = sorted({d["date"][:7] for d in catalog if d.get("date")})
    scopes = [[d["id"] for d in catalog if (d.get("date") or "").startswith(m)] for m in months[::3]]
    matches = ['"asean" OR "korea"', '"summit" OR "minister" OR "cooperation"', '"trade"', '"president biden"']
    blocks = [store._ranges().blocks(ids) for ids in scopes]  # type: ignore[attr-defined]
    assert all(b is not None for b in blocks) and any(len(b) > 1 for b in blocks if b)
    by_ranges = [store.ranked_paragraphs(m, 40, ids) for m in matches for ids in scopes]
    store._ranges().blocks = lambda ids: None  # type: ignore[attr-defined,method-assign]
    joined = [store.ranked_paragraphs(m, 40, ids) for m in matches for ids in scopes]
    assert sum(len(rows) for rows in joined) > 100 and by_ranges == joined
    # a copy where one document's paragraph is renumbered past the others: that document is searched by the join
    copy = tmp_path / "renumbered.db"
    shutil.copy(wh_asean_db, copy)
    with sqlite3.connect(copy) as db:
        document, first = db.execute("SELECT document_id, min(id) FROM passages GROUP BY document_id "
                                     "HAVING count(*) > 2 LIMIT 1").fetchone()
        db.execute("UPDATE passages SET id = (SELECT max(id) + 1 FROM passages) WHERE id = ?", (first,))
    renumbered = open_store(copy)
    assert renumbered._ranges().blocks([document]) is None  # type: ignore[attr-defined]
    assert renumbered._ranges().blocks([d["id"] for d in catalog if d["id"] != document]) is not None  # type: ignore[attr-defined]
