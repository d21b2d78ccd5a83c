"""The reader's constraint layer and answer choices, alone, on sentences of real documents: which
evidence agrees with what a question states (names, ordinals, relation words, titles), the type a
question asks for, and the retrieval of alias phrases and synonyms."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from communique.ingest import load_document, walk
from communique.ingest.passages import sentence_spans
from communique.query.ask import _type_fits
from communique.query.constraints import HARD, QuestionNames, candidate_features, constraint_features
from communique.query.question import analyse, reader_type
from communique.query.retrieve import Retriever, Sentence
from communique.store import open_store
from tests.conftest import SHARED

WH = SHARED / "corpus" / "wh-briefings"
needs_wh = pytest.mark.skipif(not WH.is_dir(), reason="../shared/corpus/wh-briefings is not present")


def _sentence(path: Path, needle: str) -> Sentence:
    """The sentence of a real document (cleaned as a build cleans it) that holds ``needle``."""
    sources, _ = walk([path])
    doc = load_document(sources[0])
    text = doc.text
    at = text.index(needle)
    start, end = text.rfind("\n", 0, at) + 1, text.find("\n", at) % (len(text) + 1)  # its paragraph
    a, b = next((a, b) for a, b in sentence_spans(text, start, end) if a <= at < b)
    return Sentence(path.name, "", doc.title, doc.date, a, b, text[a:b], 0)


@needs_wh
def test_a_name_stated_only_in_the_title_counts_and_the_publisher_is_not_required() -> None:
    s = _sentence(WH / "briefings-statements/2025-08/2025-08-11-joint-statement-on-u-s-china-economic-and-trade-meeting-in-stockholm.md",
                  "Stockholm on July 28")
    assert "China" not in s.text and "Chinese" not in s.text
    f = constraint_features(analyse("In which city did U.S. and Chinese economic teams meet on July 28 and 29, 2025?"), s)
    assert not any(f.get(k) for k in HARD) and f.get("k_names_title") == 1.0
    f = constraint_features(analyse("In which city did the White House say U.S. and Chinese teams met in 2025?"), s)
    assert not f.get("k_names_miss")  # the White House publishes; it is not what the sentence is about
    f = constraint_features(analyse("In which city did U.S. and Mexican teams meet in July 2025?"), s)
    assert f.get("k_names_miss") == 1.0  # Mexico: neither the sentence nor its title


@needs_wh
def test_an_ordinal_agrees_before_a_meeting_word_not_an_anniversary() -> None:
    s = _sentence(WH / "statements-releases/2024-06/2024-06-08-fact-sheet-the-u-s-france-partnership.md",
                  "inaugural Indo-Pacific Dialogue")
    q = analyse("Who led the inaugural U.S. Indo-Pacific Dialogue with France held in Paris in May 2024?")
    assert q.mechanism is not None and q.mechanism.ordinal == 1
    assert constraint_features(q, s).get("k_ord_ok") == 1.0
    third = _sentence(WH / "statements-releases/2024-06/2024-06-08-fact-sheet-the-u-s-france-partnership.md",
                      "third U.S.-France Indo-Pacific Strategic Dialogue")
    assert constraint_features(q, third).get("k_ord_ok") is None  # "third" is not the inaugural one


def test_a_meeting_numbered_otherwise_or_not_at_all_is_excluded(seeds_db: Path) -> None:
    store = open_store(seeds_db)
    text = store.text_at("004_931a6d2c2293319e.txt")
    at = text.index("co-chaired")
    a, b = next((a, b) for a, b in sentence_spans(text, 0, len(text)) if a <= at < b)
    s = Sentence("004_931a6d2c2293319e.txt", "", None, "2020-08-26", a, b, text[a:b], 0)
    assert constraint_features(analyse("Who co-chaired the 24th ASEAN-ROK Dialogue?"), s).get("k_ord_ok") == 1.0
    assert constraint_features(analyse("Who co-chaired the 25th ASEAN-ROK Dialogue?"), s).get("k_ord_conflict") == 1.0
    anniversary = Sentence("x", "", None, None, 0, 0, "We gathered in Busan to celebrate the 30th Anniversary of "
                           "ASEAN-ROK Dialogue Relations.", 0)
    assert constraint_features(analyse("Where was the 30th ASEAN-ROK Summit held?"), anniversary).get("k_ord_miss") == 1.0


@needs_wh
def test_a_relation_word_is_met_by_its_synonym() -> None:
    path = WH / ("statements-releases/2022-12/2022-12-22-president-biden-announces-presidential-delegation-to-the-"
                 "federative-republic-of-brazil-to-attend-the-presidential-inauguration-of-his-excellency-luiz-inacio-lula-da-silva.md")
    q = analyse("Who headed the U.S. delegation to Lula da Silva's presidential inauguration?")
    lead = _sentence(path, "will lead the delegation")
    announced = _sentence(path, "today announced the designation")
    assert constraint_features(q, lead).get("k_rel_ok") == 1.0
    assert constraint_features(q, announced).get("k_rel_miss") == 1.0


def test_spans_that_are_the_question_s_own_names_are_marked() -> None:
    q = analyse("Which Mongolian prime minister did Vice President Harris host in Washington in August 2023?")
    names = QuestionNames(q)
    assert candidate_features(names, "Kamala Harris", {"ENT:PERSON"}, "person").get("c_qname") == 1.0
    assert not candidate_features(names, "Oyun-Erdene Luvsannamsrai", {"ENT:PERSON"}, "person")
    q = analyse("What aviation accord did the U.S. and Mongolia hail in August 2023?")
    assert candidate_features(QuestionNames(q), "the United States", {"ENT:GPE"}, "named").get("c_qent") == 1.0
    q = analyse("On what date was the U.S.-France Bilateral Clean Energy Partnership launched?")
    names = QuestionNames(q)
    assert candidate_features(names, "December 14, 2021", {"DATE"}, "date", "2021-12-14").get("k_date_day") == 1.0
    assert candidate_features(names, "2021", {"DATE"}, "date", "2021").get("k_date_coarse") == 1.0


def test_the_opening_wh_phrase_decides_the_type() -> None:
    assert reader_type("How many AH-64 Apache helicopters did the United States offer when Biden hosted Duda?")[0] == "count"
    assert reader_type("In which Egyptian city did Biden meet President El-Sisi?")[0] == "place"
    assert reader_type("What minimum corporate tax rate did G20 leaders endorse?")[0] == "percent"
    assert reader_type("What is the estimated value of the sale?")[0] == "money"
    assert reader_type("In which years are the two Mars missions planned?")[0] == "list"
    assert reader_type("Who was president when the treaty was signed?")[0] == "person"


def test_times_answer_no_who_or_what_and_shares_are_written_as_shares() -> None:
    for text in ("this morning", "Earlier today", "Wednesday", "tonight"):
        assert not _type_fits("person", {"NP"}, text) and not _type_fits("named", {"NP"}, text)
    assert _type_fits("list", {"LIST"}, "2026 and 2028") and _type_fits("person", {"ENT:PERSON"}, "Kurt Campbell")
    assert not _type_fits("percent", {"MONEY"}, "$50 billion")
    assert _type_fits("percent", {"SUB"}, "at least 15 percent") and _type_fits("percent", {"ENT:PERCENT"}, "2%")


def test_aliases_are_searched_only_when_one_of_their_words_is_rare(seeds_db: Path) -> None:
    store = open_store(seeds_db)
    seen: list[str] = []
    original = store.ranked_paragraphs

    def spy(match: str, limit: int, scope: object = None) -> list:
        seen.append(match)
        return original(match, limit, scope)

    store.ranked_paragraphs = spy  # type: ignore[method-assign]
    r = Retriever(store)
    q = analyse("When did the United States accede to the Treaty of Amity and Cooperation?")
    from communique.query.retrieve import entity_aliases

    found = r.retrieve(q.text, q.words, entity_aliases(q.entities), keep=6)
    assert found and seen
    assert not re.search(r'"us"|"united states"', seen[-1])  # a pronoun, and a fifth of some indexes
    cover = r.coverer(["headed", "delegation"], [])
    assert cover("The Honorable Deb Haaland will lead the delegation.") == pytest.approx(1.0)


def test_an_amount_or_a_city_must_be_of_the_type_asked() -> None:
    """'How much was trade in 2030?' is not answered by the question's own year inside a name, and
    'which city' takes a place the recogniser or the gazetteer knows, also inside a summit's name."""
    from communique.query.ask import _type_fits

    q = "How much was ROK-ASEAN trade in 2030?"
    assert not _type_fits("money", {"NP"}, "World Expo 2030", q)
    assert _type_fits("money", {"MONEY"}, "$20.5 billion", q)
    assert _type_fits("count", {"NP"}, "three rounds", "How many rounds were held in 2024?")
    city = "In which city is the Secretariat based?"
    assert not _type_fits("place", {"NP"}, "Economy", city, "city")
    assert _type_fits("place", {"NP"}, "NATO’s 2026 Ankara Summit", city, "city")
    assert _type_fits("place", {"ENT:GPE"}, "Tashkent", city, "city")
    assert _type_fits("place", {"NP"}, "the northern shore of the lake", "Where do the birds nest?", None)


@needs_wh
def test_a_question_asking_for_money_takes_only_an_amount_with_its_currency() -> None:
    """"How much funding": "$12.5 billion" of the real sentence, not "five years" or "one project";
    a "how much" that names no money ("how much did output grow") still takes a bare number."""
    from communique.query.candidates import Parser, candidates

    s = _sentence(WH / "statements-releases/2023-01/2023-01-04-fact-sheet-president-biden-vice-president-harris-senior-administration-officials-kick-off-2023-implementing-bipartisan-infrastructure-law.md",
                  "Bridge Investment Program will fund")
    q = "How much funding will the Bridge Investment Program provide over five years?"
    kind = reader_type(q)[0]
    assert kind == "money"
    cands = candidates([s], Parser().parse([s.text]))
    kept = {c.text for c in cands if _type_fits(kind, c.labels, c.text, q)}
    assert any("12.5 billion" in t for t in kept), kept
    assert not any(re.search(r"\b(?:five|one)\b", t) and "$" not in t for t in kept), kept
    assert _type_fits("money", set(), "five", "How much did output grow?")
    assert _type_fits("money", set(), "less than two", "From 1947 to 1967, how much did the price of oil increase?")
    assert reader_type("At what price per dose could the African Union buy the vaccine?")[0] == "money"
