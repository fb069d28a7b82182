"""The database as analysts' formats: ACLED-style CSV, GeoJSON, GraphML, Parquet and JSON lines.

Everything here reads a ``Database`` (through ``crimewire.storage``) and returns or writes
data; the CLI (`crimewire export`) and the web app (map, network, JSON API) are thin layers
over it.

Unit of a row
    An *incident* (one happening, every report linked to it) when the database holds
    cross-article incidents (``crimewire.storage.incidents``); otherwise each stored *event*
    counts as a one-source incident. ``IncidentRecord.kind`` says which, and ids of the two
    kinds are separate (``/incidents/ID`` vs ``/events/ID`` in the web app).

Location precision
    An incident sits where its most precise place is: a city or locality with coordinates is a
    ``point``; a place known only to its first-level region is a ``region`` (ISO 3166-2 code);
    otherwise a ``country``. Region and country areas come from the Natural Earth boundaries
    shipped with the web app (``web/static/geo/``): GeoJSON draws them as polygons, the CSV
    gives their centroid with ACLED ``geo_precision`` 3.

ACLED mapping (``acled-csv``; our own columns follow ACLED's, prefixed ``crimewire_``)
    ==============  ==========================  ===============================  ===========
    crimewire type  ACLED event_type            ACLED sub_event_type             actor1
    ==============  ==========================  ===============================  ===========
    arrest          Strategic developments      Arrests                          agency
    rescue          Strategic developments      Other                            agency
    raid            Strategic developments      Other                            agency
    seizure         Strategic developments      Disrupted weapons use if arms    agency
                                                or explosives were seized, else
                                                Other
    charge          Strategic developments      Other                            agency
    sentence        Strategic developments      Other                            agency
    extradition     Strategic developments      Other                            agency
    remains_found   Strategic developments      Other (ACLED: grave discovery)   agency
    escape          Strategic developments      Other                            group
    trafficking     Strategic developments      Other                            group
    extortion       Strategic developments      Other                            group
    killing         Violence against civilians  Attack                           group
    attack          Violence against civilians  Attack                           group
    kidnapping      Violence against civilians  Abduction/forced disappearance   group
    ==============  ==========================  ===============================  ===========

    actor1 is the state agency for state actions ("Police Forces of Peru" when none is
    named) and the criminal group otherwise ("Unidentified Armed Group (Peru)" when none is
    named); actor2 the other side (the group, or "Civilians (Peru)"); assoc_actor_1 further
    groups or agencies on actor1's side. ``time_precision``: 1 day, 2 week, 3 month or year
    (ACLED's codebook puts a month-only date at 3). ``geo_precision``: 1 a town or locality
    with coordinates, 3 a region or a country (centroid). ``iso`` is the numeric ISO 3166-1
    code, ``fatalities`` the count of killings (0 otherwise), ``timestamp`` the Unix time of the
    last report's publication day. ``source`` lists the outlets, ``notes`` the evidence
    sentence(s). admin2 and source_scale stay empty: crimewire does not know them.

Victims' names stay out of every export unless ``include_victims=True``: a person an article
names as a victim is replaced by ``[victim]`` in the evidence text.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import importlib
import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from types import ModuleType
from typing import Any

import networkx as nx
import pycountry

from crimewire.errors import CrimewireError
from crimewire.records import ArticleResult, Event, PlaceMatch
from crimewire.storage import (
    Database,
    EventFilter,
    EventRow,
    count_events,
    get_event,
    list_events,
    list_organizations,
    load_result,
)
from crimewire.storage.query import plain

# An export or a map reads at most this many incidents unless told otherwise; the web app's
# map and network ask for fewer (see their ``limit`` parameters).
DEFAULT_LIMIT = 100_000

_POINT_KINDS = frozenset({"city", "locality", "facility"})
_STATE_ACTIONS = frozenset(
    {"arrest", "rescue", "raid", "seizure", "charge", "sentence", "extradition", "remains_found"}
)
_ACLED_TYPES: dict[str, tuple[str, str]] = {
    "killing": ("Violence against civilians", "Attack"),
    "attack": ("Violence against civilians", "Attack"),
    "kidnapping": ("Violence against civilians", "Abduction/forced disappearance"),
    "arrest": ("Strategic developments", "Arrests"),
}
_WEAPON_ITEMS = ("firearm", "weapon", "rifle", "gun", "pistol", "ammunition", "explosive", "grenade")
_PRECISION_CODES = {"day": 1, "week": 2, "month": 3, "year": 3}

ACLED_COLUMNS: tuple[str, ...] = (
    "event_id_cnty", "event_date", "year", "time_precision", "event_type", "sub_event_type",
    "actor1", "assoc_actor_1", "actor2", "iso", "country", "admin1", "admin2", "location",
    "latitude", "longitude", "geo_precision", "source", "source_scale", "notes", "fatalities",
    "timestamp",
    "crimewire_id", "crimewire_kind", "crimewire_type", "crimewire_date_precision", "crimewire_count",
    "crimewire_count_rule", "crimewire_organizations", "crimewire_agencies", "crimewire_places",
    "crimewire_location_kind", "crimewire_region", "crimewire_n_sources", "crimewire_urls",
    "crimewire_article_ids",
)  # fmt: skip


class ExportFormat(StrEnum):
    """The formats `crimewire export` writes."""

    acled_csv = "acled-csv"
    geojson = "geojson"
    graphml = "graphml"
    parquet = "parquet"
    jsonl = "jsonl"


class ExportError(CrimewireError):
    """An export cannot be written (bad format, unwritable file)."""


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class IncidentQuery:
    """Which incidents to read: the filters of the web table, the API and `crimewire export`.

    ``place`` matches a place or region name; ``text`` words of the evidence; ``order`` is
    ``-date`` (newest first), ``date``, ``count``, ``-count``, ``sources`` or ``-sources``.
    """

    type: str | None = None
    country: str | None = None
    organization: str | None = None
    place: str | None = None
    since: date | str | None = None
    until: date | str | None = None
    text: str | None = None
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
class IncidentRecord:
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
    items: tuple[str, ...] = ()
    sources: tuple[SourceRef, ...] = field(default=())

    @property
    def evidence(self) -> str:
        """The first report's evidence sentence."""
        return self.sources[0].evidence if self.sources else ""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


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


def event_filter(query: IncidentQuery) -> EventFilter:
    """The ``EventFilter`` of a query (current events only: background ones are context)."""
    return EventFilter(
        type=query.type or None,
        country=query.country or None,
        organization=query.organization or None,
        place=query.place or None,
        since=query.since or None,
        until=query.until or None,
        text=query.text or None,
        background=False,
        limit=query.limit,
        offset=query.offset,
        order=_EVENT_ORDERS.get(query.order, query.order),
    )


def _incident_filter(module: ModuleType, query: IncidentQuery) -> Any:
    return module.IncidentFilter(
        type=query.type or None,
        country=query.country or None,
        organization=query.organization or None,
        place=query.place or None,
        since=query.since or None,
        until=query.until or None,
        text=query.text or None,
        limit=query.limit,
        offset=query.offset,
        order=query.order,
    )


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
    return None if detail is None else _from_incident(db, module, detail.row, detail)


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


def _from_event(row: EventRow, result: ArticleResult | None) -> IncidentRecord:
    event = _event_record(row, result)
    places = event.places if event else ()
    kind, place = locate(places, row.country)
    country = row.country or (place.country if place else None)
    lat = lon = None
    if kind == "point" and place is not None:
        lat, lon = place.lat, place.lon
    article = result.article if result else None
    source = SourceRef(
        article_id=row.article_id,
        url=row.url,
        outlet=article.outlet if article else None,
        published=row.published,
        title=row.title,
        evidence=row.evidence,
        evidence_start=row.evidence_start,
        evidence_end=row.evidence_end,
        attribution=row.attribution,
        event_id=row.id,
    )
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
        items=row.items,
        sources=(source,),
    )


def _from_incident(db: Database, module: ModuleType, row: Any, detail: Any = None) -> IncidentRecord:
    sources: tuple[SourceRef, ...] = ()
    if detail is not None:
        sources = tuple(
            SourceRef(
                article_id=s.article_id,
                url=s.url,
                outlet=s.outlet,
                published=s.published,
                title=s.title,
                evidence=s.evidence,
                evidence_start=s.evidence_start,
                evidence_end=s.evidence_end,
                attribution=s.attribution,
                event_id=s.event_id,
            )
            for s in detail.sources
        )
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
            evidence = source.evidence
            for name in victims[source.article_id]:
                evidence = evidence.replace(name, "[victim]")
            sources.append(replace(source, evidence=evidence))
        out.append(replace(record, sources=tuple(sources)))
    return out


# --------------------------------------------------------------------------- boundaries


@functools.cache
def _boundaries(name: str) -> dict[str, dict[str, Any]]:
    """Features of a shipped boundary file by code (``countries`` or ``admin1/XX``)."""
    path = resources.files("crimewire") / "web" / "static" / "geo"
    for part in f"{name}.json".split("/"):
        path = path / part
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, OSError, ValueError):
        return {}
    key = "iso" if name == "countries" else "code"
    return {f["properties"][key]: f for f in data["features"] if f["properties"].get(key)}


def area_geometry(country: str | None, region: str | None) -> dict[str, Any] | None:
    """The shipped boundary polygon of a region (ISO 3166-2) or else a country (alpha-2)."""
    if region:
        feature = _boundaries(f"admin1/{region.split('-')[0].upper()}").get(region.upper())
        if feature:
            return dict(feature["geometry"])
    if country:
        feature = _boundaries("countries").get(country.upper())
        if feature:
            return dict(feature["geometry"])
    return None


def centroid(geometry: dict[str, Any]) -> tuple[float, float] | None:
    """(lon, lat) centroid of the largest polygon of a (Multi)Polygon (shoelace formula)."""
    polygons = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    best: tuple[float, float, float] | None = None
    for polygon in polygons:
        ring = polygon[0]
        area = cx = cy = 0.0
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
        if area and (best is None or abs(area) > best[0]):
            best = (abs(area), cx / (3 * area), cy / (3 * area))
    return None if best is None else (round(best[1], 4), round(best[2], 4))


def _region_name(code: str | None) -> str | None:
    if not code:
        return None
    sub = pycountry.subdivisions.get(code=code)
    return sub.name if sub else None


def _country(alpha2: str | None) -> Any:
    return pycountry.countries.get(alpha_2=alpha2) if alpha2 else None


def country_name(alpha2: str | None) -> str:
    """The common name of a country code ("" when unknown)."""
    country = _country(alpha2)
    if country is None:
        return alpha2 or ""
    return str(getattr(country, "common_name", None) or country.name)


def coordinates(record: IncidentRecord) -> tuple[float | None, float | None, int | None]:
    """(lat, lon, ACLED geo_precision) of a record: its point, else its area's centroid."""
    if record.location_kind == "point" and record.lat is not None and record.lon is not None:
        return record.lat, record.lon, 1
    geometry = area_geometry(record.country, record.region if record.location_kind == "region" else None)
    point = centroid(geometry) if geometry else None
    if point is None:
        return None, None, None
    return point[1], point[0], 3


# --------------------------------------------------------------------------- ACLED CSV


def _acled_type(record: IncidentRecord) -> tuple[str, str]:
    if record.type == "seizure" and any(w in i.lower() for i in record.items for w in _WEAPON_ITEMS):
        return "Strategic developments", "Disrupted weapons use"
    return _ACLED_TYPES.get(record.type, ("Strategic developments", "Other"))


def _actors(record: IncidentRecord) -> tuple[str, str, str]:
    where = country_name(record.country) or "Unknown"
    groups = list(record.organizations)
    agencies = list(record.agencies)
    if record.type in _STATE_ACTIONS:
        actor1 = agencies[0] if agencies else f"Police Forces of {where}"
        return actor1, "; ".join(agencies[1:]), groups[0] if groups else ""
    actor1 = groups[0] if groups else f"Unidentified Armed Group ({where})"
    actor2 = f"Civilians ({where})" if record.type in ("killing", "kidnapping", "attack", "extortion") else ""
    return actor1, "; ".join(groups[1:]), actor2


def acled_row(record: IncidentRecord) -> dict[str, Any]:
    """One record as an ACLED-style CSV row (``ACLED_COLUMNS``)."""
    country = _country(record.country)
    event_type, sub_type = _acled_type(record)
    actor1, assoc, actor2 = _actors(record)
    lat, lon, geo_precision = coordinates(record)
    day = record.date or record.first_reported
    last = record.last_reported or record.first_reported
    timestamp = int(datetime(last.year, last.month, last.day, tzinfo=UTC).timestamp()) if last else ""
    outlets = dict.fromkeys(s.outlet or "" for s in record.sources if s.outlet)
    return {
        "event_id_cnty": f"{country.alpha_3 if country else 'XXX'}{record.id}",
        "event_date": day.isoformat() if day else "",
        "year": day.year if day else "",
        "time_precision": _PRECISION_CODES.get(record.date_precision or "", 2 if record.date else 3),
        "event_type": event_type,
        "sub_event_type": sub_type,
        "actor1": actor1,
        "assoc_actor_1": assoc,
        "actor2": actor2,
        "iso": int(country.numeric) if country else "",
        "country": country_name(record.country),
        "admin1": record.region_name or "",
        "admin2": "",
        "location": record.place or (record.places[0] if record.places else ""),
        "latitude": "" if lat is None else lat,
        "longitude": "" if lon is None else lon,
        "geo_precision": geo_precision or "",
        "source": "; ".join(outlets),
        "source_scale": "",
        "notes": " | ".join(dict.fromkeys(s.evidence for s in record.sources)),
        "fatalities": record.count or 0 if record.type == "killing" else 0,
        "timestamp": timestamp,
        "crimewire_id": record.id,
        "crimewire_kind": record.kind,
        "crimewire_type": record.type,
        "crimewire_date_precision": record.date_precision or "",
        "crimewire_count": "" if record.count is None else record.count,
        "crimewire_count_rule": record.count_rule or "",
        "crimewire_organizations": "; ".join(record.organizations),
        "crimewire_agencies": "; ".join(record.agencies),
        "crimewire_places": "; ".join(record.places),
        "crimewire_location_kind": record.location_kind,
        "crimewire_region": record.region or "",
        "crimewire_n_sources": record.n_sources,
        "crimewire_urls": " ".join(s.url for s in record.sources if s.url),
        "crimewire_article_ids": " ".join(dict.fromkeys(s.article_id for s in record.sources)),
    }


# --------------------------------------------------------------------------- GeoJSON


def feature(record: IncidentRecord, *, areas: bool = True) -> dict[str, Any]:
    """A GeoJSON Feature: a Point (lon, lat) for a point, the region/country polygon for an area.

    With ``areas=False`` an area's geometry is ``null`` (the web map draws the shipped
    boundaries itself) and a record without location has ``null`` geometry either way.
    """
    geometry: dict[str, Any] | None = None
    if record.location_kind == "point" and record.lat is not None and record.lon is not None:
        geometry = {"type": "Point", "coordinates": [record.lon, record.lat]}
    elif areas and record.location_kind in ("region", "country"):
        geometry = area_geometry(record.country, record.region if record.location_kind == "region" else None)
    properties = {
        "id": record.id,
        "kind": record.kind,
        "type": record.type,
        "date": record.date.isoformat() if record.date else None,
        "date_precision": record.date_precision,
        "country": record.country,
        "region": record.region,
        "region_name": record.region_name,
        "place": record.place,
        "location_kind": record.location_kind,
        "count": record.count,
        "count_rule": record.count_rule,
        "places": "; ".join(record.places),
        "organizations": "; ".join(record.organizations),
        "n_sources": record.n_sources,
        "evidence": record.evidence,
        "url": record.sources[0].url if record.sources else None,
    }
    return {"type": "Feature", "id": f"{record.kind}-{record.id}", "geometry": geometry, "properties": properties}


def feature_collection(records: Iterable[IncidentRecord], *, areas: bool = True) -> dict[str, Any]:
    """An RFC 7946 FeatureCollection of ``records`` (WGS 84, lon/lat order)."""
    return {"type": "FeatureCollection", "features": [feature(r, areas=areas) for r in records]}


# --------------------------------------------------------------------------- graph


def _place_label(record: IncidentRecord, name: str) -> str:
    return f"{name} ({record.country})" if record.country else name


def build_graph(db: Database, records: Iterable[IncidentRecord]) -> nx.DiGraph:
    """Organizations, places and agencies as a weighted graph (Gephi-ready attributes).

    Edges: ``faction_of`` (faction → parent), ``active_in`` (group → place of its incidents,
    weight = incidents), ``targeted_by`` (group → agency acting on its incidents, weight =
    incidents). Node ``weight`` = incidents the node takes part in.
    """
    graph = nx.DiGraph()
    node_weight: Counter[str] = Counter()
    edge_weight: Counter[tuple[str, str, str]] = Counter()
    labels: dict[str, tuple[str, str]] = {}
    for record in records:
        orgs = [f"org:{o}" for o in record.organizations]
        places = [f"place:{_place_label(record, p)}" for p in dict.fromkeys(p.strip() for p in record.places) if p]
        agencies = [f"agency:{a}" for a in record.agencies]
        labels.update({o: (o[4:], "organization") for o in orgs})
        labels.update({p: (p[6:], "place") for p in places})
        labels.update({a: (a[7:], "agency") for a in agencies})
        node_weight.update(orgs + places + agencies)
        for org in orgs:
            edge_weight.update((org, p, "active_in") for p in places)
            edge_weight.update((org, a, "targeted_by") for a in agencies)
    parents = {o.name: o.parent for o in list_organizations(db) if o.parent}
    for name, parent in parents.items():
        child, mother = f"org:{name}", f"org:{parent}"
        if child in labels or mother in labels:
            labels.setdefault(child, (name, "organization"))
            labels.setdefault(mother, (parent, "organization"))
            edge_weight[(child, mother, "faction_of")] += 1
    for node, (label, kind) in labels.items():
        graph.add_node(node, label=label, kind=kind, weight=node_weight[node])
    for (a, b, kind), weight in edge_weight.items():
        graph.add_edge(a, b, kind=kind, weight=weight)
    return graph


def graph_json(graph: nx.DiGraph, *, max_nodes: int | None = None) -> dict[str, Any]:
    """``{"nodes": [...], "links": [...]}`` of ``graph``, its ``max_nodes`` heaviest nodes."""
    nodes = sorted(graph.nodes(data=True), key=lambda n: (-n[1]["weight"], n[0]))
    if max_nodes is not None:
        nodes = nodes[:max_nodes]
    keep = {n for n, _ in nodes}
    return {
        "nodes": [{"id": n, "label": d["label"], "kind": d["kind"], "weight": d["weight"]} for n, d in nodes],
        "links": [
            {"source": a, "target": b, "kind": d["kind"], "weight": d["weight"]}
            for a, b, d in graph.edges(data=True)
            if a in keep and b in keep
        ],
    }


# --------------------------------------------------------------------------- writers


def _flat(record: IncidentRecord) -> dict[str, Any]:
    d = record.to_dict()
    d["sources"] = json.dumps(d["sources"], ensure_ascii=False)
    d["evidence"] = record.evidence
    return d


def write_parquet(records: Sequence[IncidentRecord], path: Path) -> None:
    """Write ``records`` as a Parquet table (lists as list<string>, sources as JSON text)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = [_flat(r) for r in records]
    columns: dict[str, list[Any]] = defaultdict(list)
    for row in rows:
        for key in [*RECORD_COLUMNS, "evidence"]:
            columns[key].append(row[key])
    schema = pa.schema(
        [
            ("id", pa.int64()), ("kind", pa.string()), ("type", pa.string()), ("date", pa.string()),
            ("date_precision", pa.string()), ("country", pa.string()), ("count", pa.int64()),
            ("count_rule", pa.string()), ("places", pa.list_(pa.string())),
            ("organizations", pa.list_(pa.string())), ("agencies", pa.list_(pa.string())),
            ("n_sources", pa.int64()), ("first_reported", pa.string()), ("last_reported", pa.string()),
            ("location_kind", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
            ("region", pa.string()), ("region_name", pa.string()), ("place", pa.string()),
            ("items", pa.list_(pa.string())), ("sources", pa.string()), ("evidence", pa.string()),
        ]
    )  # fmt: skip
    table = pa.table({name: columns.get(name, []) for name in schema.names}, schema=schema)
    pq.write_table(table, path)


def export(
    db: Database,
    fmt: ExportFormat | str,
    path: Path,
    query: IncidentQuery | None = None,
    *,
    include_victims: bool = False,
) -> int:
    """Write the incidents matching ``query`` to ``path`` in ``fmt``; return how many were written."""
    try:
        fmt = ExportFormat(fmt)
    except ValueError as exc:
        known = ", ".join(f.value for f in ExportFormat)
        raise ExportError(f"unknown export format {fmt!r}; use one of: {known}") from exc
    query = query or IncidentQuery(limit=DEFAULT_LIMIT)
    records = read_incidents(db, query)
    if not include_victims:
        records = redact_victims(db, records)
    try:
        if fmt is ExportFormat.acled_csv:
            with path.open("w", encoding="utf-8", newline="") as fh:
                writer = csv.DictWriter(fh, fieldnames=ACLED_COLUMNS)
                writer.writeheader()
                writer.writerows(acled_row(r) for r in records)
        elif fmt is ExportFormat.geojson:
            path.write_text(json.dumps(feature_collection(records), ensure_ascii=False), encoding="utf-8")
        elif fmt is ExportFormat.graphml:
            nx.write_graphml(build_graph(db, records), path)
        elif fmt is ExportFormat.parquet:
            write_parquet(records, path)
        else:
            with path.open("w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return len(records)
