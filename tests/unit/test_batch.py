"""Batch mode without a cluster or models: chunks and keys, tables, the output directory, loading."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from crimewire import batch
from crimewire.batch import (
    ArticleFailure,
    BatchError,
    ChunkOutput,
    iter_batch_errors,
    iter_batch_results,
    iter_chunks,
    load_batch,
    partition_path,
    partition_tables,
    prepare_output,
    process_chunk,
    read_manifest,
    run_pipeline,
    write_partition,
)
from crimewire.records import (
    Article,
    ArticleOrganization,
    ArticleResult,
    CleanArticle,
    CountValue,
    DateValue,
    Event,
    EventOrg,
    Evidence,
    Mentions,
    OffsetMap,
    OrgMatch,
    PlaceMatch,
    Quantity,
    ReadError,
    RemovedText,
)
from crimewire.settings import Settings
from crimewire.storage import list_events, list_ingest_errors, load_result, open_database
from crimewire.storage.read import EventFilter

FP = "fingerprint-test"


def _article(i: int, text: str | None = None) -> Article:
    return Article(
        id=f"a{i}",
        text=text or f"Police arrested {i + 2} men in Trujillo on Monday.\n\nRead more: other story {i}",
        published=date(2024, 3, 6),
        title=f"Story {i}",
        origin=f"in.jsonl:{i + 1}",
    )


def _result(article: Article) -> ArticleResult:
    """A hand-built result with every kind of argument, so the JSON round trip is exercised."""
    text = article.text.split("\n\n")[0]
    place = PlaceMatch("Trujillo", 35, 43, "Trujillo", "city", "PE", "PE-LAL", "La Libertad", "Trujillo",
                       -8.11599, -79.02998, 3691175)
    event = Event(
        type="arrest",
        evidence=Evidence(text, 0, len(text), 0, len(text), "arrested", 7, 15, "en.arrest.verb:arrest"),
        date=DateValue(date(2024, 3, 4), "day", "on Monday", "weekday:last"),
        count=CountValue(int(text.split()[2]), "exact", text.split()[2]),
        country="PE",
        places=(place,),
        organizations=(EventOrg("Los Pulpos"),),
        agencies=("police",),
        nationalities=("ve",),
        items=(Quantity("cocaine", 2.5, "kg", "2.5 kilos of cocaine"),),
    )
    clean = CleanArticle(
        article=article,
        text=text,
        offsets=OffsetMap(((0, 0, len(text)),)),
        removed=(RemovedText(len(text) + 2, len(article.text), article.text[len(text) + 2 :], "teaser"),),
        lang="en",
        lang_confidence=0.97,
    )
    return ArticleResult(
        clean=clean,
        events=(event,),
        organizations=(ArticleOrganization("Los Pulpos", ("Los Pulpos",)),),
        mentions=Mentions(places=(place,), organizations=(OrgMatch("Los Pulpos", 50, 60, "Los Pulpos"),)),
    )


def _output(results: list[ArticleResult | ArticleFailure], errors: list[ReadError], key: str) -> ChunkOutput:
    tables = partition_tables(results, errors, key)
    return ChunkOutput(
        tables={name: batch._parquet_bytes(t) for name, t in tables.items()},
        articles=tables["articles"].num_rows,
        events=tables["events"].num_rows,
        failures=sum(isinstance(r, ArticleFailure) for r in results),
        read_errors=len(errors),
        worker_pid=0,
        model_loads=0,
    )


# --------------------------------------------------------------------------- chunks


def test_chunks_count_articles_and_carry_read_errors() -> None:
    items: list[Article | ReadError] = [_article(0), ReadError("bad.txt", "empty file"), _article(1), _article(2)]
    chunks = list(iter_chunks(items, 2, FP))
    assert [len(c.articles) for c in chunks] == [2, 1]
    assert chunks[0].read_errors == (ReadError("bad.txt", "empty file"),)
    assert [c.seq for c in chunks] == [0, 1]


def test_trailing_read_errors_make_a_chunk_of_their_own() -> None:
    chunks = list(iter_chunks([_article(0), ReadError("x", "broken")], 1, FP))
    assert len(chunks) == 2 and chunks[1].articles == () and len(chunks[1].read_errors) == 1


def test_chunk_keys_are_stable_and_follow_inputs_and_settings() -> None:
    items = [_article(i) for i in range(4)]
    keys = [c.key for c in iter_chunks(items, 2, FP)]
    assert keys == [c.key for c in iter_chunks(items, 2, FP)]
    assert len(set(keys)) == 2
    changed = [*items[:3], replace(items[3], text=items[3].text + " Updated.")]
    changed_keys = [c.key for c in iter_chunks(changed, 2, FP)]
    assert changed_keys[0] == keys[0] and changed_keys[1] != keys[1]
    assert [c.key for c in iter_chunks(items, 2, "other settings")] != keys
    retitled = [*items[:3], replace(items[3], title="Corrected title")]
    assert [c.key for c in iter_chunks(retitled, 2, FP)][1] != keys[1]


def test_settings_fingerprint_changes_with_settings() -> None:
    assert batch.settings_fingerprint(Settings()) == batch.settings_fingerprint(Settings())
    assert batch.settings_fingerprint(Settings()) != batch.settings_fingerprint(Settings(background_days=30))


def test_partition_size_must_be_positive() -> None:
    with pytest.raises(BatchError):
        list(iter_chunks([_article(0)], 0, FP))


# --------------------------------------------------------------------------- tables


def test_article_row_keeps_the_whole_result() -> None:
    result = _result(_article(3))
    row = batch.article_row(result, "k")
    from crimewire.storage.serialize import loads_record

    assert loads_record(ArticleResult, row["result"]) == result
    assert row["events"] == 1 and row["lang"] == "en" and row["status"] == "extracted"


def test_partition_tables_flatten_events_entities_and_errors() -> None:
    good = _result(_article(0))
    failure = ArticleFailure(_article(1), "pipeline failed (ValueError): boom")
    tables = partition_tables([good, failure], [ReadError("gone.txt", "no such file")], "k1")
    assert tables["articles"].column("id").to_pylist() == ["a0"]
    ev = tables["events"].to_pylist()[0]
    assert ev["type"] == "arrest" and ev["count"] == 2 and ev["date"] == date(2024, 3, 4)
    assert ev["places"] == ["Trujillo"] and ev["region"] == "PE-LAL" and ev["nationalities"] == ["VE"]
    assert ev["items"] == ["2.5 kilos of cocaine"] and ev["organizations"] == ["Los Pulpos"]
    kinds = tables["entities"].column("kind").to_pylist()
    assert kinds == ["place", "organization"]
    errors = tables["errors"].to_pylist()
    assert [(e["stage"], e["origin"], e["article_id"]) for e in errors] == [
        ("read", "gone.txt", None),
        ("pipeline", "in.jsonl:2", "a1"),
    ]


# --------------------------------------------------------------------------- per-article failures


def test_one_failing_article_becomes_an_error_row_and_the_rest_go_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(batch, "load_resources", lambda settings: None)

    def whole_chunk(articles: list[Article], res: object) -> list[ArticleResult]:
        raise ValueError("one article broke the batch")

    def one(article: Article, res: object) -> ArticleResult:
        if article.id == "a1":
            raise RuntimeError("bad token\nsecond line")
        return _result(article)

    monkeypatch.setattr(batch, "process_articles", whole_chunk)
    monkeypatch.setattr(batch, "process_article", one)
    outcomes = run_pipeline([_article(0), _article(1), _article(2)], Settings())
    assert [type(o).__name__ for o in outcomes] == ["ArticleResult", "ArticleFailure", "ArticleResult"]
    failure = outcomes[1]
    assert isinstance(failure, ArticleFailure)
    assert failure.reason == "pipeline failed (RuntimeError): bad token"
    out = process_chunk([_article(0), _article(1)], [], Settings(), "k")
    assert (out.articles, out.failures) == (1, 1)


def test_configuration_errors_are_not_per_article(monkeypatch: pytest.MonkeyPatch) -> None:
    from crimewire.errors import ModelError

    monkeypatch.setattr(batch, "load_resources", lambda settings: None)

    def missing(articles: object, res: object) -> None:
        raise ModelError("spaCy model 'x' is not installed")

    monkeypatch.setattr(batch, "process_articles", missing)
    with pytest.raises(ModelError):
        run_pipeline([_article(0)], Settings())


# --------------------------------------------------------------------------- output directory


def test_output_directory_remembers_its_layout(tmp_path: Path) -> None:
    out = prepare_output(tmp_path / "out", 10, FP)
    assert prepare_output(out, 10, FP) == out
    assert batch.stored_partition_size(out) == 10
    with pytest.raises(BatchError, match="partition_size"):
        prepare_output(out, 20, FP)
    with pytest.raises(BatchError, match="fingerprint"):
        prepare_output(out, 10, "other")
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "notes.txt").write_text("mine")
    with pytest.raises(BatchError, match="not empty"):
        prepare_output(tmp_path / "busy", 10, FP)


def test_partitions_are_listed_only_when_complete(tmp_path: Path) -> None:
    out = prepare_output(tmp_path / "out", 2, FP)
    write_partition(out, 1, "kb", _output([_result(_article(2))], [], "kb"))
    write_partition(out, 0, "ka", _output([_result(_article(0)), _result(_article(1))], [], "ka"))
    # A crash while appending leaves a cut line; a partition whose files exist but that the
    # manifest does not list is not part of the output.
    with (out / batch.MANIFEST).open("a") as f:
        f.write('{"seq": 2, "key": "kc", "artic')
    stray = partition_tables([_result(_article(9))], [], "kd")["articles"]
    pq.write_table(stray, partition_path(out, "articles", "kd"))
    assert [e.key for e in read_manifest(out)] == ["ka", "kb"]
    assert [r.article.id for r in iter_batch_results(out)] == ["a0", "a1", "a2"]
    assert not list(out.glob("*/.*.tmp"))


def test_a_rewritten_partition_is_listed_once(tmp_path: Path) -> None:
    out = prepare_output(tmp_path / "out", 1, FP)
    for _ in range(2):
        write_partition(out, 0, "ka", _output([_result(_article(0))], [], "ka"))
    assert len(read_manifest(out)) == 1
    assert [r.article.id for r in iter_batch_results(out)] == ["a0"]


# --------------------------------------------------------------------------- load


def test_load_stores_results_and_errors_idempotently(tmp_path: Path) -> None:
    out = prepare_output(tmp_path / "out", 2, FP)
    results = [_result(_article(0)), _result(_article(1))]
    failure = ArticleFailure(_article(5), "pipeline failed (KeyError): 'x'")
    write_partition(out, 0, "ka", _output([*results, failure], [ReadError("in.jsonl:9", "broken JSON")], "ka"))
    assert [e.origin for e in iter_batch_errors(out)] == ["in.jsonl:9", "in.jsonl:6"]
    with open_database(tmp_path / "db.sqlite") as db:
        first = load_batch(out, db)
        second = load_batch(out, db)
        assert (first.inserted, first.events, first.errors_logged) == (2, 2, 2)
        assert (second.inserted, second.unchanged, second.errors_logged, second.errors_already_logged) == (0, 2, 0, 2)
        assert load_result(db, "a1") == results[1]
        assert len(list_events(db, EventFilter(limit=None))) == 2
        assert sorted(e.origin for e in list_ingest_errors(db, limit=None)) == ["in.jsonl:6", "in.jsonl:9"]
        assert (first.resolution is None) == (first.resolution_missing is not None)


def test_load_refuses_a_directory_without_manifest(tmp_path: Path) -> None:
    with open_database(tmp_path / "db.sqlite") as db, pytest.raises(BatchError, match="manifest"):
        load_batch(tmp_path, db)


def test_manifest_lines_are_json(tmp_path: Path) -> None:
    out = prepare_output(tmp_path / "out", 1, FP)
    write_partition(out, 0, "ka", _output([_result(_article(0))], [], "ka"))
    line = json.loads((out / batch.MANIFEST).read_text().splitlines()[0])
    assert line == {"seq": 0, "key": "ka", "articles": 1, "events": 1, "failures": 0, "read_errors": 0}
