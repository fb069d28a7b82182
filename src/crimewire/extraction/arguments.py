"""Attaching arguments to a trigger: count, date, places, country, organizations,
agencies, nationalities, seized items and attribution.

Each argument is read from the trigger's sentence, preferring what the dependency
parse attaches to the trigger or its patient; every value records where it came
from (an ``ArgumentSource``) so that ``crimewire explain`` can show it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from crimewire.counts import collective_number_nouns, find_quantities, parse_count, qualifier_phrases
from crimewire.dates import DateMention, resolve_date
from crimewire.extraction.attribution import find_attribution
from crimewire.extraction.lexicon import Lexicon
from crimewire.extraction.syntax import attachment_head, governing_preposition, lowest_common_ancestor, prep_objects
from crimewire.extraction.triggers import TriggerHit
from crimewire.records import (
    AgencyMatch,
    ArgumentSource,
    Attribution,
    CountValue,
    DateValue,
    EventOrg,
    Mentions,
    NationalityMatch,
    OrgMatch,
    PlaceMatch,
    Quantity,
)

# Prepositions that make a place the origin of people or groups, not the event's site
# ("a gang from Venezuela", "originarias de Zacatecas", "nationals of Colombia").
_ORIGIN_PREPS = frozenset({"from", "of", "de", "del", "desde"})
_ORIGIN_HEAD_CLASSES = frozenset({"person", "group"})
# Event types whose count is a number of people; seizures count items instead.
_PEOPLE_TYPES = frozenset({
    "arrest", "rescue", "killing", "kidnapping", "escape", "extradition", "charge", "sentence",
    "trafficking",
})


@dataclass(frozen=True, slots=True)
class SentenceArguments:
    """The arguments read for one trigger from its own sentence."""

    count: CountValue | None
    date: DateValue | None
    date_is_report: bool  # the sentence dates only the report, not the happening
    places: tuple[PlaceMatch, ...]
    country: str | None
    organizations: tuple[EventOrg, ...]
    group_anaphor: bool  # "members of the gang": the article's group is meant
    agencies: tuple[str, ...]
    nationalities: tuple[str, ...]
    items: tuple[Quantity, ...]
    attribution: Attribution | None
    sources: tuple[ArgumentSource, ...]
    notes: tuple[str, ...]
    destinations: tuple[str, ...] = ()  # countries people were sent to (extradition, deportation)


def read_arguments(
    hit: TriggerHit,
    sent: Span,
    *,
    others: Sequence[TriggerHit],
    mentions: Mentions,
    dates: Sequence[DateMention],
    published: date | None,
    lang: str,
    lex: Lexicon,
    reference: date | None = None,
    datelines: Sequence[tuple[int, int]] = (),
    anaphoric: bool = False,
    home_country: str | None = None,
) -> SentenceArguments:
    """Read the arguments of ``hit`` from its sentence ``sent``.

    ``reference`` is the date of the previous dated event, for "the following day".
    """
    sources: list[ArgumentSource] = []
    notes: list[str] = []
    doc = sent.doc

    count = _count(hit, lex, lang, sources, notes)
    event_date, report_only = _date(hit, sent, dates, published, lang, lex, sources, reference,
                                    other_triggers={o.token.i for o in others if o.token.i != hit.token.i})
    segment = _segment(hit, sent, others)
    attribution = find_attribution(sent, lex)

    in_names = [(o.start, o.end) for o in mentions.organizations] + [
        (a.start, a.end) for a in mentions.agencies
    ]
    places, destinations = _places(hit, sent, mentions.places, [*in_names, *datelines], lex, sources)
    if not places:
        # "El Tribunal Oral en lo Penal de Arica": a place named only inside the acting
        # agency's name still tells where it happened.
        places = _places_in_agency_names(sent, mentions, sources)
    country = _country(hit, places, destinations, sent, mentions, lex, sources, home=home_country)

    org_span = (sent.start_char, sent.end_char)
    if anaphoric:
        # "the region where the ambush took place": a reference back to an event takes
        # only the groups of its own clause, not those the sentence says are around.
        from crimewire.extraction.syntax import clause_verb

        anchor = hit.token.head if hit.token.dep_ in ("nsubj", "nsubjpass", "nsubj:pass", "obj", "dobj") else hit.token
        clause = list(clause_verb(anchor).subtree)
        org_span = (clause[0].idx, clause[-1].idx + len(clause[-1]))
    orgs = _organizations(org_span, mentions.organizations, attribution, sources)
    anaphor = _group_anaphor(hit, sent, lex, [(o.start, o.end) for o in mentions.organizations])
    agencies = _agencies(hit, sent, mentions.agencies, attribution, sources)
    nationalities = _nationalities(hit, sent, segment, mentions.nationalities, sources)
    items = _items(hit, doc, segment, lang) if hit.rule.type == "seizure" else ()
    if attribution is not None:
        sources.append(ArgumentSource("attribution", attribution.source, attribution.text, "reporting clause"))
    return SentenceArguments(
        count=count,
        date=event_date,
        date_is_report=report_only,
        places=places,
        country=country,
        organizations=orgs,
        group_anaphor=anaphor,
        agencies=agencies,
        nationalities=nationalities,
        items=items,
        attribution=attribution,
        sources=tuple(sources),
        notes=tuple(notes),
        destinations=tuple(dict.fromkeys(
            p.country for p in mentions.places if p.start in destinations and p.country
        )),
    )


# --------------------------------------------------------------------------- count


def _number_phrase(num: Token) -> str:
    """The words of a number with its qualifiers ("more than 100", "at least 162")."""
    doc = num.doc
    left = min(t.i for t in num.subtree)
    # "más de cien", "cerca de 30 mujeres": the parser may hang the qualifier on another word
    # (the number itself, or the counted noun); the words right before the number still say it.
    phrases = qualifier_phrases(num.lang_)
    for size in (4, 3, 2, 1):
        if left - size >= 0 and doc[left - size : left].text.lower() in phrases:
            left -= size
            break
    return " ".join(t.text for t in doc[left : num.i + 1])


_AGE_WORDS = frozenset({"año", "años", "year", "years", "year-old", "years-old", "aged", "age", "edad"})


_YEAR_OLD = re.compile(r"\s*-?\s*(?:years?|yrs?)\s*-?\s*old\b", re.IGNORECASE)


def _is_age(num: Token) -> bool:
    """"de 33 años", "a 21-year-old", "Name, 41,", "aged 38": an age, not a count (nor "in 2022",
    a year)."""
    nxt = num.nbor(1) if num.i + 1 < len(num.doc) else None
    prev = num.nbor(-1) if num.i > 0 else None
    if num.text.isdigit() and len(num.text) == 4 and num.text[:2] in ("19", "20"):
        return True
    if nxt is not None and (nxt.lower_ in _AGE_WORDS or nxt.lower_.startswith("year-old")):
        return True
    # "a 58-year-old businessman": the tokenizer splits the hyphens off
    # the next few tokens' text, not doc.text (which spaCy rebuilds from every token on each access)
    after = num.whitespace_ + num.doc[num.i + 1 : num.i + 6].text
    if _YEAR_OLD.match(after):
        return True
    if prev is not None and prev.lower_ in ("aged", "age", "edad"):
        return True
    # "Óscar Delgado-Ruiz, 41, was sentenced": a number set off by commas after a name.
    return (num.dep_ in ("appos", "npadvmod", "amod") and num.head.pos_ == "PROPN"
            and prev is not None and prev.text == ",")


def _part_of_name(num: Token) -> bool:
    """"four Barrio 18 members", "Frente 33": a number right after a proper noun belongs to the name."""
    return num.head.pos_ == "PROPN" and num.head.i == num.i - 1


def _count_from_head(head: Token, lang: str, lex: Lexicon | None = None) -> tuple[CountValue | None, str]:
    """Count of the noun phrase headed by ``head``, summing coordinated phrases."""
    if _is_age(head):
        return None, ""
    if head.like_num or head.pos_ == "NUM":
        value = parse_count(_number_phrase(head), lang)
        return value, _number_phrase(head)
    collective = collective_number_nouns(lang)
    if head.lower_ in collective:  # "rescató a una docena de mujeres": the number noun heads the phrase
        phrase = _number_phrase(head)  # with its article and qualifiers: "más de un centenar"
        return parse_count(phrase, lang), phrase
    # "Nine of the dead", "dozens of suspects", "un centenar de pandilleros": the number
    # governs the counted noun.
    up = attachment_head(head)
    if up != head and (up.like_num or up.pos_ == "NUM" or up.lower_ in _VAGUE or up.lower_ in collective):
        phrase = _number_phrase(up) if up.pos_ == "NUM" or up.like_num or up.lower_ in collective else up.text
        return parse_count(phrase, lang), phrase
    # "84 presumed human trafficking victims": the parser may hang the number on a modifier.
    left_nums = [t for t in head.subtree if t.i < head.i and t.like_num and t.head.i <= head.i and not _is_age(t)
                 and not _part_of_name(t)
                 and not any(a.dep_ in ("prep", "pobj", "nmod", "case") for a in t.ancestors if t.i < a.i < head.i)]
    total = 0
    texts = []
    vague: CountValue | None = None
    # "Marvin Paz, alias “el Tapado”": the parser may join a nickname as a second person.
    conjuncts = [head, *[c for c in head.conjuncts if not _nickname(c)]]
    # "sentenced Luis Fernando Ayala, 36, and Jorge Ruiz, 29": named people, one each.
    if head.ent_type_ in ("PERSON", "PER") and len(conjuncts) > 1 and all(
        c.ent_type_ in ("PERSON", "PER") or c.pos_ == "PROPN" for c in conjuncts
    ):
        return CountValue(len(conjuncts), "exact", " and ".join(c.text for c in conjuncts)), head.text
    for noun in conjuncts:
        nums = [c for c in noun.children
                if (c.dep_ == "nummod" or (c.like_num and c.dep_ in ("amod", "nmod", "compound")))
                and not _is_age(c) and not _part_of_name(c)]
        quants = [c for c in noun.children if c.lower_ in _VAGUE and c.dep_ in ("amod", "det", "nummod")]
        if nums:
            value = parse_count(_number_phrase(nums[0]), lang)
            if value is None or value.value is None:
                vague = value
                continue
            total += value.value
            texts.append(_number_phrase(nums[0]))
        elif quants:
            vague = parse_count(quants[0].text, lang)
        elif len(conjuncts) > 1 and _one_person(noun) and (lex is None or _names_people(noun, lex)):
            # "The bar's owner ... and two Venezuelan men": one plus two.
            total += 1
            texts.append(noun.text)
        elif noun is head:
            break
    if not texts and vague is None and left_nums and not any(c.dep_ == "nummod" for c in head.children):
        phrase = _number_phrase(left_nums[0])
        value = parse_count(phrase, lang)
        if value is not None:
            return value, phrase
    if texts:
        qualifier = "exact"
        first = parse_count(texts[0], lang)
        if first is not None and len(texts) == 1:
            return first, texts[0]
        return CountValue(total, qualifier, " + ".join(texts)), " and ".join(texts)
    if vague is not None:
        return vague, vague.text
    return None, ""


_NICKNAME_CUES = frozenset({"alias", "aka", "a.k.a.", "apodado", "apodada", "known"})


def _nickname(token: Token) -> bool:
    """Whether ``token`` heads a nickname ("alias “el Tapado”", "a.k.a. Chapo")."""
    left = min(t.i for t in token.subtree)
    before = [t for t in token.doc[max(left - 3, 0) : left] if not t.is_punct]
    return bool(before) and (before[-1].lower_ in _NICKNAME_CUES or (
        before[-1].lower_ == "as" and len(before) > 1 and before[-2].lower_ == "known"))


def _count_nearby(head: Token, lang: str) -> tuple[CountValue | None, str]:
    """Counts the patient's own phrase does not carry.

    "the remains of 27 people": the number sits on the "of" phrase. "Diez son los cuerpos",
    "the dead are ten": a copula sets the number equal to the patient.
    """
    for _prep, obj in prep_objects(head, frozenset({"of", "de", "del"})):
        if obj.lemma_.lower() in _AGE_WORDS:
            continue  # "un repartidor de 19 años"
        nums = [c for c in obj.children if c.dep_ == "nummod" and not _is_age(c)]
        if nums:
            phrase = _number_phrase(nums[0])
            return parse_count(phrase, lang), phrase
    copular = {"be", "ser"}
    candidates = list(head.children)
    if head.head.lemma_.lower() in copular:
        candidates += [c for c in head.head.children if c != head]
    copula = any(c.lemma_.lower() in copular and c.dep_ == "cop" for c in head.children)
    if copula or head.head.lemma_.lower() in copular:
        for c in candidates:
            if c.dep_ in ("nsubj", "attr", "acomp") and (c.like_num or c.pos_ == "NUM"):
                phrase = _number_phrase(c)
                return parse_count(phrase, lang), phrase
    return None, ""




def _count_of_contents(hit: TriggerHit, lex: Lexicon, lang: str) -> tuple[CountValue | None, str]:
    """"Hallaron fosas con restos de siete personas", "graves with the bodies of 12 people":
    the bodies counted in a "with" phrase of the grave or of the finding verb."""
    body = lex.word_class("body")
    holders = [hit.token] + ([hit.patient] if hit.patient is not None else [])
    for holder in holders:
        for _prep, obj in prep_objects(holder, frozenset({"with", "con"})):
            if obj.lemma_.lower() in body or obj.lower_ in body:
                value, text = _count_from_head(obj, lang, lex)
                if value is None:
                    value, text = _count_nearby(obj, lang)
                if value is not None:
                    return value, text
    return None, ""


def _one_person(noun: Token) -> bool:
    """A singular noun phrase naming one person ("the bar's owner", "un comerciante")."""
    if "Plur" in noun.morph.get("Number") or noun.tag_ in ("NNS", "NNPS"):
        return False
    return noun.ent_type_ in ("PERSON", "PER") or any(
        c.dep_ in ("det", "poss", "nmod:poss") or (c.dep_ == "case" and c.lower_ == "al") for c in noun.children
    )


def _names_people(noun: Token, lex: Lexicon) -> bool:
    """"the bar's owner and two women" adds people; "una fosa ... y un ataque" does not: a
    grave, goods or an event noun is no person (role nouns are too many to list)."""
    lemma, lower = noun.lemma_.lower(), noun.lower_
    things = lex.word_class("body") | lex.word_class("goods")
    return not (lemma in things or lower in things or lemma in lex.by_lemma or lower in lex.by_lemma)


def _singular_article(noun: Token) -> bool:
    """"a suspect", "el cabecilla", "al cabecilla" (Spanish "al" is "a" + the article "el")."""
    return any((c.dep_ == "det" and c.lower_ in _SINGULAR_DETS) or (c.dep_ == "case" and c.lower_ == "al")
               for c in noun.children)


_VAGUE = frozenset({
    "dozens", "hundreds", "scores", "thousands", "several", "many", "numerous", "multiple",
    "decenas", "cientos", "centenares", "miles", "varios", "varias", "múltiples", "numerosos",
    "numerosas", "dozen", "docena",
})
_SINGULAR_DETS = frozenset({"a", "an", "one", "un", "una", "uno", "the", "el", "la", "this", "that"})


def _count(
    hit: TriggerHit, lex: Lexicon, lang: str, sources: list[ArgumentSource], notes: list[str]
) -> CountValue | None:
    token = hit.token
    # "74 arrests", "tres capturas": the number sits on the event noun.
    if token.pos_ == "NOUN":
        nums = [c for c in token.children if c.dep_ == "nummod" or c.like_num]
        if nums:
            if hit.rule.nominal == "charge":
                notes.append(f"'{_number_phrase(nums[0])} {token.text}' counts charges, not people")
                return None
            value = parse_count(_number_phrase(nums[0]), lang)
            if value is not None:
                sources.append(ArgumentSource("count", str(value.value), _number_phrase(nums[0]),
                                              "number on the event noun"))
                return value
    if hit.patient is None:
        return None
    if hit.rule.type == "seizure":
        return None  # seizure counts come from the items (see the event builder)
    # A patient of no known class in an event done to people ("a customs inspector was shot
    # dead") may still be one person; its numbers are not read ("tres inmuebles" are no people).
    # (not for court steps: "impuso una pena", "la condena" are no person)
    one_only = hit.patient_class == "unknown" and hit.rule.type in _PEOPLE_TYPES - {"sentence", "charge", "trafficking"}
    if hit.patient_class != "person" and hit.rule.type not in ("remains_found",) and not one_only:
        return None  # "50 mil soles" are not people
    value, text = (None, "") if one_only else _count_from_head(hit.patient, lang, lex)
    if value is None and not one_only:
        value, text = _count_nearby(hit.patient, lang)
    if value is None and hit.rule.type == "remains_found":
        value, text = _count_of_contents(hit, lex, lang)
    if value is not None:
        sources.append(ArgumentSource("count", str(value.value), text, f"patient ({hit.patient_how})"))
        if value.value is None and value.note:
            notes.append(value.note)
        return value
    # One named person, or "a Mexican national": a count of one.
    people_event = hit.rule.type in _PEOPLE_TYPES or (
        hit.rule.type == "remains_found" and hit.patient_class == "person"
    )
    if people_event and hit.patient_class in ("person", "unknown"):
        p = hit.patient
        if p.ent_type_ in ("PERSON", "PER") or (
            p.pos_ in ("NOUN", "ADJ")  # "un presunto sicario": the small Spanish model tags some nouns ADJ
            and "Plur" not in p.morph.get("Number")
            and p.tag_ not in ("NNS", "NNPS")
            and _singular_article(p)
            and p.lemma_.lower() not in _COLLECTIVE
        ) or p.lower_ in ("he", "she", "him", "her", "él", "ella", "alias") or any(
            c.lower_ == "alias" for c in p.children
        ):
            sources.append(ArgumentSource("count", "1", p.text, "a single person"))
            return CountValue(1, "exact", p.text)
    return None


_COLLECTIVE = frozenset({"group", "family", "crew", "gang", "grupo", "familia", "banda", "total", "rest", "people"})


# --------------------------------------------------------------------------- date


def _token_span(doc: Doc, start: int, end: int) -> Span | None:
    return doc.char_span(start, end, alignment_mode="expand")


def _date(
    hit: TriggerHit,
    sent: Span,
    dates: Sequence[DateMention],
    published: date | None,
    lang: str,
    lex: Lexicon,
    sources: list[ArgumentSource],
    reference: date | None = None,
    other_triggers: frozenset[int] | set[int] = frozenset(),
) -> tuple[DateValue | None, bool]:
    """The date attached to the happening, and whether the sentence only dates the report."""
    reporting = lex.words("reporting_verbs")
    candidates: list[tuple[int, int, DateValue, DateMention]] = []
    range_ends = 0
    report_dates = 0
    for mention in dates:
        if mention.start < sent.start_char or mention.end > sent.end_char:
            continue
        span = _token_span(sent.doc, mention.start, mention.end)
        if span is None:
            continue
        root = span.root
        lca = lowest_common_ancestor(root, hit.token)
        if lca is None:
            continue
        if _attached_to_report(root, hit.token, lca, reporting):
            report_dates += 1
            continue
        # "prosecutors on Thursday charged four ..., a day after they were arrested": the
        # date belongs to the other event of the sentence.
        owner = next((a for a in root.ancestors if (a.pos_ in ("VERB", "AUX", "NOUN") and a.i in other_triggers)
                      or a == hit.token), None)
        if owner is not None and owner != hit.token:
            continue
        # "In Spain, where the investigation started in 2022, police arrested 14": a date in a
        # clause about something else.
        if _describes_other_noun(root, hit, lex, settings_too=False):
            continue
        value = resolve_date(mention, published, lang, reference=reference)
        if value is None or value.value is None:
            continue
        # "from Monday July 31 to Friday August 4": a multi-day operation takes its first day.
        if _range_end(root):
            range_ends += 1
            continue
        if published is not None and value.value > published:
            continue  # a future date is a plan or a hearing, not when this happened
        # "Horas después, la mañana del domingo": a day named outright beats one counted from
        # the previous event.
        distance = _tree_distance(root, hit.token, lca) + (2 if mention.kind in _FROM_REFERENCE else 0)
        candidates.append((distance, value.value.toordinal(), value, mention))
    if not candidates and hit.token.dep_ == "conj" and hit.token.head.pos_ in ("VERB", "AUX"):
        # "was sent to the United States in 2017 and sentenced to life": coordinated verbs
        # share the date of the first.
        head = hit.token.head
        for mention in dates:
            if not (sent.start_char <= mention.start and mention.end <= sent.end_char):
                continue
            span = _token_span(sent.doc, mention.start, mention.end)
            if span is not None and head in span.root.ancestors and hit.token not in span.root.ancestors:
                value = resolve_date(mention, published, lang, reference=reference)
                if value is not None and value.value is not None and (published is None or value.value <= published):
                    candidates.append((9, value.value.toordinal(), value, mention))
    if candidates:
        candidates.sort(key=lambda c: (c[0], c[1]))
        del range_ends
        _, _, value, mention = candidates[0]
        sources.append(ArgumentSource("date", value.value.isoformat() if value.value else "", mention.text,
                                      f"date expression ({value.rule})"))
        return value, False
    return None, report_dates > 0


def sentence_dates(
    sent: Span,
    dates: Sequence[DateMention],
    published: date | None,
    lang: str,
    lex: Lexicon,
    reference: date | None = None,
) -> tuple[DateValue, ...]:
    """Days a sentence gives for something happening (not for a statement about it).

    "On 16 January, authorities carried out a coordinated action day" dates the arrests the
    next sentences report; "police said on Tuesday" dates nothing.
    """
    reporting = lex.words("reporting_verbs")
    found: list[DateValue] = []
    for mention in dates:
        if mention.start < sent.start_char or mention.end > sent.end_char or mention.kind == "dateline":
            continue
        span = _token_span(sent.doc, mention.start, mention.end)
        if span is None:
            continue
        if _attached_to_report(span.root, sent.root, sent.root, reporting) or any(
            a.pos_ in ("VERB", "AUX") and a.lemma_.lower() in reporting for a in list(span.root.ancestors)[:2]
        ):
            continue
        value = resolve_date(mention, published, lang, reference=reference)
        if value is None or value.value is None or value.precision != "day":
            continue
        if published is not None and (value.value > published or (published - value.value).days > 366):
            continue
        if all(v.value != value.value for v in found):
            found.append(value)
    return tuple(found)


_FROM_REFERENCE = frozenset({"same_day", "following_day", "previous_day", "following", "previous"})
_RANGE_END_PREPS = frozenset({"to", "until", "till", "through", "hasta", "al", "a"})
_RANGE_START_PREPS = frozenset({"from", "desde", "del", "de", "between", "entre"})


def _range_end(root: Token) -> bool:
    """Whether a date phrase closes a range ("to Friday August 4", "al 12 de enero")."""
    prep = governing_preposition(root)
    if prep not in _RANGE_END_PREPS:
        return False
    head = attachment_head(root)
    sibling_preps = {governing_preposition(t) for t in head.subtree if t != root}
    return bool(sibling_preps & _RANGE_START_PREPS) or any(
        t.lower_ in _RANGE_START_PREPS for t in root.doc[max(root.sent.start, root.i - 8) : root.i]
    )


_STATEMENT_NOUNS = frozenset({"statement", "communiqué", "release", "report", "post", "tweet", "announcement",
                              "comunicado", "informe", "reporte", "boletín", "publicación", "anuncio",
                              "conferencia", "briefing", "interview", "entrevista"})


def _attached_to_report(root: Token, trigger: Token, lca: Token, reporting: frozenset[str]) -> bool:
    """Whether a date phrase dates the report ("police said on Tuesday that ...",
    "according to a Tuesday statement")."""
    for anc in [root, *root.ancestors]:
        if anc in (lca, trigger):
            break
        if anc.lemma_.lower() in _STATEMENT_NOUNS or anc.lower_ in ("according", "según"):
            return True
        # "..., the Interior Ministry said on Friday": a reporting verb the parser hung
        # under the trigger still dates the report.
        if anc.pos_ in ("VERB", "AUX") and anc.lemma_.lower() in reporting:
            return True
    if lca == trigger or trigger in root.ancestors:
        return False
    # Walk up from the date to the first verb: a reporting verb that does not dominate
    # the date through the trigger means the date is the day of the statement.
    for anc in root.ancestors:
        if anc == trigger:
            return False
        if anc.pos_ in ("VERB", "AUX"):
            return anc.lemma_.lower() in reporting
    return False


def _tree_distance(a: Token, b: Token, lca: Token) -> int:
    def depth(t: Token) -> int:
        n = 0
        while t != lca and t.head != t:
            t = t.head
            n += 1
        return n

    return depth(a) + depth(b)


# --------------------------------------------------------------------------- places and country


def _inside(start: int, end: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Whether [start, end) overlaps any of ``spans``."""
    return any(s < end and start < e for s, e in spans)


_DESTINATION_PREPS = frozenset({"to", "into", "hacia", "a", "rumbo", "towards", "toward"})


def _places(
    hit: TriggerHit,
    sent: Span,
    places: Sequence[PlaceMatch],
    in_names: Sequence[tuple[int, int]],
    lex: Lexicon,
    sources: list[ArgumentSource],
) -> tuple[tuple[PlaceMatch, ...], frozenset[int]]:
    """The places of the happening, and the start offsets of those that are destinations.

    Places inside the trigger's own phrase win; failing those, places of a clause that
    contains the trigger. Places in sibling clauses ("... then appeared before a court in
    X"), in names, in origins ("a gang from Venezuela"), used as nationalities ("U.S.
    missionaries") or standing for a government ("Washington announced") are left out.
    """
    doc = sent.doc
    reporting = lex.words("reporting_verbs")
    own: list[PlaceMatch] = []
    outer: list[PlaceMatch] = []
    destinations: set[int] = set()
    for place in places:
        if place.start < sent.start_char or place.end > sent.end_char:
            continue
        if _inside(place.start, place.end, in_names):
            continue  # "Tren de Aragua", "Policía Metropolitana de Cali"
        span = _token_span(doc, place.start, place.end)
        if span is None:
            continue
        root = span.root
        if (_is_origin(root, lex) or _is_nationality_use(root, lex) or _describes_other_noun(root, hit, lex)
                or _describes_other_person(root, hit, lex)):
            continue
        if root.dep_ in ("nsubj", "nsubjpass") and root.head.lemma_.lower() in reporting:
            continue  # "Washington announced": the government, not a site
        if hit.rule.type == "extradition" and _destination(root):
            destinations.add(place.start)
        if place.kind == "country":
            continue  # countries go to the `country` argument
        if hit.token in [root, *root.ancestors]:
            if not _through_coordinated_verb(root, hit.token):
                own.append(place)
        elif _clause_contains(root, hit.token):
            outer.append(place)
    kept = _most_specific(own or outer, sent.text, offset=sent.start_char)
    for p in kept:
        sources.append(ArgumentSource("places", p.name, p.text,
                                      "in the trigger's phrase" if own else "in the clause around the trigger"))
    return tuple(kept), frozenset(destinations)


_LOCATIVE_PREPS = frozenset({"in", "at", "inside", "within", "across", "throughout", "near", "around", "from",
                             "en", "dentro", "cerca", "por", "desde"})


def _locative(root: Token) -> bool:
    """Whether a country name locates something ("in Mexico", "Lima, Peru") rather than acting
    ("backed by the United States") or describing ("U.S. courts")."""
    if governing_preposition(root) in _LOCATIVE_PREPS:
        return True
    # Appositive or compound of a place: "LIMA, Peru", "Guayaquil, Ecuador".
    return root.dep_ in ("appos", "npadvmod", "conj") and root.head.ent_type_ in ("GPE", "LOC", "")


def _destination(root: Token) -> bool:
    """"deported to Guantanamo Bay", "hacia Medellín, Colombia": where people were sent."""
    t = root
    while t.dep_ in ("appos", "conj", "npadvmod") and t.head != t and t.head.ent_type_ in ("GPE", "LOC", "FAC", ""):
        if governing_preposition(t) in _DESTINATION_PREPS:
            return True
        t = t.head
    return governing_preposition(t) in _DESTINATION_PREPS


def _describes_other_noun(root: Token, hit: TriggerHit, lex: Lexicon, settings_too: bool = True) -> bool:
    """A place inside a clause that describes some other noun: "a company based in Vancouver",
    "el grupo nacido en Venezuela", "Concordia, que hace frontera con Mazatlán". A clause on
    the event's own setting ("en una casa situada en El Guabo") or on its patient
    ("pescadores secuestrados en Cali, rescatados ...") still places the event."""
    trigger = hit.token
    # the doers, also of a passive ("detenidos por elementos de la SEDENA, quienes acudieron a ...")
    agents = set(t.i for t in trigger.children if t.dep_ in ("nsubj", "nsubj:pass", "nsubjpass", "obl:agent")
                 or (t.dep_ == "obl" and t.pos_ in ("NOUN", "PROPN") and governing_preposition(t) == "por"))
    agents |= {g.i for t in trigger.children if t.dep_ == "agent" for g in t.children if g.dep_ == "pobj"}
    locating, sites = lex.words("locating_participles"), lex.words("site_nouns")
    for anc in root.ancestors:
        if anc == trigger:
            return False
        head = anc.head
        if head == trigger or head == hit.patient or head.i in agents:
            continue
        # A clause about the event's setting places the event ("a house situated in El Guabo");
        # it does not date it ("in Spain, where the investigation started in 2022").
        if settings_too and governing_preposition(head) in _LOCATIVE_PREPS:
            continue
        if settings_too and anc.dep_ in ("acl", "amod") and (anc.lower_ in locating or anc.lemma_.lower() in locating) \
                and (head.lower_ in sites or head.lemma_.lower() in sites):
            continue  # "acudieron a un inmueble ubicado en la colonia Hidalgo": the site it happened at
        if anc.dep_ in ("relcl", "acl:relcl"):
            return True
        if anc.dep_ in ("acl", "amod") and head.lemma_.lower() not in lex.by_lemma and (
            (anc.pos_ == "VERB" and settings_too) or anc.tag_ == "VBN"
            or (anc.lang_ == "es" and "Part" in anc.morph.get("VerbForm"))
        ):
            # For dates only past participles count: "launched in November 2019" describes;
            # "a women trafficking network this Thursday" is a parse of the event's own clause.
            return True
    return False


def _through_coordinated_verb(root: Token, trigger: Token) -> bool:
    """"was extradited Monday, then appeared before the court in X": X belongs to the
    coordinated verb, not to the trigger."""
    for anc in root.ancestors:
        if anc == trigger:
            return False
        if anc.pos_ in ("VERB", "AUX") and anc.dep_ == "conj" and anc.head == trigger:
            return True
    return False


def _clause_contains(root: Token, trigger: Token) -> bool:
    """Whether the clause the place belongs to contains the trigger (asides set off by
    dashes — parataxis — belong to the clause they interrupt)."""
    for anc in root.ancestors:
        if anc.pos_ in ("VERB", "AUX") and anc.dep_ != "parataxis":
            return trigger in anc.subtree
    return True


def _is_nationality_use(root: Token, lex: Lexicon) -> bool:
    """"U.S. missionaries", "Canadian and U.S. citizens": a country naming people's nationality."""
    t = root
    while t.dep_ == "conj" and t.head != t:
        t = t.head
    # A preposition makes it a setting or an origin ("comerciantes en Tumbes"), not a nationality.
    if t.dep_ in ("amod", "compound", "nmod") and t.head.pos_ == "NOUN" and governing_preposition(t) is None:
        return t.head.lemma_.lower() in lex.word_class("person")
    return False


def _describes_other_person(root: Token, hit: TriggerHit, lex: Lexicon) -> bool:
    """"cabecilla del Clan del Golfo en el Urabá": a place in a phrase about a person other than
    the patient says where that person operates. On the patient it places the event: the parser
    hangs "en Tumbes" on the object in "liberaron a tres comerciantes en Tumbes"."""
    head = root.head
    patient = hit.patient
    # "una docena de mujeres en Lima": the quantity noun the patient hangs on is the patient too
    on_patient = patient is not None and (head == patient or (patient.head == head and patient.dep_ == "nmod"))
    return (root.dep_ == "nmod" and governing_preposition(root) is not None and head.pos_ == "NOUN"
            and not on_patient and head.lemma_.lower() in lex.word_class("person"))


def _is_origin(root: Token, lex: Lexicon) -> bool:
    """"a gang from Venezuela", "originarias de Zacatecas": where people come from."""
    prep = governing_preposition(root)
    if prep not in _ORIGIN_PREPS:
        return False
    head = attachment_head(root)
    lemma = head.lemma_.lower()
    if lemma in lex.word_class("group") or lemma in lex.word_class("person"):
        return True
    return lemma in ("origin", "origen", "originario", "originaria", "oriundo", "nacionalidad", "nationality", "native")


def _places_in_agency_names(sent: Span, mentions: Mentions, sources: list[ArgumentSource]) -> tuple[PlaceMatch, ...]:
    found = []
    for a in mentions.agencies:
        if not (sent.start_char <= a.start and a.end <= sent.end_char):
            continue
        for p in mentions.places:
            if p.end <= a.start or a.end <= p.start:
                continue
            if p.kind == "unknown":
                # "Penal de Arica": the place is the last "de" phrase of the name.
                tail = p.text.rsplit(" de ", 1)[-1] if " de " in p.text else ""
                if not tail or not tail[:1].isupper():
                    continue
                offset = p.text.rfind(tail)
                p = replace(p, text=tail, name=tail, start=p.start + offset, end=p.start + offset + len(tail))
            if p.kind in ("city", "locality", "region", "unknown"):
                found.append(p)
                sources.append(ArgumentSource("places", p.name, a.text, "named in the acting agency's name"))
    return tuple(found)


def _most_specific(places: list[PlaceMatch], text: str = "", offset: int = 0) -> list[PlaceMatch]:
    """Drop a place that contains another kept place ("Lima, Peru" keeps Lima; "Génova y
    Colomba, Quetzaltenango" keeps the towns, not their department)."""
    out = []
    for n, p in enumerate(places):
        prev = places[n - 1] if n > 0 else None
        if (prev is not None and p.kind == "region" and text[prev.end - offset : p.start - offset].strip() == ","
                and (prev.kind == "unknown" or (prev.region is not None and prev.region == p.region))):
            continue
        contained = any(
            q is not p
            and p.kind == "region"
            and q.kind in ("city", "locality", "facility")
            and q.region is not None
            and q.region == p.region
            for q in places
        )
        if not contained and all(p.name != q.name for q in out):
            out.append(p)
    return out


def _country(
    hit: TriggerHit,
    places: Sequence[PlaceMatch],
    destinations: frozenset[int],
    sent: Span,
    mentions: Mentions,
    lex: Lexicon,
    sources: list[ArgumentSource],
    home: str | None = None,
) -> str | None:
    """Where it happened; for an extradition or deportation, the sending country.

    ``home`` is the country the article is about (most named), which breaks ties.
    """
    if hit.rule.type == "extradition":
        # "extradited from Colombia", "extraditado desde Colombia": the sender is named as such.
        for p in mentions.places:
            if p.country and sent.start_char <= p.start and p.end <= sent.end_char:
                span = _token_span(sent.doc, p.start, p.end)
                if span is not None and governing_preposition(span.root) in ("from", "desde") \
                        and hit.token in span.root.ancestors:
                    sources.append(ArgumentSource("country", p.country, p.text, "the country it was sent from"))
                    return p.country
        # "Mexican authorities extradited X to the United States": the sender is the subject.
        for a in mentions.agencies:
            span = _token_span(sent.doc, a.start, a.end) if sent.start_char <= a.start < sent.end_char else None
            if span is not None and a.country and span.root.head == hit.token and span.root.dep_ == "nsubj":
                sources.append(ArgumentSource("country", a.country, a.text, "country of the sending authorities"))
                return a.country
    # Places disagreeing on the country ("la colonia Las Heras, en Irapuato"): the most named
    # country, and on a tie the last place, which in "X, in Y" is the container.
    located = [p for p in places if p.country and p.start not in destinations]
    if located:
        votes: dict[str, float] = {}
        for p in located:
            votes[p.country] = votes.get(p.country, 0) + 1  # type: ignore[index]
        if home in votes:
            votes[home] += 0.5  # a tie goes to the country the article is about
        best = max(votes.values())
        chosen = next(p for p in reversed(located) if votes[p.country] == best)  # type: ignore[index]
        sources.append(ArgumentSource("country", chosen.country or "", chosen.text, "country of the place"))
        return chosen.country
    for p in mentions.places:
        if (p.kind == "country" and sent.start_char <= p.start and p.end <= sent.end_char and p.country
                and p.start not in destinations):
            span = _token_span(sent.doc, p.start, p.end)
            if (span is None or _is_nationality_use(span.root, lex) or not _locative(span.root)
                    or _describes_other_noun(span.root, hit, lex)):
                continue
            sources.append(ArgumentSource("country", p.country, p.text, "country named in the sentence"))
            return p.country
    for a in mentions.agencies:
        # In an extradition report the agency named is often the receiving court.
        if sent.start_char <= a.start and a.end <= sent.end_char and a.country and hit.rule.type != "extradition":
            sources.append(ArgumentSource("country", a.country, a.text, "country of the acting agency"))
            return a.country
    if hit.rule.type == "extradition":
        # "Washington announced that 10 members had been deported": the sending government.
        reporting = lex.words("reporting_verbs")
        for p in mentions.places:
            if sent.start_char <= p.start and p.end <= sent.end_char and p.country and p.start not in destinations:
                span = _token_span(sent.doc, p.start, p.end)
                if span is not None and span.root.dep_ == "nsubj" and span.root.head.lemma_.lower() in reporting:
                    sources.append(ArgumentSource("country", p.country, p.text, "government announcing it"))
                    return p.country
    else:
        for p in places:
            if p.country:
                sources.append(ArgumentSource("country", p.country, p.text, "country of the place"))
                return p.country
    return None


# --------------------------------------------------------------------------- organizations and agencies


def _organizations(
    span: tuple[int, int], orgs: Sequence[OrgMatch], attribution: Attribution | None, sources: list[ArgumentSource]
) -> tuple[EventOrg, ...]:
    found: list[EventOrg] = []
    for org in orgs:
        if org.start < span[0] or org.end > span[1]:
            continue
        for name, parent in ((org.name, org.parent), (org.parent, None)):
            if name and all(o.name != name for o in found):
                found.append(EventOrg(name=name, role="target", parent=parent))
                sources.append(ArgumentSource("organizations", name, org.text,
                                              "named in the sentence" if name == org.name else "parent of a faction"))
    return tuple(found)


def _group_anaphor(hit: TriggerHit, sent: Span, lex: Lexicon, names: Sequence[tuple[int, int]] = ()) -> bool:
    """Whether the sentence refers to "the gang" / "la organización" without naming it."""
    group = lex.word_class("group")
    definite = {"the", "this", "that", "its", "el", "la", "esta", "este", "dicha", "dicho", "esa", "ese", "su"}
    for t in sent:
        if t.pos_ != "NOUN" or t.lemma_.lower() not in group:
            continue
        if _inside(t.idx, t.idx + len(t), names):
            continue  # "The Sinaloa drug cartel" is a name, not a reference back
        plural = t.tag_ in ("NNS", "NNPS") or "Plur" in t.morph.get("Number")
        if not plural and any(c.dep_ in ("det", "poss", "nmod:poss") and c.lower_ in definite for c in t.children):
            return True
        # Spanish contraction: "integrantes del grupo", "miembros de la banda".
        if not plural and any(c.dep_ == "case" and c.lower_ == "del" for c in t.children):
            return True
    return False


def _agencies(
    hit: TriggerHit,
    sent: Span,
    agencies: Sequence[AgencyMatch],
    attribution: Attribution | None,
    sources: list[ArgumentSource],
) -> tuple[str, ...]:
    patient_chars: tuple[int, int] | None = None
    if hit.patient is not None:
        sub = list(hit.patient.subtree)
        patient_chars = (sub[0].idx, sub[-1].idx + len(sub[-1]))
    found: list[str] = []
    reporting: list[AgencyMatch] = []
    for a in agencies:
        if a.start < sent.start_char or a.end > sent.end_char:
            continue
        if patient_chars and patient_chars[0] <= a.start and a.end <= patient_chars[1] and hit.rule.type in (
            "killing", "attack", "kidnapping"
        ):
            continue  # police who were the victims are not the acting agency
        if attribution is not None and a.text in attribution.text and hit.rule.type not in ("charge", "sentence"):
            reporting.append(a)  # "the Interior Ministry said": the source, not the actor
            continue
        if a.name not in found:
            found.append(a.name)
            sources.append(ArgumentSource("agencies", a.name, a.text, "agency named in the sentence"))
    if not found and hit.rule.type in _OPERATIONS:
        # "Cinco personas fueron detenidas en Lima, según la Policía": with no other agency named,
        # the police or prosecutors reporting their own operation are the ones who carried it out.
        for a in reporting:
            if a.kind in _OPERATING_KINDS and a.name not in found:
                found.append(a.name)
                sources.append(ArgumentSource("agencies", a.name, a.text, "agency reporting its own operation"))
    return tuple(found)


_OPERATIONS = frozenset({"arrest", "rescue", "seizure", "raid", "extradition"})
_OPERATING_KINDS = frozenset({"police", "military", "prosecutor", "migration"})


# --------------------------------------------------------------------------- nationalities and items


def _segment(hit: TriggerHit, sent: Span, others: Sequence[TriggerHit]) -> tuple[int, int]:
    """Character range from this trigger to the next trigger of the sentence."""
    start = hit.token.idx
    later = [o.token.idx for o in others if o.token.idx > start]
    end = min(later) if later else sent.end_char
    # Words before the trigger that belong to its patient ("Six women ... were rescued").
    if hit.patient is not None and hit.patient.idx < start:
        start = min(t.idx for t in hit.patient.subtree)
    return start, end


def _nationalities(
    hit: TriggerHit,
    sent: Span,
    segment: tuple[int, int],
    nats: Sequence[NationalityMatch],
    sources: list[ArgumentSource],
) -> tuple[str, ...]:
    in_sent = [n for n in nats if sent.start_char <= n.start and n.end <= sent.end_char]
    if not in_sent:
        return ()
    chosen: list[NationalityMatch] = []
    if hit.patient is not None:
        sub = list(hit.patient.subtree)
        lo, hi = sub[0].idx, sub[-1].idx + len(sub[-1])
        chosen = [n for n in in_sent if lo <= n.start and n.end <= hi]
    if not chosen:
        lo, hi = segment
        chosen = [n for n in in_sent if lo <= n.start and n.end <= hi]
    out: list[str] = []
    for n in chosen:
        if n.country not in out:
            out.append(n.country)
            sources.append(ArgumentSource("nationalities", n.country, n.text, "demonym of the people involved"))
    return tuple(out)


def _items(hit: TriggerHit, doc: Doc, segment: tuple[int, int], lang: str) -> tuple[Quantity, ...]:
    start, end = segment
    sent = hit.token.sent
    # The seized things may precede a passive trigger ("480 kilos ... were seized").
    if hit.patient is not None and hit.patient.idx < hit.token.idx:
        start = min(start, min(t.idx for t in hit.patient.subtree))
    whole = sent.text
    text = whole[start - sent.start_char : end - sent.start_char]
    found = find_quantities(text, lang)
    if not found and hit.patient is not None:
        sub = list(hit.patient.subtree)
        found = find_quantities(whole[sub[0].idx - sent.start_char : sub[-1].idx + len(sub[-1]) - sent.start_char],
                                lang)
    if not found:
        found = find_quantities(sent.text, lang)
    return tuple(found)


def shift_place(place: PlaceMatch, offset: int) -> PlaceMatch:
    """A copy of ``place`` with offsets moved by ``offset`` characters."""
    return replace(place, start=place.start + offset, end=place.end + offset)
