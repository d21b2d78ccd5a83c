"""The reader's in-domain layers alone, on sentences of real documents: the doer of the question's
relation word (``c_rel_subj``), the head noun a question asks for by name, the numbers a question
states, and the types that exclude a span ("which city": no country)."""

from __future__ import annotations

from pathlib import Path

import pytest

from communique.language import pipeline
from communique.query.ask import _agreement, _type_fits
from communique.query.constraints import _question_numbers, constraint_features, relation_features, relation_stems
from communique.query.question import analyse, reader_type
from communique.query.retrieve import Retriever
from communique.store import open_store
from tests.test_ask_constraints import WH, _sentence, needs_wh

ZAMBIA = WH / ("statements-releases/2021-08/2021-08-21-president-biden-announces-presidential-delegation-to-the-"
               "republic-of-zambia-to-attend-the-inauguration-of-his-excellency-hakainde-hichilema.md")


def _token(doc, word: str) -> int:  # type: ignore[no-untyped-def]
    return next(t.i for t in doc if t.text == word)


@needs_wh
def test_the_one_who_leads_is_the_doer_not_the_one_who_announces() -> None:
    q = analyse("Who headed the U.S. delegation to Hakainde Hichilema's inauguration?")
    relations = relation_stems(q)
    nlp = pipeline(("lemmatizer",))
    leads = nlp(_sentence(ZAMBIA, "will lead the delegation").text)
    announces = nlp(_sentence(ZAMBIA, "announced the designation").text)
    assert relation_features(relations, "person", leads, _token(leads, "Ebong")) == {"c_rel_subj": 1.0}
    assert relation_features(relations, "person", announces, _token(announces, "Biden")) == {}
    # a place or a date is no doer: "where was it signed" asks nothing of the signer
    assert relation_features(relations, "place", leads, _token(leads, "Ebong")) == {}


def test_a_question_in_the_passive_asks_for_the_one_acted_on() -> None:
    nlp = pipeline(("lemmatizer",))
    doc = nlp("The Department of State will appoint Ambassador Mary Smith to this role.")
    passive = relation_stems(analyse("Who was appointed to the new role?"))
    active = relation_stems(analyse("Who appointed the envoy to the new role?"))
    assert passive[1] and not active[1]
    assert relation_features(passive, "person", doc, _token(doc, "Smith")) == {"c_rel_subj": 1.0}
    assert relation_features(passive, "person", doc, _token(doc, "Department")) == {}
    assert relation_features(active, "person", doc, _token(doc, "Department")) == {"c_rel_subj": 1.0}


def test_coordinated_doers_and_the_agent_of_a_passive_verb() -> None:
    nlp = pipeline(("lemmatizer",))
    relations = relation_stems(analyse("Who co-hosted the first meeting of the task force?"))
    doc = nlp("The meeting was co-hosted by Secretary Anna Lee and Minister Paul Roy.")
    assert relation_features(relations, "person", doc, _token(doc, "Lee")) == {"c_rel_subj": 1.0}
    both = nlp("Secretary Anna Lee and Minister Paul Roy co-hosted the meeting in Ottawa.")
    assert relation_features(relations, "list", both, _token(both, "Lee")) == {"c_rel_subj": 1.0}
    assert relation_features(relations, "person", both, _token(both, "Ottawa")) == {}


def test_the_head_noun_is_the_noun_asked_for_by_name_not_its_modifier() -> None:
    assert reader_type("What migration declaration did the leaders present?") == ("named", "what", "declaration")
    assert reader_type("What global labor initiative did they launch?") == ("named", "what", "initiative")
    assert reader_type("What is the name of the trade framework they announced?")[2] == "framework"
    assert reader_type("Which economic body did they commit to launch?") == ("organisation", "which", "body")
    assert reader_type("Which river flows through Basel?") == ("place", "which", "river")


def test_numbers_a_question_states_outside_its_dates_must_be_in_the_evidence() -> None:
    q = analyse("What is the value of the sale of 96 helicopters offered to Poland in March 2024?")
    assert _question_numbers(q) == ["96"]
    assert _question_numbers(analyse("What tariff resulted from the order signed on July 30, 2025?")) == []
    assert _question_numbers(analyse("Who attended the C5+1 summit?")) == []

    class S:  # a sentence as the reader holds it
        title, date = "Fact sheet", "2024-03-12"

        def __init__(self, text: str) -> None:
            self.text = text

    assert "k_num_miss" in constraint_features(q, S("The United States plans a $2 billion loan to Poland."))
    assert "k_num_miss" not in constraint_features(q, S("Poland will buy 96 helicopters for $12 billion."))


def test_a_sentence_dating_itself_otherwise_misses_the_year_unless_the_question_asks_when() -> None:
    class S:
        title, date = "Remarks", "2024-04-03"

        def __init__(self, text: str) -> None:
            self.text = text

    who = analyse("Who led the delegation to the swearing-in in April 2024?")
    assert "k_year_miss" in constraint_features(who, S("She led the delegation to the 2021 Games."))
    assert "k_year_doc" in constraint_features(who, S("Today she leads the delegation."))
    when = analyse("In which years are the two missions in the April 2024 statement planned?")
    assert "k_year_doc" in constraint_features(when, S("The missions fly in 2026 and 2028."))


def test_which_city_takes_no_country() -> None:
    q = "In which city did the leaders meet in 2025?"
    assert not _type_fits("place", {"ENT:GPE"}, "United States", q, "city")
    assert _type_fits("place", {"ENT:GPE"}, "Lima", q, "city")
    assert _type_fits("place", {"ENT:GPE"}, "United States", "In which country did they meet?", "country")


def test_aliases_of_an_entity_named_everywhere_are_not_searched(seeds_db: Path) -> None:
    retriever = Retriever(open_store(seeds_db))
    assert not retriever.rare("ASEAN") and not retriever.rare("Korea")  # in most paragraphs of the seeds
    assert retriever.rare("Brunei") and retriever.rare("Republic of Brunei")


@pytest.mark.parametrize("texts, winner", [(["$50 million", "$250 million", "$50 million"], "$50 million")])
def test_the_answer_the_evidence_agrees_on(texts: list[str], winner: str) -> None:
    class C:
        def __init__(self, text: str) -> None:
            self.text, self.sentence = text, object()

    class Sc:
        def __init__(self, text: str, p: float) -> None:
            self.candidate, self.probability = C(text), p

    scored = [Sc(t, p) for t, p in zip(texts, (0.2, 0.3, 0.15))]
    agree = _agreement(scored)  # type: ignore[arg-type]
    assert scored[max(range(len(scored)), key=agree.__getitem__)].candidate.text == winner
