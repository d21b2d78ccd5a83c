"""Partnership scope: the documents and records that involve every party of a partnership.

A partnership is named by its parties joined with hyphens, en dashes, slashes, commas or "and"
("ASEAN-ROK", "ROK-U.S.", "Japan-ROK-U.S.", "ASEAN and the United States"); each party is resolved
to its canonical name through the states gazetteer (aliases and short forms, any case).

A document involves a party when its publisher is that party (or its seat of government: "The
White House" is the United States), when its title names the party, or when its text names the
party at least ``MIN_MENTIONS`` times: one passing mention ("leaders of the G7 and the Republic of
Korea") does not make a document part of a partnership. Records are read through small functions
(``scope_meetings``, ``scope_records``) so that a change of record shape is one change here.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Callable

from communique.errors import QueryError
from communique.extract.gazetteer import gazetteer
from communique.store import Store

__all__ = ["Partnership", "Scope", "parse_partnership", "scope_of", "scope_meetings", "scope_records",
           "partnerships", "party_names_in", "MIN_MENTIONS"]

MIN_MENTIONS = 2
_SEPARATORS = re.compile(r"\s*(?:[-–—/,+]|\band\b|\bthe\b)\s*", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Partnership:
    parties: tuple[str, ...]  # canonical names, in the order given
    shorts: tuple[str, ...]  # short forms ("ASEAN", "ROK", "U.S.")

    @property
    def name(self) -> str:
        return "-".join(self.shorts)

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "parties": list(self.parties), "shorts": list(self.shorts)}


@dataclass(slots=True)
class Scope:
    """What a partnership covers in one knowledge base: document ids and paths."""

    partnership: Partnership
    document_ids: set[str] = field(default_factory=set)
    paths: set[str] = field(default_factory=set)

    def __contains__(self, path: str) -> bool:
        return path in self.paths


@lru_cache(maxsize=1)
def _alias_table() -> dict[str, str]:
    """Lower-cased alias or short form -> canonical name, for states and blocs."""
    g = gazetteer()
    table: dict[str, str] = {}
    for name, state in g.states.items():
        for alias in [name, state.get("short", name), *state.get("aliases", [])]:
            table.setdefault(alias.lower(), name)
    return table


def _canonical(word: str) -> str | None:
    return _alias_table().get(word.strip().lower())


def parse_partnership(text: str) -> Partnership:
    """Resolve "ASEAN-ROK" (or any two or more parties) to canonical parties.

    The longest alias is taken at each point, so hyphenated names ("Timor-Leste") stay whole.

    Raises:
        QueryError: fewer than two parties, or a party the gazetteer does not know.
    """
    text = (text or "").strip()
    if not text or len(text) > 200:
        raise QueryError("a partnership is two or more parties joined by '-', e.g. 'ASEAN-ROK'")
    aliases = sorted(_alias_table(), key=len, reverse=True)
    parties: list[str] = []
    i = 0
    low = text.lower()
    while i < len(text):
        sep = _SEPARATORS.match(text, i)
        if sep and sep.end() > i:
            i = sep.end()
            continue
        hit = next((a for a in aliases if low.startswith(a, i) and (i + len(a) == len(text) or not text[i + len(a)].isalnum()
                                                                   or a.endswith("."))), None)
        if hit is None:
            word = re.split(r"[-–—/,+]", text[i:], maxsplit=1)[0].strip()
            raise QueryError(f"unknown party {word!r} in partnership {text!r}: name states or blocs (ASEAN, ROK, U.S., Japan...)")
        name = _alias_table()[hit]
        if name not in parties:
            parties.append(name)
        i += len(hit)
    if len(parties) < 2:
        raise QueryError(f"partnership {text!r} names fewer than two parties: join two or more with '-', e.g. 'ASEAN-ROK'")
    g = gazetteer()
    return Partnership(tuple(parties), tuple(g.state_short.get(p, p) for p in parties))


def party_names_in(text: str | None) -> set[str]:
    """Canonical states and blocs named in a short text (a title, a publisher, a label)."""
    if not text:
        return set()
    g = gazetteer()
    found = set()
    for m in g.find(text):
        if m.kind in ("state", "organisation", "demonym") and m.name in g.states:
            found.add(m.name)
        elif m.name in g.seat_of:
            found.add(g.seat_of[m.name])
    return found


def _publisher_parties(publisher: str | None) -> set[str]:
    if not publisher:
        return set()
    g = gazetteer()
    found = party_names_in(publisher)
    for seat, state in g.seat_of.items():
        if seat.lower() in publisher.lower():
            found.add(state)
    return found


def _document_parties(store: Store) -> dict[str, tuple[str, set[str]]]:
    """document id -> (path, the parties its title or publisher names), read once per store: every
    partnership's scope looks at the same documents."""
    cached = getattr(store, "_document_parties", None)
    if cached is None:
        cached = {r["id"]: (r["path"], party_names_in(r["title"]) | _publisher_parties(r["publisher"]))
                  for r in store.document_catalog()}
        store._document_parties = cached  # type: ignore[attr-defined]
    return cached


def _documents_naming(store: Store) -> dict[str, set[str]]:
    """party -> ids of the documents whose title or publisher names it (``_document_parties`` inverted)."""
    cached = getattr(store, "_documents_naming", None)
    if cached is None:
        cached = defaultdict(set)
        for doc_id, (_, named) in _document_parties(store).items():
            for party in named:
                cached[party].add(doc_id)
        store._documents_naming = cached  # type: ignore[attr-defined]
    return cached


def _mentions_by_name(store: Store, names: set[str]) -> dict[str, dict[str, int]]:
    """name -> {document id: its mentions} for each of ``names``, in one pass over the mentions."""
    out: dict[str, dict[str, int]] = defaultdict(dict)
    for doc_id, name, n in store.mention_counts(names=tuple(sorted(names))):
        out[name][doc_id] = n
    return out


def scope_of(store: Store, partnership: Partnership | str,
             mentions: dict[str, dict[str, int]] | None = None) -> Scope:
    """The documents that involve every party of ``partnership`` (see the module docstring).
    ``mentions``: ``_mentions_by_name`` of (at least) its parties, where the caller has it already."""
    p = parse_partnership(partnership) if isinstance(partnership, str) else partnership
    cache = getattr(store, "_partnership_scopes", None)
    if cache is None:
        cache = {}
        store._partnership_scopes = cache  # type: ignore[attr-defined]  # one store, one knowledge base version
    if p in cache:
        return cache[p]
    wanted = set(p.parties)
    if mentions is None:
        mentions = _mentions_by_name(store, wanted)
    scope = Scope(p)
    named_in = _document_parties(store)
    naming = _documents_naming(store)
    # a document that mentions one of the parties, where each party is named in its title or
    # publisher or mentioned MIN_MENTIONS times (sets of document ids: a partnership of the United
    # States looks at nearly every document of the White House)
    keep = set().union(*(mentions.get(party, {}).keys() for party in wanted)) & named_in.keys()
    for party in wanted:
        if not keep:
            break
        keep &= naming.get(party, set()) | {d for d, n in mentions.get(party, {}).items() if n >= MIN_MENTIONS}
    scope.document_ids = keep
    scope.paths = {named_in[d][0] for d in keep}
    cache[p] = scope
    return scope


def _meeting_parties(meeting: dict[str, Any]) -> set[str]:
    names = {_canonical(x) for x in meeting.get("parties") or []}
    names.discard(None)
    if not names:
        names = party_names_in(meeting.get("mechanism"))
    return names  # type: ignore[return-value]


def scope_meetings(meetings: list[dict[str, Any]], partnership: Partnership, wider: bool = False) -> list[dict[str, Any]]:
    """The partnership's own meetings: those whose parties are exactly its parties (``wider``: every
    meeting whose parties include them, such as a trilateral summit for a bilateral partnership)."""
    wanted = set(partnership.parties)
    return [m for m in meetings if (wanted <= _meeting_parties(m) if wider else _meeting_parties(m) == wanted)]


def _source_paths(record: dict[str, Any]) -> set[str]:
    paths = {s["document"] for s in record.get("sources") or [] if s.get("document")}
    if record.get("document"):
        paths.add(record["document"])
    return paths


def scope_records(table: str, records: list[dict[str, Any]], scope: Scope, wider: bool = False) -> list[dict[str, Any]]:
    """Records of one table that involve the partnership.

    meetings: see ``scope_meetings``; commitments: clauses of the partnership's documents; events:
    those stated in its documents whose sentence or entities name one of its parties; figures: stated
    in its documents, and when the figure names its parties, those include one of the partnership's;
    people: those whose role, attested in its documents, belongs to one of its parties, names one in
    its title ("U.S. Ambassador to ASEAN") or chaired one of its meetings; entities: named in its documents; timeline items: meetings or events as above."""
    parties = set(scope.partnership.parties)
    if table == "meetings":
        return scope_meetings(records, scope.partnership, wider)
    if table == "commitments":
        return [r for r in records if r["document"] in scope.paths]
    if table == "events":
        return [r for r in records if _source_paths(r) & scope.paths
                and (parties & set(r.get("entities") or []) or parties & party_names_in(r.get("label")))]
    if table == "figures":
        out = []
        for r in records:
            named = {_canonical(x) or x for x in r.get("parties") or []}
            if _source_paths(r) & scope.paths and (not named or named & parties):
                out.append(r)
        return out
    if table == "people":
        out = []
        for r in records:
            roles = [x for x in r.get("roles") or [] if x.get("document") in scope.paths]
            if any(x.get("country") in parties or x.get("meeting") or parties & party_names_in(x.get("title")) for x in roles):
                out.append(r)
        return out
    if table == "timeline":
        return [r for r in records if (r["kind"] == "meeting" and _source_paths(r) & scope.paths)
                or (r["kind"] != "meeting" and _source_paths(r) & scope.paths and parties & party_names_in(r.get("label")))]
    return [r for r in records if _source_paths(r) & scope.paths]


def _records_by_path(records: list[dict[str, Any]]) -> dict[str, list[int]]:
    """document path -> positions of the records with a source in it (``_source_paths``)."""
    out: dict[str, list[int]] = defaultdict(list)
    for i, record in enumerate(records):
        for path in _source_paths(record):
            out[path].append(i)
    return out


def partnerships(store: Store, records: Callable[[str], list[dict[str, Any]]] | None = None) -> list[dict[str, Any]]:
    """The partnerships the knowledge base holds: every set of two or more known parties that meet
    in a mechanism, with the number of its meetings, documents, commitments, events and figures.
    ``records``: where to read a table's records (a server's shared copy; default: the store)."""
    records = records or store.records
    meetings = records("meetings")
    sets: dict[frozenset[str], int] = defaultdict(int)
    for m in meetings:
        parties = _meeting_parties(m)
        if len(parties) >= 2:
            sets[frozenset(parties)] += 1
    out = []
    if not sets:
        return out
    g = gazetteer()
    mentions = _mentions_by_name(store, set().union(*sets))  # one pass for every partnership, not one each
    tables = {"commitments": records("commitments"), "events": records("events"), "figures": records("figures")}
    by_path = {table: _records_by_path(rows) for table, rows in tables.items()}
    for parties, n in sets.items():
        ordered = tuple(sorted(parties, key=lambda x: g.state_short.get(x, x).lower()))
        p = Partnership(ordered, tuple(g.state_short.get(x, x) for x in ordered))
        scope = scope_of(store, p, mentions)
        counts = {}
        for table, rows in tables.items():
            # only records with a source among the scope's documents can be the partnership's
            near = sorted(set().union(*(by_path[table].get(path, ()) for path in scope.paths)))
            counts[table] = len(scope_records(table, [rows[i] for i in near], scope))
        out.append(p.as_dict() | {"meetings": n, "documents": len(scope.paths)} | counts)
    out.sort(key=lambda r: (-r["meetings"], -r["documents"], r["name"]))  # the partnerships that meet most first
    return out
