"""Retrieval for the reader: FTS5 BM25 over paragraphs, then the paragraphs' sentences ranked by the
IDF-weighted share of the question's words they hold and re-ranked with the MiniLM encoder.

``retrieve`` returns the best sentences, each an exact span of its document, with the signals the
ranker reads (paragraph rank, word coverage, semantic similarity). ``scope`` restricts retrieval to
a set of document ids (a partnership's documents, say).
"""

from __future__ import annotations

import math
import re
from collections import OrderedDict
from functools import lru_cache
from dataclasses import dataclass
from typing import Any, Iterable

import numpy as np

from communique.extract.gazetteer import gazetteer
from communique.ingest.passages import sentence_spans
from communique.query.matching import stem
from communique.store import Store

__all__ = ["Sentence", "Retriever", "terms_of"]

_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?")
# weight of the encoder's cosine against the word coverage when the two are mixed into one order
SIMILARITY_WEIGHT = 0.5
COMMON_SHARE = 0.02  # a word in more than this share of the paragraphs is not searched on
MAX_SEARCH_WORDS = 6
PARAGRAPHS = 80  # the best BM25 paragraphs whose sentences are ranked (30 found the evidence of 77 of 109 dev questions in the best 6 sentences, 80: 83)
DATED_PARAGRAPHS = 40  # the best BM25 paragraphs of the documents dated in the month a question names, added to the pool
TODAY_DOCUMENTS = 2  # the documents of the best sentences whose "today" sentence a date or money question also reads (1 found the same dev2 answers as 3)
TODAY_WITHIN = 1500  # a document's opening: where it dates its own event by "today"
TODAY_TAIL = 1000  # the rest of a line that starts in the opening, read with it
_TODAY = re.compile(r"\btoday\b", re.I)
TITLE_SHARE = 1.0  # the weight of the question's words a sentence's document title holds and it does not (0.5 -> 1.0: the dev questions' evidence first for 59 of 109 rather than 53)


@lru_cache(maxsize=1)
def synonyms() -> dict[str, tuple[str, ...]]:
    """Question words and the words that say the same in evidence (``data/questions.yaml``)."""
    from communique.data import load_data

    return {k: tuple(v) for k, v in (load_data("questions.yaml").get("synonyms") or {}).items()}


@dataclass
class Sentence:
    """One retrieved sentence: ``text == document text[start:end]``."""

    document: str
    document_id: str
    title: str | None
    date: str | None
    start: int
    end: int
    text: str
    paragraph_rank: int  # 0 = the best BM25 paragraph
    coverage: float = 0.0  # IDF-weighted share of the question's words the sentence holds
    similarity: float = 0.0  # cosine of the MiniLM vectors of question and sentence
    score: float = 0.0
    rank: int = 0

    def citation(self) -> dict[str, Any]:
        return {"document": self.document, "title": self.title, "date": self.date, "start": self.start,
                "end": self.end, "quote": self.text}


def terms_of(words: Iterable[str]) -> list[str]:
    """Distinct search words (lower case, no FTS syntax) of a question's content words."""
    out: list[str] = []
    for w in words:
        for t in _WORD.findall(w.lower().replace("’", "'")):
            if len(t) > 1 and t not in out:
                out.append(t)
    return out


class Retriever:
    """Holds the IDF and sentence-vector caches of one knowledge base."""

    def __init__(self, store: Store, cache_size: int = 50_000) -> None:
        self.store = store
        self._idf: dict[str, float] = {}
        self._total: int | None = None
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        self._cache_size = cache_size
        self._by_month: dict[str, list[str]] | None = None

    def dated(self, months: Iterable[str]) -> list[str]:
        """The ids of the documents dated in any of ``months`` ("2022-07")."""
        if self._by_month is None:
            by_month: dict[str, list[str]] = {}
            for d in self.store.document_catalog():
                if d.get("date") and len(d["date"]) >= 7:
                    by_month.setdefault(d["date"][:7], []).append(d["id"])
            self._by_month = by_month
        return [i for m in dict.fromkeys(months) for i in self._by_month.get(m, [])]

    def warm(self) -> None:
        """Read now what the first question dated in a month would: the documents by month and, by
        one scoped search, whatever the store keeps for scoped searches (``store.scoped``)."""
        self.dated(())
        first = next((ids[0] for ids in (self._by_month or {}).values() if ids), None)
        if first is not None:
            self.store.ranked_paragraphs('"the"', 1, [first])

    def idf(self, term: str) -> float:
        if term not in self._idf:
            if self._total is None:
                self._total = max(1, self.store.paragraph_total())
            df = self.store.paragraph_frequency(term)
            self._idf[term] = math.log(1 + (self._total - df + 0.5) / (df + 0.5))
        return self._idf[term]

    def vectors(self, texts: list[str]) -> np.ndarray:
        """MiniLM vectors of texts, each computed once per process (LRU)."""
        from communique.language import encoder

        missing = [t for t in dict.fromkeys(texts) if t not in self._vectors]
        if missing:
            for t, v in zip(missing, encoder().encode(missing)):
                self._vectors[t] = v
            while len(self._vectors) > self._cache_size:
                self._vectors.popitem(last=False)
        for t in texts:
            self._vectors.move_to_end(t)
        return np.stack([self._vectors[t] for t in texts]) if texts else np.zeros((0, 384), dtype=np.float32)

    def coverer(self, terms: list[str], phrases: list[str]) -> Any:
        """A function: sentence text (or its ``stems_of``) -> the IDF-weighted share of the question's
        words it holds (a word or one of its synonyms: "headed" is held by "will lead the delegation")."""
        weights = {stem(t): self.idf(t) for t in terms}
        forms = {k: {k} | {stem(x) for x in synonyms().get(t, ())} for k, t in ((stem(t), t) for t in terms)}
        alias_words = {stem(w) for a in phrases for w in _WORD.findall(a.lower())}
        total = sum(weights.values()) or 1.0
        least = min(weights.values()) if weights else 0.0

        def cover(body: str | frozenset[str]) -> float:
            have = body if isinstance(body, frozenset) else stems_of(body)
            covered = sum(v for k, v in weights.items() if forms[k] & have)
            if alias_words & have:  # an entity named by another of its names counts as named
                covered += 0.5 * least
            return min(1.0, covered / total)

        return cover

    def rare(self, name: str) -> bool:
        """A name with a word in no more than ``COMMON_SHARE`` of the paragraphs ("Poland", not "U.S.")."""
        common = math.log(1 + 1 / COMMON_SHARE)
        return any(self.idf(w) >= common for w in _WORD.findall(name.lower()) if len(w) > 1)

    def retrieve(self, question: str, words: list[str], aliases: list[str], scope: Iterable[str] | None = None,
                 paragraphs: int = PARAGRAPHS, rerank: int = 0, keep: int = 8, searched: list[str] | None = None,
                 names: Iterable[str] = (), months: Iterable[str] = ()) -> list[Sentence]:
        """The ``keep`` best sentences for a question.

        Args:
            question: the question as asked (for the encoder).
            words: its content words (lower case).
            aliases: other names of the entities it names (they count as the entity named).
            scope: document ids to search in; None for the whole knowledge base.
            searched: the aliases searched as phrases too (default: all); the other names of an
                entity the corpus names everywhere ("USA" for "U.S.") would only rank noise first.
            names: names the question quotes that no gazetteer knows ("Africa Leaders Summit"),
                searched as phrases: rarer together than any of their words.
            months: the months the question dates its subject in ("2022-07"): the best paragraphs of
                the documents dated then join the pool, ranked among themselves ("at their July 2022
                meeting": the joint statement of that meeting holds the answer, with words too common
                to rank it among the whole corpus's paragraphs).
        """
        terms = terms_of(words)
        if not terms:
            return []
        phrases = [a for a in dict.fromkeys(aliases) if len(_WORD.findall(a)) > 0]
        wanted = phrases if searched is None else [a for a in dict.fromkeys(searched) if _WORD.findall(a)]
        # search on the rarest words: an OR of words that fill a large share of the paragraphs makes
        # BM25 sort most of the index (all words still weigh in the sentence coverage below)
        by_idf = sorted(terms, key=lambda t: -self.idf(t))
        common = math.log(1 + 1 / COMMON_SHARE)
        search = [t for t in by_idf if self.idf(t) >= common][:MAX_SEARCH_WORDS] or by_idf[:2]
        quoted = ['"' + t.replace('"', '""') + '"' for t in search]
        # another name of an entity is searched when one of its words is rare: "united states" or
        # "us" (a pronoun too) would make BM25 score a fifth of the index for nothing
        quoted += ['"' + " ".join(w) + '"' for w in (_WORD.findall(a.lower()) for a in wanted)
                   if w and any(self.idf(x) >= common for x in w)]
        quoted += ['"' + " ".join(w) + '"' for w in (_WORD.findall(n.lower().replace("’", "'")) for n in names)
                   if len(w) > 1]
        match = " OR ".join(dict.fromkeys(quoted))
        rows = self.store.ranked_paragraphs(match, paragraphs, scope)
        ranks = list(range(len(rows)))
        months = [m[:7] for m in months if re.match(r"\d{4}-\d{2}", m)]
        if months and DATED_PARAGRAPHS:
            ids = self.dated(months)
            if scope is not None:
                allowed = set(scope)
                ids = [i for i in ids if i in allowed]
            seen = {(r["document_id"], r["start"]) for r in rows}
            dated = self.store.ranked_paragraphs(match, DATED_PARAGRAPHS, ids) if ids else []
            for rank, r in enumerate(dated, len(rows)):
                if (r["document_id"], r["start"]) not in seen:  # ranked after the whole corpus's best
                    rows.append(r)
                    ranks.append(rank)
        if not rows:
            return []
        cover = self.coverer(terms, phrases)
        found: list[Sentence] = []
        for rank, para in zip(ranks, rows):
            for a, b in sentence_spans(para["text"], 0, len(para["text"])):
                if b - a >= 12:
                    found.append(_sentence(para, a, b, rank, cover))
        found.sort(key=lambda s: (-s.coverage, s.paragraph_rank))
        found = found[: max(rerank, keep)]
        for s in found:
            s.score = s.coverage - 0.005 * s.paragraph_rank
        if found and rerank:
            found = found[:rerank]
            vecs = self.vectors([question] + [s.text for s in found])
            sims = vecs[1:] @ vecs[0]
            for s, sim in zip(found, sims):
                s.similarity = float(sim)
                s.score = s.coverage + SIMILARITY_WEIGHT * s.similarity - 0.005 * s.paragraph_rank
        found.sort(key=lambda s: -s.score)
        for i, s in enumerate(found):
            s.rank = i
        return found[:keep]

    def today_sentences(self, found: list[Sentence], words: list[str], aliases: list[str], documents: int = TODAY_DOCUMENTS
                        ) -> list[Sentence]:
        """The sentence that dates each of the first ``documents`` documents of ``found`` by "today"
        ("Today, the United States and Mexico opened ..."), where the reader does not read it: the
        first such sentence in the document's opening ``TODAY_WITHIN`` characters, outside quotation
        marks. A fact sheet states its event in one sentence ("agreed to launch B3W") and dates it in
        its lead ("Today President Biden met with G7 leaders"); the lead's "today" is the answer to
        "on what date".

        Each is ranked after the sentences of ``found``; none for a document whose "today" is read."""
        have = {s.document_id for s in found if _TODAY.search(s.text)}
        ids = [d for d in dict.fromkeys(s.document_id for s in found) if d not in have][:documents]
        if not ids:
            return []
        by_id = {}
        for s in found:
            by_id.setdefault(s.document_id, s)
        cover = self.coverer(terms_of(words), [a for a in dict.fromkeys(aliases) if _WORD.findall(a)])
        out: list[Sentence] = []
        rank = max((s.paragraph_rank for s in found), default=0) + 1
        for d in ids:
            # the opening, read by its lines (a document's paragraphs): no search, one slice of text
            head = self.store.text_slice(d, 0, TODAY_WITHIN + TODAY_TAIL)
            seen = by_id[d]
            para = {"path": seen.document, "document_id": d, "title": seen.title, "date": seen.date}
            pos = 0
            while pos < min(len(head), TODAY_WITHIN):
                nl = head.find("\n", pos)
                if nl < 0 and len(head) == TODAY_WITHIN + TODAY_TAIL:
                    break  # a line the slice cuts: not read whole
                line_end = len(head) if nl < 0 else nl
                line = head[pos:line_end]
                spans = [(a, b) for a, b in sentence_spans(line, 0, len(line))
                         if b - a >= 12 and _TODAY.search(line, a, b) and not _quoted(line, a, b)]
                if spans:
                    s = _sentence(dict(para, start=pos, text=line), *spans[0], rank, cover)
                    s.score = s.coverage - 0.005 * rank
                    s.rank = len(found) + len(out)
                    out.append(s)
                    break
                pos = line_end + 1
        return out


def _quoted(text: str, a: int, b: int) -> bool:
    """The span is inside a quotation ("“... today ...”", a quoted earlier statement)."""
    before = text[:a]
    return before.count("“") > before.count("”") or text[a:b].lstrip("*_ ").startswith(("“", '"'))


def _sentence(para: dict[str, Any], a: int, b: int, rank: int, cover: Any) -> Sentence:
    """Sentence ``para["text"][a:b]`` of a retrieved paragraph, with its word coverage."""
    body = para["text"][a:b]
    have = stems_of(body)
    own = cover(have)
    # a sentence is read in its document: the words of the title it stands under count
    # ("... will lead the delegation" under "Presidential Delegation to the Inauguration of ..."),
    # and so do its document's year and month ("agreed to launch ..." in a June 2021 fact
    # sheet covers "at the June 2021 summit"); a title's words are found once for all its sentences
    title = para["title"] if para["title"] and body != para["title"] else ""
    when = date_words(para["date"])
    context = cover(have | _title_stems(title) | _title_stems(when)) if title or when else own
    base = para["start"]
    return Sentence(para["path"], para["document_id"], para["title"], para["date"], base + a, base + b, body, rank,
                    coverage=own + TITLE_SHARE * (context - own))


def stems_of(text: str) -> frozenset[str]:
    """The stems of a text's words: what ``Retriever.coverer`` matches the question's words against
    (the words of texts joined by a line break are those of each: no word spans one)."""
    return frozenset(map(stem, _WORD.findall(text.lower())))


@lru_cache(maxsize=4096)
def _title_stems(text: str) -> frozenset[str]:
    """``stems_of`` a document title or date (the same for every sentence of the document: cached)."""
    return stems_of(text)


_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")


@lru_cache(maxsize=4096)
def date_words(date: str | None) -> str:
    """The year and month name of an ISO date ("2021-06-12" -> "2021 june"), the words a question
    dates its subject with; "" for no date."""
    if not date or not re.match(r"\d{4}", date):
        return ""
    month = date[5:7]
    return date[:4] + (" " + _MONTHS[int(month) - 1] if month.isdigit() and 1 <= int(month) <= 12 else "")


def entity_aliases(entities: list[Any]) -> list[str]:
    """The other names of the entities a question names (gazetteer aliases)."""
    g = gazetteer()
    out: list[str] = []
    for e in entities:
        for a in g.entity_aliases.get(e.name, []):
            if a != e.surface and a not in out:
                out.append(a)
    return out
