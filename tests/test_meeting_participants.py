"""Whose state a meeting's participant represents: a leader the sentence names without a state takes
the state the corpus states for that name, not the publisher's own (``resolve.participants``)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from communique.resolve.meetings import _add_participant
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
