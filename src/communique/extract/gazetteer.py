"""Gazetteer matching: states, places, organisations and titles found in one pass of one automaton.

The automaton is built once per process from the YAML files in ``data/gazetteers`` and matched
case-sensitively on whole words, keeping the longest match where matches overlap.
"""

from __future__ import annotations

from functools import lru_cache
from typing import NamedTuple

import ahocorasick

from communique.data import load_data

__all__ = ["EntityMention", "Gazetteer", "gazetteer"]


class EntityMention(NamedTuple):
    start: int
    end: int
    surface: str
    name: str  # canonical name
    kind: str  # state | organisation | place | institution | fund | policy | document | programme | mechanism | demonym | title | seat


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class Gazetteer:
    """Every alias of every known entity, with its canonical name and kind."""

    def __init__(self) -> None:
        self.states: dict[str, dict] = {}
        self.state_short: dict[str, str] = {}  # canonical state -> short form
        self.alias_state: dict[str, str] = {}
        self.city_country: dict[str, str] = {}
        self.entity_kind: dict[str, str] = {}
        self.entity_aliases: dict[str, list[str]] = {}
        self.titles: list[str] = list(load_data("gazetteers/titles.yaml"))
        automaton = ahocorasick.Automaton()
        entries: dict[str, tuple[str, str]] = {}

        for state in load_data("gazetteers/states.yaml"):
            name = state["name"]
            kind = state.get("kind", "state")
            self.states[name] = state
            self.state_short[name] = state.get("short", name)
            self.entity_kind[name] = kind
            self.entity_aliases[name] = list(state.get("aliases", []))
            for alias in state.get("aliases", []):
                entries[alias] = (name, kind)
                self.alias_state[alias] = name
            for demonym in state.get("demonyms", []):
                entries.setdefault(demonym, (name, "demonym"))
        for city, country in load_data("gazetteers/places.yaml").items():
            self.city_country[city] = country
            entries.setdefault(city, (city, "place"))
        self.seat_of: dict[str, str] = {}  # seat of government -> its state ("White House" -> "United States")
        self.seat_city: dict[str, str] = {}  # seat of government -> its city ("White House" -> "Washington")
        for entity in load_data("gazetteers/entities.yaml"):
            name = entity["name"]
            self.entity_kind[name] = entity["kind"]
            if entity.get("seat_of"):
                self.seat_of[name] = entity["seat_of"]
            if entity.get("seat_city"):
                self.seat_city[name] = entity["seat_city"]
            self.entity_aliases[name] = list(entity.get("aliases", []))
            for alias in entity.get("aliases", [name]):
                entries[alias] = (name, entity["kind"])
        for title in self.titles:
            entries.setdefault(title, (title, "title"))
        for alias, (name, kind) in list(entries.items()):  # "People's" is also written "People’s"
            if "'" in alias:
                entries.setdefault(alias.replace("'", "’"), (name, kind))
        for alias, (name, kind) in entries.items():
            automaton.add_word(alias, (len(alias), alias, name, kind))
        automaton.make_automaton()
        self.automaton = automaton

    def find(self, text: str, start: int = 0, end: int | None = None) -> list[EntityMention]:
        """Whole-word, longest, non-overlapping matches in ``text[start:end]`` (absolute offsets)."""
        end = len(text) if end is None else end
        found: list[EntityMention] = []
        for last, (length, alias, name, kind) in self.automaton.iter(text, start, end):
            first = last - length + 1
            if first > 0 and _is_word_char(text[first - 1]) and _is_word_char(alias[0]):
                continue
            if last + 1 < len(text) and ((_is_word_char(text[last + 1]) and _is_word_char(alias[-1])) or text[last + 1] == "$"):
                continue  # inside a word, or a currency sign ("US$")
            found.append(EntityMention(first, last + 1, alias, name, kind))
        found.sort(key=lambda m: (m.start, -(m.end - m.start)))
        kept: list[EntityMention] = []
        cursor = -1
        for m in found:
            if m.start >= cursor:
                kept.append(m)
                cursor = m.end
        return kept

    def country_of_place(self, name: str) -> str | None:
        return self.city_country.get(name)

    def is_state(self, name: str) -> bool:
        return self.entity_kind.get(name) == "state"


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The process-wide gazetteer (built on first use, about 10 ms)."""
    return Gazetteer()
