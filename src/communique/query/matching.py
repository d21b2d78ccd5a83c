"""Matching questions to records: dates and ordinals in words, crude stems, name checks and the
paragraph retrieval (FTS5 BM25 anchored on the question's entities) the figure answers read."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any, Callable

from communique.extract.gazetteer import gazetteer
from communique.ingest.passages import sentence_spans
from communique.query.question import Question
from communique.store import Store

__all__ = ["GENERIC", "human_date", "date_answer", "ordinal", "stem", "has_phrases", "names_all", "retrieve"]

_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"]
GENERIC = {"Association of Southeast Asian Nations", "Republic of Korea", "United States"}


def human_date(value: str | None) -> str | None:
    """'2019-11-26' -> '26 November 2019'; '2009-03' -> 'March 2009'; ranges joined with 'to'."""
    if not value:
        return None
    if "/" in value:
        a, b = value.split("/", 1)
        return f"{human_date(a)} to {human_date(b)}" if b else f"since {human_date(a)}"
    parts = value.split("-")
    if len(parts) == 3:
        return f"{int(parts[2])} {_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    if len(parts) == 2:
        return f"{_MONTHS[int(parts[1]) - 1]} {parts[0]}"
    return parts[0]


def date_answer(value: str | None) -> str | None:
    """An answer date: ISO first (exact and machine-readable), then in words: '2009-03 (March 2009)'."""
    words = human_date(value)
    if not words or not value:
        return None
    return value if words == value else f"{value} ({words})"


def ordinal(n: int | None) -> str:
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A crude stem: 'adopted', 'adoption', 'adopt' -> 'adopt'."""
    w = word.lower()
    for suffix in ("ation", "ition", "tion", "ment", "ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4:
            w = w[: -len(suffix)]
            break
    return w[:7]


def norm(text: str) -> str:
    return re.sub(r"[\s\-–]+", " ", text.lower())


_SMALL = frozenset("of on for and the in to".split())


def has_phrases(q: Question, text: str) -> bool:
    """The evidence names every unknown name the question asks about: the exact name, or nearly
    all its words ('Dialogue Partner of ASEAN' in '... full Dialogue Partner status by ASEAN')."""
    if not q.phrases:
        return True
    low = norm(text)
    for phrase in q.phrases:
        if norm(phrase) in low:
            continue
        wanted = [stem(w) for w in re.findall(r"[\w’']+", phrase.lower()) if w not in _SMALL]
        # a stem found inside the text is close enough (and far cheaper than stemming the text)
        if not wanted or sum(1 for w in wanted if w in low) / len(wanted) < 0.8:
            return False
    return True


def names_all(q: Question, text: str) -> bool:
    """Every specific entity of the question (by any alias) is named in the text."""
    g = gazetteer()
    for e in q.entities:
        if e.name in GENERIC or e.kind == "place":
            continue
        if not any(a in text for a in g.entity_aliases.get(e.name, [e.surface]) + [e.surface]):
            return False
    return True


def retrieve(store: Store, q: Question, limit: int = 40, rare: Callable[[str], bool] | None = None) -> list[dict[str, Any]]:
    """Paragraphs for the question's words and its entities' aliases (BM25), with their sentences.

    ``rare``: the words searched alone (the question names no entity or phrase, or no paragraph holds
    them together) are those it calls rare, else the two rarest: an OR of words that a large share of
    the paragraphs hold makes BM25 score most of the index (0.2-0.7 s on the wh knowledge base); every
    word still counts in the scores the callers give the paragraphs found.
    """
    g = gazetteer()
    quote = lambda words: '"' + " ".join(words).replace('"', '""') + '"'  # noqa: E731
    groups: list[list[str]] = []  # each group: alternatives, one of which a paragraph must hold
    anchored: set[str] = set()
    for e in q.entities:
        alternatives = {quote(re.findall(r"\w+", a.lower())) for a in g.entity_aliases.get(e.name, [e.surface]) + [e.surface]}
        groups.append(sorted(a for a in alternatives if a != '""'))
        anchored |= {w.lower() for w in re.findall(r"\w+", e.surface)}
    for phrase in q.phrases:
        groups.append([quote(re.findall(r"\w+", phrase.lower()))])
        anchored |= {w.lower() for w in re.findall(r"\w+", phrase)}
    if q.mechanism is not None:
        groups.append([quote([q.mechanism.kind.split()[-1].lower().rstrip("s")])])
    rest = sorted({w for w in q.words if len(w) > 1 and w not in anchored} - {"u", "s"})
    others = " OR ".join(quote(re.findall(r"\w+", w)) for w in rest if re.findall(r"\w+", w))
    anchor = " AND ".join("(" + " OR ".join(alts) + ")" for alts in groups if alts)
    alone = others
    if rare is not None:
        kept = [w for w in rest if rare(w)] or sorted(rest, key=lambda w: store.paragraph_frequency(w))[:2]
        alone = " OR ".join(quote(re.findall(r"\w+", w)) for w in kept if re.findall(r"\w+", w))
    attempts = [f"{anchor} AND ({others})" if anchor and others else "", anchor, alone]
    match = ""
    paragraphs: list[dict[str, Any]] = []
    rows: list[Any] = []
    for match in [a for a in attempts if a]:
        rows = store.search_passages(match, limit, title_weight=0.3)
        if rows:
            break
    if rows:
        paragraphs = [dict(r) for r in rows]
        for para in paragraphs:
            base, text = para["start"], para["text"]
            para["sentences"] = [(base + a, base + b, text[a:b]) for a, b in sentence_spans(text, 0, len(text))]
    return paragraphs
