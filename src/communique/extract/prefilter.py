"""Cheap exact tests before expensive patterns: the literal strings a pattern's every match holds.

A vocabulary pattern of many alternatives (``events.yaml``'s milestone phrases) is tried at every
position of a sentence, which is slow; yet each of its matches must hold one of a few literal words
("appoint", "launch", "memorandum of"). ``required_literals`` reads them off the parsed pattern, and
``Literals`` finds where they occur in a whole text once, so that a sentence holding none of them is
known to hold no match without running the pattern. The test is exact, not a heuristic: a match
lies inside the sentence, its required literal lies inside the match, so the sentence holds the
literal. Case-insensitive patterns are compared on a lower-cased text, folded the way ``re`` folds
(its simple lower case and its extra equivalences: dotless i, long s, ...).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from re import _casefix, _constants as C, _parser  # type: ignore[attr-defined]

from functools import lru_cache

import _sre  # type: ignore[import-not-found]
import ahocorasick

__all__ = ["required_literals", "Literals", "fold_like_re"]

# characters that ``re`` treats as one under IGNORECASE beyond simple lower case: each to one of them
_CANON: dict[int, int] = {}
for _k, _vs in _casefix._EXTRA_CASES.items():
    for _c in (_k, *_vs):
        _CANON[_c] = min(_CANON.get(_c, _c), _k, *_vs)


def _lower(code: int) -> int:
    low = _sre.unicode_tolower(code)
    return _CANON.get(low, low)


_CANON_TABLE = {c: chr(canon) for c, canon in _CANON.items() if c != canon}
# the few characters the table changes: a text without them (nearly every one) is not translated,
# since ``str.translate`` with a dict looks up every character of the text in Python
_CANON_CHARS = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_CANON_TABLE)) + "]")


def fold_like_re(text: str) -> str:
    """``text`` lower-cased as ``re.IGNORECASE`` compares characters, one character for each."""
    low = text.lower()
    if len(low) != len(text):  # a character whose full lower case is longer ("İ"): its simple one
        return "".join(chr(_lower(ord(ch))) for ch in text)
    if low.isascii() or _CANON_CHARS.search(low) is None:
        return low
    return _CANON_CHARS.sub(lambda m: _CANON_TABLE[ord(m.group())], low)


def _best(candidates: list[frozenset[str]]) -> frozenset[str] | None:
    """Of several sets each of which a match must hit, the most selective: longest shortest word."""
    if not candidates:
        return None
    return max(candidates, key=lambda s: (min(map(len, s)), -len(s)))


def _required(items: list, fold: bool) -> frozenset[str] | None:
    """A set of literals one of which every match of the parsed sequence holds (None: unknown)."""
    candidates: list[frozenset[str]] = []
    run: list[str] = []

    def close() -> None:
        if run:
            candidates.append(frozenset({"".join(run)}))
            run.clear()

    for op, av in items:
        if op is C.LITERAL:
            run.append(chr(_lower(av)) if fold else chr(av))
            continue
        if op in (C.ASSERT, C.ASSERT_NOT, C.AT):  # zero width: a run goes on across them
            if op is C.AT:
                continue
            close()
            continue
        close()
        found: frozenset[str] | None = None
        if op is C.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            sub_fold = (fold or bool(add_flags & C.SRE_FLAG_IGNORECASE)) and not (del_flags & C.SRE_FLAG_IGNORECASE)
            if sub_fold != fold:
                found = None  # a scoped flag: leave it out rather than reason about it
            else:
                found = _required(list(sub), fold)
        elif op is C.ATOMIC_GROUP:
            found = _required(list(av), fold)
        elif op is C.BRANCH:
            alternatives = [_required(list(alt), fold) for alt in av[1]]
            if alternatives and all(a is not None for a in alternatives):
                found = frozenset().union(*alternatives)  # type: ignore[arg-type]
        elif op in (C.MAX_REPEAT, C.MIN_REPEAT, C.POSSESSIVE_REPEAT):
            low, _high, sub = av
            if low >= 1:
                found = _required(list(sub), fold)
        if found:
            candidates.append(found)
    close()
    return _best([c for c in candidates if c and all(c)])


@lru_cache(maxsize=256)
def required_literals(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """Literal strings one of which every match of ``pattern`` contains, folded with
    ``fold_like_re`` when the pattern ignores case; None when no such set is known."""
    fold = bool(pattern.flags & re.IGNORECASE)
    if pattern.flags & (re.VERBOSE | re.LOCALE):
        return None
    try:
        parsed = _parser.parse(pattern.pattern, pattern.flags)
    except re.error:
        return None
    found = _required(list(parsed), fold)
    if found is None:
        return None
    # a literal holding another one adds nothing: a text holding it holds the shorter one too
    return frozenset(w for w in found if not any(o != w and o in w for o in found))


class Literals:
    """Where a set of literal strings occurs in one text, found once with ``str.find`` (in C);
    ``within(a, b)`` says whether ``text[a:b]`` wholly holds one of them (always true for
    ``literals=None``, a pattern without a known literal).

    ``lazy=True`` finds nothing up front: each part asked about is searched when asked (in C,
    stopping at the first literal). Cheaper where only a few parts of a long text are asked about,
    or where the literals are short and occur everywhere; the answers are the same."""

    __slots__ = ("spans", "starts", "everywhere", "text", "lazy", "literals", "automaton")

    def __init__(self, text: str, literals: frozenset[str] | tuple[str, ...] | None, *, lazy: bool = False) -> None:
        spans: list[tuple[int, int]] = []
        self.everywhere = literals is None  # no literal known: every part of the text may hold a match
        self.text, self.lazy, self.literals = text, lazy, tuple(literals or ())
        self.automaton = _automaton(frozenset(self.literals)) if lazy and len(self.literals) > 8 else None
        if literals is None or lazy:
            pass
        elif len(literals) > 8:  # one pass of an automaton rather than a pass per literal
            for last, length in _automaton(frozenset(literals)).iter(text):
                spans.append((last + 1 - length, last + 1))
        else:
            for literal in literals:
                at = text.find(literal)
                while at >= 0:
                    spans.append((at, at + len(literal)))
                    at = text.find(literal, at + 1)
        spans.sort()
        self.spans = spans
        self.starts = [a for a, _ in spans]

    def within(self, start: int, end: int) -> bool:
        if self.everywhere:
            return True
        if self.lazy:  # offsets inside the text: never counted from its end, never past it
            n = len(self.text)
            return self._search(min(max(0, start), n), min(max(0, end), n))
        spans = self.spans
        i = bisect_left(self.starts, start)
        while i < len(spans) and spans[i][0] < end:
            if spans[i][1] <= end:
                return True
            i += 1
        return False

    def _search(self, start: int, end: int) -> bool:
        if self.automaton is not None:  # its hits inside [start, end) are the literals wholly inside
            for _hit in self.automaton.iter(self.text, start, end):
                return True
            return False
        text = self.text
        return any(text.find(literal, start, end) >= 0 for literal in self.literals)


@lru_cache(maxsize=32)
def _automaton(literals: frozenset[str]) -> "ahocorasick.Automaton":
    automaton = ahocorasick.Automaton()
    for literal in literals:
        automaton.add_word(literal, len(literal))
    automaton.make_automaton()
    return automaton
