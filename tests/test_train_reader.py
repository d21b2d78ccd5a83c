"""The ranker's fit (training/train_reader.py) on real SQuAD questions: weights held fixed inside the
fit (the hand-set ``tuned`` ones) and an L2 toward a previous model's weights."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import ROOT, SHARED
from tests.test_reader import needs_squad, squad_db  # noqa: F401  (the session's SQuAD knowledge base)

SCRIPT = ROOT / "training" / "train_reader.py"


def _train_reader():  # noqa: ANN202
    spec = importlib.util.spec_from_file_location("train_reader", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules["train_reader"] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def rows(squad_db: Path):  # noqa: ANN201,F811
    """Candidates and feature vectors of 40 questions of one training (odd) article, as the script makes them."""
    from communique.query.rank import Ranker
    from communique.query.reader import Reader
    from communique.store import open_store

    train = _train_reader()
    questions = [json.loads(line) for line in (SHARED / "eval" / "squad" / "questions.jsonl").read_text().splitlines()
                 if line.strip()]
    odd = [q for q in questions if train.article(q["doc"]) % 2 == 1][:40]
    reader = Reader(open_store(squad_db), ranker=Ranker({}, 0.0))
    return train, train.extract(reader, train.gather(reader, odd))


@needs_squad
def test_a_weight_held_fixed_acts_in_the_fit_as_if_fitted(rows) -> None:  # noqa: ANN001
    """Held at the value a free fit gives it, a feature leaves the other weights where the free fit put
    them: its part of each logit is in the softmax the fit optimises, not left out of it."""
    train, data = rows
    vocab = train.vocabulary(data, 3)
    held = "c_head_in" if "c_head_in" in vocab else vocab[0]
    free = dict(zip(vocab, train.fit(data, vocab, epochs=600, l2=1e-3)))
    rest = train.vocabulary(data, 3, {held: free[held]})
    assert held not in rest and len(rest) == len(vocab) - 1
    fixed = dict(zip(rest, train.fit(data, rest, epochs=600, l2=1e-3, offsets={held: free[held]})))
    left_out = dict(zip(rest, train.fit(data, rest, epochs=600, l2=1e-3)))  # the feature dropped instead
    gap_fixed = max(abs(fixed[k] - free[k]) for k in rest)
    gap_dropped = max(abs(left_out[k] - free[k]) for k in rest)
    assert gap_fixed < gap_dropped / 3, (gap_fixed, gap_dropped)


@needs_squad
def test_a_strong_prior_keeps_the_previous_weights(rows) -> None:  # noqa: ANN001
    train, data = rows
    vocab = train.vocabulary(data, 3)
    rng = np.random.default_rng(5)
    prior = {k: float(v) for k, v in zip(vocab, rng.normal(0, 0.5, len(vocab)))}
    kept = dict(zip(vocab, train.fit(data, vocab, epochs=300, l2=10.0, lr=0.02, prior=prior)))
    free = dict(zip(vocab, train.fit(data, vocab, epochs=300, l2=10.0, lr=0.02)))
    assert max(abs(kept[k] - prior[k]) for k in vocab) < 0.05
    assert max(abs(free[k] - prior[k]) for k in vocab) > 0.3  # toward 0 instead


@needs_squad
def test_the_other_outcomes_of_a_hand_set_check_are_held_with_it(rows) -> None:  # noqa: ANN001
    """``k_year_ok`` is held at the base model's weight beside the hand-set ``k_year_miss``: refit
    alone it would undo the gap the hand-set weight makes; checks without a hand-set outcome are fit."""
    from communique.query.rank import model_path

    train, data = rows
    model = json.loads(model_path().read_text())
    tuned, base = model["tuned"], model["weights"]
    seen = {k for _, _, vectors, _ in data for f in vectors for k in f}
    held = train.held_weights(tuned, base, data)
    assert {k: held[k] for k in tuned} == tuned
    outcomes = [k for k in seen if k.startswith(("k_rel_", "k_year_", "k_phrase_", "k_date_")) and k not in tuned]
    assert outcomes and all(held[k] == base.get(k, 0.0) for k in outcomes)
    assert not any(k.startswith("k_names_") for k in held)  # no hand-set outcome of that check
    assert not any(k in held for k in train.vocabulary(data, 1, held))
