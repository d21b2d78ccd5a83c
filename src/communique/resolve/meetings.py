"""One record per meeting, merged across documents.

Mentions of the same mechanism merge when their ordinals agree, or, unnumbered, when their dates
are compatible; an unnumbered mention joins the one numbered meeting of its series in that year.
Values that disagree are all kept, the first as the value and the others under ``conflicts``.
Afterwards a meeting held "at" another takes its date and venue, and annual series whose known
meetings agree on ordinal and year give undated meetings an inferred year.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from communique.resolve.common import FactRow, date_compatible, load_facts, more_precise, record_id, source
from communique.resolve.participants import place_participants
from communique.store import Store

__all__ = ["resolve_meetings"]

FIELDS = ("city", "country", "format")


def _year(date: str | None) -> str | None:
    return str(date)[:4] if date else None


def _days_apart(a: str | None, b: str | None) -> int | None:
    """Days between two full dates, or None when either is less precise."""
    from datetime import date

    try:
        x = date.fromisoformat(str(a).split("/")[0])
        y = date.fromisoformat(str(b).split("/")[0])
    except (TypeError, ValueError):
        return None
    return abs((x - y).days)


def _close(a: str | None, b: str | None, days: int = 7) -> bool:
    """Compatible dates, or full dates a few days apart (a multi-day meeting, 'today' in a recap)."""
    if date_compatible(a, b):
        return True
    apart = _days_apart(a, b)
    return apart is not None and apart <= days


def _same_meeting(group: list[FactRow], f: FactRow) -> bool:
    """May an unnumbered mention of the same year be this numbered meeting? Only on evidence:
    the same city, a stated date close to the group's, or documents published the same week."""
    date, city = f.value.get("date"), f.value.get("city")
    stated = [x.value.get("date") for x in group if x.value.get("date") and not x.value.get("date_inferred")]
    if any(not _close(d, date) for d in stated if len(str(d)) >= 7):
        return False
    if city and city in {x.value.get("city") for x in group}:
        return True
    if any(x.document_id == f.document_id for x in group):  # one document, one meeting of that year
        return True
    if any(len(str(d)) >= 7 and _close(d, date) for d in stated):
        return True
    known = [x.value.get("date") for x in group if x.value.get("date")]
    if len(str(date or "")) >= 7 and any(len(str(d)) >= 7 and date_compatible(d, date) for d in known):
        return True  # 'October 2021' and the 26 October 2021 of a readout
    return any(_close(x.doc_date, f.doc_date, 7) and len(str(x.doc_date or "")) == 10 for x in group)


def _split_by_stated_year(members: list[FactRow]) -> list[list[FactRow]]:
    """One ordinal, told of meetings years apart ("the second Quad Summit" for two different counts):
    one group per stated year; mentions with no stated year go with the largest."""
    by_year: dict[str, list[FactRow]] = defaultdict(list)
    loose = []
    for f in members:
        year = _year(f.value.get("date")) if not f.value.get("date_inferred") else None
        (by_year[year] if year else loose).append(f)
    if len(by_year) <= 1:
        return [members]
    groups = sorted(by_year.values(), key=len, reverse=True)
    groups[0].extend(loose)
    return groups


def _full_days(group: list[FactRow]) -> list[str]:
    return [str(x.value["date"]) for x in group if len(str(x.value.get("date") or "")) >= 10]


def _join_counted_apart(groups: list[list[FactRow]]) -> list[list[FactRow]]:
    """One meeting numbered two ways ('the second Quad Summit' in person, 'the third' in all, in Tokyo
    on 24 May 2022): numbered groups whose stated days lie within three days of each other, at no two
    different places, are one; the ordinal most of its mentions give wins."""
    out: list[list[FactRow]] = []
    for group in sorted(groups, key=len, reverse=True):
        days, places = _full_days(group), {x.value["city"] for x in group if x.value.get("city")}
        into = [g for g in out if days and _full_days(g)
                and all(_within_days(a, b, 3) for a in days for b in _full_days(g))
                and not (places and {x.value["city"] for x in g if x.value.get("city")} - places
                         and places - {x.value["city"] for x in g if x.value.get("city")})]
        if len(into) == 1:
            into[0].extend(group)
        else:
            out.append(group)
    return out


# A series meets a few times a year at most: two numbered meetings whose numbers lie further apart than
# this many a year (plus the slack below) cannot both be counted in the series.
_MEETINGS_A_YEAR, _PACE_SLACK = 2, 2


def _group_year(group: list[FactRow]) -> int | None:
    """The year most of a group's stated dates give (its inferred ones when none is stated)."""
    for inferred in (False, True):
        years = [_year(x.value.get("date")) for x in group if x.value.get("date") and bool(x.value.get("date_inferred")) == inferred]
        years = [y for y in years if y and y.isdigit()]
        if years:
            return int(max(dict.fromkeys(years), key=years.count))
    return None


def _out_of_pace(groups: list[list[FactRow]]) -> list[list[FactRow]]:
    """Numbered meetings whose number no other meeting of the series bears out: each disagrees in pace
    with more of the others than agree with it ('the first NATO Summit' in 2021 beside the 74th in 2023
    and the 75th in 2024). With only two meetings that disagree, neither can be told wrong."""
    dated = [(g, _group_year(g), int(g[0].value["ordinal"])) for g in groups]
    dated = [(g, y, n) for g, y, n in dated if y is not None]
    out = []
    for g, year, n in dated:
        agree = disagree = 0
        for h, other_year, m in dated:
            if h is g:
                continue
            if abs(n - m) > _MEETINGS_A_YEAR * abs(year - other_year) + _PACE_SLACK:
                disagree += 1
            else:
                agree += 1
        if disagree > agree and disagree >= 2:
            out.append(g)
    return out


def _without_ordinal(f: FactRow) -> FactRow:
    return FactRow(f.id, f.document_id, f.path, f.title, f.doc_date, f.kind, {**f.value, "ordinal": None,
                   "ordinal_dropped": f.value.get("ordinal")}, f.start, f.end, f.quote)


def _group(facts: list[FactRow]) -> list[list[FactRow]]:
    """Group one mechanism's mentions into meetings."""
    numbered: dict[int, list[FactRow]] = defaultdict(list)
    unnumbered: list[FactRow] = []
    for f in facts:
        if f.value.get("ordinal") is not None:
            numbered[int(f.value["ordinal"])].append(f)
        else:
            unnumbered.append(f)
    groups: list[list[FactRow]] = []
    for members in numbered.values():
        groups += _split_by_stated_year(members)
    groups = _join_counted_apart(groups)
    for group in _out_of_pace(groups):  # "the first NATO Summit last year": someone's count, not the series'
        groups.remove(group)
        unnumbered += [_without_ordinal(f) for f in group if f.value.get("date")]  # with neither, it says nothing

    def years(group: list[FactRow]) -> set[str]:
        return {y for y in (_year(x.value.get("date")) for x in group) if y}

    def cities(group: list[FactRow]) -> set[str]:
        return {x.value["city"] for x in group if x.value.get("city")}

    # first, a numbered meeting known only by its venue takes the dated mentions of that venue
    rest: list[FactRow] = []
    for f in unnumbered:
        city = f.value.get("city")
        undated_here = [g for g in groups if not years(g) and city and city in cities(g)]
        if len(undated_here) == 1:  # "the 10th Summit in Phnom Penh" + "the Summit in Phnom Penh on 12 November"
            undated_here[0].append(f)
        else:
            rest.append(f)
    unnumbered = rest
    loose: list[list[FactRow]] = []
    # stated dates before inferred ones, precise before vague: a bare year joins the best group
    for f in sorted(unnumbered, key=lambda f: (bool(f.value.get("date_inferred")), -len(str(f.value.get("date") or "")))):
        date = f.value.get("date")
        in_year = [g for g in groups if _year(date) in years(g) and _same_meeting(g, f)]
        if len(in_year) == 1:
            in_year[0].append(f)
            continue
        target = next((g for g in loose if _year(date) in years(g) and all(_close(x.value.get("date"), date) for x in g)), None)
        if target is None:
            loose.append([f])
        else:
            target.append(f)
    # an unnumbered meeting left apart, whose month or day fits exactly one numbered meeting's, is that
    # one: it was sorted before the mentions that gave the numbered meeting its day ('October 2021')
    kept: list[list[FactRow]] = []
    for group in loose:
        fits = [g for g in groups if _fits(group, g)]
        if len(fits) == 1:
            fits[0].extend(group)
        else:
            kept.append(group)
    return groups + kept


def _precise_dates(group: list[FactRow]) -> list[str]:
    return [str(x.value["date"]) for x in group if len(str(x.value.get("date") or "")) >= 7]


def _fits(group: list[FactRow], other: list[FactRow]) -> bool:
    """Every month-or-day date of ``group`` is compatible with every one of ``other`` (and both have one)."""
    mine, theirs = _precise_dates(group), _precise_dates(other)
    return bool(mine and theirs) and all(date_compatible(a, b) for a in mine for b in theirs)


def _special_of(mechanism: str, kind: str) -> str:
    """'ASEAN-U.S. Summit' -> 'ASEAN-U.S. Special Summit'."""
    return mechanism[: -len(kind)] + "Special " + kind if mechanism.endswith(" " + kind) else ""


def _variants(mechanism: str) -> list[str]:
    """'ASEAN-ROK Summit' -> 'ASEAN-ROK Commemorative Summit', ... (each modifier of mechanisms.yaml)."""
    from communique.data import load_data

    head, _, kind = mechanism.rpartition(" ")
    if not head:
        return []
    modifiers = {m for m in load_data("mechanisms.yaml")["modifiers"].values() if m}
    return [f"{head} {m} {kind}" for m in sorted(modifiers)]


def _same_document_year(group: list[FactRow], other: list[FactRow]) -> bool:
    docs = {f.document_id for f in other}
    years = {_year(f.value.get("date")) for f in other}
    return all(f.document_id in docs and _year(f.value.get("date")) in years for f in group)


def _join_special_meetings(groups: dict[str, list[list[FactRow]]]) -> None:
    """An unnumbered mention of a series ('the U.S.-ASEAN Summit' in May 2022) whose date fits a special
    meeting of the same parties (the ASEAN-U.S. Special Summit of 12-13 May 2022) is that meeting."""
    for mechanism, items in groups.items():
        for group in list(items):
            if any(f.value.get("ordinal") is not None for f in group):
                continue
            special = _special_of(mechanism, str(group[0].value.get("kind") or mechanism.split()[-1]))
            fits = [g for g in groups.get(special, []) if _fits(group, g)]
            if not fits:  # 'the ASEAN-Korea summit' in the headline of the Commemorative Summit's declaration
                fits = [g for name in _variants(mechanism) for g in groups.get(name, []) if _same_document_year(group, g)]
            if len(fits) == 1:
                fits[0].extend(group)
                items.remove(group)


def _main_city(group: list[FactRow]) -> str | None:
    cities = [x.value["city"] for x in group if x.value.get("city")]
    return max(dict.fromkeys(cities), key=cities.count) if cities else None


def _main_date(group: list[FactRow]) -> str:
    """The best-supported stated date; when that gives only a year, the best-supported month or day of it
    the group's other dates give."""
    def best(dates: list[str]) -> str:
        return max(dates, key=lambda d: (sum(1 for e in dates if date_compatible(d, e)), len(d))) if dates else ""

    every = [str(x.value["date"]).split("/")[0] for x in group if x.value.get("date")]
    chosen = best([str(x.value["date"]).split("/")[0] for x in group if x.value.get("date") and not x.value.get("date_inferred")])
    if len(chosen) == 4:
        finer = best([d for d in every if len(d) >= 7 and d.startswith(chosen)])
        chosen = finer or chosen
    return chosen


def _months_close(a: str, b: str, months: int = 2) -> bool:
    """Same year, and within ``months`` when both give a month."""
    if not a or not b or a[:4] != b[:4]:
        return False
    if len(a) < 7 or len(b) < 7:
        return True
    return abs(int(a[5:7]) - int(b[5:7])) <= months


def _told_date(group: list[FactRow]) -> str:
    """The day most of a group's mentions give, stated or inferred (else the best-supported date)."""
    dates = [str(x.value["date"]).split("/")[0] for x in group if x.value.get("date")]
    days = [d for d in dates if len(d) >= 10] or dates
    return max(days, key=lambda d: (sum(1 for e in dates if date_compatible(d, e)), len(d))) if days else ""


def _months_apart(a: str, b: str) -> int:
    return abs((int(a[:4]) * 12 + int(a[5:7])) - (int(b[:4]) * 12 + int(b[5:7])))


def _join_inferred(items: list[list[FactRow]]) -> None:
    """A meeting known only from dates a document's own date gave ('today', 'this month', 'next year')
    is the one meeting of its series with stated dates at the same place within a year of it (a
    'today' counts only in the document that reports the meeting)."""
    def stated(g: list[FactRow]) -> bool:
        return any(x.value.get("date") and not x.value.get("date_inferred") for x in g)

    def cities(g: list[FactRow]) -> set[str]:
        return {x.value["city"] for x in g if x.value.get("city")}

    # two meetings of a summit series at one place (the place most of their sources give) within two months
    # of each other, or in one year where one knows only the year, are one
    for group in sorted([g for g in items if stated(g) and _main_city(g) and not any(x.value.get("ordinal") for x in g)], key=len):
        if str(group[0].value.get("mechanism", "")).endswith("Summit") and group in items:
            near = [g for g in items if g is not group and (len(g) > len(group) or any(x.value.get("ordinal") for x in g))
                    and _main_city(g) == _main_city(group) and _months_close(_main_date(g), _main_date(group))]
            if len(near) == 1:
                near[0].extend(group)
                items.remove(group)
    # told of only ahead, by dates its documents' own dates gave, and nowhere: the one stated meeting of
    # the series in the next two months ('the Quad summit' in April briefings, before Tokyo in May)
    for group in [g for g in items if not stated(g) and not cities(g) and all(x.value.get("status") == "planned" for x in g)]:
        first = min(str(x.value.get("date") or "9999").split("/")[0] for x in group)
        ahead = [g for g in items if g is not group and stated(g) and _main_date(g) >= first[:len(_main_date(g))]
                 and _months_close(_main_date(g), first, 2)]
        if len(ahead) == 1:
            ahead[0].extend(group)
            items.remove(group)
    for group in [g for g in items if not stated(g) and cities(g)]:
        year = int(_year(next((x.value["date"] for x in group if x.value.get("date")), None)) or 0)
        near = [g for g in items if g is not group and stated(g) and cities(g) & cities(group)
                and any(abs(int(_year(x.value.get("date")) or 0) - year) <= 1 for x in g if x.value.get("date"))]
        # a day it gives ('March 24th', its year inferred) must lie within two months of the meeting's: the
        # extraordinary NATO summit of 24 March 2022 in Brussels is not the Brussels summit of June 2021 (a
        # month a document's own date gave says less)
        when = _told_date(group)
        near = [g for g in near if len(when) < 10 or len(_main_date(g)) < 7 or _months_apart(when, _main_date(g)) <= 2]
        if len(near) == 1:
            near[0].extend(group)
            items.remove(group)


def _place_undated(groups: dict[str, list[list[FactRow]]], undated: list[FactRow]) -> None:
    """An undated mention of one summit ('at the G7 Summit in Apulia', 'the G7 summit' in July) joins the
    one meeting of its series at its place, or else the one of its document's year on the right side of
    the document's date (before it when told as past, after it when planned); the rest are dropped (the
    document's own year would be a guess: 'the G20 in Rome' told a year later)."""
    for f in undated:
        items = groups.setdefault(f.value["mechanism"], [])
        city, doc_date = f.value.get("city"), str(f.doc_date or "")
        target = [g for g in items if city and city in {x.value.get("city") for x in g}]
        if not target:  # 'History was made in The Hague' beside "today's NATO summit" of the same document
            target = [g for g in items if any(x.document_id == f.document_id for x in g)]
            target = target if len(target) == 1 else []
        if not target and city:  # 'the U.S.-Africa Leaders Summit in Washington' and the one such summit, placed nowhere
            target = [g for g in items if not any(x.value.get("city") for x in g)
                      and all(_fits_side(x.value.get("date"), doc_date, False) for x in g if x.value.get("date"))]
            target = target if len(items) == 1 else []
        if not target and not city and doc_date:
            planned = f.value.get("status") == "planned"
            if not planned:  # told without a tense ("the Quad summit" in a briefing): the meeting nearest it
                target = _nearest_meeting(items, doc_date, 45)
        if not target and not city and doc_date:
            target = [g for g in items if all(_fits_side(x.value.get("date"), doc_date, planned) for x in g if x.value.get("date"))
                      and any(_year(x.value.get("date")) == doc_date[:4] for x in g)]
        if len(target) == 1:
            target[0].append(f)


def _nearest_meeting(items: list[list[FactRow]], doc_date: str, days: int) -> list[list[FactRow]]:
    """The one meeting whose best day lies nearest the document's date, when within ``days``."""
    scored = []
    for g in items:
        apart = _days_apart(_main_date(g), doc_date)
        if apart is not None and apart <= days:
            scored.append((apart, id(g), g))
    scored.sort(key=lambda t: t[:2])
    if not scored or (len(scored) > 1 and scored[1][0] - scored[0][0] < 7):
        return []  # none near, or two about as near: no guess
    return [scored[0][2]]


def _fits_side(date: str | None, doc_date: str, planned: bool) -> bool:
    first = str(date or "").split("/")[0]
    return first[: len(doc_date)] >= doc_date[: len(first)] if planned else first[: len(doc_date)] <= doc_date[: len(first)]


def _summit_of(mechanism: str) -> list[str]:
    """'G7 Leaders' Meeting' -> the names its grouping's summit goes by ('G7 Summit', 'G7 Leaders' Summit')."""
    from communique.data import load_data

    head, sep, _ = mechanism.rpartition(" Leaders' Meeting")
    if not sep or not head:
        return []
    same = load_data("mechanisms.yaml")["same_series"]
    names = [f"{head} Summit", f"{head} Leaders' Summit"]
    return list(dict.fromkeys(same.get(n, n) for n in names))


def _join_meetings_during_summits(groups: dict[str, list[list[FactRow]]]) -> None:
    """'President Biden met with G7 Leaders' on a day of the G7 Summit is that summit (a leaders' meeting
    on another day, the virtual G7 meeting of December, stays its own)."""
    for mechanism in list(groups):
        summits = [g for name in _summit_of(mechanism) for g in groups.get(name, [])]
        if not summits:
            continue
        for group in list(groups[mechanism]):
            dates = _precise_dates(group)
            fits = [g for g in summits if dates and all(any(_within_days(d, e, 3) for e in _precise_dates(g) if len(e) >= 10)
                                                         for d in dates)]
            if len(fits) == 1:
                fits[0].extend(group)
                groups[mechanism].remove(group)


def _stated(group: list[FactRow]) -> bool:
    return any(x.value.get("date") and not x.value.get("date_inferred") for x in group)


def _join_leaders_meetings_and_summits(groups: dict[str, list[list[FactRow]]]) -> None:
    """Two names of one grouping's leaders meeting, told only by dates a document's own date gave:
    'the Quad Leaders' Meeting next year', only ever ahead, is the one summit of the grouping in that
    year after it; 'a virtual Quad Summit back in April', placed nowhere, is the one leaders' meeting
    of the grouping, not held in person, within two months of it."""
    for mechanism in list(groups):
        summit_names = _summit_of(mechanism)
        summits = [g for name in summit_names for g in groups.get(name, [])]
        if not summits:
            continue
        for group in list(groups[mechanism]):
            if _stated(group) or not all(x.value.get("status") == "planned" for x in group):
                continue
            first = min(str(x.value.get("date") or "9999").split("/")[0] for x in group)
            ahead = [g for g in summits if _stated(g) and _main_date(g)[:4] == first[:4] and _main_date(g) >= first[: len(_main_date(g))]]
            if len(ahead) == 1:
                ahead[0].extend(group)
                groups[mechanism].remove(group)
        for name in summit_names:
            for group in list(groups.get(name, [])):
                formats = {x.value.get("format") for x in group if x.value.get("format")}
                if _stated(group) or formats != {"virtual"} or any(x.value.get("city") for x in group):
                    continue
                when = _told_date(group)
                near = [g for g in groups[mechanism] if len(_told_date(g)) >= 10 and _months_close(_told_date(g), when, 2)
                        and "in-person" not in {x.value.get("format") for x in g}]
                if len(near) == 1:
                    near[0].extend(group)
                    groups[name].remove(group)


def _within_days(a: str, b: str, days: int) -> bool:
    """Full dates (or spans) at most ``days`` apart: the days of a multi-day meeting."""
    a_first, a_last = (str(a).split("/") + [str(a)])[:2]
    b_first, b_last = (str(b).split("/") + [str(b)])[:2]
    gaps = [_days_apart(x, y) for x in (a_first, a_last) for y in (b_first, b_last)]
    known = [g for g in gaps if g is not None]
    return bool(known) and min(known) <= days


def _merge(group: list[FactRow]) -> dict[str, Any]:
    first = group[0].value
    record: dict[str, Any] = {
        "mechanism": first["mechanism"], "ordinal": first.get("ordinal"), "date": None, "date_inferred": False,
        "city": None, "country": None, "format": None, "co_chairs": [], "participants": [], "topics": [],
        "documents_adopted": [], "parties": first.get("parties", []), "held_at": None, "sources": [], "conflicts": [],
        "planned": all(f.value.get("planned") for f in group),  # only ever mentioned as ahead
    }
    dates: list[tuple[str, bool, FactRow]] = []
    for f in group:
        v = f.value
        if v.get("date"):
            dates.append((v["date"], bool(v.get("date_inferred")), f))
        for chair in v.get("co_chairs", []):
            if chair["name"] not in {c["name"] for c in record["co_chairs"]}:
                record["co_chairs"].append(chair)
        for person in v.get("participants", []):
            _add_participant(record["participants"], person)
        for key in ("topics", "documents_adopted"):
            for item in v.get(key, []):
                if item not in record[key]:
                    record[key].append(item)
        if v.get("held_at") and not record["held_at"]:
            record["held_at"] = v["held_at"]
        if record["ordinal"] is None and v.get("ordinal") is not None:
            record["ordinal"] = v["ordinal"]
        record["sources"].append(source(f))
        for ev in v.get("evidence", []):
            record["sources"].append(_evidence_source(f, ev))
    ordinals = [f.value["ordinal"] for f in group if f.value.get("ordinal") is not None]
    if len(set(ordinals)) > 1:  # counted two ways: the count most sources give, the other a conflict
        record["ordinal"] = max(dict.fromkeys(ordinals), key=ordinals.count)
        for f in group:
            if f.value.get("ordinal") not in (None, record["ordinal"]):
                record["conflicts"].append({"field": "ordinal", "value": f.value["ordinal"], "document": f.path,
                                            "chosen": record["ordinal"]})
    _majority_fields(record, group)
    record["status"] = _status(group)
    record["planned"] = record["status"] == "planned"
    # the most precise stated date of the best-supported one wins (more sources agreeing with it than with
    # any date it contradicts); an explicit date beats an inferred one of equal precision
    support = {d: sum(1 for e, _, _ in dates if date_compatible(d, e)) for d, _, _ in dates}
    for date, inferred, f in sorted(dates, key=lambda d: (d[1], -support[d[0]], -len(str(d[0]).split("/")[0]))):
        if record["date"] is None:
            record["date"], record["date_inferred"] = date, inferred
        elif date_compatible(record["date"], date) and len(str(date)) > len(str(record["date"])):
            record["date"], record["date_inferred"] = date, inferred  # 'today' in a readout refines 'October 2021'
        elif not date_compatible(record["date"], date) and not inferred:
            record["conflicts"].append({"field": "date", "value": date, "document": f.path, "chosen": record["date"]})
    # a stated span of days ('12-13 May 2022') that holds the chosen day says more than the day
    for date, inferred, f in dates:
        if "/" in str(date) and not inferred and record["date"] and "/" not in str(record["date"]):
            first, last = str(date).split("/", 1)
            if len(str(record["date"])) == 10 and first <= str(record["date"]) <= last:
                record["date"], record["date_inferred"] = date, False
    return record


def _majority_fields(record: dict[str, Any], group: list[FactRow]) -> None:
    """City, country and format: the value most sources give (the first stated on a tie); the others are
    kept as conflicts. A city named as its country ("Singapore") is no conflict."""
    when = _main_date(group)
    for field in FIELDS:
        stated = [(f.value[field], f) for f in group if f.value.get(field)]
        if not stated:
            continue
        # where a source reports the meeting held, its venue beats a forecast ("the next summit will be
        # hosted by India", before the summit moved); a report of the days after it says more than one
        # recalled a year on ("Building on the President's first NATO Summit on June 14, 2021, ... in Madrid")
        reported = [(v, f) for v, f in stated if field != "format" and f.value.get("status") == "held"]
        fresh = [(v, f) for v, f in reported if _reported_soon(f, when)]
        reported = fresh or reported
        values = [v for v, _ in (reported or stated)]
        chosen = max(dict.fromkeys(values), key=values.count)
        record[field] = chosen
        for value, f in stated:
            if value != chosen and not (field == "city" and value == record.get("country")):
                record["conflicts"].append({"field": field, "value": value, "document": f.path, "chosen": chosen})
    if record["city"] and record["country"] and gazetteer_country(record["city"]) not in (None, record["country"]):
        record["country"] = gazetteer_country(record["city"])  # the chosen city's own country


def _reported_soon(f: FactRow, when: str) -> bool:
    """Was the source published within a month after the meeting's day (or in its month)?"""
    doc = str(f.doc_date or "")
    if len(when) >= 10 and len(doc) >= 10:
        apart = _days_apart(doc, when)
        return apart is not None and apart <= 31 and doc >= when
    return bool(when) and len(when) >= 7 and doc[:7] == when[:7]


def gazetteer_country(city: str) -> str | None:
    from communique.extract.gazetteer import gazetteer

    return gazetteer().country_of_place(city)


def _evidence_source(f: FactRow, ev: dict[str, Any]) -> dict[str, Any]:
    # the quote of an evidence span is cut from the stored text when records are written; "about" names
    # the field the sentence gave (date, format, participants, co_chairs ...)
    return {"document": f.path, "title": f.title, "date": f.doc_date, "start": ev["start"], "end": ev["end"],
            "quote": None, "document_id": f.document_id, "about": ev.get("about")}


def _surname(name: str) -> str:
    tokens = [t for t in str(name).replace(", Jr.", "").split() if t[:1].isupper()]
    return tokens[-1] if tokens else str(name)


def _same_person(a: str, b: str) -> bool:
    """One person's two names: the same surname ("Biden", "Joseph R. Biden, Jr."), or a single name that
    is a word of the other, whichever order it is written in ("Kishida", "Kishida Fumio")."""
    if _surname(a) == _surname(b):
        return True
    short, full = sorted((a.replace(", Jr.", ""), b.replace(", Jr.", "")), key=lambda n: len(n.split()))
    return len(short.split()) == 1 and short in full.split()


def _add_participant(people: list[Any], person: Any) -> None:
    """One entry per person: 'Biden' and 'Joseph R. Biden, Jr.' are one, the fuller name kept."""
    if not isinstance(person, dict):
        person = {"name": str(person), "title": None, "country": None}
    for i, known in enumerate(people):
        if isinstance(known, dict) and _same_person(known["name"], person["name"]):
            merged = dict(known)
            if len(person["name"]) > len(known["name"]):
                merged.update({k: v for k, v in person.items() if v})
                if person.get("country"):
                    merged["country_assumed"] = bool(person.get("country_assumed"))
            # a state the text gives wins over the publisher's own state assumed for a bare name
            stated = [p["country"] for p in (merged, known, person) if p.get("country") and not p.get("country_assumed")]
            if stated:
                merged["country"], merged["country_assumed"] = stated[0], False
            if not merged.get("country_assumed"):
                merged.pop("country_assumed", None)
            people[i] = merged
            return
    people.append(dict(person))


def _status(group: list[FactRow]) -> str:
    """A meeting any source reports as held is held; else the status most sources give (a plan that one
    source says was called off stays planned unless most say so)."""
    dates = sorted(str(f.value["date"]).split("/")[0] for f in group if f.value.get("date") and not f.value.get("date_inferred"))
    first = dates[0] if dates else ""
    # a document published before the meeting cannot report it held
    statuses = [f.value.get("status") or ("planned" if f.value.get("planned") else "held") for f in group
                if not (first and str(f.doc_date or "")[: len(first)] < first[: len(str(f.doc_date or ""))])
                or (f.value.get("status") or "held") != "held"]
    if not statuses:
        return "planned"
    if "held" in statuses:
        return "held"
    return max(sorted(set(statuses)), key=statuses.count)


def _apply_held_at(records: list[dict[str, Any]]) -> None:
    index = {(r["mechanism"], r["ordinal"]): r for r in records if r["ordinal"] is not None}
    for r in records:
        held_at = r["held_at"]
        host = index.get((held_at["mechanism"], held_at["ordinal"])) if held_at else None
        if host is None:
            continue
        if host["date"] is None and r["date"]:
            host["date"], host["date_inferred"] = r["date"], True  # a meeting held during it dates it
        elif date_compatible(r["date"], host["date"]):
            r["date"] = more_precise(r["date"], host["date"])
        for field in ("city", "country"):
            if r[field] is None and host[field] is not None:
                r[field] = host[field]


def _infer_series_years(records: list[dict[str, Any]]) -> None:
    """An annual series whose dated meetings all fit year = ordinal + k gives undated ones a year."""
    by_mechanism: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        if r["ordinal"] is not None:
            by_mechanism[r["mechanism"]].append(r)
    for items in by_mechanism.values():
        offsets = {int(_year(r["date"])) - int(r["ordinal"]) for r in items if r["date"] and not r["date_inferred"]}
        dated = [r for r in items if r["date"] and not r["date_inferred"]]
        every = [int(_year(r["date"])) - int(r["ordinal"]) for r in items if r["date"]]
        common = max(set(every), key=every.count) if every else None
        if common is not None and every.count(common) >= 3 and every.count(common) >= 0.75 * len(every) \
                and all(int(_year(r["date"])) - int(r["ordinal"]) == common for r in dated):
            # the 75th, 77th ... 80th sessions of an annual body: their dates, inferred ones too, are the evidence
            offsets, dated = {common}, [r for r in items if r["date"]]
        if len(offsets) != 1 or len(dated) < 2:
            continue
        k = offsets.pop()
        for r in items:
            if not r["date"]:
                r["date"], r["date_inferred"] = str(int(r["ordinal"]) + k), True


def _without_undated(records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A meeting still without a date names no occurrence one can place ("the first G20 Ministerial",
    "the 76th United Nations General Assembly" of a series with too few dated sessions): it joins the
    dated row of its series and number where there is one, and is no row of its own."""
    dated = {(r["mechanism"], r["ordinal"]): r for r in records if r["date"] and r["ordinal"] is not None}
    kept = []
    for r in records:
        if r["date"]:
            kept.append(r)
        elif r["ordinal"] is not None and (r["mechanism"], r["ordinal"]) in dated:
            dated[(r["mechanism"], r["ordinal"])]["sources"].extend(r["sources"])
    return kept


def _venue_from_adopted_documents(records: list[dict[str, Any]], store: Store) -> None:
    """A meeting that adopted a document, with no venue of its own, is placed where a milestone of the
    same year says that document was agreed ('the Plan of Action ... in Kuala Lumpur, Malaysia')."""
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    events = load_facts(store, "event")
    for r in records:
        if r["city"] or r["country"] or not r["documents_adopted"] or not r["date"]:
            continue
        for doc in r["documents_adopted"]:
            key = doc.lower()
            for e in events:
                v = e.value
                if str(v["date"])[:4] != str(r["date"])[:4] or key not in v["label"].lower():
                    continue
                places = [name for name in v.get("entities", []) if g.country_of_place(name)]
                if len(places) == 1:
                    r["city"], r["country"] = places[0], g.country_of_place(places[0])
                    r["venue_inferred"] = True
                    r["sources"].append(source(e))
                    break
            if r["city"]:
                break


def resolve_meetings(store: Store) -> list[dict[str, Any]]:
    facts = load_facts(store, "meeting")
    by_mechanism: dict[str, list[FactRow]] = defaultdict(list)
    undated = [f for f in facts if f.value.get("undated")]
    for f in facts:
        if not f.value.get("undated"):
            by_mechanism[f.value["mechanism"]].append(f)
    grouped = {mech: _group(by_mechanism[mech]) for mech in sorted(by_mechanism)}
    _join_special_meetings(grouped)
    _join_meetings_during_summits(grouped)
    _join_leaders_meetings_and_summits(grouped)
    for items in grouped.values():
        _join_inferred(items)
    _place_undated(grouped, undated)
    records = [_merge(group) for mech in sorted(grouped) for group in grouped[mech]]
    _apply_held_at(records)
    _infer_series_years(records)
    records = _without_undated(records)
    _venue_from_adopted_documents(records, store)
    place_participants(records, store)
    texts: dict[str, str] = {}
    for r in records:
        for s in r["sources"]:
            if s.get("quote") is None:
                doc_id = s.pop("document_id")
                if doc_id not in texts:
                    texts[doc_id] = store.document_text(doc_id) or ""
                s["quote"] = texts[doc_id][s["start"] : s["end"]]
        r["id"] = record_id("meeting", r["mechanism"], r["ordinal"], r["date"] if r["ordinal"] is None else None)
    records.sort(key=lambda r: (str(r["date"] or "9999"), r["mechanism"], r["ordinal"] or 0))
    return records
