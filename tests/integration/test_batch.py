"""Batch mode on a real Dask LocalCluster with the real models.

* a batch over a few hundred generated articles, loaded, gives the same database as plain
  `crimewire ingest` of the same inputs (articles, events and their arguments, errors);
* a second run over the same inputs writes nothing;
* a worker killed mid-run takes no results with it: the output is complete, without duplicates;
* each worker process loads each model once, however many chunks it runs.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crimewire.batch import (
    MANIFEST,
    BatchSummary,
    PartitionEvent,
    iter_batch_results,
    load_batch,
    read_manifest,
    run_batch,
)
from crimewire.storage import (
    ArticleFilter,
    Database,
    list_articles,
    list_events,
    list_ingest_errors,
    load_result,
    open_database,
)
from crimewire.storage.read import EventFilter

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402  (bench/corpus.py: the generated corpus)

N_ARTICLES = 240
# Short articles keep the test's model time down; the batch logic does not depend on length.
WORDS = (90, 180)
PARTITION = 40


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generated articles in two JSONL files, plus a file with a broken line and an empty file."""
    folder = tmp_path_factory.mktemp("inputs")
    corpus.write_jsonl(folder / "a.jsonl", N_ARTICLES // 2, seed=11, words=WORDS)
    corpus.write_jsonl(folder / "b.jsonl", N_ARTICLES // 2, seed=12, words=WORDS)
    good = json.loads((folder / "a.jsonl").read_text(encoding="utf-8").splitlines()[0])
    good["id"] = "extra-1"  # same text as a.jsonl's first article, another id: a duplicate
    (folder / "c.jsonl").write_text('{"id": "broken", "text": \n' + json.dumps(good) + "\n", encoding="utf-8")
    (folder / "d.txt").write_text("", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def batch_run(inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, BatchSummary]:
    out = tmp_path_factory.mktemp("batch") / "out"
    summary = run_batch([inputs], out, workers=2, partition_size=PARTITION)
    return out, summary


def _ingest(inputs: Path, db_path: Path) -> None:
    crimewire = Path(sys.executable).with_name("crimewire")
    proc = subprocess.run(
        [str(crimewire), "ingest", str(inputs), "--db", str(db_path)], capture_output=True, text=True, timeout=900
    )
    # Exit status 1: the inputs hold read errors on purpose.
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert db_path.is_file()


def _event_rows(db: Database) -> list[tuple[object, ...]]:
    rows = list_events(db, EventFilter(limit=None, order="date"))
    # Database ids differ between two databases; everything else must be equal.
    return sorted((r.article_id, r.seq, *(getattr(r, f) for f in r.__dataclass_fields__ if f != "id")) for r in rows)


def test_batch_writes_every_article_once(batch_run: tuple[Path, BatchSummary]) -> None:
    out, summary = batch_run
    assert summary.failed == ()
    assert summary.articles == N_ARTICLES + 1
    assert summary.read_errors == 2
    ids = [r.article.id for r in iter_batch_results(out)]
    assert len(ids) == len(set(ids)) == N_ARTICLES + 1
    events = pq.read_table(out / "events").num_rows
    assert events == summary.events > N_ARTICLES // 2
    errors = pq.read_table(out / "errors").to_pylist()
    assert sorted((e["stage"], Path(e["origin"]).name) for e in errors) == [("read", "c.jsonl:1"), ("read", "d.txt")]


def test_models_load_once_per_worker(batch_run: tuple[Path, BatchSummary]) -> None:
    _, summary = batch_run
    assert summary.workers == 2 and len(summary.model_loads) == 2
    for info in summary.model_loads.values():
        # Two models (English, Spanish) per worker process, loaded before the first chunk;
        # every chunk after that reuses them.
        assert info["loads"] == 2, info
        assert info["reuses"] >= 2, info


def test_loaded_batch_equals_plain_ingest(
    inputs: Path, batch_run: tuple[Path, BatchSummary], tmp_path: Path
) -> None:
    out, _ = batch_run
    _ingest(inputs, tmp_path / "ingest.db")
    with open_database(tmp_path / "batch.db") as db:
        summary = load_batch(out, db)
    # extra-1 repeats the text of another article: storage keeps the first, in both databases.
    assert (summary.inserted, summary.duplicates) == (N_ARTICLES, 1)
    with (
        open_database(tmp_path / "ingest.db", readonly=True) as plain,
        open_database(tmp_path / "batch.db", readonly=True) as loaded,
    ):
        every = ArticleFilter(limit=None, order="id")
        plain_articles = [a.to_dict() | {"ingested_at": None} for a in list_articles(plain, every)]
        loaded_articles = [a.to_dict() | {"ingested_at": None} for a in list_articles(loaded, every)]
        assert len(plain_articles) == N_ARTICLES
        assert loaded_articles == plain_articles
        assert _event_rows(loaded) == _event_rows(plain)
        assert len(_event_rows(plain)) > N_ARTICLES // 2
        for article in plain_articles:
            # The whole stored record: texts, clutter removed, mentions, events with every argument.
            assert load_result(loaded, article["id"]) == load_result(plain, article["id"]), article["id"]
        plain_errors = sorted((e.origin, e.reason) for e in list_ingest_errors(plain, limit=None))
        loaded_errors = sorted((e.origin, e.reason) for e in list_ingest_errors(loaded, limit=None))
        assert loaded_errors == plain_errors and len(plain_errors) == 2


def test_second_run_writes_nothing(inputs: Path, batch_run: tuple[Path, BatchSummary]) -> None:
    out, first = batch_run
    manifest = (out / MANIFEST).read_text()
    files = {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")}
    again = run_batch([inputs], out, workers=2)  # the partition size comes from the directory
    assert again.partitions_written == 0
    assert again.partitions_skipped == first.partitions_written
    assert again.model_loads == {}  # nothing to compute: no cluster was started
    assert (out / MANIFEST).read_text() == manifest
    assert {p: p.stat().st_mtime_ns for p in out.rglob("*.parquet")} == files


@pytest.fixture()
def cluster() -> Iterator[tuple[object, object]]:
    from distributed import Client, LocalCluster

    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as c,
        Client(c) as client,
    ):
        yield c, client


def test_a_killed_worker_takes_no_results_with_it(
    inputs: Path, tmp_path: Path, cluster: tuple[object, object]
) -> None:
    local, client = cluster
    pids: dict[str, int] = client.run(os.getpid)  # type: ignore[attr-defined]
    killed: list[int] = []

    def kill_a_busy_worker(event: PartitionEvent) -> None:
        # After the first partition is written, both workers hold tasks: kill one mid-task.
        if killed or event.action != "written":
            return
        busy = [addr for addr, keys in client.processing().items() if keys]  # type: ignore[attr-defined]
        assert busy, "no worker is busy: the test would not kill anything mid-task"
        killed.append(pids[busy[0]])
        os.kill(pids[busy[0]], signal.SIGKILL)

    out = tmp_path / "out"
    summary = run_batch(
        [inputs / "a.jsonl"],
        out,
        scheduler=local.scheduler_address,  # type: ignore[attr-defined]
        partition_size=10,
        progress=kill_a_busy_worker,
    )
    assert killed, "no worker was killed"
    assert summary.failed == ()
    assert summary.partitions_written == N_ARTICLES // 2 // 10
    ids = [r.article.id for r in iter_batch_results(out)]
    assert sorted(ids) == sorted(json.loads(line)["id"] for line in (inputs / "a.jsonl").open(encoding="utf-8"))
    assert len(ids) == len(set(ids))
    assert len(read_manifest(out)) == summary.partitions_written
    keys = [json.loads(line)["key"] for line in (out / MANIFEST).read_text().splitlines()]
    assert len(keys) == len(set(keys))
    assert not list(out.rglob(".*.tmp"))
    # The worker that replaced the killed one is a new process, which loaded its own models.
    assert killed[0] not in {info["pid"] for info in summary.model_loads.values()}
