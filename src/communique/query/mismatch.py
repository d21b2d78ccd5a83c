"""What a question asks that the chosen answer's sentence says of something else: evidence misses.

The ranker orders spans by how well their sentence matches the question's words; a question the
corpus cannot answer still finds a sentence that shares most of them ("Secretary Blinken led the U.S.
delegation" for a delegation to a swearing-in; "met ... today" for a commission's first meeting).
Each check here says, for the reader's chosen span, that its sentence states another event, another
occasion or another kind of thing than the one asked. They are features of the answer's calibrated
confidence (``query.calibration``), not of the ranking:

- ``place_kind_miss``: a "which city" answered by a state, a region or a continent (per the
  gazetteer, the entity label of the span and the region words of ``data/questions.yaml``), or a
  "which country" answered by a city the gazetteer places in a country;
- ``ordinal_miss``: the question numbers a thing ("its first meeting", "his third term"; not "first
  used", "the second largest" nor "October 25th") and neither the sentence nor its document's title says that ordinal ("first", "1st", "inaugural");
- ``occasion_miss``: the question names an occasion of ``occasions`` in ``data/questions.yaml``
  (a swearing-in, an inauguration, a funeral) that neither the sentence nor its title names in any
  of that occasion's words, or names it without its owner (a funeral of another person);
- ``amount_noun_miss``: an amount of money asked ("the value of the sale") answered by an amount that
  measures a noun of its own ("a $2 billion ... loan") that the question does not name;
- ``venue_miss``: a date asked for an event the question places in a city ("the talks in Madrid")
  answered from a sentence that names that city nowhere, nor its title: the date of another meeting;
- ``ordinal_conflict``: the sentence itself numbers a thing the question numbers, otherwise ("the
  inaugural ... Summit" for "the second ... Summit"), whatever its title says; checked on a stored
  fact's sentence too (``query.conflicts``);
- ``ceremony_miss``: the question names one part of an occasion ("the closing ceremony") and the
  sentence, or else its title, names only another ("the Opening Ceremony") (``query.conflicts``);
- ``period_miss``: a figure stated for a running period ("to date", "since 2021", "as of March")
  answers a question about another time ("by the end of 2025", "in 2019") (``query.conflicts``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from communique.data import load_data
from communique.query.matching import stem
from communique.query.conflicts import CONFLICTS, conflicts

__all__ = ["MISMATCHES", "fact_mismatches", "mismatches"]

MISMATCHES = ("place_kind_miss", "ordinal_miss", "occasion_miss", "amount_noun_miss", "venue_miss", *CONFLICTS)
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_CITY = re.compile(r"\b(?:which|what|in which|in what) (?:[a-z]+ )?(?:city|town|capital)\b", re.I)
_COUNTRY = re.compile(r"\b(?:which|what|in which|in what) (?:[a-z]+ )?(?:country|nation)\b", re.I)
# dependents that make a noun's phrase: "Foreign Military Financing direct loan", "package of aid"
_PHRASE_DEPS = frozenset({"compound", "amod", "nmod"})


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return load_data("questions.yaml").get("mismatch", {}) or {}


@lru_cache(maxsize=1)
def _occasions() -> dict[str, frozenset[str]]:
    """Each occasion word, with the stems of every word that names the same occasion."""
    out: dict[str, frozenset[str]] = {}
    for word, alike in (_spec().get("occasions") or {}).items():
        out[word.lower()] = frozenset(stem(w) for w in [word, *alike])
    return out


@lru_cache(maxsize=1)
def _regions() -> re.Pattern[str]:
    """A region, a continent or a part of one ("Southeast Asia", "the Indo-Pacific")."""
    words = sorted(_spec().get("regions") or [], key=len, reverse=True)
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.I) if words else re.compile(r"(?!)")


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, int]:
    from communique.extract.mechanisms import ordinal_words

    return {w: n for w, n in ordinal_words().items() if " " not in w}


_NUMBERED = re.compile(r"\b(\d+)(?:st|nd|rd|th)\b", re.I)
_RUN = re.compile(r"[^\W_]+")  # a run of letters or digits: each part of "first-ever"


def _ordinals_in(text: str) -> set[int]:
    low = text.lower()
    said = {_ordinals()[w] for w in _WORD.findall(low) if w in _ordinals()}
    said |= {int(m.group(1)) for m in _NUMBERED.finditer(low)}
    return said


def _stems(text: str) -> set[str]:
    out = set()
    for w in _WORD.findall(text.lower()):
        out.add(stem(w))
        out.update(stem(p) for p in w.split("-") if p)
    return out


def bare_place(text: str) -> str:
    """A place's name without the words a span may carry around it: "into Yemen", "of Poland", "the
    Gambia", "Argentina’s" -> "Yemen", "Poland", "Gambia", "Argentina"."""
    return re.sub(r"['’]s$", "", re.sub(r"^(?:(?:the|into|in|to|from|at|of|across)\s+)+", "", text.strip(), flags=re.I))


def _is_state(g: Any, name: str) -> bool:
    """The whole name is a state the gazetteer knows, by any of its aliases ("the U.K.")."""
    name = re.sub(r"^the\s+", "", name, flags=re.I)
    return any(m.kind == "state" and m.start == 0 and m.end == len(name) for m in g.find(name))


def _place_kind_miss(question: str, text: str, labels: set[str]) -> bool:
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    name = bare_place(text)
    if _CITY.search(question):
        if _is_state(g, name) or "ENT:LOC" in labels and name not in g.city_country:
            return True
        return _regions().search(name) is not None
    if _COUNTRY.search(question):
        return name in g.city_country and not _is_state(g, name)
    return False


def _numbered(question: str, parse: Callable[[str], Any] | None) -> set[int]:
    """The ordinals that number a thing of the question ("its first meeting", "his third term"): not
    an adverb ("first used", "the second largest") nor a day ("October 25th")."""
    if parse is None:
        return _ordinals_in(question)
    low = question.lower()
    if not (set(_RUN.findall(low)) & _ordinals().keys() or _NUMBERED.search(low)):
        return set()  # no ordinal in any of its words: nothing to parse (a parse costs ~13 ms)
    return {n for t in parse(question) if t.dep_ in ("amod", "nummod") and t.head.pos_ in ("NOUN", "PROPN")
            and t.ent_type_ != "DATE" for n in _ordinals_in(t.text)}


def _ordinal_miss(question: str, sentence: Any, features: dict[str, float], parse: Callable[[str], Any] | None) -> bool:
    if features.get("k_ord_ok") or features.get("k_ord_dated"):
        return False  # the meeting the question numbers is the sentence's, by number or by date
    asked = _numbered(question, parse)
    if not asked:
        return False
    said = _ordinals_in(f"{sentence.text} {sentence.title or ''}")
    return not asked <= said


def _occasion_miss(question: str, sentence: Any) -> bool:
    # the occasion's own noun ("inauguration"), not a word that only shares its stem ("the inaugural
    # session" is a first meeting: an ordinal)
    words = {w.removesuffix("s") for w in _WORD.findall(question.lower())}
    asked = [alike for w, alike in _occasions().items() if w in words]
    if not asked:
        return False
    said = f"{sentence.text} {sentence.title or ''}"
    have = _stems(said)
    if not all(alike & have for alike in asked):
        return True
    # whose occasion it is ("Joseph Boakai's funeral", "the inauguration of Lula"): a sentence of
    # another's names the occasion but not its owner
    low = said.lower().replace("’", "'")
    return any(owner.lower() not in low for owner in _owners(question))


_CAPS = r"[A-Z][\w.'’-]*(?:\s+(?:da|de|del|do|dos|van|von|el|al)?\s*[A-Z][\w.'’-]*)*"


def _owners(question: str) -> list[str]:
    """The last name of each person or state whose occasion the question asks about."""
    words = "|".join(re.escape(w) for w in _occasions())
    found = re.findall(rf"({_CAPS})['’]s\s+(?:\w+\s+){{0,2}}?(?:{words})s?\b", question)
    found += re.findall(rf"\b(?:{words})s?\s+of\s+(?:the\s+)?(?:[a-z]+\s+)?({_CAPS})\b(?!\s+of\b)", question)
    return [re.split(r"[\s-]+", f.strip())[-1].rstrip(".") for f in found if f.strip()]


_LOCATIVE = re.compile(r"\b(?:in|at)\s+(?:the\s+)?$", re.I)


def _venue_miss(question: str, sentence: Any) -> bool:
    """A city the question places its event in ("in Madrid", "at Geneva") that neither the sentence
    nor its title names, by any alias the gazetteer gives it."""
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    said = f"{sentence.text} {sentence.title or ''}".replace("’", "'")
    for m in g.find(question):
        if m.kind != "place" or not _LOCATIVE.search(question[:m.start]):
            continue
        names = [question[m.start:m.end], m.name, *(g.entity_aliases.get(m.name) or [])]
        if not any(n in said for n in names):
            return True
    return False


def _amount_noun_miss(question: str, c: Any, parse: Callable[[str], Any]) -> bool:
    """The amount modifies a noun ("$2 billion ... loan"); neither it nor its phrase is a question word."""
    doc = parse(c.sentence.text)
    inside = [t for t in doc if c.start <= t.idx < c.end]
    heads = [t.head for t in inside if t.dep_ in ("nummod", "compound", "quantmod", "amod")
             and not (c.start <= t.head.idx < c.end) and t.head.pos_ in ("NOUN", "PROPN")]
    if not heads:
        return False
    noun = heads[0]
    words = {noun} | {t for t in noun.children if t.dep_ in _PHRASE_DEPS and not (c.start <= t.idx < c.end)}
    for prep in noun.children:  # "a package of aid"
        if prep.dep_ == "prep" and prep.lower_ == "of":
            words |= {t for t in prep.children if t.dep_ == "pobj"}
    from communique.query.retrieve import synonyms

    asked = _stems(question)
    for w, alike in synonyms().items():
        if stem(w) in asked:
            asked |= {stem(x) for x in alike}
    generic = {stem(w) for w in _spec().get("amount_nouns_generic") or []}
    return not any(stem(t.lower_) in asked or stem(t.lower_) in generic for t in words)


def mismatches(question: str, kind: str, c: Any, features: dict[str, float],
               parse: Callable[[str], Any] | None = None) -> dict[str, float]:
    """The checks of this module for candidate ``c`` (a ``Candidate``) of a question of reader type
    ``kind`` whose ranking features (``query.constraints``) are ``features``; ``parse`` (a sentence's
    spaCy parse) tells an ordinal that numbers a thing from an adverb, and what an amount measures."""
    out = {n: 0.0 for n in MISMATCHES}
    if kind == "place":
        out["place_kind_miss"] = float(_place_kind_miss(question, c.text, c.labels))
    out["ordinal_miss"] = float(_ordinal_miss(question, c.sentence, features, parse))
    out["occasion_miss"] = float(_occasion_miss(question, c.sentence))
    if kind == "money" and parse is not None and re.search(r"\d", c.text):
        out["amount_noun_miss"] = float(_amount_noun_miss(question, c, parse))
    if kind == "date":
        out["venue_miss"] = float(_venue_miss(question, c.sentence))
    out.update(conflicts(question, kind, c, features, parse, _numbered(question, parse)))
    return out


def fact_mismatches(question: str, kind: str, c: Any, parse: Callable[[str], Any] | None = None) -> dict[str, float]:
    """The checks that also hold against a stored fact's own sentence: a fact matched the question on
    its record, but its sentence may state the thing otherwise ("the inaugural Summit", "met for the
    first time"), or date a meeting in another city."""
    out = {n: 0.0 for n in MISMATCHES}
    if kind == "date":
        out["venue_miss"] = float(_venue_miss(question, c.sentence))
    out.update(conflicts(question, kind, c, {}, parse, _numbered(question, parse)))
    return out
