"""Whose state a meeting's participant represents, where the sentence that names them does not say.

A leader named without a state ("Prime Minister Kishida", "President Xi" in a White House account of a
summit) is first given the publisher's own state (``extract.meetings``), with ``country_assumed`` set.
After the merge, such a participant takes instead the state that the corpus's people mentions give
the same name ("Prime Minister Kishida of Japan", "Japanese Prime Minister Kishida"), when those
mentions agree: at least ``MIN_MENTIONS`` of them and ``MIN_SHARE`` of all that name a state. A
surname alone ("President Sall") is placed by the mentions of every name ending in it ("President Macky
Sall of Senegal"), under the same agreement, so a surname that several states' people share stays
unplaced. A name the corpus never places keeps the publisher's state.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from typing import Any

from communique.extract.leaders import surname
from communique.store import Store

__all__ = ["stated_states", "place_participants"]

MIN_MENTIONS = 2
MIN_SHARE = 0.75


def stated_states(store: Store) -> dict[str, Counter[str]]:
    """Per person's name as written in role mentions, and per surname (keyed ``"~Sall"``): how often
    each state is stated beside it."""
    out: dict[str, Counter[str]] = defaultdict(Counter)
    for row in store.iter_facts("role"):
        v = json.loads(row["value"])
        if v.get("country") and v.get("name"):
            out[v["name"]][v["country"]] += 1
            out["~" + surname(v["name"])][v["country"]] += 1
    return out


def state_of(name: str, states: dict[str, Counter[str]]) -> str | None:
    """The one state the corpus's mentions give ``name`` (a lone surname: the names ending in it), or
    None where they are few or disagree."""
    keys = [name] if " " in name else [name, "~" + name]
    for key in keys:
        counts = states.get(key)
        if not counts:
            continue
        state, n = counts.most_common(1)[0]
        if n >= MIN_MENTIONS and n >= MIN_SHARE * sum(counts.values()):
            return state
    return None


def place_participants(records: list[dict[str, Any]], store: Store) -> None:
    """Give each participant whose state was assumed the state the corpus states for them (in place);
    the ``country_assumed`` marks are removed."""
    states: dict[str, Counter[str]] | None = None
    for r in records:
        for person in r.get("participants", []):
            if not isinstance(person, dict) or not person.pop("country_assumed", False):
                continue
            if states is None:
                states = stated_states(store)
            stated = state_of(person["name"], states)
            if stated:
                person["country"] = stated
