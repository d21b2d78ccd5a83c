"""Names as answers: what a person's, a place's or a named thing's span must look like.

- A person is named, not titled: "National Security Advisor" is no answer to "who", and the words
  kept before a name ("Energy Secretary Granholm") must hold a title or an honorific ("Office of
  Science and Technology Policy Michael Kratsios" keeps none).
- A named thing is its whole proper name: "Migration and Protection" stands inside "the Los Angeles
  Declaration on Migration and Protection", the name that holds the noun the question asks for
  ("What migration declaration"); a name with its acronym ("PACC 2030") is no date.
- A proper name keeps the little words inside it: "Framework for an Agreement on Reciprocal Trade
  and Investment" is one candidate (``name_runs``), and so is each name it holds after one of
  them ("Agreement on Reciprocal Trade and Investment").
- A name the sentence calls by the noun asked for ("PACC 2030 is the Administration's new
  initiative", "PACC 2030, an initiative that ...") fits "What initiative" better than a name of
  something else.
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

__all__ = ["called_head", "name_runs", "relation_doer", "title_only", "holds_title", "whole_name", "acronym_name", "specific_place",
           "name_with_number", "quoted_whole"]

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


@lru_cache(maxsize=16384)
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


# a quotation in a sentence: “Building a Sustainable, Resilient, and Equitable Future”
_QUOTED = re.compile(r"“([^“”]{2,300})”|\"([^\"]{2,300})\"")
MAX_QUOTED_WORDS = 12  # a title or theme is quoted whole; a longer quotation is someone's words


def quoted_whole(best: Any) -> Any:
    """A named thing quoted in its sentence is the whole quotation: the best span when it lies inside a
    short capitalised quotation ("Building a Sustainable, Resilient" of “Building a Sustainable,
    Resilient, and Equitable Future”) is widened to all of it, without its marks; else the best span."""
    from dataclasses import replace

    c = best.candidate
    if c.fact is not None:
        return best
    text = c.sentence.text
    for m in _QUOTED.finditer(text):
        if not (m.start() <= c.start and c.end <= m.end()):
            continue
        g = 1 if m.group(1) is not None else 2
        a, b = m.start(g), m.end(g)
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] in ",.;:"):
            b -= 1
        inner = text[a:b]
        if (a, b) == (c.start, c.end) or not inner[:1].isupper() or len(_WORD.findall(inner)) > MAX_QUOTED_WORDS:
            return best
        return replace(best, candidate=replace(c, start=a, end=b, text=inner, labels=c.labels | {"QUOTED"}))
    return best


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


_CAP = r"(?:[A-Z][\w'’.&-]*[\w'’]\.?|[A-Z]\.?|\d[\w-]*)"  # "U.S.-Caribbean", "U.S.", "Trade", "2030"
MAX_NAME_WORDS = 16
_BRACKETED = re.compile(r"\s*\((?=[A-Z0-9]*[A-Z])[A-Z0-9][\w.+&-]*(?:\s[\w.+&-]+){0,2}\)")  # "(B3W)", "(PACC 2030)"


@lru_cache(maxsize=1)
def _run_pattern() -> re.Pattern[str]:
    small = "|".join(sorted((re.escape(w) for w in load_data("names.yaml")["name_joiners"]), key=len, reverse=True))
    return re.compile(rf"(?<![\w'’-]){_CAP}(?:\s+(?:(?:{small})\s+)*{_CAP})*")


class _Part:
    """A piece of a run: its text and where it stands (the two ``re.Match`` methods ``name_runs`` reads)."""

    def __init__(self, text: str, start: int) -> None:
        self._text, self._start = text, start

    def group(self, _: int = 0) -> str:
        return self._text

    def start(self) -> int:
        return self._start

    def end(self) -> int:
        return self._start + len(self._text)


# where a run of capitalised words is no longer one name: a full stop after a word ("Schumer. That"),
# or a little word before a number ("Pittsburgh on 29 September": a date, not a name's number)
_BREAK = re.compile(r"(?<=[a-z]{2})\.\s+|\s+(?:of|on|for|and|the|to|an|a)\s+(?=\d)")


def _parts(text: str) -> list[_Part]:
    out = []
    for m in _run_pattern().finditer(text):
        at = 0
        for b in list(_BREAK.finditer(m.group(0))) + [None]:
            stop = b.start() if b else len(m.group(0))
            piece = m.group(0)[at:stop]
            if piece.strip():
                out.append(_Part(piece, m.start() + at))
            at = b.end() if b else stop
    return out


def name_runs(text: str) -> list[tuple[int, int]]:
    """The proper names of a sentence with little words inside them ("Global Alliance Against Hunger
    and Poverty"), and the names they hold after each little word: (start, end) offsets. A run of
    capitalised words alone is left to the parser's entities and noun chunks."""
    _, function, _ = _lists()
    out: list[tuple[int, int]] = []
    for m in _parts(text):
        words = list(re.finditer(r"\S+", m.group(0)))
        if len(words) < 3 or len(words) > MAX_NAME_WORDS:
            continue
        lower = [k for k, w in enumerate(words) if w.group(0).lower() in function and not w.group(0)[:1].isupper()]
        if not lower:
            continue
        starts = [0] + [k + 1 for k in lower if k + 1 < len(words) and words[k + 1].group(0)[:1].isupper()]
        end = m.end()
        acronym = _BRACKETED.match(text, end)  # "... Climate Crisis 2030 (PACC 2030)"
        if acronym:
            end = acronym.end()
        for k in starts:
            a = m.start() + words[k].start()
            if len(words) - k >= 3 and (k == 0 or words[k].group(0).lower() not in function):
                out.append((a, end))
    return out


def _names_head(doc: Any, first: int, last: int, root: int, head: str) -> bool:
    """The sentence calls the span (tokens ``first``..``last``, its root ``root``) by the noun ``head``
    (a stem): an apposition of it, the attribute of the copula it is the subject of, or the noun it
    is an apposition of."""
    tok = doc[root]
    near = [c for c in tok.children if c.dep_ == "appos"]
    if tok.dep_ == "appos":
        near.append(tok.head)
    if tok.dep_ in ("nsubj", "nsubjpass") and tok.head.lemma_ == "be":
        near += [c for c in tok.head.children if c.dep_ in ("attr", "acomp")]
    return any(not first <= t.i <= last and stem(t.lower_) == head for t in near)


def called_head(best: Any, scored: list[Any], head: str | None, parse: Any) -> Any:
    """For a question asking a name by its noun ("What climate initiative"): when the best span
    neither holds that noun nor is called by it, the likeliest proper name that its sentence calls
    by it (``parse``: sentence text -> its spaCy parse); else the best span."""
    if not head:
        return best

    def fits(s: Any) -> bool:
        c = s.candidate
        return _names_head(parse(c.sentence.text), c.first, c.last, c.head, head)

    c = best.candidate
    if head in {stem(w.lower()) for w in _WORD.findall(c.text)} or fits(best):
        return best
    called = [s for s in scored if s.candidate.fact is None and (_proper(s.candidate.text) or name_with_number(s.candidate.text))
              and fits(s)]
    if not called:
        return best
    chosen = max(called, key=lambda s: s.probability)
    # the whole proper name the called span ends ("the Climate Crisis" of "Partnership to Address the
    # Climate Crisis (PACC 2030)")
    whole = [s for s in _same_sentence_wider(chosen, scored) if "NAME" in s.candidate.labels]
    return max(whole, key=lambda s: s.candidate.end - s.candidate.start) if whole else chosen
