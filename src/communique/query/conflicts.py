"""What the chosen answer's sentence states otherwise than the question: conflict evidence.

``query.mismatch`` says what the sentence lacks of the question (an ordinal, an occasion); a
sentence may also say the question's thing with another value of the same kind, and then it answers
about a neighbour of the question's thing, not about it:

- ``ordinal_conflict``: the question numbers a thing ("the second ... Summit") and the sentence
  numbers a noun of the question otherwise ("hosted the inaugural ... Summit", "the first round of
  talks"; "met for the first time" for a numbered meeting), and never as asked, whatever its
  document's title says;
- ``ceremony_miss``: the question names one part of an occasion ("the closing ceremony", the
  ``occasion_parts`` of ``data/questions.yaml``) and the sentence names only another part ("will lead
  the delegation to the Opening"), or, when the sentence names none, the document's title does;
- ``phase_miss``: a date asked for one phase of an event ("when did they conclude the negotiations",
  the ``event_phases`` of ``data/questions.yaml``) answered from a sentence that names only another
  phase ("Today ... we are launching negotiations"): the date is that of the other phase;
- ``period_miss``: a figure the sentence states for a running period ("to date", "so far", "since
  2021", "as of March 2024") answers a question that asks for another time: "in 2019" (one year, which
  a running period is not, unless it runs only in that year), "by the end of 2025" (the period's end
  is the document's date, or the date after "as of", in another year); a total "by the end of 2025"
  from a sentence of January 2025 that states no period, no year and no goal. The question's year in the
  sentence itself is no conflict (the sentence may state the figure for that year too);
- ``year_conflict``: a figure asked for one year ("Ireland's investment in the United States in
  2022") answered from a sentence that states its figures for another ("in 2019", or "this year"
  in a document of 2026) and never names the year asked: the figure of another year;
- ``name_number_conflict``: the question names a thing by a name and a number ("Kwibuka 31",
  "COP28", "Title 42") and the sentence, or else its document's title, names it with another number
  only ("Kwibuka 30"): another occasion of that name, another edition, another article.

Each is also read off a stored fact's sentence (``query.mismatch.fact_mismatches``): a fact matched
the question on its record, not on what its sentence says of the thing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from communique.data import load_data
from communique.query.matching import stem

__all__ = ["CONFLICTS", "ceremony_miss", "conflicts"]

CONFLICTS = ("ordinal_conflict", "ceremony_miss", "phase_miss", "period_miss", "year_conflict", "name_number_conflict")
_NUMERIC = frozenset({"money", "number", "count", "percent"})
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_NUMBERED = re.compile(r"^(\d+)(?:st|nd|rd|th)$", re.I)
_YEAR = r"(?:19|20)\d\d"
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
# the time a question asks a figure for: "in 2019", "during 2023", "by the end of 2025", "as of June 2024"
_ASKED = re.compile(rf"""\b(?P<how>in|during|for|by|as\ of|since|through)\s+
                        (?:the\s+)?(?P<end>(?:end|close)\s+of\s+)?(?:{_MONTH}\s+)?(?:fiscal\s+year\s+|FY\s*)?
                        (?P<year>{_YEAR})\b""", re.I | re.X)
_AT_END = re.compile(r"\bat\s+the\s+end\s+of\b", re.I)
# a figure stated for a running period, and the period's start or end where the sentence gives it
_RUNNING = re.compile(rf"""\b(?:(?P<ever>to\ date|so\ far|thus\ far|cumulatively|in\ total\ since)
                          |since\s+(?:(?:early|late|mid-?)\s*)?(?:{_MONTH}\s+)?(?:\d{{1,2}},?\s+)?(?P<since>{_YEAR})
                          |as\ of\s+(?:(?P<month>{_MONTH})\s+)?(?:\d{{1,2}},?\s+)?(?P<asof>{_YEAR})
                          |as\ of\s+(?P<month_only>{_MONTH})(?:\s+\d{{1,2}})?(?!,?\s*\d)
                          |as\ of\ (?:today|now|this\ (?:week|month|year))
                          |over\ the\ (?:past|last)\s+(?:\w+\s+)?(?:years|months|decades?))\b""", re.I | re.X)


@lru_cache(maxsize=1)
def _spec() -> dict[str, Any]:
    return load_data("questions.yaml").get("mismatch", {}) or {}


@lru_cache(maxsize=1)
def _ordinals() -> dict[str, int]:
    from communique.extract.mechanisms import ordinal_words

    return {w: n for w, n in ordinal_words().items() if " " not in w}


def _ordinal_of(word: str) -> int | None:
    low = word.lower()
    if low in _ordinals():
        return _ordinals()[low]
    m = _NUMBERED.match(low)
    return int(m.group(1)) if m else None


def _stems(text: str) -> set[str]:
    return {stem(w) for w in _WORD.findall(text.lower())}


def _ordinal_conflict(question: str, sentence: Any, asked: set[int], parse: Callable[[str], Any] | None) -> bool:
    """The sentence numbers a noun the question names, and never with the question's ordinal."""
    if not asked or parse is None or not any(_ordinal_of(w) for w in _WORD.findall(sentence.text)):
        return False
    nouns = _stems(question)
    meeting = bool(nouns & _MEETING)  # the question numbers a meeting of something
    said = set()
    for t in parse(sentence.text):
        n = _ordinal_of(t.text)
        if n is None or t.dep_ not in ("amod", "nummod", "compound") or t.ent_type_ == "DATE":
            continue
        head = t.head
        # "the inaugural U.S.-Republic of Cyprus Strategic Dialogue": a hyphenated head by its parts
        heads = {stem(head.lower_)} | {stem(p) for p in re.split(r"[-.]", head.lower_) if len(p) >= 3}
        if head.pos_ in ("NOUN", "PROPN") and heads & nouns:
            said.add(n)
        elif head.lower_ == "time" and meeting:  # "met for the first time": its first meeting
            said.add(n)
    return bool(said) and not (said & asked)


# the words that make a numbered thing a meeting ("its second ministerial meeting")
_MEETING = frozenset(stem(w) for w in ("meeting", "summit", "dialogue", "session", "round", "conference",
                                       "forum", "ministerial", "consultation", "talks"))


@lru_cache(maxsize=1)
def _parts() -> tuple[tuple[frozenset[str], re.Pattern[str]], ...]:
    """Each group of rival parts of an occasion, with the pattern of a question naming one of them."""
    nouns = "|".join(re.escape(n) for n in _spec().get("occasion_part_nouns") or [])
    out = []
    for group in _spec().get("occasion_parts") or []:
        words = "|".join(re.escape(w) for w in group)
        asked = re.compile(rf"\b({words})\s+(?:{nouns})\b|\bthe\s+({words})\s+of\b", re.I)
        out.append((frozenset(w.lower() for w in group), asked))
    return tuple(out)


def ceremony_miss(question: str, sentence: Any) -> bool:
    """The question names one part of an occasion; the sentence (or else its title) names another only."""
    for group, pattern in _parts():
        m = pattern.search(question)
        if m is None:
            continue
        want = (m.group(1) or m.group(2)).lower()
        for part in (sentence.text, sentence.title or ""):
            named = {w for w in group if re.search(rf"\b{re.escape(w)}\b", part, re.I)}
            if named:  # the first of sentence and title that names a part of the occasion decides
                if want not in named:
                    return True
                break
    return False


@lru_cache(maxsize=1)
def _phases() -> tuple[frozenset[str], ...]:
    return tuple(frozenset(stem(w) for w in group) for group in _spec().get("event_phases") or [])


# "the end of the year", "by the end of 2025": a time, no phase of the event ("saw the end of TGIF" is one)
_END_OF = re.compile(rf"""\b(?:the|an?)\s+end\s+of\s+(?:the\s+|this\s+|next\s+|last\s+|its\s+)?
                         (?:year|month|week|decade|century|day|term|quarter|summer|winter|spring|fall|autumn
                           |{_MONTH}|{_YEAR}|fiscal)\b""", re.I | re.X)


def _phase_miss(question: str, sentence: Any) -> bool:
    """The question asks for one phase of an event; the sentence names another phase and not it."""
    asked = _stems(_END_OF.sub(" ", question))
    said = _stems(_END_OF.sub(" ", sentence.text))
    for group in _phases():
        if not group & asked:
            continue
        rivals = set().union(*(g for g in _phases() if g is not group)) - group
        if rivals & said and not group & said:
            return True
    return False


_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")


def _month(name: str | None) -> int | None:
    return _MONTHS.index(name[:3].lower()) + 1 if name else None


def _period_miss(question: str, sentence: Any) -> bool:
    asked = list(_ASKED.finditer(_AT_END.sub("by the end of", question)))
    if not asked:
        return False
    running = list(_RUNNING.finditer(sentence.text))
    if not running:
        return any(_early_total(a, sentence) for a in asked)
    date = str(sentence.date or "")
    doc_year = int(date[:4]) if date[:4].isdigit() else None
    doc_month = int(date[5:7]) if date[5:7].isdigit() else None
    rest = _RUNNING.sub(" ", sentence.text)  # the years of the sentence that no running period holds
    for a in asked:
        year = int(a.group("year"))
        if re.search(rf"\b{year}\b", rest):
            return False  # the sentence states the question's year itself
        how = a.group("how").lower()
        for r in running:
            if how == "since":  # a running period asked: one that starts otherwise
                if r.group("since") and int(r.group("since")) != year:
                    return True
                continue
            end = int(r.group("asof")) if r.group("asof") else doc_year
            month = _month(r.group("month") or r.group("month_only")) or (None if r.group("asof") else doc_month)
            if how in ("in", "during", "for"):  # one year: no period running over others
                start = int(r.group("since")) if r.group("since") else None
                if start is not None and start != year or end is not None and end != year:
                    return True
            elif end is not None and (end != year or a.group("end") and month is not None and month < 12):
                return True  # "by 2025", "as of 2024": another end; "by the end of 2025": before it
    return False


_AHEAD = re.compile(r"\b(?:will|would|shall|plans?|aims?|expects?|goal|target|projected|by\s+(?:the\s+end\s+of\s+)?(?:19|20)\d\d)\b", re.I)


def _early_total(asked: re.Match[str], sentence: Any) -> bool:
    """A total asked at a year's end ("had generated by the end of 2025") answered by a sentence of a
    document dated months before it (January 2025) that states no year and no goal: the total of
    its own date."""
    if not asked.group("end") or asked.group("how").lower() != "by":
        return False
    date = str(sentence.date or "")
    if not re.match(r"\d{4}-\d\d", date) or re.search(rf"\b{_YEAR}\b", sentence.text) or _AHEAD.search(sentence.text):
        return False
    year, month = int(date[:4]), int(date[5:7])
    return year < int(asked.group("year")) or year == int(asked.group("year")) and month < 10


# the one year a question asks a figure for: "in 2022", "for fiscal year 2024" (not "in October 2024":
# the month dates an event of the question, not its figure)
_FIGURE_YEAR = re.compile(rf"\b(?:in|during|for)\s+(?:the\s+)?(?:(?:calendar|fiscal)\s+year\s+|FY\s*)?({_YEAR})\b", re.I)
# the years a sentence states its figures for: "in 2019", "during 2023", "for FY 2024", "as of 2024"
_STATED_YEAR = re.compile(rf"\b(?:in|during|for|as\s+of)\s+(?:the\s+)?(?:(?:calendar|fiscal)\s+year\s+|FY\s*)?({_YEAR})\b", re.I)


def _year_conflict(question: str, sentence: Any) -> bool:
    """The question asks a figure for one year; the sentence states its figures for others only."""
    asked = {m.group(1) for m in _FIGURE_YEAR.finditer(question)}
    if len(asked) != 1:
        return False
    year = next(iter(asked))
    if re.search(rf"\b{year}\b|\bFY\s*{year[2:]}\b", sentence.text):
        return False  # the sentence states the year asked (perhaps beside others)
    if any(m.group(1) != year for m in _STATED_YEAR.finditer(sentence.text)):
        return True
    return any(y != int(year) for y in _relative_years(sentence))


# a year the sentence names relative to its document's date: "this year", "last year", "next year"
_RELATIVE_YEAR = re.compile(r"\b(this|last|next|the\s+past|the\s+coming)\s+year\b(?!s)", re.I)
_YEAR_OFFSET = {"this": 0, "last": -1, "next": 1, "the past": -1, "the coming": 1}


def _relative_years(sentence: Any) -> set[int]:
    """The years "this year", "last year" and "next year" name in a sentence of a dated document."""
    date = str(sentence.date or "")
    if not date[:4].isdigit():
        return set()
    return {int(date[:4]) + _YEAR_OFFSET[" ".join(m.group(1).lower().split())]
            for m in _RELATIVE_YEAR.finditer(sentence.text)}


_DAYS = r"(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"
# a name and its number: "Kwibuka 31", "COP28", "Title 42", "Apollo 11" (no month's day, no weekday,
# no year, no amount, no ordinal)
_NAME_NUMBER = re.compile(rf"\b(?!{_MONTH}\b|{_DAYS}\b)([A-Z][A-Za-z]{{2,}})[ -]?(\d{{1,3}})\b(?![.,]\d|\s*(?:%|percent|st|nd|rd|th)\b)")


def _numbers_of(name: str, text: str) -> set[str]:
    return {m.group(1).lstrip("0") for m in re.finditer(rf"\b{re.escape(name)}[ -]?(\d{{1,3}})\b(?![.,]\d)", text)}


def _name_number_conflict(question: str, sentence: Any) -> bool:
    """A name the question numbers ("Kwibuka 31") that the sentence, or else its title, numbers otherwise only."""
    for m in _NAME_NUMBER.finditer(question):
        name, number = m.group(1), m.group(2).lstrip("0")
        for part in (sentence.text, sentence.title or ""):
            said = _numbers_of(name, part)
            if said:  # the first of sentence and title that numbers the name decides
                if number not in said:
                    return True
                break
    return False


def conflicts(question: str, kind: str, c: Any, features: dict[str, float],
              parse: Callable[[str], Any] | None, asked: set[int]) -> dict[str, float]:
    """The conflicts of this module for candidate ``c`` of a question of reader type ``kind``
    (``"fact"`` for a stored fact's span) whose numbered ordinals are ``asked``."""
    s = c.sentence
    out = {n: 0.0 for n in CONFLICTS}
    if not features.get("k_ord_dated"):
        out["ordinal_conflict"] = float(bool(features.get("k_ord_conflict"))
                                        or _ordinal_conflict(question, s, asked, parse))
    out["ceremony_miss"] = float(ceremony_miss(question, s))
    if kind == "date":
        out["phase_miss"] = float(_phase_miss(question, s))
    if kind in _NUMERIC:
        out["period_miss"] = float(_period_miss(question, s))
    if kind in _NUMERIC or kind != "date" and re.search(r"\d", c.text):  # a figure, whatever the type asked
        out["year_conflict"] = float(_year_conflict(question, s))
    out["name_number_conflict"] = float(_name_number_conflict(question, s))
    return out
