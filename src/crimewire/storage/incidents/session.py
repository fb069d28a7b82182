"""The write session of incident resolution: ``incident_session(db)`` opens one write transaction
and yields an ``IncidentSession`` whose methods read reports, retrieve candidates, record scored
pairs and replace incidents. The matching itself lives in ``crimewire.resolve``; nothing here
decides what matches.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from crimewire.errors import StorageError
from crimewire.records import Event, PersonMatch, PlaceMatch
from crimewire.storage.db import Database
from crimewire.storage.incidents._common import Key, _chunks
from crimewire.storage.query import iso_date, marks
from crimewire.storage.serialize import dumps, loads_record, to_jsonable


@functools.lru_cache(maxsize=8192)
def _event(data: str) -> Event:
    """The Event stored as JSON ``data``: a pure function of the text, memoized because
    resolution reads the same candidate reports again and again (JSON → record is slow)."""
    return loads_record(Event, data)


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
    geo_precision: int | None = None  # ACLED: 1 town, 2 near a town or a facility, 3 an area
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
            qmarks = marks(len(chunk))
            names: dict[str, tuple[list[PersonMatch], list[PlaceMatch]]] = defaultdict(lambda: ([], []))
            for r in self.conn.execute(
                f"SELECT article_id, kind, data FROM mentions WHERE article_id IN ({qmarks}) "
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
                WHERE e.article_id IN ({qmarks}) AND e.background = 0 ORDER BY e.article_id, e.seq
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
                    f"({marks(len(chunk))})",
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
            qmarks = marks(len(chunk))
            for table, column in (
                ("incidents", "id"),
                ("incident_organizations", "incident_id"),
                ("incident_places", "incident_id"),
            ):
                self.conn.execute(f"DELETE FROM {table} WHERE {column} IN ({qmarks})", list(chunk))
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
                founder_seq, geo_precision)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
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
                inc.geo_precision,
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
                    f"WHERE o.key IN ({marks(len(chunk))}) ORDER BY o.id",
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
            clauses.append(f"p.article_id IN ({marks(len(ids))})")
            params.extend(ids)
        names, aliases = sorted(set(name_keys)), sorted(set(alias_keys))
        if names:
            clauses.append(
                "(p.article_id, p.seq) IN (SELECT article_id, seq FROM person_members WHERE name_key IN "
                f"({marks(len(names))}))"
            )
            params.extend(names)
        if aliases:
            clauses.append(
                "(p.article_id, p.seq) IN (SELECT article_id, seq FROM person_members WHERE alias_key IN "
                f"({marks(len(aliases))}))"
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
                f"SELECT article_id, seq FROM person_members WHERE entity_id IN ({marks(len(ids))})",
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
            qmarks = marks(len(chunk))
            self.conn.execute(f"DELETE FROM person_entities WHERE id IN ({qmarks})", list(chunk))
            self.conn.execute(f"DELETE FROM person_members WHERE entity_id IN ({qmarks})", list(chunk))
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
