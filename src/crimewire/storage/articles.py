"""Reading articles back: lists, one article with its texts, the whole stored ArticleResult."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from crimewire.records import (
    AgencyMatch,
    ArticleResult,
    Event,
    Mentions,
    NationalityMatch,
    OffsetMap,
    OrgMatch,
    PersonMatch,
    PlaceMatch,
    RemovedText,
)
from crimewire.storage.db import Database
from crimewire.storage.query import JsonRecord, Where, check_order, from_row, iso_date, marks, paginate, scalar
from crimewire.storage.read import EVENT_SELECT, EventRow, event_rows, organization_ids
from crimewire.storage.serialize import loads_record, loads_value


@dataclass(frozen=True, slots=True)
class ArticleFilter:
    """Which articles to list. ``since``/``until`` compare with the publication date."""

    lang: str | None = None
    status: str | None = None
    since: date | str | None = None
    until: date | str | None = None
    organization: str | None = None  # articles naming this group (or one of its factions)
    limit: int | None = 100
    offset: int = 0
    order: str = "-published"


@dataclass(frozen=True, slots=True)
class ArticleSummary(JsonRecord):
    """One article as a list shows it."""

    id: str
    title: str | None
    url: str | None
    outlet: str | None
    published: date | None
    lang: str | None
    status: str
    events: int
    origin: str
    ingested_at: str


ARTICLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ArticleSummary))


@dataclass(frozen=True, slots=True)
class ArticleDetail(JsonRecord):
    """One stored article: metadata, both texts, clutter removed, events and names."""

    id: str
    origin: str
    url: str | None
    title: str | None
    outlet: str | None
    published: date | None
    lang: str | None
    lang_confidence: float | None
    status: str
    raw_text: str
    clean_text: str
    content_hash: str
    removed: tuple[RemovedText, ...]
    offsets: OffsetMap
    ingested_at: str
    events: tuple[EventRow, ...]
    organizations: tuple[str, ...]
    persons: tuple[PersonMatch, ...]
    notes: tuple[str, ...]


_ARTICLE_ORDERS: dict[str, str] = {
    "published": "a.published IS NULL, a.published, a.id",
    "-published": "a.published IS NULL, a.published DESC, a.id",
    "ingested": "a.num",
    "-ingested": "a.num DESC",
    "id": "a.id",
    "-id": "a.id DESC",
}


def _article_where(db: Database, flt: ArticleFilter) -> tuple[str, list[Any]]:
    where = Where()
    if flt.lang:
        where.add("a.lang = ?", flt.lang.strip().lower())
    if flt.status:
        where.add("a.status = ?", flt.status.strip())
    where.dates("a.published", flt.since, flt.until)
    if flt.organization:
        org_ids = organization_ids(db, flt.organization, factions=True)
        if not org_ids:
            return "0", []
        where.add(
            "a.id IN (SELECT article_id FROM article_organizations WHERE organization_id IN "
            f"({marks(len(org_ids))}))",
            *org_ids,
        )
    return where.sql()


def list_articles(db: Database, flt: ArticleFilter | None = None) -> list[ArticleSummary]:
    """Articles matching ``flt`` (newest publication first by default)."""
    flt = flt or ArticleFilter()
    check_order(flt.order, _ARTICLE_ORDERS)
    where, params = _article_where(db, flt)
    sql = f"""
        SELECT a.id, a.title, a.url, a.outlet, a.published, a.lang, a.status, a.origin, a.ingested_at,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events
        FROM articles a WHERE {where} ORDER BY {_ARTICLE_ORDERS[flt.order]}
    """
    sql, params = paginate(sql, params, flt.limit, flt.offset)
    return [
        from_row(ArticleSummary, r, published=iso_date(r["published"]), events=r["n_events"])
        for r in db.conn.execute(sql, params)
    ]


def count_articles(db: Database, flt: ArticleFilter | None = None) -> int:
    """How many articles match ``flt``."""
    where, params = _article_where(db, flt or ArticleFilter())
    return scalar(db.conn, f"SELECT count(*) FROM articles a WHERE {where}", params)


def get_article(db: Database, article_id: str) -> ArticleDetail | None:
    """One stored article by id; ``None`` if there is none."""
    r = db.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if r is None:
        return None
    stored_events = db.conn.execute(f"{EVENT_SELECT} WHERE e.article_id = ? ORDER BY e.seq", (article_id,))
    orgs = db.conn.execute(
        "SELECT o.name FROM article_organizations ao JOIN organizations o ON o.id = ao.organization_id "
        "WHERE ao.article_id = ? ORDER BY ao.rowid",
        (article_id,),
    )
    persons = db.conn.execute(
        "SELECT data FROM mentions WHERE article_id = ? AND kind = 'person' ORDER BY id", (article_id,)
    )
    rest = loads_record(ArticleResult, r["data"])
    return from_row(
        ArticleDetail,
        r,
        published=iso_date(r["published"]),
        removed=loads_value(tuple[RemovedText, ...], r["removed"]),
        offsets=OffsetMap(loads_value(tuple[tuple[int, int, int], ...], r["offsets"])),
        events=tuple(event_rows(db.conn, stored_events.fetchall())),
        organizations=tuple(row[0] for row in orgs),
        persons=tuple(loads_record(PersonMatch, row[0]) for row in persons),
        notes=rest.notes,
    )


_MENTION_TYPES: dict[str, type] = {
    "place": PlaceMatch,
    "organization": OrgMatch,
    "agency": AgencyMatch,
    "nationality": NationalityMatch,
    "person": PersonMatch,
}


def load_result(db: Database, article_id: str) -> ArticleResult | None:
    """Rebuild the whole ``ArticleResult`` that was stored for ``article_id``."""
    r = db.conn.execute(
        "SELECT raw_text, clean_text, data FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    if r is None:
        return None
    rest = loads_record(ArticleResult, r["data"])
    events = tuple(
        loads_record(Event, row[0])
        for row in db.conn.execute("SELECT data FROM events WHERE article_id = ? ORDER BY seq", (article_id,))
    )
    found: dict[str, list[Any]] = defaultdict(list)
    for kind, data in db.conn.execute(
        "SELECT kind, data FROM mentions WHERE article_id = ? ORDER BY id", (article_id,)
    ):
        if kind in _MENTION_TYPES:
            found[kind].append(loads_record(_MENTION_TYPES[kind], data))
    mentions = Mentions(
        places=tuple(found["place"]),
        organizations=tuple(found["organization"]),
        agencies=tuple(found["agency"]),
        nationalities=tuple(found["nationality"]),
        persons=tuple(found["person"]),
    )
    clean = replace(rest.clean, text=r["clean_text"], article=replace(rest.clean.article, text=r["raw_text"]))
    return replace(rest, clean=clean, events=events, mentions=mentions)
