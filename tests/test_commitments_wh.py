"""Commitments on real White House documents: the kind of document decides, paragraphs commit,
ids survive a renamed file."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from tests.conftest import WH, needs_wh, run_cli

C5 = "statements-releases/2023-09/2023-09-21-c51-leaders-joint-statement.md"
MERKEL = ("speeches-remarks/2021-07/2021-07-15-remarks-by-president-biden-and-chancellor-merkel-of-the-federal-"
          "republic-of-germany-in-press-conference.md")


def _commitments(path: Path) -> list[dict]:
    facts = json.loads(run_cli("extract", str(path), "--json").stdout)["facts"]
    return [f for f in facts if f["kind"] == "commitment"]


@needs_wh
def test_a_joint_statement_commits_by_paragraph_under_its_headings() -> None:
    found = _commitments(WH / C5)
    assert len(found) >= 8
    sections = {f["value"]["section"] for f in found}
    # the bold headings of the statement ("***Expanded Security Cooperation***") head their paragraphs
    assert "Expanded Security Cooperation" in sections
    assert all("commit" in f["value"]["text"].lower() or " will " in f["value"]["text"] or "intend" in
               f["value"]["text"] or "affirm" in f["value"]["text"].lower() or "determined" in f["value"]["text"]
               or "support" in f["value"]["text"].lower() for f in found)
    # a wrapped dash ("– will work to establish") stays inside its paragraph
    assert not any(f["value"]["text"].startswith("will work") for f in found)


@needs_wh
def test_a_press_conference_has_no_commitments() -> None:
    assert _commitments(WH / MERKEL) == []


@needs_wh
def test_commitment_ids_survive_a_renamed_file(tmp_path: Path) -> None:
    ids = []
    for name in ("a/statement.md", "b/renamed-elsewhere.md"):
        folder = tmp_path / name.split("/")[0]
        folder.mkdir()
        shutil.copy(WH / C5, folder / name.split("/")[1])
        db = tmp_path / f"{name.split('/')[0]}.db"
        run_cli("build", str(folder), "--db", str(db), "-q")
        records = json.loads(run_cli("commitments", "--db", str(db), "--json").stdout)
        assert records
        ids.append({r["id"] for r in records})
    assert ids[0] == ids[1]


@needs_wh
def test_a_headline_about_a_plan_is_no_plan() -> None:
    """'Wide Acclaim for President Trump's Visionary AI Action Plan' quotes praise: no commitments;
    'G7 Clean Energy Economy Action Plan' is the plan."""
    acclaim = next((WH / "articles/2025-07").glob("2025-07-24-wide-acclaim-for-president-trumps-visionary-ai-action-plan*"))
    assert _commitments(acclaim) == []
    plan = next(WH.glob("statements-releases/*/*g7-clean-energy-economy-action-plan*"))
    assert _commitments(plan)


@needs_wh
def test_a_paragraph_recounting_the_past_commits_to_nothing() -> None:
    """'Last year, Quad partners launched a landmark initiative ...' recounts; the declaration's other
    paragraphs commit."""
    path = WH / ("statements-releases/2024-09/2024-09-21-the-wilmington-declaration-joint-statement-from-the-leaders-"
                 "of-australia-india-japan-and-the-united-states.md")
    found = _commitments(path)
    assert len(found) >= 10
    assert not any(f["value"]["text"].startswith("Last year,") for f in found)


@needs_wh
def test_a_wrapped_list_piece_is_no_clause() -> None:
    """'2030 Agenda for Sustainable Development and the Sustainable Development Goals' is the end of
    a list item, not a commitment of the ASEAN-U.S. statement."""
    path = WH / ("statements-releases/2023-09/2023-09-06-asean-u-s-leaders-statement-on-cooperation-on-the-asean-"
                 "outlook-on-the-indo-pacific.md")
    found = _commitments(path)
    assert found
    assert not any(f["value"]["text"].startswith("2030 Agenda") for f in found)


@needs_wh
def test_a_relative_clause_or_a_lead_in_commits_to_nothing() -> None:
    """'The leaders welcomed the establishment of Combined Task Force 153 ..., which will enhance'
    describes what is welcomed; 'Key terms of the Agreement ... will include:' introduces a list."""
    gcc = _commitments(WH / "statements-releases/2022-07/2022-07-16-joint-statement-following-the-summit-of-the-leaders-"
                            "of-the-united-states-and-the-gulf-cooperation-council-gcc-countries.md")
    assert len(gcc) >= 5 and not any("welcomed the establishment" in f["value"]["text"] for f in gcc)
    vietnam = _commitments(WH / "briefings-statements/2025-10/2025-10-26-joint-statement-on-united-states-vietnam-"
                                "framework-for-an-agreement-on-reciprocal-fair-and-balanced-trade.md")
    assert len(vietnam) >= 8 and not any(f["value"]["text"].rstrip().endswith(":") for f in vietnam)


@needs_wh
def test_the_lead_that_reports_the_meeting_commits_to_nothing() -> None:
    """'We the Leaders of the Group of Seven (G7) met today with Ukrainian President Volodymyr
    Zelenskyy to reaffirm ...' reports the meeting; the numbered clauses after it commit."""
    found = _commitments(WH / "statements-releases/2024-02/2024-02-24-g7-leaders-statement-7.md")
    assert not any(" met today" in f["value"]["text"][:160] for f in found)
    assert any(f["value"]["text"].startswith("1. We will continue to support Ukraine") for f in found)
