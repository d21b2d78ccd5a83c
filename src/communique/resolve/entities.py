"""Canonical entities with their aliases, the facts that involve them and where they are named."""

from __future__ import annotations

import re
from collections import defaultdict
from typing import Any

from communique.extract.gazetteer import gazetteer
from communique.resolve.common import record_id
from communique.store import Store

__all__ = ["resolve_entities"]

MENTION_SOURCES = 20


_LOCATED = re.compile(r"\s*(?:\(\w+\)\s*)?,?\s*(?:in|located in|based in|at)\s+(?:the\s+)?([A-Z][\w.' -]{1,40})")


def _note_location(entity: dict[str, Any], row: Any, g: Any) -> None:
    """'the ASEAN Culture House in Busan': where an institution is, with the passage that says so."""
    if entity["kind"] not in ("institution", "organisation") or entity.get("location"):
        return
    m = _LOCATED.match(row["after"] or "")
    if not m:
        return
    words = m.group(1).split()
    for n in range(min(4, len(words)), 0, -1):
        place = " ".join(words[:n]).rstrip(".,")
        if g.country_of_place(place):
            start = row["end"]
            stop = start + m.start(1) + len(place)
            entity["location"] = {"city": place, "country": g.country_of_place(place),
                                  "source": {"document": row["path"], "title": row["title"], "date": row["date"],
                                             "start": row["start"], "end": stop,
                                             "quote": row["quote"] + (row["after"] or "")[: stop - start]}}
            return


def resolve_entities(store: Store, events: list[dict[str, Any]], meetings: list[dict[str, Any]]) -> list[dict[str, Any]]:
    g = gazetteer()
    entities: dict[str, dict[str, Any]] = {}
    rows = store.mentions()
    for r in rows:
        e = entities.get(r["name"])
        if e is None:
            kind = r["kind"] if r["kind"] != "place" else "place"
            e = entities[r["name"]] = {
                "name": r["name"], "kind": kind, "aliases": g.entity_aliases.get(r["name"], []),
                "country": g.country_of_place(r["name"]) if kind == "place" else None,
                "mentions": 0, "documents": 0, "events": [], "meetings": [], "sources": [],
            }
        _note_location(e, r, g)
        e["mentions"] += r["count"]
        if r["count"]:
            e["documents"] += 1
        if len(e["sources"]) < MENTION_SOURCES:
            e["sources"].append({"document": r["path"], "title": r["title"], "date": r["date"],
                                 "start": r["start"], "end": r["end"], "quote": r["quote"]})
    for ev in events:
        for name in ev.get("entities", []):
            if name in entities:
                entities[name]["events"].append({"id": ev["id"], "date": ev["date"], "kind": ev["kind"], "label": ev["label"]})
    short_to_name = {short: name for name, short in g.state_short.items()}
    for m in meetings:
        for party in m.get("parties", []):
            name = short_to_name.get(party)
            if name in entities:
                entities[name]["meetings"].append({"id": m["id"], "mechanism": m["mechanism"], "ordinal": m["ordinal"], "date": m["date"]})
        for place in (m.get("city"), m.get("country")):
            if place in entities and m["id"] not in {x["id"] for x in entities[place]["meetings"]}:
                entities[place]["meetings"].append({"id": m["id"], "mechanism": m["mechanism"], "ordinal": m["ordinal"], "date": m["date"]})
    mechanisms: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in meetings:
        mechanisms[m["mechanism"]].append(m)
    for name, items in mechanisms.items():
        entities.setdefault(name, {"name": name, "kind": "mechanism", "aliases": [], "country": None, "mentions": 0,
                                   "documents": 0, "events": [], "meetings": [], "sources": []})
        e = entities[name]
        e["meetings"] = [{"id": m["id"], "mechanism": m["mechanism"], "ordinal": m["ordinal"], "date": m["date"]} for m in items]
        e["mentions"] += sum(len(m["sources"]) for m in items)
        for m in items:
            for s in m["sources"]:
                if len(e["sources"]) < MENTION_SOURCES:
                    e["sources"].append(s)
    records = sorted(entities.values(), key=lambda e: (-e["mentions"], e["name"]))
    for e in records:
        e["id"] = record_id("entity", e["name"])
        dated = sorted(str(x["date"]) for x in e["events"] if x.get("date"))
        e["date"] = dated[0] if dated else None
    return records
