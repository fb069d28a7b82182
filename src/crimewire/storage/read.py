"""Reading events, articles and full-text search hits back as fixed-shape records.

Every function takes a ``Database`` and returns frozen dataclasses (or ``None`` when a
single item is not found); callers never see SQL or ``sqlite3.Row``. Dates come back as
``datetime.date``; ``to_dict()`` gives the JSON/CSV-ready shape.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import Any

from crimewire.records import (
    EVENT_TYPES,
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
from crimewire.storage.db import Database, QueryError, name_key
from crimewire.storage.serialize import loads_record, loads_value, to_jsonable

# Rows fetched per `IN (...)` query when loading the lists of many events; well under
# SQLite's limit of 32766 bound variables.
_CHUNK = 500


def _plain(obj: Any) -> dict[str, Any]:
    """A dataclass as a JSON-ready dict (dates as ISO text, tuples as lists)."""
    result: dict[str, Any] = to_jsonable(obj)
    return result


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value else None


# --------------------------------------------------------------------------- events


@dataclass(frozen=True, slots=True)
class EventFilter:
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

    type: str | Sequence[str] | None = None
    country: str | None = None
    organization: str | None = None
    place: str | None = None
    since: date | str | None = None
    until: date | str | None = None
    text: str | None = None
    article_id: str | None = None
    background: bool | None = None
    limit: int | None = 100
    offset: int = 0
    order: str = "-date"


@dataclass(frozen=True, slots=True)
class EventRow:
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: dates as ISO text, lists as lists."""
        return _plain(self)


EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRow))


@dataclass(frozen=True, slots=True)
class EventDetail:
    """One event with the full record it was stored from (arguments' sources, notes ...)."""

    row: EventRow
    event: Event

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict: the row's fields plus ``record`` (the full Event)."""
        return {**self.row.to_dict(), "record": _plain(self.event)}


_EVENT_SELECT = """
    SELECT e.id, e.article_id, e.seq, e.type, e.date, e.date_precision, e.count, e.count_qualifier,
           e.country, e.evidence, e.evidence_start, e.evidence_end, e.rule, e.attribution_source,
           e.background, e.hedged, a.url, a.title, a.published
    FROM events e JOIN articles a ON a.id = e.article_id
"""

# The date an event is filed under: its own, else the day the article was published.
_EVENT_DAY = "COALESCE(e.date, a.published)"

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


def parse_date_bound(value: date | str | None, *, end: bool = False) -> str | None:
    """ISO day of a ``since`` (``end=False``) or ``until`` (``end=True``) bound.

    Accepts a ``date`` or text ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; a year or month
    stands for its first day as a lower bound and its last day as an upper bound.
    """
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    text = value.strip()
    try:
        if re.fullmatch(r"\d{4}", text):
            return f"{text}-12-31" if end else f"{text}-01-01"
        if re.fullmatch(r"\d{4}-\d{2}", text):
            year, month = int(text[:4]), int(text[5:])
            last = calendar.monthrange(year, month)[1]
            return date(year, month, last if end else 1).isoformat()
        return date.fromisoformat(text).isoformat()
    except ValueError as exc:
        raise QueryError(f"not a date: {value!r} (use YYYY, YYYY-MM or YYYY-MM-DD)") from exc


def _event_types(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    raw = value.split(",") if isinstance(value, str) else list(value)
    types = [t.strip().lower() for t in raw if t and t.strip()]
    unknown = [t for t in types if t not in EVENT_TYPES]
    if unknown:
        raise QueryError(f"unknown event type {unknown[0]!r}; known types: {', '.join(EVENT_TYPES)}")
    return types


def _event_where(db: Database, flt: EventFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    types = _event_types(flt.type)
    if types:
        clauses.append(f"e.type IN ({', '.join('?' * len(types))})")
        params.extend(types)
    if flt.country:
        clauses.append("e.country = ?")
        params.append(flt.country.strip().upper())
    if flt.organization:
        org_ids = organization_ids(db, flt.organization, factions=True)
        if not org_ids:
            return "0", []
        clauses.append(
            "e.id IN (SELECT event_id FROM event_organizations WHERE organization_id IN "
            f"({', '.join('?' * len(org_ids))}))"
        )
        params.extend(org_ids)
    if flt.place:
        clauses.append(
            "e.id IN (SELECT event_id FROM event_places WHERE name = ? COLLATE NOCASE "
            "OR text = ? COLLATE NOCASE OR city = ? COLLATE NOCASE OR region_name = ? COLLATE NOCASE)"
        )
        params.extend([flt.place.strip()] * 4)
    since = parse_date_bound(flt.since)
    if since:
        clauses.append(f"{_EVENT_DAY} >= ?")
        params.append(since)
    until = parse_date_bound(flt.until, end=True)
    if until:
        clauses.append(f"{_EVENT_DAY} <= ?")
        params.append(until)
    if flt.text is not None:
        query = fts_query(flt.text)
        if query is None:
            return "0", []
        clauses.append("e.id IN (SELECT rowid FROM events_fts WHERE events_fts MATCH ?)")
        params.append(query)
    if flt.article_id is not None:
        clauses.append("e.article_id = ?")
        params.append(flt.article_id)
    if flt.background is not None:
        clauses.append("e.background = ?")
        params.append(int(flt.background))
    return (" AND ".join(clauses) or "1"), params


def list_events(db: Database, flt: EventFilter | None = None) -> list[EventRow]:
    """Events matching ``flt`` (all events, newest first, 100 at most, when ``None``)."""
    flt = flt or EventFilter()
    if flt.order not in _EVENT_ORDERS:
        raise QueryError(f"unknown order {flt.order!r}; use one of: {', '.join(_EVENT_ORDERS)}")
    where, params = _event_where(db, flt)
    sql = f"{_EVENT_SELECT} WHERE {where} ORDER BY {_EVENT_ORDERS[flt.order]}"
    sql, params = _paginate(sql, params, flt.limit, flt.offset)
    return _event_rows(db.conn, db.conn.execute(sql, params).fetchall())


def count_events(db: Database, flt: EventFilter | None = None) -> int:
    """How many events match ``flt`` (``limit``/``offset``/``order`` are ignored)."""
    where, params = _event_where(db, flt or EventFilter())
    row = db.conn.execute(
        f"SELECT count(*) FROM events e JOIN articles a ON a.id = e.article_id WHERE {where}", params
    ).fetchone()
    return int(row[0])


def get_event(db: Database, event_id: int) -> EventDetail | None:
    """One event by id, with its full stored record; ``None`` if there is none."""
    row = db.conn.execute(f"{_EVENT_SELECT} WHERE e.id = ?", (event_id,)).fetchone()
    if row is None:
        return None
    data = db.conn.execute("SELECT data FROM events WHERE id = ?", (event_id,)).fetchone()[0]
    return EventDetail(_event_rows(db.conn, [row])[0], loads_record(Event, data))


def _paginate(sql: str, params: list[Any], limit: int | None, offset: int) -> tuple[str, list[Any]]:
    if limit is None and not offset:
        return sql, params
    if (limit is not None and limit < 0) or offset < 0:
        raise QueryError("limit and offset must not be negative")
    return f"{sql} LIMIT ? OFFSET ?", [*params, -1 if limit is None else limit, offset]


def _chunks(ids: Sequence[int]) -> Iterable[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _grouped(conn: sqlite3.Connection, sql: str, ids: Sequence[int]) -> dict[int, tuple[str, ...]]:
    """Run ``sql`` (selecting event_id, value; with ``{ids}`` for the id list) over chunks of ids."""
    groups: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(ids):
        for event_id, value in conn.execute(sql.format(ids=", ".join("?" * len(chunk))), list(chunk)):
            if value is not None and value not in groups[event_id]:
                groups[event_id].append(value)
    return {k: tuple(v) for k, v in groups.items()}


def _event_rows(conn: sqlite3.Connection, rows: Sequence[sqlite3.Row]) -> list[EventRow]:
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
    return [
        EventRow(
            id=r["id"],
            article_id=r["article_id"],
            seq=r["seq"],
            type=r["type"],
            date=_date(r["date"]),
            precision=r["date_precision"],
            count=r["count"],
            qualifier=r["count_qualifier"],
            country=r["country"],
            places=places.get(r["id"], ()),
            organizations=orgs.get(r["id"], ()),
            agencies=agencies.get(r["id"], ()),
            nationalities=nationalities.get(r["id"], ()),
            evidence=r["evidence"],
            evidence_start=r["evidence_start"],
            evidence_end=r["evidence_end"],
            url=r["url"],
            title=r["title"],
            published=_date(r["published"]),
            attribution=r["attribution_source"],
            rule=r["rule"],
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
            SELECT id FROM organizations WHERE id IN ({", ".join("?" * len(ids))})
            UNION SELECT o.id FROM organizations o JOIN tree ON o.parent_id = tree.id
        ) SELECT id FROM tree ORDER BY id
        """,
        ids,
    )
    return [r[0] for r in rows]


# --------------------------------------------------------------------------- articles


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
class ArticleSummary:
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return _plain(self)


ARTICLE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(ArticleSummary))


@dataclass(frozen=True, slots=True)
class ArticleDetail:
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

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return _plain(self)


_ARTICLE_ORDERS: dict[str, str] = {
    "published": "a.published IS NULL, a.published, a.id",
    "-published": "a.published IS NULL, a.published DESC, a.id",
    "ingested": "a.num",
    "-ingested": "a.num DESC",
    "id": "a.id",
    "-id": "a.id DESC",
}


def _article_where(db: Database, flt: ArticleFilter) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if flt.lang:
        clauses.append("a.lang = ?")
        params.append(flt.lang.strip().lower())
    if flt.status:
        clauses.append("a.status = ?")
        params.append(flt.status.strip())
    since = parse_date_bound(flt.since)
    if since:
        clauses.append("a.published >= ?")
        params.append(since)
    until = parse_date_bound(flt.until, end=True)
    if until:
        clauses.append("a.published <= ?")
        params.append(until)
    if flt.organization:
        org_ids = organization_ids(db, flt.organization, factions=True)
        if not org_ids:
            return "0", []
        clauses.append(
            "a.id IN (SELECT article_id FROM article_organizations WHERE organization_id IN "
            f"({', '.join('?' * len(org_ids))}))"
        )
        params.extend(org_ids)
    return (" AND ".join(clauses) or "1"), params


def list_articles(db: Database, flt: ArticleFilter | None = None) -> list[ArticleSummary]:
    """Articles matching ``flt`` (newest publication first by default)."""
    flt = flt or ArticleFilter()
    if flt.order not in _ARTICLE_ORDERS:
        raise QueryError(f"unknown order {flt.order!r}; use one of: {', '.join(_ARTICLE_ORDERS)}")
    where, params = _article_where(db, flt)
    sql = f"""
        SELECT a.id, a.title, a.url, a.outlet, a.published, a.lang, a.status, a.origin, a.ingested_at,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events
        FROM articles a WHERE {where} ORDER BY {_ARTICLE_ORDERS[flt.order]}
    """
    sql, params = _paginate(sql, params, flt.limit, flt.offset)
    return [
        ArticleSummary(
            id=r["id"],
            title=r["title"],
            url=r["url"],
            outlet=r["outlet"],
            published=_date(r["published"]),
            lang=r["lang"],
            status=r["status"],
            events=r["n_events"],
            origin=r["origin"],
            ingested_at=r["ingested_at"],
        )
        for r in db.conn.execute(sql, params)
    ]


def count_articles(db: Database, flt: ArticleFilter | None = None) -> int:
    """How many articles match ``flt``."""
    where, params = _article_where(db, flt or ArticleFilter())
    return int(db.conn.execute(f"SELECT count(*) FROM articles a WHERE {where}", params).fetchone()[0])


def get_article(db: Database, article_id: str) -> ArticleDetail | None:
    """One stored article by id; ``None`` if there is none."""
    r = db.conn.execute("SELECT * FROM articles WHERE id = ?", (article_id,)).fetchone()
    if r is None:
        return None
    event_rows = db.conn.execute(f"{_EVENT_SELECT} WHERE e.article_id = ? ORDER BY e.seq", (article_id,))
    orgs = db.conn.execute(
        "SELECT o.name FROM article_organizations ao JOIN organizations o ON o.id = ao.organization_id "
        "WHERE ao.article_id = ? ORDER BY ao.rowid",
        (article_id,),
    )
    persons = db.conn.execute(
        "SELECT data FROM mentions WHERE article_id = ? AND kind = 'person' ORDER BY id", (article_id,)
    )
    rest = loads_record(ArticleResult, r["data"])
    return ArticleDetail(
        id=r["id"],
        origin=r["origin"],
        url=r["url"],
        title=r["title"],
        outlet=r["outlet"],
        published=_date(r["published"]),
        lang=r["lang"],
        lang_confidence=r["lang_confidence"],
        status=r["status"],
        raw_text=r["raw_text"],
        clean_text=r["clean_text"],
        content_hash=r["content_hash"],
        removed=loads_value(tuple[RemovedText, ...], r["removed"]),
        offsets=OffsetMap(loads_value(tuple[tuple[int, int, int], ...], r["offsets"])),
        ingested_at=r["ingested_at"],
        events=tuple(_event_rows(db.conn, event_rows.fetchall())),
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


# --------------------------------------------------------------------------- full-text search


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One article matching a full-text query."""

    article_id: str
    title: str | None
    url: str | None
    published: date | None
    lang: str | None
    snippet: str  # a passage of the cleaned text with the matches between the marks
    rank: float  # bm25: lower is better
    events: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict."""
        return _plain(self)


# A quoted phrase, or a run of non-space characters (with an optional trailing * for a prefix).
_QUERY_PART = re.compile(r'"([^"]*)"|(\S+)')


def fts_query(text: str) -> str | None:
    """Turn user input into a safe FTS5 query, or ``None`` when it has nothing to search for.

    Each word (or ``"quoted phrase"``) becomes a quoted FTS5 string, so that parentheses,
    ``NEAR``, ``:``, ``^``, ``-`` or stray quotes in the input are searched as words instead
    of parsed as syntax. Words are ANDed; an upper-case ``OR`` between two words is kept as
    the operator (FTS5 binds AND tighter than OR), an upper-case ``AND`` is dropped, and a
    word ending in ``*`` stays a prefix search.
    """
    terms: list[str] = []
    for match in _QUERY_PART.finditer(text):
        phrase, word = match.group(1), match.group(2)
        if word in ("AND", "OR"):
            if word == "OR" and terms and terms[-1] != "OR":
                terms.append("OR")
            continue
        prefix = False
        if word is not None:
            prefix = word.endswith("*")
            phrase = word.replace('"', " ")
        if not re.search(r"\w", phrase or ""):
            continue
        quoted = '"' + phrase.replace('"', '""').strip().rstrip("*").strip() + '"'
        terms.append(quoted + ("*" if prefix else ""))
    if terms and terms[-1] == "OR":
        terms.pop()
    return " ".join(terms) or None


def search(
    db: Database,
    query: str,
    limit: int | None = 20,
    offset: int = 0,
    *,
    marks: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    """Articles whose title or cleaned text match ``query``, best first (bm25, title weighted).

    Never raises on odd input: punctuation and FTS5 syntax are searched as plain words.
    ``marks`` surround the matched words in the snippet (a web page may pass markers of its
    own and replace them after escaping the text).
    """
    fts = fts_query(query)
    if fts is None:
        return []
    # Title matches weigh 4x the body: a word in the headline says what the article is about.
    sql = """
        SELECT a.id, a.title, a.url, a.published, a.lang,
               snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet,
               bm25(articles_fts, 4.0, 1.0) AS rank,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events
        FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY rank
    """
    sql, params = _paginate(sql, [marks[0], marks[1], fts], limit, offset)
    try:
        rows = db.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:  # should not happen with a quoted query; say what did
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
    return [
        SearchHit(
            article_id=r["id"],
            title=r["title"],
            url=r["url"],
            published=_date(r["published"]),
            lang=r["lang"],
            snippet=r["snippet"],
            rank=float(r["rank"]),
            events=r["n_events"],
        )
        for r in rows
    ]
