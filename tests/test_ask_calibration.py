"""The answer floor and date forms, alone and on real documents: the calibrated confidence of the
reader's chosen span (``query.calibration``), what a date question accepts as a date, the written
form of an ordinal day, and a meeting numbered by "round three"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.dates import find_dates
from communique.query.answer import date_fits, needs_value
from communique.query.ask import Asker
from communique.query.calibration import FEATURES, confidence
from communique.query.question import analyse
from communique.query.rank import model_path
from tests.conftest import ROOT, SHARED

WH = SHARED / "corpus" / "wh-briefings"
needs_wh = pytest.mark.skipif(not WH.is_dir(), reason="../shared/corpus/wh-briefings is not present")
CALIBRATION = json.loads(model_path().read_text(encoding="utf-8"))["calibration"]


def _questions(name: str) -> list[dict]:
    return [json.loads(line) for line in (ROOT / "tests" / "questions" / name).read_text().splitlines() if line.strip()]


def test_the_calibration_is_a_fitted_logistic_layer_over_the_documented_features() -> None:
    weights = CALIBRATION["weights"]
    assert set(weights) <= set(FEATURES) and "bias" in CALIBRATION
    # more of the question's words in the sentence, more agreement: more confidence; a sentence
    # lacking the question's rarest words: less (the small weight of a span's distance from them
    # changes sign from one refit to the next, since the mismatches of query.mismatch were added:
    # it is not checked)
    assert weights["coverage_raw"] > 0 and weights["support"] + weights["support_log"] > 0
    assert weights["rare_miss"] < 0
    # the hand-set mismatches (another occasion, ordinal, kind of place, amount) weigh against
    tuned = CALIBRATION["tuned"]
    assert all(tuned[n] <= -3 for n in ("place_kind_miss", "ordinal_miss", "occasion_miss", "amount_noun_miss"))
    base = {n: 0.0 for n in FEATURES} | {"support": 0.5, "support_log": 0.9, "margin": 0.4, "coverage": 1.0,
                                         "coverage_raw": 0.8, "top": 1.0}
    p = confidence(base, CALIBRATION)
    assert 0.0 < p < 1.0
    assert confidence(base | {"coverage_raw": 0.3}, CALIBRATION) < p
    assert confidence(base | {"rare_miss": 1.0}, CALIBRATION) < p


def test_without_fitted_weights_the_former_rule_holds() -> None:
    ev = {n: 0.0 for n in FEATURES} | {"support": 0.4, "coverage": 0.5, "relation_miss": 1.0}
    assert confidence(ev, {"relation_miss": 0.5}) == pytest.approx(0.1)
    assert confidence(ev | {"fact": 1.0}, {"relation_miss": 0.5}) == pytest.approx(0.2)


def test_right_answers_are_surer_than_answers_to_questions_the_seeds_cannot_answer(seeds_db: Path) -> None:
    from communique.store import open_store

    asker = Asker(open_store(seeds_db))

    def chosen(text: str) -> dict[str, float] | None:
        q = analyse(text)
        got = asker.choose(q, None, asker.fact_spans(q))
        return None if got is None else got[3]

    answerable = [chosen(q["q"]) for q in _questions("seeds.jsonl")]
    unanswerable = [chosen(q["q"]) for q in _questions("unanswerable.jsonl")]
    for ev in answerable + unanswerable:
        assert ev is None or all(0.0 <= ev[n] <= 1.0 for n in FEATURES)
    sure = sorted(confidence(ev, CALIBRATION) for ev in answerable if ev)
    unsure = sorted(confidence(ev, CALIBRATION) for ev in unanswerable if ev)
    assert sure and sum(sure) / len(sure) > 2 * (sum(unsure) / len(unsure) if unsure else 0.0)


def test_the_evidence_of_a_sentence_without_the_question_s_rare_words(seeds_db: Path) -> None:
    from communique.store import open_store

    asker = Asker(open_store(seeds_db))
    q = analyse("Who co-chaired the 24th ASEAN-ROK Dialogue?")
    rq, best, scored, ev = asker.choose(q, None, asker.fact_spans(q))
    assert ev["rare_miss"] == 0.0 or ev["fact"] == 1.0
    twin = analyse("Who co-chaired the 24th ASEAN-ROK Dialogue on lunar tectonics?")  # words no seed holds
    got = asker.choose(twin, None, [])
    if got is not None:
        assert got[3]["rare_miss"] > 0.0


@needs_wh
def test_a_length_of_time_is_no_date_and_a_month_alone_is_no_day() -> None:
    text = (WH / "statements-releases/2024-07/2024-07-11-statement-by-president-joe-biden-on-reaching-an-agreement-in-principle-on-modernization-of-the-columbia-river-treaty-regime.md")
    assert "For 60 years" in text.read_text(encoding="utf-8")  # a span a parser labels as a date
    asks_day = "On what date did the two countries reach an agreement in principle?"
    assert not date_fits(asks_day, "60 years", "2024-07-11")
    assert not date_fits("When did they agree?", "60 years", "2024-07-11")
    assert not date_fits("When did they agree?", "three decades", None)
    assert not date_fits(asks_day, "August", "2021-10-08")  # which August?
    assert date_fits("When did the group convene?", "August", "2021-10-08")  # a month answers "when"
    for span in ("Today", "August 26", "September 24, 2024", "last year", "2021"):
        assert date_fits(asks_day, span, "2024-07-11"), span


def test_an_ordinal_day_keeps_its_iso_value_beside_it() -> None:
    assert needs_value("June 13th, 2024", None)
    assert not needs_value("June 13, 2024", None)
    (d,) = [m for m in find_dates("June 13th, 2024") if m.value]
    assert str(d.value) == "2024-06-13"


def test_a_round_counted_with_a_cardinal_is_the_meeting_s_ordinal() -> None:
    q = analyse("When did the United States and Germany convene round three of their bilateral economic dialogue?")
    assert q.mechanism is not None and q.mechanism.ordinal == 3
    q = analyse("When did the United States and Germany hold the third round of their economic dialogue?")
    assert q.mechanism is not None and q.mechanism.ordinal == 3
    q = analyse("When did the United States and Germany hold their economic dialogue?")
    assert q.mechanism is None or q.mechanism.ordinal is None


@needs_wh
def test_words_of_an_attribution_are_no_relation_the_sentence_must_hold() -> None:
    from tests.test_ask_constraints import _sentence

    from communique.query.constraints import constraint_features

    s = _sentence(WH / "statements-releases/2022-07/2022-07-16-joint-statement-following-meeting-between-president-biden-and-egyptian-president-abdel-fattah-al-sisi-in-jeddah.md",
                  "Strategic Dialogue co-chaired")
    assert "named" not in s.text
    q = analyse("Who is the Egyptian co-chair of the U.S.-Egypt Strategic Dialogue, as named in the July 2022 joint statement?")
    assert not constraint_features(q, s).get("k_rel_miss")  # "named" says where, not what
    q = analyse("Who was named the Egyptian co-chair of the U.S.-Egypt Strategic Dialogue in July 2022?")
    assert constraint_features(q, s).get("k_rel_miss") == 1.0  # here "named" is the relation asked


def test_a_figure_of_another_kind_than_the_one_asked_is_not_its_answer() -> None:
    from communique.query.stored import _measures_named, _measures_of

    text = (WH / "statements-releases/2024-05/2024-05-23-fact-sheet-kenya-state-visit-to-the-united-states.md")
    if text.exists():  # the sentence whose amount a question on trade was answered with
        assert "$568 million in catalytic finance" in " ".join(text.read_text(encoding="utf-8").split())
    assert _measures_named("What was the total value of U.S.-Kenya bilateral goods trade in 2023?") == {"trade"}
    finance = {"measure": "amount", "measured": "catalytic finance"}
    assert not _measures_of(finance) & {"trade"}
    assert _measures_of({"measure": "amount", "measured": "two-way trade in goods"}) & {"trade"}
    assert _measures_of({"measure": "trade", "measured": None}) & {"trade"}
    assert _measures_named("Who co-chaired the dialogue?") == set()  # no kind asked: every figure may answer
