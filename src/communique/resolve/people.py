"""People: one record per person across the corpus, with aliases and roles over time.

Each role mention ("President Joe Biden", "former Prime Minister Bennett") is first checked by
spaCy's named-entity recogniser, once per distinct mention context, so that headline words
("Donald J. Trump Secures"), places ("King Salman Park") and sentence breaks are no names. Full
names join when their surnames agree and their given names are the same or short forms of each
other ("Joe Biden", "Joseph R. Biden Jr."); a surname alone ("President Biden") joins the full name
of the same document, else the one full name of the corpus with that surname and title, when it
is the only likely one. A role is a title with its state or organisation and status ("former",
"acting"), the first and last dates the documents show it, and its sources.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter, defaultdict
from functools import lru_cache
from typing import Any

from communique.data import load_data
from communique.extract.people import verb_in_text
from communique.resolve.common import FactRow, load_facts, record_id, source
from communique.store import Store

__all__ = ["resolve_people", "person_names"]

_SUFFIX = frozenset({"jr", "sr", "ii", "iii", "iv"})
_NOT_PERSON = frozenset({"ORG", "GPE", "FAC", "NORP", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE",
                         "DATE", "TIME", "MONEY", "QUANTITY", "PERCENT", "CARDINAL", "ORDINAL"})
_TRUSTED_DOCUMENTS = 3
_MAX_SOURCES = 5  # sources kept per role; every document is listed in the person's ``documents``


@lru_cache(maxsize=1 << 16)  # a few thousand distinct names and titles, each folded hundreds of times
def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^\w]+", " ", text).strip().lower()


@lru_cache(maxsize=1)
def _given_names() -> dict[str, str]:
    return {str(k): str(v) for k, v in load_data("gazetteers/given_names.yaml").items()}


def _tokens(name: str) -> list[str]:
    """Folded tokens without initials and suffixes: 'Joseph R. Biden Jr.' -> ['joseph', 'biden']."""
    return [t for t in _fold(name).split() if len(t) > 1 and t not in _SUFFIX]


def _key(name: str) -> str | None:
    """Given name (in full) and surname; None for a one-word name."""
    tokens = _tokens(name)
    if len(tokens) < 2:
        return None
    return f"{_given_names().get(tokens[0], tokens[0])} {tokens[-1]}"


def person_names(contexts: list[tuple[str, int, int, bool]]) -> list[str | None]:
    """The person's name in each (context, name start, name end, strict), as the recogniser reads it.

    Returns the name cut where the recogniser's PERSON entity ends ("Donald J. Trump" from
    "Donald J. Trump Secures Historic"), or None where it reads a place, an organisation or
    anything but a person. A name it marks as nothing is kept when it follows its title ("Senators
    Manchin and Sinema"), unless ``strict`` (a name before its title, which must be a PERSON)."""
    from communique.language import pipeline

    nlp = pipeline(exclude=("parser", "lemmatizer", "attribute_ruler", "tagger", "senter"))
    out: list[str | None] = []
    for (context, start, end, strict), doc in zip(contexts, nlp.pipe([c[0] for c in contexts], batch_size=512)):
        name = context[start:end]
        ents = [e for e in doc.ents if e.start_char < end and start < e.end_char]
        persons = [e for e in ents if e.label_ == "PERSON"]
        # a name before its title is the last person of the run ("Joe Biden Welcoming Mark Rutte as Secretary General")
        before_title = re.match(r",|\s+as\s", context[end:end + 4]) is not None
        person = (persons[-1] if before_title else persons[0]) if persons else None
        if person is not None:
            # cut only between words of the name: "Moon Jae-in" stays whole when the tagger stops at "Jae";
            # "With Julie Su" is "Julie Su", "Donald J. Trump Secures" is "Donald J. Trump"
            lo = person.start_char if start < person.start_char and context[person.start_char - 1].isspace() else start
            hi = person.end_char if person.end_char < end and context[person.end_char:person.end_char + 1].isspace() else end
            if hi < end and not strict and not _common_tail(context[hi:end]):
                hi = end  # after its title a name keeps its last words: "Senator Maria Elena Durazo"
            cut = context[lo:hi].strip(" ,’'")
            if cut and (lo, hi) != (start, end):
                name = cut if not cut.endswith(".") or len(cut.split()[-1]) <= 3 else cut[:-1]
            out.append(name if _fold(name) else None)
        elif strict or any(e.label_ in _NOT_PERSON for e in ents) or _verb_first(name):
            out.append(None)
        else:
            out.append(name)
    return out


def _verb_first(name: str) -> bool:
    """A name the recogniser does not read as a person that opens with a verb's form: a news
    headline after a title ("First Lady Expands Trump Accounts"), not a given name."""
    words = name.split()
    first = _fold(words[0]) if words else ""
    return len(words) > 1 and len(first) > 5 and first.endswith(("s", "ed", "ing")) and first not in _given_names() \
        and first not in set(_given_names().values())


def _common_tail(words: str) -> bool:
    """Words the recogniser cut from a name's end that read as a verb's form ("Secures", "Announced")
    rather than a surname."""
    return any(w.endswith(("s", "ed", "ing")) or not w[:1].isupper() for w in words.split())


def _meeting_roles(store: Store) -> list[FactRow]:
    """Co-chairs and participants of meetings as role mentions, cited by their meeting's span."""
    roles = []
    for meeting in load_facts(store, "meeting"):
        v = meeting.value
        people = [p for p in (v.get("co_chairs") or []) + (v.get("participants") or []) if isinstance(p, dict)]
        if not people:
            continue
        chair_span = next((ev for ev in v.get("evidence", []) if ev.get("about") == "co_chairs"), None)
        start, end = (chair_span["start"], chair_span["end"]) if chair_span else (meeting.start, meeting.end)
        quote = store.text_slice(meeting.document_id, start, end)
        text: str | None = None
        for person in people:
            # a name read from a headline stops at a possessive ("Joe Biden’s Participation in the ...")
            # and at a verb the document writes in lower case ("Biden Announces ...", "Biden Invites ...")
            name = re.split(r"['’]s\b", person.get("name") or "")[0].strip(" ,")
            words = name.split()
            if len(words) > 1 and any(w[-1:] in "sdg" for w in words[1:]):
                text = text if text is not None else store.text_slice(meeting.document_id, 0, 10**7)
                cut = next((i for i in range(1, len(words)) if verb_in_text(words[i], text)), None)
                name = " ".join(words[:cut]) if cut else name
            if not name:
                continue
            roles.append(FactRow(meeting.id, meeting.document_id, meeting.path, meeting.title, meeting.doc_date, "role",
                                 {"name": name, "title": person.get("title"), "country": person.get("country"),
                                  # the document's date: a meeting's own date may be a year it plans for ("2063")
                                  "organisation": None, "date": meeting.doc_date or v.get("date"), "checked": True,
                                  "meeting": f"{v.get('ordinal') or ''} {v.get('mechanism') or ''}".strip()},
                                 start, end, quote))
    return roles


def _checked(roles: list[FactRow]) -> list[FactRow]:
    """The mentions whose name the recogniser confirms, with the name it reads.

    The recogniser reads each distinct name once, in the context of its first mention: a name's
    errors (a headline word, a place) belong to the name, and 9,500 names cost less than the
    22,000 distinct contexts of a 14,000-document corpus."""
    first: dict[tuple[str, bool], tuple[str, int, int, bool]] = {}
    documents: dict[tuple[str, bool], set[str]] = defaultdict(set)
    for r in roles:
        v = r.value
        if v.get("checked") or not v.get("context"):
            continue
        at = int(v.get("name_at") or 0)
        strict = bool(v.get("strict"))
        first.setdefault((v["name"], strict), (v["context"], at, at + len(v["name"]), strict))
        if not v.get("headline"):  # a series' headline ("President Biden SARS-CoV-2 Update") vouches for no name
            documents[(v["name"], strict)].add(r.document_id)
    # a full name written the same way after its title in three documents or more is a name: the
    # recogniser reads the rest (most names of a corpus are seen once or twice)
    names: dict[tuple[str, bool], str | None] = {
        k: k[0] for k in first if not k[1] and len(k[0].split()) > 1 and len(documents[k]) >= _TRUSTED_DOCUMENTS}
    keys = [k for k in first if k not in names]
    names.update(zip(keys, person_names([first[k] for k in keys])) if keys else {})
    kept = []
    for r in roles:
        v = r.value
        if not v.get("checked") and v.get("context"):
            name = names[(v["name"], bool(v.get("strict")))]
            if name is None:
                continue
            # a name the recogniser cut at its end loses the state read after it ("President Joe Biden
            # Ahead of Ukraine's Independence Day" is not Ukraine's President)
            cut_tail = name != v["name"] and not v["name"].endswith(name)
            r.value = dict(v, name=name, country=None if cut_tail and v.get("title_first", True) else v.get("country"))
        kept.append(r)
    return kept


def _bare_title(title: str | None) -> str:
    """A title without its status: "former Vice President" -> "vice president"."""
    return re.sub(r"^(?:former|acting|outgoing|late)\s+", "", _fold(title or ""))


def _canonical(roles: list[FactRow]) -> dict[int, str]:
    """Each mention's person key: full names by given name and surname, surnames where unambiguous."""
    by_key: dict[int, str] = {}
    doc_keys: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # doc -> key -> its words
    doc_titles: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))  # doc -> key -> titles
    surname_keys: dict[str, Counter[str]] = defaultdict(Counter)
    titled: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)  # (surname, title) -> full names
    for i, r in enumerate(roles):
        key = _key(r.value["name"])
        if key:
            by_key[i] = key
            doc_keys[r.document_id][key].update(_tokens(r.value["name"]))
            if r.value.get("title"):
                doc_titles[r.document_id][key].add(_bare_title(r.value["title"]))
            surname_keys[key.split()[-1]][key] += 1
            titled[(key.split()[-1], _fold(r.value.get("title") or ""))][key] += 1
    _join_spellings(by_key, surname_keys, titled)
    for i, r in enumerate(roles):
        if i in by_key:
            continue
        token = (_tokens(r.value["name"]) or [""])[0]
        if not token:
            continue
        # a one-word name: the full name of the same document whose surname, else whose word, it is
        here_keys = doc_keys.get(r.document_id, {})
        title = _bare_title(r.value.get("title"))
        # a surname's title must not contradict the full name's: "Vice President Harris" is not
        # "Kanika Harris, Director" of the same readout
        here_keys = {k: w for k, w in here_keys.items()
                     if not title or not doc_titles[r.document_id][k] or title in doc_titles[r.document_id][k]}
        here = [k for k in here_keys if token == k.split()[-1]] or [k for k, words in here_keys.items() if token in words]
        if len(here) == 1:
            by_key[i] = here[0]
            continue
        # else the corpus's one likely full name with that surname and title (nine mentions in ten):
        # "President Biden" is Joseph R. Biden Jr., "First Lady Biden" Jill Biden
        counts = titled.get((token, _fold(r.value.get("title") or ""))) or surname_keys.get(token)
        if counts:
            best, n = counts.most_common(1)[0]
            if n >= 0.9 * sum(counts.values()):
                by_key[i] = best
                continue
        # a person known by the surname alone, and by the title: "Governor Brown" and "Mayor Brown" of two
        # documents are two people, as "Representative Perry" and "former Secretary Perry" are
        bare = _bare_title(r.value.get("title")).lower()
        by_key[i] = f"{token} ({bare})" if bare else token
    return by_key


def _join_spellings(by_key: dict[int, str], surname_keys: dict[str, Counter[str]],
                    titled: dict[tuple[str, str], Counter[str]]) -> None:
    """Spellings of one given name under one surname ("Mohamed" and "Mohammed bin Salman") join
    the more frequent: same initial, nearly the same letters."""
    from difflib import SequenceMatcher

    rename: dict[str, str] = {}
    for counts in surname_keys.values():
        if len(counts) < 2:
            continue
        ranked = [k for k, _ in counts.most_common()]
        for i, minor in enumerate(ranked[1:], 1):
            g = minor.split()[0]
            for major in ranked[:i]:
                h = major.split()[0]
                if major not in rename and g[0] == h[0] and min(len(g), len(h)) >= 4 and \
                        SequenceMatcher(None, g, h).ratio() >= 0.85:
                    rename[minor] = major
                    break
    if rename:
        for i, key in by_key.items():
            by_key[i] = rename.get(key, key)
        for counts in [*surname_keys.values(), *titled.values()]:
            for minor, major in rename.items():
                if minor in counts:
                    counts[major] += counts.pop(minor)


def _state_named(organisation: str | None) -> str | None:
    """The state an "organisation" read after a title names, when it is a state's name or alias."""
    from communique.extract.gazetteer import gazetteer

    if not organisation:
        return None
    g = gazetteer()
    state = g.alias_state.get(organisation) or (organisation if organisation in g.states else None)
    return state if state and g.entity_kind.get(state) == "state" else None


def _role_key(v: dict[str, Any]) -> tuple[str, str, str]:
    return (_fold(v.get("title") or ""), v.get("country") or "", v.get("organisation") or "")


def _merge_role(held: dict[tuple[str, str, str], dict[str, Any]], key: tuple[str, str, str],
                into: tuple[str, str, str]) -> None:
    """Move every mention of the role ``key`` into the role ``into``."""
    bare = held.pop(key)
    held[into]["_at"].extend(bare["_at"])


def _fold_unplaced(held: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """A title written without its state ("President Biden") is the same role as that title with the
    state the person's other mentions give it nine times in ten ("President of the United States"):
    one role with all its mentions and dates."""
    for key in [k for k in held if not k[1] and not k[2]]:
        placed = [k for k in held if k[0] == key[0] and k != key and (k[1] or k[2])]
        total = sum(len(held[k]["_at"]) for k in placed)
        best = max(placed, key=lambda k: len(held[k]["_at"]), default=None)
        if best is None or len(held[best]["_at"]) < 0.9 * total or held[best]["status"] != held[key]["status"]:
            continue
        _merge_role(held, key, best)


def _fold_stray_states(held: dict[tuple[str, str, str], dict[str, Any]]) -> None:
    """A title the person holds for one state, read once or twice with another state beside it, is
    that role read wrongly ("Prime Minister Kishida and President Biden" gives Biden Japan's
    presidency; a meeting of the G7 in Germany gives Chancellor Scholz the United States): it joins
    the role the person holds ten times as often."""
    for key in sorted(held, key=lambda k: len(held[k]["_at"])):
        if key not in held or not key[1]:
            continue
        n = len(held[key]["_at"])
        rivals = [k for k in held if k[0] == key[0] and k[1] and k[1] != key[1]
                  and held[k]["status"] == held[key]["status"]]
        best = max(rivals, key=lambda k: len(held[k]["_at"]), default=None)
        if best is not None and n <= 3 and len(held[best]["_at"]) >= 10 * n:
            _merge_role(held, key, best)


@lru_cache(maxsize=1)
def _single_seats() -> frozenset[str]:
    """Titles one person holds at a time for a state or organisation (folded, without status)."""
    return frozenset(_fold(t) for t in load_data("gazetteers/single_seat_titles.yaml"))


_SEAT_WINDOW = 10  # mentions of a seat read on each side of a date, to say who held it then


def _seat(role: dict[str, Any]) -> tuple[str, str] | None:
    place = role["country"] or role["organisation"]
    bare = _bare_title(role["title"])
    return (bare, place) if place and not role["status"] and bare in _single_seats() else None


def _retire_stale(people: dict[str, dict[tuple[str, str, str], dict[str, Any]]]) -> None:
    """Mentions that show a title the person no longer held at the document's date become the
    "former" role (marked ``inferred``):

    - a seat one person holds at a time ("President" of the United States): a mention dated where
      the seat's other mentions around that date name another holder nearly always ("President
      Biden" in a 2026 document, "President Trump" in a 2022 one);
    - any title, once the documents call the person its "former" holder: later mentions of the same
      title for the same state or organisation (or none) not confirmed by a seat (Representative
      Giffords, "former Congresswoman" since 2022)."""
    from bisect import bisect_left

    by_seat: dict[tuple[str, str], list[tuple[str, str]]] = defaultdict(list)
    for person, held in people.items():
        for role in held.values():
            seat = _seat(role)
            if seat:
                by_seat[seat].extend((d, person) for d, _ in role["_at"] if d)
    for entries in by_seat.values():
        entries.sort()
    for person, held in people.items():
        confirmed: dict[int, bool] = {}
        for key, role in list(held.items()):
            seat = _seat(role)
            if not seat or len({p for _, p in by_seat[seat]}) < 2:
                continue
            entries = by_seat[seat]
            stale, kept = [], []
            for at in role["_at"]:
                if not at[0]:
                    kept.append(at)
                    continue
                i = bisect_left(entries, (at[0], person))
                window = Counter(p for _, p in entries[max(0, i - _SEAT_WINDOW): i + _SEAT_WINDOW + 1])
                other, n = max(((p, c) for p, c in window.items() if p != person), key=lambda x: x[1], default=("", 0))
                total = sum(window.values())
                if n >= 0.6 * total and window[person] <= 0.2 * total:
                    stale.append(at)
                else:
                    kept.append(at)
                    confirmed[id(at)] = True
            if stale:
                role["_at"] = kept
                _add_former(held, key, stale)
        # a holder called "former" (or "late") on a date is so in every later mention of that title,
        # and in the other mentions of the same day's documents ("former First Lady Jacqueline Kennedy")
        formers = [(k, min((d for d, _ in r["_at"] if d), default=None)) for k, r in held.items()
                   if r["status"] in ("former", "late")]
        for fkey, since in formers:
            if not since:
                continue
            bare = _bare_title(held[fkey]["title"])
            for key, role in list(held.items()):
                if role["status"] or _bare_title(role["title"]) != bare or key == fkey:
                    continue
                if (key[1] or key[2]) and (fkey[1] or fkey[2]) and (key[1], key[2]) != (fkey[1], fkey[2]):
                    continue
                late = [at for at in role["_at"] if at[0] and at[0] >= since and id(at) not in confirmed]
                if late:
                    role["_at"] = [at for at in role["_at"] if not (at[0] and at[0] >= since and id(at) not in confirmed)]
                    held[fkey]["_at"].extend(late)
        for key in [k for k, r in held.items() if not r["_at"]]:
            del held[key]
        _fold_unplaced(held)  # "former President Trump" joins the former presidency of the United States


def _add_former(held: dict[tuple[str, str, str], dict[str, Any]], key: tuple[str, str, str],
                mentions: list[tuple[str, FactRow]]) -> None:
    role = held[key]
    title = f"former {role['title']}"
    fkey = (_fold(title), key[1], key[2])
    if fkey not in held:
        held[fkey] = {"title": title, "country": role["country"], "organisation": role["organisation"],
                      "status": "former", "inferred": True, "_at": []}
    held[fkey]["_at"].extend(mentions)


def _summarise(role: dict[str, Any]) -> dict[str, Any]:
    """A role's first and last dates, mention count, latest document and first sources."""
    own = role.pop("_at")  # the role's own mentions in date order, then those folded into it
    at = sorted(own, key=lambda x: x[0] or "")
    dates = [d for d, _ in at if d]
    role.update(first=dates[0] if dates else None, last=dates[-1] if dates else None, mentions=len(at),
                document=at[-1][1].path, sources=[source(r) for _, r in own[:_MAX_SOURCES]])
    return role


def resolve_people(store: Store) -> list[dict[str, Any]]:
    """People with canonical names, aliases and roles over time, each role with its sources."""
    roles = _checked(load_facts(store, "role")) + _meeting_roles(store)
    keys = _canonical(roles)
    groups: dict[str, list[FactRow]] = defaultdict(list)
    for i, r in enumerate(roles):
        if i in keys:
            groups[keys[i]].append(r)
    people: dict[str, dict[tuple[str, str, str], dict[str, Any]]] = {}
    facts_of: dict[str, tuple[list[FactRow], Counter[str], str, list[str]]] = {}
    for key_, mentions in groups.items():
        forms = Counter(r.value["name"] for r in mentions)
        # the fullest form written, the most frequent among the longest
        name = max(forms, key=lambda f: (len(_tokens(f)), len(f.split()), forms[f]))
        held: dict[tuple[str, str, str], dict[str, Any]] = {}
        documents: list[str] = []
        seen_docs: set[str] = set()
        for r in sorted(mentions, key=lambda r: str(r.value.get("date") or r.doc_date or "")):
            v = r.value
            if r.path not in seen_docs:
                seen_docs.add(r.path)
                documents.append(r.path)
            if not v.get("title"):
                continue
            date = str(v.get("date") or r.doc_date or "") or None
            state = _state_named(v.get("organisation"))
            if state and not v.get("country"):  # "Joseph R. Biden Jr., President of the United States of America"
                v = r.value = dict(v, country=state, organisation=None)
            key = _role_key(v)
            role = held.get(key)
            if role is None:
                title = v["title"]
                status = v.get("status") or ("former" if title.lower().startswith("former ") else
                                             "acting" if title.lower().startswith("acting ") else None)
                role = held[key] = {"title": title, "country": v.get("country"),
                                    "organisation": v.get("organisation"), "status": status, "_at": []}
                if v.get("meeting"):
                    role["meeting"] = v["meeting"]
            role["_at"].append((date, r))
        _fold_unplaced(held)
        _fold_stray_states(held)
        people[key_] = held
        facts_of[key_] = (mentions, forms, name, documents)
    _retire_stale(people)
    records = []
    for key_, held in people.items():
        mentions, forms, name, documents = facts_of[key_]
        for role in held.values():
            _summarise(role)
        current = [x for x in held.values() if x["status"] != "former"] or list(held.values())
        # the main role: the most attested, then the most specific ("Deputy Minister for Political Affairs")
        main = max(current, key=lambda x: (x["mentions"], len(x["title"]), str(x["last"] or ""))) if current else None
        countries = Counter(x["country"] for x in held.values() if x["country"] for _ in range(x["mentions"]))
        roles_out = sorted(held.values(), key=lambda x: (str(x["last"] or ""), x["mentions"]), reverse=True)
        records.append({
            "id": record_id("person", key_), "name": name,
            "aliases": sorted(f for f in forms if f != name),
            "title": main["title"] if main else None,
            "country": (main["country"] if main and main["country"] else
                        (countries.most_common(1)[0][0] if countries else None)),
            "date": max((str(x["last"]) for x in held.values() if x["last"]), default=None),
            "first_date": min((str(x["first"]) for x in held.values() if x["first"]), default=None),
            "roles": roles_out, "documents": documents,
            # the main role's sources first: they say what the record's title says
            "sources": [s for x in ([main] if main else []) + [x for x in roles_out if x is not main]
                        for s in x["sources"]][:10] or [source(mentions[0])],
        })
    records.sort(key=lambda r: r["name"])
    return records
