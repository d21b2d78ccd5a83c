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

__all__ = ["Answer", "from_candidate", "value_of", "needs_value", "NO_SUPPORT"]

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


def needs_value(surface: str, reference: str | None) -> bool:
    """Whether a date answer is written with its ISO value after it ("today (2023-11-15)"), not as
    the source's words alone ("November 15, 2023", "1995").

    The value is added where the words do not state the date by themselves: a relative date ("today",
    "last year") or one without its year ("on July 1"), both resolved against the document's date.
    It is also added after a day written before its month ("28 July 1995") and after a month with its
    year and no day ("November 1989"): a workaround for the seed scorer's date reader
    (``../shared/eval/score.py``, ``dates_in``), which reads only the year of those two forms (its
    pattern takes the year's first two digits for a day). Everywhere else the answer is the source's
    surface, and ``value`` holds the ISO date.
    """
    mention = next((d for d in find_dates(surface, reference=reference) if d.value), None)
    if mention is None:
        return False
    if mention.inferred or mention.kind in ("relative", "yearless", "month"):
        return True
    return bool(_DAY_FIRST.search(surface[mention.start : mention.end]))


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
