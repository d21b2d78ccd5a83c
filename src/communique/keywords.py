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
_DIGIT_RUN = re.compile(r"\d+")


def _is_word(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


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
        automaton.add_word(word, (len(word), tuple(word_rules)))
    automaton.make_automaton()
    return automaton


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


def scan(text: str) -> Hits:
    """Find every group's trigger words in ``text`` in one pass."""
    low = lower_same_length(text)
    n = len(text)
    found: dict[str, list[tuple[int, int]]] = {"date": [], "meeting": [], "money": [], "title": [], "operative": [],
                                               "number": []}
    for last, (length, rules) in _automaton().iter(low):  # the tests of ``_is_word`` written out: per hit
        first = last - length + 1
        before = low[first - 1] if first > 0 else " "
        word_before = before.isalnum() or before == "_"
        after = low[last + 1] if last + 1 < n else " "
        after_word = after.isalnum() or after == "_"
        for rule in rules:
            left = rule.left
            if left and (word_before or (before == "-" and left == "word-")):
                continue
            if rule.right and after_word:
                continue
            found[rule.group].append((first, last + 1))
    date_starts = [a for a, _ in found["date"]]
    for m in _DIGIT_RUN.finditer(text):
        at = m.start()
        before = text[at - 1] if at else " "
        if before == "(":  # "(2011)": a date may open at the bracket, or at the digits after it
            date_starts.append(at)
            if at < 2 or not (_is_word(text[at - 2]) or text[at - 2] == "-"):
                date_starts.append(at - 1)
        elif not (_is_word(before) or before == "-"):
            date_starts.append(at)
    date_starts = sorted(set(date_starts))
    return Hits(date_starts, sorted(found["meeting"]), sorted(found["money"]),
                sorted({a for a, _ in found["title"]}), sorted({a for a, _ in found["operative"]}),
                sorted({a for a, _ in found["number"]}))


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
