"""The reader: question analysis -> retrieval -> candidates -> learned ranking -> the best span.

``Reader.read`` returns the candidates of a question scored by the ranker, best first, each an exact
span of a retrieved sentence; ``communique.query.answer`` turns the best into an answer (or none).
``Reader.vectors`` is what ``training/train_reader.py`` fits the ranker on, so training and answering
see the same features.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable

from communique.query.candidates import Candidate, Parser, candidates
from communique.query.matching import stem
from communique.query.question import Question, reader_type
from communique.query.rank import Ranker, ReaderQuestion, features, sentence_features
from communique.query.retrieve import Retriever, Sentence, entity_aliases
from communique.store import Store

__all__ = ["Reader", "Scored", "normalise"]

_ARTICLES = re.compile(r"\b(a|an|the)\b")
_PUNCT = re.compile(r"[^\w\s]")


def normalise(text: str) -> str:
    """Lower case, no punctuation or articles, single spaces: spans that say the same thing agree."""
    return " ".join(_ARTICLES.sub(" ", _PUNCT.sub("", text.lower())).split())


@dataclass
class Scored:
    candidate: Candidate
    probability: float  # softmax share among the question's candidates
    support: float  # summed probability of every candidate saying the same (normalised) thing
    score: float


class Reader:
    """Reads one knowledge base; holds the retrieval, parse and vector caches and the fitted ranker."""

    def __init__(self, store: Store, ranker: Ranker | None = None, sentences: int = 6, rerank: int = 0) -> None:
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
        return ReaderQuestion(q.text, kind, wh, stem(head) if head else None, weights)

    def vectors(self, q: Question, scope: Iterable[str] | None = None
                ) -> tuple[ReaderQuestion, list[Candidate], list[dict[str, float]]]:
        """The candidates of a question with their feature vectors."""
        rq = self.question(q)
        found: list[Sentence] = self.retriever.retrieve(q.text, q.words, entity_aliases(q.entities), scope,
                                                       rerank=self.rerank, keep=self.sentences)
        if not found:
            return rq, [], []
        docs = self.parser.parse([s.text for s in found])
        cands = candidates(found, docs)
        best_cov = max(s.coverage for s in found)
        best_sim = max(s.similarity for s in found)
        lowered = [s.text.lower() for s in found]
        per_sentence: dict[int, tuple[list[str], list[float]]] = {}
        by_sentence = {id(s): (k, d) for k, (s, d) in enumerate(zip(found, docs))}
        vectors = []
        for c in cands:
            k, doc = by_sentence[id(c.sentence)]
            if k not in per_sentence:
                per_sentence[k] = sentence_features(doc, rq)
            stems, matched = per_sentence[k]
            needle = c.text.lower()
            repeats = sum(1 for j, t in enumerate(lowered) if j != k and needle in t)
            vectors.append(features(rq, c, doc, stems, matched, best_cov, best_sim, repeats))
        return rq, cands, vectors

    def read(self, q: Question, scope: Iterable[str] | None = None) -> tuple[ReaderQuestion, list[Scored]]:
        """The question's candidates, best first."""
        rq, cands, vectors = self.vectors(q, scope)
        if not cands:
            return rq, []
        probs = self.ranker.probabilities(vectors)
        support: dict[str, float] = {}
        for c, p in zip(cands, probs):
            key = normalise(c.text)
            support[key] = support.get(key, 0.0) + float(p)
        scored = [Scored(c, float(p), support[normalise(c.text)], self.ranker.score(v))
                  for c, p, v in zip(cands, probs, vectors)]
        scored.sort(key=lambda s: (-s.probability, s.candidate.sentence.rank))
        return rq, scored


def describe(scored: Scored) -> dict[str, Any]:
    """A candidate as a dictionary (for debugging and the training report)."""
    c = scored.candidate
    return {"text": c.text, "labels": sorted(c.labels), "probability": round(scored.probability, 4),
            "support": round(scored.support, 4), "sentence_rank": c.sentence.rank, "document": c.sentence.document}
