"""The mention stage: everything an article names, found once per article.

Places come from the parser's entities (GPE/LOC/FAC in English, LOC in Spanish)
resolved by the gazetteer, plus its own dictionary of country and region names;
organizations, agencies, nationalities and people from the knowledge base's finders.
Mentions that overlap a longer mention of another kind are dropped, so that "Aragua"
inside "Tren de Aragua" is not a place and "Cali" inside "Policía Metropolitana de
Cali" is part of an agency's name, not where the event happened.
"""

from __future__ import annotations

from dataclasses import replace

from spacy.tokens import Doc

from crimewire.entities import find_agencies, find_nationalities, find_organizations, find_persons
from crimewire.gazetteer import Gazetteer
from crimewire.kb import KnowledgeBase
from crimewire.records import Mentions, PlaceMatch

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})


def find_mentions(doc: Doc, lang: str, kb: KnowledgeBase, gazetteer: Gazetteer) -> Mentions:
    """All places, organizations, agencies, nationalities and people named in ``doc``."""
    text = doc.text
    orgs = find_organizations(text, lang, kb, doc)
    agencies = find_agencies(text, lang, kb, doc)
    names = [(o.start, o.end) for o in orgs] + [(a.start, a.end) for a in agencies]
    candidates = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _PLACE_LABELS]
    hint = _country_hint(gazetteer, agencies)
    places = gazetteer.find_places(text, lang, candidates=candidates, country_hint=hint)
    # A second pass with the article's own country as the hint resolves ambiguous names
    # ("Concordia", "Valencia") the way a reader of the whole article would.
    majority = _majority_country(places) or hint
    if majority and majority != hint:
        places = gazetteer.find_places(text, lang, candidates=candidates, country_hint=majority)
    places = tuple(p for p in places if not _overlaps_name(p, names))
    return Mentions(
        places=_dedupe_places(places),
        organizations=orgs,
        agencies=agencies,
        nationalities=find_nationalities(text, lang, kb, doc),
        persons=find_persons(text, lang, doc),
    )


def _overlaps_name(place: PlaceMatch, names: list[tuple[int, int]]) -> bool:
    return any(s < place.end and place.start < e and not (s == place.start and e == place.end) for s, e in names)


def _country_hint(gazetteer: Gazetteer, agencies: tuple) -> str | None:
    for a in agencies:
        if a.country:
            return str(a.country)
    return None


def _majority_country(places: tuple[PlaceMatch, ...]) -> str | None:
    votes: dict[str, int] = {}
    for p in places:
        if p.country:
            votes[p.country] = votes.get(p.country, 0) + (2 if p.kind == "country" else 1)
    if not votes:
        return None
    return max(votes.items(), key=lambda kv: kv[1])[0]


def _dedupe_places(places: tuple[PlaceMatch, ...]) -> tuple[PlaceMatch, ...]:
    seen: set[tuple[int, int]] = set()
    out = []
    for p in sorted(places, key=lambda p: (p.start, -(p.end - p.start))):
        if any(s <= p.start and p.end <= e for s, e in seen):
            continue
        seen.add((p.start, p.end))
        out.append(replace(p))
    return tuple(out)
