"""Meetings: mechanism, ordinal, date, venue, format, co-chairs, topics, documents adopted.

Read from prose ("The 26th ASEAN-ROK Dialogue ... was held in Seoul, the ROK, on July 1"), from
year-led tables ("2016 18th ASEAN-ROK Summit in Vientiane"), and from the opening of declarations
("We, the Heads of State/Government of ... gathered on 26 November 2019 in Busan").
"""

from __future__ import annotations

import re
from typing import Any

from communique.data import load_data
from communique.dates import DateMention
from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.extract.leaders import find_leaders, status_of
from communique.extract.mechanisms import MechanismMention, canonical_mechanism, format_phrases
from communique.extract.people import parse_people
from communique.model import Document, Fact

__all__ = ["extract_meetings"]

_AT_THE = re.compile(r"\b(?:at|in)\s+the\s+$")
_PLACE_IN = re.compile(r"(?:\bin|\bat|\bheld in)\s*(?:the\s+)?$")
_NEXT_CLAUSE = re.compile(r",\s+(?:and|but|so|while)\s+(?:so\s+|then\s+)?(?:he|she|they|we|I|it|you)\b|;\s")
_LIST_REACH = 40  # characters after a mention within which ", PLACE" or "(PLACE" names its venue
_PLACE_LEAD = re.compile(r"(?:\bin|\bat|\bheld in|,|\()\s*(?:the\s+)?$")
_HELD_AT = re.compile(r"^\s*(?:\(\s*at\s+the|\(|,?\s*(?:held\s+)?(?:(?:at|on)\s+the\s+(?:sidelines|margins)\s+of|during|at)\s+the)\s*$")
_CO_CHAIR = re.compile(r"\bco-?chair(?:ed|s)?\b|\bchaired\s+by\b", re.IGNORECASE)
_MAIN_REF = re.compile(r"\bthe\s+(?:meeting|dialogue|summit|consultations?|SOM)\b", re.IGNORECASE)
_HELD = re.compile(r"\b(?:held|hosted|convened|took place|co-?chaired|opened|met)\b", re.IGNORECASE)
_GATHERING = re.compile(
    r"\bWe,?\s+the\s+(?:Heads\s+of\s+State(?:/|\s+and\s+)Government|[Ll]eaders|Member\s+States)\s+of\s+"
    r"(?P<who>.{3,250}?)\b(?P<verb>gathered|gather|met|meet|convened|assembled)\b(?P<rest>[^;]{0,200})",
    re.DOTALL,
)
_TOPIC_VERB = re.compile(
    r"\b(?:discussed|exchanged views on|shared views on|exchanged views about|reviewed|focused on)\s+(?P<what>[^.;]{8,220})",
    re.IGNORECASE,
)
_ADOPTED = re.compile(
    r"\b(?:adopted|issued|signed|endorsed|launched)\s+(?:the\s+)?(?P<doc>(?:[A-Z][\w’'-]*|of|on|for|and|the|to|in|,)(?:\s+(?:[A-Z0-9][\w’'-]*|of|on|for|and|the|to|in)){1,18})"
)
_DOC_NOUN = re.compile(r"\b(?:Declaration|Statement|Plan of Action|Action Plan|Plan|Agreement|Vision|Charter|Treaty|Memorandum|MOU|Roadmap|Blueprint|Framework|Principles|Report)\b")


_ANNIVERSARY_OF = re.compile(r"\banniversary\s+of\s+(?:the\s+)?$", re.IGNORECASE)
# "my third U.S.-ASEAN Summit", "the President's first NATO Summit" (not "ASEAN's": the grouping's own count)
_POSSESSIVE = re.compile(r"(?:\b(?i:my|his|her|our|their|your)|\b[A-Z]?[a-z]+['’]s)\s+$")
# "the first G7 Summit in nearly two years", "the fourth NATO Summit since President Biden took office",
# "the first G7 Summit that President ...": a count of something else, not the series' number
_OTHER_COUNT = re.compile(
    r"\s*(?:since|in\s+(?:nearly\s+|almost\s+|over\s+|more\s+than\s+)?\w+\s+(?:years?|decades?)|that|where|when|for\s+(?:him|her|the\s+(?:President|Prime))"
    r"|of\s+(?:his|her|the|their|this|my)\s+(?:presidency|tenure|term|administration))\b")


def _planned() -> re.Pattern[str]:
    from communique.extract.events import _vocabulary

    return _vocabulary()[1]


def _format_in(text: str) -> str | None:
    low = text.lower()
    for fmt, phrases in format_phrases().items():
        for phrase in phrases:
            if phrase in low and re.search(rf"(?<![\w-]){re.escape(phrase)}(?![\w-])", low):  # a fast find first
                return fmt
    return None


def _pick_date(dates: list[DateMention], prefer_first: bool) -> DateMention | None:
    usable = [d for d in dates if d.value and d.kind != "period"]
    if not usable:
        return None
    chosen = usable[0] if prefer_first else usable[-1]
    if chosen.inferred:  # "Today" after a dateline: the stated date is the better evidence
        stated = [d for d in usable if not d.inferred and d.value == chosen.value]
        return stated[0] if stated else chosen
    return chosen


def find_venue(analysis: Analysis, start: int, end: int) -> tuple[str | None, str | None, list[tuple[int, int]]]:
    """City and country named after 'in', 'at', a comma or a bracket within ``[start, end)``."""
    g = gazetteer()
    city = country = None
    spans: list[tuple[int, int]] = []
    for ent in analysis.within(analysis.entities, start, end):
        if ent.kind == "seat" and city is None and country is None and ent.name in g.seat_city \
                and _AT_THE.search(analysis.text, max(start, ent.start - 8), ent.start):
            # "will host the first-ever Quad Leaders Summit at the White House": the seat's city
            city, country = g.seat_city[ent.name], g.seat_of.get(ent.name)
            spans.append((ent.start, ent.end))
            break
        if ent.kind not in ("place", "state"):
            continue
        lead = analysis.text[max(start, ent.start - 12) : ent.start]
        if not _PLACE_LEAD.search(lead) and not (city and lead.strip() in (",", ", the", "")):
            continue
        if _NEXT_CLAUSE.search(analysis.text, start, ent.start):
            break  # "... do the Quad Summit, and so he'll see Prime Minister Morrison tomorrow in New York"
        if city is None and country is None and ent.start - start > _LIST_REACH and not _PLACE_IN.search(lead):
            continue  # "... the Quad, AUKUS, Camp David": a place far on in a list after a comma is no venue
        if ent.kind == "place" and city is None and country is None:
            city = ent.name
            country = g.country_of_place(ent.name)
            short = re.split(r",|\s+D\.?C\.?$", city)[0].strip()  # "Washington, D.C." is Washington
            if short != city and g.country_of_place(short) == country:
                city = short
            spans.append((ent.start, ent.end))
        elif ent.kind == "state":
            if country is None or (city and country == ent.name):
                country = ent.name
                spans.append((ent.start, ent.end))
                if city is None and g.country_of_place(ent.surface) == ent.name:
                    city = ent.surface  # a city-state: Singapore
            break
        else:
            break
    return city, country, spans


def _documents_adopted(text: str) -> list[str]:
    out = []
    for m in _ADOPTED.finditer(text):
        name = re.split(r"\s+(?:and|to|in|on|at|which|that)\s+(?=[a-z])|,", m.group("doc"))[0].strip()
        if _DOC_NOUN.search(name):
            out.append(name.rstrip(" ,"))
    return out


def _meeting_value(mention: MechanismMention) -> dict[str, Any]:
    return {
        "mechanism": mention.name, "ordinal": mention.ordinal, "date": None, "date_inferred": False,
        "city": None, "country": None, "format": None, "co_chairs": [], "participants": [], "topics": [],
        "documents_adopted": [], "held_at": None, "parties": list(mention.parties), "evidence": [], "planned": False,
    }


def extract_meetings(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    """Meetings mentioned in one document, each with the span of its mention as evidence."""
    analysis = analysis or Analysis(doc)
    text = analysis.text
    facts: list[Fact] = []
    mentions = analysis.mechanisms
    main: Fact | None = None
    spoken = doc.kind in _SPOKEN_KINDS
    for index, mention in enumerate(mentions):
        if spoken and _QUESTION_TURN.match(text, analysis.paragraph_at(mention.start)[0]):
            continue  # "Q ... should go to the 2026 APEC Summit in Beijing?": a reporter's question states no meeting
        s_start, s_end = analysis.sentence_at(mention.start)
        row = analysis.row_at(mention.start)
        if row is not None:
            s_start, s_end = row.start, row.end
        prev_end = max([m.end for m in mentions[:index] if m.end <= mention.start and m.end > s_start] or [s_start])
        next_start = min([m.start for m in mentions[index + 1 :] if m.start >= mention.end and m.start < s_end] or [s_end])
        after = (mention.end, next_start)
        before = (prev_end, mention.start)
        value = _meeting_value(mention)
        if value["ordinal"] and (_POSSESSIVE.search(text[max(s_start, mention.start - 12) : mention.start])
                                 or _OTHER_COUNT.match(text, mention.end, s_end)):
            value["ordinal"] = None  # "my third U.S.-ASEAN Summit": a person's count, not the series'
        value["planned"] = bool(_planned().search(text[s_start:s_end]))
        if "Trilateral" in value["mechanism"] and not mention.parties:
            parties = _parties_in(analysis, s_start, s_end)
            if len(parties) < 3 and len(analysis.paragraphs) > 1:  # the headline and lead paragraph name the rest
                lead = _parties_in(analysis, analysis.paragraphs[0][0], analysis.paragraphs[1][1], parties)
                # after a party the sentence names, the first ones the lead names; else exactly three
                parties = lead[:3] if parties else lead
            if len(parties) != 3:
                continue
            value["parties"] = parties
            value["mechanism"] = canonical_mechanism(parties, "", "Trilateral Summit")
        # the date: a year written into the name, then the clause after, the clause before, the row
        date = None
        other_clause = False
        # "the Anniversary of the Trilateral Leaders' Summit at Camp David": the dates around it are the
        # anniversary's, not the meeting's
        recalled = bool(_ANNIVERSARY_OF.search(text, max(s_start, mention.start - 30), mention.start))
        if mention.year:
            value["date"] = str(mention.year)
            # "the 2024 NATO Summit, July 9-11, 2024": a closer date of that year says more
            near = _pick_date([d for d in analysis.within(analysis.dates, *after)
                               if str(d.value or "").startswith(str(mention.year)) and not d.inferred], True)
            if near is not None:
                value["date"] = near.value
        elif recalled:
            pass
        else:
            # an unnumbered mention takes a date before it only from close by: far back, it is another's
            reach = before if mention.ordinal else (max(before[0], mention.start - 60), before[1])
            # "... at United Nations General Assembly, ... what you were describing yesterday": a day word far
            # after the mention dates another clause
            ahead = [d for d in analysis.within(analysis.dates, *after) if not (
                d.kind == "relative" and d.start - mention.end > _RELATIVE_REACH and not text.startswith(("today", "Today"), d.start))
                and not _TARGET_YEAR.match(text, d.end) and not _goal_year(text, d, doc.date)
                and not (d.start - mention.end > _DATE_AHEAD_REACH and _FRONTED.match(text, s_start)
                         and _CLAUSE_BETWEEN.search(text, mention.end, d.start))]
            date = _pick_date(ahead, True) or _pick_date(
                [d for d in analysis.within(analysis.dates, *reach) if not _AFTER_THAT.search(text, d.end, mention.start)
                 and not _TARGET_YEAR.match(text, d.end) and not _goal_year(text, d, doc.date)
                 and not _attributive_year(text, d, mention.start)], False)
            if date is not None and row is not None and not str(date.value).startswith(str(row.year)):
                date = None  # a date of something else in the row
            if date is not None and _other_clause_today(doc, analysis, mention, date):
                date, other_clause = None, True  # "signed on the sidelines of the G7 Summit in Hiroshima, today we announce"
            if date is not None and date.kind == "month" and date.inferred and doc.date and str(date.value) < doc.date[:7] \
                    and _nearer_ahead(str(date.value), doc.date) and not _PAST.search(text[s_start:s_end]) \
                    and _FUTURE.search(text[s_start:s_end]):
                # "the NATO Summit in Vilnius in July" in February, told in the future: the coming July
                # ("the unity G7 Leaders displayed in May" in December is this year's May)
                date = date._replace(value=f"{int(str(date.value)[:4]) + 1}{str(date.value)[4:]}")
            if date is None and doc.date and not recalled and _TODAYS.search(text, max(s_start, mention.start - 20), mention.start):
                # "today's NATO summit": the document's own day (a week or month word gives the month)
                todays = _TODAYS.search(text, max(s_start, mention.start - 20), mention.start)
                exact = todays and todays.group("when").lower() == "today" and doc.kind in _DAY_KINDS
                value_of = doc.date if exact else doc.date[:7]  # a round-up's "today" is its quote's day
                date = DateMention(mention.start, mention.start, value_of, "relative", True)
            if date is not None:
                value["date"], value["date_inferred"] = date.value, date.inferred
            elif row is not None:
                value["date"] = str(row.year)
        value["city"], value["country"], _ = find_venue(analysis, *after)
        if value["city"] is None and value["country"] is None:
            value["city"], value["country"] = _venue_before(analysis, before[0], mention.start)
        value["format"] = _format_in(text[after[0] : after[1]])
        if value["format"] is None and len([m for m in mentions if s_start <= m.start < s_end]) == 1:
            value["format"] = _format_in(text[s_start:s_end])
        _status_and_people(doc, analysis, value, s_start, s_end)
        held_at = mentions[index + 1] if index + 1 < len(mentions) else None
        if held_at is not None and held_at.start < s_end and _HELD_AT.match(text[mention.end : held_at.start]):
            value["held_at"] = {"mechanism": held_at.name, "ordinal": held_at.ordinal}
        lead = text[before[0] : before[1]]
        if row is not None and re.search(r"\(?\s*at\s+the\s*$|\(\s*$", lead):
            value["documents_adopted"] += [d for d in [_doc_before(lead)] if d]
        value["documents_adopted"] += _documents_adopted(text[after[0] : s_end])
        in_title = bool(doc.title) and analysis.paragraph_index(mention.start) == 0 and doc.title in text[s_start:s_end + 1]
        if in_title and not value["date"] and doc.date and not recalled:
            # a headline names the meeting its document reports: the year is the document's (inferred)
            value["date"], value["date_inferred"] = doc.date[:4], True
        if not (value["ordinal"] or value["date"]) and (value["city"] or value["country"]) and doc.date and not recalled \
                and not other_clause and _NOW.search(text[s_start:s_end]) and not _EARLIER.search(text, max(s_start, mention.start - 25), mention.start) \
                and not _AHEAD_TO.search(text, max(s_start, mention.start - 40), mention.start):
            # "At the G7 Leaders' Summit in Schloss Elmau, Leaders will formally launch": the meeting the
            # document is about, this month
            value["date"], value["date_inferred"] = doc.date[:7], True
            _status_and_people(doc, analysis, value, s_start, s_end)
        if not (value["ordinal"] or value["date"]):
            # an undated, unnumbered mention names a series, not a meeting, unless it speaks of one summit
            # ("the decision made at the G7 Summit in Apulia"): the resolver finds which, or drops it
            if mention.kind in _SUMMIT_KINDS and not recalled and doc.date and not _plural(text, mention) \
                    and not _EARLIER.search(text, max(s_start, mention.start - 25), mention.start):
                _status_and_people(doc, analysis, value, s_start, s_end)
                value["undated"] = True
                facts.append(Fact("meeting", value, mention.start, mention.end, "meetings.undated"))
            continue
        if _plural(text, mention) and not value["ordinal"]:
            facts += _each_date(analysis, value, mention, after)  # "the U.S.-GCC Summits held on May 14, 2015 ... and on"
            continue
        fact = Fact("meeting", value, mention.start, mention.end, "meetings.mention")
        facts.append(fact)
        if main is None and value["ordinal"] and (
            analysis.paragraph_index(mention.start) <= 1 or _HELD.search(text[s_start:s_end])):
            main = fact
    _during_dated_meeting(analysis, facts)
    facts += _gatherings(doc, analysis, facts)
    facts += _bare_groupings(doc, analysis)
    facts += _hosted_groupings(doc, analysis)
    if main is None and facts and doc.title:
        title_mentions = [f for f in facts if f.value["mechanism"] in doc.title and f.value["ordinal"]]
        main = title_mentions[0] if title_mentions else None
    if main is not None:
        _attach_main_details(analysis, main)
    analysis.meeting_facts = facts  # type: ignore[attr-defined]  # read by the milestones: dates of venues
    return facts


_SPOKEN_KINDS = frozenset({"press_briefing", "remarks", "interview"})
_QUESTION_TURN = re.compile(r"\s*(?:\*\*)?Q(?:\*\*)?(?:[:.]|\s)")
# "a new 2030 target by the April 22nd Leaders Summit": the year of a goal, not of a meeting
_TARGET_YEAR = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:targets?|goals?|deadlines?|objectives?|ambitions?)\b")
# In a sentence that opens with a phrase naming the meeting, a date further than this after it, past the
# comma that closes the phrase, dates the main clause's act: "Since its launch at the first Summit for
# Democracy, the U.S. Government has contributed ... $31 million in 2023 alone" ("The 26th ASEAN-ROK
# Dialogue, an annual ... meeting ..., was held in Seoul, the ROK, on July 1" is no such sentence)
_DATE_AHEAD_REACH = 80
_FRONTED = re.compile(r"\s*(?:Since|At|During|After|Before|Following|On|In|Building on|Ahead of|Through|Under)\b")
_CLAUSE_BETWEEN = re.compile(r",\s+(?:the|a|an|it|we|they|he|she|our|its|this|which|who|and)\b|;|\s[—–]\s")
# "looking ahead to the U.S.-hosted Summit for Democracy": a meeting to come, not the document's own
_AHEAD_TO = re.compile(r"\b(?:looking|look|looks)\s+ahead\s+to\b|\b(?:upcoming|forthcoming|next)\b", re.I)
# "working towards the 2024 launch of the global Youth Democracy Network, announced ... at the second
# Summit": a year that modifies another noun is that thing's
_ATTRIBUTIVE_YEAR = re.compile(r"(?:\b(?:the|a|an|its|their|our|this)|['’]s)\s+$", re.I)


_DEADLINE_BEFORE = re.compile(r"\b(?:by|until|through|before)\s+(?:the\s+end\s+of\s+)?$", re.I)


def _goal_year(text: str, date: DateMention, doc_date: str | None) -> bool:
    """A deadline ("mobilize $600 billion ... by 2027") or a bare year years after the document ("a
    50-52 percent reduction ... in 2030 and convened the Leaders Summit"): a goal's, not a meeting's."""
    if _DEADLINE_BEFORE.search(text, max(0, date.start - 20), date.start):
        return True
    return date.kind == "year" and bool(doc_date) and str(date.value).isdigit() and int(str(date.value)) > int(str(doc_date)[:4]) + 2


def _attributive_year(text: str, date: DateMention, mention_start: int) -> bool:
    """A bare year before a mention that modifies another noun ("the 2024 launch of ..."), not the mention."""
    if date.kind != "year" or date.end + 2 >= mention_start:
        return False
    # "the 2024 AmCham East Africa Business Summit": capitalised words between are the name's own
    return bool(_ATTRIBUTIVE_YEAR.search(text, max(0, date.start - 8), date.start)) and text[date.end : date.end + 1] == " " \
        and text[date.end + 1 : date.end + 2].isalpha() and bool(re.search(r"\b[a-z]", text[date.end : mention_start]))


# A day word ("yesterday", "tomorrow"; not "today", which readouts put late) further than this after a
# mention dates another clause's act.
_RELATIVE_REACH = 60
_PAST = re.compile(r"\b(?:was|were|held|met|took place|last|ago|since|hosted|convened|attended)\b", re.I)
# Words that tell of a meeting ahead: only then does a month already past this year mean next year's.
_FUTURE = re.compile(r"\b(?:will|shall|upcoming|ahead|next|look(?:s|ing)? forward|plans?|planning|scheduled|preparing|prepare|going to"
                     r"|agreed to|to (?:hold|meet|attend|host|convene|see)|intends?|expects?|hopes?|invited?)\b", re.I)
# "the last G7 Summit in Hiroshima": an earlier meeting of the series, not the one the document is about
_EARLIER = re.compile(r"\b(?:last|previous|past|prior|earlier)\s+(?:year['’]s\s+)?(?:the\s+)?$", re.I)
_TODAYS = re.compile(r"\b(?P<when>today|this week|this weekend|this month)['’]s\s+(?:(?:historic|annual|first|landmark)\s+)?$", re.I)
# "hosting the G20 presidency in 2026, nearly two decades after the first G20 Leaders' Summit": a date
# before the mention that another time word separates from it is another act's
_AFTER_THAT = re.compile(r"\b(?:after|since|before)\b")
_DAY_KINDS = frozenset({"readout", "joint_statement", "statement", "fact_sheet", "remarks", "press_briefing", "declaration"})
_CLAUSE_OPENING = re.compile(r"\s*,\s*$")


# "hosted ... in Wilmington, Delaware, for the fourth Quad Leaders' Summit": the place just before
_FOR_THE = re.compile(r"^(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?,?\s+(?:for|to attend|to join)\s+the\s+$")


# "travel to Brussels, Belgium, later this month, where he will join an extraordinary NATO summit"
_WHERE_JOINS = re.compile(r"^(?:,\s*[A-Z][\w.]*(?:\s+[A-Z][\w.]*)?)?(?:,?\s+[\w’']+){0,4},?\s+where\s+(?:[\w’']+\s+){1,3}"
                          r"(?:join|attend|participate\s+in|take\s+part\s+in)\s+(?:the|an|a)\s+(?:[\w-]+\s+)?$")


def _venue_before(analysis: Analysis, start: int, end: int) -> tuple[str | None, str | None]:
    """The place named 'in PLACE, for the' right before a mention."""
    g = gazetteer()
    places = [e for e in analysis.within(analysis.entities, max(start, end - 80), end) if e.kind == "place"]
    if not places:
        return None, None
    last = places[-1]
    lead = analysis.text[max(0, last.start - 8) : last.start]
    if re.search(r"\bin\s+(?:the\s+)?$", lead) and _FOR_THE.match(analysis.text[last.end : end]):
        return last.name, g.country_of_place(last.name)
    if re.search(r"\b(?:in|to)\s+(?:the\s+)?$", lead) and _WHERE_JOINS.match(analysis.text[last.end : end]):
        return last.name, g.country_of_place(last.name)
    return None, None


def _other_clause_today(doc: Document, analysis: Analysis, mention: MechanismMention, date: DateMention) -> bool:
    """A 'today' that opens the next clause after a mention outside the document's lead dates that
    clause's act, not the meeting: "... on the sidelines of the G7 Summit in Hiroshima, today we announce"."""
    if not date.inferred or date.start < mention.end or not doc.date or str(date.value) != doc.date:
        return False
    if analysis.paragraph_index(mention.start) <= 1:
        return False
    # "... the Africa Leaders Summit that President Biden had earlier ... to where we are today"
    return bool(_CLAUSE_OPENING.search(analysis.text, mention.end, date.start)) or date.start - mention.end > 45


def _nearer_ahead(month: str, doc_date: str) -> bool:
    """Is the same month of the next year nearer the document's date than this one?"""
    year, mo = int(month[:4]), int(month[5:7])
    ref = int(doc_date[:4]) * 12 + int(doc_date[5:7] or 1) if len(doc_date) >= 7 else None
    return ref is not None and abs((year + 1) * 12 + mo - ref) < abs(year * 12 + mo - ref)


def _plural(text: str, mention: MechanismMention) -> bool:
    """'the U.S.-GCC Summits': the surface ends in an s its canonical name lacks ('Summit of the Americas' has it)."""
    return text[mention.end - 1 : mention.end] == "s" and not mention.name.endswith("s")


_SUMMIT_KINDS = frozenset({"Summit", "Leaders' Summit"})
# "the pledge President Biden made at the G7 earlier this year": a grouping that meets only as a summit
_BARE_GROUPING = re.compile(r"(?<![\w-])(?:at|during|before|after)\s+the\s+(?P<group>G7|G20|G-7|G-20)(?=\s+(?:earlier|later|last|this|in|on|meeting)\b)")


_SERIES_OF_ITS_OWN = re.compile(r"Summit|Assembly|Conference")


def _during_dated_meeting(analysis: Analysis, facts: list[Fact]) -> None:
    """An undated numbered meeting told in one sentence with a dated summit, named or called by its city,
    takes place during it: "The Washington Summit will strengthen NATO's relationship with Ukraine, as
    Allies convene for the second meeting of the NATO-Ukraine Council" (its date and place are the summit's)."""
    for f in facts:
        v = f.value
        if v["date"] or not v["ordinal"] or _SERIES_OF_ITS_OWN.search(v["mechanism"]):
            continue  # a summit or a session of the General Assembly is held during no other meeting
        s_start, s_end = analysis.sentence_at(f.start)
        sentence = analysis.text[s_start:s_end]
        # the summit named in the sentence, or called there by its city ("The Washington Summit will")
        hosts = [h for h in facts if h is not f and h.value["date"] and not h.value.get("undated") and "Summit" in h.value["mechanism"]
                 and (s_start <= h.start < s_end or h.value["city"] and f"{h.value['city']} Summit" in sentence)]
        if len({h.value["mechanism"] for h in hosts}) != 1 or len({str(h.value["date"])[:4] for h in hosts}) != 1:
            continue
        host = max(hosts, key=lambda h: len(str(h.value["date"]))).value
        v.pop("undated", None)
        v["date"], v["date_inferred"] = host["date"], True
        v["city"], v["country"] = v["city"] or host["city"], v["country"] or host["country"]
        v["held_at"] = {"mechanism": host["mechanism"], "ordinal": host["ordinal"]}
        if host.get("status") == "planned":
            v["status"], v["planned"] = "planned", True


def _bare_groupings(doc: Document, analysis: Analysis) -> list[Fact]:
    out: list[Fact] = []
    if "G7" not in analysis.text and "G20" not in analysis.text and "G-" not in analysis.text:
        return out
    groupings = load_data("mechanisms.yaml")["groupings"]
    text = analysis.text
    starts = []
    at = text.find("the G")
    while at >= 0:  # the pattern is tried only a word or two before each "the G"
        starts.append(max(0, text.rfind(" ", 0, max(0, at - 1)) + 1))
        at = text.find("the G", at + 5)
    for m in (m for m in (_BARE_GROUPING.match(text, st) for st in starts) if m):
        s_start, s_end = analysis.sentence_at(m.start())
        date = _pick_date(analysis.within(analysis.dates, m.end(), min(s_end, m.end() + 40)), True)
        # "the G7 meeting tomorrow": a dated meeting of the leaders (the summit's days join it to the summit)
        kind = "Leaders' Meeting" if date is not None and text.startswith(" meeting", m.end()) else "Summit"
        value = _meeting_value_named(f"{groupings[m.group('group')]} {kind}", [groupings[m.group("group")]])
        if date is not None:
            value["date"], value["date_inferred"] = date.value, date.inferred
        else:
            value["undated"] = True
        _status_and_people(doc, analysis, value, s_start, s_end)
        out.append(Fact("meeting", value, m.start("group"), m.end("group"), "meetings.grouping"))
    return out


_NOW = re.compile(r"\b(?:will|today|this week|this weekend|is hosting|are hosting|is taking place)\b", re.I)
# "Canada's upcoming role as host of the G7 in 2025", "we look forward to hosting the G20 in 2026": a
# grouping that meets as a summit, hosted by a state in a year
_HOSTS_GROUPING = re.compile(r"\bhost(?:s|ing|ed)?(?:\s+of)?\s+the\s+(?P<group>G7|G-7|G20|G-20|APEC)(?:\s+[Ss]ummit)?\s+in\s+(?=(?:19|20)\d\d\b)")
_WE = re.compile(r"\b(?:we|We|ourselves|our|us)\b")


def _hosted_groupings(doc: Document, analysis: Analysis) -> list[Fact]:
    """A summit of a grouping that a state hosts in a year, placed in that state: the state named just
    before ("Canada's upcoming role as host of the G7 in 2025"), or the publisher's own ("we")."""
    text = analysis.text
    if "host" not in text:
        return []
    groupings = load_data("mechanisms.yaml")["groupings"]
    home = load_data("encounters.yaml")["home_states"].get(doc.publisher or "")
    out: list[Fact] = []
    at = text.find("host")
    while at >= 0:
        m = _HOSTS_GROUPING.match(text, at)
        at = text.find("host", at + 4)
        if m is None:
            continue
        s_start, s_end = analysis.sentence_at(m.start())
        date = next((d for d in analysis.within(analysis.dates, m.end(), m.end() + 4) if d.kind == "year"), None)
        if date is None:
            continue
        states = [e for e in analysis.within(analysis.entities, max(s_start, m.start() - 60), m.start()) if e.kind == "state"]
        country = states[-1].name if states else (home if _WE.search(text, max(s_start, m.start() - 40), m.start()) else None)
        if country is None:
            continue
        group = groupings[m.group("group")]
        value = _meeting_value_named(f"{group} Summit", [group])
        value["date"], value["country"] = str(date.value), country
        _status_and_people(doc, analysis, value, s_start, s_end)
        value["participants"] = []  # the leaders named beside a host are no participants of a summit years on
        out.append(Fact("meeting", value, m.start("group"), m.end("group"), "meetings.hosted_grouping"))
    return out


def _each_date(analysis: Analysis, value: dict[str, Any], mention: MechanismMention, after: tuple[int, int]) -> list[Fact]:
    """A plural mention followed by several full dates: one meeting each, at the place after its date."""
    dates = [d for d in analysis.within(analysis.dates, *after) if d.kind in ("absolute", "range") and d.value]
    out = []
    for i, d in enumerate(dates):
        upto = dates[i + 1].start if i + 1 < len(dates) else after[1]
        city, country, _ = find_venue(analysis, d.end, upto)
        if city is None and country is None:  # "on April 21, 2016 and May 21, 2017 in Riyadh": the next place
            city, country, _ = find_venue(analysis, d.end, after[1])
        one = dict(value, date=d.value, date_inferred=d.inferred, city=city, country=country, status="held",
                   planned=False, participants=[], evidence=[{"start": d.start, "end": d.end, "about": "date"}])
        out.append(Fact("meeting", one, mention.start, mention.end, "meetings.mention"))
    return out


def _status_and_people(doc: Document, analysis: Analysis, value: dict[str, Any], s_start: int, s_end: int) -> None:
    """Status from the sentence's words and the dates (a meeting after its document's date is planned);
    the leaders the sentence names as participants; in person where the document's own meeting has a
    place."""
    sentence = analysis.text[s_start:s_end]
    status = status_of(sentence, doc.kind)
    date, doc_date = str(value["date"] or ""), str(doc.date or "")
    if status == "held" and date and doc_date and date.split("/")[0][: len(doc_date)] > doc_date[: len(date)]:
        status = "planned"
    value["status"] = status
    value["planned"] = status == "planned"
    home = load_data("encounters.yaml")["home_states"].get(doc.publisher or "")
    for leader in find_leaders(analysis, s_start, s_end):
        if leader.name not in {p["name"] for p in value["participants"]}:
            person = {"name": leader.name, "title": leader.title, "country": leader.country or home}
            if leader.country is None and home:  # resolved later from the corpus (``resolve.participants``)
                person["country_assumed"] = True
            value["participants"].append(person)
    if value["participants"]:
        value["evidence"].append({"start": s_start, "end": s_end, "about": "participants"})
    if value["date"]:
        value["evidence"].append({"start": s_start, "end": s_end, "about": "date"})
    same_month = bool(date and doc_date) and date[:7] == doc_date[:7] or date.split("/")[-1][:7] == doc_date[:7]
    if value["format"] is None and (value["city"] or value["country"]) and same_month and status != "cancelled":
        value["format"] = "in-person"


def _doc_before(lead: str) -> str | None:
    """'2004 Joint Declaration on Comprehensive Cooperation Partnership (at the' -> the document."""
    body = re.sub(r"\s*\(?\s*at\s+the\s*$|\s*\(\s*$", "", lead)
    body = re.sub(r"^\s*(?:19|20)\d\d\s+", "", body).strip()
    body = re.sub(r"^(?:Adoption|Signing|Launch)\s+of\s+(?:the\s+)?", "", body)
    return body if _DOC_NOUN.search(body) and len(body) < 200 else None


def _parties_in(analysis: Analysis, start: int, end: int, found: list[str] | None = None) -> list[str]:
    """The states named in ``[start, end)`` (short names, first mention first), after those in ``found``;
    a seat of government ("hosted at the White House") names its state."""
    g = gazetteer()
    found = list(found or [])
    for ent in analysis.within(analysis.entities, start, end):
        name = g.seat_of.get(ent.name) if ent.kind == "seat" else ent.name
        if ent.kind in ("state", "organisation", "seat") and name in g.state_short:
            short = g.state_short[name]
            if short not in found:
                found.append(short)
    return found


_LEADERS_OF = re.compile(
    r"\b[Ll]eaders\s+of\s+(?P<who>[^.;:]{3,160}?)\s+(?P<verb>met|gathered|convened)\b(?P<rest>[^;]{0,200})")


def _gatherings(doc: Document, analysis: Analysis, existing: list[Fact]) -> list[Fact]:
    """'We, the Heads of State/Government of X and Y, gathered on DATE in PLACE' -> a summit; so is
    'the leaders of the GCC member states and the United States met today in Jeddah' when a party is a
    bloc (two states' leaders meeting are a bilateral meeting, read by the encounters)."""
    out = []
    text = analysis.text
    g = gazetteer()
    head = min(len(text), 3000)
    opening = text[:head]
    matches = list(_GATHERING.finditer(text, 0, head)) if "We" in opening else []
    for m in (_LEADERS_OF.finditer(text, 0, head) if "eaders of" in opening else ()):
        ents = analysis.within(analysis.entities, m.start("who"), m.end("who"))
        if any(g.entity_kind.get(e.name) == "organisation" for e in ents if e.kind in ("state", "organisation")):
            matches.append(m)
    for m in matches:
        s_start, s_end = analysis.sentence_at(m.start())
        if analysis.within(analysis.mechanisms, s_start, s_end):
            continue  # the sentence names its meeting: the mention handles it
        parties = _parties_in(analysis, m.start("who"), m.end("who"))
        if len(parties) < 2:
            continue
        modifier = "Commemorative" if re.search(r"commemorat", text[s_start:s_end], re.I) else ""
        name = canonical_mechanism(parties, modifier, "Summit")
        rest = (m.start("rest"), m.end("rest"))
        date = _pick_date(analysis.within(analysis.dates, *rest), True)
        if date is None:
            continue
        value = _meeting_value_named(name, parties)
        value["date"], value["date_inferred"] = date.value, date.inferred
        value["city"], value["country"], _ = find_venue(analysis, *rest)
        _status_and_people(doc, analysis, value, s_start, s_end)
        if doc.title and _DOC_NOUN.search(doc.title):
            value["documents_adopted"] = [re.sub(r"^\[[^\]]*\]\s*", "", doc.title)]
        out.append(Fact("meeting", value, m.start(), m.end("verb"), "meetings.gathering"))
    return out


def _meeting_value_named(name: str, parties: list[str]) -> dict[str, Any]:
    return {
        "mechanism": name, "ordinal": None, "date": None, "date_inferred": False, "city": None, "country": None,
        "format": None, "co_chairs": [], "participants": [], "topics": [], "documents_adopted": [],
        "held_at": None, "parties": parties, "evidence": [], "planned": False,
    }


def _attach_main_details(analysis: Analysis, main: Fact) -> None:
    """Co-chairs, format and topics stated about 'the meeting' the document reports on."""
    text = analysis.text
    value = main.value
    for s_start, s_end in analysis.sentences:
        sentence = text[s_start:s_end]
        named = analysis.within(analysis.mechanisms, s_start, s_end)
        about_main = any(m.name == value["mechanism"] and m.ordinal == value["ordinal"] for m in named) or (
            not any(m.ordinal for m in named) and _MAIN_REF.search(sentence))
        if not about_main:
            continue
        chair = _CO_CHAIR.search(sentence)
        if chair and not value["co_chairs"]:
            people = _co_chairs(analysis, s_start, s_end, s_start + chair.start(), s_start + chair.end())
            if people:
                value["co_chairs"] = [{"name": p.name, "title": p.title, "country": p.country} for p in people]
                value["evidence"].append({"start": s_start, "end": s_end, "about": "co_chairs"})
        if value["format"] is None:
            fmt = _format_in(sentence)
            if fmt:
                value["format"] = fmt
                value["evidence"].append({"start": s_start, "end": s_end, "about": "format"})
        for t in _TOPIC_VERB.finditer(sentence):
            topic = t.group("what").strip().rstrip(",")
            if topic not in value["topics"] and len(value["topics"]) < 8:
                value["topics"].append(topic)
        for m in re.finditer(r"\battended by\s+(?P<who>[^.;()]{5,200})(?=[.;]|$)", sentence):
            value["participants"].append(m.group("who").strip())


def _co_chairs(analysis: Analysis, s_start: int, s_end: int, v_start: int, v_end: int) -> list[Any]:
    text = analysis.text
    verb = text[v_start:v_end].lower()
    if "by" in verb:  # "was co-chaired by A and B"
        return parse_people(analysis, v_end, s_end)
    people = parse_people(analysis, s_start, v_start)
    with_m = re.search(r"\bwith\s+", text[v_end:s_end])
    if with_m:
        people += parse_people(analysis, v_end + with_m.end(), s_end)
    return people
