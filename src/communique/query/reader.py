"""The reader: question analysis -> retrieval -> candidates -> learned ranking -> the best span.

``Reader.read`` returns the candidates of a question scored by the ranker, best first, each an exact
span of a retrieved sentence; ``communique.query.answer`` turns the best into an answer (or none).
``Reader.vectors`` is what ``training/train_reader.py`` fits the ranker on, so training and answering
see the same features.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from communique.query.candidates import Candidate, Parser, candidates
from communique.query.constraints import QuestionNames, candidate_features, constraint_features, relation_features, relation_stems
from communique.query.matching import stem
from communique.query.question import Question, reader_type
from communique.query.rank import Ranker, ReaderQuestion, competition_features, features, sentence_features
from communique.query.retrieve import Retriever, Sentence, entity_aliases, synonyms, terms_of
from communique.store import Store

__all__ = ["Reader", "Scored", "FactSpan", "normalise", "constraint_features", "consensus"]

TODAY_KINDS = ("date", "money")  # questions that also read the "today" lead of their best documents (retrieve.today_sentences)
SENTENCES = 8  # the best retrieved sentences the reader reads (spaCy parses each: the main cost of a question)
_DATED = frozenset({"DATE", "DATE_REL", "ENT:DATE"})
_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Lower case, no punctuation or articles, single spaces: spans that say the same thing agree."""
    return " ".join(_ARTICLES.sub(" ", _PUNCT.sub("", text.lower())).split())


_OPENING = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\s+([a-z]+)", re.I)


def opening(question: str) -> str:
    """The wh-word and the word after it, lower case ("How many ..." -> "how_many"), else the wh-word."""
    m = _OPENING.search(question)
    if m:
        return f"{m.group(1).lower()}_{m.group(2).lower()}"
    wh = re.search(r"\b(what|which|who|whom|whose|when|where|why|how)\b", question, re.I)
    return wh.group(1).lower() if wh else "none"


@dataclass
class FactSpan:
    """A stored fact's answer as a span of a document (``start``/``end``) inside its cited sentence."""

    citation: dict[str, Any]
    start: int
    end: int
    kind: str  # meeting | person | figure | event | entity
    answer: Any  # the fact's Answer


@dataclass
class Scored:
    candidate: Candidate
    probability: float  # softmax share among the question's candidates
    support: float  # summed probability of every candidate saying the same (normalised) thing
    score: float
    features: dict[str, float] = field(default_factory=dict)


class Reader:
    """Reads one knowledge base; holds the retrieval, parse and vector caches and the fitted ranker."""

    def __init__(self, store: Store, ranker: Ranker | None = None, sentences: int = SENTENCES, rerank: int = 0) -> None:
        self.store = store
        self.retriever = Retriever(store)
        self.parser = Parser()
        self._ranker = ranker
        self.sentences = sentences
        self.rerank = rerank

    @property
    def ranker(self) -> Ranker:
        if self._ranker is None:
            self._ranker = Ranker.load()
        return self._ranker

    def question(self, q: Question) -> ReaderQuestion:
        kind, wh, head = reader_type(q.text)
        weights = {stem(w): self.retriever.idf(w) for w in q.words}
        for w in q.words:  # a synonym in the evidence matches as the question's word would
            for other in synonyms().get(w, ()):
                weights.setdefault(stem(other), weights[stem(w)])
        return ReaderQuestion(q.text, kind, wh, stem(head) if head else None, weights, opening(q.text),
                              tuple(stem(w) for w in q.step_words))

    def vectors(self, q: Question, scope: Iterable[str] | None = None, facts: list[FactSpan] | None = None
                ) -> tuple[ReaderQuestion, list[Candidate], list[dict[str, float]]]:
        """The candidates of a question with their feature vectors.

        ``facts``: spans that stored facts give as answers; each joins the candidates of its sentence
        (added to the retrieved ones when retrieval did not find it), labelled ``FACT``.
        """
        rq = self.question(q)
        found, docs, marks = self.evidence(q, scope, facts)
        return rq, *self.featurise(q, rq, found, docs, marks)

    def evidence(self, q: Question, scope: Iterable[str] | None = None, facts: list[FactSpan] | None = None
                 ) -> tuple[list[Sentence], list[Any], dict[int, list[tuple[int, int, str, Any]]]]:
        """The sentences the reader reads, their spaCy parses and the stored facts' spans in them
        (the costly part of a question: training caches it and featurises again)."""
        aliases = entity_aliases(q.entities)
        searched = entity_aliases([e for e in q.entities if self.retriever.rare(e.surface)])
        found: list[Sentence] = self.retriever.retrieve(q.text, q.words, aliases, scope, rerank=self.rerank,
                                                       keep=self.sentences, searched=searched, names=q.search_names(),
                                                       months=q.dates)
        if found and reader_type(q.text)[0] in TODAY_KINDS:  # the lead that dates a document's event by "today"
            found += self.retriever.today_sentences(found, q.words, aliases)
        marks = self._place_facts(q, aliases, found, facts or [])
        docs = self.parser.parse([s.text for s in found]) if found else []
        return found, docs, marks

    def featurise(self, q: Question, rq: ReaderQuestion, found: list[Sentence], docs: list[Any],
                  marks: dict[int, list[tuple[int, int, str, Any]]]) -> tuple[list[Candidate], list[dict[str, float]]]:
        """The candidates of the read sentences with their feature vectors."""
        if not found:
            return [], []
        cands = candidates(found, docs, marks)
        constraints = [constraint_features(q, s) for s in found]
        best_cov = max(s.coverage for s in found)
        best_sim = max(s.similarity for s in found)
        lowered = [s.text.lower() for s in found]
        names = QuestionNames(q)
        relations = relation_stems(q)
        from communique.query.answer import value_of  # answer reads this module's Scored
        per_sentence: dict[int, tuple[list[str], list[float]]] = {}
        by_sentence = {id(s): (k, d) for k, (s, d) in enumerate(zip(found, docs))}
        vectors = []
        parses = []
        for c in cands:
            k, doc = by_sentence[id(c.sentence)]
            if k not in per_sentence:
                per_sentence[k] = sentence_features(doc, rq)
            stems, matched = per_sentence[k]
            parses.append((doc, matched))
            needle = c.text.lower()
            repeats = sum(1 for j, t in enumerate(lowered) if j != k and needle in t)
            f = features(rq, c, doc, stems, matched, best_cov, best_sim, repeats)
            if c.fact is None:
                f.update(constraints[k])
            else:  # a stored fact matched the question's names, year and ordinal on its record
                f.update({n: v for n, v in constraints[k].items() if not n.endswith(("_miss", "_conflict"))})
            if c.labels & _DATED or rq.kind != "date":
                value = value_of(c.text, "date", c.sentence.date)[0] if rq.kind == "date" else None
                f.update(candidate_features(names, c.text, c.labels, rq.kind, value))
            if c.fact is None:
                f.update(relation_features(relations, rq.kind, doc, c.head))
            vectors.append(f)
        competition_features(rq, cands, vectors, parses)
        return cands, vectors

    def _place_facts(self, q: Question, aliases: list[str], found: list[Sentence], facts: list[FactSpan]
                     ) -> dict[int, list[tuple[int, int, str, Any]]]:
        """The sentence index and in-sentence span of each fact (its sentence appended when new)."""
        marks: dict[int, list[tuple[int, int, str, Any]]] = {}
        cover = None
        for fs in facts:
            cit = fs.citation
            k = next((i for i, s in enumerate(found) if s.document == cit["document"] and s.start <= fs.start
                      and fs.end <= s.end), None)
            if k is None:
                if cover is None:
                    cover = self.retriever.coverer(terms_of(q.words), aliases)
                coverage = cover(cit["quote"])
                sentence = Sentence(cit["document"], "", cit.get("title"), cit.get("date"), cit["start"], cit["end"],
                                    cit["quote"], 0, coverage=coverage, score=coverage)
                sentence.rank = sum(1 for s in found if s.score > coverage)
                found.append(sentence)
                k = len(found) - 1
            base = found[k].start
            marks.setdefault(k, []).append((fs.start - base, fs.end - base, fs.kind, fs.answer))
        return marks

    def read(self, q: Question, scope: Iterable[str] | None = None, facts: list[FactSpan] | None = None
             ) -> tuple[ReaderQuestion, list[Scored]]:
        """The question's candidates, best first."""
        rq, cands, vectors = self.vectors(q, scope, facts)
        if not cands:
            return rq, []
        scores = [self.ranker.score(v) for v in vectors]  # once each: a long sentence has hundreds
        probs = self.ranker.softmax(scores)
        support: dict[str, float] = {}
        for c, p in zip(cands, probs):
            key = normalise(c.text)
            support[key] = support.get(key, 0.0) + float(p)
        scored = [Scored(c, float(p), support[normalise(c.text)], score, v)
                  for c, p, score, v in zip(cands, probs, scores, vectors)]
        scored.sort(key=lambda s: (-s.probability, s.candidate.sentence.rank))
        return rq, scored


CONSENSUS_TOP = 5  # the likeliest spans sharing words with the voted best that the answer is chosen among
CONSENSUS_POOL = 30  # the spans whose probability weighs each choice


def _words(text: str) -> Counter[str]:
    return Counter(normalise(text).split())


def word_f1(a: Counter[str], b: Counter[str]) -> float:
    """The overlap of two spans' words as the SQuAD evaluation counts it (F1 of the word bags)."""
    same = sum((a & b).values())
    return 0.0 if not same else 2 * same / (sum(a.values()) + sum(b.values()))


def consensus(scored: list[Scored], best: Scored, typical: frozenset[str] = frozenset(), question: str = "",
              top: int = CONSENSUS_TOP, pool: int = CONSENSUS_POOL) -> Scored:
    """The span the evidence agrees on most: among the ``top`` likeliest spans that share words with
    ``best`` (its boundaries: the same phrase with more or fewer words), the one
    whose words overlap most with the likeliest spans, each weighed by its probability (the expected
    word F1 against the ranker's distribution: a minimum-risk choice). Nested spans of one phrase
    ("the preceding Ediacaran period", "Ediacaran period", "period") vote for their common words, so
    a span that holds what most of them say beats a slightly likelier fragment or over-long span;
    identical spans of several sentences agree fully, as they do in the agreement vote. A best span
    of a kind ``typical`` of the type asked (a place name for "where") is traded only for another
    of such a kind, and for none that repeats more of the ``question``'s words ("English chemist John
    Mayow" of "What chemist ...?").

    ``scored``: the question's candidates that fit its type, best first (``Reader.read``)."""
    ranked = sorted(scored, key=lambda s: -s.probability)
    weighing = ranked[:pool]
    own = _words(best.candidate.text)
    asked = set(normalise(question).split())
    repeats = sum(n for w, n in own.items() if w in asked)
    choices: list[Scored] = []
    for s in ranked:  # the first ``top`` of them (a scan that stops: most questions have hundreds)
        if len(choices) == top:
            break
        words = _words(s.candidate.text)
        if s.candidate.fact is None and word_f1(own, words) > 0 and sum(n for w, n in words.items() if w in asked) <= repeats:
            choices.append(s)
    if best.candidate.labels & typical:
        choices = [s for s in choices if s.candidate.labels & typical]
    if best not in choices:
        choices.append(best)
    bags = {id(s): _words(s.candidate.text) for s in weighing + choices}

    def expected(s: Scored) -> float:
        return sum(o.probability * word_f1(bags[id(s)], bags[id(o)]) for o in weighing)

    return max(choices, key=lambda s: (round(expected(s), 6), s is best))


def describe(scored: Scored) -> dict[str, Any]:
    """A candidate as a dictionary (for debugging and the training report)."""
    c = scored.candidate
    return {"text": c.text, "labels": sorted(c.labels), "probability": round(scored.probability, 4),
            "support": round(scored.support, 4), "sentence_rank": c.sentence.rank, "document": c.sentence.document}
