"""Milestones merged across documents: the same kind of step, on compatible dates, about the same
named things, is one event with several sources; the most precise date wins."""

from __future__ import annotations

import re
from typing import Any

from communique.resolve.common import FactRow, date_compatible, load_facts, more_precise, record_id, source
from communique.store import Store

__all__ = ["resolve_events"]

# Entities too general to tell two milestones apart.
_GENERIC = frozenset({"Association of Southeast Asian Nations", "Republic of Korea", "United States"})


def _key_entities(f: FactRow) -> frozenset[str]:
    return frozenset(e for e in f.value.get("entities", []) if e not in _GENERIC)


def _words(label: str) -> set[str]:
    return {w[:6] for w in re.findall(r"[a-z]{4,}", label.lower())}


def _similar(a: str, b: str) -> bool:
    """Two labels tell of the same step when most of their words agree."""
    x, y = _words(a), _words(b)
    return bool(x and y) and len(x & y) / min(len(x), len(y)) >= 0.5


def resolve_events(store: Store) -> list[dict[str, Any]]:
    facts = load_facts(store, "event")
    records: list[dict[str, Any]] = []
    index: dict[tuple[str, frozenset[str], str], list[dict[str, Any]]] = {}
    for f in sorted(facts, key=lambda f: -len(str(f.value["date"]).split("/")[0])):
        v = f.value
        ents = _key_entities(f)
        key = (v["kind"], ents, str(v["date"])[:4])
        match = None
        if ents:
            match = next((r for r in index.get(key, []) if date_compatible(r["date"], v["date"])
                          and _similar(r["label"], v["label"])), None)
        if match is None:
            record = {
                "date": v["date"], "date_inferred": v.get("date_inferred", False), "kind": v["kind"],
                "label": v["label"], "entities": list(v.get("entities", [])), "planned": v.get("planned", False),
                "sources": [source(f)],
            }
            records.append(record)
            index.setdefault(key, []).append(record)
        else:
            match["date"] = more_precise(match["date"], v["date"])
            match["sources"].append(source(f))
            for e in v.get("entities", []):
                if e not in match["entities"]:
                    match["entities"].append(e)
    for r in records:
        r["id"] = record_id("event", r["kind"], r["label"], r["date"])
    records.sort(key=lambda r: (str(r["date"]), r["kind"], r["label"]))
    return records
