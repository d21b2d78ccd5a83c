"""Figures: money, counts with their unit and percentages, with what they measure, their year or
period, who claims them and whether they are a target or an actual amount.

"The ROK-ASEAN bilateral trade grew from US$38.7 billion in 2003 to US$149 billion in 2017" gives
two trade figures; "the pledge ... to donate 500 million vaccine doses" a target count of doses;
"Twenty-three Allies are meeting ... two percent of GDP" a count of Allies and a percentage. A
count is a figure only when its noun is a counted unit of ``data/figures.yaml`` (doses, troops,
schools, deals ...), so years, ages, clock times, list numbers and legal citations are none.
The quote of a figure is its sentence.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.extract.prefilter import required_literals
from communique.keywords import matches_at
from communique.model import Document, Fact

__all__ = ["extract_figures"]

_WORD = r"[\w’'&.-]+"
# words that end the run between a number and its counted noun ("2 million rounds", not "2 of the rounds")
_NOT_MODIFIER = frozenset("""in to for by from with on at over since per than this that which who was were is are
    will have has had and or of the a an their its our his her as into under about after before during through
    year years month months week weeks day days hour hours""".split())
# "our two countries", "both three": a small number after a determiner describes, it does not count
_DESCRIBED = re.compile(r"(?:our|their|your|both|these|those|the|its|all)\s+$", re.I)
_MEASURED_STOP = frozenset("""to for from by through that which who over across with in on at as and or since
    this these is are was were will would has have had including under into than when where while because if
    after before said says said support supports oppose opposed say between now during each per every
    last next specifically respectively directly alone combined""".split())
# the second amount of a range: "from $38.7 billion in 2003 to $149 billion"
_TO_OF_RANGE = re.compile(r"\s+(?:in\s+(?:19|20)\d\d\s+)?to\s+(?:about\s+|nearly\s+|over\s+|almost\s+)?")
# "1 in 10", "one out of five": the number after is a share's denominator
_RATIO = re.compile(r"(?:\b\d+|\b(?:one|One|two|three|four|five))\s+(?:in|out\s+of)\s+$")


@lru_cache(maxsize=1)
def _patterns() -> dict[str, Any]:
    spec = load_data("figures.yaml")
    prefix_symbols = sorted([a for aliases in spec["currencies"].values() for a in aliases if not a[0].isalpha()] +
                            ["US$", "USD", "KRW", "EUR", "JPY", "U.S.$"], key=len, reverse=True)
    suffix_words = sorted([a for aliases in spec["currencies"].values() for a in aliases if a[0].isalpha()],
                          key=len, reverse=True)
    scales = "|".join(sorted(spec["scales"], key=len, reverse=True))
    words = sorted(spec["number_words"], key=len, reverse=True)
    # "twenty-three", "Four hundred (million doses)"
    word_number = rf"(?:(?:{'|'.join(words)})(?:-(?:{'|'.join(words)}))?(?:\s+hundred(?=\s))?)"
    amount = rf"""
        (?P<prefix>{'|'.join(re.escape(p) for p in prefix_symbols)})?\s?     # $, US$, €
        (?P<number>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?             # 1,000 or 2.5
                  |(?P<half>half\sa)|(?<=\s)a(?=\s(?:{scales})\b)              # half a billion, a million
                  |{word_number})                                              # twenty-three
        (?:[\s-]?(?P<scale>{scales})\b|(?<=\d)\s?(?P<abbr>[BMK])(?![\w’']))?     # million, -billion, $14B, $1M
        (?:\s(?P<suffix>{'|'.join(re.escape(w) for w in suffix_words)})\b)?    # dollars, euros
        (?:\s?(?P<percent>%|percent\b|per\scent\b|percentage\spoints?\b))?    # %, percent
    """
    units = sorted(spec["count_units"], key=len, reverse=True)
    cue = lambda items: re.compile(  # noqa: E731
        r"(?<![\w’'])(?:" + "|".join(re.escape(c) for c in sorted(items, key=len, reverse=True)) + r")(?![\w’'])", re.I)
    return {
        "spec": spec,
        "amount": re.compile(rf"(?<![\w.$€,+-]){amount}(?![-–]?\d)", re.VERBOSE | re.IGNORECASE),
        "unit": re.compile(rf"(?P<mods>(?:{_WORD}\s+){{0,4}}?)(?P<unit>{'|'.join(re.escape(u) for u in units)})(?![\w-])"),
        "measures": [(k, re.compile(rf"\b(?:{'|'.join(v)})\b", re.I)) for k, v in spec["measures"].items()],
        # one pattern for all qualifiers, each its own group ("over", "around", "up to", "under")
        "qualifier": re.compile("|".join(
            rf"(?P<q{i}>\b(?:{'|'.join(re.escape(x) for x in sorted(v, key=len, reverse=True))}))\s*$"
            for i, v in enumerate(spec["qualifiers"].values())), re.I),
        "qualifier_names": list(spec["qualifiers"]),
        "target": cue(spec["target_cues"]),
        "actual": cue(spec["actual_cues"]),
        # both kinds of cue in one pass: the last match decides
        "cues": re.compile(r"(?<![\w’'])(?:(?P<t>" + "|".join(re.escape(c) for c in sorted(spec["target_cues"], key=len, reverse=True))
                           + r")|(?P<a>" + "|".join(re.escape(c) for c in sorted(spec["actual_cues"], key=len, reverse=True))
                           + r"))(?![\w’'])", re.I),
        "target_after": re.compile(r"\W*(?:\w+\W+){0,8}?(?:" + "|".join(spec["target_after"]) + r")\b", re.I),
        "words": {k.lower(): v for k, v in spec["number_words"].items()},
        "target_noun": re.compile(r"\W*(?:[\w’'-]+\s+){0,2}?(?:" + "|".join(spec["target_nouns"]) + r")\b", re.I),
        "unit_alias": spec.get("count_unit_aliases") or {},
        "by_year": re.compile(r"\W*(?:[\w’'$€,.%-]+\W+){0,8}?by\s+(?:the\s+end\s+of\s+)?((?:19|20)\d\d)\b", re.I),
    }


_MONTH = r"(?:(?:January|February|March|April|May|June|July|August|September|October|November|December)\s+(?:\d{1,2},?\s+)?)"
_YEAR_NEAR = re.compile(rf"""\b(?:(?:in|by|for|during|through|of|as\sof|until|before|end\sof)\s+(?:the\s+)?
    (?:(?:end|first\shalf|second\shalf)\s+of\s+)?(?:fiscal\s+year\s+|FY\s?)?{_MONTH}?|(?:fiscal\s+year|FY)\s?)
    ((?:19|20)\d\d)\b""", re.I | re.X)
# used with match() at the sentence's start: "In 2024, ... trade totaled $25.9 billion, with exports at ..."
_FRAME_YEAR = re.compile(rf"\W*(?:in|by|for|during|as\sof)\s+(?:fiscal\s+year\s+|FY\s?)?{_MONTH}?((?:19|20)\d\d)\b", re.I)
_PERIOD = re.compile(r"\b(?:from|between)\s+((?:19|20)\d\d)\s+(?:to|and|-|–|through)\s+((?:19|20)\d\d)\b"
                     r"|\bsince\s+((?:19|20)\d\d)\b", re.I)
_CLAUSE_BREAK = re.compile(r";|\s[–—]\s")
# "... project to renovate or construct over 100 hospitals": an infinitive governing the amount
_INFINITIVE = re.compile(r"""\bto\s+(?!(?:the|a|an|its|their|our|his|her|this|that|these|those|date|be)\b)[a-z]+
    (?:\s+or\s+[a-z]+)?\s+(?:(?:over|more|than|at|least|up|to|about|nearly|approximately|an|additional|a|total|of|the)\s+)*$""",
                         re.X)


_FROM_TO = re.compile(r"\bfrom\s+(?:about\s+|nearly\s+|over\s+)?\$?$")
# an amount followed (past its noun phrase) by a verb in the present or past: "... 3.5 million people
# ages 18-34 are on marketplace plans"
_SUBJECT_VERB = re.compile(r"(?:\s+[\w’'-]+){0,6}?\s+(?:are|is|was|were|have|has|had)\b"
                           r"(?!\s+(?:to|expected|projected|set|going|planned|slated|likely|on\s+track)\b)")
_ESTIMATE = re.compile(r"\b(?:estimated|believed|thought|said|reported|known|found|used|able|continue[sd]?|helped)\s+$")


_CURRENCY_OF: dict[tuple[int, str], str | None] = {}  # (spec, token) -> code: two look-ups per amount


def _currency(spec: dict, token: str | None) -> str | None:
    if not token:
        return None
    key = (id(spec), token)
    if key not in _CURRENCY_OF:
        _CURRENCY_OF[key] = _currency_of(spec, token)
    return _CURRENCY_OF[key]


def _currency_of(spec: dict, token: str) -> str | None:
    for code, aliases in spec["currencies"].items():
        if token in aliases or token.upper() == code or token.lower() in [a.lower() for a in aliases]:
            return code
    return None


def _number(p: dict[str, Any], m: re.Match[str]) -> float | None:
    raw = m.group("number")
    if m.group("half"):
        return 0.5
    if raw.lower() == "a":
        return 1.0
    if raw[0].isdigit():
        return float(raw.replace(",", ""))
    head, _, hundred = raw.lower().partition(" ")
    parts = [p["words"].get(w) for w in head.split("-")]
    if not all(x is not None for x in parts):
        return None
    return float(sum(parts)) * (100 if hundred.strip() == "hundred" else 1)  # type: ignore[arg-type]


def _unit(p: dict[str, Any], text: str, end: int, s_end: int, word_number: bool) -> tuple[str, str] | None:
    """The counted noun after a number: ('doses', 'vaccine doses') from '500 million vaccine doses'."""
    after = text[end : min(s_end, end + 80)].lstrip()
    # "2 million rounds of ammunition", "17 million of the doses"; but "one of ASEAN's partners" is no count
    if not word_number and after.startswith("of "):
        after = after[3:].lstrip()
    m = p["unit"].match(after)
    if not m:
        return None
    mods = m.group("mods").split()
    if any(w.lower() in _NOT_MODIFIER or w[:1].isdigit() for w in mods):
        return None
    unit = m.group("unit")
    return p["unit_alias"].get(unit, unit), " ".join(mods + [unit])


# a word of a measured phrase: an abbreviation with its dots ("U.S.", "U.K.") or a plain word
_PHRASE_WORD = r"(?:(?:[A-Z]\.){2,}|[\w’'&-]+)"
# a time, not what is measured: "$40 billion in the next 10 years", "in the past decade", "in the first
# quarter", "in fiscal year 2024"
_TIME_PHRASE = re.compile(r"""^(?:the\s+)?(?:(?:next|last|past|coming|following|previous|same)\b
    |(?:first|second|third|fourth|final)\s+(?:\w+\s+)?(?:years?|months?|weeks?|days?|decades?|quarters?|half|hours?)\b
    |(?:fiscal|calendar)\s+years?\b|FY\b)""", re.X | re.I)


# words a measured phrase does not end on: it was cut before its noun
_DANGLING = frozenset("the a an its their our his her all much many some any total of".split())


def _measured(text: str, end: int, hi: int) -> str | None:
    """The noun phrase an amount is 'in' or 'of': '$1 billion in new humanitarian assistance'."""
    m = re.match(r"\s+(?:in|of|for|toward|towards|worth\s+of)\s+((?:" + _PHRASE_WORD + r"\s*){1,8})", text[end:hi])
    if not m:
        return None
    words = []
    for w in m.group(1).split():
        if w.lower() in _MEASURED_STOP or not re.fullmatch(_PHRASE_WORD, w):
            break
        words.append(w)
    if words and all(re.fullmatch(r"(?:19|20)\d\d", w) for w in words):
        return None  # "a maximum of $1,200 in 2020": a year, not what is measured
    if _TIME_PHRASE.match(" ".join(words)):
        return None
    while words and words[-1].lower() in _DANGLING:  # "the" of "in the next decade", "its" of "its U.S. ..."
        words.pop()
    return " ".join(words) or None


# the noun an amount modifies: "a nearly $4 million grant", "a $200 million Childcare Incentive Fund"
_NOUN_AFTER = re.compile(r"[ \t]*-?[ \t]*((?:[A-Za-z][\w’'&-]*[ \t]+){0,3}[A-Za-z][\w’'&-]*)")
# words after an amount that compare or describe it rather than name what it measures ("$1,400 more",
# "100% secure", "a 64 percent increased risk", "nearly $3,000 they lost")
_NOT_NOUN_AFTER = re.compile(r"(?:more|less|fewer|below|above|higher|lower|secure|total|just|only|annually|so|too|"
                             r"last|next|each|apiece|alone|available|"
                             # a verb's participle: "$100 billion going into", "$5 billion starting in 2025"
                             r"going|coming|starting|beginning|following|according|being|trying|investing|paying|"
                             r"working|relying|extending|expanding|helping|making|bringing|flowing|heading|"
                             r"\w+ed|\w+ly|\w+er)$", re.I)
# the subject an amount is the value of: "inflation was 9.1 percent", "unemployment fell to 3.4 percent"
_SUBJECT_OF = re.compile(r"""((?:[A-Za-z][\w’'&-]*\s+){0,5}?[A-Za-z][\w’'&-]*)\s+
    (?:(?:(?:was|were|is|are|has\s+been)\s+)?(?:down|up)(?:\s+by)?|was|were|is|are|has\s+been|rose\s+to|fell\s+to|
       dropped\s+to|grew\s+to|increased\s+to|decreased\s+to|declined\s+to|reached|totaled|totalled|hit|stood\s+at|
       (?:rose|fell|dropped|grew|increased|decreased|declined|surged|surging|jumped|plunged|plummeted)(?:\s+by)?|of)\s+
    (?:(?:about|nearly|over|almost|roughly|approximately|just|more\s+than|less\s+than|only|down|up)\s+)?$""", re.X)
# a pronoun, a number or a qualifier is no measure: "$800 million in it", "$127 billion for nearly 3.6 million"
_NOT_MEASURED = re.compile(r"(?:it|them|this|that|those|these|nearly|about|over|more|almost|approximately|roughly|up|"
                           r"just|only|around)$", re.I)
_CLAUSE_WORDS = frozenset("the a an its our their his her but that which who when where while because if as "
                          "since than know said says".split())
_NAMED_FUND = re.compile(r"\b(?:Fund|Program|Programme|Initiative|Facility|Partnership|Plan|Grant|Loan|Law|Act)$")
# a law or plan the amount is in is where it comes from, not what it measures ("$13 billion in the
# Bipartisan Infrastructure Law"; "$10 billion in American Rescue Plan funding" measures the funding)
_LAW = re.compile(r"(?:the\s+)?(?:[A-Z][\w’'&.-]*\s+){1,6}(?:Act|Law|Plan|Bill)(?:\s+[a-z]+ly)?")
_PRONOUN = frozenset("it this that there they we he she which what who these those its their our his her".split())


def _bare(word: str) -> str:
    """A word without case and a contracted verb: "That’s" -> "that"."""
    return re.sub(r"[’'](?:s|re|ve|ll|d)$", "", word.lower())


def _place_name(phrase: str) -> bool:
    """A phrase that names a state or a place: where the amount is, not what it measures."""
    from communique.extract.gazetteer import gazetteer

    g = gazetteer()
    bare = re.sub(r"^(?:the|The)\s+", "", phrase)
    return bare in g.alias_state or g.entity_kind.get(bare) in ("state", "place") or bare in g.city_country


def _measured_phrase(text: str, lo: int, start: int, end: int, hi: int) -> str | None:
    """What an amount measures, for the record: the noun phrase it is "in", "of" or "for" unless
    that is a place ("9.1 percent in the United States"), else the noun it modifies ("a $4 million
    grant"), else the subject it is the value of ("inflation was 9.1 percent")."""
    measured = _measured(text, end, hi)
    if measured:  # up to a number of its own: "74 percent of adults 40 and over"
        measured = " ".join(itertools.takewhile(lambda w: not re.fullmatch(r"\d[\d.,]*", w), measured.split()))
    if measured and not _place_name(measured) and not _NOT_MEASURED.match(measured) and not _LAW.fullmatch(measured):
        return measured
    m = _NOUN_AFTER.match(text, end, hi)
    # a capitalised name after an amount is what it measures only when it names a fund or a programme
    if m and (m.group(1)[:1].islower() or _NAMED_FUND.search(m.group(1))) and \
            not _NOT_NOUN_AFTER.match(m.group(1).split()[0]) and m.group(1).split()[0].lower() not in _PRONOUN:
        words = []
        for w in m.group(1).split():
            if w.lower() in _MEASURED_STOP or w.lower() in _NOT_MODIFIER or w.lower() in ("off", "a", "an", "but", "yet", "so"):
                break
            words.append(w)
        if words and not re.fullmatch(r"(?:19|20)\d\d", words[0]):
            return " ".join(words)
    b = _SUBJECT_OF.search(text, max(lo, start - 80), start)
    if b:
        words = b.group(1).split()
        # the noun phrase after the last word that starts another ("At its peak, as you all know,
        # inflation" -> "inflation"), to its head ("Sales at restaurants and bars" -> "Sales")
        cut = max((i + 1 for i, w in enumerate(words) if _bare(w) in _PRONOUN or _bare(w) in _CLAUSE_WORDS), default=0)
        words = words[cut:]
        head = next((i for i, w in enumerate(words) if w.lower() in _MEASURED_STOP or w.lower() in _NOT_MODIFIER), len(words))
        words = words[:head]
        if words and not _place_name(" ".join(words)):
            return " ".join(words)
    return None


# a verb in the past right before an amount, past its qualifiers: "gained 10,000", "invested over $243 million"
_PAST_VERB = re.compile(r"\b([a-z]{3,}ed)\s+(?:(?:about|nearly|over|more\s+than|at\s+least|an\s+additional|additional|"
                        r"a\s+total\s+of|roughly|approximately|almost|some|around|just)\s+)*\$?$")
_NOT_FUTURE = re.compile(r"\s+(?:the|a|an|my|our|your|their|his|her|its|this|that|those|these)\b", re.I)


@lru_cache(maxsize=1)
def _cue_starts() -> re.Pattern[str]:
    """Where a cue of ``_patterns()["cues"]`` may start: a cue's first letter (compared without case,
    as the cues are) with no word character or apostrophe before it. It opens with the letter, so
    the engine looks only where such a letter is; the cue pattern opens with a look-behind and its
    many alternatives would be tried at every character."""
    spec = load_data("figures.yaml")
    firsts = sorted({c[0] for c in [*spec["target_cues"], *spec["actual_cues"]]})
    return re.compile("[" + "".join(re.escape(c) for c in firsts) + r"](?<![\w’'].)", re.I)


def _cue_matches(p: dict[str, Any], text: str, lo: int, hi: int) -> Iterator[re.Match[str]]:
    """What ``p["cues"].finditer(text, lo, hi)`` gives: the cue pattern tried only where a cue may start."""
    cues, cursor = p["cues"], lo
    for start in _cue_starts().finditer(text, lo, hi):
        at = start.start()
        if at < cursor:
            continue
        m = cues.match(text, at, hi)
        if m and m.end() > at:
            cursor = m.end()
            yield m


def _last_cue(p: dict[str, Any], text: str, lo: int, hi: int) -> re.Match[str] | None:
    """The last target or actual cue in ``text[lo:hi]``; "going to" before a noun phrase is no
    future ("the vast majority of that going to the top 1 percent")."""
    last = None
    for cue in _cue_matches(p, text, lo, hi):
        if cue.group().lower() != "going to" or not _NOT_FUTURE.match(text, cue.end()):
            last = cue
    return last


def _target(p: dict[str, Any], text: str, s_start: int, lo: int, start: int, end: int, hi: int,
            qualifier: str | None) -> bool:
    """Target or actual from the sentence's grammar: the cue nearest before the amount decides
    ("will provide", "aims to mobilize" against "has disbursed", "totaled"); a deadline after it
    ("by 2027", "to be deployed") or "up to" makes it a target."""
    before = text[max(lo, start - 300):start]
    infinitive = _INFINITIVE.search(before[-60:])
    if infinitive and _ESTIMATE.search(before[-60:], 0, infinitive.start()):
        infinitive = None  # "China is estimated to control 85 percent": an estimate of what is
    if qualifier == "up to" or infinitive or p["target_noun"].match(text, end) \
            or p["target_after"].match(text, end, hi):
        return True
    if _FROM_TO.search(before[-20:]) and re.match(r"\s+to\s+\$?\d", text[end:end + 8]):
        return False  # "its price cut from $202 to $30": the amount it was
    subject = _SUBJECT_VERB.match(text, end, hi)
    if subject and not p["cues"].search(before[-40:]):
        return False  # "60 percent of Americans have had COVID": the amount is the subject of a finite verb
    verb = _PAST_VERB.search(before[-60:])
    if verb and not p["target"].fullmatch(verb.group(1)):
        return False  # "the U.S. gained 10,000 manufacturing jobs": a past verb governs the amount
    last = _last_cue(p, before, 0, len(before))
    if last is None and not _CLAUSE_BREAK.match(text, lo - 1) and lo > s_start:
        last = _last_cue(p, text, max(s_start, start - 140), lo)  # no cue in its clause: the sentence's
    measured = _measured(text, end, hi)
    if measured and p["target"].search(measured):  # "$15 billion in commitments"
        return True
    return last is not None and last.group("t") is not None


# a state or organisation after one of these words is where the amount goes or what it is about
# ("$2.7 billion to Ukraine", "programming in Guatemala"), not who states or pledges it
_OBJECT_OF = re.compile(r"(?:\b(?:to|in|into|for|from|with|of|across|against|on|at|toward|towards|between|among|"
                        r"throughout|within|by|than|over|about|around|like|including|and|or|is|are|was|were|New)\s+(?:the\s+)?)$",
                        re.I)
# ... or a state that only describes a noun: "U.S.-based Energy Capital Partners", "U.S. citizens"
_TABLE_AMOUNTS = re.compile(r"\$\s?\d")
_FROM = re.compile(r"\s+(?:in\s+[\w\s-]{0,30}?\s+)?from\s+(?:the\s+)?")
_MODIFIER_AFTER = re.compile(r"-(?:based|owned|led|made|funded)\b|\s+[a-z]")


def _claimant(analysis: Analysis, s_start: int, start: int, end: int, s_end: int) -> str | None:
    """Who states or pledges the amount: the nearest state or organisation before it in the
    sentence that is a subject ("The United States will provide", "Japan's pledge of"), not the
    object of a preposition ("to Ukraine", "in the United States") nor a noun's modifier
    ("U.S.-based companies"); None when the sentence names no such party before the amount."""
    text = analysis.text
    if len(_TABLE_AMOUNTS.findall(text, s_start, min(s_end, s_start + 2000))) >= 6 and \
            not re.search(r"\b(?:will|has|have|is|are|was|were)\b", text[s_start:start][-200:]):
        return None  # a table's rows run together: "Alabama $41,305,882 $56,406,127 ... New Mexico $..."
    parties = [e for e in analysis.within(analysis.entities, s_start, s_end) if e.kind in ("state", "organisation")]
    source = _FROM.match(text, end)
    if source:  # "$3.3 million from the International Finance Corporation": who provides it
        named = next((e for e in parties if e.start == source.end()), None)
        if named:
            return named.name
    for e in reversed([e for e in parties if e.end <= start]):
        if e.end > start or _OBJECT_OF.search(text, max(s_start, e.start - 12), e.start):
            continue
        after = text[e.end:e.end + 12]
        if _MODIFIER_AFTER.match(after) and not re.match(r"\s+(?:will|would|has|have|had|is|are|was|were|and|also|"
                                                         r"announced|pledged|committed|provided|plans?|intends?|"
                                                         r"aims?|expects?|seeks?|[a-z]+ed|[a-z]+s)\b", after):
            continue
        return e.name
    return None


def _year(p: dict[str, Any], text: str, lo: int, start: int, end: int, hi: int, s_start: int,
          s_end: int) -> tuple[str | None, str | None]:
    """(year, period) attached to the amount in its clause, else a deadline shared with the amounts
    after it ("1 million homes and 4,000 schools by 2027"), else a year that frames the sentence."""
    if not _ANY_YEAR.search(text, lo, hi):  # most clauses hold no year at all
        frame = _FRAME_YEAR.match(text, s_start)
        deadline = p["by_year"].match(text, end, s_end)
        return (deadline.group(1) if deadline else frame.group(1) if frame else None), None
    pm = _PERIOD.search(text, lo, hi)
    candidates = [(abs(m.start() - end) if m.start() >= end else start - m.end(), m.group(1), _since(text, end, m.start()))
                  for m in _YEAR_NEAR.finditer(text, lo, hi)]
    if candidates:
        _, year, since = min(candidates)
        return (None, f"{year}/") if since else (year, None)
    if pm:
        return None, (f"{pm.group(1)}/{pm.group(2)}" if pm.group(1) else f"{pm.group(3)}/")
    deadline = p["by_year"].match(text, end, s_end)
    if deadline:
        return deadline.group(1), None
    frame = _FRAME_YEAR.match(text, s_start)
    return (frame.group(1), None) if frame else (None, None)


_ANY_YEAR = re.compile(r"(?:19|20)\d\d")
_SINCE = re.compile(r"\bsince\b", re.I)


def _since(text: str, end: int, year_at: int) -> bool:
    """A year after the amount in a "since" clause starts a period ("360,000 students ... since the
    shooting at Columbine in 1999"): it is no year of the amount."""
    return year_at >= end and bool(_SINCE.search(text, max(end, year_at - 80), year_at))


def _starts(analysis: Analysis) -> list[int]:
    """Where an amount may start, from the keyword scan: a run of digits (the scan's date starts) or
    the currency prefix before it ("$", "US$", "€ 40", "USD 5"), and a number written in words, so
    the grammar is not tried at every character."""
    text = analysis.text
    out = set(analysis.hits.number)
    for d in analysis.hits.date:
        if not text[d : d + 1].isdigit():
            continue  # a month or a relative word
        out.add(d)
        if d and text[d - 1] in "€¥₩":
            out.add(d - 1)
        elif d > 1 and text[d - 1] == " " and text[d - 2] in "€¥₩$":
            out.add(d - 2)
        elif d > 3 and text[d - 4 : d - 1] in ("EUR", "JPY", "USD", "KRW"):
            out.add(d - 4)
    for a, _ in analysis.hits.money:
        out.add(a)
        if text[a] == "$":
            out.update(a - k for k in (2, 3, 4) if a >= k)  # "US$", "US $", "U.S.$"
    return sorted(out)


_FINITE_VERB = re.compile(r"\b(?:will|would|has|have|had|is|are|was|were|provides?|provided|includes?|included)\b")


def _table_row(text: str, s_start: int, s_end: int, starts: list[int]) -> bool:
    """Six amounts or more in one "sentence" with no finite verb between them: the cells of a table
    ("Alabama $41,305,882 $56,406,127 ... Alaska $14,390,003 ...")."""
    if len(starts) < 6:
        return False
    return not _FINITE_VERB.search(text, starts[0], starts[-1])


def extract_figures(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    """Every money amount, percentage and count with a counted unit in the document."""
    analysis = analysis or Analysis(doc)
    p = _patterns()
    spec = p["spec"]
    text = analysis.text
    found: list[tuple[re.Match[str], float, str, str | None]] = []
    for m in matches_at(p["amount"], text, _starts(analysis)):
        number = _number(p, m)
        if number is None:
            continue
        currency = _currency(spec, m.group("prefix")) or _currency(spec, m.group("suffix"))
        scale = (m.group("scale") or "").lower()
        if m.group("abbr") and m.group("prefix"):  # "$0.9 B", "$1M", "$5K"
            scale = {"b": "billion", "m": "million", "k": "thousand"}[m.group("abbr").lower()]
        value = number * spec["scales"].get(scale, 1)
        if m.group("percent"):
            found.append((m, value, "percent", None))
        elif currency:
            found.append((m, value, currency, None))
        else:
            raw = m.group("number")
            if raw[0].isdigit() and not scale and re.fullmatch(r"(?:19|20)\d\d", raw):
                continue  # a year
            if not raw[0].isdigit() and _DESCRIBED.search(text, max(0, m.start() - 8), m.start()):
                continue
            if _RATIO.search(text, max(0, m.start() - 12), m.start()):
                continue  # "1 in 10 rural households" is a share, not ten households
            s_end = analysis.sentence_at(m.start())[1]
            unit = _unit(p, text, m.end(), s_end, word_number=not raw[0].isdigit() and not scale)
            if unit:
                found.append((m, value, unit[0], unit[1]))
    facts: list[Fact] = []
    folded = analysis.folded if found else ""
    # the words one of which each measure's every match holds: a window without one needs no search for it (exact)
    measure_words = [required_literals(pattern) for _, pattern in p["measures"]] if found else []
    by_sentence: dict[tuple[int, int], list[int]] = {}
    for i, (m, *_rest) in enumerate(found):
        by_sentence.setdefault(analysis.sentence_at(m.start()), []).append(i)
    for (s_start, s_end), indexes in sorted(by_sentence.items()):
        if _table_row(text, s_start, s_end, [found[i][0].start() for i in indexes]):
            continue  # a table's cells run together: no clause says what any amount measures
        clause_starts: list[int] = []
        for k, i in enumerate(indexes):
            m, value, unit, counted = found[i]
            start, end = m.start(), m.end()
            # a figure's clause: between its neighbouring amounts, inside the sentence and its ';' parts
            lo = found[indexes[k - 1]][0].end() if k > 0 else s_start
            hi = found[indexes[k + 1]][0].start() if k + 1 < len(indexes) else s_end
            if k > 0 and _TO_OF_RANGE.fullmatch(text, lo, start) and _FROM_TO.search(
                    text, max(s_start, found[indexes[k - 1]][0].start() - 20), found[indexes[k - 1]][0].start()):
                lo = clause_starts[-1]  # "trade grew from $38.7 billion in 2003 to $149 billion": one clause
            breaks_before = [b.end() for b in _CLAUSE_BREAK.finditer(text, lo, start)]
            lo = breaks_before[-1] if breaks_before else lo
            clause_starts.append(lo)
            brk = _CLAUSE_BREAK.search(text, end, hi)
            hi = brk.start() if brk else hi
            before = text[max(s_start, start - 60) : start]
            qm = p["qualifier"].search(before)
            qualifier = p["qualifier_names"][int(qm.lastgroup[1:])] if qm and qm.lastgroup else None
            year, period = _year(p, text, lo, start, end, hi, s_start, s_end)
            # what it measures: the words of its own clause next to it ("$3.5 billion investment",
            # "$1 billion in assistance"), not a cue of another amount's clause of the sentence
            measured = counted or _measured_phrase(text, lo, start, end, hi)
            if measured and unit == "percent":
                measure = next((k2 for k2, pattern in p["measures"] if pattern.search(measured)), "amount")
            else:
                w_start, w_end = max(lo, start - 60), min(hi, end + 60)
                window, folded_window = text[w_start:w_end], folded[w_start:w_end]
                measure = next((k2 for (k2, pattern), words in zip(p["measures"], measure_words)
                                if (words is None or any(w in folded_window for w in words)) and pattern.search(window)),
                               "amount")
            target = _target(p, text, s_start, lo, start, end, hi, qualifier)
            scale = (m.group("scale") or "").lower() or ({"b": "billion", "m": "million", "k": "thousand"}[
                m.group("abbr").lower()] if m.group("abbr") and m.group("prefix") else None)
            at = text.find(counted, end, s_end) if counted else -1
            surface_end = at + len(counted) if counted and at >= 0 else end
            facts.append(Fact("figure", {
                "measure": measure, "value": value, "number": _number(p, m), "scale": scale, "unit": unit,
                "counted": counted, "measured": measured,
                "year": year, "period": period, "qualifier": "target" if target and qualifier is None else qualifier,
                "target": target, "claimant": _claimant(analysis, s_start, start, surface_end, s_end),
                "parties": list(dict.fromkeys(e.name for e in analysis.within(analysis.entities, s_start, s_end)
                                              if e.kind in ("state", "organisation"))),
                "surface": text[start:surface_end].strip(), "sentence": [s_start, s_end],
                "quote": text[s_start:s_end][:600],
            }, start, end, "figures.amount"))
    return facts
