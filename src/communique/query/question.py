"""Question analysis: the expected answer type and the subject (meeting, entities, year, words)."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from communique.data import load_data
from communique.dates import find_dates
from communique.extract.gazetteer import EntityMention, gazetteer
from communique.extract.mechanisms import MechanismMention, find_mechanisms

__all__ = ["Question", "analyse"]

_WORD = re.compile(r"[A-Za-z0-9][\w'’-]*")
_POSSESSIVE = re.compile(r"['’]s$")


@dataclass
class Question:
    text: str
    answer_type: str
    mechanism: MechanismMention | None
    entities: list[EntityMention]
    years: list[str]
    dates: list[str]
    words: list[str]  # content words, lower-case
    steps: list[str] = field(default_factory=list)  # event kinds the question is about
    phrases: list[str] = field(default_factory=list)  # names the evidence must contain ("Han-River Declaration")
    step_words: list[str] = field(default_factory=list)  # the words that named those kinds ("sign", "join")

    def search_names(self) -> list[str]:
        """The names retrieval searches as phrases: the unknown names, and the name of the meeting
        the question is about as it writes it, without its number ("the Ninth Summit of the
        Americas" -> "Summit of the Americas": rarer as a phrase than its words)."""
        out = list(self.phrases)
        m = self.mechanism
        if m is not None and m.end > m.start:
            name = _NUMBERING.sub("", self.text[m.start : m.end]).strip()
            # once: "Africa Leaders Summit" (unknown) and "U.S.-Africa Leaders Summit" (the meeting) are one name
            if len(name.split()) >= 2 and name[0].isupper() and not any(
                    name.lower() in p.lower() or p.lower() in name.lower() for p in out):
                out.append(name)
        return out


@lru_cache(maxsize=1)
def _spec() -> tuple[list[tuple[str, re.Pattern[str]]], dict[str, list[str]], frozenset[str]]:
    spec = load_data("questions.yaml")
    types = [(t, re.compile(p if p.startswith(".*") else rf"\s*{p}", re.I)) for t, p in spec["answer_types"]]
    return types, spec["steps"], frozenset(spec["stopwords"])


def analyse(text: str) -> Question:
    types, steps, stop = _spec()
    q = text.strip()
    answer_type = "entity"
    for kind, pattern in types:
        if pattern.match(q):
            answer_type = kind
            break
    # a capitalised first word is not a name: "When did Viet Nam join" keeps its entities all the same
    mechanisms = find_mechanisms(q)
    entities = [e for e in gazetteer().find(q) if e.kind not in ("title",)]
    dates = find_dates(q)
    years = sorted({str(d.value)[:4] for d in dates if d.value})
    iso = [str(d.value) for d in dates if d.value]
    words = [w.lower().strip("'’") for w in _WORD.findall(q)]
    content = [w for w in words if w not in stop and len(w) > 1]
    kind, _, head = reader_type(q)
    if kind == "place" and head in content:  # "in which building": the answer is one, the evidence does not say so
        content.remove(head)
    if not mechanisms:
        implied = _implied_mechanism(q, entities)
        if implied is not None:
            mechanisms = [implied]
    phrases = _unknown_names(q, entities, mechanisms)
    kinds: list[str] = []
    step_words: list[str] = []
    # a step is asked in the question's own words, not inside a name ("the Mekong-U.S. Partnership"):
    # outside the names found, and not capitalised as a name's words are
    named = [(e.start, e.end) for e in entities] + [(m.start, m.end) for m in mechanisms if m.end > m.start]
    free = [m.group().lower().strip("'’") for m in _WORD.finditer(q)
            if m.group()[0].islower() and not any(a <= m.start() < b for a, b in named)]
    for w in free:
        for k in steps.get(w, []):
            if w not in step_words:
                step_words.append(w)
            if k not in kinds:
                kinds.append(k)
    if mechanisms and "Trilateral" in mechanisms[0].name and not mechanisms[0].parties:
        g = gazetteer()
        parties = list(dict.fromkeys(g.state_short[e.name] for e in entities if e.kind == "state" and e.name in g.state_short))
        if len(parties) == 3:
            from dataclasses import replace

            from communique.extract.mechanisms import canonical_mechanism

            mechanisms[0] = replace(mechanisms[0], name=canonical_mechanism(parties, "", "Trilateral Summit"),
                                    parties=tuple(parties))
    return Question(q, answer_type, mechanisms[0] if mechanisms else None, entities, years, iso, content, kinds, phrases,
                    step_words)


_KIND_WORD = re.compile(r"\b(summit|dialogue|foreign ministers['’]? meeting|ministerial meeting)\b", re.I)
_ORDINAL = re.compile(r"\b(\d{1,3})(?:st|nd|rd|th)\b")
# a meeting numbered by a cardinal after its round or session word: "round three", "session 2"
_ROUND = re.compile(r"\b(?:round|session)\s+(\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b", re.I)
_CARDINALS = {w: n for n, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}


def _implied_mechanism(q: str, entities: list[EntityMention]) -> MechanismMention | None:
    """'Which Summit of ASEAN and the ROK ...', 'the 24th Dialogue between ASEAN and Korea': the
    mechanism from its kind and the parties named around it."""
    from communique.extract.mechanisms import canonical_mechanism, ordinal_value

    kind = _KIND_WORD.search(q)
    if not kind:
        return None
    g = gazetteer()
    parties = list(dict.fromkeys(g.state_short[e.name] for e in entities
                                 if e.kind in ("state", "organisation") and e.name in g.state_short))
    if len(parties) < 2:
        return None
    words = kind.group(1).lower().replace("’", "'")
    canonical = {"summit": "Summit", "dialogue": "Dialogue", "ministerial meeting": "Ministerial Meeting"}.get(
        words, "Foreign Ministers' Meeting")
    ordinal_match = _ORDINAL.search(q)
    ordinal = int(ordinal_match.group(1)) if ordinal_match else None
    counted = _ROUND.search(q)
    if ordinal is None and counted:
        word = counted.group(1).lower()
        ordinal = int(word) if word.isdigit() else _CARDINALS[word]
    if ordinal is None:
        for word in q.lower().split():
            value = ordinal_value(word) if word.isalpha() else None
            if value and word not in ("first",):
                ordinal = value
                break
    return MechanismMention(kind.start(), kind.end(), canonical_mechanism(parties, "", canonical), ordinal,
                            tuple(parties), canonical)


# the year or ordinal that numbers a meeting ("2022", "Ninth", "10th", "first")
_NUMBERING = re.compile(r"^(?:(?:\d{4}|\d{1,3}(?:st|nd|rd|th)|first|second|third|fourth|fifth|sixth|seventh|eighth|"
                        r"ninth|tenth|eleventh|twelfth|inaugural)\s+)+", re.I)
_NAME_RUN = re.compile(r"[A-Z][\w’'-]*(?:\s+(?:(?:of|on|for|and|the|in|to)\s+)*[A-Z][\w’'-]*)*")
# a run that ends in the first letter of an initialism ("China in the U" of "U.S.-China"): the letter,
# and the words that join it, are no part of a name
_INITIAL_END = re.compile(r"(?:(?:\s+(?:of|on|for|and|the|in|to))*\s+|-)[A-Z]$")


_MONTH_IN_NAME = re.compile(r"(?:['’]s?)?(?:\s+(?:of|on|for|and|the|in|to)\b)*\s*\b(?:January|February|March|April|May|June|July|August|"
                            r"September|October|November|December)\b.*$")


def _unknown_names(q: str, entities: list[EntityMention], mechanisms: list[MechanismMention]) -> list[str]:
    """Capitalised names in the question that no gazetteer entry or mechanism covers."""
    covered = [(e.start, e.end) for e in entities] + [(m.start, m.end) for m in mechanisms]
    out = []
    for m in _NAME_RUN.finditer(q):
        start, end = m.span()
        if start == 0:  # the question word and what it capitalises
            first = m.group(0).split()[0]
            start += len(first)
            while start < end and q[start] == " ":
                start += 1
        name = q[start:end].strip()
        if q[end : end + 1] == ".":
            name = _INITIAL_END.sub("", name)
        name = _POSSESSIVE.sub("", name)  # "William Ruto's inauguration": the name is "William Ruto"
        # a month closes a name: "Brasília on January 1" and "Congress in May 2024" name Brasília and Congress
        month = _MONTH_IN_NAME.search(name)
        if month:
            name = name[: month.start()].strip()
            end = start + len(name)
        if not name:
            continue
        rest = name
        for e in sorted(covered, key=lambda c: c[0], reverse=True):
            if e[0] >= start and e[1] <= end:
                rest = rest[: e[0] - start] + " " * (e[1] - e[0]) + rest[e[1] - start :]
        leftover = [w for w in re.split(r"[\s-]+", rest) if w and w[0].isupper()]
        if leftover and (len(name.split()) >= 2 or "-" in name):
            out.append(name)
    return out


_WH = re.compile(r"\b(what|which|who|whom|whose|when|where|why|how)\b", re.I)
_AUX = frozenset("is was are were did does do has have had can could would will should the a an".split())


@lru_cache(maxsize=1)
def _reader_types() -> list[tuple[str, re.Pattern[str]]]:
    return [(t, re.compile(p, re.I)) for t, p in load_data("questions.yaml")["reader_types"]]


@lru_cache(maxsize=1)
def _head_nouns() -> frozenset[str]:
    return frozenset(load_data("questions.yaml").get("head_nouns", []))


def _named_head(text: str, at: int, most: int = 4) -> str | None:
    """The first of the ``most`` words after the wh-word that is a noun questions ask for by name
    ("What global labor initiative" -> "initiative"), stopping at a verb or auxiliary."""
    rest = re.sub(r"^\s*(?:is|was)\s+the\s+(?:full\s+)?name\s+of\s+(?:the\s+)?", " ", text[at:], flags=re.I)
    for word in re.findall(r"[A-Za-z][\w-]*", rest)[:most]:
        low = word.lower()
        if low in _AUX:
            return None
        if low in _head_nouns():
            return low
    return None


_VERBS = frozenset("is was are were be been being did does do has have had can could would will should may might must".split())


def _in_phrase(words: str) -> bool:
    """The words after a wh-word hold no verb: an auxiliary or a past form ("hosted"; not "USTDA-led")."""
    return not any(w.lower() in _VERBS or w.isalpha() and w.islower() and w.endswith("ed")
                   for w in re.findall(r"[\w'’-]+", words))


@lru_cache(maxsize=4096)
def reader_type(text: str) -> tuple[str, str, str | None]:
    """The reader's expected answer type, the question's wh-word and the noun it asks for.

    'Which river flows through Basel?' -> ('place', 'which', 'river'); 'How many ...' -> ('count', 'how', None).
    """
    wh = _WH.search(text)
    kind = "entity"
    if wh:  # the type is what the first wh-word asks: "What collection moved when ...?" asks no date
        matches = [(m.start(), k, t, m.end()) for k, (t, p) in enumerate(_reader_types()) if t != "entity"
                   for m in [p.search(text, wh.start())] if m]
        first = min(matches, default=None)
        if first is not None and first[0] == wh.start():
            kind = first[2]
            # "Which acting State Department official": of the nouns that end the wh-phrase, the last
            # is its head ("official", not "State"); a noun past a verb is in another phrase ("Which
            # state hosted the president" asks a place, "What program did the Secretary launch" a name)
            phrase = [x for x in matches if x[0] == wh.start() and _in_phrase(text[wh.end():x[3]])]
            if phrase and kind != "list":  # "Which four senior officials": a list, of whatever kind
                kind = max(phrase, key=lambda x: (x[3], -x[1]))[2]
    else:
        kind = next((t for t, p in _reader_types() if p.search(text)), "entity")
    head = None
    m = re.search(r"\b(?:what|which)\s+(?:kind of |type of |sort of |form of )?([a-z]+)(?:\s+([a-z]+))?", text, re.I)
    named = _named_head(text, wh.end()) if wh else None
    if named:
        head = named
    elif m:
        first, second = m.group(1).lower(), (m.group(2) or "").lower()
        head = first if first not in _AUX else None
        if head and second and second not in _AUX and not second.endswith(("ed", "s")) and len(second) > 2:
            head = second if first.endswith(("al", "an", "ern", "ish")) else head  # "which European country"
    return kind, (wh.group(1).lower() if wh else "other"), head
