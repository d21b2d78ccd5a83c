"""Answer a question in a phrase, with the exact source passage cited.

One reader (``communique.query.reader``) decides: BM25 retrieval, spans of every answer-like kind in
the best sentences, and the stored records that fit the question (meetings: co-chairs, venue, date,
format; documents adopted; where an institution is; people's roles; figures; milestones;
``communique.query.stored``) as candidates of their own cited sentences, marked as facts. One learned
ranking orders them all; the best above the calibrated threshold is the answer, else no answer.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Iterable

from communique.data import load_data
from communique.errors import QueryError
from communique.ingest.passages import sentence_spans
from communique.query.constraints import HARD
from communique.query.answer import NO_SUPPORT, Answer, NumberFit, date_fits, from_candidate, value_of
from communique.query.calibration import COVERAGE_FULL, evidence  # COVERAGE_FULL: training/train_reader.py reads it here
from communique.query.calibration import _typical  # noqa: F401  (training/train_reader.py reads it here)
from communique.query.calibration import confidence as calibrated
from communique.query.lists import whole_list
from communique.query.names import (acronym_name, called_head, holds_title, quoted_whole, relation_doer, specific_place,
                                    title_only, whole_name)
from communique.query.matching import date_answer, human_date, stem
from communique.query.nearmiss import outside
from communique.query.question import Question, analyse
from communique.query.reader import FactSpan, Reader, Scored, consensus, normalise
from communique.query.search import MAX_QUERY_CHARS
from communique.query.stored import FactFinder
from communique.query.textcache import TextCache
from communique.query.today import dates_other_act, document_names
from communique.query.typefit import demands_building, demands_person, names_body
from communique.store import Store

__all__ = ["Asker", "Answer", "ask", "check_question", "human_date", "date_answer"]

HARD_CONSTRAINTS = HARD  # constraint features (query.constraints) that exclude a sentence's spans
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd]")
_PARTS = re.compile(r"\s*(?:\(|\)|,\s|\band\b)\s*")


class Asker(FactFinder):
    """Answers questions over one knowledge base; loads the resolved records once."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._records: dict[str, list[dict[str, Any]]] = {}
        self._texts = TextCache()  # bounded: a server asked many questions must not keep every text
        self._reader: Reader | None = None

    # -- data ----------------------------------------------------------------------------------
    def records(self, table: str) -> list[dict[str, Any]]:
        """Resolved records of one table, read once per Asker."""
        if table not in self._records:
            self._records[table] = self.store.records(table)
        return self._records[table]

    def warm(self) -> "Asker":
        """Load every table and index now (batch mode, servers): later questions are millisecond work."""
        self._event_index()
        self._figures_by_document()
        self._from_people(analyse("Who is nobody?"))
        self.reader.read(analyse("What is the question of the warm-up?"))  # loads spaCy and the ranker
        self.reader.retriever.warm()  # the documents by month, the store's scoped-search ranges
        return self

    def use_store(self, store: Store) -> None:
        """Answer from another connection to the same knowledge base, keeping what is loaded (a
        forked batch worker: a connection must not be shared across processes)."""
        self.store = store
        if self._reader is not None:
            self._reader.store = self._reader.retriever.store = store

    def text(self, path: str) -> str:
        text = self._texts.get(path)
        if text is None:
            text = self._texts[path] = self.store.text_at(path) or ""
        return text

    def paragraph_text(self, src: dict[str, Any]) -> str:
        """The paragraph around a span: the context a figure is read in."""
        row = self.store.paragraph_at(src["document"], src["start"], src["end"])
        text = self.text(src["document"])
        return text[row[0] : row[1]] if row else text[src["start"] : src["end"]]

    def sentence_citation(self, src: dict[str, Any]) -> dict[str, Any]:
        """Widen a citation to the sentence (or table row) that holds its span."""
        row = self.store.paragraph_at(src["document"], src["start"], src["end"])
        text = self.text(src["document"])
        start, end = src["start"], src["end"]
        if row:
            sentence = next(((a, b) for a, b in sentence_spans(text, row[0], row[1]) if a <= start and end <= b), None)
            if sentence:
                start, end = sentence
        return {"document": src["document"], "title": src.get("title"), "date": src.get("date"),
                "start": start, "end": end, "quote": text[start:end]}

    # -- answering -----------------------------------------------------------------------------
    def ask(self, question: str, scope: Iterable[str] | None = None) -> Answer:
        """Answer one question; ``scope`` (document ids) restricts the evidence to those documents.

        Raises:
            QueryError: the question is empty, too long or not text.
        """
        check_question(question)
        q = analyse(question)
        allowed = None if scope is None else set(scope)
        facts = [fs for fs in self.fact_spans(q) if self._in_scope(fs.answer, allowed)]
        answer = self._from_reader(q, allowed, facts)
        if answer is not None:
            return answer
        return Answer(question, None, q.answer_type, confidence=0.0, message=NO_SUPPORT)

    def fact_spans(self, q: Question) -> list[FactSpan]:
        """The stored facts that answer the question, each as the span of a sentence it cites."""
        out = []
        for kind, answer in self.fact_answers(q):
            span = _span_of(answer)
            if span is not None:
                out.append(FactSpan(span[0], span[1], span[2], kind, answer))
        return out

    def _in_scope(self, answer: Answer, allowed: set[str] | None) -> bool:
        if allowed is None:
            return True
        if "__paths" not in self._records:
            self._records["__paths"] = self.store.document_ids_by_path()  # type: ignore[assignment]
        ids: dict[str, str] = self._records["__paths"]  # type: ignore[assignment]
        return any(ids.get(c["document"]) in allowed for c in answer.citations)

    @property
    def reader(self) -> Reader:
        if self._reader is None:
            self._reader = Reader(self.store)
        return self._reader

    def choose(self, q: Question, allowed: set[str] | None, facts: list[FactSpan]
               ) -> tuple[Any, Scored, list[Scored], dict[str, float]] | None:
        """The reader's best candidate of the type asked, the candidates it was chosen from and its
        evidence vector (``query.calibration``), before the answer floor; None without a candidate."""
        rq, scored = self.reader.read(q, allowed, facts)
        # the type the question asks for: a date for "when", a number for "how many"; a span the reader
        # found must come from a sentence naming every state, body or person the question names and the
        # meeting it numbers (a stored fact matched those on its record)
        scored = [s for s in scored if _type_fits(rq.kind, s.candidate.labels, s.candidate.text, q.text, rq.head)
                  and (s.candidate.fact is not None or not any(s.features.get(k) for k in HARD_CONSTRAINTS)
                       or document_names(q, s.candidate, s.features, self.text))  # "today": its document (query.today)
                  and not dates_other_act(q.text, s.candidate, self.reader.parser.parse_one)]  # and its act
        if q.answer_type == "meeting":  # "at which meeting": only a meeting of a mechanism is of the type
            scored = [s for s in scored if s.candidate.labels & {"MECH", "FACT:meeting"}]
        if q.answer_type == "format":  # "in person or online": a meeting's format, or words that say one
            scored = [s for s in scored if "FACT:meeting" in s.candidate.labels or _says_format(s.candidate.text)]
        if rq.kind == "date":  # a date, not a length of time; a day that resolves when the day is asked
            scored = [s for s in scored if date_fits(q.text, s.candidate.text, s.candidate.sentence.date)]
            # within the month or year the question states, where any is (else the answer's confidence
            # weighs its ``date_outside``: query.nearmiss)
            scored = [s for s in scored if not outside(q.text, value_of(s.candidate.text, "date", s.candidate.sentence.date)[0])] or scored
        scored = NumberFit(q.text, rq.kind).keep(scored)  # an amount: no day of a date; "how many years"
        if not scored:
            return None
        best = _agreed(scored)  # the answer the evidence agrees on, then the likeliest
        # "who co-hosted", "who jointly led": the doers together, as a list
        several = rq.kind == "list" or (rq.kind == "person" and _JOINT.search(q.text) is not None)
        # the evidence is read from the span the reader chose, not from the whole name or list it stands
        # in; from the doer when the chosen span's sentence says nobody leads
        anchor = best
        best = _name_of_kind(self, q.text, rq, best, scored)  # the whole name, the acronym's name, the finer place
        doer = relation_doer(rq.kind, best, scored)  # "who headed": who leads, not who announced
        if doer is not best:
            anchor = best = doer
        if several and best.candidate.fact is None:  # the whole list, as many items as the question says
            best, _ = whole_list(best, scored, q.text)
        if rq.kind == "date":
            best = _most_precise(best, scored, 0.02 if re.search(r"\b(?:what|which) (?:date|day)\b", q.text, re.I) else 0.25)
            anchor = best
        return rq, best, scored, evidence(rq, anchor, scored, q.words, self.reader.parser.parse_one, self.text)

    def _from_reader(self, q: Question, allowed: set[str] | None, facts: list[FactSpan]) -> Answer | None:
        chosen = self.choose(q, allowed, facts)
        if chosen is None:
            return None
        rq, best, scored, ev = chosen
        confidence = calibrated(ev, self.reader.ranker.meta.get("calibration"))
        if confidence < self.reader.ranker.threshold:
            return None
        return self.answer_of(q, rq, best, scored, confidence)

    def answer_of(self, q: Question, rq: Any, best: Scored, scored: list[Scored], confidence: float) -> Answer:
        """The answer the chosen candidate gives (``choose``), with its citations."""
        several = rq.kind == "list" or (rq.kind == "person" and _JOINT.search(q.text) is not None)
        # the boundary the evidence votes for is that of the span the reader agreed on; a span a rule
        # of ``choose`` put in its place (the whole name, the acronym's name, the finer place, the doer)
        # is the answer as it stands: the vote would cut it back to the part the reader had found
        if best.candidate.fact is None and not several and rq.kind != "date" and best is _agreed(scored):
            best = consensus(scored, best, _typical().get(rq.kind, frozenset()), q.text)  # (reader.py)
        if rq.kind == "person" and best.candidate.fact is None:
            best = _with_title(best, scored)
        answer = from_candidate(q.text, rq, best, confidence)
        if best.candidate.fact is not None:
            _as_fact(answer, best)
        else:  # other sentences that state the same answer (a date: the same day, however written)
            key = normalise(best.candidate.text)
            for s in scored:
                c = s.candidate
                if c.fact is not None or s is best:
                    continue
                if rq.kind == "date":
                    same = value_of(c.text, "date", c.sentence.date)[0] == answer.value
                else:
                    same = "DATE_REL" not in c.labels and normalise(c.text) == key
                if same:
                    _add_citation(answer, c.sentence.citation())
        return answer


@lru_cache(maxsize=1)
def _name_nouns() -> frozenset[str]:
    """Stems of the nouns questions ask a thing's name by (``head_nouns`` of ``data/questions.yaml``)."""
    return frozenset(stem(w) for w in load_data("questions.yaml").get("head_nouns", []))


def _name_of_kind(self: "Asker", question: str, rq: Any, best: Scored, scored: list[Scored]) -> Scored:
    """The span of the kind of name asked for that the best span stands for (``query.names``)."""
    if best.candidate.fact is not None:
        return best
    if rq.kind in ("named", "organisation", "entity"):
        # only a noun that things are named by ("declaration", "initiative"; not "part", "form")
        head = rq.head if rq.head in _name_nouns() else None
        quoted = quoted_whole(best)  # a quoted title or theme, whole
        if quoted is not best:
            return quoted
        named = acronym_name(question, scored) or whole_name(best, scored, head)
        if named is best:
            named = called_head(best, scored, head, self.reader.parser.parse_one)
        return named
    if rq.kind == "place" and (rq.wh == "where" or rq.head in (stem("city"), stem("town"))):
        return specific_place(best, scored)
    return best


def _agreed(scored: list[Scored]) -> Scored:
    """The candidate the evidence agrees on (``_agreement``), the reader's choice before the rules of
    ``choose`` replace it."""
    agree = _agreement(scored)
    return scored[max(range(len(scored)), key=agree.__getitem__)]


def _agreement(scored: list[Scored]) -> dict[int, tuple[float, float]]:
    """What the evidence agrees on, by candidate: the summed probability of the spans of the type
    asked that say the same (normalised) thing, in any sentence, then the span's own probability.
    One sentence's "$250 million" loses to three sentences' "$50 million"; a span of another type
    ("Deputy Minister" of a sentence about another meeting) lends nothing."""
    total: dict[str, float] = {}
    for s in scored:
        key = normalise(s.candidate.text)
        total[key] = total.get(key, 0.0) + s.probability
    return {i: (round(total[normalise(s.candidate.text)], 3), s.probability) for i, s in enumerate(scored)}


def _says_format(text: str) -> bool:
    from communique.extract.mechanisms import format_phrases

    low = text.lower()
    return any(p in low for phrases in format_phrases().values() for p in phrases)


def _most_precise(best: Scored, scored: list[Scored], share: float) -> Scored:
    """A year or month answered where a candidate (at least ``share`` of the best's probability; any
    when the question asks for the date) gives the same date to the day ("2021" and "December 14,
    2021" of one launch): the most precise of the dates that agree with the best."""
    value = value_of(best.candidate.text, "date", best.candidate.sentence.date)[0]
    if not isinstance(value, str) or len(value) >= 10:
        return best
    finer = [s for s in scored[:12] if s.probability >= share * best.probability and s is not best]
    finer = [(v, s) for s in finer for v in [value_of(s.candidate.text, "date", s.candidate.sentence.date)[0]]
             if isinstance(v, str) and len(v) > len(value) and v.startswith(value) and re.fullmatch(r"[\d-]+", v)]
    return max(finer, key=lambda vs: (len(vs[0]), vs[1].probability))[1] if finer else best


# "who co-hosted", "who are the co-chairs": every doer; "the Egyptian co-chair" is one of them
_JOINT = re.compile(r"\bco-[a-z]+(?:ed|s)\b|\bjointly\b|\btogether\b", re.I)
_TITLE_RUN = re.compile(r"(?:[A-Z][\w.'’-]*|of|the|for)(?:\s+(?:[A-Z][\w.'’-]*|of|the|for))*\s+$")


def _with_title(best: Scored, scored: list[Scored]) -> Scored:
    """A name as its sentence writes it with the title before it ("Energy Secretary Granholm", not
    "Granholm"): the longest candidate of the same sentence ending where the name ends whose extra
    words are a run of capitalised words."""
    c = best.candidate
    wider = [s for s in scored if s.candidate.sentence is c.sentence and s.candidate.end == c.end
             and s.candidate.start < c.start and s.candidate.text[:1].isupper()
             and _TITLE_RUN.fullmatch(c.sentence.text[s.candidate.start : c.start])
             and holds_title(c.sentence.text[s.candidate.start : c.start])]
    return max(wider, key=lambda s: c.start - s.candidate.start, default=best) if wider else best


def _add_citation(answer: Answer, cit: dict[str, Any], most: int = 3) -> None:
    """Cite one more sentence, once, up to ``most`` citations."""
    if len(answer.citations) < most and not any(c["document"] == cit["document"] and c["start"] == cit["start"]
                                                for c in answer.citations):
        answer.citations.append(cit)


def _span_of(answer: Answer) -> tuple[dict[str, Any], int, int] | None:
    """Where a fact's answer stands in one of its citations: its own span, else the span from the
    first to the last of its parts ("A and B"), else its first part ("Miami" of "Miami, United States")."""
    if not answer.citations or not answer.answer:
        return None
    first = answer.citations[0]
    if answer.start is not None and answer.end is not None and first["start"] <= answer.start < answer.end <= first["end"]:
        return first, answer.start, answer.end
    parts = [p for p in _PARTS.split(answer.answer) if len(p) > 1]
    for cit in answer.citations:
        low = cit["quote"].lower()
        at = [(low.find(p.lower()), len(p)) for p in parts]
        if parts and all(i >= 0 for i, _ in at):
            a, b = min(i for i, _ in at), max(i + n for i, n in at)
            if b - a <= 160:
                return cit, cit["start"] + a, cit["start"] + b
        if parts and at and at[0][0] >= 0:
            return cit, cit["start"] + at[0][0], cit["start"] + at[0][0] + at[0][1]
    return None


def _as_fact(answer: Answer, best: Scored) -> None:
    """A stored fact chosen: its record beside the answer, and its own words where the sentence
    spreads them ("A, the Permanent Secretary, and B" -> "A and B")."""
    fact: Answer = best.candidate.fact
    answer.facts = fact.facts
    for cit in fact.citations:
        _add_citation(answer, cit)
    answer.source = "facts"
    if answer.answer_type != "date" and fact.answer and fact.answer.lower() not in best.candidate.sentence.text.lower():
        answer.surface = answer.answer
        answer.answer = fact.answer
        answer.value = fact.value if fact.value is not None else fact.answer


def ask(store: Store, question: str, scope: Iterable[str] | None = None) -> Answer:
    """Answer one question (see ``Asker`` to answer many with shared caches)."""
    return Asker(store).ask(question, scope)


_NUMBER = re.compile(r"\d(?:[\d,.]*\d)?")
_NUMERIC = re.compile(r"\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|hundred|thousand|million|billion|dozen)\b", re.I)


@lru_cache(maxsize=1)
def _incompatible() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in load_data("questions.yaml").get("reader_incompatible", {}).items()}


@lru_cache(maxsize=1)
def _temporal() -> frozenset[str]:
    return frozenset(load_data("questions.yaml").get("temporal_words", []))


# the nouns of "which city / country" (stems) and the labels a named place of that kind carries
_SETTLEMENTS = frozenset({"city", "country", "capital", "town", "nation", "village"})
_PLACE_LABELS = frozenset({"ENT:GPE", "ENT:LOC", "ENT:FAC", "FACT", "FACT:meeting"})


_TOWNS = frozenset({"city", "capital", "town", "village"})
_NAME_START = re.compile(r"^(?:(?:the|a|an|in|at|to|into|from|of)\s+)*[\W\d]*[A-Z]")  # a name starts with a capital


def _only_state(text: str) -> bool:
    """The span names a state and no city ("United States", "the Kingdom of Saudi Arabia")."""
    from communique.extract.gazetteer import gazetteer
    from communique.query.mismatch import bare_place

    g = gazetteer()
    name = bare_place(text)  # "of Poland", "Argentina’s"
    return bool(g.is_state(name)) and not g.country_of_place(name)


def _only_place(text: str) -> bool:
    """The span is a place's or a state's name and nothing else ("Washington", "the United Kingdom")."""
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    name = re.sub(r"^(?:the|The)\s+", "", text.strip())
    return bool(g.is_state(name) or g.country_of_place(name))


def _only_regions(text: str) -> bool:
    """The span names regions and nothing else ("the Middle East and North Africa")."""
    from communique.query.mismatch import _regions

    left = _regions().sub(" ", text)
    return left != text and not re.sub(r"\b(?:the|and|of|North|South|East|West|Central|Southeast)\b|[\s,]", "", left, flags=re.I)


def _known_place(text: str, labels: set[str] = frozenset()) -> bool:
    """The span names a place or a state the gazetteer knows ("the city of Buenos Aires", "the 2026
    Ankara Summit"); in a person's name or title only at its end ("Central Bank President Santiago
    Bausili" names no city)."""
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    words = re.findall(r"[^\W\d_][\w.'’-]*", text)
    person = "ENT:PERSON" in labels or any(m.kind == "title" for m in g.find(text))
    return any(g.country_of_place(name) or g.is_state(name)
               for n in (3, 2, 1) for i in range(len(words) - n + 1)
               if not person or i + n == len(words)
               for name in [" ".join(words[i : i + n])] if name[:1].isupper())


# "Who is Yoon Suk Yeol?" asks what a named person is: a title answers it
_WHO_IS_NAME = re.compile(r"\s*(?i:who\s+(?:is|was|are|were))\s+(?:[A-Z][\w.'’-]*\s*)+\?*\s*$")
_TITLE_HEADS = frozenset(stem(w) for w in ("title", "position", "office", "role", "post", "rank"))  # "which title"
_TIMELESS_KINDS = frozenset({"person", "place", "entity", "named", "organisation", "list", "description"})


def _type_fits(kind: str, labels: set[str], text: str, question: str = "", head: str | None = None) -> bool:
    """A date question takes a date, an amount question a number: other spans are not of the type.
    A number the question itself states is no amount ("How much was trade in 2030?": not "Expo 2030");
    "which city" or "which country" takes a name the recogniser or the gazetteer knows as a place, or a
    stored fact."""
    bad = labels & _incompatible().get(kind, frozenset())
    if "IN_NAME" in labels:  # "PACC 2030": the year of a name dates nothing
        bad -= {"DATE", "ENT:DATE"}
    if bad and kind == "place" and _only_place(text):  # the gazetteer's "Buenos Aires", whatever the recogniser says
        bad = set()
    if bad and not any(label.startswith("FACT") for label in labels):
        return False
    if kind == "person" and not _WHO_IS_NAME.match(question) and (
            title_only(text) or "ENT:PERSON" not in labels and (_only_place(text) or _only_regions(text))):
        return False  # "who": a person, not a title ("National Security Advisor"), a place ("Washington") or a region
    if kind == "person" and demands_person(question, head) and not _WHO_IS_NAME.match(question) and (
            _only_place(text) or names_body(text)):
        return False  # "which official", "the Egyptian co-chair": no state ("Tunisia") nor body ("the White House")
    if kind == "place" and (names_body(text, "place") or demands_building(head)
                            and any(_only_place(part) for part in _PARTS.split(text) if part)):
        return False  # "where": no government ("the Government of Canada"); "which building": no state or city
    if kind in ("named", "organisation") and head not in _TITLE_HEADS and title_only(text):
        return False  # "which initiative": no title ("Vice President") names one
    if kind in _TIMELESS_KINDS:  # "this morning", "Earlier today": when, not who or what
        words = re.findall(r"[^\W_]+", text.lower())
        if words and all(w in _temporal() or (w.isdigit() and kind != "list") for w in words):
            return False
    if kind == "place" and head in _SETTLEMENTS and (not labels & _PLACE_LABELS and not _known_place(text, labels)
                                                     or not _NAME_START.match(text)):
        return False  # "which city": a name of a place, not "the border with Ukraine"
    if kind == "place" and head in _TOWNS and _only_state(text):  # "which city": a country is none
        return False
    if kind == "date":
        return bool(labels & {"DATE", "DATE_REL", "ENT:DATE"}) and "IN_NAME" not in labels
    if kind == "percent":  # a share is written as one: "15 percent", "2%"
        return bool(re.search(r"\d.*(?:%|\bper ?cent\b)", text))
    if kind == "money" and _asks_money(question) and not labels & {"MONEY", "ENT:MONEY"} \
            and not _currency_pattern().search(text):
        return False  # "how much funding": an amount with its currency, not "two permanent seats"
    if kind in ("count", "money"):
        asked = set(_NUMBER.findall(question))
        return any(m.group(0) not in asked for m in _NUMERIC.finditer(text) if not m.group(0).isdigit()) or \
            any(n not in asked for n in _NUMBER.findall(text))
    return True


@lru_cache(maxsize=1)
def _money_words() -> frozenset[str]:
    return frozenset(w.lower() for w in load_data("questions.yaml").get("money_words", []))


@lru_cache(maxsize=1)
def _currency_pattern() -> re.Pattern[str]:
    """A currency written in a span: a symbol, a code or a word (``currency_words``)."""
    words = sorted(load_data("questions.yaml").get("currency_words", []), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) if not w.isalpha() else rf"\b{re.escape(w)}\b" for w in words), re.I)


@lru_cache(maxsize=1024)
def _asks_money(question: str) -> bool:
    """The question asks for an amount of money by a word of ``money_words`` ("how much funding"), not
    for how much one changed ("how much did the price of oil increase": a share or a multiple may say).
    Cached: it is asked once per candidate of the question."""
    words = set(re.findall(r"[a-z]+", question.lower()))
    changes = frozenset(load_data("questions.yaml").get("change_words", []))
    return bool(words & _money_words()) and not words & changes


def check_question(question: str) -> None:
    """Raise QueryError for a question that is empty, too long or not text."""
    if not question.strip():
        raise QueryError("the question is empty")
    if len(question) > MAX_QUERY_CHARS:
        raise QueryError(f"question longer than {MAX_QUERY_CHARS} characters")
    if _CONTROL.search(question) or not re.search(r"[^\W\d_]", question):
        raise QueryError("the question is not text: it holds control characters or no letters")
