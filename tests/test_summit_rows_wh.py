"""One summit, one row, across the real White House documents that told it several ways
(../shared/corpus/wh-briefings): leaders' meetings of a grouping no series name tells, numbers that
are someone's count, a day that is another year's meeting at the same place. Every expected value was
checked by hand against the documents' text.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from communique.resolve.common import FactRow
from communique.resolve.meetings import _join_leaders_meetings_and_summits
from tests.conftest import WH, needs_wh, run_cli

pytestmark = needs_wh

SR, PB, SP = "statements-releases", "press-briefings", "speeches-remarks"
G7_AUG_22 = f"{SR}/2021-08/2021-08-22-statement-by-press-secretary-jen-psaki-on-president-bidens-meeting-with-g7-leaders.md"
G7_AUG_24 = f"{SR}/2021-08/2021-08-24-statement-by-press-secretary-jen-psaki-on-president-bidens-meeting-with-g7-leaders-2.md"
G7_AUG_23 = f"{PB}/2021-08/2021-08-23-press-briefing-by-press-secretary-jen-psaki-and-national-security-advisor-jake-sullivan-august-23-2021.md"
QUAD_CALL = f"{SR}/2022-03/2022-03-03-joint-readout-of-quad-leaders-call.md"
TOKYO_GAGGLE = f"{PB}/2022-05/2022-05-22-press-gaggle-by-press-secretary-karine-jean-pierre-and-national-security-advisor-jake-sullivan-en-route-tokyo-japan.md"
ALBANESE = f"{SP}/2022-05/2022-05-24-remarks-by-president-biden-and-prime-minister-anthony-albanese-of-the-commonwealth-of-australia-before-bilateral-meeting-tokyo-japan.md"
BRUSSELS_2022 = f"{PB}/2022-03/2022-03-15-press-briefing-by-press-secretary-jen-psaki-march-15-2022.md"


def _meetings(rel: str) -> list[dict[str, Any]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value for f in extract_all(doc) if f.kind == "meeting"]


def _of(values: list[dict[str, Any]], mechanism: str) -> list[dict[str, Any]]:
    return [v for v in values if v["mechanism"] == mechanism]


# one document -------------------------------------------------------------------------------------
def test_a_meeting_with_a_groupings_leaders_without_a_leader_named_first() -> None:
    # "During a meeting this morning with the G7 leaders, the President conveyed ..."
    held = _of(_meetings(G7_AUG_24), "G7 Leaders' Meeting")
    assert [(v["date"], v["status"]) for v in held] == [("2021-08-24", "held")]
    # "President Biden will virtually meet with G7 leaders on August 24, 2021": not the headline's day
    ahead = _of(_meetings(G7_AUG_22), "G7 Leaders' Meeting")
    assert [(v["date"], v["status"], v["format"]) for v in ahead] == [("2021-08-24", "planned", "virtual")]
    # "... or at the G7 meeting tomorrow": a leaders' meeting of the next day, not a summit
    briefing = _meetings(G7_AUG_23)
    assert {(v["date"], v["status"]) for v in _of(briefing, "G7 Leaders' Meeting")} == {("2021-08-24", "planned")}
    assert not _of(briefing, "G7 Summit")


def test_a_readout_of_a_groupings_call_is_its_leaders_meeting_of_the_day() -> None:
    quad = _of(_meetings(QUAD_CALL), "Quad Leaders' Meeting")  # "Joint Readout of Quad Leaders Call" ... "Today"
    assert [(v["date"], v["status"]) for v in quad] == [("2022-03-03", "held")]


def test_the_place_a_president_travels_to_where_he_will_join_the_summit_is_its_venue() -> None:
    # "The President will travel to Brussels, Belgium, later this month, where he will join an
    # extraordinary NATO summit on March 24th"
    nato = [v for v in _of(_meetings(BRUSSELS_2022), "NATO Summit") if v["date"] == "2022-03-24"]
    assert [(v["city"], v["country"], v["status"]) for v in nato] == [("Brussels", "Belgium", "planned")]


# across documents ---------------------------------------------------------------------------------
ROW_DOCS = [
    G7_AUG_22, G7_AUG_23, G7_AUG_24, QUAD_CALL, BRUSSELS_2022,
    f"{SR}/2022-03/2022-03-15-statement-by-press-secretary-jen-psaki-on-the-presidents-travel-to-belgium.md",
    f"{SR}/2021-06/2021-06-13-fact-sheet-nato-summit-revitalizing-the-transatlantic-alliance.md",
    f"{SP}/2022-06/2022-06-30-remarks-by-president-biden-in-press-conference-madrid-spain.md",  # "the first NATO Summit last year"
    f"{PB}/2023-07/2023-07-09-press-gaggle-by-press-secretary-karine-jean-pierre-and-national-security-advisor-jake-sullivan-en-route-london-united-kingdom.md",  # "the 74th NATO Summit"
    f"{SP}/2024-02/2024-02-09-remarks-by-president-biden-and-chancellor-olaf-scholz-of-germany-before-bilateral-meeting.md",  # "the 75th NATO Summit this summer"
]


@pytest.fixture(scope="module")
def rows_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("summit_rows")
    for rel in ROW_DOCS:
        if not (WH / rel).is_file():
            pytest.skip(f"{rel} not in this copy of the corpus")
        (folder / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WH / rel, folder / "docs" / rel)
    db = folder / "rows.db"
    run_cli("build", str(folder / "docs"), "--db", str(db), "-q", timeout=600)
    return db


def _rows(db: Path, mechanism: str, year: str) -> list[dict[str, Any]]:
    rows = json.loads(run_cli("meetings", "--db", str(db), "--json").stdout)
    return [r for r in rows if r["mechanism"] == mechanism and str(r["date"] or "").startswith(year)]


def test_a_groupings_leaders_meeting_told_ahead_and_after_is_one_held_row(rows_db: Path) -> None:
    g7 = _rows(rows_db, "G7 Leaders' Meeting", "2021-08")
    assert [(r["date"], r["status"], r["format"]) for r in g7] == [("2021-08-24", "held", "virtual")]
    assert not _rows(rows_db, "G7 Summit", "2021-08")


def test_a_number_no_other_meeting_of_the_series_bears_out_is_dropped(rows_db: Path) -> None:
    # "the first NATO Summit last year" (Madrid, 2022) beside the 74th (2023) and the 75th (2024)
    nato_2021 = _rows(rows_db, "NATO Summit", "2021")
    assert [(r["date"], r["ordinal"], r["city"]) for r in nato_2021] == [("2021-06-14", None, "Brussels")]
    assert [r["ordinal"] for r in _rows(rows_db, "NATO Summit", "2023")] == [74]  # as the text numbers it


def test_a_day_at_the_same_place_a_year_on_is_another_summit(rows_db: Path) -> None:
    march = _rows(rows_db, "NATO Summit", "2022-03")
    assert [(r["date"], r["city"]) for r in march] == [("2022-03-24", "Brussels")]


def _rows_of(rel: str, mechanism: str) -> list[FactRow]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [FactRow(str(i), rel, rel, doc.title, doc.date, "meeting", f.value, f.start, f.end, "")
            for i, f in enumerate(extract_all(doc)) if f.kind == "meeting" and f.value["mechanism"] == mechanism]


def test_a_virtual_summit_told_by_a_month_is_the_groupings_leaders_meeting_near_it() -> None:
    # "they did a virtual Quad Summit back in April. I think it was back in April, maybe even March. I
    # think it was in March": the Quad leaders' call of 3 March 2022, not a summit of its own
    stray = [f for f in _rows_of(TOKYO_GAGGLE, "Quad Leaders' Summit") if f.value["format"] == "virtual"]
    assert [f.value["date"] for f in stray] == ["2022-04"]
    call = _rows_of(QUAD_CALL, "Quad Leaders' Meeting")
    groups = {"Quad Leaders' Summit": [stray], "Quad Leaders' Meeting": [call]}
    _join_leaders_meetings_and_summits(groups)
    assert groups["Quad Leaders' Summit"] == [] and len(groups["Quad Leaders' Meeting"][0]) == 2


def test_a_groupings_leaders_meeting_told_ahead_joins_the_summit_of_that_year() -> None:
    # Tokyo, May 2022: "I look forward to welcoming you down to the Quad Leaders' Meeting next year"
    ahead = _rows_of(ALBANESE, "Quad Leaders' Meeting")
    assert [(f.value["date"], f.value["status"]) for f in ahead] == [("2023", "planned")]
    summit = _rows_of(f"{SR}/2023-05/2023-05-20-quad-leaders-summit-fact-sheet.md", "Quad Leaders' Summit")
    assert "2023-05-20" in {f.value["date"] for f in summit}
    told = len(summit)
    groups = {"Quad Leaders' Summit": [summit], "Quad Leaders' Meeting": [ahead]}
    _join_leaders_meetings_and_summits(groups)
    assert groups["Quad Leaders' Meeting"] == [] and len(groups["Quad Leaders' Summit"][0]) == told + 1


def test_a_series_told_in_general_a_week_ahead_and_a_day_of_another_clause() -> None:
    # "because the Quad leaders meeting is so important for us": the series, no meeting
    harris = _meetings(f"{SP}/2022-09/2022-09-27-remarks-by-vice-president-harris-and-prime-minister-anthony-albanese-of-the-commonwealth-of-australia-before-bilateral-meeting.md")
    assert not _of(harris, "Quad Leaders' Meeting")
    # "They welcomed the virtual G7 leaders' meeting next week": ahead
    macron = _of(_meetings(f"{SR}/2021-08/2021-08-19-readout-of-president-joe-biden-call-with-president-emmanuel-macron-of-france.md"), "G7 Leaders' Meeting")
    assert macron and all(v["status"] == "planned" for v in macron)
    # "the Prime Minister will also be at United Nations General Assembly, ... what you were describing yesterday"
    briefing = _of(_meetings(f"{PB}/2023-07/2023-07-18-press-briefing-by-press-secretary-karine-jean-pierre-42.md"), "United Nations General Assembly")
    assert not [v for v in briefing if v["date"] == "2023-07-17"]
