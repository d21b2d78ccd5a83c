"""Roles over time on real White House documents: a seat one person holds at a time retires its
holder once the seat's other mentions name a successor ("President Biden" in a 2026 fact sheet is
the former President), and a title read once with a stray state joins the person's own role."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.conftest import WH, needs_wh, run_cli

BIDEN_ERA = [
    "statements-releases/2024-11/2024-11-19-readout-of-president-joe-bidens-meeting-with-president-luiz-inacio-lula-"
    "da-silva-of-brazil.md",
    "statements-releases/2021-01/2021-01-22-readout-of-president-joe-biden-call-with-prime-minister-justin-trudeau-of-"
    "canada.md",
    "speeches-remarks/2024-05/2024-05-23-remarks-by-president-biden-and-president-william-ruto-of-the-republic-of-"
    "kenya-in-joint-press-conference.md",
]
# a 2026 fact sheet that names "President Biden" among fact sheets of President Trump's second term
BIDEN_IN_2026 = "fact-sheets/2026-02/2026-02-06-fact-sheet-president-donald-j-trump-unleashes-commercial-fishing-in-the-atlantic.md"


@pytest.fixture(scope="module")
def tenure_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    # fact sheets of the second term, and its proclamations signed "DONALD J. TRUMP, President of the United States"
    trump_era = sorted(str(p.relative_to(WH)) for p in (WH / "fact-sheets/2026-01").glob("*.md"))[:12]
    trump_era += sorted(str(p.relative_to(WH)) for month in ("2026-01", "2026-02", "2026-03")
                        for p in (WH / "presidential-actions" / month).glob("*.md")
                        if "TRUMP, President of the United States" in p.read_text(encoding="utf-8"))
    folder = tmp_path_factory.mktemp("tenure") / "docs"
    for rel in [*BIDEN_ERA, BIDEN_IN_2026, *trump_era]:
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WH / rel, folder / rel)
    db = folder.parent / "kb.db"
    run_cli("build", str(folder), "--db", str(db), "-q")
    return db


def _person(db: Path, surname: str, given: str) -> dict:
    people = json.loads(run_cli("people", "--db", str(db), "--json").stdout)
    return next(p for p in people if p["name"].split()[-1].rstrip(".,") in (surname, "Jr") and given in p["name"])


@needs_wh
def test_a_successor_retires_the_seats_holder(tenure_db: Path) -> None:
    biden = _person(tenure_db, "Biden", "Jo")
    president = [r for r in biden["roles"] if r["title"] == "President"]
    assert len(president) == 1 and president[0]["last"] <= "2025-01-20" and president[0]["first"] == "2021-01-22"
    former = [r for r in biden["roles"] if r["status"] == "former" and r["title"] == "former President"]
    assert former and former[0].get("inferred") and former[0]["last"].startswith("2026-02")
    assert any(s["document"] == BIDEN_IN_2026 for s in former[0]["sources"])
    trump = _person(tenure_db, "Trump", "Donald")
    current = [r for r in trump["roles"] if r["title"] == "President" and r["status"] is None]
    assert current and current[0]["first"] >= "2026-01"


@needs_wh
def test_who_was_president_when(tenure_db: Path) -> None:
    from communique.query.people import people_in_role
    from communique.store.db import open_store

    store = open_store(tenure_db)
    try:
        assert [r["name"] for r in people_in_role(store, "President", "United States", "2026-02")][:1] == \
            ["Donald J. Trump"]
        assert all("Biden" not in r["name"] for r in people_in_role(store, "President", "United States", "2026-02"))
        assert any("Biden" in r["name"] for r in people_in_role(store, "President", "United States", "2024"))
    finally:
        store.close()
