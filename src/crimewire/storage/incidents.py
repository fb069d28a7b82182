"""Incidents and resolved entities in SQLite: every SQL statement of cross-article resolution.

Two sides:

* **read API** (for the CLI and the web workbench): ``list_incidents``, ``count_incidents``,
  ``get_incident``, ``incident_sources``, ``incident_stats``, ``organization_profile``,
  ``list_persons``, ``list_agencies``, ``victim_names``, ``redact_victims`` — frozen
  dataclasses with ``to_dict()``;
* **write session** (for ``crimewire.resolve``): ``incident_session(db)`` opens one write
  transaction and yields an ``IncidentSession`` whose methods read reports, retrieve
  candidates, record scored pairs and replace incidents. The matching itself lives in
  ``crimewire.resolve``; nothing here decides what matches.

Reports are keyed by ``(article_id, seq)`` (see migration 2 in ``storage.migrations``).
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from crimewire.errors import StorageError
from crimewire.records import EVENT_TYPES, Event, PersonMatch, PlaceMatch
from crimewire.storage.db import Database, QueryError
from crimewire.storage.query import fts_query, iso_date, paginate, parse_date_bound, plain
from crimewire.storage.read import organization_ids
from crimewire.storage.serialize import dumps, loads_record, to_jsonable

Key = tuple[str, int]

# Rows per `IN (...)` list; well under SQLite's limit of bound variables.
_CHUNK = 400


@functools.lru_cache(maxsize=8192)
def _event(data: str) -> Event:
    """The Event stored as JSON ``data``: a pure function of the text, memoized because
    resolution reads the same candidate reports again and again (JSON → record is slow)."""
    return loads_record(Event, data)


def key_text(key: Key) -> str:
    """``"article_id#seq"``: how a report key is written in explanations."""
    return f"{key[0]}#{key[1]}"


# =========================================================================== read API


@dataclass(frozen=True, slots=True)
class IncidentFilter:
    """Which incidents to list. Every field left ``None`` does not filter.

    ``organization`` matches a canonical name or alias (and the group's factions);
    ``place`` a place name of the incident (canonical or as written in a report);
    ``since``/``until`` (date or ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``) compare with the
    incident's date, else its first report's publication date; ``text`` is a full-text
    query over the reports' evidence sentences. ``order``: ``-date`` (default), ``date``,
    ``-sources``, ``sources``, ``-count``, ``count``, ``id``.
    """

    type: str | Sequence[str] | None = None
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
class IncidentRow:
    """One incident as a list shows it: the chosen values and how many reports it has."""

    id: str
    type: str
    date: dt.date | None
    date_precision: str | None
    country: str | None
    count: int | None
    count_rule: str | None
    places: list[str]
    organizations: list[str]
    n_sources: int
    first_reported: dt.date | None
    last_reported: dt.date | None
    lat: float | None
    lon: float | None
    region: str | None
    location_kind: str | None  # kind of the place lat/lon stand for: city, locality, region ...

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


INCIDENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(IncidentRow))


@dataclass(frozen=True, slots=True)
class IncidentSource:
    """One report of an incident: the article, where it says it, and the values it states.

    ``values``: count, count_qualifier, count_text, date, date_precision, date_text, country,
    places (as written), organizations, nationalities, agencies, items — ``None`` or ``[]``
    when the report does not state it.
    """

    article_id: str
    url: str | None
    outlet: str | None
    published: dt.date | None
    lang: str | None
    title: str | None
    evidence: str
    evidence_start: int | None
    evidence_end: int | None
    attribution: str | None
    values: dict[str, Any]
    seq: int = 0  # the event's position in its article: (article_id, seq) is the report's key
    event_id: int | None = None
    why: str = ""  # why this report joined the incident

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


@dataclass(frozen=True, slots=True)
class IncidentDetail:
    """One incident with every report, the values they disagree on and the chosen ones.

    ``conflicts``: ``[(argument, [(value, [article ids]), ...]), ...]`` for each argument the
    reports give different values of; ``chosen``: ``{argument: (value, rule)}``; ``why``:
    one line per report saying why it joined, then the near misses kept apart.
    """

    row: IncidentRow
    sources: list[IncidentSource]
    conflicts: list[tuple[str, list[tuple[Any, list[str]]]]]
    chosen: dict[str, tuple[Any, str]]
    why: list[str]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the row's fields, then sources, conflicts, chosen, why."""
        return {
            **self.row.to_dict(),
            "sources": [s.to_dict() for s in self.sources],
            "conflicts": to_jsonable(self.conflicts),
            "chosen": {k: {"value": to_jsonable(v), "rule": r} for k, (v, r) in self.chosen.items()},
            "why": list(self.why),
        }


@dataclass(frozen=True, slots=True)
class IncidentStats:
    """Incident counts for the workbench: by type, country and month (``YYYY-MM``)."""

    incidents: int
    reports: int
    multi_source: int  # incidents reported by more than one article
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_month: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


@dataclass(frozen=True, slots=True)
class FactionNode:
    """A group in a factions tree, with its own factions."""

    name: str
    factions: tuple[FactionNode, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


@dataclass(frozen=True, slots=True)
class OrganizationProfile:
    """A criminal group across all reports: names, factions, and its incidents over time.

    Incident counts cover the group and its factions. Years are the incidents' (their date,
    else their first report's); ``"unknown"`` when there is none.
    """

    name: str
    parent: str | None
    known: bool
    aliases: tuple[str, ...]
    factions: tuple[FactionNode, ...]
    incidents: int
    reports: int
    articles: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_year: dict[str, int]
    by_type_year: dict[str, dict[str, int]]
    by_country_year: dict[str, dict[str, int]]
    places: tuple[tuple[str, int], ...]  # most frequent incident places
    first_seen: dt.date | None
    last_seen: dt.date | None
    persons: tuple[str, ...]  # people named with it (victims left out)
    recent: tuple[IncidentRow, ...]

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


@dataclass(frozen=True, slots=True)
class PersonEntity:
    """A person as named in the reports, resolved across articles by name and alias."""

    id: str
    name: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    victim: bool
    articles: tuple[str, ...]
    incidents: tuple[str, ...]
    organizations: tuple[str, ...]
    places: tuple[str, ...] = ()  # places of their incidents
    first_seen: dt.date | None = None  # earliest and latest day of their incidents
    last_seen: dt.date | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


@dataclass(frozen=True, slots=True)
class AgencyEntity:
    """A police force, prosecutor, military or government body, resolved across articles."""

    id: str
    name: str
    kind: str | None
    country: str | None
    names: tuple[str, ...]
    articles: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return plain(self)


_INCIDENT_SELECT = """
    SELECT i.id, i.type, i.date, i.date_precision, i.country, i.count, i.count_rule, i.places,
           i.organizations, i.n_sources, i.first_reported, i.last_reported, i.lat, i.lon,
           i.region, i.location_kind
    FROM incidents i
"""

_ORDERS: dict[str, str] = {
    "-date": "i.day IS NULL, i.day DESC, i.id",
    "date": "i.day IS NULL, i.day, i.id",
    "-sources": "i.n_sources DESC, i.day DESC, i.id",
    "sources": "i.n_sources, i.day, i.id",
    "-count": "i.count IS NULL, i.count DESC, i.id",
    "count": "i.count IS NULL, i.count, i.id",
    "id": "i.id",
}


def _types(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    raw = value.split(",") if isinstance(value, str) else list(value)
    types = [t.strip().lower() for t in raw if t and t.strip()]
    for t in types:
        if t not in EVENT_TYPES:
            raise QueryError(f"unknown event type {t!r}; known types: {', '.join(EVENT_TYPES)}")
    return types


def entity_organization_ids(db: Database, name_or_alias: str) -> list[int]:
    """Organization ids standing for ``name_or_alias``: its rows, factions and resolved equals."""
    ids = set(organization_ids(db, name_or_alias, factions=True))
    if not ids:
        return []
    marks = ", ".join("?" * len(ids))
    rows = db.conn.execute(
        f"""
        SELECT organization_id FROM organization_entities WHERE entity_id IN (
            SELECT entity_id FROM organization_entities WHERE organization_id IN ({marks}))
        """,
        sorted(ids),
    )
    ids.update(r[0] for r in rows)
    return sorted(ids)


def _where(db: Database, flt: IncidentFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    types = _types(flt.type)
    if types:
        clauses.append(f"i.type IN ({', '.join('?' * len(types))})")
        params.extend(types)
    if flt.country:
        clauses.append("i.country = ?")
        params.append(flt.country.strip().upper())
    if flt.organization:
        ids = entity_organization_ids(db, flt.organization)
        if not ids:
            return "0", []
        clauses.append(
            "i.id IN (SELECT incident_id FROM incident_organizations WHERE organization_id IN "
            f"({', '.join('?' * len(ids))}))"
        )
        params.extend(ids)
    if flt.place:
        # Canonical names of the chosen places, or any place a report of it wrote.
        clauses.append(
            """(i.id IN (SELECT incident_id FROM incident_places WHERE name = ? COLLATE NOCASE
                    OR city = ? COLLATE NOCASE OR region_name = ? COLLATE NOCASE)
                OR i.id IN (SELECT m.incident_id FROM incident_members m
                    JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
                    JOIN event_places p ON p.event_id = e.id
                    WHERE p.text = ? COLLATE NOCASE OR p.name = ? COLLATE NOCASE))"""
        )
        params.extend([flt.place.strip()] * 5)
    since = parse_date_bound(flt.since)
    if since:
        clauses.append("i.day >= ?")
        params.append(since)
    until = parse_date_bound(flt.until, end=True)
    if until:
        clauses.append("i.day <= ?")
        params.append(until)
    if flt.text is not None:
        query = fts_query(flt.text)
        if query is None:
            return "0", []
        clauses.append(
            """i.id IN (SELECT m.incident_id FROM incident_members m
                JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
                WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))"""
        )
        params.append(query)
    return (" AND ".join(clauses) or "1"), params


def _row(r: sqlite3.Row) -> IncidentRow:
    return IncidentRow(
        id=r["id"],
        type=r["type"],
        date=iso_date(r["date"]),
        date_precision=r["date_precision"],
        country=r["country"],
        count=r["count"],
        count_rule=r["count_rule"],
        places=list(json.loads(r["places"])),
        organizations=list(json.loads(r["organizations"])),
        n_sources=r["n_sources"],
        first_reported=iso_date(r["first_reported"]),
        last_reported=iso_date(r["last_reported"]),
        lat=r["lat"],
        lon=r["lon"],
        region=r["region"],
        location_kind=r["location_kind"],
    )


def list_incidents(db: Database, flt: IncidentFilter | None = None) -> list[IncidentRow]:
    """Incidents matching ``flt`` (all, newest first, 100 at most, when ``None``)."""
    flt = flt or IncidentFilter()
    if flt.order not in _ORDERS:
        raise QueryError(f"unknown order {flt.order!r}; use one of: {', '.join(_ORDERS)}")
    where, params = _where(db, flt)
    sql, params = paginate(
        f"{_INCIDENT_SELECT} WHERE {where} ORDER BY {_ORDERS[flt.order]}", params, flt.limit, flt.offset
    )
    return [_row(r) for r in db.conn.execute(sql, params)]


def count_incidents(db: Database, flt: IncidentFilter | None = None) -> int:
    """How many incidents match ``flt`` (``limit``/``offset``/``order`` are ignored)."""
    where, params = _where(db, flt or IncidentFilter())
    return int(db.conn.execute(f"SELECT count(*) FROM incidents i WHERE {where}", params).fetchone()[0])


def _source_values(event: Event) -> dict[str, Any]:
    d, c = event.date, event.count
    return {
        "count": c.value if c else None,
        "count_qualifier": c.qualifier if c and c.value is not None else None,
        "count_text": c.text if c else None,
        "date": d.value.isoformat() if d and d.value else None,
        "date_precision": d.precision if d and d.value else None,
        "date_text": d.text if d else None,
        "country": event.country,
        "places": [p.text or p.name for p in event.places],
        "organizations": [o.name for o in event.organizations],
        "nationalities": list(event.nationalities),
        "agencies": list(event.agencies),
        "items": [q.text or q.item for q in event.items],
    }


def incident_sources(db: Database, ids: Sequence[str]) -> dict[str, list[IncidentSource]]:
    """The reports of each incident in ``ids``, earliest publication first."""
    found: dict[str, list[IncidentSource]] = defaultdict(list)
    for i in range(0, len(ids), _CHUNK):
        chunk = list(ids[i : i + _CHUNK])
        rows = db.conn.execute(
            f"""
            SELECT m.incident_id, m.why, e.id AS event_id, e.article_id, e.seq, e.evidence,
                   e.evidence_start, e.evidence_end, e.attribution_source, e.data,
                   a.url, a.outlet, a.published, a.lang, a.title
            FROM incident_members m
            JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
            JOIN articles a ON a.id = e.article_id
            WHERE m.incident_id IN ({", ".join("?" * len(chunk))})
            ORDER BY m.incident_id, a.published IS NULL, a.published, e.article_id, e.seq
            """,
            chunk,
        )
        for r in rows:
            event = loads_record(Event, r["data"])
            found[r["incident_id"]].append(
                IncidentSource(
                    article_id=r["article_id"],
                    url=r["url"],
                    outlet=r["outlet"],
                    published=iso_date(r["published"]),
                    lang=r["lang"],
                    title=r["title"],
                    evidence=r["evidence"],
                    evidence_start=r["evidence_start"],
                    evidence_end=r["evidence_end"],
                    attribution=r["attribution_source"],
                    values=_source_values(event),
                    seq=r["seq"],
                    event_id=r["event_id"],
                    why=r["why"] or "",
                )
            )
    return dict(found)


def _conflicts(raw: str) -> list[tuple[str, list[tuple[Any, list[str]]]]]:
    return [(arg, [(value, list(arts)) for value, arts in values]) for arg, values in json.loads(raw)]


def get_incident(db: Database, incident_id: str) -> IncidentDetail | None:
    """One incident with its reports, conflicts, chosen values and reasons; ``None`` if unknown."""
    r = db.conn.execute(
        f"{_INCIDENT_SELECT.replace('FROM', ', i.chosen, i.conflicts FROM', 1)} WHERE i.id = ?",
        (incident_id,),
    ).fetchone()
    if r is None:
        return None
    sources = incident_sources(db, [incident_id]).get(incident_id, [])
    chosen = {k: (v[0], v[1]) for k, v in json.loads(r["chosen"]).items()}
    why = [s.why for s in sources if s.why]
    why.extend(_near_misses(db, incident_id))
    return IncidentDetail(_row(r), sources, _conflicts(r["conflicts"]), chosen, why)


def _near_misses(db: Database, incident_id: str, limit: int = 5) -> list[str]:
    """Lines for the best-scored pairs that tie this incident's reports to other incidents."""
    rows = db.conn.execute(
        """
        SELECT l.a_article, l.a_seq, l.b_article, l.b_seq, l.score, l.conflict, l.linked,
               ma.incident_id AS ia, mb.incident_id AS ib
        FROM incident_links l
        JOIN incident_members ma ON ma.article_id = l.a_article AND ma.seq = l.a_seq
        JOIN incident_members mb ON mb.article_id = l.b_article AND mb.seq = l.b_seq
        WHERE (ma.incident_id = ?1 OR mb.incident_id = ?1) AND ma.incident_id != mb.incident_id
        ORDER BY l.score DESC, l.a_article, l.a_seq, l.b_article, l.b_seq LIMIT ?2
        """,
        (incident_id, limit),
    )
    lines = []
    for x in rows:
        mine, other = ((x["a_article"], x["a_seq"]), (x["b_article"], x["b_seq"]))
        other_incident = x["ib"]
        if x["ib"] == incident_id:
            mine, other, other_incident = other, mine, x["ia"]
        reason = x["conflict"] or ("linked, but a conflict inside the incidents kept them apart"
                                   if x["linked"] else "score below the threshold")
        lines.append(
            f"kept apart from {other_incident} ({key_text(other)} vs {key_text(mine)}): "
            f"score {x['score']:.1f}; {reason}"
        )
    return lines


def incident_stats(db: Database) -> IncidentStats:
    """Incidents by type, country and month, with the number of reports linked."""

    def counts(sql: str) -> dict[str, int]:
        return {(k if k is not None else "unknown"): int(n) for k, n in db.conn.execute(sql)}

    return IncidentStats(
        incidents=int(db.conn.execute("SELECT count(*) FROM incidents").fetchone()[0]),
        reports=int(db.conn.execute("SELECT coalesce(sum(n_sources), 0) FROM incidents").fetchone()[0]),
        multi_source=int(db.conn.execute("SELECT count(*) FROM incidents WHERE n_sources > 1").fetchone()[0]),
        by_type=counts("SELECT type, count(*) AS n FROM incidents GROUP BY type ORDER BY n DESC, type"),
        by_country=counts(
            "SELECT country, count(*) AS n FROM incidents GROUP BY country ORDER BY n DESC, country"
        ),
        by_month=counts(
            "SELECT substr(day, 1, 7) AS month, count(*) FROM incidents GROUP BY month "
            "ORDER BY month IS NULL, month"
        ),
    )


# --------------------------------------------------------------------------- organizations


def _entity_row(db: Database, name_or_alias: str) -> sqlite3.Row | None:
    ids = organization_ids(db, name_or_alias)
    if not ids:
        return None
    marks = ", ".join("?" * len(ids))
    # The row standing for the group: its resolved entity, the most named one first.
    return db.conn.execute(
        f"""
        SELECT o.id, o.name, o.known, p.name AS parent,
               (SELECT count(*) FROM article_organizations ao WHERE ao.organization_id = o.id) AS n
        FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
        WHERE o.id IN (SELECT coalesce(
                (SELECT entity_id FROM organization_entities WHERE organization_id = x.id), x.id)
            FROM organizations x WHERE x.id IN ({marks}))
        ORDER BY n DESC, o.id LIMIT 1
        """,
        ids,
    ).fetchone()


def _factions(db: Database, org_id: int, seen: frozenset[int] = frozenset()) -> tuple[FactionNode, ...]:
    rows = db.conn.execute(
        "SELECT id, name FROM organizations WHERE parent_id = ? ORDER BY name", (org_id,)
    ).fetchall()
    return tuple(
        FactionNode(r["name"], _factions(db, r["id"], seen | {org_id})) for r in rows if r["id"] not in seen
    )


def organization_profile(db: Database, name_or_alias: str, *, recent: int = 10) -> OrganizationProfile | None:
    """A criminal group by name or alias: aliases, factions tree, incidents over time; ``None`` if unknown."""
    r = _entity_row(db, name_or_alias)
    if r is None:
        return None
    tree = entity_organization_ids(db, r["name"])
    marks = ", ".join("?" * len(tree))
    same = [r["id"], *(x[0] for x in db.conn.execute(
        "SELECT organization_id FROM organization_entities WHERE entity_id = ?", (r["id"],)))]
    alias_rows = db.conn.execute(
        f"SELECT DISTINCT name FROM organization_names WHERE organization_id IN "
        f"({', '.join('?' * len(same))}) ORDER BY name",
        same,
    )
    aliases = tuple(a[0] for a in alias_rows if a[0] != r["name"])
    incidents = db.conn.execute(
        f"""
        SELECT i.id, i.type, i.country, i.day, i.n_sources, i.places FROM incidents i
        WHERE i.id IN (SELECT incident_id FROM incident_organizations WHERE organization_id IN ({marks}))
        """,
        tree,
    ).fetchall()
    by_type: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    by_type_year: dict[str, Counter[str]] = defaultdict(Counter)
    by_country_year: dict[str, Counter[str]] = defaultdict(Counter)
    places: Counter[str] = Counter()
    days = sorted(x["day"] for x in incidents if x["day"])
    for x in incidents:
        year = x["day"][:4] if x["day"] else "unknown"
        country = x["country"] or "unknown"
        by_type[x["type"]] += 1
        by_country[country] += 1
        by_year[year] += 1
        by_type_year[x["type"]][year] += 1
        by_country_year[country][year] += 1
        places.update(json.loads(x["places"]))
    n_articles = db.conn.execute(
        f"SELECT count(DISTINCT article_id) FROM article_organizations WHERE organization_id IN ({marks})",
        tree,
    ).fetchone()[0]
    persons = db.conn.execute(
        f"""
        SELECT DISTINCT pe.name FROM person_entities pe
        JOIN person_members pm ON pm.entity_id = pe.id
        WHERE pe.victim = 0 AND pm.article_id IN (
            SELECT article_id FROM article_organizations WHERE organization_id IN ({marks}))
        ORDER BY pe.name LIMIT 50
        """,
        tree,
    )
    return OrganizationProfile(
        name=r["name"],
        parent=r["parent"],
        known=bool(r["known"]),
        aliases=aliases,
        factions=_factions(db, r["id"]),
        incidents=len(incidents),
        reports=sum(x["n_sources"] for x in incidents),
        articles=int(n_articles),
        by_type=dict(by_type.most_common()),
        by_country=dict(by_country.most_common()),
        by_year=dict(sorted(by_year.items())),
        by_type_year={t: dict(sorted(ys.items())) for t, ys in sorted(by_type_year.items())},
        by_country_year={c: dict(sorted(ys.items())) for c, ys in sorted(by_country_year.items())},
        places=tuple(places.most_common(10)),
        first_seen=iso_date(days[0]) if days else None,
        last_seen=iso_date(days[-1]) if days else None,
        persons=tuple(p[0] for p in persons),
        recent=tuple(list_incidents(db, IncidentFilter(organization=r["name"], limit=recent))),
    )


# --------------------------------------------------------------------------- people and agencies


def list_persons(db: Database, include_victims: bool = False, *, limit: int | None = None) -> list[PersonEntity]:
    """People named in the reports, one per resolved person, most reported first.

    Victims are left out unless ``include_victims``: exports must not publish their names.
    """
    sql = "SELECT id, name, aliases, roles, victim FROM person_entities"
    if not include_victims:
        sql += " WHERE victim = 0"
    sql += " ORDER BY articles DESC, name, id"
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    result = []
    for r in db.conn.execute(sql, params).fetchall():
        articles = [
            x[0]
            for x in db.conn.execute(
                "SELECT DISTINCT article_id FROM person_members WHERE entity_id = ? ORDER BY article_id",
                (r["id"],),
            )
        ]
        marks = ", ".join("?" * len(articles))
        # The incidents whose evidence names the person; else those of the articles naming them.
        incidents = [
            x[0]
            for x in db.conn.execute(
                """
                SELECT DISTINCT m.incident_id FROM person_members pm
                JOIN persons p ON p.article_id = pm.article_id AND p.seq = pm.seq
                JOIN events e ON e.article_id = p.article_id
                    AND p.start_offset >= e.clean_start AND p.end_offset <= e.clean_end
                JOIN incident_members m ON m.article_id = e.article_id AND m.seq = e.seq
                WHERE pm.entity_id = ? ORDER BY m.incident_id
                """,
                (r["id"],),
            )
        ] or [
            x[0]
            for x in db.conn.execute(
                f"SELECT DISTINCT incident_id FROM incident_members WHERE article_id IN ({marks}) "
                "ORDER BY incident_id",
                articles,
            )
        ]
        orgs = [
            x[0]
            for x in db.conn.execute(
                f"SELECT DISTINCT o.name FROM article_organizations ao JOIN organizations o "
                f"ON o.id = ao.organization_id WHERE ao.article_id IN ({marks}) ORDER BY o.name",
                articles,
            )
        ]
        places: list[str] = []
        days: list[str] = []
        for chunk in _chunks(incidents):
            for x in db.conn.execute(
                f"SELECT places, day FROM incidents WHERE id IN ({', '.join('?' * len(chunk))})", list(chunk)
            ):
                places.extend(p for p in json.loads(x["places"]) if p not in places)
                if x["day"]:
                    days.append(x["day"])
        result.append(
            PersonEntity(
                places=tuple(places),
                first_seen=iso_date(min(days)) if days else None,
                last_seen=iso_date(max(days)) if days else None,
                id=r["id"],
                name=r["name"],
                aliases=tuple(json.loads(r["aliases"])),
                roles=tuple(json.loads(r["roles"])),
                victim=bool(r["victim"]),
                articles=tuple(articles),
                incidents=tuple(incidents),
                organizations=tuple(orgs),
            )
        )
    return result


def victim_names(db: Database, article_id: str | None = None) -> frozenset[str]:
    """Every name and alias of a person resolved as a victim (of one article, or of all).

    A person named as a victim in any report counts as a victim everywhere.
    """
    params: list[Any] = []
    sql = """
        SELECT p.name, p.alias, p.text FROM persons p
        JOIN person_members pm ON pm.article_id = p.article_id AND pm.seq = p.seq
        JOIN person_entities pe ON pe.id = pm.entity_id
        WHERE (pe.victim = 1 OR p.victim = 1)
    """
    if article_id is not None:
        sql += " AND p.article_id = ?"
        params.append(article_id)
    names: set[str] = set()
    for r in db.conn.execute(sql, params):
        names.update(x.strip() for x in (r["name"], r["alias"], r["text"]) if x and x.strip())
    # Victims stored before resolution ran are still kept out.
    fallback = "SELECT name, alias, text FROM persons WHERE victim = 1"
    for r in db.conn.execute(fallback + (" AND article_id = ?" if article_id else ""), params):
        names.update(x.strip() for x in (r["name"], r["alias"], r["text"]) if x and x.strip())
    return frozenset(names)


def redact_victims(db: Database, article_id: str, text: str, placeholder: str = "[victim]") -> str:
    """``text`` (e.g. an evidence sentence of ``article_id``) with victims' names replaced."""
    for name in sorted(victim_names(db, article_id), key=len, reverse=True):
        text = text.replace(name, placeholder)
    return text


def list_agencies(db: Database, *, limit: int | None = None) -> list[AgencyEntity]:
    """Police, prosecutors, military and government bodies, resolved, most reported first."""
    sql = """
        SELECT ae.id, ae.name, ae.kind, ae.country, count(DISTINCT am.article_id) AS n
        FROM agency_entities ae JOIN agency_mentions am ON am.entity_id = ae.id
        GROUP BY ae.id ORDER BY n DESC, ae.name
    """
    params: list[Any] = []
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    result = []
    for r in db.conn.execute(sql, params).fetchall():
        names = tuple(
            x[0]
            for x in db.conn.execute(
                "SELECT DISTINCT name FROM agency_mentions WHERE entity_id = ? ORDER BY name", (r["id"],)
            )
        )
        result.append(AgencyEntity(r["id"], r["name"], r["kind"], r["country"], names, int(r["n"])))
    return result


# =========================================================================== write session


@dataclass(frozen=True, slots=True)
class StoredReport:
    """One stored event as incident matching reads it, with its article's metadata and names."""

    article_id: str
    seq: int
    event_id: int
    event: Event
    published: dt.date | None
    lang: str | None
    outlet: str | None
    url: str | None
    title: str | None
    persons: tuple[PersonMatch, ...] = ()  # people the article names
    places: tuple[PlaceMatch, ...] = ()  # places the article names

    @property
    def key(self) -> Key:
        """``(article_id, seq)``: the report's stable key."""
        return (self.article_id, self.seq)


@dataclass(frozen=True, slots=True)
class MemberRecord:
    """One report's place in an incident: the report it matched, the score, the reason."""

    key: Key
    via: Key | None
    score: float | None
    why: str


@dataclass(frozen=True, slots=True)
class IncidentRecord:
    """An incident as resolution computed it, ready to be written."""

    id: str
    type: str
    founder: Key
    members: tuple[MemberRecord, ...]
    date: dt.date | None = None
    date_precision: str | None = None
    date_rule: str | None = None
    country: str | None = None
    country_rule: str | None = None
    count: int | None = None
    count_qualifier: str | None = None
    count_rule: str | None = None
    places: tuple[PlaceMatch, ...] = ()
    organizations: tuple[str, ...] = ()
    first_reported: dt.date | None = None
    last_reported: dt.date | None = None
    lat: float | None = None
    lon: float | None = None
    region: str | None = None
    location_kind: str | None = None
    chosen: dict[str, tuple[Any, str]] = field(default_factory=dict)
    conflicts: tuple[tuple[str, tuple[tuple[Any, tuple[str, ...]], ...]], ...] = ()


@dataclass(frozen=True, slots=True)
class PersonRow:
    """A ``persons`` row with the article's groups, for person resolution."""

    article_id: str
    seq: int
    name: str
    alias: str | None
    role: str
    victim: bool
    organizations: frozenset[str]
    country: str | None

    @property
    def key(self) -> Key:
        """``(article_id, seq)``."""
        return (self.article_id, self.seq)


@dataclass(frozen=True, slots=True)
class PersonEntityRecord:
    """A resolved person, ready to be written."""

    id: str
    name: str
    aliases: tuple[str, ...]
    roles: tuple[str, ...]
    victim: bool
    members: tuple[tuple[Key, str | None, str | None], ...]  # (key, name_key, alias_key)


def _in(keys: Sequence[Key]) -> tuple[str, list[Any]]:
    """A ``(article_id, seq) IN (VALUES ...)`` list and its parameters."""
    return ", ".join("(?, ?)" for _ in keys), [x for k in keys for x in k]


def _chunks(items: Sequence[Any]) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), _CHUNK):
        yield items[i : i + _CHUNK]


class IncidentSession:
    """Reads and writes of incident resolution, inside one write transaction."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    # ----------------------------------------------------------------- articles and reports

    def article_hashes(self, article_id: str) -> tuple[str | None, str | None]:
        """(hash of the stored result, hash of the result last resolved) of an article."""
        stored = self.conn.execute("SELECT result_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        done = self.conn.execute(
            "SELECT result_hash FROM resolved_articles WHERE article_id = ?", (article_id,)
        ).fetchone()
        return (stored[0] if stored else None, done[0] if done else None)

    def mark_resolved(self, article_id: str) -> None:
        """Record that the article's current result has been resolved (forget it if deleted)."""
        stored = self.conn.execute("SELECT result_hash FROM articles WHERE id = ?", (article_id,)).fetchone()
        if stored is None:
            self.conn.execute("DELETE FROM resolved_articles WHERE article_id = ?", (article_id,))
        else:
            self.conn.execute(
                "INSERT OR REPLACE INTO resolved_articles (article_id, result_hash) VALUES (?, ?)",
                (article_id, stored[0]),
            )

    def article_ids(self) -> list[str]:
        """Every stored article id, in id order."""
        return [r[0] for r in self.conn.execute("SELECT id FROM articles ORDER BY id")]

    def article_reports(self, article_ids: Iterable[str]) -> dict[str, tuple[StoredReport, ...]]:
        """The current (non-background) reports of each article, with the article's names."""
        ids = sorted(set(article_ids))
        result: dict[str, tuple[StoredReport, ...]] = {a: () for a in ids}
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            names: dict[str, tuple[list[PersonMatch], list[PlaceMatch]]] = defaultdict(lambda: ([], []))
            for r in self.conn.execute(
                f"SELECT article_id, kind, data FROM mentions WHERE article_id IN ({marks}) "
                "AND kind IN ('person', 'place') ORDER BY article_id, id",
                list(chunk),
            ):
                persons, places = names[r["article_id"]]
                if r["kind"] == "person":
                    persons.append(loads_record(PersonMatch, r["data"]))
                else:
                    places.append(loads_record(PlaceMatch, r["data"]))
            reports: dict[str, list[StoredReport]] = defaultdict(list)
            for r in self.conn.execute(
                f"""
                SELECT e.id, e.article_id, e.seq, e.data, a.published, a.lang, a.outlet, a.url, a.title
                FROM events e JOIN articles a ON a.id = e.article_id
                WHERE e.article_id IN ({marks}) AND e.background = 0 ORDER BY e.article_id, e.seq
                """,
                list(chunk),
            ):
                persons, places = names.get(r["article_id"], ([], []))
                reports[r["article_id"]].append(
                    StoredReport(
                        article_id=r["article_id"],
                        seq=r["seq"],
                        event_id=r["id"],
                        event=_event(r["data"]),
                        published=iso_date(r["published"]),
                        lang=r["lang"],
                        outlet=r["outlet"],
                        url=r["url"],
                        title=r["title"],
                        persons=tuple(persons),
                        places=tuple(places),
                    )
                )
            result.update({a: tuple(rs) for a, rs in reports.items()})
        return result

    # ----------------------------------------------------------------- members and links

    def article_members(self, article_id: str) -> dict[Key, str]:
        """The reports of ``article_id`` already placed in incidents, with their incident."""
        return {
            (r[0], r[1]): r[2]
            for r in self.conn.execute(
                "SELECT article_id, seq, incident_id FROM incident_members WHERE article_id = ?", (article_id,)
            )
        }

    def remove_article(self, article_id: str) -> None:
        """Forget an article's reports: their memberships and every pair they were scored in."""
        self.conn.execute("DELETE FROM incident_members WHERE article_id = ?", (article_id,))
        self.conn.execute(
            "DELETE FROM incident_links WHERE a_article = ?1 OR b_article = ?1", (article_id,)
        )

    def candidates(
        self, type: str, country: str | None, lo: date, hi: date, floor: date, exclude_article: str
    ) -> list[Key]:
        """Placed reports of ``type`` whose window ``[day_lo, day_hi]`` meets ``[lo, hi]``.

        ``floor`` bounds the index scan: no stored window starts before it (the caller knows the
        widest window). Reports of another known country are not candidates.
        """
        rows = self.conn.execute(
            """
            SELECT article_id, seq FROM incident_members
            WHERE type = ? AND day_lo >= ? AND day_lo <= ? AND day_hi >= ? AND article_id != ?
              AND (? IS NULL OR country IS NULL OR country = ?)
            ORDER BY article_id, seq
            """,
            (type, floor.isoformat(), hi.isoformat(), lo.isoformat(), exclude_article, country, country),
        )
        return [(r[0], r[1]) for r in rows]

    def add_member(self, key: Key, type: str, country: str | None, window: tuple[date, date] | None) -> None:
        """Place a report in an incident of its own (until clustering assigns it)."""
        lo, hi = (window[0].isoformat(), window[1].isoformat()) if window else (None, None)
        self.conn.execute(
            """
            INSERT OR REPLACE INTO incident_members (article_id, seq, incident_id, type, country, day_lo, day_hi)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            (key[0], key[1], "", type, country, lo, hi),
        )

    def add_link(self, a: Key, b: Key, score: float, linked: bool, conflict: str | None, features: Any) -> None:
        """Record a scored pair (``a < b``)."""
        if b < a:
            a, b = b, a
        self.conn.execute(
            """
            INSERT OR REPLACE INTO incident_links
                (a_article, a_seq, b_article, b_seq, score, linked, conflict, features)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (a[0], a[1], b[0], b[1], score, int(linked), conflict, dumps(features)),
        )

    def member_incidents(self, keys: Sequence[Key]) -> dict[Key, str]:
        """The incident of each placed report in ``keys``."""
        found: dict[Key, str] = {}
        for chunk in _chunks(list(keys)):
            values, params = _in(chunk)
            for r in self.conn.execute(
                f"SELECT article_id, seq, incident_id FROM incident_members WHERE (article_id, seq) IN "
                f"(VALUES {values})",
                params,
            ):
                found[(r[0], r[1])] = r[2]
        return found

    def incident_members(self, incident_ids: Iterable[str]) -> list[Key]:
        """Every report placed in the given incidents."""
        ids = sorted(set(incident_ids))
        keys: list[Key] = []
        for chunk in _chunks(ids):
            keys.extend(
                (r[0], r[1])
                for r in self.conn.execute(
                    f"SELECT article_id, seq FROM incident_members WHERE incident_id IN "
                    f"({', '.join('?' * len(chunk))})",
                    list(chunk),
                )
            )
        return keys

    def linked_pairs(self, keys: Sequence[Key]) -> list[tuple[Key, Key, float]]:
        """Linked pairs with at least one end in ``keys``: ``(a, b, score)``."""
        pairs: set[tuple[Key, Key, float]] = set()
        for chunk in _chunks(list(keys)):
            values, params = _in(chunk)
            for side in ("a", "b"):
                for r in self.conn.execute(
                    f"""
                    SELECT a_article, a_seq, b_article, b_seq, score FROM incident_links
                    WHERE linked = 1 AND ({side}_article, {side}_seq) IN (VALUES {values})
                    """,
                    params,
                ):
                    pairs.add(((r[0], r[1]), (r[2], r[3]), float(r[4])))
        return sorted(pairs)

    def clear(self) -> None:
        """Delete every incident, membership, scored pair and resolution mark."""
        for table in (
            "incidents",
            "incident_members",
            "incident_links",
            "incident_organizations",
            "incident_places",
            "resolved_articles",
        ):
            self.conn.execute(f"DELETE FROM {table}")

    # ----------------------------------------------------------------- incidents

    def replace_incidents(self, old_ids: Iterable[str], incidents: Sequence[IncidentRecord]) -> None:
        """Delete incidents ``old_ids`` and write ``incidents`` (their members must be placed)."""
        old = sorted({i for i in old_ids if i} | {i.id for i in incidents})
        for chunk in _chunks(old):
            marks = ", ".join("?" * len(chunk))
            for table, column in (
                ("incidents", "id"),
                ("incident_organizations", "incident_id"),
                ("incident_places", "incident_id"),
            ):
                self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", list(chunk))
        for inc in incidents:
            self._insert_incident(inc)

    def _insert_incident(self, inc: IncidentRecord) -> None:
        day = inc.date.isoformat() if inc.date else (
            inc.first_reported.isoformat() if inc.first_reported else None
        )
        self.conn.execute(
            """
            INSERT INTO incidents (id, type, date, date_precision, date_rule, day, country, country_rule,
                count, count_qualifier, count_rule, places, organizations, n_sources, first_reported,
                last_reported, lat, lon, region, location_kind, chosen, conflicts, founder_article,
                founder_seq)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            (
                inc.id,
                inc.type,
                inc.date.isoformat() if inc.date else None,
                inc.date_precision,
                inc.date_rule,
                day,
                inc.country,
                inc.country_rule,
                inc.count,
                inc.count_qualifier,
                inc.count_rule,
                json.dumps([p.name for p in inc.places], ensure_ascii=False),
                json.dumps(list(inc.organizations), ensure_ascii=False),
                len({m.key[0] for m in inc.members}),
                inc.first_reported.isoformat() if inc.first_reported else None,
                inc.last_reported.isoformat() if inc.last_reported else None,
                inc.lat,
                inc.lon,
                inc.region,
                inc.location_kind,
                json.dumps({k: [to_jsonable(v), r] for k, (v, r) in inc.chosen.items()}, ensure_ascii=False),
                json.dumps(to_jsonable(inc.conflicts), ensure_ascii=False),
                inc.founder[0],
                inc.founder[1],
            ),
        )
        self.conn.executemany(
            "UPDATE incident_members SET incident_id = ?, via_article = ?, via_seq = ?, score = ?, why = ? "
            "WHERE article_id = ? AND seq = ?",
            [
                (inc.id, m.via[0] if m.via else None, m.via[1] if m.via else None, m.score, m.why, *m.key)
                for m in inc.members
            ],
        )
        self.conn.executemany(
            """
            INSERT INTO incident_places (incident_id, seq, name, kind, country, region, region_name, city)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
            [
                (inc.id, i, p.name, p.kind, p.country, p.region, p.region_name, p.city)
                for i, p in enumerate(inc.places)
            ],
        )
        keys = [m.key for m in inc.members]
        for chunk in _chunks(keys):
            values, params = _in(chunk)
            self.conn.execute(
                f"""
                INSERT OR IGNORE INTO incident_organizations (incident_id, organization_id)
                SELECT ?, eo.organization_id FROM event_organizations eo
                JOIN events e ON e.id = eo.event_id
                WHERE (e.article_id, e.seq) IN (VALUES {values})
                """,
                [inc.id, *params],
            )

    # ----------------------------------------------------------------- organizations

    def organizations(self) -> list[tuple[int, str, bool, str | None]]:
        """Every organization row: (id, name, known, parent name)."""
        return [
            (r[0], r[1], bool(r[2]), r[3])
            for r in self.conn.execute(
                "SELECT o.id, o.name, o.known, p.name FROM organizations o "
                "LEFT JOIN organizations p ON p.id = o.parent_id ORDER BY o.id"
            )
        ]

    def article_organization_rows(self, article_id: str) -> list[tuple[int, str, bool, str | None]]:
        """The organization rows an article names: (id, name, known, parent name)."""
        return [
            (r[0], r[1], bool(r[2]), r[3])
            for r in self.conn.execute(
                "SELECT o.id, o.name, o.known, p.name FROM article_organizations ao "
                "JOIN organizations o ON o.id = ao.organization_id "
                "LEFT JOIN organizations p ON p.id = o.parent_id WHERE ao.article_id = ? ORDER BY o.id",
                (article_id,),
            )
        ]

    def organization_rows_by_key(self, keys: Iterable[str]) -> list[tuple[int, str, bool, str | None]]:
        """Organization rows whose folded name (``organizations.key``) is one of ``keys``."""
        wanted = sorted(set(keys))
        rows: list[tuple[int, str, bool, str | None]] = []
        for chunk in _chunks(wanted):
            rows.extend(
                (r[0], r[1], bool(r[2]), r[3])
                for r in self.conn.execute(
                    "SELECT o.id, o.name, o.known, p.name FROM organizations o "
                    "LEFT JOIN organizations p ON p.id = o.parent_id "
                    f"WHERE o.key IN ({', '.join('?' * len(chunk))}) ORDER BY o.id",
                    list(chunk),
                )
            )
        return rows

    def update_organization_entities(self, mapping: dict[int, tuple[int, str]]) -> None:
        """Set the entity of the given organization rows (others keep theirs)."""
        self.conn.executemany(
            "INSERT OR REPLACE INTO organization_entities (organization_id, entity_id, rule) VALUES (?, ?, ?)",
            [(org, ent, rule) for org, (ent, rule) in sorted(mapping.items())],
        )

    def set_organization_entities(self, mapping: dict[int, tuple[int, str]]) -> None:
        """Replace the organization → entity map (``{organization_id: (entity_id, rule)}``)."""
        self.conn.execute("DELETE FROM organization_entities")
        self.conn.executemany(
            "INSERT INTO organization_entities (organization_id, entity_id, rule) VALUES (?, ?, ?)",
            [(org, ent, rule) for org, (ent, rule) in sorted(mapping.items())],
        )

    # ----------------------------------------------------------------- agencies

    def article_agencies(self, article_id: str) -> list[tuple[str, str | None, str | None]]:
        """Agencies an article names and its events list: (name, kind, country)."""
        found: list[tuple[str, str | None, str | None]] = []
        for r in self.conn.execute(
            "SELECT data FROM mentions WHERE article_id = ? AND kind = 'agency' ORDER BY id", (article_id,)
        ):
            data = json.loads(r[0])
            found.append((data.get("name") or data.get("text") or "", data.get("kind"), data.get("country")))
        for r in self.conn.execute(
            "SELECT DISTINCT ea.name FROM event_agencies ea JOIN events e ON e.id = ea.event_id "
            "WHERE e.article_id = ?",
            (article_id,),
        ):
            found.append((r[0], None, None))
        return [f for f in found if f[0].strip()]

    def set_article_agencies(
        self, article_id: str, entities: Sequence[tuple[str, str, str | None, str | None, str]]
    ) -> None:
        """Replace an article's agency mentions: ``(entity_id, entity name, kind, country, name)``."""
        self.conn.execute("DELETE FROM agency_mentions WHERE article_id = ?", (article_id,))
        for entity_id, entity_name, kind, country, name in entities:
            self.conn.execute(
                """
                INSERT INTO agency_entities (id, name, kind, country) VALUES (?, ?, ?, ?)
                ON CONFLICT (id) DO UPDATE SET kind = coalesce(kind, excluded.kind),
                    country = coalesce(country, excluded.country)
                """,
                (entity_id, entity_name, kind, country),
            )
            self.conn.execute(
                "INSERT OR IGNORE INTO agency_mentions (entity_id, article_id, name) VALUES (?, ?, ?)",
                (entity_id, article_id, name),
            )
        self.conn.execute(
            "DELETE FROM agency_entities WHERE id NOT IN (SELECT entity_id FROM agency_mentions)"
        )

    # ----------------------------------------------------------------- persons

    def person_rows(self, article_ids: Iterable[str] | None = None, *, name_keys: Iterable[str] = (),
                    alias_keys: Iterable[str] = ()) -> list[PersonRow]:
        """``persons`` rows of some articles, or whose resolved name/alias key is one given."""
        clauses: list[str] = []
        params: list[Any] = []
        if article_ids is not None:
            ids = sorted(set(article_ids))
            clauses.append(f"p.article_id IN ({', '.join('?' * len(ids))})")
            params.extend(ids)
        names, aliases = sorted(set(name_keys)), sorted(set(alias_keys))
        if names:
            clauses.append(
                "(p.article_id, p.seq) IN (SELECT article_id, seq FROM person_members WHERE name_key IN "
                f"({', '.join('?' * len(names))}))"
            )
            params.extend(names)
        if aliases:
            clauses.append(
                "(p.article_id, p.seq) IN (SELECT article_id, seq FROM person_members WHERE alias_key IN "
                f"({', '.join('?' * len(aliases))}))"
            )
            params.extend(aliases)
        if not clauses:
            return []
        rows = self.conn.execute(
            f"""
            SELECT p.article_id, p.seq, p.name, p.alias, p.role, p.victim,
                (SELECT group_concat(o.name, char(31)) FROM article_organizations ao
                 JOIN organizations o ON o.id = ao.organization_id WHERE ao.article_id = p.article_id) AS orgs,
                (SELECT country FROM events e WHERE e.article_id = p.article_id AND e.country IS NOT NULL
                 GROUP BY country ORDER BY count(*) DESC, country LIMIT 1) AS country
            FROM persons p WHERE {" OR ".join(clauses)} ORDER BY p.article_id, p.seq
            """,
            params,
        ).fetchall()
        return [
            PersonRow(
                r["article_id"], r["seq"], r["name"], r["alias"], r["role"], bool(r["victim"]),
                frozenset((r["orgs"] or "").split("\x1f")) - {""}, r["country"],
            )
            for r in rows
        ]

    def person_entities_of(self, keys: Sequence[Key]) -> set[str]:
        """Ids of the person entities the given persons rows belong to."""
        found: set[str] = set()
        for chunk in _chunks(list(keys)):
            values, params = _in(chunk)
            found.update(
                r[0]
                for r in self.conn.execute(
                    f"SELECT entity_id FROM person_members WHERE (article_id, seq) IN (VALUES {values})", params
                )
            )
        return found

    def article_person_entities(self, article_id: str) -> set[str]:
        """Ids of the person entities an article's (possibly since deleted) mentions belong to."""
        return {
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT entity_id FROM person_members WHERE article_id = ?", (article_id,)
            )
        }

    def person_entity_members(self, entity_ids: Iterable[str]) -> list[Key]:
        """The persons rows of the given entities."""
        ids = sorted(set(entity_ids))
        if not ids:
            return []
        return [
            (r[0], r[1])
            for r in self.conn.execute(
                f"SELECT article_id, seq FROM person_members WHERE entity_id IN ({', '.join('?' * len(ids))})",
                ids,
            )
        ]

    def remove_article_persons(self, article_id: str) -> None:
        """Forget an article's persons rows (their entities are rewritten by the caller)."""
        self.conn.execute("DELETE FROM person_members WHERE article_id = ?", (article_id,))

    def replace_person_entities(self, old_ids: Iterable[str], entities: Sequence[PersonEntityRecord]) -> None:
        """Delete person entities ``old_ids`` (and their members) and write ``entities``."""
        old = sorted(set(old_ids) | {e.id for e in entities})
        for chunk in _chunks(old):
            marks = ", ".join("?" * len(chunk))
            self.conn.execute(f"DELETE FROM person_entities WHERE id IN ({marks})", list(chunk))
            self.conn.execute(f"DELETE FROM person_members WHERE entity_id IN ({marks})", list(chunk))
        for e in entities:
            self.conn.execute(
                "INSERT INTO person_entities (id, name, aliases, roles, victim, articles) VALUES (?, ?, ?, ?, ?, ?)",
                (
                    e.id,
                    e.name,
                    json.dumps(list(e.aliases), ensure_ascii=False),
                    json.dumps(list(e.roles)),
                    int(e.victim),
                    len({k[0] for k, _, _ in e.members}),
                ),
            )
            self.conn.executemany(
                """
                INSERT OR REPLACE INTO person_members (article_id, seq, entity_id, name_key, alias_key, role, victim)
                SELECT article_id, seq, ?, ?, ?, role, victim FROM persons WHERE article_id = ? AND seq = ?
                """,
                [(e.id, nk, ak, k[0], k[1]) for k, nk, ak in e.members],
            )

    def clear_entities(self) -> None:
        """Delete every resolved person and agency (organizations are rebuilt whole anyway)."""
        for table in ("person_entities", "person_members", "agency_entities", "agency_mentions"):
            self.conn.execute(f"DELETE FROM {table}")


@contextmanager
def incident_session(db: Database) -> Iterator[IncidentSession]:
    """One write transaction for resolution; committed at the end of the block, rolled back on error."""
    try:
        with db.transaction() as conn:
            yield IncidentSession(conn)
    except sqlite3.Error as exc:
        raise StorageError(f"{db.path}: cannot update incidents: {exc}") from exc
