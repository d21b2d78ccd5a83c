"""A date question answered by the document's "today" (``query.retrieve.Retriever.today_sentences``,
``query.today``): the lead that dates a fact sheet's event is read beside the sentence that states
the event, and a relative date is checked against its document's names, not its sentence's alone.
End to end on a small knowledge base of real White House documents."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from communique.query.ask import Asker
from communique.query.question import analyse
from communique.query.retrieve import Retriever, _quoted, entity_aliases
from communique.query.today import dates_other_act, document_names
from communique.store import open_store
from tests.conftest import wh_documents_db

# two documents that date their event by "today" in their lead, and others on the same subjects
# dated otherwise (a readout and a fact sheet that name the treaty, speeches on the initiative)
DOCUMENTS = ("2024-07-11-statement-by-president-joe-biden-on-reaching-an-agreement-in-principle-on-modernization",
             "2024-11-18-readout-of-president-joe-bidens-meeting-with-prime-minister-justin-trudeau-of-canada",
             "2023-03-24-fact-sheet-strengthening-the-united-states-canada-partnership",
             "2021-06-12-fact-sheet-president-biden-and-g7-leaders-launch-build-back-better-world-b3w-partnership",
             "2021-11-02-remarks-by-president-biden-in-meeting-on-the-build-back-better-world-initiative",
             "2021-11-01-remarks-by-president-biden-at-the-cop26-leaders-statement")


@pytest.fixture(scope="module")
def today_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = wh_documents_db(tmp_path_factory, "today", lambda name: name.startswith(DOCUMENTS), len(DOCUMENTS))
    assert len(list((db.parent / "wh").rglob("*.md"))) == len(DOCUMENTS)  # one document for each name
    return db


def test_the_lead_that_dates_a_document_is_read_for_a_date_question(today_db: Path) -> None:
    r = Retriever(open_store(today_db))
    q = analyse("When did the G7 partners agree to launch the B3W infrastructure initiative?")
    found = r.retrieve(q.text, q.words, entity_aliases(q.entities), keep=3)
    assert found and not any("today" in s.text.lower() for s in found if "2021-06-12" in s.document)
    extra = r.today_sentences(found, q.words, entity_aliases(q.entities))
    sheet = [s for s in extra if "2021-06-12" in s.document]
    assert len(sheet) == 1 and sheet[0].text.startswith("Today President Biden met with G7 leaders")
    text = open_store(today_db).text_at(sheet[0].document) or ""
    assert text[sheet[0].start : sheet[0].end] == sheet[0].text  # an exact span of its document
    assert all(s.rank >= len(found) for s in extra)  # read after the retrieved sentences
    # a document whose "today" is read already adds none
    assert all(s.document != sheet[0].document for s in r.today_sentences(found + sheet, q.words, []))


def test_a_quoted_today_is_not_the_document_s() -> None:
    text = "“We will meet again today,” the President said in May. Today the leaders met."
    first = text.index("Today")
    assert _quoted(text, 0, text.index("said"))  # opens with a quotation mark
    assert not _quoted(text, first, len(text))
    assert _quoted("He said: “I spoke with them. Today we act.", 25, 40)  # inside an open quotation


def test_a_date_question_gets_the_document_s_today(today_db: Path) -> None:
    asker = Asker(open_store(today_db))
    b3w = asker.ask("On what date did the G7 partners agree to launch the B3W infrastructure initiative?")
    assert b3w.value == "2021-06-12", b3w.answer
    assert any("2021-06-12" in c["document"] for c in b3w.citations)
    # the sentence says "our countries"; its statement names Canada throughout
    treaty = asker.ask("When did President Biden say the United States and Canada reached an agreement in principle "
                       "on a modernized Columbia River Treaty?")
    assert treaty.value == "2024-07-11", treaty.answer


def _candidate(text: str, labels: set[str], document: str = "d") -> SimpleNamespace:
    return SimpleNamespace(labels=labels, sentence=SimpleNamespace(text=text, title="A Statement", document=document))


def test_a_relative_date_needs_its_document_to_name_what_the_question_names() -> None:
    q = analyse("When did the United States and Canada reach an agreement on the treaty?")
    s = "Today, I am pleased to announce that our countries have reached agreement."
    often = {"d": "Canada and the United States ... the United States and Canada ... " + s}
    once = {"d": "the United States and Canada " + s}
    assert document_names(q, _candidate(s, {"DATE_REL"}), {"k_names_miss": 1.0}, often.get)
    assert not document_names(q, _candidate(s, {"DATE_REL"}), {"k_names_miss": 1.0}, once.get)  # named in passing
    assert not document_names(q, _candidate(s, {"DATE"}), {"k_names_miss": 1.0}, often.get)  # a date of its own
    # another constraint that excludes the sentence still does
    assert not document_names(q, _candidate(s, {"DATE_REL"}), {"k_names_miss": 1.0, "k_ord_conflict": 1.0}, often.get)


# "today" dates the act its sentence reports (``query.today.dates_other_act``): real lead sentences
EARTHQUAKE = ("President Joseph R. Biden, Jr. called King Mohammed VI of Morocco today to offer his condolences for the "
              "loss of life in the devastating earthquake on September 8 and reaffirm the deep partnership between the "
              "United States and Morocco.")
CONILLE = "Principal Deputy National Security Advisor Jon Finer met today with Haitian Prime Minister Garry Conille."
TRUDEAU = ("Today, with Prime Minister Trudeau visiting Washington D.C., I am pleased to announce that our countries "
           "have reached agreement in principle on key elements of a modernized Columbia River Treaty regime.")


def _relative(text: str, word: str = "today", labels: frozenset[str] = frozenset({"DATE_REL"})) -> SimpleNamespace:
    start = text.lower().index(word)
    return SimpleNamespace(labels=set(labels), start=start, end=start + len(word), text=text[start:start + len(word)],
                           sentence=SimpleNamespace(text=text, title=None, document="d"))


def test_a_today_that_dates_a_call_or_a_meeting_answers_no_other_event() -> None:
    from communique.query.candidates import Parser

    parse = Parser().parse_one
    quake = _relative(EARTHQUAKE)
    assert dates_other_act("On what date did the earthquake strike Morocco for which Biden offered King Mohammed VI "
                           "his condolences?", quake, parse)
    assert not dates_other_act("When did Biden call King Mohammed VI of Morocco?", quake, parse)  # the call's own date
    met = _relative(CONILLE)
    assert dates_other_act("On what date was Garry Conille appointed interim prime minister of Haiti?", met, parse)
    assert not dates_other_act("When did Jon Finer meet Haitian Prime Minister Garry Conille?", met, parse)
    # where the question read its event is no act it asks about
    assert dates_other_act("On what date was Garry Conille appointed, according to the readout of his meeting?", met, parse)
    # a date of its own is no relative date; a "today" of "I am pleased to announce" modifies no reported act
    assert not dates_other_act("On what date was Garry Conille appointed?", _relative(CONILLE, labels=frozenset({"DATE"})), parse)
    assert not dates_other_act("When did the United States and Canada reach an agreement on the treaty?",
                               _relative(TRUDEAU), parse)


QUAKE_DOCUMENTS = ("2023-09-18-readout-of-president-bidens-call-with-king-mohammed-vi-of-morocco",
                   "2024-07-01-readout-of-principal-deputy-national-security-advisor-jon-finers")


@pytest.fixture(scope="module")
def quake_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return wh_documents_db(tmp_path_factory, "quake", lambda name: name.startswith(QUAKE_DOCUMENTS), len(QUAKE_DOCUMENTS))


def test_the_date_of_another_event_is_read_beside_the_today_of_a_call(quake_db: Path) -> None:
    asker = Asker(open_store(quake_db))
    quake = asker.ask("On what date did the earthquake strike Morocco for which Biden offered King Mohammed VI his "
                      "condolences by phone in September 2023?")
    assert quake.value == "2023-09-08", quake.answer  # "the earthquake on September 8", not the call's "today"
    call = asker.ask("On what date did Biden call King Mohammed VI of Morocco to offer his condolences?")
    assert call.value == "2023-09-18", call.answer
    # the readout dates Finer's meeting with Conille; nothing dates his appointment
    assert asker.ask("On what date was Garry Conille appointed interim prime minister of Haiti?").answer is None
