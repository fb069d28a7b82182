"""The mention stage: everything an article names, found once per article.

Places come from the parser's entities (GPE/LOC/FAC in English, LOC in Spanish)
resolved by the gazetteer, plus its own dictionary of country and region names;
organizations, agencies, nationalities and people from the knowledge base's finders.
Mentions that overlap a longer mention of another kind are dropped, so that "Aragua"
inside "Tren de Aragua" is not a place and "Cali" inside "Policía Metropolitana de
Cali" is part of an agency's name (the extractor may still use it as a last resort).
"""

from __future__ import annotations

import json
import re
from dataclasses import replace
from functools import cache
from importlib import resources

from spacy.tokens import Doc, Span

from crimewire.entities import find_agencies, find_nationalities, find_organizations, find_persons, sentence_spans
from crimewire.extraction.lexicon import load_lexicon
from crimewire.gazetteer import Gazetteer, fold
from crimewire.kb import KnowledgeBase, tokenize
from crimewire.records import AgencyMatch, Mentions, OrgMatch, PlaceMatch

_PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
# "ruta Comas–San Juan de Lurigancho", "Lima-Callao": two places joined by a dash or slash.
_JOINER = re.compile(r"\s*[–—/]\s*|(?<=[a-záéíóú])-(?=[A-ZÁÉÍÓÚ])")
# "San Juan de Lurigancho (SJL)": an acronym the article defines for a place.
_ACRONYM = re.compile(r"\(([A-ZÁÉÍÓÚÑ]{2,6})\)")


@cache
def supranational_names() -> frozenset[str]:
    """Folded names of continents and world regions ("Latin America", "el Caribe").

    They are not places of an event ("women from Latin America", "the Caribbean country").
    """
    raw = resources.files("crimewire.data").joinpath("supranational.json").read_text(encoding="utf-8")
    return frozenset(fold(n) for n in json.loads(raw)["names"])


def find_mentions(doc: Doc, lang: str, kb: KnowledgeBase, gazetteer: Gazetteer, text: str | None = None) -> Mentions:
    """All places, organizations, agencies, nationalities and people named in ``doc``.

    ``text`` is the text ``doc`` was parsed from, when the caller has it: spaCy rebuilds
    ``doc.text`` by joining every token on each access.
    """
    if text is None:
        text = doc.text
    # shared by every finder: tokenizing and reading sentences once per article
    tokens = tokenize(text)
    sents = sentence_spans(text, doc, text_from_doc=True)

    def is_place(name: str) -> bool:
        return gazetteer.resolve(name, lang=lang) is not None

    found_orgs = find_organizations(text, lang, kb, doc, is_place=is_place, tokens=tokens, sents=sents)
    orgs = _attach_orphan_factions(tuple(o for o in found_orgs if not _blocked_prefix(o.name, kb)))
    agencies = find_agencies(text, lang, kb, doc, tokens=tokens)
    org_spans = [(o.start, o.end) for o in orgs]
    common = _common_nouns(lang)
    candidates = [
        (e.start_char, e.end_char) for e in doc.ents
        if (e.label_ in _PLACE_LABELS or _after_locative(e)) and _plausible(e, common)
    ]
    hint = _country_hint(agencies)
    places, used_hint = gazetteer.find_places_and_hint(text, lang, candidates=candidates, country_hint=hint)
    # A second pass with the article's own country as the hint resolves ambiguous names
    # ("Concordia", "Valencia") the way a reader of the whole article would.
    majority = _majority_country(places) or hint
    if majority and majority != used_hint:  # the same hint twice gives the same places
        places = gazetteer.find_places(text, lang, candidates=candidates, country_hint=majority)
    places = _not_verbs(doc, places)
    places = _not_compass_only(places, gazetteer, lang, majority)
    taken = [*org_spans, *((a.start, a.end) for a in agencies)]
    places = _local_names(text, _with_neighbourhoods(text, places, taken), majority)
    places = _split_joined(places, gazetteer, lang, majority)
    places = _with_facilities(text, places, gazetteer, lang, majority, doc)
    # "alias “el Tapado”": a nickname, not a place.
    places = tuple(p for p in places if not _ALIAS_BEFORE.search(text[max(0, p.start - 12) : p.start]))
    institution = _facility_data()["institution_words"]
    places = tuple(p for p in places if p.kind != "unknown" or not _institutional(p.text, institution))
    places = _acronym_places(text, places)
    places = _near_places(text, places)
    supra = supranational_names()
    places = tuple(
        p for p in places
        if not _overlaps(p, org_spans) and fold(p.text).removeprefix("the ") not in supra
    )
    return Mentions(
        places=_dedupe_places(places),
        organizations=orgs,
        agencies=agencies,
        nationalities=find_nationalities(text, lang, kb, doc, tokens=tokens),
        persons=find_persons(text, lang, doc, kb=kb, tokens=tokens, sents=sents, organizations=found_orgs),
    )


_LOCATIVE_BEFORE = frozenset({"in", "at", "near", "en", "cerca", "barrio", "colonia", "municipio", "localidad",
                              "distrito", "sector", "comuna", "vereda", "corregimiento", "caserío", "aldea"})


def _after_locative(ent: Span) -> bool:
    """An entity tagged as an organization or person right after "in"/"en" ("in El
    Mezquital", "en el barrio Pízamos") is a place the tagger mislabelled."""
    if ent.label_ not in ("ORG", "PERSON", "PER", "MISC"):
        return False
    before = [t for t in ent.doc[max(ent.start - 2, 0) : ent.start] if t.pos_ != "DET"]
    return bool(before) and before[-1].lower_ in _LOCATIVE_BEFORE


@cache
def _common_nouns(lang: str) -> frozenset[str]:
    """Common nouns that the tagger sometimes calls places ("Gunmen", "premises")."""
    lex = load_lexicon(lang) if lang in ("en", "es") else None
    if lex is None:
        return frozenset()
    words: set[str] = set()
    for name in ("person", "group", "goods", "body"):
        words |= lex.word_class(name)
    return frozenset(words)


# Discovery cues that name a sub-unit ("la subestructura 'Central Urabá'"): the unit belongs
# to some larger group even when the sentence does not say which.
_SUBUNIT_RULES = frozenset({"es.subestructura"})


def _blocked_prefix(name: str, kb: KnowledgeBase) -> bool:
    """"Cartel de Santa en Monterrey": a discovered name that starts with a known look-alike."""
    words = name.split()
    return any(kb.is_blocked(" ".join(words[:n])) for n in range(2, len(words)))


def _attach_orphan_factions(orgs: tuple[OrgMatch, ...]) -> tuple[OrgMatch, ...]:
    """A sub-unit named without its parent belongs to the one top-level group the article names."""
    tops = {o.name for o in orgs if o.known and o.parent is None and o.rule not in _SUBUNIT_RULES}
    if len(tops) != 1:
        return orgs
    (top,) = tops
    return tuple(
        replace(o, parent=top) if (o.rule in _SUBUNIT_RULES and o.parent is None and o.name != top) else o
        for o in orgs
    )


@cache
def _facility_data() -> dict[str, frozenset[str]]:
    raw = json.loads(resources.files("crimewire.data").joinpath("facilities.json").read_text(encoding="utf-8"))
    return {k: frozenset(v) for k, v in raw.items() if isinstance(v, list)}


@cache
def _facility_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    data = _facility_data()
    name = r"(?:[A-ZÁÉÍÓÚÑ][\w'’.-]*)(?:\s+(?:de|del|la|las|los|el|da|do)?\s*[A-ZÁÉÍÓÚÑ][\w'’.-]*)*(?:\s+No\.\s*\d+)?"
    before = "|".join(sorted((re.escape(w) for w in data["before"]), key=len, reverse=True))
    after = "|".join(sorted((re.escape(w) for w in data["after"]), key=len, reverse=True))
    return (
        re.compile(rf"\b(?i:{before})(?:\s+(?:de|del|of))?\s+(?P<name>{name})"),
        re.compile(rf"(?P<name>{name})\s+(?i:{after})\b"),
    )


_ALIAS_BEFORE = re.compile(r"\balias\W{0,3}(?:el|la|los|las|the)?\W{0,3}$", re.IGNORECASE)


def _with_facilities(
    text: str, places: tuple[PlaceMatch, ...], gazetteer: Gazetteer, lang: str, hint: str | None, doc: Doc
) -> tuple[PlaceMatch, ...]:
    """Prisons, airports, courts, ports named with a proper name ("the Turi prison", "cárcel de
    Tuluá"): places of their own, located through the name when the gazetteer knows it."""
    found: list[PlaceMatch] = []
    for pattern in _facility_patterns():
        for m in pattern.finditer(text):
            start, end = m.start(), m.end()
            if any(p.start <= start and end <= p.end for p in places):
                continue  # already a (longer) known place
            name_span = doc.char_span(m.start("name"), m.end("name"), alignment_mode="expand")
            if name_span is None or not any(t.pos_ == "PROPN" and not t.like_num for t in name_span):
                continue  # "Three port", "The prison": not a name
            named = _facility_town(m.group("name"), gazetteer, lang, hint)
            written = text[start:end]
            country = named.country if named else hint
            found.append(PlaceMatch(
                text=written, start=start, end=end, name=written, kind="facility",
                country=country, region=named.region if named else None,
                region_name=named.region_name if named else None, city=named.city if named else None,
                lat=named.lat if named else None, lon=named.lon if named else None,
                # at or near the town it is named after; else only the country is known
                precision=2 if named and named.lat is not None else (3 if country else None),
            ))
    if not found:
        return places
    # A facility replaces the bare name inside it ("Turi" in "the Turi prison").
    kept = [p for p in places if not any(f.start <= p.start and p.end <= f.end for f in found)]
    return tuple(sorted([*kept, *found], key=lambda p: (p.start, p.end)))


def _facility_town(name: str, gazetteer: Gazetteer, lang: str, hint: str | None) -> PlaceMatch | None:
    """The town a facility is named after: its whole name, else its leading words ("Pedro Juan
    Caballero Regional Penitentiary" is in Pedro Juan Caballero)."""
    words = name.split()
    for n in range(len(words), 0, -1):
        candidate = " ".join(words[:n])
        named = gazetteer.resolve(candidate, country_hint=hint, lang=lang)
        if named is None:
            continue
        if named.name.casefold() != candidate.casefold() and named.kind != "city":
            continue  # "Federal Prison" is not in the Distrito Federal
        if n < len(words) and named.kind != "city":
            continue  # only a town lends its name to a prison in it
        return named
    return None


def _institutional(name: str, words: frozenset[str]) -> bool:
    folded = name.lower()
    return any(re.search(rf"\b{re.escape(w)}\b", folded) for w in words)


@cache
def _compass_words() -> tuple[frozenset[str], frozenset[str]]:
    """(compass words, words that may stand beside them) of ``data/places/compass.json``, folded."""
    raw = json.loads(resources.files("crimewire.data").joinpath("places/compass.json").read_text("utf-8"))
    return frozenset(fold(w) for w in raw["compass"]), frozenset(fold(w) for w in raw["generic"])


_OF_REST = re.compile(r"\s(?:of|de|del)\s+(?P<rest>\S.*)$")


def _not_compass_only(
    places: tuple[PlaceMatch, ...], gazetteer: Gazetteer, lang: str, hint: str | None
) -> tuple[PlaceMatch, ...]:
    """Drop names made only of compass words ("the Southern District" of a federal court,
    "Distrito Sur"): the gazetteer has regions called Southern (Rwanda) and towns called Sur.
    An unresolved "Distrito Sur de Texas" is the place after "de": Texas."""
    compass, generic = _compass_words()

    def compass_only(text: str) -> bool:
        words = [w for w in fold(text).replace("-", " ").split() if w not in generic]
        return bool(words) and all(w in compass for w in words)

    out = []
    for p in places:
        if compass_only(p.text):
            continue
        m = _OF_REST.search(p.text) if p.kind == "unknown" else None
        if m is not None and compass_only(p.text[: m.start()]):
            found = gazetteer.resolve(m.group("rest"), country_hint=hint, lang=lang)
            if found is None:
                continue
            start = p.start + m.start("rest")
            p = replace(found, start=start, end=p.end)
        out.append(p)
    return tuple(out)


def _not_verbs(doc: Doc, places: tuple[PlaceMatch, ...]) -> tuple[PlaceMatch, ...]:
    """Drop one-word names the parser reads as a verb: "Cayó alias el Gato" opens with a verb,
    not with the Belizean district of Cayo (names are matched without accents)."""
    out = []
    for p in places:
        span = doc.char_span(p.start, p.end)
        if span is not None and len(span) == 1 and span[0].pos_ in ("VERB", "AUX"):
            continue
        out.append(p)
    return tuple(out)


def _plausible(ent: Span, common: frozenset[str]) -> bool:
    """An entity the parser calls a place must contain a proper noun and not be a stop word
    or a common noun ("Gunmen", "Todas", "Según" and "premises" are tagging slips)."""
    if not any(t.pos_ == "PROPN" for t in ent) or not any(c.isupper() for c in ent.text):
        return False
    if len(ent) == 1:
        word = ent[0].lower_
        # crude singular forms: "gunmen" -> "gunman", "suspects" -> "suspect"
        forms = {word, ent[0].lemma_.lower(), word.removesuffix("s"), word.removesuffix("es"),
                 word[:-3] + "man" if word.endswith("men") else word}
        if ent[0].is_stop or forms & common:
            return False
    return True


def _place_words(file: str, key: str) -> str:
    """A regex alternation of the phrases listed under ``key`` in ``data/places/<file>``, longest first."""
    words = json.loads(resources.files("crimewire.data").joinpath(f"places/{file}").read_text("utf-8"))
    return "|".join(re.escape(w) for w in sorted(words[key], key=len, reverse=True))


@cache
def _locality_patterns() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """(word before a neighbourhood's name, plural word before a list of them, word after one)."""
    article = r"(?:(?:el|la|los|las|the)\s+)?"
    before, plural, after = (_place_words("localities.json", k) for k in ("before", "plural", "after"))
    return (
        re.compile(rf"\b{article}(?:{before})\s+(?:de\s+|of\s+)?{article}$", re.IGNORECASE),
        re.compile(rf"\b{article}(?:{plural})\s+(?:de\s+|of\s+)?{article}$", re.IGNORECASE),
        re.compile(rf"^\s+(?i:{after})\b(?!\s+[A-ZÁÉÍÓÚÑ])"),
    )


_NAME = r"[A-ZÁÉÍÓÚÑ][\w'’-]*(?:\s+(?:(?:de|del|la|las|los|el|y|da|do|dos|das)\s+)?[A-ZÁÉÍÓÚÑ0-9][\w'’-]*)*"


@cache
def _neighbourhood_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(word then name: "la vereda El Cenizo", name then word: "the Las Quintas neighbourhood")."""
    discover, after = (_place_words("localities.json", k) for k in ("discover", "discover_after"))
    return (
        re.compile(rf"\b(?i:{discover})\s+(?:(?:de|of)\s+)?(?:(?:el|la|los|las|the)\s+)?(?P<name>{_NAME})"),
        re.compile(rf"(?:\b(?i:the)\s+|['’]s\s+)(?P<name>{_NAME})\s+(?i:{after})\b(?!\s+[A-Z])"),
    )


def _with_neighbourhoods(
    text: str, places: tuple[PlaceMatch, ...], taken: list[tuple[int, int]]
) -> tuple[PlaceMatch, ...]:
    """Places plus the neighbourhoods named as such that no tagger or gazetteer found ("la vereda
    El Cenizo", "the Las Quintas neighbourhood"): unresolved here, located by ``_local_names``."""
    found: list[PlaceMatch] = []
    for pattern in _neighbourhood_patterns():
        for m in pattern.finditer(text):
            start, end = m.span("name")
            if any(not (end <= s or start >= e) for s, e in taken) or any(
                not (end <= p.start or start >= p.end) for p in (*places, *found)
            ):
                continue  # a group, an agency, or a place already found there
            found.append(PlaceMatch(text=m.group("name"), start=start, end=end, name=m.group("name"), kind="unknown"))
    if not found:
        return places
    return tuple(sorted([*places, *found], key=lambda p: (p.start, p.end)))


# Between a neighbourhood and the town that holds it: "colonia Hidalgo, en Nuevo Laredo",
# "barrio La Libertad, en el suroriente de Cúcuta", "the Las Flores neighborhood of Escuintla".
_TOWN_AFTER = re.compile(
    r"^(?:\s+(?:neighbou?rhood|district|slum|shantytown|favela|community|area))?\s*,?\s*"
    r"(?:(?:en|in|of|de|del|at)\s+)?(?:(?:el|la|the)\s+)?"
    r"(?:(?:\w+\s+){0,2}(?:de|del|of)\s+)?(?:(?:la\s+ciudad|the\s+city|el\s+municipio|municipio)\s+(?:de|of)\s+)?$",
    re.IGNORECASE,
)
# How far back (in characters, about two sentences) a town counts as the one a neighbourhood is in.
_NEAR_TOWN = 300
_POSSESSIVE = re.compile(r"^['’]s\s+$")
# Between two names of a list of neighbourhoods ("los distritos de El Porvenir, Florencia de Mora y La Esperanza").
_LIST_JOIN = re.compile(r"^\s*(?:,|\by\b|\be\b|\band\b|,\s*(?:y|and)\b)\s*$", re.IGNORECASE)


def _local_names(text: str, places: tuple[PlaceMatch, ...], country: str | None) -> tuple[PlaceMatch, ...]:
    """A name written as a neighbourhood, district or hamlet ("la colonia Hidalgo", "el barrio La
    Libertad", "the Las Flores neighborhood") is a locality inside the town named right after it,
    else inside the article's country — not a same-named state or town elsewhere. Located at the
    town's point (ACLED precision 1: the town is known); a name that is already a town of that
    country and has no town after it stays the town it is."""
    before, plural, after = _locality_patterns()
    groups: list[list[int]] = []  # runs of neighbourhood names ("los distritos de A, B y C")
    in_list = False  # the previous place opened or continued a plural list
    towns: set[int] = set()  # places named as the town holding a neighbourhood
    for i, p in enumerate(places):
        prefix = text[max(0, p.start - 40) : p.start]
        listed = in_list and bool(_LIST_JOIN.match(text[places[i - 1].end : p.start]))
        opens_list = bool(plural.search(prefix))
        in_list = opens_list or listed
        if i in towns:
            continue
        if listed and groups:
            groups[-1].append(i)
        elif opens_list or before.search(prefix) or after.match(text[p.end : p.end + 30]):
            groups.append([i])
        else:
            continue
        town = _town_after(text, places, i)
        if town is not None:
            towns.add(town)
    out = list(places)
    for group in groups:
        t = _town_after(text, places, group[-1])
        if t is None and group[0] > 0 and _POSSESSIVE.match(text[places[group[0] - 1].end : places[group[0]].start]):
            t = group[0] - 1  # "Culiacán's Tierra Blanca neighbourhood"
        town = places[t] if t is not None else None
        # With no town after it, the neighbourhood is in the country of a town named shortly
        # before it (the story's town: "... Pedro Juan Caballero ... barrio Obrero, about ten
        # blocks from the prison"), else of the article.
        first = places[group[0]]
        earlier = next((q.country for q in reversed(places[: group[0]])
                        if q.kind == "city" and q.country and first.start - q.end <= _NEAR_TOWN), None)
        where = town.country if town is not None else (earlier or country)
        for i in group:
            p = places[i]
            if town is None and p.kind in ("city", "locality", "facility") and p.country == where:
                continue
            if p.kind == "locality" and p.country == where and p.lat is not None:
                continue  # a neighbourhood the gazetteer knows ("Tepito")
            point = town is not None and town.kind == "city" and town.lat is not None
            out[i] = PlaceMatch(
                text=p.text, start=p.start, end=p.end, name=p.text, kind="locality", country=where,
                region=town.region if town else None, region_name=town.region_name if town else None,
                city=(town.city or town.name) if point and town else None,
                lat=town.lat if point and town else None, lon=town.lon if point and town else None,
                precision=1 if point else (3 if where else None),
            )
    return tuple(out)


def _town_after(text: str, places: tuple[PlaceMatch, ...], i: int) -> int | None:
    """Index of the town (or region) named right after place ``i`` as the one holding it."""
    p = places[i]
    for j in range(i + 1, len(places)):
        q = places[j]
        if q.start - p.end > 60:
            return None
        if q.kind in ("city", "region") and _TOWN_AFTER.match(text[p.end : q.start]):
            return j
    return None


@cache
def _proximity_before() -> re.Pattern[str]:
    alternatives = _place_words("proximity.json", "before")
    return re.compile(rf"\b(?:{alternatives})\s+(?:the\s+|el\s+|la\s+|los\s+|las\s+)?(?:(?:town|city|village|"
                      rf"municipality|ciudad|municipio|pueblo|poblado)\s+(?:of\s+|de\s+)?)?$", re.IGNORECASE)


def _near_places(text: str, places: tuple[PlaceMatch, ...]) -> tuple[PlaceMatch, ...]:
    """A town named as a landmark ("near Culiacán", "a las afueras de Cúcuta") locates the event
    only near it: ACLED geo_precision 2 instead of 1."""
    pattern = _proximity_before()
    return tuple(
        replace(p, precision=2) if p.precision == 1 and pattern.search(text[max(0, p.start - 40) : p.start]) else p
        for p in places
    )


def _split_joined(
    places: tuple[PlaceMatch, ...], gazetteer: Gazetteer, lang: str, hint: str | None
) -> tuple[PlaceMatch, ...]:
    """Split an unresolved "A–B" place into A and B when both parts resolve."""
    out: list[PlaceMatch] = []
    for p in places:
        if p.kind != "unknown" or not _JOINER.search(p.text):
            out.append(p)
            continue
        parts: list[PlaceMatch] = []
        pos = 0
        for piece in _JOINER.split(p.text):
            offset = p.text.find(piece, pos)
            pos = offset + len(piece)
            found = gazetteer.resolve(piece, country_hint=hint, lang=lang)
            if found is None or not piece.strip():
                parts = []
                break
            parts.append(replace(found, text=piece, start=p.start + offset, end=p.start + offset + len(piece)))
        out.extend(parts or [p])
    return tuple(out)


def _acronym_places(text: str, places: tuple[PlaceMatch, ...]) -> tuple[PlaceMatch, ...]:
    """Later uses of an acronym an article defines for a place ("... de Lurigancho (SJL)")."""
    extra: list[PlaceMatch] = []
    for p in places:
        m = _ACRONYM.match(text, p.end + 1) if p.end + 1 < len(text) else None
        if m is None or text[p.end : p.end + 1] != " ":
            continue
        acronym = m.group(1)
        for use in re.finditer(rf"\b{re.escape(acronym)}\b", text):
            if use.start() != m.start(1):
                extra.append(replace(p, text=acronym, start=use.start(), end=use.end()))
    return places + tuple(extra)


def _overlaps(place: PlaceMatch, names: list[tuple[int, int]]) -> bool:
    return any(s < place.end and place.start < e for s, e in names)


def _country_hint(agencies: tuple[AgencyMatch, ...]) -> str | None:
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
        out.append(p)
    return tuple(out)
