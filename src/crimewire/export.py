"""The database as analysts' formats: ACLED-style CSV, GeoJSON, GraphML, Parquet and JSON lines.

Everything here reads a ``Database`` (through ``crimewire.storage``) and returns or writes
data; the CLI (`crimewire export`) and the web app (map, network, JSON API) are thin layers
over it.

Unit of a row
    An ``IncidentRecord`` read by ``crimewire.storage.records_view``: an *incident*, or an *event*
    standing for a one-source incident when the database holds no cross-article incidents.

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
    with coordinates, 2 a place near a town or a facility (the town's coordinates), 3 a region
    or a country (centroid). ``iso`` is the numeric ISO 3166-1
    code, ``fatalities`` the count of killings (0 otherwise), ``timestamp`` the Unix time of the
    last report's publication day. ``source`` lists the outlets, ``notes`` the evidence
    sentence(s). admin2 and source_scale stay empty: crimewire does not know them.

Victims' names stay out of every export unless ``include_victims=True``: a person an article
names as a victim is replaced by ``[victim]`` in the evidence text.

Article text is untrusted: a CSV text cell that would start a spreadsheet formula (= + - @)
gets a leading apostrophe, and GraphML leaves out the few characters XML cannot hold.
"""

from __future__ import annotations

import csv
import functools
import itertools
import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from importlib import resources
from pathlib import Path
from typing import Any

import networkx as nx
import pycountry

from crimewire.errors import CrimewireError
from crimewire.storage.db import Database
from crimewire.storage.overview import organization_parents
from crimewire.storage.records_view import RECORD_COLUMNS, IncidentQuery, IncidentRecord, read_incidents, redact_victims

# An export or a map reads at most this many incidents unless told otherwise; the web app's
# map and network ask for fewer (see their ``limit`` parameters).
DEFAULT_LIMIT = 100_000

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
# A spreadsheet reads a cell starting with one of these as a formula (=HYPERLINK(...) can send
# data away): article text is untrusted, so such a text cell gets a leading apostrophe, which
# spreadsheets show as text (OWASP's advice on CSV injection). Numbers (a negative longitude) stay numbers.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

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



def _country(alpha2: str | None) -> Any:
    return pycountry.countries.get(alpha_2=alpha2) if alpha2 else None


def country_name(alpha2: str | None) -> str:
    """The common name of a country code ("" when unknown)."""
    country = _country(alpha2)
    if country is None:
        return alpha2 or ""
    return str(getattr(country, "common_name", None) or country.name)


def _point(record: IncidentRecord) -> tuple[float, float] | None:
    """(lat, lon) of a record located at a point; ``None`` for an area or no location."""
    if record.location_kind == "point" and record.lat is not None and record.lon is not None:
        return record.lat, record.lon
    return None


def _area(record: IncidentRecord) -> dict[str, Any] | None:
    """The boundary polygon of a record's region (when region-level), else of its country."""
    return area_geometry(record.country, record.region if record.location_kind == "region" else None)


def coordinates(record: IncidentRecord) -> tuple[float | None, float | None, int | None]:
    """(lat, lon, ACLED geo_precision) of a record: its point, else its area's centroid."""
    at = _point(record)
    if at is not None:
        return at[0], at[1], record.geo_precision or 1
    geometry = _area(record)
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


def csv_cell(value: Any) -> Any:
    """``value`` safe for a spreadsheet: a text that would start a formula gets a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


# --------------------------------------------------------------------------- GeoJSON


def feature(record: IncidentRecord, *, areas: bool = True) -> dict[str, Any]:
    """A GeoJSON Feature: a Point (lon, lat) for a point, the region/country polygon for an area.

    With ``areas=False`` an area's geometry is ``null`` (the web map draws the shipped
    boundaries itself) and a record without location has ``null`` geometry either way.
    """
    geometry: dict[str, Any] | None = None
    at = _point(record)
    if at is not None:
        geometry = {"type": "Point", "coordinates": [at[1], at[0]]}
    elif areas and record.location_kind in ("region", "country"):
        geometry = _area(record)
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
    for name, parent in organization_parents(db).items():
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


# Characters XML 1.0 cannot hold at all (control characters but tab and line breaks, lone
# surrogates, U+FFFE/U+FFFF): article text may carry them into a name, and lxml refuses the whole file.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_safe_graph(graph: nx.DiGraph) -> nx.DiGraph:
    """``graph`` with the characters XML cannot hold removed from node ids and text attributes."""

    def clean(value: Any) -> Any:
        return _NOT_XML.sub("", value) if isinstance(value, str) else value

    out = nx.DiGraph()
    out.add_nodes_from((clean(n), {k: clean(v) for k, v in d.items()}) for n, d in graph.nodes(data=True))
    out.add_edges_from((clean(a), clean(b), {k: clean(v) for k, v in d.items()}) for a, b, d in graph.edges(data=True))
    return out


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
            # one type per column: an incident's id is text ("inc-..."), a lone event's an integer
            columns[key].append(str(row[key]) if key == "id" else row[key])
    schema = pa.schema(
        [
            ("id", pa.string()), ("kind", pa.string()), ("type", pa.string()), ("date", pa.string()),
            ("date_precision", pa.string()), ("country", pa.string()), ("count", pa.int64()),
            ("count_rule", pa.string()), ("places", pa.list_(pa.string())),
            ("organizations", pa.list_(pa.string())), ("agencies", pa.list_(pa.string())),
            ("n_sources", pa.int64()), ("first_reported", pa.string()), ("last_reported", pa.string()),
            ("location_kind", pa.string()), ("lat", pa.float64()), ("lon", pa.float64()),
            ("region", pa.string()), ("region_name", pa.string()), ("place", pa.string()),
            ("geo_precision", pa.int64()), ("items", pa.list_(pa.string())), ("sources", pa.string()),
            ("evidence", pa.string()),
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
                writer.writerows({k: csv_cell(v) for k, v in acled_row(r).items()} for r in records)
        elif fmt is ExportFormat.geojson:
            path.write_text(json.dumps(feature_collection(records), ensure_ascii=False), encoding="utf-8")
        elif fmt is ExportFormat.graphml:
            nx.write_graphml(xml_safe_graph(build_graph(db, records)), path)
        elif fmt is ExportFormat.parquet:
            write_parquet(records, path)
        else:
            with path.open("w", encoding="utf-8") as fh:
                for r in records:
                    fh.write(json.dumps(r.to_dict(), ensure_ascii=False) + "\n")
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc
    return len(records)
