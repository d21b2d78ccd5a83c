"""Candidate answers: every span of an answer-like kind in the retrieved sentences.

From spaCy's English pipeline: named entities, noun chunks, the subtrees of nouns, numbers and
adjectives, the objects of prepositions, coordinated lists; from the project's own grammars: dates
(``communique.dates``), amounts of money and meetings of known mechanisms. Each candidate is an exact span of its sentence, with the
token indexes the ranker's features read.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from communique.dates import find_dates
from communique.extract.mechanisms import find_mechanisms
from communique.language.ruler import fast_attribute_ruler
from communique.query.names import name_runs, name_with_number
from communique.query.retrieve import Sentence

__all__ = ["Candidate", "Parser", "candidates"]

_UNUSED = frozenset({"lemmatizer"})
MAX_TOKENS = 10  # a subtree longer than this is a clause, not an answer
MAX_LIST_TOKENS = 40
# left dependents that qualify a phrase rather than name it ("about", "both", "only", "the")
_QUALIFIERS = frozenset({"det", "advmod", "quantmod", "preconj", "predet", "cc"})
# right dependents that open a clause or an aside about the phrase
_CLAUSES = frozenset({"relcl", "acl", "appos"})
_MONEY = re.compile(
    r"""(?:US\$|\$|USD\s?|€|£)\s?\d[\d,.]*(?:\s?(?:billion|million|trillion|thousand))?   # $65 billion
      | \d[\d,.]*\s?(?:billion|million|trillion)\s?(?:USD|dollars|euros|won|yen)         # 3 billion dollars
    """, re.X)
_EDGE_PUNCT = " ,;:.!?\"'“”‘’()[]-–—"


@dataclass
class Candidate:
    """A span ``sentence.text[start:end]``; ``first``/``last``/``head`` index the sentence's tokens."""

    sentence: Sentence
    start: int
    end: int
    text: str
    labels: set[str] = field(default_factory=set)
    first: int = 0
    last: int = 0
    head: int = 0
    fact: Any = None  # the stored-fact answer this span stands for (``communique.query.stored``)

    @property
    def document_start(self) -> int:
        return self.sentence.start + self.start

    @property
    def document_end(self) -> int:
        return self.sentence.start + self.end


class Parser:
    """spaCy parses of sentences, each parsed once per process (LRU)."""

    def __init__(self, cache_size: int = 20_000) -> None:
        self._docs: OrderedDict[str, Any] = OrderedDict()
        self._size = cache_size

    def parse(self, texts: list[str]) -> list[Any]:
        from communique.language import pipeline

        missing = [t for t in dict.fromkeys(texts) if t not in self._docs]
        if missing:
            nlp = pipeline(exclude=tuple(sorted(_UNUSED)))  # not loaded at all: a faster warm-up
            docs = [nlp.make_doc(t) for t in missing]
            for name, proc in nlp.pipeline:
                if name == "attribute_ruler":  # the same annotations, each token's patterns found once
                    proc = fast_attribute_ruler(proc)
                if name not in _UNUSED:  # the features read no lemmas: a quarter of the parse time saved
                    docs = list(proc.pipe(docs, batch_size=32)) if hasattr(proc, "pipe") else [proc(d) for d in docs]
            for t, doc in zip(missing, docs):
                self._docs[t] = doc
            while len(self._docs) > self._size:
                self._docs.popitem(last=False)
        return [self._docs[t] for t in texts]

    def parse_one(self, text: str) -> Any:
        """The parse of one sentence (cached)."""
        return self.parse([text])[0]


def _unbracketed(text: str, a: int, b: int) -> tuple[int, int]:
    """The span without a half of a square-bracketed note ("1978,[citation" of "1978,[citation
    needed]", "needed][original" ...): an answer does not open or close a bracket it does not hold."""
    opened = text.rfind("[", a, b)
    if opened >= 0 and text.find("]", opened, b) < 0:
        b = opened
    closed = text.find("]", a, b)
    if closed >= 0 and text.rfind("[", a, closed) < 0:
        a = closed + 1
    return a, b


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    a, b = _unbracketed(text, a, b)
    while a < b and text[a] in _EDGE_PUNCT:
        a += 1
    while b > a and text[b - 1] in _EDGE_PUNCT:
        b -= 1
    if b < len(text) and text[b : b + 1] == ")" and "(" in text[a:b] and ")" not in text[a:b]:
        b += 1  # keep a parenthesis the span opens
    return a, b


def _whole_words(text: str, a: int, b: int) -> tuple[int, int]:
    """Widen a span over the hyphens and apostrophes that glue it to the rest of a word
    ("co" of "co-operation", "Newton" of "Newton's"): an answer is whole words of its quote."""
    glue = "-'’"
    while a >= 2 and text[a - 1] in glue and text[a - 2].isalnum():
        a -= 2
        while a > 0 and text[a - 1].isalnum():
            a -= 1
    while b + 1 < len(text) and text[b] in glue and text[b + 1].isalnum():
        b += 2
        while b < len(text) and text[b].isalnum():
            b += 1
    return a, b


_MONTHS = frozenset("january february march april may june july august september october november december "
                    "jan feb mar apr jun jul aug sep sept oct nov dec".split())


def _month(word: str) -> bool:
    return word.rstrip(".") in _MONTHS


_NAMED = frozenset({"PERSON", "GPE", "ORG", "NORP", "LOC", "FAC"})


def _last_item(doc: Any, right: Any) -> Any:
    """The last token of the item after a list's closing "and" when the parse attached it elsewhere:
    the end of the last name (a person, place or body) within eight tokens before a verb or a mark
    ("and Deputy Secretary of Treasury Wally Adeyemo discussed": Adeyemo, not Treasury)."""
    if right.lower_ not in ("and", "or") or right.i + 1 >= len(doc):
        return None
    last = None
    for tok in doc[right.i + 1 : right.i + 9]:
        if tok.pos_ in ("VERB", "AUX") or tok.is_punct:
            break
        if tok.ent_type_ in _NAMED and (tok.i + 1 == len(doc) or doc[tok.i + 1].ent_iob_ != "I"):
            last = tok
    return last


def candidates(sentences: list[Sentence], docs: list[Any],
               marks: dict[int, list[tuple[int, int, str, Any]]] | None = None) -> list[Candidate]:
    """Every candidate span in each sentence (``docs``: their spaCy parses, in the same order).

    ``marks``: by sentence index, spans (start, end, label, fact) that stored facts give as answers.
    """
    out: list[Candidate] = []
    for k, (sentence, doc) in enumerate(zip(sentences, docs)):
        found: dict[tuple[int, int], Candidate] = {}
        text = sentence.text

        def add(a: int, b: int, label: str, head: int | None = None, fact: Any = None) -> None:
            a, b = _trim(text, a, b)
            if b <= a or not any(ch.isalnum() for ch in text[a:b]):
                return
            span = doc.char_span(a, b, alignment_mode="expand")
            if span is None or len(span) == 0:
                return
            a, b = _whole_words(text, *_trim(text, span.start_char, span.end_char))
            if b <= a:
                return
            key = (a, b)
            if key not in found:
                found[key] = Candidate(sentence, a, b, text[a:b], set(), span.start, span.end - 1,
                                       span.root.i if head is None else head)
            found[key].labels.add(label)
            if fact is not None:
                found[key].fact = fact

        for ent in doc.ents:
            add(ent.start_char, ent.end_char, "ENT:" + ent.label_)
        for chunk in doc.noun_chunks:
            add(chunk.start_char, chunk.end_char, "NP", chunk.root.i)
            if chunk[0].pos_ == "DET" and len(chunk) > 1:
                add(chunk[1].idx, chunk.end_char, "NP", chunk.root.i)
        for tok in doc:
            if tok.pos_ in ("NOUN", "PROPN", "NUM", "ADJ") and tok.dep_ != "compound":
                left, right = tok.left_edge, tok.right_edge
                size = right.i - left.i + 1
                conj = [c for c in tok.children if c.dep_ == "conj"]
                if size <= MAX_TOKENS:
                    add(left.idx, right.idx + len(right), "SUB", tok.i)
                elif conj and size <= MAX_LIST_TOKENS:
                    add(left.idx, right.idx + len(right), "LIST", tok.i)
                if conj and size <= MAX_LIST_TOKENS:
                    add(left.idx, right.idx + len(right), "LIST", tok.i)
                    last = _last_item(doc, right)  # "A, B, and" + "Deputy Secretary C" the parse left out
                    if last is not None and last.i - left.i < MAX_LIST_TOKENS:
                        add(left.idx, last.idx + len(last), "LIST", tok.i)
                # the head with its left modifiers only: "the 1990 Rhine flood" of a longer phrase
                if size > 1:
                    add(left.idx, tok.idx + len(tok), "LEFT", tok.i)
                # without the words that only qualify it: "about 515 million years", "both A and B"
                if size > 1 and size <= MAX_LIST_TOKENS and left.i < tok.i and left.dep_ in _QUALIFIERS:
                    add(doc[left.i + 1].idx, right.idx + len(right), "TRIM", tok.i)
                # without the clause or aside that follows it: "groups of cilia" of "groups of cilia
                # that act as teeth", "the Treaty (TEU)" of "the Treaty (TEU), which ..."
                cut = next((c for c in tok.rights if c.dep_ in _CLAUSES or c.dep_ == "punct" and c.text in ",;("), None)
                if cut is not None and cut.left_edge.i > tok.i and cut.left_edge.i - left.i <= MAX_TOKENS:
                    end = doc[cut.left_edge.i - 1]
                    add(left.idx, end.idx + len(end), "CUT", tok.i)
            if tok.pos_ == "VERB" and tok.dep_ not in ("amod", "compound"):
                # what a verb does to its objects: "altered the existing treaties"
                rights = [c for c in tok.rights if c.dep_ not in ("punct", "cc", "conj", "mark")]
                if rights:
                    end = max(c.right_edge for c in rights)
                    if end.i - tok.i < MAX_TOKENS:
                        add(tok.idx, end.idx + len(end), "VP", tok.i)
            if tok.dep_ == "prep":
                objects = [c for c in tok.children if c.dep_ == "pobj"]
                for o in objects:
                    if o.right_edge.i - o.left_edge.i < MAX_TOKENS:
                        add(o.left_edge.idx, o.right_edge.idx + len(o.right_edge), "POBJ", o.i)
                # the whole phrase with its preposition: "among the plankton", "by clapping their lobes"
                if tok.right_edge.i > tok.i and tok.right_edge.i - tok.i <= MAX_TOKENS:
                    add(tok.idx, tok.right_edge.idx + len(tok.right_edge), "PP", tok.i)
        for d in find_dates(text, reference=sentence.date):
            if d.value and (d.kind != "relative" or len(d.value) == 10):  # "today" in a dated document
                add(d.start, d.end, "DATE" if d.kind != "relative" else "DATE_REL")
        for m in _MONEY.finditer(text):
            add(m.start(), m.end(), "MONEY")
        for a, b in name_runs(text):  # "Framework for an Agreement on Reciprocal Trade and Investment"
            add(a, b, "NAME")
        for mech in find_mechanisms(text):
            if mech.ordinal or mech.year:  # one meeting of a mechanism: "the 11th ASEAN-ROK Summit"
                add(mech.start, mech.end, "MECH")
        for c in found.values():  # "Plan of Action 2024-2026", "MPAC 2025": a year inside a name dates no event
            if c.labels & {"DATE", "ENT:DATE"} and name_with_number(c.text):  # "PACC 2030", "COP 27"
                c.labels.add("IN_NAME")
            if c.text[:1].isdigit() and c.first > 0 and c.labels & {"DATE", "ENT:DATE"}:
                before = doc[c.first - 1]
                if (before.is_alpha and before.text[:1].isupper() and not before.is_stop  # "In 1985" is no name
                        and before.ent_type_ != "DATE" and not _month(before.lower_)):
                    c.labels.add("IN_NAME")
        for a, b, label, fact in (marks or {}).get(k, []):
            add(a, b, "FACT", fact=fact)
            add(a, b, "FACT:" + label, fact=fact)
        out.extend(found.values())
    return out
