"""A bounded loopback load test of the web server: memory before and after, latency per kind, errors.

    python bench/load.py --db wh.db                          # 5,000 requests, 50 at a time
    python bench/load.py --db wh.db --requests 1500 --kinds ask --distinct

It starts a real ``communique serve`` on 127.0.0.1, warms it with one request of each kind, reads
its resident memory, sends the requests (pages, search and ask, in a fixed shuffled mix; with
``--distinct`` every question and search is different, the case that made caches grow), reads the
memory again (the server process and its question workers together) and prints one JSON object (also saved in bench/results/load.json). Any status but
200 counts as an error. Targets (issue 13): 0 errors, p99 <= 2 s for pages and search, RSS <= 1.5 GB.
"""

from __future__ import annotations

import argparse
import concurrent.futures
import http.client
import json
import os
import random
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
sys.path.insert(0, str(ROOT))
from tests.web_server import children, free_port  # noqa: E402  (the process tree, as the web tests read it)

PAGES = ["/", "/timeline", "/meetings", "/meetings?sort=ordinal", "/commitments", "/figures", "/people", "/entities",
         "/documents", "/api/overview", "/api/meetings", "/api/timeline?since=2017", "/api/people", "/api/documents?limit=50"]
WORDS = ("ASEAN Korea summit maritime trade climate energy security health vaccine infrastructure digital "
         "semiconductor Indo-Pacific partnership cooperation investment education Mekong Japan Australia "
         "India Quad deterrence Pyongyang Seoul Jakarta Manila Hanoi Singapore Bangkok Washington").split()


def _rss_mb(pid: int) -> dict[str, float]:
    fields = {}
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:  # gone meanwhile
        return {"rss_mb": 0.0, "peak_mb": 0.0}
    for line in lines:
        if line.startswith(("VmRSS:", "VmHWM:")):
            key, value = line.split(":")
            fields[key] = round(int(value.split()[0]) / 1024, 1)
    return {"rss_mb": fields.get("VmRSS", 0.0), "peak_mb": fields.get("VmHWM", 0.0)}


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _tree_cpu_s(pid: int) -> dict[str, float]:
    return {"server": _cpu_s(pid), "workers": sum(_cpu_s(child) for child in children(pid))}


def _tree_rss_mb(pid: int) -> dict[str, float]:
    """The server's memory with its workers': the sum over the process tree (peak: the sum of each
    process's own peak, an upper bound of the tree's)."""
    server = _rss_mb(pid)
    workers = [_rss_mb(child) for child in children(pid)]
    return {"rss_mb": round(server["rss_mb"] + sum(w["rss_mb"] for w in workers), 1),
            "peak_mb": round(server["peak_mb"] + sum(w["peak_mb"] for w in workers), 1),
            "server_rss_mb": server["rss_mb"], "workers_rss_mb": round(sum(w["rss_mb"] for w in workers), 1),
            "processes": 1 + len(workers)}


def _get(base: str, path: str, timeout: float) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(base + path, timeout=timeout) as r:
            r.read()
            status = r.status
    except urllib.error.HTTPError as e:
        status = e.code
    except (urllib.error.URLError, OSError):
        status = 0
    return status, time.perf_counter() - started


_connections = threading.local()


def _get_kept_alive(port: int, path: str, timeout: float) -> tuple[int, float]:
    """A GET on this thread's persistent connection (as a browser keeps one), made again after an error."""
    started = time.perf_counter()
    for attempt in (1, 2):
        conn = getattr(_connections, "conn", None)
        if conn is None:
            conn = _connections.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        try:
            conn.request("GET", path)
            response = conn.getresponse()
            response.read()
            return response.status, time.perf_counter() - started
        except (http.client.HTTPException, OSError):
            conn.close()
            _connections.conn = None
            if attempt == 2 or time.perf_counter() - started > timeout:
                break
    return 0, time.perf_counter() - started


def _workload(db: str, n: int, kinds: list[str], distinct: bool, seed: int) -> list[tuple[str, str]]:
    rng = random.Random(seed)
    con = sqlite3.connect(f"file:{Path(db).resolve()}?mode=ro", uri=True)
    docs = [r[0] for r in con.execute("SELECT path FROM documents ORDER BY random() LIMIT 300")]
    meetings = [r[0] for r in con.execute("SELECT id FROM meetings LIMIT 200")]
    con.close()
    questions = [q.strip() for q in (BENCH / "queries.txt").read_text().splitlines() if q.strip() and not q.startswith("#")]
    searches = [q.strip() for q in (BENCH / "search_queries.txt").read_text().splitlines() if q.strip() and not q.startswith("#")]
    out: list[tuple[str, str]] = []
    for i in range(n):
        kind = kinds[i % len(kinds)]
        if kind == "page":
            pick = rng.random()
            if pick < 0.6:
                path = rng.choice(PAGES)
            elif pick < 0.9 and docs:
                path = "/documents/" + urllib.parse.quote(rng.choice(docs), safe="/")
            else:
                path = "/meetings/" + rng.choice(meetings) if meetings else "/"
        elif kind == "search":
            q = " ".join(rng.sample(WORDS, rng.randint(1, 3))) if distinct or rng.random() < 0.5 else rng.choice(searches)
            path = ("/api/search?q=" if rng.random() < 0.5 else "/search?q=") + urllib.parse.quote(q)
        else:
            if distinct:
                q = f"{rng.choice(['When', 'Where', 'Who', 'What'])} {rng.choice(['was', 'did', 'is'])} the " \
                    f"{' '.join(rng.sample(WORDS, 3))} {rng.choice(['summit', 'meeting', 'agreement', 'statement'])}?"
            else:
                q = rng.choice(questions)
            path = ("/api/ask?q=" if rng.random() < 0.7 else "/ask?q=") + urllib.parse.quote(q)
        out.append((kind, path))
    rng.shuffle(out)
    return out


def _percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    values = sorted(values)
    return round(1000 * values[min(len(values) - 1, int(p * (len(values) - 1)))])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--requests", type=int, default=5000)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--kinds", default="page,page,search,search,ask", help="the mix, cycled")
    parser.add_argument("--distinct", action="store_true", help="every question and search different")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=13)
    parser.add_argument("--ask-workers", type=int, default=None, help="the server's question workers (its default: 1)")
    args = parser.parse_args()

    kinds = args.kinds.split(",")
    work = _workload(args.db, args.requests, kinds, args.distinct, args.seed)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    options = ["--ask-workers", str(args.ask_workers)] if args.ask_workers else []
    server = subprocess.Popen([sys.executable, "-m", "communique", "serve", "--db", args.db, "--port", str(port), *options],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while _get(base, "/api/overview", 2)[0] != 200:
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"the server did not start: {server.stderr.read() if server.stderr else ''}")
            time.sleep(0.2)
        # warm, as a server that has run a while: every listing page once, a few searches and questions
        # the partnership list (every page's switcher) is worked out once at start: waited for here
        _get(base, "/api/partnerships", 600)
        for path in PAGES + [p for k, p in work if k == "search"][:5] + [p for k, p in work if k == "ask"][:5]:
            _get(base, path, args.timeout)
        before = _tree_rss_mb(server.pid)
        cpu_before = _tree_cpu_s(server.pid)
        latencies: dict[str, list[float]] = {k: [] for k in set(kinds)}
        errors: dict[str, int] = {k: 0 for k in set(kinds)}
        statuses: dict[int, int] = {}
        started = time.perf_counter()

        slowest: dict[str, list[tuple[float, float, str]]] = {k: [] for k in set(kinds)}

        def hit(item: tuple[str, str]) -> None:
            kind, path = item
            at = time.perf_counter() - started
            status, seconds = _get_kept_alive(port, path, args.timeout)
            latencies[kind].append(seconds)
            slowest[kind].append((seconds, at, path))
            statuses[status] = statuses.get(status, 0) + 1
            if status != 200:
                errors[kind] += 1

        with concurrent.futures.ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(hit, work))
        elapsed = time.perf_counter() - started
        after = _tree_rss_mb(server.pid)
        cpu_after = _tree_cpu_s(server.pid)
        server_cpu = cpu_after["server"] - cpu_before["server"]
        result = {
            "db": args.db, "ask_workers": args.ask_workers or 1, "requests": args.requests, "concurrency": args.concurrency, "distinct": args.distinct,
            "seconds": round(elapsed, 1), "req_per_s": round(args.requests / elapsed, 1),
            "errors": sum(errors.values()), "statuses": {str(k): v for k, v in sorted(statuses.items())},
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "rss_before_mb": before["rss_mb"], "rss_after_mb": after["rss_mb"], "rss_peak_mb": after["peak_mb"],
            "rss_after_server_mb": after["server_rss_mb"], "rss_after_workers_mb": after["workers_rss_mb"],
            "processes": after["processes"],
            # CPU the server's own process used per request: a figure a busy machine hardly moves
            "server_cpu_s": round(server_cpu, 1), "server_cpu_ms_per_request": round(1000 * server_cpu / args.requests, 1),
            "workers_cpu_s": round(cpu_after["workers"] - cpu_before["workers"], 1),
            "by_kind": {k: {"n": len(v), "errors": errors[k], "p50_ms": _percentile(v, 0.5), "p99_ms": _percentile(v, 0.99),
                            "max_ms": _percentile(v, 1.0)} for k, v in sorted(latencies.items())},
            # the slowest requests of each kind: [ms, seconds into the run when sent, path]
            "slowest": {k: [[round(1000 * t), round(at, 1), path[:100]] for t, at, path in sorted(v, reverse=True)[:5]]
                        for k, v in sorted(slowest.items())},
        }
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            raise SystemExit("the server did not stop within 15 s of SIGTERM")
    (BENCH / "results").mkdir(exist_ok=True)
    (BENCH / "results" / "load.json").write_text(json.dumps(result, indent=1) + "\n")
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
