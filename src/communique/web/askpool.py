"""Questions answered in separate worker processes, so that pages and searches never wait for them.

The question reader (spaCy, the MiniLM encoder, candidate ranking) is CPU-bound Python: run in the
server's threads it holds the GIL, and every page and search waits behind it. ``AskPool`` runs it in
``workers`` processes instead, each started once (``spawn``, so nothing of the server's threads is
copied) and loading its own answerer once. In the server process each worker has one driver thread,
which spends its time blocked on the worker's pipe (the GIL released).

Bounds, each answered with a one-line error rather than a held request:

- at most ``queue`` questions wait for a free worker; one more is refused at once (503);
- a question waits at most ``wait`` seconds for a free worker (503);
- a question runs at most ``seconds``: the worker's own SQLite queries are stopped at that limit
  (504), and a worker still silent ``GRACE`` seconds later is killed and replaced (504);
- a worker that dies is replaced; the question it held gets a 503.

The latest ``ANSWERS_KEPT`` answers are kept by key (question, partnership, version of the knowledge
base): a question asked again, or asked again while the first was waiting, is not worked out twice.

Workers end with the pool (``close``), and on their own when the server process is gone.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import multiprocessing
import os
import queue
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from typing import Any

from communique.errors import AnswerTimeout, CommuniqueError, QueryTimeout

__all__ = ["AskPool", "ASK_SECONDS", "ASK_WAIT_SECONDS", "ASK_QUEUE", "ANSWERS_KEPT", "GRACE"]

ASK_SECONDS = 10.0
ASK_WAIT_SECONDS = 30.0  # how long a question may wait for a free worker
ASK_QUEUE = 64  # questions waiting beyond this are refused at once rather than queued for minutes
ANSWERS_KEPT = 512  # answers kept for questions asked again (a few KB each; the knowledge base is read-only)
GRACE = 2.0  # a worker silent this long past the limit is stuck in Python work: it is killed
START_SECONDS = 300.0  # a worker loads spaCy and the encoder; on a busy machine that takes a while
_CONTEXT = multiprocessing.get_context("spawn")


class _WorkerError(CommuniqueError):
    """An error a worker reported, with the status it carries."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.status = status


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(0)  # the server is gone (even killed): this worker goes too


def _worker_main(db_path: str, conn: Connection, parent: int) -> None:
    """A worker process: load the answerer once, then answer (question, scope, seconds) jobs until told
    to stop (``None``) or the server is gone."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole group: the server stops us
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    from communique.query.ask import Asker
    from communique.store import open_store

    try:
        store = open_store(db_path)
        asker = Asker(store).warm()
    except Exception as exc:  # reported to the server, which shows it in place of an answer
        conn.send(("failed", f"the answerer could not start: {exc.__class__.__name__}: {exc}"))
        return
    conn.send(("ready", os.getpid()))
    stamp = store.stamp()
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        if job is None:
            return
        question, scope, seconds = job
        try:
            if store.stamp() != stamp:  # rebuilt while served: answer from what the file holds now
                store.close()
                store = open_store(db_path)
                asker, stamp = Asker(store), store.stamp()
            with store.time_limit(seconds, "the question"):
                answer = asker.ask(question, scope=scope) if scope is not None else asker.ask(question)
            reply: tuple[str, Any] = ("ok", answer.as_dict())
        except QueryTimeout:
            reply = ("error", (f"the question took longer than {seconds:g} s and was stopped", 504))
        except CommuniqueError as exc:
            reply = ("error", (str(exc), getattr(exc, "status", 400)))
        except Exception as exc:  # a bug in the reader: one line, and the worker goes on
            reply = ("error", (f"internal error ({exc.__class__.__name__})", 500))
        try:
            conn.send(reply)
        except (BrokenPipeError, OSError):
            return


@dataclass
class _Job:
    question: str
    scope: list[str] | None
    key: Any = None  # what the answer is cached under (None: not cached)
    future: "concurrent.futures.Future[Any]" = field(default_factory=concurrent.futures.Future)
    waiting: bool = True  # holds one of the pool's waiting places (until taken, answered or given up)


class _Driver:
    """One worker process and the server-side thread that feeds it jobs from the shared queue."""

    def __init__(self, pool: "AskPool", number: int) -> None:
        self.pool = pool
        self.number = number
        self.process: Any = None
        self.conn: Connection | None = None
        self.ready = False  # loaded and waiting for questions (or answering one)
        self.thread = threading.Thread(target=self._run, name=f"ask-driver-{number}", daemon=True)

    def _start(self) -> bool:
        """Start a worker and wait until it has loaded; False when it could not (the pool is closing or
        the worker failed to load)."""
        ours, theirs = _CONTEXT.Pipe()
        process = _CONTEXT.Process(target=_worker_main, args=(self.pool.db_path, theirs, os.getpid()),
                                   name=f"communique-ask-{self.number}", daemon=True)
        process.start()
        theirs.close()
        self.process, self.conn = process, ours
        deadline = time.monotonic() + START_SECONDS
        while not self.pool.closed and time.monotonic() < deadline:
            if ours.poll(0.5):
                try:
                    kind, detail = ours.recv()
                except (EOFError, OSError):
                    break
                if kind == "ready":
                    self.pool.starts += 1
                    self.ready = True
                    return True
                self.pool.last_failure = str(detail)
                break
            if not process.is_alive():
                break
        self._stop()
        return False

    def _started_safely(self) -> bool:
        try:
            return self._start()
        except Exception as exc:  # e.g. no process can be started: reported, retried later, never fatal
            self.pool.last_failure = f"{exc.__class__.__name__}: {str(exc).strip().splitlines()[0] if str(exc).strip() else ''}"
            self._stop()
            return False

    def _stop(self) -> None:
        self.ready = False
        process, conn, self.process, self.conn = self.process, self.conn, None, None
        if conn is not None:
            conn.close()
        if process is not None:
            if process.is_alive():
                process.kill()
            process.join(5)

    def _run(self) -> None:
        failures = 0
        while not self.pool.closed:
            if self.process is None and not self._started_safely():
                failures += 1
                time.sleep(min(30.0, 2.0 ** failures))  # a worker that cannot load: retry, not in a loop
                continue
            failures = 0
            try:
                job = self.pool.jobs.get(timeout=0.5)
            except queue.Empty:
                if self.process is not None and not self.process.is_alive():
                    self._stop()  # died while idle: replaced before the next question
                continue
            if job is None or not job.future.set_running_or_notify_cancel():
                continue  # the pool is closing, or the asker gave up waiting
            self.pool.stop_waiting(job)
            cached = self.pool.cached(job.key)  # the same question, answered while this one waited
            if cached is None and self.process is not None and not self.process.is_alive():
                self._stop()  # died since the last question: replaced, then asked
                if not self._started_safely():
                    job.future.set_result(QueryTimeout("the answerer could not be restarted: try again in a moment"))
                    continue
            result = cached if cached is not None else self._answer(job)
            if cached is None and not isinstance(result, Exception):
                self.pool.remember(job.key, result)
            job.future.set_result(result)

    def _answer(self, job: _Job) -> Any:
        conn = self.conn
        seconds = self.pool.seconds
        assert conn is not None
        try:
            conn.send((job.question, job.scope, seconds))
            if conn.poll(seconds + GRACE):
                kind, detail = conn.recv()
                if kind == "ok":
                    return detail
                message, status = detail
                return _WorkerError(message, status)
            self.pool.killed += 1
            self._stop()  # stuck past its limit: killed, and replaced before the next question
            return AnswerTimeout(f"the question took longer than {seconds:g} s and was stopped")
        except (EOFError, OSError):
            self._stop()
            return QueryTimeout("the answerer stopped while answering: try again in a moment")


class AskPool:
    """A bounded pool of answering processes over the knowledge base at ``db_path``."""

    def __init__(self, db_path: str, workers: int = 1, seconds: float = ASK_SECONDS,
                 wait: float = ASK_WAIT_SECONDS, queue_size: int = ASK_QUEUE) -> None:
        if workers < 1:
            raise ValueError("an ask pool needs at least one worker")
        self.db_path = db_path
        self.seconds = seconds
        self.wait = wait
        self.jobs: "queue.Queue[_Job | None]" = queue.Queue()
        self._places = threading.BoundedSemaphore(queue_size)  # questions waiting for a worker
        self.closed = False
        self.starts = 0  # workers started (replacements included)
        self.killed = 0  # workers killed past the time limit
        self.last_failure: str | None = None
        self._answers: OrderedDict[Any, dict[str, Any]] = OrderedDict()  # the latest answers, by key
        self._drivers = [_Driver(self, i + 1) for i in range(workers)]
        self._started = False
        self._lock = threading.Lock()

    def start(self) -> None:
        """Start the workers (each loads in the background); called again, does nothing."""
        with self._lock:
            if not self._started and not self.closed:
                self._started = True
                for driver in self._drivers:
                    driver.thread.start()

    def ready_workers(self) -> int:
        """How many workers have loaded (a worker being replaced is not counted)."""
        return sum(d.ready for d in self._drivers)

    def worker_pids(self) -> list[int]:
        return [d.process.pid for d in self._drivers if d.process is not None and d.process.pid]

    def cached(self, key: Any) -> dict[str, Any] | None:
        """The answer kept under ``key`` (None: none, or no key)."""
        if key is None:
            return None
        with self._lock:
            answer = self._answers.get(key)
            if answer is not None:
                self._answers.move_to_end(key)
            return answer

    def remember(self, key: Any, answer: dict[str, Any]) -> None:
        """Keep an answer under ``key``; the oldest go beyond ``ANSWERS_KEPT``."""
        if key is None:
            return
        with self._lock:
            self._answers[key] = answer
            self._answers.move_to_end(key)
            while len(self._answers) > ANSWERS_KEPT:
                self._answers.popitem(last=False)

    def submit(self, question: str, scope: Any = None, key: Any = None) -> "concurrent.futures.Future[Any]":
        """Queue one question. The future's result is the answer's dict or the exception to raise.

        ``key`` names the answer for the answer cache: the same key, the same answer. The caller makes
        it (the question, its partnership and the version of the knowledge base); None: not cached.

        Raises:
            QueryTimeout: too many questions wait already.
        """
        self.start()
        job = _Job(question, sorted(scope) if scope is not None else None, key)
        answer = self.cached(key)
        if answer is not None:
            job.future.set_result(answer)
            return job.future
        if not self._places.acquire(blocking=False):
            raise QueryTimeout("the server is answering too many questions: try again in a moment")
        job.future.add_done_callback(lambda _: self.stop_waiting(job))  # given up (cancelled) or answered
        self.jobs.put(job)
        return job.future

    def stop_waiting(self, job: _Job) -> None:
        """Give back the waiting place of a question taken by a worker, answered or given up."""
        with self._lock:
            if not job.waiting:
                return
            job.waiting = False
        self._places.release()

    def _busy(self) -> QueryTimeout:
        why = f" ({self.last_failure})" if self.last_failure and not self.starts else \
            " (the answerers are still loading)" if not self.ready_workers() else ""
        return QueryTimeout(f"no answerer was free within {self.wait:g} s{why}: try again in a moment")

    @staticmethod
    def _outcome(result: Any) -> dict[str, Any]:
        if isinstance(result, Exception):
            raise result
        return result

    def ask(self, question: str, scope: Any = None, key: Any = None) -> dict[str, Any]:
        """The answer's dict, waiting in this thread (``key``: see ``submit``).

        Raises:
            QueryTimeout: no worker was free in time (503); AnswerTimeout: the question ran too long (504);
            QueryError: the question is not one the reader takes.
        """
        future = self.submit(question, scope, key)
        try:
            return self._outcome(future.result(timeout=self.wait))
        except concurrent.futures.TimeoutError:
            if future.cancel():
                raise self._busy() from None
        return self._outcome(future.result())

    async def ask_async(self, question: str, scope: Any = None, key: Any = None) -> dict[str, Any]:
        """``ask`` for the event loop: waits without holding a thread (a gone client drops its question)."""
        future = self.submit(question, scope, key)
        waiting = asyncio.wrap_future(future)
        done, _ = await asyncio.wait({waiting}, timeout=self.wait)
        if not done and future.cancel():
            raise self._busy()
        return self._outcome(await waiting)

    def close(self) -> None:
        """Stop every worker (and the drivers); questions still waiting get no answer."""
        self.closed = True
        while True:
            try:
                job = self.jobs.get_nowait()
            except queue.Empty:
                break
            if job is not None:
                job.future.cancel()
        for driver in self._drivers:
            process = driver.process
            if process is not None and process.is_alive():
                process.terminate()
        for driver in self._drivers:
            process = driver.process
            if process is not None:
                process.join(3)
                if process.is_alive():
                    process.kill()
                    process.join(3)
