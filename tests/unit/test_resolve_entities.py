"""Entity resolution on hand-built rows: people by name and alias, agencies, organizations."""

from __future__ import annotations

import random

from crimewire.kb import KnowledgeBase
from crimewire.resolve.entities import (
    agency_entity,
    group_persons,
    organization_entities,
    person_entity,
    same_person,
)
from crimewire.storage.incidents import PersonRow


def row(
    article: str,
    name: str,
    alias: str | None = None,
    *,
    seq: int = 0,
    role: str = "arrested",
    orgs: frozenset[str] = frozenset(),
    country: str | None = None,
) -> PersonRow:
    return PersonRow(article, seq, name, alias, role, role == "victim", orgs, country)


def test_full_names_and_aliases() -> None:
    full = row("a", "Yomar Delgado", "Nino")
    assert same_person(full, row("b", "Yomar Delgado")) == "same full name"
    assert same_person(full, row("b", "Yomar Delgado", "Flaco")) is None  # different aliases
    assert same_person(full, row("b", "Pedro Delgado", "Nino")) is None  # different full names
    # An alias alone needs a shared group or country.
    assert same_person(full, row("b", "Nino", "Nino")) is None
    tda = frozenset({"Tren de Aragua"})
    assert same_person(row("a", "Yomar Delgado", "Nino", orgs=tda), row("b", "alias Nino", orgs=tda))
    assert same_person(row("a", "Yomar Delgado", "Nino", country="PE"), row("b", "Nino", country="PE"))


def test_leading_articles_do_not_split_aliases() -> None:
    a = row("a", "el Mono", "el Mono", country="CO")
    b = row("b", "Mono", "Mono", country="CO")
    assert same_person(a, b)


def test_person_groups_are_order_independent() -> None:
    rows = [
        row("a", "Yomar Delgado", "Nino", country="PE"),
        row("b", "Nino", country="PE"),
        row("c", "Yomar Delgado"),
        row("d", "Carlos Ruiz", "Nino", country="CO"),
        row("e", "Marta Gil", role="victim"),
    ]
    expected = [[r.key for r in g] for g in group_persons(rows)]
    assert sorted(len(g) for g in expected) == [1, 1, 3]
    rng = random.Random(3)
    for _ in range(5):
        shuffled = rows[:]
        rng.shuffle(shuffled)
        assert [[r.key for r in g] for g in group_persons(shuffled)] == expected


def test_person_entity_keeps_names_roles_and_victim_flag() -> None:
    rows = [row("a", "Yomar Delgado", "Nino", country="PE"), row("b", "Nino", role="leader", country="PE")]
    entity = person_entity(rows)
    assert entity.name == "Yomar Delgado"
    assert "Nino" in entity.aliases and entity.roles == ("arrested", "leader")
    assert not entity.victim
    assert person_entity([row("c", "Marta Gil", role="victim")]).victim
    assert entity.id == person_entity(list(reversed(rows))).id


def test_agencies_resolve_across_languages(kb: KnowledgeBase) -> None:
    en = agency_entity("Peruvian police", "police", "PE", kb)
    es = agency_entity("policía peruana", "police", "PE", kb)
    assert en[0] == es[0] and en[3] == "PE"
    pnp = agency_entity("PNP", None, None, kb)
    assert pnp[1] == "Policía Nacional del Perú" and pnp == agency_entity("Peruvian National Police", None, None, kb)
    colombian = agency_entity("Colombian police", "police", "CO", kb)
    assert agency_entity("Peruvian police", "police", "PE", kb)[0] != colombian[0]


def test_organization_rows_resolve_to_one_entity(kb: KnowledgeBase) -> None:
    rows = [
        (1, "los Pulpos", False, None),
        (2, "Los Pulpos", True, None),
        (3, "Los Injertos del Cono", False, None),
        (4, "los injertos del cono", False, None),
    ]
    mapping = organization_entities(rows, kb)
    assert mapping[1][0] == mapping[2][0] == 2  # the knowledge base's canonical row
    assert mapping[3][0] == mapping[4][0]
    # Ids depend on ingestion order, names do not: the same rows renumbered resolve alike.
    renumbered = organization_entities([(10 + i, *r[1:]) for i, r in enumerate(reversed(rows))], kb)
    names = {r[0]: r[1] for r in rows}
    renamed = {10 + i: r[1] for i, r in enumerate(reversed(rows))}
    assert {names[k]: names[v[0]] for k, v in mapping.items()} == {
        renamed[k]: renamed[v[0]] for k, v in renumbered.items()
    }


def test_a_bare_name_does_not_chain_two_aliases() -> None:
    rows = [row("a", "Yomar Delgado", "Nino"), row("b", "Yomar Delgado"), row("c", "Yomar Delgado", "Flaco")]
    groups = [[r.article_id for r in g] for g in group_persons(rows)]
    assert sorted(len(g) for g in groups) == [1, 2]
    assert ["a", "c"] not in groups and not any({"a", "c"} <= set(g) for g in groups)
