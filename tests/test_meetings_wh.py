"""Meetings, leaders' calls and milestones on real White House documents (../shared/corpus/wh-briefings).

Each expected value was checked by hand against the document's text.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from communique.dates import find_dates
from communique.extract import extract_all
from communique.extract.mechanisms import find_mechanisms
from communique.ingest import SourceFile, load_document
from tests.conftest import SHARED, WH, needs_wh, run_cli

pytestmark = needs_wh

SR = "statements-releases"


def _facts(rel: str, kind: str) -> list[dict[str, Any]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value for f in extract_all(doc) if f.kind == kind]


def _one(values: list[dict[str, Any]], **want: Any) -> dict[str, Any]:
    found = [v for v in values if all(v.get(k) == w for k, w in want.items())]
    assert len(found) == 1, (want, [(v["mechanism"], v["date"]) for v in values if "mechanism" in v])
    return found[0]


def _names(meeting: dict[str, Any]) -> set[str]:
    return {p["name"] for p in meeting["participants"]}


def test_a_readout_call_is_a_leaders_call_with_its_follow_up() -> None:
    ms = _facts(f"{SR}/2021-01/2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-canada.md",
                "meeting")
    call = _one(ms, mechanism="Canada-U.S. Leaders' Call", status="held")
    assert call["date"] == "2021-01-22" and call["format"] == "phone"
    assert {"Justin Trudeau"} <= _names(call)
    assert {"name": "Justin Trudeau", "title": "Prime Minister", "country": "Canada"} in call["participants"]
    again = _one(ms, mechanism="Canada-U.S. Leaders' Call", status="planned")  # "agreed to speak again in a month"
    assert again["date"] == "2021-02"
    assert {e["about"] for e in call["evidence"]} >= {"date", "participants"}


def test_a_readout_meeting_has_its_venue_not_the_guests_state() -> None:
    ms = _facts(f"{SR}/2022-11/2022-11-14-readout-of-president-joe-bidens-meeting-with-president-xi-jinping-of-the-peoples-republic-of-china.md",
                "meeting")
    m = _one(ms, mechanism="China-U.S. Leaders' Meeting")
    assert (m["date"], m["city"], m["country"], m["format"], m["status"]) == ("2022-11-14", "Bali", "Indonesia", "in-person", "held")
    assert {"Xi Jinping"} <= _names(m)


def test_welcomed_to_the_white_house_is_in_washington() -> None:
    ms = _facts(f"{SR}/2023-07/2023-07-18-readout-of-president-joe-bidens-meeting-with-president-isaac-herzog-of-israel.md", "meeting")
    m = _one(ms, mechanism="Israel-U.S. Leaders' Meeting")
    assert (m["city"], m["country"], m["format"]) == ("Washington", "United States", "in-person")


def test_a_call_spoken_of_a_uk_leader_is_named_in_order() -> None:
    ms = _facts("briefings-statements/2025-01/2025-01-26-readout-of-president-donald-j-trumps-call-with-prime-minister-starmer-of-the-united-kingdom.md",
                "meeting")
    m = _one(ms, mechanism="U.K.-U.S. Leaders' Call")
    assert m["date"] == "2025-01-26" and "Donald J. Trump" in _names(m)


def test_a_remarks_title_reports_the_meeting_at_its_venue_line() -> None:
    ms = _facts("speeches-remarks/2021-07/2021-07-15-remarks-by-president-biden-and-chancellor-merkel-of-the-federal-republic-of-germany-in-press-conference.md",
                "meeting")
    m = _one(ms, mechanism="Germany-U.S. Leaders' Meeting")
    assert (m["date"], m["city"], m["format"]) == ("2021-07-15", "Washington", "in-person")
    ms = _facts("speeches-remarks/2023-02/2023-02-20-remarks-by-president-biden-and-president-zelenskyy-of-ukraine-in-joint-statement.md",
                "meeting")
    m = _one(ms, mechanism="Ukraine-U.S. Leaders' Meeting")
    assert (m["city"], m["country"]) == ("Kyiv", "Ukraine")


def test_a_recalled_conversation_and_a_virtual_meeting() -> None:
    ms = _facts(f"{SR}/2021-03/2021-03-01-u-s-mexico-joint-declaration.md", "meeting")
    assert _one(ms, mechanism="Mexico-U.S. Leaders' Meeting")["format"] == "virtual"
    call = _one(ms, mechanism="Mexico-U.S. Leaders' Call")  # "their positive January 22 conversation"
    assert (call["date"], call["status"], call["format"]) == ("2021-01-22", "held", "phone")


def test_a_meeting_with_a_groupings_leaders() -> None:
    ms = _facts(f"{SR}/2024-12/2024-12-14-readout-of-president-joe-bidens-virtual-meeting-with-g7-leaders.md", "meeting")
    m = _one(ms, mechanism="G7 Leaders' Meeting")
    assert (m["date"], m["format"]) == ("2024-12-13", "virtual")


def test_plural_summits_with_several_dates_are_several_meetings() -> None:
    ms = _facts(f"{SR}/2022-07/2022-07-16-joint-statement-following-the-summit-of-the-leaders-of-the-united-states-and-the-gulf-cooperation-council-gcc-countries.md",
                "meeting")
    gcc = {(m["date"], m["city"]) for m in ms if m["mechanism"] == "GCC-U.S. Summit"}
    assert {("2015-05-14", "Camp David"), ("2016-04-21", "Riyadh"), ("2017-05-21", "Riyadh")} <= gcc


def test_series_ordinals_only_where_the_text_numbers_them() -> None:
    ms = _facts(f"{SR}/2023-09/2023-09-21-c51-leaders-joint-statement.md", "meeting")
    assert _one(ms, mechanism="C5+1 Presidential Summit")["ordinal"] == 1  # "first-ever"
    unga = _one(ms, mechanism="United Nations General Assembly")
    assert unga["ordinal"] == 78  # "the 78th session of the United Nations General Assembly"
    assert _one(ms, mechanism="C5+1 Presidential Summit")["held_at"]["mechanism"] == "United Nations General Assembly"
    text = "On June 14th NATO Summit leaders met. The 75th NATO Summit."
    assert [m.ordinal for m in find_mechanisms(text)] == [None, 75]


def test_a_summit_date_range_beats_the_year_in_its_name() -> None:
    ms = _facts(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md", "meeting")
    assert any(m["mechanism"] == "NATO Summit" and m["date"] == "2024-07-09/2024-07-11" and m["format"] == "in-person" for m in ms)
    assert any(m["mechanism"] == "NATO Summit" and m["date"] == "2023" and m["city"] == "Vilnius" for m in ms)


def test_one_series_one_name() -> None:
    names = {m.name for m in find_mechanisms(
        "the Quad Leaders' Summit, the Australia-India-Japan-U.S. Summit and the Quad Summit; the G7 Leaders' Summit and the G7 Summit")}
    assert names == {"Quad Leaders' Summit", "G7 Summit"}


def test_citations_are_no_years_and_month_words_are_dates() -> None:
    text = "H.R. 1815 and Public Law 2001 passed. In April, X launched Y. today's threats. Two years ago, Z."
    found = {text[d.start : d.end]: d.value for d in find_dates(text, reference="2023-07-12")}
    assert found == {"April": "2023-04", "Two years ago": "2021"}


def test_milestones_take_the_date_of_the_meeting_at_their_place_or_today() -> None:
    events = _facts(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md", "event")
    assert any(e["date"] == "2023" and "Defense Production Action Plan" in e["label"] for e in events)  # "In Vilnius, Allies adopted"
    events = _facts("speeches-remarks/2021-07/2021-07-15-remarks-by-president-biden-and-chancellor-merkel-of-the-federal-republic-of-germany-in-press-conference.md",
                    "event")
    assert any(e["date"] == "2021-07-15" and "Futures Forum" in e["label"] for e in events)
    events = _facts(f"{SR}/2022-07/2022-07-14-the-jerusalem-u-s-israel-strategic-partnership-joint-declaration.md", "event")
    assert not any(e["label"].startswith("Signed at") for e in events)  # the signature line is the document's own


def test_a_proclamation_has_no_milestones() -> None:
    procs = sorted((WH / "presidential-actions").rglob("*proclamation*.md"))[:40] if (WH / "presidential-actions").is_dir() else []
    if not procs:
        pytest.skip("no proclamations in this copy of the corpus")
    for path in procs:
        rel = str(path.relative_to(WH))
        doc = load_document(SourceFile(str(path), rel, str(WH)))
        if doc.kind != "proclamation":
            continue
        assert [f for f in extract_all(doc) if f.kind == "event" and f.extractor != "events.self_document"] == [], rel


def test_slice_scores_hold_their_floors() -> None:
    """The wh-slice scorer through the real CLI: meetings and milestones stay above the floors reached."""
    score = SHARED / "eval" / "score.py"
    gold = SHARED / "eval" / "wh-slice" / "gold.json"
    if not gold.is_file():
        pytest.skip("the wh-slice gold is not present")
    cli = Path(sys.executable).parent / "communique"
    out = subprocess.run([sys.executable, str(score), "--slice", str(gold), "--corpus", str(WH), "--cli", str(cli)],
                         capture_output=True, text=True, timeout=600, check=True).stdout
    report = {line.split(":", 1)[0]: json.loads(line.split(":", 1)[1]) for line in out.splitlines()
              if line.startswith(("meetings:", "events:"))}
    got = {"meetings_recall": report["meetings"]["recall"], "meetings_precision": report["meetings"]["precision"],
           "meetings_exact": report["meetings"]["exact_records"], "events_recall": report["events"]["recall"],
           "events_precision": report["events"]["precision"]}
    floors = {"meetings_recall": 0.8, "meetings_precision": 0.95, "meetings_exact": 0.5, "events_recall": 0.8, "events_precision": 0.85}
    assert all(got[k] >= v for k, v in floors.items()), got


def test_meetings_and_timeline_show_status_and_participants(seeds_db: Path) -> None:
    rows = json.loads(run_cli("meetings", "--db", str(seeds_db), "--json").stdout)
    assert rows and all(r["status"] in ("held", "planned", "postponed", "cancelled") for r in rows)
    assert all(isinstance(r["participants"], list) for r in rows)
    oldest = json.loads(run_cli("timeline", "--db", str(seeds_db), "--json").stdout)
    newest = json.loads(run_cli("timeline", "--db", str(seeds_db), "--json", "--newest-first").stdout)
    assert [str(i["date"])[:4] for i in newest] == sorted((str(i["date"])[:4] for i in oldest), reverse=True)
    assert newest[0]["date"] >= newest[-1]["date"]


def test_a_meeting_between_two_leaders_dated_by_its_anniversary() -> None:
    ms = _facts("fact-sheets/2025-05/2025-05-13-fact-sheet-president-donald-j-trump-secures-historic-600-billion-investment-commitment-in-saudi-arabia.md",
                "meeting")
    m = _one(ms, mechanism="Saudi Arabia-U.S. Leaders' Meeting")  # "the 80th anniversary of which was celebrated earlier this year"
    assert m["date"] == "1945" and {"Abdulaziz Al Saud", "Franklin D. Roosevelt"} <= _names(m)
