"""Whether the reader's best span is supported well enough to be the answer: a calibrated confidence.

The ranker orders a question's candidates; it does not say whether the best of them answers the
question at all (a question the corpus cannot answer still has a best span). ``evidence`` describes
the chosen span's support as a small, documented vector; ``confidence`` turns it into a probability
that the answer is right, with the logistic layer that ``training/calibrate_reader.py`` fits on
questions whose answers are known (SQuAD training articles, asked with and without their own article,
and the project's own question sets), written to the ``calibration`` part of ``reader.json``. The
answer floor (``threshold`` there) is tuned on development questions.

Features (each in [0, 1] or a small count; 0 is "no evidence of that"):

- ``support``: the summed ranking share of every candidate saying the same thing (its agreement);
  ``support_log``: its logarithm, scaled to [0, 1] (1 + ln(support) / ln(1000), at least 0): a share
  of 0.01 is far weaker evidence than one of 0.1, which a share alone hardly tells;
- ``margin``: ``support`` minus that of the best other answer of the type asked;
- ``coverage``: the share of the question's (IDF-weighted) words the best span's sentence holds,
  over ``COVERAGE_FULL`` and capped at 1 (a stored fact matched the question on its record: 1);
  ``coverage_raw``: that share itself, uncapped (a sentence holding every word of the question: 1);
- ``rare_miss``: the share (by IDF) of the question's three rarest words that neither the sentence
  nor its document's title holds: the words that say what the question is about;
- ``distance``: how far the span stands from the nearest question word of its sentence (log tokens,
  over 3, capped at 1; 1 when the sentence holds none);
- ``top``: 1 when the span's sentence is the best retrieved one, else 1 / (1 + rank);
- ``sources``: how many other documents state the same answer (capped at 3, over 3);
- ``fact`` / ``figure``: the span is a stored record's answer (a figure's record matches by words);
- ``untyped``: the span carries none of the labels typical of the type asked (a "what amount"
  without a currency); ``untyped_name``: the same for a question asking for a person or a place (a
  "who" answered by no name);
- ``*_miss`` and ``year_doc``: the sentence lacks a constraint of the question (its relation word, a
  name it quotes, its year, a number it states), or gives its year only by the document's date
  (``year_miss`` is no miss where the sentence announces the event ahead, in the year before);
- ``names_title``: the question's entities are named only in the document's title;
- ``place_kind_miss``, ``ordinal_miss``, ``occasion_miss``, ``amount_noun_miss``: the sentence states
  another kind of place, occasion or amount than the one asked (``query.mismatch``);
  ``venue_miss``: a date of an event in a city the sentence and its title never name;
  ``ordinal_conflict``, ``ceremony_miss``, ``phase_miss``, ``period_miss``: it numbers the thing
  otherwise, names another part of the occasion or another phase of the event, or states a figure for
  another period (``query.conflicts``).
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.query.mismatch import MISMATCHES, fact_mismatches, mismatches
from communique.query.nearmiss import NEAR_MISSES, near_misses

__all__ = ["FEATURES", "COVERAGE_FULL", "evidence", "confidence"]

# a sentence that holds this share of the question's (IDF-weighted) words is full support
COVERAGE_FULL = 0.5

# the evidence vector, in order (the fitted weights are keyed by these names)
FEATURES = ("support", "support_log", "margin", "coverage", "coverage_raw", "rare_miss", "distance", "top", "sources", "fact",
            "figure", "untyped", "untyped_name", "relation_miss", "phrase_miss", "year_miss", "year_doc", "number_miss",
            "names_title", *MISMATCHES, *NEAR_MISSES)
_NAMES = frozenset({"person", "place"})  # the types whose answer is a name
RARE = 3  # the question's rarest words that ``rare_miss`` looks for

# the ranker's constraint features (query.constraints) behind the evidence's misses
_MISSES = {"relation_miss": "k_rel_miss", "phrase_miss": "k_phrase_miss", "year_miss": "k_year_miss",
           "year_doc": "k_year_doc", "number_miss": "k_num_miss", "names_title": "k_names_title"}
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
_PUNCT = re.compile(r"[^\w\s]")


def _key(text: str) -> str:
    return " ".join(_ARTICLES.sub(" ", _PUNCT.sub("", text.lower())).split())


@lru_cache(maxsize=1)
def _typical() -> dict[str, frozenset[str]]:
    return {k: frozenset(v) for k, v in load_data("questions.yaml").get("reader_typical", {}).items()}


def _untyped(kind: str, labels: set[str], text: str) -> bool:
    typical = _typical().get(kind)
    if not typical or labels & typical:
        return False
    return not (kind == "percent" and re.search(r"%|\bper ?cent\b", text))


def _rare_miss(weights: dict[str, float], words: list[str], sentence: Any) -> float:
    """The IDF share of the question's rarest words that the sentence and its title lack."""
    from communique.query.matching import stem

    own = sorted({stem(w) for w in words if stem(w) in weights}, key=lambda k: -weights[k])[:RARE]
    total = sum(weights[k] for k in own)
    if not total:
        return 0.0
    have = {stem(w) for w in _WORD.findall(f"{sentence.text} {sentence.title or ''}".lower())}
    return sum(weights[k] for k in own if k not in have) / total


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_FUTURE = re.compile(r"\b(?:will|shall)\b", re.I)


def _ahead(question: str, sentence: Any) -> bool:
    """The sentence announces the question's event ahead of it: it says what will happen, in a
    document of the year before the one the question gives, and names no year of its own ("X will
    lead the delegation", announced in December for an inauguration on January 1)."""
    asked = {int(y) for y in _YEAR.findall(question)}
    if not asked or not sentence.date or _YEAR.search(sentence.text) or not _FUTURE.search(sentence.text):
        return False
    return int(str(sentence.date)[:4]) + 1 in asked


def evidence(rq: Any, best: Any, scored: list[Any], words: list[str] = (), parse: Any = None,
             text_of: Any = None) -> dict[str, float]:
    """The evidence vector of the chosen candidate ``best`` (a ``Scored``) among the question's
    candidates of the type asked (``scored``), for the analysed question ``rq`` (a ``ReaderQuestion``:
    its answer type and word weights) whose content words are ``words``; ``parse`` (a sentence's spaCy
    parse) lets the amount checks of ``query.mismatch`` read what an amount measures; ``text_of`` (a
    document's text by its path) lets the near misses of ``query.nearmiss`` read the answer's
    paragraph and document."""
    kind = rq.kind
    c = best.candidate
    key = _key(c.text)
    fact = c.fact is not None
    figure = "FACT:figure" in c.labels
    other = 0.0
    documents = set()
    for s in scored:
        k = _key(s.candidate.text)
        if k == key:
            documents.add(s.candidate.sentence.document)
        elif not (k in key or key in k):  # a span inside the answer or around it is the same answer
            other = max(other, s.support)
    documents.discard(c.sentence.document)
    f = best.features
    ev = {
        "support": float(best.support),
        "margin": max(0.0, float(best.support) - other),
        "coverage": 1.0 if fact and not figure else min(1.0, c.sentence.coverage / COVERAGE_FULL),
        "coverage_raw": 1.0 if fact and not figure else float(c.sentence.coverage),
        "rare_miss": 0.0 if fact and not figure else _rare_miss(rq.weights, list(words), c.sentence),
        "distance": 0.0 if fact and not figure else (
            1.0 if f.get("c_nodist") else min(1.0, float(f.get("c_dist", 0.0)) / 3)),
        "top": 1.0 / (1 + c.sentence.rank),
        "sources": min(3, len(documents)) / 3,
        "fact": float(fact and not figure),
        "figure": float(figure),
    }
    untyped = not fact and _untyped(kind, c.labels, c.text)
    ev["untyped"] = float(untyped and kind not in _NAMES)
    ev["untyped_name"] = float(untyped and kind in _NAMES)
    ev["support_log"] = max(0.0, 1.0 + math.log(max(ev["support"], 1e-6)) / math.log(1000))
    for name, feature in _MISSES.items():
        ev[name] = 0.0 if fact and not figure else float(bool(f.get(feature)))
    if ev["year_miss"] and _ahead(rq.text, c.sentence):
        ev["year_miss"] = 0.0
    if not (fact and not figure):  # a stored fact matched the question on its record
        ev.update(mismatches(rq.text, kind, c, f, parse))
    else:  # its sentence may still number the thing otherwise, or name another part of the occasion
        ev.update(fact_mismatches(rq.text, kind, c, parse))
    from communique.query.answer import value_of  # answer reads the reader, which reads this module

    value = value_of(c.text, "date", c.sentence.date)[0] if kind == "date" else None
    ev.update(near_misses(rq.text, kind, c, value, list(words), rq.weights, parse, text_of))
    return ev


def confidence(ev: dict[str, float], calibration: Any) -> float:
    """The probability that the answer is right: the fitted logistic layer over ``ev``.

    Without fitted weights (an older ``reader.json``) it is the support weighed by coverage and by
    the hand-set factors of the misses that the calibration names (the former rule)."""
    if not isinstance(calibration, dict):
        return ev["support"] * ev["coverage"]
    weights = calibration.get("weights")
    if isinstance(weights, dict):
        # fitted weights, plus hand-set ones (``tuned``) for the features the training questions do not
        # teach (a SQuAD question rarely names a relation its sentence lacks)
        tuned = calibration.get("tuned") or {}
        z = float(calibration.get("bias", 0.0)) + sum(
            (float(weights.get(n, 0.0)) + float(tuned.get(n, 0.0))) * ev.get(n, 0.0) for n in FEATURES)
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))
    value = ev["support"] * ev["coverage"]
    for name in ("untyped", "untyped_name", "phrase_miss", "relation_miss", "names_title"):
        if ev.get(name) and not (ev["fact"] or ev["figure"]):
            name = "untyped" if name == "untyped_name" else name
            value *= float(calibration.get(name, 1.0))
    return value
