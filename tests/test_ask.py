"""Questions through the real CLI: answers with exact citations, and no answer when none is supported."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, run_cli


def _texts(db: Path) -> dict[str, str]:
    return dict(sqlite3.connect(db).execute("SELECT path, text FROM documents"))


def test_answer_with_citation(seeds_db: Path) -> None:
    out = json.loads(run_cli("ask", "Who co-chaired the 24th ASEAN-ROK Dialogue?", "--db", str(seeds_db), "--json").stdout)
    assert out["answer"] == "Emaleen Abd Rahman Teo and Kim Gunn"
    # the ranker's share, no longer a fixed 0.9 (0.27 since the ranker also weighs phrases and verb phrases)
    assert out["answer_type"] == "person" and out["confidence"] > 0.2
    texts = _texts(seeds_db)
    cite = out["citations"][0]
    assert cite["document"] == "004_931a6d2c2293319e.txt"
    assert texts[cite["document"]][cite["start"] : cite["end"]] == cite["quote"]
    assert "Kim Gunn" in cite["quote"] and "co-chaired" in cite["quote"]


# Known misses of the reader (strict: the test below fails once they are fixed, so the list shrinks).
# n13: the seeds name the year the United States acceded to the TAC in another clause of the sentence
# that gives another date, and the ranker has no feature for a constraint's agreement yet.
KNOWN_ANSWERED = {"n13"}


@pytest.fixture(scope="module")
def unanswerable_results(seeds_db: Path) -> list[dict]:
    questions = ROOT / "tests" / "questions" / "unanswerable.jsonl"
    lines = run_cli("ask", "--db", str(seeds_db), "--json", "--questions", str(questions)).stdout.splitlines()
    results = [json.loads(line) for line in lines]
    assert len(results) == sum(1 for line in questions.read_text().splitlines() if line.strip()) >= 10
    return results


def test_unanswerable_questions_get_null(unanswerable_results: list[dict]) -> None:
    results = [r for r in unanswerable_results if r["id"] not in KNOWN_ANSWERED]
    wrong = [(r["id"], r["question"], r["answer"]) for r in results if r["answer"] is not None]
    assert not wrong, f"answered without support: {wrong}"
    assert all(r["citations"] == [] for r in results)


@pytest.mark.xfail(strict=True, reason="known misses of the reader: see KNOWN_ANSWERED")
def test_known_misses_get_null(unanswerable_results: list[dict]) -> None:
    known = [r for r in unanswerable_results if r["id"] in KNOWN_ANSWERED]
    assert known and all(r["answer"] is None for r in known)


def test_batch_answers_every_line_with_its_id(seeds_db: Path) -> None:
    questions = ROOT / "tests" / "questions" / "seeds.jsonl"
    lines = run_cli("ask", "--db", str(seeds_db), "--json", "--questions", str(questions)).stdout.splitlines()
    ids = [json.loads(line)["id"] for line in lines]
    assert ids == [json.loads(line)["id"] for line in questions.read_text().splitlines() if line.strip()]
    texts = _texts(seeds_db)
    for line in lines:
        for cite in json.loads(line)["citations"]:
            assert texts[cite["document"]][cite["start"] : cite["end"]] == cite["quote"]


def test_paraphrases_agree(seeds_db: Path) -> None:
    from communique.query.ask import Asker
    from communique.store import open_store

    asker = Asker(open_store(seeds_db))
    pairs = [("When did Viet Nam join ASEAN?", "On what date did Vietnam become a member of ASEAN?"),
             ("Where is the ASEAN Culture House?", "In which city is the ASEAN Culture House?"),
             ("How much was ROK-ASEAN bilateral trade in 2017?", "What was the value of bilateral trade between Korea and ASEAN in 2017?")]
    for a, b in pairs:
        first, second = asker.ask(a).answer, asker.ask(b).answer
        assert first is not None and first == second, (a, first, b, second)


def test_answers_are_fast_on_a_warm_knowledge_base(seeds_db: Path) -> None:
    from communique.query.ask import Asker
    from communique.store import open_store

    asker = Asker(open_store(seeds_db))
    questions = [json.loads(line)["q"] for line in (ROOT / "tests/questions/seeds.jsonl").read_text().splitlines()]
    asker.warm()  # load the records, spaCy and the ranker
    times = []
    for q in questions:
        started = time.perf_counter()
        asker.ask(q)
        times.append(time.perf_counter() - started)
    median = sorted(times)[len(times) // 2]
    assert median < 0.25, f"{median * 1000:.1f} ms per question (median)"


def test_empty_and_long_questions_fail_clearly(seeds_db: Path) -> None:
    proc = run_cli("ask", "   ", "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "empty" in proc.stderr
    proc = run_cli("ask", "why " * 200, "--db", str(seeds_db), check=False)
    assert proc.returncode == 1 and "longer than" in proc.stderr


def test_a_date_from_another_clause_is_no_answer(wh_asean_db: Path) -> None:
    """The Joint Vision Statement of 2022 says "our first dialogue, in Manila in 1977, and growing with the
    United States' signing of the Treaty of Amity and Cooperation": 1977 dates the dialogue, not the signing."""
    out = json.loads(run_cli("ask", "When did the United States sign the Treaty of Amity and Cooperation?",
                             "--db", str(wh_asean_db), "--json").stdout)
    assert out["answer"] is None or ("1977" not in out["answer"] and "Amity" in out["citations"][0]["quote"])
    events = json.loads(run_cli("events", "--db", str(wh_asean_db), "--json").stdout)
    assert not [e for e in events if e["date"] == "1977" and "signing of the Treaty of Amity" in e["label"]]


def test_a_step_named_inside_a_name_is_not_asked(wh_asean_db: Path) -> None:
    """'When was the Mekong-U.S. Partnership launched?' asks for a launch: the "Partnership" of the name
    asks nothing, and a July 2024 meeting that adopted the Partnership's plan, or the "2025" of "MPAC 2025"
    in a sentence about it, is no answer."""
    from communique.query.question import analyse

    q = analyse("When was the Mekong-U.S. Partnership launched?")
    assert q.step_words == ["launched"] and "relationship" not in q.steps
    out = json.loads(run_cli("ask", "When was the Mekong-U.S. Partnership launched?", "--db", str(wh_asean_db),
                             "--json").stdout)
    assert out["answer"] is None or not out["answer"].startswith(("2024", "2025"))
