"""Commitment follow-up on real documents: typed, dated, exactly cited, checked by the clause's own terms."""

from __future__ import annotations

import json
import sqlite3

from communique.resolve.followups import follow_up_type, key_terms
from tests.conftest import cli_json, needs_wh


def _texts(db) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT path, text FROM documents"))


def test_fund_clause_is_reaffirmed_by_the_24th_dialogue(seeds_db) -> None:
    rows = cli_json("commitments", "--db", str(seeds_db))
    fund = next(r for r in rows if "ASEAN-ROK Cooperation Fund (AKCF)" in r["text"])
    assert fund["status"]["status"] == "reaffirmed"
    link = fund["follow_ups"][0]
    assert link["type"] == "reaffirm" and link["date"] == "2020-08-26" and "Cooperation Fund" in link["quote"]
    assert fund["status"]["source"]["quote"] == link["quote"]
    assert [(x["period"], x["score"]) for x in fund["scores"]] == [("2020", 0)]  # reaffirmed only: 0 that year
    assert fund["scores"][0]["rationale"]["quote"] == link["quote"]


def test_links_are_later_exact_and_typed(seeds_db) -> None:
    rows = cli_json("commitments", "--db", str(seeds_db), "--part", "all")
    texts = _texts(seeds_db)
    links = [(r, f) for r in rows for f in r["follow_ups"]]
    assert links
    for r, f in links:
        assert texts[f["document"]][f["start"] : f["end"]] == f["quote"]
        assert str(f["date"]) > str(r["document_date"]) and f["document"] != r["document"]
        assert f["type"] in ("reaffirm", "implement", "progress", "extend", "supersede") and (f["similarity"] is None or 0.45 <= f["similarity"] <= 1)
    statuses = {r["status"]["status"] for r in rows}
    assert statuses <= {"no follow-up", "reaffirmed", "in progress", "implemented", "superseded"}
    assert sum(1 for r in rows if not r["follow_ups"]) > len(links)  # most clauses have none in five documents


def test_key_terms_are_the_clause_own_names() -> None:
    names, acronyms = key_terms("FURTHER REAFFIRMING our support for the Master Plan on ASEAN Connectivity (MPAC) 2025 "
                                "and the United States of America.")
    assert "Master Plan on ASEAN Connectivity" in names and "MPAC" in acronyms
    assert "FURTHER" not in acronyms and not any("United States" == n for n in names)


def test_types_follow_the_wording() -> None:
    assert follow_up_type("ESTABLISH the ASEAN-U.S. Comprehensive Strategic Partnership") == "implement"
    assert follow_up_type("The Centre was inaugurated in Busan.") == "implement"
    assert follow_up_type("We reaffirm our support for the Fund.") == "reaffirm"
    assert follow_up_type("REAFFIRMING the Joint Vision Statement adopted in 2022") == "reaffirm"
    assert follow_up_type("Work on the platform is underway.") == "progress"
    assert follow_up_type("We will establish a centre.") is None


@needs_wh
def test_acronyms_do_not_link_unrelated_organisations(wh_asean_db) -> None:
    rows = cli_json("commitments", "--db", str(wh_asean_db))
    links = [(r, f) for r in rows for f in r["follow_ups"]]
    for r, f in links:
        assert "Muslim Public Affairs" not in f["quote"]
        assert any(t.lower() in f["quote"].lower() for t in f["terms"])  # names match in any case
    csp = [r for r in rows if "commit to establish an ASEAN-U.S. Comprehensive Strategic Partnership" in r["text"]]
    if csp:  # the 2022 Joint Vision Statement's pledge, fulfilled by the November 2022 leaders' statement
        assert csp[0]["status"]["status"] == "implemented"
        assert any(f["date"] == "2022-11-12" and f["type"] == "implement" for f in csp[0]["follow_ups"])
