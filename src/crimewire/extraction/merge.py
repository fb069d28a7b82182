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

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from crimewire.counts import leading_qualifier, parse_count
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
# Happenings of their own kind (not outcomes of one police operation): a sentence that opens
# with "hours later" or "in another incident" reports another one.
INCIDENT_TYPES = frozenset({"killing", "attack", "kidnapping", "remains_found", "escape", "extortion", "trafficking"})
# How far (in sentences) an operation's arguments travel to a neighbour. News reports give
# an operation's outcomes in the lead and its details a few sentences on; a press release
# often tells the backstory (the kidnapping, the tip-off) in between. Four sentences covered
# the dev set; eight covered the team corpora too (corpus 2 dates 0.795 -> 0.831, nothing
# lost elsewhere), and a second operation is kept apart by its opener ("In a separate ...").
OPERATION_WINDOW = 8


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
    destinations: list[str] = field(default_factory=list)  # countries people were sent to
    items: list[Quantity] = field(default_factory=list)
    attribution: object = None
    additive: bool = False  # "two other people": adds to an earlier count of the same type
    # How the draft refers back to an event already reported: "" (it does not),
    # "reference" ("the arrest took place near ..."), "subset" ("30 of them were deported"),
    # "mention" ("those arrested", "los imputados": never starts an event of its own).
    anaphoric: str = ""
    bare: bool = False  # the trigger has no patient ("the discovery", "the arrest")
    separate: bool = False  # its sentence opens with "Hours later", "En otro hecho", ...
    patient_words: set[str] = field(default_factory=set)  # lemmas naming who or what it happened to
    sentences: list[int] = field(default_factory=list)
    also: list[Evidence] = field(default_factory=list)
    sources: list[ArgumentSource] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    hedged: bool = False


# --------------------------------------------------------------------------- compatibility


def _places_compatible(a: Sequence[PlaceMatch], b: Sequence[PlaceMatch]) -> bool:
    if not a or not b:
        return True
    # a place and its town agree ("the Las Quintas neighbourhood" is in Culiacán)
    names_a = {n.casefold() for p in a for n in (p.name, p.city) if n}
    names_b = {n.casefold() for p in b for n in (p.name, p.city) if n}
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


def counts_compatible(a: CountValue | None, b: CountValue | None) -> bool:
    """Equal counts, or one a bound the other satisfies ("over 80" and "84")."""
    if a is None or b is None or a.value is None or b.value is None:
        return True
    if a.value == b.value:
        return True
    for x, y in ((a, b), (b, a)):
        assert x.value is not None and y.value is not None
        if x.qualifier in ("more_than", "at_least") and y.value >= x.value:
            return True
        if x.qualifier in ("up_to", "fewer_than") and y.value <= x.value:
            return True
        # "about 30", "nearly 80": within 15 %, the rounding news figures carry.
        if x.qualifier == "about" and abs(y.value - x.value) <= 0.15 * x.value:
            return True
    return False


def dates_compatible(a: DateValue | None, b: DateValue | None) -> bool:
    """Equal dates, or a month/week-precision date that contains the other."""
    if a is None or b is None or a.value is None or b.value is None:
        return True
    if a.value == b.value:
        return True
    for x, y in ((a, b), (b, a)):
        assert x.value is not None and y.value is not None
        if x.precision == "month" and (x.value.year, x.value.month) == (y.value.year, y.value.month):
            return True
        if x.precision == "week" and 0 <= (y.value - x.value).days < 7:
            return True
        if x.precision == "year" and x.value.year == y.value.year:
            return True
    return False


def _old(d: DateValue | None, published: date | None, background_days: int) -> bool:
    return (
        published is not None and d is not None and d.value is not None
        and (published - d.value).days > background_days
    )


def compatible(a: Draft, b: Draft, *, published: date | None = None, background_days: int = 366,
               ignore_counts: bool = False) -> bool:
    """Whether two drafts of the same type can be the same happening."""
    if a.type != b.type:
        return False
    if not ignore_counts and not counts_compatible(a.count, b.count):
        return False
    if not dates_compatible(a.date, b.date):
        return False
    # An incident over a year old is not today's report of the same kind ("police freed
    # them in January 2024"), even when today's sentence gives no date.
    if _old(a.date, published, background_days) != _old(b.date, published, background_days):
        return False
    if a.country and b.country and a.country != b.country:
        return False
    if ignore_counts:
        return True
    if not (_places_compatible(a.places, b.places) and _items_compatible(a.items, b.items)
            and _orgs_compatible(a.organizations, b.organizations)):
        return False
    # Killings, attacks, kidnappings ... told in two sentences are one happening only when
    # something ties them (a day, a place, a figure); "hours later, gunmen torched nine
    # vehicles" is another attack than the ambush of the sentence before.
    # "Hours later, gunmen torched nine vehicles", "En otro hecho, ...": the sentence itself
    # says it tells another happening.
    return not (b.separate and not b.anaphoric and a.type in INCIDENT_TYPES and b.sentence not in a.sentences)





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
    elif (other.count and other.count.value is not None and into.count.qualifier != "exact"
          and other.count.qualifier == "exact" and not other.headline):
        into.count = other.count  # "84 were rescued" is better than "over 80"
    if into.date is None and other.date is not None:
        into.date = other.date
    elif (into.date is not None and other.date is not None and other.date.precision == "day"
          and into.date.precision in ("week", "month", "year")):
        into.date = other.date  # "July 14" is better than "earlier this month"
    into.date_is_report = into.date_is_report or other.date_is_report
    for p in other.places:
        if all(p.name.casefold() != q.name.casefold() for q in into.places):
            into.places.append(p)
    into.country = into.country or other.country
    for o in other.organizations:
        if all(o.name != q.name for q in into.organizations):
            into.organizations.append(o)
    into.group_anaphor = into.group_anaphor or other.group_anaphor
    for lst_into, lst_other in ((into.agencies, other.agencies), (into.nationalities, other.nationalities),
                                (into.destinations, other.destinations)):
        for x in lst_other:
            if x not in lst_into:
                lst_into.append(x)
    for q in other.items:
        if all(q.text != r.text for r in into.items):
            into.items.append(q)
    into.attribution = into.attribution or other.attribution
    into.patient_words |= other.patient_words
    into.sources.extend(replace(s, how=f"{s.how}; {how}") for s in other.sources)
    into.notes.extend(n for n in other.notes if n not in into.notes)


def merge_drafts(drafts: Sequence[Draft], *, published: date | None = None,
                 background_days: int = 366) -> list[Draft]:
    """Merge drafts that report the same happening; apply cross-type conventions.

    Body sentences are merged first, in order; headline drafts then join the first body
    event of their type (headlines round figures: "more than 100" for 162).
    """
    merged: list[Draft] = []
    body = [d for d in drafts if not d.headline]
    heads = [d for d in drafts if d.headline]
    for d in body:
        if _add_victims(merged, d):
            continue
        target = _anaphora_target(merged, d, published, background_days)
        if target is None and not d.anaphoric:
            target = next((m for m in merged if compatible(m, d, published=published,
                                                            background_days=background_days)), None)
        if target is None and d.type == "seizure" and d.date is None and not d.places:
            # "Police seized the vehicles": a follow-up with no date or place of its own
            # belongs to the seizure reported just before it.
            target = next((m for m in reversed(merged) if m.type == "seizure"
                           and d.sentence - max(m.sentences) <= OPERATION_WINDOW), None)
        if target is not None:
            _absorb(target, d, f"merged from sentence {d.sentence + 1}")
        elif d.anaphoric == "mention" or (d.anaphoric == "reference" and d.bare):
            continue  # "those arrested", "the discovery" with nothing to refer to: not a new happening
        else:
            d.sentences = [d.sentence]
            merged.append(d)
    for h in heads:
        target = next((m for m in merged if compatible(m, h, published=published, background_days=background_days,
                                                        ignore_counts=True)), None)
        if target is not None:
            _absorb(target, h, "headline")
        else:
            h.sentences = [h.sentence]
            merged.append(h)
    merged.sort(key=lambda m: min(m.sentences))
    return merged


def _add_victims(merged: list[Draft], d: Draft) -> bool:
    """Killings: victims in the same sentence or "two other people" later add up."""
    if d.type != "killing" or d.count is None or d.count.value is None:
        return False
    same = next((m for m in merged if m.type == "killing" and d.sentence in m.sentences), None)
    target = same
    how = "victims of one attack added"
    if target is None and d.additive:
        target = _latest(merged, "killing", before=d.sentence)
        how = "victims added from a later sentence"
    if target is None or target.count is None or not target.count.value:
        return False
    if target.count.value == d.count.value and target is not same:
        return False
    target.count = CountValue(target.count.value + d.count.value, target.count.qualifier,
                              f"{target.count.text} + {d.count.text}", how)
    d.count = None
    _absorb(target, d, how)
    return True


def _anaphora_target(merged: list[Draft], d: Draft, published: date | None, background_days: int) -> Draft | None:
    """The earlier event that "the arrest" / "30 of them" / "los imputados" refers to."""
    if not d.anaphoric:
        return None
    for m in reversed(merged):
        # "the ambush, which took place Thursday": an attack that killed is the killing.
        same_type = m.type == d.type or (d.type == "attack" and m.type == "killing")
        if same_type and dates_compatible(m.date, d.date) and (
            _old(m.date, published, background_days) == _old(d.date, published, background_days)
        ):
            return m
    return None


def _latest(drafts: Sequence[Draft], type_: str, before: int) -> Draft | None:
    cands = [d for d in drafts if d.type == type_ and d.sentence <= before]
    return cands[-1] if cands else None


def apply_type_conventions(drafts: list[Draft]) -> list[Draft]:
    """SCHEMA conventions that relate event types (run after operation filling)."""
    drafts = _attacks_into_killings(drafts)
    drafts = _remains_into_killings(drafts)
    return _drop_raids_with_outcomes(drafts)


def _remains_into_killings(drafts: list[Draft]) -> list[Draft]:
    """Bodies found where people were just killed are that killing, not a separate find."""
    killings = [d for d in drafts if d.type == "killing"]
    out = []
    for d in drafts:
        if d.type == "remains_found" and (d.count is None or d.count.value is None):
            # Bodies found in an article about a killing are its victims unless something
            # (another day, another place) says otherwise: weaker evidence than attack→killing.
            target = next((k for k in killings if _dates_agree(k, d) and _places_compatible(k.places, d.places)), None)
            if target is not None:
                d.type = "killing"
                _absorb(target, d, "the bodies of those killed")
                continue
        out.append(d)
    return out


def _attacks_into_killings(drafts: list[Draft]) -> list[Draft]:
    """SCHEMA convention 2: an attack in which people died is the killing."""
    killings = [d for d in drafts if d.type == "killing"]
    if not killings:
        return drafts
    out = []
    for d in drafts:
        if d.type == "attack":
            target = next((k for k in killings if _same_happening(k, d)), None)
            if target is not None:
                saved_type = d.type
                d.type = "killing"
                d.count = None
                _absorb(target, d, f"the {saved_type} in which they died")
                continue
        out.append(d)
    return out


def _same_happening(a: Draft, b: Draft) -> bool:
    """Positive evidence (not just absence of conflict) that two drafts of different types tell
    one happening: a reference back from a neighbouring sentence ("the ambush"), the same
    sentence, a shared day, or a shared place."""
    near = abs(min(a.sentences) - min(b.sentences)) <= 1
    if (near and (a.anaphoric or b.anaphoric)) or set(a.sentences) & set(b.sentences):
        return _dates_agree(a, b)
    if a.separate or b.separate:
        return False  # "Hours later, gunmen torched six buses": told as another happening
    same_day = a.date is not None and b.date is not None and a.date.value is not None and a.date.value == b.date.value
    shared_place = bool(a.places and b.places and _places_compatible(a.places, b.places))
    return (same_day and _places_compatible(a.places, b.places)) or (shared_place and _dates_agree(a, b))


def _drop_raids_with_outcomes(drafts: list[Draft]) -> list[Draft]:
    """SCHEMA convention 1: `raid` only when the operation reports no counted arrest or rescue.

    When it reports arrests without a number ("Tuesday's arrests"), the operation is the
    raid and those arrests are part of it.
    """
    outcomes = [d for d in drafts if d.type in ("arrest", "rescue") and d.count and d.count.value]
    raids = [d for d in drafts if d.type == "raid"]
    out = []
    for d in drafts:
        if d.type == "raid" and any(_dates_agree(o, d) and _same_operation(o, d) for o in outcomes):
            continue
        if (d.type in ("arrest", "rescue") and (d.count is None or d.count.value is None)
                and d.date is not None):
            raid = next((r for r in raids if r.date is not None and _dates_agree(r, d)
                         and not any(_dates_agree(o, r) for o in outcomes)), None)
            if raid is not None:
                d.type = "raid"
                _absorb(raid, d, "uncounted outcome of the raid")
                continue
        out.append(d)
    return out


def _same_operation(a: Draft, b: Draft) -> bool:
    """Whether two drafts can be outcomes of one operation: nothing places them in different
    countries or sites ("In Germany, police searched nine properties" is not the operation
    whose 31 arrests were reported across five countries)."""
    if a.country and b.country:
        return a.country == b.country and _places_compatible(a.places, b.places)
    if a.places and b.places:
        return _places_compatible(a.places, b.places)
    return not (a.country or b.country) or abs(min(a.sentences) - min(b.sentences)) <= OPERATION_WINDOW


def _dates_agree(a: Draft, b: Draft) -> bool:
    return dates_compatible(a.date, b.date)


# --------------------------------------------------------------------------- context


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """What a sentence names, for filling events from the sentences around them."""

    index: int
    has_event: bool
    places: tuple[PlaceMatch, ...]
    organizations: tuple[EventOrg, ...]
    nationalities: tuple[str, ...]  # demonyms describing people
    nouns: frozenset[str]  # lemmas of its nouns
    dates: tuple[DateValue, ...] = ()  # days it gives for something happening
    # "He died at the scene", "Murió en el hospital": a death it states of someone already named:
    # "one", "many" or "many:<number as written>" (who died), "" when it states none
    death_of: str = ""


# People-centred types: a following sentence's demonyms describe their people.
PEOPLE_TYPES = frozenset({"arrest", "rescue", "killing", "kidnapping", "extradition", "charge", "sentence",
                          "escape", "trafficking"})
# How far a follow-up sentence without events of its own can be from the event it details.
FOLLOW_UP_WINDOW = 2
# How far a sentence that refers back to an event's people by name ("the detainees") can be (spaCy
# sentences: a paragraph break counts as one).
BACK_REFERENCE_WINDOW = 6


def fill_from_neighbours(
    drafts: list[Draft], sentences: Sequence[SentenceInfo], people_words: Mapping[str, frozenset[str]] | None = None
) -> None:
    """Details given in the sentences around an event that report no event of their own.

    A follow-up sentence ("Of those held, twelve are Venezuelan citizens"; "the cocaine
    belonged to the Clan del Golfo"; "officers went door to door in 71 cities across ...")
    adds nationalities, organizations and places the event lacks; organizations only when
    the follow-up names something the event's sentences name too ("the cocaine"). Failing
    all else, an event takes the places of the sentence just before it.

    ``people_words`` names, per event type, the nouns that refer back to its people ("entre
    los detenidos hay 13 costarricenses"): such a sentence gives its nationalities even past
    another event's sentence.
    """
    by_index = {s.index: s for s in sentences}
    people = people_words or {}
    for d in drafts:
        last = max(d.sentences)
        own_nouns = set(d.patient_words)
        for k in range(1, FOLLOW_UP_WINDOW + 1):
            s = by_index.get(last + k)
            if s is None or s.has_event:
                break
            how = f"follow-up sentence {s.index + 1}"
            if d.type in PEOPLE_TYPES and not d.nationalities and s.nationalities:
                d.nationalities = list(s.nationalities)
                d.sources.append(ArgumentSource("nationalities", ", ".join(s.nationalities), "", how))
            if not d.organizations and s.organizations and (s.nouns & own_nouns):
                d.organizations = list(s.organizations)
                d.sources.append(ArgumentSource("organizations", ", ".join(o.name for o in s.organizations), "", how))
            if not d.places and s.places and k == 1 and _same_country(d, s.places):
                d.places = list(s.places)
                d.sources.append(ArgumentSource("places", ", ".join(p.name for p in s.places), "", how))
        if d.type in people:
            _nationalities_referred_back(d, by_index, people[d.type])
        if d.date is None:
            _date_from_context(d, by_index)
        if not d.places and not d.separate:  # "In a separate operation, ...": not the places before
            first = min(d.sentences)
            for k in range(1, FOLLOW_UP_WINDOW + 1):
                s = by_index.get(first - k)
                if s is not None and s.places and _same_country(d, s.places):
                    d.places = list(s.places)
                    d.sources.append(ArgumentSource("places", ", ".join(p.name for p in s.places), "",
                                                    f"sentence {s.index + 1}, just before"))
                    break


def _nationalities_referred_back(d: Draft, by_index: dict[int, SentenceInfo], words: frozenset[str]) -> None:
    if d.nationalities or not words:
        return
    # after any sentence of the event (a merged event may also hold a late recap), nearest first;
    # a sentence reporting an event of its own speaks of that event's people
    after = sorted({i + k for i in d.sentences for k in range(1, BACK_REFERENCE_WINDOW + 1)} - set(d.sentences))
    for i in after:
        s = by_index.get(i)
        if s is not None and not s.has_event and s.nationalities and s.nouns & words:
            d.nationalities = list(s.nationalities)
            d.sources.append(ArgumentSource("nationalities", ", ".join(s.nationalities), "",
                                            f"sentence {s.index + 1}, about the same people"))
            return


def attacks_that_killed(drafts: list[Draft], sentences: Sequence[SentenceInfo], lang: str) -> None:
    """SCHEMA convention 2: an attack in which people died is a killing. The death is often
    told in the next sentence ("Gunmen shot a shopkeeper in Cali. He died on the way to
    hospital."): that sentence, reporting no event of its own, turns the attack into a killing
    of one person ("he") or of the attack's count ("they")."""
    by_index = {s.index: s for s in sentences}
    for d in drafts:
        if d.type != "attack":
            continue
        last = max(d.sentences)
        follow = next((s for k in (1, 2) if (s := by_index.get(last + k)) is not None), None)
        if follow is None or follow.has_event or not follow.death_of:
            continue
        d.type = "killing"
        d.sources.append(ArgumentSource("type", "killing", "", f"sentence {follow.index + 1} says the victim died"))
        if d.count is None or d.count.value is None:
            who, _, number = follow.death_of.partition(":")
            if who == "one":
                d.count = CountValue(1, "exact", "", "one person said to have died")
            elif number:
                d.count = parse_count(number, lang) or d.count


def fill_live_blog_dates(drafts: list[Draft], published: date) -> None:
    """Entries of a live blog report what happened that day: an undated event takes the
    publication day (as SCHEMA's "en las últimas horas" does)."""
    for d in drafts:
        if d.date is None:
            d.date = DateValue(published, "day", "", "live blog entry: the day of publication")
            d.sources.append(ArgumentSource("date", published.isoformat(), "", "live blog entry"))


def fill_dates_from_context(drafts: list[Draft], sentences: Sequence[SentenceInfo]) -> None:
    """An undated event takes the one day the sentences right around it give, when they report
    no event of their own ("... rescued 23 migrants." "They were found on Saturday morning.").

    Runs before ``fill_from_operation``: a day stated next to the event is its own, a day
    passed on from another event of the operation is a guess.
    """
    by_index = {s.index: s for s in sentences}
    for d in drafts:
        # an event told in the same sentence as a dated one shares its day (fill_from_operation)
        if d.date is None and not any(
            o is not d and o.date is not None and set(o.sentences) & set(d.sentences) for o in drafts
        ):
            _date_from_context(d, by_index)


def _date_from_context(d: Draft, by_index: dict[int, SentenceInfo]) -> None:
    """An event with no day of its own takes the one day a nearby sentence without events
    gives ("On 16 January, authorities carried out an action day" before "31 were arrested")."""
    first, last = min(d.sentences), max(d.sentences)
    for index in (*range(first - 1, first - FOLLOW_UP_WINDOW - 2, -1), *range(last + 1, last + FOLLOW_UP_WINDOW + 1)):
        s = by_index.get(index)
        if s is None:
            continue
        if s.has_event and index > last:
            break
        if len(s.dates) == 1:
            d.date = s.dates[0]
            d.sources.append(ArgumentSource("date", str(s.dates[0].value), s.dates[0].text,
                                            f"the day sentence {index + 1} gives"))
            return
        if s.dates:
            return  # several days around: none is clearly this event's


def _same_country(d: Draft, places: Sequence[PlaceMatch]) -> bool:
    return d.country is None or all(p.country in (None, d.country) for p in places)


def fill_from_operation(drafts: list[Draft], published: date | None = None, background_days: int = 366) -> None:
    """Fill missing arguments of operation events from neighbouring operation events.

    Only a day or week is passed on, never an old date: "he was captured in July 2022" does not
    date this week's seizure reported next to it.
    """

    def n_old(n: Draft) -> bool:
        return _old(n.date, published, background_days)

    # A sentence that opens "In a separate operation", "Meanwhile", ... starts another operation:
    # nothing is passed across it.
    openers = {x.sentence for x in drafts if x.separate}

    def apart(a: Draft, b: Draft) -> bool:
        lo, hi = sorted((a.sentence, b.sentence))
        return any(lo < s <= hi for s in openers)

    for d in drafts:
        if d.type not in OPERATION_TYPES:
            continue
        neighbours = sorted(
            (o for o in drafts if o is not d and o.type in OPERATION_TYPES and not apart(o, d)
             and min(abs(s - t) for s in o.sentences for t in d.sentences) <= OPERATION_WINDOW),
            key=lambda o: min(abs(s - t) for s in o.sentences for t in d.sentences),
        )
        for n in neighbours:
            how = f"from the same operation ({n.type}, sentence {n.sentence + 1})"
            if d.date is None and n.date is not None and n.date.precision in ("day", "week") and not n_old(n):
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


# How close (in sentences) a faction must be named to an event of its parent group for the
# event to be the faction's: the lead-and-details span of one operation (see OPERATION_WINDOW).
FACTION_WINDOW = 3


def fill_from_article(drafts: list[Draft], primary_orgs: Sequence[EventOrg], countries: Sequence[str],
                      factions: Sequence[tuple[EventOrg, int]] = (), sole_group: bool = False) -> None:
    """Fill organizations named by anaphora ("the gang") and the article's country.

    ``countries`` are the article's countries, most named first: an event without its own
    takes the first, except that an extradition never takes the country it sent people to
    ("extradited to the United States" happened in the sending country, SCHEMA rule 8).

    ``factions`` are the factions the article names, with the sentence naming them: an event
    of the parent group is an event of the faction when exactly one faction of it is named
    close by ("a faction of the Tren de Aragua" ... "the detainees belong to Los Hijos de Dios").
    """
    for d in drafts:
        names = {o.name for o in d.organizations}
        for parent in list(names):
            near = {f.name: f for f, i in factions if f.parent == parent
                    and min(abs(i - s) for s in d.sentences) <= FACTION_WINDOW}
            of_parent = list(near.values())
            if len(of_parent) == 1 and of_parent[0].name not in names:
                d.organizations.insert(0, of_parent[0])
                d.sources.append(ArgumentSource("organizations", of_parent[0].name, "",
                                                "the one faction of this group the article names"))
        # An article about one group: its police operations and court steps are against that
        # group. Killings, attacks and bodies found are not: a group "with a presence in the
        # area" is not the perpetrator (SCHEMA: "only said to be active" is no argument).
        sole = sole_group and d.type not in ("killing", "attack", "remains_found")
        if not d.organizations and primary_orgs and (d.group_anaphor or sole):
            d.organizations = list(primary_orgs)
            how = "the group the article is about" + (" (anaphora)" if d.group_anaphor else "")
            d.sources.append(ArgumentSource("organizations", ", ".join(o.name for o in primary_orgs), "", how))
        country = next((c for c in countries if c not in d.destinations), None)
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
            count = CountValue(int(amount), leading_qualifier(d.items[0].text), d.items[0].text,
                               "quantity of the only seized item")
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
