"""Heads of state or government named with their title ("President Xi Jinping", "Canadian Prime
Minister Justin Trudeau", "Crown Prince and Prime Minister Mohamed bin Salman"), with the state the
text gives them, and the status a sentence gives what they do (held, planned, postponed, cancelled).
The vocabulary is in ``data/encounters.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.keywords import matches_at

__all__ = ["Leader", "find_leaders", "status_of", "surname", "leader_grammar"]


@dataclass(frozen=True, slots=True)
class Leader:
    title: str
    name: str
    country: str | None  # canonical state name, when the text says it
    start: int  # span of the title and name
    end: int


_NAME_TOKEN = r"(?:[A-Z][\w'’.-]*|(?:al|el)-[A-Z][\w'’.-]*|bin|bint|al|da|de|dos|do|van|von|der|el|la|le|di|ibn)"
# Capitalised words that end a name: the noun of a title ("Joe Biden Call with"), months, sentence openers.
_NOT_NAME = frozenset("""Call Calls Meeting Meetings Virtual Bilateral Video Phone Readout Remarks Statement Joint Press
    Conference Before After At In On Today The And Of Mr. Mrs. Ms. Dr. Minister President Prime Chancellor King Crown
    Prince Secretary Vice Leaders Leader Summit During Following Arrival Ceremony State Visit Dinner Vis Office
    January February March April May June July August September October November December""".split())
# Verbs of a headline ("President Biden Announces Host City"): a name ends before them.
_HEADLINE_VERBS = frozenset("""Announces Announce Signs Meets Hosts Travels Speaks Welcomes Issues Names Nominates Launches
    Delivers Congratulates Participates Highlights Awards Releases Holds Joins Visits Attends Discusses Commemorates
    Celebrates Honors Thanks Urges Calls Declares Approves Proclaims Convenes Unveils Sends""".split())
_PARTICLES = frozenset("bin bint al da de dos do van von der el la le di ibn".split())


@lru_cache(maxsize=1)
def leader_grammar() -> dict[str, Any]:
    spec = load_data("encounters.yaml")
    titles = "|".join(re.escape(t) for t in sorted(spec["leader_titles"], key=len, reverse=True))

    def words(phrases: list[str]) -> str:
        return "|".join(sorted(phrases, key=len, reverse=True))

    recalled = [(kind, p) for kind, phrases in spec["recalled"].items() for p in phrases]
    return {
        "leader": re.compile(rf"(?<![\w-])(?P<title>{titles})\s+(?P<name>[A-Z][\w'’.-]*(?:\s+{_NAME_TOKEN}){{0,5}})"
                             rf"(?P<jr>,?\s+Jr\.)?"),
        "verb": re.compile(rf"(?<![\w-])(?:(?P<call>{words(spec['verbs']['call'])})|(?P<meeting>{words(spec['verbs']['meeting'])}))"
                           r"(?![\w-])", re.I),
        "planned": re.compile(rf"(?<![\w-])(?:{words(spec['planned'])})(?![\w-])", re.I),
        "cancelled": re.compile(rf"(?<![\w-])(?:{words(spec['cancelled'])})(?![\w-])", re.I),
        "postponed": re.compile(rf"(?<![\w-])(?:{words(spec['postponed'])})(?![\w-])", re.I),
        "virtual": re.compile(rf"(?<![\w-])(?:{words([re.escape(v) for v in spec['virtual']])})(?![\w-])", re.I),
        "recalled": re.compile("|".join(rf"(?P<{k}{i}>(?<![\w-]){re.escape(p)}s?(?![\w-]))" for i, (k, p) in enumerate(recalled)), re.I),
        "remarks": re.compile(r"^Remarks\s+by\s+(?P<who>.+?)\s+(?:Before|After|in|at|During|Following|Ahead\s+of)\s+"
                              r"(?:an?\s+|the\s+|their\s+)?(?P<what>" + words(spec["remarks_meetings"]) + r")\b", re.I),
        "readout": re.compile(r"^Readout\s+of\s+(?P<who>.+?)['’]?s?\s+(?P<what>(?:(?:Virtual|Bilateral|Phone|Video|Telephone)\s+)*"
                              r"(?:Call|Meeting|Conversation))\s+with\s+(?P<guest>.+)$", re.I),
        "follow_up": re.compile(r"\b(?:agreed|plan|plans|intend)\s+to\s+(?P<verb>speak|meet|talk)\s+again\b", re.I),
        "home": spec["home_states"],
        "rooms": {room: city for city, rooms in spec["rooms"].items() for room in rooms},
    }


def _clean_name(raw: str) -> str:
    tokens = raw.split()
    verb = next((i for i, t in enumerate(tokens) if t in _HEADLINE_VERBS), None)
    if verb is not None:
        tokens = tokens[:verb]
    while tokens and (tokens[-1] in _NOT_NAME or tokens[-1] in _PARTICLES or tokens[-1] in gazetteer().alias_state):
        tokens.pop()
    if tokens:
        tokens[-1] = re.sub(r"['’]s?$", "", tokens[-1]).rstrip(".,") or tokens[-1]
        if tokens[-1].endswith(".") and len(tokens[-1]) > 2:
            tokens[-1] = tokens[-1].rstrip(".")
    return " ".join(t for t in tokens if t not in _NOT_NAME)


def _country_near(analysis: Analysis, start: int, end: int) -> tuple[str | None, int]:
    """A demonym or state just before the title ("Canadian Prime Minister"), or "of (the) STATE" just
    after the name; returns the state and where the descriptor ends."""
    text = analysis.text
    before = analysis.within(analysis.entities, max(0, start - 40), start)
    if before and before[-1].kind in ("demonym", "state") and re.fullmatch(r"[ \xa0]+", text[before[-1].end : start]):
        return before[-1].name, end
    m = re.match(r",?\s+of\s+(?:the\s+)?", text[end : end + 12])
    if m:
        after = [e for e in analysis.within(analysis.entities, end, end + 90) if e.kind == "state"]
        if after and after[0].start <= end + m.end() + 4:
            return after[0].name, after[0].end
    return None, end


def find_leaders(analysis: Analysis, start: int, end: int) -> list[Leader]:
    """Heads of state or government named in ``[start, end)`` with a title: "President Xi Jinping"."""
    g = leader_grammar()
    text = analysis.text
    out = []
    starts = analysis.hits.title  # where a title may start: the pattern is tried only there
    lo, hi = bisect_left(starts, start), bisect_left(starts, end)
    for m in matches_at(g["leader"], text[:end], starts[lo:hi]):
        if re.search(r"(?:Vice|Deputy|former|Former|Acting)\s+$", text[max(0, m.start() - 9) : m.start()]):
            continue
        name = _clean_name(m.group("name"))
        if not name:
            continue
        name_end = m.start("name") + len(name)
        if m.group("jr") and name_end == m.start("name") + len(m.group("name").rstrip()):
            name, name_end = name + ", Jr.", m.end("jr")
        country, _ = _country_near(analysis, m.start(), name_end)
        out.append(Leader(m.group("title"), name, country, m.start(), name_end))
    return out


def status_of(sentence: str, doc_kind: str) -> str:
    """held, planned, postponed or cancelled, from the sentence's words (and a briefing's future)."""
    g = leader_grammar()
    if g["cancelled"].search(sentence):
        return "cancelled"
    if g["postponed"].search(sentence):
        return "postponed"
    if g["planned"].search(sentence):
        return "planned"
    if doc_kind == "press_briefing" and re.search(r"\bwill\b|\bnext\b", sentence):
        return "planned"
    return "held"


def surname(name: str) -> str:
    tokens = [t for t in name.replace(", Jr.", "").split() if t not in _PARTICLES]
    return tokens[-1] if tokens else name
