"""The 1,000-question batch: ``communique ask --questions FILE --json`` over the wh knowledge base, timed.

    python bench/run.py ask-batch                       # COMMUNIQUE_BENCH_DB=wh.db: a built wh knowledge base
    python bench/ask_batch.py --db wh.db                # the same, alone; --out FILE keeps the answers
    python bench/ask_batch.py --db wh.db --questions q.jsonl
    python bench/ask_batch.py --db wh.db --jobs 2        # two worker processes (``ask --jobs 2``)

The questions (no gold is read): the 120 of ``questions_dev2`` and 880 SQuAD questions spread evenly
over the 36 articles (off-domain for this knowledge base, but of the length and shape people ask; the
same 1,000 every run). One process answers them all, as a user's batch does: model load once, then
each question. The command is timed as a whole (wall and CPU, from its own ``wait4`` accounting), and
each answer line as it arrives (the batch writes one line per question and flushes it): the gap
between two lines is that question's wall time, and the CPU the process used in the gap (from
``/proc``, 10 ms ticks) its CPU time. Targets (issue 10): 1,000 questions in 5 minutes or less,
per-question p50 250 ms and p99 1 s.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
DEV2 = EVAL / "dev" / "wh-briefings" / "questions_dev2.jsonl"
SQUAD = EVAL / "squad" / "questions.jsonl"
TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def batch_questions(n: int = 1000) -> list[dict[str, str]]:
    """The dev2 questions, then SQuAD questions taken at even steps to make ``n`` in all: {id, q} only."""
    dev = [json.loads(line) for line in DEV2.read_text(encoding="utf-8").splitlines() if line.strip()]
    squad = [json.loads(line) for line in SQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    rest = max(0, n - len(dev))
    step = len(squad) / rest if rest else 1.0
    picked = dev[:n] + [squad[int(i * step)] for i in range(min(rest, len(squad)))]
    return [{"id": str(r["id"]), "q": str(r["q"])} for r in picked]


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU seconds of a running process (its threads included), None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return None
    return (int(fields[11]) + int(fields[12])) / TICK


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))] if ordered else 0.0


def run_batch(db: str | Path, questions: Path, out: Path | None = None, cli: list[str] | None = None,
              jobs: int = 1) -> dict[str, Any]:
    """Time one ``ask --questions`` process over ``questions`` (``jobs`` worker processes); the answers
    go to ``out`` when given. With workers, a line's gap is the batch's pace, not one question's time."""
    cmd = (cli or [sys.executable, "-m", "communique"]) + ["ask", "--db", str(db), "--questions", str(questions), "--json",
                                                           "--jobs", str(jobs)]
    stamps: list[tuple[float, float | None]] = []
    lines: list[str] = []
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=errors, text=True, encoding="utf-8")
        assert proc.stdout is not None
        for line in proc.stdout:
            stamps.append((time.perf_counter(), _cpu_seconds(proc.pid)))
            lines.append(line)
        _, status, usage = os.wait4(proc.pid, 0)
        errors.seek(0)
        stderr = errors.read()
    wall = time.perf_counter() - started
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}): {stderr.strip()[-500:]}")
    if out is not None:
        out.write_text("".join(lines), encoding="utf-8")
    walls = [b[0] - a[0] for a, b in zip(stamps, stamps[1:])]
    cpus = [b[1] - a[1] for a, b in zip(stamps, stamps[1:]) if a[1] is not None and b[1] is not None]
    answers = [json.loads(line) for line in lines]
    slowest = sorted(range(len(walls)), key=lambda i: -walls[i])[:5]
    return {
        "jobs": jobs,
        "questions": len(lines),
        "answered": sum(1 for a in answers if a.get("answer")),
        "wall_s": round(wall, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 1),  # its workers' too (they are waited for)
        "first_answer_s": round(stamps[0][0] - started, 2) if stamps else None,  # start, model load, first question
        "per_question": {
            "n": len(walls),
            "wall_p50_ms": round(1000 * statistics.median(walls)) if walls else None,
            "wall_p99_ms": round(1000 * _pct(walls, 0.99)) if walls else None,
            "wall_max_ms": round(1000 * max(walls)) if walls else None,
            "cpu_p50_ms": round(1000 * statistics.median(cpus)) if cpus else None,
            "cpu_p99_ms": round(1000 * _pct(cpus, 0.99)) if cpus else None,
        },
        "slowest": [{"question": answers[i + 1].get("question"), "wall_ms": round(1000 * walls[i])} for i in slowest],
        "peak_rss_mb": round(usage.ru_maxrss / 1024),
        "load_average": [round(x, 2) for x in os.getloadavg()],
    }


def bench_ask_batch(db: str | Path, n: int = 1000, out: Path | None = None, jobs: int = 1) -> dict[str, Any]:
    """The batch of ``n`` questions over ``db`` (see the module docstring)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "questions.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in batch_questions(n)), encoding="utf-8")
        load_before = [round(x, 2) for x in os.getloadavg()]
        result = run_batch(db, path, out, jobs=jobs)
    return {"load_average_before": load_before} | result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True, help="a built knowledge base of the whole wh corpus")
    parser.add_argument("--questions", type=Path, help="a JSONL file of {id, q} (default: the 1,000 of the batch)")
    parser.add_argument("--limit", type=int, default=1000, help="how many of the batch's questions (default 1,000)")
    parser.add_argument("--out", type=Path, help="write the answer lines here")
    parser.add_argument("--jobs", type=int, default=1, help="worker processes of the batch (default 1)")
    args = parser.parse_args()
    if args.questions:
        result = run_batch(args.db, args.questions, args.out, jobs=args.jobs)
    else:
        result = bench_ask_batch(args.db, args.limit, args.out, jobs=args.jobs)
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
