"""Near misses the answer's confidence weighs (``query.mismatch``): a sentence of another occasion,
another numbered occasion, another kind of place or an amount of another thing than the one asked.
Checked alone, and end to end on a small knowledge base of real White House documents: the near
misses of ``tests/questions/near_miss.jsonl`` get no answer, their answerable counterparts do."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

import pytest

from communique.query.ask import Asker
from communique.query.mismatch import MISMATCHES, _owners, mismatches
from communique.query.question import analyse
from tests.conftest import ROOT, SHARED, wh_documents_db

# documents the near-miss questions are written from (tests/questions/near_miss.jsonl), and others
# that share their words: a funeral's delegation, a briefing that names a loan and a sale together
DOCUMENTS = ("liberia-to-attend-the-inauguration-of-his-excellency-joseph-boakai",
             "nigeria-to-attend-the-inauguration-of-his-excellency-bola-ahmed-tinubu",
             "paraguay-to-attend-the-inauguration-of-his-excellency-santiago-pena",
             "colombia-to-attend-the-inauguration-of-his-excellency-gustavo-francisco-petro-urrego",
             "japan-to-attend-the-state-funeral-of-former-prime-minister-abe-shinzo",
             "2024-03-12-press-briefing-by-press-secretary-karine-jean-pierre-and-national-security-advisor-jake-sullivan-12",
             "2023-12-13-fact-sheet-accelerating-the-u-s-africa-partnership-after-the-2022-u-s-africa-leaders-summit",
             # another part of a ceremony, another ordinal, another phase, a figure of another period
             "japan-to-attend-the-opening-ceremony-of-the-tokyo-2020-summer-paralympic-games",
             "japan-to-attend-the-closing-ceremony-of-the-tokyo-2020-summer-olympic-games",
             "attend-the-opening-ceremony-of-the-2023-pan-american-games",
             "attend-the-opening-ceremony-of-the-invictus-games",
             "2023-11-03-fact-sheet-president-biden-hosts-inaugural-americas-partnership",
             "2024-06-14-fact-sheet-the-2024-g7-summit-in-apulia-italy",
             "2023-05-20-fact-sheet-partnership-for-global-infrastructure-and-investment-at-the-g7-summit",
             "2024-12-14-fact-sheet-celebrating-u-s-africa-partnership-two-years-after",
             "2024-06-11-fact-sheet-u-s-support-to-small-island-developing-states",
             "2023-06-08-remarks-by-president-biden-and-prime-minister-rishi-sunak",
             "2021-11-13-fact-sheet-renewed-u-s-leadership-in-glasgow",
             # a meeting in another city
             "joint-statement-on-u-s-china-economic-and-trade-meeting-in-geneva",
             "joint-statement-on-u-s-china-economic-and-trade-meeting-in-stockholm",
             "2021-09-29-u-s-eu-trade-and-technology-council-inaugural-joint-statement",
             "2023-07-10-remarks-by-president-biden-and-prime-minister-rishi-sunak-of-the-united-kingdom-before",
             # one document, two parts of the occasion: the closing's delegation, not the opening's
             "to-attend-the-opening-and-closing-ceremonies-of-the-paris-2024-olympic-games",
             "to-attend-the-opening-and-closing-ceremonies-of-the-paris-2024-paralympic-games")


def _sentence(text: str, title: str = "") -> SimpleNamespace:
    return SimpleNamespace(text=text, title=title, date="2024-01-19")


def _candidate(sentence: SimpleNamespace, span: str, labels: set[str] | None = None) -> SimpleNamespace:
    start = sentence.text.index(span)
    return SimpleNamespace(sentence=sentence, start=start, end=start + len(span), text=span, labels=labels or set())


def test_a_region_or_a_state_is_no_city() -> None:
    s = _sentence("The fellowship lets scientists in Southeast Asia and in Geneva apply their knowledge.")
    asked = "In which city is the secretariat based?"
    assert mismatches(asked, "place", _candidate(s, "Southeast Asia", {"ENT:LOC"}), {})["place_kind_miss"] == 1.0
    assert mismatches(asked, "place", _candidate(s, "Geneva", {"ENT:GPE"}), {})["place_kind_miss"] == 0.0
    t = _sentence("The leaders met in Kenya and in Nairobi.")
    assert mismatches(asked, "place", _candidate(t, "Kenya", {"ENT:GPE"}), {})["place_kind_miss"] == 1.0
    # "which country" answered by a city of a country
    assert mismatches("In which country did they meet?", "place", _candidate(t, "Nairobi"), {})["place_kind_miss"] == 1.0
    assert mismatches("Where did they meet?", "place", _candidate(t, "Kenya"), {})["place_kind_miss"] == 0.0


def test_an_ordinal_the_sentence_does_not_say_unless_its_date_says_which_meeting() -> None:
    s = _sentence("President Biden met with President Al Sisi today in Jeddah.")
    asked = "On what date did the Joint Economic Commission hold its first meeting?"
    assert mismatches(asked, "date", _candidate(s, "today"), {})["ordinal_miss"] == 1.0
    assert mismatches(asked, "date", _candidate(s, "today"), {"k_ord_dated": 1.0})["ordinal_miss"] == 0.0
    first = _sentence("The Commission held its inaugural meeting today in Cairo.")
    assert mismatches(asked, "date", _candidate(first, "today"), {})["ordinal_miss"] == 0.0
    titled = _sentence("Blinken led the delegation.", "Third Ministerial Meeting")
    assert mismatches("Who led the third ministerial?", "person", _candidate(titled, "Blinken"), {})["ordinal_miss"] == 0.0


def test_an_occasion_and_whose_it_is() -> None:
    assert _owners("Who led the U.S. delegation to Joseph Boakai's funeral?") == ["Boakai"]
    assert _owners("Who headed the delegation to Lula da Silva's presidential inauguration?") == ["Silva"]
    assert _owners("Who led the delegation to the inauguration of Gustavo Petro in Colombia?") == ["Petro"]
    assert _owners("Who led the delegation to the inauguration of the President of Chile?") == []
    abe = _sentence("Vice President Kamala Harris will lead the delegation.",
                    "Presidential Delegation to Japan to Attend the State Funeral of former Prime Minister Abe Shinzo")
    c = _candidate(abe, "Kamala Harris")
    assert mismatches("Who led the U.S. delegation to Joseph Boakai's funeral?", "person", c, {})["occasion_miss"] == 1.0
    assert mismatches("Who led the U.S. delegation to Abe Shinzo's funeral?", "person", c, {})["occasion_miss"] == 0.0
    assert mismatches("Who led the delegation to the swearing-in of Abe?", "person", c, {})["occasion_miss"] == 1.0
    # "the inaugural session" is a first meeting, no inauguration
    led = _sentence("Sullivan and Hulata led the first meeting of the Dialogue in Washington.")
    q = "Who was Sullivan's counterpart in leading the inaugural session of the dialogue?"
    assert mismatches(q, "person", _candidate(led, "Hulata"), {}) == {n: 0.0 for n in MISMATCHES}


def test_an_amount_of_another_thing_than_the_one_asked() -> None:
    from communique.query.candidates import Parser

    parse = Parser().parse_one
    s = _sentence("The United States plans a new $2 billion Foreign Military Financing direct loan to Poland, "
                  "and we will offer to sell Poland 96 Apache helicopters.")
    c = _candidate(s, "$2 billion", {"MONEY"})
    assert mismatches("What is the estimated value of the sale of the helicopters?", "money", c, {}, parse)["amount_noun_miss"] == 1.0
    assert mismatches("How large is the loan to Poland?", "money", c, {}, parse)["amount_noun_miss"] == 0.0
    plain = _sentence("The Vice President announced $100 million in new assistance.")
    c = _candidate(plain, "$100 million", {"MONEY"})
    assert mismatches("How much did the Vice President announce?", "money", c, {}, parse)["amount_noun_miss"] == 0.0


@pytest.fixture(scope="module")
def near_miss_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wh_documents_db(tmp_path_factory, "near", lambda name: any(d in name for d in DOCUMENTS), len(DOCUMENTS))


def test_near_misses_get_no_answer_and_their_counterparts_do(near_miss_db: Path) -> None:
    import importlib.util

    from communique.store import open_store

    spec = importlib.util.spec_from_file_location("score", SHARED / "eval" / "score.py")
    score = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(score)  # type: ignore[union-attr]
    asker = Asker(open_store(near_miss_db))
    items = [json.loads(line) for line in (ROOT / "tests" / "questions" / "near_miss.jsonl").read_text().splitlines()]
    got = {item["id"]: asker.ask(item["q"]).answer for item in items}
    # a delegation to another occasion, another numbered inauguration, another part of a ceremony;
    # the date of another numbered summit, of a meeting in another city or of another phase of the talks;
    # a figure stated for another period: no answer
    near = ("m06", "m07", "m10", "m12", "m13", "m14", "m15", "m19", "m23", "m25", "m29", "m37", "m39")
    answered = {i: got[i] for i in near if got[i]}
    assert not answered, answered
    # their counterparts are answered, and right (so small a knowledge base weighs words otherwise
    # than the whole corpus does: most, not all, of them)
    right = [item["id"] for item in items if item["answer"] is not None and got[item["id"]] is not None
             and score.answer_ok(item, got[item["id"]])]
    assert len(right) >= 9 and {"m40", "m41"} <= set(right), (right, got)


def test_the_evidence_names_the_occasion_a_near_miss_lacks(near_miss_db: Path) -> None:
    from communique.store import open_store

    asker = Asker(open_store(near_miss_db))
    q = analyse("Who led the U.S. delegation to Joseph Boakai's funeral?")
    _, best, _, ev = asker.choose(q, None, asker.fact_spans(q))
    assert ev["occasion_miss"] == 1.0, best.candidate.sentence.text


def test_an_announcement_ahead_of_its_event_is_no_year_miss() -> None:
    from communique.query.calibration import _ahead

    q = "Who headed the U.S. delegation to the inauguration on January 1, 2023?"
    ahead = SimpleNamespace(text="Secretary Haaland will lead the delegation.", date="2022-12-22")
    assert _ahead(q, ahead)
    assert not _ahead(q, SimpleNamespace(text="Secretary Haaland led the delegation.", date="2022-12-22"))
    assert not _ahead(q, SimpleNamespace(text="Haaland will lead the delegation in 2021.", date="2022-12-22"))
    assert not _ahead(q, SimpleNamespace(text="Haaland will lead the delegation.", date="2020-12-22"))


def test_an_adverb_or_a_day_numbers_nothing() -> None:
    from communique.query.candidates import Parser

    parse = Parser().parse_one
    s = _sentence("Paul Rand's logo debuted in 1962, and 24 contracts were awarded that day.")
    for q in ("When did Paul Rand's logo first debut?", "What is the second largest logo?",
              "How many contracts were awarded on October 25th?"):
        assert mismatches(q, "date", _candidate(s, "1962"), {}, parse)["ordinal_miss"] == 0.0, q
    assert mismatches("When did the council hold its first meeting?", "date", _candidate(s, "1962"), {}, parse)["ordinal_miss"] == 1.0


def test_a_question_without_an_ordinal_is_not_parsed_for_one() -> None:
    """The ordinal check parses a question only when one of its words is an ordinal: a parse costs
    ~13 ms a question on the hot path. "first-ever" holds one; the parse still decides (an adverb's
    "first" numbers nothing)."""
    from communique.language import pipeline
    from communique.query.mismatch import _numbered

    def refuse(text: str):
        raise AssertionError(f"parsed {text!r}")

    assert _numbered("Who led the U.S. delegation to the inauguration in Nairobi?", refuse) == set()
    nlp = pipeline()
    assert _numbered("When did the leaders hold their first-ever summit?", nlp) == {1}
    assert _numbered("When was the vaccine first used in Africa?", nlp) == set()
