"""Bounded work per query: a time limit on a connection, enforced inside SQLite.

SQLite calls a progress handler every few thousand virtual-machine steps; returning true
interrupts the statement, which raises ``sqlite3.OperationalError('interrupted')``. ``time_limit``
turns that into a ``QueryTimeout`` the web answers with 503, so no search, however hostile the
stored text, keeps a thread (or the server's shutdown) waiting.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager

from communique.errors import QueryTimeout

__all__ = ["time_limit"]

_STEPS = 5000  # virtual-machine steps between two looks at the clock (microseconds of work)


@contextmanager
def time_limit(db: sqlite3.Connection, seconds: float, what: str = "the query") -> Iterator[None]:
    """Interrupt any statement run on ``db`` inside the block once ``seconds`` have passed.

    Raises:
        QueryTimeout: a statement was interrupted.
    """
    deadline = time.monotonic() + seconds
    db.set_progress_handler(lambda: time.monotonic() > deadline, _STEPS)
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "interrupt" in str(exc):
            raise QueryTimeout(f"{what} took longer than {seconds:g} s and was stopped: try fewer or rarer words") from None
        raise
    finally:
        db.set_progress_handler(None, 0)
