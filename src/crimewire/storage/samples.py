"""Hand-made extraction results, for tests and demos that need a filled database without models.

The texts are invented for crimewire (not taken from any news report). ``sample_results()``
gives four articles: English and Spanish, a faction and its parent, aliases, a seizure with
items, a background event, removed clutter, and an article without events.
Tests of other packages (the web app, incidents) can use them:
``store_results(db, sample_results())``.
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from crimewire.records import (
    Article,
    ArticleOrganization,
    ArticleResult,
    Attribution,
    CleanArticle,
    CountValue,
    DateValue,
    Event,
    EventOrg,
    Evidence,
    Mentions,
    NationalityMatch,
    OffsetMap,
    OrgMatch,
    PersonMatch,
    PlaceMatch,
    Quantity,
    RemovedText,
)

T = TypeVar("T")


def make_event(
    text: str,
    sentence: str,
    trigger: str,
    type: str,
    *,
    offset: int = 0,
    rule: str = "",
    **arguments: object,
) -> Event:
    """An Event whose evidence is ``sentence`` found in the cleaned ``text``.

    ``offset`` is added to get original offsets (the length of clutter removed before the
    sentence); ``arguments`` are Event fields (date, count, places, organizations, ...).
    """
    start = text.index(sentence)
    trigger_start = text.index(trigger, start)
    evidence = Evidence(
        sentence=sentence,
        start=start + offset,
        end=start + len(sentence) + offset,
        clean_start=start,
        clean_end=start + len(sentence),
        trigger=trigger,
        trigger_start=trigger_start,
        trigger_end=trigger_start + len(trigger),
        rule=rule or f"test.{type}:{trigger}",
    )
    return Event(type=type, evidence=evidence, **arguments)  # type: ignore[arg-type]


def found(cls: type[T], text: str, written: str, *values: object, **fields: object) -> T:
    """A match record (``PlaceMatch``, ``OrgMatch`` ...) of the first occurrence of ``written`` in ``text``.

    Its text, start and end come from there; ``values`` and ``fields`` are the record's other fields.
    """
    start = text.index(written)
    return cls(written, start, start + len(written), *values, **fields)  # type: ignore[call-arg]


def place(text: str, written: str, name: str | None = None, **fields: object) -> PlaceMatch:
    """A PlaceMatch for the first occurrence of ``written`` in ``text``."""
    return found(PlaceMatch, text, written, name or written, **fields)


def make_result(
    article_id: str,
    body: str,
    *,
    clutter: str = "",
    events: tuple[Event, ...] = (),
    published: date | None = None,
    title: str | None = None,
    lang: str = "en",
    organizations: tuple[ArticleOrganization, ...] = (),
    mentions: Mentions | None = None,
    status: str = "extracted",
    url: str | None = None,
) -> ArticleResult:
    """An ArticleResult whose original text is ``clutter + body`` and cleaned text ``body``."""
    raw = clutter + body
    removed = (RemovedText(0, len(clutter), clutter, "teaser"),) if clutter else ()
    article = Article(
        id=article_id,
        text=raw,
        published=published,
        title=title,
        url=url or f"https://news.example/{article_id}",
        lang=lang,
        outlet="news.example",
        origin=f"samples/{article_id}.txt",
    )
    clean = CleanArticle(
        article=article,
        text=body,
        offsets=OffsetMap(((0, len(clutter), len(body)),)),
        removed=removed,
        lang=lang,
        lang_confidence=0.99,
    )
    return ArticleResult(
        clean=clean,
        status=status,
        events=events,
        organizations=organizations,
        mentions=mentions or Mentions(),
    )


def _lima_article() -> ArticleResult:
    clutter = "Also read: Storm closes the port for two days\n"
    body = (
        "Police in Lima arrested 12 members of Los Hijos de Dios, a faction of the Tren de Aragua, "
        "on Tuesday. Officers also rescued 8 Venezuelan women held in a house in San Martín de Porres, "
        "the Interior Ministry said. Three years ago the Aragua Train was blamed for a wave of extortion."
    )
    tda = EventOrg("Tren de Aragua")
    hijos = EventOrg("Los Hijos de Dios", parent="Tren de Aragua")
    s1 = (
        "Police in Lima arrested 12 members of Los Hijos de Dios, a faction of the Tren de Aragua, "
        "on Tuesday."
    )
    s2 = (
        "Officers also rescued 8 Venezuelan women held in a house in San Martín de Porres, "
        "the Interior Ministry said."
    )
    lima = place(
        body,
        "Lima",
        kind="city",
        country="PE",
        region="PE-LIM",
        region_name="Lima",
        city="Lima",
        lat=-12.04,
        lon=-77.03,
        geonameid=3936456,
    )
    smp = place(body, "San Martín de Porres", kind="locality", country="PE", region="PE-LIM")
    offset = len(clutter)
    events = (
        make_event(
            body,
            s1,
            "arrested",
            "arrest",
            offset=offset,
            date=DateValue(date(2024, 3, 5), "day", "on Tuesday", "weekday:last"),
            count=CountValue(12, "exact", "12"),
            country="PE",
            places=(lima,),
            organizations=(hijos, tda),
            agencies=("Peruvian police",),
        ),
        make_event(
            body,
            s2,
            "rescued",
            "rescue",
            offset=offset,
            date=DateValue(date(2024, 3, 5), "day", "on Tuesday", "weekday:last"),
            count=CountValue(8, "exact", "8"),
            country="PE",
            places=(smp,),
            organizations=(hijos, tda),
            agencies=("Peruvian police",),
            nationalities=("VE",),
            attribution=Attribution("Interior Ministry", "the Interior Ministry said"),
        ),
    )
    mentions = Mentions(
        places=(lima, smp),
        organizations=(
            found(OrgMatch, body, "Los Hijos de Dios", "Los Hijos de Dios", parent="Tren de Aragua", rule="kb"),
            found(OrgMatch, body, "Tren de Aragua", "Tren de Aragua", rule="kb"),
            found(OrgMatch, body, "Aragua Train", "Tren de Aragua", rule="kb"),
        ),
        nationalities=(found(NationalityMatch, body, "Venezuelan", "VE"),),
    )
    return make_result(
        "lima-raid",
        body,
        clutter=clutter,
        events=events,
        published=date(2024, 3, 7),
        title="Peru arrests 12 in raid on Tren de Aragua faction",
        organizations=(
            ArticleOrganization("Tren de Aragua", aliases=("Aragua Train",)),
            ArticleOrganization("Los Hijos de Dios", parent="Tren de Aragua"),
        ),
        mentions=mentions,
    )


def _cartagena_article() -> ArticleResult:
    body = (
        "La Policía Nacional incautó 2,5 toneladas de cocaína del Clan del Golfo en Cartagena el sábado. "
        "Los uniformados capturaron a tres hombres alias 'el Mono' y 'Pecas', "
        "presuntos integrantes de las AGC."
    )
    s1 = "La Policía Nacional incautó 2,5 toneladas de cocaína del Clan del Golfo en Cartagena el sábado."
    s2 = (
        "Los uniformados capturaron a tres hombres alias 'el Mono' y 'Pecas', "
        "presuntos integrantes de las AGC."
    )
    cartagena = place(body, "Cartagena", kind="city", country="CO", city="Cartagena", lat=10.39, lon=-75.51)
    clan = EventOrg("Clan del Golfo")
    events = (
        make_event(
            body,
            s1,
            "incautó",
            "seizure",
            date=DateValue(date(2024, 6, 1), "day", "el sábado", "weekday:last"),
            count=CountValue(None, "exact", ""),
            country="CO",
            places=(cartagena,),
            organizations=(clan,),
            agencies=("Policía Nacional",),
            items=(Quantity("cocaine", 2.5, "t", "2,5 toneladas de cocaína"),),
        ),
        make_event(
            body,
            s2,
            "capturaron",
            "arrest",
            count=CountValue(3, "exact", "tres"),
            country="CO",
            places=(cartagena,),
            organizations=(clan,),
            agencies=("Policía Nacional",),
        ),
    )
    mentions = Mentions(
        places=(cartagena,),
        organizations=(
            found(OrgMatch, body, "Clan del Golfo", "Clan del Golfo", rule="kb"),
            found(OrgMatch, body, "AGC", "Clan del Golfo", rule="kb"),
        ),
        persons=(found(PersonMatch, body, "el Mono", "el Mono", alias="el Mono", role="arrested"),),
    )
    return make_result(
        "cartagena-cocaina",
        body,
        events=events,
        published=date(2024, 6, 3),
        lang="es",
        title="Incautan 2,5 toneladas de cocaína en Cartagena",
        organizations=(ArticleOrganization("Clan del Golfo", aliases=("AGC",)),),
        mentions=mentions,
    )


def _guayaquil_article() -> ArticleResult:
    body = (
        "Gunmen killed four people at a market in Guayaquil on Sunday, police said, blaming Los Choneros. "
        "In 2019 the same gang attacked a prison convoy near Guayaquil."
    )
    s1 = "Gunmen killed four people at a market in Guayaquil on Sunday, police said, blaming Los Choneros."
    s2 = "In 2019 the same gang attacked a prison convoy near Guayaquil."
    gye = place(body, "Guayaquil", kind="city", country="EC", city="Guayaquil")
    choneros = EventOrg("Los Choneros")
    events = (
        make_event(
            body,
            s1,
            "killed",
            "killing",
            date=DateValue(date(2023, 11, 12), "day", "on Sunday", "weekday:last"),
            count=CountValue(4, "exact", "four"),
            country="EC",
            places=(gye,),
            organizations=(choneros,),
            attribution=Attribution("police", "police said"),
            hedged=True,
        ),
        make_event(
            body,
            s2,
            "attacked",
            "attack",
            date=DateValue(date(2019, 1, 1), "year", "In 2019", "year"),
            country="EC",
            places=(gye,),
            organizations=(choneros,),
            background=True,
        ),
    )
    return make_result(
        "guayaquil-market",
        body,
        events=events,
        published=date(2023, 11, 13),
        title="Four killed in Guayaquil market shooting",
        organizations=(ArticleOrganization("Los Choneros"),),
        mentions=Mentions(
            places=(gye,),
            organizations=(found(OrgMatch, body, "Los Choneros", "Los Choneros", rule="kb"),),
        ),
    )


def _empty_article() -> ArticleResult:
    body = "Le conseil municipal a voté le budget de la bibliothèque."
    return make_result(
        "conseil-budget",
        body,
        published=date(2024, 1, 9),
        lang="fr",
        status="unsupported_language",
        title="Budget de la bibliothèque",
    )


def sample_results() -> tuple[ArticleResult, ...]:
    """Four hand-made results (6 events, 1 background; 4 organizations; en, es, fr)."""
    return (_lima_article(), _cartagena_article(), _guayaquil_article(), _empty_article())
