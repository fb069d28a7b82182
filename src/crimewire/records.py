"""The typed records that flow between pipeline stages.

Every stage is a plain function from one of these records to another. They are
frozen dataclasses so that a stage can never change its input behind another
stage's back, and so that they pickle cleanly to Dask workers.

Offsets: ``start``/``end`` of mentions are half-open character offsets into the
*cleaned* text (``CleanArticle.text``); ``Evidence`` carries both cleaned and
original offsets (original = into ``Article.text``), mapped by ``OffsetMap``.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

EVENT_TYPES: tuple[str, ...] = (
    "arrest",
    "rescue",
    "killing",
    "remains_found",
    "seizure",
    "raid",
    "kidnapping",
    "extortion",
    "trafficking",
    "attack",
    "charge",
    "sentence",
    "extradition",
    "escape",
)

Precision = Literal["day", "week", "month", "year"]


# --------------------------------------------------------------------------- input


@dataclass(frozen=True, slots=True)
class Article:
    """One news article as read from its source, before any cleaning."""

    id: str  # stable id: the file stem, the JSONL `id`, or a hash of url/text
    text: str  # the body exactly as read (the "original" text for offsets)
    published: date | None = None  # publication date; None when the source gives none
    title: str | None = None
    url: str | None = None
    lang: str | None = None  # language declared by the source (ISO 639-1), if any
    outlet: str | None = None  # outlet name or source domain
    origin: str = ""  # where it was read from: "path", "path:line", "path#record"


# --------------------------------------------------------------------------- cleaning


@dataclass(frozen=True, slots=True)
class RemovedText:
    """A piece of the original body that cleaning removed as clutter."""

    start: int  # offsets into Article.text
    end: int
    text: str
    reason: str  # "teaser", "embed_footer", "byline", "widget", "caption", "related_list", "markup", ...


@dataclass(frozen=True, slots=True)
class OffsetMap:
    """Maps offsets in cleaned text back to offsets in the original text.

    Stored as sorted segments ``(clean_start, original_start, length)``: each
    segment is a run of characters copied unchanged from the original. Characters
    of the cleaned text that were synthesized (e.g. a space replacing a broken
    paragraph) map to the original position of the preceding segment's end.
    """

    segments: tuple[tuple[int, int, int], ...]

    @staticmethod
    def identity(length: int) -> OffsetMap:
        """The map of a text that cleaning did not change."""
        return OffsetMap(((0, 0, length),))

    def to_original(self, pos: int) -> int:
        """Original offset of cleaned offset ``pos``."""
        if not self.segments:
            return pos
        starts = [s[0] for s in self.segments]
        i = max(0, bisect.bisect_right(starts, pos) - 1)
        clean_start, orig_start, length = self.segments[i]
        return orig_start + min(max(pos - clean_start, 0), length)

    def span_to_original(self, start: int, end: int) -> tuple[int, int]:
        """Original ``(start, end)`` of the cleaned span ``[start, end)``."""
        if end <= start:
            o = self.to_original(start)
            return o, o
        return self.to_original(start), self.to_original(end - 1) + 1


@dataclass(frozen=True, slots=True)
class CleanArticle:
    """An article whose body has been cleaned of clutter, with its language."""

    article: Article
    text: str  # the cleaned body: extraction reads only this
    offsets: OffsetMap
    removed: tuple[RemovedText, ...] = ()
    lang: str | None = None  # detected (or declared) language, ISO 639-1
    lang_confidence: float | None = None


# --------------------------------------------------------------------------- mentions


@dataclass(frozen=True, slots=True)
class PlaceMatch:
    """A place named in the text, resolved (when possible) to the gazetteer."""

    text: str  # as written
    start: int
    end: int
    name: str  # canonical name (gazetteer name, or as written when unresolved)
    kind: str  # "country" | "region" | "city" | "locality" | "facility" | "unknown"
    country: str | None = None  # ISO 3166-1 alpha-2
    region: str | None = None  # ISO 3166-2 code, e.g. "PE-LIM"
    region_name: str | None = None
    city: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None
    # ACLED geo_precision: 1 the town or locality itself is known (lat/lon are its point),
    # 2 near a town or somewhere inside one ("outskirts of X", a prison named after X),
    # 3 only a region or the country is known; None when nothing is resolved.
    precision: int | None = None


@dataclass(frozen=True, slots=True)
class OrgMatch:
    """A criminal organization named in the text."""

    text: str  # as written
    start: int
    end: int
    name: str  # canonical name (knowledge base), or the written name for a new group
    parent: str | None = None  # canonical name of the parent group, if a faction
    known: bool = True  # True: from the knowledge base; False: discovered by a pattern
    rule: str = ""  # which lexicon entry or pattern found it


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    """A police force, prosecutor, military unit, court or ministry named in the text."""

    text: str  # as written, e.g. "the Peruvian police"
    start: int
    end: int
    name: str  # normalized name, e.g. "Peruvian police"
    kind: str = "police"  # "police" | "prosecutor" | "military" | "court" | "migration" | "government" | "other"
    country: str | None = None  # ISO alpha-2 when the name tells it


@dataclass(frozen=True, slots=True)
class NationalityMatch:
    """A demonym naming people's nationality ("Venezuelan citizens", "colombianas")."""

    text: str
    start: int
    end: int
    country: str  # ISO alpha-2


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A person named in a report, only as named, with alias and role."""

    text: str
    start: int
    end: int
    name: str
    alias: str | None = None
    role: str = "unknown"  # "arrested" | "leader" | "victim" | "official" | "unknown"


@dataclass(frozen=True, slots=True)
class Mentions:
    """Everything named in one article's cleaned text."""

    places: tuple[PlaceMatch, ...] = ()
    organizations: tuple[OrgMatch, ...] = ()
    agencies: tuple[AgencyMatch, ...] = ()
    nationalities: tuple[NationalityMatch, ...] = ()
    persons: tuple[PersonMatch, ...] = ()


# --------------------------------------------------------------------------- event arguments


@dataclass(frozen=True, slots=True)
class CountValue:
    """How many people (or bodies, or items) an event involved."""

    value: int | None  # None for "dozens", "decenas"
    qualifier: str = "exact"  # "exact" | "more_than" | "at_least" | "about" | "up_to" | "fewer_than"
    text: str = ""  # as written, e.g. "more than 100"
    note: str | None = None  # e.g. "vague quantity: dozens"


@dataclass(frozen=True, slots=True)
class DateValue:
    """When an event happened, resolved against the publication date."""

    value: date | None
    precision: Precision | None = None
    text: str = ""  # as written, e.g. "this Thursday"
    rule: str = ""  # how it was resolved, e.g. "weekday:this:past"


@dataclass(frozen=True, slots=True)
class Quantity:
    """A seized item with its quantity ("5.4 tonnes of cocaine", "48 firearms")."""

    item: str  # normalized item, e.g. "cocaine", "firearms", "cash"
    amount: float | None = None
    unit: str | None = None  # "kg", "t", "units", "USD", "EUR", ...
    text: str = ""


@dataclass(frozen=True, slots=True)
class Attribution:
    """Who states the event ("the Interior Ministry said in a statement")."""

    source: str  # e.g. "Interior Ministry", "authorities", "radio station RPP"
    text: str  # the attributing phrase as written
    kind: str = "said"  # "said" | "according_to" | "reported" | "post" | "statement"


@dataclass(frozen=True, slots=True)
class Evidence:
    """Where an event was read from."""

    sentence: str  # the sentence as cleaned
    start: int  # offsets of the sentence in the ORIGINAL article text
    end: int
    clean_start: int  # offsets of the sentence in the cleaned text
    clean_end: int
    trigger: str  # the trigger word(s)
    trigger_start: int  # trigger offsets in the cleaned text
    trigger_end: int
    rule: str  # which lexicon entry / pattern fired, e.g. "en.arrest.verb:arrest"


@dataclass(frozen=True, slots=True)
class EventOrg:
    """A criminal group taking part in an event."""

    name: str  # canonical
    role: str = "perpetrator"  # "perpetrator" | "target"
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ArgumentSource:
    """Where one argument value came from (for `crimewire explain`)."""

    argument: str  # "count", "date", "places", "organizations", ...
    value: str
    text: str  # the words it was read from
    how: str  # e.g. "object of trigger", "same sentence", "article dateline", "merged from sentence 3"


@dataclass(frozen=True, slots=True)
class Event:
    """One happening reported as fact, with its arguments and evidence."""

    type: str  # one of EVENT_TYPES
    evidence: Evidence
    date: DateValue | None = None
    count: CountValue | None = None
    country: str | None = None
    places: tuple[PlaceMatch, ...] = ()
    organizations: tuple[EventOrg, ...] = ()
    agencies: tuple[str, ...] = ()
    nationalities: tuple[str, ...] = ()
    items: tuple[Quantity, ...] = ()  # seizures
    attribution: Attribution | None = None
    background: bool = False  # a past incident mentioned as context (over a year old)
    hedged: bool = False  # authorship or details hedged ("allegedly ordered by")
    also_evidence: tuple[Evidence, ...] = ()  # other sentences merged into this event
    sources: tuple[ArgumentSource, ...] = ()
    notes: tuple[str, ...] = ()


# --------------------------------------------------------------------------- output


@dataclass(frozen=True, slots=True)
class ArticleOrganization:
    """A criminal group the article names, once, with its surface forms."""

    name: str
    aliases: tuple[str, ...] = ()
    parent: str | None = None


@dataclass(frozen=True, slots=True)
class ArticleResult:
    """Everything crimewire knows about one article after extraction."""

    clean: CleanArticle
    status: str = "extracted"  # "extracted" | "unsupported_language" | "empty"
    events: tuple[Event, ...] = ()
    organizations: tuple[ArticleOrganization, ...] = ()
    mentions: Mentions = field(default_factory=Mentions)
    notes: tuple[str, ...] = ()

    @property
    def article(self) -> Article:
        return self.clean.article


@dataclass(frozen=True, slots=True)
class ReadError:
    """An input that could not be read as an article: the file and the reason."""

    origin: str
    reason: str
    # Where in the file: "line 7" (JSON Lines), "item 3" (a JSON array), "entry 2" (a feed),
    # "record 4 at byte 5120" (WARC), "byte 25" (invalid UTF-8); None for a whole file.
    position: str | None = None
