"""What commits, on real joint statements: a stance ("expressed their support for", "reaffirm that")
commits nobody; "affirmed their support for ensuring" does; so does an imperative bullet of a list
("9. Expand eTrace access and share best practices"). Every expected value was checked by hand.
"""

from __future__ import annotations

from communique.extract import extract_all
from communique.ingest import SourceFile, load_document
from tests.conftest import WH, needs_wh

pytestmark = needs_wh

SR = "statements-releases"


def _clauses(rel: str) -> list[str]:
    doc = load_document(SourceFile(str(WH / rel), rel, str(WH)))
    return [f.value["text"] for f in extract_all(doc) if f.kind == "commitment"]


def test_a_stance_commits_nobody() -> None:
    ireland = _clauses(f"{SR}/2021-03/2021-03-17-joint-statement-by-president-joe-biden-and-taoiseach-micheal-martin.md")
    assert not [c for c in ireland if c.startswith("The leaders expressed their support for an earned path")]


def test_affirming_support_commits() -> None:
    gcc = _clauses(f"{SR}/2022-07/2022-07-16-joint-statement-following-the-summit-of-the-leaders-of-the-united-states-and-the-gulf-cooperation-council-gcc-countries.md")
    assert [c for c in gcc if "affirmed their support for ensuring" in c]
    assert [c for c in gcc if "affirmed their keenness to continue" in c]


def test_an_imperative_bullet_commits() -> None:
    mexico = _clauses(f"{SR}/2022-10/2022-10-14-joint-statement-2022-u-s-mexico-high-level-security-dialogue.md")
    assert [c for c in mexico if c.startswith("9. Expand eTrace access")]
