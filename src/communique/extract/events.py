"""Milestones other than meetings: relationship steps, agreements, documents adopted, institutions
founded, states joining, policies. From year-led tables, dated prose, and the documents themselves.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.dates import DateMention
from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.extract.prefilter import Literals, required_literals
from communique.model import Document, Fact

__all__ = ["extract_events", "classify", "CLAUSE_BREAK"]

_LEADING_DATE = re.compile(r"^(?:(?:In|On|Since|By|From)\s+)?[^,]{0,30}?\b(?:19|20)\d\d\s*,\s*", re.I)
_SELF_DOCUMENT = re.compile(r"\b(?:Declaration|Joint Statement|Vision Statement|Leaders['’] Statement|Plan of Action|Action Plan|Joint Communiqu[eé]|Chairman['’]s Statement|Chair['’]s Statement)\b")
_OPERATIVE = re.compile(r"\b(?:HEREBY|[Hh]ereby (?:agree|declare|adopt)|HAVE AGREED|DO HEREBY|DECLARE|RESOLVE)\b")
_REPORT_OF_YEAR = re.compile(
    r"\b(?P<doc>(?:the\s+)?(?:Final\s+)?(?:Report|Declaration|Statement|Plan of Action|Roadmap|Blueprint|Charter|Vision)"
    r"\s+(?:of|on|for)\s+(?:the\s+)?[A-Z][\w-]*(?:\s+(?:[A-Z][\w-]*|\([A-Z]+\)))*)\s+(?:of|in)\s+(?P<year>(?:19|20)\d\d)\b"
)


@lru_cache(maxsize=1)
def _vocabulary() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """One pattern for all kinds (a named group each, in the order of the data file), and the
    pattern of planned (not yet held) events."""
    spec = load_data("events.yaml")
    kinds = "|".join(f"(?P<{kind}>{'|'.join(phrases)})" for kind, phrases in spec["kinds"].items())
    planned = re.compile(rf"(?<![\w-])(?:{'|'.join(spec['planned'])})(?![\w-])", re.I)
    return re.compile(rf"(?<![\w-])(?:{kinds})(?![\w-])", re.I), planned


def classify(text: str) -> tuple[str, int] | None:
    """The kind of milestone a sentence states, and where its trigger phrase starts: the earliest
    trigger wins, and of two at one place the kind listed first in the data file."""
    kinds, _ = _vocabulary()
    m = kinds.search(text)
    return (m.lastgroup or "other", m.start()) if m else None


def _entities(analysis: Analysis, start: int, end: int) -> list[str]:
    names: list[str] = []
    for ent in analysis.within(analysis.entities, start, end):
        if ent.kind in ("title", "demonym", "seat"):
            continue
        if ent.name not in names:
            names.append(ent.name)
    return names


def _event(kind: str, date: str, label: str, analysis: Analysis, start: int, end: int, extractor: str,
           inferred: bool = False, planned: bool = False) -> Fact:
    value: dict[str, Any] = {"date": date, "date_inferred": inferred, "kind": kind, "label": label.strip(),
                             "entities": _entities(analysis, start, end), "planned": planned}
    return Fact("event", value, start, end, extractor)


# Between a date and a later trigger, these start another clause, and the date is the earlier clause's:
# "our first dialogue, in Manila in 1977, and growing with the signing of the Treaty" (a list's
# ", and Treasury issued" is no break).
CLAUSE_BREAK = re.compile(r";|,\s+and\s+\w+ing\b")


def _nearest_date(dates: list[DateMention], anchor: int, text: str) -> DateMention | None:
    """The date closest to the trigger, within its clause; a date after the trigger is preferred."""
    dates = [d for d in dates if d.start >= anchor or not CLAUSE_BREAK.search(text, d.end, anchor)]
    usable = [d for d in dates if d.value and d.kind != "period"] or [d for d in dates if d.value]
    if not usable:
        return None
    return min(usable, key=lambda d: (abs(d.start - anchor) if d.start >= anchor else abs(d.end - anchor) + 5, d.inferred))


def extract_events(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    analysis = analysis or Analysis(doc)
    text = analysis.text
    facts: list[Fact] = []
    _, planned_re = _vocabulary()
    covered: set[tuple[int, int]] = set()
    # 1. year-led table rows that are not only meetings
    for row in analysis.rows:
        body = text[row.body_start : row.end]
        rest = body
        for m in reversed(analysis.within(analysis.mechanisms, row.start, row.end)):
            a, b = max(0, m.start - row.body_start), max(0, m.end - row.body_start)
            rest = rest[:a] + rest[b:]
        rest = re.sub(r"\b(?:The|the|and|in|at|\d+(?:st|nd|rd|th)|[Vv]ideo\s*[Cc]onference|[Vv]irtual|[Oo]nline)\b|[(),.]",
                      " ", rest)
        for ent in gazetteer().find(rest):
            rest = rest.replace(ent.surface, " ")
        if len(rest.split()) < 2:
            continue  # the row names only meetings and places
        found = classify(body)
        kind = found[0] if found else "other"
        dates = [d for d in analysis.within(analysis.dates, row.body_start, row.end)
                 if d.value and str(d.value).startswith(str(row.year)) and d.kind != "period"]
        date = dates[0].value if dates else str(row.year)
        facts.append(_event(kind, str(date), body, analysis, row.start, row.end, "events.table_row"))
        covered.add((row.start, row.end))
    spec = load_data("events.yaml")
    if doc.kind in spec["no_milestones"]:
        return _self_document(doc, analysis)  # a proclamation's or an order's clauses are no milestones
    # 2. sentences with a milestone phrase and a date: their own, the date of the meeting at the place
    # they name ("In Vilnius, Allies adopted"), or the document's when it reports the day's events
    venues = _meeting_venues(doc, analysis)
    dated = set(_dated_sentences(analysis))
    reporting = doc.kind in spec["reporting_kinds"]
    home = load_data("encounters.yaml")["home_states"].get(doc.publisher or "")
    # a document about a partner (its title names one) may state its steps without naming the partner
    # again; elsewhere a sentence must name a partner: a government's own programmes are no steps of a
    # partnership ("CEQ is launching an interagency Federal sustainability effort")
    about_partner = home is None or _names_partner(analysis, *(analysis.paragraphs[0] if analysis.paragraphs else (0, 0)), home)
    present = Literals(text, _PRESENT_PIECES)
    # no trigger literal, no milestone phrase; both asked about only the few sentences that pass the
    # tests before them, so each of those is searched when asked (lazy) rather than the whole text
    triggers = Literals(analysis.folded, _trigger_literals()[0], lazy=True)
    excluded = Literals(text, _trigger_literals()[1], lazy=True)
    spoken = doc.kind in spec["spoken_kinds"]
    for s_start, s_end in analysis.sentences:
        if analysis.row_at(s_start) is not None:
            continue
        # the cheap test first (both tests only skip a sentence, so their order changes nothing)
        if (s_start, s_end) not in dated and not (reporting or _names_venue(analysis, s_start, s_end, venues)
                                                  or (present.within(s_start, s_end) and _present(text[s_start:s_end]))
                                                  or (doc.kind == "fact_sheet" and analysis.paragraphs
                                                      and (s_start, s_end) == analysis.paragraphs[0])):
            continue  # an undated sentence with nothing to date it by: not worth classifying
        sentence = text[s_start:s_end]
        if spoken and _QUESTION_TURN.match(text, analysis.paragraph_at(s_start)[0]):
            continue  # a reporter's question, in any of its sentences, states no step
        if _CLAUSE_NUMBER.match(sentence) or _SIGNATURE.match(sentence) or (
                excluded.within(s_start, s_end) and _not_milestone().search(sentence)):
            continue  # a numbered clause is a commitment; a signature line is the document's own adoption
        found = classify(sentence) if triggers.within(s_start, s_end) else None
        if not found:
            continue
        kind, trigger = found
        if _ANNIVERSARY_OF.search(sentence, max(0, trigger - 60), trigger):
            continue  # "marks the 15th anniversary of the U.S.-Peru Free Trade Agreement": the step is years back
        if kind not in _OBJECT_FREE_KINDS and not _names_its_object(sentence, trigger):
            continue  # "where it all began", "since its launch": a step with nothing named that was taken
        if not about_partner and not _names_partner(analysis, s_start, s_end, str(home)):
            continue
        if kind == "relationship" and _BARE_RELATIONSHIP.match(sentence, trigger) and not _step_taken(sentence, trigger) \
                and not _UPGRADE.search(sentence):
            continue  # "a new chapter to our comprehensive and global strategic partnership": a mention, no step
        if "signed" in sentence and _LAW_SIGNED.search(sentence) and not _names_partner(analysis, s_start, s_end, str(home)):
            continue  # "In June, President Biden signed the Bipartisan Safer Communities Act": a law at home, no step abroad
        dates = [d for d in analysis.within(analysis.dates, s_start, s_end) if not _inside_name(analysis, d)
                 and not (d.kind == "relative" and doc.kind not in spec["present_kinds"])]  # a round-up's "today"
        if not dates:
            # an undated sentence takes another date only for a step taken (not planned, not a policy's
            # or a partnership's mere mention), and a headline only in a fact sheet
            if _EARLIER_STEP.search(sentence, max(0, trigger - 30), trigger) or _REDUCED_RELATIVE.match(sentence, trigger) \
                    and (_NAMED_BEFORE.search(sentence, max(0, trigger - 30), trigger) or _NOUN_BEFORE.search(sentence, max(0, trigger - 30), trigger)):
                continue  # "the recent launch of", "the Crisis Response Network established under": done before
            if _LONG_AGO.search(sentence):
                continue  # "the partnership that was established nearly eight decades ago": not the document's day
            if kind in _UNDATED_KINDS and not planned_re.search(sentence) and _step_taken(sentence, trigger) and not (
                    analysis.paragraphs and (s_start, s_end) == analysis.paragraphs[0] and doc.kind != "fact_sheet"):
                date_value = _undated(doc, analysis, sentence, s_start, s_end, venues)
                if date_value is not None:
                    facts.append(_event(kind, date_value, sentence[:300], analysis, s_start, s_end, "events.sentence", True))
            continue
        if kind == "membership" and len([d for d in dates if d.kind == "absolute"]) > 1:
            facts += _membership_run(analysis, s_start, s_end, dates)
            continue
        candidates = [d for d in dates if _date_of_step(text, d, s_start + trigger)]
        if len(candidates) > 1:  # "entered into an additional agreement ... that the 2004 Agreement is in force"
            candidates = [d for d in candidates if not (d.kind == "year" and _NAME_AFTER_YEAR.match(text, d.end))] or candidates
        date = _nearest_date(candidates, s_start + trigger, text)
        if date is None:
            continue
        label = _LEADING_DATE.sub("", sentence) if len(sentence) > 60 else sentence
        planned = bool(planned_re.search(sentence))
        if planned and date.kind == "month" and date.inferred and doc.date and str(date.value) < doc.date[:7] \
                and _FUTURE_STEP.search(sentence, max(0, trigger - 24), trigger):
            # "to be launched at COP 26 in November", told in September: the coming November
            date = date._replace(value=f"{int(str(date.value)[:4]) + 1}{str(date.value)[4:]}")
        if doc.kind in spec["spoken_kinds"] and _years_before(str(date.value), doc.date) > spec["aside_years"]:
            continue  # "when he and leaders from 11 other countries formed the NATO alliance 75 years ago": an aside
        facts.append(_event(kind, str(date.value), label[:300], analysis, s_start, s_end, "events.sentence",
                            date.inferred, planned))
    # 3. "NATO's 2022 Strategic Concept": a document named with its year
    def partnered(start: int) -> bool:  # "the 2021 PFAS Strategic Roadmap" in a budget fact sheet: no partner's
        return about_partner or _names_partner(analysis, *analysis.sentence_at(start), str(home))

    for d in analysis.dates:
        if d.kind == "year":
            m = _YEAR_DOCUMENT.match(text, d.start)
            if m and partnered(m.start()):
                facts.append(_event("document", m.group("year"), m.group(0), analysis, m.start(), m.end(), "events.named_document"))
    # 4. "the Report of the East Asia Vision Group (EAVG) of 2001": tried on lines with "of/in YEAR"
    for line_start, line_end in _lines_with_year_after_of(analysis):
        for m in _REPORT_OF_YEAR.finditer(text, line_start, line_end):
            if not partnered(m.start()):
                continue
            facts.append(_event("document", m.group("year"), re.sub(r"^the\s+", "", m.group("doc")), analysis,
                                m.start(), m.end(), "events.named_document"))
    # 5. a declaration or joint statement is itself a milestone: its adoption
    facts += _self_document(doc, analysis)
    return facts


_ANNIVERSARY_OF = re.compile(r"\banniversar(?:y|ies)\s+of\b", re.I)
# the step itself told as to come: "will launch", "to be launched", "plan to sign"
_FUTURE_STEP = re.compile(r"\b(?:will|shall|to\s+be|plans?\s+to|set\s+to|going\s+to)\s+(?:\w+\s+)?$", re.I)
# The relationship phrases that only name a partnership: a step only with a verb of one taken near them
_BARE_RELATIONSHIP = re.compile(r"(?:comprehensive\s+)?strategic\s+partnership|cooperation\s+partnership|dialogue\s+partner", re.I)
_UPGRADE = re.compile(r"\b(?:elevat|upgrad|establish|launch|forg|became|become|designat|declar|sign)\w*", re.I)
_QUESTION_TURN = re.compile(r"\s*(?:\*\*)?Q(?:\*\*)?(?:[:.]|\s)")
# A law signed: a step between partners only where the sentence names one ("the national security
# supplemental, which President Biden signed into law ... our contributions to Ukraine").
_LAW_SIGNED = re.compile(r"\bsigned\s+into\s+law\b|\bsigned\s+(?:the\s+|a\s+|an\s+|this\s+|that\s+)?(?:[\w’'-]+\s+){0,8}?"
                         r"(?:Act|[Bb]ill|[Ll]egislation|[Ll]aw)\b")


def _years_before(date: str, doc_date: str | None) -> int:
    """Whole years from a milestone's year to its document's (0 when either is unknown)."""
    if not doc_date or not date[:4].isdigit() or not doc_date[:4].isdigit():
        return 0
    return int(doc_date[:4]) - int(date[:4])


def _names_partner(analysis: Analysis, start: int, end: int, home: str) -> bool:
    """Does ``[start, end)`` name a state, bloc, organisation, grouping or place other than the
    publisher's own state ('Japanese', 'NATO', 'the Quad', 'Zambia', 'Hiroshima')?"""
    g = gazetteer()
    text = analysis.text
    # "the African American Tobacco Control Leadership Council", "Indian Country": a people at home
    home_groups = [m.span() for m in _domestic_groups().finditer(text, start, end)] if _DOMESTIC_HINTS.search(text, start, end) else []

    def at_home(a: int, b: int) -> bool:
        return any(x <= a and b <= y for x, y in home_groups)

    if analysis.within(analysis.mechanisms, start, end) or any(
            not at_home(*m.span()) for m in _partner_region().finditer(text, start, end)):
        return True  # "the U.S.-Africa Leaders Summit", "C5+1", "across West Africa"
    for ent in analysis.within(analysis.entities, start, end):
        if at_home(ent.start, ent.end):
            continue
        if ent.kind in ("state", "demonym"):
            if ent.name != home:
                return True
        elif ent.kind == "place":
            if g.country_of_place(ent.name) not in (None, home):
                return True
        elif ent.kind in ("organisation", "mechanism", "institution", "fund", "document", "programme"):
            return True
    return False


_DOMESTIC_HINTS = re.compile(r"American|Country|Native|Islander|Indian")


@lru_cache(maxsize=1)
def _domestic_groups() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(load_data('events.yaml')['domestic_groups'])})(?![\w-])")


@lru_cache(maxsize=1)
def _partner_region() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(load_data('events.yaml')['partner_regions'])})(?![\w-])")


# An appointment names a person and a membership a state: their objects are read elsewhere.
_OBJECT_FREE_KINDS = frozenset({"appointment", "membership"})
# A name: two capitalised words in a row (linked by of/for/the/and/on), or an acronym ("MOU", "PGII").
_NAME = re.compile(r"(?<![\w.])(?:[A-Z][\w’'-]*[A-Za-z](?:\s+(?:of|for|the|and|on|to)){0,2}\s+[A-Z][\w’'-]*|[A-Z]{2,}[\d+]*)(?![\w.])")
_NOT_NAMES = frozenset({"U.S", "US", "USA", "Q", "OK", "I"})


@lru_cache(maxsize=1)
def _object_noun() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(load_data('events.yaml')['object_nouns'])})s?(?![\w-])", re.I)


def _names_its_object(sentence: str, trigger: int) -> bool:
    """Does the milestone phrase at ``trigger`` have an object: the kind of thing taken (an agreement,
    partnership, plan ...) within the phrase or near it, or a name after it ("launched the Quad Cancer
    Moonshot")? A step with neither ("before the pandemic began", "since its launch, it has been
    viewed") is no milestone."""
    clause_end = re.search(r"[;:?!]\s", sentence[trigger:])
    ahead = sentence[trigger : trigger + min(110, clause_end.start() if clause_end else 110)]
    name_ahead = ahead[:64]
    behind = sentence[max(0, trigger - 90) : trigger]
    if _WEAK_VERB.match(sentence, trigger) and not _SUBJECT_TAKEN.search(sentence, max(0, trigger - 16), trigger):
        # "updated the Prime Minister on", "concluded a $716 million contract with Hindustan Aeronautics":
        # a verb of many senses takes a step only with the kind of thing taken as its object
        # ("the Libyan ceasefire agreement concluded on", "the Camp David principles issued today": the thing before)
        return bool(_object_noun().search(ahead[:80]) or _object_noun().search(behind[-40:]))
    if _object_noun().search(ahead):
        return True
    names = [m.group(0) for m in _NAME.finditer(name_ahead)]
    if _SUBJECT_TAKEN.search(sentence, max(0, trigger - 16), trigger) or _INTRANSITIVE.match(sentence, trigger):
        # "the ASEAN-Korea Centre was established", "ASEAN Plus Three cooperation began", "the Compact,
        # signed in October 2024": the thing before
        if _object_noun().search(behind):
            return True
        names += [m.group(0) for m in _NAME.finditer(behind)]
    elif _object_noun().search(behind[-45:]):  # "the package signed today"
        return True
    return any(n.rstrip(".") not in _NOT_NAMES for n in names)


_WEAK_VERB = re.compile(r"(?:updated|declared|introduced|concluded|issued|endorsed|revamped)\b", re.I)
_SUBJECT_TAKEN = re.compile(r"(?:\b(?:was|were|been|is|are|formally|officially)|,)\s+$")
_INTRANSITIVE = re.compile(r"(?:began|begins|entered into force|enter into force)\b", re.I)


_DEADLINE = re.compile(r"\b(?:by|until|through|before|to)\s+(?:the\s+(?:end|start|middle)\s+of\s+)?"
                       r"(?:(?:early|late|mid-?)\s*)?(?:(?:spring|summer|fall|autumn|winter)\s+(?:of\s+)?)?$", re.I)  # "by summer 2024"
_DATE_REACH = 120  # characters: a date further from the milestone phrase dates another clause's act


def _date_of_step(text: str, date: DateMention, anchor: int) -> bool:
    """May this date be the step's: near its phrase, and no deadline ("phase out ... by 2027")?"""
    gap = date.start - anchor if date.start >= anchor else anchor - date.end
    if gap > _DATE_REACH:
        return False
    if _NAMED_BY_YEAR.search(text, max(0, date.start - 40), date.start):
        return False  # "the Foreign Assistance Act of 1961": a name's year
    if _TARGET_YEAR.match(text, date.end):
        return False  # "a new 2030 emissions target": the year of a goal
    if date.start > anchor and _RELATIVE_CLAUSE.search(text, anchor, date.start):
        return False  # "launched the Council, which held its inaugural meeting in September"
    if date.kind in ("year", "period") and _attributive(text, date, anchor):
        return False  # "shortly after the 2006 war", "the 2022-2025 ASEAN-U.S. Plan of Action": another thing's years
    if date.kind in ("year", "period") and _NAMED_YEAR.search(text, max(0, date.start - 40), date.start) and (
            date.kind == "period" or not text.endswith("(", 0, date.start)):
        return False  # "launched PACC 2030", "a Digital Workplan 2023-2025", "the Plan of Action (2021-2025)": a name's years
    if date.start < anchor and _REDUCED_RELATIVE.match(text, anchor) and _NOUN_BEFORE.search(text, max(0, anchor - 30), anchor):
        return False  # "On September 24, the two held a Dialogue, building on the framework established in": the main clause's
    return not _DEADLINE.search(text, max(0, date.start - 24), date.start)


_ATTRIBUTIVE_BEFORE = re.compile(r"(?:\b(?:the|a|an|its|their|our|this|that|his|her)|['’]s)\s+$", re.I)
_ATTRIBUTIVE_AFTER = re.compile(r"\s+[A-Za-z]")
# A meeting of that year dates what was done at it: "At the 2021 G7 Summit, President Biden ... announced"
_MEETING_AFTER = re.compile(r"(?:\s+[\w’'+.-]+){0,3}?\s+(?:[Ss]ummits?|[Mm]eetings?|[Mm]inisterial|[Dd]ialogue|[Cc]onference|[Ff]orum|[Ss]ession|[Vv]isit)\b")


# A step named as a noun: its year is the step's ("USAID's 2023 launch of", "the 2019 declaration of").
_STEP_AFTER = re.compile(r"\s+(?:[Dd]eclaration|[Ll]aunch|[Ss]igning|[Ee]stablishment|[Aa]doption|[Cc]reation|[Ff]ounding|[Ff]ormation"
                         r"|[Ii]nauguration|[Ee]levation|[Uu]pgrade|[Aa]nnouncement|[Cc]onclusion|[Rr]atification|[Aa]ccession)\b")


def _attributive(text: str, date: DateMention, anchor: int) -> bool:
    """A year that modifies a noun ('the 2006 war') names that thing's year: the step's only when the
    thing is a meeting it was taken at, or the step's own object ('launched the 2024 Roadmap')."""
    if not (_ATTRIBUTIVE_BEFORE.search(text, max(0, date.start - 8), date.start) and _ATTRIBUTIVE_AFTER.match(text, date.end)):
        return False
    if _MEETING_AFTER.match(text, date.end) or _STEP_AFTER.match(text, date.end):
        return False  # "since the 2019 declaration of the two countries' Strategic Partnership"
    return not (date.start >= anchor and _OBJECT_YEAR.match(text[anchor : date.start]))


# "launched the 2024", "formally adopted its 2022": the year opens the step's own object
_OBJECT_YEAR = re.compile(r"(?:(?!(?:after|before|since|following|during|until|in|at|of|from|by|with|for|to)\b)[\w’'-]+\s+){1,3}"
                          r"(?:the|a|an|its|their|our)\s+$", re.I)


_NAME_AFTER_YEAR = re.compile(r"\s+(?:[A-Z][\w-]*\s+){0,3}(?:Agreement|Act|Declaration|Strategy|Concept|Plan|Roadmap|Treaty|Framework)\b")
_EARLIER_STEP = re.compile(r"\b(?:recent|recently|previously|earlier|already|newly|since)\s+(?:\w+\s+)?$", re.I)
_REDUCED_RELATIVE = re.compile(r"(?:established|launched|created|formed|signed|adopted|concluded)\s+(?:under|by|in|at|through)\b")
_LONG_AGO = re.compile(r"\b(?:decades?|centur(?:y|ies)|generations?|years)\s+ago\b|\bago\b.{0,20}$", re.I)
_NAMED_BEFORE = re.compile(r"[A-Z][\w’'-]*\s+$")
# A year or period written into a name: right after a capitalised word or an acronym that is no month
# or sentence-opening word ("PACC 2030", "Vision 2040", "Workplan 2023-2025"), or bracketed after one
# ("the Plan of Action (2021-2025)").
_NAMED_YEAR = re.compile(
    r"(?:(?<![\w.’'-])(?!(?:In|Since|By|From|Until|Through|Throughout|Of|And|The|During|Before|After|Between|Around|Early|Late"
    r"|Mid|Spring|Summer|Fall|Autumn|Winter|January|February|March|April|May|June|July|August|September|October"
    r"|November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|FY|Fiscal|Year)\b)[A-Z][\w+’'-]*(?<![’']s)"
    r"|[A-Z][\w’'-]*\s*\()\s*$")
# "the framework established in", "the Council created under": the step of a noun named before
_NOUN_BEFORE = re.compile(r"\b(?:the|a|an|its|their|our|this|that)\s+(?:[\w’'-]+\s+){0,3}[a-z][\w’'-]*\s+$")
_NAMED_BY_YEAR = re.compile(r"\b(?:Act|Law|Convention|Treaty|Agreement|Protocol|Resolution|Code)\s+of\s+$")
_TARGET_YEAR = re.compile(r"\s+(?:[\w-]+\s+){0,2}(?:targets?|goals?|deadlines?|objectives?|ambitions?)\b")
_RELATIVE_CLAUSE = re.compile(r",\s+(?:which|who|whose|where)\b")


_CLAUSE_NUMBER = re.compile(r"\d{1,2}\.\d{1,2}\.?\s")
_OF_YEAR = re.compile(r"\b(?:of|in)\s+$")
_YEAR_AT = re.compile(r"(?:19|20)\d\d\b")


def _dated_sentences(analysis: Analysis) -> list[tuple[int, int]]:
    """The sentences that wholly hold at least one date mention, in order."""
    sentences = analysis.sentences
    starts = analysis._sentence_starts
    found: dict[int, None] = {}
    for d in analysis.dates:
        i = bisect_right(starts, d.start) - 1
        if i >= 0 and d.end <= sentences[i][1]:
            found[i] = None
    return [sentences[i] for i in sorted(found)]


def _lines_with_year_after_of(analysis: Analysis) -> list[tuple[int, int]]:
    """Lines where a year follows 'of' or 'in' (where a named document of a year may end)."""
    text = analysis.text
    lines: dict[tuple[int, int], None] = {}
    for d in analysis.dates:
        if _YEAR_AT.match(text, d.start) and _OF_YEAR.search(text, max(0, d.start - 12), d.start):
            line_start = text.rfind("\n", 0, d.start) + 1
            nl = text.find("\n", d.start)
            lines[(line_start, len(text) if nl < 0 else nl)] = None
    return list(lines)


def _inside_name(analysis: Analysis, date: DateMention) -> bool:
    """A year that is part of a name ('ASEAN 2025', 'World Expo 2030', 'MPAC 2025')."""
    return any(e.start <= date.start and date.end <= e.end for e in analysis.within(analysis.entities, date.start - 40, date.end + 5))


def _membership_run(analysis: Analysis, s_start: int, s_end: int, dates: list[DateMention]) -> list[Fact]:
    """'Brunei joined ASEAN on 7 January 1984, followed by Viet Nam on 28 July 1995, ...'."""
    out = []
    cursor = s_start
    for d in dates:
        if not d.value or d.kind != "absolute":
            continue
        states = [e for e in analysis.within(analysis.entities, cursor, d.start) if e.kind == "state"]
        if states:
            names = [e.name for e in states]
            label = f"{' and '.join(names)} join{'s' if len(names) == 1 else ''} ASEAN"
            out.append(_event("membership", str(d.value), label, analysis, states[0].start, d.end, "events.membership"))
        cursor = d.end
    return out


_UNDATED_KINDS = frozenset({"initiative", "appointment", "agreement", "institution", "document", "other"})
_SIGNATURE = re.compile(r"\s*(?:Signed|Done|Issued)\s+(?:at|in)\s+[A-Z]")
_YEAR_DOCUMENT = re.compile(
    r"\b(?P<year>(?:19|20)\d\d)\s+(?P<doc>(?:[A-Z][\w-]+\s+){0,3}(?:Strategic Concept|National Security Strategy|"
    r"Declaration|Communiqu[eé]|Treaty|Accord|Charter|Action Plan|Plan of Action|Roadmap|Joint Statement))\b")


def _meeting_venues(doc: Document, analysis: Analysis) -> dict[str, str]:
    """City -> date of the one dated meeting the document places there ('the 2023 NATO Summit in Vilnius')."""
    from communique.extract.meetings import extract_meetings

    facts = getattr(analysis, "meeting_facts", None)
    if facts is None:
        facts = extract_meetings(doc, analysis)
    out: dict[str, set[str]] = {}
    for f in facts:
        v = f.value
        if v.get("city") and v.get("date") and not v.get("date_inferred"):
            out.setdefault(v["city"], set()).add(str(v["date"]))
    # one meeting there (its dates all of one year): its most precise date
    return {city: max(dates, key=len) for city, dates in out.items() if len({d[:4] for d in dates}) == 1}


def _undated(doc: Document, analysis: Analysis, sentence: str, s_start: int, s_end: int,
             venues: dict[str, str]) -> str | None:
    """The date of an undated milestone sentence, or None when it has none to take."""
    spec = load_data("events.yaml")
    for ent in analysis.within(analysis.entities, s_start, s_end):
        if ent.kind == "place" and ent.name in venues:
            return venues[ent.name]
    if not doc.date:
        return None
    if doc.kind in spec["reporting_kinds"] or (_present(sentence) and doc.kind in spec["present_kinds"]):
        return doc.date
    if analysis.paragraphs and (s_start, s_end) == analysis.paragraphs[0] and doc.kind == "fact_sheet":
        return doc.date  # a fact sheet's headline: "President Biden and G7 Leaders Formally Launch ..."
    return None


def _names_venue(analysis: Analysis, s_start: int, s_end: int, venues: dict[str, str]) -> bool:
    return bool(venues) and any(e.kind == "place" and e.name in venues for e in analysis.within(analysis.entities, s_start, s_end))


def _step_taken(sentence: str, trigger: int) -> bool:
    """A verb of a step taken in the trigger phrase or just before it ("the leaders launched a new ...")."""
    window = sentence[max(0, trigger - 40) : trigger + 60].lower()
    return any(re.search(rf"\b{v}\b", window) for v in load_data("events.yaml")["step_verbs"])


# Literal pieces one of which every present marker holds: a cheap test before the pattern.
_PRESENT_PIECES = ("oday", "onight", "morning", "aunching", "nnouncing", "stablishing", "igning", "reating", "roud to", "just ")


def _present(sentence: str) -> bool:
    return any(p in sentence for p in _PRESENT_PIECES) and bool(_present_marker().search(sentence))


@lru_cache(maxsize=1)
def _trigger_literals() -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """Literals one of which every milestone phrase holds (folded), and every not-milestone marker
    (None where a phrase holds no literal: its pattern is then tried on every sentence)."""
    return required_literals(_vocabulary()[0]), required_literals(_not_milestone())


@lru_cache(maxsize=1)
def _not_milestone() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in load_data("events.yaml")["not_milestones"]))


@lru_cache(maxsize=1)
def _present_marker() -> re.Pattern[str]:
    return re.compile(rf"(?<![\w-])(?:{'|'.join(load_data('events.yaml')['present_markers'])})(?![\w-])", re.I)


def _self_document(doc: Document, analysis: Analysis) -> list[Fact]:
    if doc.kind not in ("joint_statement", "declaration", "communique", "chairman_statement", "plan_of_action", "statement", "other"):
        return []  # remarks "in Joint Statement" are no joint statement
    title = re.sub(r"^\[[^\]]*\]\s*", "", doc.title or "").strip()
    if not title or not _SELF_DOCUMENT.search(title):
        return []
    head_end = min(len(analysis.text), 2500)
    gathering = re.search(r"\b(?:gathered|gather|met|convened)\b", analysis.text[:head_end])
    date_value = doc.date
    span = analysis.paragraphs[0] if analysis.paragraphs else (0, 0)
    if gathering:
        s_start, s_end = analysis.sentence_at(gathering.start())
        dates = [d for d in analysis.within(analysis.dates, s_start, s_end) if d.value and d.kind in ("absolute", "range", "month")]
        if dates:
            date_value = str(dates[0].value).split("/")[-1]
            span = (s_start, s_end)
    if not date_value:
        return []
    verb = "adopted" if _OPERATIVE.search(analysis.text) else "issued"
    return [_event("document", date_value, f"{title} {verb}", analysis, span[0], span[1], "events.self_document")]
