"""Shared fixtures: paths to the real corpora and a runner for the real CLI."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"
WH = SHARED / "corpus" / "wh-briefings"
SAMPLE = ROOT / "src" / "communique" / "data" / "sample"


def corpus_dir() -> Path:
    """The seed corpus: ../shared when present, else the copy shipped in the package."""
    return SEEDS if SEEDS.is_dir() else SAMPLE


needs_wh = pytest.mark.skipif(not WH.is_dir(), reason="../shared/corpus/wh-briefings is not present")


def run_cli(*args: str, check: bool = True, timeout: float = 300) -> subprocess.CompletedProcess[str]:
    """Run ``communique ARGS`` as a separate process, as a user would."""
    env = dict(os.environ, COLUMNS="200", NO_COLOR="1")
    proc = subprocess.run(
        [sys.executable, "-m", "communique", *args], capture_output=True, text=True, timeout=timeout, env=env
    )
    if check and proc.returncode != 0:
        raise AssertionError(f"communique {' '.join(args)} failed ({proc.returncode}):\n{proc.stderr}")
    return proc


def cli_json(*args: str) -> object:
    return json.loads(run_cli(*args, "--json").stdout)


@pytest.fixture(scope="session")
def seeds_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base of the five seed documents, built once per test session."""
    db = tmp_path_factory.mktemp("seeds") / "seeds.db"
    run_cli("build", str(corpus_dir()), "--db", str(db), "-q")
    return db


@pytest.fixture(scope="session")
def wh_asean_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real sub-corpus: every wh-briefings file that mentions ASEAN or Korea, same layout."""
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    out = tmp_path_factory.mktemp("wh") / "wh-asean"
    for path in sorted(WH.rglob("*.md")):
        rel = path.relative_to(WH)
        if rel.parts[0] not in ("statements-releases", "speeches-remarks", "briefings-statements", "fact-sheets"):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if "ASEAN" in text or "Republic of Korea" in text or "Camp David" in text:
            _place(path, out / rel)
    return out


def _place(path: Path, target: Path) -> None:
    """Put a corpus file at ``target``: a hard link where the file system allows, else a copy."""
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(path, target)
    except OSError:
        target.write_bytes(path.read_bytes())


def wh_documents_db(tmp_path_factory: pytest.TempPathFactory, name: str, picked: Any, wanted: int) -> Path:
    """A knowledge base built by the real CLI from the wh documents whose file name ``picked`` accepts
    (at least ``wanted`` of them); skips where the corpus is absent."""
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    out = tmp_path_factory.mktemp(name) / "wh"
    found = [p for p in WH.rglob("*.md") if picked(p.name)]
    assert len(found) >= wanted, f"{len(found)} of {wanted} documents found"
    for path in found:
        _place(path, out / path.relative_to(WH))
    db = out.parent / f"{name}.db"
    run_cli("build", str(out), "--db", str(db), "-q")
    return db


@pytest.fixture(scope="session")
def wh_slice_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every eighth wh-briefings file (about 1,800): a build long enough (seconds) to be caught midway."""
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    out = tmp_path_factory.mktemp("whslice") / "wh-slice"
    for path in sorted(WH.rglob("*.md"))[::8]:
        _place(path, out / path.relative_to(WH))
    return out


@pytest.fixture(scope="session")
def wh_asean_db(wh_asean_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("whdb") / "wh.db"
    run_cli("build", str(wh_asean_dir), "--db", str(db), "-q")
    return db


from tests.servers import dask_cluster, postgres  # noqa: E402,F401  (real PostgreSQL and Dask servers)


@pytest.fixture(scope="session")
def seeds_pg(postgres) -> str:  # type: ignore[no-untyped-def]
    """The seed knowledge base built into a fresh PostgreSQL database; its URL."""
    url = postgres.new_database()
    run_cli("build", str(corpus_dir()), "--db", url, "-q")
    return url


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
needs_chromium = pytest.mark.skipif(not Path(CHROMIUM).exists(),
                                    reason="Debian chromium is not installed (.ci/run installs it)")
SHOTS = ROOT / "artifacts" / "screenshots"  # screenshots of the browser tests, for a person to look at
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run"]


@pytest.fixture(scope="module")
def browser_page(seeds_db: Path) -> Iterator[tuple[Any, Any]]:
    """A real server over the seeds knowledge base and a chromium page (Playwright), one per test module:
    yields (page, server)."""
    from playwright.sync_api import sync_playwright

    from tests.web_server import Server

    server = Server(seeds_db)
    SHOTS.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            yield page, server
            browser.close()
    finally:
        server.stop()
