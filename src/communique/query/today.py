"""A relative date ("today") is read in its document: the document's date answers it, so the
document, not the one sentence, must be about what the question names.

A relative date also dates only the act its sentence reports: "President Biden met today with
Prime Minister Conille" dates a meeting, not Conille's appointment; "called King Mohammed VI today to
offer his condolences for ... the earthquake on September 8" dates the call, not the earthquake.
``dates_other_act`` tells such a "today": the verb it modifies is one of the acts a document reports
of itself (``relative_date_acts`` in ``data/questions.yaml``: a meeting, a call, a visit, an
announcement) and the question names none of them: it asks the date of another event.

"Today, with Prime Minister Trudeau visiting Washington D.C., I am pleased to announce that our
countries have reached agreement in principle ..." names neither state of "when did the U.S. and
Canada reach an agreement"; the statement it opens names Canada six times. The reader's hard names
constraint (``k_names_miss``: a state, body or person the question names is in neither the sentence
nor its title) would drop its "Today"; ``document_names`` lets such a date through when the
document names every missing one at least ``MENTIONS`` times, and any span whose sentence misses
only the state the question holds its event in ("the leaders meeting in The Bahamas").
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from communique.data import load_data
from communique.query.matching import GENERIC, stem
from communique.query.question import Question

__all__ = ["MENTIONS", "dates_other_act", "document_names"]

MENTIONS = 2  # a document that names a state this often is about it (one mention is in passing)
_APOSTROPHE = str.maketrans({"’": "'", "‘": "'"})
_NOT_REQUIRED = frozenset({"seat", "title", "place"})  # as constraints.k_names_miss: places never required
_VENUE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)  # "... in The Bahamas": where, not who


def document_names(q: Question, candidate: Any, features: dict[str, float], text_of: Callable[[str], str]) -> bool:
    """Whether a relative date whose sentence misses a name the question gives (and nothing else that
    excludes it) stands in a document that names each of those ``MENTIONS`` times or more; or any
    span whose sentence misses only states the question gives as its venue ("at the June 2023 leaders
    meeting in The Bahamas"), in a document that names them so often."""
    from communique.extract.gazetteer import gazetteer
    from communique.query.constraints import HARD

    if any(features.get(k) for k in HARD if k != "k_names_miss"):
        return False
    relative = "DATE_REL" in candidate.labels
    s = candidate.sentence
    g = gazetteer()
    local = (s.text + "\n" + (s.title or "")).translate(_APOSTROPHE)
    document = None
    for e in q.entities:
        if e.name in GENERIC or e.kind in _NOT_REQUIRED:
            continue
        aliases = [a.translate(_APOSTROPHE) for a in g.entity_aliases.get(e.name, [e.surface]) + [e.surface] if a]
        if any(a in local for a in aliases):
            continue
        if not relative and not _VENUE.search(q.text[: e.start]):
            return False  # only a "today", or a state the question gives as the venue, is read in the document
        if document is None:
            document = (text_of(s.document) or "").translate(_APOSTROPHE)
        if sum(document.count(a) for a in dict.fromkeys(aliases)) < MENTIONS:
            return False
    return True


_WORD = re.compile(r"[^\W_]+")
# where a question says where it read its event, not what the event is ("according to the
# announcement of Biden's delegation")
_SOURCE = re.compile(r"\b(?:according to|as (?:stated|announced|recalled|noted|cited) in)\b[^,;?]*", re.I)


@lru_cache(maxsize=1)
def _acts() -> frozenset[str]:
    """Stems of the acts a document dates by "today" of itself (``relative_date_acts``)."""
    words = load_data("questions.yaml").get("relative_date_acts") or []
    return frozenset(stem(w) for w in words)


def _act_of(candidate: Any, parse: Callable[[str], Any]) -> str | None:
    """The verb the relative date modifies ("met today", "Today, ... announced"), lower case."""
    doc = parse(candidate.sentence.text)
    inside = [t for t in doc if candidate.start <= t.idx < candidate.end]
    if not inside:
        return None
    head = inside[0].head
    for _ in range(3):  # "met with ... today in New York": the date's head; a noun phrase's verb above it
        if head.pos_ == "VERB" or head.head is head:
            break
        head = head.head
    return head.lower_ if head.pos_ == "VERB" else None


def dates_other_act(question: str, candidate: Any, parse: Callable[[str], Any] | None) -> bool:
    """Whether a relative date ("today", "yesterday") of ``candidate`` dates an act its document
    reports of itself (a meeting, a call, an announcement) that the question, asking the date of
    another event ("when was X inaugurated", "when did the earthquake strike"), does not name."""
    if parse is None or "DATE_REL" not in candidate.labels:
        return False
    act = _act_of(candidate, parse)
    if act is None or stem(act) not in _acts():
        return False
    asked = {stem(w) for w in _WORD.findall(_SOURCE.sub(" ", question).lower())}
    return not asked & _acts()
