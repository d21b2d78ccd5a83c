"""Many questions at once: the batch mode of ``ask`` (``communique ask --questions FILE``).

``answer_all`` answers ``{"id", "q"}`` items in order with one warmed ``Asker``. With ``jobs`` > 1
the warmed process forks that many workers (the models and indexes loaded once, shared copy-on-write),
each with its own connection to the knowledge base, and the answers still come back in the order
of the items. A question that is not a valid one (empty, too long, not text) gets an answer line with
its message, as in one process.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Any, Callable, Iterable, Iterator

from communique.errors import CommuniqueError
from communique.query.ask import Asker
from communique.store import Store

__all__ = ["answer_all", "answer_line"]

_WORKER: dict[str, Any] = {}  # the forked worker's Asker and scope (inherited from the parent)


def answer_line(asker: Asker, item: dict[str, Any], scope: set[str] | None = None) -> dict[str, Any]:
    """The answer of one ``{"id", "q"}`` item as the batch writes it (``as_dict`` and the item's id)."""
    try:
        result = asker.ask(str(item["q"]), scope=scope).as_dict()
    except CommuniqueError as exc:
        result = {"question": item.get("q"), "answer": None, "citations": [], "facts": [], "message": str(exc)}
    result["id"] = item.get("id")
    return result


def _start_worker(reopen: Callable[[], Store]) -> None:
    _WORKER["asker"].use_store(reopen())  # the parent's connection is not used across the fork


def _answer(item: dict[str, Any]) -> dict[str, Any]:
    return answer_line(_WORKER["asker"], item, _WORKER["scope"])


def answer_all(asker: Asker, items: Iterable[dict[str, Any]], scope: set[str] | None = None, jobs: int = 1,
               reopen: Callable[[], Store] | None = None) -> Iterator[dict[str, Any]]:
    """Answer every item, in order (see the module docstring).

    Args:
        asker: the answerer (warmed here when it was not).
        items: ``{"id", "q"}`` mappings.
        scope: document ids the evidence must come from (a partnership's), or None.
        jobs: worker processes; 1 answers in this process. More than 1 needs ``reopen``, and a
            platform that forks (Linux); elsewhere the items are answered here.
        reopen: opens the same knowledge base again (each worker's own connection).
    """
    asker.warm()
    if jobs <= 1 or reopen is None or "fork" not in multiprocessing.get_all_start_methods():
        for item in items:
            yield answer_line(asker, item, scope)
        return
    _WORKER.update(asker=asker, scope=scope)
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, os.cpu_count() or jobs), initializer=_start_worker, initargs=(reopen,)) as pool:
        yield from pool.imap(_answer, items, chunksize=2)
    _WORKER.clear()
