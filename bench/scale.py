"""Past one machine: build throughput on SQLite and PostgreSQL, locally and on a Dask cluster of 1 and
2 workers, on a wh-briefings subset; and the sizing projection the README's table comes from.

    python bench/scale.py                    # a 1,500-file subset (about 5 minutes on 2 cores)
    python bench/scale.py --files 2000
    python bench/scale.py --full             # also the whole corpus into PostgreSQL through 2 workers

Every build runs in this process through ``communique.build.build`` (a fresh knowledge base each
time), timed in its phases: ingest + extraction + storing (until the resolve phase starts), and
resolve. The store's write verbs are timed too: the seconds the single writer spends writing, the
figure that says how many workers one writer can keep up with. The clusters are Dask LocalClusters
of worker processes on 127.0.0.1, warmed by one small build before they are measured (a worker
loads the extractors once). PostgreSQL is a throw-away cluster on a Unix socket (``tests/servers.py``).
Results go to bench/results/scale.json and a Markdown table is printed.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
WH = ROOT.parent / "shared" / "corpus" / "wh-briefings"
SEEDS = ROOT.parent / "shared" / "corpus" / "seeds"
RESULTS = ROOT / "bench" / "results"

WRITE_VERBS = ("insert_document", "record_file", "delete_document", "drop_orphan", "document_by_text_hash",
               "file_holding", "has_document", "commit")


def _subset(n: int, out: Path) -> Path:
    files = sorted(WH.rglob("*.md"))
    step = max(1, len(files) // n)
    for path in files[::step][:n]:
        target = out / path.relative_to(WH)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(path, target)
    return out


class _WriterClock:
    """Sums the seconds spent in the store's write verbs, for every store class."""

    def __init__(self) -> None:
        from communique.store.db import SQLiteStore
        from communique.store.postgres import PostgresStore

        self.seconds = 0.0
        self.saved: list[tuple[type, str, Any]] = []
        for cls in (SQLiteStore, PostgresStore):
            for verb in WRITE_VERBS:
                original = getattr(cls, verb)
                self.saved.append((cls, verb, original))
                setattr(cls, verb, self._timed(original))

    def _timed(self, fn: Any) -> Any:
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
        return wrapper

    def restore(self) -> None:
        for cls, verb, original in self.saved:
            setattr(cls, verb, original)


def _measure(name: str, corpus: Path, db: str, executor: str = "local", jobs: int = 2) -> dict[str, Any]:
    from communique.build import build
    from communique.store import open_store

    marks: dict[str, float] = {}

    def progress(event: str, info: dict[str, Any]) -> None:
        if event == "phase" and "resolve" not in marks:
            marks["resolve"] = time.perf_counter()

    clock = _WriterClock()
    started = time.perf_counter()
    try:
        report = build([corpus], db, jobs=jobs, executor=executor, rebuild=True, progress=progress)
    finally:
        clock.restore()
    ended = time.perf_counter()
    with open_store(db) as store:
        size = store.stats()["file_size_bytes"]
    ingest = marks.get("resolve", ended) - started
    docs = report.added + len(report.duplicates) + len(report.errors)
    return {
        "name": name, "executor": executor if executor == "local" else "dask", "backend": "postgresql" if db.startswith("postgresql") else "sqlite",
        "files": docs, "documents": report.documents, "seconds": round(ended - started, 1),
        "ingest_s": round(ingest, 1), "resolve_s": round(ended - marks.get("resolve", ended), 1),
        "writer_s": round(clock.seconds, 1), "docs_per_s": round(docs / ingest, 1),
        "writer_docs_per_s": round(docs / clock.seconds, 1) if clock.seconds else None,
        "store_mb": round(size / 1e6, 1), "store_mb_per_10k_docs": round(size / 1e6 * 10000 / max(1, report.documents), 1),
    }


def _extract_only(corpus: Path) -> dict[str, Any]:
    """Ingest + extraction of every file in this one process, nothing stored: what one worker does."""
    from communique.build import _process
    from communique.extract import warm
    from communique.ingest import MAX_FILE_BYTES, walk

    warm()
    files, _ = walk([corpus])
    started = time.perf_counter()
    for source in files:
        _process((source, MAX_FILE_BYTES))
    seconds = time.perf_counter() - started
    return {"name": "ingest + extraction only, 1 process, nothing stored", "executor": "none", "backend": "none",
            "files": len(files), "documents": len(files), "seconds": round(seconds, 1), "ingest_s": round(seconds, 1),
            "resolve_s": 0.0, "writer_s": 0.0, "docs_per_s": round(len(files) / seconds, 1),
            "writer_docs_per_s": None, "store_mb": 0.0, "store_mb_per_10k_docs": 0.0}


def _cluster(workers: int) -> tuple[Any, str]:
    from distributed import LocalCluster

    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                           dashboard_address="127.0.0.1:0", silence_logs=50)
    return cluster, "dask://" + cluster.scheduler_address.removeprefix("tcp://")


def _warm(executor: str, tmp: Path) -> None:
    from communique.build import build

    build([SEEDS], tmp / f"warm-{time.monotonic_ns()}.db", executor=executor)  # each worker loads its extractors


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--files", type=int, default=1500)
    parser.add_argument("--full", action="store_true", help="also build the whole corpus into PostgreSQL on 2 workers")
    args = parser.parse_args()
    from tests.servers import PostgresCluster

    pg = PostgresCluster()
    runs: list[dict[str, Any]] = []
    try:
        with tempfile.TemporaryDirectory(prefix="communique-scale-") as tmp_name:
            tmp = Path(tmp_name)
            corpus = _subset(args.files, tmp / "corpus")

            def run(name: str, backend: str, executor: str = "local", corpus: Path = corpus) -> None:
                db = pg.new_database() if backend == "postgresql" else str(tmp / f"{name}.db")
                print(f"== {name}", flush=True)
                runs.append(_measure(name, corpus, db, executor))
                print(json.dumps(runs[-1]), flush=True)

            print("== ingest + extraction only", flush=True)
            runs.append(_extract_only(corpus))
            print(json.dumps(runs[-1]), flush=True)
            run("local, SQLite, 2 processes", "sqlite")
            run("local, PostgreSQL, 2 processes", "postgresql")
            for workers in (1, 2):
                cluster, address = _cluster(workers)
                try:
                    _warm(address, tmp)
                    run(f"Dask {workers} worker{'s' if workers > 1 else ''}, SQLite", "sqlite", address)
                    run(f"Dask {workers} worker{'s' if workers > 1 else ''}, PostgreSQL", "postgresql", address)
                    if args.full and workers == 2:
                        run("whole corpus, Dask 2 workers, PostgreSQL", "postgresql", address, WH)
                finally:
                    cluster.close()
    finally:
        pg.stop()
    result = {"machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
              "date": time.strftime("%Y-%m-%d"), "subset_files": args.files, "runs": runs}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "scale.json").write_text(json.dumps(result, indent=1))
    print(table(result))


def table(result: dict[str, Any]) -> str:
    lines = [f"Machine: {result['machine']}; {result['date']}; {result['subset_files']:,}-file wh-briefings subset", "",
             "| build | files | total s | ingest+store s | resolve s | writer s | docs/s (ingest) | writer docs/s | store MB / 10k docs |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for r in result["runs"]:
        lines.append(f"| {r['name']} | {r['files']:,} | {r['seconds']} | {r['ingest_s']} | {r['resolve_s']} | "
                     f"{r['writer_s']} | {r['docs_per_s']} | {r['writer_docs_per_s']} | {r['store_mb_per_10k_docs']} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
