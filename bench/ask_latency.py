"""Warm-up and per-question latency of ``Asker`` in one process, wall and CPU.

    python bench/ask_latency.py --db wh.db ../shared/eval/dev/wh-briefings/questions_dev2.jsonl
    python bench/ask_latency.py --db wh.db questions.jsonl --out answers.jsonl   # each answer, its times

Prints the imports' and ``Asker.warm()``'s wall and CPU seconds, then p50/p99 of the questions' wall
and CPU milliseconds (CPU: this process's time, which a shared machine moves far less than wall) and
the load average at the start and the end. ``--out`` keeps every answer with its citations and times,
so that two versions of the code can be compared answer by answer.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(p * (len(ordered) - 1) + 0.5))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("questions", type=Path, help="a JSONL file of {id, q}")
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    load = os.getloadavg()[0]
    wall, cpu = time.perf_counter(), time.process_time()
    from communique.query.ask import Asker
    from communique.store import open_store

    imports = (time.perf_counter() - wall, time.process_time() - cpu)
    asker = Asker(open_store(args.db)).warm()
    total = (time.perf_counter() - wall, time.process_time() - cpu)
    items = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    walls, cpus, rows = [], [], []
    for item in items:
        w, c = time.perf_counter(), time.process_time()
        answer = asker.ask(str(item["q"])).as_dict()
        walls.append(time.perf_counter() - w)
        cpus.append(time.process_time() - c)
        rows.append({"id": item.get("id"), "answer": answer["answer"], "citations": [(x["document"], x["start"], x["end"])
                     for x in answer["citations"]], "wall_ms": round(1000 * walls[-1]), "cpu_ms": round(1000 * cpus[-1])})
    if args.out:
        args.out.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    print(json.dumps({
        "imports_s": {"wall": round(imports[0], 2), "cpu": round(imports[1], 2)},
        "imports_and_warm_s": {"wall": round(total[0], 2), "cpu": round(total[1], 2)},
        "questions": len(items),
        "wall_ms": {"p50": round(1000 * _pct(walls, 0.5)), "p99": round(1000 * _pct(walls, 0.99)), "max": round(1000 * max(walls))},
        "cpu_ms": {"p50": round(1000 * _pct(cpus, 0.5)), "p99": round(1000 * _pct(cpus, 0.99)), "max": round(1000 * max(cpus))},
        "load_average": {"start": round(load, 2), "end": round(os.getloadavg()[0], 2)},
    }, indent=1))


if __name__ == "__main__":
    main()
