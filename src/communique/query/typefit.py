"""What kind of thing a "who" or "where" question demands, beyond its wh-word (``query.ask._type_fits``).

"Who" on its own may be answered by a group or a body ("the Normans", "the Parliament"), and "where" by
an institution ("at the University of Chicago"). Some questions say more:
- a question naming a role only a person holds ("which official", "the Egyptian co-chair", "who led the
  delegation", "who represents China") demands a person: a state ("Tunisia"), a city or a body of
  government ("the White House", "the Department of State") is none, whatever the parser labels it;
- a question asking for a building ("in which building", "at what venue") is not answered by a state
  or a city ("France"), nor by a body of government ("the Government of Canada").
The words are general vocabulary in ``data/questions.yaml`` (``person_roles``, ``building_heads``,
``body_words``).
"""

from __future__ import annotations

import re
from functools import lru_cache

from communique.data import load_data
from communique.query.matching import stem

__all__ = ["demands_person", "demands_building", "names_body"]

_WORD = re.compile(r"[^\W\d_][\w'’-]*")


@lru_cache(maxsize=1)
def _lists() -> dict[str, frozenset[str]]:
    data = load_data("questions.yaml").get("type_fit", {})
    return {"roles": frozenset(w.lower() for w in data.get("person_roles", [])),
            "role_heads": frozenset(stem(w) for w in data.get("person_heads", [])),
            "buildings": frozenset(stem(w) for w in data.get("building_heads", [])),
            "person": frozenset(w.lower() for w in data.get("body_words", [])),
            "place": frozenset(w.lower() for w in data.get("no_place_bodies", []))}


@lru_cache(maxsize=1024)
def demands_person(question: str, head: str | None = None) -> bool:
    """The question names a role only a person holds: its head noun (stemmed) is one of ``person_heads``
    ("which official", "what minister") or it says a word of ``person_roles`` ("co-chair", "envoy",
    "led the delegation"). Cached: it is asked once per candidate of the question."""
    lists = _lists()
    if head is not None and head in lists["role_heads"]:
        return True
    words = _WORD.findall(question.lower())
    return any(w in lists["roles"] for w in words)


def demands_building(head: str | None) -> bool:
    """The question's head noun (stemmed) asks for a building or a venue ("in which building")."""
    return head is not None and head in _lists()["buildings"]


def names_body(text: str, kind: str = "person") -> bool:
    """The span names a body and nothing more: its head word, the last before "of" or the last of all,
    capitalised, is one of ``body_words`` (for a person) or ``no_place_bodies`` (for a place): "the
    Government of Canada", "United States Department", "the White House"; not "Secretary of State
    Antony J. Blinken", not "House Speaker Mike Johnson"."""
    words = _WORD.findall(text)
    head = words[: words.index("of")] if "of" in words else words
    return bool(head) and head[-1][:1].isupper() and head[-1].lower() in _lists()[kind]
