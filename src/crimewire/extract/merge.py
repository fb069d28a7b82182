"""Within-article consolidation of draft events.

Two sentences that report the same happening become one event (SCHEMA.md: "two
sentences that report the same happening in one article yield one event"); the
arguments of all its sentences are pooled. Then the annotation conventions that
relate events of different types are applied: an attack in which people died is a
killing; a raid is reported only when the operation counts no arrest or rescue.
Finally, arguments missing from an event are filled from the events of the same
operation (sentences close by), and old incidents are flagged as background.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from crimewire.records import (
    ArgumentSource,
    CountValue,
    DateValue,
    Event,
    EventOrg,
    Evidence,
    PlaceMatch,
    Quantity,
)

# Types that describe one police operation: their missing arguments can be filled
# from each other when they are reported in neighbouring sentences.
OPERATION_TYPES = frozenset({"arrest", "rescue", "seizure", "raid"})
# How far (in sentences) an operation's arguments travel to a neighbour. Two sentences
# either way covers "During the raid ... police detained 23" following the lead sentence.
OPERATION_WINDOW = 2


@dataclass(slots=True)
class Draft:
    """An event being assembled from one or more sentences (mutable while merging)."""

    type: str
    sentence: int
    headline: bool
    evidence: Evidence
    count: CountValue | None = None
    date: DateValue | None = None
    date_is_report: bool = False
    places: list[PlaceMatch] = field(default_factory=list)
    country: str | None = None
    organizations: list[EventOrg] = field(default_factory=list)
    group_anaphor: bool = False
    agencies: list[str] = field(default_factory=list)
    nationalities: list[str] = field(default_factory=list)
    items: list[Quantity] = field(default_factory=list)
    attribution: object = None
    additive: bool = False  # "two other people": adds to an earlier count of the same type
    anaphoric: bool = False  # "those arrested": refers back, never starts an event
    sentences: list[int] = field(default_factory=list)
    also: list[Evidence] = field(default_factory=list)
    sources: list[ArgumentSource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hedged: bool = False


# --------------------------------------------------------------------------- compatibility


def _places_compatible(a: Sequence[PlaceMatch], b: Sequence[PlaceMatch]) -> bool:
    if not a or not b:
        return True
    names_a = {p.name.casefold() for p in a}
    names_b = {p.name.casefold() for p in b}
    if names_a & names_b:
        return True
    regions_a = {p.region for p in a if p.region}
    regions_b = {p.region for p in b if p.region}
    return bool(regions_a & regions_b)


def _items_compatible(a: Sequence[Quantity], b: Sequence[Quantity]) -> bool:
    if not a or not b:
        return True
    return bool({q.item for q in a} & {q.item for q in b})


def _orgs_compatible(a: Sequence[EventOrg], b: Sequence[EventOrg]) -> bool:
    if not a or not b:
        return True
    return bool({o.name for o in a} & {o.name for o in b})


def compatible(a: Draft, b: Draft) -> bool:
    """Whether two drafts of the same type can be the same happening."""
    if a.type != b.type:
        return False
    if a.count and b.count and a.count.value is not None and b.count.value is not None:
        if a.count.value != b.count.value:
            return False
    if a.date and b.date and a.date.value and b.date.value and a.date.value != b.date.value:
        return False
    if a.country and b.country and a.country != b.country:
        return False
    return _places_compatible(a.places, b.places) and _items_compatible(a.items, b.items) and _orgs_compatible(
        a.organizations, b.organizations
    )


# --------------------------------------------------------------------------- merging


def _absorb(into: Draft, other: Draft, how: str) -> None:
    """Pool ``other``'s arguments into ``into`` (filling gaps, uniting lists)."""
    # A body sentence is better evidence than a headline.
    if into.headline and not other.headline:
        into.also.append(into.evidence)
        into.evidence = other.evidence
        into.headline = False
    else:
        into.also.append(other.evidence)
    into.sentences.append(other.sentence)
    if into.count is None or (into.count.value is None and other.count and other.count.value is not None):
        into.count = other.count
    if into.date is None and other.date is not None:
        into.date = other.date
    into.date_is_report = into.date_is_report or other.date_is_report
    for p in other.places:
        if all(p.name.casefold() != q.name.casefold() for q in into.places):
            into.places.append(p)
    into.country = into.country or other.country
    for o in other.organizations:
        if all(o.name != q.name for q in into.organizations):
            into.organizations.append(o)
    into.group_anaphor = into.group_anaphor or other.group_anaphor
    for lst_into, lst_other in ((into.agencies, other.agencies), (into.nationalities, other.nationalities)):
        for x in lst_other:
            if x not in lst_into:
                lst_into.append(x)
    for q in other.items:
        if all(q.text != r.text for r in into.items):
            into.items.append(q)
    into.attribution = into.attribution or other.attribution
    into.sources.extend(replace(s, how=f"{s.how}; {how}") for s in other.sources)
    into.notes.extend(n for n in other.notes if n not in into.notes)


def merge_drafts(drafts: Sequence[Draft]) -> list[Draft]:
    """Merge drafts that report the same happening; apply cross-type conventions."""
    merged: list[Draft] = []
    for d in drafts:
        if d.additive and d.type == "killing":
            target = _latest(merged, "killing", before=d.sentence)
            if target is not None and d.count and d.count.value is not None and target.count and target.count.value:
                target.count = CountValue(
                    target.count.value + d.count.value, target.count.qualifier,
                    f"{target.count.text} + {d.count.text}", "victims added from a later sentence",
                )
                d_count = d.count
                d.count = None
                _absorb(target, d, f"added {d_count.text} from sentence {d.sentence + 1}")
                continue
        same_sentence_kill = d.type == "killing" and next(
            (m for m in merged if m.type == "killing" and m.sentence == d.sentence), None
        )
        if same_sentence_kill and d.count and same_sentence_kill.count and d.count.value and same_sentence_kill.count.value:
            # "killing 6 cops and leaving two civilians dead": one attack, everyone dead counts.
            t = same_sentence_kill
            assert t.count is not None
            t.count = CountValue(t.count.value + d.count.value, t.count.qualifier,
                                 f"{t.count.text} + {d.count.text}", "victims of one attack added")
            d.count = None
            _absorb(t, d, "same attack")
            continue
        target = next((m for m in merged if compatible(m, d)), None)
        if target is not None:
            _absorb(target, d, f"merged from sentence {d.sentence + 1}")
        elif d.anaphoric:
            continue  # "those arrested" with nothing to refer to: not a new happening
        else:
            d.sentences = [d.sentence]
            merged.append(d)
    merged = _attacks_into_killings(merged)
    merged = _drop_raids_with_outcomes(merged)
    return merged


def _latest(drafts: Sequence[Draft], type_: str, before: int) -> Draft | None:
    cands = [d for d in drafts if d.type == type_ and d.sentence <= before]
    return cands[-1] if cands else None


def _attacks_into_killings(drafts: list[Draft]) -> list[Draft]:
    """SCHEMA convention 2: an attack in which people died is the killing."""
    killings = [d for d in drafts if d.type == "killing"]
    if not killings:
        return drafts
    out = []
    for d in drafts:
        if d.type == "attack":
            target = next((k for k in killings if _dates_agree(k, d) and _places_compatible(k.places, d.places)), None)
            if target is not None:
                saved_type = d.type
                d.type = "killing"
                d.count = None
                _absorb(target, d, f"the {saved_type} in which they died")
                continue
        out.append(d)
    return out


def _drop_raids_with_outcomes(drafts: list[Draft]) -> list[Draft]:
    """SCHEMA convention 1: `raid` only when the operation reports no counted arrest or rescue."""
    outcomes = [d for d in drafts if d.type in ("arrest", "rescue") and d.count and d.count.value]
    out = []
    for d in drafts:
        if d.type == "raid":
            target = next((o for o in outcomes if _dates_agree(o, d)), None)
            if target is not None:
                continue
        out.append(d)
    return out


def _dates_agree(a: Draft, b: Draft) -> bool:
    if a.date is None or b.date is None or a.date.value is None or b.date.value is None:
        return True
    return a.date.value == b.date.value


# --------------------------------------------------------------------------- context


def fill_from_operation(drafts: list[Draft]) -> None:
    """Fill missing arguments of operation events from neighbouring operation events."""
    for d in drafts:
        if d.type not in OPERATION_TYPES:
            continue
        neighbours = sorted(
            (o for o in drafts if o is not d and o.type in OPERATION_TYPES
             and min(abs(s - t) for s in o.sentences for t in d.sentences) <= OPERATION_WINDOW),
            key=lambda o: min(abs(s - t) for s in o.sentences for t in d.sentences),
        )
        for n in neighbours:
            how = f"from the same operation ({n.type}, sentence {n.sentence + 1})"
            if d.date is None and n.date is not None and not d.date_is_report:
                d.date = n.date
                d.sources.append(ArgumentSource("date", str(n.date.value), n.date.text, how))
            if not d.places and n.places and (d.country is None or d.country == n.country):
                d.places = list(n.places)
                d.sources.append(ArgumentSource("places", ", ".join(p.name for p in n.places), "", how))
            if d.country is None and n.country:
                d.country = n.country
                d.sources.append(ArgumentSource("country", n.country, "", how))
            if not d.organizations and n.organizations:
                d.organizations = list(n.organizations)
                d.sources.append(ArgumentSource("organizations", ", ".join(o.name for o in n.organizations), "", how))
            if not d.agencies and n.agencies:
                d.agencies = list(n.agencies)


def fill_from_article(drafts: list[Draft], primary_orgs: Sequence[EventOrg], country: str | None) -> None:
    """Fill organizations named by anaphora ("the gang") and the article's country."""
    for d in drafts:
        if not d.organizations and d.group_anaphor and primary_orgs:
            d.organizations = list(primary_orgs)
            d.sources.append(ArgumentSource("organizations", ", ".join(o.name for o in primary_orgs),
                                            "", "the group the article is about (anaphora)"))
        if d.country is None and country:
            d.country = country
            d.sources.append(ArgumentSource("country", country, "", "the country the article is about"))


def finish(d: Draft, published: date | None, background_days: int) -> Event:
    """Turn a draft into an immutable Event, flagging old incidents as background."""
    background = False
    if published is not None and d.date is not None and d.date.value is not None:
        background = (published - d.date.value).days > background_days
    count = d.count
    if d.type == "seizure" and count is None and len(d.items) == 1 and d.items[0].amount is not None:
        amount = d.items[0].amount
        if float(amount).is_integer():
            count = CountValue(int(amount), "exact", d.items[0].text, "quantity of the only seized item")
    return Event(
        type=d.type,
        evidence=d.evidence,
        date=d.date,
        count=count,
        country=d.country,
        places=tuple(d.places),
        organizations=tuple(d.organizations),
        agencies=tuple(d.agencies),
        nationalities=tuple(d.nationalities),
        items=tuple(d.items),
        attribution=d.attribution,  # type: ignore[arg-type]
        background=background,
        hedged=d.hedged,
        also_evidence=tuple(d.also),
        sources=tuple(d.sources),
        notes=tuple(d.notes),
    )
