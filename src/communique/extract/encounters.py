"""Leaders' meetings and calls: "President Biden spoke with Canadian Prime Minister Justin Trudeau",
"President Joseph R. Biden, Jr. met on November 14 with President Xi Jinping of the People's Republic
of China (PRC), in Bali, Indonesia", a readout's or a remarks document's title ("Readout of President
Joe Biden's Call with ...", "Remarks by President Biden and Chancellor Merkel ... in Press
Conference"), the follow-up the leaders agree ("agreed to speak again in a month") and earlier
conversations a document recalls ("their positive January 22 conversation").

Each is a meeting fact named ``<A>-<B> Leaders' Call`` (format phone, or virtual for video) or
``<A>-<B> Leaders' Meeting``, parties in alphabetical order, with its participants as
``{"name", "title", "country"}``, a status (held, planned, postponed, cancelled) and, under
``evidence``, the sentence that gave each field. The vocabulary is in ``data/encounters.yaml``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.extract.grouping_meetings import extract_grouping_meetings
from communique.extract.leaders import Leader, find_leaders, leader_grammar, status_of, surname
from communique.extract.mechanisms import canonical_mechanism
from communique.extract.prefilter import required_literals
from communique.model import Document, Fact

__all__ = ["extract_encounters"]


class _Encounters:
    """The encounters of one document, merged by pair and kind as they are found."""

    def __init__(self, doc: Document, analysis: Analysis) -> None:
        self.doc, self.analysis = doc, analysis
        self.facts: list[Fact] = []
        self.countries: dict[str, str] = {}  # surname -> state, from every leader the document places
        for leader in find_leaders(analysis, 0, len(analysis.text)):
            if leader.country:
                self.countries.setdefault(surname(leader.name), leader.country)
        self.home = leader_grammar()["home"].get(doc.publisher or "")

    def resolve(self, leaders: list[Leader], span: tuple[int, int]) -> list[tuple[Leader, str]] | None:
        """Each leader with its state: stated, placed elsewhere in the document, the one other state the
        sentence names, or (for one of them) the publisher's own; None unless two different states."""
        out: list[tuple[Leader, str | None]] = [(p, p.country or self.countries.get(surname(p.name))) for p in leaders]
        named = [e.name for e in self.analysis.within(self.analysis.entities, *span) if e.kind in ("state", "demonym")]
        missing = [i for i, (_, c) in enumerate(out) if c is None]
        if missing and self.home and self.home not in {c for _, c in out}:
            out[missing[0]] = (out[missing[0]][0], self.home)
        for i, (p, c) in enumerate(out):
            if c is None:
                others = {x for x in named if x not in {cc for _, cc in out if cc} and x != self.home}
                if len(others) == 1:
                    out[i] = (p, others.pop())
        states = [c for _, c in out]
        if None in states or len(set(states)) != len(states) or len(states) < 2:
            return None
        return [(p, c) for p, c in out if c]

    def add(self, pair: list[tuple[Leader, str]], kind: str, at: tuple[int, int], fields: dict[str, Any],
            evidence: tuple[int, int]) -> None:
        g = gazetteer()
        parties = [_party(g.state_short.get(c, c)) for _, c in pair]
        name = canonical_mechanism(sorted(parties, key=str.lower), "", "Leaders' Call" if kind == "call" else "Leaders' Meeting")
        people = [{"name": p.name, "title": p.title, "country": c} for p, c in pair]
        for fact in self.facts:
            v = fact.value
            if v["mechanism"] == name and _dates_agree(v["date"], fields.get("date")) and v["status"] == fields["status"]:
                _fill(v, fields, people, evidence)
                return
        value: dict[str, Any] = {
            "mechanism": name, "ordinal": None, "date": None, "date_inferred": False, "city": None, "country": None,
            "format": None, "co_chairs": [], "participants": [], "topics": [], "documents_adopted": [], "held_at": None,
            "parties": sorted(parties, key=str.lower), "evidence": [], "planned": False, "status": fields["status"],
        }
        _fill(value, fields, people, evidence)
        self.facts.append(Fact("meeting", value, at[0], at[1], "meetings.encounter"))


def _party(short: str) -> str:
    return load_data("mechanisms.yaml")["parties"].get(short, short)


def _dates_agree(a: str | None, b: str | None) -> bool:
    if not a or not b:
        return True
    return a.startswith(b[:7]) or b.startswith(a[:7])


def _fill(value: dict[str, Any], fields: dict[str, Any], people: list[dict[str, Any]], evidence: tuple[int, int]) -> None:
    for key in ("date", "city", "country", "format"):
        new = fields.get(key)
        if new and (value[key] is None or (key == "date" and value["date_inferred"] and not fields.get("date_inferred"))):
            value[key] = new
            if key == "date":
                value["date_inferred"] = bool(fields.get("date_inferred"))
            value["evidence"].append({"start": evidence[0], "end": evidence[1], "about": key})
    known = {surname(p["name"]) for p in value["participants"]}
    for p in people:
        if surname(p["name"]) not in known:
            value["participants"].append(p)
            known.add(surname(p["name"]))
    value["planned"] = value["status"] == "planned"
    if not any(e["about"] == "participants" for e in value["evidence"]):
        value["evidence"].append({"start": evidence[0], "end": evidence[1], "about": "participants"})


def _date_in(analysis: Analysis, start: int, end: int, anchor: int) -> tuple[str | None, bool]:
    dates = [d for d in analysis.within(analysis.dates, start, end) if d.value and d.kind != "period"]
    if not dates:
        return None, False
    best = min(dates, key=lambda d: (abs(d.start - anchor), d.inferred))
    return str(best.value), best.inferred


def _venue(analysis: Analysis, start: int, end: int) -> tuple[str | None, str | None]:
    """The place named after 'in' or 'at' ("in Bali, Indonesia"), or a seat of government the guest
    came to ("welcomed ... to the White House"); not the guest's own state ("of the PRC")."""
    g = gazetteer()
    text = analysis.text
    ents = analysis.within(analysis.entities, start, end)
    for i, ent in enumerate(ents):
        lead = text[max(0, ent.start - 9) : ent.start]
        if ent.kind == "seat" and re.search(r"\b(?:to|at|in)\s+the\s+$", lead):
            return leader_grammar()["rooms"].get(ent.name), g.seat_of.get(ent.name)
        if ent.kind not in ("place", "state") or not re.search(r"\b(?:in|at)\s+(?:the\s+)?$", lead):
            continue
        if ent.kind == "state":
            return (ent.surface if g.country_of_place(ent.surface) == ent.name else None), ent.name
        return ent.name, g.country_of_place(ent.name)
    return None, None


def _format(kind: str, sentence: str, has_place: bool) -> str | None:
    if leader_grammar()["virtual"].search(sentence):
        return "virtual"
    if kind == "call":
        return "phone"
    return "in-person" if has_place else None


def extract_encounters(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    """Leaders' meetings and calls reported, planned or recalled in one document."""
    analysis = analysis or Analysis(doc)
    found = _Encounters(doc, analysis)
    _from_title(found)
    for s_start, s_end in analysis.sentences:
        _from_sentence(found, s_start, s_end)
        if " between " in analysis.text[s_start:s_end]:
            _between(found, s_start, s_end)
    _recalled(found)
    return found.facts + extract_grouping_meetings(doc, analysis, found.facts)


_BETWEEN = re.compile(r"\b(?P<what>meeting|call|conversation|talks|summit)\s+between\s+", re.I)
_ANNIVERSARY = re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+anniversary\b", re.I)


def _between(found: _Encounters, s_start: int, s_end: int) -> None:
    """'the meeting between King Abdulaziz Al Saud and President Franklin D. Roosevelt ..., the 80th
    anniversary of which was celebrated earlier this year': a leaders' meeting, dated by its own date or
    by the anniversary ('80th' and this year: 80 years before)."""
    analysis = found.analysis
    text = analysis.text
    for m in _BETWEEN.finditer(text, s_start, s_end):
        leaders = [p for p in find_leaders(analysis, m.end(), min(s_end, m.end() + 160))]
        if len(leaders) < 2 or leaders[0].start != m.end() or not re.fullmatch(r"\s+and\s+", text[leaders[0].end : leaders[1].start]):
            continue
        pair = found.resolve(leaders[:2], (s_start, s_end))
        if pair is None:
            continue
        rest = (leaders[1].end, s_end)
        anniversary = _ANNIVERSARY.search(text, *rest)
        dates = [d for d in analysis.within(analysis.dates, *rest) if d.value and d.kind != "period"]
        if anniversary and dates:
            date, inferred = str(int(str(dates[0].value)[:4]) - int(anniversary.group("n"))), True
        elif dates and not anniversary:
            date, inferred = str(dates[0].value), dates[0].inferred
        else:
            continue
        kind = "call" if m.group("what").lower() in ("call", "conversation") else "meeting"
        fields = {"date": date, "date_inferred": inferred, "status": "held", "format": "phone" if kind == "call" else None}
        found.add(pair, kind, (m.start(), leaders[1].end), fields, (s_start, s_end))


def _from_title(found: _Encounters) -> None:
    analysis, doc = found.analysis, found.doc
    if not analysis.paragraphs or not doc.date:
        return
    t_start, t_end = analysis.paragraphs[0]
    title = analysis.text[t_start:t_end]
    g = leader_grammar()
    m = g["readout"].match(title) if doc.kind == "readout" else g["remarks"].match(title) if doc.kind == "remarks" else None
    if m is None:
        return
    leaders = find_leaders(analysis, t_start, t_start + (m.end("guest") if "guest" in m.re.groupindex else m.end("who")))
    pair = found.resolve(leaders[:2], (t_start, t_end)) if len(leaders) == 2 else None
    if pair is None:
        return
    what = m.group("what").lower()
    kind = "call" if re.search(r"call|conversation", what) else "meeting"
    fields: dict[str, Any] = {"date": doc.date, "date_inferred": True, "status": "held"}
    if doc.kind == "remarks" and len(analysis.paragraphs) > 1:
        v_start, v_end = analysis.paragraphs[1]
        line = analysis.text[v_start:v_end]
        if len(line) < 90:  # the venue line under a remarks title: "East Room", "Mariinsky Palace Kyiv, Ukraine"
            room = next((city for room, city in g["rooms"].items() if room in line), None)
            places = [e for e in analysis.within(analysis.entities, v_start, v_end) if e.kind in ("place", "state")]
            if room:
                fields["city"], fields["country"] = room, gazetteer().country_of_place(room)
            elif places:
                city = next((e.name for e in places if e.kind == "place"), None)
                fields["city"] = city
                fields["country"] = gazetteer().country_of_place(city) if city else places[0].name
    fields["format"] = _format(kind, what, bool(fields.get("country")))
    found.add(pair, kind, (t_start, t_end), fields, (t_start, t_end))


@lru_cache(maxsize=1)
def _verb_words() -> frozenset[str] | None:
    """Literals one of which every match of the encounter verb pattern holds, folded as
    ``Analysis.folded`` is (None: none known)."""
    return required_literals(leader_grammar()["verb"])


def _from_sentence(found: _Encounters, s_start: int, s_end: int) -> None:
    analysis, doc, g = found.analysis, found.doc, leader_grammar()
    text = analysis.text
    if (s_start, s_end) == (analysis.paragraphs[0] if analysis.paragraphs else None):
        return  # the title: read by _from_title
    titles = analysis.hits.title
    i = bisect_left(titles, s_start)
    if i >= len(titles) or titles[i] >= s_end:
        return  # no title in the sentence: no leader
    words = _verb_words()
    if words is not None:
        folded = analysis.folded[s_start:s_end]
        if not any(w in folded for w in words):
            return  # none of the words one of which every verb holds (a few finds; the pattern is slow)
    sentence = text[s_start:s_end]
    verb = g["verb"].search(sentence)
    if verb is None:
        return
    leaders = find_leaders(analysis, s_start, s_end)
    for verb in g["verb"].finditer(text, s_start, s_end):
        v_start, v_end = verb.span()
        before = [p for p in leaders if p.end <= v_start and v_start - p.end <= 60
                  and not re.search(r"[.;:]", text[p.end : v_start])]
        if not before:
            continue
        subject = before[-1]
        pair = [subject]
        earlier = [p for p in leaders if p.end <= subject.start and re.fullmatch(r",?\s+and\s+", text[p.end : subject.start])]
        if earlier:
            pair = [earlier[-1], subject]
        else:
            guest_at = v_end
            if verb.lastgroup == "call" or re.match(r"(?i)met|meets|held|had", verb.group(0)):
                w = re.compile(r"\bwith\s+").search(text, v_end, min(s_end, v_end + 70))
                if w is None:
                    continue
                guest_at = w.end()
            # the guest follows at once, perhaps after its demonym or state: "with Canadian Prime Minister"
            group = _grouping_at(text, guest_at, s_end)
            if group is not None:
                _group_meeting(found, group, subject, verb, s_start, s_end)
                return
            guests = [p for p in leaders if guest_at <= p.start <= guest_at + 40
                      and re.fullmatch(r"\s*(?:the\s+)?(?:[A-Z][\w.’'-]*\s+){0,3}", text[guest_at : p.start])]
            if not guests:
                continue
            if _listed_after(text, guests[0], leaders):
                continue  # "hosted Prime Minister Albanese of Australia, Prime Minister Kishida ... and ...": no bilateral
            pair = [subject, guests[0]]
        resolved = found.resolve(pair, (s_start, s_end))
        if resolved is None:
            continue
        kind = "call" if verb.lastgroup == "call" else "meeting"
        date, inferred = _date_in(analysis, s_start, s_end, v_start)
        if date is None and doc.kind == "readout" and analysis.paragraph_index(s_start) <= 2:
            date, inferred = doc.date, True  # a readout reports its meeting on its own date
        if date is None:
            continue
        status = status_of(text[max(s_start, subject.start - 30) : s_end], doc.kind)
        city, country = _venue(analysis, v_end, s_end) if kind == "meeting" else (None, None)
        fields = {"date": date, "date_inferred": inferred, "status": status, "city": city, "country": country,
                  "format": _format(kind, sentence, bool(city or country))}
        found.add(resolved, kind, (pair[0].start, v_end), fields, (s_start, s_end))
        return


_LIST_GAP = re.compile(r"(?:\s+of\s+(?:the\s+)?[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3})?\s*,?\s+(?:and\s+)?")


def _listed_after(text: str, guest: Leader, leaders: list[Leader]) -> bool:
    """Is another leader listed right after this guest ('A of Australia, B of Japan, and C of India')?"""
    return any(p.start > guest.end and _LIST_GAP.fullmatch(text, guest.end, p.start) for p in leaders)


def _grouping_at(text: str, start: int, end: int) -> str | None:
    """'G7 Leaders', 'the leaders of the G20' at ``start``: the grouping's canonical name."""
    groupings = load_data("mechanisms.yaml")["groupings"]
    names = "|".join(re.escape(k) for k in sorted(groupings, key=len, reverse=True))
    m = re.compile(rf"(?:the\s+)?(?:(?P<a>{names})\s+(?:[Ll]eaders|counterparts|[Hh]eads of [Ss]tate)"
                   rf"|(?:[Ll]eaders|[Hh]eads of [Ss]tate(?: and [Gg]overnment)?) of the (?P<b>{names}))(?![\w-])").match(text, start, end)
    return groupings[m.group("a") or m.group("b")] if m else None


def _group_meeting(found: _Encounters, group: str, subject: Leader, verb: re.Match[str], s_start: int, s_end: int) -> None:
    """'President Biden met virtually with G7 Leaders': a meeting of the grouping's leaders."""
    analysis = found.analysis
    sentence = analysis.text[s_start:s_end]
    date, inferred = _date_in(analysis, s_start, s_end, verb.start())
    if date is None and found.doc.kind == "readout":
        date, inferred = found.doc.date, True
    if date is None:
        return
    city, country = _venue(analysis, verb.end(), s_end)
    kind = "call" if verb.lastgroup == "call" else "meeting"
    value: dict[str, Any] = {
        "mechanism": f"{group} Leaders' {'Call' if kind == 'call' else 'Meeting'}", "ordinal": None, "date": date,
        "date_inferred": inferred, "city": city, "country": country,
        "format": _format(kind, sentence, bool(city or country)), "co_chairs": [],
        "participants": [{"name": subject.name, "title": subject.title, "country": subject.country or found.home}],
        "topics": [], "documents_adopted": [], "held_at": None, "parties": [group], "planned": False,
        "status": status_of(sentence, found.doc.kind),
        "evidence": [{"start": s_start, "end": s_end, "about": f} for f in ("date", "format", "participants")],
    }
    value["planned"] = value["status"] == "planned"
    found.facts.append(Fact("meeting", value, subject.start, verb.end(), "meetings.encounter"))


def _recalled(found: _Encounters) -> None:
    """Follow-ups ('agreed to speak again in a month') and recalled conversations ('their January 22
    conversation') of the document's first pair of leaders."""
    first = next((f.value for f in found.facts if len(f.value["parties"]) == 2 and len(f.value["participants"]) == 2), None)
    if first is None:
        return
    analysis, g = found.analysis, leader_grammar()
    text = analysis.text
    for s_start, s_end in analysis.sentences:
        sentence = text[s_start:s_end]
        m = g["follow_up"].search(sentence)
        hit = g["recalled"].search(sentence) if m is None else None
        if m is None and hit is None:
            continue
        if m is not None:
            kind = "meeting" if m.group("verb").lower() == "meet" else "call"
            date, inferred = _date_in(analysis, s_start + m.end(), s_end, s_start + m.end())
            status = "planned"
        else:
            assert hit is not None
            kind = "call" if (hit.lastgroup or "").startswith("call") else "meeting"
            lead = sentence[max(0, hit.start() - 40) : hit.start()]
            if not re.search(r"\b(?:their|our)\b", lead, re.I):
                continue
            dates = [d for d in analysis.within(analysis.dates, s_start + hit.start() - 40, s_start + hit.start())
                     if d.value and d.kind != "period"]
            if not dates:
                continue
            date, inferred = str(dates[-1].value), dates[-1].inferred
            status = "held"
        if not date:
            continue
        pair = [(Leader(p["title"], p["name"], p["country"], 0, 0), p["country"]) for p in first["participants"]]
        fields = {"date": date, "date_inferred": inferred, "status": status,
                  "format": "phone" if kind == "call" else None}
        found.add(pair, kind, (s_start, s_end), fields, (s_start, s_end))
