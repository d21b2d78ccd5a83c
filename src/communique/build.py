"""Build: walk files, ingest and extract in parallel, store whole documents, then resolve.

The library reports progress through a callback and returns a ``BuildReport``; it never prints.
"""

from __future__ import annotations

import multiprocessing as mp
import os
import resource
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from communique.errors import IngestError, StoreError
from communique.ingest import MAX_FILE_BYTES, SourceFile, load_document, read_manifest, walk
from communique.model import Document
from communique.store import PreparedRows, Store, open_store
from communique.store.base import is_postgres_url
from communique.store.guard import check_build_target

__all__ = ["BuildReport", "build", "Progress"]

OnError = Literal["skip", "record", "raise"]
Progress = Callable[[str, dict[str, Any]], None]

# Documents per transaction: whole documents only, and few commits (FTS5 merges less). A commit also
# happens every BATCH_SECONDS, so an interrupted build loses little; COMMUNIQUE_BATCH_SECONDS overrides it.
BATCH_DOCUMENTS = 2000
BATCH_SECONDS = float(os.environ.get("COMMUNIQUE_BATCH_SECONDS", "3"))


@dataclass
class BuildReport:
    """What a build did."""

    db: str
    files: int = 0
    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (file, duplicate of)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (file, reason)
    documents: int = 0
    seconds: float = 0.0
    resolved: dict[str, int] = field(default_factory=dict)
    jobs: int = 1
    # where the time went: stage -> {"seconds": wall, "cpu": this process, "workers_cpu": its
    # finished workers}; "resolve" also holds each resolve part's own wall and CPU seconds
    stages: dict[str, dict[str, Any]] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "db": self.db, "files": self.files, "added": self.added, "replaced": self.replaced,
            "unchanged": self.unchanged,
            "duplicates": [{"path": p, "duplicate_of": d} for p, d in self.duplicates],
            "errors": [{"path": p, "reason": r} for p, r in self.errors],
            "documents": self.documents, "seconds": round(self.seconds, 3), "resolved": self.resolved,
            "jobs": self.jobs, "stages": self.stages,
        }


class _Stages:
    """Wall and CPU seconds of consecutive stages of a build, into ``BuildReport.stages``."""

    def __init__(self, into: dict[str, dict[str, Any]]) -> None:
        self.into = into
        self.mark = self._now()

    @staticmethod
    def _now() -> tuple[float, float, float]:
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # workers count once they are joined
        return time.perf_counter(), time.process_time(), children.ru_utime + children.ru_stime

    def lap(self, name: str, **extra: Any) -> None:
        now = self._now()
        wall, cpu, workers = (round(b - a, 3) for a, b in zip(self.mark, now))
        self.into[name] = {"seconds": wall, "cpu": cpu, "workers_cpu": workers, **extra}
        self.mark = now


@lru_cache(maxsize=64)
def _manifest(root: str) -> dict[str, dict[str, Any]]:
    return read_manifest(root)


def _process(task: tuple[SourceFile, int]) -> tuple[str, Any, Any]:
    """Worker: one file -> ('ok', Document, PreparedRows) or ('error', relpath, reason)."""
    from communique.extract import extract_all

    source, max_bytes = task
    try:
        doc = load_document(source, _manifest(source.root), max_bytes=max_bytes)
    except IngestError as exc:
        return ("error", source.relpath, exc.reason)
    except Exception as exc:  # a reader bug must not stop a build: the file gets the reason
        return ("error", source.relpath, f"unexpected {exc.__class__.__name__}: {str(exc)[:120]}")
    try:
        rows = PreparedRows.of(doc, extract_all(doc))
    except Exception as exc:
        return ("error", source.relpath, f"extraction failed: {exc.__class__.__name__}: {str(exc)[:120]}")
    doc.passages = []  # they travel as rows: cheaper to send between processes
    return ("ok", doc, rows)


def _worker_gc() -> None:
    """A worker's garbage collector: what it inherits (grammars, automata, gazetteers) is frozen out
    of the collections, and the youngest generation is collected every 20,000 allocations rather
    than 700 (a document's extraction makes tens of thousands of small objects, few of them cyclic)."""
    import gc

    gc.freeze()
    gc.set_threshold(20000, 50, 100)


def _results(tasks: list[tuple[SourceFile, int]], jobs: int, executor: str = "local") -> Iterator[tuple[str, Any, Any]]:
    if executor != "local":
        from communique.distributed import cluster_results

        yield from cluster_results(tasks, executor)
        return
    if jobs <= 1 or len(tasks) < 4:
        for task in tasks:
            yield _process(task)
        return
    forking = "fork" in mp.get_all_start_methods()
    if forking:
        from communique.extract import warm

        warm()  # the forked workers share what this builds
    ctx = mp.get_context("fork") if forking else mp.get_context()
    with ctx.Pool(processes=jobs, initializer=_worker_gc) as pool:
        yield from pool.imap(_process, tasks, chunksize=16)


def _stat(path: str) -> tuple[int | None, int | None]:
    try:
        st = os.stat(path)
        return st.st_size, st.st_mtime_ns
    except OSError:
        return None, None


def build(
    paths: list[str | Path],
    db_path: str | Path,
    *,
    jobs: int | None = None,
    rebuild: bool = False,
    on_error: OnError = "record",
    max_bytes: int = MAX_FILE_BYTES,
    wait: float = 0.0,
    progress: Progress | None = None,
    executor: str = "local",
) -> BuildReport:
    """Ingest files and folders into the knowledge base at ``db_path``.

    Incremental: files whose size and modification time are unchanged are not read again.
    Each batch of documents is one transaction, so an interrupted build leaves whole documents.

    Args:
        paths: files and folders; a document's ``path`` is relative to the folder it was found in.
        db_path: the SQLite file (created when missing).
        jobs: worker processes (default: all cores).
        rebuild: empty the knowledge base first.
        on_error: ``record`` keeps a row per bad file, ``skip`` only reports it, ``raise`` stops.
        max_bytes: files larger than this are refused.
        wait: seconds to wait for another build's lock before failing.
        progress: called as ``progress(event, info)`` with events start, advance, phase, done.
        executor: ``local`` (``jobs`` processes here) or ``dask://HOST:PORT``: ingest and extraction
            run on that Dask cluster's workers (``communique.distributed``), storing stays here.
    Raises:
        BuildLockedError: another build holds the knowledge base.
        ClusterError: the ``dask://`` cluster cannot be reached or failed.
        IngestError: a bad file, with ``on_error="raise"``.
    """
    started = time.perf_counter()
    report_stages: dict[str, dict[str, Any]] = {}
    stages = _Stages(report_stages)
    if executor != "local":
        from communique.distributed import dask_address

        dask_address(executor)  # a malformed address fails before the knowledge base is touched
    jobs = max(1, jobs or os.cpu_count() or 1)
    notify = progress or (lambda event, info: None)
    report = BuildReport(db=str(db_path), jobs=jobs, stages=report_stages)
    missing = [str(p) for p in paths if not os.path.lexists(p)]
    if missing:  # before anything is created: a mistyped folder must not leave an empty knowledge base
        raise IngestError(missing[0], "no such file or folder")
    if not is_postgres_url(str(db_path)):  # a server checks its own rights; a file is checked here
        check_build_target(db_path)
    try:
        store = open_store(db_path, readonly=False, upgrade=False)
    except OSError as exc:
        raise StoreError(f"cannot create {db_path} ({exc.strerror or exc})") from None
    try:
        store.acquire_lock(wait)
        if rebuild:
            store.reset()
        else:
            store.upgrade()
        files, problems = walk(paths)
        report.files = len(files)
        for path, reason in problems:
            report.errors.append((path, reason))
        known = store.known_files()
        todo: list[tuple[SourceFile, int, int | None, int | None]] = []
        for source in files:
            size, mtime = _stat(source.path)
            seen = known.get(source.path)
            # a file that failed is read again: what made it fail (permissions, a half-copied file)
            # may be fixed without changing its size or modification time; refusing it again is cheap
            if seen and seen[2] != "error" and size is not None and seen[0] == size and seen[1] == mtime:
                report.unchanged += 1
                continue
            todo.append((source, max_bytes, size, mtime))
        notify("start", {"total": len(todo), "unchanged": report.unchanged, "files": len(files)})
        stages.lap("prepare")
        changed = _store_results(store, todo, jobs, on_error, report, notify, executor)
        stages.lap("extract_store")
        if changed or rebuild or not store.get_meta("resolved"):
            notify("phase", {"name": "resolving facts across documents"})
            from communique.resolve import resolve_all

            parts: dict[str, Any] = {}
            with store.transaction():
                report.resolved = resolve_all(store, jobs, timings=parts)
                store.set_meta("resolved", True)
            stages.lap("resolve", parts=parts)
        report.documents = store.count_documents()
        report.seconds = time.perf_counter() - started
        with store.transaction():
            store.set_meta("last_build", {
                "at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
                "paths": [str(Path(p).resolve()) for p in paths],
                "added": report.added, "seconds": round(report.seconds, 2), "jobs": jobs,
            })
        store.close()
        stages.lap("finalise")
        report.seconds = time.perf_counter() - started
        notify("done", {"report": report})
        return report
    finally:
        store.close()


def _store_results(
    store: Store,
    todo: list[tuple[SourceFile, int, int | None, int | None]],
    jobs: int,
    on_error: OnError,
    report: BuildReport,
    notify: Progress,
    executor: str = "local",
) -> bool:
    """Write worker results in batched transactions; returns whether anything changed."""
    changed = False
    stats = {source.relpath: (source, size, mtime) for source, _, size, mtime in todo}
    tasks = [(source, max_bytes) for source, max_bytes, _, _ in todo]
    pending = 0
    marked = False
    last_commit = time.monotonic()
    store.begin()
    try:
        for status, first, second in _results(tasks, jobs, executor):
            if status == "error":
                relpath, reason = first, second
                source, size, mtime = stats[relpath]
                report.errors.append((relpath, reason))
                if on_error == "raise":
                    store.commit()
                    raise IngestError(relpath, reason)
                if on_error == "record":
                    previous = store.record_file(source.path, relpath, source.root, size, mtime, "error", None, reason)
                    if previous:  # the file held a document before: its facts go with it
                        store.drop_orphan(previous)
                        changed = True
            else:
                doc, rows = first, second
                changed |= _store_document(store, doc, rows, stats[doc.path], report)
            if changed and not marked:
                # in the transaction of the first change: committed documents always come with the
                # mark that their facts are not resolved yet, so an interrupted build re-resolves
                store.set_meta("resolved", False)
                marked = True
            pending += 1
            notify("advance", {"n": 1})
            if pending >= BATCH_DOCUMENTS or time.monotonic() - last_commit > BATCH_SECONDS:
                store.commit()
                store.begin()
                pending = 0
                last_commit = time.monotonic()
        store.commit()
    except BaseException:
        store.rollback()
        raise
    return changed


def _store_document(
    store: Store, doc: Document, rows: PreparedRows, stat: tuple[SourceFile, int | None, int | None],
    report: BuildReport,
) -> bool:
    source, size, mtime = stat
    existing = store.document_by_text_hash(doc.text_hash)
    if existing is not None:
        holder = store.file_holding(existing, source.path)
        if holder is not None:  # another file already holds this text: store it once
            previous = store.record_file(source.path, doc.path, source.root, size, mtime, "duplicate", existing)
            report.duplicates.append((doc.path, holder))
            if previous:
                store.drop_orphan(previous)
            return True
        # this very file holds it already (touched, not changed)
        store.record_file(source.path, doc.path, source.root, size, mtime, "stored", existing)
        report.unchanged += 1
        return False
    if store.has_document(doc.id):  # same bytes cleaned differently by an older Communique: replace the stored copy
        store.delete_document(doc.id)
    store.insert_document(doc, source.root, rows)
    previous = store.record_file(source.path, doc.path, source.root, size, mtime, "stored", doc.id)
    if previous:
        store.drop_orphan(previous)
        report.replaced += 1
    else:
        report.added += 1
    return True
