"""The learned ranker: a log-linear (softmax) scorer over candidate features.

Each candidate becomes a sparse feature vector (``features``); the model is a weight per feature name,
fit by ``training/train_reader.py`` on SQuAD articles and kept in ``data/models/reader.json``. The
features, all computed from the question, the candidate's sentence (its spaCy parse) and retrieval:

- sentence: ``s_rank_inv`` (1/(1+rank)), ``s_rank0``, ``s_cov`` (IDF-weighted share of the question's
  words in it) and ``s_cov_gap`` (to the best sentence), ``s_sim`` / ``s_sim_gap`` (MiniLM cosine),
  ``s_para_inv`` (1/(1+BM25 paragraph rank));
- the span itself: ``c_qfrac`` (share of its words the question has), ``c_allq``, its length (``len=N``),
  ``c_caps``, ``c_digit``, ``c_det``, ``c_paren``;
- its place: ``c_dist`` (log tokens to the nearest question word outside it), ``c_nodist``,
  ``c_win_l`` / ``c_win_r`` (question words just before and after it), ``c_path`` (log dependency-tree
  distance to the nearest question word), ``c_prev_q`` / ``c_next_q``;
- type fit, crossed with the expected type ``t``: ``t=..|l=..`` (candidate kinds: spaCy entity labels,
  NP, SUB, LEFT, POBJ, LIST, DATE, MONEY), ``t=..|p=..`` (the head's part of speech),
  ``w=..|d=..`` (wh-word x the head's dependency); ``c_head_in`` / ``c_head_next`` (the noun the
  question asks for, "which river", inside or just after the span);
- agreement: ``c_repeat`` (log count of other retrieved sentences stating the same span);
- competition (``competition_features``: a candidate against the question's other candidates):
  ``n_short`` / ``n_long`` (the shortest or longest of the spans of its sentence with the same head
  word, crossed with the type asked), ``n_alone`` (the only one), ``n_count`` (log of their number);
  ``q_clause`` (the share of its sentence's question words that stand in its clause: the subtree of
  the verb that governs it) and ``q_clause_gap`` (to the best clause of the question's candidates).
"""

from __future__ import annotations

import json
import math
import operator
import re
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import repeat
from pathlib import Path
from typing import Any

import numpy as np

from communique.query.candidates import Candidate
from communique.query.matching import stem

__all__ = ["ReaderQuestion", "Ranker", "features", "competition_features", "model_path"]

_WORD = re.compile(r"[^\W_]+")
_STOP = frozenset(
    "a an the of in on at to for by with and or is was were are be been did does do when where who whom whose what "
    "which how why much many it its their his her they he she that this these those as from into has have had "
    "there than then also not no".split())


@dataclass
class ReaderQuestion:
    text: str
    kind: str  # reader type: person, date, place, count, ...
    wh: str
    head: str | None  # stem of the noun asked for
    weights: dict[str, float] = field(default_factory=dict)  # stem -> IDF of the question's content words
    opening: str = ""  # the wh-word and the word after it ("what_year", "how_many", "who_was")
    steps: tuple[str, ...] = ()  # stems of the step words the question asks about ("sign", "join")


def model_path() -> Path:
    return Path(__file__).resolve().parent.parent / "data" / "models" / "reader.json"


def _stems(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(text.lower())]


def sentence_features(doc: Any, q: ReaderQuestion) -> tuple[list[str], list[float]]:
    """Per token of a parsed sentence: its stem and the IDF weight it matches in the question (0 if none)."""
    stems = [stem(t.lower_) for t in doc]
    matched = [q.weights.get(s, 0.0) if t.lower_ not in _STOP and not t.is_punct else 0.0 for s, t in zip(stems, doc)]
    return stems, matched


def features(q: ReaderQuestion, c: Candidate, doc: Any, stems: list[str], matched: list[float],
             best_cov: float, best_sim: float, repeats: int) -> dict[str, float]:
    """The feature vector of one candidate (see the module docstring)."""
    s = c.sentence
    total = sum(q.weights.values()) or 1.0
    f: dict[str, float] = {
        "s_rank_inv": 1.0 / (1 + s.rank), "s_rank0": float(s.rank == 0), "s_cov": s.coverage,
        "s_cov_gap": s.coverage - best_cov, "s_sim": s.similarity, "s_sim_gap": s.similarity - best_sim,
        "s_para_inv": 1.0 / (1 + s.paragraph_rank),
    }
    tokens = _tokens(doc)
    span = range(c.first, c.last + 1)
    words = [i for i in span if tokens.word[i]]
    asked = _asked(q.text)
    inq = [i for i in words if matched[i] > 0 or tokens.lower[i] in asked]
    f["c_qfrac"] = len(inq) / max(1, len(words))
    f["c_allq"] = float(bool(words) and len(inq) == len(words))
    n = c.last - c.first + 1
    length = "len=" + (str(n) if n <= 4 else "5-6" if n <= 6 else "7-10" if n <= 10 else "11+")
    f[length] = 1.0
    f["c_caps"] = sum(1 for i in words if tokens.caps[i]) / max(1, len(words))
    f["c_digit"] = float(any(map(str.isdigit, c.text)))
    f["c_det"] = float(tokens.pos[c.first] == "DET")
    f["c_paren"] = float(c.first > 0 and tokens.text[c.first - 1] == "(")
    outside = [i for i in _hits(matched) if not c.first <= i <= c.last]
    if outside:
        dist = min(min(abs(i - c.first), abs(i - c.last)) for i in outside)
        f["c_dist"] = math.log1p(dist)
        tree = _distances(doc, c.head, outside[:12])
        path = min(tree)
        f["c_path"] = math.log1p(min(path, 12))
    else:
        f["c_nodist"] = 1.0
    f["c_win_l"] = sum(matched[max(0, c.first - 4) : c.first]) / total
    f["c_win_r"] = sum(matched[c.last + 1 : c.last + 5]) / total
    f["c_prev_q"] = float(c.first > 0 and matched[c.first - 1] > 0)
    f["c_next_q"] = float(c.last + 1 < len(matched) and matched[c.last + 1] > 0)
    head_pos, head_dep = tokens.pos[c.head], tokens.dep[c.head]
    for label in c.labels:
        f["l=" + label] = 1.0
        f[f"t={q.kind}|l={label}"] = 1.0
    f[f"t={q.kind}|p={head_pos}"] = 1.0
    f[f"w={q.wh}|d={head_dep}"] = 1.0
    f[f"t={q.kind}|d={head_dep}"] = 1.0
    if q.head:
        f["c_head_in"] = float(q.head in stems[c.first : c.last + 1])
        f["c_head_next"] = float(q.head in stems[c.last + 1 : c.last + 4])
    f["c_repeat"] = math.log1p(repeats)
    # the span's edges, its length by the type asked, the question's opening words against its kind
    f["fp=" + tokens.pos[c.first]] = 1.0
    f["lp=" + tokens.pos[c.last]] = 1.0
    f[f"t={q.kind}|" + length] = 1.0
    if "," in c.text:
        f["c_comma"] = 1.0
        f[f"t={q.kind}|c_comma"] = 1.0
    if q.opening:
        for label in c.labels:
            f[f"o={q.opening}|l={label}"] = 1.0
        f[f"o={q.opening}|p={head_pos}"] = 1.0
    if q.head:
        for label in c.labels:
            f[f"h={q.head}|l={label}"] = 1.0
    # where it stands to the question's words: its governor among them, the dependency path to them
    governor = tokens.head[c.head]
    f["c_gov_q"] = float(governor != c.head and not c.first <= governor <= c.last and matched[governor] > 0)
    if outside:
        f["c_before_q"] = float(c.last < min(outside))
        f["c_after_q"] = float(c.first > max(outside))
        nearest = outside[tree.index(path)]  # the first of the nearest in the tree
        f["dp=" + _dependency_path(doc, c.head, nearest)] = 1.0
    if q.kind == "date" and q.steps:  # "when did X sign": a date of another clause than the signing's
        said = [i for i, st in enumerate(stems) if st in q.steps and not c.first <= i <= c.last]
        head = doc[c.head]
        if said and not any(doc[i] in head.ancestors or head in doc[i].ancestors for i in said):
            f["k_date_clause"] = 1.0
    return f


def competition_features(q: ReaderQuestion, cands: list[Candidate], vectors: list[dict[str, float]],
                         parses: list[tuple[Any, list[float]]]) -> None:
    """Add to each vector what compares its candidate with the question's others (see the module
    docstring); ``parses``: per candidate, its sentence's parse and the question weights its tokens
    match (``sentence_features``)."""
    by_head: dict[tuple[int, int], list[int]] = {}
    for i, c in enumerate(cands):
        by_head.setdefault((id(c.sentence), c.head), []).append(i)
    for group in by_head.values():
        sizes = [cands[i].last - cands[i].first for i in group]
        for i, size in zip(group, sizes):
            f = vectors[i]
            if len(group) == 1:
                f["n_alone"] = 1.0
                continue
            f["n_count"] = math.log(len(group))
            if size == min(sizes):
                f["n_short"] = 1.0
                f[f"t={q.kind}|n_short"] = 1.0
            if size == max(sizes):
                f["n_long"] = 1.0
                f[f"t={q.kind}|n_long"] = 1.0
    clause: list[float] = []
    for c, (doc, matched) in zip(cands, parses):
        total = sum(matched)
        if not total:
            clause.append(0.0)
            continue
        tokens, v = _tokens(doc), c.head
        while tokens.pos[v] not in ("VERB", "AUX") and tokens.head[v] != v:
            v = tokens.head[v]
        verb = doc[v]
        a, b = verb.left_edge.i, verb.right_edge.i
        inside = sum(w for i, w in enumerate(matched[a : b + 1], a) if not c.first <= i <= c.last)
        clause.append(inside / total)
    best = max(clause, default=0.0)
    for f, share in zip(vectors, clause):
        f["q_clause"] = share
        f["q_clause_gap"] = share - best


def _dependency_path(doc: Any, a: int, b: int, most: int = 3) -> str:
    """The dependency labels from token ``a`` of a parse up to the common ancestor and down to token
    ``b`` ("nsubj^|dobj": the span is the subject of the verb whose object the question names)."""
    chains, places = _chains(doc)
    dep = _tokens(doc).dep
    up_a, index = chains[a], places[a]
    down: list[str] = []
    for t in chains[b]:
        if t in index:
            ups = [dep[x] for x in up_a[: index[t]]]
            return "^".join(ups[:most]) + "|" + "^".join(reversed(down[-most:]))
        down.append(dep[t])
    return "none"


@dataclass(frozen=True)
class _TokenTable:
    """What the features read of each token of a parse, as plain lists (a spaCy ``Token`` is made
    anew at each ``doc[i]``: the features of a question's hundreds of candidates made a million)."""

    word: list[bool]  # a word or a number (``is_alpha or like_num``)
    lower: list[str]
    text: list[str]
    caps: list[bool]  # its first character is upper case
    pos: list[str]
    dep: list[str]
    head: list[int]


def _tokens(doc: Any) -> _TokenTable:
    """The parse's token table, made once and kept in its ``user_data`` (as ``_chains``)."""
    table = doc.user_data.get("communique_tokens")
    if table is None:
        toks = list(doc)
        table = doc.user_data["communique_tokens"] = _TokenTable(
            [t.is_alpha or t.like_num for t in toks], [t.lower_ for t in toks], [t.text for t in toks],
            [t.text[:1].isupper() for t in toks], [t.pos_ for t in toks], [t.dep_ for t in toks],
            [t.head.i for t in toks])
    return table


@lru_cache(maxsize=1024)
def _asked(question: str) -> frozenset[str]:
    """The question's lower-cased words as split on spaces (a token is "in the question" as one)."""
    return frozenset(question.lower().split())


def _chains(doc: Any) -> tuple[list[list[int]], list[dict[int, int]]]:
    """Per token of a parse: the indexes from it up to its root, and their places in that chain
    (computed once per parse, kept in its ``user_data``: the features ask for thousands of distances)."""
    cached = doc.user_data.get("communique_chains")
    if cached is None:
        heads = [t.head.i for t in doc]
        chains = []
        for i in range(len(heads)):
            chain = [i]
            while heads[chain[-1]] != chain[-1] and len(chain) <= len(heads):
                chain.append(heads[chain[-1]])
            chains.append(chain)
        cached = doc.user_data["communique_chains"] = (chains, [{t: k for k, t in enumerate(c)} for c in chains])
    return cached


_LAST_HITS: tuple[Any, list[int]] = (None, [])


def _hits(matched: list[float]) -> list[int]:
    """The indexes of the tokens that match a question word, in order: computed once per sentence (the
    features of its hundreds of candidates each ask; the last sentence's are kept, by identity)."""
    global _LAST_HITS
    last = _LAST_HITS
    if last[0] is matched:
        return last[1]
    hits = [i for i, w in enumerate(matched) if w > 0]
    _LAST_HITS = (matched, hits)
    return hits


def _distances(doc: Any, a: int, targets: list[int]) -> list[int]:
    """Dependency-tree distances from token ``a`` to each of ``targets`` (``_tree_distance`` of each)."""
    chains, places = _chains(doc)
    index = places[a]
    out = []
    for b in targets:
        out.append(next((index[t] + k for k, t in enumerate(chains[b]) if t in index), len(chains[a]) + 12))
    return out


def _tree_distance(a: Any, b: Any) -> int:
    """Dependency-tree distance between two tokens of one parse."""
    chains, places = _chains(a.doc)
    index = places[a.i]
    for k, t in enumerate(chains[b.i]):
        if t in index:
            return index[t] + k
    return len(chains[a.i]) + 12


class Ranker:
    """Scores feature vectors with the fitted weights; ``threshold`` is the calibrated answer floor."""

    def __init__(self, weights: dict[str, float], threshold: float, meta: dict[str, Any] | None = None) -> None:
        self.weights = weights
        self.threshold = threshold
        self.meta = meta or {}

    @classmethod
    def load(cls, path: Path | None = None) -> "Ranker":
        return _load(str(path or model_path()))

    def score(self, f: dict[str, float]) -> float:
        # the products summed in the vector's order, as ``sum(w.get(k, 0.0) * v for k, v in f.items())``
        # (the same float), without a generator frame per feature: a question scores hundreds of vectors
        return sum(map(operator.mul, map(self.weights.get, f, repeat(0.0)), f.values()))

    def probabilities(self, vectors: list[dict[str, float]]) -> np.ndarray:
        return self.softmax([self.score(f) for f in vectors])

    def softmax(self, values: list[float]) -> np.ndarray:
        """The probabilities of scores already computed (``score`` of each vector)."""
        scores = np.array(values, dtype=np.float64)
        if not len(scores):
            return scores
        e = np.exp(scores - scores.max())
        return e / e.sum()


@lru_cache(maxsize=4)
def _load(path: str) -> Ranker:
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    weights = {k: float(v) for k, v in data["weights"].items()}
    # weights set by hand on development questions, for features SQuAD cannot teach (stored facts, the
    # question's constraints in a corpus of many similar documents): added to the fitted ones
    for k, v in data.get("tuned", {}).items():
        weights[k] = weights.get(k, 0.0) + float(v)
    return Ranker(weights, float(data.get("threshold", 0.0)), {k: v for k, v in data.items() if k != "weights"})
