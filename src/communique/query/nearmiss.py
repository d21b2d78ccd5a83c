"""Near misses: the chosen answer states a neighbouring fact, not the one the question asks about.

A question the corpus cannot answer still finds a sentence about its neighbour: the same call in
another month, the same office held by another minister, the visit without the city the question
names. ``query.mismatch`` and ``query.conflicts`` read what the sentence lacks or states otherwise;
the checks here read the answer's value, its paragraph and its whole document:

- ``date_outside``: a date asked for a time the question states ("On what date ... in April
  2021", "in 2023", "before February 2024") answered by a date outside it ("today" of a statement
  of March 31, 2021; "July 11, 2024" for January 2025). Only the question's main clause counts:
  "the one Biden ... agreed in January 2025" dates another act;
- ``date_coarse``: the date or the day asked ("On what date did ... vote") answered by a year
  alone ("will ratify ... early next year"): the time of a plan, not the day of the act;
- ``actor_miss``: the person the question makes its subject ("did Jake Sullivan meet", "did Biden
  speak") is named neither in the answer's sentence nor in its paragraph (only, say, in the
  document's title), and the sentence makes another named person its doer ("Jake Sullivan spoke
  ..." for "did Biden speak"): the sentence reports another's act. A sentence in the first person ("I spoke
  to him yesterday") is the speaker's, whom the title may name ("Statement from President Biden");
- ``title_conflict``: a person asked by office ("Which Argentine foreign minister") answered by a
  name its sentence gives another office of the same kind ("Economy Minister Luis Caputo");
- ``demonym_conflict``: a count of one state's people ("How many American citizens were killed")
  answered by a number of another's ("killed four Israeli civilians");
- ``document_miss``: the question's rarest name (by paragraph frequency: a place, a person)
  is nowhere in the answer's document, by itself, its stem or a synonym: the document is about a
  neighbouring event ("a two day visit to Iraq" for a meeting in Sulaymaniyah). A city the gazetteer
  places in a state is named by that state ("Washington and Riyadh"), and the place of a noun of
  the question ("the June 2021 summit in Cornwall") is no miss: the summit is named otherwise.
- ``act_miss``: the question's main verb is a rare act ("did Hungary deposit its instrument") that
  the answer's document never names: it reports another act of the same affair.

``time_outside`` (a document written long before or after the time the question states),
``person_miss`` (a person the question names in full whom the document never names) and
``no_person`` (an office holder asked, no person answering) are read by ``query.elsewhen``.

Each is a feature of the answer's calibrated confidence (``query.calibration``), with a hand-set
weight (``tuned`` of the ``calibration`` in ``data/models/reader.json``); a stored fact's answer is
checked by its value and its document too.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any, Callable

from communique.query.elsewhen import ELSEWHEN, MONTH_NAMES as _MONTH_NAMES, elsewhen
from communique.query.matching import stem

__all__ = ["NEAR_MISSES", "near_misses", "asked_times", "outside"]

NEAR_MISSES = ("date_outside", "date_coarse", "actor_miss", "title_conflict", "demonym_conflict", "document_miss", "act_miss",
               *ELSEWHEN)
DOCUMENT_RARE_IDF = 7.0  # a word in about one paragraph of a thousand: what the question is about
ACT_RARE_IDF = 7.0  # a verb as rare: an act few documents report ("deposit", not "meet")
_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December"
          r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?")
# the time a question states for its event: "in April 2021", "during 2023", "before February 2024"
_STATED = re.compile(rf"""\b(?P<how>in|during|before|after|until|by)\s+
                         (?:(?:early|late|mid-?)\s*)?
                         (?:(?P<month>{_MONTH})\s+)?
                         (?P<year>(?:19|20)\d\d)\b
                         (?!\s*[-–/]\s*\d|,?\s*\d)  # no range of years, no day after it""", re.I | re.X)
# where the question's main clause ends: a comma, or a relative word after its opening
# (a comma before a capitalised word lists names: "the United States, France and the United Kingdom")
_CLAUSE_END = re.compile(r",(?!\s*[A-Z])|\s(?:that|which|who|whom|whose|where|when|while|the\ one)\s", re.X)
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")


def _month_index(name: str) -> int:
    return next(i for i, m in enumerate(_MONTH_NAMES, 1) if m.startswith(name.lower().rstrip(".")[:3]))


def _interval(value: str) -> tuple[dt.date, dt.date] | None:
    """The days an ISO date at its precision covers ("2021" -> the whole year); a range "A/B" from
    A's first day to B's last (open when B is empty)."""
    if "/" in value:
        a, b = value.split("/", 1)
        first, last = _interval(a), _interval(b) if b else (None, dt.date.max)
        return (first[0], last[1]) if first and last else None
    parts = value.split("-")
    try:
        year = int(parts[0])
        if len(parts) == 1:
            return dt.date(year, 1, 1), dt.date(year, 12, 31)
        month = int(parts[1])
        if len(parts) == 2:
            return dt.date(year, month, 1), dt.date(year, month, calendar.monthrange(year, month)[1])
        day = dt.date(year, month, int(parts[2][:2]))
        return day, day
    except (ValueError, IndexError):
        return None


def asked_times(question: str) -> list[tuple[dt.date, dt.date]]:
    """The intervals the question's main clause dates its event in: "in April 2021" (that month),
    "in 2023" (that year), "before February 2024" (any day before it), "by 2025" (up to its end)."""
    opening = re.search(r"\b(?:what|which|when|who|whom|how)\b", question, re.I)
    start = opening.end() if opening else 0
    end = _CLAUSE_END.search(question, start)
    main = question[: end.start() if end else len(question)]
    out = []
    for m in _STATED.finditer(main):
        year = int(m.group("year"))
        month = _month_index(m.group("month")) if m.group("month") else None
        first = dt.date(year, month or 1, 1)
        last = dt.date(year, month or 12, calendar.monthrange(year, month or 12)[1])
        how = m.group("how").lower()
        if how == "before":
            first, last = dt.date.min, first - dt.timedelta(days=1)
        elif how == "after":
            first, last = last + dt.timedelta(days=1), dt.date.max
        elif how in ("until", "by"):
            first = dt.date.min
        out.append((first, last))
    return out


# "By what year did NATO allies commit in June 2025 ...": a deadline asked, not the date of the act
_DEADLINE = re.compile(r"\b(?:by|until|till|through|before)\s+(?:what|which|when)\b", re.I)


def outside(question: str, value: Any) -> bool:
    """Whether a date answer's value (ISO, at its precision) lies outside every time the question's
    main clause states (``asked_times``); False where it states none, the value is no date or the
    question asks a deadline ("by what year"), which its act's date does not bound."""
    if not isinstance(value, str) or _DEADLINE.search(question):
        return False
    times = asked_times(question)
    got = _interval(value)
    if not times or got is None:
        return False
    return all(got[1] < first or got[0] > last for first, last in times)


def _near(a: str, b: str) -> bool:
    """Two spellings of one name: at most one letter added, dropped, changed or two swapped
    ("Hamaz" / "Hamza", "Moncalm" / "Montcalm"): questions misspell the names they read."""
    if abs(len(a) - len(b)) > 1 or a[:1] != b[:1]:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) <= 1 or len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = sorted((a, b), key=len)
    return any(long[:i] + long[i + 1:] == short for i in range(len(long)))


def _spelt(name: str, text: str) -> bool:
    """The name is in the text, as written or misspelt by a letter (``_near``)."""
    low = name.lower()
    if re.search(rf"\b{re.escape(low)}", text.lower()):
        return True
    return len(low) >= 5 and any(_near(low, w) for w in {w.lower() for w in _WORD.findall(text) if w[:1].isupper()})


def _context(sentence: Any, text_of: Callable[[str], str] | None) -> tuple[str, str]:
    """The sentence's paragraph (the blank-line block around it) and its whole document."""
    text = (text_of(sentence.document) if text_of else "") or ""
    if not text or text[sentence.start:sentence.end] != sentence.text:
        return sentence.text, text or sentence.text
    a = text.rfind("\n\n", 0, sentence.start)
    b = text.find("\n\n", sentence.end)
    return text[a + 2 if a >= 0 else 0: b if b >= 0 else len(text)], text


_NOT_PEOPLE = frozenset({"GPE", "NORP", "ORG", "LOC", "DATE", "EVENT", "LAW", "PRODUCT"})


def _subject_names(question: str, parse: Callable[[str], Any]) -> list[str]:
    """The surname of the person the question makes the subject of its main verb ("did Jake
    Sullivan meet" -> "Sullivan"); none for a wh-word, a common noun or a state."""
    doc = parse(question)
    out = []
    for t in doc:
        if t.dep_ not in ("nsubj", "nsubjpass") or t.head.dep_ != "ROOT" or t.pos_ != "PROPN":
            continue
        # a person's name: a PERSON, or a name of two words of no other kind ("Antony Blinken" read as a FAC)
        if t.ent_type_ == "PERSON" or any(c.dep_ == "compound" and c.ent_type_ == "PERSON" for c in t.children) or (
                t.ent_type_ not in _NOT_PEOPLE and any(c.dep_ == "compound" and c.pos_ == "PROPN" for c in t.children)):
            out.append(t.text)
    return out


_FIRST_PERSON = re.compile(r"\b(?:I|we|We|my|My|our|Our|me|us)\b")


def _other_doer(sentence: Any, names: list[str], parse: Callable[[str], Any]) -> bool:
    """The sentence makes a named person other than ``names`` the subject of a verb."""
    for t in parse(sentence.text):
        if t.dep_ in ("nsubj", "nsubjpass") and t.pos_ == "PROPN" and t.ent_type_ == "PERSON" and t.text not in names:
            return True
    return False


def _actor_miss(question: str, sentence: Any, paragraph: str, parse: Callable[[str], Any] | None) -> bool:
    if parse is None:
        return False
    names = _subject_names(question, parse)
    said = f"{sentence.text}\n{paragraph}"
    if _FIRST_PERSON.search(sentence.text):  # "I spoke to him yesterday": the speaker, whom the title may name
        said += "\n" + (sentence.title or "")
    missing = [n for n in names if not _spelt(n, said)]
    return bool(missing) and _other_doer(sentence, names, parse)


# "Which Argentine foreign minister", "What U.S. special envoy": the office a person is asked by
_OFFICE = re.compile(r"^\s*(?:which|what)\s+((?:[A-Za-z][\w.'-]*\s+){0,4}?)"
                     r"(minister|secretary|advisor|adviser|envoy|ambassador|director|chief|commissioner|governor)\b", re.I)
_TITLE_BEFORE = re.compile(r"((?:[A-Z][\w.'’-]*\s+)+)$")


def _title_conflict(question: str, c: Any) -> bool:
    """The question asks a person by an office with a modifier ("foreign minister") and the name's
    sentence gives it the same office with other modifiers only ("Economy Minister")."""
    from communique.extract.gazetteer import gazetteer

    m = _OFFICE.search(question)
    if m is None:
        return False
    office = m.group(2).lower()
    asked = {w.lower() for w in m.group(1).split()}
    asked -= {w.lower() for w in asked if any(x.kind in ("demonym", "state") for x in gazetteer().find(w.title()))}
    asked = {w for w in asked if w not in ("the", "a", "an", "u.s.", "american")}
    if not asked:
        return False
    before = _TITLE_BEFORE.search(c.sentence.text[: c.start])
    if before is None:
        return False
    title = [w.lower().strip(".,") for w in before.group(1).split()]
    if office not in title:
        return False
    own = set(title[: title.index(office)])  # the words that qualify the office ("Economy")
    return bool(own) and not asked & own


def _names_of(question: str) -> list[str]:
    """The capitalised words of the question past its first (names: "Sulaymaniyah", "McGurk"), no
    acronym ("OSTP" is spelt out by its documents) and no month."""
    out = []
    for m in _WORD.finditer(question):
        w = m.group().replace("’", "'")
        acronym = w.isupper() or w[:-1].isupper()  # "OSTP", "DSMs"
        if m.start() and w[0].isupper() and not acronym and len(w) >= 4 and w.lower() not in _MONTH_NAMES:
            out.append(w.lower())
    return out


def _names_state(state: str, text: str) -> bool:
    from communique.extract.gazetteer import gazetteer

    aliases = gazetteer().entity_aliases.get(state) or [state]
    return any(a and a in text for a in [state, *aliases])


def _places_a_noun(question: str, name: str, parse: Callable[[str], Any]) -> bool:
    """The name is the place of a noun of the question ("the summit in Cornwall"), not of its act
    ("meet in Sulaymaniyah")."""
    for t in parse(question):
        if t.lower_.replace("’", "'") == name and t.dep_ == "pobj" and t.head.dep_ == "prep":
            return t.head.head.pos_ in ("NOUN", "PROPN")
    return False


def _document_miss(question: str, weights: dict[str, float], document: str, title: str,
                   parse: Callable[[str], Any] | None = None) -> bool:
    """The question's rarest name (an IDF of ``DOCUMENT_RARE_IDF`` or more) is nowhere in the
    document or its title, by its stem or a synonym's."""
    from communique.query.retrieve import synonyms

    own = [w for w in dict.fromkeys(_names_of(question)) if stem(w) in weights or stem(w.split("'")[0]) in weights]
    if not own:
        return False
    rarest = max(own, key=lambda w: weights.get(stem(w), weights.get(stem(w.split("'")[0]), 0.0)))
    if weights.get(stem(rarest), weights.get(stem(rarest.split("'")[0]), 0.0)) < DOCUMENT_RARE_IDF:
        return False
    if parse is not None and _places_a_noun(question, rarest, parse):
        return False  # "the June 2021 summit in Cornwall": the summit is named otherwise (G7, its month)
    from communique.extract.gazetteer import gazetteer

    country = gazetteer().city_country.get(rarest.title())
    if country and _names_state(country, f"{document}\n{title}"):
        return False  # a known place by its state: "Riyadh" for Saudi Arabia, the summit "in Cornwall"
    have = _stems_of(f"{document}\n{title}")
    forms = {stem(rarest), stem(rarest.split("'")[0])} | {stem(x) for x in synonyms().get(rarest, ())}
    return not forms & have and not _spelt(rarest.split("'")[0], f"{document}\n{title}")


_ASKS_DAY = re.compile(r"\b(?:what|which)\s+(?:date|day)\b", re.I)


def _date_coarse(question: str, value: Any) -> bool:
    """The date or the day asked ("On what date did ... vote") answered by a year alone ("early
    next year"): the time of a plan or a period, not the day of the act."""
    return bool(_ASKS_DAY.search(question)) and isinstance(value, str) and re.fullmatch(r"\d{4}", value) is not None


def _states_of(text: str) -> set[str]:
    from communique.extract.gazetteer import gazetteer

    return {m.name for m in gazetteer().find(text) if m.kind in ("state", "demonym")}


def _demonym_conflict(question: str, c: Any, parse: Callable[[str], Any]) -> bool:
    """A count of people of one state asked ("How many American citizens were killed") answered by a
    number of another's ("killed four Israeli civilians"): the noun the number counts is qualified
    by a state the question does not name."""
    asked = _states_of(question)
    if not asked:
        return False
    doc = parse(c.sentence.text)
    for t in doc:
        if not (c.start <= t.idx < c.end) or t.dep_ not in ("nummod", "quantmod", "compound"):
            continue
        noun = t.head  # outside the span ("four" of "four Israeli civilians") or in it (a figure's whole span)
        if noun.pos_ not in ("NOUN", "PROPN"):
            continue
        said = set().union(*(_states_of(m.text) for m in noun.children if m.dep_ in ("amod", "compound", "nmod")))
        if said and not said & asked:
            return True
    return False


def _stems_of(text: str) -> set[str]:
    words = _WORD.findall(text.lower().replace("’", "'"))
    return {stem(w) for w in words} | {stem(w.split("'")[0]) for w in words}


def _act_miss(question: str, weights: dict[str, float], document: str, title: str,
              parse: Callable[[str], Any] | None) -> bool:
    """The question's main verb is a rare act (an IDF of ``ACT_RARE_IDF`` or more: "deposit its
    instrument") that its answer's document never names, by its stem or a synonym's."""
    from communique.query.retrieve import synonyms

    if parse is None:
        return False
    root = next((t for t in parse(question) if t.dep_ == "ROOT"), None)
    if root is None or root.pos_ != "VERB":
        return False
    word = root.lower_
    if weights.get(stem(word), 0.0) < ACT_RARE_IDF:
        return False
    forms = {stem(word), stem(root.lemma_.lower())} | {stem(x) for x in synonyms().get(word, ())}
    return not forms & _stems_of(f"{document}\n{title}")


def near_misses(question: str, kind: str, c: Any, value: Any, words: list[str], weights: dict[str, float],
                parse: Callable[[str], Any] | None = None,
                text_of: Callable[[str], str] | None = None) -> dict[str, float]:
    """The checks of this module for candidate ``c`` of a question of reader type ``kind`` whose
    answer value is ``value`` (an ISO date for a date), content words ``words`` and word weights
    (IDF by stem) ``weights``; ``text_of`` gives a document's text by its path (without it the
    paragraph and the document are the sentence)."""
    out = {n: 0.0 for n in NEAR_MISSES}
    if kind == "date":
        out["date_outside"] = float(outside(question, value))
        out["date_coarse"] = float(_date_coarse(question, value))
    paragraph, document = _context(c.sentence, text_of)
    if kind in ("count", "number") and parse is not None:
        out["demonym_conflict"] = float(_demonym_conflict(question, c, parse))
    out["actor_miss"] = float(_actor_miss(question, c.sentence, paragraph, parse))
    if kind == "person":
        out["title_conflict"] = float(_title_conflict(question, c))
    if text_of is not None:
        out["document_miss"] = float(_document_miss(question, weights, document, c.sentence.title or "", parse))
        out["act_miss"] = float(_act_miss(question, weights, document, c.sentence.title or "", parse))
    out.update(elsewhen(question, kind, c, document if text_of is not None else None, parse))
    return out
