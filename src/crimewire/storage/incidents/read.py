"""The incidents read API: list, count, reports, one incident's detail and counts, as frozen
dataclasses with ``to_dict()`` (for the CLI and the web workbench).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from crimewire.storage.db import Database
from crimewire.storage.incidents._common import _chunks, key_text
from crimewire.storage.query import (
    Criteria,
    JsonRecord,
    Where,
    check_order,
    count_by,
    country_code,
    event_types,
    from_row,
    fts_query,
    iso_date,
    marks,
    paginate,
    scalar,
)
from crimewire.storage.read import organization_ids
from crimewire.storage.serialize import to_jsonable


@dataclass(frozen=True, slots=True)
class IncidentFilter(Criteria):
    """Which incidents to list. Every field left ``None`` does not filter.

    ``organization`` matches a canonical name or alias (and the group's factions);
    ``place`` a place name of the incident (canonical or as written in a report);
    ``since``/``until`` (date or ``YYYY``/``YYYY-MM``/``YYYY-MM-DD``) compare with the
    incident's date, else its first report's publication date; ``text`` is a full-text
    query over the reports' evidence sentences. ``order``: ``-date`` (default), ``date``,
    ``-sources``, ``sources``, ``-count``, ``count``, ``id``.
    """

    limit: int | None = 100
    offset: int = 0
    order: str = "-date"


@dataclass(frozen=True, slots=True)
class IncidentRow(JsonRecord):
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
    geo_precision: int | None  # ACLED: 1 town, 2 near a town or a facility, 3 an area


INCIDENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(IncidentRow))


@dataclass(frozen=True, slots=True)
class IncidentSource(JsonRecord):
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
class IncidentStats(JsonRecord):
    """Incident counts for the workbench: by type, country and month (``YYYY-MM``)."""

    incidents: int
    reports: int
    multi_source: int  # incidents reported by more than one article
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_month: dict[str, int]


_INCIDENT_SELECT = """
    SELECT i.id, i.type, i.date, i.date_precision, i.country, i.count, i.count_rule, i.places,
           i.organizations, i.n_sources, i.first_reported, i.last_reported, i.lat, i.lon,
           i.region, i.location_kind, i.geo_precision
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


def entity_organization_ids(db: Database, name_or_alias: str) -> list[int]:
    """Organization ids standing for ``name_or_alias``: its rows, factions and resolved equals."""
    ids = set(organization_ids(db, name_or_alias, factions=True))
    if not ids:
        return []
    rows = db.conn.execute(
        f"""
        SELECT organization_id FROM organization_entities WHERE entity_id IN (
            SELECT entity_id FROM organization_entities WHERE organization_id IN ({marks(len(ids))}))
        """,
        sorted(ids),
    )
    ids.update(r[0] for r in rows)
    return sorted(ids)


def _where(db: Database, flt: IncidentFilter) -> tuple[str, list[Any]]:
    where = Where()
    where.any_of("i.type", event_types(flt.type))
    if flt.country:
        where.add("i.country = ?", country_code(flt.country))
    if flt.organization:
        ids = entity_organization_ids(db, flt.organization)
        if not ids:
            return "0", []
        where.add(
            "i.id IN (SELECT incident_id FROM incident_organizations WHERE organization_id IN "
            f"({marks(len(ids))}))",
            *ids,
        )
    if flt.place:
        # Canonical names of the chosen places, or any place a report of it wrote.
        where.add(
            """(i.id IN (SELECT incident_id FROM incident_places WHERE name = ? COLLATE NOCASE
                    OR city = ? COLLATE NOCASE OR region_name = ? COLLATE NOCASE)
                OR i.id IN (SELECT m.incident_id FROM incident_members m
                    JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
                    JOIN event_places p ON p.event_id = e.id
                    WHERE p.text = ? COLLATE NOCASE OR p.name = ? COLLATE NOCASE))""",
            *[flt.place.strip()] * 5,
        )
    where.dates("i.day", flt.since, flt.until)
    if flt.text is not None:
        query = fts_query(flt.text)
        if query is None:
            return "0", []
        where.add(
            """i.id IN (SELECT m.incident_id FROM incident_members m
                JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
                WHERE e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?))""",
            query,
        )
    return where.sql()


def _row(r: sqlite3.Row) -> IncidentRow:
    return from_row(
        IncidentRow,
        r,
        date=iso_date(r["date"]),
        places=list(json.loads(r["places"])),
        organizations=list(json.loads(r["organizations"])),
        first_reported=iso_date(r["first_reported"]),
        last_reported=iso_date(r["last_reported"]),
    )


def list_incidents(db: Database, flt: IncidentFilter | None = None) -> list[IncidentRow]:
    """Incidents matching ``flt`` (all, newest first, 100 at most, when ``None``)."""
    flt = flt or IncidentFilter()
    check_order(flt.order, _ORDERS)
    where, params = _where(db, flt)
    sql, params = paginate(
        f"{_INCIDENT_SELECT} WHERE {where} ORDER BY {_ORDERS[flt.order]}", params, flt.limit, flt.offset
    )
    return [_row(r) for r in db.conn.execute(sql, params)]


def count_incidents(db: Database, flt: IncidentFilter | None = None) -> int:
    """How many incidents match ``flt`` (``limit``/``offset``/``order`` are ignored)."""
    where, params = _where(db, flt or IncidentFilter())
    return scalar(db.conn, f"SELECT count(*) FROM incidents i WHERE {where}", params)


def _source_values(event: dict[str, Any]) -> dict[str, Any]:
    """The values a report states, read from its stored ``Event`` JSON as a dict.

    Read from the JSON rather than a rebuilt ``Event``: a map or network reads thousands of
    reports at once, and rebuilding records from JSON was 90 % of their time (``make bench``).
    """
    d, c = event.get("date"), event.get("count")
    return {
        "count": c.get("value") if c else None,
        "count_qualifier": c.get("qualifier", "exact") if c and c.get("value") is not None else None,
        "count_text": c.get("text", "") if c else None,
        "date": d.get("value") if d and d.get("value") else None,
        "date_precision": d.get("precision") if d and d.get("value") else None,
        "date_text": d.get("text", "") if d else None,
        "country": event.get("country"),
        "places": [p.get("text") or p["name"] for p in event.get("places") or ()],
        "organizations": [o["name"] for o in event.get("organizations") or ()],
        "nationalities": list(event.get("nationalities") or ()),
        "agencies": list(event.get("agencies") or ()),
        "items": [q.get("text") or q["item"] for q in event.get("items") or ()],
    }


def incident_sources(db: Database, ids: Sequence[str]) -> dict[str, list[IncidentSource]]:
    """The reports of each incident in ``ids``, earliest publication first."""
    found: dict[str, list[IncidentSource]] = defaultdict(list)
    for chunk in _chunks(ids):
        rows = db.conn.execute(
            f"""
            SELECT m.incident_id, m.why, e.id AS event_id, e.article_id, e.seq, e.evidence,
                   e.evidence_start, e.evidence_end, e.attribution_source, e.data,
                   a.url, a.outlet, a.published, a.lang, a.title
            FROM incident_members m
            JOIN events e ON e.article_id = m.article_id AND e.seq = m.seq
            JOIN articles a ON a.id = e.article_id
            WHERE m.incident_id IN ({marks(len(chunk))})
            ORDER BY m.incident_id, a.published IS NULL, a.published, e.article_id, e.seq
            """,
            list(chunk),
        )
        for r in rows:
            event = json.loads(r["data"])
            found[r["incident_id"]].append(
                from_row(
                    IncidentSource,
                    r,
                    published=iso_date(r["published"]),
                    attribution=r["attribution_source"],
                    values=_source_values(event),
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
    # The pairs with one of this incident's reports on either side, each side found through its
    # own index (an OR across the two joins read every scored pair of the database).
    rows = db.conn.execute(
        """
        WITH mine(article_id, seq) AS (SELECT article_id, seq FROM incident_members WHERE incident_id = ?1),
        pairs AS (
            SELECT l.* FROM mine JOIN incident_links l ON l.a_article = mine.article_id AND l.a_seq = mine.seq
            UNION
            SELECT l.* FROM mine JOIN incident_links l ON l.b_article = mine.article_id AND l.b_seq = mine.seq
        )
        SELECT l.a_article, l.a_seq, l.b_article, l.b_seq, l.score, l.conflict, l.linked,
               ma.incident_id AS ia, mb.incident_id AS ib
        FROM pairs l
        JOIN incident_members ma ON ma.article_id = l.a_article AND ma.seq = l.a_seq
        JOIN incident_members mb ON mb.article_id = l.b_article AND mb.seq = l.b_seq
        WHERE ma.incident_id != mb.incident_id
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
    return IncidentStats(
        incidents=scalar(db.conn, "SELECT count(*) FROM incidents"),
        reports=scalar(db.conn, "SELECT coalesce(sum(n_sources), 0) FROM incidents"),
        multi_source=scalar(db.conn, "SELECT count(*) FROM incidents WHERE n_sources > 1"),
        by_type=count_by(db.conn, "SELECT type, count(*) AS n FROM incidents GROUP BY type ORDER BY n DESC, type"),
        by_country=count_by(
            db.conn, "SELECT country, count(*) AS n FROM incidents GROUP BY country ORDER BY n DESC, country"
        ),
        by_month=count_by(
            db.conn,
            "SELECT substr(day, 1, 7) AS month, count(*) FROM incidents GROUP BY month ORDER BY month IS NULL, month",
        ),
    )
