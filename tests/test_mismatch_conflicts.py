"""Conflict evidence (``query.conflicts``): the answer's sentence numbers the question's thing
otherwise, names another part of its occasion, or states a figure for another period. Sentences are
those of real White House documents (the documents of ``tests/questions/near_miss.jsonl``)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from communique.query.conflicts import CONFLICTS, conflicts
from communique.query.mismatch import _numbered


def _sentence(text: str, title: str = "", date: str = "2024-06-14") -> SimpleNamespace:
    return SimpleNamespace(text=text, title=title, date=date)


def _candidate(sentence: SimpleNamespace, span: str) -> SimpleNamespace:
    start = sentence.text.index(span)
    return SimpleNamespace(sentence=sentence, start=start, end=start + len(span), text=span, labels=set())


@pytest.fixture(scope="module")
def parse():  # type: ignore[no-untyped-def]
    from communique.query.candidates import Parser

    return Parser().parse_one


def _check(question: str, kind: str, c: SimpleNamespace, parse, features: dict | None = None) -> dict[str, float]:  # type: ignore[no-untyped-def]
    return conflicts(question, kind, c, features or {}, parse, _numbered(question, parse))


def test_a_sentence_that_numbers_the_thing_otherwise(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("Today, President Biden hosted the inaugural Americas Partnership for Economic Prosperity "
                  "Leaders’ Summit to establish a new economic partnership.",
                  "FACT SHEET: President Biden Hosts Inaugural Americas Partnership for Economic Prosperity Leaders’ Summit")
    c = _candidate(s, "Today")
    second = "On what date did President Biden host the second Americas Partnership for Economic Prosperity Leaders' Summit?"
    first = "On what date did President Biden host the inaugural Americas Partnership for Economic Prosperity Leaders' Summit?"
    assert _check(second, "date", c, parse)["ordinal_conflict"] == 1.0
    assert _check(first, "date", c, parse)["ordinal_conflict"] == 0.0
    assert _check(first.replace("inaugural", "first"), "date", c, parse)["ordinal_conflict"] == 0.0
    # a question numbering nothing, and an ordinal of a noun the question does not name ("First Lady")
    assert _check("On what date did President Biden host the summit?", "date", c, parse)["ordinal_conflict"] == 0.0
    lady = _sentence("First Lady Jill Biden will lead the delegation to the second Summit.")
    assert _check("Who led the delegation to the second Summit?", "person",
                  _candidate(lady, "Jill Biden"), parse)["ordinal_conflict"] == 0.0
    # the ranker's own conflict for a numbered meeting of a mechanism, unless its date says which one
    assert _check(second, "date", c, parse, {"k_ord_conflict": 1.0})["ordinal_conflict"] == 1.0
    assert _check(second, "date", c, parse, {"k_ord_conflict": 1.0, "k_ord_dated": 1.0})["ordinal_conflict"] == 0.0


def test_another_part_of_the_occasion(parse) -> None:  # type: ignore[no-untyped-def]
    title = ("President Biden Announces Presidential Delegation to Japan to Attend the Opening Ceremony of the "
             "Tokyo 2020 Summer Paralympic Games")
    s = _sentence("Mr. Douglas Emhoff, Second Gentleman of the United States, will lead the delegation.", title)
    c = _candidate(s, "Douglas Emhoff")
    closing = "Who led the U.S. delegation to the closing ceremony of the Tokyo 2020 Paralympic Games?"
    assert _check(closing, "person", c, parse)["ceremony_miss"] == 1.0
    assert _check(closing.replace("closing", "opening"), "person", c, parse)["ceremony_miss"] == 0.0
    assert _check("Who led the U.S. delegation to the Tokyo 2020 Paralympic Games?", "person", c, parse)["ceremony_miss"] == 0.0
    # a title naming both parts: the sentence decides
    both = "Full Presidential Delegations to Paris to Attend the Opening and Closing Ceremonies of the Paralympic Games"
    t = _sentence("The Honorable Tammy Duckworth, United States Senator, will lead the delegation to the Opening "
                  "of the Paralympic Games.", both)
    d = _candidate(t, "Tammy Duckworth")
    assert _check("Who led the delegation to the closing ceremony of the Paris Paralympics?", "person", d, parse)["ceremony_miss"] == 1.0
    assert _check("Who led the delegation to the opening ceremony of the Paris Paralympics?", "person", d, parse)["ceremony_miss"] == 0.0


def test_a_figure_of_a_running_period_for_another_time(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("To date, the United States has mobilized more than $60 billion towards PGI investments.",
                  date="2024-06-14")
    c = _candidate(s, "$60 billion")
    pgi = "How much had the United States mobilized toward PGI"
    assert _check(f"{pgi} by the end of 2025?", "money", c, parse)["period_miss"] == 1.0
    assert _check(f"{pgi} by June 2024?", "money", c, parse)["period_miss"] == 0.0
    assert _check(f"{pgi}?", "money", c, parse)["period_miss"] == 0.0
    assert _check(f"{pgi} in 2021?", "money", c, parse)["period_miss"] == 1.0
    march = _sentence("As of March, the program had disbursed $450 million.", date="2025-04-02")
    assert _check("How much had the program disbursed at the end of 2025?", "money",
                  _candidate(march, "$450 million"), parse)["period_miss"] == 1.0
    assert _check("How much had the program disbursed by April 2025?", "money",
                  _candidate(march, "$450 million"), parse)["period_miss"] == 0.0
    since = _sentence("Since 2022, the Millennium Challenge Corporation (MCC) has invested almost $2.4 billion.",
                      date="2024-12-14")
    m = _candidate(since, "$2.4 billion")
    assert _check("How much did the MCC invest in 2022?", "money", m, parse)["period_miss"] == 1.0
    assert _check("How much has the MCC invested since 2022?", "money", m, parse)["period_miss"] == 0.0
    assert _check("How much has the MCC invested since 2019?", "money", m, parse)["period_miss"] == 1.0
    # a figure stated for its year is none of a running period; the check is for figures only
    plain = _sentence("In 2022, the United States provided $2.4 billion.", date="2024-12-14")
    assert _check("How much did the U.S. provide in 2022?", "money", _candidate(plain, "$2.4 billion"), parse)["period_miss"] == 0.0
    assert _check("Who invested in 2022?", "person", _candidate(since, "Millennium Challenge Corporation"),
                  parse) == {n: 0.0 for n in CONFLICTS}
