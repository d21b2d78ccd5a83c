"""The evaluation gate: ../shared/eval/score.py through the real CLI, against floors kept in the repo."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, SHARED

SCORE = SHARED / "eval" / "score.py"
FLOORS = json.loads((ROOT / "tests" / "floors.json").read_text())
CLI = f"{sys.executable} -m communique"

needs_score = pytest.mark.skipif(not SCORE.is_file(), reason="../shared/eval/score.py is not present")


def _score(db: Path, *extra: str) -> dict[str, float | None]:
    proc = subprocess.run([sys.executable, str(SCORE), "--db", str(db), "--cli", CLI, *extra],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    summary = next(line for line in proc.stdout.splitlines() if line.startswith("summary:"))
    return {k: (None if v == "None" else float(v)) for k, v in re.findall(r"(\w+)=(\S+)", summary)}


def _check(scores: dict[str, float | None], floors: dict[str, float]) -> None:
    low = {k: (scores.get(k), floor) for k, floor in floors.items() if scores.get(k) is None or scores[k] < floor}
    assert not low, f"below the floor (score, floor): {low}"


@needs_score
def test_dev_gold_scores(seeds_db: Path) -> None:
    _check(_score(seeds_db), FLOORS["seeds"])


def _own_questions(db: Path, questions: str, tmp_path: Path) -> dict[str, float | None]:
    empty = tmp_path / "empty"
    empty.write_text("")
    return _score(db, "--questions", str(ROOT / "tests/questions" / questions), "--meetings", str(empty),
                  "--events", str(empty), "--commitments", str(empty))


@needs_score
def test_own_questions_on_seeds(seeds_db: Path, tmp_path: Path) -> None:
    _check(_own_questions(seeds_db, "seeds.jsonl", tmp_path), FLOORS["own_questions_seeds"])


@needs_score
def test_own_questions_on_wh(wh_asean_db: Path, tmp_path: Path) -> None:
    _check(_own_questions(wh_asean_db, "wh.jsonl", tmp_path), FLOORS["own_questions_wh"])


SLICE = SHARED / "eval" / "wh-slice" / "gold.json"


@pytest.mark.skipif(not SLICE.is_file(), reason="../shared/eval/wh-slice is not present")
def test_wh_slice_scores() -> None:
    """Meetings, milestones, people, figures and commitments on the 24 exhaustively annotated White House documents."""
    proc = subprocess.run([sys.executable, str(SCORE), "--slice", str(SLICE), "--corpus",
                           str(SHARED / "corpus" / "wh-briefings"), "--cli", CLI],
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    scores: dict[str, float | None] = {}
    for line in proc.stdout.splitlines():
        kind, _, rest = line.partition(": ")
        if kind in ("meetings", "events", "figures", "people", "commitments") and rest.startswith("{"):
            for key, value in json.loads(rest).items():
                if isinstance(value, (int, float)) or value is None:
                    scores[f"{kind}_{key}"] = value
    _check(scores, FLOORS["wh_slice"])
