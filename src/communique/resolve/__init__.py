"""Resolve: merge facts across documents into the records users see.

``resolve_all`` rebuilds every resolved table (meetings, events, commitments, figures, people,
entities) from the stored facts, inside the caller's transaction.
"""

from __future__ import annotations

from communique.resolve.common import write_records
from communique.resolve.entities import resolve_entities
from communique.resolve.events import resolve_events
from communique.resolve.facts import resolve_commitments, resolve_figures, resolve_people
from communique.resolve.meetings import resolve_meetings
from communique.store.db import Store

__all__ = ["resolve_all"]


def resolve_all(store: Store) -> dict[str, int]:
    """Rebuild the resolved tables; returns how many records each holds."""
    meetings = resolve_meetings(store)
    events = resolve_events(store)
    counts = {
        "meetings": write_records(store, "meetings", meetings, "mechanism"),
        "events": write_records(store, "events", events, "kind"),
        "commitments": write_records(store, "commitments", resolve_commitments(store), "document"),
        "figures": write_records(store, "figures", resolve_figures(store), "measure"),
        "people": write_records(store, "people", resolve_people(store), "name"),
    }
    counts["entities"] = write_records(store, "entities", resolve_entities(store, events, meetings), "kind")
    return counts
