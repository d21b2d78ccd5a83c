"""CI's smoke benchmark: a few hundred real documents must build at a sane speed.

The full benchmarks live in bench/ (`make bench`); this only catches a severe slowdown.
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from tests.conftest import run_cli

FLOOR_DOCS_PER_SECOND = 60  # 2 cores do about 250 (whole process, start-up included); below 60 is a regression


def test_smoke_build_speed(wh_asean_dir: Path, tmp_path: Path) -> None:
    started = time.perf_counter()
    report = json.loads(run_cli("build", str(wh_asean_dir), "--db", str(tmp_path / "smoke.db"), "--jobs", "2",
                                "--json", "-q").stdout)
    elapsed = time.perf_counter() - started
    rate = report["files"] / elapsed
    print(f"\nsmoke: {report['files']} documents in {elapsed:.1f} s = {rate:.0f} docs/s (whole process)")
    assert report["files"] > 300 and rate > FLOOR_DOCS_PER_SECOND


def test_cli_starts_fast() -> None:
    started = time.perf_counter()
    run_cli("--help")
    elapsed = time.perf_counter() - started
    assert elapsed < 1.5, f"communique --help took {elapsed:.2f} s"
