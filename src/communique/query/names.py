"""Names as answers: what a person's, a place's or a named thing's span must look like.

- A person is named, not titled: "National Security Advisor" is no answer to "who", and the words
  kept before a name ("Energy Secretary Granholm") must hold a title or an honorific ("Office of
  Science and Technology Policy Michael Kratsios" keeps none).
- A named thing is its whole proper name: "Migration and Protection" stands inside "the Los Angeles
  Declaration on Migration and Protection", the name that holds the noun the question asks for
  ("What migration declaration"); a name with its acronym ("PACC 2030") is no date.
- An acronym is spelt by the name it stands for ("Icebreaker Collaboration Effort, or ICE Pact").
- "Where" is answered by the most specific place the evidence gives ("Woodside, California", not
  "California").
- "Who headed the delegation" is answered by who leads it ("X will lead the delegation"), not by a
  name of a sentence that says nobody leads anything ("President Biden today announced the
  delegation"), when the evidence read has such a doer.

The word lists are general English (``data/names.yaml``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.query.matching import stem

__all__ = ["relation_doer", "title_only", "holds_title", "whole_name", "acronym_name", "specific_place",
           "name_with_number"]

_WORD = re.compile(r"[^\W_][\w.'’-]*")
_ACRONYM = re.compile(r"\b[A-Z]{2,}\b")
_ASKS_ACRONYM = re.compile(r"\b(?:stand|stands) for\b|\bacronym\b|\babbreviat", re.I)


@lru_cache(maxsize=1)
def _lists() -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    data = load_data("names.yaml")
    return (frozenset(data["honorifics"]), frozenset(data["name_function_words"]), frozenset(data["not_acronyms"]))


def _title_words(text: str) -> tuple[str, list[tuple[int, int]]]:
    """The text with its titles and demonyms blanked, and the spans of the titles found."""
    from communique.extract.gazetteer import gazetteer

    found = [e for e in gazetteer().find(text) if e.kind in ("title", "demonym")]
    out = list(text)
    for e in found:
        out[e.start : e.end] = " " * (e.end - e.start)
    return "".join(out), [(e.start, e.end) for e in found if e.kind == "title"]


def title_only(text: str) -> bool:
    """The span is a title and no name ("National Security Advisor", "the Vice President")."""
    if not any(ch.isupper() for ch in text):  # titles are capitalised: most spans are none
        return False
    honorifics, function, _ = _lists()
    rest, titles = _title_words(text)
    if not titles:
        return False
    left = [w for w in _WORD.findall(rest) if w not in honorifics and w.lower() not in function]
    return not left


def holds_title(run: str) -> bool:
    """The words before a name hold a title or an honorific ("Energy Secretary", "The Honorable",
    "Secretary of State Antony" of "Antony J. Blinken"; not "Technology Policy")."""
    honorifics, _, _ = _lists()
    if any(w in honorifics and w not in ("The", "the") for w in _WORD.findall(run)):
        return True
    return bool(_title_words(run)[1])


def name_with_number(text: str) -> bool:
    """An acronym with a number is a name, not a date ("PACC 2030", "COP 27"; not "FY 2024")."""
    _, _, not_acronyms = _lists()
    return any(a not in not_acronyms for a in _ACRONYM.findall(text)) and any(ch.isdigit() for ch in text)


def _proper(text: str) -> bool:
    """Every word capitalised (or a digit) but the little words inside a name."""
    _, function, _ = _lists()
    words = _WORD.findall(text)
    return bool(words) and words[0].lower() not in function and all(
        w[:1].isupper() or w[:1].isdigit() or w.lower() in function for w in words) and words[-1].lower() not in function


def _same_sentence_wider(best: Any, scored: list[Any]) -> list[Any]:
    c = best.candidate
    return [s for s in scored if s.candidate.sentence is c.sentence and s.candidate.start <= c.start
            and c.end <= s.candidate.end and s is not best]


def whole_name(best: Any, scored: list[Any], head: str | None) -> Any:
    """The proper name the best span stands in that holds the noun the question asks for
    ("Los Angeles Declaration on Migration and Protection" for "Migration and Protection" when asked
    "What migration declaration"); the best span itself when it holds the noun or none is wider."""
    if not head:
        return best
    c = best.candidate
    if head in {stem(w.lower()) for w in _WORD.findall(c.text)}:
        return best
    wider = [s for s in _same_sentence_wider(best, scored)
             if _proper(s.candidate.text) and head in {stem(w.lower()) for w in _WORD.findall(s.candidate.text)
                                                      if w[:1].isupper()}]
    return min(wider, key=lambda s: s.candidate.end - s.candidate.start) if wider else best


def acronym_name(question: str, scored: list[Any]) -> Any:
    """For "What does the acronym ... stand for?": the likeliest proper name whose initials spell an
    all-capital word of its sentence ("Icebreaker Collaboration Effort" and "ICE Pact"), else None."""
    if not _ASKS_ACRONYM.search(question):
        return None
    _, function, not_acronyms = _lists()
    for s in scored:  # best first
        c = s.candidate
        if not _proper(c.text):
            continue
        initials = "".join(w[0] for w in _WORD.findall(c.text) if w.lower() not in function and w[0].isalpha())
        if len(initials) < 2:
            continue
        outside = c.sentence.text[: c.start] + " " + c.sentence.text[c.end :]
        if any(a == initials.upper() and a not in not_acronyms for a in _ACRONYM.findall(outside)):
            return s
    return None


def specific_place(best: Any, scored: list[Any]) -> Any:
    """"Where": a span that names a place inside the best one ("Woodside, California" for
    "California"), from any sentence read, else the best span."""
    text = best.candidate.text.strip()
    if "," in text or not text[:1].isupper():
        return best
    pattern = re.compile(r"(?:[A-Z][\w.'’-]*\s+){0,2}[A-Z][\w.'’-]*,\s+" + re.escape(text))
    finer = [s for s in scored if pattern.fullmatch(s.candidate.text.strip())]
    return max(finer, key=lambda s: s.probability) if finer else best


def relation_doer(kind: str, best: Any, scored: list[Any]) -> Any:
    """For a "who" question with a relation word ("headed", "co-hosted"), when the best span's sentence
    holds none of its words: the likeliest person who is the doer of one of them (``c_rel_subj``,
    ``query.constraints.relation_features``), else the best span."""
    if kind not in ("person", "list") or best.candidate.fact is not None or not best.features.get("k_rel_miss"):
        return best
    doers = [s for s in scored if s.features.get("c_rel_subj") and ("ENT:PERSON" in s.candidate.labels or (
        _proper(s.candidate.text) and not title_only(s.candidate.text)))]
    return max(doers, key=lambda s: s.probability) if doers else best
