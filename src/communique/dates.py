"""Dates in running text, with their spans, normalised to ISO 8601 at the stated precision.

Recognised: ``26 August 2020``, ``November 30, 2004``, ``12-13 May 2022``, ``November 25-28, 2019``,
``July 1991``, ``in 2004``, ``2022-05-12``, periods ``2016-2020`` and ``(2021-2025)``, year-less
``on July 1``, and relative ``today``/``next month``/``this year``. A year-less or relative date is
completed from a reference date when one is given, and marked inferred. A day or month that the
text does not give is never invented.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from communique.data import load_data
from communique.keywords import matches_at

__all__ = ["DateMention", "find_dates", "parse_date", "iso", "date_from_metadata"]


class DateMention(NamedTuple):
    start: int
    end: int
    value: str | None  # ISO date, "YYYY-MM", "YYYY", or "START/END"; None if unresolved
    kind: str  # absolute | range | period | year | month | yearless | relative
    inferred: bool = False


def iso(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


@lru_cache(maxsize=1)
def _calendar() -> tuple[dict[str, int], dict[str, tuple[str, int]], re.Pattern[str]]:
    cal = load_data("calendar.yaml")
    months: dict[str, int] = cal["months"]
    relative = {k: (v[0], int(v[1])) for k, v in cal["relative"].items()}
    names = sorted(months, key=len, reverse=True)
    month = r"(?:" + "|".join(names) + r")\.?"
    month_word = r"(?:" + "|".join(n for n in names if len(n) > 3 or n == "may") + r")"
    rel = r"(?:" + "|".join(re.escape(k) for k in sorted(relative, key=len, reverse=True)) + r")"
    year = r"(?:1[89]\d\d|20\d\d)"
    day = r"(?:[0-3]?\d)(?:st|nd|rd|th)?"
    dash = r"\s*[-–—]\s*"
    pattern = rf"""
      (?P<dmy_range>(?P<r1_d1>{day}){dash}(?P<r1_d2>{day})\s+(?P<r1_m>{month}),?\s+(?P<r1_y>{year}))
    | (?P<mdy_range>(?P<r2_m>{month})\s+(?P<r2_d1>{day}){dash}(?P<r2_d2>{day}),?\s+(?P<r2_y>{year}))
    | (?P<dmy>(?P<a_d>{day})\s+(?:of\s+)?(?P<a_m>{month}),?\s+(?P<a_y>{year}))
    | (?P<mdy>(?P<b_m>{month})\s+(?P<b_d>{day}),\s*(?P<b_y>{year}))
    | (?P<mdy_nocomma>(?P<c_m>{month})\s+(?P<c_d>{day})\s+(?P<c_y>{year}))
    | (?P<isodate>(?P<i_y>{year})-(?P<i_m>[01]\d)-(?P<i_d>[0-3]\d))
    | (?P<my>(?P<d_m>{month}),?\s+(?P<d_y>{year}))
    | (?P<period>\(?(?P<p_y1>{year})\s*[-–—/]\s*(?P<p_y2>{year}|\d\d)\)?)
    | (?P<md>(?P<e_m>{month})\s+(?P<e_d>{day})(?!\d))
    | (?P<dm>(?P<f_d>{day})\s+(?P<f_m>{month}))
    | (?P<year>{year})
    | (?P<ago>(?P<ago_n>\d{{1,3}})\s+years?\s+ago)
    | (?P<relative>{rel})
    | (?P<month_only>{month_word})(?![\w-])(?!\s*\d)
    """
    regex = re.compile(rf"(?<![\w-])(?:{pattern})(?![\w])", re.IGNORECASE | re.VERBOSE)
    return months, relative, regex


_MONTH_LEAD = re.compile(r"\b(?:[Ii]n|[Ss]ince|[Bb]y|[Uu]ntil|[Ee]arly|[Ll]ate|[Ss]tarting)\s+(?:early\s+|late\s+|mid-)?$")
# Legal citations and bill numbers whose number reads like a year.
_LEGAL_LEAD = re.compile(
    r"(?:\b(?:H\.\s?R|S|H\.\s?J\.\s?Res|S\.\s?J\.\s?Res|H\.\s?Res|S\.\s?Res|H\.\s?Con\.\s?Res|No|Nos|Pub|L|Stat|Sec|U\.S\.C)\.\s?"
    r"|\b(?:Public Law|Law|Section|section|Order|Proclamation|Resolution|Title|title|Chapter|Act|Rule|Docket|Case)\s+(?:No\.\s?)?"
    r"|§\s?|\bH\.R\.\s?\d+\s*/\s*)$")


def _num(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _valid(year: int, month: int, day: int | None = None) -> bool:
    if not 1 <= month <= 12:
        return False
    if day is None:
        return True
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def _shift(ref: date, unit: str, amount: int) -> str:
    if unit == "day":
        return (ref + timedelta(days=amount)).isoformat()
    if unit == "week":  # the month the week falls in: a week names no day
        day = ref + timedelta(days=7 * amount)
        return iso(day.year, day.month)
    if unit == "month":
        total = ref.year * 12 + ref.month - 1 + amount
        return iso(total // 12, total % 12 + 1)
    return iso(ref.year + amount)


def _reference(ref: str | None) -> tuple[int | None, date | None]:
    """The reference year, and full date when the reference gives a day."""
    if not ref:
        return None, None
    parts = ref.split("/")[0].split("-")
    year = int(parts[0])
    if len(parts) == 3:
        return year, date(year, int(parts[1]), int(parts[2]))
    return year, None


# words of a date's sentence that put it ahead of the document: "will take place the week of January 10th"
_FUTURE = re.compile(r"\b(?:will|shall|next|upcoming|scheduled|planned|plans?\s+to|to\s+be\s+held|expect(?:s|ed)?|"
                     r"look(?:s|ing)?\s+forward)\b", re.I)
# a deadline or a start just before the date: "through December 31", "beginning January 1st"
_UNTIL = re.compile(r"\b(?:by|until|through|starting|beginning)\s+(?:the\s+week\s+of\s+)?$", re.I)
_SENTENCE_END = re.compile(r"[.?!][\"”’]?\s")


def _year_of(text: str, start: int, month: int, day: int, ref_year: int | None, ref_date: date | None) -> int | None:
    """The year of a year-less "January 10": the document's, unless that puts the day most of a year
    away from the document's date: a December day in a January document is last year's, and a
    January day in a December document next year's when the words before it speak of the future."""
    if ref_year is None or not _valid(ref_year, month, day):
        return None
    if ref_date is None:
        return ref_year
    ahead = (date(ref_year, month, day) - ref_date).days
    if abs(ahead) <= 270:
        return ref_year
    lead = text[max(0, start - 60) : start]
    lead = lead[max((m.end() for m in _SENTENCE_END.finditer(lead)), default=0) :]  # the sentence's own words
    future = bool(_FUTURE.search(lead) or _UNTIL.search(lead))
    if ahead > 270 and not future and _valid(ref_year - 1, month, day):
        return ref_year - 1
    if ahead < -270 and future and _valid(ref_year + 1, month, day):
        return ref_year + 1
    return ref_year


def find_dates(text: str, reference: str | None = None, starts: list[int] | None = None) -> list[DateMention]:
    """All dates in ``text``.

    Args:
        text: the text to scan.
        reference: the document's ISO date, used to complete year-less and relative dates.
        starts: where a date may start, in order (``communique.keywords.scan`` finds them); found
            here when not given.
    Returns:
        Mentions in text order; unresolvable relative or year-less ones have ``value=None``.
    """
    months, relative, regex = _calendar()
    ref_year, ref_date = _reference(reference)
    out: list[DateMention] = []
    for m in _candidates(text, regex, starts):
        g = m.groupdict()
        kind = m.lastgroup or ""
        start, end = m.span()
        value: str | None = None
        inferred = False
        if g["dmy_range"] or g["mdy_range"]:
            p = "r1" if g["dmy_range"] else "r2"
            y, mo = int(g[f"{p}_y"]), months[g[f"{p}_m"].lower().rstrip(".")]
            d1, d2 = _num(g[f"{p}_d1"]), _num(g[f"{p}_d2"])
            if _valid(y, mo, d1) and _valid(y, mo, d2) and d1 < d2:
                value, kind = f"{iso(y, mo, d1)}/{iso(y, mo, d2)}", "range"
        elif g["dmy"] or g["mdy"] or g["mdy_nocomma"]:
            p = "a" if g["dmy"] else "b" if g["mdy"] else "c"
            y, mo, d = int(g[f"{p}_y"]), months[g[f"{p}_m"].lower().rstrip(".")], _num(g[f"{p}_d"])
            if _valid(y, mo, d):
                value, kind = iso(y, mo, d), "absolute"
        elif g["isodate"]:
            y, mo, d = int(g["i_y"]), int(g["i_m"]), int(g["i_d"])
            if _valid(y, mo, d):
                value, kind = iso(y, mo, d), "absolute"
        elif g["my"]:
            value, kind = iso(int(g["d_y"]), months[g["d_m"].lower().rstrip(".")]), "month"
        elif g["period"]:
            y1, y2s = int(g["p_y1"]), g["p_y2"]
            y2 = int(y2s) if len(y2s) == 4 else (y1 // 100) * 100 + int(y2s)
            if y1 < y2 <= y1 + 50:
                value, kind = f"{iso(y1)}/{iso(y2)}", "period"
            else:  # two unrelated years: keep the first
                end = m.start("p_y1") + 4
                start = m.start("p_y1")
                value, kind = iso(y1), "year"
        elif g["md"] or g["dm"]:
            p = "e" if g["md"] else "f"
            word = g[f"{p}_m"].lower().rstrip(".")
            if word in ("may", "mar") and p == "e" and not text[start].isupper():
                continue  # "may 5" as a modal verb; "mar" as a verb
            mo, d = months[word], _num(g[f"{p}_d"])
            if d < 1 or d > 31:
                continue
            kind = "yearless"
            year = _year_of(text, start, mo, d, ref_year, ref_date)
            if year is not None:
                value, inferred = iso(year, mo, d), True
        elif g["year"] and _LEGAL_LEAD.search(text, max(0, start - 24), start):
            continue  # "H.R. 1815", "Public Law 2001", "Section 2022": a number in a citation, not a year
        elif g["year"]:
            value, kind = m.group(0), "year"
        elif g["month_only"]:
            # "In April", "since December": the last such month up to the reference (a later month is
            # last year's); only after a preposition and capitalised, so "may" the verb is no month
            if not text[start].isupper() or not _MONTH_LEAD.search(text, max(0, start - 8), start) or ref_year is None:
                continue
            mo = months[g["month_only"].lower()]
            ref_month = ref_date.month if ref_date else 12
            value, kind, inferred = iso(ref_year if mo <= ref_month else ref_year - 1, mo), "month", True
        elif g["ago"]:
            if ref_year is None:
                continue
            value, kind, inferred = iso(ref_year - int(g["ago_n"])), "relative", True  # "28 years ago"
        elif g["relative"]:
            if text[end : end + 2] in ("'s", "’s"):
                continue  # "today's threats": an adjective, not a date
            unit, amount = relative[m.group(0).lower()]
            if ref_date is not None or (ref_year is not None and unit == "year"):
                value = _shift(ref_date or date(ref_year or 1, 1, 1), unit, amount)
                inferred = True
            kind = "relative"
        if value is None and kind not in ("yearless", "relative"):
            continue
        if kind == "relative" and value and len(value) == 4 and out and out[-1].kind == "month" and out[-1].inferred \
                and _OF_YEAR_GAP.fullmatch(text, out[-1].end, start):
            # "in June of last year", "in March this year": the month of that year, one mention
            prev = out.pop()
            out.append(DateMention(prev.start, end, f"{value}{str(prev.value)[4:]}", "month", True))
            continue
        out.append(DateMention(start, end, value, kind, inferred))
    return out


_OF_YEAR_GAP = re.compile(r"\s+(?:of\s+)?")


_STARTS = re.compile(
    r"(?<![\w-])(?=\(?\d|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|today|tonight|yesterday|tomorrow|this|next|last|in a|a year|a decade|one year|two|three|four|five|six|seven|eight|nine|ten|earlier this)\w*\b)",
    re.IGNORECASE)


def _candidates(text: str, regex: re.Pattern[str], starts: list[int] | None):
    """Matches of the full grammar, tried only where a date can start: a digit, a bracket before a
    digit, a month or a relative word. Much faster than letting the grammar scan every character."""
    if starts is None:
        starts = [m.start() for m in _STARTS.finditer(text)]
    return matches_at(regex, text, starts)


def parse_date(text: str) -> str | None:
    """The first complete date of a short string (metadata, a table cell), or None."""
    for mention in find_dates(text):
        if mention.value and mention.kind in ("absolute", "month", "year", "range"):
            return mention.value
    return None


_ISO_PREFIX = re.compile(r"^\s*(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


def date_from_metadata(value: object) -> str | None:
    """Normalise a metadata date ('2022-05-12', '2022-05-12T10:00', date objects, '12 May 2022')."""
    if value is None:
        return None
    if isinstance(value, date):
        return value.isoformat()[:10]
    text = str(value).strip()
    m = _ISO_PREFIX.match(text)
    if m and (len(text) == 4 or text[4:5] in ("-", "")):
        y, mo, d = m.groups()
        if d and _valid(int(y), int(mo), int(d)):
            return iso(int(y), int(mo), int(d))
        if mo and 1 <= int(mo) <= 12:
            return iso(int(y), int(mo))
        return iso(int(y))
    return parse_date(text)
