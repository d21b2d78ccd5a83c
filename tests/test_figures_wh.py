"""Figures on real White House documents: counts with their unit, percentages, years attached by
the sentence, target or actual from its grammar, the sentence as quote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import WH, needs_wh, run_cli

BRAZIL = ("statements-releases/2024-11/2024-11-19-readout-of-president-joe-bidens-meeting-with-president-luiz-"
          "inacio-lula-da-silva-of-brazil.md")
SAUDI = ("fact-sheets/2025-05/2025-05-13-fact-sheet-president-donald-j-trump-secures-historic-600-billion-"
         "investment-commitment-in-saudi-arabia.md")
CHINA = "briefings-statements/2025-05/2025-05-12-joint-statement-on-u-s-china-economic-and-trade-meeting-in-geneva.md"


def _figures(rel: str) -> list[dict]:
    facts = json.loads(run_cli("extract", str(WH / rel), "--json").stdout)["facts"]
    return [f["value"] for f in facts if f["kind"] == "figure"]


@needs_wh
def test_counts_share_the_deadline_of_their_sentence() -> None:
    found = {f["unit"]: f for f in _figures(BRAZIL) if f["unit"] in ("homes", "schools")}
    assert found["homes"]["value"] == 1_000_000 and found["schools"]["value"] == 4000
    assert found["homes"]["year"] == found["schools"]["year"] == "2027"
    assert found["homes"]["target"] and found["schools"]["target"]


@needs_wh
def test_a_year_that_opens_the_sentence_dates_all_its_amounts() -> None:
    found = {f["value"]: f for f in _figures(SAUDI) if f["unit"] == "USD"}
    for value in (25.9e9, 13.2e9, 12.7e9, 443e6):
        assert found[value]["year"] == "2024", value
        assert found[value]["target"] is False  # "trade totaled": an actual amount
    assert found[25.9e9]["measure"] == "trade"
    assert found[25.9e9]["quote"].startswith("In 2024,")  # the sentence, not the bare amount


@needs_wh
def test_percentages_and_no_legal_citations() -> None:
    found = _figures(CHINA)
    assert {(f["value"], f["unit"]) for f in found} >= {(24.0, "percent"), (10.0, "percent")}
    assert not any(f["value"] in (14257.0, 2025.0) for f in found)  # "Executive Order 14257 of April 2, 2025"


@needs_wh
def test_the_same_figure_from_two_documents_is_one_record(tmp_path: Path) -> None:
    for name in ("a.md", "b.md"):
        (tmp_path / name).write_text((WH / SAUDI).read_text())
    # the second copy differs by one line, so it is a different document reporting the same figures
    (tmp_path / "b.md").write_text((WH / SAUDI).read_text() + "\nA later note.\n")
    db = tmp_path / "kb.db"
    run_cli("build", str(tmp_path), "--db", str(db), "-q")
    records = json.loads(run_cli("figures", "--db", str(db), "--json").stdout)
    trade = [r for r in records if r["value"] == 25.9e9]
    assert len(trade) == 1 and {s["document"] for s in trade[0]["sources"]} == {"a.md", "b.md"}
    assert trade[0]["sources"][0]["quote"].startswith("In 2024,")


@needs_wh
def test_what_an_amount_measures_is_no_place() -> None:
    """'inflation was 9.1 percent in the United States' measures inflation, not the United States;
    'a nearly $4 million grant to ... Coppin State University' measures a grant."""
    found = [f for f in _figures("speeches-remarks/2024-09/2024-09-19-remarks-by-president-biden-at-the-economic-club-"
                                 "of-washington-d-c.md") if f["value"] == 9.1 and f["unit"] == "percent"]
    assert found and all(f["measured"] == "inflation" for f in found)
    found = [f for f in _figures("speeches-remarks/2023-01/2023-01-30-remarks-by-president-biden-on-the-bipartisan-"
                                 "infrastructure-law-7.md") if f["value"] == 4_000_000]
    assert found and found[0]["measured"] == "grant"


@needs_wh
def test_a_past_verb_before_an_amount_makes_it_actual() -> None:
    """'President Trump announced manufacturing is back after the U.S. gained 10,000 manufacturing
    jobs': gained, not announced, governs the count; 'going to the top 1 percent' is no future."""
    found = [f for f in _figures("articles/2025-03/2025-03-08-well-never-tire-of-winning-under-president-trump.md")
             if f["value"] == 10000 and f["unit"] == "jobs"]
    assert found and not found[0]["target"]
    found = [f for f in _figures("speeches-remarks/2021-05/2021-05-06-remarks-by-president-biden-on-the-american-jobs-plan-3.md")
             if f["value"] == 1 and f["unit"] == "percent"]
    assert found and not found[0]["target"]


@needs_wh
def test_a_tables_cells_are_no_figures() -> None:
    """'State Long-run wage increase ... Alabama $4,800 to $9,100 $6,500 to $10,800 Alaska ...': the
    cells of a state table say nothing of what they measure; the prose amounts of the page stay."""
    rel = next((WH / "articles/2025-06").glob("2025-06-18-the-one-big-beautiful-bill-is-good-for-all-50-states.md"))
    found = _figures(str(rel.relative_to(WH)))
    assert not any(f["value"] in (4800, 9100, 6500, 10800) and f["unit"] == "USD" for f in found)


@pytest.mark.parametrize("clause, measured", [
    ("deploy up to $9 billion in U.S. funding through 2030 to conserve", "U.S. funding"),
    ("facilitate up to $500 million in U.S. exports to Tanzania", "U.S. exports"),
    ("mobilize $600 billion in the next five years", None),  # a time, not what the amount measures
    ("cut another $250 billion in the next decade", None),
])
def test_what_an_amount_measures_keeps_an_abbreviation_and_is_no_time(clause: str, measured: str | None) -> None:
    from communique.extract.figures import _measured

    end = clause.index("illion") + len("illion")
    assert _measured(clause, end, len(clause)) == measured


COVID_BRIEFING = "press-briefings/2021-12/2021-12-15-press-briefing-by-white-house-covid-19-response-team-and-public-health-officials-73.md"
GUN_SAFETY = ("statements-releases/2024-03/2024-03-23-fact-sheet-vice-president-harris-announces-gun-safety-solutions-"
              "while-continuing-efforts-to-keep-schools-safe-from-gun-violence.md")
IN_REVIEW = "blog/2022-12/2022-12-29-2022-in-review.md"


@needs_wh
def test_a_year_in_a_since_clause_starts_a_period() -> None:
    students = next(f for f in _figures(GUN_SAFETY) if f["surface"] == "360,000 students")
    assert students["year"] is None and students["period"] == "1999/"


@needs_wh
def test_a_pronoun_and_a_law_are_not_what_an_amount_measures() -> None:
    up = next(f for f in _figures(COVID_BRIEFING) if f["surface"] == "40 percent")
    assert up["measured"] is None  # "That’s up 40 percent"
    found = [f for f in _figures(IN_REVIEW) if "Tribal" in f["quote"] and f["unit"] == "USD"]
    assert len(found) >= 3
    assert not any((f["measured"] or "").endswith(("Plan", "Law", "Act", "specifically")) for f in found), found
