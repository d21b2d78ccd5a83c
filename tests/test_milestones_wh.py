"""Milestones that are none, on the real White House documents that showed them (a domestic people's
programme, a budget's roadmap, an executive order, a count of visas, another thing's year), and the
steps that stay. Every expected value was checked by hand against the document's text.
"""

from __future__ import annotations

from typing import Any

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, needs_wh

pytestmark = needs_wh

SR, PB = "statements-releases", "press-briefings"


def _events(rel: str) -> list[dict[str, Any]]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value for f in extract_all(doc) if f.kind == "event"]


def _with(events: list[dict[str, Any]], words: str) -> list[dict[str, Any]]:
    return [e for e in events if words in e["label"]]


def test_a_people_at_home_is_no_partner_abroad() -> None:
    # "The African American Tobacco Control Leadership Council (AATCLC) is launching a coordinated effort"
    moonshot = _events(f"{SR}/2023-09/2023-09-13-fact-sheet-as-part-of-president-bidens-unity-agenda-white-house-cancer-moonshot-announces-new-actions-and-commitments-to-end-cancer-as-we-know-it.md")
    assert not _with(moonshot, "Tobacco Control")
    # "The Treasury Tribal Advisory Committee (TTAC) issued a report in 2021", in a fact sheet on Indian Country
    tribal = _events(f"{SR}/2022-11/2022-11-30-fact-sheet-biden-harris-administration-announces-new-actions-to-support-indian-country-and-native-communities-ahead-of-the-administrations-second-tribal-nations-summit.md")
    assert not _with(tribal, "TTAC")


def test_a_named_document_of_a_year_needs_a_partner_too() -> None:
    # "2021 PFAS Strategic Roadmap" in a budget fact sheet; "NATO's 2022 Strategic Concept" stays
    budget = _events(f"{SR}/2023-03/2023-03-09-fact-sheet-president-bidens-budget-lowers-energy-costs-combats-the-climate-crisis-and-advances-environmental-justice.md")
    assert not _with(budget, "PFAS")
    nato = _events(f"{SR}/2024-07/2024-07-10-fact-sheet-the-2024-nato-summit-in-washington.md")
    assert any(e["date"] == "2022" and "Strategic Concept" in e["label"] for e in nato)


def test_an_order_by_its_number_and_a_count_issued_are_no_milestones() -> None:
    # "in May, President Biden signed EO 14032, putting a secure and enduring basis for restrictions"
    china = _events(f"{PB}/2021-10/2021-10-04-background-press-call-by-senior-administration-officials-on-the-administrations-trade-approach-to-china.md")
    assert not _with(china, "EO 14032")
    # "As of today, the State Department has issued 76,000 Special Immigrant Visas for Afghan partners"
    briefing = _events(f"{PB}/2024-12/2024-12-12-press-briefing-by-press-secretary-karine-jean-pierre-and-national-security-communications-adviser-john-kirby-3.md")
    assert not _with(briefing, "76,000")


def test_a_year_that_modifies_another_noun_dates_that_thing() -> None:
    # "This is something that was created shortly after the 2006 war to include UNIFIL"
    lebanon = _events(f"{PB}/2024-11/2024-11-26-background-press-call-on-the-ceasefire-deal-between-israel-and-lebanon.md")
    assert not [e for e in lebanon if e["date"] == "2006"]
    # "In addition to launching Women LEAD, ... implement the 2023 WPS Strategy": not a 2023 launch
    wps = _events(f"{SR}/2024-07/2024-07-10-fact-sheet-advancing-women-peace-and-security-at-the-nato-75th-anniversary-summit.md")
    assert not [e for e in _with(wps, "Women LEAD") if e["date"] == "2023"]
    # "At the 2021 G7 Summit, President Biden and G7 leaders announced their intent": a meeting's year stays
    b3w = _events(f"{SR}/2022-06/2022-06-26-fact-sheet-president-biden-and-g7-leaders-formally-launch-the-partnership-for-global-infrastructure-and-investment.md")
    assert any(e["date"] == "2021" and "2021 G7 Summit" in e["label"] for e in b3w)


def test_a_commitment_to_establish_is_no_step_taken() -> None:
    # "we have committed in principle to establish a U.S.-UK Data Bridge": undated and ahead
    atlantic = _events(f"{SR}/2023-06/2023-06-08-the-atlantic-declaration-a-framework-for-a-twenty-first-century-u-s-uk-economic-partnership.md")
    assert not [e for e in _with(atlantic, "Data Bridge") if not e["planned"]]


def test_an_aside_about_history_a_deadline_and_an_anniversary_are_no_steps() -> None:
    # a press call: "the original Atlantic Charter, which was signed ... in 1941 — so, 80 years ago this year"
    charter = _events(f"{PB}/2021-06/2021-06-10-background-press-call-by-senior-administration-officials-previewing-the-presidents-bilateral-meeting-with-the-right-honorable-boris-johnson-prime-minister-of-the-united-kingdom-of-great-britain-and.md")
    assert not [e for e in charter if e["date"] == "1941"]
    # "this year, 2024, marks the 15th anniversary of the U.S.-Peru Free Trade Agreement"
    peru = _events(f"{PB}/2024-11/2024-11-15-background-press-gaggle-on-the-u-s-peru-bilateral-meeting.md")
    assert not _with(peru, "15th anniversary")
    # "both countries have set a target for launching direct flights ... by summer 2024"
    bahrain = _events(f"{SR}/2023-09/2023-09-13-fact-sheet-biden-harris-administration-strengthens-partnership-with-kingdom-of-bahrain-and-launches-comprehensive-security-integration-and-prosperity-agreement.md")
    assert not _with(bahrain, "by summer 2024")


def test_a_war_begun_a_domestic_initiative_a_launch_ahead_and_a_round_ups_today() -> None:
    # "When Russia began its brutal invasion of Ukraine two years ago, he did not hesitate to condemn"
    arrival = _events("speeches-remarks/2024-04/2024-04-10-remarks-by-president-biden-and-prime-minister-kishida-fumio-of-japan-at-arrival-ceremony.md")
    assert not _with(arrival, "began its brutal invasion")
    # "the Secretary of the Interior launched the Federal Indian Boarding School Initiative"
    tribal = _events(f"{SR}/2022-11/2022-11-30-fact-sheet-biden-harris-administration-announces-new-actions-to-support-indian-country-and-native-communities-ahead-of-the-administrations-second-tribal-nations-summit.md")
    assert not _with(tribal, "Boarding School")
    # "including a pilot program launching this year": ahead
    made = _events(f"{SR}/2024-05/2024-05-24-fact-sheet-vice-president-harris-announces-public-and-private-sector-commitments-to-advancing-digital-inclusion-in-africa.md")
    assert all(e["planned"] for e in _with(made, "pilot program launching this year"))
    # a round-up of reactions: "The principles issued today reflect important progress" is the speaker's day
    roundup = _events("articles/2025-07/2025-07-23-what-they-are-saying-u-s-indonesia-trade-deal-is-another-america-first-win.md")
    assert not _with(roundup, "principles issued today")


def test_a_plans_period_and_a_meeting_opened_are_no_steps() -> None:
    # "implemented 99% of the 2022-2025 ASEAN-U.S. Plan of Action goals": the plan's years, no adoption
    indo = _events(f"{SR}/2025-01/2025-01-10-the-united-states-enduring-commitment-to-the-indo-pacific-region.md")
    assert not [e for e in indo if e["date"] == "2022/2025"]
    # "Around this time last year, President Biden opened that first Summit for Democracy"
    iacc = _events("speeches-remarks/2022-12/2022-12-06-remarks-by-national-security-advisor-jake-sullivan-at-the-international-anti-corruption-conference-iacc.md")
    assert not _with(iacc, "opened that first Summit")
