"""Incidents in a real SQLite file from hand-made results: resolution, re-storing, reads, CLI."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands
from crimewire.cli.app import app
from crimewire.records import (
    ArticleOrganization,
    ArticleResult,
    Attribution,
    CountValue,
    DateValue,
    EventOrg,
    Mentions,
    PersonMatch,
)
from crimewire.resolve import resolve_all, resolve_article
from crimewire.storage import delete_article, open_database, store_result
from crimewire.storage.db import Database, QueryError
from crimewire.storage.incidents import (
    IncidentFilter,
    count_incidents,
    get_incident,
    incident_stats,
    list_agencies,
    list_incidents,
    list_persons,
    organization_profile,
    redact_victims,
    victim_names,
)
from crimewire.storage.migrations import LATEST_VERSION
from crimewire.storage.samples import make_event, make_result, place, sample_results

BODY_ES = (
    "La Policía peruana detuvo el martes en Lima a 12 integrantes de Los Hijos de Dios, facción del "
    "Tren de Aragua. Además rescató a 9 mujeres venezolanas, entre ellas María Quispe Rojas, "
    "informó el Ministerio del Interior."
)


def lima_es(rescued: int = 9) -> ArticleResult:
    """A Spanish report of the sample Lima raid (sample article "lima-raid"), published a day later."""
    s1 = (
        "La Policía peruana detuvo el martes en Lima a 12 integrantes de Los Hijos de Dios, facción del "
        "Tren de Aragua."
    )
    s2 = (
        f"Además rescató a {rescued} mujeres venezolanas, entre ellas María Quispe Rojas, "
        "informó el Ministerio del Interior."
    )
    body = BODY_ES.replace("9 mujeres", f"{rescued} mujeres")
    lima = place(body, "Lima", kind="city", country="PE", region="PE-LIM", region_name="Lima", city="Lima",
                 lat=-12.04, lon=-77.03, geonameid=3936456)
    orgs = (EventOrg("Los Hijos de Dios", parent="Tren de Aragua"), EventOrg("Tren de Aragua"))
    day = DateValue(date(2024, 3, 5), "day", "el martes", "weekday:last")
    victim_at = body.index("María")
    events = (
        make_event(body, s1, "detuvo", "arrest", date=day, count=CountValue(12, "exact", "12"), country="PE",
                   places=(lima,), organizations=orgs, agencies=("policía peruana",)),
        make_event(body, s2, "rescató", "rescue", date=day, count=CountValue(rescued, "exact", str(rescued)),
                   country="PE", places=(lima,), organizations=orgs, nationalities=("VE",),
                   attribution=Attribution("el Ministerio del Interior", "informó el Ministerio del Interior")),
    )
    persons = (PersonMatch("María Quispe Rojas", victim_at, victim_at + 18, "María Quispe Rojas", None, "victim"),)
    return make_result(
        "lima-es",
        body,
        events=events,
        published=date(2024, 3, 8),
        lang="es",
        title="Detienen a 12 miembros de Los Hijos de Dios",
        organizations=(
            ArticleOrganization("Tren de Aragua"),
            ArticleOrganization("Los Hijos de Dios", parent="Tren de Aragua"),
        ),
        mentions=Mentions(places=(lima,), persons=persons),
    )


def ingest(db: Database, results: list[ArticleResult]) -> None:
    for r in results:
        store_result(db, r)
        resolve_article(db, r.article.id)


def snapshot(db: Database) -> list[tuple[str, str, tuple[tuple[str, int], ...]]]:
    """Every incident: (id, type, member keys) — what must not depend on ingestion order."""
    rows = db.conn.execute("SELECT incident_id, article_id, seq FROM incident_members ORDER BY 1, 2, 3")
    members: dict[str, list[tuple[str, int]]] = {}
    for r in rows:
        members.setdefault(r[0], []).append((r[1], r[2]))
    types = dict(db.conn.execute("SELECT id, type FROM incidents").fetchall())
    return sorted((i, types[i], tuple(m)) for i, m in members.items())


@pytest.fixture
def db(tmp_path: Path) -> Database:
    database = open_database(tmp_path / "crimewire.db")
    ingest(database, [*sample_results(), lima_es()])
    yield database
    database.close()


def test_migration_2_is_applied(db: Database) -> None:
    assert db.schema_version == LATEST_VERSION >= 2


def test_reports_of_one_raid_make_one_incident_per_happening(db: Database) -> None:
    arrests = list_incidents(db, IncidentFilter(type="arrest", country="PE"))
    assert len(arrests) == 1 and arrests[0].n_sources == 2
    detail = get_incident(db, arrests[0].id)
    assert detail is not None
    assert {s.article_id for s in detail.sources} == {"lima-raid", "lima-es"}
    assert detail.row.count == 12 and detail.row.places == ["Lima"]
    assert sorted(detail.row.organizations) == ["Los Hijos de Dios", "Tren de Aragua"]
    assert any("joined through" in line for line in detail.why)
    source = next(s for s in detail.sources if s.article_id == "lima-es")
    assert source.values["count"] == 12 and source.values["date"] == "2024-03-05"
    assert source.evidence.startswith("La Policía peruana detuvo")
    # The other sample events are incidents of their own; nothing is lost.
    placed = db.conn.execute("SELECT count(*) FROM incident_members").fetchone()[0]
    current = db.conn.execute("SELECT count(*) FROM events WHERE background = 0").fetchone()[0]
    assert placed == current


def test_conflicting_counts_are_kept_side_by_side(db: Database) -> None:
    rescue = list_incidents(db, IncidentFilter(type="rescue"))[0]
    detail = get_incident(db, rescue.id)
    assert detail is not None and detail.row.n_sources == 2
    assert dict(detail.conflicts)["count"] == [(8, ["lima-raid"]), (9, ["lima-es"])] or dict(detail.conflicts)[
        "count"
    ] == [(9, ["lima-es"]), (8, ["lima-raid"])]
    value, rule = detail.chosen["count"]
    assert value in (8, 9) and "official" in rule  # both attributed to the Interior Ministry
    assert detail.to_dict()["chosen"]["count"]["rule"] == rule


def test_restoring_an_article_updates_its_incidents(db: Database) -> None:
    before = snapshot(db)
    outcome = store_result(db, lima_es(rescued=10))
    assert outcome.action == "replaced"
    resolve_article(db, "lima-es")
    after = snapshot(db)
    assert after == before  # same members, same ids: keys are (article, seq), not event ids
    rescue = get_incident(db, list_incidents(db, IncidentFilter(type="rescue"))[0].id)
    assert rescue is not None
    assert sorted(v for v, _ in dict(rescue.conflicts)["count"]) == [8, 10]
    assert resolve_article(db, "lima-es").unchanged


def test_deleting_an_article_takes_its_reports_out(db: Database) -> None:
    delete_article(db, "lima-es")
    resolve_article(db, "lima-es")
    arrests = list_incidents(db, IncidentFilter(type="arrest", country="PE"))
    assert len(arrests) == 1 and arrests[0].n_sources == 1
    assert db.conn.execute("SELECT count(*) FROM incident_members WHERE article_id = 'lima-es'").fetchone()[0] == 0
    assert not any(p.articles == ("lima-es",) for p in list_persons(db, include_victims=True))


def test_resolve_all_equals_incremental(db: Database) -> None:
    incremental = snapshot(db)
    summary = resolve_all(db)
    assert summary.articles == 5 and summary.incidents == len(incremental)
    assert snapshot(db) == incremental


def test_any_order_gives_the_same_incidents(tmp_path: Path) -> None:
    results = [*sample_results(), lima_es()]
    snapshots = []
    for n, order in enumerate((results, results[::-1], [results[4], results[1], results[0], results[3], results[2]])):
        database = open_database(tmp_path / f"order{n}.db")
        ingest(database, order)
        snapshots.append(snapshot(database))
        database.close()
    assert snapshots[0] == snapshots[1] == snapshots[2]


def bridge_results() -> list[ArticleResult]:
    """Three reports of one arrest: a and c share too little to link, b links to both."""

    def one(article: str, lang: str, published: date, sentence: str, **arguments: object) -> ArticleResult:
        event = make_event(sentence, sentence, sentence.split()[1], "arrest", country="PE",
                           count=CountValue(40, "exact", "40"), **arguments)
        return make_result(article, sentence, events=(event,), published=published, lang=lang)

    lima = place("Police held 40 in Lima.", "Lima", kind="city", country="PE", region="PE-LMA", geonameid=3936456)
    day = DateValue(date(2024, 5, 7), "day", "on Tuesday", "test")
    tda = (EventOrg("Tren de Aragua"),)
    return [
        one("a-first", "en", date(2024, 5, 8), "Police held 40 in Lima.", date=day, places=(lima,)),
        one("b-bridge", "es", date(2024, 5, 8), "Policías detuvieron a 40 en Lima.", date=day,
            places=(replace(lima, start=28, end=32),), organizations=tda),
        one("c-late", "en", date(2024, 5, 9), "Officers detained 40 gang members.", organizations=tda),
    ]


def test_a_later_report_bridges_two_incidents(tmp_path: Path) -> None:
    a, b, c = bridge_results()
    database = open_database(tmp_path / "bridge.db")
    ingest(database, [a, c])
    assert len(list_incidents(database, IncidentFilter(type="arrest"))) == 2  # a and c alone do not link
    ingest(database, [b])
    merged = list_incidents(database, IncidentFilter(type="arrest"))
    assert len(merged) == 1 and merged[0].n_sources == 3
    expected = snapshot(database)
    database.close()
    for n, order in enumerate(([b, c, a], [c, b, a], [a, b, c])):
        other = open_database(tmp_path / f"bridge{n}.db")
        ingest(other, order)
        assert snapshot(other) == expected
        other.close()


def test_filters(db: Database) -> None:
    assert count_incidents(db) == len(list_incidents(db, IncidentFilter(limit=None)))
    assert count_incidents(db, IncidentFilter(organization="Aragua Train")) == 2  # alias, factions included
    assert count_incidents(db, IncidentFilter(organization="Los Hijos de Dios")) == 2
    assert count_incidents(db, IncidentFilter(organization="nobody")) == 0
    assert count_incidents(db, IncidentFilter(place="Lima")) == 2
    assert count_incidents(db, IncidentFilter(place="san martín de porres")) == 1  # as written by a report
    assert count_incidents(db, IncidentFilter(country="co")) == 2
    assert count_incidents(db, IncidentFilter(since="2024-03", until="2024-03")) == 2
    assert count_incidents(db, IncidentFilter(text="rescató")) == 1
    assert count_incidents(db, IncidentFilter(type="arrest,seizure")) == 3
    ordered = list_incidents(db, IncidentFilter(order="-sources", limit=2))
    assert [r.n_sources for r in ordered] == [2, 2]
    with pytest.raises(QueryError):
        list_incidents(db, IncidentFilter(type="robbery"))
    with pytest.raises(QueryError):
        list_incidents(db, IncidentFilter(order="sideways"))
    assert json.dumps(list_incidents(db)[0].to_dict())


def test_stats_and_organization_profile(db: Database) -> None:
    stats = incident_stats(db)
    assert stats.incidents == count_incidents(db) and stats.multi_source == 2
    assert stats.by_type["arrest"] == 2 and stats.by_month["2024-03"] == 2
    profile = organization_profile(db, "TREN DE ARAGUA")
    assert profile is not None
    assert [f.name for f in profile.factions] == ["Los Hijos de Dios"]
    assert "Aragua Train" in profile.aliases
    assert profile.incidents == 2 and profile.reports == 4
    assert profile.by_type_year == {"arrest": {"2024": 1}, "rescue": {"2024": 1}}
    assert profile.by_country_year == {"PE": {"2024": 2}}
    assert organization_profile(db, "Los Zetas") is None
    assert json.dumps(profile.to_dict())


def test_people_and_victims(db: Database) -> None:
    named = list_persons(db)
    assert [p.name for p in named] == ["el Mono"] and named[0].roles == ("arrested",)
    everyone = list_persons(db, include_victims=True)
    victim = next(p for p in everyone if p.victim)
    assert victim.name == "María Quispe Rojas" and victim.articles == ("lima-es",)
    rescue_id = list_incidents(db, IncidentFilter(type="rescue"))[0].id
    assert victim.incidents == (rescue_id,)  # the incident whose evidence names her
    assert "Lima" in victim.places and victim.first_seen == victim.last_seen == date(2024, 3, 5)
    assert "María Quispe Rojas" in victim_names(db)
    sentence = get_incident(db, list_incidents(db, IncidentFilter(type="rescue"))[0].id)
    assert sentence is not None
    evidence = next(s.evidence for s in sentence.sources if s.article_id == "lima-es")
    assert "María" not in redact_victims(db, "lima-es", evidence)


def test_agencies_are_resolved(db: Database) -> None:
    agencies = {a.name: a for a in list_agencies(db)}
    # "Peruvian police" (en) and "policía peruana" (es) are one body: the police of PE.
    peru = agencies["police (PE)"]
    assert set(peru.names) == {"Peruvian police", "policía peruana"} and peru.articles == 2
    assert "Policía Nacional" in agencies


def test_cli(db: Database) -> None:
    _register_commands()
    runner = CliRunner()
    result = runner.invoke(app, ["incidents", "--db", db.path, "--format", "jsonl", "--type", "arrest"])
    assert result.exit_code == 0, result.output
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    lima = next(x for x in lines if x["country"] == "PE")
    assert {"id", "type", "date", "country", "count", "places", "organizations", "sources"} <= set(lima)
    assert {s["article_id"] for s in lima["sources"]} == {"lima-raid", "lima-es"}
    assert all({"url", "evidence", "values"} <= set(s) for s in lima["sources"])

    rescue = list_incidents(db, IncidentFilter(type="rescue"))[0].id
    shown = runner.invoke(app, ["incident", rescue, "--db", db.path, "--why"])
    assert shown.exit_code == 0, shown.output
    assert "joined through" in shown.stdout and "reports disagree on" in shown.stdout
    assert "María" not in shown.stdout  # victims' names stay out unless asked for
    assert "María" in runner.invoke(app, ["incident", rescue, "--db", db.path, "--include-victims"]).stdout

    profile = runner.invoke(app, ["org", "Aragua Train", "--db", db.path])
    assert profile.exit_code == 0 and "Los Hijos de Dios" in profile.stdout
    missing = runner.invoke(app, ["incident", "inc-nope", "--db", db.path])
    assert missing.exit_code == 1


def test_replacing_an_event_in_place_keeps_ids_stable(tmp_path: Path) -> None:
    database = open_database(tmp_path / "ids.db")
    ingest(database, [*sample_results(), lima_es()])
    ids = {i for i, _, _ in snapshot(database)}
    first = sample_results()[0]
    changed = replace(first, notes=("re-extracted",))
    assert store_result(database, changed).action == "replaced"
    resolve_article(database, first.article.id)
    assert {i for i, _, _ in snapshot(database)} == ids
    database.close()
