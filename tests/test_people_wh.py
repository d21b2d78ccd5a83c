"""People on real White House documents: names whole and validated, one person across documents
with roles over time, "former" respected, and who held a role when."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import WH, needs_wh, run_cli

DOCS = [
    "statements-releases/2024-11/2024-11-19-readout-of-president-joe-bidens-meeting-with-president-luiz-inacio-lula-"
    "da-silva-of-brazil.md",
    "statements-releases/2021-01/2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-"
    "canada.md",
    "statements-releases/2022-07/2022-07-14-the-jerusalem-u-s-israel-strategic-partnership-joint-declaration.md",
    "speeches-remarks/2024-05/2024-05-23-remarks-by-president-biden-and-president-william-ruto-of-the-republic-of-"
    "kenya-in-joint-press-conference.md",
    "fact-sheets/2025-05/2025-05-13-fact-sheet-president-donald-j-trump-secures-historic-600-billion-investment-"
    "commitment-in-saudi-arabia.md",
]


@pytest.fixture(scope="module")
def people_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    folder = tmp_path_factory.mktemp("people") / "docs"
    for rel in DOCS:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WH / rel, folder / rel)
    db = folder.parent / "kb.db"
    run_cli("build", str(folder), "--db", str(db), "-q")
    return db


def _people(db: Path) -> list[dict]:
    return json.loads(run_cli("people", "--db", str(db), "--json").stdout)


@needs_wh
def test_names_are_whole_and_are_names(people_db: Path) -> None:
    names = {p["name"] for p in _people(people_db)}
    assert "Luiz Inácio Lula da Silva" in names  # not "Luiz In"
    assert not any("." in n.split()[-1] and len(n.split()[-1]) > 3 for n in names)  # "Ruto. But"
    assert not any(n.endswith(("’s", "'s", "Secures", "Park", "Airport")) for n in names)
    assert "Donald J. Trump" in names


@needs_wh
def test_one_biden_across_documents_with_dates(people_db: Path) -> None:
    bidens = [p for p in _people(people_db) if p["name"].split()[-1] in ("Biden", "Jr.") and "Jill" not in p["name"]]
    assert len(bidens) == 1, [p["name"] for p in bidens]
    biden = bidens[0]
    assert "Biden" in biden["aliases"] or biden["name"] == "Biden"
    # "President Biden" without a state folds into the role his other mentions place ("of the United States")
    presidents = [r for r in biden["roles"] if r["title"] == "President"]
    assert len(presidents) == 1 and presidents[0]["country"] in (None, "United States")
    president = presidents[0]
    assert president["first"] == "2021-01-22" and president["last"] == "2024-11-19"
    assert president["sources"] and all(s["quote"] for s in president["sources"])
    assert len(biden["documents"]) >= 4
    assert not any(r["country"] == "Brazil" for r in biden["roles"])  # Lula's state, not his


@needs_wh
def test_former_is_respected(people_db: Path) -> None:
    bennett = next(p for p in _people(people_db) if p["name"] == "Bennett")
    assert bennett["roles"][0]["title"] == "former Prime Minister" and bennett["roles"][0]["status"] == "former"


@needs_wh
def test_who_held_a_role_when(people_db: Path) -> None:
    from communique.query.people import people_in_role
    from communique.store.db import open_store

    store = open_store(people_db)
    try:
        found = people_in_role(store, "President", "Brazil", "2024")
        assert [r["name"] for r in found][:1] == ["Luiz Inácio Lula da Silva"]
        assert found[0]["sources"]
        assert people_in_role(store, "President", "Brazil", "2019") == []
        assert any(r["name"] == "Justin Trudeau" for r in people_in_role(store, "Prime Minister", "Canada", "2021-01"))
    finally:
        store.close()


def test_who_held_a_role_on_the_seeds(seeds_db: Path) -> None:
    from communique.query.people import people_in_role
    from communique.store.db import open_store

    store = open_store(seeds_db)
    try:
        assert [r["name"] for r in people_in_role(store, "President", "ROK", "2019")] == ["Moon Jae-in"]
        # a Deputy Minister is no Minister; the ROK's Deputy Minister of 2020 is found by either name of the state
        assert people_in_role(store, "Minister", "Republic of Korea", "2020") == []
        assert [r["name"] for r in people_in_role(store, "Deputy Minister", "Republic of Korea", "2020-08")] == ["Kim Gunn"]
    finally:
        store.close()
