"""Whose state a meeting's participant represents: a leader the sentence names without a state takes
the state the corpus states for that name, not the publisher's own (``resolve.participants``)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from communique.extract.analysis import Analysis
from communique.extract.leaders import find_leaders
from communique.model import Document
from communique.resolve.meetings import _add_participant
from communique.resolve.participants import state_of
from tests.conftest import run_cli, wh_documents_db


@pytest.fixture(scope="module")
def kishida_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    # the White House documents about Prime Minister Kishida: bilateral meetings, Quad summits, trilaterals
    return wh_documents_db(tmp_path_factory, "kishida", lambda name: "kishida" in name, 40)


def _participants(db: Path) -> list[tuple[str, str, str | None]]:
    out = json.loads(run_cli("meetings", "--db", str(db), "--json").stdout)
    rows = out if isinstance(out, list) else next(v for v in out.values() if isinstance(v, list))
    return [(m["mechanism"], p["name"], p.get("country")) for m in rows for p in m["participants"]]


def test_leaders_at_a_summit_keep_their_own_states(kishida_db: Path) -> None:
    people = _participants(kishida_db)
    quad = [(name, state) for mech, name, state in people if mech.startswith("Quad")]
    assert any("Kishida" in name for name, _ in quad), quad
    # Kishida, Modi and Albanese at a Quad summit are no U.S. participants (the publisher's state)
    for name, state in quad:
        if any(s in name for s in ("Kishida", "Modi", "Albanese")):
            assert state in ("Japan", "India", "Australia"), (name, state)
    assert all(state == "United States" for _, name, state in people if "Biden" in name)
    assert not any("country_assumed" in str(p) for p in people)


def test_a_stated_state_wins_over_an_assumed_one_when_mentions_merge() -> None:
    people: list = []
    _add_participant(people, {"name": "Kishida", "title": "Prime Minister", "country": "United States",
                              "country_assumed": True})
    _add_participant(people, {"name": "Fumio Kishida", "title": "Prime Minister", "country": "Japan"})
    assert people == [{"name": "Fumio Kishida", "title": "Prime Minister", "country": "Japan"}]
    people = []
    _add_participant(people, {"name": "Fumio Kishida", "title": "Prime Minister", "country": "Japan"})
    _add_participant(people, {"name": "Kishida", "title": "Prime Minister", "country": "United States",
                              "country_assumed": True})
    assert people == [{"name": "Fumio Kishida", "title": "Prime Minister", "country": "Japan"}]


def test_a_name_written_family_name_first_is_one_participant() -> None:
    people: list = []
    for name in ("Kishida Fumio", "Kishida", "Narendra Modi", "Modi"):
        _add_participant(people, {"name": name, "title": "Prime Minister", "country": None})
    assert [p["name"] for p in people] == ["Kishida Fumio", "Narendra Modi"]


def test_a_lone_surname_takes_the_state_its_full_names_agree_on() -> None:
    states = {"Macky Sall": Counter({"Senegal": 3}), "~Sall": Counter({"Senegal": 3}),
              "~Lee": Counter({"Singapore": 2, "Republic of Korea": 2})}
    assert state_of("Sall", states) == "Senegal"
    assert state_of("Lee", states) is None  # several states' people share it: left unplaced
    assert state_of("Jane Sall", states) is None  # a full name is placed by its own mentions only


@pytest.mark.parametrize(("sentence", "name"), [
    ("President Biden Announces Host City for the Summit.", "Biden"),
    ("President Biden spoke with Prime Minister Mohammed Shia’ al-Sudani of Iraq.", "Mohammed Shia’ al-Sudani"),
])
def test_a_leaders_name_ends_where_the_name_does(sentence: str, name: str) -> None:
    doc = Document(id="t", path="t.txt", text=sentence, text_hash="t", format="txt", encoding="utf-8", size=len(sentence))
    assert name in [leader.name for leader in find_leaders(Analysis(doc), 0, len(sentence))]
