"""Search through the real CLI: ranked passages whose offsets slice the stored text exactly."""

from __future__ import annotations

import json
import sqlite3

from tests.conftest import run_cli


def _texts(db) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT path, text FROM documents"))


def test_search_offsets_slice_exactly(seeds_db) -> None:
    hits = json.loads(run_cli("search", "ASEAN Culture House", "--db", str(seeds_db), "--json").stdout)
    assert hits, "no hits"
    texts = _texts(seeds_db)
    for hit in hits:
        assert texts[hit["document"]][hit["start"] : hit["end"]] == hit["quote"]
        for s, e in hit["highlights"]:
            assert texts[hit["document"]][s:e].lower()[:4] in ("asea", "cult", "hous")  # stems match
    assert hits[0]["quote"] == "2017 Inauguration of the ASEAN Culture House in Busan"


def test_search_any_word_when_none_match_all(seeds_db) -> None:
    hits = json.loads(run_cli("search", "Busan zeppelin", "--db", str(seeds_db), "--json").stdout)
    assert hits and all("Busan" in h["quote"] for h in hits)


def test_search_rejects_bad_queries(seeds_db) -> None:
    proc = run_cli("search", "***", "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "no words" in proc.stderr
    proc = run_cli("search", "x" * 600, "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "longer than" in proc.stderr


def test_fts_syntax_is_not_injected(seeds_db) -> None:
    hits = json.loads(run_cli("search", 'Summit" OR NEAR(x', "--db", str(seeds_db), "--json").stdout)
    assert all("summit" in h["quote"].lower() or "near" in h["quote"].lower() for h in hits)


def test_special_summit_documents_first(wh_asean_db) -> None:
    hits = json.loads(run_cli("search", "Special Summit Washington", "--db", str(wh_asean_db), "--json").stdout)
    assert hits[0]["date"].startswith("2022-05") and "special-summit" in hits[0]["document"]
    texts = _texts(wh_asean_db)
    for hit in hits:
        assert texts[hit["document"]][hit["start"] : hit["end"]] == hit["quote"]


def test_show_highlights_span(seeds_db) -> None:
    out = run_cli("show", "004_931a6d2c2293319e.txt", "--db", str(seeds_db), "--span", "0:23", "--json").stdout
    assert json.loads(out)["span"]["quote"] == "JAKARTA, 26 August 2020"
    proc = run_cli("show", "004", "--db", str(seeds_db), "--span", "10:5", check=False)
    assert proc.returncode == 1


def test_listings_have_json_and_csv(seeds_db) -> None:
    docs = json.loads(run_cli("documents", "--db", str(seeds_db), "--json").stdout)
    assert [d["path"] for d in docs] == sorted(d["path"] for d in docs) and len(docs) == 5
    csv_out = run_cli("documents", "--db", str(seeds_db), "--csv").stdout.splitlines()
    assert csv_out[0].startswith("id,path,title") and len(csv_out) == 6
    stats = json.loads(run_cli("stats", "--db", str(seeds_db), "--json").stdout)
    assert stats["documents"] == 5 and stats["paragraphs"] > 100
