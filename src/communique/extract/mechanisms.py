"""Meeting mechanisms named in text: "the 26th ASEAN-ROK Dialogue", "Special ASEAN Plus Three
Summit on COVID-19", "the annual U.S.-ASEAN Summit", with ordinal and canonical name.

The grammar is built from ``data/mechanisms.yaml``: [ordinal] [Special] PARTIES [MODIFIER] KIND
[on TOPIC], where PARTIES are party aliases joined by hyphens, or a named grouping.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from communique.data import load_data

__all__ = ["MechanismMention", "find_mechanisms", "canonical_mechanism", "format_phrases", "ordinal_value", "ordinal_words"]


@dataclass(frozen=True, slots=True)
class MechanismMention:
    start: int  # start of the whole mention, ordinal included
    end: int
    name: str  # canonical mechanism name, e.g. "ASEAN-ROK Summit"
    ordinal: int | None
    parties: tuple[str, ...]
    kind: str
    year: int | None = None  # a year written just before the name: "the 2022 U.S.-ASEAN Summit"


def _alternation(words: list[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@lru_cache(maxsize=1)
def _grammar() -> tuple[re.Pattern[str], dict]:
    spec = load_data("mechanisms.yaml")
    party = _alternation(list(spec["parties"]))
    grouping = _alternation(list(spec["groupings"]))
    kinds = _alternation(list(spec["kinds"]))
    modifiers = _alternation([m for m in spec["modifiers"]])
    words = ordinal_words()
    ordinal_words_re = _alternation(sorted({v for w in words for v in (w, w.capitalize(), w.title())}))
    standalone = _alternation(list(spec["standalone"]))
    pattern = rf"""
        (?:(?P<ordinal>\d{{1,3}})\s*(?:<sup>)?(?:st|nd|rd|th)(?:</sup>)?\s*|(?P<ordinal_word>{ordinal_words_re})\s+)?   # 26th, Second, Twenty-Sixth
        (?:(?:session|edition|meeting|round)\s+of\s+(?:the\s+)?)?  # "the 78th session of the ..."
        
        (?:(?P<year>(?:19|20)\d\d)\s+)?                          # "the 2022 U.S.-ASEAN Summit"
        (?:(?:annual|Annual)\s+)?
        (?P<special>Special\s+)?
        (?:
            (?P<parties>(?:{grouping}|{party})(?:\s?[-–]\s?(?:{party}))*)(?:\s\([A-Z][A-Za-z.]{{1,6}}\))?
            \s+(?:(?P<modifier>{modifiers})\s+)?
            (?P<kind>{kinds})
          | (?P<standalone>{standalone})
          | (?P<trilateral>[Tt]rilateral\s+(?:Leaders['’]\s+)?[Ss]ummit)
        )
        (?P<topic>\s+on\s+(?:COVID-19|[A-Z][\w-]+(?:\s+[A-Z][\w-]+){{0,3}}))?
        (?!\s+(?:Relations|relations|Partner|Partners|Partnership|partner|partners|partnership|[Pp]rocess|[Mm]echanisms?))
    """
    return re.compile(rf"(?<![\w-])(?:{pattern})(?![\w-])", re.VERBOSE), spec


@lru_cache(maxsize=1)
def ordinal_words() -> dict[str, int]:
    """Ordinal words and their values: the data file's, and the compounds of its tens and its first nine
    ("twenty-sixth", "twenty sixth" -> 26)."""
    spec = load_data("mechanisms.yaml")
    words = {w: int(n) for w, n in spec["ordinal_words"].items()}
    units = {w: n for w, n in words.items() if 1 <= n <= 9 and w != "inaugural"}
    for tens, value in spec.get("ordinal_tens", {}).items():
        for unit, n in units.items():
            for joiner in ("-", " "):
                words[f"{tens}{joiner}{unit}"] = int(value) + n
    return words


def ordinal_value(text: str) -> int | None:
    text = text.strip().lower()
    if text in ordinal_words():
        return ordinal_words()[text]
    m = re.match(r"(\d{1,3})", text)
    return int(m.group(1)) if m else None


def canonical_mechanism(parties: list[str], modifier: str, kind: str, special: bool = False, topic: str = "") -> str:
    """'ROK', 'ASEAN' + 'Summit' -> 'ASEAN-ROK Summit' (parties in the order of ``party_order``)."""
    spec = load_data("mechanisms.yaml")
    order = {p: i for i, p in enumerate(spec["party_order"])}
    unique = list(dict.fromkeys(parties))
    unique.sort(key=lambda p: (order.get(p, len(order)), re.sub(r"[^a-z0-9]", "", p.lower())))  # U.K. < U.S. < Ukraine
    name = "-".join(unique)
    if modifier:
        name = f"{name} {modifier}"
    name = f"{name} {kind}"
    if special and modifier != "Special":
        name = f"Special {name}"
        if topic:
            name = f"{name} {topic.strip()}"
    return spec["same_series"].get(name, name)


def format_phrases() -> dict[str, list[str]]:
    return load_data("mechanisms.yaml")["formats"]


# "summit with the Pacific Islands Forum": a partner named after a one-state mention (two words at most)
_WITH_PARTNER = re.compile(r"\s+with\s+(?:the\s+)?(?P<who>[A-Z][\w.+-]*(?:\s+[A-Z][\w.+-]*)?)")


def _states(spec: dict) -> frozenset[str]:
    """The parties that are one state (not a bloc, region or grouping), as written in names."""
    return frozenset(spec.get("state_parties", ()))


_MONTH_BEFORE = re.compile(r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\.?\s+$")
_MEETING_WORD = re.compile(r"summit|dialogue|meeting|forum|committee|council|conference|ministerial|assembly|unga|EAS\b", re.IGNORECASE)


# A mention opens at most a few words before its meeting word ("26th Special ASEAN-ROK ... Summit") and
# its look-ahead reads a few words after it: the grammar is tried only in that window around each one.
_BEFORE, _AFTER = 120, 200


def _candidates(text: str, start: int, end: int, regex: re.Pattern[str], hints: list[tuple[int, int]] | None):
    """Matches tried only near a meeting word, within its line (most lines hold none)."""
    if hints is None:
        hints = [m.span() for m in _MEETING_WORD.finditer(text, start, end)]
    windows: list[list[int]] = []
    for h_start, h_end in hints:
        if h_start < start or h_end > end:
            continue
        line_start = max(start, text.rfind("\n", start, h_start) + 1)
        nl = text.find("\n", h_end, end)
        line_end = end if nl < 0 else nl
        w_start, w_end = max(line_start, h_start - _BEFORE), min(line_end, h_end + _AFTER)
        if windows and w_start <= windows[-1][1]:
            windows[-1][1] = max(windows[-1][1], w_end)
        else:
            windows.append([w_start, w_end])
    for w_start, w_end in windows:
        yield from regex.finditer(text, w_start, w_end)


def find_mechanisms(
    text: str, start: int = 0, end: int | None = None, hints: list[tuple[int, int]] | None = None
) -> list[MechanismMention]:
    """Mechanism mentions in ``text[start:end]``; trilateral summits come without parties.

    ``hints`` are the spans of the meeting words in the text, in order (``communique.keywords.scan``
    finds them); found here when not given."""
    regex, spec = _grammar()
    end = len(text) if end is None else end
    out: list[MechanismMention] = []
    for m in _candidates(text, start, end, regex, hints):
        ordinal = None
        if m.group("ordinal") and _MONTH_BEFORE.search(text, max(0, m.start() - 12), m.start()):
            pass  # "June 14th NATO Summit": a day of the month, not the series' number
        elif m.group("ordinal"):
            ordinal = int(m.group("ordinal"))
        elif m.group("ordinal_word"):
            ordinal = ordinal_words()[m.group("ordinal_word").lower()]
        year = int(m.group("year")) if m.group("year") else None
        special = bool(m.group("special"))
        topic = m.group("topic") or ""
        if m.group("standalone"):
            name = spec["standalone"][m.group("standalone")]
            out.append(MechanismMention(m.start(), m.end("standalone"), name, ordinal, (), name, year))
            continue
        if m.group("trilateral"):
            out.append(MechanismMention(m.start(), m.end("trilateral"), "Trilateral Summit", ordinal, (), "Trilateral Summit", year))
            continue
        raw_parties = [p for p in re.split(r"\s?[-–]\s?(?=\S)", m.group("parties")) if p]
        parties: list[str] = []
        joined = m.group("parties")
        if joined in spec["groupings"]:
            parties = [spec["groupings"][joined]]
        else:
            for piece in raw_parties:
                canon = spec["groupings"].get(piece) or spec["parties"].get(piece)
                if canon is None:
                    break
                parties.append(canon)
            else:
                piece = None
            if len(parties) != len(raw_parties):
                continue
        modifier = spec["modifiers"].get(m.group("modifier") or "", "") if m.group("modifier") else ""
        kind = spec["kinds"][m.group("kind")]
        stop = m.end("kind")
        if len(parties) == 1 and parties[0] in _states(spec):
            # "the second U.S. summit with the Pacific Islands Forum": the partner follows; a state's
            # summit with none named is no series ("the UK Summit on AI Safety" is the UK's own)
            partner = _WITH_PARTNER.match(text, m.end("kind"))
            if partner:
                who = partner.group("who")
                for name_end in (len(who), len(who.split()[0])):  # "the Pacific Islands Forum", "Japan Tuesday"
                    canon = spec["groupings"].get(who[:name_end]) or spec["parties"].get(who[:name_end])
                    if canon and canon not in parties:
                        parties, stop = [*parties, canon], partner.start("who") + name_end
                        break
        if kind == "Council" and len(parties) < 2:
            continue  # "the United States Council for International Business": a body, not a meeting
        if special and not topic:
            modifier, special = "Special", False
        name = canonical_mechanism(parties, modifier, kind, special, topic)
        stop = m.end() if (special and topic) else stop
        out.append(MechanismMention(m.start(), stop, name, ordinal, tuple(parties), kind, year))
    return out
