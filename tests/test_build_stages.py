"""A build says where its time went: wall and CPU seconds per stage, and per resolve part."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np

from communique.build import build
from communique.language.minilm import _gelu
from tests.conftest import corpus_dir, run_cli


PARTS = {"commitments", "people", "figures", "meetings_events", "write"}


def test_stages_of_a_parallel_build_and_of_a_build_with_nothing_to_do(tmp_path: Path) -> None:
    db = tmp_path / "kb.db"
    report = build([corpus_dir()], db, jobs=2, rebuild=True)
    stages = report.stages
    assert list(stages) == ["prepare", "extract_store", "resolve", "finalise"]
    for figures in stages.values():
        assert figures["seconds"] >= 0 and figures["cpu"] >= 0 and figures["workers_cpu"] >= 0
    assert sum(f["seconds"] for f in stages.values()) <= report.seconds + 0.01
    assert stages["extract_store"]["workers_cpu"] > 0  # the extraction workers, joined, are counted
    parts = stages["resolve"]["parts"]
    assert set(parts) == PARTS
    assert all(0 <= p["cpu"] <= 1.05 * p["seconds"] + 0.05 for p in parts.values())  # one thread each (BLAS too)
    assert stages["resolve"]["workers_cpu"] >= 0.8 * sum(p["cpu"] for n, p in parts.items() if n != "write")
    again = build([corpus_dir()], db, jobs=2)  # nothing changed: nothing is resolved again
    assert again.unchanged == report.files and "resolve" not in again.stages
    assert set(again.stages) == {"prepare", "extract_store", "finalise"}


def test_stages_in_the_cli_json(tmp_path: Path) -> None:
    out = run_cli("build", str(corpus_dir()), "--db", str(tmp_path / "kb.db"), "--jobs", "1", "--json", "-q").stdout
    stages = json.loads(out)["stages"]
    assert set(stages["resolve"]["parts"]) == PARTS  # serial parts are timed too
    assert stages["extract_store"]["cpu"] > 0 and stages["extract_store"]["workers_cpu"] == 0


def _gelu_reference(x: np.ndarray) -> np.ndarray:
    """The encoder's GELU written out as one expression (Abramowitz-Stegun 7.1.26 for erf)."""
    z = x * (1.0 / math.sqrt(2.0))
    sign, a = np.sign(z), np.abs(z)
    t = 1.0 / (1.0 + 0.3275911 * a)
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return 0.5 * x * (1.0 + sign * (1.0 - poly * np.exp(-a * a)))


def test_the_in_place_gelu_gives_the_very_values_of_the_expression() -> None:
    rng = np.random.default_rng(7)
    x = np.concatenate([rng.standard_normal(200_000) * 4, [0.0, -0.0, 1e-30, -1e-30, 12.0, -12.0, 80.0, -80.0]])
    x = x.astype(np.float32).reshape(8, -1)
    kept = x.copy()
    got = _gelu(x)
    assert got.dtype == np.float32 and np.array_equal(x, kept)  # its input is left as it was
    assert np.array_equal(got, _gelu_reference(kept))  # bit for bit, not merely close
