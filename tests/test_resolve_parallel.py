"""Resolving in parallel parts (the commitments in shares where processes allow) gives the very tables of a serial resolve."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from communique.resolve import resolve_all
from communique.store import open_store

TABLES = ("meetings", "events", "commitments", "figures", "people", "entities")


def _resolved(db: Path, jobs: int) -> dict[str, list[tuple]]:
    store = open_store(db, readonly=False, upgrade=False)
    try:
        with store.transaction():
            resolve_all(store, jobs)
    finally:
        store.close()
    con = sqlite3.connect(db)
    try:
        return {t: con.execute(f"SELECT id, seq, key, date, record FROM {t} ORDER BY seq").fetchall() for t in TABLES}
    finally:
        con.close()


def test_parallel_resolve_equals_serial(seeds_db: Path, tmp_path: Path) -> None:
    serial_db, parallel_db, shared_db = tmp_path / "serial.db", tmp_path / "parallel.db", tmp_path / "shared.db"
    for target in (serial_db, parallel_db, shared_db):
        shutil.copy(seeds_db, target)
    serial = _resolved(serial_db, 1)
    assert len(serial["commitments"]) > 20 and serial["people"] and serial["meetings"]
    assert _resolved(parallel_db, 2) == serial  # the commitments in one process, people and the rest in the other
    assert _resolved(shared_db, 3) == serial  # two shares of the commitments beside people and the rest
