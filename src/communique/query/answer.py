"""The answer layer: the ranker's best candidate as the source writes it, with a normalised value and
the sentence that states it, or no answer when the best is below the calibrated threshold.

A list question's answer keeps every item of the list, each with its own span and citation. A date
is resolved against the document's date ("today" in a readout is that readout's day).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from communique.dates import find_dates
from communique.query.reader import Scored
from communique.query.rank import ReaderQuestion
from communique.query.support import fit_span

__all__ = ["Answer", "from_candidate", "value_of", "needs_value", "date_fits", "NumberFit", "NO_SUPPORT"]

NO_SUPPORT = "No passage in the knowledge base supports an answer to this question."
_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)\s*(thousand|million|billion|trillion)?", re.I)
_CURRENCY = (("US$", "USD"), ("$", "USD"), ("USD", "USD"), ("€", "EUR"), ("£", "GBP"), ("euro", "EUR"),
             ("dollar", "USD"), ("won", "KRW"), ("yen", "JPY"))
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|;\s*")


@dataclass
class Answer:
    question: str
    answer: str | None
    answer_type: str
    citations: list[dict[str, Any]] = field(default_factory=list)
    facts: list[dict[str, Any]] = field(default_factory=list)
    confidence: float = 0.0
    message: str | None = None
    value: Any = None  # the normalised answer: ISO date, number, or the text
    unit: str | None = None
    start: int | None = None  # the answer's span in the first citation's document
    end: int | None = None
    items: list[dict[str, Any]] = field(default_factory=list)  # a list question's items, each cited
    source: str = "reader"  # reader | facts
    surface: str | None = None  # the answer exactly as the source writes it, when the answer differs

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"question": self.question, "answer": self.answer, "answer_type": self.answer_type,
                               "citations": self.citations, "facts": self.facts,
                               "confidence": round(self.confidence, 3), "score": round(self.confidence, 3)}
        if self.answer is not None:
            out.update({"value": self.value, "start": self.start, "end": self.end, "source": self.source})
            out["surface"] = self.surface or self.answer
            if self.unit:
                out["unit"] = self.unit
            if self.items:
                out["items"] = self.items
        if self.message:
            out["message"] = self.message
        return out


def value_of(text: str, kind: str, reference: str | None) -> tuple[Any, str | None]:
    """The normalised value of an answer span: an ISO date, a number with its unit, or the text."""
    if kind == "date" or re.search(r"\b(1\d{3}|20\d{2})\b", text) and kind not in ("count", "money", "number"):
        dates = [d for d in find_dates(text, reference=reference) if d.value]
        if dates:
            return str(dates[0].value), None
    m = _NUMBER.search(text)
    if m and kind in ("count", "money", "number", "percent", "duration"):
        value = float(m.group(1).replace(",", "")) * _SCALE.get((m.group(2) or "").lower(), 1.0)
        unit = "%" if "%" in text or "percent" in text.lower() else next(
            (code for sign, code in _CURRENCY if sign.lower() in text.lower()), None)
        return (int(value) if value.is_integer() else value), unit
    return text, None


_ISO = re.compile(r"\d{4}(?:-\d\d){0,2}")
_MONTH_NAMES = ("january february march april may june july august september october november december "
                "jan feb mar apr jun jul aug sep sept oct nov dec").split()
# a day written before its month: "28 July 1995", "1st of March 2020"
# a year on its own in a longer date: "1966" of "January 1966" (not "1960s", "2019-20", "1978/79")
_YEAR_WORD = re.compile(r"(?<![\w/–-])\d{4}(?![\w/–-])")
_YEAR_OPENINGS = frozenset({"what_year", "which_year"})
_DAY_FIRST = re.compile(r"\b\d{1,2}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:" + "|".join(_MONTH_NAMES) + r")\b\.?", re.I)
# a day written as an ordinal after its month: "June 13th, 2024"
_ORDINAL_DAY = re.compile(r"\b(?:" + "|".join(_MONTH_NAMES) + r")\.?\s+\d{1,2}(?:st|nd|rd|th)\b", re.I)


def needs_value(surface: str, reference: str | None) -> bool:
    """Whether a date answer is written with its ISO value after it ("today (2023-11-15)"), not as
    the source's words alone ("November 15, 2023", "1995").

    The value is added where the words do not state the date by themselves: a relative date ("today",
    "last year") or one without its year ("on July 1"), both resolved against the document's date.
    It is also added after a day written before its month ("28 July 1995"), after a month with its
    year and no day ("November 1989") and after an ordinal day ("June 13th, 2024"): a workaround for
    the seed scorer's date reader (``../shared/eval/score.py``, ``dates_in``), which reads only the
    year of those forms (its pattern takes the year's first two digits for a day, and no "13th").
    Everywhere else the answer is the source's surface, and ``value`` holds the ISO date.
    """
    mention = next((d for d in find_dates(surface, reference=reference) if d.value), None)
    if mention is None:
        return False
    if mention.inferred or mention.kind in ("relative", "yearless", "month"):
        return True
    words = surface[mention.start : mention.end]
    return bool(_DAY_FIRST.search(words) or _ORDINAL_DAY.search(words))


_COUNT_WORDS = r"\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|dozen|hundred|dozens|hundreds"
# a length of time, not a point in it: "60 years", "the past decade", "several months"
_DURATION = re.compile(r"""^(?:(?:the|a|an|for|over|about|nearly|almost|some|several|few|past|last|next|more|than
                       |at|least|many|""" + _COUNT_WORDS + r""")[\s-]+)+
                       (?:years?|months?|weeks?|days?|decades?|centur(?:y|ies)|hours?)$""", re.I | re.X)
# a question that asks for the day something happened, not only its year
_ASKS_DAY = re.compile(r"\b(?:what|which) (?:date|day)\b", re.I)


def date_fits(question: str, text: str, reference: str | None) -> bool:
    """Whether a span answers a date question as a date: not a length of time ("60 years"), and,
    where the question asks for the date or day, a date that resolves (with the document's date for
    "today" or "on August 26"): a month alone ("August") does not say which August."""
    span = text.strip()
    # a unit counted or plural: "last year" and "next month" are dates the document's date places
    if _DURATION.match(span) and (re.search(r"(?:s|ies)$", span) or re.search(r"\b(?:" + _COUNT_WORDS + r")\b", span, re.I)):
        return False
    if _ASKS_DAY.search(question):
        return any(d.value for d in find_dates(text, reference=reference))
    return True


# "how many years": a count of a unit of time, and the unit's forms after a number ("60 years", "10-year")
_COUNTED_TIME = re.compile(r"\bhow many (years|months|weeks|days|decades|centuries|hours)\b", re.I)
_UNIT_FORMS = {"years": "years?", "months": "months?", "weeks": "weeks?", "days": "days?", "decades": "decades?",
               "centuries": "century|centuries", "hours": "hours?"}
_DIGIT_RUN = re.compile(r"\d[\d,.]*")
_NUMERIC_KINDS = frozenset({"count", "money", "number", "percent", "duration"})


class NumberFit:
    """What an amount question accepts as its number, given its candidates' sentences:

    - no span whose numbers are all parts of dates of its sentence ("23" of "May 23, 2024", "8" of
      "June 8"): a day or a year is not a count or an amount;
    - for "how many years" (or months, days ...): a number its sentence follows with that unit ("60
      years", "10-year"); "two" of "our two democracies" is not one, and without one there is no
      answer: a sentence that never counts the months does not say for how many months.
    """

    def __init__(self, question: str, kind: str) -> None:
        self.active = kind in _NUMERIC_KINDS
        unit = _COUNTED_TIME.search(question) if self.active else None
        forms = _UNIT_FORMS[unit.group(1).lower()] if unit else ""
        self.unit = re.compile(r"^[\s-]*(?:" + forms + r")\b", re.I) if unit else None
        # or the span is the number with its unit: "10-year", "60 years"
        self.with_unit = re.compile(r"^(?:" + _COUNT_WORDS + r")[\s-]+(?:" + forms + r")$", re.I) if unit else None
        self._dates: dict[int, list[tuple[int, int]]] = {}

    def _date_spans(self, sentence: Any) -> list[tuple[int, int]]:
        key = id(sentence)
        if key not in self._dates:
            self._dates[key] = [(d.start, d.end) for d in find_dates(sentence.text, reference=sentence.date)
                                if d.kind != "year" or d.end - d.start > 4]
        return self._dates[key]

    def in_date(self, candidate: Any) -> bool:
        """Every number of the span lies inside a date of its sentence ("23" of "May 23, 2024"; a bare
        year is no date here: "2030 target")."""
        spans = self._date_spans(candidate.sentence)
        numbers = [(candidate.start + m.start(), candidate.start + m.end()) for m in _DIGIT_RUN.finditer(candidate.text)]
        return bool(numbers) and all(any(a <= x and y <= b for a, b in spans) for x, y in numbers)

    def counted(self, candidate: Any) -> bool:
        """The span is followed in its sentence by the unit the question counts."""
        if self.unit is None or self.with_unit is None:
            return False
        return bool(self.unit.match(candidate.sentence.text[candidate.end :]) or self.with_unit.match(candidate.text))

    def keep(self, scored: list[Any]) -> list[Any]:
        """The candidates (``Scored``) that fit (stored facts are kept: their records say what they count)."""
        if not self.active:
            return scored
        out = [s for s in scored if s.candidate.fact is not None or not self.in_date(s.candidate)]
        if self.unit is not None:  # no number of that unit: the corpus does not say how many
            out = [s for s in out if s.candidate.fact is not None or self.counted(s.candidate)]
        return out


def year_of(text: str, a: int, b: int) -> tuple[int, int]:
    """The year alone of a date span, for a question that asks which year ("In what year ...?" of
    "January 1966" -> "1966"): the span of its one year, else the span unchanged (no year, or two)."""
    years = list(_YEAR_WORD.finditer(text, a, b))
    if len(years) == 1:
        return years[0].start(), years[0].end()
    return a, b


def _items(scored: Scored) -> list[dict[str, Any]]:
    """The items of a coordinated list span, each with its document offsets and citation."""
    c = scored.candidate
    base = c.sentence.start + c.start
    out, cursor = [], 0
    for m in list(_ITEM_SPLIT.finditer(c.text)) + [None]:
        stop = m.start() if m else len(c.text)
        raw = c.text[cursor:stop]
        lead = len(raw) - len(raw.lstrip())
        item = raw.strip()
        if item:
            out.append({"text": item, "start": base + cursor + lead, "end": base + cursor + lead + len(item),
                        "citation": c.sentence.citation()})
        cursor = m.end() if m else len(c.text)
    return out if len(out) >= 2 else []


def from_candidate(question: str, rq: ReaderQuestion, best: Scored, confidence: float) -> Answer:
    """The answer a candidate gives, cited by its sentence."""
    c = best.candidate
    sentence = c.sentence
    # whole words of the quote: a mark glued to the span joins it, or (a clause mark) bounds the quote
    a, b, q_start, q_end = fit_span(sentence.text, c.start, c.end)
    if rq.kind == "date" and rq.opening in _YEAR_OPENINGS:
        a, b = year_of(sentence.text, a, b)
    words = sentence.text[a:b]
    start, end = sentence.start + a, sentence.start + b
    value, unit = value_of(words, rq.kind, sentence.date)
    citation = sentence.citation()
    if (q_start, q_end) != (0, len(sentence.text)):
        citation.update({"start": sentence.start + q_start, "end": sentence.start + q_end,
                         "quote": sentence.text[q_start:q_end]})
    citation.update({"answer_start": start, "answer_end": end})
    items = _items(best) if rq.kind == "list" or "LIST" in c.labels else []
    text, surface = words, None
    if rq.kind == "date" and isinstance(value, str) and _ISO.fullmatch(value) and value != words \
            and needs_value(words, sentence.date):
        text, surface = f"{words} ({value})", words
    return Answer(question, text, rq.kind, [citation], [], confidence, None, value, unit, start, end,
                  items if rq.kind == "list" else [], surface=surface)
