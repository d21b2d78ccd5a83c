#!/usr/bin/env python3
"""Error analysis of the reader on SQuAD held-out questions: where does each wrong answer go wrong?

    python training/analyse_reader.py --db /tmp/squad.db [--every 4] [--out misses.jsonl]

The sample (fixed): every ``--every``-th question (file order) of the held-out (even-numbered)
articles. Each question the product gets wrong (not EM) falls in the first category that applies:

- ``retrieval``: no sentence the reader reads holds a gold answer (SQuAD-normalised, on word bounds);
- ``candidate``: a sentence holds it, but no candidate's normalised text equals a gold answer;
- ``filtered``: a right candidate exists but the answer layer's type or constraint filter drops it;
- ``ranking``: a right candidate survives the filters but another one ranks first;
- ``abstained``: the best candidate is right but under the answer threshold.

Prints the counts (and EM/F1 of the sample) as JSON; ``--out`` writes one line per miss.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from communique.query.ask import HARD_CONSTRAINTS, Asker, _type_fits  # noqa: E402
from communique.query.question import analyse  # noqa: E402
from communique.store import open_store  # noqa: E402
from train_reader import SQUAD, f1, squad_norm  # noqa: E402  (the same split and SQuAD normalisation)


def holds(text: str, gold: str) -> bool:
    n = squad_norm(gold)
    return bool(n) and f" {n} " in f" {squad_norm(text)} "


def sample(every: int) -> list[dict]:
    rows = [json.loads(line) for line in SQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    held = [q for q in rows if int(q["doc"].split("_", 1)[0]) % 2 == 0]
    return held[::every]


def classify(asker: Asker, q: dict) -> dict:
    question = analyse(q["q"])
    golds = q["answers"]
    gold_norms = {squad_norm(g) for g in golds}
    answer = asker.ask(q["q"])
    got = answer.answer
    em = bool(got) and squad_norm(got) in gold_norms
    row = {"id": q["id"], "q": q["q"], "gold": golds[0], "answer": got, "em": em,
           "f1": max(f1(got, g) for g in golds) if got else 0.0}
    if em:
        row["category"] = "right"
        return row
    rq, scored = asker.reader.read(question, None, asker.fact_spans(question))
    row["kind"] = rq.kind
    sentences = list(dict.fromkeys(s.candidate.sentence.text for s in scored))
    row["gold_sentence"] = next((k for k, t in enumerate(sentences) if any(holds(t, g) for g in golds)), None)
    right = [k for k, s in enumerate(scored) if squad_norm(s.candidate.text) in gold_norms]
    kept = [s for s in scored if _type_fits(rq.kind, s.candidate.labels, s.candidate.text, question.text, rq.head)
            and (s.candidate.fact is not None or not any(s.features.get(k) for k in HARD_CONSTRAINTS))]
    kept_right = [k for k, s in enumerate(kept) if squad_norm(s.candidate.text) in gold_norms]
    if row["gold_sentence"] is None:
        row["category"] = "retrieval"
    elif not right:
        row["category"] = "candidate"
        # the candidates of the gold sentence that overlap the answer most, to see the boundary problem
        gold_text = sentences[row["gold_sentence"]]
        near = sorted({s.candidate.text for s in scored if s.candidate.sentence.text == gold_text},
                      key=lambda t: -max(f1(t, g) for g in golds))
        row["near"] = near[:3]
        row["sentence"] = gold_text
    elif not kept_right:
        row["category"] = "filtered"
        row["labels"] = sorted(scored[right[0]].candidate.labels)
    elif kept_right[0] > 0 or got is not None:
        row["category"] = "ranking"
        row["right_rank"] = kept_right[0]
        row["best"] = kept[0].candidate.text if kept else None
    else:
        row["category"] = "abstained"
    return row


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--every", type=int, default=4)
    ap.add_argument("--out")
    a = ap.parse_args()
    asker = Asker(open_store(a.db))
    rows = [classify(asker, q) for q in sample(a.every)]
    counts = Counter(r["category"] for r in rows)
    n = len(rows)
    summary = {"questions": n, "em": round(100 * sum(r["em"] for r in rows) / n, 1),
               "f1": round(100 * sum(r["f1"] for r in rows) / n, 1),
               "answered": round(100 * sum(r["answer"] is not None for r in rows) / n, 1),
               "categories": dict(counts.most_common())}
    print(json.dumps(summary))
    if a.out:
        with open(a.out, "w", encoding="utf-8") as fh:
            for r in rows:
                if r["category"] != "right":
                    fh.write(json.dumps(r, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
