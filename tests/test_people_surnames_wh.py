"""People on real White House documents: a title-case heading's verb is no part of a name ("President
Biden Took Office"), and a surname known alone is one person only under one title ("Governor Brown"
and "Mayor Brown" of two documents are two people). Every expected value was checked by hand.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, cli_json, needs_wh, run_cli

pytestmark = needs_wh

SR, SP, PB, LG = "statements-releases", "speeches-remarks", "press-briefings", "legislation"


def _names(rel: str) -> set[str]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return {f.value["name"] for f in extract_all(doc) if f.kind == "role"}


def test_a_headings_verb_is_no_part_of_a_name() -> None:
    # "President Biden Took Office", "Harris Took Office*": section headings of two fact sheets
    wisconsin = _names(f"{SR}/2023-02/2023-02-08-fact-sheet-the-biden-economic-plan-delivering-for-wisconsin.md")
    assert "Biden" in wisconsin and not [n for n in wisconsin if n.endswith("Took")]
    puerto_rico = _names(f"{SR}/2024-03/2024-03-22-fact-sheet-during-visit-vice-president-kamala-harris-to-highlight-biden-harris-administrations-historic-investments-and-partnerships-that-have-helped-lead-to-puerto-ricos-economic.md")
    assert not [n for n in puerto_rico if n.endswith("Took")]


def test_a_surname_alone_is_one_person_per_title(tmp_path: Path) -> None:
    docs = [f"{SP}/2021-06/2021-06-30-remarks-by-president-biden-in-meeting-on-western-wildfires.md",  # "Governor Brown"
            f"{SP}/2022-05/2022-05-17-remarks-by-president-biden-and-first-lady-biden-honoring-the-lives-lost-in-buffalo-new-york-and-calling-on-all-americans-to-condemn-white-supremacy.md",  # "Mayor Brown"
            f"{LG}/2022-05/2022-05-10-bills-signed-s-1226-and-s-2126.md",  # "Representatives Perry"
            f"{PB}/2021-02/2021-02-17-press-briefing-by-press-secretary-jen-psaki-and-deputy-national-security-advisor-for-cyber-and-emerging-technology-anne-neuberger-february-17-2021.md"]  # "former Secretary Perry"
    for rel in docs:
        (tmp_path / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(WH / rel, tmp_path / "docs" / rel)
    db = tmp_path / "kb.db"
    run_cli("build", str(tmp_path / "docs"), "--db", str(db), "-q")
    people = cli_json("people", "--db", str(db))
    assert isinstance(people, list)
    for surname in ("Brown", "Perry"):
        alone = [p for p in people if p["name"] == surname]
        assert alone, surname
        for person in alone:  # no one record holds both titles
            titles = {r["title"].replace("former ", "").rstrip("s") for r in person["roles"]}
            assert len(titles) == 1, (surname, titles)
