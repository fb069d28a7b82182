"""Aggregates over the database: organizations with their event counts, workbench statistics."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, fields

from crimewire.storage.db import Database
from crimewire.storage.query import JsonRecord, Where, count_by, from_row, marks, paginate, scalar, with_limit
from crimewire.storage.read import EventFilter, EventRow, list_events, organization_ids

# Key for events whose country (or date) is not known, in the count dicts below.
UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class OrganizationSummary(JsonRecord):
    """One criminal group as a list shows it."""

    id: int
    name: str
    parent: str | None
    known: bool  # from the knowledge base (False: discovered in text by a pattern)
    aliases: tuple[str, ...]  # surface forms seen, the canonical name excluded
    articles: int  # articles naming it
    events: int  # events it takes part in (its own, not its factions')


ORGANIZATION_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(OrganizationSummary))


@dataclass(frozen=True, slots=True)
class OrganizationDetail(JsonRecord):
    """One criminal group with its aliases, factions and activity.

    The counts cover the group *and its factions*: an event of "Los Hijos de Dios" counts
    for "Tren de Aragua" too. Years and countries of events without one are ``"unknown"``;
    an event's year is its date's, else its article's publication year.
    """

    id: int
    name: str
    parent: str | None
    known: bool
    aliases: tuple[str, ...]
    factions: tuple[str, ...]  # direct factions
    articles: int
    events: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_year: dict[str, int]
    by_country_year: dict[str, dict[str, int]]
    recent_events: tuple[EventRow, ...]


@dataclass(frozen=True, slots=True)
class Stats(JsonRecord):
    """What the database holds, for the workbench's front page.

    Event counts leave background events out unless ``stats(include_background=True)``;
    ``by_month`` files an event under its date, else its article's publication month.
    """

    articles: int
    events: int
    organizations: int
    ingest_errors: int
    by_type: dict[str, int]
    by_country: dict[str, int]
    by_month: dict[str, int]  # "YYYY-MM" → events, in month order
    by_lang: dict[str, int]  # articles by language
    newest: tuple[EventRow, ...]
    top_organizations: tuple[tuple[str, int], ...]  # (name, events), most active first


@dataclass(frozen=True, slots=True)
class IngestError(JsonRecord):
    """One logged input that could not be read."""

    id: int
    origin: str
    reason: str
    at: str


def _aliases(db: Database, org_id: int, name: str) -> tuple[str, ...]:
    rows = db.conn.execute(
        "SELECT name FROM organization_names WHERE organization_id = ? ORDER BY rowid", (org_id,)
    )
    return tuple(r[0] for r in rows if r[0] != name)


_NAMED = "o.id IN (SELECT organization_id FROM article_organizations)"


def _organization_where(known: bool | None) -> tuple[str, list[object]]:
    where = Where()
    where.add(_NAMED)
    if known is not None:
        where.add("o.known = ?", int(known))
    return where.sql()


def list_organizations(
    db: Database, *, known: bool | None = None, limit: int | None = None, offset: int = 0
) -> list[OrganizationSummary]:
    """Criminal groups named in at least one stored article, most active first.

    ``limit``/``offset`` page the list (``limit=None``: every group).
    """
    condition, params = _organization_where(known)
    # Events are counted as distinct ids read in index order (organization_id, event_id):
    # no temporary table per group.
    sql = f"""
        SELECT o.id, o.name, o.known, p.name AS parent,
               (SELECT count(*) FROM article_organizations ao WHERE ao.organization_id = o.id) AS n_articles,
               (SELECT count(*) FROM (SELECT DISTINCT eo.event_id FROM event_organizations eo
                WHERE eo.organization_id = o.id)) AS n_events
        FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
        WHERE {condition}
        ORDER BY n_events DESC, n_articles DESC, o.name
    """
    sql, params = paginate(sql, params, limit, offset)
    return [
        from_row(
            OrganizationSummary,
            r,
            known=bool(r["known"]),
            aliases=_aliases(db, r["id"], r["name"]),
            articles=r["n_articles"],
            events=r["n_events"],
        )
        for r in db.conn.execute(sql, params).fetchall()
    ]


def count_organizations(db: Database, *, known: bool | None = None) -> int:
    """How many groups ``list_organizations`` lists (all pages)."""
    condition, params = _organization_where(known)
    return scalar(db.conn, f"SELECT count(*) FROM organizations o WHERE {condition}", params)


def organization_names(db: Database, *, limit: int = 1000) -> list[str]:
    """Names of the groups named in the stored articles, alphabetically, at most ``limit`` (for a
    form's suggestions: no counts, so it stays cheap on a large database)."""
    sql = f"SELECT o.name FROM organizations o WHERE {_NAMED} ORDER BY o.name LIMIT ?"
    return [r[0] for r in db.conn.execute(sql, (limit,))]


def organization_parents(db: Database) -> dict[str, str]:
    """``{group: parent}`` for every group named in the stored articles that is a faction."""
    rows = db.conn.execute(
        f"SELECT o.name, p.name FROM organizations o JOIN organizations p ON p.id = o.parent_id WHERE {_NAMED}"
    )
    return {r[0]: r[1] for r in rows}


def co_occurring_organizations(
    db: Database, ids: Sequence[int], *, incidents: bool, limit: int = 20
) -> list[tuple[str, int]]:
    """``(name, n)`` of the groups that take part in the same incidents (``incidents=True``) or
    current events as any group of ``ids``, in most of them first; the groups ``ids`` left out."""
    if not ids:
        return []
    if incidents:
        pairs = """incident_organizations a JOIN incident_organizations b ON b.incident_id = a.incident_id"""
        key = "b.incident_id"
    else:
        pairs = """event_organizations a JOIN event_organizations b ON b.event_id = a.event_id
                   JOIN events e ON e.id = a.event_id AND e.background = 0"""
        key = "b.event_id"
    rows = db.conn.execute(
        f"""
        SELECT o.name, count(DISTINCT {key}) AS n FROM {pairs}
        JOIN organizations o ON o.id = b.organization_id
        WHERE a.organization_id IN ({marks(len(ids))}) AND b.organization_id NOT IN ({marks(len(ids))})
        GROUP BY o.name ORDER BY n DESC, o.name LIMIT ?
        """,
        [*ids, *ids, limit],
    )
    return [(r[0], int(r[1])) for r in rows]


def get_organization(db: Database, name_or_alias: str, *, recent: int = 10) -> OrganizationDetail | None:
    """A criminal group by canonical name or alias (accents and case ignored); ``None`` if unknown.

    When an alias is shared by several groups, the one named in most articles is returned.
    """
    ids = organization_ids(db, name_or_alias)
    if not ids:
        return None
    r = db.conn.execute(
        f"""
        SELECT o.id, o.name, o.known, p.name AS parent,
               (SELECT count(*) FROM article_organizations ao WHERE ao.organization_id = o.id) AS n_articles
        FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
        WHERE o.id IN ({marks(len(ids))}) ORDER BY n_articles DESC, o.id LIMIT 1
        """,
        ids,
    ).fetchone()
    org_id, name = r["id"], r["name"]
    tree = organization_ids(db, name, factions=True)
    tree_marks = marks(len(tree))
    factions = tuple(
        row[0]
        for row in db.conn.execute(
            "SELECT name FROM organizations WHERE parent_id = ? ORDER BY name", (org_id,)
        )
    )
    n_articles = db.conn.execute(
        "SELECT count(DISTINCT article_id) FROM article_organizations "
        f"WHERE organization_id IN ({tree_marks})",
        tree,
    ).fetchone()[0]
    rows = db.conn.execute(
        f"""
        SELECT e.type, e.country, substr(COALESCE(e.date, a.published), 1, 4) AS year
        FROM events e JOIN articles a ON a.id = e.article_id
        WHERE e.id IN (SELECT event_id FROM event_organizations WHERE organization_id IN ({tree_marks}))
        """,
        tree,
    ).fetchall()
    by_type: Counter[str] = Counter()
    by_country: Counter[str] = Counter()
    by_year: Counter[str] = Counter()
    by_country_year: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        country, year = row["country"] or UNKNOWN, row["year"] or UNKNOWN
        by_type[row["type"]] += 1
        by_country[country] += 1
        by_year[year] += 1
        by_country_year[country][year] += 1
    return OrganizationDetail(
        id=org_id,
        name=name,
        parent=r["parent"],
        known=bool(r["known"]),
        aliases=_aliases(db, org_id, name),
        factions=factions,
        articles=int(n_articles),
        events=len(rows),
        by_type=dict(by_type.most_common()),
        by_country=dict(by_country.most_common()),
        by_year=dict(sorted(by_year.items())),
        by_country_year={c: dict(sorted(years.items())) for c, years in sorted(by_country_year.items())},
        recent_events=tuple(list_events(db, EventFilter(organization=name, limit=recent))),
    )


def stats(
    db: Database, *, newest: int = 10, top: int = 10, include_background: bool = False, event_counts: bool = True
) -> Stats:
    """Counts by type, country, month and language; the newest events; the most active groups.

    ``event_counts=False`` leaves out what counts events (``events``, ``by_type``,
    ``by_country``, ``by_month``, ``top_organizations`` stay empty): for a caller that counts
    incidents instead and would throw these away.
    """
    bg = "" if include_background else "AND e.background = 0"

    def counts(sql: str) -> dict[str, int]:
        return count_by(db.conn, sql, UNKNOWN)

    def total(sql: str) -> int:
        return scalar(db.conn, sql)

    events = 0
    top_organizations: tuple[tuple[str, int], ...] = ()
    by_type: dict[str, int] = {}
    by_country: dict[str, int] = {}
    by_month: dict[str, int] = {}
    if event_counts:
        # Each count matches an index of migration 4 (events by background and type, country,
        # month): it reads an index, not the events table.
        events = total(f"SELECT count(*) FROM events e WHERE 1 {bg}")
        by_type = counts(f"SELECT type, count(*) AS n FROM events e WHERE 1 {bg} GROUP BY type ORDER BY n DESC, type")
        by_country = counts(
            f"SELECT country, count(*) AS n FROM events e WHERE 1 {bg} GROUP BY country ORDER BY n DESC, country"
        )
        by_month = counts(
            f"""
            SELECT substr(e.day, 1, 7) AS month, count(*) FROM events e WHERE 1 {bg}
            GROUP BY month ORDER BY month IS NULL, month
            """
        )
        top_rows = db.conn.execute(
            f"""
            SELECT o.name, count(DISTINCT eo.event_id) AS n
            FROM event_organizations eo JOIN organizations o ON o.id = eo.organization_id
            JOIN events e ON e.id = eo.event_id WHERE 1 {bg}
            GROUP BY o.id ORDER BY n DESC, o.name LIMIT ?
            """,
            (top,),
        )
        top_organizations = tuple((r[0], int(r[1])) for r in top_rows)
    return Stats(
        articles=total("SELECT count(*) FROM articles"),
        events=events,
        organizations=total("SELECT count(DISTINCT organization_id) FROM article_organizations"),
        ingest_errors=total("SELECT count(*) FROM ingest_errors"),
        by_type=by_type,
        by_country=by_country,
        by_month=by_month,
        by_lang=counts("SELECT lang, count(*) AS n FROM articles GROUP BY lang ORDER BY n DESC, lang"),
        newest=tuple(
            list_events(db, EventFilter(background=None if include_background else False, limit=newest))
        ),
        top_organizations=top_organizations,
    )


def top_incident_organizations(db: Database, *, top: int = 10) -> tuple[tuple[str, int], ...]:
    """(name, incidents) of the groups taking part in most incidents, most first."""
    rows = db.conn.execute(
        """
        SELECT o.name, n FROM (
            SELECT organization_id, count(*) AS n FROM incident_organizations GROUP BY organization_id
        ) JOIN organizations o ON o.id = organization_id
        ORDER BY n DESC, o.name LIMIT ?
        """,
        (top,),
    )
    return tuple((r[0], int(r[1])) for r in rows)


def list_ingest_errors(db: Database, *, limit: int | None = 100) -> list[IngestError]:
    """The logged read errors, newest first."""
    sql, params = with_limit("SELECT id, origin, reason, at FROM ingest_errors ORDER BY id DESC", [], limit)
    return [IngestError(r["id"], r["origin"], r["reason"], r["at"]) for r in db.conn.execute(sql, params)]
