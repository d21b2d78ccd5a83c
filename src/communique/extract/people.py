"""People and their roles: "Deputy Minister for Political Affairs ... Yeo Seung-bae", "Vu Ho,
Acting Leader of ASEAN SOM of ... Viet Nam", "President Moon Jae-in".
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache

from communique.data import load_data
from communique.extract.analysis import Analysis
from communique.extract.gazetteer import gazetteer
from communique.keywords import matches_at
from communique.model import Document, Fact

__all__ = ["PersonRef", "parse_people", "extract_people", "name_like", "verb_in_text"]


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
    Mr Mrs Ms Dr Madam Sir H.E. His Her Excellency The the Of And SOM ASEAN ROK DPRK UN U.S. US Community Member States
    Assistant Under Counsellor Head Heads Trade Defense Defence Commerce Treasury Energy Agriculture Labor
    Homeland Health Finance Justice Interior Education King Queen Sultan Emperor Crown Prince Governor Mayor
    Senator First Lady Second Gentleman Speaker Administrator Spokesperson Spokesman Today Meanwhile During
    Park Airport Street Avenue Road Square Bridge Building Hall Tower Center Centre University College School
    Hospital Museum Library Stadium Institute International Foundation Airlines Airways Bank Fund City Port Island Islands
    Honorable Honourable Hon. Excellencies Congressman Congresswoman Chairperson Chairwoman Designate Elect United
    En Route Headquarters Campaign""".split()
)
# words before a title that belong to it, not to the organisation between a name and its title
# ("Rob Knake as Deputy National Cyber Director" is a Deputy Director)
_RANK = frozenset("Deputy Senior Assistant Principal Associate Executive Chief Special Acting".split())
def _latin_capitals() -> str:
    """Every upper-case Latin letter, accented ones included ("Á", "Ö", "Ş"), as a class body."""
    import unicodedata

    return "".join(chr(c) for c in range(0x41, 0x250) if chr(c).isupper() and "LATIN" in unicodedata.name(chr(c), ""))


_CAP = f"[{_latin_capitals()}]"
_LOW = r"[^\W\d_]"  # any letter: "Inácio", "Erdoğan", "Díaz"
# a capitalised word of a name: "Jae-in", "O’Brien", an initial "R." or "Jr."; a full stop after a
# longer word ends the sentence ("Ruto. But"), and a possessive ends the name ("Biden’s call")
_TOKEN = rf"(?:{_CAP}\.|(?:Jr|Sr|St)\.|{_CAP}{_LOW}*(?:['’]{_LOW}+)?(?<!['’]s)(?:-{_LOW}+)*)"
_PARTICLE = r"(?:bin|binti|van|von|de|da|del|di|la|le|al|el)"
_PARTICLE_RE = re.compile(_PARTICLE)
_NAME = re.compile(rf"{_TOKEN}(?:\s+(?:{_PARTICLE}\s+)?{_TOKEN}){{0,4}}")


def name_like(text: str) -> bool:
    """Two to five capitalised words, none of them a title, institution or state word."""
    text = text.strip()
    if not _NAME.fullmatch(text):
        return False
    tokens = [t for t in text.split() if not _PARTICLE_RE.fullmatch(t)]
    if not 1 <= len(tokens) <= 5:
        return False
    g = gazetteer()
    if text in g.alias_state or text in g.entity_kind:
        return False
    return not any(t.strip(".,") in _NOT_NAME or t in g.alias_state or t.split("-")[0] in _NOT_NAME
                   or (t.endswith("s") and t[:-1] in _NOT_NAME) for t in tokens)


def verb_in_text(token: str, text: str, suffixes: tuple[str, ...] = ("s", "ed", "ing")) -> bool:
    """A capitalised word of a name that is a verb's form the text also writes in lower case
    ("Announces" beside "announced", "Authorized" beside "authorized"): a headline's verb."""
    low = token.lower()
    if not low.isalpha() or len(low) < 5 or not low.endswith(suffixes):
        return False
    base = re.sub(r"(?:ing|ed|es|s)$", "", low)
    # the stem itself first (a fast find): the pattern, tried at every character of the text, is slow
    return len(base) >= 3 and base in text and \
        re.search(rf"(?<![\w-]){re.escape(base)}e?(?:s|d|ed|es|ing)?(?![\w-])", text) is not None


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
    gap = analysis.text[before[-1].end : start] if before else "x"
    # "President Serdar Berdimuhamedov of Turkmenistan President Joseph R. Biden": the state is the previous person's
    owned = bool(before) and re.search(r"\bof\s+(?:the\s+)?$", analysis.text[max(0, before[-1].start - 10):before[-1].start])
    if not gap.strip() and "\n" not in gap and not owned:  # "Brazil\n\nPresident Biden": a headline's end, not his state
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
    return re.compile(rf"(?<![\w-])(?P<title>{titles})[ \t]+(?P<name>{_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOKEN}){{0,4}})")


def _title_matches(analysis: Analysis) -> Iterator[re.Match[str]]:
    """The pattern's matches, as ``finditer`` would give them, tried only where a title starts."""
    return matches_at(_title_name_pattern(), analysis.text, analysis.hits.title)


# a word before a title that says the person no longer, or not yet fully, holds it ("then-U.S.
# Senator Joseph R. Biden Jr." is a former Senator at the document's date)
_STATUS = re.compile(r"(?:^|[^\w-])(former|acting|outgoing|late|then)(?:\s+|-)(?:U\.S\.\s+)?$", re.I)
_STATUS_WORD = {"then": "former"}
# a rank or order written before a title is part of it: "Deputy Secretary of Defense Kathleen Hicks"
# is no Secretary of Defense, "First Minister Arlene Foster" no Minister
_TITLE_RANK = re.compile(r"(?<![\w-])(?:[Dd]eputy|Assistant|Principal|First|Second|Vice|Senior|Associate|Executive|"
                         r"Chief|Lieutenant)[ \t]+$")
# words that open a signature line before the signer's name
_SIGNATURE_WORDS = frozenset({"Signed", "Approved", "Attested", "Sincerely", "Respectfully"})
_MONTHS = frozenset("January February March April May June July August September October November December".split())
# "of the United States. And": a full stop after a longer word ends the place
_OF_PLACE = re.compile(rf"\s+of\s+(?:the\s+)?((?:{_CAP}(?:[\w’'&-]|\.(?=\w))*)(?:[ \t]+(?:of[ \t]+|and[ \t]+)?{_CAP}(?:[\w’'&-]|\.(?=\w))*){{0,4}})")
_HONORIFIC = r"(?:(?:Mr|Mrs|Ms|Dr)\.?\s+)?"


@lru_cache(maxsize=1)
def _later_title_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """Names before their title ("Scott Bessent, Secretary of the Treasury", "Mark Rutte as the next
    NATO Secretary General"), and names after a plural title ("Senators Manchin and Sinema")."""
    name = rf"{_TOKEN}(?:[ \t]+(?:{_PARTICLE}[ \t]+)?{_TOKEN}){{1,4}}"  # a name never crosses a line
    before = re.compile(rf"(?P<name>{name})(?:,\s+|\s+as\s+)(?:the\s+)?(?:(?:new|next|current)\s+)?"
                        rf"(?:{_CAP}[\w.&-]*\s+){{0,3}}$")
    plural = re.compile(rf"s[ \t]+(?P<names>{_HONORIFIC}{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}}"
                        rf"(?:(?:,[ \t]+|,?[ \t]+and[ \t]+){_HONORIFIC}{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}})+)")
    return before, plural


def _candidates(analysis: Analysis) -> Iterator[tuple[int, str, int, str, str | None]]:
    """(title start, title, name start, name as written, organisation) for each title with a name
    beside it; the organisation is the capitalised words between a name and its title ("Prosper
    Africa" in "British A. Robinson as the new Prosper Africa Coordinator")."""
    text = analysis.text
    before_re, plural_re = _later_title_patterns()
    titles = _title_name_pattern()
    titled_names: set[int] = set()  # where a name written after its title starts
    for m in _title_matches(analysis):
        if _OBJECT_OF_TITLE.search(text, max(0, m.start() - 40), m.start()):
            continue  # "Diplomatic Counselor to the President Emmanuel Bonne": Bonne is the counselor
        titled_names.add(m.start("name"))
        yield m.start(), m.group("title"), m.start("name"), m.group("name"), None
    title_alone = _title_alone()
    covered = 0  # the end of the last title read: "Premier" inside "Vice Premier" is no title of its own
    for t in analysis.hits.title:
        m = title_alone.match(text, t)
        if not m or t < covered or (t > 0 and (text[t - 1].isalnum() or text[t - 1] == "-")):
            continue
        covered = m.end()
        if text.startswith(("’s", "'s"), m.end()):
            continue  # "Julissa Reynoso, the First Lady’s Chief of Staff": the title owns another
        window_start = max(0, t - 90)
        b = before_re.search(text, window_start, t) if _name_may_precede(text, t) else None
        # a title followed by a name is that name's ("Hilda Solis, Passaic Mayor Hector Lora",
        # "Clayton Earns Praise as President Trump's nominee"), not the name's before it
        follows = titles.match(text, t)
        if follows and name_like(follows.group("name").split()[0]):
            b = None
        # a name that has its title before it gives the title after it to the next name of a list:
        # "Deputy Secretary of Agriculture Jewel Bronaugh, Under Secretary of Commerce ... Laurie Locascio"
        if b and not titles.match(text, b.start("name")) and \
                not any(b.start("name") <= n < b.end("name") for n in titled_names):
            org = re.sub(r"^.*?(?:,\s+|\s+as\s+)(?:the\s+)?(?:(?:new|next|current)\s+)?", "", text[b.end("name"):t]).strip()
            words = org.split()
            rank = []
            # "Brian Frosh, Former Maryland Attorney General": the status opens the words before the title
            status = words.pop(0) if words and words[0].lower() in ("former", "acting", "outgoing") else None
            while words and words[0] in _RANK:
                rank.append(words.pop(0))
            while words and words[-1] in _RANK:  # "Martha Collins, Healthy Gulf Executive Director"
                rank.insert(0, words.pop())
            title = " ".join([*([status] if status else []), *rank, m.group("title")])
            words = [w for w in words if w.strip(".,") not in _NOT_NAME and w.strip(".,") not in ("Jr", "Sr")]
            yield t, title, b.start("name"), b.group("name"), " ".join(words) or None
        p = plural_re.match(text, m.end())
        if p:
            for n in re.finditer(rf"{_HONORIFIC}(?P<n>{_TOKEN}(?:[ \t]+{_TOKEN}){{0,3}})", p.group("names")):
                first = n.group("n").split()[0]
                if title_alone.match(first) or first.rstrip("s") in _NOT_NAME:
                    break  # "Senators Wicker and Hyde-Smith and Congressman Thomas": the list ends at a title
                if n.group("n") not in ("and",):
                    yield t, m.group("title"), p.start("names") + n.start("n"), n.group("n"), None


# a title that is the object of another title's preposition: "Counselor to the President", "Advisor to the Prime
# Minister", "Deputy National Security Advisor to Vice President Joe Biden" (2015-2017, in a 2021 biography)
_OBJECT_OF_TITLE = re.compile(rf"{_CAP}[a-z]+\s+to\s+(?:the\s+)?$")


def _name_may_precede(text: str, t: int) -> bool:
    """A cheap test before the name-before-title grammar: the title follows ", " or " as (the) ",
    past at most three capitalised words ("Scott Bessent, Secretary", "Robinson as the new Prosper
    Africa Coordinator")."""
    words = text[max(0, t - 60):t].split()
    for _ in range(4):
        if not words:
            return False
        last = words[-1]
        if last.endswith(",") or last in ("as", "the", "new", "next", "current"):
            return True
        if not last[:1].isupper():
            return False
        words.pop()
    return False


@lru_cache(maxsize=1)
def _title_alone() -> re.Pattern[str]:
    return re.compile(rf"(?P<title>{'|'.join(re.escape(t) for t in _titles())})(?![a-rt-z])")


def _headline_word(token: str, body: str) -> bool:
    """A capitalised word of a headline that is a common word: a verb's form ("Signs", "Honoring",
    "Announced"), or written in lower case in the body."""
    low = token.lower()
    # the word itself first (a fast find): the pattern, tried at every character of the body, is slow
    return low.endswith(("s", "ing", "ed")) or (
        low in body and re.search(rf"(?<![\w-]){re.escape(low)}(?![\w-])", body) is not None)


@lru_cache(maxsize=1)
def _headline_verbs() -> frozenset[str]:
    """Verbs a title-case heading writes after a name ("President Biden Took Office"): no name's words."""
    return frozenset(load_data("stop_words.yaml")["headline_verbs"])


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    """English function words (spaCy's list, from ``data/stop_words.yaml``: importing spaCy for
    it would cost each extraction process seconds)."""
    return frozenset(load_data("stop_words.yaml")["stop_words"])


def _in_body(token: str, body: str) -> bool:
    """The body writes the word as the headline does ("Biden Before Marine One": the body of a
    transcript may never write "Before" or "Marine")."""
    return token in body and re.search(rf"(?<![\w-]){re.escape(token)}(?![\w-])", body) is not None


def _lower_word_in(word_pattern: str, text: str) -> bool:
    """``text`` holds ``word_pattern`` as a whole word. A pattern that is a plain word (nearly all) is
    looked for with a fast find first: the pattern, tried at every character of the text, is slow."""
    plain = word_pattern.replace("-", "").isalnum()
    if plain and word_pattern not in text:
        return False
    return re.search(rf"(?<![\w-]){word_pattern}(?![\w-])", text) is not None


def _headline_end(doc: Document, analysis: Analysis) -> int:
    """Where the document's headline ends, when its text opens with it (else 0)."""
    if not analysis.paragraphs or not doc.title:
        return 0
    s, e = analysis.paragraphs[0]
    # compared word by word: a title may hold no-break spaces the clean text has as spaces
    return e if analysis.text[s:e].split() == doc.title.split() else 0


def extract_people(doc: Document, analysis: Analysis | None = None) -> list[Fact]:
    """Roles attested in the document: title + name, with the document's date as attested date.

    "former President Obama" is the role "former President"; "Acting Secretary ..." keeps its
    "Acting". Each role carries ``context``, the words around the name, for the named-entity check
    that resolving runs once per distinct name (``resolve.people``)."""
    analysis = analysis or Analysis(doc)
    text = analysis.text
    facts: list[Fact] = []
    seen: dict[tuple[str, str], Fact] = {}
    candidates = list(_candidates(analysis))
    headline_end = _headline_end(doc, analysis)
    body_words = {w for t, _, n, raw, _ in candidates if n >= headline_end for w in raw.split()}
    body = text[headline_end:] if headline_end else ""
    surnames = {raw.split()[-1] for _, _, _, raw, _ in candidates if len(raw.split()) > 1}
    for t_start, title, n_start, raw_name, organisation in candidates:
        name_tokens = raw_name.split()
        written = len(name_tokens)
        # trim trailing words that are not part of a name ("President Moon Jae-in Said")
        lead = 0
        while len(name_tokens) > 1 and name_tokens[0].strip(".,") in _NOT_NAME:  # "Honorable Kamala Harris"
            lead += len(name_tokens[0]) + 1
            name_tokens.pop(0)
        n_start += lead
        while name_tokens and not name_like(" ".join(name_tokens)):
            name_tokens.pop()
        if n_start < headline_end:
            # a headline capitalises every word: "President Biden Signs Bill" names Biden only as far
            # as the body names him; a name the body does not repeat must satisfy the recogniser
            if t_start < n_start:
                cut = next((i for i in range(1, len(name_tokens))
                            if name_tokens[i] not in body_words and not _PARTICLE_RE.fullmatch(name_tokens[i - 1])
                            and not _PARTICLE_RE.fullmatch(name_tokens[i])
                            and (_headline_word(name_tokens[i], body)
                                 # a function word the body never writes so ("Before Marine One"); a
                                 # name's own words ("Yoon Suk Yeol") may be written only in the headline
                                 or (name_tokens[i].lower() in _stop_words() and not _in_body(name_tokens[i], body)))), None)
                name_tokens = name_tokens[:cut] if cut else name_tokens  # "Biden Gives Oval ..." -> "Biden"
            else:
                # a name before its title is the words after the headline's verb: "Biden Announces
                # Elizabeth M. Allen as Assistant Secretary" -> "Elizabeth M. Allen"
                cut = next((i for i in range(len(name_tokens) - 2, -1, -1)
                            if name_tokens[i] not in body_words and _headline_word(name_tokens[i], body)), None)
                if cut is not None:
                    n_start += sum(len(w) + 1 for w in name_tokens[:cut + 1])
                    name_tokens = name_tokens[cut + 1:]
        if len(name_tokens) > 2 and (name_tokens[0] in _SIGNATURE_WORDS or (name_tokens[0].endswith(("ed", "ing")) and
                                         _lower_word_in(name_tokens[0].lower(), text))):
            n_start += len(name_tokens[0]) + 1  # a verb that opens a line: "Signed Joseph R. Biden, the President"
            name_tokens.pop(0)
        while name_tokens and _PARTICLE_RE.fullmatch(name_tokens[-1]):
            name_tokens.pop()  # "Mohamed bin" is no name of its own
        verb = next((i for i in range(1, len(name_tokens)) if verb_in_text(name_tokens[i], text, suffixes=("ed", "ing"))
                     or name_tokens[i] in _headline_verbs()), None)
        if verb:
            name_tokens = name_tokens[:verb]  # a verb after a name: "Secretary Becerra Authorized Priority Orders"
        if len(name_tokens) > 1 and name_tokens[-1] in _MONTHS and \
                re.match(r"\s+\d", text[n_start + len(" ".join(name_tokens)):]):
            name_tokens.pop()  # a signature's date: "President Joe Biden June 3, 2021"
        if not name_tokens:
            continue
        if n_start < headline_end and written == 1 and name_tokens[0] not in body_words:
            continue  # a one-word "name" of a headline that the body never names: "Office of the President Personnel"
        if len(name_tokens) == 1 and re.match(r"[-‐–—]", text[n_start + len(name_tokens[0]):n_start + len(name_tokens[0]) + 1]):
            continue  # a word the speaker broke off: "Secretary Llo- — Lloyd Austin", "Senator Feins—"
        if len(name_tokens) == 1 and name_tokens[0] not in surnames and \
                _lower_word_in(re.escape(name_tokens[0].lower()), text):
            continue  # a common word after a title, no surname of the document: "Vice President Highlight National ..."
        name = " ".join(name_tokens)
        while (rank := _TITLE_RANK.search(text, max(0, t_start - 14), t_start)) and \
                rank.group().split()[0] not in title.split() and (t_start < n_start or rank.start() >= n_start + len(name)):
            title, t_start = f"{rank.group().strip()} {title}", rank.start()
        status_m = _STATUS.search(text, max(0, t_start - 16), t_start)
        status = status_m.group(1).lower() if status_m else None
        status = _STATUS_WORD.get(status, status) if status else None
        written_status = re.match(r"(former|acting|outgoing)\s", title, re.I)
        status = status or (written_status.group(1).lower() if written_status else None)
        if status and not title.lower().startswith(status):  # "Acting Director" is not "Acting Acting Director"
            word = text[status_m.start(1):status_m.end(1)]
            title = f"{word if word.lower() == status else status} {title}"
        key = (name, title)
        end = n_start + len(name)
        span_start = min(n_start, status_m.start(1) if status_m else t_start)
        span_end = max(end, t_start + len(title))
        title_first = t_start < n_start
        country = _adjacent_country(analysis, t_start, end if title_first else t_start + len(title) + 1)
        if not title_first and not country:
            of = _OF_PLACE.match(text, t_start + len(title) + (1 if text[t_start + len(title):][:1] == "s" else 0))
            if of and _trailing_name(of.group(1)):
                continue  # "Kathleen Hicks, Deputy Secretary of Agriculture Jewel Bronaugh": Bronaugh's title
            organisation = organisation or (of.group(1) if of else None)  # "Minister-President of Rhineland-Palatinate"
        if key in seen:
            if country and not seen[key].value["country"]:  # a later mention says whose title it is
                seen[key].value["country"] = country
            continue
        s_start, s_end = analysis.sentence_at(n_start)
        context_end = re.match(r"(?:\S+\s+){0,3}\S*", text[end:min(s_end, end + 60)])
        c_start = min(t_start, n_start)
        fact = Fact("role", {"name": name, "title": title, "organisation": organisation, "country": country,
                             "date": doc.date, "status": status,
                             "strict": not title_first or (n_start < headline_end and name.split()[-1] not in body_words),
                             "headline": n_start < headline_end,
                             "context": text[c_start:end + (context_end.end() if context_end else 0)],
                             "name_at": n_start - c_start},
                    span_start, span_end, "people.title_name")
        seen[key] = fact
        facts.append(fact)
    return facts
