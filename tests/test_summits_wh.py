"""Summits and milestones as a whole collection tells them: each mechanism on the real White House
documents that showed it (../shared/corpus/wh-briefings). Every expected value was checked by hand
against the document's text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, needs_wh, run_cli

pytestmark = needs_wh

SR = "statements-releases"
PB = "press-briefings"
QUAD_2024 = f"{SR}/2024-09/2024-09-21-fact-sheet-2024-quad-leaders-summit.md"


def _facts(rel: str, kind: str) -> list[dict[str, Any]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value for f in extract_all(doc) if f.kind == kind]


def _of(values: list[dict[str, Any]], mechanism: str) -> list[dict[str, Any]]:
    return [v for v in values if v["mechanism"] == mechanism]


# meetings ----------------------------------------------------------------------------------------
def test_a_today_opening_another_clause_is_not_the_meetings_date() -> None:
    # "signed between us on the sidelines of the G7 Leaders' Summit in Hiroshima, today we announce"
    g7 = _of(_facts(f"{SR}/2024-04/2024-04-10-united-states-japan-joint-leaders-statement.md", "meeting"), "G7 Summit")
    assert g7 and all(v["date"] != "2024-04-10" for v in g7)
    assert any(v["city"] == "Hiroshima" for v in g7)


def test_a_past_month_told_without_a_future_is_this_years() -> None:
    # December 2023: "the unprecedented unity that G7 Leaders displayed in May at the G7 Summit in Hiroshima"
    g7 = _of(_facts(f"{SR}/2023-12/2023-12-06-readout-of-president-bidens-virtual-meeting-with-g7-leaders.md", "meeting"), "G7 Summit")
    assert [v["date"] for v in g7] == ["2023-05"]


def test_the_place_before_for_the_summit_is_its_venue() -> None:
    # "hosted ... Prime Minister Narendra Modi of India in Wilmington, Delaware, for the fourth Quad Leaders' Summit"
    quad = [v for v in _of(_facts(QUAD_2024, "meeting"), "Quad Leaders' Summit") if v["ordinal"] == 4]
    assert [(v["date"], v["city"], v["country"]) for v in quad] == [("2024-09-21", "Wilmington", "United States")]


def test_hosting_this_fall_and_scheduled_to_be_held_are_planned() -> None:
    vance = _of(_facts("remarks/2025-04/2025-04-22-remarks-by-vice-president-vance-on-the-u-s-and-indias-shared-economic-priorities.md",
                       "meeting"), "Quad Leaders' Summit")
    assert vance and all(v["status"] == "planned" for v in vance)  # "India, this year, is hosting the Quad Leaders' Summit this fall"


def test_an_ordinal_that_counts_something_else_is_no_series_number() -> None:
    # "this is the first G7 Summit in nearly two years"; "the President's first NATO Summit on June 14, 2021"
    g7 = _of(_facts(f"{PB}/2021-06/2021-06-11-background-press-call-by-senior-administration-officials-previewing-the-g7-summit-and-economic-deliverables.md",
                    "meeting"), "G7 Summit")
    assert g7 and all(v["ordinal"] is None for v in g7)
    nato = _of(_facts(f"{SR}/2022-06/2022-06-29-fact-sheet-the-2022-nato-summit-in-madrid.md", "meeting"), "NATO Summit")
    assert nato and all(v["ordinal"] != 1 for v in nato)


def test_todays_summit_in_a_round_up_is_dated_by_its_month() -> None:
    rel = "articles/2025-06/2025-06-26-president-trumps-leadership-vision-drives-nato-breakthrough.md"
    nato = _of(_facts(rel, "meeting"), "NATO Summit")
    assert "2025-06" in {v["date"] for v in nato}  # "At today's NATO summit, @POTUS displayed ..."
    assert any(v["city"] == "The Hague" for v in nato)  # "History was made in The Hague."


def test_hosting_several_leaders_for_a_summit_is_no_bilateral_meeting() -> None:
    meetings = _facts(QUAD_2024, "meeting")
    assert not [v for v in meetings if v["mechanism"].endswith("-U.S. Leaders' Meeting")]


# milestones --------------------------------------------------------------------------------------
def test_a_step_needs_a_thing_taken() -> None:
    briefing = _facts(f"{PB}/2021-02/2021-02-10-press-briefing-by-press-secretary-jen-psaki-february-10-2021.md", "event")
    assert not [e for e in briefing if "inaugurated" in e["label"]]  # "January 20th is when every President is inaugurated"
    houthis = _facts(f"{PB}/2024-01/2024-01-04-background-press-call-on-recent-attacks-by-the-houthis.md", "event")
    assert not [e for e in houthis if "launching into the Red Sea" in e["label"]]
    quad = _facts(QUAD_2024, "event")
    assert any("Quad Cancer Moonshot" in e["label"] for e in quad)


def test_a_governments_own_programme_is_no_partnership_milestone() -> None:
    # "CEQ is launching an interagency Federal sustainability effort with GSA, DOE, and EPA"
    rel = f"{SR}/2021-05/2021-05-17-fact-sheet-biden-administration-accelerates-efforts-to-create-jobs-making-american-buildings-more-affordable-cleaner-and-resilient.md"
    if not (WH / rel).is_file():
        pytest.skip("fact sheet not in this copy of the corpus")
    assert not [e for e in _facts(rel, "event") if "CEQ is launching" in e["label"]]


def test_a_date_of_a_name_or_a_deadline_is_not_the_steps() -> None:
    rel = "speeches-remarks/2022-03/2022-03-16-remarks-by-president-biden-on-the-assistance-the-united-states-is-providing-to-ukraine.md"
    if (WH / rel).is_file():  # "the Delegation of Authority Under Section 506(a)(1) of the Foreign Assistance Act of 1961"
        assert not [e for e in _facts(rel, "event") if e["date"] == "1961"]
    # "In Vilnius, Allies adopted a Defense Production Action Plan": a milestone of a document about partners stays
    nato = _facts(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md", "event")
    assert any(e["date"] == "2023" and "Defense Production Action Plan" in e["label"] for e in nato)


# across documents --------------------------------------------------------------------------------
SUMMIT_DOCS = [
    QUAD_2024,
    f"{SR}/2024-09/2024-09-12-statement-by-white-house-press-secretary-karine-jean-pierre-on-the-2024-quad-leaders-summit.md",
    f"{SR}/2023-05/2023-05-20-quad-leaders-joint-statement.md",  # "Australia will host ... India will host the 2024 Quad Leaders' Summit"
    f"{SR}/2024-06/2024-06-14-fact-sheet-the-2024-g7-summit-in-apulia-italy.md",
    f"{SR}/2024-04/2024-04-10-united-states-japan-joint-leaders-statement.md",
    f"{SR}/2021-06/2021-06-12-fact-sheet-president-biden-and-g7-leaders-launch-build-back-better-world-b3w-partnership.md",
    f"{SR}/2021-06/2021-06-13-carbis-bay-g7-summit-communique.md",
    "statements-releases/2021-06/2021-06-12-readout-trilateral-meeting-of-prime-minister-boris-johnson-of-the-united-kingdom-president-joe-biden-and-prime-minister-scott-morrison-of-australia.md",  # "the G7 summit in Carbis Bay" on 12 June
    f"{SR}/2023-12/2023-12-06-readout-of-president-bidens-virtual-meeting-with-g7-leaders.md",
    f"{SR}/2023-05/2023-05-21-fact-sheet-the-2023-g7-summit-in-hiroshima-japan.md",
]


@pytest.fixture(scope="module")
def summits_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("summits")
    docs = folder / "docs"
    for rel in SUMMIT_DOCS:
        if not (WH / rel).is_file():
            pytest.skip(f"{rel} not in this copy of the corpus")
        (docs / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WH / rel, docs / rel)
    db = folder / "summits.db"
    run_cli("build", str(docs), "--db", str(db), "-q", timeout=600)
    return db


def _rows(db: Path, mechanism: str, year: str) -> list[dict[str, Any]]:
    rows = json.loads(run_cli("meetings", "--db", str(db), "--json").stdout)
    return [r for r in rows if r["mechanism"] == mechanism and str(r["date"] or "").startswith(year)]


def test_a_summit_is_one_row_at_the_place_reports_after_it_give(summits_db: Path) -> None:
    quad = _rows(summits_db, "Quad Leaders' Summit", "2024")
    assert [(r["date"], r["city"], r["country"], r["status"]) for r in quad] == [("2024-09-21", "Wilmington", "United States", "held")]
    later = _rows(summits_db, "Quad Leaders' Summit", "2025")
    assert later and all(r["status"] == "planned" for r in later)  # "India will host the 2025 Quad Leaders Summit"
    g7 = _rows(summits_db, "G7 Summit", "2024")
    assert [(r["city"], r["country"]) for r in g7] == [("Apulia", "Italy")]


def test_a_groupings_leaders_meeting_during_its_summit_is_the_summit(summits_db: Path) -> None:
    # "President Biden met with G7 Leaders" in a fact sheet of 12 June 2021, at Carbis Bay
    assert _rows(summits_db, "G7 Leaders' Meeting", "2021-06") == []
    assert [r["city"] for r in _rows(summits_db, "G7 Summit", "2021-06")] == ["Carbis Bay"]
    # the virtual meeting of 6 December 2023 is a meeting of its own
    assert len(_rows(summits_db, "G7 Leaders' Meeting", "2023-12")) == 1
    assert _rows(summits_db, "G7 Summit", "2024-05") == []  # "in May at the G7 Summit in Hiroshima", told in December


def test_a_month_ahead_told_as_agreed_to_hold_is_the_coming_one() -> None:
    # April 2021: "The leaders agreed to hold a bilateral meeting on the margins of the NATO Summit in June"
    rel = f"{SR}/2021-04/2021-04-23-readout-of-president-joseph-r-biden-jr-call-with-president-recep-tayyip-erdogan-of-turkey.md"
    nato = _of(_facts(rel, "meeting"), "NATO Summit")
    assert [(v["date"], v["status"]) for v in nato] == [("2021-06", "planned")]
