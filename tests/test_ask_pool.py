"""Questions are answered in worker processes (``communique.web.askpool``), on a real server over a
real knowledge base: answers come through the pool, a question past its limit gets a 504 while pages
are still served, a dead or stuck worker is replaced, and SIGTERM stops the server with its workers.

Nothing here measures speed: the assertions are statuses, messages and processes.
"""

from __future__ import annotations

import os
import signal
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from communique.errors import QueryTimeout
from tests.web_server import Server, ask_workers, children

ASK = "/api/ask?q=" + urllib.parse.quote("Where was the 26th ASEAN-ROK Dialogue held?")
OTHER = "/api/ask?q=" + urllib.parse.quote("When did Viet Nam join ASEAN?")
THIRD = "/api/ask?q=" + urllib.parse.quote("Who co-chaired the 24th ASEAN-ROK Dialogue?")
LOAD_SECONDS = 300  # a worker loads spaCy and the encoder: on a busy machine, minutes


def _wait_for(condition, seconds: float = LOAD_SECONDS) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.fixture(scope="module")
def server(seeds_db: Path) -> Iterator[Server]:
    s = Server(seeds_db, "--ask-seconds", "3")
    try:
        yield s
    finally:
        s.stop()


def _one_worker(server: Server) -> int:
    assert _wait_for(lambda: len(ask_workers(server.proc.pid)) == 1), "no ask worker started"
    return ask_workers(server.proc.pid)[0]


def test_a_question_is_answered_by_a_worker_process(server: Server) -> None:
    status, answer = server.json(ASK, timeout=LOAD_SECONDS)
    assert status == 200 and answer["answer"] and "Seoul" in answer["answer"]
    assert answer["citations"][0]["quote"]
    worker = _one_worker(server)
    assert worker != server.proc.pid
    status, again = server.json(ASK)  # asked again: the same answer
    assert status == 200 and again == answer
    status, body = server.get("/ask?q=" + urllib.parse.quote("When did Viet Nam join ASEAN?"), timeout=LOAD_SECONDS)[0::2]
    assert status == 200 and "1995" in body


def test_a_stuck_question_gets_504_while_pages_are_served(server: Server) -> None:
    assert server.json(ASK, timeout=LOAD_SECONDS)[0] == 200  # the worker is loaded
    worker = _one_worker(server)
    os.kill(worker, signal.SIGSTOP)  # stuck in the middle of its work, as a runaway question would be
    result: dict[str, object] = {}
    asking = threading.Thread(target=lambda: result.update(reply=server.json(THIRD, timeout=120)))
    asking.start()
    try:
        time.sleep(0.3)
        status, meetings = server.json("/api/meetings")  # pages do not wait for the question
        assert status == 200 and meetings["items"]
        assert asking.is_alive(), "the question ended before the page was served"
        assert server.json("/api/search?q=Culture+House")[0] == 200
    finally:
        asking.join(120)
    status, body = result["reply"]  # type: ignore[misc]
    assert status == 504
    assert "took longer than 3 s" in body["error"]["message"]
    assert worker not in children(server.proc.pid)  # killed ...
    assert _wait_for(lambda: bool(set(ask_workers(server.proc.pid)) - {worker}))  # ... and replaced
    status, answer = server.json(THIRD, timeout=LOAD_SECONDS)
    assert status == 200 and answer["answer"]


def test_a_dead_worker_is_replaced(server: Server) -> None:
    worker = _one_worker(server)
    os.kill(worker, signal.SIGKILL)
    assert _wait_for(lambda: worker not in children(server.proc.pid), 30)
    status, answer = server.json(OTHER + "+", timeout=LOAD_SECONDS)  # a question not asked before
    assert status == 200 and answer["answer"]
    assert ask_workers(server.proc.pid) and worker not in ask_workers(server.proc.pid)


def test_sigterm_stops_the_server_and_its_workers(seeds_db: Path) -> None:
    s = Server(seeds_db, "--ask-workers", "2")
    try:
        assert _wait_for(lambda: len(ask_workers(s.proc.pid)) == 2)
        processes = children(s.proc.pid)
        s.proc.send_signal(signal.SIGTERM)
        s.proc.wait(30)
    finally:
        s.stop()
    assert _wait_for(lambda: not any(Path(f"/proc/{pid}").exists() and _alive(pid) for pid in processes), 15), \
        "a worker outlived the server"


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def test_waiting_and_queue_bounds_give_503(seeds_db: Path) -> None:
    from communique.web.askpool import AskPool

    pool = AskPool(str(seeds_db), workers=1, seconds=30, wait=0.5, queue_size=1)
    try:
        with pytest.raises(QueryTimeout, match="still loading"):
            pool.ask("Where was the 26th ASEAN-ROK Dialogue held?")  # starts the pool; the worker loads meanwhile
        assert _wait_for(lambda: pool.ready_workers() == 1)
        assert pool.ask("Where was the 26th ASEAN-ROK Dialogue held?")["answer"]
        os.kill(pool.worker_pids()[0], signal.SIGSTOP)
        running = pool.submit("When did Viet Nam join ASEAN?")  # taken by the stuck worker
        assert _wait_for(running.running, 10)
        with pytest.raises(QueryTimeout, match="no answerer was free within 0.5 s"):
            pool.ask("Who co-chaired the 24th ASEAN-ROK Dialogue?")
        pool.submit("What is the ASEAN-ROK Culture House?")  # fills the queue
        with pytest.raises(QueryTimeout, match="too many questions"):
            pool.submit("Where is the ASEAN-Korea Centre?")
    finally:
        pids = pool.worker_pids()
        pool.close()
    assert pids and not any(_alive(pid) for pid in pids)
