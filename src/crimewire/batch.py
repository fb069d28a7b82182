"""Batch mode: the per-article pipeline over a Dask cluster, results as Parquet partitions.

The driver (``run_batch``) streams the inputs with ``iter_articles``, cuts them into chunks
of ``partition_size`` articles and submits one task per chunk; at most ``max_in_flight``
tasks are out at a time, so the driver's memory stays flat however large the corpus. A
worker runs ``process_chunk``: ``crimewire.pipeline.process_articles`` over the chunk
(models and data loaded once per worker process by the pipeline's cached loaders) and
returns the chunk's four tables as Parquet bytes. The driver writes each table atomically
(temporary file, then rename) and only then records the partition in ``_manifest.jsonl``.

Output directory::

    DIR/_batch.json          partition size and settings fingerprint of the run
    DIR/_manifest.jsonl      one line per finished partition: seq, key, counts
    DIR/articles/part-KEY.parquet   one row per article, with the full ArticleResult JSON
    DIR/events/part-KEY.parquet     one row per event, flat columns for analysis
    DIR/entities/part-KEY.parquet   one row per mention (place, organization, agency, ...)
    DIR/errors/part-KEY.parquet     read errors and per-article pipeline failures

A partition's KEY is a hash of its inputs (every field of every article) and of the settings,
so a re-run over the same inputs skips what the manifest lists, and a partition whose
worker died is recomputed by Dask and written once, when complete. ``load_batch`` brings
the partitions listed in the manifest into the SQLite database and runs cross-article
resolution when ``crimewire.resolve`` is available.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import io
import json
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

import crimewire
from crimewire.errors import CrimewireError, InputError
from crimewire.nlp import load_model
from crimewire.pipeline import load_resources, process_article, process_articles
from crimewire.readers import iter_articles
from crimewire.records import Article, ArticleResult, Event, ReadError
from crimewire.settings import Settings
from crimewire.storage import Database, list_ingest_errors, store_read_error, store_result
from crimewire.storage.serialize import dumps, loads_record, mention_items, sha256_text, to_jsonable

# 100 articles of ~500 words take ~10 s on one core (docs/PERFORMANCE.md): long enough that
# per-task overhead (ms) and per-file Parquet overhead vanish, short enough that a worker
# that dies loses little and the last tasks of a run do not leave cores idle for long.
DEFAULT_PARTITION_SIZE = 100
# Tasks in flight per worker thread: one running, one queued so that no worker waits for
# the driver between tasks.
IN_FLIGHT_PER_THREAD = 2

TABLES: tuple[str, ...] = ("articles", "events", "entities", "errors")
MANIFEST = "_manifest.jsonl"
CONFIG = "_batch.json"
# Bumped when the layout of the output directory changes.
FORMAT_VERSION = 1

log = logging.getLogger(__name__)


class BatchError(CrimewireError):
    """A batch cannot run (unreachable scheduler, an output directory of another run, ...)."""


# --------------------------------------------------------------------------- tables

ARTICLES_SCHEMA = pa.schema(
    [
        ("id", pa.string()),
        ("origin", pa.string()),
        ("url", pa.string()),
        ("title", pa.string()),
        ("outlet", pa.string()),
        ("published", pa.date32()),
        ("lang", pa.string()),
        ("lang_confidence", pa.float64()),
        ("status", pa.string()),
        ("content_hash", pa.string()),
        ("events", pa.int32()),
        ("partition", pa.string()),
        ("result", pa.string()),  # the whole ArticleResult, serialize.dumps: load rebuilds it exactly
    ]
)

EVENTS_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("seq", pa.int32()),
        ("type", pa.string()),
        ("date", pa.date32()),
        ("date_precision", pa.string()),
        ("date_text", pa.string()),
        ("count", pa.int64()),
        ("count_qualifier", pa.string()),
        ("count_text", pa.string()),
        ("country", pa.string()),
        ("place", pa.string()),  # the first (most specific) place, flat for group-bys
        ("place_kind", pa.string()),
        ("region", pa.string()),
        ("city", pa.string()),
        ("lat", pa.float64()),
        ("lon", pa.float64()),
        ("places", pa.list_(pa.string())),
        ("organizations", pa.list_(pa.string())),
        ("agencies", pa.list_(pa.string())),
        ("nationalities", pa.list_(pa.string())),
        ("items", pa.list_(pa.string())),
        ("attribution", pa.string()),
        ("background", pa.bool_()),
        ("hedged", pa.bool_()),
        ("trigger", pa.string()),
        ("rule", pa.string()),
        ("evidence", pa.string()),
        ("evidence_start", pa.int64()),
        ("evidence_end", pa.int64()),
        ("partition", pa.string()),
    ]
)

ENTITIES_SCHEMA = pa.schema(
    [
        ("article_id", pa.string()),
        ("kind", pa.string()),  # place | organization | agency | nationality | person
        ("text", pa.string()),
        ("name", pa.string()),
        ("start", pa.int64()),
        ("end", pa.int64()),
        ("country", pa.string()),
        ("detail", pa.string()),  # the whole match record as JSON
        ("partition", pa.string()),
    ]
)

ERRORS_SCHEMA = pa.schema(
    [
        ("origin", pa.string()),
        ("article_id", pa.string()),
        ("stage", pa.string()),  # "read" | "pipeline"
        ("reason", pa.string()),
        ("partition", pa.string()),
        ("position", pa.string()),  # where in its file a read error is ("line 7"), else null
    ]
)

SCHEMAS: dict[str, pa.Schema] = {
    "articles": ARTICLES_SCHEMA,
    "events": EVENTS_SCHEMA,
    "entities": ENTITIES_SCHEMA,
    "errors": ERRORS_SCHEMA,
}


@dataclass(frozen=True, slots=True)
class ArticleFailure:
    """An article the pipeline raised on: stored as an error row, the rest of its chunk goes on."""

    article: Article
    reason: str


def article_row(result: ArticleResult, partition: str) -> dict[str, Any]:
    """The ``articles`` row of one result."""
    article, clean = result.article, result.clean
    return {
        "id": article.id,
        "origin": article.origin,
        "url": article.url,
        "title": article.title,
        "outlet": article.outlet,
        "published": article.published,
        "lang": clean.lang or article.lang,
        "lang_confidence": clean.lang_confidence,
        "status": result.status,
        "content_hash": sha256_text(article.text),  # the same hash storage uses for duplicates
        "events": len(result.events),
        "partition": partition,
        "result": dumps(result),
    }


def event_row(article_id: str, seq: int, event: Event, partition: str) -> dict[str, Any]:
    """The ``events`` row of one event: its arguments as flat columns and string lists."""
    d, c, first = event.date, event.count, (event.places[0] if event.places else None)
    return {
        "article_id": article_id,
        "seq": seq,
        "type": event.type,
        "date": d.value if d else None,
        "date_precision": d.precision if d and d.value else None,
        "date_text": d.text if d else None,
        "count": c.value if c else None,
        "count_qualifier": c.qualifier if c else None,
        "count_text": c.text if c else None,
        "country": event.country.upper() if event.country else None,
        "place": first.name if first else None,
        "place_kind": first.kind if first else None,
        "region": first.region if first else None,
        "city": first.city if first else None,
        "lat": first.lat if first else None,
        "lon": first.lon if first else None,
        "places": [p.name for p in event.places],
        "organizations": [o.name for o in event.organizations],
        "agencies": list(event.agencies),
        "nationalities": [n.upper() for n in event.nationalities],
        "items": [q.text or q.item for q in event.items],
        "attribution": event.attribution.source if event.attribution else None,
        "background": event.background,
        "hedged": event.hedged,
        "trigger": event.evidence.trigger,
        "rule": event.evidence.rule,
        "evidence": event.evidence.sentence,
        "evidence_start": event.evidence.start,
        "evidence_end": event.evidence.end,
        "partition": partition,
    }


def entity_rows(result: ArticleResult, partition: str) -> Iterator[dict[str, Any]]:
    """The ``entities`` rows of one result: every mention, with its kind."""
    for kind, match, data in mention_items(result.mentions):
        yield {
            "article_id": result.article.id,
            "kind": kind,
            "text": data.get("text"),
            "name": data["name"],
            "start": data.get("start"),
            "end": data.get("end"),
            "country": data.get("country"),
            "detail": dumps(match),
            "partition": partition,
        }


def error_row(
    origin: str, article_id: str | None, stage: str, reason: str, partition: str, position: str | None = None
) -> dict[str, Any]:
    """One ``errors`` row."""
    return {
        "origin": origin, "article_id": article_id, "stage": stage, "reason": reason, "partition": partition,
        "position": position,
    }


def partition_tables(
    outcomes: Sequence[ArticleResult | ArticleFailure],
    read_errors: Sequence[ReadError],
    partition: str,
) -> dict[str, pa.Table]:
    """The four tables of one partition."""
    rows: dict[str, list[dict[str, Any]]] = {name: [] for name in TABLES}
    for e in read_errors:
        rows["errors"].append(error_row(e.origin, None, "read", e.reason, partition, e.position))
    for item in outcomes:
        if isinstance(item, ArticleFailure):
            rows["errors"].append(error_row(item.article.origin, item.article.id, "pipeline", item.reason, partition))
            continue
        rows["articles"].append(article_row(item, partition))
        rows["events"].extend(event_row(item.article.id, i, ev, partition) for i, ev in enumerate(item.events))
        rows["entities"].extend(entity_rows(item, partition))
    return {name: pa.Table.from_pylist(rows[name], schema=SCHEMAS[name]) for name in TABLES}


def _parquet_bytes(table: pa.Table) -> bytes:
    buffer = io.BytesIO()
    pq.write_table(table, buffer, compression="zstd")
    return buffer.getvalue()


# --------------------------------------------------------------------------- worker side


@dataclass(frozen=True, slots=True)
class ChunkOutput:
    """What a worker sends back for one chunk: the partition's tables as Parquet bytes, and counts."""

    tables: dict[str, bytes]
    articles: int
    events: int
    failures: int
    read_errors: int
    worker_pid: int
    model_loads: int  # models this worker process has loaded so far (load_model cache misses)
    seconds: float = 0.0  # wall-clock time of the task on the worker
    cpu_seconds: float = 0.0  # CPU time of the task (less than `seconds` when the core is shared)


def run_pipeline(articles: Sequence[Article], settings: Settings) -> list[ArticleResult | ArticleFailure]:
    """``process_articles`` over ``articles``; an article that raises becomes an ``ArticleFailure``.

    The chunk is first run as one stream (batched parsing, the fast path). If anything in it
    raises, the chunk is run again article by article with ``process_article`` so that only
    the articles that fail are lost. Crimewire's own configuration errors (a missing model,
    a broken data file) are not about one article and propagate.
    """
    res = load_resources(settings)
    try:
        return list(process_articles(articles, res))
    except CrimewireError as exc:
        if not isinstance(exc, InputError):
            raise
    except Exception:
        log.info("an article failed in a batch of %d; re-running them one by one", len(articles))
    outcomes: list[ArticleResult | ArticleFailure] = []
    for article in articles:
        try:
            outcomes.append(process_article(article, res))
        except CrimewireError as exc:
            if not isinstance(exc, InputError):
                raise
            outcomes.append(ArticleFailure(article, _reason(exc)))
        except Exception as exc:  # one bad article must not stop the others
            outcomes.append(ArticleFailure(article, _reason(exc)))
    return outcomes


def _reason(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return f"pipeline failed ({type(exc).__name__}): {lines[0][:300] if lines else ''}".rstrip(": ")


def process_chunk(
    articles: Sequence[Article],
    read_errors: Sequence[ReadError],
    settings: Settings,
    partition: str,
) -> ChunkOutput:
    """Run the pipeline over one chunk and return its partition's tables (runs on a worker)."""
    wall, cpu = time.perf_counter(), time.process_time()
    outcomes = run_pipeline(articles, settings) if articles else []
    tables = partition_tables(outcomes, read_errors, partition)
    return ChunkOutput(
        tables={name: _parquet_bytes(t) for name, t in tables.items()},
        articles=tables["articles"].num_rows,
        events=tables["events"].num_rows,
        failures=sum(isinstance(o, ArticleFailure) for o in outcomes),
        read_errors=len(read_errors),
        worker_pid=os.getpid(),
        model_loads=load_model.cache_info().misses,
        seconds=time.perf_counter() - wall,
        cpu_seconds=time.process_time() - cpu,
    )


def warm_up(settings: Settings) -> int:
    """Load the models and data of every configured language in this process; returns the pid."""
    from crimewire.nlp import model_for

    load_resources(settings)
    for lang in settings.languages:
        model_for(lang, settings)
    return os.getpid()


def model_cache_info() -> dict[str, int]:
    """This process's ``load_model`` cache: models loaded (misses) and reuses (hits)."""
    info = load_model.cache_info()
    return {"pid": os.getpid(), "loads": info.misses, "reuses": info.hits}


# --------------------------------------------------------------------------- chunks and keys


@dataclass(frozen=True, slots=True)
class Chunk:
    """A run of consecutive inputs: up to ``partition_size`` articles and the read errors among them."""

    seq: int
    key: str
    articles: tuple[Article, ...]
    read_errors: tuple[ReadError, ...]


def settings_fingerprint(settings: Settings) -> str:
    """A hash of everything besides the inputs that decides a partition's content."""
    return sha256_text(f"crimewire {crimewire.__version__}\n{dumps(settings)}")[:16]


def chunk_key(articles: Sequence[Article], read_errors: Sequence[ReadError], fingerprint: str) -> str:
    """The partition key of a chunk: a hash of its inputs (every field of every article) and the settings."""
    h = hashlib.sha256(fingerprint.encode())
    for a in articles:
        # The whole record, not only the text: a corrected title or date must be recomputed too.
        h.update(f"A\0{sha256_text(dumps(a))}\0".encode())
    for e in read_errors:
        h.update(f"E\0{e.origin}\0{e.reason}\0".encode())
    return h.hexdigest()[:20]


def iter_chunks(items: Iterable[Article | ReadError], size: int, fingerprint: str) -> Iterator[Chunk]:
    """Cut a stream of inputs into chunks of ``size`` articles (read errors ride along, uncounted)."""
    if size < 1:
        raise BatchError(f"the partition size must be at least 1, not {size}")
    articles: list[Article] = []
    errors: list[ReadError] = []
    seq = 0
    for item in items:
        if isinstance(item, ReadError):
            errors.append(item)
            continue
        articles.append(item)
        if len(articles) == size:
            yield Chunk(seq, chunk_key(articles, errors, fingerprint), tuple(articles), tuple(errors))
            seq += 1
            articles, errors = [], []
    if articles or errors:
        yield Chunk(seq, chunk_key(articles, errors, fingerprint), tuple(articles), tuple(errors))


# --------------------------------------------------------------------------- output directory


@dataclass(frozen=True, slots=True)
class ManifestEntry:
    """One finished partition."""

    seq: int
    key: str
    articles: int
    events: int
    failures: int
    read_errors: int


def partition_path(out: Path, table: str, key: str) -> Path:
    """Where partition ``key`` of ``table`` lives."""
    return out / table / f"part-{key}.parquet"


def read_manifest(out: str | Path) -> list[ManifestEntry]:
    """The finished partitions of a batch directory, in input order (empty for a new directory)."""
    path = Path(out) / MANIFEST
    if not path.is_file():
        return []
    entries: dict[str, ManifestEntry] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                data = json.loads(line)
                entry = ManifestEntry(**{k: data[k] for k in ManifestEntry.__dataclass_fields__})
            except (ValueError, KeyError, TypeError):
                continue  # a line cut short by a crash: that partition is simply redone
            entries[entry.key] = entry
    return sorted(entries.values(), key=lambda e: e.seq)


def _append_manifest(out: Path, entry: ManifestEntry) -> None:
    line = json.dumps(to_jsonable(entry), sort_keys=True) + "\n"
    with (out / MANIFEST).open("a", encoding="utf-8") as f:
        f.write(line)
        f.flush()
        os.fsync(f.fileno())


def _write_atomic(path: Path, data: bytes) -> None:
    # A hidden temporary name: Parquet dataset readers skip files starting with "." or "_".
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def write_partition(out: Path, seq: int, key: str, output: ChunkOutput) -> ManifestEntry:
    """Write a partition's four files atomically, then record it in the manifest."""
    # `articles` goes last: a crash before the manifest line leaves no article file without
    # its events; and a partition is only "done" once the manifest says so.
    for name in ("errors", "entities", "events", "articles"):
        _write_atomic(partition_path(out, name, key), output.tables[name])
    entry = ManifestEntry(seq, key, output.articles, output.events, output.failures, output.read_errors)
    _append_manifest(out, entry)
    return entry


def stored_partition_size(out: str | Path) -> int | None:
    """The partition size a batch directory was written with, or None for a new directory."""
    try:
        size = json.loads((Path(out) / CONFIG).read_text(encoding="utf-8")).get("partition_size")
    except (OSError, ValueError, AttributeError):
        return None
    return size if isinstance(size, int) else None


def prepare_output(out: str | Path, partition_size: int, fingerprint: str) -> Path:
    """Create the output directory, or check that an existing one holds a run with the same layout."""
    path = Path(out)
    config = {"format": FORMAT_VERSION, "partition_size": partition_size, "fingerprint": fingerprint}
    config_file = path / CONFIG
    if config_file.is_file():
        try:
            found = json.loads(config_file.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BatchError(f"{config_file}: unreadable batch configuration: {exc}") from exc
        if found != config:
            differs = ", ".join(k for k in config if found.get(k) != config[k])
            raise BatchError(
                f"{path} holds a batch run with another {differs}; resume it with the same "
                f"--partition-size and settings, or write to a new --out directory"
            )
    else:
        if path.exists() and not path.is_dir():
            raise BatchError(f"{path} exists and is not a directory")
        if path.is_dir() and any(path.iterdir()):
            raise BatchError(f"{path} is not empty and is not a crimewire batch directory; choose another --out")
        path.mkdir(parents=True, exist_ok=True)
        _write_atomic(config_file, (json.dumps(config, sort_keys=True) + "\n").encode())
    for name in TABLES:
        (path / name).mkdir(exist_ok=True)
    return path


# --------------------------------------------------------------------------- driver


@dataclass(frozen=True, slots=True)
class PartitionEvent:
    """Progress of one partition: ``action`` is "written", "skipped" (done before) or "failed"."""

    seq: int
    key: str
    action: str
    articles: int = 0
    events: int = 0
    errors: int = 0
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class BatchSummary:
    """What a batch run did."""

    out: str
    workers: int  # worker processes (threads) the cluster had at the start
    scheduler: str
    partitions_written: int = 0
    partitions_skipped: int = 0
    failed: tuple[PartitionEvent, ...] = ()  # partitions not written; a re-run retries them
    articles: int = 0  # articles written by this run
    events: int = 0
    article_failures: int = 0  # per-article pipeline failures (error rows)
    read_errors: int = 0
    seconds: float = 0.0  # whole run, cluster start included
    startup_seconds: float = 0.0  # cluster start and model warm-up
    task_seconds: float = 0.0  # wall-clock time of the tasks, summed over workers
    task_cpu_seconds: float = 0.0  # CPU time of the tasks: task_cpu_seconds / task_seconds < 1 on shared cores
    model_loads: dict[str, dict[str, int]] = field(default_factory=dict)  # per worker, after the run


def default_workers() -> int:
    """Worker processes of a local cluster by default: the cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def dask_client(scheduler: str | None = None, workers: int | None = None) -> Iterator[Any]:
    """A Dask client: on a ``LocalCluster`` of ``workers`` single-threaded processes, or on ``scheduler``."""
    from distributed import Client, LocalCluster

    if scheduler:
        try:
            client = Client(scheduler, timeout="20s")
        except OSError as exc:
            raise BatchError(f"cannot reach the Dask scheduler at {scheduler}: {exc}") from exc
        with client:
            yield client
        return
    n = workers or default_workers()
    if n < 1:
        raise BatchError(f"--workers must be at least 1, not {n}")
    with (
        LocalCluster(
            n_workers=n,
            threads_per_worker=1,  # spaCy holds the GIL: one process per core, one thread each
            processes=True,
            dashboard_address=":0",  # a free port: several clusters may run on one machine
            silence_logs=logging.ERROR,
        ) as cluster,
        Client(cluster) as client,
    ):
        yield client


class _Driver:
    """The driver's state for one run: the cluster (started on first need), tasks in flight, totals."""

    def __init__(
        self,
        out_dir: Path,
        settings: Settings,
        stack: ExitStack,
        connect: Callable[[], Any],
        max_in_flight: int | None,
        notify: Callable[[PartitionEvent], None],
    ) -> None:
        self.out_dir = out_dir
        self.settings = settings
        self.stack = stack
        self.connect = connect
        self.max_in_flight = max_in_flight
        self.notify = notify
        self.client: Any = None
        self.finished: Any = None
        self.threads = 0
        self.limit = 0
        self.startup = 0.0
        self.in_flight: dict[Any, tuple[int, str]] = {}
        self.totals = {"written": 0, "skipped": 0, "articles": 0, "events": 0, "failures": 0, "read_errors": 0}
        self.task_seconds = 0.0
        self.task_cpu_seconds = 0.0
        self.failed: list[PartitionEvent] = []

    def start(self) -> None:
        """Start (or reach) the cluster and load the models on every worker."""
        from distributed import as_completed

        began = time.monotonic()
        client = self.stack.enter_context(self.connect())
        if not client.nthreads():
            client.wait_for_workers(1, timeout=60)
        self.threads = sum(client.nthreads().values())
        # Models are loaded on every worker before the first chunk: a missing model fails here,
        # once, and the time per chunk is the steady-state time. As tasks rather than
        # client.run, because loading takes seconds and must not block a worker's event loop.
        warm = [
            client.submit(warm_up, self.settings, workers=[addr], allow_other_workers=False, pure=False)
            for addr in client.nthreads()
        ]
        client.gather(warm)
        self.client = client
        self.finished = as_completed()
        self.limit = self.max_in_flight or IN_FLIGHT_PER_THREAD * self.threads
        self.startup = time.monotonic() - began

    def skip(self, chunk: Chunk) -> None:
        """A chunk whose partition the manifest lists already."""
        self.totals["skipped"] += 1
        self.notify(PartitionEvent(chunk.seq, chunk.key, "skipped"))

    def submit(self, chunk: Chunk) -> None:
        """Send a chunk to the cluster, first waiting while ``limit`` tasks are in flight."""
        if not chunk.articles:  # read errors only: nothing for a worker to do
            self.record(chunk.seq, chunk.key, process_chunk((), chunk.read_errors, self.settings, chunk.key))
            return
        if self.client is None:
            self.start()
        while len(self.in_flight) >= self.limit:
            self.collect(next(self.finished))
        future = self.client.submit(
            process_chunk, chunk.articles, chunk.read_errors, self.settings, chunk.key, pure=False
        )
        self.in_flight[future] = (chunk.seq, chunk.key)
        self.finished.add(future)

    def drain(self) -> None:
        """Wait for every task in flight and write its partition."""
        while self.in_flight:
            self.collect(next(self.finished))

    def cancel(self) -> None:
        """Cancel the tasks still in flight (the run is stopping on an error)."""
        for future in self.in_flight:
            future.cancel()
        self.in_flight.clear()

    def collect(self, future: Any) -> None:
        """Write the partition of a finished task, or record why it failed."""
        seq, key = self.in_flight.pop(future)
        if future.status == "finished":
            output: ChunkOutput = future.result()
            future.release()
            self.record(seq, key, output)
            return
        if future.status == "cancelled":
            reason = "task cancelled by the cluster"
        else:
            exc = future.exception()
            if isinstance(exc, CrimewireError) and not isinstance(exc, InputError):
                raise exc  # configuration, not data: every other chunk would fail the same way
            reason = f"{type(exc).__name__}: {exc}"
        event = PartitionEvent(seq, key, "failed", reason=reason)
        self.failed.append(event)
        self.notify(event)

    def record(self, seq: int, key: str, output: ChunkOutput) -> None:
        """Write one partition and add it to the totals."""
        entry = write_partition(self.out_dir, seq, key, output)
        self.task_seconds += output.seconds
        self.task_cpu_seconds += output.cpu_seconds
        t = self.totals
        t["written"] += 1
        t["articles"] += entry.articles
        t["events"] += entry.events
        t["failures"] += entry.failures
        t["read_errors"] += entry.read_errors
        self.notify(
            PartitionEvent(seq, key, "written", entry.articles, entry.events, entry.failures + entry.read_errors)
        )


def run_batch(
    paths: str | Path | Iterable[str | Path],
    out: str | Path,
    *,
    settings: Settings | None = None,
    scheduler: str | None = None,
    workers: int | None = None,
    partition_size: int | None = None,
    max_in_flight: int | None = None,
    progress: Callable[[PartitionEvent], None] | None = None,
) -> BatchSummary:
    """Run the pipeline over ``paths`` on a Dask cluster and write Parquet partitions under ``out``.

    ``scheduler`` is the address of a running Dask scheduler (``tcp://host:8786``); without
    it a ``LocalCluster`` of ``workers`` processes (default: the cores) runs on this machine,
    started only when some partition needs computing. Partitions already listed in
    ``out``'s manifest are skipped. ``partition_size`` defaults to the size ``out`` was
    written with, else ``DEFAULT_PARTITION_SIZE``. At most ``max_in_flight`` tasks (default: two per
    worker thread) are out at a time. A partition whose task fails (its worker died more
    often than Dask allows, or a bug) is reported in ``BatchSummary.failed`` and not
    written; a re-run retries it. Raises ``BatchError`` when the run cannot start, and a
    crimewire configuration error (e.g. a missing model) as is.
    """
    settings = settings or Settings()
    started = time.monotonic()
    fingerprint = settings_fingerprint(settings)
    if partition_size is None:
        partition_size = stored_partition_size(out) or DEFAULT_PARTITION_SIZE
    out_dir = prepare_output(out, partition_size, fingerprint)
    done = {e.key for e in read_manifest(out_dir)}
    with ExitStack() as stack:
        driver = _Driver(
            out_dir,
            settings,
            stack,
            lambda: dask_client(scheduler, workers),
            max_in_flight,
            progress or (lambda _event: None),
        )
        try:
            for chunk in iter_chunks(iter_articles(paths, settings), partition_size, fingerprint):
                if chunk.key in done:
                    driver.skip(chunk)
                else:
                    driver.submit(chunk)
            driver.drain()
        except BaseException:
            driver.cancel()
            raise
        model_loads: dict[str, dict[str, int]] = {}
        address = scheduler or "(no cluster started: nothing to compute)"
        if driver.client is not None:
            model_loads = {str(addr): info for addr, info in driver.client.run(model_cache_info).items()}
            address = str(driver.client.scheduler.address)
    t = driver.totals
    return BatchSummary(
        out=str(out_dir),
        workers=driver.threads,
        scheduler=address,
        partitions_written=t["written"],
        partitions_skipped=t["skipped"],
        failed=tuple(driver.failed),
        articles=t["articles"],
        events=t["events"],
        article_failures=t["failures"],
        read_errors=t["read_errors"],
        seconds=time.monotonic() - started,
        startup_seconds=driver.startup,
        task_seconds=driver.task_seconds,
        task_cpu_seconds=driver.task_cpu_seconds,
        model_loads=model_loads,
    )


# --------------------------------------------------------------------------- loading


def iter_batch_results(out: str | Path, *, batch_rows: int = 64) -> Iterator[ArticleResult]:
    """Every ``ArticleResult`` of a batch directory, partition by partition, in input order."""
    out_dir = Path(out)
    for entry in read_manifest(out_dir):
        parquet = pq.ParquetFile(partition_path(out_dir, "articles", entry.key))
        for batch in parquet.iter_batches(batch_size=batch_rows, columns=["result"]):
            for text in batch.column(0).to_pylist():
                yield loads_record(ArticleResult, text)


def iter_batch_errors(out: str | Path) -> Iterator[ReadError]:
    """Every error row of a batch directory as a ``ReadError`` (origin, reason, position), in input order.

    Partitions written before errors had a position give None for it.
    """
    out_dir = Path(out)
    for entry in read_manifest(out_dir):
        table = pq.read_table(partition_path(out_dir, "errors", entry.key))
        origins, reasons = table.column("origin").to_pylist(), table.column("reason").to_pylist()
        positions = table.column("position").to_pylist() if "position" in table.column_names else [None] * len(origins)
        for origin, reason, position in zip(origins, reasons, positions, strict=True):
            yield ReadError(origin, reason, position)


@dataclass(frozen=True, slots=True)
class LoadSummary:
    """What ``load_batch`` did."""

    partitions: int
    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    events: int = 0  # events written by this load
    errors_logged: int = 0
    errors_already_logged: int = 0
    resolution: str | None = None  # what cross-article resolution reported; None when not run
    resolution_missing: str | None = None  # why it was not run


def resolve_database(db: Database) -> tuple[str | None, str | None]:
    """Run ``crimewire.resolve.resolve_all(db)`` if this crimewire has it.

    Returns ``(what it reported, None)`` when it ran, ``(None, why not)`` otherwise.
    """
    if importlib.util.find_spec("crimewire.resolve") is None:
        return None, "crimewire.resolve is not part of this installation"
    module = importlib.import_module("crimewire.resolve")
    resolve_all = getattr(module, "resolve_all", None)
    if resolve_all is None:
        return None, "crimewire.resolve has no resolve_all function"
    report = resolve_all(db)
    if report is None:
        return "done", None
    try:  # a ResolveSummary, in words (its repr is what a user saw before)
        return (
            f"{report.articles} article(s), {report.reports} report(s) -> {report.incidents} incident(s) "
            f"({report.pairs} pair(s) of reports scored), {report.persons} person(s)"
        ), None
    except AttributeError:
        return str(report), None


def check_batch_directory(out: str | Path) -> Path:
    """``out`` as a Path; ``BatchError`` when it holds no finished batch run (no manifest)."""
    out_dir = Path(out)
    if not (out_dir / MANIFEST).is_file():
        raise BatchError(f"{out_dir} has no {MANIFEST}: not a crimewire batch directory (or nothing finished)")
    return out_dir


def load_batch(
    out: str | Path,
    db: Database,
    *,
    resolve: bool = True,
    progress: Callable[[str, str], None] | None = None,
) -> LoadSummary:
    """Store every result and error of a batch directory in ``db`` (idempotent), then resolve.

    Articles go through ``store_result`` (unchanged ones are not rewritten); error rows are
    logged with ``store_read_error`` unless the same origin and reason are logged already.
    ``progress`` is called with (article id or origin, action) for every item.
    """
    out_dir = check_batch_directory(out)
    notify = progress or (lambda _name, _action: None)
    counts = {"inserted": 0, "replaced": 0, "unchanged": 0, "duplicate": 0}
    events = 0
    for result in iter_batch_results(out_dir):
        outcome = store_result(db, result)
        if outcome.action in counts:
            counts[outcome.action] += 1
        if outcome.inserted:
            events += outcome.events
        notify(result.article.id, outcome.action)
    logged = {(e.origin, e.reason) for e in list_ingest_errors(db, limit=None)}
    new_errors = old_errors = 0
    for error in iter_batch_errors(out_dir):
        if (error.origin, error.reason) in logged:
            old_errors += 1
            continue
        store_read_error(db, error.origin, error.reason, error.position)
        logged.add((error.origin, error.reason))
        new_errors += 1
        notify(error.origin, "error")
    resolution, missing = resolve_database(db) if resolve else (None, "not requested")
    return LoadSummary(
        partitions=len(read_manifest(out_dir)),
        inserted=counts["inserted"],
        replaced=counts["replaced"],
        unchanged=counts["unchanged"],
        duplicates=counts["duplicate"],
        events=events,
        errors_logged=new_errors,
        errors_already_logged=old_errors,
        resolution=resolution,
        resolution_missing=missing,
    )
