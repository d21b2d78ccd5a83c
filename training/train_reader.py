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
import re
import string
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from communique.query.ask import COVERAGE_FULL, HARD_CONSTRAINTS, _type_fits, _typical  # noqa: E402
from communique.query.candidates import Parser  # noqa: E402
from communique.query.question import analyse  # noqa: E402
from communique.query.rank import Ranker, model_path  # noqa: E402
from communique.query.reader import CONSENSUS_POOL, CONSENSUS_TOP, Reader, normalise, word_f1  # noqa: E402
from communique.store import open_store  # noqa: E402

SQUAD = ROOT.parent / "shared" / "eval" / "squad" / "questions.jsonl"


def article(doc: str) -> int:
    return int(doc.split("_", 1)[0])


def gather(reader: Reader, questions: list[dict]) -> list[tuple]:
    """Per question: its analysis, the sentences the reader reads and the stored facts' spans (the
    costly part: retrieval and parsing), kept so features can be computed again without them."""
    rows = []
    started = time.time()
    for n, q in enumerate(questions, 1):
        question = analyse(q["q"])
        found, docs, marks = reader.evidence(question)
        rows.append((q, question, found, marks))
        if n % 200 == 0:
            print(f"  {n}/{len(questions)} questions, {(time.time() - started) / n:.2f} s each", file=sys.stderr)
    return rows


def save_evidence(path: Path, reader: Reader, train: list[tuple], held: list[tuple]) -> None:
    from spacy.tokens import DocBin

    texts = list(dict.fromkeys(s.text for _, _, found, _ in train + held for s in found))
    bin_ = DocBin(store_user_data=False)
    for doc in reader.parser.parse(texts):
        bin_.add(doc)
    path.write_bytes(pickle.dumps({"rows": (train, held), "texts": texts, "docs": bin_.to_bytes()}))


def load_evidence(path: Path, reader: Reader) -> tuple[list[tuple], list[tuple]]:
    """Read the cache and put its parses back into the reader's parse cache."""
    from spacy.tokens import DocBin

    from communique.language import pipeline

    data = pickle.loads(path.read_bytes())
    docs = list(DocBin().from_bytes(data["docs"]).get_docs(pipeline().vocab))
    reader.parser = Parser(cache_size=len(docs) + 1)
    reader.parser._docs.update(zip(data["texts"], docs))
    return data["rows"]


def extract(reader: Reader, rows: list[tuple]) -> list[tuple[dict, list, list[dict[str, float]]]]:
    """Candidates and feature vectors of gathered questions (``Reader.featurise``, as answering does)."""
    out = []
    for q, question, found, marks in rows:
        rq = reader.question(question)
        docs = reader.parser.parse([s.text for s in found]) if found else []
        cands, vectors = reader.featurise(question, rq, found, docs, marks)
        at = {id(s): k for k, s in enumerate(found)}  # each candidate's sentence, span and head (consensus guards)
        out.append((q, [(c.text, sorted(c.labels), c.sentence.coverage, at[id(c.sentence)], c.start, c.end, c.head)
                        for c in cands], vectors, rq.kind))
    return out


def _sparse(rows, index: dict[str, int], partial: float = 0.0, offsets: dict[str, float] | None = None):
    """The fit's inputs: one (row, column, value) triple per feature, the candidates' question
    segments and the targets (a question's right candidates share its probability mass; with
    ``partial``, a candidate that overlaps a gold answer takes ``partial`` x its SQuAD F1 squared, so
    the ranker learns to prefer the spans that score most, not only the exact ones). With ``offsets``
    (fixed weights of features outside ``index``), each candidate's fixed part of its logit comes too."""
    offsets = offsets or {}
    r_idx, c_idx, vals, targets, sizes, fixed = [], [], [], [], [], []
    base = 0
    for q, cands, vectors, _ in rows:
        golds = {normalise(a) for a in q["answers"]}
        y = np.array([normalise(c[0]) in golds for c in cands], dtype=np.float64)
        if partial:
            gold_words = [Counter(squad_norm(a).split()) for a in q["answers"]]
            y = np.maximum(y, partial * np.array([_f1_words(Counter(squad_norm(c[0]).split()), gold_words)
                                                  for c in cands]) ** 2)
        if not y.any():
            continue
        for r, f in enumerate(vectors):
            held = 0.0
            for k, v in f.items():
                if k in index:
                    r_idx.append(base + r)
                    c_idx.append(index[k])
                    vals.append(v)
                elif k in offsets:
                    held += offsets[k] * v
            fixed.append(held)
        targets.append(y / y.sum())
        sizes.append(len(cands))
        base += len(cands)
    return (np.array(r_idx), np.array(c_idx), np.array(vals, dtype=np.float64), np.concatenate(targets),
            np.array(sizes), np.array(fixed, dtype=np.float64))


def _f1_words(pred: Counter, golds: list[Counter]) -> float:
    """The best SQuAD F1 of a candidate's words against the gold answers' words."""
    best = 0.0
    n = sum(pred.values())
    for g in golds:
        same = sum((pred & g).values())
        if same:
            best = max(best, 2 * same / (n + sum(g.values())))
    return best


def fit(rows, vocab: list[str], epochs: int = 400, l2: float = 1e-3, lr: float = 0.05, partial: float = 0.0,
        offsets: dict[str, float] | None = None, prior: dict[str, float] | None = None, data=None) -> np.ndarray:
    """Softmax over each question's candidates, Adam with L2 (sparse features, full batch).

    ``offsets``: weights held fixed inside the fit (the hand-set ``tuned`` ones): their features add
    to the logits as the product adds them, and are not refit. ``prior``: weights the L2 pulls toward
    (and the fit starts from) instead of 0, so a refit moves from the current model only as far as
    the training questions ask. ``data``: the ``_sparse`` inputs already built (``sparse_inputs``)."""
    if data is None:
        data = sparse_inputs(rows, vocab, partial, offsets)
    r_idx, c_idx, vals, y_all, sizes, fixed = data
    n_rows, n_q = len(y_all), len(sizes)
    bounds = np.cumsum(np.concatenate([[0], sizes]))
    seg = np.repeat(np.arange(n_q), sizes)
    # both products as sums over contiguous runs: by row (the triples come in row order) and by column
    row_starts = np.flatnonzero(np.r_[True, r_idx[1:] != r_idx[:-1]])
    rows_present = r_idx[row_starts]
    by_col = np.argsort(c_idx, kind="stable")
    c_sorted, r_by_col, v_by_col = c_idx[by_col], r_idx[by_col], vals[by_col]
    col_starts = np.flatnonzero(np.r_[True, c_sorted[1:] != c_sorted[:-1]])
    cols_present = c_sorted[col_starts]
    centre = np.array([(prior or {}).get(k, 0.0) for k in vocab])
    w = centre.copy()
    m1 = np.zeros_like(w)
    m2 = np.zeros_like(w)
    for step in range(1, epochs + 1):
        s = fixed.copy()
        s[rows_present] += np.add.reduceat(vals * w[c_idx], row_starts)
        mx = np.maximum.reduceat(s, bounds[:-1])
        e = np.exp(s - mx[seg])
        z = np.add.reduceat(e, bounds[:-1])
        p = e / z[seg]
        d = w - centre
        loss = -(y_all * np.log(p + 1e-12)).sum() / n_q + l2 * (d @ d)
        g = (p - y_all) / n_q
        grad = 2 * l2 * d
        grad[cols_present] += np.add.reduceat(v_by_col * g[r_by_col], col_starts)
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w -= lr * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
        if step % 100 == 0:
            print(f"  step {step}: loss {loss:.4f}", file=sys.stderr)
    print(f"  fit on {n_q} questions with a right candidate, {n_rows} candidates, {len(vocab)} features",
          file=sys.stderr)
    return w


def sparse_inputs(rows, vocab: list[str], partial: float = 0.0, offsets: dict[str, float] | None = None):
    """The fit's inputs (``_sparse``) for a vocabulary, built once to fit with several settings."""
    return _sparse(rows, {k: i for i, k in enumerate(vocab)}, partial, offsets)


def squad_norm(s: str) -> str:
    s = "".join(ch for ch in s.lower() if ch not in set(string.punctuation))
    return " ".join(re.sub(r"\b(a|an|the)\b", " ", s).split())


def f1(pred: str, gold: str) -> float:
    p, g = squad_norm(pred).split(), squad_norm(gold).split()
    same = sum((Counter(p) & Counter(g)).values())
    return 0.0 if not same else 2 * same / (len(p) + len(g))


THRESHOLDS = (0.0, 0.02, 0.05, 0.08, 0.1, 0.15, 0.2, 0.25, 0.3)


def _vote(keep: list[int], cands, probs) -> int:
    """The candidate the agreement vote picks (as ``Asker`` does): the most summed probability of the
    kept spans saying the same, then its own probability."""
    total: dict[str, float] = {}
    for i in keep:
        total[normalise(cands[i][0])] = total.get(normalise(cands[i][0]), 0.0) + float(probs[i])
    return max(keep, key=lambda i: (round(total[normalise(cands[i][0])], 3), probs[i]))


def _consensus(keep: list[int], voted: int, cands, probs, kind: str, question: str = "") -> int:
    """``reader.consensus`` over candidate indexes: of the likeliest kept spans sharing words with the
    voted one, the one that overlaps most with the likeliest kept spans (a date, a list or a stored fact keeps the vote, as ``Asker`` does)."""
    if kind in ("date", "list") or "FACT" in cands[voted][1]:
        return voted
    weighing = keep[:CONSENSUS_POOL]
    own = Counter(normalise(cands[voted][0]).split())
    asked = set(normalise(question).split())
    repeats = sum(n for w, n in own.items() if w in asked)
    choices = [i for i in keep if "FACT" not in cands[i][1]
               and word_f1(own, Counter(normalise(cands[i][0]).split())) > 0
               and sum(1 for w in normalise(cands[i][0]).split() if w in asked) <= repeats][:CONSENSUS_TOP]
    typical = _typical().get(kind, frozenset())
    if typical & set(cands[voted][1]):  # a span of a typical kind is traded only for another
        choices = [i for i in choices if typical & set(cands[i][1])]
    choices = list(dict.fromkeys([*choices, voted]))
    bags = {i: Counter(normalise(cands[i][0]).split()) for i in {*weighing, *choices}}
    return max(choices, key=lambda i: (round(sum(probs[j] * word_f1(bags[i], bags[j]) for j in weighing), 6), i == voted))


def evaluate(ranker: Ranker, rows) -> dict[str, object]:
    """EM/F1 of the best candidate the answer layer keeps (its type filter), over all questions, with
    the answered share at each answer floor (``confidence``: as ``Asker`` computes it)."""
    em = f1s = reach = 0.0
    confidences, rights, partials = [], [], []
    for q, cands, vectors, kind in rows:
        if not cands:
            confidences.append(-1.0)
            rights.append(0.0)
            partials.append(0.0)
            continue
        probs = ranker.probabilities(vectors)
        support: dict[str, float] = {}
        for c, p in zip(cands, probs):
            support[normalise(c[0])] = support.get(normalise(c[0]), 0.0) + float(p)
        order = sorted(range(len(cands)), key=lambda i: -probs[i])
        keep = [i for i in order if _type_fits(kind, set(cands[i][1]), cands[i][0])
                and not any(vectors[i].get(k) for k in HARD_CONSTRAINTS)]
        golds = q["answers"]
        reach += any(normalise(c[0]) in {normalise(g) for g in golds} for c in cands)
        if not keep:
            confidences.append(-1.0)
            rights.append(0.0)
            partials.append(0.0)
            continue
        voted = _vote(keep, cands, probs)
        best = cands[_consensus(keep, voted, cands, probs, kind, q["q"])]
        right = max(squad_norm(best[0]) == squad_norm(g) for g in golds)
        score = max(f1(best[0], g) for g in golds)
        em += right
        f1s += score
        confidences.append(support[normalise(cands[voted][0])] * min(1.0, cands[voted][2] / COVERAGE_FULL))
        rights.append(float(right))
        partials.append(score)
    n = max(1, len(rows))
    conf, ok, part = np.array(confidences), np.array(rights), np.array(partials)
    floors = {str(t): {"answered": round(100 * float((conf >= t).mean()), 1),
                       "em": round(100 * float((ok * (conf >= t)).sum()) / n, 1),
                       "f1": round(100 * float((part * (conf >= t)).sum()) / n, 1)} for t in THRESHOLDS}
    return {"questions": len(rows), "em": round(100 * em / n, 1), "f1": round(100 * f1s / n, 1),
            "candidate_recall": round(100 * reach / n, 1), "by_threshold": floors}


_CHECK = re.compile(r"^(k_[a-z]+_)")  # the check a constraint feature reports on: k_year_ of k_year_ok / _miss / _doc


def held_weights(tuned: dict[str, float], base: dict[str, float], rows) -> dict[str, float]:
    """The weights a ``--hold-tuned`` fit keeps fixed: the hand-set ones and the other outcomes of the
    same constraint check at the base model's values ("k_year_ok" beside the hand-set "k_year_miss"):
    refit alone, an outcome's weight would undo the hand-set gap between them (SQuAD, whose questions
    seldom state a year or a quoted name, teaches them little else)."""
    checks = {m.group(1) for k in tuned for m in [_CHECK.match(k)] if m}
    seen = {k for _, _, vectors, _ in rows for f in vectors for k in f}
    held = {k: base.get(k, 0.0) for k in seen if (m := _CHECK.match(k)) and m.group(1) in checks and k not in tuned}
    return {**held, **tuned}


def vocabulary(rows, min_count: int, offsets: dict[str, float] | None = None) -> list[str]:
    """The features that fire in the candidates of at least ``min_count`` of the questions (those held
    fixed as ``offsets`` excepted)."""
    counts = Counter(k for _, _, vectors, _ in rows for k in {k for f in vectors for k in f})
    return sorted(k for k, n in counts.items() if n >= min_count and k not in (offsets or {}))


def choose_l2(train_rows, a, offsets: dict[str, float] | None) -> float:
    """The ``--choose-l2`` strength that scores best (F1) on every third training article when fit on
    the others. With ``--prior`` the prior is a stand-in of the base model fit on those others alone
    (its features, from 0, as the base was made), since the base model itself has seen the articles
    the choice is measured on. Held-out (even) articles are never read here."""
    articles = sorted({article(r[0]["doc"]) for r in train_rows})
    check = set(articles[::3])
    fit_rows = [r for r in train_rows if article(r[0]["doc"]) not in check]
    check_rows = [r for r in train_rows if article(r[0]["doc"]) in check]
    tuned = offsets or {}
    prior = None
    if a.prior:
        base = json.loads(Path(a.base or a.out).read_text()).get("weights", {})
        old = [k for k in vocabulary(fit_rows, 1) if k in base]
        prior = dict(zip(old, (float(v) for v in fit(fit_rows, old, epochs=a.epochs, l2=1e-3))))
    vocab = vocabulary(fit_rows, a.min_count, offsets)
    data = sparse_inputs(fit_rows, vocab, a.partial, offsets)
    scores = {}
    for l2 in (float(x) for x in a.choose_l2.split(",")):
        w = fit(fit_rows, vocab, epochs=a.epochs, l2=l2, lr=a.lr, offsets=offsets, prior=prior, data=data)
        weights = dict(zip(vocab, (float(v) for v in w)))
        ranker = Ranker({k: weights.get(k, 0.0) + tuned.get(k, 0.0) for k in {*weights, *tuned}}, 0.0)
        scores[l2] = evaluate(ranker, check_rows)["f1"]
        print(f"  l2 {l2}: F1 {scores[l2]} on articles {sorted(check)}", file=sys.stderr)
    return max(scores, key=lambda k: (scores[k], k))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True, help="a knowledge base built from the SQuAD docs")
    ap.add_argument("--limit", type=int, default=0, help="at most N training questions (sampled, fixed seed)")
    ap.add_argument("--held", type=int, default=0, help="at most N held-out questions (sampled, fixed seed)")
    ap.add_argument("--cache", help="a pickle of the questions' sentences and parses to reuse (written if missing)")
    ap.add_argument("--out", default=str(model_path()))
    ap.add_argument("--base", help="the model whose threshold and 'tuned' weights to keep (default: --out)")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--features", help="a pickle of the feature vectors to reuse (written if missing)")
    ap.add_argument("--evaluate", help="a model file to report on the questions instead of fitting one")
    ap.add_argument("--l2", type=float, default=1e-3)
    ap.add_argument("--epochs", type=int, default=400)
    ap.add_argument("--partial", type=float, default=0.0,
                    help="target weight of a candidate that overlaps a gold answer, times its F1 squared (0: exact only)")
    ap.add_argument("--lr", type=float, default=0.05, help="Adam's step (0.02 suits a fit that starts from --prior)")
    ap.add_argument("--hold-tuned", action="store_true",
                    help="hold the base model's hand-set 'tuned' weights fixed inside the fit (their features out of the vocabulary)")
    ap.add_argument("--prior", action="store_true",
                    help="L2 toward the base model's fitted weights (and start there) instead of toward 0")
    ap.add_argument("--choose-l2", help="comma-separated L2 strengths to choose among on a split of the training articles")
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
    reader = Reader(open_store(a.db), ranker=Ranker({}, 0.0), rerank=a.rerank)
    reader.parser = Parser(cache_size=500_000)
    if a.features and Path(a.features).is_file():  # the vectors are there: no sentences needed
        train_ev, held_ev = [], []
    elif a.cache and Path(a.cache).is_file():
        train_ev, held_ev = load_evidence(Path(a.cache), reader)
    else:
        print(f"reading {len(train)} training and {len(held)} held-out questions", file=sys.stderr)
        train_ev, held_ev = gather(reader, train), gather(reader, held)
        if a.cache:
            save_evidence(Path(a.cache), reader, train_ev, held_ev)
    started = time.time()
    if a.features and Path(a.features).is_file():  # the vectors themselves (to fit again with other settings)
        train_rows, held_rows = pickle.loads(Path(a.features).read_bytes())
    else:
        train_rows, held_rows = extract(reader, train_ev), extract(reader, held_ev)
        if a.features:
            Path(a.features).write_bytes(pickle.dumps((train_rows, held_rows)))
    print(f"  features in {time.time() - started:.0f} s", file=sys.stderr)
    if a.evaluate:  # report a fitted model on the same questions, fit nothing
        ranker = Ranker.load(Path(a.evaluate))
        print(json.dumps({"train": evaluate(ranker, train_rows), "held_out": evaluate(ranker, held_rows)}))
        return
    base = Path(a.base or a.out)  # its threshold and hand-tuned weights are kept
    previous = json.loads(base.read_text()) if base.is_file() else {}
    tuned = previous.get("tuned", {})
    # the hand-set weights held fixed inside the fit (offsets: not refit, not dropped), the fit pulled
    # toward the base model's fitted weights rather than toward 0
    offsets = held_weights(tuned, previous.get("weights", {}), train_rows) if a.hold_tuned else None
    prior = previous.get("weights", {}) if a.prior else None
    l2 = choose_l2(train_rows, a, offsets) if a.choose_l2 else a.l2
    vocab = vocabulary(train_rows, a.min_count, offsets)
    w = fit(train_rows, vocab, epochs=a.epochs, l2=l2, lr=a.lr, partial=a.partial, offsets=offsets, prior=prior)
    weights = {k: round(float(v), 4) for k, v in zip(vocab, w) if abs(v) >= 1e-4}
    weights.update({k: v for k, v in (offsets or {}).items() if k not in tuned and abs(v) >= 1e-4})
    ranker = Ranker({k: weights.get(k, 0.0) + tuned.get(k, 0.0) for k in {*weights, *tuned}}, 0.0)
    report = {"train": evaluate(ranker, train_rows), "held_out": evaluate(ranker, held_rows)}
    print(json.dumps(report), file=sys.stderr)
    out = {"about": "Reader ranker weights, fit by training/train_reader.py on SQuAD articles with odd numbers.",
           "threshold": previous.get("threshold", 0.0), "report": report, "weights": weights, "tuned": tuned}
    for key in ("calibration", "tuned_about"):
        if key in previous:
            out[key] = previous[key]
    Path(a.out).parent.mkdir(parents=True, exist_ok=True)
    Path(a.out).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {a.out}: {len(weights)} weights", file=sys.stderr)


if __name__ == "__main__":
    main()
