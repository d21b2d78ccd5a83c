"""Support: an answer is whole words of the quote that cites it.

A quote *holds* an answer when the answer's words, compared as the SQuAD evaluation compares text
(lower case, ASCII punctuation and the articles a/an/the dropped, split on white space), are a run
of the quote's words. A span the reader found can still fail that where the source glues a
non-ASCII mark to it without a space: "festival—an", "‘combs’", "45°", "Miller–Urey", "living…".
``fit_span`` fixes the span or its quote by the kind of mark:

- a clause mark (an em dash, an ellipsis) ends a clause: the span is right, and its quote begins
  or ends at that mark ("In October, there is the Design Event festival" of "... festival—an
  annual festival ...");
- a bracketed editorial note glued to the span ("1978,[citation needed]", "2010[update]") is no
  part of what the source says: the quote ends before it (begins after one glued before the span);
- any other mark (quotation marks, a degree sign, an en dash joining a compound) belongs to the
  word: the span takes the whole word ("45°" of "45°.", "the ‘combs’", "Miller–Urey").
"""

from __future__ import annotations

import re
import string

__all__ = ["holds", "fit_span", "CLAUSE_MARKS"]

CLAUSE_MARKS = frozenset("—―…")
_ASCII_PUNCT = frozenset(string.punctuation)
_ARTICLES = re.compile(r"\b(a|an|the)\b")


def words(text: str) -> list[str]:
    """The words of a text as SQuAD compares them."""
    kept = "".join(ch for ch in text.lower() if ch not in _ASCII_PUNCT)
    return _ARTICLES.sub(" ", kept).split()


def holds(quote: str, answer: str) -> bool:
    """Whether the answer's words are a run of the quote's words."""
    a = words(answer)
    if not a:
        return False
    return f" {' '.join(a)} " in f" {' '.join(words(quote))} "


def _glued(part: str) -> bool:
    """A part of a white-space word next to the span that is more than ASCII punctuation."""
    return any(ch not in _ASCII_PUNCT for ch in part)


def fit_span(text: str, a: int, b: int) -> tuple[int, int, int, int]:
    """The span ``text[a:b]`` made whole words, and the part of ``text`` its quote is.

    Returns ``(a, b, quote_start, quote_end)``, offsets into ``text``; the quote is all of ``text``
    unless a clause mark is glued to the span.
    """
    q_start, q_end = 0, len(text)
    left = a
    while left > 0 and not text[left - 1].isspace():
        left -= 1
    right = b
    while right < len(text) and not text[right].isspace():
        right += 1
    if _glued(text[left:a]):
        mark = max((i for i in range(left, a) if text[i] in CLAUSE_MARKS or text[i] == "]"), default=None)
        if mark is not None:
            q_start = mark + 1  # the clause the span opens
            left = mark + 1
        if _glued(text[left:a]):
            a = left
            while a < b and text[a] in _ASCII_PUNCT:  # "(“The" -> "“The"
                a += 1
    if _glued(text[b:right]):
        mark = min((i for i in range(b, right) if text[i] in CLAUSE_MARKS or text[i] == "["), default=None)
        if mark is not None:
            q_end = mark  # the clause the span closes
            right = mark
        if _glued(text[b:right]):
            b = right
            while b > a and text[b - 1] in _ASCII_PUNCT:  # "”)," -> "”"
                b -= 1
    return a, b, min(q_start, a), max(q_end, b)
