"""Milestone dates and triggers on real White House documents: a year or period written into a name
("PACC 2030", "Workplan 2023-2025") is no date of the step; a law signed at home is no step abroad;
a verb of many senses ("updated the Prime Minister on") takes a step only with an object; a date of
the main clause does not date a thing "established in" earlier; "June of last year" is last year's
June. Every expected value was checked by hand against the document's text.
"""

from __future__ import annotations

from typing import Any

from communique.dates import find_dates
from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, needs_wh

SR, PB, SP = "statements-releases", "press-briefings", "speeches-remarks"


def _events(rel: str) -> list[dict[str, Any]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value for f in extract_all(doc) if f.kind == "event"]


def _with(events: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    return [e for e in events if words in e["label"]]


def test_a_month_of_last_year_is_one_date() -> None:
    found = find_dates("officially launched PACC 2030 in June of last year.", "2023-06-08")
    assert [(d.value, d.kind) for d in found] == [("2030", "year"), ("2022-06", "month")]
    assert [d.value for d in find_dates("in March this year", "2023-06-08")] == ["2023-03"]


@needs_wh
def test_a_year_in_a_name_is_no_date_of_the_step() -> None:
    # "the Vice President ... officially launched PACC 2030 in June of last year" (a briefing of 2023-06-08)
    bahamas = _events(f"{PB}/2023-06/2023-06-08-background-press-call-previewing-the-vice-presidents-travel-to-the-bahamas.md")
    pacc = _with(bahamas, "officially launched PACC 2030")
    assert pacc and all(e["date"] == "2022-06" for e in pacc)
    # "The United States and ASEAN have adopted a U.S.-ASEAN Digital Workplan 2023-2025": not a 2023/2025 step
    asean = _events(f"{SR}/2023-09/2023-09-05-fact-sheet-u-s-asean-comprehensive-strategic-partnership-one-year-on.md")
    assert not [e for e in _with(asean, "Digital Workplan") if e["date"] == "2023/2025"]
    # a year in brackets after a name stays a date: NATO's "2022 Strategic Concept" and the like
    nato = _events(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md")
    assert any(e["date"] == "2022" and "Strategic Concept" in e["label"] for e in nato)


@needs_wh
def test_a_law_signed_at_home_is_no_step_abroad() -> None:
    # "In June, President Biden signed the Bipartisan Safer Communities Act" in a U.S.-Mexico fact sheet
    mexico = _events(f"{SR}/2022-10/2022-10-13-fact-sheet-second-meeting-of-the-u-s-mexico-high-level-security-dialogue.md")
    assert not _with(mexico, "Safer Communities Act")
    assert mexico  # the document's other steps stay


@needs_wh
def test_a_verb_of_many_senses_needs_an_object() -> None:
    # "President Biden updated the Prime Minister on the intensive diplomatic engagement"
    call = _events(f"{SR}/2023-10/2023-10-08-readout-of-president-bidens-call-with-prime-minister-netanyahu-of-israel.md")
    assert not _with(call, "updated the Prime Minister")
    # "GE Aviation concluded a $716 million contract with Hindustan Aeronautics Limited": a sale, no step
    india = _events(f"{SR}/2021-09/2021-09-24-fact-sheet-the-united-states-and-india-global-leadership-in-action.md")
    assert not _with(india, "GE Aviation concluded")


@needs_wh
def test_a_thing_established_earlier_takes_no_date_of_the_main_clause() -> None:
    # "On September 24, 2024, the United States and Germany held the third round of the U.S.-Germany
    # Economic Dialogue, building on the framework established in the 2021 Washington Declaration."
    germany = _events(f"{SR}/2024-10/2024-10-17-fact-sheet-the-u-s-germany-partnership.md")
    assert not [e for e in _with(germany, "third round of the U.S.-Germany Economic Dialogue") if e["date"] == "2024-09-24"]


@needs_wh
def test_a_reporters_question_states_no_step() -> None:
    # "Q ... So, we know that Singapore and the United States signed a space cooperation treaty today."
    lee = _events(f"{PB}/2022-03/2022-03-29-background-press-call-by-a-senior-administration-official-previewing-the-visit-of-prime-minister-lee-of-singapore.md")
    assert not _with(lee, "we know that Singapore")


@needs_wh
def test_a_step_to_come_in_a_month_past_is_next_years() -> None:
    # "... the Global Methane Pledge, an initiative ... to be launched at the UN Climate Change Conference
    # (COP 26) in November in Glasgow" (a press release of 2021-09-18): November 2021, not 2020
    methane = _events(f"{SR}/2021-09/2021-09-18-joint-us-eu-press-release-on-the-global-methane-pledge.md")
    pledge = _with(methane, "to be launched at the UN Climate Change Conference")
    assert pledge and all(e["date"] == "2021-11" for e in pledge)


@needs_wh
def test_a_partnership_named_is_no_step() -> None:
    # "Our discussions today and the important decisions we have taken have added a new chapter to our
    # comprehensive and global strategic partnership." (Prime Minister Modi, 2023-06-22)
    modi = _events(f"{SP}/2023-06/2023-06-22-remarks-by-president-biden-and-prime-minister-modi-of-the-republic-of-india-in-joint-press-conference.md")
    assert not _with(modi, "added a new chapter")
