"""Never change a file that is not ours; refuse with one line; re-resolve what an interruption left."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path

import pytest

from tests.conftest import corpus_dir, run_cli
from tests.hostile.conftest import run_as_user


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one_line_error(proc: object, *words: str) -> None:
    assert proc.returncode == 1, proc.stdout  # type: ignore[attr-defined]
    lines = proc.stderr.strip().splitlines()  # type: ignore[attr-defined]
    assert len(lines) == 1 and "Traceback" not in proc.stderr, proc.stderr  # type: ignore[attr-defined]
    for word in words:
        assert word in lines[0], lines[0]


@pytest.mark.parametrize("rebuild", [False, True])
def test_someone_elses_sqlite_file_is_left_untouched(tmp_path: Path, rebuild: bool) -> None:
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE accounts (name TEXT, balance INTEGER)")
    con.execute("INSERT INTO accounts VALUES ('alice', 10)")
    con.commit()
    con.close()
    before = _digest(other)
    proc = run_cli("build", str(corpus_dir()), "--db", str(other), *(["--rebuild"] if rebuild else []), "-q", check=False)
    _one_line_error(proc, "not a Communique knowledge base", "refusing")
    assert _digest(other) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["other.sqlite"]


def test_a_text_file_given_as_db_is_left_untouched(tmp_path: Path) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    proc = run_cli("build", str(corpus_dir()), "--db", str(notes), "--rebuild", "-q", check=False)
    _one_line_error(proc, "not a Communique knowledge base")
    assert notes.read_text(encoding="utf-8") == "my notes, not a database\n"


def test_db_naming_a_folder_is_one_line(tmp_path: Path) -> None:
    _one_line_error(run_cli("build", str(corpus_dir()), "--db", str(tmp_path), "-q", check=False), "is a folder")


def test_read_only_folder(tmp_path: Path) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    db = folder / "kb.db"
    run_cli("build", str(corpus_dir()), "--db", str(db), "-q")
    for extra in folder.iterdir():
        if extra != db:
            extra.unlink()  # what a copied knowledge base looks like: the file alone
    folder.chmod(0o555)
    try:
        # queries work read-only
        stats = run_as_user("stats", "--db", str(db), "--json")
        assert stats.returncode == 0, stats.stderr
        assert json.loads(stats.stdout)["documents"] == 5
        hits = run_as_user("search", "Special Summit", "--db", str(db), "--json")
        assert hits.returncode == 0 and json.loads(hits.stdout), hits.stderr
        # a build into it says why it cannot
        _one_line_error(run_as_user("build", str(corpus_dir()), "--db", str(db), "-q"), "cannot write", "read-only")
        _one_line_error(run_as_user("build", str(corpus_dir()), "--db", str(folder / "new.db"), "-q"), "cannot write")
        assert sorted(p.name for p in folder.iterdir()) == ["kb.db"]
    finally:
        folder.chmod(0o755)


def test_an_interrupted_resolve_is_redone(tmp_path: Path) -> None:
    """Ctrl-C as the facts are being resolved: the documents are committed, their facts not resolved.
    The same command again must resolve them (the interruption message says so)."""
    from communique.build import build

    folder = tmp_path / "docs"
    folder.mkdir()
    seeds = sorted(corpus_dir().glob("*.txt"))
    for seed in seeds[:2]:
        (folder / seed.name).write_bytes(seed.read_bytes())
    db = tmp_path / "kb.db"
    build([folder], db, jobs=1)
    for seed in seeds[2:]:
        (folder / seed.name).write_bytes(seed.read_bytes())

    def interrupt_at_resolve(event: str, info: dict) -> None:
        if event == "phase":
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        build([folder], db, jobs=1, progress=interrupt_at_resolve)
    again = build([folder], db, jobs=1)
    assert again.added == 0 and again.resolved, "the second build must resolve what the first left"
    fresh = tmp_path / "fresh.db"
    build([folder], fresh, jobs=1)
    for table in ("meetings", "events", "people", "commitments"):
        got = sqlite3.connect(db).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        want = sqlite3.connect(fresh).execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        assert got == want, table
    assert build([folder], db, jobs=1).resolved == {}  # and once done, not again
