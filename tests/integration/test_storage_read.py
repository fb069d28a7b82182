"""The read API over a real SQLite file filled with the hand-made sample results."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from crimewire.records import ArticleOrganization, ArticleResult, CountValue, DateValue, EventOrg, Quantity
from crimewire.storage import (
    ArticleFilter,
    Database,
    EventFilter,
    EventRow,
    QueryError,
    StorageError,
    Store,
    count_articles,
    count_events,
    get_article,
    get_event,
    get_organization,
    list_articles,
    list_events,
    list_organizations,
    open_database,
    search,
    stats,
    store_result,
)
from crimewire.storage.samples import make_event, make_result, sample_results


def _culiacan() -> ArticleResult:
    """A Sinaloa article with a faction, an undated event and a spelled-with-accent alias."""
    body = "Gunmen of Los Chapitos kidnapped 3 traders in Culiacán. Troops later freed 2 of them."
    events = (
        make_event(
            body,
            "Gunmen of Los Chapitos kidnapped 3 traders in Culiacán.",
            "kidnapped",
            "kidnapping",
            count=CountValue(3),
            country="MX",
            date=DateValue(date(2025, 1, 20), "day"),
            organizations=(EventOrg("Los Chapitos", parent="Sinaloa Cartel"), EventOrg("Sinaloa Cartel")),
        ),
        make_event(body, "Troops later freed 2 of them.", "freed", "rescue", count=CountValue(2), country="MX"),
    )
    return make_result(
        "culiacan",
        body,
        events=events,
        published=date(2025, 1, 22),
        title="Traders kidnapped in Culiacán",
        organizations=(
            ArticleOrganization("Sinaloa Cartel", aliases=("Cártel de Sinaloa",)),
            ArticleOrganization("Los Chapitos", parent="Sinaloa Cartel"),
        ),
    )


@pytest.fixture(scope="module")
def db_path(sample_db: Callable[..., Path]) -> Path:
    return sample_db("read", _culiacan())


@pytest.fixture
def db(db_path: Path) -> Iterator[Database]:
    with open_database(db_path, readonly=True) as database:
        yield database


def _types(rows: list[EventRow]) -> list[str]:
    return [r.type for r in rows]


# --------------------------------------------------------------------------- events


def test_all_events_newest_first_with_undated_events_filed_under_publication(db: Database) -> None:
    rows = list_events(db)
    assert len(rows) == 8 == count_events(db)
    effective = [r.date or r.published or date.min for r in rows]
    assert effective == sorted(effective, reverse=True)
    rescue = next(r for r in rows if r.article_id == "culiacan" and r.type == "rescue")
    assert rescue.date is None and rescue.published == date(2025, 1, 22)


def test_event_row_carries_everything_a_table_needs(db: Database) -> None:
    (row,) = list_events(db, EventFilter(type="rescue", country="PE"))
    assert row.count == 8 and row.qualifier == "exact"
    assert row.places == ("San Martín de Porres",)
    assert row.organizations == ("Los Hijos de Dios", "Tren de Aragua")
    assert row.agencies == ("Peruvian police",)
    assert row.nationalities == ("VE",)
    assert row.attribution == "Interior Ministry"
    assert row.url == "https://news.example/lima-raid"
    assert row.rule == "test.rescue:rescued"
    # The evidence offsets point into the original text (after the removed teaser).
    article = get_article(db, "lima-raid")
    assert article is not None
    assert article.raw_text[row.evidence_start : row.evidence_end] == row.evidence
    assert row.to_dict()["date"] == "2024-03-05"
    assert row.to_dict()["places"] == ["San Martín de Porres"]


def test_filter_by_one_or_several_types(db: Database) -> None:
    assert sorted(_types(list_events(db, EventFilter(type="arrest")))) == ["arrest", "arrest"]
    assert (
        sorted(_types(list_events(db, EventFilter(type="arrest,rescue")))) == ["arrest"] * 2 + ["rescue"] * 2
    )
    assert sorted(_types(list_events(db, EventFilter(type=("killing", "attack"))))) == ["attack", "killing"]


def test_unknown_type_or_order_raises_query_error(db: Database) -> None:
    with pytest.raises(QueryError, match="unknown event type 'murder'"):
        list_events(db, EventFilter(type="murder"))
    with pytest.raises(QueryError, match="unknown order"):
        list_events(db, EventFilter(order="random()"))
    with pytest.raises(QueryError, match="negative"):
        list_events(db, EventFilter(limit=-1))


def test_filter_by_country_is_case_insensitive(db: Database) -> None:
    assert {r.country for r in list_events(db, EventFilter(country="co"))} == {"CO"}
    assert count_events(db, EventFilter(country="co")) == 2
    assert list_events(db, EventFilter(country="BR")) == []


def test_filter_by_alias_finds_the_canonical_group(db: Database) -> None:
    by_alias = list_events(db, EventFilter(organization="AGC"))
    assert len(by_alias) == 2 and all("Clan del Golfo" in r.organizations for r in by_alias)
    # Accents and case are folded: "cartel de sinaloa" matches the alias "Cártel de Sinaloa".
    assert len(list_events(db, EventFilter(organization="cartel de sinaloa"))) == 1


def test_filter_by_a_parent_includes_its_factions_events(db: Database) -> None:
    # The Chapitos event names its parent too; to be sure the faction path is used, look
    # at the Lima events, whose faction "Los Hijos de Dios" is linked to Tren de Aragua.
    parent = {r.id for r in list_events(db, EventFilter(organization="Tren de Aragua"))}
    faction = {r.id for r in list_events(db, EventFilter(organization="Los Hijos de Dios"))}
    assert faction and faction <= parent
    # A faction filter does not climb up to the parent's other events.
    assert count_events(db, EventFilter(organization="Los Chapitos")) == 1


def test_faction_only_event_is_found_through_its_parent(tmp_path: Path) -> None:
    body = "Members of Faction Nine extorted a bus company in Trujillo."
    event = make_event(body, body, "extorted", "extortion", organizations=(EventOrg("Faction Nine"),))
    with open_database(tmp_path / "f.db") as db:
        store_result(
            db,
            make_result(
                "f9",
                body,
                events=(event,),
                organizations=(ArticleOrganization("Faction Nine", parent="Big Group"),),
            ),
        )
        assert [r.article_id for r in list_events(db, EventFilter(organization="Big Group"))] == ["f9"]
        assert list_events(db, EventFilter(organization="Nobody")) == []


def test_filter_by_date_range_uses_publication_date_for_undated_events(db: Database) -> None:
    march = list_events(db, EventFilter(since="2024-03", until="2024-03"))
    assert sorted(_types(march)) == ["arrest", "rescue"]
    y2025 = list_events(db, EventFilter(since=date(2025, 1, 1)))
    assert sorted(_types(y2025)) == ["kidnapping", "rescue"]  # the undated rescue, published 2025-01-22
    assert _types(list_events(db, EventFilter(until="2019"))) == ["attack"]
    with pytest.raises(QueryError, match="not a date"):
        list_events(db, EventFilter(since="last week"))


def test_filter_by_place_and_by_evidence_text(db: Database) -> None:
    assert sorted(_types(list_events(db, EventFilter(place="guayaquil")))) == ["attack", "killing"]
    assert _types(list_events(db, EventFilter(text="convoy"))) == ["attack"]
    assert _types(list_events(db, EventFilter(text="cocaina"))) == ["seizure"]  # accent folded
    assert list_events(db, EventFilter(text="((")) == []


def test_filter_by_article_and_background(db: Database) -> None:
    assert _types(list_events(db, EventFilter(article_id="guayaquil-market", order="id"))) == [
        "killing",
        "attack",
    ]
    assert _types(list_events(db, EventFilter(background=True))) == ["attack"]
    assert count_events(db, EventFilter(background=False)) == 7


def test_limit_offset_and_order(db: Database) -> None:
    ids = [r.id for r in list_events(db, EventFilter(order="id", limit=None))]
    assert ids == sorted(ids)
    page = [r.id for r in list_events(db, EventFilter(order="id", limit=3, offset=2))]
    assert page == ids[2:5]
    by_count = [r.count for r in list_events(db, EventFilter(order="-count"))]
    assert by_count[:3] == [12, 8, 4] and by_count[-1] is None


def test_get_event_returns_the_full_record(db: Database) -> None:
    row = list_events(db, EventFilter(type="seizure"))[0]
    detail = get_event(db, row.id)
    assert detail is not None
    assert detail.row == row
    assert row.items == ("2.5 t cocaine",)
    assert detail.event.items[0].item == "cocaine" and detail.event.items[0].amount == 2.5
    assert detail.to_dict()["record"]["items"][0]["unit"] == "t"
    assert get_event(db, 99999) is None


# --------------------------------------------------------------------------- articles


def test_list_and_count_articles_with_filters(db: Database) -> None:
    assert [a.id for a in list_articles(db)][:2] == ["culiacan", "cartagena-cocaina"]
    assert [a.id for a in list_articles(db, ArticleFilter(lang="es"))] == ["cartagena-cocaina"]
    assert count_articles(db, ArticleFilter(since="2024")) == 4
    assert [a.id for a in list_articles(db, ArticleFilter(organization="aragua train"))] == ["lima-raid"]
    assert {a.id: a.events for a in list_articles(db)}["conseil-budget"] == 0


def test_get_article_has_texts_clutter_and_names(db: Database) -> None:
    article = get_article(db, "lima-raid")
    assert article is not None
    assert article.raw_text.startswith("Also read:")
    assert not article.clean_text.startswith("Also read:")
    assert article.removed[0].reason == "teaser"
    assert article.raw_text[article.removed[0].start : article.removed[0].end] == article.removed[0].text
    assert article.offsets.to_original(0) == len(article.removed[0].text)
    assert [e.type for e in article.events] == ["arrest", "rescue"]
    assert set(article.organizations) == {"Tren de Aragua", "Los Hijos de Dios"}
    assert len(article.content_hash) == 64
    person = get_article(db, "cartagena-cocaina")
    assert person is not None and person.persons[0].alias == "el Mono"
    assert get_article(db, "missing") is None


# --------------------------------------------------------------------------- search


def test_search_ranks_and_snippets(db: Database) -> None:
    hits = search(db, "Guayaquil")
    assert [h.article_id for h in hits] == ["guayaquil-market"]
    assert "[Guayaquil]" in hits[0].snippet
    assert hits[0].events == 2
    # A title match outranks a body-only match.
    hits = search(db, "Cartagena")
    assert hits[0].article_id == "cartagena-cocaina"
    marked = search(db, "cocaína", marks=("<<", ">>"))
    assert "<<cocaína>>" in marked[0].snippet


def test_search_phrases_prefixes_and_or(db: Database) -> None:
    assert [h.article_id for h in search(db, '"Tren de Aragua"')] == ["lima-raid"]
    assert search(db, '"Aragua de Tren"') == []
    assert [h.article_id for h in search(db, "Chonero*")] == ["guayaquil-market"]
    assert {h.article_id for h in search(db, "Cartagena OR Culiacán")} == {"cartagena-cocaina", "culiacan"}


@pytest.mark.parametrize(
    "hostile",
    [
        '"',
        '""',
        'Lima"',
        "NEAR(",
        "NEAR(Lima police, 5)",
        "Lima AND",
        "OR OR OR",
        "NOT",
        "*",
        "Lima*)",
        "(((Lima",
        "Lima)",
        "title:Lima",
        "^Lima",
        "-Lima",
        "+",
        "'; DROP TABLE articles; --",
        "{title clean_text}: Lima",
        "\\",
        "\x00",
        "Lima\nPolice",
        "ñandú 東京 🚔",
    ],
)
def test_hostile_search_input_never_raises(db: Database, hostile: str) -> None:
    hits = search(db, hostile)
    assert isinstance(hits, list)
    assert count_events(db, EventFilter(text=hostile)) >= 0
    assert db.conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5


def test_hostile_input_with_words_still_finds_them(db: Database) -> None:
    assert [h.article_id for h in search(db, "(((Lima")] == ["lima-raid"]
    assert [h.article_id for h in search(db, "Lima)")] == ["lima-raid"]
    # A run of characters stays one phrase: "NEAR(Lima" looks for the words "near lima".
    assert search(db, "NEAR(Lima") == []
    assert [h.article_id for h in search(db, 'Lima"')] == ["lima-raid"]


# --------------------------------------------------------------------------- organizations and stats


def test_list_organizations(db: Database) -> None:
    orgs = {o.name: o for o in list_organizations(db)}
    assert set(orgs) == {
        "Tren de Aragua",
        "Los Hijos de Dios",
        "Clan del Golfo",
        "Los Choneros",
        "Sinaloa Cartel",
        "Los Chapitos",
    }
    assert orgs["Los Hijos de Dios"].parent == "Tren de Aragua"
    assert orgs["Clan del Golfo"].aliases == ("AGC",)
    assert orgs["Clan del Golfo"].events == 2


def test_get_organization_by_alias_with_factions_and_counts(db: Database) -> None:
    detail = get_organization(db, "ARAGUA TRAIN")
    assert detail is not None
    assert detail.name == "Tren de Aragua"
    assert detail.factions == ("Los Hijos de Dios",)
    assert detail.by_type == {"arrest": 1, "rescue": 1}
    assert detail.by_country_year == {"PE": {"2024": 2}}
    assert len(detail.recent_events) == 2
    choneros = get_organization(db, "Los Choneros")
    assert choneros is not None and choneros.by_year == {"2019": 1, "2023": 1}
    assert get_organization(db, "Nobody Gang") is None
    assert get_organization(db, "  ") is None


def test_stats_leave_background_out_by_default(db: Database) -> None:
    s = stats(db)
    assert (s.articles, s.events, s.organizations) == (5, 7, 6)
    assert s.by_type["arrest"] == 2 and "attack" not in s.by_type
    assert s.by_country == {"CO": 2, "MX": 2, "PE": 2, "EC": 1}
    assert list(s.by_month) == sorted(s.by_month)
    assert s.by_month["2025-01"] == 2
    assert s.by_lang == {"en": 3, "es": 1, "fr": 1}
    assert s.newest[0].article_id == "culiacan"
    assert s.top_organizations[0][1] == 2
    assert stats(db, include_background=True).events == 8
    assert s.to_dict()["newest"][0]["published"] == "2025-01-22"


# --------------------------------------------------------------------------- notebook object


def test_store_object_wraps_the_read_api(db_path: Path) -> None:
    with Store(db_path) as store:
        assert "read-only" in repr(store)
        assert len(store.events(type="arrest")) == 2
        assert store.count_events(country="MX") == 2
        assert store.articles(lang="fr")[0].id == "conseil-budget"
        assert store.article("culiacan") is not None
        assert store.result("culiacan") is not None
        assert store.search("Culiacán")[0].article_id == "culiacan"
        assert store.organization("Cártel de Sinaloa") is not None
        assert len(store.organizations()) == 6
        assert store.stats().events == 7
        with pytest.raises(QueryError, match="unknown filter 'colour'"):
            store.events(colour="red")
        with pytest.raises(StorageError, match="read-only"):
            store.store(sample_results()[0])


def test_seized_items_are_shown_with_the_parts_that_are_known(tmp_path: Path) -> None:
    body = "Agents seized 48 rifles, cash and a boat."
    items = (
        Quantity("firearms", 48, "units"),
        Quantity("cash"),
        Quantity("cocaine", None, "kg"),
        Quantity("cash", 1250000.5, "USD"),
    )
    event = make_event(body, body, "seized", "seizure", items=items)
    with open_database(tmp_path / "items.db") as db:
        store_result(db, make_result("items", body, events=(event,)))
        (row,) = list_events(db)
    assert row.items == ("48 units firearms", "cash", "kg cocaine", "1250000.5 USD cash")
