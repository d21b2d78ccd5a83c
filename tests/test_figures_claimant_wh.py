"""Who claims a figure, what it measures, and counts that are no counts, on real White House documents."""

from __future__ import annotations

from communique.extract.figures import extract_figures
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, needs_wh

pytestmark = needs_wh


def _figures(folder: str, prefix: str, surface: str) -> list[dict]:
    path = next((WH / folder).glob(prefix + "*"))
    rel = str(path.relative_to(WH))
    doc = load_document(SourceFile(str(path), rel, str(WH)))
    return [f.value for f in extract_figures(doc) if surface in f.value["surface"]]


def test_a_state_after_a_preposition_or_as_a_modifier_is_no_claimant() -> None:
    # "we've committed $2.7 billion" (to Ukraine): Ukraine receives it
    assert all(f["claimant"] != "Ukraine" for f in _figures(
        "press-briefings/2022-01", "2022-01-21-press-briefing-by-press-secretary-jen-psaki", "$2.7 billion"))
    # "USDA provided $45 million to expand ... programming in Guatemala and Honduras"
    assert [f["claimant"] for f in _figures("statements-releases/2022-04", "2022-04-19-report-on-the-u-s-strategy-for",
                                            "$45 million")] == [None]
    # "United Arab Emirates-based ADQ and U.S.-based Energy Capital Partners announced a $25 billion investment"
    assert [f["claimant"] for f in _figures("articles/2025-04", "2025-04-11-the-state-of-play", "$25 billion")] == [None]


def test_an_amount_from_a_party_is_that_partys() -> None:
    """"$3.3 million from the International Finance Corporation" is not the DFC's "$3.3 million"."""
    figures = _figures("statements-releases/2022-06", "2022-06-26-fact-sheet-president-biden-and-g7-leaders-formally",
                       "$3.3 million")
    assert len({f["claimant"] for f in figures}) == 2


def test_what_a_percentage_measures_is_its_own_noun_phrase() -> None:
    # "investments ... Schools now employ 36% more social workers, 11% more school counselors"
    assert [f["measure"] for f in _figures("statements-releases/2023-03", "2023-03-10-the-american-rescue-plan-arp-to",
                                           "11%")] == ["amount"]
    # "83% of Republicans support Operation Epic Fury"
    assert [f["measured"] for f in _figures("articles/2026-03", "2026-03-19-americans-agree-that-operation-epic-fury",
                                            "83%")] == ["Republicans"]


def test_a_share_is_no_count_and_to_date_is_actual() -> None:
    # "1 in 10 rural households"
    assert not _figures("speeches-remarks/2024-09", "2024-09-05-remarks-by-president-biden-highlig", "10 rural")
    # "(to date, 800 million doses)"
    assert [f["target"] for f in _figures("statements-releases/2021-09", "2021-09-24-global-covid-19-summit-ending-t",
                                          "800 million")][:1] == [False]


def test_number_words_with_hundred_and_tables() -> None:
    # "Four hundred million doses shipped for free"
    doses = _figures("press-briefings/2022-01", "2022-01-26-press-briefing-by-white-house-covid", "hundred million")
    assert doses and doses[0]["value"] == 400_000_000
    # a table's rows run together ("... New Mexico $...") are no figures at all now (test_figures_wh:
    # a table's cells say nothing of what they measure), and so name no claimant
    rows = _figures("statements-releases/2022-02", "2022-02-01-white-house-announces-additiona", "$134,407,308")
    assert not rows
    # "The United States is Peru's number one partner ..., generating over 1.1 million jobs"
    jobs = _figures("statements-releases/2024-11", "2024-11-15-fact-sheet-advancing-the-united", "1.1 million")
    assert [f["claimant"] for f in jobs] == ["United States"]


def test_target_or_actual_from_the_grammar() -> None:
    # "10 million new homes to be constructed by 2030" is a target
    homes = _figures("statements-releases/2023-10", "2023-10-19-fact-sheet-biden-harris-adminis", "10 million new homes")
    assert homes and homes[0]["target"] is True
    # "China ... is estimated to control 85 percent": an estimate of what is
    assert [f["target"] for f in _figures("speeches-remarks/2022-04", "2022-04-20-remarks-on-a-modern-american-indus",
                                          "85 percent")] == [False]
    # "helped unlock more than $57 million"
    assert [f["target"] for f in _figures("statements-releases/2024-03", "2024-03-25-fact-sheet-update-on-the-u-s-st",
                                          "$57 million")] == [False]


def test_an_amount_that_is_a_subject_or_a_starting_point_is_actual() -> None:
    # "60 percent of Americans have had ... COVID" (after "will get this" in the question)
    assert [f["target"] for f in _figures("press-briefings/2022-04", "2022-04-26-press-briefing-by-p", "60 percent")
            if "have had" in f["quote"]] == [False]
    # "will see its price cut from $202 to $30"
    assert [f["target"] for f in _figures("fact-sheets/2026-02", "2026-02-05-fact-sheet-president-donald-j-trump-lau",
                                          "$202")] == [False]


def test_abbreviated_scales_after_a_currency() -> None:
    """A table's "EPA $0.9 B" is 900 million dollars, not 90 cents."""
    figures = _figures("statements-releases/2022-05", "2022-05-31-fact-sheet-biden-harris-adminis", "$0.9 B")
    assert figures and figures[0]["value"] == 900_000_000 and figures[0]["scale"] == "billion"
