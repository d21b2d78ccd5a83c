"""Reading resolved records: meetings, events, commitments, figures, people, entities, timeline."""

from __future__ import annotations

import re
from typing import Any

from communique.errors import QueryError
from communique.store import Store

__all__ = ["meetings", "events", "commitments", "figures", "people", "entities", "entity", "timeline", "timeline_of", "EVENT_KINDS"]

EVENT_KINDS = ("relationship", "agreement", "document", "institution", "initiative", "appointment", "membership", "policy",
               "other")


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9+]+", " ", text.lower().replace("’", "'")).strip()


def meetings(store: Store, mechanism: str | None = None) -> list[dict[str, Any]]:
    """Meetings, optionally of one mechanism (matched on its words: 'asean rok dialogue')."""
    records = store.records("meetings")
    if mechanism:
        want = set(_fold(mechanism).split())
        records = [r for r in records if want <= set(_fold(r["mechanism"]).split())]
    return records


def events(store: Store, kind: str | None = None, include_planned: bool = True) -> list[dict[str, Any]]:
    if kind and kind not in EVENT_KINDS:
        raise QueryError(f"unknown event kind {kind!r}: choose one of {', '.join(EVENT_KINDS)}")
    records = store.records("events", kind)
    return [r for r in records if include_planned or not r.get("planned")]


def commitments(store: Store, document: str | None = None, part: str = "operative") -> list[dict[str, Any]]:
    """Clauses of declarations; ``part`` is operative, preamble or all."""
    records = store.records("commitments")
    if part != "all":
        records = [r for r in records if r.get("operative", True) == (part == "operative")]
    if document:
        records = [r for r in records if document in r["document"] or document.lower() in (r.get("document_title") or "").lower()]
    return records


def figures(store: Store, measure: str | None = None) -> list[dict[str, Any]]:
    return store.records("figures", measure)


def people(store: Store, name: str | None = None) -> list[dict[str, Any]]:
    records = store.records("people")
    if name:
        records = [r for r in records if _fold(name) in _fold(r["name"])]
    return records


def entities(store: Store, kind: str | None = None) -> list[dict[str, Any]]:
    return store.records("entities", kind)


def entity(store: Store, name: str) -> dict[str, Any] | None:
    """One entity by canonical name or alias (case-insensitive)."""
    want = _fold(name)
    for record in store.records("entities"):
        if _fold(record["name"]) == want or any(_fold(a) == want for a in record.get("aliases", [])):
            return record
    return None


def timeline(store: Store, kind: str | None = None, since: str | None = None, until: str | None = None,
             newest_first: bool = False) -> list[dict[str, Any]]:
    """Meetings and events in date order (or newest first), as uniform items."""
    return timeline_of(store.records("meetings"), store.records("events"), kind, since, until, newest_first)


def timeline_of(meetings: list[dict[str, Any]], events: list[dict[str, Any]], kind: str | None = None,
                since: str | None = None, until: str | None = None, newest_first: bool = False) -> list[dict[str, Any]]:
    """The timeline of given meeting and event records."""
    items: list[dict[str, Any]] = []
    if kind in (None, "meeting"):
        for m in meetings:
            if m["date"]:
                label = f"{_ordinal(m['ordinal'])}{m['mechanism']}"
                venue = ", ".join(x for x in (m["city"], m["country"] if m["country"] != m["city"] else None) if x)
                status = m.get("status") or ("planned" if m.get("planned") else "held")
                people = [p["name"] if isinstance(p, dict) else str(p) for p in m.get("participants", [])]
                label += f" — {venue}" if venue else ""
                label += f" ({status})" if status != "held" else ""
                label += f" · {', '.join(people[:4])}" if people else ""
                items.append({"date": m["date"], "kind": "meeting", "label": label, "status": status,
                              "participants": m.get("participants", []), "id": m["id"], "sources": m["sources"]})
    if kind != "meeting":
        for e in (e for e in events if kind is None or e["kind"] == kind):
            items.append({"date": e["date"], "kind": e["kind"], "label": e["label"], "id": e["id"], "sources": e["sources"]})
    if since:
        items = [i for i in items if str(i["date"])[: len(since)] >= since]
    if until:
        items = [i for i in items if str(i["date"])[: len(until)] <= until]
    items.sort(key=lambda i: (str(i["date"]), i["kind"] != "meeting"))
    if newest_first:
        items.sort(key=lambda i: str(i["date"]).split("/")[0], reverse=True)  # stable: same-date order kept
    return items


def _ordinal(n: int | None) -> str:
    if n is None:
        return ""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix} "
