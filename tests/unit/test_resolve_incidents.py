"""Incident matching on hand-built reports: features, conflicts, clustering, chosen values."""

from __future__ import annotations

import itertools
import random
from datetime import date

import pytest

from crimewire.kb import load_knowledge_base
from crimewire.records import (
    Attribution,
    CountValue,
    DateValue,
    EventOrg,
    PersonMatch,
    PlaceMatch,
    Quantity,
)
from crimewire.resolve.incidents import (
    THRESHOLD,
    MatchContext,
    cluster,
    conflict,
    count_range,
    incident_id,
    make_context,
    score_pair,
    summarize,
    window,
)
from crimewire.storage.incidents import MemberRecord, StoredReport
from crimewire.storage.samples import make_event

LIMA = PlaceMatch("Lima", 0, 4, "Lima", "city", "PE", "PE-LMA", "Lima", "Lima", -12.04, -77.03, 3936456)
LIMA_REGION = PlaceMatch("Lima", 0, 4, "Lima", "region", "PE", "PE-LMA", "Lima")
SJL = PlaceMatch("San Juan de Lurigancho", 0, 22, "San Juan de Lurigancho", "locality", "PE", "PE-LMA", city="Lima")
TRUJILLO = PlaceMatch(
    "Trujillo", 0, 8, "Trujillo", "city", "PE", "PE-LAL", "La Libertad", "Trujillo", geonameid=3691175
)
CUSCO = PlaceMatch("Cusco", 0, 5, "Cusco", "city", "PE", "PE-CUS", "Cusco", "Cusco", geonameid=3941584)


@pytest.fixture(scope="module")
def ctx() -> MatchContext:
    return make_context(load_knowledge_base())


def report(
    article: str,
    type_: str = "arrest",
    *,
    seq: int = 0,
    published: date | None = date(2025, 3, 5),
    day: date | None = None,
    precision: str = "day",
    count: int | None = None,
    qualifier: str = "exact",
    country: str | None = "PE",
    places: tuple[PlaceMatch, ...] = (),
    orgs: tuple[EventOrg, ...] = (),
    lang: str = "en",
    sentence: str = "Police arrested the suspects in a raid.",
    attribution: str | None = None,
    persons: tuple[PersonMatch, ...] = (),
    items: tuple[Quantity, ...] = (),
) -> StoredReport:
    """A report of a hand-made event whose evidence is the whole text ``sentence``."""
    trigger = sentence.split()[1]
    event = make_event(
        sentence,
        sentence,
        trigger,
        type_,
        date=DateValue(day, precision, "on Tuesday", "test") if day else None,
        count=CountValue(count, qualifier, str(count)) if count is not None else None,
        country=country,
        places=places,
        organizations=orgs,
        attribution=Attribution(attribution, attribution) if attribution else None,
        items=items,
    )
    return StoredReport(
        article_id=article,
        seq=seq,
        event_id=0,
        event=event,
        published=published,
        lang=lang,
        outlet=None,
        url=None,
        title=None,
        persons=persons,
    )


TDA = EventOrg("Tren de Aragua")
HIJOS = EventOrg("Los Hijos de Dios", parent="Tren de Aragua")
GALLEGOS = EventOrg("Los Gallegos", parent="Tren de Aragua")


# --------------------------------------------------------------------------- windows and counts


def test_window_follows_precision_and_publication() -> None:
    assert window(report("a", day=date(2025, 3, 4))) == (date(2025, 3, 4), date(2025, 3, 4))
    assert window(report("a", day=date(2025, 2, 1), precision="month")) == (date(2025, 2, 1), date(2025, 2, 28))
    assert window(report("a", day=date(2024, 1, 1), precision="year")) == (date(2024, 1, 1), date(2024, 12, 31))
    # Undated: the ten days before publication.
    assert window(report("a", published=date(2025, 3, 5))) == (date(2025, 2, 23), date(2025, 3, 5))
    assert window(report("a", published=None)) is None


def test_count_ranges_read_qualifiers() -> None:
    assert count_range(CountValue(80, "more_than")) == (80.0, float("inf"))
    assert count_range(CountValue(30, "up_to")) == (0.0, 30.0)
    assert count_range(CountValue(None)) is None


# --------------------------------------------------------------------------- pairs


def test_same_day_place_org_and_count_link(ctx: MatchContext) -> None:
    a = report("a", day=date(2025, 3, 4), count=23, places=(LIMA,), orgs=(HIJOS, TDA))
    b = report("b", day=date(2025, 3, 4), count=23, places=(LIMA,), orgs=(TDA,), lang="es")
    d = score_pair(a, b, ctx)
    names = {f.name for f in d.features}
    assert d.linked and d.conflict is None
    assert {"time", "place", "organization", "count"} <= names
    assert "text" not in names  # cross-language pairs do not compare wording


def test_score_is_symmetric(ctx: MatchContext) -> None:
    a = report("a", day=date(2025, 3, 4), count=12, places=(LIMA,))
    b = report("b", published=date(2025, 3, 6), count=14, places=(SJL,))
    assert score_pair(a, b, ctx) == score_pair(b, a, ctx)


def test_one_agreement_alone_never_links(ctx: MatchContext) -> None:
    # Same day, same city and nothing else: many happenings a day in a capital.
    a = report("a", day=date(2025, 3, 4), places=(LIMA,))
    b = report("b", day=date(2025, 3, 4), places=(LIMA,))
    assert score_pair(a, b, ctx).score < THRESHOLD


def test_year_apart_conflicts(ctx: MatchContext) -> None:
    a = report("a", day=date(2024, 3, 4), count=30, places=(LIMA,), orgs=(TDA,))
    b = report("b", day=date(2025, 3, 4), count=30, places=(LIMA,), orgs=(TDA,))
    d = score_pair(a, b, ctx)
    assert not d.linked and d.conflict and "days apart" in d.conflict


def test_undated_report_matches_within_its_window(ctx: MatchContext) -> None:
    dated = report("a", day=date(2025, 3, 3), count=23, orgs=(HIJOS, TDA))
    undated = report("b", published=date(2025, 3, 5), count=23, orgs=(HIJOS,))
    late = report("c", published=date(2025, 3, 20), count=23, orgs=(HIJOS,))
    assert score_pair(dated, undated, ctx).linked
    assert score_pair(dated, late, ctx).conflict is not None


def test_different_countries_conflict(ctx: MatchContext) -> None:
    a = report("a", day=date(2025, 7, 3), count=21, country="CL", orgs=(TDA,))
    b = report("b", day=date(2025, 7, 3), count=21, country="CO", orgs=(TDA,))
    assert score_pair(a, b, ctx).conflict == "different countries CL / CO"


def test_faction_matches_parent_but_not_sibling(ctx: MatchContext) -> None:
    base = {"day": date(2025, 3, 4), "count": 21, "places": (LIMA,)}
    faction = report("a", orgs=(HIJOS, TDA), **base)  # type: ignore[arg-type]
    parent = report("b", orgs=(TDA,), **base)  # type: ignore[arg-type]
    sibling = report("c", orgs=(GALLEGOS, TDA), **base)  # type: ignore[arg-type]
    d = score_pair(faction, parent, ctx)
    assert d.linked and any(f.name == "organization" and f.points > 0 for f in d.features)
    assert "different organizations" in (score_pair(faction, sibling, ctx).conflict or "")


def test_unrelated_groups_conflict(ctx: MatchContext) -> None:
    a = report("a", day=date(2025, 1, 15), count=5, orgs=(EventOrg("Barrio 18"),))
    b = report("b", day=date(2025, 1, 15), count=5, orgs=(EventOrg("MS-13"),))
    assert "different organizations" in (conflict(a, b, load_ctx()) or "")


def load_ctx() -> MatchContext:
    return make_context(load_knowledge_base())


def test_place_hierarchy(ctx: MatchContext) -> None:
    a = report("a", day=date(2025, 3, 4), count=20, places=(SJL,))
    b = report("b", day=date(2025, 3, 4), count=20, places=(LIMA,))
    c = report("c", day=date(2025, 3, 4), count=20, places=(TRUJILLO,))
    d = report("d", day=date(2025, 3, 4), count=20, places=(LIMA_REGION,))
    inside = next(f for f in score_pair(a, b, ctx).features if f.name == "place")
    assert inside.points > 0 and "is in" in inside.note
    apart = next(f for f in score_pair(b, c, ctx).features if f.name == "place")
    assert apart.points < 0
    region = next(f for f in score_pair(b, d, ctx).features if f.name == "place")
    assert region.points > 0


def test_unknown_places_never_count_against(ctx: MatchContext) -> None:
    junk = PlaceMatch("Todas", 0, 5, "Todas", "unknown")
    a = report("a", day=date(2025, 3, 4), count=20, places=(junk,))
    b = report("b", day=date(2025, 3, 4), count=20, places=(CUSCO,))
    assert not any(f.name == "place" for f in score_pair(a, b, ctx).features)


def test_counts_conflict_in_degrees(ctx: MatchContext) -> None:
    def points(x: int, y: int, type_: str = "rescue", qualifier: str = "exact") -> float:
        a = report("a", type_, day=date(2025, 3, 4), count=x, qualifier=qualifier, published=date(2025, 3, 5))
        b = report("b", type_, day=date(2025, 3, 4), count=y, published=date(2025, 3, 6))
        return next(f.points for f in score_pair(a, b, ctx).features if f.name == "count")

    assert points(123, 123) > points(5, 5) > points(1, 1) > 0
    assert points(80, 84, qualifier="more_than") > 0  # "more than 80" allows 84
    assert points(123, 84) == -1.0  # conflicting figures are allowed, at a cost
    assert points(12, 3) == -3.0
    assert points(6, 7, "killing") > 0  # a later, higher death toll updates the earlier one
    assert points(10, 6, "killing") < 0  # a later, lower toll contradicts it


def test_conflicting_counts_join_when_everything_else_agrees(ctx: MatchContext) -> None:
    police = report("a", "rescue", day=date(2025, 3, 4), count=123, places=(LIMA,), orgs=(HIJOS, TDA))
    outlet = report("b", "rescue", day=date(2025, 3, 4), count=84, places=(LIMA,), orgs=(HIJOS, TDA))
    assert score_pair(police, outlet, ctx).linked


def test_seized_amounts(ctx: MatchContext) -> None:
    def seizure(article: str, amount: float, unit: str) -> StoredReport:
        return report(article, "seizure", country="CO", day=date(2025, 3, 8),
                      items=(Quantity("cocaine", amount, unit, f"{amount} {unit} of cocaine"),))

    precise = next(f for f in score_pair(seizure("a", 3.2, "t"), seizure("b", 3200, "kg"), ctx).features
                   if f.name == "items")
    rounded = next(f for f in score_pair(seizure("a", 2, "t"), seizure("b", 2, "t"), ctx).features
                   if f.name == "items")
    assert precise.points > rounded.points > 0
    different = [f for f in score_pair(seizure("a", 2, "t"), seizure("b", 300, "kg"), ctx).features
                 if f.name == "items"]
    assert different and different[0].points < 0


def test_named_people(ctx: MatchContext) -> None:
    sentence = "Colombia extradited Reinaldo Ortiz, alias El Químico, to the United States."
    other = "Colombia extradited Luis Paredes, alias el Flaco, to Spain on Thursday."

    def person(text: str, name: str, alias: str) -> PersonMatch:
        start = text.index(name)
        return PersonMatch(name, start, start + len(name), name, alias, "arrested")

    a = report("a", "extradition", country="CO", day=date(2024, 11, 28), count=1, sentence=sentence,
               persons=(person(sentence, "Reinaldo Ortiz", "El Químico"),))
    b = report("b", "extradition", country="CO", day=date(2024, 11, 28), count=1, sentence=sentence, lang="es",
               persons=(person(sentence, "Reinaldo Ortiz", "El Químico"),))
    c = report("c", "extradition", country="CO", day=date(2024, 11, 28), count=1, sentence=other,
               persons=(person(other, "Luis Paredes", "el Flaco"),))
    assert score_pair(a, b, ctx).linked
    d = score_pair(a, c, ctx)
    assert not d.linked and any(f.name == "persons" and f.points < 0 for f in d.features)


def test_corroboration_from_another_event_of_the_same_articles(ctx: MatchContext) -> None:
    arrest_a = report("a", "arrest", seq=0, day=date(2025, 3, 4), count=23, orgs=(HIJOS, TDA), places=(LIMA,))
    rescue_a = report("a", "rescue", seq=1, day=date(2025, 3, 4), count=123, orgs=(HIJOS, TDA), places=(LIMA,))
    arrest_b = report("b", "arrest", seq=0, published=date(2025, 3, 6), count=23, orgs=(HIJOS,))
    rescue_b = report("b", "rescue", seq=1, published=date(2025, 3, 6), count=84, orgs=(HIJOS,))
    alone = score_pair(rescue_a, rescue_b, ctx)
    backed = score_pair(rescue_a, rescue_b, ctx, (arrest_a, rescue_a), (arrest_b, rescue_b))
    assert any(f.name == "corroboration" for f in backed.features)
    assert backed.score > alone.score and backed.linked


def test_same_article_never_joins(ctx: MatchContext) -> None:
    a = report("a", seq=0, day=date(2025, 3, 4), count=5, places=(LIMA,))
    b = report("a", seq=1, day=date(2025, 3, 4), count=5, places=(LIMA,))
    assert "same article" in (conflict(a, b, ctx) or "")


# --------------------------------------------------------------------------- clustering


def test_cluster_is_order_independent_and_respects_conflicts(ctx: MatchContext) -> None:
    # b (undated) links to a and to c, but a and c are days apart: b joins the stronger one.
    a = report("a", day=date(2025, 3, 1), count=30, orgs=(TDA,), places=(LIMA,))
    b = report("b", published=date(2025, 3, 5), count=30, orgs=(TDA,), places=(LIMA,))
    c = report("c", day=date(2025, 3, 5), count=30, orgs=(TDA,), places=(LIMA,))
    by_key = {r.key: r for r in (a, b, c)}
    decisions = [score_pair(x, y, ctx) for x, y in itertools.combinations((a, b, c), 2)]
    edges = [(d.a, d.b, d.score) for d in decisions if d.linked]
    assert len(edges) == 2

    def conflicts(x: tuple[str, int], y: tuple[str, int]) -> str | None:
        return conflict(by_key[x], by_key[y], ctx)

    expected = cluster(by_key, edges, conflicts)
    assert sorted(len(g) for g in expected) == [1, 2]
    rng = random.Random(7)
    for _ in range(5):
        keys = list(by_key)
        rng.shuffle(keys)
        shuffled = edges[:]
        rng.shuffle(shuffled)
        assert cluster(keys, shuffled, conflicts) == expected


# --------------------------------------------------------------------------- chosen values


def test_summary_prefers_official_count_and_precise_date(ctx: MatchContext) -> None:
    police = report("a", "rescue", day=date(2025, 3, 4), count=123, places=(LIMA,), orgs=(HIJOS, TDA),
                    attribution="the Interior Ministry", published=date(2025, 3, 5))
    radio = report("b", "rescue", day=date(2025, 3, 4), count=84, places=(SJL,), orgs=(TDA,),
                   attribution="radio station RPP", published=date(2025, 3, 6))
    tv = report("c", "rescue", day=date(2025, 3, 1), precision="month", count=84, orgs=(TDA,),
                attribution="a television channel", published=date(2025, 3, 7))
    reports = [police, radio, tv]
    members = [MemberRecord(r.key, None, None, "") for r in reports]
    inc = summarize(reports, members, ctx)
    assert inc.count == 123 and "official" in (inc.count_rule or "")  # official beats most reported
    assert inc.date == date(2025, 3, 4) and inc.date_precision == "day"
    assert [p.name for p in inc.places] == ["San Juan de Lurigancho"]  # Lima contains it
    assert inc.organizations[0] == "Tren de Aragua"
    assert dict(inc.conflicts)["count"] == ((84, ("b", "c")), (123, ("a",)))
    assert inc.id == incident_id(("a", 0)) and inc.first_reported == date(2025, 3, 5)


def test_summary_without_official_source_takes_most_reported(ctx: MatchContext) -> None:
    reports = [
        report("a", count=10, published=date(2025, 3, 5)),
        report("b", count=12, published=date(2025, 3, 6)),
        report("c", count=12, published=date(2025, 3, 7)),
    ]
    inc = summarize(reports, [MemberRecord(r.key, None, None, "") for r in reports], ctx)
    assert inc.count == 12 and inc.count_rule == "most reported (2 of 3 reports)"
    tie = summarize(reports[:2], [MemberRecord(r.key, None, None, "") for r in reports[:2]], ctx)
    assert tie.count == 12 and "latest" in (tie.count_rule or "")


def test_official_count_rule_says_which_reports_agree(ctx: MatchContext) -> None:
    """ "every" counts the official sources weighed, and the rule says the other reports disagree."""
    ministry = report("a", count=47, attribution="the Interior Ministry", published=date(2025, 3, 5))
    prosecutors = report("b", count=47, attribution="state prosecutors", published=date(2025, 3, 6))
    radio = report("c", count=39, attribution="a radio station", published=date(2025, 3, 7))
    reports = [ministry, prosecutors, radio]
    inc = summarize(reports, [MemberRecord(r.key, None, None, "") for r in reports], ctx)
    assert inc.count == 47
    assert inc.count_rule == (
        "stated by official sources (state prosecutors, the Interior Ministry); stated by every official source; "
        "1 other report states another figure"
    )
    assert "every report" not in (inc.count_rule or "")


def test_official_count_rule_when_every_report_agrees(ctx: MatchContext) -> None:
    ministry = report("a", count=47, attribution="the Interior Ministry", published=date(2025, 3, 5))
    radio = report("b", count=47, attribution="a radio station", published=date(2025, 3, 6))
    tv = report("c", count=47, published=date(2025, 3, 7))
    reports = [ministry, radio, tv]
    inc = summarize(reports, [MemberRecord(r.key, None, None, "") for r in reports], ctx)
    assert inc.count == 47
    assert inc.count_rule == (
        "stated by an official source (the Interior Ministry); stated by every official source; "
        "the other reports agree"
    )
    unattributed = summarize(reports[1:], [MemberRecord(r.key, None, None, "") for r in reports[1:]], ctx)
    assert unattributed.count_rule == "stated by every report"


def test_death_toll_takes_the_latest_figure(ctx: MatchContext) -> None:
    first = report("a", "killing", day=date(2024, 6, 22), count=6, published=date(2024, 6, 23),
                   attribution="state prosecutors")
    same = report("b", "killing", day=date(2024, 6, 22), count=6, published=date(2024, 6, 23),
                  attribution="la Fiscalía")
    update = report("c", "killing", day=date(2024, 6, 22), count=7, published=date(2024, 6, 24),
                    attribution="autoridades de Guanajuato")
    reports = [first, same, update]
    inc = summarize(reports, [MemberRecord(r.key, None, None, "") for r in reports], ctx)
    assert inc.count == 7 and "latest figure (c)" in (inc.count_rule or "")
