"""Resolved entities read back: a group's profile and factions, people (victims kept out) and
agencies, as frozen dataclasses with ``to_dict()``.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

from crimewire.storage.db import Database
from crimewire.storage.incidents._common import _chunks
from crimewire.storage.incidents.read import IncidentFilter, IncidentRow, entity_organization_ids, list_incidents
from crimewire.storage.query import JsonRecord, iso_date, marks, with_limit
from crimewire.storage.read import organization_ids
from crimewire.storage.victims import replace_names


@dataclass(frozen=True, slots=True)
class FactionNode(JsonRecord):
    """A group in a factions tree, with its own factions."""

    name: str
    factions: tuple[FactionNode, ...] = ()


@dataclass(frozen=True, slots=True)
class OrganizationProfile(JsonRecord):
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


@dataclass(frozen=True, slots=True)
class PersonEntity(JsonRecord):
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


@dataclass(frozen=True, slots=True)
class AgencyEntity(JsonRecord):
    """A police force, prosecutor, military or government body, resolved across articles."""

    id: str
    name: str
    kind: str | None
    country: str | None
    names: tuple[str, ...]
    articles: int


# --------------------------------------------------------------------------- organizations


def _entity_row(db: Database, name_or_alias: str) -> sqlite3.Row | None:
    ids = organization_ids(db, name_or_alias)
    if not ids:
        return None
    qmarks = marks(len(ids))
    # The row standing for the group: its resolved entity, the most named one first.
    return db.conn.execute(
        f"""
        SELECT o.id, o.name, o.known, p.name AS parent,
               (SELECT count(*) FROM article_organizations ao WHERE ao.organization_id = o.id) AS n
        FROM organizations o LEFT JOIN organizations p ON p.id = o.parent_id
        WHERE o.id IN (SELECT coalesce(
                (SELECT entity_id FROM organization_entities WHERE organization_id = x.id), x.id)
            FROM organizations x WHERE x.id IN ({qmarks}))
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
    qmarks = marks(len(tree))
    same = [r["id"], *(x[0] for x in db.conn.execute(
        "SELECT organization_id FROM organization_entities WHERE entity_id = ?", (r["id"],)))]
    alias_rows = db.conn.execute(
        f"SELECT DISTINCT name FROM organization_names WHERE organization_id IN "
        f"({marks(len(same))}) ORDER BY name",
        same,
    )
    aliases = tuple(a[0] for a in alias_rows if a[0] != r["name"])
    incidents = db.conn.execute(
        f"""
        SELECT i.id, i.type, i.country, i.day, i.n_sources, i.places FROM incidents i
        WHERE i.id IN (SELECT incident_id FROM incident_organizations WHERE organization_id IN ({qmarks}))
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
        f"SELECT count(DISTINCT article_id) FROM article_organizations WHERE organization_id IN ({qmarks})",
        tree,
    ).fetchone()[0]
    persons = db.conn.execute(
        f"""
        SELECT DISTINCT pe.name FROM person_entities pe
        JOIN person_members pm ON pm.entity_id = pe.id
        WHERE pe.victim = 0 AND pm.article_id IN (
            SELECT article_id FROM article_organizations WHERE organization_id IN ({qmarks}))
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
    sql, params = with_limit(sql + " ORDER BY articles DESC, name, id", [], limit)
    result = []
    for r in db.conn.execute(sql, params).fetchall():
        articles = [
            x[0]
            for x in db.conn.execute(
                "SELECT DISTINCT article_id FROM person_members WHERE entity_id = ? ORDER BY article_id",
                (r["id"],),
            )
        ]
        qmarks = marks(len(articles))
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
                f"SELECT DISTINCT incident_id FROM incident_members WHERE article_id IN ({qmarks}) "
                "ORDER BY incident_id",
                articles,
            )
        ]
        orgs = [
            x[0]
            for x in db.conn.execute(
                f"SELECT DISTINCT o.name FROM article_organizations ao JOIN organizations o "
                f"ON o.id = ao.organization_id WHERE ao.article_id IN ({qmarks}) ORDER BY o.name",
                articles,
            )
        ]
        places: list[str] = []
        days: list[str] = []
        for chunk in _chunks(incidents):
            for x in db.conn.execute(
                f"SELECT places, day FROM incidents WHERE id IN ({marks(len(chunk))})", list(chunk)
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
    for r in db.conn.execute(fallback + (" AND article_id = ?" if article_id is not None else ""), params):
        names.update(x.strip() for x in (r["name"], r["alias"], r["text"]) if x and x.strip())
    return frozenset(names)


def redact_victims(db: Database, article_id: str, text: str, placeholder: str = "[victim]") -> str:
    """``text`` (e.g. an evidence sentence of ``article_id``) with victims' names replaced."""
    return replace_names(text, victim_names(db, article_id), placeholder)


def list_agencies(db: Database, *, limit: int | None = None) -> list[AgencyEntity]:
    """Police, prosecutors, military and government bodies, resolved, most reported first."""
    sql = """
        SELECT ae.id, ae.name, ae.kind, ae.country, count(DISTINCT am.article_id) AS n
        FROM agency_entities ae JOIN agency_mentions am ON am.entity_id = ae.id
        GROUP BY ae.id ORDER BY n DESC, ae.name
    """
    sql, params = with_limit(sql, [], limit)
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
