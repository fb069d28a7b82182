"""Event extraction: from a parsed, cleaned article and its mentions to typed events.

Read top-down: ``extract_events`` walks the sentences; ``triggers`` finds words that
report events and their patients; ``factuality`` keeps only happenings reported as
fact; ``arguments`` reads each event's arguments from its sentence; ``merge``
consolidates sentences that report the same happening and applies the conventions
that relate event types.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from spacy.tokens import Doc, Span

from crimewire.dates import DateMention, find_date_expressions
from crimewire.extraction.arguments import SentenceArguments, read_arguments, sentence_dates
from crimewire.extraction.factuality import assess
from crimewire.extraction.lexicon import Lexicon
from crimewire.extraction.merge import (
    FOLLOW_UP_WINDOW,
    Draft,
    SentenceInfo,
    apply_type_conventions,
    attacks_that_killed,
    fill_dates_from_context,
    fill_from_article,
    fill_from_neighbours,
    fill_from_operation,
    fill_live_blog_dates,
    finish,
    merge_drafts,
)
from crimewire.extraction.syntax import clause_verb
from crimewire.extraction.triggers import TriggerHit, find_triggers
from crimewire.records import (
    ArticleOrganization,
    CleanArticle,
    DateValue,
    Event,
    EventOrg,
    Evidence,
    Mentions,
)

_TERMINAL = (".", "!", "?", "”", '"', "»", ")", "…", ":", ";", "'")
# A headline is a short line without final punctuation; 25 words is longer than any
# headline in the dev set and shorter than any body sentence without a full stop there.
_HEADLINE_MAX_WORDS = 25


def is_headline(sent: Span, full_text: str | None = None) -> bool:
    """Whether ``sent`` is a headline-like line (present tense reports the past there).

    ``full_text`` is the document's text (spaCy rebuilds ``Doc.text`` on every access, so
    callers looping over sentences pass it once).
    """
    whole = full_text if full_text is not None else sent.doc.text
    raw = whole[sent.start_char : sent.end_char]
    text = raw.strip()
    if not text or text.endswith(_TERMINAL):
        return False
    before = whole[: sent.start_char]
    after = whole[sent.end_char :]
    starts_line = not before.strip() or before.rstrip(" \t").endswith("\n")
    ends_line = not after.strip() or after.lstrip(" \t").startswith("\n") or raw.endswith("\n")
    return starts_line and ends_line and len(text.split()) <= _HEADLINE_MAX_WORDS


# A dateline opens a paragraph: "LIMA, Peru:", "MEXICO CITY —", "CULIACÁN, Sin. (apro). -",
# "BUENOS AIRES, February 9." It says where the report was filed, not where things happened.
_DATELINE = re.compile(
    r"(?m)^[ \t]*(?:[A-Z][a-z]+(?: [a-z]+){0,3}\s+)?"
    r"([A-ZÁÉÍÓÚÑÜ][A-ZÁÉÍÓÚÑÜ .'-]{2,40}(?:,\s*[A-Z][\w.]*(?:\s[A-Z][\w.]*)?)?)"
    r"\s*(?:\([^)]{1,30}\)\.?)?\s*(?:[—–:-]|,\s+\w+\s+\d{1,2}\b)"
)


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of datelines at the start of paragraphs."""
    spans = []
    for m in _DATELINE.finditer(text):
        head = m.group(1)
        letters = [c for c in head.split(",")[0] if c.isalpha()]
        if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8:
            spans.append((m.start(1), m.end(1)))
    return spans


def _evidence(sent: Span, hit: TriggerHit, clean: CleanArticle) -> Evidence:
    raw = clean.text[sent.start_char : sent.end_char]
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    cs = sent.start_char + lead
    ce = cs + len(text)
    start, end = clean.offsets.span_to_original(cs, ce)
    return Evidence(
        sentence=text,
        start=start,
        end=end,
        clean_start=cs,
        clean_end=ce,
        trigger=hit.token.text,
        trigger_start=hit.token.idx,
        trigger_end=hit.token.idx + len(hit.token.text),
        rule=hit.rule.id,
    )


_DEFINITE = frozenset({"the", "this", "that", "these", "those", "el", "la", "los", "las", "este", "esta",
                       "estos", "estas", "dicho", "dicha", "aquel", "aquella", "su", "sus", "its", "their"})
_SUBSET_HEADS = frozenset({"them", "those", "ellos", "ellas", "estos", "estas", "these"})


def _anaphora(hit: TriggerHit) -> str:
    """How a trigger refers back to an event already reported ("" when it does not).

    "those arrested", "los imputados": participles used as nouns name people already
    reported ("mention"). "The arrest took place near ...", "la condena": a definite event
    noun without a number of its own ("reference"). "30 of them were deported", "de ellos":
    a part of an earlier total ("subset").
    """
    t = hit.token
    # "los objetos que se intervinieron a los procesados": a relative clause naming what was
    # done to a definite noun refers back to it.
    relative = t.dep_ in ("relcl", "acl:relcl") or (
        t.dep_ == "acl" and any(c.lower_ in ("que", "which", "that", "who") for c in t.children)
    )
    if relative and hit.patient == t.head and any(
        c.dep_ == "det" and c.lower_ in _DEFINITE for c in t.head.children
    ):
        return "mention"
    participle = "Part" in t.morph.get("VerbForm") or t.tag_ == "VBN" or t.pos_ == "ADJ"
    if participle and t.pos_ in ("VERB", "ADJ", "NOUN"):
        if t.dep_ in ("acl", "amod") and t.head.lower_ in _DEFINITE | {"ones"}:
            return "mention"  # "those arrested"
        if any(c.dep_ == "det" for c in t.children):
            return "mention"  # "los imputados", "un solo acusado"
        if t.dep_ in ("nsubj", "obj", "obl", "nmod", "iobj", "appos", "pobj", "dobj") and t.head.lemma_.lower() not in (
            "quedar", "resultar", "permanecer", "seguir", "continuar", "remain", "stay"
        ):
            return "mention"  # "Los 37 acusados ... han sido condenados": a participle as a noun
    if (t.pos_ == "NOUN" and not any(c.dep_ == "nummod" or c.like_num for c in t.children)
            and any(c.dep_ in ("det", "poss", "nmod:poss") and c.lower_ in _DEFINITE for c in t.children)):
        return "reference"  # "the arrest", "las capturas se lograron ..."
    p = hit.patient
    if p is not None:
        near = [p, *p.children, *(c for ch in p.children for c in ch.children)]
        if p.head is not None:
            near.append(p.head)
        if any(x.lower_ in _SUBSET_HEADS and x.i != p.i for x in near) and (p.like_num or p.pos_ == "NUM"):
            return "subset"
        # "De ellos, 30 salieron deportados", "the remaining three", "los 13 restantes".
        window = p.doc[max(p.sent.start, p.left_edge.i - 6) : p.i + 1].text.lower()
        if _SUBSET_CUE.search(window):
            return "subset"
        # "nueve de los venezolanos expulsados": a number out of people the participle describes
        # (with a verb of its own, "five of the hostages had been let go", it is news of its own).
        if t.dep_ in ("amod", "acl") and _NUMBER_OF.search(window):
            return "subset"
    return ""


_SUBSET_CUE = re.compile(
    r"\b(?:of them|of those|among them|of whom|of the \w+,|de ellos|de ellas|de los cuales|de las cuales|"
    r"entre ellos|entre ellas|remaining|restantes?|the rest|los demás|las demás|el resto)\b"
)
_NUMBER_OF = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|uno|una|dos|tres|cuatro|cinco|"
    r"seis|siete|ocho|nueve|diez|once|doce)\s+(?:of the|de los|de las)\b"
)


def extract_events(
    doc: Doc,
    clean: CleanArticle,
    mentions: Mentions,
    lex: Lexicon,
    *,
    background_days: int = 366,
) -> tuple[Event, ...]:
    """All events the article reports as fact, merged within the article."""
    lang = clean.lang or lex.language
    published: date | None = clean.article.published
    datelines = dateline_spans(clean.text)
    home = article_country(mentions)
    drafts: list[Draft] = []
    sentence_info: list[SentenceInfo] = []
    additive_words = lex.words("additive")
    excluded = [*datelines, *((o.start, o.end) for o in mentions.organizations),
                *((a.start, a.end) for a in mentions.agencies)]
    # First pass: the triggers each sentence keeps. Dates are then looked for only in the
    # sentences that can give an event its date (those with events and their neighbours):
    # date finding is the costliest step after parsing, and most sentences report nothing.
    sentences: list[tuple[int, Span, bool, list[TriggerHit]]] = []
    for s_index, sent in enumerate(doc.sents):
        if not clean.text[sent.start_char : sent.end_char].strip():
            continue
        headline = is_headline(sent, clean.text)
        kept = [hit for hit in find_triggers(sent, lex) if assess(hit, lex, headline=headline).fact]
        sentences.append((s_index, sent, headline, kept))
    with_events = [i for i, _s, _h, kept in sentences if kept]
    reach = FOLLOW_UP_WINDOW + 1
    near = {i for i, _s, _h, _k in sentences if any(abs(i - j) <= reach for j in with_events)}
    dates = _dates_near_events([sent for i, sent, _h, _k in sentences if i in near], lang, datelines, clean.text)
    for s_index, sent, headline, kept in sentences:
        # Sentences far from every event give no details to any (see merge.fill_from_neighbours).
        if not headline and s_index in near:
            last_date = next((d.date.value for d in reversed(drafts) if d.date and d.date.value), None)
            sentence_info.append(_sentence_info(
                s_index, sent, bool(kept), mentions, excluded,
                sentence_dates(sent, dates, published, lang, lex, reference=last_date), lex,
            ))
        if kept and _about_fiction(sent, lex):
            kept = []
        for hit in kept:
            reference = next((d.date.value for d in reversed(drafts) if d.date and d.date.value), None)
            anaphora = _anaphora(hit)
            args = read_arguments(
                hit, sent, others=kept, mentions=mentions, dates=dates, published=published, lang=lang, lex=lex,
                reference=reference, datelines=datelines, anaphoric=anaphora in ("reference", "mention"),
                home_country=home,
            )
            if _aggregate(hit, sent, args.date, lex) or _tally(args):
                continue  # "more than 60 drivers have been killed over the years"
            if anaphora == "reference" and ((args.count is not None and args.count.value is not None) or args.items):
                anaphora = ""  # "the capture of 22 members", "the seizure of 15 firearms" report their own figures
            additive = hit.patient is not None and any(
                c.lower_ in additive_words for c in [*hit.patient.children, *hit.token.children]
            )
            drafts.append(
                Draft(
                    type=hit.rule.type,
                    sentence=s_index,
                    headline=headline,
                    evidence=_evidence(sent, hit, clean),
                    count=args.count,
                    date=args.date,
                    date_is_report=args.date_is_report,
                    places=list(args.places),
                    country=args.country,
                    organizations=list(args.organizations),
                    group_anaphor=args.group_anaphor,
                    agencies=list(args.agencies),
                    nationalities=list(args.nationalities),
                    destinations=list(args.destinations),
                    items=list(args.items),
                    attribution=args.attribution,
                    additive=additive,
                    anaphoric=anaphora,
                    bare=hit.patient is None,
                    separate=_opens_separately(sent, lex),
                    patient_words=_patient_words(hit, lex),
                    sources=list(args.sources),
                    notes=list(args.notes),
                )
            )
    merged = merge_drafts(drafts, published=published, background_days=background_days)
    live_blog = published is not None and _is_live_blog(clean.text)
    if not live_blog:  # a live blog's neighbouring sentences belong to other entries
        fill_dates_from_context(merged, sentence_info)
    fill_from_operation(merged, published, background_days)
    if live_blog and published is not None:
        fill_live_blog_dates(merged, published)
    fill_from_neighbours(merged, sentence_info, {
        "arrest": lex.words("arrested_people"), "rescue": lex.words("rescued_people"),
    })
    attacks_that_killed(merged, sentence_info, lang)
    merged = apply_type_conventions(merged)
    starts = [s.start_char for s in doc.sents]
    factions = tuple(
        (EventOrg(o.name, "target", o.parent), bisect.bisect_right(starts, o.start) - 1)
        for o in mentions.organizations if o.parent
    )
    tops = {o.parent or o.name for o in mentions.organizations}
    fill_from_article(merged, primary_organizations(mentions), article_countries(mentions), factions,
                      sole_group=_about_one_group(mentions, tops))
    return tuple(finish(d, published, background_days) for d in merged)


# The headline and lead of an article, in characters: a group named there is what it is about.
LEAD_CHARS = 300


def _about_one_group(mentions: Mentions, tops: set[str]) -> bool:
    """Whether the article is about one group: it names one (with its factions), and names it
    twice or in its headline and lead. A group named once further down is context ("routes the
    Clan del Golfo controls"), not the target of every operation the article reports."""
    orgs = mentions.organizations
    return len(tops) == 1 and (len(orgs) >= 2 or any(o.start < LEAD_CHARS for o in orgs))


def _opens_separately(sent: Span, lex: Lexicon) -> bool:
    """Whether the sentence opens with a cue that it tells another happening."""
    start = sent.text.lstrip().lower()[:40]
    return any(start.startswith(cue) for cue in lex.words("separate_cues"))


# A live blog's entries open with the time they were posted ("09:12 —", "7:05 a. m.").
_LIVE_ENTRY = re.compile(r"(?m)^\s*\d{1,2}[:.]\d{2}(?:\s*[ap]\.?\s?m\.?)?\s*(?:[—–-]|h\b|hrs\b)?", re.IGNORECASE)


def _is_live_blog(text: str) -> bool:
    """Two or more paragraphs open with a clock time: entries of a live blog."""
    return len(_LIVE_ENTRY.findall(text)) >= 2


def _dates_near_events(
    sents: list[Span], lang: str, datelines: list[tuple[int, int]], full: str | None = None
) -> tuple[DateMention, ...]:
    """Date expressions of ``sents``, with document offsets; the date of a dateline ("BUENOS
    AIRES, February 9.", "Ciudad de México, 15 de febrero de 2026.-") is the day of the report,
    never the day of what it reports, so it is left out."""
    found: list[DateMention] = []
    for sent in sents:
        offset = sent.start_char
        for m in find_date_expressions(sent.doc.text[sent.start_char : sent.end_char] if full is None
                                       else full[sent.start_char : sent.end_char], lang):
            m = replace(m, start=m.start + offset, end=m.end + offset)
            if m.kind != "dateline" and not any(s <= m.start <= e + 3 for s, e in datelines):
                found.append(m)
    return tuple(found)


def _about_fiction(sent: Span, lex: Lexicon) -> bool:
    """Whether the sentence tells the plot of a series, film or novel."""
    text = sent.text.lower()
    words = {t.lower_ for t in sent}
    return any((cue in text) if " " in cue else (cue in words) for cue in lex.words("fiction_cues"))


# A figure this large with no day of its own is a tally ("more than 1,700 people have been
# killed in Sinaloa since ..."); one operation's or attack's counts in the dev set and the team
# corpora stay under 500.
_TALLY_MIN = 500


def _tally(args: SentenceArguments) -> bool:
    count = args.count.value if args.count is not None else None
    dated = args.date is not None and args.date.precision in ("day", "week")
    return count is not None and count >= _TALLY_MIN and not dated


def _aggregate(hit: TriggerHit, sent: Span, when: object, lex: Lexicon) -> bool:
    """A happening summed up over a period ("killed over the years", "detenidos desde 2020"),
    with no day of its own: the period phrase must hang on the trigger or its clause."""
    if when is not None and getattr(when, "precision", None) == "day":
        return False
    text = sent.text.lower()
    anchors = {hit.token.i, clause_verb(hit.token).i}
    for phrase in lex.words("statistic_phrases"):
        start = text.find(phrase)
        while start >= 0:
            span = sent.doc.char_span(sent.start_char + start, sent.start_char + start + len(phrase),
                                      alignment_mode="expand")
            if span is not None and (span.root.head.i in anchors or span.root.i in anchors):
                return True
            start = text.find(phrase, start + 1)
    return False


def _patient_words(hit: TriggerHit, lex: Lexicon) -> set[str]:
    """Lemmas a follow-up sentence would use to refer back to the event's patient ("the
    cocaine", "the detainees")."""
    words: set[str] = set()
    if hit.patient is not None:
        words.add(hit.patient.lemma_.lower())
        words |= {c.lemma_.lower() for c in hit.patient.conjuncts}
    if hit.rule.type == "seizure":
        words |= {t.lemma_.lower() for t in hit.token.subtree if t.lemma_.lower() in lex.word_class("goods")}
    return words


def _sentence_info(
    index: int, sent: Span, has_event: bool, mentions: Mentions, excluded: list[tuple[int, int]],
    day_dates: tuple[DateValue, ...] = (), lex: Lexicon | None = None,
) -> SentenceInfo:
    lo, hi = sent.start_char, sent.end_char
    places = tuple(
        p for p in mentions.places
        if lo <= p.start and p.end <= hi and p.kind != "country"
        and not any(s < p.end and p.start < e for s, e in excluded)
    )
    orgs: list[EventOrg] = []
    for o in mentions.organizations:
        if lo <= o.start and o.end <= hi:
            for name, parent in ((o.name, o.parent), (o.parent, None)):
                if name and all(x.name != name for x in orgs):
                    orgs.append(EventOrg(name, "target", parent))
    nats = tuple(dict.fromkeys(n.country for n in mentions.nationalities if lo <= n.start and n.end <= hi))
    nouns = frozenset(t.lemma_.lower() for t in sent if t.pos_ == "NOUN")
    death = _death_stated(sent, lex) if lex is not None and not has_event else ""
    return SentenceInfo(index, has_event, places, tuple(orgs), nats, nouns, day_dates, death)


_SINGULAR_PRONOUNS = frozenset({"he", "she", "él", "ella"})
_PLURAL_PRONOUNS = frozenset({"they", "ellos", "ellas"})
_NOT_QUITE = frozenset({"not", "no", "never", "nunca", "almost", "nearly", "casi", "n't"})
_NOBODY = frozenset({"nobody", "none", "nadie", "ninguno", "ninguna"})


def _death_stated(sent: Span, lex: Lexicon) -> str:
    """"one" or "many" when ``sent`` states that someone died ("He died at the scene", "Murió en
    el hospital", "They later died"), "" otherwise (also "nearly died", "no one died")."""
    verbs = lex.words("death_verbs")
    for t in sent:
        if t.pos_ != "VERB" or t.lemma_.lower() not in verbs:
            continue
        if any(c.lower_ in _NOT_QUITE or c.dep_ == "neg" for c in t.children):
            continue
        subject = next((c for c in t.children if c.dep_ in ("nsubj", "nsubjpass")), None)
        if subject is not None and (subject.lower_ in _NOBODY or any(c.lower_ in _NOT_QUITE for c in subject.children)):
            continue  # "No one died", "Nadie murió"
        if subject is None:  # Spanish drops the pronoun: the verb's number says who
            number = t.morph.get("Number")
            return "one" if "Sing" in number else ("many" if "Plur" in number else "")
        if subject.lower_ in _SINGULAR_PRONOUNS or subject.tag_ in ("NN", "NNP"):
            return "one"
        plural = subject.lower_ in _PLURAL_PRONOUNS or subject.tag_ in ("NNS", "NNPS") or (
            subject.pos_ in ("NOUN", "PROPN") and "Plur" in subject.morph.get("Number"))
        if plural:
            # "Two passengers died", "Dos pasajeros murieron": the number is the count
            number = next((c for c in subject.children if c.dep_ == "nummod"), None)
            return f"many:{number.text}" if number is not None else "many"
        if subject.pos_ in ("NOUN", "PROPN"):
            return "one"
    return ""


def primary_organizations(mentions: Mentions) -> tuple[EventOrg, ...]:
    """The group the article is about: the most named one, or its faction when one is named."""
    if not mentions.organizations:
        return ()
    counts = Counter(o.name for o in mentions.organizations)
    top = counts.most_common(1)[0][0]
    faction = next((o for o in mentions.organizations if o.parent == top), None)
    if faction is not None:
        return (EventOrg(faction.name, "target", top), EventOrg(top, "target", None))
    top_match = next(o for o in mentions.organizations if o.name == top)
    if top_match.parent:
        return (EventOrg(top, "target", top_match.parent), EventOrg(top_match.parent, "target", None))
    return (EventOrg(top, "target", None),)


def article_country(mentions: Mentions) -> str | None:
    """The country most named in the article (places first, then agencies)."""
    countries = article_countries(mentions)
    return countries[0] if countries else None


def article_countries(mentions: Mentions) -> tuple[str, ...]:
    """The countries the article names, most named first (places count double, then agencies)."""
    votes: Counter[str] = Counter()
    for p in mentions.places:
        if p.country:
            votes[p.country] += 2 if p.kind != "country" else 1
    for a in mentions.agencies:
        if a.country:
            votes[a.country] += 1
    return tuple(c for c, _n in votes.most_common())


def article_organizations(mentions: Mentions) -> tuple[ArticleOrganization, ...]:
    """Every criminal group the article names, once, with its other surface forms."""
    by_name: dict[str, tuple[list[str], str | None]] = {}
    for o in mentions.organizations:
        aliases, parent = by_name.get(o.name, ([], None))
        surface = " ".join(o.text.split()).strip("\"'“”‘’«»")
        if surface.casefold() != o.name.casefold() and surface not in aliases:
            aliases.append(surface)
        by_name[o.name] = (aliases, parent or o.parent)
    return tuple(ArticleOrganization(name, tuple(al), parent) for name, (al, parent) in by_name.items())


__all__: Sequence[str] = ("article_organizations", "extract_events", "is_headline", "primary_organizations")
