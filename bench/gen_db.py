"""A generated crimewire database of N incidents, for the workbench's load test and benchmark.

The schema comes from crimewire's own migrations (``open_database``); the rows go straight
into it in bulk, in one transaction, without the extraction pipeline: articles (English and
Spanish, with their cleaned text indexed for search), events with their arguments (places
resolved by crimewire's gazetteer, groups, agencies, nationalities, seized items), mentions,
and cross-article incidents with their members, scored pairs, places and groups. Every JSON
column holds a real serialized record (``Event``, ``ArticleResult``, ``PlaceMatch`` ...), so
every page and endpoint reads the rows as it reads an ingested database.

Shape: an article carries 1-3 events (65/25/10 %); an event reports a new incident, or (30 %)
one already reported in the last few hundred incidents, with a count that sometimes differs
(a conflict); 10 % of the incidents sit at country level, 15 % at region level, the rest in a
town; dates spread over 2018-2025. Texts are built from templates written for this file.
Output is deterministic for a seed.

    python bench/gen_db.py --incidents 100000 --out /tmp/load.db
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
import time
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import corpus  # noqa: E402  (bench/corpus.py: the slot values)

from crimewire.gazetteer.loading import load_gazetteer  # noqa: E402
from crimewire.records import (  # noqa: E402
    EVENT_TYPES,
    Article,
    ArticleOrganization,
    ArticleResult,
    Attribution,
    CleanArticle,
    CountValue,
    DateValue,
    Event,
    EventOrg,
    Evidence,
    Mentions,
    OffsetMap,
    OrgMatch,
    PlaceMatch,
    Quantity,
)
from crimewire.storage import open_database  # noqa: E402
from crimewire.storage.db import name_key  # noqa: E402
from crimewire.storage.serialize import dumps, mention_items, sha256_text  # noqa: E402

# --------------------------------------------------------------------------- templates

# (template, trigger) per event type and language. Slots: {agency} {n} {org} {place} {item}.
SENTENCES: dict[str, dict[str, tuple[str, str]]] = {
    "en": {
        "arrest": ("{agency} arrested {n} suspected members of {org} in {place}.", "arrested"),
        "rescue": ("{agency} rescued {n} people held by {org} in a house in {place}.", "rescued"),
        "killing": ("Gunmen linked to {org} killed {n} people in {place}, {agency} said.", "killed"),
        "remains_found": ("{agency} found the bodies of {n} people in a pit near {place}.", "found"),
        "seizure": ("{agency} seized {n} {item} from a warehouse of {org} in {place}.", "seized"),
        "raid": ("{agency} raided {n} properties of {org} in {place}.", "raided"),
        "kidnapping": ("Members of {org} kidnapped {n} traders in {place}, {agency} said.", "kidnapped"),
        "extortion": ("{org} extorted {n} bus drivers in {place}, according to {agency}.", "extorted"),
        "trafficking": ("{agency} said {org} trafficked {n} migrants through {place}.", "trafficked"),
        "attack": ("Members of {org} attacked a patrol in {place}, wounding {n} officers.", "attacked"),
        "charge": ("Prosecutors charged {n} members of {org} arrested in {place}.", "charged"),
        "sentence": ("A court in {place} sentenced {n} members of {org} to prison.", "sentenced"),
        "extradition": ("{place} extradited {n} leaders of {org}, {agency} said.", "extradited"),
        "escape": ("{n} inmates linked to {org} escaped from a prison in {place}.", "escaped"),
    },
    "es": {
        "arrest": ("{agency} detuvo a {n} presuntos integrantes de {org} en {place}.", "detuvo"),
        "rescue": ("{agency} rescató a {n} personas retenidas por {org} en {place}.", "rescató"),
        "killing": ("Sicarios de {org} asesinaron a {n} personas en {place}, informó {agency}.", "asesinaron"),
        "remains_found": ("{agency} halló los cuerpos de {n} personas en una fosa cerca de {place}.", "halló"),
        "seizure": ("{agency} decomisó {n} {item} en una bodega de {org} en {place}.", "decomisó"),
        "raid": ("{agency} allanó {n} inmuebles de {org} en {place}.", "allanó"),
        "kidnapping": ("Integrantes de {org} secuestraron a {n} comerciantes en {place}.", "secuestraron"),
        "extortion": ("{org} extorsionó a {n} transportistas en {place}, según {agency}.", "extorsionó"),
        "trafficking": ("{agency} dijo que {org} trasladó a {n} migrantes por {place}.", "trasladó"),
        "attack": ("Integrantes de {org} atacaron una patrulla en {place} e hirieron a {n} agentes.", "atacaron"),
        "charge": ("La Fiscalía acusó a {n} integrantes de {org} detenidos en {place}.", "acusó"),
        "sentence": ("Un tribunal de {place} condenó a {n} integrantes de {org}.", "condenó"),
        "extradition": ("{place} extraditó a {n} cabecillas de {org}, informó {agency}.", "extraditó"),
        "escape": ("{n} reos vinculados a {org} se fugaron de una cárcel de {place}.", "fugaron"),
    },
}

FILLER = {
    "en": [
        "The operation followed months of investigation, officials said.",
        "Residents said the area had seen a rise in violence since the start of the year.",
        "Authorities did not give further details about the suspects.",
        "The case is being handled by a specialized unit.",
        "Local media reported that the suspects had been under surveillance for weeks.",
        "Security forces have been deployed to the region since last month.",
        "A spokesperson said more arrests could follow in the coming days.",
        "The group has been blamed for extortion and drug trafficking in the area.",
        "Officials urged residents to report any suspicious activity.",
        "Human rights groups called for an independent inquiry.",
    ],
    "es": [
        "El operativo fue el resultado de meses de investigación, dijeron las autoridades.",
        "Los vecinos aseguraron que la violencia aumentó desde inicios de año.",
        "Las autoridades no dieron más detalles sobre los sospechosos.",
        "El caso está a cargo de una unidad especializada.",
        "Medios locales informaron que los sospechosos eran vigilados desde hace semanas.",
        "Las fuerzas de seguridad fueron desplegadas en la región el mes pasado.",
        "Un vocero dijo que podría haber más capturas en los próximos días.",
        "Al grupo se le atribuyen extorsiones y tráfico de drogas en la zona.",
        "Las autoridades pidieron a los vecinos denunciar cualquier actividad sospechosa.",
        "Organizaciones de derechos humanos pidieron una investigación independiente.",
    ],
}

# Share of events reporting an incident already reported (multi-source incidents), how far
# back such a report may look, and the share of incidents at region and at country level.
FOLLOW_UP = 0.30
RECENT_INCIDENTS = 400
NEAR_MISSES = 0.15  # incidents with a scored pair to an earlier incident that was kept apart
REGION_LEVEL = 0.15
COUNTRY_LEVEL = 0.10
FIRST_DAY = date(2018, 1, 1)
DAYS = 365 * 7 + 180
NOW = datetime(2025, 7, 1, tzinfo=UTC).isoformat(timespec="seconds")


# --------------------------------------------------------------------------- slot values


@dataclass(frozen=True)
class Slots:
    """What events are drawn from: towns (resolved), groups, agencies, outlets."""

    towns: list[PlaceMatch]
    regions: dict[str, PlaceMatch]
    countries: dict[str, PlaceMatch]
    groups: list[tuple[str, str | None, bool]]  # (canonical name, parent, known)
    agencies: dict[str, list[str]]


def _slots() -> Slots:
    gazetteer = load_gazetteer()
    towns: list[PlaceMatch] = []
    for country_en, *_rest, regions in corpus.COUNTRIES:
        country = gazetteer.country(country_en)
        for _region_en, _region_es, cities in regions:
            for city in cities:
                match = gazetteer.resolve(city, country_hint=country.country if country else None)
                if match is not None and match.kind in ("city", "locality") and match.lat is not None:
                    towns.append(match)
    regions = {t.region: r for t in towns if t.region and (r := gazetteer.region(t.region)) is not None}
    countries = {t.country: c for t in towns if t.country and (c := gazetteer.country(t.country)) is not None}
    groups: list[tuple[str, str | None, bool]] = [(canonical, None, True) for *_, canonical in corpus.ORGS]
    # Discovered local gangs, a few of them factions of the big groups.
    for i, first in enumerate(corpus.GANG_FIRST):
        for j, second in enumerate(corpus.GANG_SECOND):
            parent = groups[(i + j) % len(corpus.ORGS)][0] if (i * 7 + j) % 5 == 0 else None
            groups.append((f"{first} {second}", parent, False))
    agencies = {"en": [a[0].upper() + a[1:] for a in corpus.AGENCIES_EN],
                "es": [a[0].upper() + a[1:] for a in corpus.AGENCIES_ES]}
    return Slots(towns, regions, countries, groups, agencies)


# --------------------------------------------------------------------------- incidents


@dataclass
class Incident:
    """An incident being generated: its values and its reports (article_id, seq, count, event_id)."""

    number: int
    type: str
    day: date
    place: PlaceMatch  # a town, region or country
    groups: list[tuple[str, str | None, bool]]
    agency: int
    count: int
    item: int
    reports: list[tuple[str, int, int, int]] = field(default_factory=list)


def _new_incident(rng: random.Random, slots: Slots, number: int) -> Incident:
    town = rng.choice(slots.towns)
    level = rng.random()
    place: PlaceMatch = town
    if level < COUNTRY_LEVEL and town.country in slots.countries:
        place = slots.countries[town.country]
    elif level < COUNTRY_LEVEL + REGION_LEVEL and town.region in slots.regions:
        place = slots.regions[town.region]
    # Big groups turn up far more often than local gangs (a long tail, as in the news).
    weights = [12 if known else 1 for _, _, known in slots.groups]
    groups = rng.choices(slots.groups, weights, k=rng.choice((0, 1, 1, 1, 2)))
    type_ = rng.choice(EVENT_TYPES)
    if "{org}" not in SENTENCES["en"][type_][0]:
        groups = []
    return Incident(
        number=number,
        type=type_,
        day=FIRST_DAY + timedelta(days=rng.randrange(DAYS)),
        place=place,
        groups=list(dict.fromkeys(groups)),
        agency=rng.randrange(100),
        count=rng.choice((1, 2, 2, 3, 3, 4, 5, 6, 8, 10, 12, 15, 20, 30, 45, 120)),
        item=rng.randrange(len(corpus.ITEMS_EN)),
    )


def _written_place(place: PlaceMatch, lang: str) -> str:
    return place.name if place.kind != "region" or lang == "en" else f"la región de {place.name}"


def _event(
    rng: random.Random, slots: Slots, inc: Incident, lang: str, body: str
) -> tuple[str, Event, list[PlaceMatch], list[OrgMatch]]:
    """The evidence sentence of a report of ``inc`` (to append at ``len(body)``), its Event and mentions."""
    template, trigger = SENTENCES[lang][inc.type if inc.type in SENTENCES[lang] else "arrest"]
    agencies = slots.agencies[lang]
    agency = agencies[inc.agency % len(agencies)]
    org_text = " y ".join(g[0] for g in inc.groups) if lang == "es" else " and ".join(g[0] for g in inc.groups)
    org_text = org_text or ("una banda" if lang == "es" else "a local gang")
    # A follow-up report sometimes gives another count: the incident then has a conflict.
    count = inc.count if rng.random() > 0.2 else max(1, inc.count + rng.choice((-2, -1, 1, 3)))
    item_name, unit = (corpus.ITEMS_ES if lang == "es" else corpus.ITEMS_EN)[inc.item]
    written = _written_place(inc.place, lang)
    sentence = template.format(agency=agency, n=count, org=org_text, place=written, item=f"{unit} of {item_name}"
                               if lang == "en" else f"{unit} de {item_name}")
    sentence = sentence[0].upper() + sentence[1:]
    start = len(body)
    t = sentence.index(trigger) + start
    # The sentence's first letter was capitalized: find the place whatever its case there.
    p = sentence.lower().index(written.lower())
    where = replace(inc.place, text=sentence[p : p + len(written)], start=p + start, end=p + start + len(written))
    orgs = []
    for name, parent, known in inc.groups:
        o = sentence.lower().index(name.lower()) + start
        orgs.append(OrgMatch(name, o, o + len(name), name, parent=parent, known=known, rule="gen"))
    event = Event(
        type=inc.type,
        evidence=Evidence(sentence, start, start + len(sentence), start, start + len(sentence), trigger, t,
                          t + len(trigger), f"gen.{lang}.{inc.type}:{trigger}"),
        date=DateValue(inc.day, "day", inc.day.strftime("%A"), "weekday:last") if rng.random() > 0.15 else None,
        count=CountValue(count, "exact", str(count)),
        country=inc.place.country,
        places=(where,),
        organizations=tuple(EventOrg(name, parent=parent) for name, parent, _ in inc.groups),
        agencies=(agency,) if "{agency}" in template else (),
        nationalities=("VE",) if inc.type in ("trafficking", "arrest") and inc.number % 7 == 0 else (),
        items=(Quantity(item_name, float(count), unit, f"{count} {unit}"),) if inc.type == "seizure" else (),
        attribution=Attribution(agency, f"{agency} said", "said") if inc.number % 3 == 0 else None,
    )
    return sentence, event, [where], orgs


# --------------------------------------------------------------------------- writing


_ARTICLE_SQL = """
    INSERT INTO articles (num, id, origin, url, title, outlet, published, lang, lang_confidence, status,
        raw_text, clean_text, content_hash, result_hash, removed, offsets, data, ingested_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?, ?, ?)
"""
_EVENT_SQL = """
    INSERT INTO events (id, article_id, seq, type, date, date_precision, date_text, date_rule, count,
        count_qualifier, count_text, country, background, hedged, evidence, evidence_start, evidence_end,
        clean_start, clean_end, trigger_text, trigger_start, trigger_end, rule, attribution_source,
        attribution_text, attribution_kind, data)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_PLACE_SQL = """
    INSERT INTO event_places (event_id, seq, name, text, kind, country, region, region_name, city, lat, lon,
        geonameid, start_offset, end_offset) VALUES (?, 0, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""
_INCIDENT_SQL = """
    INSERT INTO incidents (id, type, date, date_precision, date_rule, day, country, country_rule, count,
        count_qualifier, count_rule, places, organizations, n_sources, first_reported, last_reported, lat, lon,
        region, location_kind, chosen, conflicts, founder_article, founder_seq)
    VALUES (?, ?, ?, 'day', 'most reports', ?, ?, 'reports', ?, 'exact', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
"""


def incident_id(article_id: str, seq: int) -> str:
    """The id crimewire's resolution gives an incident founded by report ``(article_id, seq)``."""
    return "inc-" + hashlib.sha1(f"{article_id}#{seq}".encode()).hexdigest()[:10]


class _Rows:
    """Rows waiting to be written, flushed with executemany every few thousand.

    Flushed between articles only, every table at once in the order its first row came
    (articles before their events, events before their places): the foreign keys hold.
    """

    def __init__(self, conn: Any) -> None:
        self.conn = conn
        self.pending: dict[str, list[tuple[Any, ...]]] = {}

    def add(self, sql: str, *row: Any) -> None:
        self.pending.setdefault(sql, []).append(row)

    def flush_if_full(self) -> None:
        if max(map(len, self.pending.values()), default=0) >= 5000:
            self.flush()

    def flush(self) -> None:
        for sql in list(self.pending):
            self.conn.executemany(sql, self.pending.pop(sql))


def _organizations(rows: _Rows, slots: Slots) -> dict[str, int]:
    ids = {name: i for i, (name, _, _) in enumerate(slots.groups, 1)}
    for name, parent, known in slots.groups:
        rows.add("INSERT INTO organizations (id, name, key, parent_id, known) VALUES (?, ?, ?, ?, ?)",
                 ids[name], name, name_key(name), ids.get(parent) if parent else None, int(known))
        rows.add("INSERT INTO organization_names (organization_id, name, key, lang) VALUES (?, ?, ?, NULL)",
                 ids[name], name, name_key(name))
    for english, spanish, canonical in corpus.ORGS:
        for alias in {english.removeprefix("the "), spanish.removeprefix("el ").removeprefix("la ")}:
            if name_key(alias) != name_key(canonical):
                rows.add("INSERT OR IGNORE INTO organization_names (organization_id, name, key, lang) "
                         "VALUES (?, ?, ?, NULL)", ids[canonical], alias, name_key(alias))
    rows.flush()
    return ids


def _write_article(
    rows: _Rows, num: int, article_id: str, lang: str, published: date, reports: list[tuple[str, Event]],
    places: list[PlaceMatch], orgs: list[OrgMatch], filler: list[str], next_event: int, org_ids: dict[str, int],
) -> int:
    """Write one article and its events; return the next free event id."""
    outlet, domain = corpus.OUTLETS[num % len(corpus.OUTLETS)]
    # A sign-off with the article's id: two articles never share a text (content_hash is UNIQUE).
    body = " ".join([*(s for s, _ in reports), *filler, f"({outlet}, ref. {article_id})"])
    title = reports[0][0].split(",")[0].rstrip(".")
    article = Article(article_id, body, published, title, f"https://{domain}/{published:%Y/%m}/{article_id}",
                      lang, outlet, f"generated/{article_id}")
    groups = {o.name: o.parent for o in orgs}
    rest = ArticleResult(
        CleanArticle(replace(article, text=""), "", OffsetMap(()), (), lang, 0.99),
        organizations=tuple(ArticleOrganization(name, parent=parent) for name, parent in groups.items()),
    )
    rows.add(_ARTICLE_SQL, num, article_id, article.origin, article.url, title, outlet, published.isoformat(),
             lang, 0.99, "extracted", body, body, sha256_text(body), sha256_text(article_id + body),
             dumps(OffsetMap.identity(len(body)).segments), dumps(rest), NOW)
    for name in groups:
        rows.add("INSERT OR IGNORE INTO article_organizations (article_id, organization_id) VALUES (?, ?)",
                 article_id, org_ids[name])
    for seq, (_, e) in enumerate(reports):
        event_id = next_event + seq
        ev, d, c, a = e.evidence, e.date, e.count, e.attribution
        rows.add(_EVENT_SQL, event_id, article_id, seq, e.type, d.value.isoformat() if d and d.value else None,
                 d.precision if d else None, d.text if d else None, d.rule if d else None, c.value if c else None,
                 c.qualifier if c else None, c.text if c else None, e.country, ev.sentence, ev.start, ev.end,
                 ev.clean_start, ev.clean_end, ev.trigger, ev.trigger_start, ev.trigger_end, ev.rule,
                 a.source if a else None, a.text if a else None, a.kind if a else None, dumps(e))
        for p in e.places:
            rows.add(_PLACE_SQL, event_id, p.name, p.text, p.kind, p.country, p.region, p.region_name, p.city,
                     p.lat, p.lon, p.geonameid, p.start, p.end)
        for o in e.organizations:
            rows.add("INSERT OR IGNORE INTO event_organizations (event_id, organization_id, role) VALUES (?, ?, ?)",
                     event_id, org_ids[o.name], o.role)
        for i, agency in enumerate(e.agencies):
            rows.add("INSERT INTO event_agencies (event_id, seq, name) VALUES (?, ?, ?)", event_id, i, agency)
        for code in e.nationalities:
            rows.add("INSERT INTO event_nationalities (event_id, country) VALUES (?, ?)", event_id, code)
        for i, q in enumerate(e.items):
            rows.add("INSERT INTO event_items (event_id, seq, item, amount, unit, text) VALUES (?, ?, ?, ?, ?, ?)",
                     event_id, i, q.item, q.amount, q.unit, q.text)
    for kind, match, data in mention_items(Mentions(places=tuple(places), organizations=tuple(orgs))):
        rows.add("INSERT INTO mentions (article_id, kind, start_offset, end_offset, text, name, data) "
                 "VALUES (?, ?, ?, ?, ?, ?, ?)", article_id, kind, data.get("start"), data.get("end"),
                 data.get("text"), data["name"], dumps(match))
    rows.flush_if_full()
    return next_event + len(reports)


def _write_incident(rows: _Rows, inc: Incident, org_ids: dict[str, int], published: dict[str, date]) -> None:
    founder_article, founder_seq, _, _ = inc.reports[0]
    iid = incident_id(founder_article, founder_seq)
    counts = sorted({c for _, _, c, _ in inc.reports})
    days = sorted(published[a] for a, _, _, _ in inc.reports)
    conflicts = []
    if len(counts) > 1:
        conflicts = [["count", [[c, sorted({a for a, _, n, _ in inc.reports if n == c})] for c in counts]]]
    p = inc.place
    point = p.kind in ("city", "locality")
    rows.add(_INCIDENT_SQL, iid, inc.type, inc.day.isoformat(), inc.day.isoformat(), p.country, inc.count,
             "most reports", json.dumps([p.name], ensure_ascii=False),
             json.dumps([g[0] for g in inc.groups], ensure_ascii=False), len({a for a, *_ in inc.reports}),
             days[0].isoformat(), days[-1].isoformat(), p.lat if point else None, p.lon if point else None,
             p.region if p.kind != "country" else None, p.kind,
             json.dumps({"count": [inc.count, "most reports"], "date": [inc.day.isoformat(), "most reports"]}),
             json.dumps(conflicts, ensure_ascii=False), founder_article, founder_seq)
    lo, hi = (inc.day - timedelta(days=3)).isoformat(), (inc.day + timedelta(days=3)).isoformat()
    via: tuple[str, int] | None = None
    for article_id, seq, _, _ in inc.reports:
        why = "founded the incident" if via is None else f"matched {via[0]}#{via[1]}: same type, day and place"
        rows.add("INSERT INTO incident_members (article_id, seq, incident_id, type, country, day_lo, day_hi, "
                 "via_article, via_seq, score, why) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                 article_id, seq, iid, inc.type, p.country, lo, hi, via[0] if via else None,
                 via[1] if via else None, None if via is None else 8.5, why)
        if via is not None:
            a, b = sorted([via, (article_id, seq)])
            rows.add("INSERT OR IGNORE INTO incident_links (a_article, a_seq, b_article, b_seq, score, linked, "
                     "conflict, features) VALUES (?, ?, ?, ?, 8.5, 1, NULL, ?)", *a, *b,
                     json.dumps([["type", 3.0], ["day", 2.5], ["place", 3.0]]))
        via = (founder_article, founder_seq)
    rows.add("INSERT INTO incident_places (incident_id, seq, name, kind, country, region, region_name, city) "
             "VALUES (?, 0, ?, ?, ?, ?, ?, ?)", iid, p.name, p.kind, p.country, p.region, p.region_name, p.city)
    for name, _, _ in inc.groups:
        rows.add("INSERT OR IGNORE INTO incident_organizations (incident_id, organization_id) VALUES (?, ?)",
                 iid, org_ids[name])
    rows.flush_if_full()


def _near_misses(rows: _Rows, rng: random.Random, made: list[Incident]) -> None:
    """Scored pairs kept apart: a report and one of an incident of the same type shortly before."""
    for i, inc in enumerate(made):
        if i < 50 or rng.random() >= NEAR_MISSES:
            continue
        other = made[i - rng.randint(1, 50)]
        a, b = sorted([inc.reports[0][:2], other.reports[-1][:2]])
        linked = int(rng.random() < 0.2)
        conflict = None if linked else rng.choice(("different place", "different count", None))
        rows.add("INSERT OR IGNORE INTO incident_links (a_article, a_seq, b_article, b_seq, score, linked, conflict, "
                 "features) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", *a, *b, round(rng.uniform(1.0, 6.0), 2), linked,
                 conflict, json.dumps([["type", 3.0], ["day", 1.0]]))


def generate(path: Path, incidents: int, *, seed: int = 0) -> dict[str, int]:
    """Write a database of ``incidents`` generated incidents at ``path`` (a new file); return row counts."""
    if path.exists():
        raise FileExistsError(f"{path} exists: the generator only writes new databases")
    rng = random.Random(seed)
    slots = _slots()
    with open_database(path) as db:
        conn = db.conn
        # A new file nobody reads yet: no rollback journal, no fsync, one transaction (a crash
        # leaves a file to delete). WAL again at the end, as crimewire runs it.
        conn.execute("PRAGMA journal_mode = OFF")
        conn.execute("PRAGMA synchronous = OFF")
        with db.transaction():
            rows = _Rows(conn)
            org_ids = _organizations(rows, slots)
            made: list[Incident] = []
            published: dict[str, date] = {}
            next_event, num = 1, 0
            while len(made) < incidents:
                num += 1
                article_id = f"gen-{num:07d}"
                lang = "es" if rng.random() < 0.45 else "en"
                n_events = rng.choices((1, 2, 3), (65, 25, 10))[0]
                reports: list[tuple[str, Event]] = []
                places: list[PlaceMatch] = []
                orgs: list[OrgMatch] = []
                body = ""
                chosen: list[Incident] = []
                for _ in range(n_events):
                    recent = made[-RECENT_INCIDENTS:]
                    if recent and rng.random() < FOLLOW_UP:
                        inc = rng.choice(recent)
                        if inc in chosen:
                            continue
                    else:
                        if len(made) >= incidents:
                            break
                        inc = _new_incident(rng, slots, len(made))
                        made.append(inc)
                    chosen.append(inc)
                day = max(i.day for i in chosen) + timedelta(days=rng.randrange(4)) if chosen else None
                if day is None:
                    continue
                for inc in chosen:
                    sentence, event, ps, os_ = _event(rng, slots, inc, lang, body + " " if body else "")
                    body = (body + " " if body else "") + sentence
                    reports.append((sentence, event))
                    places += ps
                    orgs += os_
                    inc.reports.append((article_id, len(reports) - 1, event.count.value if event.count else 0,
                                        next_event + len(reports) - 1))
                filler = rng.sample(FILLER[lang], rng.randint(3, 8))
                published[article_id] = day
                next_event = _write_article(rows, num, article_id, lang, day, reports, places, orgs, filler,
                                            next_event, org_ids)
            rows.flush()
            for inc in made:
                _write_incident(rows, inc, org_ids, published)
            _near_misses(rows, rng, made)
            rows.flush()
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        counts = {table: int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])
                  for table in ("articles", "events", "incidents", "incident_members", "incident_links",
                                "organizations")}
        conn.execute("PRAGMA optimize")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="generate a crimewire database of N incidents")
    parser.add_argument("--incidents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    started = time.perf_counter()
    counts = generate(args.out, args.incidents, seed=args.seed)
    print(json.dumps({**counts, "seconds": round(time.perf_counter() - started, 1)}))


if __name__ == "__main__":
    main()
