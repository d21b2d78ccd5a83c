"""Builds: idempotent, incremental, whole documents only, one writer at a time."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from communique.ingest.passages import split_passages
from tests.conftest import corpus_dir, run_cli

CONTENT_QUERIES = {
    "documents": "SELECT id, path, title, publisher, date, url, text_hash, text FROM documents ORDER BY id",
    "passages": 'SELECT document_id, kind, seq, start, "end" FROM passages ORDER BY document_id, kind, seq',
    "facts": 'SELECT id, document_id, kind, value, start, "end", quote FROM facts ORDER BY id',
    "files": "SELECT relpath, status, document_id, reason FROM files ORDER BY relpath",
    "fts": "SELECT p.document_id, p.seq, f.text FROM passages_fts f JOIN passages p ON p.id = f.rowid ORDER BY 1, 2",
}


def snapshot(db: Path) -> dict[str, list[tuple]]:
    con = sqlite3.connect(db)
    try:
        return {name: con.execute(sql).fetchall() for name, sql in CONTENT_QUERIES.items()}
    finally:
        con.close()


def build_json(*args: str) -> dict:
    return json.loads(run_cli("build", *args, "--json").stdout)


def test_build_twice_is_idempotent(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    first = build_json(str(corpus_dir()), "--db", str(db))
    assert first["added"] == 5 and first["errors"] == []
    before = snapshot(db)
    second = build_json(str(corpus_dir()), "--db", str(db))
    assert second["added"] == 0 and second["unchanged"] == 5
    assert snapshot(db) == before
    # a rebuild from scratch gives the same content too
    build_json(str(corpus_dir()), "--db", str(db), "--rebuild")
    assert snapshot(db) == before


def test_incremental_adds_only_new_or_changed(tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    shutil.copytree(corpus_dir(), folder)
    db = tmp_path / "kb.db"
    build_json(str(folder), "--db", str(db))
    changed = folder / "002_e4c37540789ff52f.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nA paragraph added in a later edition of the page.\n",
                       encoding="utf-8")
    shutil.copy(folder / "004_931a6d2c2293319e.txt", folder / "copy-of-004.txt")
    report = build_json(str(folder), "--db", str(db))
    assert (report["added"], report["replaced"], report["unchanged"]) == (0, 1, 4)
    assert report["duplicates"] == [{"path": "copy-of-004.txt", "duplicate_of": "004_931a6d2c2293319e.txt"}]
    con = sqlite3.connect(db)
    assert con.execute("SELECT COUNT(*) FROM documents").fetchone()[0] == 5
    text = con.execute("SELECT text FROM documents WHERE path = '002_e4c37540789ff52f.txt'").fetchone()[0]
    assert text.endswith("A paragraph added in a later edition of the page.")
    # the old version of 002 left nothing behind
    assert con.execute("SELECT COUNT(*) FROM passages WHERE document_id NOT IN (SELECT id FROM documents)").fetchone()[0] == 0
    assert _indexed_rowids(con) == {r[0] for r in con.execute("SELECT id FROM passages")}
    # the index forgot the old version's rows: the added words are found once, in the new version
    hits = con.execute("SELECT rowid FROM passages_fts WHERE passages_fts MATCH '\"later edition\"'").fetchall()
    assert len(hits) == 1 and con.execute("SELECT 1 FROM passages WHERE id = ?", hits[0]).fetchone()


def _indexed_rowids(con: sqlite3.Connection) -> set[int]:
    """The rows the full-text index itself holds (read from the index, not from its content view)."""
    con.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_rows USING fts5vocab(main, passages_fts, 'instance')")
    return {r[0] for r in con.execute("SELECT DISTINCT doc FROM temp.fts_rows")}


def _consistent(db: Path) -> int:
    """Every stored document is whole: its passages, index rows and file row are all there."""
    con = sqlite3.connect(db)
    docs = con.execute("SELECT id, text FROM documents").fetchall()
    for doc_id, text in docs:
        # one paragraph per line, a line longer than the cap in several
        paragraphs = [p for p in split_passages(text) if p.kind == "paragraph"]
        stored = con.execute(
            "SELECT COUNT(*) FROM passages WHERE document_id = ? AND kind = 'paragraph'", (doc_id,)).fetchone()[0]
        assert stored == len(paragraphs), doc_id
        assert con.execute("SELECT COUNT(*) FROM files WHERE document_id = ?", (doc_id,)).fetchone()[0] >= 1
    assert _indexed_rowids(con) == {r[0] for r in con.execute("SELECT id FROM passages")}
    assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    return len(docs)


def _start_build(folder: Path, db: Path, *extra: str) -> subprocess.Popen:
    """A build in its own process that commits often (every 0.2 s), so that it can be caught midway."""
    env = dict(os.environ, COMMUNIQUE_BATCH_SECONDS="0.2")
    return subprocess.Popen(
        [sys.executable, "-m", "communique", "build", str(folder), "--db", str(db), "-q", "--jobs", "1", *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        # as from a terminal: a runner that started the tests in the background left Ctrl-C ignored
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


def _lock_held(db: Path) -> bool:
    import fcntl

    try:
        with open(str(db) + ".lock") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            fcntl.flock(handle, fcntl.LOCK_UN)
            return False
    except FileNotFoundError:
        return False


def _wait_for_documents(db: Path, at_least: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            con = sqlite3.connect(db, timeout=1)
            n = con.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
            con.close()
            if n >= at_least:
                return
        except sqlite3.Error:
            pass
        time.sleep(0.05)
    raise AssertionError("the build stored nothing in time")


def test_killed_build_leaves_whole_documents(tmp_path: Path, wh_slice_dir: Path) -> None:
    db = tmp_path / "kb.db"
    proc = _start_build(wh_slice_dir, db)
    _wait_for_documents(db, 1)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = _consistent(db)
    total = len(list(wh_slice_dir.rglob("*.md")))
    assert 0 < partial < total
    report = build_json(str(wh_slice_dir), "--db", str(db))
    assert report["unchanged"] + report["added"] + len(report["duplicates"]) + len(report["errors"]) == total
    complete = _consistent(db)
    fresh = tmp_path / "fresh.db"
    build_json(str(wh_slice_dir), "--db", str(fresh))
    assert complete == _consistent(fresh)
    assert snapshot(db)["documents"] == snapshot(fresh)["documents"]


def test_interrupted_build_resumes(tmp_path: Path, wh_slice_dir: Path) -> None:
    db = tmp_path / "kb.db"
    proc = _start_build(wh_slice_dir, db)
    _wait_for_documents(db, 1)
    proc.send_signal(signal.SIGINT)  # Ctrl-C
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "interrupted" in err
    _consistent(db)


def test_second_build_fails_clearly_while_one_runs(tmp_path: Path, wh_slice_dir: Path) -> None:
    db = tmp_path / "kb.db"
    first = _start_build(wh_slice_dir, db)
    _wait_for_documents(db, 1)
    assert _lock_held(db), "the first build should still be running"
    second = run_cli("build", str(corpus_dir()), "--db", str(db), "-q", check=False)
    first_out = first.communicate(timeout=300)
    assert first.returncode == 0, first_out[1]
    assert second.returncode == 1
    assert "another build is writing" in second.stderr
    _consistent(db)
    # and with --wait, a second build waits its turn and then succeeds
    third = _start_build(wh_slice_dir, db, "--rebuild")
    _wait_for_documents(db, 1)
    waited = run_cli("build", str(corpus_dir()), "--db", str(db), "--wait", "300", "-q", check=False)
    third.communicate(timeout=300)
    assert waited.returncode == 0, waited.stderr
    _consistent(db)


def test_missing_path_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    proc = run_cli("build", str(tmp_path / "nowhere"), "--db", str(tmp_path / "kb.db"), check=False)
    assert proc.returncode == 1
    assert proc.stderr.strip().splitlines() == [f"error: {tmp_path / 'nowhere'}: no such file or folder"]
    assert not (tmp_path / "kb.db").exists() and not (tmp_path / "kb.db.lock").exists()
    proc = run_cli("build", str(corpus_dir()), str(tmp_path / "nowhere"), "--db", str(tmp_path / "kb.db"), check=False)
    assert proc.returncode == 1 and not (tmp_path / "kb.db").exists()


def test_not_a_knowledge_base(tmp_path: Path) -> None:
    bogus = tmp_path / "notes.db"
    bogus.write_text("just some text, not SQLite", encoding="utf-8")
    proc = run_cli("documents", "--db", str(bogus), check=False)
    assert proc.returncode == 1 and "not a Communique knowledge base" in proc.stderr
    proc = run_cli("stats", "--db", str(tmp_path / "absent.db"), check=False)
    assert proc.returncode == 1 and "run 'communique build" in proc.stderr


def test_version_1_knowledge_base_is_migrated(tmp_path: Path) -> None:
    """A knowledge base written by schema version 1 (sentences stored, the index holding its own copy
    of the text) opens at the current version: sentence rows gone, the index rebuilt from the documents,
    and each document's kind worked out from its title."""
    from communique.store import open_store
    from communique.store.schema import MIGRATIONS, SCHEMA_VERSION

    db = tmp_path / "v1.db"
    con = sqlite3.connect(db)
    MIGRATIONS[0](con)
    con.execute("INSERT INTO meta(key, value) VALUES ('schema_version', '1')")
    text = "Leaders met in Jakarta. They adopted a plan.\n\nThe plan covers maritime cooperation."
    con.execute("INSERT INTO documents(id, path, root, format, text_hash, text, added_at, title) "
                "VALUES ('d1', 'a.txt', '/r', 'txt', 'h1', ?, 'now', 'Joint Statement on a Plan')", (text,))
    rows = [(1, "paragraph", 0, 0, 0, 44), (2, "sentence", 0, 0, 0, 23), (3, "sentence", 1, 0, 24, 44),
            (4, "paragraph", 1, 1, 46, len(text)), (5, "sentence", 2, 1, 46, len(text))]
    con.executemany('INSERT INTO passages(id, document_id, kind, seq, paragraph, start, "end") VALUES (?,\'d1\',?,?,?,?,?)', rows)
    con.executemany("INSERT INTO passages_fts(rowid, text, title) VALUES (?, ?, 'Plan')",
                    [(1, text[0:44]), (4, text[46:])])
    con.commit()
    con.close()
    store = open_store(db, readonly=False)
    try:
        assert store.get_meta("schema_version") == SCHEMA_VERSION == 3
        assert store.db.execute("SELECT kind FROM documents").fetchone()[0] == "joint_statement"
        assert [r[0] for r in store.db.execute("SELECT kind FROM passages ORDER BY id")] == ["paragraph", "paragraph"]
        hits = store.db.execute("SELECT rowid, text FROM passages_fts WHERE passages_fts MATCH 'maritime'").fetchall()
        assert [tuple(h) for h in hits] == [(4, "The plan covers maritime cooperation.")]
        assert _indexed_rowids(store.db) == {1, 4}
        assert store.stats()["sentences"] == 3
    finally:
        store.close()


def test_a_knowledge_base_of_a_newer_schema_is_not_written(seeds_db: Path, tmp_path: Path) -> None:
    """A knowledge base written by a newer Communique is refused with one clear line, and left as it was."""
    db = tmp_path / "newer.db"
    shutil.copy(seeds_db, db)
    con = sqlite3.connect(db)
    con.execute("UPDATE meta SET value = '99' WHERE key = 'schema_version'")
    con.commit()
    con.close()
    before = db.read_bytes()
    proc = run_cli("build", str(corpus_dir()), "--db", str(db), "-q", check=False)
    assert proc.returncode == 1 and "newer than this Communique" in " ".join(proc.stderr.split())
    assert db.read_bytes() == before
