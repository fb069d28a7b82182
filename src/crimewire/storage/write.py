"""Writing extraction results: one transaction per article, idempotent.

An article is recognised by its id and by the sha256 of its raw text:

* same id, same serialized result   → nothing written ("unchanged");
* another id already holds the same raw text → nothing written ("duplicate");
* same id, changed text or extraction → its rows are deleted and written anew ("replaced");
* otherwise                          → written ("inserted").

Replacement happens inside the article's transaction, so a failure halfway leaves the
previous version exactly as it was.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal

from crimewire.errors import StorageError
from crimewire.records import (
    ArticleOrganization,
    ArticleResult,
    Event,
    Mentions,
    ReadError,
)
from crimewire.storage.db import Database, name_key
from crimewire.storage.serialize import dumps, mention_items, sha256_text

Action = Literal["inserted", "replaced", "unchanged", "duplicate", "error"]


@dataclass(frozen=True, slots=True)
class StoreOutcome:
    """What storing one article did."""

    article_id: str
    inserted: bool  # True when rows were written (a new article or a replaced one)
    events: int  # events the article has in the database afterwards
    action: Action = "inserted"
    reason: str | None = None  # why nothing was written, or why rows were replaced


@dataclass(frozen=True, slots=True)
class StoreSummary:
    """Totals of a ``store_results`` run."""

    inserted: int = 0
    replaced: int = 0
    unchanged: int = 0
    duplicates: int = 0
    errors: int = 0  # read errors logged
    events: int = 0  # events written
    outcomes: tuple[StoreOutcome, ...] = field(default=(), repr=False)

    @property
    def articles(self) -> int:
        """Articles seen (written or not), read errors excluded."""
        return self.inserted + self.replaced + self.unchanged + self.duplicates


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _require_writable(db: Database) -> None:
    if db.readonly:
        raise StorageError(f"{db.path}: database is open read-only")


def store_result(db: Database, result: ArticleResult) -> StoreOutcome:
    """Store one article's result in its own transaction (see the module docstring for the rules)."""
    _require_writable(db)
    article = result.article
    content_hash = sha256_text(article.text)
    result_hash = sha256_text(dumps(result))
    try:
        with db.transaction() as conn:
            existing = conn.execute(
                "SELECT content_hash, result_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if existing is not None and existing["result_hash"] == result_hash:
                return StoreOutcome(
                    article.id, False, _event_count(conn, article.id), "unchanged", "already stored"
                )
            twin = conn.execute(
                "SELECT id FROM articles WHERE content_hash = ? AND id != ?", (content_hash, article.id)
            ).fetchone()
            if twin is not None:
                return StoreOutcome(article.id, False, 0, "duplicate", f"same text as article {twin['id']}")
            reason = None
            if existing is not None:
                reason = "text changed" if existing["content_hash"] != content_hash else "extraction changed"
                conn.execute("DELETE FROM articles WHERE id = ?", (article.id,))
            _insert_result(conn, result, content_hash, result_hash)
    except sqlite3.Error as exc:
        raise StorageError(f"{db.path}: cannot store article {article.id}: {exc}") from exc
    action: Action = "replaced" if reason else "inserted"
    return StoreOutcome(article.id, True, len(result.events), action, reason)


def store_read_error(db: Database, origin: str, reason: str, position: str | None = None) -> None:
    """Log an input that could not be read, with the time and its position in the file, in ``ingest_errors``.

    The same error logged again (same origin, position and reason: a re-run of the same
    ingest) keeps its one row, with the time of the latest run.
    """
    _require_writable(db)
    try:
        with db.transaction() as conn:
            seen = conn.execute(
                "SELECT id FROM ingest_errors WHERE origin = ? AND reason = ? AND position IS ?",
                (origin, reason, position),
            ).fetchone()
            if seen is not None:
                conn.execute("UPDATE ingest_errors SET at = ? WHERE id = ?", (_now(), seen["id"]))
            else:
                conn.execute(
                    "INSERT INTO ingest_errors (origin, reason, position, at) VALUES (?, ?, ?, ?)",
                    (origin, reason, position, _now()),
                )
    except sqlite3.Error as exc:
        raise StorageError(f"{db.path}: cannot log read error of {origin}: {exc}") from exc


def store_results(
    db: Database,
    items: Iterable[ArticleResult | ReadError],
    *,
    progress: Callable[[StoreOutcome], None] | None = None,
    keep_outcomes: bool = False,
) -> StoreSummary:
    """Store a stream of results and read errors, one transaction per item, and total them.

    Items are consumed one at a time (a generator of results is never held in memory).
    ``progress`` is called with each outcome (read errors give action "error").
    Stops at the first ``StorageError``; everything stored before it stays stored.
    """
    counts = {"inserted": 0, "replaced": 0, "unchanged": 0, "duplicate": 0, "error": 0}
    events = 0
    kept: list[StoreOutcome] = []
    for item in items:
        if isinstance(item, ReadError):
            store_read_error(db, item.origin, item.reason, item.position)
            outcome = StoreOutcome(item.origin, False, 0, "error", item.reason)
        else:
            outcome = store_result(db, item)
            if outcome.inserted:
                events += outcome.events
        counts[outcome.action] += 1
        if keep_outcomes:
            kept.append(outcome)
        if progress is not None:
            progress(outcome)
    return StoreSummary(
        inserted=counts["inserted"],
        replaced=counts["replaced"],
        unchanged=counts["unchanged"],
        duplicates=counts["duplicate"],
        errors=counts["error"],
        events=events,
        outcomes=tuple(kept),
    )


def register_organizations(db: Database, organizations: Iterable[ArticleOrganization]) -> int:
    """Record known groups with their aliases and parents (e.g. the knowledge base), idempotently.

    Lets queries find a group by any alias the knowledge base lists, even one no stored
    article has used yet (``--org TdA``). Groups registered here are marked ``known`` and
    are listed by ``list_organizations`` only once an article names them. Returns how many
    groups were given.
    """
    _require_writable(db)
    n = 0
    try:
        with db.transaction() as conn:
            orgs = _Organizations(conn, None)
            for org in organizations:
                org_id = orgs.get(org.name, known=True, parent=org.parent)
                for alias in org.aliases:
                    orgs.alias(org_id, alias)
                n += 1
    except sqlite3.Error as exc:
        raise StorageError(f"{db.path}: cannot register organizations: {exc}") from exc
    return n


def delete_article(db: Database, article_id: str) -> bool:
    """Delete an article and everything extracted from it; False if it was not stored."""
    _require_writable(db)
    try:
        with db.transaction() as conn:
            cur = conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))
            return cur.rowcount > 0
    except sqlite3.Error as exc:
        raise StorageError(f"{db.path}: cannot delete article {article_id}: {exc}") from exc


# --------------------------------------------------------------------------- inserting


def _event_count(conn: sqlite3.Connection, article_id: str) -> int:
    return int(conn.execute("SELECT count(*) FROM events WHERE article_id = ?", (article_id,)).fetchone()[0])


def _insert_result(
    conn: sqlite3.Connection, result: ArticleResult, content_hash: str, result_hash: str
) -> None:
    clean = result.clean
    article = clean.article
    # The texts, events and mentions have columns and tables of their own; the rest of the
    # record (metadata, notes, article-level organizations, any field added later) goes to
    # `data` so that load_result can rebuild the whole ArticleResult.
    rest = replace(
        result,
        clean=replace(clean, article=replace(article, text=""), text=""),
        events=(),
        mentions=Mentions(),
    )
    conn.execute(
        """
        INSERT INTO articles (id, origin, url, title, outlet, published, lang, lang_confidence,
            status, raw_text, clean_text, content_hash, result_hash, removed, offsets, data,
            ingested_at)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        (
            article.id,
            article.origin,
            article.url,
            article.title,
            article.outlet,
            article.published.isoformat() if article.published else None,
            clean.lang or article.lang,
            clean.lang_confidence,
            result.status,
            article.text,
            clean.text,
            content_hash,
            result_hash,
            dumps(clean.removed),
            dumps(clean.offsets.segments),
            dumps(rest),
            _now(),
        ),
    )
    lang = clean.lang or article.lang
    orgs = _Organizations(conn, lang)
    _insert_organizations(orgs, result)
    for seq, event in enumerate(result.events):
        _insert_event(conn, orgs, article.id, seq, event)
    _insert_mentions(conn, article.id, result.mentions)


class _Organizations:
    """Finds or creates organization rows within one article's transaction."""

    def __init__(self, conn: sqlite3.Connection, lang: str | None) -> None:
        self.conn = conn
        self.lang = lang
        self.ids: dict[str, int] = {}

    def get(self, name: str, *, known: bool = False, parent: str | None = None) -> int:
        """The id of the organization ``name``, created if new; records its parent and name."""
        org_id = self.ids.get(name)
        if org_id is None:
            row = self.conn.execute(
                """
                INSERT INTO organizations (name, key, known) VALUES (?, ?, ?)
                ON CONFLICT (name) DO UPDATE SET known = max(known, excluded.known)
                RETURNING id
                """,
                (name, name_key(name), int(known)),
            ).fetchone()
            org_id = int(row[0])
            self.ids[name] = org_id
            self.alias(org_id, name)
        elif known:
            self.conn.execute("UPDATE organizations SET known = 1 WHERE id = ?", (org_id,))
        if parent and parent != name:
            self._set_parent(org_id, self.get(parent))
        return org_id

    def alias(self, org_id: int, name: str) -> None:
        """Record ``name`` as a surface form of organization ``org_id``."""
        key = name_key(name)
        if key:
            self.conn.execute(
                "INSERT OR IGNORE INTO organization_names (organization_id, name, key, lang) "
                "VALUES (?, ?, ?, ?)",
                (org_id, name.strip(), key, self.lang),
            )

    def _set_parent(self, org_id: int, parent_id: int) -> None:
        # The first parent seen wins, and a parent link that would close a cycle is dropped:
        # the organization graph must stay a forest for the faction queries.
        ancestors = self.conn.execute(
            """
            WITH RECURSIVE up(id) AS (
                SELECT ? UNION SELECT o.parent_id FROM organizations o JOIN up ON o.id = up.id
                WHERE o.parent_id IS NOT NULL
            ) SELECT 1 FROM up WHERE id = ?
            """,
            (parent_id, org_id),
        ).fetchone()
        if ancestors is None:
            self.conn.execute(
                "UPDATE organizations SET parent_id = ? WHERE id = ? AND parent_id IS NULL",
                (parent_id, org_id),
            )


def _insert_organizations(orgs: _Organizations, result: ArticleResult) -> None:
    article_id = result.article.id
    known = {m.name for m in result.mentions.organizations if m.known}
    named: list[int] = []
    for org in result.organizations:
        org_id = orgs.get(org.name, known=org.name in known, parent=org.parent)
        for alias in org.aliases:
            orgs.alias(org_id, alias)
        named.append(org_id)
    for match in result.mentions.organizations:
        org_id = orgs.get(match.name, known=match.known, parent=match.parent)
        orgs.alias(org_id, match.text)
    for event in result.events:
        for event_org in event.organizations:
            named.append(orgs.get(event_org.name, known=event_org.name in known, parent=event_org.parent))
    orgs.conn.executemany(
        "INSERT OR IGNORE INTO article_organizations (article_id, organization_id) VALUES (?, ?)",
        [(article_id, org_id) for org_id in dict.fromkeys(named)],
    )


def _insert_event(
    conn: sqlite3.Connection, orgs: _Organizations, article_id: str, seq: int, event: Event
) -> None:
    ev, d, c, a = event.evidence, event.date, event.count, event.attribution
    row = conn.execute(
        """
        INSERT INTO events (article_id, seq, type, date, date_precision, date_text, date_rule,
            count, count_qualifier, count_text, country, background, hedged, evidence,
            evidence_start, evidence_end, clean_start, clean_end, trigger_text, trigger_start,
            trigger_end, rule, attribution_source, attribution_text, attribution_kind, data)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        RETURNING id
        """,
        (
            article_id,
            seq,
            event.type,
            d.value.isoformat() if d and d.value else None,
            d.precision if d and d.value else None,
            d.text if d else None,
            d.rule if d else None,
            c.value if c else None,
            c.qualifier if c else None,
            c.text if c else None,
            event.country.upper() if event.country else None,
            int(event.background),
            int(event.hedged),
            ev.sentence,
            ev.start,
            ev.end,
            ev.clean_start,
            ev.clean_end,
            ev.trigger,
            ev.trigger_start,
            ev.trigger_end,
            ev.rule,
            a.source if a else None,
            a.text if a else None,
            a.kind if a else None,
            dumps(event),
        ),
    ).fetchone()
    event_id = int(row[0])
    conn.executemany(
        """
        INSERT INTO event_places (event_id, seq, name, text, kind, country, region, region_name,
            city, lat, lon, geonameid, start_offset, end_offset, precision)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (
                event_id,
                i,
                p.name,
                p.text,
                p.kind,
                p.country,
                p.region,
                p.region_name,
                p.city,
                p.lat,
                p.lon,
                p.geonameid,
                p.start,
                p.end,
                p.precision,
            )
            for i, p in enumerate(event.places)
        ],
    )
    conn.executemany(
        "INSERT OR IGNORE INTO event_organizations (event_id, organization_id, role) VALUES (?, ?, ?)",
        [(event_id, orgs.get(o.name, parent=o.parent), o.role) for o in event.organizations],
    )
    conn.executemany(
        "INSERT INTO event_agencies (event_id, seq, name) VALUES (?, ?, ?)",
        [(event_id, i, name) for i, name in enumerate(dict.fromkeys(event.agencies))],
    )
    conn.executemany(
        "INSERT INTO event_nationalities (event_id, country) VALUES (?, ?)",
        [(event_id, code.upper()) for code in dict.fromkeys(c.upper() for c in event.nationalities)],
    )
    conn.executemany(
        "INSERT INTO event_items (event_id, seq, item, amount, unit, text) VALUES (?, ?, ?, ?, ?, ?)",
        [(event_id, i, q.item, q.amount, q.unit, q.text) for i, q in enumerate(event.items)],
    )


def _insert_mentions(conn: sqlite3.Connection, article_id: str, mentions: Mentions) -> None:
    rows = [
        (article_id, kind, data.get("start"), data.get("end"), data.get("text"), data["name"], dumps(m))
        for kind, m, data in mention_items(mentions)
    ]
    conn.executemany(
        """
        INSERT INTO mentions (article_id, kind, start_offset, end_offset, text, name, data)
        VALUES (?, ?, ?, ?, ?, ?, ?)
        """,
        rows,
    )
    conn.executemany(
        """
        INSERT INTO persons (article_id, seq, name, alias, role, victim, text, start_offset, end_offset)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
        [
            (article_id, i, p.name, p.alias, p.role, int(p.role == "victim"), p.text, p.start, p.end)
            for i, p in enumerate(mentions.persons)
        ],
    )
