"""Near misses read from the answer's whole document (``query.elsewhen``), the months a "how many
months" question counts, a name inside a longer name, and a state the question gives as its venue.

Each check alone on sentences of real White House documents; end to end in ``test_ask_nearmiss``."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from communique.query.candidates import Parser
from communique.query.answer import NumberFit
from communique.query.elsewhen import LATE_DAYS, _time_outside, _times, elsewhen
from communique.query.stored import _in_longer_name
from tests.conftest import WH

# from the readout of 2023-12-13 on Mike Pyle's visit to Buenos Aires
PYLE = ("Deputy National Security Advisor for International Economics Mike Pyle visited Buenos Aires and met with "
        "senior members of President Milei of Argentina’s administration, including Chief of Cabinet Nicolas Posse, "
        "Economy Minister Luis Caputo, and Central Bank President Santiago Bausili.")


def _sentence(text: str, date: str, title: str = "") -> SimpleNamespace:
    return SimpleNamespace(text=text, title=title, date=date, document="d", start=0, end=len(text))


def test_the_times_a_question_dates_its_event_in() -> None:
    (first, last), = _times("Which minister did Mike Pyle meet during his December 2023 visit to Buenos Aires?")
    assert (str(first), str(last)) == ("2023-12-01", "2023-12-31")
    assert _times("Which minister did Pyle meet in Buenos Aires in 2023?")[0][1].isoformat() == "2023-12-31"
    assert _times("Which minister did Pyle meet in Buenos Aires?") == []


def test_a_document_written_long_after_or_before_the_time_asked() -> None:
    s = _sentence(PYLE, "2023-12-13")
    assert not _time_outside("Whom did Mike Pyle meet during his December 2023 visit to Buenos Aires?", s)
    assert not _time_outside("Whom did Mike Pyle meet in Buenos Aires in October 2023?", s)  # within LATE_DAYS
    assert LATE_DAYS < 365
    assert _time_outside("Whom did Mike Pyle meet during his March 2022 visit to Buenos Aires?", s)
    assert _time_outside("Whom did Mike Pyle meet in Buenos Aires in 2025?", s)  # written before it
    # a document that announces the event ahead of it is no miss; one that dates it inside the time is none either
    ahead = _sentence("Mike Pyle will travel to Buenos Aires next month to meet Economy Minister Luis Caputo.", "2023-11-20")
    assert not _time_outside("Whom did Mike Pyle meet in Buenos Aires in December 2023?", ahead)
    recalled = _sentence("In December 2023, Mike Pyle met Economy Minister Luis Caputo in Buenos Aires.", "2024-06-01")
    assert not _time_outside("Whom did Mike Pyle meet in Buenos Aires in December 2023?", recalled)
    # a date answer is read by its value (nearmiss.date_outside), a document without a date not at all
    c = SimpleNamespace(sentence=s, text="Santiago Bausili")
    assert elsewhen("On what date did Pyle meet Bausili in March 2022?", "date", c, None)["time_outside"] == 0.0
    undated = SimpleNamespace(sentence=_sentence(PYLE, ""), text="Santiago Bausili")
    assert elsewhen("Whom did Pyle meet in March 2022?", "person", undated, None)["time_outside"] == 0.0


def test_a_person_the_question_names_in_full_whom_the_document_never_names() -> None:
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    path = next(WH.rglob("2023-12-13-readout-of-senior-administration-official-travel-to-argentina.md"))
    document = path.read_text(encoding="utf-8")
    c = SimpleNamespace(sentence=_sentence(PYLE, "2023-12-13"), text="Buenos Aires")
    parse = Parser().parse_one
    miss = elsewhen("Where did Mike Pyle meet Argentina's Foreign Minister Diana Mondino?", "place", c, document, parse)
    assert miss["person_miss"] == 1.0
    named = elsewhen("Where did Mike Pyle meet Central Bank President Santiago Bausili?", "place", c, document, parse)
    assert named["person_miss"] == 0.0
    # a letter misspelt is the same person; a surname alone is not a full name
    assert elsewhen("Where did Mike Pyle meet Santiago Bausilli?", "place", c, document, parse)["person_miss"] == 0.0
    assert elsewhen("Where did Pyle meet Mondino?", "place", c, document, parse)["person_miss"] == 0.0
    # a given name the document holds makes it a misspelt surname, not another person
    assert elsewhen("Where did Mike Pyle meet Santiago Bausoli?", "place", c, document, parse)["person_miss"] == 0.0
    # without the document's text, nothing is read
    assert elsewhen("Where did Mike Pyle meet Diana Mondino?", "place", c, None, parse)["person_miss"] == 0.0


def _scored(sentence: str, span: str) -> SimpleNamespace:
    s = SimpleNamespace(text=sentence, date="2024-10-24")
    start = sentence.index(span)
    return SimpleNamespace(candidate=SimpleNamespace(sentence=s, start=start, end=start + len(span), text=span, fact=None))


def test_how_many_months_needs_a_number_of_months() -> None:
    fit = NumberFit("For how many months was he detained before his release?", "count")
    counted = _scored("He was released after eight months in detention.", "eight")
    other = _scored("He thanked his two colleagues after his release.", "two")
    assert fit.keep([counted, other]) == [counted]
    assert fit.keep([other]) == []  # no sentence counts the months: no answer
    assert NumberFit("How many colleagues did he thank?", "count").keep([other]) == [other]


def test_a_name_inside_a_longer_name() -> None:
    q = "In which city is the new European Union Drugs Agency headquartered?"
    start = q.index("European Union")
    assert _in_longer_name(q, start, start + len("European Union"))
    q2 = "In which city is the European Union headquartered?"
    start = q2.index("European Union")
    assert not _in_longer_name(q2, start, start + len("European Union"))
    q3 = "Where did the European Union On Tuesday meet?"  # a clause's next word is no part of the name
    assert not _in_longer_name(q3, q3.index("European"), q3.index(" On"))


def test_a_place_inside_a_persons_name_names_no_city() -> None:
    from communique.query.ask import _known_place

    assert _known_place("the city of Buenos Aires") and _known_place("NATO’s 2026 Ankara Summit")
    assert not _known_place("Central Bank President Santiago Bausili")
    assert _known_place("Santiago")


def test_a_state_the_question_gives_as_its_venue_is_read_in_the_document() -> None:
    from communique.query.question import analyse
    from communique.query.today import document_names

    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    path = next(WH.rglob("2023-06-08-fact-sheet-vice-president-harris-announces-new-initiatives-to-strengthen-u-s-caribbean-partnership.md"))
    document = path.read_text(encoding="utf-8")
    text = "Today’s announcements include more than $100 million in new assistance for the region."
    s = SimpleNamespace(text=text, title="FACT SHEET: Vice President Harris Announces New Initiatives", date="2023-06-08",
                        document=str(path), start=0, end=len(text))
    span = SimpleNamespace(sentence=s, text="more than $100 million", labels={"MONEY"})
    features = {"k_names_miss": 1.0}
    # the document names The Bahamas four times: the state where the meeting was held
    venue = analyse("How much assistance did Harris announce at the leaders meeting in The Bahamas in June 2023?")
    assert document_names(venue, span, features, lambda _: document)
    # a state the question makes a party, not the venue, must be in the sentence or its title
    party = analyse("How much assistance did Harris announce for The Bahamas in June 2023?")
    assert not document_names(party, span, features, lambda _: document)


def test_a_state_is_no_city_whatever_word_leads_it() -> None:
    from communique.query.mismatch import _place_kind_miss

    q = "In which Saudi city were the water plants hit by the attacks?"
    # every UN member state is a state of the gazetteer (Yemen, Niger, Mali ... were once missing)
    for state in ("Yemen", "into Yemen", "Niger", "the Gambia", "Bosnia and Herzegovina", "Côte d'Ivoire"):
        assert _place_kind_miss(q, state, set()), state
    assert not _place_kind_miss(q, "Riyadh", set())


def test_a_region_is_no_person() -> None:
    from communique.query.ask import _only_regions, _type_fits

    assert _only_regions("the Middle East and North Africa") and _only_regions("Southeast Asia")
    assert not _only_regions("Indo-Pacific Coordinator Kurt Campbell") and not _only_regions("Brett McGurk")
    whom = "Whom did the coordinator meet in Erbil?"
    assert not _type_fits("person", {"NP"}, "the Middle East and North Africa", whom)
    assert _type_fits("person", {"NP", "ENT:PERSON"}, "Masrour Barzani", whom)


def test_the_day_a_question_gives_its_act() -> None:
    asked = "How many officials did Mike Pyle meet in Buenos Aires on December 13, 2023?"
    assert (str(_times(asked)[0][0]), str(_times(asked)[0][1])) == ("2023-12-13", "2023-12-13")
    assert not _time_outside(asked, _sentence(PYLE, "2023-12-13"))
    assert _time_outside(asked, _sentence(PYLE, "2023-10-02"))  # written before that day, announcing nothing
    # a day of another act, in a clause of its own, dates nothing of the question's
    assert _times("How many officials did Pyle meet, after the election on November 19, 2023?") == []


def test_an_office_holder_asked_is_a_person() -> None:
    from communique.query.elsewhen import _no_person

    parse = Parser().parse_one
    s = _sentence(PYLE, "2023-12-13")

    def at(span: str) -> SimpleNamespace:
        start = PYLE.index(span)
        return SimpleNamespace(sentence=s, text=span, start=start, end=start + len(span), fact=None)

    asked = "Which Argentine minister did Mike Pyle meet in Buenos Aires?"
    assert _no_person(asked, at("International Economics"), parse)  # a title's words before the question's own Pyle
    assert not _no_person(asked, at("Economy Minister Luis Caputo"), parse)
    assert not _no_person(asked, at("Luis Caputo"), parse)
    assert not _no_person(asked, at("Chief of Cabinet"), parse)  # the name that follows is the answer
    assert not _no_person("What did Mike Pyle discuss in Buenos Aires?", at("International Economics"), parse)


def test_where_a_body_is_is_not_where_something_happened() -> None:
    from communique.query.stored import _ASKS_SEAT

    assert _ASKS_SEAT.match("Where is the ROK Mission to ASEAN?")
    assert _ASKS_SEAT.match("In which city is the fund headquartered?")
    assert not _ASKS_SEAT.match("In which Polish village did the explosion take place?")
    assert not _ASKS_SEAT.match("Where was the G7 Summit held in 2023?")


def test_a_question_about_an_office_is_not_one_for_its_holder() -> None:
    from communique.query.elsewhen import _ASKS_OFFICE

    assert _ASKS_OFFICE.search("Which Japanese cabinet minister did Anne Neuberger meet?")
    assert not _ASKS_OFFICE.search("Who can question statements the First Minister makes?")
    assert not _ASKS_OFFICE.search("The Art Deco style of glassware is represented by which artist?")
    # the office must name what the question asks for, not its subject
    assert not _ASKS_OFFICE.search("Which three countries was Vice President Harris due to visit?")
