"""Storage on real SQLite files: migrations, opening modes, idempotent and transactional writes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from crimewire.errors import StorageError
from crimewire.records import ArticleOrganization, ArticleResult, ReadError
from crimewire.storage import (
    LATEST_VERSION,
    Database,
    EventFilter,
    count_events,
    delete_article,
    get_organization,
    list_events,
    list_ingest_errors,
    list_organizations,
    load_result,
    open_database,
    register_organizations,
    search,
    store_read_error,
    store_result,
    store_results,
)
from crimewire.storage.migrations import MIGRATIONS
from crimewire.storage.samples import make_event, make_result, sample_results


def _counts(db: Database) -> dict[str, int]:
    tables = (
        "articles",
        "events",
        "event_places",
        "event_organizations",
        "event_agencies",
        "event_nationalities",
        "event_items",
        "organizations",
        "organization_names",
        "article_organizations",
        "mentions",
        "persons",
    )
    return {t: db.conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crimewire.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    with open_database(db_path) as database:
        yield database


def _arrest_article(article_id: str, body: str) -> ArticleResult:
    sentence = body.split(". ")[0].rstrip(".") + "."
    event = make_event(body, sentence, "arrested", "arrest", country="MX")
    return make_result(article_id, body, events=(event,), published=date(2024, 5, 2))


# --------------------------------------------------------------------------- opening and migrations


def test_migrations_are_recorded_and_reopening_is_a_no_op(db_path: Path) -> None:
    with open_database(db_path) as db:
        rows = db.conn.execute("SELECT version, name FROM schema_migrations ORDER BY version").fetchall()
        assert [(r[0], r[1]) for r in rows] == [(m.version, m.name) for m in MIGRATIONS]
        assert db.schema_version == LATEST_VERSION
        store_result(db, sample_results()[0])
        applied_at = db.conn.execute("SELECT applied_at FROM schema_migrations").fetchall()
    with open_database(db_path) as again:
        assert again.conn.execute("SELECT applied_at FROM schema_migrations").fetchall() == applied_at
        assert count_events(again) == 2  # the data survived the second open


def test_database_is_in_wal_mode_with_foreign_keys(db: Database) -> None:
    assert db.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_readonly_open_of_a_missing_file_fails_and_creates_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "none.db"
    with pytest.raises(StorageError, match="crimewire ingest"):
        open_database(missing, readonly=True)
    assert not missing.exists()


def test_readonly_open_refuses_an_unmigrated_database(tmp_path: Path) -> None:
    path = tmp_path / "plain.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.close()
    with pytest.raises(StorageError, match="schema version 0"):
        open_database(path, readonly=True)


def test_a_database_from_a_newer_crimewire_is_refused(db_path: Path) -> None:
    with open_database(db_path) as db:
        db.conn.execute(
            "INSERT INTO schema_migrations VALUES (?, 'future', '2099-01-01')", (LATEST_VERSION + 1,)
        )
    for readonly in (False, True):
        with pytest.raises(StorageError, match="newer"):
            open_database(db_path, readonly=readonly)


def test_a_file_that_is_not_a_database_gives_storage_error(tmp_path: Path) -> None:
    path = tmp_path / "notes.db"
    path.write_text("this is not sqlite, just some text that is long enough " * 20)
    with pytest.raises(StorageError, match="not a usable SQLite database"):
        open_database(path)


def test_missing_directory_gives_storage_error(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="does not exist"):
        open_database(tmp_path / "no" / "such" / "dir.db")


def test_readonly_database_cannot_write(db_path: Path) -> None:
    with open_database(db_path) as db:
        store_result(db, sample_results()[0])
    with open_database(db_path, readonly=True) as ro:
        assert count_events(ro) == 2
        with pytest.raises(StorageError, match="read-only"):
            store_result(ro, sample_results()[1])
        with pytest.raises(StorageError, match="read-only"):
            store_read_error(ro, "x.txt", "broken")
        with pytest.raises(sqlite3.OperationalError, match="readonly"):
            ro.conn.execute("DELETE FROM events")  # even raw SQL cannot write
        assert count_events(ro) == 2


def test_readonly_reader_sees_writes_made_while_it_is_open(db_path: Path) -> None:
    with open_database(db_path) as writer:
        store_result(writer, sample_results()[0])
        with open_database(db_path, readonly=True) as reader:
            assert count_events(reader) == 2
            store_result(writer, sample_results()[1])
            assert count_events(reader) == 4


# --------------------------------------------------------------------------- idempotence


def test_storing_the_same_results_twice_stores_them_once(db: Database) -> None:
    first = store_results(db, sample_results(), keep_outcomes=True)
    assert (first.inserted, first.events) == (4, 6)
    assert all(o.action == "inserted" for o in first.outcomes)
    before = _counts(db)
    second = store_results(db, sample_results(), keep_outcomes=True)
    assert (second.inserted, second.unchanged, second.events) == (0, 4, 0)
    assert [o.events for o in second.outcomes] == [2, 2, 2, 0]  # what the DB holds for each
    assert _counts(db) == before


def test_same_text_under_another_id_is_stored_once(db: Database) -> None:
    original = sample_results()[0]
    copy = replace(
        original,
        clean=replace(
            original.clean,
            article=replace(original.article, id="mirror-copy", origin="mirror/copy.txt"),
        ),
    )
    store_result(db, original)
    outcome = store_result(db, copy)
    assert (outcome.inserted, outcome.action) == (False, "duplicate")
    assert outcome.reason is not None and "lima-raid" in outcome.reason
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 1
    assert count_events(db) == 2


def test_changed_text_replaces_the_article_rows(db: Database) -> None:
    old = _arrest_article("mx-1", "Soldiers arrested a plaza boss in Culiacán. He was flown to the capital.")
    new = _arrest_article("mx-1", "Marines arrested two gunmen in Mazatlán. Both were taken to a base.")
    store_result(db, old)
    outcome = store_result(db, new)
    assert (outcome.inserted, outcome.action, outcome.reason) == (True, "replaced", "text changed")
    rows = list_events(db)
    assert len(rows) == 1 and "Mazatlán" in rows[0].evidence
    # The full-text indexes follow: the old words are gone, the new ones found.
    assert search(db, "Culiacán") == []
    assert [h.article_id for h in search(db, "Mazatlán")] == ["mx-1"]
    assert list_events(db, EventFilter(text="Culiacán")) == []
    assert len(list_events(db, EventFilter(text="gunmen"))) == 1


def test_same_text_with_a_new_extraction_replaces_the_events(db: Database) -> None:
    result = sample_results()[2]
    store_result(db, result)
    better = replace(result, events=result.events[:1])  # the pipeline dropped the background event
    outcome = store_result(db, better)
    assert (outcome.action, outcome.reason, outcome.events) == ("replaced", "extraction changed", 1)
    assert count_events(db) == 1


def test_organizations_survive_the_replacement_of_an_article(db: Database) -> None:
    result = sample_results()[0]
    store_result(db, result)
    store_result(
        db, replace(result, events=(), organizations=(), mentions=replace(result.mentions, organizations=()))
    )
    detail = get_organization(db, "Aragua Train")
    assert detail is not None and detail.name == "Tren de Aragua"
    assert detail.events == 0


def test_load_result_gives_back_the_stored_record(db: Database) -> None:
    store_results(db, sample_results())
    for result in sample_results():
        assert load_result(db, result.article.id) == result
    assert load_result(db, "nope") is None


# --------------------------------------------------------------------------- transactions


def _fail_on_rescue(db: Database) -> None:
    # A trigger that aborts the insert of any rescue event: a real SQLite failure in the
    # middle of an article's write (the article row and its first event are already in).
    db.conn.execute(
        "CREATE TRIGGER fail_rescue BEFORE INSERT ON events WHEN new.type = 'rescue' "
        "BEGIN SELECT RAISE(ABORT, 'disk on fire'); END"
    )


def test_a_failed_first_write_leaves_nothing_behind(db: Database) -> None:
    _fail_on_rescue(db)
    with pytest.raises(StorageError, match="disk on fire"):
        store_result(db, sample_results()[0])
    assert all(n == 0 for n in _counts(db).values())
    assert search(db, "Lima") == []


def test_a_failed_replacement_keeps_the_previous_version(db: Database) -> None:
    result = sample_results()[0]
    old = replace(result, events=result.events[:1])  # only the arrest
    store_result(db, old)
    before = _counts(db)
    _fail_on_rescue(db)
    with pytest.raises(StorageError, match="lima-raid"):
        store_result(db, result)  # the new version has a rescue: fails after deleting the old rows
    assert _counts(db) == before
    assert load_result(db, "lima-raid") == old
    assert [h.article_id for h in search(db, "Lima")] == ["lima-raid"]
    assert not db.conn.in_transaction


def test_store_results_stops_at_a_failure_and_keeps_what_came_before(db: Database) -> None:
    _fail_on_rescue(db)
    results = sample_results()
    with pytest.raises(StorageError):
        store_results(db, (results[1], results[2], results[0], results[3]))
    stored = {r[0] for r in db.conn.execute("SELECT id FROM articles")}
    assert stored == {results[1].article.id, results[2].article.id}


# --------------------------------------------------------------------------- errors log, deletion


def test_read_errors_are_logged_with_a_timestamp(db: Database) -> None:
    summary = store_results(db, [ReadError("in/a.bin", "binary file"), sample_results()[3]])
    assert (summary.errors, summary.inserted) == (1, 1)
    store_read_error(db, "in/b.json", "line 3: broken JSON")
    errors = list_ingest_errors(db)
    assert [(e.origin, e.reason) for e in errors] == [
        ("in/b.json", "line 3: broken JSON"),
        ("in/a.bin", "binary file"),
    ]
    assert all(e.at.startswith("20") and "T" in e.at for e in errors)


def test_store_results_reports_progress_for_every_item(db: Database) -> None:
    seen: list[str] = []
    store_results(db, [*sample_results(), ReadError("x", "bad")], progress=lambda o: seen.append(o.action))
    assert seen == ["inserted"] * 4 + ["error"]


def test_store_results_consumes_a_generator_lazily(db: Database) -> None:
    def produce() -> Iterator[ArticleResult]:
        for result in sample_results():
            yield result
            # Each article is committed before the next one is produced.
            assert db.conn.execute(
                "SELECT count(*) FROM articles WHERE id = ?", (result.article.id,)
            ).fetchone()

    assert store_results(db, produce()).inserted == 4


def test_delete_article_removes_its_rows_and_index_entries(db: Database) -> None:
    store_results(db, sample_results())
    assert delete_article(db, "cartagena-cocaina") is True
    assert delete_article(db, "cartagena-cocaina") is False
    assert count_events(db) == 4
    assert search(db, "cocaína") == []
    assert (
        db.conn.execute("SELECT count(*) FROM mentions WHERE article_id = 'cartagena-cocaina'").fetchone()[0]
        == 0
    )


def test_article_level_organizations_and_aliases_are_recorded(db: Database) -> None:
    result = make_result(
        "aliases",
        "The Gulf Clan, also called AGC, lost a route.",
        organizations=(ArticleOrganization("Clan del Golfo", aliases=("Gulf Clan", "AGC")),),
    )
    store_result(db, result)
    detail = get_organization(db, "gulf clan")
    assert detail is not None
    assert detail.name == "Clan del Golfo"
    assert set(detail.aliases) == {"Gulf Clan", "AGC"}
    assert detail.articles == 1


def test_a_parent_link_that_would_make_a_cycle_is_ignored(db: Database) -> None:
    a = make_result(
        "p1", "Group A text.", organizations=(ArticleOrganization("Faction B", parent="Group A"),)
    )
    b = make_result(
        "p2", "Group B text.", organizations=(ArticleOrganization("Group A", parent="Faction B"),)
    )
    store_results(db, [a, b])
    group_a = get_organization(db, "Group A")
    faction_b = get_organization(db, "Faction B")
    assert group_a is not None and faction_b is not None
    assert faction_b.parent == "Group A"
    assert group_a.parent is None


def test_registered_knowledge_base_aliases_find_events(db: Database) -> None:
    kb = (
        ArticleOrganization("Tren de Aragua", aliases=("TdA", "Aragua Train")),
        ArticleOrganization("Los Hijos de Dios", aliases=("Hijos de Dios",), parent="Tren de Aragua"),
        ArticleOrganization("Gang Never Mentioned", aliases=("GNM",)),
    )
    assert register_organizations(db, kb) == 3
    register_organizations(db, kb)  # idempotent
    assert db.conn.execute("SELECT count(*) FROM organizations").fetchone()[0] == 3
    store_results(db, sample_results())
    assert len(list_events(db, EventFilter(organization="tda"))) == 2
    assert list_events(db, EventFilter(organization="T.d.A.")) == []  # "t d a" is another key
    names = {o.name for o in list_organizations(db)}
    assert "Tren de Aragua" in names and "Gang Never Mentioned" not in names
