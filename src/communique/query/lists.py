"""List answers: the whole list a list question asks for, with as many items as the question says.

"Which five countries' presidents joined ...?" states how many items its answer has: of the
coordinated lists among the candidates, one with five items (or five names: "Scott Bessent,
Secretary of the Treasury, and Jamieson Greer, United States Trade Representative" is two people
with their titles) is the answer, not the best single span. "Who jointly led ...?" asks for every
doer: the list the best name stands in, or, where the parser made no list of them, the shortest
span of its sentence holding the best name and another person's.
"""

from __future__ import annotations

import re
from typing import Any

__all__ = ["stated_count", "list_items", "whole_list"]

_NUMBERS = {"two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
            "eleven": 11, "twelve": 12, "both": 2}
# the count a question states before the noun it asks for: "which five countries", "what two officials"
_COUNT = re.compile(r"\b(?:which|what)\s+(two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|\d{1,2})\s+(?!of\b|percent\b|%)",
                    re.I)
_ITEM_SPLIT = re.compile(r",\s*(?:and\s+|or\s+)?|\s+(?:and|or)\s+|;\s*")
_NAMES = ("ENT:PERSON", "ENT:GPE", "ENT:NORP", "ENT:ORG")


def stated_count(question: str) -> int | None:
    """How many items a question asks for ("Which three countries ..." -> 3), else None."""
    m = _COUNT.search(question)
    if not m:
        return None
    word = m.group(1).lower()
    value = int(word) if word.isdigit() else _NUMBERS[word]
    return value if 2 <= value <= 12 else None


def list_items(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each item of a coordinated list's text: "A, B, and C" -> A, B, C."""
    out, cursor = [], 0
    for m in list(_ITEM_SPLIT.finditer(text)) + [None]:
        stop = m.start() if m else len(text)
        raw = text[cursor:stop]
        lead = len(raw) - len(raw.lstrip())
        if raw.strip():
            out.append((cursor + lead, cursor + lead + len(raw.strip())))
        cursor = m.end() if m else len(text)
    return out


def _inside(inner: Any, outer: Any) -> bool:
    return inner.sentence is outer.sentence and outer.start <= inner.start and inner.end <= outer.end


def _has_count(s: Any, scored: list[Any], n: int, by_names: bool) -> bool:
    """``n`` of the list's items hold a name of one kind (people, places), or (``by_names`` false)
    the list has ``n`` items."""
    c = s.candidate
    items = list_items(c.text)
    if not by_names:
        return len(items) == n
    for label in _NAMES:
        names = [o.candidate for o in scored if label in o.candidate.labels and _inside(o.candidate, c)]
        holding = sum(1 for a, b in items if any(a <= x.start - c.start and x.end - c.start <= b for x in names))
        if holding == n:
            return True
    return False


def whole_list(best: Any, scored: list[Any], question: str) -> tuple[Any, float]:
    """The candidate that answers a list question whose best single span is ``best`` (``Scored``),
    with its confidence: the support of the best span it holds, or of the spans inside it (a list
    is as well supported as its items)."""
    chosen, counted = _whole_list(best, scored, question)
    if chosen is best and not counted:
        return best, best.support
    inner = sum(s.probability for s in scored if _inside(s.candidate, chosen.candidate))
    # a list of as many names as the question asks for is as well found as the best span was
    held = best.support if counted or _inside(best.candidate, chosen.candidate) else 0.0
    return chosen, min(1.0, max(chosen.support, held, inner))


def _whole_list(best: Any, scored: list[Any], question: str) -> tuple[Any, bool]:
    c = best.candidate
    lists = [s for s in scored if "LIST" in s.candidate.labels]
    n = stated_count(question)
    if n:
        # lists of n names first (people, places), then lists of n items of any words
        for by_names in (True, False):
            fitting = [s for s in lists if _has_count(s, scored, n, by_names)]
            around = [s for s in fitting if _inside(c, s.candidate)]
            if around or fitting:
                return max(around or fitting, key=lambda s: s.probability), True
    around = [s for s in lists if _inside(c, s.candidate)]
    if around:
        return min(around, key=lambda s: s.candidate.end - s.candidate.start), False
    if "ENT:PERSON" in c.labels:  # "A, Special Envoy, and B, nominee for Secretary": no list parsed
        people = [o.candidate for o in scored if "ENT:PERSON" in o.candidate.labels and o.candidate.sentence is c.sentence
                  and (o.candidate.end <= c.start or o.candidate.start >= c.end)]
        wider = [s for s in scored if _inside(c, s.candidate) and s.candidate is not c
                 and any(_inside(p, s.candidate) for p in people)]
        if wider:
            return min(wider, key=lambda s: s.candidate.end - s.candidate.start), False
    return best, False
