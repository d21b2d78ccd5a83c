"""A build spread over a real Dask cluster (two worker processes on 127.0.0.1) stores what a local
build stores, fact for fact, on SQLite and on PostgreSQL; a worker killed midway loses no document."""

from __future__ import annotations

import json
import os
import signal
from pathlib import Path
from typing import Any

import pytest

from communique.build import build
from communique.errors import ClusterError
from communique.store import open_store
from tests.conftest import WH, _place, corpus_dir, run_cli

pytest.importorskip("distributed")


def _dump(db: str) -> dict[str, Any]:
    """Everything a build decides, in a form that does not depend on the backend or write order."""
    with open_store(db) as store:
        facts = sorted(
            (r["id"], r["path"], r["kind"], json.loads(r["value"]), r["start"], r["end"], r["quote"], r["extractor"])
            for r in store.iter_facts()
        )
        records = {t: store.records(t) for t in ("meetings", "events", "commitments", "figures", "people", "entities")}
        stats = store.stats()
        return {
            "facts": facts, "records": records, "documents": store.documents(), "errors": store.errors(),
            "duplicates": store.duplicates(),
            "counts": {k: v for k, v in stats.items() if k not in ("file_size_bytes", "last_build")},
        }


@pytest.fixture(scope="module")
def wh_subset(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """200 wh-briefings files spread over the whole corpus, same layout."""
    if not WH.is_dir():
        pytest.skip("../shared/corpus/wh-briefings is not present")
    out = tmp_path_factory.mktemp("whsub") / "wh-200"
    files = sorted(WH.rglob("*.md"))
    for path in files[:: max(1, len(files) // 200)][:200]:
        _place(path, out / path.relative_to(WH))
    return out


@pytest.fixture(scope="module")
def wh_subset_local(wh_subset: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    db = tmp_path_factory.mktemp("whlocal") / "local.db"
    build([wh_subset], db, jobs=2)
    return _dump(str(db))


def test_seeds_on_the_cluster_equal_the_local_build(dask_cluster: str, tmp_path: Path) -> None:
    build([corpus_dir()], tmp_path / "local.db", jobs=1)
    report = build([corpus_dir()], tmp_path / "cluster.db", executor=dask_cluster)
    assert report.added == 5
    assert _dump(str(tmp_path / "cluster.db")) == _dump(str(tmp_path / "local.db"))


def test_wh_subset_on_the_cluster_into_postgres_equals_the_local_build(
    dask_cluster: str, wh_subset: Path, wh_subset_local: dict[str, Any], postgres: Any,
) -> None:
    url = postgres.new_database()
    report = build([wh_subset], url, executor=dask_cluster)
    assert report.added + len(report.duplicates) + len(report.errors) == 200
    cluster = _dump(url)
    assert len(cluster["facts"]) > 1000 and cluster["counts"]["documents"] > 150
    assert cluster == wh_subset_local
    again = build([wh_subset], url, executor=dask_cluster)  # resumable: files already stored are not sent
    assert (again.added, again.unchanged) == (0, 200)


def test_a_worker_lost_midway_loses_no_document(
    dask_cluster: str, wh_subset: Path, wh_subset_local: dict[str, Any], tmp_path: Path,
) -> None:
    from distributed import Client

    with Client(dask_cluster.replace("dask://", "tcp://"), set_as_default=False) as client:
        pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    seen = {"n": 0, "killed": False}

    def progress(event: str, info: dict[str, Any]) -> None:
        if event == "advance":
            seen["n"] += 1
            if seen["n"] == 40 and not seen["killed"]:
                os.kill(victim, signal.SIGKILL)  # the nanny starts a new worker; the scheduler reruns its tasks
                seen["killed"] = True

    db = tmp_path / "lost.db"
    build([wh_subset], db, executor=dask_cluster, progress=progress)
    assert seen["killed"]
    assert _dump(str(db)) == wh_subset_local


def test_an_unreachable_cluster_is_one_line(tmp_path: Path) -> None:
    proc = run_cli("build", str(corpus_dir()), "--db", str(tmp_path / "x.db"), "--executor", "dask://127.0.0.1:1",
                   "-q", check=False, timeout=120)
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert "cannot reach the Dask scheduler at dask://127.0.0.1:1" in proc.stderr
    with open_store(tmp_path / "x.db") as store:  # nothing half-written: the build stored nothing
        assert store.count_documents() == 0


def test_a_malformed_executor_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ClusterError, match="dask://HOST:PORT"):
        build([corpus_dir()], tmp_path / "x.db", executor="ray://127.0.0.1:1")
    assert not (tmp_path / "x.db").exists()
