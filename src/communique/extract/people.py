"""People and their roles: "Deputy Minister for Political Affairs ... Yeo Seung-bae", "Vu Ho,
Acting Leader of ASEAN SOM of ... Viet Nam", "President Moon Jae-in".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.keywords import matches_at
from communique.model import Document, Fact

__all__ = ["PersonRef", "parse_people", "extract_people", "name_like"]


@dataclass(frozen=True, slots=True)
class PersonRef:
    name: str
    title: str | None
    country: str | None
    start: int  # span of the whole descriptor (title and name)
    end: int


# Capitalised words that belong to titles and institutions, never to a person's name.
_NOT_NAME = frozenset(
    """Minister Ministry Deputy Vice Secretary Secretary-General General Director Director-General Permanent
    Affairs Foreign Political Economic Department Office Officials Official Senior Meeting Leader Leaders Acting
    President Prime Ambassador Envoy Special Chair Chairman Co-Chair Representative National Security Advisor
    Adviser Press Chief Staff State Government Republic Kingdom Union Council Commission Committee Centre Center
    Mr Mrs Ms Dr H.E. His Her Excellency The the Of And SOM ASEAN ROK DPRK UN U.S. US Community Member States
    Assistant Under Counsellor Head Heads Trade Defense Defence Commerce Treasury Energy Agriculture Labor
    Homeland Health Finance Justice Interior Education King Queen Sultan Emperor Crown Prince Governor Mayor
    Senator First Lady Second Gentleman Speaker Administrator Spokesperson Spokesman Today Meanwhile During""".split()
)
_TOKEN = r"[A-Z][a-zA-Z'’]*(?:-[A-Za-z][a-z'’]*)*\.?"
_PARTICLE = r"(?:bin|binti|van|von|de|da|del|di|la|le|al|el)"
_NAME = re.compile(rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,4}}")


def name_like(text: str) -> bool:
    """Two to five capitalised words, none of them a title, institution or state word."""
    text = text.strip()
    if not _NAME.fullmatch(text):
        return False
    tokens = [t for t in text.split() if not re.fullmatch(_PARTICLE, t)]
    if not 1 <= len(tokens) <= 5:
        return False
    g = gazetteer()
    if text in g.alias_state or text in g.entity_kind:
        return False
    return not any(t.strip(".,") in _NOT_NAME or t in g.alias_state for t in tokens)


def _trailing_name(text: str) -> tuple[str, str] | None:
    """Split 'Deputy Minister ... Affairs Yeo Seung-bae' into (title, name)."""
    tokens = text.split()
    for cut in range(max(0, len(tokens) - 4), len(tokens)):
        candidate = " ".join(tokens[cut:])
        if cut > 0 and name_like(candidate) and len(tokens[cut:]) >= 2:
            return " ".join(tokens[:cut]), candidate
    return None


def _leading_title_name(text: str) -> tuple[str, str] | None:
    """'President Moon Jae-in' -> ('President', 'Moon Jae-in') using the title list."""
    for title in _titles():
        if text.startswith(title + " "):
            rest = text[len(title) + 1 :].strip()
            if name_like(rest):
                return title, rest
    return None


@lru_cache(maxsize=1)
def _titles() -> list[str]:
    return sorted(gazetteer().titles, key=len, reverse=True)


def _country(analysis: Analysis, start: int, end: int) -> str | None:
    states = [m for m in analysis.within(analysis.entities, start, end) if m.kind in ("state", "demonym")]
    return states[-1].name if states else None


def parse_people(analysis: Analysis, start: int, end: int) -> list[PersonRef]:
    """People described in ``text[start:end]``: descriptors separated by ', and' / ' and '."""
    text = analysis.text
    segment = text[start:end]
    people: list[PersonRef] = []
    # descriptors are joined by ", and" or " and " (not inside "Ministry of Foreign Affairs and Trade")
    cuts = [0]
    for m in re.finditer(r",?\s+and\s+(?=[A-Z])", segment):
        cuts.append(m.start())
        cuts.append(m.end())
    cuts.append(len(segment))
    for i in range(0, len(cuts) - 1, 2):
        d_start, d_end = start + cuts[i], start + cuts[i + 1]
        person = _parse_descriptor(analysis, d_start, d_end)
        if person:
            people.append(person)
    return people


def _parse_descriptor(analysis: Analysis, start: int, end: int) -> PersonRef | None:
    raw = analysis.text[start:end]
    stripped = raw.strip(" ,;.")
    offset = start + raw.find(stripped) if stripped else start
    pieces = [p.strip() for p in re.split(r",\s*", stripped) if p.strip()]
    name = title = None
    for i, piece in enumerate(pieces):
        if name_like(piece) and len(piece.split()) >= 2:
            name = piece
            title = ", ".join(p for j, p in enumerate(pieces) if j != i) or None
            break
    if name is None and pieces:
        split = _leading_title_name(pieces[0]) or _trailing_name(pieces[0])
        if split:
            title, name = split
            extra = ", ".join(pieces[1:])
            title = f"{title}, {extra}" if extra else title
    if not name:
        return None
    if title:
        title = re.sub(r"^(?:the|The)\s+", "", title).strip(" ,")
    return PersonRef(name, title or None, _country(analysis, start, end), offset, offset + len(stripped))


_OF_STATE = re.compile(r",?\s+of\s+(?:the\s+)?")


def _adjacent_country(analysis: Analysis, start: int, end: int) -> str | None:
    """'South Korean President Moon' or 'President Yoon of the Republic of Korea' -> the state."""
    before = [m for m in analysis.within(analysis.entities, max(0, start - 30), start) if m.kind in ("demonym", "state")]
    if before and not analysis.text[before[-1].end : start].strip():
        return before[-1].name
    m = _OF_STATE.match(analysis.text, end)
    if m:
        after = [e for e in analysis.within(analysis.entities, end, end + 80) if e.kind == "state"]
        if after and after[0].start <= m.end():  # "of the Republic of Korea" (an alias may hold "the")
            return after[0].name
    return None


@lru_cache(maxsize=1)
def _title_name_pattern() -> re.Pattern[str]:
    titles = "|".join(re.escape(t) for t in _titles())
    return re.compile(rf"(?<![\w-])(?P<title>{titles})\s+(?P<name>{_TOKEN}(?:\s+{_TOKEN}){{0,3}})")


def _title_matches(analysis: Analysis) -> Iterator[re.Match[str]]:
    """The pattern's matches, as ``finditer`` would give them, tried only where a title starts."""
    return matches_at(_title_name_pattern(), analysis.text, analysis.hits.title)


def extract_people(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    """Roles attested in the document: title + name, with the document's date as attested date."""
    analysis = analysis or Analysis(doc)
    facts: list[Fact] = []
    seen: dict[tuple[str, str], Fact] = {}
    for m in _title_matches(analysis):
        name_tokens = m.group("name").split()
        # trim trailing words that are not part of a name ("President Moon Jae-in Said")
        while name_tokens and not name_like(" ".join(name_tokens)):
            name_tokens.pop()
        if not name_tokens:
            continue
        name = " ".join(name_tokens)
        title = m.group("title")
        key = (name, title)
        end = m.start("name") + len(name)
        country = _adjacent_country(analysis, m.start(), end)
        if key in seen:
            if country and not seen[key].value["country"]:  # a later mention says whose title it is
                seen[key].value["country"] = country
            continue
        fact = Fact("role", {"name": name, "title": title, "organisation": None, "country": country,
                             "date": doc.date}, m.start(), end, "people.title_name")
        seen[key] = fact
        facts.append(fact)
    return facts
