"""Names as answers, on sentences of real White House documents: a list with as many items as the
question says, a person who is named and not only titled, a named thing's whole proper name, the
name an acronym stands for, the most specific place, and the document's date as retrieval context
(``communique.query.lists``, ``communique.query.names``, ``communique.query.retrieve``)."""

from __future__ import annotations

from communique.query.ask import _type_fits
from communique.query.candidates import Parser, candidates
from communique.query.matching import stem
from communique.query.lists import list_items, stated_count, whole_list
from communique.query.names import (acronym_name, holds_title, name_with_number, quoted_whole, specific_place, title_only,
                                    whole_name)
from communique.query.question import analyse, reader_type
from communique.query.reader import Scored
from communique.query.retrieve import Sentence, date_words
from tests.test_ask_constraints import WH, _sentence, needs_wh

C5 = WH / "statements-releases/2023-09/2023-09-19-readout-of-president-bidens-meeting-with-the-c51-leaders-at-unga.md"
MEXICO = WH / "statements-releases/2021-10/2021-10-08-fact-sheet-u-s-mexico-high-level-security-dialogue.md"
LOS_ANGELES = WH / ("statements-releases/2022-06/2022-06-10-fact-sheet-the-los-angeles-declaration-on-migration-and-"
                    "protection-u-s-government-and-foreign-partner-deliverables.md")
ICE = WH / ("statements-releases/2024-07/2024-07-11-biden-harris-administration-announces-new-polar-partnership-"
            "ice-pact-alongside-finland-and-canada.md")
WOODSIDE = WH / "press-briefings/2024-01/2024-01-28-background-press-call-on-the-counternarcotics-working-group-trip-to-beijing.md"
QUAD = WH / "statements-releases/2023-05/2023-05-20-quad-leaders-joint-statement.md"
EMS = WH / "presidential-actions/2022-05/2022-05-13-a-proclamation-on-emergency-medical-services-week-2022.md"
AUSCHWITZ = WH / ("briefings-statements/2025-01/2025-01-24-president-trump-announces-presidential-delegation-to-attend-"
                  "the-commemoration-of-the-80th-anniversary-of-the-liberation-of-auschwitz-birkenau-in-oswiecim-poland.md")


def _scored(sentences: list[Sentence], best_text: str | None = None) -> tuple[list[Scored], Scored | None]:
    """Every candidate of the sentences, of equal probability, and the one whose text is ``best_text``."""
    docs = Parser().parse([s.text for s in sentences])
    cands = candidates(sentences, docs)
    p = 1.0 / len(cands)
    scored = [Scored(c, p, p, 0.0) for c in cands]
    best = next((s for s in scored if s.candidate.text == best_text), None)
    return scored, best


def test_the_count_a_question_states() -> None:
    assert stated_count("Which five countries' presidents joined Biden for the first C5+1 summit?") == 5
    assert stated_count("Which two U.S. officials were named as representatives?") == 2
    assert stated_count("What two-thirds majority is needed?") is None
    assert stated_count("Which three of the leaders spoke?") is None  # a part, not the items
    assert stated_count("Who led the delegation?") is None
    assert reader_type("Which four senior U.S. officials discussed the framework?")[0] == "list"
    assert [("A, B, and C")[a:b] for a, b in list_items("A, B, and C")] == ["A", "B", "C"]


@needs_wh
def test_a_list_of_as_many_names_as_the_question_asks_for() -> None:
    s = _sentence(C5, "met with the Presidents of Kazakhstan")
    scored, best = _scored([s], "1")  # the "1" of "C5+1": no list at all
    assert best is not None
    chosen, confidence = whole_list(best, scored, "Which five countries' presidents joined Biden at the C5+1 summit?")
    for country in ("Kazakhstan", "Kyrgyz Republic", "Tajikistan", "Turkmenistan", "Uzbekistan"):
        assert country in chosen.candidate.text
    assert "LIST" in chosen.candidate.labels and confidence >= chosen.support
    # without a stated count, a span that is in no list stays the answer
    assert whole_list(best, scored, "Which countries' presidents joined Biden?")[0] is best


@needs_wh
def test_the_last_item_of_a_list_the_parse_left_out() -> None:
    s = _sentence(MEXICO, "Attorney General Merrick Garland")
    scored, _ = _scored([s])
    lists = [x.candidate.text for x in scored if "LIST" in x.candidate.labels]
    assert any(t.startswith("Secretary of State Antony Blinken") and t.endswith("Wally Adeyemo") for t in lists)


@needs_wh
def test_joint_doers_without_a_parsed_list() -> None:
    s = _sentence(AUSCHWITZ, "will lead the delegation")
    scored, best = _scored([s], "Steve Witkoff")
    assert best is not None
    chosen, _ = whole_list(best, scored, "Who jointly led the U.S. delegation?")
    assert "Steve Witkoff" in chosen.candidate.text and "Howard Lutnick" in chosen.candidate.text


def test_a_title_is_no_person() -> None:
    assert title_only("National Security Advisor") and title_only("the Vice President")
    assert not title_only("Israeli National Security Advisor Dr. Eyal Hulata") and not title_only("Katherine Tai")
    q = "Who was Jake Sullivan's Israeli counterpart?"
    assert not _type_fits("person", {"ENT:ORG"}, "National Security Advisor", q)
    assert _type_fits("person", {"ENT:PERSON"}, "Eyal Hulata", q)
    assert not _type_fits("person", {"NP"}, "Washington", q)  # a place, unless the parser names a person
    # "Who is Yoon Suk Yeol?" asks what a named person is: a title answers it
    assert _type_fits("person", {"ENT:ORG"}, "President of the Republic of Korea", "Who is Yoon Suk Yeol?")
    assert not _type_fits("named", {"NP"}, "Vice President", "What initiative did Harris launch?", "initiative")
    assert _type_fits("named", {"NP"}, "Vice President", "What title does Harris hold?", "title")
    # the words kept before a name hold a title or an honorific
    assert holds_title("Energy Secretary ") and holds_title("The Honorable ") and holds_title("Secretary of State Antony ")
    assert not holds_title("Policy ") and not holds_title("The ")


def test_an_acronym_with_a_number_is_a_name_not_a_date() -> None:
    assert name_with_number("PACC 2030") and name_with_number("COP 27")
    assert not name_with_number("FY 2024") and not name_with_number("June 2030")
    assert _type_fits("named", {"ENT:DATE", "IN_NAME"}, "PACC 2030", "What initiative did Harris launch?", "initiative")
    assert not _type_fits("named", {"ENT:DATE"}, "June 2030", "What initiative did Harris launch?", "initiative")


@needs_wh
def test_a_named_thing_is_its_whole_name_with_the_noun_asked_for() -> None:
    s = _sentence(LOS_ANGELES, "to present the Los Angeles Declaration")
    scored, best = _scored([s], "Migration and Protection")
    assert best is not None
    head = reader_type("What migration declaration did leaders present?")[2]
    assert head == "declaration"
    assert whole_name(best, scored, stem(head)).candidate.text == \
        "Los Angeles Declaration on Migration and Protection"
    assert whole_name(best, scored, None) is best


@needs_wh
def test_the_name_an_acronym_stands_for() -> None:
    s = _sentence(ICE, "Icebreaker Collaboration Effort")
    scored, _ = _scored([s])
    chosen = acronym_name("What does the acronym of the icebreaker arrangement stand for?", scored)
    assert chosen is not None and chosen.candidate.text.removeprefix("the ") == "Icebreaker Collaboration Effort"
    assert acronym_name("What arrangement did they announce?", scored) is None


@needs_wh
def test_where_is_the_most_specific_place() -> None:
    s = _sentence(WOODSIDE, "at Woodside, California")
    scored, best = _scored([s], "California")
    assert best is not None
    assert specific_place(best, scored).candidate.text == "Woodside, California"


def test_the_documents_date_is_context_and_a_place_noun_no_search_word() -> None:
    assert date_words("2021-06-12") == "2021 june" and date_words("2021") == "2021" and date_words(None) == ""
    assert "building" not in analyse("In which building did Biden and Macron hold talks in Paris?").words
    assert "alliance" in analyse("Which international alliance did Biden join?").words


def test_a_month_closes_a_name_the_question_quotes() -> None:
    q = analyse("Who headed the U.S. delegation to Lula da Silva's presidential inauguration in Brasília on January 1, 2023?")
    assert not any("January" in p for p in q.phrases)
    q = analyse("Who jointly led the U.S. delegation to the liberation of Auschwitz-Birkenau in January 2025?")
    assert q.phrases == ["Auschwitz-Birkenau"]
    q = analyse("What migration declaration did leaders present at the June 2022 Summit of the Americas in Los Angeles?")
    assert "Summit of the Americas in Los Angeles" in q.phrases


BRAZIL = WH / ("statements-releases/2022-12/2022-12-22-president-biden-announces-presidential-delegation-to-the-federative-"
               "republic-of-brazil-to-attend-the-presidential-inauguration-of-his-excellency-luiz-inacio-lula-da-silva.md")


@needs_wh
def test_who_headed_is_who_leads_not_who_announced() -> None:
    from communique.query.constraints import constraint_features, relation_features, relation_stems
    from communique.query.names import relation_doer

    q = analyse("Who headed the U.S. delegation to Lula da Silva's presidential inauguration?")
    announced = _sentence(BRAZIL, "today announced the designation")
    leads = _sentence(BRAZIL, "will lead the delegation")
    docs = Parser().parse([announced.text, leads.text])
    cands = candidates([announced, leads], docs)
    relations = relation_stems(q)
    scored = []
    for c in cands:
        doc = docs[0] if c.sentence is announced else docs[1]
        f = {**constraint_features(q, c.sentence), **relation_features(relations, "person", doc, c.head)}
        scored.append(Scored(c, 0.9 if c.text == "Joseph R. Biden" else 0.01, 0.0, 0.0, f))
    best = next(s for s in scored if s.candidate.text == "Joseph R. Biden")
    assert best.features.get("k_rel_miss")
    assert "Deb Haaland" in relation_doer("person", best, scored).candidate.text
    assert relation_doer("date", best, scored) is best  # a date asks for no doer


ARGENTINA = WH / ("briefings-statements/2025-11/2025-11-13-joint-statement-on-framework-for-a-united-states-argentina-"
                  "agreement-on-reciprocal-trade-and-investment.md")


def test_a_proper_name_keeps_the_little_words_inside_it() -> None:
    from communique.query.names import name_runs

    text = "He also built on that leadership by joining the Global Alliance Against Hunger and Poverty."
    assert [text[a:b].rstrip(".") for a, b in name_runs(text)] == ["Global Alliance Against Hunger and Poverty"]
    text = "The Honorable Deb Haaland, Secretary of the U.S. Department of the Interior, will lead the delegation."
    assert "U.S. Department of the Interior" in [text[a:b] for a, b in name_runs(text)]
    # a name ends where a word joins it to another: "... Protection at the Summit of the Americas"
    text = "Leaders present the Los Angeles Declaration on Migration and Protection at the Summit of the Americas."
    runs = [text[a:b].rstrip(".") for a, b in name_runs(text)]
    assert "Los Angeles Declaration on Migration and Protection" in runs
    assert not any(" at " in r for r in runs)
    assert name_runs("President Biden met Prime Minister Trudeau.") == []  # capitals alone: the parser's
    # a full stop or a date ends a name: "Leader Schumer. That ...", "Pittsburgh on 29 September"
    text = "We thank Speaker Pelosi and Leader Schumer.  That is the Act of Congress."
    assert not any("That" in text[a:b] for a, b in name_runs(text))
    assert name_runs("The leaders met in Pittsburgh on 29 September 2021 with them.") == []


@needs_wh
def test_a_name_run_is_a_candidate_and_the_whole_name_holds_the_noun_asked_for() -> None:
    s = _sentence(ARGENTINA, "Joint Statement on Framework")
    scored, best = _scored([s], "Joint Statement")
    assert best is not None
    names = [x.candidate.text for x in scored if "NAME" in x.candidate.labels]
    assert "United States-Argentina Agreement on Reciprocal Trade and Investment" in names
    chosen = whole_name(best, scored, stem("framework"))
    assert "Framework for a United States-Argentina Agreement on Reciprocal Trade and Investment" in chosen.candidate.text


CARIBBEAN_ACTIONS = WH / ("statements-releases/2022-09/2022-09-15-fact-sheet-u-s-actions-to-promote-caribbean-energy-"
                          "security-access-to-finance-and-food-security.md")


@needs_wh
def test_a_name_the_sentence_calls_by_the_noun_asked_for() -> None:
    from communique.query.names import called_head

    s = _sentence(CARIBBEAN_ACTIONS, "an initiative that Vice President Harris launched")
    parser = Parser()
    docs = parser.parse([s.text])
    cands = candidates([s], docs)
    scored = [Scored(c, 0.5 if c.text == "Vice President Harris" else 0.01, 0.0, 0.0) for c in cands]
    best = next(x for x in scored if x.candidate.text == "Vice President Harris")
    chosen = called_head(best, scored, stem("initiative"), parser.parse_one)
    assert "PACC 2030" in chosen.candidate.text and "Partnership to Address the Climate Crisis" in chosen.candidate.text
    assert called_head(best, scored, None, parser.parse_one) is best


@needs_wh
def test_a_quoted_title_is_taken_whole() -> None:
    s = _sentence(QUAD, "Chair theme")
    scored, _ = _scored([s])
    inside = [x for x in scored if x.candidate.text in ("ASEAN Matters", "Epicentrum of Growth", "Growth")]
    assert inside
    for part in inside:  # every span inside the quotation stands for all of it, without its marks
        whole = quoted_whole(part)
        assert whole.candidate.text == "ASEAN Matters: Epicentrum of Growth"
        assert s.text[whole.candidate.start : whole.candidate.end] == whole.candidate.text
    # the comma a sentence writes inside the closing mark is not the title's
    t = _sentence(EMS, "Rising to the Challenge")
    scored, best = _scored([t], "the Challenge")
    assert best is not None and quoted_whole(best).candidate.text == "Rising to the Challenge"
    # a span outside the quotation, or a long quotation (someone's words), stays as it is
    outside = next(x for x in scored if "Emergency Medical Services Week" in x.candidate.text
                   and "“" not in x.candidate.text)
    assert quoted_whole(outside) is outside
    said = Sentence("d", "", None, None, 0, 0, "He said “We will build the roads and the bridges of this "
                    "great country together with our partners” today.", 0)
    scored, best = _scored([said], "the roads")
    assert best is not None and quoted_whole(best) is best
