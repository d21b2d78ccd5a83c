"""Golden facts of the seed documents and of a dozen wh-briefings documents.

Every expected value below was checked by hand against the document's text. A fact matches when it
has every listed field with the listed value; extra fields and extra facts are allowed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import WH, corpus_dir, needs_wh, run_cli


def _facts(path) -> dict[str, Any]:
    data = json.loads(run_cli("extract", str(path), "--json").stdout)
    text = json.loads(run_cli("extract", str(path), "--json").stdout)  # deterministic: same twice
    assert data == text
    return data


def _has(facts: list[dict[str, Any]], kind: str, want: dict[str, Any]) -> bool:
    return any(f["kind"] == kind and all(f["value"].get(k) == v for k, v in want.items()) for f in facts)


SEEDS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "000_a0bb0f0e250f07dd.txt": [
        ("meeting", {"mechanism": "ASEAN Ministerial Meeting", "ordinal": 24, "date": "1991-07", "city": "Kuala Lumpur"}),
        ("meeting", {"mechanism": "ASEAN-ROK Summit", "ordinal": 18, "date": "2016", "city": "Vientiane", "country": "Lao PDR"}),
        ("meeting", {"mechanism": "ASEAN-ROK Summit", "ordinal": 17, "date": "2015", "country": "Malaysia"}),  # a row under 2015
        ("meeting", {"mechanism": "ASEAN-ROK Summit", "ordinal": 21, "date": "2020", "format": "virtual", "country": "Viet Nam"}),
        ("meeting", {"mechanism": "ASEAN-ROK Summit", "ordinal": None, "date": "2004-11-30", "city": "Vientiane"}),
        ("meeting", {"mechanism": "ASEAN Plus Three Summit", "ordinal": 1, "held_at": {"mechanism": "ASEAN Informal Summit", "ordinal": 2}}),
        ("meeting", {"mechanism": "ASEAN-ROK Summit", "ordinal": 8, "documents_adopted": ["Joint Declaration on Comprehensive Cooperation Partnership"]}),
        ("event", {"date": "1989-11", "kind": "relationship"}),
        ("event", {"date": "2009-03", "kind": "institution", "label": "In March 2009, the ASEAN-Korea Centre was established."}),
        ("event", {"date": "2017", "kind": "institution", "label": "Inauguration of the ASEAN Culture House in Busan"}),
        ("event", {"date": "2004-11", "kind": "agreement"}),
        ("event", {"date": "2001", "kind": "document", "label": "Report of the East Asia Vision Group (EAVG)"}),
        ("figure", {"measure": "trade", "value": 38.7e9, "unit": "USD", "year": "2003"}),
        ("figure", {"measure": "trade", "value": 149e9, "unit": "USD", "year": "2017"}),
        ("figure", {"measure": "contribution", "value": 42e6, "period": "1990/2009"}),
    ],
    "001_3f708a09ed93442b.txt": [
        ("figure", {"measure": "trade", "value": 200e9, "unit": "USD", "year": "2020", "qualifier": "target"}),
        ("role", {"name": "Moon Jae-in", "title": "President", "country": "Republic of Korea"}),
    ],
    "002_e4c37540789ff52f.txt": [
        ("meeting", {"mechanism": "ASEAN-ROK Dialogue", "ordinal": 26, "date": "2022-07-01", "date_inferred": True,
                     "city": "Seoul", "country": "Republic of Korea"}),
        ("meeting", {"mechanism": "ASEAN-ROK Dialogue", "ordinal": 26, "format": "in-person",
                     "co_chairs": [{"name": "Yeo Seung-bae", "title": "Deputy Minister for Political Affairs of the Ministry of Foreign Affairs", "country": None},
                                   {"name": "Vu Ho", "title": "Acting Leader of ASEAN Senior Officials’ Meeting (SOM) of the Ministry of Foreign Affairs of Viet Nam", "country": "Viet Nam"}]}),
    ],
    "003_d429192644a191e1.txt": [
        ("meeting", {"mechanism": "ASEAN-ROK Commemorative Summit", "date": "2019-11-26", "city": "Busan"}),
        ("commitment", {"number": "1.1", "section": "Advancing ASEAN-ROK Strategic Partnership into the Future", "operative": True}),
        ("commitment", {"number": "6.4", "section": "Together for the People -- Enhancing Our Socio-Cultural Partnership"}),
        ("commitment", {"number": None, "operative": False}),  # the preambular paragraphs, kept apart
        ("event", {"date": "2019-11-26", "kind": "document"}),
    ],
    "004_931a6d2c2293319e.txt": [
        ("meeting", {"mechanism": "ASEAN-ROK Dialogue", "ordinal": 24, "date": "2020-08-26", "format": "virtual", "city": None}),
        ("meeting", {"mechanism": "Special ASEAN Plus Three Summit on COVID-19", "date": "2020-04-14"}),
        ("meeting", {"mechanism": "ASEAN-ROK Foreign Ministers' Meeting", "date": "2020-09", "date_inferred": True}),
        ("event", {"date": "1984-01-07", "kind": "membership", "label": "Brunei Darussalam joins ASEAN"}),
        ("event", {"date": "1997-07-23", "kind": "membership", "label": "Lao PDR and Myanmar join ASEAN"}),
        ("event", {"date": "1967-08-08", "kind": "institution"}),
    ],
}


@pytest.mark.parametrize("name", sorted(SEEDS))
def test_seed_facts(name: str) -> None:
    data = _facts(corpus_dir() / name)
    for kind, want in SEEDS[name]:
        assert _has(data["facts"], kind, want), f"{name}: no {kind} with {want}"


def test_numbered_clauses_are_all_there() -> None:
    data = _facts(corpus_dir() / "003_d429192644a191e1.txt")
    numbers = [f["value"]["number"] for f in data["facts"] if f["kind"] == "commitment" and f["value"]["operative"]]
    assert numbers == ["1.1", "1.2", "1.3", "1.4", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "3.4",
                       "4.1", "4.2", "4.3", "4.4", "5.1", "5.2", "5.3", "5.4", "6.1", "6.2", "6.3", "6.4"]


def test_press_release_has_no_commitments() -> None:
    data = _facts(corpus_dir() / "002_e4c37540789ff52f.txt")
    assert not [f for f in data["facts"] if f["kind"] == "commitment"]


def test_every_stored_fact_quotes_its_span(seeds_db) -> None:
    import sqlite3

    rows = sqlite3.connect(seeds_db).execute(
        'SELECT d.text, f.start, f."end", f.quote, f.kind FROM facts f JOIN documents d ON d.id = f.document_id').fetchall()
    assert len(rows) > 200
    for text, start, end, quote, kind in rows:
        assert 0 <= start < end <= len(text) and text[start:end] == quote, (kind, start, end)


def test_resolved_sources_quote_exactly(seeds_db) -> None:
    import sqlite3

    con = sqlite3.connect(seeds_db)
    texts = dict(con.execute("SELECT path, text FROM documents"))
    for table in ("meetings", "events", "commitments", "figures", "people"):
        for (record,) in con.execute(f"SELECT record FROM {table}"):
            for src in json.loads(record)["sources"]:
                assert texts[src["document"]][src["start"] : src["end"]] == src["quote"], (table, src)


WH_DOCS: dict[str, list[tuple[str, dict[str, Any]]]] = {
    "statements-releases/2022-05/2022-05-13-asean-u-s-special-summit-2022-joint-vision-statement.md": [
        ("meeting", {"mechanism": "ASEAN-U.S. Special Summit", "date": "2022-05-12/2022-05-13", "city": "Washington"}),  # "Washington, D.C." is Washington
        ("commitment", {"section": "Promoting Maritime Cooperation", "operative": True}),
        ("commitment", {"operative": False}),
    ],
    "statements-releases/2022-05/2022-05-12-fact-sheet-u-s-asean-special-summit-in-washington-dc.md": [
        ("figure", {"measure": "trade", "value": 360e9, "year": "2020", "qualifier": "over"}),
        ("figure", {"measure": "assistance", "value": 12.1e9, "period": "2002/", "qualifier": "over"}),
        ("figure", {"value": 102e6, "qualifier": "up to"}),
    ],
    "statements-releases/2022-11/2022-11-12-asean-u-s-leaders-statement-on-the-establishment-of-the-asean-u-s-comprehensive-strategic-partnership.md": [
        ("meeting", {"mechanism": "ASEAN-U.S. Summit", "ordinal": 10, "date": "2022-11-12", "city": "Phnom Penh", "country": "Cambodia"}),
        ("commitment", {"number": "3", "operative": False}),
        ("event", {"kind": "document", "date": "2022-11-12"}),
    ],
    "statements-releases/2024-10/2024-10-10-fact-sheet-delivering-on-our-commitments-12th-u-s-asean-summit-in-vientiane-lao-pdr.md": [
        ("meeting", {"mechanism": "ASEAN-U.S. Summit", "ordinal": 12, "date": "2024", "date_inferred": True, "city": "Vientiane", "country": "Lao PDR"}),
        ("figure", {"measure": "trade", "value": 500e9, "year": "2023"}),
    ],
    "statements-releases/2023-08/2023-08-18-fact-sheet-the-trilateral-leaders-summit-at-camp-david.md": [
        ("meeting", {"mechanism": "Japan-ROK-U.S. Trilateral Summit", "city": "Camp David", "country": "United States"}),
    ],
    "statements-releases/2023-08/2023-08-18-the-spirit-of-camp-david-joint-statement-of-japan-the-republic-of-korea-and-the-united-states.md": [
        ("event", {"kind": "document", "date": "2023-08-18"}),
    ],
    "speeches-remarks/2023-09/2023-09-06-remarks-by-vice-president-harris-at-the-11th-u-s-asean-summit.md": [
        ("meeting", {"mechanism": "ASEAN-U.S. Summit", "ordinal": 11, "date": "2023", "date_inferred": True}),
    ],
    "speeches-remarks/2022-05/2022-05-21-remarks-by-president-biden-and-president-yoon-suk-yeol-of-the-republic-of-korea-at-official-dinner.md": [
        ("role", {"name": "Yoon Suk Yeol", "title": "President", "country": "Republic of Korea"}),
    ],
    "speeches-remarks/2022-05/2022-05-23-remarks-by-president-biden-and-prime-minister-fumio-kishida-of-japan-in-joint-press-conference.md": [
        ("role", {"name": "Kishida Fumio", "title": "Prime Minister", "country": "Japan"}),
    ],
    "speeches-remarks/2022-03/2022-03-29-remarks-by-president-biden-and-prime-minister-lee-hsien-loong-of-singapore-in-joint-press-conference.md": [
        ("role", {"name": "Lee Hsien Loong", "title": "Prime Minister", "country": "Singapore"}),
    ],
    "statements-releases/2021-10/2021-10-26-fact-sheet-new-initiatives-to-expand-the-u-s-asean-strategic-partnership.md": [
        ("figure", {"value": 102e6, "qualifier": "up to"}),
    ],
    "speeches-remarks/2023-09/2023-09-06-remarks-by-vice-president-harris-and-president-joko-widodo-of-the-republic-of-indonesia-before-bilateral-meeting.md": [
        ("role", {"name": "Joko Widodo", "title": "President", "country": "Indonesia"}),
    ],
    # "the historic trilateral summit hosted at the White House in April 2024": the host is a party, and the
    # People's Republic of China, named later in the lead paragraph, is not
    "statements-releases/2025-01/2025-01-12-readout-of-president-bidens-call-with-prime-minister-ishiba-of-japan-and-president-marcos-of-the-philippines.md": [
        ("meeting", {"mechanism": "Japan-Philippines-U.S. Trilateral Summit", "date": "2024-04"}),
    ],
}


@needs_wh
@pytest.mark.parametrize("relpath", sorted(WH_DOCS))
def test_wh_facts(relpath: str) -> None:
    data = _facts(WH / relpath)
    for kind, want in WH_DOCS[relpath]:
        assert _has(data["facts"], kind, want), f"{relpath}: no {kind} with {want}"


def test_resolved_meetings_merge_and_infer(seeds_db) -> None:
    """Across the seeds: one record per meeting, its sources from several documents, inferred parts marked."""
    meetings = {(m["mechanism"], m["ordinal"], str(m["date"])[:4]): m
                for m in json.loads(run_cli("meetings", "--db", str(seeds_db), "--json").stdout)}
    commemorative = meetings[("ASEAN-ROK Commemorative Summit", None, "2019")]
    assert commemorative["date"] == "2019-11-26" and commemorative["city"] == "Busan"
    assert {s["document"][:3] for s in commemorative["sources"]} >= {"000", "003", "004"}
    eighth = meetings[("ASEAN-ROK Summit", 8, "2004")]  # the table's 8th Summit and the prose's 30 November 2004
    assert eighth["date"] == "2004-11-30" and eighth["city"] == "Vientiane"
    apt = meetings[("ASEAN Plus Three Summit", 1, "1997")]  # held at the 2nd ASEAN Informal Summit
    assert apt["date"] == "1997-12" and apt["country"] == "Malaysia"
    ninth = meetings[("ASEAN-ROK Summit", 9, "2005")]  # where its Plan of Action was agreed
    assert ninth["city"] == "Kuala Lumpur" and ninth["venue_inferred"] is True
    dialogue = meetings[("ASEAN-ROK Dialogue", 26, "2022")]
    assert dialogue["date"] == "2022-07-01" and dialogue["date_inferred"] is True


def test_entities_know_where_institutions_are(seeds_db) -> None:
    import sqlite3

    texts = dict(sqlite3.connect(seeds_db).execute("SELECT path, text FROM documents"))
    centre = json.loads(run_cli("entity", "ASEAN-Korea Center", "--db", str(seeds_db), "--json").stdout)
    assert centre["name"] == "ASEAN-Korea Centre" and centre["kind"] == "institution"
    assert centre["location"]["city"] == "Seoul"
    src = centre["location"]["source"]
    assert texts[src["document"]][src["start"] : src["end"]] == src["quote"]
    assert any(e["date"] == "2009-03" and e["kind"] == "institution" for e in centre["events"])


@needs_wh
def test_a_persons_count_is_not_an_ordinal() -> None:
    """'This is my third U.S.-ASEAN Summit of my presidency' is Biden's count, not the 3rd summit."""
    data = _facts(WH / "speeches-remarks/2022-11/2022-11-12-remarks-by-president-biden-at-the-annual-u-s-asean-summit-2.md")
    meetings = [f for f in data["facts"] if f["kind"] == "meeting"]
    assert meetings and not any(f["value"]["ordinal"] == 3 for f in meetings)


def test_a_meeting_announced_as_ahead_is_planned() -> None:
    data = _facts(corpus_dir() / "004_931a6d2c2293319e.txt")
    fmm = [f for f in data["facts"] if f["kind"] == "meeting" and f["value"]["mechanism"] == "ASEAN-ROK Foreign Ministers' Meeting"]
    assert fmm and all(f["value"]["planned"] for f in fmm)  # "... will be adopted at the ... Meeting next month"
    dialogue = [f for f in data["facts"] if f["kind"] == "meeting" and f["value"]["ordinal"] == 24]
    assert dialogue and not any(f["value"]["planned"] for f in dialogue)


def test_unnumbered_mentions_join_the_meeting_they_fit(wh_asean_db: Path) -> None:
    """'the annual U.S.-ASEAN Summit' of October 2021 is the 9th Summit of 26 October 2021, and 'the
    U.S.-ASEAN Summit' of May 2022 the Special Summit of 12-13 May 2022: neither stays a meeting of its own."""
    meetings = json.loads(run_cli("meetings", "--db", str(wh_asean_db), "--json").stdout)
    summits = [m for m in meetings if m["mechanism"] == "ASEAN-U.S. Summit"]
    ninth = next(m for m in summits if m["ordinal"] == 9)
    assert str(ninth["date"]).startswith("2021-10")
    assert any("2022-05-12-fact-sheet" in s["document"] for s in ninth["sources"])
    assert not [m for m in summits if m["ordinal"] is None and str(m["date"]).startswith(("2021-10", "2022-05"))]
    special = next(m for m in meetings if m["mechanism"] == "ASEAN-U.S. Special Summit" and m["city"])
    assert special["date"] == "2022-05-12/2022-05-13"
    assert any(s["quote"] == "U.S.-ASEAN Summit" for s in special["sources"])


@needs_wh
def test_an_anniversary_is_not_the_meeting() -> None:
    """'Joint Leaders' Statement on the Anniversary of the Trilateral Leaders' Summit at Camp David', a year
    on: the summit it recalls is not a meeting of the statement's date."""
    data = _facts(WH / "statements-releases/2024-08/2024-08-17-joint-leaders-statement-on-the-anniversary-of-the-trilateral-leaders-summit-at-camp-david.md")
    assert not [f for f in data["facts"] if f["kind"] == "meeting" and str(f["value"].get("date")).startswith("2024")]


def test_spelled_out_ordinals() -> None:
    from communique.extract.mechanisms import find_mechanisms

    for text, ordinal in [("the Twenty-Sixth ASEAN-ROK Dialogue", 26), ("the twenty sixth ASEAN-ROK Dialogue", 26),
                          ("the Thirtieth ASEAN-ROK Dialogue", 30), ("the Second ASEAN-ROK Summit", 2)]:
        found = find_mechanisms(text)
        assert [(m.name, m.ordinal) for m in found] == [(found[0].name, ordinal)] and "ASEAN-ROK" in found[0].name, text
