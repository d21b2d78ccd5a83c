"""The rules of ``Asker.choose`` compose with the consensus boundary of ``Asker.answer_of``: a span a
rule chose in place of the reader's (the finer place, the acronym's name) is the answer as it stands."""

from __future__ import annotations

from communique.query.ask import Asker, _agreed
from communique.query.names import acronym_name, specific_place
from communique.query.question import analyse, reader_type
from communique.query.rank import ReaderQuestion
from communique.query.reader import Scored
from tests.test_ask_constraints import _sentence, needs_wh
from tests.test_ask_names import ICE, WOODSIDE, _scored


def _likeliest(scored: list[Scored], text: str) -> Scored:
    """Give the span of ``text`` most of the probability: the reader's choice."""
    best = next(s for s in scored if s.candidate.text == text)
    rest = 0.4 / max(1, len(scored) - 1)
    for s in scored:
        s.probability = s.support = 0.6 if s is best else rest
    return best


def _answer(question: str, best: Scored, scored: list[Scored]) -> str:
    asker = Asker(None)  # type: ignore[arg-type]  (answer_of reads no store for a span of a sentence)
    q = analyse(question)
    kind, wh, head = reader_type(q.text)
    rq = ReaderQuestion(q.text, kind, wh, head, {}, "", ())
    return asker.answer_of(q, rq, best, scored, 0.9).answer


@needs_wh
def test_the_finer_place_is_not_cut_back_to_the_region_by_the_vote() -> None:
    question = "Where did the two leaders hold their summit?"
    scored, _ = _scored([_sentence(WOODSIDE, "at Woodside, California")])
    agreed = _likeliest(scored, "California")
    assert _agreed(scored) is agreed
    finer = specific_place(agreed, scored)
    assert finer.candidate.text == "Woodside, California"
    assert _answer(question, finer, scored) == "Woodside, California"
    # the reader's own span still takes the boundary the evidence votes for
    assert _answer(question, agreed, scored) == "California"


def test_the_name_an_acronym_stands_for_is_not_traded_for_a_likelier_span() -> None:
    question = "What does the acronym of the icebreaker arrangement stand for?"
    scored, _ = _scored([_sentence(ICE, "Icebreaker Collaboration Effort")])
    named = acronym_name(question, scored)
    assert named is not None
    other = next(s for s in scored if s is not named and "Icebreaker" not in s.candidate.text
                 and len(s.candidate.text) > 3)
    _likeliest(scored, other.candidate.text)
    assert _answer(question, named, scored).removeprefix("the ") == "Icebreaker Collaboration Effort"
