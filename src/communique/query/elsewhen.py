"""Near misses of time and person: when the answer's document was written, whom it names, and
whether the answer to a question about an office holder is a person at all.

The checks of ``query.nearmiss`` read the answer's value, sentence and paragraph; these read the
document as a whole, and the recogniser's people in the answer's sentence:

- ``time_outside``: the question states a time for its event ("during his July 2022 trip", "in
  September 2023") and the answer's sentence states no date inside it, in a document written
  before that time begins (without announcing it: no "will" within ``AHEAD_DAYS``) or more than ``LATE_DAYS`` after it
  ends: the sentence reports the same kind of thing at another time (a foreign minister met in
  2024 for a trip of 2022; a drawdown of July for one of September). A date answer is checked by
  its value instead (``date_outside``), a document without a date not at all;
- ``no_person``: a question that asks for the holder of an office ("Which Japanese cabinet minister",
  "Which U.S. cabinet secretary"; not "Who can question the First Minister?") answered by a span that is no
  person: the recogniser marks no word of it a person, and it holds no title ("National Security",
  "Democratic Republic");
- ``person_miss``: the question names a person in full ("Secretary General Hiski Haukkala") of
  whose name the answer's document and its title give no word, as written or misspelt by a letter:
  the document is about another conversation of the same official.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Callable

from communique.dates import find_dates

__all__ = ["ELSEWHEN", "MONTH_NAMES", "elsewhen", "LATE_DAYS"]

ELSEWHEN = ("time_outside", "person_miss", "no_person")
LATE_DAYS = 60  # a readout, a statement or a fact sheet reports its event within weeks
_FUTURE = re.compile(r"\b(?:will|shall|plans? to|intends? to|is to|are to|upcoming|next)\b", re.I)
AHEAD_DAYS = 180  # how far ahead a document announces its event
MONTH_NAMES = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
               "november", "december")  # (query.nearmiss reads them here)
# a month and year that date the occasion of the question: "during his July 2022 trip", "at the June 2021
# summit" (not "joined in the December 2023 pledge": a reference to another act)
_DATED_NOUN = re.compile(r"\b(?:during|at)\s+(?:his|her|its|their|the|a|an)\s+"
                         r"(?P<month>" + "|".join(MONTH_NAMES) + r")\s+(?P<year>(?:19|20)\d\d)\b(?!\s*[-–/,]\s*\d)", re.I)


# the day the question's act took place: "designate for sanctions on August 9, 2021"
_ON_DAY = re.compile(r"\bon\s+(?P<month>" + "|".join(MONTH_NAMES) + r")\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+"
                     r"(?P<year>(?:19|20)\d\d)\b", re.I)


def _day(value: Any) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except (TypeError, ValueError):
        return None


def _times(question: str) -> list[tuple[dt.date, dt.date]]:
    """The times the question dates its event in (``query.nearmiss.asked_times``), the month of the
    occasion it dates ("during his July 2022 trip") and the day its main clause gives ("designate
    on August 9, 2021")."""
    from communique.query.nearmiss import _CLAUSE_END, asked_times

    out = asked_times(question)
    for m in _DATED_NOUN.finditer(question):
        year, month = int(m.group("year")), MONTH_NAMES.index(m.group("month").lower()) + 1
        out.append((dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])))
    opening = re.search(r"\b(?:what|which|when|who|whom|how)\b", question, re.I)
    end = _CLAUSE_END.search(question, opening.end() if opening else 0)
    for m in _ON_DAY.finditer(question):
        if end is not None and m.start() > end.start():
            break  # (the comma of "December 13, 2023" is no clause's end: the day starts before it)
        try:
            day = dt.date(int(m.group("year")), MONTH_NAMES.index(m.group("month").lower()) + 1, int(m.group("day")))
        except ValueError:
            continue
        out.append((day, day))
    return out


def _time_outside(question: str, sentence: Any) -> bool:
    from communique.query.nearmiss import _DEADLINE, _interval

    written = _day(sentence.date)
    times = _times(question)
    if written is None or not times or _DEADLINE.search(question):
        return False
    for d in find_dates(sentence.text, reference=sentence.date):
        got = _interval(str(d.value)) if d.value else None
        if got and any(first <= got[0] and got[1] <= last for first, last in times):
            return False  # the sentence dates what it says inside the time asked
    late = dt.timedelta(days=LATE_DAYS)
    before = all(written < first for first, _ in times)
    after = all(last != dt.date.max and written > last + late for _, last in times)
    ahead = all(written + dt.timedelta(days=AHEAD_DAYS) >= first for first, _ in times)
    return (before and not (ahead and _FUTURE.search(sentence.text))) or after


def _full_names(question: str, parse: Callable[[str], Any]) -> list[list[str]]:
    """The words of each person the question names by two words or more ("Hiski Haukkala")."""
    out = []
    for ent in parse(question).ents:
        words = [t.text for t in ent if t.is_alpha and t.text[:1].isupper() and len(t.text) >= 3]
        if ent.label_ == "PERSON" and len(words) >= 2:
            out.append(words)
    return out


def _person_miss(question: str, sentence: Any, document: str, parse: Callable[[str], Any] | None) -> bool:
    """No word of a person's name the question gives in full is in the document, as written or
    misspelt by a letter ("Harold Winston" of a document on Harold Wilson is a misspelt name, not
    another person)."""
    from communique.query.nearmiss import _spelt

    if parse is None:
        return False
    said = f"{document}\n{sentence.title or ''}\n{sentence.text}"
    return any(not any(_spelt(word, said) for word in words) for words in _full_names(question, parse))


# "Which Japanese cabinet minister", "What U.S. special envoy": a question that asks for an office's holder
_ASKS_OFFICE = re.compile(r"^\s*(?:(?:in|at|to|for|from|with|by)\s+)?(?:which|what)\s+"
                          r"(?:(?!(?:was|were|is|are|did|does|do|had|has|have|will|would|can|could)\b)[A-Za-z][\w.'’-]*\s+){0,4}?"
                          r"(?:minister|secretary|advis[eo]r|envoy|ambassador|director|chief|commissioner|governor"
                          r"|president|official|chancellor|spokesperson|representative|co-chair|premier)\b", re.I)


def _no_person(question: str, c: Any, parse: Callable[[str], Any] | None) -> bool:
    from communique.query.names import holds_title

    # the question asks for the holder of an office ("which minister"), not about one ("Who can question the
    # First Minister?": a body of people may answer that)
    if parse is None or getattr(c, "fact", None) is not None or not _ASKS_OFFICE.search(question):
        return False
    if holds_title(c.text):  # "Foreign Minister Murillo", "Energy Secretary Granholm"
        return False
    doc = parse(c.sentence.text)
    if any(t.ent_type_ == "PERSON" for t in doc if c.start <= t.idx < c.end):
        return False
    # a title the name follows ("Secretary of Foreign Affairs Alicia Bárcena"): the answer is that name,
    # unless the question gives it (its own subject: "... Technologies Anne Neuberger")
    after = next((t for t in doc if t.idx >= c.end), None)
    if after is not None and after.ent_type_ == "PERSON":
        name = next((e for e in doc.ents if e.start <= after.i < e.end), None)
        return name is not None and name[-1].text in question
    return True


def elsewhen(question: str, kind: str, c: Any, document: str | None,
             parse: Callable[[str], Any] | None = None) -> dict[str, float]:
    """The checks of this module for candidate ``c`` (its ``sentence`` has ``text``, ``date`` and
    ``title``) of a question of reader type ``kind``; ``document`` is its document's text (None: unknown, and ``person_miss`` is not read)."""
    return {
        "time_outside": float(kind != "date" and _time_outside(question, c.sentence)),
        "person_miss": float(document is not None and _person_miss(question, c.sentence, document, parse)),
        "no_person": float(kind in ("person", "list") and _no_person(question, c, parse)),
    }
