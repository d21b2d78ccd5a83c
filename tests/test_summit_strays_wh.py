"""Stray meeting rows and the mechanisms behind them, on the real White House documents that showed
them: a reporter's question states no meeting; a goal's year dates no summit; a one-state "U.S. summit"
takes the partner named after it; a year of another noun, or of the main clause after a fronted phrase,
dates no numbered summit; a place far on in a comma list is no venue; a numbered meeting told beside
"the Washington Summit" takes the summit's days; an annual body's sessions take their years from the
dated ones, and a row still undated is none. Every expected value was checked by hand against the text.
"""

from __future__ import annotations

from typing import Any

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from communique.resolve.meetings import _infer_series_years, _without_undated
from tests.conftest import WH, needs_wh

SR, PB, SP = "statements-releases", "press-briefings", "speeches-remarks"


def _meetings(rel: str) -> list[tuple[str, dict[str, Any]]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [(doc.text[f.start : f.end], f.value) for f in extract_all(doc) if f.kind == "meeting"]


@needs_wh
def test_a_reporters_question_states_no_meeting() -> None:
    # "Q On that note, do you think President Trump should go to the 2026 APEC Summit in Beijing?"
    gaggle = _meetings(f"{PB}/2024-11/2024-11-17-on-the-record-press-gaggle-by-apnsa-jake-sullivan-on-president-bidens-meeting-with-president-xi-jinping.md")
    assert not [v for _, v in gaggle if v["mechanism"] == "APEC Summit" and v["city"] == "Beijing"]


@needs_wh
def test_a_goals_year_dates_no_summit() -> None:
    # "... announcing a new 2030 target by the April 22nd Leaders Summit on Climate"; "the April Leaders
    # Summit on Climate, where President Biden ... put forward a strong new 2030 climate target"
    psaki = _meetings(f"{SP}/2021-04/2021-04-16-press-briefing-by-press-secretary-jen-psaki-april-16-2021.md")
    mef = _meetings(f"{SR}/2021-09/2021-09-17-readout-of-president-bidens-meeting-of-the-major-economies-forum-on-energy-and-climate.md")
    assert not [v for _, v in psaki + mef if "Climate" in v["mechanism"] and str(v["date"]).startswith("2030")]


@needs_wh
def test_a_one_state_summit_takes_its_partner() -> None:
    # "... to Washington, DC later this year for the second U.S. summit with the Pacific Islands Forum"
    png = _meetings(f"{SR}/2023-05/2023-05-18-readout-of-president-joe-bidens-call-with-prime-minister-james-marape-of-papua-new-guinea.md")
    names = {(v["mechanism"], v["ordinal"]) for _, v in png}
    assert ("Pacific Islands-U.S. Summit", 2) in names
    assert not [n for n in names if n[0] == "U.S. Summit"]


@needs_wh
def test_another_nouns_year_and_the_main_clauses_date_date_no_summit() -> None:
    # "working towards the 2024 launch of the global Youth Democracy Network, announced ... at the second
    # Summit for Democracy"; "Since its launch at the first Summit for Democracy, the U.S. Government has
    # contributed ... $31 million in 2023 alone"
    sfd = _meetings(f"{SR}/2024-03/2024-03-20-fact-sheet-delivering-on-the-biden-harris-administrations-commitment-to-democratic-renewal-at-the-third-summit-for-democracy.md")
    numbered = {(v["ordinal"], v["date"]) for _, v in sfd if v["mechanism"] == "Summit for Democracy" and v["ordinal"] in (1, 2)}
    assert numbered and not [d for _, d in numbered if d in ("2023", "2024")]


@needs_wh
def test_a_place_far_on_in_a_list_is_no_venue() -> None:
    # "President Biden enters this APEC Summit with the U.S. in a very strong ... position ...; the Quad,
    # AUKUS, Camp David ..."
    lima = _meetings(f"{PB}/2024-11/2024-11-14-press-gaggle-by-press-secretary-karine-jean-pierre-and-national-security-advisor-jake-sullivan-en-route-lima-peru.md")
    assert not [v for _, v in lima if v["mechanism"] == "APEC Summit" and v["city"] == "Camp David"]


@needs_wh
def test_a_numbered_meeting_beside_the_city_summit_takes_its_days() -> None:
    # "The Washington Summit will strengthen NATO's relationship with Ukraine, as Allies convene for the
    # second meeting of the NATO-Ukraine Council at the Leaders level."
    nato = _meetings(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md")
    council = [v for _, v in nato if v["mechanism"] == "NATO-Ukraine Council" and v["ordinal"] == 2]
    assert council and all(v["date"] == "2024-07-09/2024-07-11" and v["city"] == "Washington" for v in council)


def _row(ordinal: int | None, date: str | None, inferred: bool, mechanism: str = "United Nations General Assembly") -> dict[str, Any]:
    return {"mechanism": mechanism, "ordinal": ordinal, "date": date, "date_inferred": inferred, "sources": [{"document": str(ordinal)}]}


def test_an_annual_bodys_sessions_take_their_years_and_undated_rows_go() -> None:
    # the rows of the whole wh KB: the 75th session dated by its text, 77th-80th by their documents'
    # "next week", the 1st from "nearly 80 years ago"; the 55th, 64th and 76th undated
    rows = [_row(1, "1944", True), _row(75, "2020", False), _row(77, "2022-09-21", True), _row(78, "2023-09-20", True),
            _row(79, "2024-09-23", True), _row(80, "2025-09-23", True), _row(55, None, False), _row(64, None, False),
            _row(76, None, False), _row(1, None, False, "G20 Ministerial Meeting"), _row(2, "2022-09-28", False, "Pacific Islands-U.S. Summit"),
            _row(2, None, False, "Pacific Islands-U.S. Summit")]
    _infer_series_years(rows)
    years = {r["ordinal"]: r["date"] for r in rows if r["mechanism"] == "United Nations General Assembly"}
    assert (years[55], years[64], years[76]) == ("2000", "2009", "2021")
    kept = _without_undated(rows)
    assert not [r for r in kept if r["date"] is None]  # "the first G20 Ministerial" is no row
    pacific = [r for r in kept if r["mechanism"] == "Pacific Islands-U.S. Summit"]
    assert len(pacific) == 1 and len(pacific[0]["sources"]) == 2  # the undated mention joins its numbered row


@needs_wh
def test_a_deadline_or_a_goals_year_dates_no_summit() -> None:
    # "at the June G7 Leaders' Summit in Germany, Leaders launched PGII and announced their intention to
    # mobilize $600 billion for global infrastructure investments by 2027"
    pgii = _meetings(f"{SR}/2022-11/2022-11-15-united-states-indonesia-eu-joint-statement-on-partnership-for-global-infrastructure-and-investment.md")
    assert not [v for _, v in pgii if v["mechanism"] == "G7 Summit" and v["date"] == "2027"]
    # "a 50-52 percent reduction ... in 2030 and convened the Leaders Summit on Climate"
    glasgow = _meetings(f"{SR}/2021-11/2021-11-13-fact-sheet-renewed-u-s-leadership-in-glasgow-raises-ambition-to-tackle-climate-crisis.md")
    assert not [v for _, v in glasgow if "Climate" in v["mechanism"] and v["date"] == "2030"]


@needs_wh
def test_a_place_of_the_next_clause_is_no_venue() -> None:
    # "He couldn't do all three on one day and do the Quad Summit, and so he'll see Prime Minister
    # Morrison tomorrow in New York."
    unga = _meetings(f"{PB}/2021-09/2021-09-20-background-press-call-by-a-senior-administration-official-previewing-the-76th-session-of-the-united-nations-general-assembly.md")
    quad = [v for _, v in unga if v["mechanism"] == "Quad Leaders' Summit"]
    assert quad and not [v for v in quad if v["city"] == "New York"]


@needs_wh
def test_a_summit_at_the_seat_of_government_is_in_its_city() -> None:
    # "President Joseph R. Biden, Jr. will host the first-ever Quad Leaders Summit at the White House on September 24."
    psaki = _meetings(f"{SR}/2021-09/2021-09-13-statement-by-press-secretary-jen-psaki-on-the-quad-leaders-summit.md")
    first = [v for s, v in psaki if s.startswith("first-ever")]
    assert first and all((v["date"], v["city"], v["country"]) == ("2021-09-24", "Washington", "United States") for v in first)
