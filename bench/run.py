"""Communique benchmarks: build, scaling, incremental, ask/search latency, start-up.

    python bench/run.py all            # everything (about 15 minutes on 2 cores)
    python bench/run.py build          # full wh-briefings build at --jobs 1 and 2, and bm25s on the same text
    python bench/run.py scaling        # 1/8, 1/4, 1/2, all of the corpus
    python bench/run.py incremental    # rebuild with no change, and with 1% of files changed
    python bench/run.py query          # ask and search p50/p99 on the wh knowledge base
    python bench/run.py startup        # `communique --help` and one `ask`, as whole processes
    python bench/run.py web            # 2,000 requests, 20 at a time, on a real server over the wh knowledge base
    python bench/run.py smoke          # a few hundred documents: the CI smoke figure

Results are printed as a Markdown table and saved in bench/results/latest.json.
"""

from __future__ import annotations

import json
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WH = ROOT.parent / "shared" / "corpus" / "wh-briefings"
RESULTS = ROOT / "bench" / "results"
CLI = [sys.executable, "-m", "communique"]


def _machine() -> str:
    return f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"


def _files(corpus: Path) -> list[Path]:
    return sorted(corpus.rglob("*.md"))


def _timed(cmd: list[str], **kw) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB of the command (its own and its waited-for children's), stdout."""
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    out, err = proc.communicate()
    elapsed = time.perf_counter() - started
    # the process is reaped by communicate(); its rusage is read from /proc-less accounting below
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{err[-2000:]}")
    return elapsed, _peak_of_last_child(), out


def _peak_of_last_child() -> int:
    """RUSAGE_CHILDREN's maxrss is a high-water mark over all children so far; the benchmarks run their
    memory-heavy reference (bm25s) last, so each build's figure is not inflated by it."""
    return resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024


def _build(corpus: Path, db: Path, jobs: int, rebuild: bool = True) -> dict:
    args = CLI + ["build", str(corpus), "--db", str(db), "--jobs", str(jobs), "--json", "-q"]
    if rebuild:
        args.append("--rebuild")
    seconds, peak_mb, out = _timed(args)
    report = json.loads(out)
    size_mb = sum(p.stat().st_size for p in _files(corpus)) / 1e6
    return {"jobs": jobs, "seconds": round(seconds, 1), "documents": report["files"],
            "docs_per_s": round(report["files"] / seconds, 1), "mb_per_s": round(size_mb / seconds, 2),
            "peak_mb": peak_mb, "added": report["added"]}


_FRONT = re.compile(r"\A---\n.*?\n---\n", re.S)


def _bm25s(corpus: Path) -> dict:
    """The reference: plain BM25 indexing of the same paragraphs with bm25s (English stopwords)."""
    code = f"""
import re, sys, time
from pathlib import Path
import bm25s
started = time.perf_counter()
front = re.compile(r"\\A---\\n.*?\\n---\\n", re.S)
paragraphs = []
for path in sorted(Path({str(corpus)!r}).rglob("*.md")):
    text = front.sub("", path.read_text(encoding="utf-8", errors="replace"))
    paragraphs += [p.strip() for p in re.split(r"\\n\\s*\\n", text) if p.strip()]
tokens = bm25s.tokenize(paragraphs, stopwords="en", show_progress=False)
index = bm25s.BM25()
index.index(tokens, show_progress=False)
print(len(paragraphs), time.perf_counter() - started)
"""
    seconds, peak_mb, out = _timed([sys.executable, "-c", code])
    n, inner = out.split()
    return {"seconds": round(seconds, 1), "paragraphs": int(n), "peak_mb": peak_mb}


def bench_build() -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        one = _build(WH, Path(tmp) / "wh1.db", 1)
        two = _build(WH, Path(tmp) / "wh2.db", 2)
    ref = _bm25s(WH)
    return {"build_jobs1": one, "build_jobs2": two, "bm25s": ref,
            "ratio_jobs2_to_bm25s": round(two["seconds"] / ref["seconds"], 2),
            "ratio_jobs1_to_bm25s": round(one["seconds"] / ref["seconds"], 2)}


def _subset(files: list[Path], fraction: float, out: Path) -> Path:
    step = round(1 / fraction)
    for i, f in enumerate(files):
        if i % step == 0:
            target = out / f.relative_to(WH)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, target) if os.stat(f).st_dev == os.stat(out).st_dev else shutil.copy(f, target)
    return out


def bench_scaling(jobs: int = 2) -> dict:
    files = _files(WH)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for fraction in (1 / 8, 1 / 4, 1 / 2):
            corpus = _subset(files, fraction, Path(tmp) / f"part{int(1 / fraction)}")
            r = _build(corpus, Path(tmp) / f"s{int(1 / fraction)}.db", jobs)
            rows.append({"fraction": f"1/{int(1 / fraction)}"} | r | {"ms_per_doc": round(1000 * r["seconds"] / r["documents"], 2)})
        r = _build(WH, Path(tmp) / "all.db", jobs)
        rows.append({"fraction": "1"} | r | {"ms_per_doc": round(1000 * r["seconds"] / r["documents"], 2)})
    growth = rows[-1]["ms_per_doc"] / rows[0]["ms_per_doc"]
    return {"scaling": rows, "per_doc_full_vs_eighth": round(growth, 2)}


def bench_incremental(jobs: int = 2) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "wh"
        shutil.copytree(WH, corpus)
        db = Path(tmp) / "inc.db"
        _build(corpus, db, jobs)
        unchanged = _build(corpus, db, jobs, rebuild=False)
        files = _files(corpus)
        for f in files[:: 100]:  # 1% of the files gain a paragraph
            with open(f, "a", encoding="utf-8") as h:
                h.write("\n\nA paragraph added in a later edition.\n")
        changed = _build(corpus, db, jobs, rebuild=False)
    return {"incremental_no_change_s": unchanged["seconds"], "incremental_1pct_changed_s": changed["seconds"],
            "changed_files": len(files[::100])}


def _wh_db() -> Path:
    db = RESULTS / "wh.db"
    if not db.exists():
        RESULTS.mkdir(parents=True, exist_ok=True)
        _build(WH, db, os.cpu_count() or 1)
    return db


def _latencies(fn, items: list[str], rounds: int = 3) -> dict:
    fn(items[0])
    times = []
    for _ in range(rounds):
        for item in items:
            started = time.perf_counter()
            fn(item)
            times.append(time.perf_counter() - started)
    times.sort()
    return {"n": len(times), "p50_ms": round(1000 * statistics.median(times), 2),
            "p99_ms": round(1000 * times[int(0.99 * (len(times) - 1))], 2), "max_ms": round(1000 * times[-1], 2)}


def bench_query() -> dict:
    sys.path.insert(0, str(ROOT / "src"))
    from communique.query.ask import Asker
    from communique.query.search import search
    from communique.store import open_store

    store = open_store(_wh_db())
    started = time.perf_counter()
    asker = Asker(store).warm()
    warm_up = time.perf_counter() - started
    questions = [l for l in (ROOT / "bench/queries.txt").read_text().splitlines() if l and not l.startswith("#")]
    queries = [l for l in (ROOT / "bench/search_queries.txt").read_text().splitlines() if l]
    started = time.perf_counter()
    asker.ask(questions[0])
    warm = time.perf_counter() - started
    answered = sum(1 for q in questions if asker.ask(q).answer)
    return {"ask": _latencies(asker.ask, questions) | {"answered": f"{answered}/{len(questions)}",
                                                       "warm_up_s": round(warm_up, 2), "first_s": round(warm, 3)},
            "search": _latencies(lambda q: search(store, q, limit=10), queries)}


def bench_startup() -> dict:
    db = _wh_db()
    helps = [_timed(CLI + ["--help"])[0] for _ in range(5)]
    asks = [_timed(CLI + ["ask", "Where was the 12th U.S.-ASEAN Summit held?", "--db", str(db), "--json"])[0] for _ in range(3)]
    return {"help_s": round(min(helps), 3), "one_ask_process_s": round(min(asks), 3)}


def bench_web(requests: int = 2000, concurrency: int = 20) -> dict:
    """A bounded load on a real server over the wh knowledge base, loopback only."""
    import urllib.parse

    sys.path.insert(0, str(ROOT))
    from tests.web_server import Server, load

    server = Server(_wh_db())
    paths = ["/", "/timeline", "/meetings", "/commitments", "/figures", "/people", "/entities", "/documents",
             "/search?q=Camp+David", "/api/meetings", "/api/timeline", "/api/search?q=ASEAN+maritime",
             "/ask?q=" + urllib.parse.quote("Where was the 12th U.S.-ASEAN Summit held?")]
    try:
        for p in paths:  # warm the caches once
            server.get(p)
        return load(server, paths, requests, concurrency)
    finally:
        server.stop()


def bench_smoke() -> dict:
    files = _files(WH)
    with tempfile.TemporaryDirectory() as tmp:
        corpus = _subset(files, 1 / 40, Path(tmp) / "smoke")
        return {"smoke": _build(corpus, Path(tmp) / "smoke.db", 2)}


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if not WH.is_dir():
        raise SystemExit(f"{WH} is missing: the benchmarks read ../shared/corpus/wh-briefings")
    steps = {"build": bench_build, "scaling": bench_scaling, "incremental": bench_incremental,
             "query": bench_query, "startup": bench_startup, "web": bench_web, "smoke": bench_smoke}
    chosen = list(steps) if what == "all" else [what]
    results: dict = {"machine": _machine(), "date": time.strftime("%Y-%m-%d")}
    for name in chosen:
        print(f"== {name}", flush=True)
        results[name] = steps[name]()
        print(json.dumps(results[name], indent=1), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    previous = json.loads((RESULTS / "latest.json").read_text()) if (RESULTS / "latest.json").exists() else {}
    (RESULTS / "latest.json").write_text(json.dumps(previous | results, indent=1))


if __name__ == "__main__":
    main()
