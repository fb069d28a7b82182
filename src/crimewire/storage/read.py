"""Reading events back as fixed-shape records, with filters.

Every read function takes a ``Database`` and returns frozen dataclasses (or ``None`` when a
single item is not found); callers never see SQL or ``sqlite3.Row``. Dates come back as
``datetime.date``; ``to_dict()`` gives the JSON/CSV-ready shape.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields
from typing import Any

from crimewire.records import Event
from crimewire.storage.db import Database, name_key
from crimewire.storage.query import (
    Criteria,
    JsonRecord,
    Where,
    check_order,
    chunks,
    country_code,
    event_types,
    from_row,
    fts_query,
    iso_date,
    marks,
    paginate,
    plain,
    scalar,
)
from crimewire.storage.serialize import loads_record

# Rows fetched per `IN (...)` query when loading the lists of many events; well under
# SQLite's limit of 32766 bound variables.
_CHUNK = 500


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class EventFilter(Criteria):
    """Which events to list. Every field left ``None`` does not filter.

    ``organization`` matches the canonical name or any alias (accents and case ignored) and
    also the factions of that group. ``since``/``until`` accept a date or ISO text
    (``2024``, ``2024-03``, ``2024-03-05``) and compare with the event's date, or the
    article's publication date when the event has none. ``text`` is a full-text query over
    the evidence sentences. ``background``: None = all events, False = current only,
    True = background only. ``limit=None`` lists everything. ``order``: ``date``, ``-date``
    (newest first, the default), ``published``, ``-published``, ``id``, ``-id``, ``count``,
    ``-count``.
    """

    article_id: str | None = None
    background: bool | None = None
    limit: int | None = 100
    offset: int = 0
    order: str = "-date"


@dataclass(frozen=True, slots=True)
class EventRow(JsonRecord):
    """One event as a table, CSV or JSON line shows it."""

    id: int
    article_id: str
    seq: int
    type: str
    date: dt.date | None
    precision: str | None
    count: int | None
    qualifier: str | None
    country: str | None
    places: tuple[str, ...]  # as written in the article
    organizations: tuple[str, ...]  # canonical names
    agencies: tuple[str, ...]
    nationalities: tuple[str, ...]  # ISO alpha-2
    items: tuple[str, ...]  # seized items as "amount unit item", e.g. "2.5 t cocaine"
    evidence: str
    evidence_start: int | None  # offsets of the evidence in the article's raw text
    evidence_end: int | None
    url: str | None
    title: str | None
    published: dt.date | None
    attribution: str | None
    rule: str | None
    background: bool
    hedged: bool


EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRow))


@dataclass(frozen=True, slots=True)
class EventDetail:
    """One event with the full record it was stored from (arguments' sources, notes ...)."""

    row: EventRow
    event: Event

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the row's fields plus ``record`` (the full Event)."""
        return {**self.row.to_dict(), "record": plain(self.event)}


EVENT_SELECT = """
    SELECT e.id, e.article_id, e.seq, e.type, e.date, e.date_precision, e.count, e.count_qualifier,
           e.country, e.evidence, e.evidence_start, e.evidence_end, e.rule, e.attribution_source,
           e.background, e.hedged, a.url, a.title, a.published
    FROM events e JOIN articles a ON a.id = e.article_id
"""

# The date an event is filed under: its own, else the day the article was published (the
# column ``events.day`` holds it, kept by a trigger: see migration 4). The sort orders below
# are written as the indexes of migration 4 are, so that a page of the newest events reads
# 50 index entries instead of sorting every event.
_EVENT_DAY = "e.day"

_EVENT_ORDERS: dict[str, str] = {
    "date": f"{_EVENT_DAY} IS NULL, {_EVENT_DAY}, e.id",
    "-date": f"{_EVENT_DAY} IS NULL, {_EVENT_DAY} DESC, e.id DESC",
    "published": "a.published IS NULL, a.published, e.id",
    "-published": "a.published IS NULL, a.published DESC, e.id DESC",
    "id": "e.id",
    "-id": "e.id DESC",
    "count": "e.count IS NULL, e.count, e.id",
    "-count": "e.count IS NULL, e.count DESC, e.id DESC",
}


def _event_where(db: Database, flt: EventFilter) -> tuple[str, list[Any]]:
    where = Where()
    where.any_of("e.type", event_types(flt.type))
    if flt.country:
        where.add("e.country = ?", country_code(flt.country))
    if flt.organization:
        org_ids = organization_ids(db, flt.organization, factions=True)
        if not org_ids:
            return "0", []
        where.add(
            "e.id IN (SELECT event_id FROM event_organizations WHERE organization_id IN "
            f"({marks(len(org_ids))}))",
            *org_ids,
        )
    if flt.place:
        where.add(
            "e.id IN (SELECT event_id FROM event_places WHERE name = ? COLLATE NOCASE "
            "OR text = ? COLLATE NOCASE OR city = ? COLLATE NOCASE OR region_name = ? COLLATE NOCASE)",
            *[flt.place.strip()] * 4,
        )
    where.dates(_EVENT_DAY, flt.since, flt.until)
    if flt.text is not None:
        query = fts_query(flt.text)
        if query is None:
            return "0", []
        where.add("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)", query)
    if flt.article_id is not None:
        where.add("e.article_id = ?", flt.article_id)
    if flt.background is not None:
        where.add("e.background = ?", int(flt.background))
    return where.sql()


def list_events(db: Database, flt: EventFilter | None = None) -> list[EventRow]:
    """Events matching ``flt`` (all events, newest first, 100 at most, when ``None``)."""
    flt = flt or EventFilter()
    check_order(flt.order, _EVENT_ORDERS)
    where, params = _event_where(db, flt)
    sql = f"{EVENT_SELECT} WHERE {where} ORDER BY {_EVENT_ORDERS[flt.order]}"
    sql, params = paginate(sql, params, flt.limit, flt.offset)
    return event_rows(db.conn, db.conn.execute(sql, params).fetchall())


def count_events(db: Database, flt: EventFilter | None = None) -> int:
    """How many events match ``flt`` (``limit``/``offset``/``order`` are ignored)."""
    where, params = _event_where(db, flt or EventFilter())
    # No join with articles: the conditions only read events (an event's article always exists).
    sql = f"SELECT count(*) FROM events e WHERE {where}"
    return scalar(db.conn, sql, params)


def get_event(db: Database, event_id: int) -> EventDetail | None:
    """One event by id, with its full stored record; ``None`` if there is none."""
    if not -(2**63) <= event_id < 2**63:  # not an SQLite integer: no such row (rather than OverflowError)
        return None
    row = db.conn.execute(f"{EVENT_SELECT} WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    data = db.conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()[0]
    return EventDetail(event_rows(db.conn, [row])[0], loads_record(Event, data))


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Run ``sql`` (selecting event_id, value; with ``{ids}`` for the id list) over chunks of ids."""
    groups: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids, _CHUNK):
        for event_id, value in conn.execute(sql.format(ids=marks(len(chunk))), list(chunk)):
            if value is not None and value not in groups[event_id]:
                groups[event_id].append(value)
    return {k: tuple(v) for k, v in groups.items()}


def _amount(value: float) -> str:
    # 2.5 -> "2.5", 48.0 -> "48", 1250000.0 -> "1250000" (no exponent, unlike %g).
    return f"{value:f}".rstrip("0").rstrip(".")


def _items(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Seized items per event, each as "amount unit item" (the parts that are known)."""
    groups: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(ids, _CHUNK):
        for event_id, item, amount, unit in conn.execute(
            f"SELECT event_id, item, amount, unit FROM event_items WHERE event_id IN ({marks(len(chunk))}) "
            "ORDER BY event_id, seq",
            list(chunk),
        ):
            parts = ([_amount(amount)] if amount is not None else []) + ([unit] if unit else []) + [item]
            groups[event_id].append(" ".join(parts))
    return {k: tuple(v) for k, v in groups.items()}


def event_rows(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[EventRow]:
    ids = [r["id"] for r in rows]
    places = _grouped(
        conn,
        "SELECT event_id, COALESCE(NULLIF(text, ''), name) FROM event_places WHERE event_id IN ({ids}) "
        "ORDER BY event_id, seq",
        ids,
    )
    orgs = _grouped(
        conn,
        "SELECT eo.event_id, o.name FROM event_organizations eo "
        "JOIN organizations o ON o.id = eo.organization_id "
        "WHERE eo.event_id IN ({ids}) ORDER BY eo.event_id, eo.rowid",
        ids,
    )
    agencies = _grouped(
        conn,
        "SELECT event_id, name FROM event_agencies WHERE event_id IN ({ids}) ORDER BY event_id, seq",
        ids,
    )
    nationalities = _grouped(
        conn,
        "SELECT event_id, country FROM event_nationalities WHERE event_id IN ({ids}) "
        "ORDER BY event_id, rowid",
        ids,
    )
    items = _items(conn, ids)
    return [
        from_row(
            EventRow,
            r,
            date=iso_date(r["date"]),
            precision=r["date_precision"],
            qualifier=r["count_qualifier"],
            places=places.get(r["id"], ()),
            organizations=orgs.get(r["id"], ()),
            agencies=agencies.get(r["id"], ()),
            nationalities=nationalities.get(r["id"], ()),
            items=items.get(r["id"], ()),
            published=iso_date(r["published"]),
            attribution=r["attribution_source"],
            background=bool(r["background"]),
            hedged=bool(r["hedged"]),
        )
        for r in rows
    ]


# --------------------------------------------------------------------------- organizations lookup


def organization_ids(db: Database, name_or_alias: str, *, factions: bool = False) -> list[int]:
    """Ids of the organizations whose canonical name or an alias is ``name_or_alias``.

    A canonical-name match wins over alias matches (an alias may be shared by two groups).
    With ``factions=True`` the factions of those groups (at any depth) are added.
    """
    key = name_key(name_or_alias)
    if not key:
        return []
    ids = [r[0] for r in db.conn.execute("SELECT id FROM organizations WHERE key = ? ORDER BY id", (key,))]
    if not ids:
        ids = [
            r[0]
            for r in db.conn.execute(
                "SELECT DISTINCT organization_id FROM organization_names WHERE key = ? "
                "ORDER BY organization_id",
                (key,),
            )
        ]
    if not ids or not factions:
        return ids
    rows = db.conn.execute(
        f"""
        WITH RECURSIVE tree(id) AS (
            SELECT id FROM organizations WHERE id IN ({marks(len(ids))})
            UNION SELECT o.id FROM organizations o JOIN tree ON o.parent_id = tree.id
        ) SELECT id FROM tree ORDER BY id
        """,
        ids,
    )
    return [r[0] for r in rows]
