"""Each document's kind, read from its title, its opening or its manifest, on real documents."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from communique.ingest import SourceFile, load_document
from communique.ingest.kind import DOCUMENT_KINDS, document_kind

from tests.conftest import SAMPLE, SEEDS, WH


@pytest.mark.parametrize(
    ("title", "kind"),
    [
        ("Joint Statement from the Leaders of the United States and the Republic of Iraq", "joint_statement"),
        ("G7 Apulia Leaders’ Communiqué", "communique"),
        ("Readout of President Biden’s Call with Chancellor Scholz of Germany", "readout"),
        ("FACT SHEET: The Biden-Harris Action Plan for America’s Ports and Waterways", "fact_sheet"),
        ("Remarks by President Biden at the COP26 Leaders Statement", "remarks"),
        ("A Proclamation on National Mental Health Awareness Month, 2023", "proclamation"),
        ("President Joseph R. Biden, Jr. Approves Alaska Disaster Declaration", "notice"),
        ("Statement from National Security Advisor Jake Sullivan Welcoming the Aqaba Meeting and Communique",
         "statement"),
        ("Press Briefing by Press Secretary Karine Jean-Pierre, November 30, 2022", "press_briefing"),
        ("Chair’s Statement on the APEC Economic Leader’s Meeting", "chairman_statement"),
    ],
)
def test_title_decides_the_kind(title: str, kind: str) -> None:
    assert document_kind(title, "") == kind


def test_opening_decides_when_the_title_does_not() -> None:
    text = "By the authority vested in me as President by the Constitution and the laws of the United States"
    assert document_kind("Protecting American Workers", text) == "executive_order"
    assert document_kind("Untitled", "Nothing in this text says what it is.") == "other"


def test_manifest_kind_wins_and_is_normalised() -> None:
    assert document_kind("Outcome of the 26th Dialogue", "", declared="joint statement") == "joint_statement"
    assert document_kind("Outcome of the 26th Dialogue", "", declared="something odd") == "press_release"


def test_seed_documents_take_their_manifest_kind() -> None:
    seed_dir = SEEDS if SEEDS.is_dir() else SAMPLE
    manifest = {e["file"]: e for e in json.loads((seed_dir / "SOURCES.json").read_text())}
    kinds = {}
    for name in sorted(manifest):
        doc = load_document(SourceFile(str(seed_dir / name), name, str(seed_dir)), manifest)
        kinds[name] = doc.kind
        assert doc.kind in DOCUMENT_KINDS
    assert Counter(kinds.values()) == Counter({"press_release": 2, "joint_statement": 1, "news": 1, "overview": 1})


@pytest.mark.skipif(not WH.is_dir(), reason="the wh-briefings corpus is not beside the repository")
def test_white_house_folders_agree_with_title_kinds() -> None:
    """Titles alone put most press-briefing-folder documents in briefing kinds and most
    presidential-actions documents in legal kinds: the patterns are general, not per file."""
    briefings = sorted((WH / "press-briefings").rglob("*.md"))[:150]
    actions = sorted((WH / "presidential-actions").rglob("*.md"))[:150]
    assert briefings and actions

    def kinds(files: list[Path]) -> Counter[str]:
        out: Counter[str] = Counter()
        for f in files:
            doc = load_document(SourceFile(str(f), f.name, str(f.parent)))
            out[doc.kind] += 1
        return out

    briefing_kinds = kinds(briefings)
    assert sum(briefing_kinds[k] for k in ("press_briefing", "remarks", "interview")) >= 0.8 * len(briefings)
    action_kinds = kinds(actions)
    legal = ("proclamation", "executive_order", "memorandum", "notice", "message", "letter", "legislation",
             "nomination")
    assert sum(action_kinds[k] for k in legal) >= 0.7 * len(actions)
