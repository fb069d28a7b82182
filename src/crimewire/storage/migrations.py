"""The database schema, as numbered migrations applied in order when a database is opened.

Schema (version 1)
==================

Every table lives in one SQLite file, opened in WAL mode with foreign keys on. Dates are ISO
``YYYY-MM-DD`` text (they sort and compare as text); timestamps are ISO UTC text; JSON
columns hold ``dataclasses.asdict`` of the record, so that fields added to the records later
are kept even before a migration gives them a column of their own.

``schema_migrations`` (version INTEGER pk, name, applied_at)
    One row per migration applied. Migrations are append-only: a change to the schema is a
    new numbered function at the end of ``MIGRATIONS``, never an edit of an old one.

``articles``
    num INTEGER pk (stable rowid, the key of the full-text index), id TEXT UNIQUE
    (= ``Article.id``; every other table joins on it), origin, url, title, outlet, published
    (date), lang, lang_confidence, status, raw_text (``Article.text``, the original body),
    clean_text (``CleanArticle.text``), content_hash UNIQUE (sha256 of raw_text),
    result_hash (sha256 of the whole serialized result: tells "same text, new extraction"),
    removed JSON (list of ``RemovedText``: start, end, text, reason — offsets into raw_text),
    offsets JSON (``OffsetMap.segments``), data JSON (the rest of the ``ArticleResult``:
    article metadata, language, notes, article-level organizations; texts, events and
    mentions are blanked there because they have their own columns and tables),
    ingested_at.
    (``id`` is UNIQUE rather than the primary key because FTS5 external content needs an
    integer rowid that VACUUM cannot renumber.)

``articles_fts`` — FTS5, *external content* over ``articles(title, clean_text)``,
    ``content_rowid = num``, tokenizer ``unicode61 remove_diacritics 2`` (so "cartel" finds
    "cártel"). Kept in step by the triggers ``articles_ai/ad/au``; the text is stored once
    (in ``articles``) and ``snippet()`` reads it from there.

``events``
    id INTEGER pk, article_id FK→articles.id ON DELETE CASCADE, seq (order within the
    article; UNIQUE with article_id), type, date, date_precision, date_text, date_rule,
    count, count_qualifier, count_text, country (ISO alpha-2), background, hedged (0/1),
    evidence (the sentence as cleaned), evidence_start/evidence_end (offsets into raw_text),
    clean_start/clean_end (offsets into clean_text), trigger_text, trigger_start/trigger_end
    (clean offsets), rule, attribution_source, attribution_text, attribution_kind,
    data JSON (the full ``Event``).
``events_fts`` — FTS5, external content over ``events(evidence)``, ``content_rowid = id``,
    same tokenizer, triggers ``events_ai/ad/au``. The events ``text`` filter searches it.

``event_places`` (event_id FK, seq, name, text, kind, country, region, region_name, city,
    lat, lon, geonameid, start_offset, end_offset)
``event_organizations`` (event_id FK, organization_id FK, role) — pk (event_id,
    organization_id, role)
``event_agencies`` (event_id FK, seq, name)
``event_nationalities`` (event_id FK, country)
``event_items`` (event_id FK, seq, item, amount, unit, text) — seized items

``organizations`` (id INTEGER pk, name UNIQUE (canonical), key (normalized name), parent_id
    FK→organizations.id, known 0/1 (1 once any mention came from the knowledge base))
    Shared by all articles: replacing or deleting an article leaves them in place.
``organization_names`` (organization_id FK, name, key, lang) — UNIQUE (organization_id, key);
    every surface form seen, the canonical name included. ``key`` is the name folded
    (case, accents, spaces) so that "Cártel de Sinaloa" and "cartel de sinaloa" meet.
``article_organizations`` (article_id FK, organization_id FK) — pk both: the groups an
    article names (its ``organizations`` plus the groups of its events).

``mentions`` (id INTEGER pk, article_id FK, kind: place | organization | agency |
    nationality | person, start_offset, end_offset (clean offsets), text, name (the
    normalized name; the ISO code for a nationality), data JSON (the full match record))
``persons`` (id INTEGER pk, article_id FK, seq, name (as named), alias, role, victim 0/1,
    text, start_offset, end_offset) — no identity across articles.

``ingest_errors`` (id INTEGER pk, origin, reason, at) — a log of inputs that could not be read
    (``position`` comes in version 3).

Indexes: events(type), events(date), events(country), events(article_id), event_places(name),
event_organizations(organization_id), event_agencies(name), organizations(key),
organization_names(key), organizations(parent_id), mentions(article_id, kind),
mentions(kind, name), persons(name), articles(published).

Cross-article ``incidents`` (events of several articles that report one happening) come in a
later migration that adds their own tables referencing ``events.id``.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime


@dataclass(frozen=True, slots=True)
class Migration:
    """One numbered schema change."""

    version: int
    name: str
    apply: Callable[[sqlite3.Connection], None]


def _run(conn: sqlite3.Connection, statements: tuple[str, ...]) -> None:
    # One statement per execute(): executescript() would COMMIT the enclosing transaction,
    # and a migration must be applied (or not) as a whole.
    for statement in statements:
        conn.execute(statement)


_FTS_TOKENIZER = "unicode61 remove_diacritics 2"

_V1: tuple[str, ...] = (
    """
    CREATE TABLE articles (
        num INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        origin TEXT NOT NULL DEFAULT '',
        url TEXT,
        title TEXT,
        outlet TEXT,
        published TEXT,
        lang TEXT,
        lang_confidence REAL,
        status TEXT NOT NULL,
        raw_text TEXT NOT NULL,
        clean_text TEXT NOT NULL,
        content_hash TEXT NOT NULL UNIQUE,
        result_hash TEXT NOT NULL,
        removed TEXT NOT NULL DEFAULT '[]',
        offsets TEXT NOT NULL DEFAULT '[]',
        data TEXT NOT NULL DEFAULT '{}',
        ingested_at TEXT NOT NULL
    )
    """,
    "CREATE INDEX articles_published ON articles(published)",
    f"""
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, clean_text, content='articles', content_rowid='num', tokenize='{_FTS_TOKENIZER}'
    )
    """,
    """
    CREATE TRIGGER articles_ai AFTER INSERT ON articles BEGIN
        INSERT INTO articles_fts(rowid, title, clean_text) VALUES (new.num, new.title, new.clean_text);
    END
    """,
    """
    CREATE TRIGGER articles_ad AFTER DELETE ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, clean_text)
        VALUES ('delete', old.num, old.title, old.clean_text);
    END
    """,
    """
    CREATE TRIGGER articles_au AFTER UPDATE OF title, clean_text ON articles BEGIN
        INSERT INTO articles_fts(articles_fts, rowid, title, clean_text)
        VALUES ('delete', old.num, old.title, old.clean_text);
        INSERT INTO articles_fts(rowid, title, clean_text) VALUES (new.num, new.title, new.clean_text);
    END
    """,
    """
    CREATE TABLE events (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        type TEXT NOT NULL,
        date TEXT,
        date_precision TEXT,
        date_text TEXT,
        date_rule TEXT,
        count INTEGER,
        count_qualifier TEXT,
        count_text TEXT,
        country TEXT,
        background INTEGER NOT NULL DEFAULT 0,
        hedged INTEGER NOT NULL DEFAULT 0,
        evidence TEXT NOT NULL,
        evidence_start INTEGER,
        evidence_end INTEGER,
        clean_start INTEGER,
        clean_end INTEGER,
        trigger_text TEXT,
        trigger_start INTEGER,
        trigger_end INTEGER,
        rule TEXT,
        attribution_source TEXT,
        attribution_text TEXT,
        attribution_kind TEXT,
        data TEXT NOT NULL DEFAULT '{}',
        UNIQUE (article_id, seq)
    )
    """,
    "CREATE INDEX events_type ON events(type)",
    "CREATE INDEX events_date ON events(date)",
    "CREATE INDEX events_country ON events(country)",
    f"""
    CREATE VIRTUAL TABLE events_fts USING fts5(
        evidence, content='events', content_rowid='id', tokenize='{_FTS_TOKENIZER}'
    )
    """,
    """
    CREATE TRIGGER events_ai AFTER INSERT ON events BEGIN
        INSERT INTO events_fts(rowid, evidence) VALUES (new.id, new.evidence);
    END
    """,
    """
    CREATE TRIGGER events_ad AFTER DELETE ON events BEGIN
        INSERT INTO events_fts(events_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence);
    END
    """,
    """
    CREATE TRIGGER events_au AFTER UPDATE OF evidence ON events BEGIN
        INSERT INTO events_fts(events_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence);
        INSERT INTO events_fts(rowid, evidence) VALUES (new.id, new.evidence);
    END
    """,
    """
    CREATE TABLE event_places (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        text TEXT,
        kind TEXT,
        country TEXT,
        region TEXT,
        region_name TEXT,
        city TEXT,
        lat REAL,
        lon REAL,
        geonameid INTEGER,
        start_offset INTEGER,
        end_offset INTEGER,
        PRIMARY KEY (event_id, seq)
    )
    """,
    "CREATE INDEX event_places_name ON event_places(name)",
    """
    CREATE TABLE organizations (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        key TEXT NOT NULL,
        parent_id INTEGER REFERENCES organizations(id) ON DELETE SET NULL,
        known INTEGER NOT NULL DEFAULT 0
    )
    """,
    "CREATE INDEX organizations_key ON organizations(key)",
    "CREATE INDEX organizations_parent ON organizations(parent_id)",
    """
    CREATE TABLE organization_names (
        organization_id INTEGER NOT NULL REFERENCES organizations(id) ON DELETE CASCADE,
        name TEXT NOT NULL,
        key TEXT NOT NULL,
        lang TEXT,
        UNIQUE (organization_id, key)
    )
    """,
    "CREATE INDEX organization_names_key ON organization_names(key)",
    """
    CREATE TABLE event_organizations (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        organization_id INTEGER NOT NULL REFERENCES organizations(id),
        role TEXT NOT NULL DEFAULT 'perpetrator',
        PRIMARY KEY (event_id, organization_id, role)
    )
    """,
    "CREATE INDEX event_organizations_org ON event_organizations(organization_id)",
    """
    CREATE TABLE event_agencies (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (event_id, seq)
    )
    """,
    "CREATE INDEX event_agencies_name ON event_agencies(name)",
    """
    CREATE TABLE event_nationalities (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        country TEXT NOT NULL,
        PRIMARY KEY (event_id, country)
    )
    """,
    """
    CREATE TABLE event_items (
        event_id INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        item TEXT NOT NULL,
        amount REAL,
        unit TEXT,
        text TEXT,
        PRIMARY KEY (event_id, seq)
    )
    """,
    """
    CREATE TABLE article_organizations (
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        organization_id INTEGER NOT NULL REFERENCES organizations(id),
        PRIMARY KEY (article_id, organization_id)
    )
    """,
    "CREATE INDEX article_organizations_org ON article_organizations(organization_id)",
    """
    CREATE TABLE mentions (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        kind TEXT NOT NULL,
        start_offset INTEGER,
        end_offset INTEGER,
        text TEXT,
        name TEXT,
        data TEXT NOT NULL DEFAULT '{}'
    )
    """,
    "CREATE INDEX mentions_article ON mentions(article_id, kind)",
    "CREATE INDEX mentions_name ON mentions(kind, name)",
    """
    CREATE TABLE persons (
        id INTEGER PRIMARY KEY,
        article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        alias TEXT,
        role TEXT NOT NULL DEFAULT 'unknown',
        victim INTEGER NOT NULL DEFAULT 0,
        text TEXT,
        start_offset INTEGER,
        end_offset INTEGER
    )
    """,
    "CREATE INDEX persons_article ON persons(article_id)",
    "CREATE INDEX persons_name ON persons(name)",
    """
    CREATE TABLE ingest_errors (
        id INTEGER PRIMARY KEY,
        origin TEXT NOT NULL,
        reason TEXT NOT NULL,
        at TEXT NOT NULL
    )
    """,
)


def _v1_initial_schema(conn: sqlite3.Connection) -> None:
    """Articles, events and their arguments, organizations, mentions, persons, ingest errors."""
    _run(conn, _V1)


# Schema (version 2): cross-article incidents and resolved entities
# ====================================================================
#
# Reports are keyed by (article_id, seq), never by events.id: event ids change when an article
# is stored again, the (article, position) key does not. These tables have no foreign keys to
# ``articles``/``events`` on purpose: replacing an article deletes its events, and
# ``crimewire.resolve.resolve_article`` must still see which incidents the old reports were in
# to update them (readers join with ``events``, so a stale row is never shown).
#
# ``incidents`` (id TEXT pk: stable, derived from the key of the incident's first report; type,
#     date, date_precision, date_rule, day (date, else first publication: for sorting and date
#     filters), country, country_rule, count, count_qualifier, count_rule, places and
#     organizations (JSON lists of names), n_sources, first_reported, last_reported, lat, lon,
#     region, location_kind, chosen JSON {argument: [value, rule]}, conflicts JSON
#     [[argument, [[value, [article ids]]]]], founder_article, founder_seq)
# ``incident_members`` (article_id, seq) pk → incident_id; type, country, day_lo/day_hi (the
#     report's time window, for candidate retrieval), via_article/via_seq (the report it was
#     matched to), score, why (one line saying why it joined).
# ``incident_links`` (a_article, a_seq, b_article, b_seq) pk, a < b: every candidate pair scored
#     (near misses included), score, linked 0/1, conflict (why it can never link), features JSON.
# ``incident_organizations`` (incident_id, organization_id), ``incident_places`` (incident_id,
#     seq, name, kind, country, region, region_name, city): for the list filters.
# ``resolved_articles`` (article_id pk, result_hash): which stored version was resolved.
# ``organization_entities`` (organization_id pk → entity_id): the organization row that stands
#     for the same group (a discovered "los Pulpos" and "Los Pulpos" resolve to one).
# ``agency_entities`` (id TEXT pk, name, kind, country), ``agency_mentions`` (entity_id,
#     article_id, name): agencies resolved across articles and languages.
# ``person_entities`` (id TEXT pk, name, aliases JSON, roles JSON, victim 0/1, articles),
#     ``person_members`` ((article_id, seq) of ``persons`` pk → entity_id, name_key, alias_key,
#     role, victim): people as named in the reports, resolved by name and alias.

_V2: tuple[str, ...] = (
    """
    CREATE TABLE incidents (
        id TEXT PRIMARY KEY,
        type TEXT NOT NULL,
        date TEXT,
        date_precision TEXT,
        date_rule TEXT,
        day TEXT,
        country TEXT,
        country_rule TEXT,
        count INTEGER,
        count_qualifier TEXT,
        count_rule TEXT,
        places TEXT NOT NULL DEFAULT '[]',
        organizations TEXT NOT NULL DEFAULT '[]',
        n_sources INTEGER NOT NULL,
        first_reported TEXT,
        last_reported TEXT,
        lat REAL,
        lon REAL,
        region TEXT,
        location_kind TEXT,
        chosen TEXT NOT NULL DEFAULT '{}',
        conflicts TEXT NOT NULL DEFAULT '[]',
        founder_article TEXT NOT NULL,
        founder_seq INTEGER NOT NULL
    )
    """,
    "CREATE INDEX incidents_type ON incidents(type, day)",
    "CREATE INDEX incidents_day ON incidents(day)",
    "CREATE INDEX incidents_country ON incidents(country, day)",
    """
    CREATE TABLE incident_members (
        article_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        incident_id TEXT NOT NULL,
        type TEXT NOT NULL,
        country TEXT,
        day_lo TEXT,
        day_hi TEXT,
        via_article TEXT,
        via_seq INTEGER,
        score REAL,
        why TEXT,
        PRIMARY KEY (article_id, seq)
    )
    """,
    "CREATE INDEX incident_members_window ON incident_members(type, day_lo)",
    "CREATE INDEX incident_members_incident ON incident_members(incident_id)",
    """
    CREATE TABLE incident_links (
        a_article TEXT NOT NULL,
        a_seq INTEGER NOT NULL,
        b_article TEXT NOT NULL,
        b_seq INTEGER NOT NULL,
        score REAL NOT NULL,
        linked INTEGER NOT NULL,
        conflict TEXT,
        features TEXT NOT NULL DEFAULT '[]',
        PRIMARY KEY (a_article, a_seq, b_article, b_seq)
    )
    """,
    "CREATE INDEX incident_links_b ON incident_links(b_article, b_seq)",
    """
    CREATE TABLE incident_organizations (
        incident_id TEXT NOT NULL,
        organization_id INTEGER NOT NULL,
        PRIMARY KEY (incident_id, organization_id)
    )
    """,
    "CREATE INDEX incident_organizations_org ON incident_organizations(organization_id)",
    """
    CREATE TABLE incident_places (
        incident_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        name TEXT NOT NULL,
        kind TEXT,
        country TEXT,
        region TEXT,
        region_name TEXT,
        city TEXT,
        PRIMARY KEY (incident_id, seq)
    )
    """,
    "CREATE INDEX incident_places_name ON incident_places(name)",
    """
    CREATE TABLE resolved_articles (
        article_id TEXT PRIMARY KEY,
        result_hash TEXT NOT NULL
    )
    """,
    """
    CREATE TABLE organization_entities (
        organization_id INTEGER PRIMARY KEY,
        entity_id INTEGER NOT NULL,
        rule TEXT NOT NULL DEFAULT ''
    )
    """,
    "CREATE INDEX organization_entities_entity ON organization_entities(entity_id)",
    """
    CREATE TABLE agency_entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT,
        country TEXT
    )
    """,
    """
    CREATE TABLE agency_mentions (
        entity_id TEXT NOT NULL,
        article_id TEXT NOT NULL,
        name TEXT NOT NULL,
        PRIMARY KEY (entity_id, article_id, name)
    )
    """,
    "CREATE INDEX agency_mentions_article ON agency_mentions(article_id)",
    """
    CREATE TABLE person_entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        aliases TEXT NOT NULL DEFAULT '[]',
        roles TEXT NOT NULL DEFAULT '[]',
        victim INTEGER NOT NULL DEFAULT 0,
        articles INTEGER NOT NULL DEFAULT 0
    )
    """,
    """
    CREATE TABLE person_members (
        article_id TEXT NOT NULL,
        seq INTEGER NOT NULL,
        entity_id TEXT NOT NULL,
        name_key TEXT,
        alias_key TEXT,
        role TEXT NOT NULL DEFAULT 'unknown',
        victim INTEGER NOT NULL DEFAULT 0,
        PRIMARY KEY (article_id, seq)
    )
    """,
    "CREATE INDEX person_members_name ON person_members(name_key)",
    "CREATE INDEX person_members_alias ON person_members(alias_key)",
    "CREATE INDEX person_members_entity ON person_members(entity_id)",
)


def _v2_incidents(conn: sqlite3.Connection) -> None:
    """Incidents (reports of one happening across articles) and resolved entities."""
    _run(conn, _V2)


# Schema (version 3): where in a file an unreadable input is
# ============================================================
#
# ``ingest_errors.position`` TEXT (NULL for a whole file): "line 7" of a JSON Lines file,
# "item 3" of a JSON array, "entry 2" of a feed, "record 4 at byte 5120" of a WARC file,
# "byte 25" of a text file that is not UTF-8. ``ingest_errors_origin`` indexes the origin, so
# that logging the same error again (a re-run of the same ingest) finds the row it repeats.

_V3: tuple[str, ...] = (
    "ALTER TABLE ingest_errors ADD COLUMN position TEXT",
    "CREATE INDEX ingest_errors_origin ON ingest_errors(origin)",
)


def _v3_ingest_error_positions(conn: sqlite3.Connection) -> None:
    """The position of an unreadable input within its file."""
    _run(conn, _V3)


# Schema (version 4): indexes for the workbench's lists, filters and counts
# ==========================================================================
#
# Measured on a generated database of 100,000 incidents (``make bench``, docs/PERFORMANCE.md):
# without these, the default sort of every list and the counts of the overview read whole
# tables (0.2-2.7 s a request). Each index matches a query of ``storage/`` word for word:
# SQLite uses an index on an expression only for that same expression.
#
# ``events.day`` (TEXT): the day an event is filed under, its date else its article's
#     publication day (what ``COALESCE(e.date, a.published)`` gave, which no index can hold
#     because it spans two tables). Filled for existing rows here, and by the trigger
#     ``events_day`` for every new event (an article's events are always inserted after the
#     article, and an article is replaced, never updated, so the day never goes stale).
# Sort orders: newest first ``events_order``, ``events_current_order`` (background = 0: the
#     incident view), ``incidents_order`` (also by type and by country), ``articles_order`` (also
#     by language); oldest first ``events_order_asc``, ``incidents_order_asc``.
# Counts: events by type, country and month (background = 0), incidents by month and by
#     number of sources.
# Place filters compare names case-insensitively (``= ? COLLATE NOCASE``): NOCASE indexes on
#     the place names of events and incidents.
# ``event_organizations_org_event`` (organization_id, event_id) replaces
#     ``event_organizations_org``: it also answers "events of this group" without the table.

_V4: tuple[str, ...] = (
    "ALTER TABLE events ADD COLUMN day TEXT",
    "UPDATE events SET day = COALESCE(date, (SELECT published FROM articles a WHERE a.id = events.article_id))",
    """
    CREATE TRIGGER events_day AFTER INSERT ON events BEGIN
        UPDATE events SET day = COALESCE(new.date, (SELECT published FROM articles WHERE id = new.article_id))
        WHERE id = new.id;
    END
    """,
    "CREATE INDEX events_order ON events(day IS NULL, day DESC, id DESC)",
    "CREATE INDEX events_order_asc ON events(day IS NULL, day, id)",
    "CREATE INDEX events_current_order ON events(background, day IS NULL, day DESC, id DESC)",
    "CREATE INDEX events_current_type ON events(background, type)",
    "CREATE INDEX events_current_country ON events(background, country)",
    "CREATE INDEX events_current_month ON events(background, substr(day, 1, 7))",
    "CREATE INDEX incidents_order ON incidents(day IS NULL, day DESC, id)",
    "CREATE INDEX incidents_order_asc ON incidents(day IS NULL, day, id)",
    "CREATE INDEX incidents_type_order ON incidents(type, day IS NULL, day DESC, id)",
    "CREATE INDEX incidents_country_order ON incidents(country, day IS NULL, day DESC, id)",
    "CREATE INDEX incidents_month ON incidents(substr(day, 1, 7))",
    "CREATE INDEX incidents_sources ON incidents(n_sources)",
    "CREATE INDEX articles_order ON articles(published IS NULL, published DESC, id)",
    "CREATE INDEX articles_lang_order ON articles(lang, published IS NULL, published DESC, id)",
    "CREATE INDEX event_places_name_nocase ON event_places(name COLLATE NOCASE)",
    "CREATE INDEX event_places_text_nocase ON event_places(text COLLATE NOCASE)",
    "CREATE INDEX event_places_city_nocase ON event_places(city COLLATE NOCASE)",
    "CREATE INDEX event_places_region_nocase ON event_places(region_name COLLATE NOCASE)",
    "CREATE INDEX incident_places_name_nocase ON incident_places(name COLLATE NOCASE)",
    "CREATE INDEX incident_places_city_nocase ON incident_places(city COLLATE NOCASE)",
    "CREATE INDEX incident_places_region_nocase ON incident_places(region_name COLLATE NOCASE)",
    "CREATE INDEX event_organizations_org_event ON event_organizations(organization_id, event_id)",
    "DROP INDEX event_organizations_org",
)


def _v4_read_indexes(conn: sqlite3.Connection) -> None:
    """Indexes (and the events' filing day) for the workbench's sorted, filtered, paged reads."""
    _run(conn, _V4)


# Schema (version 5): the ACLED geo_precision of every place
# ==========================================================
#
# ``event_places.precision`` and ``incidents.geo_precision``: 1 the town or locality itself,
# 2 a place near a town or a facility (lat/lon are the town's), 3 a region or country (an
# area, no point). Rows stored before version 5 get what their kind says (a town with a
# point 1, any other place with a country 3); a re-ingest gives the finer value.

_V5: tuple[str, ...] = (
    "ALTER TABLE event_places ADD COLUMN precision INTEGER",
    """
    UPDATE event_places SET precision = CASE
        WHEN kind IN ('city', 'locality', 'facility') AND lat IS NOT NULL THEN 1
        WHEN country IS NOT NULL OR region IS NOT NULL THEN 3 END
    """,
    "ALTER TABLE incidents ADD COLUMN geo_precision INTEGER",
    """
    UPDATE incidents SET geo_precision = CASE
        WHEN lat IS NOT NULL AND COALESCE(location_kind, 'city') IN ('city', 'locality', 'facility') THEN 1
        WHEN country IS NOT NULL OR region IS NOT NULL THEN 3 END
    """,
)


def _v5_place_precision(conn: sqlite3.Connection) -> None:
    """The ACLED geo_precision of event places and incidents."""
    _run(conn, _V5)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "initial_schema", _v1_initial_schema),
    Migration(2, "incidents_and_entities", _v2_incidents),
    Migration(3, "ingest_error_positions", _v3_ingest_error_positions),
    Migration(4, "read_indexes", _v4_read_indexes),
    Migration(5, "place_precision", _v5_place_precision),
)

LATEST_VERSION: int = MIGRATIONS[-1].version


def ensure_migrations_table(conn: sqlite3.Connection) -> None:
    """Create ``schema_migrations`` if the database has none yet."""
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )


def applied_versions(conn: sqlite3.Connection) -> list[int]:
    """Versions recorded in ``schema_migrations`` (empty when the table does not exist)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT version FROM schema_migrations ORDER BY version")]


def pending_migrations(conn: sqlite3.Connection) -> list[Migration]:
    """Migrations not yet applied to this database, in order."""
    done = set(applied_versions(conn))
    return [m for m in MIGRATIONS if m.version not in done]


def apply_migrations(conn: sqlite3.Connection) -> list[Migration]:
    """Apply every pending migration, each in its own transaction; return those applied.

    The connection must be in autocommit mode (``isolation_level=None``) so that the
    explicit BEGIN/COMMIT here decide what is atomic.
    """
    ensure_migrations_table(conn)
    applied: list[Migration] = []
    for migration in pending_migrations(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            migration.apply(conn)
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (migration.version, migration.name, datetime.now(UTC).isoformat(timespec="seconds")),
            )
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
        applied.append(migration)
    return applied
