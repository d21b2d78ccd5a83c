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
    # "met for the first time" numbers a meeting
    ttc = _sentence("The U.S.-EU Trade and Technology Council (TTC) met for the first time in Pittsburgh on 29 September 2021.")
    t = _candidate(ttc, "29 September 2021")
    assert _check("When did the TTC hold its second ministerial meeting?", "date", t, parse)["ordinal_conflict"] == 1.0
    assert _check("When did the TTC hold its first ministerial meeting?", "date", t, parse)["ordinal_conflict"] == 0.0
    assert _check("When was the second TTC report published?", "date", t, parse)["ordinal_conflict"] == 0.0
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


def test_a_date_of_a_meeting_in_another_city() -> None:
    from communique.query.mismatch import mismatches

    s = _sentence("The United States and China held economic and trade talks in Geneva on May 10 and 11, 2025.",
                  "Joint Statement on U.S.-China Economic and Trade Meeting in Geneva")
    c = _candidate(s, "May 10 and 11, 2025")
    assert mismatches("On what date did the U.S. and China hold trade talks in Madrid?", "date", c, {})["venue_miss"] == 1.0
    assert mismatches("On what date did the U.S. and China hold trade talks in Geneva?", "date", c, {})["venue_miss"] == 0.0
    # a city the question names but does not place its event in, and a question for a person
    assert mismatches("On what date did the envoy of Madrid's mayor meet the U.S.?", "date", c, {})["venue_miss"] == 0.0
    assert mismatches("Who held trade talks in Madrid?", "person", c, {})["venue_miss"] == 0.0


def test_another_phase_of_the_event(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("Today, as the President said, we are launching negotiations between the UK and the U.S. on a "
                  "critical minerals agreement.", date="2023-06-08")
    c = _candidate(s, "Today")
    minerals = "negotiations on a critical minerals agreement?"
    assert _check(f"On what date did the UK and the U.S. conclude {minerals}", "date", c, parse)["phase_miss"] == 1.0
    assert _check(f"On what date did the UK and the U.S. launch {minerals}", "date", c, parse)["phase_miss"] == 0.0
    assert _check(f"On what date did the UK and the U.S. sign {minerals}", "date", c, parse)["phase_miss"] == 1.0
    # "the end of TGIF" is the show's end; "the end of the year" is a time
    tgif = _sentence('2000 saw the end of "TGIF", which was struggling, beginning to wane as well.')
    assert _check("What year did TGIF end?", "date", _candidate(tgif, "2000"), parse)["phase_miss"] == 0.0
    year = _sentence("Today we launched the talks, to be done by the end of the year.")
    assert _check("When did the talks end?", "date", _candidate(year, "Today"), parse)["phase_miss"] == 1.0


def test_the_ranker_demotes_a_sentence_of_another_part_of_the_occasion() -> None:
    from communique.query.constraints import constraint_features
    from communique.query.question import analyse

    title = "Presidential Delegations to Paris to Attend the Opening and Closing Ceremonies of the Olympic Games"
    opening = _sentence("First Lady Jill Biden will lead the delegation to the Opening of the Olympic Games.", title)
    closing = _sentence("Second Gentleman Douglas Emhoff will lead the delegation to the Closing of the Olympic Games.", title)
    q = analyse("Who led the U.S. delegation to the closing ceremony of the Paris 2024 Olympic Games?")
    assert constraint_features(q, opening).get("k_part_miss") == 1.0
    assert not constraint_features(q, closing).get("k_part_miss")
    assert not constraint_features(analyse("Who led the U.S. delegation to the Paris Olympic Games?"), opening).get("k_part_miss")


def test_a_hyphenated_name_is_numbered_by_its_parts(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("Building on the successful inaugural U.S.-Republic of Cyprus Strategic Dialogue, launched on "
                  "October 23, the leaders will discuss a range of global issues, including energy security.")
    c = _candidate(s, "October 23")
    assert _check("On what date was the second U.S.-Republic of Cyprus Strategic Dialogue held?", "date", c,
                  parse)["ordinal_conflict"] == 1.0
    assert _check("On what date was the inaugural U.S.-Republic of Cyprus Strategic Dialogue held?", "date", c,
                  parse)["ordinal_conflict"] == 0.0


def test_a_figure_stated_for_another_year(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("Ireland’s foreign direct investment in the United States was approximately $343.5 billion in 2019 "
                  "and supported 336,400 U.S.-based jobs.", date="2021-03-17")
    c = _candidate(s, "$343.5 billion")
    asked = "What was Ireland's foreign direct investment in the United States in {}?"
    assert _check(asked.format(2022), "money", c, parse)["year_conflict"] == 1.0
    assert _check(asked.format(2022), "entity", c, parse)["year_conflict"] == 1.0  # a figure, whatever the type
    assert _check(asked.format(2019), "money", c, parse)["year_conflict"] == 0.0
    # a month dates the question's event, not its figure; no year asked: no conflict
    assert _check("How much did Ireland invest in the United States, as noted in March 2021?", "money", c,
                  parse)["year_conflict"] == 0.0
    assert _check("What was Ireland's foreign direct investment in the United States?", "money", c,
                  parse)["year_conflict"] == 0.0
    # a sentence that names the year asked beside another
    both = _sentence("Trade reached $102 billion in 2023, up from $95 billion in 2022.")
    assert _check("What was the value of trade in 2022?", "money", _candidate(both, "$95 billion"),
                  parse)["year_conflict"] == 0.0


def test_a_name_numbered_otherwise(parse) -> None:  # type: ignore[no-untyped-def]
    s = _sentence("The Honorable William Jefferson Clinton, 42nd President of the United States of America, will "
                  "lead the delegation.", "President Biden Announces Presidential Delegation to the Republic of Rwanda "
                  "on the Occasion of Kwibuka 30", "2024-04-03")
    c = _candidate(s, "William Jefferson Clinton")
    asked = "Who led the U.S. presidential delegation to Kwibuka {}, Rwanda's commemoration of the genocide?"
    assert _check(asked.format(31), "person", c, parse)["name_number_conflict"] == 1.0  # numbered in the title
    assert _check(asked.format(30), "person", c, parse)["name_number_conflict"] == 0.0
    # a day of a month, a year and an amount number no name
    assert _check("Who led the delegation on April 25 to Kwibuka?", "person", c, parse)["name_number_conflict"] == 0.0
    cop = _sentence("At COP28 in Dubai, the Vice President announced a $3 billion pledge.")
    p = _candidate(cop, "$3 billion")
    assert _check("How much did the Vice President pledge at COP29?", "money", p, parse)["name_number_conflict"] == 1.0
    assert _check("How much did the Vice President pledge at COP 28?", "money", p, parse)["name_number_conflict"] == 0.0
