"""Incidents and events read as one record type, ``IncidentRecord``, with a resolved location.

What the exporters (``crimewire.export``) and the web app read: ``read_incidents``,
``read_incident``, ``read_event``, ``count_incidents`` and ``uses_incidents``, over the filters of an
``IncidentQuery``; ``redact_victims`` keeps victims' names out of the evidence.

Unit of a row
    An *incident* (one happening, every report linked to it) when the database holds
    cross-article incidents (``crimewire.storage.incidents``); otherwise each stored *event*
    counts as a one-source incident. ``IncidentRecord.kind`` says which, and ids of the two
    kinds are separate (``/incidents/ID`` vs ``/events/ID`` in the web app).
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from types import ModuleType
from typing import Any

import pycountry

from crimewire.records import ArticleResult, Event, PlaceMatch
from crimewire.storage.articles import load_result
from crimewire.storage.db import Database
from crimewire.storage.query import CRITERIA, Criteria, JsonRecord
from crimewire.storage.read import EventFilter, EventRow, count_events, get_event, list_events
from crimewire.storage.victims import replace_names

_POINT_KINDS = frozenset({"city", "locality", "facility"})


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class IncidentQuery(Criteria):
    """Which incidents to read: the filters of the web table, the API and `crimewire export`.

    ``place`` matches a place or region name; ``text`` words of the evidence; ``order`` is
    ``-date`` (newest first), ``date``, ``count``, ``-count``, ``sources`` or ``-sources``.
    """

    type: str | None = None
    limit: int | None = 100
    offset: int = 0
    order: str = "-date"


@dataclass(frozen=True, slots=True)
class SourceRef:
    """One report of an incident: the article and the sentence it was read from."""

    article_id: str
    url: str | None
    outlet: str | None
    published: dt.date | None
    title: str | None
    evidence: str
    evidence_start: int | None  # offsets into the article's original text
    evidence_end: int | None
    attribution: str | None = None
    event_id: int | None = None


@dataclass(frozen=True, slots=True)
class IncidentRecord(JsonRecord):
    """One incident (or an event standing for one) with a resolved location."""

    id: int | str  # an incident's id is text, an event's an integer
    kind: str  # "incident" | "event"
    type: str
    date: dt.date | None
    date_precision: str | None
    country: str | None
    count: int | None
    count_rule: str | None
    places: tuple[str, ...]
    organizations: tuple[str, ...]
    agencies: tuple[str, ...]
    n_sources: int
    first_reported: dt.date | None
    last_reported: dt.date | None
    location_kind: str  # "point" | "region" | "country" | "none"
    lat: float | None
    lon: float | None
    region: str | None  # ISO 3166-2
    region_name: str | None
    place: str | None  # the place the location was taken from
    # ACLED geo_precision: 1 the town itself, 2 near a town or a facility (lat/lon the town's),
    # 3 a region or country (an area); None without a location.
    geo_precision: int | None = None
    items: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = field(default=())

    @property
    def evidence(self) -> str:
        """The first report's evidence sentence."""
        return self.sources[0].evidence if self.sources else ""


RECORD_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(IncidentRecord))


# --------------------------------------------------------------------------- reading


def incidents_module() -> ModuleType | None:
    """``crimewire.storage.incidents`` when this crimewire has cross-article incidents."""
    try:
        return importlib.import_module("crimewire.storage.incidents")
    except ModuleNotFoundError:
        return None


def uses_incidents(db: Database) -> bool:
    """Whether rows are incidents (True) or events standing for one-source incidents (False)."""
    module = incidents_module()
    if module is None:
        return False
    # A database filled before incidents were built still has its events to show.
    return bool(module.count_incidents(db, module.IncidentFilter(limit=None))) or not count_events(db)


# Sorting events "by sources" sorts them by report (publication) date: each has one source.
_EVENT_ORDERS = {"sources": "published", "-sources": "-published"}


def _criteria(query: IncidentQuery) -> dict[str, Any]:
    """The query's filters, an empty one (``""``) as no filter."""
    return {name: getattr(query, name) or None for name in CRITERIA}


def event_filter(query: IncidentQuery) -> EventFilter:
    """The ``EventFilter`` of a query (current events only: background ones are context)."""
    return EventFilter(
        **_criteria(query),
        background=False,
        limit=query.limit,
        offset=query.offset,
        order=_EVENT_ORDERS.get(query.order, query.order),
    )


def _incident_filter(module: ModuleType, query: IncidentQuery) -> Any:
    return module.IncidentFilter(**_criteria(query), limit=query.limit, offset=query.offset, order=query.order)


def count_incidents(db: Database, query: IncidentQuery) -> int:
    """How many incidents (or events) match ``query``."""
    module = incidents_module()
    if module is not None and uses_incidents(db):
        return int(module.count_incidents(db, _incident_filter(module, query)))
    return count_events(db, event_filter(query))


def read_incidents(db: Database, query: IncidentQuery) -> list[IncidentRecord]:
    """The incidents matching ``query``, each with its location and sources."""
    module = incidents_module()
    if module is not None and uses_incidents(db):
        return _with_sources(db, module, module.list_incidents(db, _incident_filter(module, query)))
    return read_events(db, query)


def read_events(db: Database, query: IncidentQuery) -> list[IncidentRecord]:
    """The stored events matching ``query``, each as a one-source incident (each article read once)."""
    rows = list_events(db, event_filter(query))
    results: dict[str, ArticleResult | None] = {}
    for article_id in dict.fromkeys(r.article_id for r in rows):
        results[article_id] = load_result(db, article_id)
    return [_from_event(row, results[row.article_id]) for row in rows]


def read_incident(db: Database, incident_id: int | str) -> IncidentRecord | None:
    """One incident by id with all its sources (``None`` if there is none).

    Without stored incidents, the id is an event's and the event stands for the incident.
    """
    module = incidents_module()
    if module is None or not uses_incidents(db):
        try:
            return read_event(db, int(incident_id))
        except ValueError:
            return None
    detail = module.get_incident(db, incident_id)
    return None if detail is None else incident_record(db, detail)


def incident_record(db: Database, detail: Any) -> IncidentRecord:
    """The ``IncidentRecord`` of an ``IncidentDetail`` already read (``incidents.get_incident``)."""
    return _from_incident(db, incidents_module(), detail.row, detail)  # type: ignore[arg-type]


def read_event(db: Database, event_id: int) -> IncidentRecord | None:
    """One stored event as a one-source incident (``None`` if there is none)."""
    detail = get_event(db, event_id)
    if detail is None:
        return None
    return _from_event(detail.row, load_result(db, detail.row.article_id))


def _event_record(row: EventRow, result: ArticleResult | None) -> Event | None:
    if result is None or row.seq >= len(result.events):
        return None
    return result.events[row.seq]


def locate(places: Sequence[PlaceMatch], country: str | None) -> tuple[str, PlaceMatch | None]:
    """The location kind of an event's places and the place it comes from (most precise first)."""
    for p in places:
        if p.kind in _POINT_KINDS and p.lat is not None and p.lon is not None:
            return "point", p
    for p in places:
        if p.region:
            return "region", p
    if country or any(p.country for p in places):
        return "country", next((p for p in places if p.kind == "country"), None)
    return "none", None


def _place_precision(kind: str, place: PlaceMatch | None) -> int | None:
    """ACLED geo_precision of a location: the place's own (1 when it predates precision) for a
    point, 3 for an area, None without a location."""
    if kind == "point":
        return (place.precision if place else None) or 1
    return 3 if kind in ("region", "country") else None


_SOURCE_FIELDS = tuple(f.name for f in fields(SourceRef))


def _source_ref(report: Any, **values: Any) -> SourceRef:
    """The ``SourceRef`` of a report (an ``EventRow`` or an ``IncidentSource``): each field from
    ``values``, else from the report's attribute of the same name."""
    return SourceRef(**{name: values[name] if name in values else getattr(report, name) for name in _SOURCE_FIELDS})


def _from_event(row: EventRow, result: ArticleResult | None) -> IncidentRecord:
    event = _event_record(row, result)
    places = event.places if event else ()
    kind, place = locate(places, row.country)
    country = row.country or (place.country if place else None)
    lat = lon = None
    if kind == "point" and place is not None:
        lat, lon = place.lat, place.lon
    article = result.article if result else None
    source = _source_ref(row, outlet=article.outlet if article else None, event_id=row.id)
    return IncidentRecord(
        id=row.id,
        kind="event",
        type=row.type,
        date=row.date,
        date_precision=row.precision,
        country=country,
        count=row.count,
        count_rule=row.qualifier,
        places=row.places,
        organizations=row.organizations,
        agencies=row.agencies,
        n_sources=1,
        first_reported=row.published,
        last_reported=row.published,
        location_kind=kind,
        lat=lat,
        lon=lon,
        region=place.region if place and kind != "country" else None,
        region_name=place.region_name if place and kind != "country" else None,
        place=place.name if place else None,
        geo_precision=_place_precision(kind, place),
        items=row.items,
        sources=(source,),
    )


def _from_incident(db: Database, module: ModuleType, row: Any, detail: Any = None) -> IncidentRecord:
    sources: tuple[SourceRef, ...] = ()
    if detail is not None:
        sources = tuple(_source_ref(s) for s in detail.sources)
    # location_kind is the kind of place lat/lon stand for (city, locality, region, country).
    if row.lat is not None and row.lon is not None and (row.location_kind or "city") in _POINT_KINDS:
        kind = "point"
    elif row.region:
        kind = "region"
    else:
        kind = "country" if row.country else "none"
    places = tuple(row.places)
    return IncidentRecord(
        id=row.id,
        kind="incident",
        type=row.type,
        date=row.date,
        date_precision=row.date_precision,
        country=row.country,
        count=row.count,
        count_rule=row.count_rule,
        places=places,
        organizations=tuple(row.organizations),
        agencies=_source_agencies(detail.sources if detail is not None else ()),
        n_sources=row.n_sources,
        first_reported=row.first_reported,
        last_reported=row.last_reported,
        location_kind=kind,
        lat=row.lat if kind == "point" else None,
        lon=row.lon if kind == "point" else None,
        region=row.region if kind != "country" else None,
        region_name=_region_name(row.region) if kind != "country" else None,
        place=places[0] if places else None,
        geo_precision=row.geo_precision if kind != "none" else None,
        sources=sources,
    )


def _source_agencies(sources: Sequence[Any]) -> tuple[str, ...]:
    """The agencies the reports of an incident name, first seen first."""
    return tuple(dict.fromkeys(a for s in sources for a in (s.values.get("agencies") or ())))


def _with_sources(db: Database, module: ModuleType, rows: Sequence[Any]) -> list[IncidentRecord]:
    found = module.incident_sources(db, [r.id for r in rows])
    return [_from_incident(db, module, r, _Sources(found.get(r.id, []))) for r in rows]


@dataclass(frozen=True, slots=True)
class _Sources:
    """The part of an ``IncidentDetail`` that ``_from_incident`` reads."""

    sources: list[Any]


# --------------------------------------------------------------------------- victims


def redact_victims(db: Database, records: Iterable[IncidentRecord]) -> list[IncidentRecord]:
    """``records`` with the names of victims replaced by ``[victim]`` in their evidence."""
    module = incidents_module()
    victims: dict[str, tuple[str, ...]] = {}
    out = []
    for record in records:
        sources = []
        for source in record.sources:
            if source.article_id not in victims and module is not None:
                names = module.victim_names(db, source.article_id)
                victims[source.article_id] = tuple(sorted(names, key=len, reverse=True))
            elif source.article_id not in victims:
                result = load_result(db, source.article_id)
                persons = result.mentions.persons if result else ()
                names = {p.text for p in persons if p.role == "victim"} | {
                    p.name for p in persons if p.role == "victim"
                }
                victims[source.article_id] = tuple(sorted((n for n in names if n), key=len, reverse=True))
            sources.append(replace(source, evidence=replace_names(source.evidence, victims[source.article_id])))
        out.append(replace(record, sources=tuple(sources)))
    return out


@functools.lru_cache(maxsize=4096)
def _region_name(code: str | None) -> str | None:
    # Memoized (a few thousand ISO regions at most): a map of 2,000 incidents asked pycountry
    # for the same few regions 2,000 times.
    if not code:
        return None
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else None
