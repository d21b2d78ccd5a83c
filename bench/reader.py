"""The reader's full runs: all 7,102 SQuAD questions, and questions_dev2 over a wh-briefings KB.

    python bench/reader.py squad [--db squad.db]          # builds the SQuAD docs when --db is missing
    python bench/reader.py squad --db squad.db --every 4  # every 4th question (1,776): a quarter of the time
    python bench/reader.py dev2 --db wh.db                 # a knowledge base of the whole wh corpus

Prints the scorers' summaries and writes bench/results/reader-squad.json (the SQuAD report). The CI
gate runs a 300-question subset (tests/test_reader.py, floors in tests/floors.json); these are the
whole sets, about an hour (SQuAD) and five minutes (dev2) on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CLI = f"{sys.executable} -m communique"


def split(predictions: Path) -> dict[str, dict[str, float]]:
    """The scorer's per-question lines summed by the trainer's split: odd articles train, even held out."""
    rows = [json.loads(line) for line in predictions.read_text(encoding="utf-8").splitlines() if line.strip()]
    out = {}
    for name, parity in (("held_out", 0), ("train", 1)):
        part = [r for r in rows if int(r["doc"].split("_", 1)[0]) % 2 == parity]
        answered = [r for r in part if r["answer"] is not None]
        n = max(1, len(part))
        out[name] = {"questions": len(part), "em": round(100 * sum(r["em"] for r in part) / n, 1),
                     "f1": round(100 * sum(r["f1"] for r in part) / n, 1),
                     "answered": round(100 * len(answered) / n, 1),
                     "support": round(100 * sum(r["supported"] for r in answered) / max(1, len(answered)), 1)}
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("measure", choices=["squad", "dev2"])
    ap.add_argument("--db")
    ap.add_argument("--split", help="only sum a saved predictions file by the training split")
    ap.add_argument("--every", type=int, default=1, help="SQuAD: every N-th question of the file only")
    a = ap.parse_args()
    if a.split:
        print(json.dumps(split(Path(a.split)), indent=1))
        return
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    if a.measure == "squad":
        db = a.db or str(Path(tempfile.mkdtemp()) / "squad.db")
        if not Path(db).is_file():
            subprocess.run([sys.executable, "-m", "communique", "build", str(EVAL / "squad" / "docs"), "--db", db, "-q"],
                           check=True)
        name = "reader-squad" if a.every == 1 else f"reader-squad-every{a.every}"
        predictions = ROOT / "bench" / "results" / f"{name}-predictions.jsonl"
        questions = EVAL / "squad" / "questions.jsonl"
        if a.every > 1:
            lines = [line for line in questions.read_text(encoding="utf-8").splitlines() if line.strip()]
            questions = Path(tempfile.mkdtemp()) / "questions.jsonl"
            questions.write_text("\n".join(lines[:: a.every]) + "\n", encoding="utf-8")
        subprocess.run([sys.executable, str(EVAL / "squad" / "score_squad.py"), "--cli", CLI, "--db", db,
                        "--questions", str(questions), "--report", str(ROOT / "bench" / "results" / f"{name}.json"),
                        "--predictions", str(predictions)], check=True)
        print(json.dumps(split(predictions), indent=1))
    else:
        if not a.db:
            ap.error("dev2 needs --db: a knowledge base of the whole wh-briefings corpus")
        subprocess.run([sys.executable, str(EVAL / "score.py"), "--db", a.db, "--cli", CLI, "--questions",
                        str(EVAL / "dev" / "wh-briefings" / "questions_dev2.jsonl"), "--meetings", "/dev/null",
                        "--events", "/dev/null", "--commitments", "/dev/null", "--verbose"], check=True)


if __name__ == "__main__":
    main()
