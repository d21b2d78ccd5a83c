"""The reader's full runs: all 7,102 SQuAD questions, and questions_dev2 over a wh-briefings KB.

    python bench/reader.py squad [--db squad.db]          # builds the SQuAD docs when --db is missing
    python bench/reader.py dev2 --db wh.db                 # a knowledge base of the whole wh corpus

Prints the scorers' summaries and writes bench/results/reader-squad.json (the SQuAD report). The CI
gate runs a 300-question subset (tests/test_reader.py, floors in tests/floors.json); these are the
whole sets, about an hour (SQuAD) and five minutes (dev2) on 2 cores.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
CLI = f"{sys.executable} -m communique"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("measure", choices=["squad", "dev2"])
    ap.add_argument("--db")
    a = ap.parse_args()
    (ROOT / "bench" / "results").mkdir(parents=True, exist_ok=True)
    if a.measure == "squad":
        db = a.db or str(Path(tempfile.mkdtemp()) / "squad.db")
        if not Path(db).is_file():
            subprocess.run([sys.executable, "-m", "communique", "build", str(EVAL / "squad" / "docs"), "--db", db, "-q"],
                           check=True)
        subprocess.run([sys.executable, str(EVAL / "squad" / "score_squad.py"), "--cli", CLI, "--db", db,
                        "--report", str(ROOT / "bench" / "results" / "reader-squad.json")], check=True)
    else:
        if not a.db:
            ap.error("dev2 needs --db: a knowledge base of the whole wh-briefings corpus")
        subprocess.run([sys.executable, str(EVAL / "score.py"), "--db", a.db, "--cli", CLI, "--questions",
                        str(EVAL / "dev" / "wh-briefings" / "questions_dev2.jsonl"), "--meetings", "/dev/null",
                        "--events", "/dev/null", "--commitments", "/dev/null", "--verbose"], check=True)


if __name__ == "__main__":
    main()
