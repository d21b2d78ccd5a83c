"""What a "who" or "where" question demands beyond its wh-word (query/typefit.py, ask._type_fits), on
sentences of real wh documents: a question naming a role only a person holds takes no state or body; a
question asking for a building takes no state or city; "where" takes no government. Questions that say
no more keep what SQuAD answers them with (a body for "who", an institution for "where")."""

from __future__ import annotations

import pytest

from communique.query.ask import _type_fits
from communique.query.candidates import Parser, candidates
from communique.query.matching import stem
from communique.query.question import reader_type
from communique.query.typefit import demands_building, demands_person, names_body
from tests.test_ask_constraints import WH, _sentence, needs_wh


def _kept(path: str, needle: str, question: str) -> tuple[set[str], set[str]]:
    """The candidate spans of the real sentence holding ``needle``, and those the question's type keeps."""
    s = _sentence(WH / path, needle)
    kind, _, head = reader_type(question)
    cands = candidates([s], Parser().parse([s.text]))
    kept = {c.text for c in cands if _type_fits(kind, c.labels, c.text, question, stem(head) if head else None)}
    return {c.text for c in cands}, kept


@needs_wh
def test_a_question_naming_a_role_only_a_person_holds_takes_no_body() -> None:
    """"Who led the delegation": Ms. Ebong, not the agency she directs; "who funded it" may be a body."""
    path = ("statements-releases/2021-08/2021-08-21-president-biden-announces-presidential-delegation-to-the-"
            "republic-of-zambia-to-attend-the-inauguration-of-his-excellency-hakainde-hichilema.md")
    q = "Who led the Presidential Delegation to Hakainde Hichilema's inauguration in Zambia?"
    assert demands_person(q)
    every, kept = _kept(path, "will lead the delegation", q)
    bodies = {t for t in every if t.endswith("Agency") and names_body(t)}  # not "Acting Director of ..."
    assert bodies and not bodies & kept, (bodies, kept)
    assert any("Ebong" in t for t in kept), kept
    plain = "Who funds the programme?"
    assert not demands_person(plain)
    assert all(_type_fits("person", {"ENT:ORG"}, t, plain) for t in bodies)


def test_person_roles_state_or_body_and_what_stays() -> None:
    q = "Which official represented the United States at the ceremony?"
    assert demands_person(q, stem("official"))
    assert not _type_fits("person", {"ENT:PERSON"}, "Tunisia", q, stem("official"))  # a state, mislabelled
    assert not _type_fits("person", {"ENT:ORG"}, "the White House", q, stem("official"))
    assert not _type_fits("person", {"NP"}, "United States Department", q, stem("official"))
    assert _type_fits("person", {"ENT:PERSON"}, "Secretary of State Antony J. Blinken", q, stem("official"))
    assert _type_fits("person", {"ENT:PERSON"}, "House Speaker Mike Johnson", q, stem("official"))
    assert _type_fits("person", {"ENT:ORG"}, "the Parliament", "Who passed the law?")  # SQuAD: a body may be who
    assert _type_fits("person", {"NP"}, "the Normans", "Who ruled the duchy?")
    assert names_body("the Government of Canada") and not names_body("the government")  # a name, capitalised


@needs_wh
def test_where_takes_no_government_and_a_building_no_state_or_city() -> None:
    """"Where was the meeting held": Ottawa, not "the Government of Canada" that hosted it."""
    q = "Where was the Ninth Meeting of the North American Drug Dialogue held?"
    every, kept = _kept("articles/2026-02/2026-02-02-ninth-meeting-of-the-north-american-drug-dialogue.md",
                        "the Government of Canada hosted", q)
    governments = {t for t in every if "Government" in t and names_body(t, "place")}
    assert governments and not governments & kept, (governments, kept)
    assert "Ottawa" in kept, kept
    # "in which building": the Élysée Palace, not France or Paris of the same sentence
    q = "In which building did Vice President Harris meet President Macron in November 2021?"
    assert demands_building(stem(reader_type(q)[2]))
    path = ("statements-releases/2021-11/2021-11-10-statement-by-senior-advisor-and-chief-spokesperson-symone-"
            "sanders-on-vice-president-kamala-harriss-meeting-with-president-emmanuel-macron-of-france.md")
    every, kept = _kept(path, "at the Élysée Palace in Paris today", q)
    assert any("Élysée Palace" in t for t in kept), kept
    assert not {"France", "Paris", "the United States"} & kept, kept
    # "where" alone keeps a city, a state and an institution (SQuAD: "at the University of Chicago")
    assert _type_fits("place", {"ENT:GPE"}, "France", "Where did they meet?")
    assert _type_fits("place", {"ENT:ORG"}, "the University of Chicago", "Where is the school located?")
    assert _type_fits("place", {"ENT:FAC"}, "the White House", "In which building did they meet?", stem("building"))


def test_the_last_noun_of_the_wh_phrase_says_the_type() -> None:
    """"Which acting State Department official": the phrase's head is "official" (a person), not the
    "State" of the department's name; a noun past the phrase's verb heads nothing of it."""
    official = ("Which acting State Department official for Near Eastern affairs accompanied Jon Finer to Tunis "
                "in August 2021 for his meeting with President Kais Saied?")
    assert reader_type(official)[0] == "person"
    assert reader_type("Which former U.S. Secretary of State did Petr Fiala cite as a native of Prague?")[0] == "person"
    assert reader_type("Which West African regional organization was President Tinubu chairing?")[0] == "organisation"
    assert reader_type("What country's president visited the White House in May?")[0] == "person"
    # a noun past a verb is of another phrase; a numbered list stays a list
    assert reader_type("Which state hosted the president's state visit?")[0] == "place"
    assert reader_type("What program did the Secretary of State launch in Ghana?")[0] == "named"
    assert reader_type("Which four senior U.S. officials discussed the new security framework?")[0] == "list"
    assert reader_type("What year did the president sign the treaty?")[0] == "date"
    assert reader_type("Which city hosted the summit?")[0] == "place"
