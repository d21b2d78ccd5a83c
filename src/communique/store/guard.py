"""Checks made before a build writes to a file: never change a file that is not ours.

A build creates its knowledge base, or writes to one a Communique build made. Anything else
(someone's SQLite database, a text file, a folder, a place that cannot be written) is refused with
one line, before a byte of it is touched: ``--rebuild`` included.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from communique.errors import StoreError

__all__ = ["check_build_target", "is_knowledge_base"]

_SQLITE_HEADER = b"SQLite format 3\x00"


def is_knowledge_base(path: str | Path) -> bool:
    """Whether ``path`` is a SQLite file holding a Communique schema (read without changing it)."""
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != _SQLITE_HEADER:
                return False
        uri = f"file:{Path(path).resolve()}?mode=ro"
        con = sqlite3.connect(uri, uri=True)
        try:
            row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
            return row is not None
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False


def _empty_database(path: Path) -> bool:
    """A file of no bytes, or a SQLite file with no table at all: nothing to lose."""
    if path.stat().st_size == 0:
        return True
    try:
        with open(path, "rb") as handle:
            if handle.read(16) != _SQLITE_HEADER:
                return False
        con = sqlite3.connect(f"file:{path.resolve()}?mode=ro", uri=True)
        try:
            return con.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()[0] == 0
        finally:
            con.close()
    except (OSError, sqlite3.Error):
        return False


def check_build_target(db_path: str | Path) -> None:
    """Refuse a ``--db`` a build must not write to.

    Raises:
        StoreError: the path is a folder, lies in a folder that cannot be written, or is a file
            that is not a Communique knowledge base.
    """
    path = Path(db_path)
    if path.is_dir():
        raise StoreError(f"{db_path} is a folder: give --db a file name, such as {path / 'communique.db'}")
    if path.exists() and not path.is_file():
        raise StoreError(f"{db_path} is not a regular file: give --db a file name")
    folder = path.parent if str(path.parent) else Path(".")
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent  # the build creates the missing folders under the first one that exists
    if not existing.is_dir():
        raise StoreError(f"cannot create {db_path}: {existing} is not a folder")
    if not os.access(existing, os.W_OK | os.X_OK):
        raise StoreError(f"cannot write to the folder {existing} (read-only or permission denied): choose another --db")
    if path.exists():
        if not os.access(path, os.R_OK | os.W_OK):
            raise StoreError(f"cannot write to {db_path} (permission denied)")
        if not is_knowledge_base(path) and not _empty_database(path):
            raise StoreError(
                f"{db_path} is not a Communique knowledge base: refusing to change it; choose another --db"
            )
