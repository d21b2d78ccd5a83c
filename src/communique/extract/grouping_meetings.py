"""Meetings of a grouping's leaders that no series name tells: "President Biden's Meeting with G7
Leaders", "During a meeting this morning with the G7 leaders", "President Biden will virtually meet
with G7 leaders on August 24, 2021", "Joint Readout of Quad Leaders Call".

Each is a meeting fact named ``<grouping> Leaders' Meeting`` (the name the slice gives the G7's
virtual meeting of December 2024). The resolver joins one held on a day of the grouping's summit to
that summit; one on another day stays a meeting of its own.
"""

from __future__ import annotations

import re
from functools import lru_cache

from communique.data import load_data
from communique.dates import DateMention
from communique.extract.analysis import Analysis
from communique.model import Document, Fact

__all__ = ["extract_grouping_meetings"]


@lru_cache(maxsize=1)
def _pattern() -> re.Pattern[str]:
    groupings = load_data("mechanisms.yaml")["groupings"]
    group = "|".join(re.escape(g) for g in sorted(groupings, key=len, reverse=True))
    return re.compile(rf"""
        (?:\b(?:[Mm]eet(?:s|ing)?|[Mm]et|[Ss]p(?:oke|eak|eaks)|[Cc]onven(?:e|ed|es)|[Gg]ather(?:ed|s)?)  # the encounter
           (?:\s+[\w’']+){{0,3}}?\s+with\s+(?:the\s+)?(?:other\s+|fellow\s+|their\s+)?    # "a meeting this morning with the"
           (?P<group>{group})\s+(?:[Ll]eaders|[Hh]eads\s+of\s+(?:State|Government))\b     # "G7 leaders"
         | (?<![\w-])(?P<group2>{group})\s+[Ll]eaders['’]?\s+(?:[Vv]irtual\s+|[Vv]ideo\s+)?    # "Quad Leaders Call"
           (?:[Cc]all|[Vv]ideo\s*[Cc]all|[Vv]ideoconference|[Mm]eeting)\b)
    """, re.VERBOSE)


# What follows a grouping's name in every match of ``_pattern``: its leaders or heads of state.
_LEADERS_AFTER = re.compile(r"\s+(?:[Ll]eaders|[Hh]eads\s+of\s+(?:State|Government))")


def _may_match(text: str, groupings: dict[str, str]) -> bool:
    """Whether ``text`` holds a grouping's name followed by its leaders, which every match of
    ``_pattern`` holds: a few finds, where the pattern tried at every character of a document
    (it opens with alternatives) is slow, and nearly every document holds no match."""
    for name in groupings:
        at = text.find(name)
        while at >= 0:
            if _LEADERS_AFTER.match(text, at + len(name)):
                return True
            at = text.find(name, at + 1)
    return False


# A day word that dates what a document reports on its own day.
_DAY_KINDS = frozenset({"readout", "joint_statement", "statement", "fact_sheet", "press_briefing", "remarks"})


def extract_grouping_meetings(doc: Document, analysis: Analysis, existing: list[Fact]) -> list[Fact]:
    """Grouping leaders' meetings in one document, one fact per mention that neither a series name nor
    one of the ``existing`` encounters covers."""
    from communique.extract.meetings import _format_in, _meeting_value_named, _pick_date, _status_and_people

    text = analysis.text
    if "eaders" not in text:
        return []
    groupings = load_data("mechanisms.yaml")["groupings"]
    if not _may_match(text, groupings):
        return []
    # what the encounters read ("President Biden met virtually with G7 Leaders") and the series' own names
    taken = [(f.start, f.end) for f in existing] + [(m.start, m.end) for m in analysis.mechanisms]
    out: list[Fact] = []
    for m in _pattern().finditer(text):
        if any(a < m.end() and m.start() < b for a, b in taken):
            continue  # "the Quad Leaders' Meeting": the series' own name, read as a mention
        canon = groupings[m.group("group") or m.group("group2")]
        s_start, s_end = analysis.sentence_at(m.start())
        if m.group("group2") and analysis.paragraph_index(m.start()) > 1 and not any(
                not d.inferred for d in analysis.within(analysis.dates, s_start, s_end)):
            continue  # "because the Quad leaders meeting is so important for us": the series, not one meeting
        value = _meeting_value_named(f"{canon} Leaders' Meeting", [canon])
        date = _pick_date(analysis.within(analysis.dates, s_start, s_end), True)
        in_title = analysis.paragraph_index(m.start()) == 0
        if date is None and in_title and doc.date and doc.kind in _DAY_KINDS:
            date = DateMention(m.start(), m.start(), doc.date, "relative", True)  # the headline's meeting: the day's
        if date is None:
            continue
        if date.inferred and date.kind == "relative" and doc.kind not in _DAY_KINDS:
            continue  # a round-up's "today" is its quote's day, not known here
        value["date"], value["date_inferred"] = str(date.value), date.inferred
        value["format"] = _format_in(text[s_start:s_end]) or _format_in(text[m.start() : m.end()])
        _status_and_people(doc, analysis, value, s_start, s_end)
        out.append(Fact("meeting", value, m.start(), m.end(), "meetings.grouping_leaders"))
        taken.append((m.start(), m.end()))
    body = [f for f in out if analysis.paragraph_index(f.start) > 0] + list(existing)
    # the headline names the meeting its body tells: the body's date and tense say more than the day's
    return [f for f in out if f in body or not any(b.value.get("mechanism") == f.value["mechanism"] for b in body)]
