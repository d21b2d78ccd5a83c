"""The build's ingest and extraction on a Dask cluster (``build --executor dask://HOST:PORT``).

Why Dask: a ``LocalCluster`` on loopback starts in about 2 s, it is pure Python (the workers run the
same ``communique`` package, nothing else to install), it listens only where it is told to (Ray opens
listeners on every interface), and its futures give what the build needs: retries, rescheduling of
a lost worker's tasks, and results as they complete.

How a build runs on it: the files are cut into batches (``BATCH_FILES``); each batch is one task,
``ingest_batch``, that reads, cleans and extracts its files on a worker and returns the documents
and their rows. At most ``WINDOW_PER_WORKER`` batches per worker are in flight. Results come back as
they complete (``as_completed``) and are handed to the build's single writer in the order the batches
were cut, so a build on the cluster stores exactly what a local build stores. A task that fails is
retried (``RETRIES``); a worker lost midway loses no document (the scheduler runs its tasks again
elsewhere); an interrupted build resumes like a local one, from the files the knowledge base records.

Workers read the files themselves: every worker must see the build's paths (a shared file system,
the same mount point on every machine) and run the same version of Communique.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any

from communique.errors import ClusterError

__all__ = ["dask_address", "cluster_results", "ingest_batch", "BATCH_FILES", "RETRIES"]

BATCH_FILES = 32  # files per task: large enough that scheduling costs little, small enough to spread
WINDOW_PER_WORKER = 4  # batches in flight per worker: workers never wait, the writer's backlog stays small
RETRIES = 3
CONNECT_SECONDS = 5


def dask_address(executor: str) -> str:
    """``dask://HOST:PORT`` -> the scheduler's ``tcp://HOST:PORT``.

    Raises:
        ClusterError: not a ``dask://HOST:PORT`` address.
    """
    rest = executor.removeprefix("dask://")
    host, _, port = rest.rpartition(":")
    if not executor.startswith("dask://") or not host or not port.isdigit():
        raise ClusterError(f"--executor must be 'local' or dask://HOST:PORT, not {executor!r}")
    return f"tcp://{rest}"


def ingest_batch(tasks: list[Any]) -> list[tuple[str, Any, Any]]:
    """Worker: ingest and extract a batch of files (each result as ``build._process`` gives it)."""
    from communique.build import _process

    return [_process(task) for task in tasks]


def cluster_results(tasks: list[Any], executor: str) -> Iterator[tuple[str, Any, Any]]:
    """Results of ``ingest_batch`` over every task, run on the cluster, in the tasks' order.

    Raises:
        ClusterError: the scheduler cannot be reached, has no workers, or a batch failed every retry.
    """
    address = dask_address(executor)
    if not tasks:
        return  # nothing changed: no need of the cluster
    logging.getLogger("distributed").setLevel(logging.ERROR)  # its warnings would print on the user's terminal
    from distributed import Client, as_completed

    try:
        client = Client(address, timeout=CONNECT_SECONDS, set_as_default=False)
    except (OSError, TimeoutError) as exc:
        raise ClusterError(f"cannot reach the Dask scheduler at {executor}: {_first_line(exc)}") from None
    try:
        try:
            client.wait_for_workers(1, timeout=CONNECT_SECONDS)
        except (OSError, TimeoutError):
            raise ClusterError(f"the Dask cluster at {executor} has no workers") from None
        workers = max(1, len(client.scheduler_info().get("workers", {})))
        batches = [tasks[i : i + BATCH_FILES] for i in range(0, len(tasks), BATCH_FILES)]
        yield from _ordered(client, as_completed, batches, workers * WINDOW_PER_WORKER, executor)
    finally:
        client.close()


def _ordered(client: Any, as_completed: Any, batches: list[list[Any]], window: int, executor: str) -> Iterator[Any]:
    index: dict[str, int] = {}
    done: dict[int, list[Any]] = {}
    submitted = 0
    following = 0  # the next batch the writer gets

    def submit(queue: Any) -> None:
        nonlocal submitted
        future = client.submit(ingest_batch, batches[submitted], retries=RETRIES, pure=False)
        index[future.key] = submitted
        submitted += 1
        queue.add(future)

    queue = as_completed(loop=client.loop)
    while submitted < min(window, len(batches)):
        submit(queue)
    for future in queue:
        at = index.pop(future.key)
        try:
            done[at] = future.result()
        except Exception as exc:  # every retry failed: the build stops, what is stored stays
            raise ClusterError(f"a batch failed on the cluster at {executor} after {RETRIES} retries: "
                               f"{exc.__class__.__name__}: {_first_line(exc)}") from None
        future.release()
        if submitted < len(batches):
            submit(queue)
        while following in done:
            yield from done.pop(following)
            following += 1


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip()
    return text.splitlines()[0][:200] if text else exc.__class__.__name__
