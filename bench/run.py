"""Communique benchmarks: build, scaling, incremental, ask/search latency, start-up.

    python bench/run.py all            # everything (about 15 minutes on 2 cores)
    python bench/run.py build          # full wh-briefings build at --jobs 1 and 2, and bm25s on the same text
    python bench/run.py build-jobs2    # the same at --jobs 2 only (the build-time ratio), with the build's stages
    python bench/run.py scaling        # 1/8, 1/4, 1/2, all of the corpus (each built twice, the faster kept)
    python bench/run.py incremental    # rebuild with no change, and with 1% of files changed
    python bench/run.py query          # ask and search p50/p99 on the wh knowledge base
    python bench/run.py ask-batch      # `ask --questions` on 1,000 questions: total wall, per-question p50/p99, CPU
    python bench/run.py search         # search p50/p99: analyst queries, common words, filters, sort, pages, scope
    python bench/run.py followups      # what commitment follow-up costs on the wh knowledge base
    python bench/run.py startup        # `communique --help` and one `ask`, as whole processes
    python bench/run.py web            # 2,000 requests, 20 at a time, on a real server over the wh knowledge base
    python bench/run.py smoke          # a few hundred documents: the CI smoke figure

Each measure prints its JSON as it ends; the run ends with a Markdown table of its figures and the
targets (the README's table), and the figures are saved in bench/results/latest.json.
    python bench/run.py table          # the table of the figures saved in bench/results/latest.json
"""

from __future__ import annotations

import json
import os
import platform
import re
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


_LAST_CPU: list[float] = [0.0]  # CPU seconds (user + sys) of the last command timed, workers included


def _timed(cmd: list[str], **kw) -> tuple[float, int, str]:
    """Wall seconds, peak RSS in MB of the command (its largest process: itself or a worker it waited
    for), stdout. Read from the command's own wait4() accounting, so that figures of earlier commands
    (bm25s's 900 MB) do not leak into later ones. The command's CPU seconds (user + sys of it and the
    workers it waited for) are left in ``_LAST_CPU``: on a shared machine they vary less than wall."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=out, stderr=err, **kw)
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - started
        proc.returncode = os.waitstatus_to_exitcode(status)
        _LAST_CPU[0] = usage.ru_utime + usage.ru_stime
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    if proc.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{stderr[-2000:]}")
    return elapsed, usage.ru_maxrss // 1024, stdout


def _build(corpus: Path, db: Path, jobs: int, rebuild: bool = True) -> dict:
    args = CLI + ["build", str(corpus), "--db", str(db), "--jobs", str(jobs), "--json", "-q"]
    if rebuild:
        args.append("--rebuild")
    seconds, peak_mb, out = _timed(args)
    cpu = _LAST_CPU[0]
    report = json.loads(out)
    size_mb = sum(p.stat().st_size for p in _files(corpus)) / 1e6
    return {"jobs": jobs, "seconds": round(seconds, 1), "cpu_seconds": round(cpu, 1), "documents": report["files"],
            "docs_per_s": round(report["files"] / seconds, 1), "mb_per_s": round(size_mb / seconds, 2),
            "peak_mb": peak_mb, "added": report["added"], "stages": _stage_summary(report.get("stages", {}))}


def _stage_summary(stages: dict) -> dict:
    """The build's own stage timings (wall and CPU seconds), the resolve parts beside them."""
    out = {name: {k: v for k, v in figures.items() if k != "parts"} for name, figures in stages.items()}
    if "parts" in stages.get("resolve", {}):
        out["resolve_parts"] = stages["resolve"]["parts"]
    return out


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
    return {"seconds": round(seconds, 1), "cpu_seconds": round(_LAST_CPU[0], 1), "paragraphs": int(n),
            "peak_mb": peak_mb}


def bench_build(jobs: tuple[int, ...] = (1, 2)) -> dict:
    """Whole wh-briefings builds at each of ``jobs`` and bm25s on the same paragraphs, in one run."""
    load_before = [round(x, 2) for x in os.getloadavg()]
    builds = {}
    with tempfile.TemporaryDirectory() as tmp:
        for n in jobs:
            builds[n] = _build(WH, Path(tmp) / f"wh{n}.db", n)
    ref = _bm25s(WH)
    out: dict = {f"build_jobs{n}": b for n, b in builds.items()} | {"bm25s": ref}
    for n, b in builds.items():
        out[f"ratio_jobs{n}_to_bm25s"] = round(b["seconds"] / ref["seconds"], 2)
        # CPU seconds: the working measure while others load the machine (wall needs it idle)
        out[f"cpu_ratio_jobs{n}_to_bm25s"] = round(b["cpu_seconds"] / max(ref["cpu_seconds"], 1e-9), 2)
    return out | {"load_average_before": load_before, "load_average": [round(x, 2) for x in os.getloadavg()]}


def bench_build_jobs2() -> dict:
    """The build-time ratio alone: one whole build at ``--jobs 2`` and bm25s (half the time of ``build``)."""
    return bench_build((2,))


def _subset(files: list[Path], fraction: float, out: Path) -> Path:
    step = round(1 / fraction)
    for i, f in enumerate(files):
        if i % step == 0:
            target = out / f.relative_to(WH)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(f, target) if os.stat(f).st_dev == os.stat(out).st_dev else shutil.copy(f, target)
    return out


def bench_scaling(jobs: int = 2) -> dict:
    """Build time per document at 1/8, 1/4, 1/2 and all of the corpus. The machine's speed drifts, so
    the sizes are built twice, in rising then falling order, and each keeps its faster build."""
    files = _files(WH)
    fractions = ("1/8", "1/4", "1/2", "1")
    best: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        corpora = {"1": WH}
        for name in fractions[:-1]:
            corpora[name] = _subset(files, 1 / int(name.split("/")[1]), Path(tmp) / f"part{name.split('/')[1]}")
        for name in fractions + fractions[::-1]:
            r = _build(corpora[name], Path(tmp) / "scaling.db", jobs)
            r |= {"fraction": name, "ms_per_doc": round(1000 * r["seconds"] / r["documents"], 2)}
            if name not in best or r["seconds"] < best[name]["seconds"]:
                best[name] = r
    rows = [best[name] for name in fractions]
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


def bench_search() -> dict:
    """Search latency on the wh knowledge base: the analyst queries, common words (which matched
    100,000+ passages and took seconds before ranking was bounded), filters, sort, a second page and a
    partnership's scope. ``COMMUNIQUE_BENCH_DB`` names a built knowledge base to use instead."""
    sys.path.insert(0, str(ROOT / "src"))
    from communique.query.partnership import scope_of
    from communique.query.search import search_page
    from communique.store import open_store

    store = open_store(os.environ.get("COMMUNIQUE_BENCH_DB") or _wh_db())
    analyst = [l for l in (ROOT / "bench/search_queries.txt").read_text().splitlines() if l]
    common = [l for l in (ROOT / "bench/search_common.txt").read_text().splitlines() if l]
    scope = scope_of(store, "ASEAN-U.S.").document_ids
    groups = {
        "analyst": lambda q: search_page(store, q, limit=10),
        "common_words": lambda q: search_page(store, q, limit=10),
        "filtered": lambda q: search_page(store, q, limit=10, kind="fact_sheet", since="2021", until="2023"),
        "sorted_by_date": lambda q: search_page(store, q, limit=10, sort="date"),
        "second_page": lambda q: search_page(store, q, limit=10, offset=10),
        "partnership": lambda q: search_page(store, q, limit=10, scope=scope),
    }
    out: dict = {}
    every: list[float] = []
    for name, fn in groups.items():
        items = analyst if name == "analyst" else common if name == "common_words" else analyst + common
        out[name] = _latencies(fn, items)
        every.append(out[name]["p99_ms"])
    out["p99_ms_worst_group"] = max(every)
    return out


def bench_ask_batch() -> dict:
    """The 1,000-question batch over the wh knowledge base (``bench/ask_batch.py``);
    ``COMMUNIQUE_BENCH_DB`` names a built knowledge base to use instead."""
    sys.path.insert(0, str(ROOT / "bench"))
    from ask_batch import bench_ask_batch as run

    RESULTS.mkdir(parents=True, exist_ok=True)  # the answers too: compare them between two runs
    return run(os.environ.get("COMMUNIQUE_BENCH_DB") or _wh_db(), out=RESULTS / "ask_batch_answers.jsonl")


def bench_followups() -> dict:
    """What commitment follow-up costs on the wh knowledge base (retrieval, checks, encoder)."""
    sys.path.insert(0, str(ROOT / "src"))
    from communique.resolve.followups import attach_followups
    from communique.store import open_store

    store = open_store(os.environ.get("COMMUNIQUE_BENCH_DB") or _wh_db())
    return attach_followups(store, store.records("commitments"))


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


def _met(ok: bool) -> str:
    return "met" if ok else "**not met**"


def table(r: dict) -> str:
    """The README table of the figures in ``r`` (the measures that were run), with the targets."""
    rows: list[tuple[str, str, str]] = []
    if "build" in r:
        b = r["build"]
        for key in (k for k in ("build_jobs1", "build_jobs2") if k in b):
            x = b[key]
            rows.append((f"full build, `--jobs {x['jobs']}` ({x['documents']:,} files)",
                         f"{x['seconds']} s ({x.get('cpu_seconds', '?')} s CPU), {x['docs_per_s']} docs/s, "
                         f"{x['mb_per_s']} MB/s, peak {x['peak_mb']} MB",
                         f"peak ≤ 2 GB: {_met(x['peak_mb'] <= 2048)}"))
        rows.append(("bm25s indexing of the same paragraphs (reference, same run)",
                     f"{b['bm25s']['seconds']} s ({b['bm25s'].get('cpu_seconds', '?')} s CPU, "
                     f"{b['bm25s']['paragraphs']:,} paragraphs), peak {b['bm25s']['peak_mb']} MB", "—"))
        rows.append(("build / bm25s", f"{b['ratio_jobs2_to_bm25s']}x at `--jobs 2` ({b.get('ratio_jobs1_to_bm25s', '?')}x at `--jobs 1`); "
                     f"CPU {b.get('cpu_ratio_jobs2_to_bm25s', '?')}x at `--jobs 2`, load average {b.get('load_average', '?')}",
                     f"≤ 3x: {_met(b['ratio_jobs2_to_bm25s'] <= 3)}"))
    if "scaling" in r:
        s = r["scaling"]
        per_doc = ", ".join(str(x["ms_per_doc"]) for x in s["scaling"])
        rows.append(("scaling, ms per document at 1/8, 1/4, 1/2, all", per_doc,
                     f"within 20%: {_met(abs(s['per_doc_full_vs_eighth'] - 1) <= 0.2)} ({s['per_doc_full_vs_eighth']}x)"))
    if "incremental" in r:
        i = r["incremental"]
        rows.append((f"rebuild, no change / {i['changed_files']} files (1%) changed",
                     f"{i['incremental_no_change_s']} s / {i['incremental_1pct_changed_s']} s",
                     f"no change ≤ 5 s: {_met(i['incremental_no_change_s'] <= 5)}"))
    if "query" in r:
        a, q = r["query"]["ask"], r["query"]["search"]
        rows.append((f"ask, warm, {a['n']} asks (wh knowledge base; {a['answered']} answered)",
                     f"p50 {a['p50_ms']} ms, p99 {a['p99_ms']} ms (warm-up {a['warm_up_s']} s once)",
                     f"p50 ≤ 20, p99 ≤ 100: {_met(a['p50_ms'] <= 20 and a['p99_ms'] <= 100)}"))
        rows.append((f"search, {q['n']} searches", f"p50 {q['p50_ms']} ms, p99 {q['p99_ms']} ms", "—"))
    if "search" in r:
        x = r["search"]
        rows.append(("search: analyst / common words / filtered / by date / page 2 / partnership, p99",
                     " / ".join(f"{x[k]['p99_ms']} ms" for k in ("analyst", "common_words", "filtered", "sorted_by_date",
                                                                  "second_page", "partnership")),
                     f"p99 ≤ 300 ms: {_met(x['p99_ms_worst_group'] <= 300)}"))
    if "ask_batch" in r:
        x = r["ask_batch"]
        pq = x["per_question"]
        rows.append((f"ask batch, {x['questions']:,} questions in one `ask --questions` process (wh knowledge base; "
                     f"{x['answered']} answered; load average {x['load_average_before'][0]} before)",
                     f"{x['wall_s']} s wall, {x['cpu_s']} s CPU (first answer at {x['first_answer_s']} s); per question "
                     f"p50 {pq['wall_p50_ms']} ms, p99 {pq['wall_p99_ms']} ms wall, p50 {pq['cpu_p50_ms']} ms, "
                     f"p99 {pq['cpu_p99_ms']} ms CPU",
                     f"≤ 300 s: {_met(x['wall_s'] <= 300)}"))
    if "followups" in r:
        f = r["followups"]
        rows.append((f"commitment follow-up ({f['commitments']:,} commitments, {f['sentences_encoded']} sentences encoded)",
                     f"{f['seconds']} s ({f['retrieval_seconds']} s retrieval), {f['links']} links", "—"))
    if "startup" in r:
        st = r["startup"]
        rows.append(("`communique --help` / one `ask` as a whole process", f"{st['help_s']} s / {st['one_ask_process_s']} s",
                     f"--help < 0.3 s: {_met(st['help_s'] < 0.3)}"))
    if "web" in r:
        w = r["web"]
        rows.append((f"web, {w['requests']:,} requests, 20 at a time (wh knowledge base)",
                     f"{w['req_per_s']} req/s, p50 {w['p50_ms']} ms, p99 {w['p99_ms']} ms, {w['errors']} errors", "—"))
    if "smoke" in r:
        x = r["smoke"]["smoke"]
        rows.append((f"smoke build ({x['documents']} files, the CI figure)", f"{x['seconds']} s, {x['docs_per_s']} docs/s", "—"))
    lines = [f"Machine: {r.get('machine', _machine())}; {r.get('date', '')}", "",
             "| measure | result | target |", "| --- | --- | --- |"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    return "\n".join(lines)


def main() -> None:
    what = sys.argv[1] if len(sys.argv) > 1 else "all"
    if what == "table":
        print(table(json.loads((RESULTS / "latest.json").read_text())))
        return
    if not WH.is_dir():
        raise SystemExit(f"{WH} is missing: the benchmarks read ../shared/corpus/wh-briefings")
    steps = {"build": bench_build, "build-jobs2": bench_build_jobs2, "scaling": bench_scaling, "incremental": bench_incremental,
             "query": bench_query, "ask-batch": bench_ask_batch, "search": bench_search, "followups": bench_followups, "startup": bench_startup,
             "web": bench_web, "smoke": bench_smoke}
    chosen = list(steps) if what == "all" else [what]
    results: dict = {"machine": _machine(), "date": time.strftime("%Y-%m-%d")}
    for name in chosen:
        print(f"== {name}", flush=True)
        key = "build" if name == "build-jobs2" else name.replace("-", "_")  # build-jobs2: the same figures, one build fewer
        results[key] = steps[name]()
        print(json.dumps(results[key], indent=1), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    previous = json.loads((RESULTS / "latest.json").read_text()) if (RESULTS / "latest.json").exists() else {}
    (RESULTS / "latest.json").write_text(json.dumps(previous | results, indent=1))
    print()
    print(table(results))


if __name__ == "__main__":
    main()
