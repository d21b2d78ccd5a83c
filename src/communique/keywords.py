"""Trigger words of the extractors, found in one pass of one automaton over a document.

Most of a document holds no date, meeting or amount. Rather than let each extractor's grammar try
every character, the words that must open or sit inside a match are found once, case-insensitively,
by an Aho-Corasick automaton; each grammar is then tried only near them. A group of words has its
own boundary rule: ``start`` (a word start: "Jan" opens "January" and "January"), ``word`` (a whole
word), or ``any`` (anywhere, as "committee" in "subcommittee").
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import ahocorasick

from communique.data import load_data

__all__ = ["Hits", "scan", "lower_same_length", "matches_at"]

_MEETING_WORDS = ("summit", "dialogue", "meeting", "forum", "committee", "council", "conference", "ministerial", "assembly", "unga")
_MONEY_WORDS = ("billion", "million", "trillion", "usd", "krw", "won", "dollars")

@dataclass(frozen=True, slots=True)
class _Rule:
    group: str
    left: str  # "" (none), "word" (no word character before), "word-" (no word character or hyphen)
    right: bool  # no word character after


@lru_cache(maxsize=1)
def _automaton() -> ahocorasick.Automaton:
    calendar = load_data("calendar.yaml")
    date_words = set(calendar["months"]) | set(calendar["relative"])  # "this year", not every "this"
    rules: dict[str, list[_Rule]] = {}
    for word in date_words:
        rules.setdefault(word.lower(), []).append(_Rule("date", "word-", False))
    for word in _MEETING_WORDS:
        rules.setdefault(word, []).append(_Rule("meeting", "", False))
    rules.setdefault("eas", []).append(_Rule("meeting", "", True))  # the East Asia Summit's acronym
    for word in _MONEY_WORDS:
        rules.setdefault(word, []).append(_Rule("money", "word", True))
    rules.setdefault("$", []).append(_Rule("money", "", False))
    for title in load_data("gazetteers/titles.yaml"):
        rules.setdefault(title.lower(), []).append(_Rule("title", "word-", False))
    for word in load_data("figures.yaml")["number_words"]:
        rules.setdefault(str(word).lower(), []).append(_Rule("number", "word", True))
    for phrase in ("half a", "a thousand", "a million", "a billion", "a trillion"):
        rules.setdefault(phrase, []).append(_Rule("number", "word", True))
    for marker in load_data("events.yaml")["operative_markers"]:
        rules.setdefault(marker.lower(), []).append(_Rule("operative", "word", True))
    automaton = ahocorasick.Automaton()
    for word, word_rules in rules.items():
        automaton.add_word(word, (len(word), *_compiled(word_rules)))
    automaton.make_automaton()
    return automaton


_GROUPS = ("date", "meeting", "money", "title", "operative", "number")
_LEFT = {"": 0, "word": 1, "word-": 2}


def _compiled(rules: list[_Rule]) -> tuple[bool, bool, tuple[tuple[int, int, bool], ...]]:
    """What the scan reads per hit of a word: whether any of its rules looks left, or right, and each
    rule as (group index, left: 0 none, 1 no word character, 2 no word character or hyphen, right)."""
    return (any(r.left for r in rules), any(r.right for r in rules),
            tuple((_GROUPS.index(r.group), _LEFT[r.left], r.right) for r in rules))


def lower_same_length(text: str) -> str:
    """``text.lower()``, except that a character whose lower case is longer ('İ') stays as it is,
    so that offsets into the result are offsets into ``text``."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(low_ch if len(low_ch := ch.lower()) == 1 else ch for ch in text)


@dataclass(frozen=True, slots=True)
class Hits:
    """Start and end offsets of the trigger words of each group, in text order."""

    date: list[int]  # where a date may start: a digit run (or the bracket before it), a month, a relative word
    meeting: list[tuple[int, int]]
    money: list[tuple[int, int]]
    title: list[int]  # where an official title may start (matched without case: a superset)
    operative: list[int]  # where an operative marker ("hereby agree") starts
    number: list[int] = field(default_factory=list)  # where a number written in words ("twenty", "half a") starts


# a digit run where a date may start: no word character or hyphen before it ("x12", "COVID-19" are
# none). The look-behind comes after the digit: a pattern that opens with a character class is only
# tried where that character is, one that opens with a look-behind at every character.
_DATE_DIGITS = re.compile(r"\d(?<![\w-]\d)")
# the bracket before such a run, when nothing word-like stands before the bracket: "(2011)"
_DATE_BRACKET = re.compile(r"\((?=\d)(?<![\w-]\()")


def scan(text: str) -> Hits:
    """Find every group's trigger words in ``text`` in one pass."""
    low = lower_same_length(text)
    n = len(text)
    found: list[list[tuple[int, int]]] = [[] for _ in _GROUPS]  # (start, end) per group
    for last, (length, looks_left, looks_right, compiled) in _automaton().iter(low):
        first = last - length + 1
        word_before = hyphen_before = after_word = False
        if looks_left and first > 0:
            before = low[first - 1]
            word_before = before.isalnum() or before == "_"
            hyphen_before = before == "-"
        if looks_right and last + 1 < n:
            after = low[last + 1]
            after_word = after.isalnum() or after == "_"
        for group, left, right in compiled:
            if left and (word_before or (hyphen_before and left == 2)):
                continue
            if right and after_word:
                continue
            found[group].append((first, last + 1))
    date, meeting, money, title, operative, number = found
    date_starts = {a for a, _ in date}
    # a run of digits opens a date where no word character or hyphen stands before it, and so does
    # the bracket before it ("(2011)") where none stands before the bracket
    date_starts.update(m.start() for m in _DATE_DIGITS.finditer(text))
    date_starts.update(m.start() for m in _DATE_BRACKET.finditer(text))
    return Hits(sorted(date_starts), sorted(meeting), sorted(money), sorted({a for a, _ in title}),
                sorted({a for a, _ in operative}), sorted({a for a, _ in number}))


def matches_at(pattern: re.Pattern[str], text: str, starts: list[int]) -> Iterator[re.Match[str]]:
    """The non-empty matches of ``pattern`` tried only at ``starts`` (in order), none overlapping the one
    before: what ``pattern.finditer(text)`` gives when every place a match can start is in ``starts``."""
    cursor = 0
    for at in starts:
        if at < cursor:
            continue
        m = pattern.match(text, at)
        if m and m.end() > at:
            cursor = m.end()
            yield m
