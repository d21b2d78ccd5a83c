#!/usr/bin/env python3
"""Fit the reader's ranker on SQuAD articles and write ``src/communique/data/models/reader.json``.

    communique build ../shared/eval/squad/docs --db /tmp/squad.db
    python training/train_reader.py --db /tmp/squad.db [--limit N] [--cache /tmp/feats.pkl]

Split (fixed): questions on articles with odd numbers (13, 15, ..., 47) train; the even ones (14, ...,
48) are held out and reported. The model is a softmax over each question's candidates (the product's
own features, ``communique.query.rank``), fit with Adam and L2; a candidate is right when it equals a
gold answer after SQuAD normalisation. questions_dev2 is never read here.
"""

from __future__ import annotations

import argparse
import json
import pickle
import random
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from communique.query.question import analyse  # noqa: E402
from communique.query.rank import Ranker, model_path  # noqa: E402
from communique.query.reader import Reader, normalise  # noqa: E402
from communique.store import open_store  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad" / "questions.jsonl"


def article(doc: str) -> int:
    return int(doc.split("_", 1)[0])


def extract(reader: Reader, questions: list[dict]) -> list[tuple[dict, list[str], list[dict[str, float]]]]:
    rows = []
    started = time.time()
    for n, q in enumerate(questions, 1):
        _, cands, vectors = reader.vectors(analyse(q["q"]))
        rows.append((q, [c.text for c in cands], vectors))
        if n % 100 == 0:
            print(f"  {n}/{len(questions)} questions, {(time.time() - started) / n:.2f} s each", file=sys.stderr)
    return rows


def fit(rows, vocab: list[str], epochs: int = 300, l2: float = 1e-3, lr: float = 0.05) -> np.ndarray:
    index = {k: i for i, k in enumerate(vocab)}
    mats, targets = [], []
    for q, texts, vectors in rows:
        golds = {normalise(a) for a in q["answers"]}
        y = np.array([normalise(t) in golds for t in texts], dtype=np.float64)
        if not y.any():
            continue
        x = np.zeros((len(vectors), len(vocab)), dtype=np.float32)
        for r, f in enumerate(vectors):
            for k, v in f.items():
                if k in index:
                    x[r, index[k]] = v
        mats.append(x)
        targets.append(y / y.sum())
    x_all = np.concatenate(mats)
    y_all = np.concatenate(targets)
    bounds = np.cumsum([0] + [len(m) for m in mats])
    seg = np.repeat(np.arange(len(mats)), [len(m) for m in mats])
    w = np.zeros(len(vocab))
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    for step in range(1, epochs + 1):
        s = x_all @ w
        mx = np.maximum.reduceat(s, bounds[:-1])
        e = np.exp(s - mx[seg])
        z = np.add.reduceat(e, bounds[:-1])
        p = e / z[seg]
        loss = -(y_all * np.log(p + 1e-12)).sum() / len(mats) + l2 * (w @ w)
        grad = x_all.T @ (p - y_all) / len(mats) + 2 * l2 * w
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= lr * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
        if step % 50 == 0:
            print(f"  step {step}: loss {loss:.4f}", file=sys.stderr)
    print(f"  fit on {len(mats)} questions with a right candidate, {len(x_all)} candidates", file=sys.stderr)
    return w


def evaluate(ranker: Ranker, rows) -> dict[str, float]:
    import re
    import string

    def squad_norm(s: str) -> str:
        s = "".join(ch for ch in s.lower() if ch not in set(string.punctuation))
        return " ".join(re.sub(r"\b(a|an|the)\b", " ", s).split())

    def f1(pred: str, gold: str) -> float:
        p, g = squad_norm(pred).split(), squad_norm(gold).split()
        same = sum((Counter(p) & Counter(g)).values())
        return 0.0 if not same else 2 * same / (len(p) + len(g))

    em = f1s = reach = 0.0
    for q, texts, vectors in rows:
        if not texts:
            continue
        probs = ranker.probabilities(vectors)
        best = texts[int(np.argmax(probs))]
        golds = q["answers"]
        em += max(squad_norm(best) == squad_norm(g) for g in golds)
        f1s += max(f1(best, g) for g in golds)
        reach += any(normalise(t) in {normalise(g) for g in golds} for t in texts)
    n = max(1, len(rows))
    return {"questions": len(rows), "em": round(100 * em / n, 1), "f1": round(100 * f1s / n, 1),
            "candidate_recall": round(100 * reach / n, 1)}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a knowledge base built from the SQuAD docs")
    ap.add_argument("--limit", type=int, default=0, help="at most N training questions (sampled, fixed seed)")
    ap.add_argument("--held", type=int, default=0, help="at most N held-out questions (sampled, fixed seed)")
    ap.add_argument("--cache", help="a pickle of extracted features to reuse (written if missing)")
    ap.add_argument("--out", default=str(model_path()))
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--rerank", type=int, default=0, help="sentences re-ranked with the encoder (0: none)")
    a = ap.parse_args()
    questions = [json.loads(line) for line in SQUAD.read_text(encoding="utf-8").splitlines() if line.strip()]
    train = [q for q in questions if article(q["doc"]) % 2 == 1]
    held = [q for q in questions if article(q["doc"]) % 2 == 0]
    rng = random.Random(13)
    if a.limit:
        train = rng.sample(train, min(a.limit, len(train)))
    if a.held:
        held = rng.sample(held, min(a.held, len(held)))
    if a.cache and Path(a.cache).is_file():
        train_rows, held_rows = pickle.loads(Path(a.cache).read_bytes())
    else:
        reader = Reader(open_store(a.db), ranker=Ranker({}, 0.0), rerank=a.rerank)
        print(f"extracting {len(train)} training questions", file=sys.stderr)
        train_rows = extract(reader, train)
        print(f"extracting {len(held)} held-out questions", file=sys.stderr)
        held_rows = extract(reader, held)
        if a.cache:
            Path(a.cache).write_bytes(pickle.dumps((train_rows, held_rows)))
    counts = Counter(k for _, _, vectors in train_rows for f in vectors for k in f)
    vocab = sorted(k for k, n in counts.items() if n >= a.min_count)
    w = fit(train_rows, vocab)
    weights = {k: round(float(v), 4) for k, v in zip(vocab, w) if abs(v) >= 1e-4}
    ranker = Ranker(weights, 0.0)
    report = {"train": evaluate(ranker, train_rows), "held_out": evaluate(ranker, held_rows)}
    print(json.dumps(report), file=sys.stderr)
    previous = json.loads(Path(a.out).read_text()) if Path(a.out).is_file() else {}
    out = {"about": "Reader ranker weights, fit by training/train_reader.py on SQuAD articles with odd numbers.",
           "threshold": previous.get("threshold", 0.0), "report": report, "weights": weights,
           "tuned": previous.get("tuned", {})}
    for key in ("calibration", "tuned_about"):
        if key in previous:
            out[key] = previous[key]
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {a.out}: {len(weights)} weights", file=sys.stderr)


if __name__ == "__main__":
    main()
