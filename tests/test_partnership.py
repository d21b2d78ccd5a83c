"""Partnership scope through the real CLI on the seed knowledge base (and wh-briefings when present)."""

from __future__ import annotations

import json
import sqlite3

import pytest

from communique.errors import QueryError
from communique.query.partnership import parse_partnership
from tests.conftest import cli_json, needs_wh, run_cli


@pytest.mark.parametrize("text,parties", [
    ("ASEAN-ROK", ("Association of Southeast Asian Nations", "Republic of Korea")),
    ("ROK-U.S.", ("Republic of Korea", "United States")),
    ("ASEAN–U.S.", ("Association of Southeast Asian Nations", "United States")),
    ("South Korea and the United States", ("Republic of Korea", "United States")),
    ("Japan-ROK-U.S.", ("Japan", "Republic of Korea", "United States")),
    ("Timor-Leste-ROK", ("Timor-Leste", "Republic of Korea")),
])
def test_parties_resolve_through_the_gazetteer(text: str, parties: tuple[str, ...]) -> None:
    assert parse_partnership(text).parties == parties


@pytest.mark.parametrize("text", ["ASEAN", "Atlantis-ROK", "", "ROK-ROK"])
def test_bad_partnerships_are_refused(text: str) -> None:
    with pytest.raises(QueryError):
        parse_partnership(text)


def test_meetings_of_a_partnership_are_its_own(seeds_db) -> None:
    rows = cli_json("meetings", "--db", str(seeds_db), "--partnership", "ASEAN-ROK")
    assert rows and all(set(r["parties"]) == {"ASEAN", "ROK"} for r in rows)
    everything = cli_json("meetings", "--db", str(seeds_db))
    assert len(rows) < len(everything)  # the ASEAN Plus Three and Mekong-ROK meetings are left out
    assert any(r["ordinal"] == 26 and r["mechanism"] == "ASEAN-ROK Dialogue" for r in rows)


def test_every_listing_takes_a_partnership(seeds_db) -> None:
    for command in ("events", "commitments", "figures", "people", "entities", "timeline", "documents"):
        rows = cli_json(command, "--db", str(seeds_db), "--partnership", "ROK-ASEAN")
        assert isinstance(rows, list) and rows, command
    assert cli_json("meetings", "--db", str(seeds_db), "--partnership", "Japan-ROK") == []
    proc = run_cli("meetings", "--db", str(seeds_db), "--partnership", "Atlantis-ROK", check=False)
    assert proc.returncode == 1 and "unknown party 'Atlantis'" in proc.stderr


def test_partnerships_command_counts(seeds_db) -> None:
    rows = cli_json("partnerships", "--db", str(seeds_db))
    top = rows[0]
    assert top["name"] == "ASEAN-ROK" and top["documents"] == 5 and top["meetings"] >= 10 and top["commitments"] > 0


def test_ask_and_search_take_a_partnership(seeds_db) -> None:
    out = json.loads(run_cli("ask", "What did the 24th ASEAN-ROK Dialogue discuss?", "--db", str(seeds_db),
                             "--partnership", "ASEAN-ROK", "--json").stdout)
    assert "answer" in out
    for partnership in ("Japan-U.S.", "ASEAN-ROK"):
        docs = {r["path"] for r in cli_json("documents", "--db", str(seeds_db), "--partnership", partnership)}
        hits = cli_json("search", "cooperation", "--db", str(seeds_db), "--partnership", partnership, "--limit", "50")
        assert {h["document"] for h in hits} <= docs
    assert cli_json("search", "cooperation", "--db", str(seeds_db), "--partnership", "Canada-Mexico") == []


@needs_wh
def test_rok_us_meetings_on_wh(wh_asean_db) -> None:
    rows = cli_json("meetings", "--db", str(wh_asean_db), "--partnership", "ROK-U.S.")
    assert all({"ROK", "U.S."} == set(r["parties"]) or "ROK" in r["mechanism"] and "U.S." in r["mechanism"] for r in rows)
    wider = cli_json("meetings", "--db", str(wh_asean_db), "--partnership", "ROK-U.S.", "--wider")
    assert len(wider) >= len(rows) and all({"ROK", "U.S."} <= set(r["parties"]) for r in wider)
    docs = {r["path"] for r in cli_json("documents", "--db", str(wh_asean_db), "--partnership", "ROK-U.S.")}
    texts = dict(sqlite3.connect(wh_asean_db).execute("SELECT path, text FROM documents"))
    assert docs and all("Korea" in texts[p] or "ROK" in texts[p] for p in docs)
