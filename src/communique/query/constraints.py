"""How evidence agrees with what a question states: the reader's constraint features.

A question names entities (states, bodies, people), a year, a numbered meeting, names the gazetteer
does not know; its answer is none of those. Each function here turns that agreement into features
the ranker weighs (weights hand-set in the ``tuned`` part of ``data/models/reader.json``); three of them
(``HARD``) exclude a sentence's spans outright, because the sentence is about something else:

- ``k_names_miss``: a state, body or person the question names is in neither the sentence nor its
  document's title (a sentence of "Joint Statement on U.S.-China Talks in Stockholm" is about China);
- ``k_ord_conflict`` / ``k_ord_miss``: the sentence (or its title) numbers the question's meeting
  differently ("the 23rd Dialogue" for a question on the 24th), or says nowhere which meeting it is
  (an ordinal of 1 is also written "first" or "inaugural").

A sentence (or else its title) that names another part of the occasion the question names ("the
Opening" for "the closing ceremony", ``query.conflicts``) gets ``k_part_miss``.

A sentence that holds none of the question's relation words (those with synonyms in
``data/questions.yaml``: "headed" ~ "will lead") gets ``k_rel_miss``.

Per candidate (``candidate_features``): a span that is itself one of the question's entities
("the United States" for "What did the U.S. and Mongolia hail?", "Kamala Harris" for "Whom did
Vice President Harris host?") is marked ``c_qent`` / ``c_qname``; a date's precision against the one
the question asks for (``k_date_day``, ``k_date_coarse``); a lower-case span where a name is asked
(``c_named_lower``).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from communique.query.matching import GENERIC, has_phrases, stem
from communique.query.question import Question
from communique.query.retrieve import synonyms

__all__ = ["HARD", "constraint_features", "candidate_features", "relation_features", "relation_stems", "QuestionNames"]

HARD = ("k_names_miss", "k_ord_conflict", "k_ord_miss")
# kinds of gazetteer entry a question may name without the evidence repeating it: the seat of a
# government is who publishes ("the White House fact sheet"), not what the sentence is about
_NOT_REQUIRED = frozenset({"seat", "title"})
_APOSTROPHE = str.maketrans({"’": "'", "‘": "'"})
_CAP_WORD = re.compile(r"\b[A-Z][\w'’]+")  # "Biden-Sisi" gives both names
_WORDS = re.compile(r"[^\W_]+")


def _said(aliases: list[str], text: str) -> bool:
    return any(a and a.translate(_APOSTROPHE) in text for a in aliases)


def constraint_features(q: Question, s: Any) -> dict[str, float]:
    """How a sentence agrees with the question's constraints: the specific entities it names (by any
    alias, in the sentence or its document's title), the year it gives (in the text, or the document's
    own date for "today"), the meeting it numbers and the unknown names it quotes."""
    from communique.extract.gazetteer import gazetteer

    f: dict[str, float] = {}
    text = s.text.translate(_APOSTROPHE)
    title = (s.title or "").translate(_APOSTROPHE)
    g = gazetteer()
    specific = [e for e in q.entities if e.name not in GENERIC and e.kind not in _NOT_REQUIRED]
    if specific:
        aliases = [g.entity_aliases.get(e.name, [e.surface]) + [e.surface] for e in specific]
        in_text = [_said(a, text) for a in aliases]
        in_title = [_said(a, title) for a in aliases]
        f["k_names_share"] = sum(in_text) / len(specific)
        named = [e.kind != "place" for e in specific]
        if not all(t or h for t, h, n in zip(in_text, in_title, named) if n):
            f["k_names_miss"] = 1.0  # a state, body or person the question names is not in the evidence
        elif not all(t for t, n in zip(in_text, named) if n):
            f["k_names_title"] = 1.0  # named by the document's title only
        if not all(t for t, e in zip(in_text, specific) if e.kind == "place"):
            f["k_place_miss"] = 1.0
    if q.years:
        if any(y in text for y in q.years):
            f["k_year_ok"] = 1.0
        elif s.date and str(s.date)[:4] in q.years and (_asks_when(q.text) or not _YEAR.search(text)):
            f["k_year_doc"] = 1.0  # undated words read in a document of that year ("today")
        else:
            f["k_year_miss"] = 1.0  # no year asked, or the sentence dates itself otherwise ("in 2021")
    numbers = _question_numbers(q)
    if numbers and not all(re.search(rf"(?<![\d.,]){re.escape(n)}(?![\d]|,\d)", text) for n in numbers):
        f["k_num_miss"] = 1.0  # "the sale of 96 Apache helicopters": a sentence without the 96 is about another
    m = q.mechanism
    if m is not None and m.ordinal:
        agreement = _ordinal_agreement(m, text, title)
        if agreement == "k_ord_miss" and _dated_alike(q, s):
            agreement = "k_ord_dated"  # "the first summit, held in May 2015": the date says which one
        f[agreement] = 1.0
    if q.phrases:
        # a name its document's title gives is the sentence's subject ("... will lead the delegation"
        # under "Presidential Delegation to ... the Inauguration of Karol Nawrocki")
        f["k_phrase_ok" if has_phrases(q, text) else "k_phrase_title" if title and has_phrases(q, title)
          else "k_phrase_miss"] = 1.0
    relations = _relation_words(q)
    if relations:  # "who headed": the sentence says who leads, not only who announced
        have = {stem(w) for w in _WORDS.findall(text.lower())}
        said = any(({stem(w)} | {stem(x) for x in synonyms()[w]}) & have for w in relations)
        f["k_rel_ok" if said else "k_rel_miss"] = 1.0
    if _other_part(q.text, s):  # "the closing ceremony": a sentence of the Opening's delegation
        f["k_part_miss"] = 1.0
    if s.title and s.text.strip() == s.title.strip():
        f["s_title"] = 1.0
    return f


def _other_part(question: str, s: Any) -> bool:
    from communique.query.conflicts import ceremony_miss

    return ceremony_miss(question, s)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_DIGITS = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?(?![\w%])")


def _asks_when(text: str) -> bool:
    """The question asks for a date or years: other years in the evidence are answers, not conflicts."""
    from communique.query.question import reader_type

    return reader_type(text)[0] == "date" or bool(re.search(r"\b(?:what|which) years\b", text, re.I))


def _dated_alike(q: Question, s: Any) -> bool:
    """The sentence states a date the question gives to the month or the day ("May 2015" and "May
    14, 2015"): a meeting the question also numbers is identified by its date there."""
    from communique.dates import find_dates

    asked = [d for d in q.dates if len(d) >= 7]
    if not asked:
        return False
    said = [str(d.value) for d in find_dates(s.text, reference=s.date) if d.value and not d.inferred]
    return any(v.startswith(d) or d.startswith(v) and len(v) >= 7 for d in asked for v in said)


def _question_numbers(q: Question) -> list[str]:
    """Numbers a question states outside its dates and names ("96 Apache helicopters"; not "2024",
    "July 30" or "C5+1"): the evidence must state them too."""
    from communique.dates import find_dates

    dated = [(d.start, d.end) for d in find_dates(q.text)]
    return [m.group(0) for m in _DIGITS.finditer(q.text)
            if not any(a <= m.start() < b for a, b in dated) and not _YEAR.fullmatch(m.group(0))
            and not q.text[max(0, m.start() - 1) : m.start()] in "+-"]


@lru_cache(maxsize=64)
def _ordinal_forms(n: int) -> re.Pattern[str]:
    """'24th', 'twenty-fourth', 'twenty fourth' (and 'first', 'inaugural' for 1) before a meeting word."""
    from communique.extract.mechanisms import ordinal_words

    words = sorted((w for w, v in ordinal_words().items() if v == n), key=len, reverse=True)
    # the ordinal of a meeting, not of an anniversary: a meeting word next, or after a name's words
    return re.compile(rf"\b(?:{n}(?:st|nd|rd|th)" + "".join("|" + re.escape(w) for w in words)
                      + r")\b(?:\s+(?-i:[A-Z][\w.'’+-]*)){0,3}?\s+(?:summit|dialogue|meeting|session|round|conference|forum|ministerial)s?\b", re.I)


def _ordinal_agreement(m: Any, text: str, title: str) -> str:
    """``k_ord_ok`` when the sentence (or else its title) numbers the question's meeting as the
    question does, or writes its ordinal before a meeting word ("the inaugural Indo-Pacific
    Dialogue"); ``k_ord_conflict``
    when it numbers that meeting otherwise; ``k_ord_miss`` when neither says which meeting it is."""
    from communique.extract.mechanisms import find_mechanisms

    for part in (text, title):
        if not part:
            continue
        same = [x for x in find_mechanisms(part) if x.name == m.name and x.ordinal is not None]
        if any(x.ordinal == m.ordinal for x in same):
            return "k_ord_ok"
        if same:
            return "k_ord_conflict"
        if _ordinal_forms(m.ordinal).search(part):
            return "k_ord_ok"
    return "k_ord_miss"


class QuestionNames:
    """What a question itself names: its entities' aliases (folded) and its capitalised words."""

    def __init__(self, q: Question) -> None:
        from communique.extract.gazetteer import gazetteer

        g = gazetteer()
        self.aliases = {_fold(a) for e in q.entities for a in g.entity_aliases.get(e.name, []) + [e.surface, e.name]}
        self.aliases.discard("")
        start = q.text.split(" ", 1)[1] if " " in q.text else ""  # the question word is capitalised anyway
        self.capitalised = {w.lower().strip("'’").removesuffix("'s").removesuffix("’s") for w in _CAP_WORD.findall(start)}
        self.asks_year = bool(re.search(r"\b(?:what|which|in what) years?\b", q.text, re.I))
        self.asks_day = bool(re.search(r"\b(?:what|which) (?:date|day)\b", q.text, re.I))


def _fold(text: str) -> str:
    return " ".join(_WORDS.findall(text.lower().translate(_APOSTROPHE).replace("the ", " ")))


def candidate_features(names: QuestionNames, text: str, labels: set[str], kind: str, value: Any = None) -> dict[str, float]:
    """Features of one candidate span against the question's own names and the date it asks for."""
    f: dict[str, float] = {}
    if "LIST" in labels:  # several names: judged item by item elsewhere
        return f
    folded = _fold(text)
    if folded and folded in names.aliases:
        f["c_qent"] = 1.0  # the span is an entity the question names
    words = [w.lower() for w in _CAP_WORD.findall(text)]
    if words and words[-1].strip("'’").removesuffix("'s").removesuffix("’s") in names.capitalised:
        f["c_qname"] = 1.0  # ends in a name the question gives ("Kamala Harris" for "Harris")
    if kind in ("named", "organisation") and not any(w[:1].isupper() or w[:1].isdigit() for w in text.split()):
        f["c_named_lower"] = 1.0  # "which initiative" asks a name: "mounting debt burdens" is none
    if kind == "date" and isinstance(value, str) and re.fullmatch(r"\d{4}(?:-\d\d){0,2}", value):
        if len(value) == 10 and names.asks_day:
            f["k_date_day"] = 1.0
        elif len(value) < 10 and names.asks_day:
            f["k_date_coarse"] = 1.0
    return f


_PASSIVE = re.compile(r"\b(?:is|was|were|are|been|be|being)\s+(?:\w+ly\s+)?(\w[\w-]*)", re.I)


# a word that says where the question's fact is written, not what it is: "as named in the joint
# statement", "as stated by the ministry"
_ATTRIBUTION = re.compile(r"\bas\s+([a-z]+)\s+(?:in|by)\b", re.I)


def _relation_words(q: Question) -> list[str]:
    """The question's words that evidence says with synonyms ("headed"), less those of an attribution."""
    source = {m.group(1).lower() for m in _ATTRIBUTION.finditer(q.text)}
    return [w for w in q.words if w in synonyms() and w not in source]


def relation_stems(q: Question) -> tuple[frozenset[str], bool]:
    """Stems of the question's relation words and the words evidence says them with ("headed":
    lead, leads, led): the verb whose doer a "who" question asks for; and whether the question asks
    in the passive ("Who was tapped": the one the verb acts on, not the one who acts)."""
    words = _relation_words(q)
    passive = any(m.group(1).lower() in words for m in _PASSIVE.finditer(q.text))
    return frozenset(stem(x) for w in words for x in (w, *synonyms()[w])), passive


_DOER_KINDS = frozenset({"person", "list", "organisation"})


def relation_features(relations: tuple[frozenset[str], bool], kind: str, doc: Any, head: int) -> dict[str, float]:
    """``c_rel_subj``: the span is who does what the question asks ("X will lead the delegation",
    "co-hosted by A and B": the subject, the agent or one of coordinated subjects of a verb that is
    one of the question's relation words), or for a question in the passive ("Who was tapped") the
    one it is done to ("will appoint Ambassador X", "X was named"). Only where a doer is asked."""
    stems, passive = relations
    if not stems or kind not in _DOER_KINDS:
        return {}
    tok = doc[head]
    while tok.dep_ == "conj" and tok.head.i != tok.i:  # "A and B will host": B as A
        tok = tok.head
    verb = None
    if tok.dep_ in (("nsubjpass", "dobj") if passive else ("nsubj", "csubj")):
        verb = tok.head
    elif not passive and tok.dep_ == "pobj" and tok.head.dep_ == "agent":  # "co-hosted by A"
        verb = tok.head.head
    if verb is not None and stem(verb.lower_) in stems:
        return {"c_rel_subj": 1.0}
    return {}
