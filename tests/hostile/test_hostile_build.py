"""A build over hostile files finishes, gives each bad file its one-line reason and stores the rest."""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from communique.ingest.passages import MAX_PARAGRAPH_CHARS
from tests.conftest import run_cli
from tests.hostile.conftest import KOREAN, NESTED_PARAGRAPH, run_as_user


def test_every_bad_file_has_its_reason_and_the_rest_is_stored(hostile: tuple[Path, dict[str, str]],
                                                              hostile_build: tuple[Path, dict]) -> None:
    _, expect = hostile
    db, report = hostile_build
    reasons = {e["path"]: e["reason"] for e in report["errors"]}
    for path, want in expect.items():
        if want:
            assert path in reasons, f"{path!r} was not refused"
            assert want in reasons[path], f"{path!r}: {reasons[path]!r}"
            assert "\n" not in reasons[path]
    stored = {d["path"] for d in json.loads(run_cli("documents", "--db", str(db), "--json").stdout)}
    assert stored == {p for p, want in expect.items() if not want}


def test_paragraphs_are_bounded_and_offsets_exact(hostile_build: tuple[Path, dict]) -> None:
    db, _ = hostile_build
    con = sqlite3.connect(db)
    text = con.execute("SELECT text FROM documents WHERE path = 'repetitive.txt'").fetchone()[0]
    rows = con.execute('SELECT start, "end" FROM passages p JOIN documents d ON d.id = p.document_id '
                       "WHERE d.path = 'repetitive.txt' ORDER BY seq").fetchall()
    assert len(rows) > 300 and max(e - s for s, e in rows) <= MAX_PARAGRAPH_CHARS
    assert all(text[s:e] == text[s:e].strip() and text[s:e] for s, e in rows)
    assert "".join(text[s:e] for s, e in rows).replace(" ", "") == text.replace(" ", "")  # nothing lost


def test_search_over_a_repetitive_document_is_quick(hostile_build: tuple[Path, dict]) -> None:
    db, _ = hostile_build
    started = time.perf_counter()
    hits = json.loads(run_cli("search", "dialogue cooperation", "--db", str(db), "--json").stdout)
    assert time.perf_counter() - started < 20
    assert hits and all(len(h["quote"]) <= MAX_PARAGRAPH_CHARS for h in hits)


def test_recognised_texts(hostile_build: tuple[Path, dict]) -> None:
    db, _ = hostile_build
    con = sqlite3.connect(db)
    docs = {r[0]: (r[1], r[2]) for r in con.execute("SELECT path, text, encoding FROM documents")}
    text, encoding = docs["korean-utf16.txt"]
    assert encoding == "utf-16-le" and text.startswith(KOREAN.strip()[:20])
    assert NESTED_PARAGRAPH in docs["nested.html"][0]
    images = docs["images.md"][0]
    assert "<img" not in images and "data:image" not in images and "base64" not in images
    assert "support the four pillars" in images and "plan. They agreed" in images
    assert "10th ASEAN-United States Summit" in images
    assert "The chart shows trade growth since 2010." in images


def test_a_failed_file_is_read_again_once_fixed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    tmp_path.chmod(0o755)
    good = folder / "statement.txt"
    good.write_text("The Leaders adopted the Joint Statement on 3 March 2021 in Seoul.", encoding="utf-8")
    good.chmod(0)
    db = tmp_path / "kb.db"
    first = json.loads(run_as_user("build", str(folder), "--db", str(db), "--json", "-q").stdout)
    assert [e["reason"] for e in first["errors"]] == ["permission denied"]
    good.chmod(0o644)  # fixed: size and modification time unchanged
    second = json.loads(run_as_user("build", str(folder), "--db", str(db), "--json", "-q").stdout)
    assert second["added"] == 1 and second["errors"] == []
    assert json.loads(run_cli("errors", "--db", str(db), "--json").stdout) == []
    third = json.loads(run_cli("build", str(folder), "--db", str(db), "--json", "-q").stdout)
    assert third["unchanged"] == 1 and third["resolved"] == {}  # nothing changed: nothing redone


def test_a_fifo_given_directly_does_not_hang(tmp_path: Path) -> None:
    import os

    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    started = time.perf_counter()
    proc = run_cli("build", str(fifo), "--db", str(tmp_path / "kb.db"), "--json", "-q", timeout=60)
    assert time.perf_counter() - started < 60
    assert json.loads(proc.stdout)["errors"] == [{"path": "pipe.md", "reason": "not a regular file (a FIFO)"}]
