"""Commitment follow-up: later sentences that reaffirm, implement, report progress on, extend or
supersede a commitment, each typed and dated with its evidence span, and the commitment's status.

For each operative clause of a declaration-like document (kinds in ``data/followups.yaml``):

1. its key terms: the things it names (gazetteer entities with their aliases, other capitalised
   phrases, acronyms) and its content words (generic diplomatic words left out); of those, the
   *specific* ones (``specific_terms``): a name with a thing's head word (``object_heads``: "... Fund",
   "Framework for ...") beside a word of its own, not a party, person, place, grouping or the
   relationship itself ("G7", "President Biden", "Korean Peninsula", "U.S.-ROK Alliance");
2. retrieval: paragraphs of later documents that hold one of its specific names (FTS5, best
   ``PARAGRAPHS``); a clause with none has no follow-up to find;
3. the check: a later document about the commitment's partners and groupings (not a U.S.-Japan fact
   sheet for a U.S.-EU pledge, nor a G7 communiqué for a Quad one); a sentence that holds a specific
   name and shares content words with the clause (an acronym alone needs more), uses words of a
   follow-up type, and does not tell the commitment's own history again ("a year and a half ago");
4. semantic similarity: the clause's sentence that names the term and the later sentence through the
   sentence encoder, kept at ``MIN_SIMILARITY`` or more (calibrated on links judged by hand). Only
   sentences that passed the check are encoded, and not those whose lexical evidence is already
   strong (``_strong``: their ``similarity`` is None);
5. the type: the kept sentences go through spaCy's parser, and the type is that of the word nearest
   the main verb, a verb in a relative clause or qualifying a noun saying none
   (``followup_wording``); an "implemented" that only repeats what the clause itself reports done
   ("convened the SCG") is refused.

The status is the furthest a commitment got: implemented > in progress (progress, extension) >
reaffirmed > no follow-up (superseded when a later text replaces it), with the sentence that says so.
``scores`` are draft G7-Research-Group-style scores per year (+1, 0, -1) with the deciding sentence.
The wording of a later sentence (its type, history told again) is read in ``followup_wording``.
"""

from __future__ import annotations

import os
import re
import time
from functools import lru_cache
from typing import Any

from communique.extract.gazetteer import gazetteer
from communique.ingest.passages import sentence_spans
from communique.resolve.followup_wording import _config, _parsed, _stem, follow_up_type, told_before
from communique.store import Store

__all__ = ["attach_followups", "key_terms", "specific_terms", "is_specific_name", "follow_up_type", "MIN_SIMILARITY", "STATUS_OF_TYPE"]

PARAGRAPHS = 12  # retrieved paragraphs per name of a commitment
MAX_TERMS = 6  # names of a commitment searched for: the longest four and two acronyms
PER_COMMITMENT = 4  # candidate sentences per commitment given to the encoder
MIN_SIMILARITY = 0.6  # calibrated on 40 links of the wh-briefings knowledge base judged by hand (see tests/test_followups.py)
MAX_CLAUSE_CHARS = 200  # the encoder reads the sentence of a clause (and of a later sentence) that names its specific term, this long at most
MIN_PARTY_MENTIONS = 2  # a later document names each of the commitment's parties this often (or in its title)
_SPECIFIC_KINDS = ("institution", "fund", "programme", "policy", "document", "mechanism")
STATUS_OF_TYPE = {"implement": "implemented", "progress": "in progress", "extend": "in progress",
                  "reaffirm": "reaffirmed", "supersede": "superseded"}
_STATUS_RANK = {"superseded": 4, "implemented": 3, "in progress": 2, "reaffirmed": 1}
# a capitalised phrase: Capitalised words, joined by a space or "of", "for", "on", "and", "the"
_CAPITALISED = re.compile(r"\b[A-Z][\w’'&-]*(?:\.[A-Z][\w’'&-]*)*\.?(?:[ ](?:(?:of|for|on|and|the)[ ])*[A-Z][\w’'&-]*(?:\.[A-Z][\w’'&-]*)*)+")
_ACRONYM = re.compile(r"\b[A-Z][A-Z0-9&]{1,9}\b(?![.-][A-Za-z])")
_LEADING_CAPS = re.compile(r"\A(?:[A-Z]{2,}[ ,]+)+")  # a preamble's opening verb: "FURTHER REAFFIRMING"
_WORD = re.compile(r"[A-Za-z][A-Za-z-]+")
_LEADING_ARTICLE = re.compile(r"\A(?:(?:the|The|of|for|on|and)\s+)+")
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")


def content_stems(text: str) -> set[str]:
    generic = _config()["_generic"]
    return {s for s in (_stem(w) for w in _WORD.findall(text) if len(w) > 3) if s not in generic}


def key_terms(text: str) -> tuple[list[str], list[str]]:
    """(names, acronyms): the things a clause names, each with its gazetteer aliases."""
    names, acronyms, _ = _terms(text)
    return names, acronyms


def specific_terms(text: str) -> set[str]:
    """The names and acronyms of a clause that name one specific thing (a fund, an initiative, a
    framework: ``object_heads``), not a party, a person or a place. An acronym the gazetteer does not
    know is specific when the commitment's document spells it out as a specific name (``_candidates``)."""
    return _terms(text)[2]


@lru_cache(maxsize=4096)
def _terms(text: str) -> tuple[list[str], list[str], set[str]]:
    g = gazetteer()
    cfg = _config()
    names: list[str] = []
    acronyms: list[str] = []
    specific: set[str] = set()
    lead = _LEADING_CAPS.match(text)
    text = " " * lead.end() + text[lead.end():] if lead else text
    for m in g.find(text):
        if m.kind in _SPECIFIC_KINDS:
            aliases = [m.surface, *g.entity_aliases.get(m.name, [])]
            for alias in aliases:
                (acronyms if _ACRONYM.fullmatch(alias) else names).append(alias)
            if m.kind in cfg["specific_kinds"] or any(is_specific_name(a) for a in aliases):
                specific.update(aliases)
    for m in _CAPITALISED.finditer(text):
        phrase = m.group()
        if not text[: m.start()].strip() or text[max(0, m.start() - 2) : m.start()].strip() in (".", ";", ":"):
            phrase = phrase.split(None, 1)[1] if " " in phrase else ""  # a sentence's first word is capitalised anyway
        for part in re.split(r"\s+and\s+the\s+", phrase):  # "NATO and the Cooperation Fund": two names
            part = _LEADING_ARTICLE.sub("", part).strip(" .,;:")  # "Through the Bicentennial Framework" -> "Bicentennial Framework"
            words = [w for w in part.split() if w[:1].isupper()]
            named = [w for w in words if w not in cfg["_generic_caps"] and not g.alias_state.get(re.sub(r"[’']s$", "", w))]
            if named and len(words) >= 2:
                names.append(part)
                if is_specific_name(part):
                    specific.add(part)
    for m in _ACRONYM.finditer(text):
        if not g.alias_state.get(m.group()) and m.group() not in cfg["_generic_caps"] and len(m.group()) >= 3:
            acronyms.append(m.group())
    dedup = lambda xs: sorted(set(xs), key=lambda x: (-len(x), x))  # noqa: E731
    return dedup(names), dedup(acronyms), specific


def is_specific_name(name: str) -> bool:
    """A name whose words include a thing's head ("Cooperation Fund", "Initiative on ...") and which is
    not a party or grouping of the gazetteer ("North Atlantic Treaty Organization", "Group of Seven")."""
    cfg = _config()
    kept = list(name)
    for m in gazetteer().find(name):  # a party's or grouping's own words ("Group of Seven") are not a head
        if m.kind not in cfg["specific_kinds"] and m.kind not in ("document", "place"):
            kept[m.start : m.end] = " " * (m.end - m.start)
    words = {w.strip("-") for w in re.findall(r"[\w’'-]*[A-Za-z][\w’'-]*", "".join(kept))}  # "-Pacific" of "U.S.-Pacific"
    if not words & cfg["_heads"]:
        return False
    # and a word of its own beside the head: "the U.S.-ROK Alliance", "U.S.-Pacific Partnership" name
    # the relationship itself, which every later text about the parties mentions
    own = words - cfg["_heads"] - cfg["_generic_caps"] - cfg["_regions"] - {"of", "for", "on", "and", "the", "to", "in"}
    return bool(own)


def _document_text(store: Store, path: str) -> str:
    cache = getattr(store, "_followup_texts", None)
    if cache is None:
        cache = store._followup_texts = {}  # type: ignore[attr-defined]
    if path not in cache:
        if len(cache) > 256:
            cache.clear()
        cache[path] = store.text_at(path) or ""
    return cache[path]


def _document_expansions(store: Store, path: str) -> dict[str, str]:
    """``_expansions`` of a document's text, read once per document: a declaration has dozens of
    clauses, and the acronyms a document spells out are the same for each of them."""
    cache = getattr(store, "_followup_expansions", None)
    if cache is None:
        cache = store._followup_expansions = {}  # type: ignore[attr-defined]
    if path not in cache:
        cache[path] = _expansions(_document_text(store, path))
    return cache[path]


def _later_paragraphs(store: Store, term: str, after: str, except_path: str) -> list[tuple[Any, ...]]:
    """The best ``PARAGRAPHS`` paragraphs holding ``term`` in documents dated after ``after``, other
    than ``except_path``: (path, title, date, start, text). The clauses of one document search the
    same names with the same date and path, so each search is run once per build."""
    cache = getattr(store, "_followup_searches", None)
    if cache is None:
        cache = store._followup_searches = {}  # type: ignore[attr-defined]
    key = (term, after, except_path)
    if key not in cache:
        if len(cache) > 4096:
            cache.clear()
        cache[key] = [(r["path"], r["title"], r["date"], r["start"], r["text"])
                      for r in store.search_passages(term, PARAGRAPHS, after=after, except_path=except_path)]
    return cache[key]


def _phrase(text: str) -> str:
    words = re.findall(r"\w+", text.lower())
    return '"' + " ".join(words) + '"' if words else ""


def _held(term: str, sentence: str, lower: str) -> bool:
    if _ACRONYM.fullmatch(term):
        return re.search(r"\b" + re.escape(term) + r"\b", sentence) is not None
    return term.lower() in lower


def _document_parties(store: Store) -> tuple[dict[str, set[str]], ...]:
    """Per document: the parties it names twice or more; the parties it is about (the states and
    blocs its title names, else the one or two its text names most, three times or more); and the
    parties that speak in it (its title's, and its publisher's state: "The White House" is the U.S.)."""
    g = gazetteer()
    counts: dict[str, dict[str, int]] = {}
    for path, name, n in store.mention_counts(kinds=("state", "organisation"), per="path"):
        if name in g.states:
            counts.setdefault(path, {})[name] = n
    named = {path: {x for x, n in c.items() if n >= MIN_PARTY_MENTIONS} for path, c in counts.items()}
    about: dict[str, set[str]] = {}
    speakers: dict[str, set[str]] = {}
    topics: dict[str, set[str]] = {}  # the title's parties and the three the text names most (three times or more)
    groupings: dict[str, set[str]] = {}  # the groupings its title names (G7, the Quad, APEC)
    for path, title, publisher in ((r["path"], r["title"], r["publisher"]) for r in store.document_catalog()):
        groupings[path] = _groupings(title)
        in_title = _parties_named(title)
        named.setdefault(path, set()).update(in_title)
        top = sorted(((n, x) for x, n in counts.get(path, {}).items() if n >= 3), reverse=True)[:2]
        about[path] = in_title or {x for _, x in top}
        topics[path] = in_title | {x for _, x in sorted(((n, x) for x, n in counts.get(path, {}).items() if n >= 3),
                                                          reverse=True)[:3]}
        speakers[path] = set(in_title | _parties_named(publisher) | _seats_named(publisher))
    return named, about, speakers, topics, groupings


@lru_cache(maxsize=1 << 14)  # titles, publishers and sentences come back for many clauses
def _groupings(text: str | None) -> frozenset[str]:
    """The groupings of states a text names ("G7", "Quad Leaders"): the gazetteer's mechanisms."""
    return frozenset(m.name for m in gazetteer().find(text or "") if m.kind == "mechanism")


@lru_cache(maxsize=1 << 14)
def _parties_named(text: str | None) -> frozenset[str]:
    """The states and blocs a short text names (demonyms included: "Korean")."""
    g = gazetteer()
    return frozenset(m.name for m in g.find(text or "") if m.name in g.states)


@lru_cache(maxsize=1024)
def _seats_named(publisher: str | None) -> frozenset[str]:
    """The states whose seat of government a publisher's name holds ("The White House": the U.S.)."""
    if not publisher:
        return frozenset()
    lower = publisher.lower()
    return frozenset(state for seat, state in gazetteer().seat_of.items() if seat.lower() in lower)


def _expansions(text: str) -> dict[str, str]:
    """Acronyms a document spells out: "President's Malaria Initiative (PMI)" -> {"PMI": "President's Malaria Initiative"}."""
    out = {}
    for m in re.finditer(r"((?:[A-Z][\w’'.-]*\s+(?:(?:of|for|on|and|the|to)\s+)*){1,8})\(([A-Z][A-Z0-9&]{1,9})\)", text):
        words = m.group(1).split()
        taken, capitals = [], 0
        for w in reversed(words):  # from the end: as many capitalised words as the acronym has letters
            if capitals >= len(m.group(2).replace("&", "")):
                break
            taken.insert(0, w)
            capitals += w[:1].isupper()
        if capitals >= 2:
            out.setdefault(m.group(2), " ".join(taken))
    return out


_TYPE_RANK = {"supersede": 5, "implement": 4, "progress": 3, "extend": 2, "reaffirm": 1}


def _candidates(store: Store, record: dict[str, Any], names: list[str], acronyms: list[str],
                parties_of: tuple[dict[str, set[str]], ...]) -> list[dict[str, Any]]:
    named, about, speakers, topics, groupings = parties_of
    own_groupings = groupings.get(record["document"], set())
    clause_groupings = own_groupings | _groupings(record["text"])
    clause_parties = named.get(record["document"], set()) | speakers.get(record["document"], set()) | _parties_named(record["text"])
    parties = about.get(record["document"], set())
    expansions = _document_expansions(store, record["document"]) if acronyms else {}
    specific = specific_terms(record["text"]) | {x for x in acronyms if x in expansions and is_specific_name(expansions[x])}
    searched = [x for x in names if x in specific][: MAX_TERMS - 2] + [x for x in acronyms if x in specific][:2]
    terms = list(dict.fromkeys(t for t in (_phrase(x) for x in searched) if t))
    if not terms:
        return []  # a clause that names no specific thing (only parties, people, places) has no follow-up to find
    rows: list[Any] = []
    for term in terms:  # one query per name: a common name ("UN Charter") does not crowd out a rare one
        rows += _later_paragraphs(store, term, str(record.get("document_date") or ""), record["document"])
    rows = list({(r[0], r[3]): r for r in rows}.values())
    cfg = _config()
    clause_words = content_stems(record["text"])
    since_year = int(str(record.get("document_date") or "0")[:4] or 0)
    clause_key = re.sub(r"\W+", " ", record["text"].lower()).strip()
    found: dict[str, dict[str, Any]] = {}  # one sentence per later document: its best
    for path, title, date, base, text in rows:
        if not parties <= named.get(path, set()):
            continue  # a later document that does not name the commitment's parties does not follow it up
        spoken = speakers.get(path, set())
        if not parties - spoken <= topics.get(path, set()):
            continue  # the later document is about others (a Quad statement that names ASEAN in passing)
        if not about.get(path, set()) <= clause_parties:
            continue  # the later document is about a partner the commitment does not name (a U.S.-Japan fact sheet, a U.S.-EU pledge)
        if not groupings.get(path, set()) <= clause_groupings or not own_groupings <= groupings.get(path, set()) | _groupings(text):
            continue  # a G7 communiqué does not follow up a Quad pledge, nor a bilateral roadmap a G7 one
        for a, b in sentence_spans(text, 0, len(text)):
            sentence = text[a:b]
            lower = sentence.lower()
            held_names = [n for n in names if _held(n, sentence, lower)]
            held_acronyms = [x for x in acronyms if _held(x, sentence, lower)]
            if not any(x in specific for x in held_names + held_acronyms):
                continue  # a party, person or place the clause names is no sign the sentence is about it
            shared = clause_words & content_stems(sentence)
            if len(shared) < (1 if held_names else 3):
                continue  # an acronym alone may name something else: the clause's own words must be there too
            if not held_names and not all(x not in expansions or expansions[x].lower() in _document_text(store, path).lower()
                                          for x in held_acronyms):
                continue  # the later document does not spell the acronym the way the commitment's does ("PMI")
            if not parties <= (spoken | _parties_named(sentence)):
                continue  # each party of the commitment speaks in the document (title, publisher) or is named in the sentence
            if re.sub(r"\W+", " ", lower).strip() in clause_key:
                continue  # the clause itself, quoted again
            kind = follow_up_type(sentence)
            if kind is None:
                continue
            years = [int(y) for y in _YEAR.findall(sentence)]
            if years and since_year and max(years) < since_year:
                continue  # history told again ("launched in 2015"), not what came after the commitment
            if kind == "implement" and told_before(sentence, date, since_year):
                continue  # "a year and a half ago, we launched ...": the same history, told again
            score = 2 * len(held_names) + len(held_acronyms) + len(shared) + 2 * _TYPE_RANK[kind]
            if path not in found or score > found[path]["_score"]:
                held_specific = sorted({x for x in held_names + held_acronyms if x in specific}, key=lambda x: (-len(x), x))
                found[path] = {"type": kind, "date": date, "document": path, "title": title, "start": base + a,
                               "end": base + b, "quote": sentence, "terms": sorted(set(held_names + held_acronyms)),
                               "shared_words": sorted(shared), "_score": score, "_specific": held_specific,
                               "_pair": (_window(record["text"], held_specific[0]), _window(sentence, held_specific[0]))}
    return sorted(found.values(), key=lambda c: -c["_score"])[:PER_COMMITMENT]


def attach_followups(store: Store, records: list[dict[str, Any]], semantic: bool = True) -> dict[str, Any]:
    """Set ``follow_ups`` and ``status`` on each commitment record (in place); returns what it cost."""
    started = time.perf_counter()
    cfg = _config()
    kinds = {r["path"]: r["kind"] for r in store.document_catalog()}
    wanted = set(cfg["document_kinds"])
    pending: list[tuple[dict[str, Any], list[dict[str, Any]]]] = []
    parties_of = _document_parties(store)
    for r in records:
        r["follow_ups"] = []
        r["status"] = {"status": "no follow-up", "date": None, "source": None}
        r["scores"] = []
        if not r.get("operative", True) or kinds.get(r["document"]) not in wanted:
            continue
        names, acronyms = key_terms(r["text"])
        if names or acronyms:
            candidates = _candidates(store, r, names, acronyms, parties_of)
            if candidates:
                pending.append((r, candidates))
    retrieved = time.perf_counter()
    encoded = 0
    for _, cs in pending:
        for c in cs:
            c["similarity"] = None  # set below for the candidates the encoder reads
    # the type first (the parser costs a few ms a sentence, the encoder tens): a candidate whose
    # sentence says no type is no link whatever its similarity, so the encoder never reads it
    parsed = _parsed({c["quote"] for _, cs in pending for c in cs} | {c["_pair"][0] for _, cs in pending for c in cs}) \
        if semantic else {}
    for _, cs in pending:
        for c in cs:
            if c["quote"] in parsed:
                c["type"] = follow_up_type(c["quote"], parsed[c["quote"]])  # the main verb's type, not any verb's
            clause = c["_pair"][0]
            if (c["type"] == "implement" and not cfg["_operative_implement"].match(clause)  # "ESTABLISH the ..." pledges it
                    and follow_up_type(clause, parsed.get(clause)) == "implement"):
                c["type"] = None  # the clause itself reports the act done ("convened the SCG", "signed the
                # Agreement"): a later "launched in July" or "convened" is that act told again, or its next round
    weak = [(r, [c for c in cs if c["type"] is not None and not _strong(c)]) for r, cs in pending]
    weak = [(r, cs) for r, cs in weak if cs]
    if weak and semantic:
        import sys

        if "numpy" not in sys.modules:  # a build runs two resolver processes on the cores it has: one BLAS
            os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # thread each, not a pool each that fights the other
        from communique.language import encoder

        texts = list(dict.fromkeys(x for _, cs in weak for c in cs for x in c["_pair"]))
        vectors = dict(zip(texts, encoder().encode(texts)))
        encoded = len(texts)
        for _, cs in weak:
            for c in cs:
                c["similarity"] = round(float(vectors[c["_pair"][0]] @ vectors[c["_pair"][1]]), 3)
    kept = [(r, [c for c in cs if not semantic or c["similarity"] is None or c["similarity"] >= MIN_SIMILARITY])
            for r, cs in pending]
    for r, cs in kept:
        links = [c for c in cs if c["type"] is not None]
        for c in cs:
            for key in ("_score", "_specific", "_pair"):
                c.pop(key, None)
        links.sort(key=lambda c: (str(c["date"] or ""), c["document"]))
        r["follow_ups"] = links
        r["status"] = _status(links)
        r["scores"] = _scores(links)
    return {"commitments": len(records), "followed": sum(1 for r, _ in pending if r["follow_ups"]),
            "links": sum(len(r["follow_ups"]) for r, _ in pending), "sentences_encoded": encoded,
            "retrieval_seconds": round(retrieved - started, 2),
            "seconds": round(time.perf_counter() - started, 2)}


_SCORE_OF_TYPE = {"implement": 1, "progress": 1, "extend": 1, "reaffirm": 0, "supersede": -1}


def _scores(links: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Draft compliance scores in the G7 Research Group's manner: per year with a follow-up, +1 (done,
    progressing or extended), 0 (only reaffirmed) or -1 (replaced), with the sentence that decides it.
    A year without a follow-up gets no score: silence in the knowledge base is not evidence."""
    by_year: dict[str, dict[str, Any]] = {}
    for link in links:
        year = str(link.get("date") or "")[:4]
        if not year:
            continue
        score = _SCORE_OF_TYPE[link["type"]]
        if year not in by_year or abs(score) > abs(by_year[year]["score"]) or score < by_year[year]["score"]:
            by_year[year] = {"period": year, "score": score, "type": link["type"],
                             "rationale": {k: link[k] for k in ("document", "title", "date", "start", "end", "quote")}}
    return [by_year[y] for y in sorted(by_year)]


def _window(text: str, term: str) -> str:
    """What the encoder reads of a clause or a sentence: the sentence of it that names the term, at
    most ``MAX_CLAUSE_CHARS`` around the term (a long clause's opening may be about something else)."""
    at = text.find(term) if _ACRONYM.fullmatch(term) else text.lower().find(term.lower())
    at = max(at, 0)
    for a, b in sentence_spans(text, 0, len(text)):
        if a <= at < b:
            text, at = text[a:b], at - a
            break
    if len(text) <= MAX_CLAUSE_CHARS:
        return text
    start = max(0, min(at - MAX_CLAUSE_CHARS // 3, len(text) - MAX_CLAUSE_CHARS))
    return text[start : start + MAX_CLAUSE_CHARS]


def _strong(candidate: dict[str, Any]) -> bool:
    """Lexical evidence that needs no encoder: two of the clause's own specific names (not acronyms)
    and three of its content words in one later sentence."""
    names = [t for t in candidate["_specific"] if not _ACRONYM.fullmatch(t)]
    distinct = [n for n in names if not any(n != m and n.lower() in m.lower() for m in names)]  # "MPAC" in "MPAC 2025"
    return len(distinct) >= 2 and len(candidate["shared_words"]) >= 3


def _status(links: list[dict[str, Any]]) -> dict[str, Any]:
    """The furthest status the links reach, with the latest sentence that says it."""
    best: dict[str, Any] | None = None
    for link in links:  # in date order: a later link of the same rank replaces an earlier one
        status = STATUS_OF_TYPE[link["type"]]
        if best is None or _STATUS_RANK[status] >= _STATUS_RANK[best["status"]]:
            best = {"status": status, "date": link["date"], "source": {k: link[k] for k in ("document", "title", "date", "start", "end", "quote")}}
    return best or {"status": "no follow-up", "date": None, "source": None}
