"""Resolve: merge facts across documents into the records users see.

``resolve_all`` rebuilds every resolved table (meetings, events, commitments, figures, people,
entities) from the stored facts, inside the caller's transaction. With ``jobs`` > 1 the tables are
worked out in up to ``jobs`` processes that read the committed facts, and written by the caller's connection.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import sys
import time
from typing import Any

from communique.resolve.common import record_rows, write_rows
from communique.resolve.entities import resolve_entities
from communique.resolve.events import resolve_events
from communique.resolve.facts import resolve_commitments, resolve_figures
from communique.resolve.followups import attach_followups
from communique.resolve.people import resolve_people
from communique.resolve.meetings import resolve_meetings
from communique.store import Store, open_store

__all__ = ["resolve_all"]

Rows = dict[str, list[tuple[str, int, Any, Any, str]]]


def _people(store: Store) -> Rows:
    return {"people": record_rows(resolve_people(store), "name")}


def _commitments(store: Store) -> Rows:
    commitments = resolve_commitments(store)
    attach_followups(store, commitments)  # typed follow-ups and status, in place of the named-entity links
    return {"commitments": record_rows(commitments, "document")}


def _followed_share(store: Store, share: int, shares: int) -> list[tuple[int, dict[str, Any]]]:
    """One share of the commitments (every ``shares``-th from ``share``) with their follow-ups: each
    clause's follow-ups are found from that clause and the corpus alone, so shares can run apart."""
    commitments = resolve_commitments(store)
    mine = list(range(share, len(commitments), shares))
    attach_followups(store, [commitments[i] for i in mine])  # in place
    return [(i, commitments[i]) for i in mine]


def _meetings_events(store: Store) -> Rows:
    meetings = resolve_meetings(store)
    events = resolve_events(store)
    return {
        "meetings": record_rows(meetings, "mechanism"),
        "events": record_rows(events, "kind"),
        "entities": record_rows(resolve_entities(store, events, meetings), "kind"),
    }


def _figures(store: Store) -> Rows:
    return {"figures": record_rows(resolve_figures(store), "measure")}


# Independent parts, the costliest first: with ``jobs`` processes each takes the next part when it is
# done with one. On the whole wh corpus (CPU seconds, one BLAS thread): the commitments with their
# follow-ups (a full-text search per clause, the encoder and the parser over the candidates) 23, the
# named-entity recogniser over every distinct name (people) 15, figures 5, meetings and events 2.
# Cut into shares, the commitments each load the models and read the corpus again (about 5 s a
# share), so they are cut only where a process is left for the other parts: with two processes one
# takes the commitments while the other does people, figures, meetings and events.
_PARTS = (_commitments, _people, _figures, _meetings_events)


def _part_name(index: int, share: int, shares: int) -> str:
    name = _PARTS[index].__name__.lstrip("_")
    return f"{name}[{share + 1}/{shares}]" if shares > 1 else name


def _timed_part(store: Store, index: int, share: int = 0, shares: int = 1) -> tuple[str, Any, dict[str, float]]:
    """One part (or one share of the commitments) with its wall and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    if _PARTS[index] is _commitments and shares > 1:
        out: Any = _followed_share(store, share, shares)
    else:
        out = _PARTS[index](store)
    return _part_name(index, share, shares), out, {"seconds": round(time.perf_counter() - wall, 3),
                                                  "cpu": round(time.process_time() - cpu, 3)}


def _part_of(args: tuple[str, int, int, int]) -> tuple[str, Any, dict[str, float]]:
    """Worker: one part (or one share of the commitments), read from its own read-only connection."""
    path, index, share, shares = args
    if "numpy" not in sys.modules:  # one BLAS thread a process: the build runs one process a core
        os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    store = open_store(path)
    try:
        return _timed_part(store, index, share, shares)
    finally:
        store.close()


def resolve_all(store: Store, jobs: int = 1, timings: dict[str, Any] | None = None) -> dict[str, int]:
    """Rebuild the resolved tables; returns how many records each holds.

    With ``jobs`` > 1 the facts must be committed: the worker processes read them from the file.
    ``timings``, when given, gets each part's wall and CPU seconds (``{"people": {"seconds": ..,
    "cpu": ..}, ...}``) and those of writing the records (``write``)."""
    order = ("meetings", "events", "commitments", "figures", "people", "entities")
    counts: dict[str, int] = {}
    spent: dict[str, Any] = {"write": {"seconds": 0.0, "cpu": 0.0}}

    def write(rows: Rows) -> None:
        wall, cpu = time.perf_counter(), time.process_time()
        for table in (t for t in order if t in rows):
            counts[table] = write_rows(store, table, rows[table])
        spent["write"]["seconds"] = round(spent["write"]["seconds"] + time.perf_counter() - wall, 3)
        spent["write"]["cpu"] = round(spent["write"]["cpu"] + time.process_time() - cpu, 3)

    if jobs > 1 and "fork" in mp.get_all_start_methods():
        shares = max(1, jobs - 1)  # the commitments in shares on all processes but one, which does the rest
        at = next(i for i in range(len(_PARTS)) if _PARTS[i] is _commitments)
        tasks = [(store.path, at, k, shares) for k in range(shares)]  # the longest first
        tasks += [(store.path, i, 0, 1) for i in range(len(_PARTS)) if _PARTS[i] is not _commitments]
        followed: list[tuple[int, dict[str, Any]]] = []
        with mp.get_context("fork").Pool(processes=min(jobs, len(tasks))) as pool:
            for name, part, cost in pool.imap_unordered(_part_of, tasks, chunksize=1):
                spent[name] = cost
                if isinstance(part, list):
                    followed += part
                else:
                    write(part)  # while the other processes still work
        if shares > 1:
            write({"commitments": record_rows([r for _, r in sorted(followed, key=lambda x: x[0])], "document")})
    else:
        for index in range(len(_PARTS)):
            name, part, cost = _timed_part(store, index)
            spent[name] = cost
            write(part)
    if timings is not None:
        timings.update(spent)
    return {table: counts[table] for table in order}
