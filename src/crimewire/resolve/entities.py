"""Resolving entities across articles and languages: organizations, agencies, people.

* **Organizations** already carry knowledge-base canonical names from extraction; here every
  organization row is mapped to the row standing for the same group (a discovered
  "los Pulpos" and the known "Los Pulpos", "Mexican Sinaloa cartel" and "Sinaloa Cartel").
* **Agencies**: a knowledge-base agency by any alias ("Policía Nacional del Perú", "PNP"),
  else a national body named by demonym and noun in either language ("Peruvian police",
  "policía peruana" → one entity, police of PE), else the name itself.
* **People**, only as named, with their role: two mentions are one person when their full
  names agree, or their aliases agree and the articles share a group or a country; two
  different aliases are two people. Like incidents, people are grouped by a pairwise rule, so
  the grouping does not depend on the order articles were stored in.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable, Sequence

from crimewire.kb import KnowledgeBase, name_key
from crimewire.resolve.incidents import cluster
from crimewire.storage.incidents import IncidentSession, Key, PersonEntityRecord, PersonRow, key_text

_LEADING = frozenset({"el", "la", "los", "las", "the", "alias", "a", "an"})


def _strip_leading(key: str) -> str:
    words = key.split()
    while len(words) > 1 and words[0] in _LEADING:
        words = words[1:]
    return " ".join(words)


# --------------------------------------------------------------------------- organizations


def organization_key(name: str, kb: KnowledgeBase) -> tuple[str, str]:
    """(key, rule) of a group name: its knowledge-base entry, else its folded words."""
    info = kb.organization(name)
    if info is not None:
        return f"kb:{name_key(info.name)}", "knowledge base"
    return f"name:{_strip_leading(name_key(name))}", "same name"


def organization_entities(
    rows: Sequence[tuple[int, str, bool, str | None]], kb: KnowledgeBase
) -> dict[int, tuple[int, str]]:
    """``{organization_id: (entity organization_id, rule)}`` for rows ``(id, name, known, parent)``.

    The entity row of a group is the one whose name is the knowledge base's canonical name,
    else a known row, else the first by name (never by id: ids depend on ingestion order).
    """
    groups: dict[str, list[tuple[int, str, bool, str | None]]] = {}
    rules: dict[str, str] = {}
    for row in rows:
        key, rule = organization_key(row[1], kb)
        groups.setdefault(key, []).append(row)
        rules[key] = rule
    mapping: dict[int, tuple[int, str]] = {}
    for key, members in groups.items():
        info = kb.organization(members[0][1]) if key.startswith("kb:") else None
        canonical = info.name if info else None
        head = min(members, key=lambda r: (r[1] != canonical, not r[2], r[1]))
        for row in members:
            mapping[row[0]] = (head[0], "itself" if row[0] == head[0] else rules[key])
    return mapping


def resolve_organizations(session: IncidentSession, kb: KnowledgeBase) -> int:
    """Rewrite the organization → entity map; returns how many rows stand for another."""
    mapping = organization_entities(session.organizations(), kb)
    session.set_organization_entities(mapping)
    return sum(1 for org, (ent, _) in mapping.items() if org != ent)


def _key_variants(name: str, kb: KnowledgeBase) -> set[str]:
    """Folded names another row of the same group can have (``organizations.key`` values)."""
    info = kb.organization(name)
    if info is not None:
        return {name_key(n) for n in (info.name, *info.aliases)} | {name_key(name)}
    core = _strip_leading(name_key(name))
    return {core, name_key(name)} | {f"{article} {core}" for article in _LEADING}


def resolve_article_organizations(session: IncidentSession, article_id: str, kb: KnowledgeBase) -> int:
    """Update the entity of the groups an article names and of the rows that share their names."""
    rows = session.article_organization_rows(article_id)
    if not rows:
        return 0
    keys = {k for r in rows for k in _key_variants(r[1], kb)}
    group = {r[0]: r for r in (*rows, *session.organization_rows_by_key(keys))}
    mapping = organization_entities(sorted(group.values()), kb)
    session.update_organization_entities(mapping)
    return len(mapping)


# --------------------------------------------------------------------------- agencies


def agency_entity(
    name: str, kind: str | None, country: str | None, kb: KnowledgeBase
) -> tuple[str, str, str | None, str | None]:
    """``(entity id, entity name, kind, country)`` of an agency as an article names it."""
    info = kb.agency(name) or kb.agency(_strip_leading(name_key(name)))
    if info is not None:
        return f"agency:{name_key(info.name)}", info.name, info.kind, info.country or country
    words = [w for w in name_key(name).split() if w not in _LEADING]
    rest = [w for w in words if not (kb.demonym(w) or kb.country_of_name(w))]
    # Event lists keep only the name: read the country from its demonym, the kind from its noun.
    country = country or next((c for w in words if (c := kb.demonym(w) or kb.country_of_name(w))), None)
    kind = kind or next(
        (k for k in kb.patterns.kind_order if set(words) & kb.patterns.w(f"agency.kind_words.{k}")), None
    )
    generic = kb.patterns.w("agency.nouns_en") | kb.patterns.w("agency.nouns_es")
    if country and rest and len(rest) < len(words) and " ".join(rest) in generic:
        # "Peruvian police" and "policía peruana": the national body of that kind.
        label = kind or rest[0]
        return f"agency:{label}:{country.upper()}", f"{label} ({country.upper()})", kind, country.upper()
    return f"agency:{name_key(name)}", name, kind, country


def resolve_agencies(session: IncidentSession, article_id: str, kb: KnowledgeBase) -> int:
    """Rewrite an article's agency mentions as resolved entities; returns how many."""
    found: dict[tuple[str, str], tuple[str, str, str | None, str | None, str]] = {}
    kinds: dict[str, tuple[str | None, str | None]] = {}
    for name, kind, country in session.article_agencies(article_id):
        if kind is not None or country is not None:
            kinds.setdefault(name_key(name), (kind, country))
    for name, kind, country in session.article_agencies(article_id):
        kind, country = (kind, country) if kind or country else kinds.get(name_key(name), (None, None))
        entity_id, entity_name, ent_kind, ent_country = agency_entity(name, kind, country, kb)
        found[(entity_id, name)] = (entity_id, entity_name, ent_kind, ent_country, name)
    session.set_article_agencies(article_id, sorted(found.values()))
    return len(found)


# --------------------------------------------------------------------------- people


def person_name_key(row: PersonRow) -> str | None:
    """The folded full name of a person (two words or more, not just the alias), or None."""
    if not row.name:
        return None
    key = _strip_leading(name_key(row.name))
    if len(key.split()) < 2 or (row.alias and key == _strip_leading(name_key(row.alias))):
        return None
    return key


def person_alias_key(row: PersonRow) -> str | None:
    """The folded alias of a person (a one-word name counts as an alias), or None."""
    if row.alias:
        return _strip_leading(name_key(row.alias)) or None
    key = _strip_leading(name_key(row.name or ""))
    return key if key and len(key.split()) == 1 else None


def _person_keys(row: PersonRow) -> tuple[str | None, str | None]:
    return person_name_key(row), person_alias_key(row)


def _same_person(
    a: PersonRow, b: PersonRow, ka: tuple[str | None, str | None], kb_: tuple[str | None, str | None]
) -> str | None:
    (na, aa), (nb, ab) = ka, kb_
    if aa and ab and aa != ab:
        return None  # two different aliases: two people ("El Mono" is not "Pecas")
    if na and nb:
        return "same full name" if na == nb else None
    if aa and aa == ab:
        if a.organizations & b.organizations:
            return "same alias, same group"
        if a.country and a.country == b.country:
            return "same alias, same country"
    return None


def same_person(a: PersonRow, b: PersonRow) -> str | None:
    """The rule by which two mentions name one person, or None."""
    return _same_person(a, b, _person_keys(a), _person_keys(b))


def _different_people(ka: tuple[str | None, str | None], kb_: tuple[str | None, str | None]) -> bool:
    (na, aa), (nb, ab) = ka, kb_
    return bool((aa and ab and aa != ab) or (na and nb and na != nb))


_RULE_STRENGTH = {"same full name": 2.0, "same alias, same group": 1.5, "same alias, same country": 1.0}


def person_entity_id(first: Key) -> str:
    """A stable person id from the key of its first mention."""
    return "per-" + hashlib.sha1(key_text(first).encode("utf-8")).hexdigest()[:10]


def group_persons(rows: Sequence[PersonRow]) -> list[list[PersonRow]]:
    """Mentions grouped into people, order-independently.

    Pairs that ``same_person`` accepts are joined strongest rule first (ties by key), and two
    groups are never joined when they hold two different aliases or full names: "Yomar
    Delgado" alone cannot chain "alias Nino" and "alias Flaco" into one person.
    """
    by_key = {r.key: r for r in rows}
    keys = {k: _person_keys(r) for k, r in by_key.items()}
    buckets: dict[tuple[str, str], list[Key]] = {}
    for k, (name, alias) in keys.items():
        if name:
            buckets.setdefault(("name", name), []).append(k)
        if alias:
            buckets.setdefault(("alias", alias), []).append(k)
    edges: set[tuple[Key, Key, float]] = set()
    for members in buckets.values():
        members.sort()
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                rule = _same_person(by_key[a], by_key[b], keys[a], keys[b])
                if rule:
                    edges.add((a, b, _RULE_STRENGTH[rule]))
    groups = cluster(by_key, edges, lambda a, b: "different" if _different_people(keys[a], keys[b]) else None)
    return [[by_key[k] for k in g] for g in groups]


def person_entity(rows: Sequence[PersonRow]) -> PersonEntityRecord:
    """One resolved person: the most used full name, every other name and alias, all roles."""
    full = Counter(r.name for r in rows if person_name_key(r))
    names = Counter(r.name for r in rows if r.name)
    name = (
        min(full, key=lambda n: (-full[n], -len(n), n))
        if full
        else min(names, key=lambda n: (-names[n], n)) if names else (rows[0].alias or "")
    )
    aliases = sorted({x for r in rows for x in (r.name, r.alias) if x and x != name})
    roles = sorted({r.role for r in rows if r.role})
    return PersonEntityRecord(
        id=person_entity_id(min(r.key for r in rows)),
        name=name,
        aliases=tuple(aliases),
        roles=tuple(roles),
        victim=any(r.victim or r.role == "victim" for r in rows),
        members=tuple((r.key, person_name_key(r), person_alias_key(r)) for r in rows),
    )


def _closure(session: IncidentSession, rows: Iterable[PersonRow]) -> list[PersonRow]:
    """The rows reachable from ``rows`` through shared name or alias keys."""
    found = {r.key: r for r in rows}
    frontier = list(found.values())
    while frontier:
        names = {k for r in frontier if (k := person_name_key(r))}
        aliases = {k for r in frontier if (k := person_alias_key(r))}
        frontier = [
            r for r in session.person_rows(None, name_keys=names, alias_keys=aliases) if r.key not in found
        ]
        found.update((r.key, r) for r in frontier)
    return sorted(found.values(), key=lambda r: r.key)


def resolve_persons(session: IncidentSession, article_id: str) -> int:
    """Re-resolve the people of one article and every person they may be; returns entities written.

    The mentions affected are the article's own, the other mentions of the people it used to
    name, and every mention sharing a name or alias with them.
    """
    old_entities = session.article_person_entities(article_id)
    session.remove_article_persons(article_id)
    others = set(session.person_entity_members(old_entities))
    seeds = session.person_rows([article_id]) + [
        r for r in session.person_rows({k[0] for k in others}) if r.key in others
    ]
    rows = _closure(session, seeds)
    old_entities |= session.person_entities_of([r.key for r in rows])
    entities = [person_entity(g) for g in group_persons(rows)]
    session.replace_person_entities(old_entities, entities)
    return len(entities)


def resolve_all_persons(session: IncidentSession, article_ids: Sequence[str]) -> int:
    """Resolve every person mention from scratch; returns the number of people."""
    rows = [r for i in range(0, len(article_ids), 200) for r in session.person_rows(article_ids[i : i + 200])]
    entities = [person_entity(g) for g in group_persons(rows)]
    session.replace_person_entities([], entities)
    return len(entities)
