"""A real Communique server process on a free loopback port, for HTTP and browser tests."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def children(pid: int) -> list[int]:
    """Every process under ``pid``, from /proc (the question workers and their helpers; ``bench/load.py``
    sums their memory and CPU)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
    out, frontier = [], [pid]
    while frontier:
        frontier = [child for child, parent in parents.items() if parent in frontier]
        out += frontier
    return out


def ask_workers(pid: int) -> list[int]:
    """The question workers under ``pid`` (processes started by multiprocessing's spawn)."""
    out = []
    for child in children(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            out.append(child)
    return out


class Server:
    def __init__(self, db: Path, *options: str) -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "communique", "serve", "--db", str(db), "--port", str(self.port), *options],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(self.base + "/api/overview", timeout=1)
                return
            except (urllib.error.URLError, ConnectionError, OSError):
                if self.proc.poll() is not None:
                    raise RuntimeError(self.proc.stderr.read() if self.proc.stderr else "server exited")
                time.sleep(0.1)
        raise RuntimeError("the server did not start in 30 s")

    def get(self, path: str, timeout: float = 30) -> tuple[int, str, str]:
        try:
            with urllib.request.urlopen(self.base + path, timeout=timeout) as r:
                return r.status, r.headers.get("content-type", ""), r.read().decode("utf-8")
        except urllib.error.HTTPError as e:
            return e.code, e.headers.get("content-type", ""), e.read().decode("utf-8")

    def json(self, path: str, timeout: float = 30) -> tuple[int, Any]:
        status, _, body = self.get(path, timeout)
        return status, json.loads(body)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def load(server: Server, paths: list[str], requests: int = 2000, concurrency: int = 20) -> dict[str, float]:
    """A bounded load on a loopback server: ``requests`` GETs over ``paths``, ``concurrency`` at a time."""
    import concurrent.futures

    latencies: list[float] = []

    def hit(i: int) -> int:
        started = time.perf_counter()
        status = server.get(paths[i % len(paths)])[0]
        latencies.append(time.perf_counter() - started)
        return status

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(max_workers=concurrency) as pool:
        statuses = list(pool.map(hit, range(requests)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    return {"requests": requests, "errors": requests - statuses.count(200), "req_per_s": round(requests / elapsed),
            "p50_ms": round(1000 * latencies[len(latencies) // 2]),
            "p99_ms": round(1000 * latencies[int(0.99 * (len(latencies) - 1))])}
