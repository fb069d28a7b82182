"""Finding event triggers in a parsed sentence and the patient each one acts on.

A trigger is a token whose lemma is in the lexicon for its part of speech. Its
*patient* is who or what the event happened to: the object of an active verb, the
subject of a passive one, the "of" phrase of a noun ("the capture of 22 members"),
or the noun a participle modifies ("43 extranjeros deportados"). The patient's
semantic class (person, body, goods, place) decides between readings of ambiguous
verbs: "seized 5 tonnes" is a seizure, "workers were seized" a kidnapping.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from spacy.parts_of_speech import IDS as POS_IDS
from spacy.tokens import Span, Token

from crimewire.counts import collective_number_nouns
from crimewire.extraction.lexicon import Lexicon, TriggerRule
from crimewire.extraction.syntax import (
    MODIFIER_DEPS,
    OBJECT_DEPS,
    PASSIVE_SUBJECT_DEPS,
    is_passive,
    prep_objects,
    subjects,
)

# Quantity heads whose "of" phrase carries the real class: "dozens of suspects",
# "a total of 30 people", "cientos de migrantes".
_QUANTITY_HEADS = frozenset({
    "dozen", "dozens", "hundreds", "thousands", "scores", "total", "number", "group", "handful",
    "couple", "pair", "lot", "lots", "batch", "string", "series", "docena", "decena", "decenas",
    "cientos", "centenar", "centenares", "miles", "grupo", "número", "par", "all", "each",
    "some", "several", "many", "most", "both", "none", "todos", "todas", "varios", "varias",
})
# Types whose patient is the grammatical subject when the verb is intransitive
# ("three inmates escaped", "ten people died").
_SUBJECT_PATIENT_TYPES = frozenset({"escape"})
# ("cayó el cabecilla": who falls is who was caught)
_SUBJECT_PATIENT_LEMMAS = frozenset({"die", "morir", "fallecer", "fugar", "fugarse", "evadir", "escapar", "plead",
                                     "caer"})
_OF_PREPS = frozenset({"of", "de", "del", "a"})
# Durations are not patients: "condenados a 90 años", "sentenced to 13 years".
_TIME_UNITS = frozenset({"año", "años", "mes", "meses", "día", "días", "year", "month", "day", "week",
                         "semana", "hora", "hour"})


@dataclass(frozen=True, slots=True)
class TriggerHit:
    """A token that reports an event of one type, with its patient."""

    token: Token
    rule: TriggerRule
    patient: Token | None  # head of the patient noun phrase (or a number standing for it)
    patient_class: str  # "person" | "body" | "goods" | "place" | "unknown" | "none" (no patient)
    patient_how: str  # how the patient was found, for `explain`


# The parts of speech ``_pos_of`` turns into each rule part of speech: a token with any other
# cannot fire a rule, so its lemma is never looked up (most tokens of a sentence).
_SOURCE_POS = {"VERB": ("VERB", "AUX", "ADJ"), "NOUN": ("NOUN", "PROPN")}


@cache
def _candidate_pos(rule_pos: frozenset[str]) -> frozenset[int]:
    """spaCy part-of-speech ids of the tokens that can become one of ``rule_pos``."""
    return frozenset(POS_IDS[source] for pos in rule_pos for source in _SOURCE_POS.get(pos, (pos,)))


def find_triggers(sent: Span, lex: Lexicon) -> list[TriggerHit]:
    """Every token of ``sent`` that some rule of ``lex`` accepts, with its patient."""
    hits: list[TriggerHit] = []
    words: set[str] = set()  # the sentence's lemmas and words, built only when a rule needs them

    def sentence_words() -> set[str]:
        if not words:
            words.update(f for t in sent for f in (t.lemma_.lower(), t.lower_))
        return words

    spanish = lex.language == "es"
    by_lemma = lex.by_lemma
    candidate_pos = _candidate_pos(lex.rule_pos)
    for token in sent:
        if token.pos not in candidate_pos:
            continue
        lower = token.lower_
        rules = by_lemma.get(token.lemma_.lower(), ()) or by_lemma.get(lower, ())
        if not rules and spanish and lower.endswith(_PARTICIPLE_TAILS):
            for form in _lemma_forms(token)[2:]:
                rules = by_lemma.get(form, ())
                if rules:
                    break
        if not rules or _locates_a_site(token, lex):
            continue
        for rule in rules:
            if _pos_of(token) not in rule.pos:
                continue
            hit = _check_rule(token, rule, lex, sentence_words)
            if hit is not None:
                hits.append(hit)
                break  # first matching rule wins for this token
    return hits


def _locates_a_site(token: Token, lex: Lexicon) -> bool:
    """"a house located in Reynosa", "un inmueble ubicado en la colonia X": the participle says
    where a site is; nothing was found or seized."""
    return (token.dep_ in ("acl", "amod") and token.lower_ in lex.words("locating_participles")
            and (token.head.lower_ in lex.words("site_nouns") or token.head.lemma_.lower() in lex.words("site_nouns")))


_PARTICIPLE_TAILS = ("ado", "ada", "ados", "adas", "ido", "ida", "idos", "idas")
_ES_PARTICIPLE_ENDINGS = (("ados", "ar"), ("adas", "ar"), ("ado", "ar"), ("ada", "ar"),
                          ("idos", "ir"), ("idas", "ir"), ("ido", "ir"), ("ida", "ir"),
                          ("idos", "er"), ("idas", "er"), ("ido", "er"), ("ida", "er"))


def _lemma_forms(token: Token) -> list[str]:
    """The lemma, the word itself and, for Spanish participles the small model lemmatizes
    wrongly ("aprehendidos" -> "aprehendir"), the infinitives the ending allows."""
    forms = [token.lemma_.lower(), token.lower_]
    if token.lang_ == "es":
        for ending, infinitive in _ES_PARTICIPLE_ENDINGS:
            if token.lower_.endswith(ending):
                forms.append(token.lower_[: -len(ending)] + infinitive)
    return forms


def _pos_of(token: Token) -> str:
    # Participles used adjectivally ("23 detenidos", "43 extranjeros deportados") count as verbs.
    if token.pos_ == "ADJ" and "Part" in token.morph.get("VerbForm"):
        return "VERB"
    if token.pos_ == "AUX":
        return "VERB"
    if token.pos_ == "PROPN" and token.tag_ in ("NNS", "NN"):
        return "NOUN"
    return token.pos_


def _child_lemmas(token: Token) -> set[str]:
    """Lemmas of the trigger's children, particles and prepositional objects (one level)."""
    found: set[str] = set()
    for child in token.children:
        if any(g.dep_ == "case" and g.lower_ == "según" for g in child.children):
            continue  # "..., según un comunicado": who reports it, not what was done
        found.add(child.lemma_.lower())
        found.add(child.lower_)
        if child.dep_ in ("prep", "prt", "acomp", "oprd", "xcomp", "advmod", "dobj", "obj", "obl",
                          "nmod", "ccomp", "npadvmod", "attr", "advcl", "compound"):
            for grand in child.children:
                found.add(grand.lemma_.lower())
                found.add(grand.lower_)
    # "was given a life prison sentence": the object's own modifiers count too.
    for child in token.children:
        if child.dep_ in OBJECT_DEPS or child.dep_ in ("dobj", "attr"):
            for grand in child.subtree:
                found.add(grand.lemma_.lower())
    return found


def _check_rule(
    token: Token, rule: TriggerRule, lex: Lexicon, sentence_words: Callable[[], set[str]]
) -> TriggerHit | None:
    # (the children's lemmas only when the rule asks: most rules do not)
    children = _child_lemmas(token) if rule.needs_child or rule.reject_child else frozenset()
    if rule.needs_child and not (rule.needs_child & children):
        return None
    if rule.needs_context and not (rule.needs_context & sentence_words()):
        return None
    if rule.reject_child and (rule.reject_child & children):
        return None
    if rule.reject_context and (rule.reject_context & sentence_words()):
        return None
    if rule.no_relative and _in_relative_clause(token):
        return None
    if rule.reject_agent and rule.reject_agent & _agent_lemmas(token):
        return None
    patient, how = find_patient(token, rule)
    pclass = patient_class(patient, lex) if patient is not None else "none"
    if pclass not in rule.patient and not (pclass in ("unknown", "place") and "object" in rule.patient):
        return None
    if rule.needs_object and not _object_matches(token, rule):
        return None
    return TriggerHit(token=token, rule=rule, patient=patient, patient_class=pclass, patient_how=how)


def _agent_lemmas(token: Token) -> set[str]:
    """Lemmas of the verb's active subject ("the gang" in "the gang charged drivers"), also of
    the subject a conjoined verb shares ("the gang threatened and charged drivers")."""
    verb = token
    while verb.dep_ == "conj" and not any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        verb = verb.head
    return {
        t.lemma_.lower()
        for c in verb.children if c.dep_ == "nsubj"
        for t in (c, *(x for x in c.children if x.dep_ == "compound"))
    }


def _in_relative_clause(token: Token) -> bool:
    """Whether ``token`` sits in a clause that describes a noun ("the men who held them captive")."""
    for t in [token, *token.ancestors]:
        if t.dep_ in ("relcl", "acl:relcl", "acl"):
            return True
        if t.pos_ in ("VERB", "AUX") and t.dep_ in ("ROOT", "ccomp", "conj") and t is not token:
            return False
    return False


def _object_matches(token: Token, rule: TriggerRule) -> bool:
    words = {t.lemma_.lower() for t in token.subtree if t.i != token.i}
    return bool(words & rule.needs_object)


def find_patient(token: Token, rule: TriggerRule | None = None) -> tuple[Token | None, str]:
    """The head of the trigger's patient noun phrase and how it was found."""
    if token.pos_ in ("NOUN", "PROPN") and not _participle(token):
        return _noun_patient(token, court_step=rule is not None and rule.type in ("sentence", "charge"))
    # Verbs (and participles).
    for child in token.children:
        if child.dep_ in PASSIVE_SUBJECT_DEPS:
            return _descend_quantity(child), "passive subject"
    if is_passive(token):
        subj = subjects(token)
        # Spanish puts the subject after a passive verb too: "fueron localizados seis cuerpos"
        # (the parser calls it an object; "La mañana de este jueves" is the subject it found).
        if token.lang_ == "es":
            subj += [c for c in token.children if c.dep_ in OBJECT_DEPS and c.i > token.i and c.lower_ != "se"
                     and not any(k.dep_ == "case" for k in c.children)]
        if subj:
            return _vehicle_load(_descend_quantity(_likeliest_patient(subj, token))), "passive subject"
        # "missionaries still held ... had been released": the parser gave the subject to
        # another verb; the nearest preceding subject in the sentence is the patient.
        earlier = [t for t in token.sent if t.i < token.i and t.dep_ in ("nsubj", "nsubjpass")
                   and t.pos_ in ("NOUN", "PROPN", "PRON", "NUM")]
        if earlier:
            return _descend_quantity(earlier[-1]), "nearest preceding subject"
    intransitive = (rule is not None and rule.type in _SUBJECT_PATIENT_TYPES) or (
        token.lemma_.lower() in _SUBJECT_PATIENT_LEMMAS
    )
    # Spanish passive with "se": "se incautaron 500 dosis" — the subject is the patient
    # (the parser labels the clitic "se" itself as the object).
    if token.lang_ == "es" and any(c.lower_ == "se" for c in token.children):
        subj = subjects(token)
        if subj:
            return _descend_quantity(subj[0]), "subject of a passive 'se'"
    # "perdieron la vida", "lost their lives": the object is the life, the patient the subject.
    if any(c.dep_ in OBJECT_DEPS and c.lemma_.lower() in ("vida", "life") for c in token.children):
        subj = subjects(token)
        if subj:
            return _descend_quantity(subj[0]), "subject (lost their lives)"
    if not intransitive:
        for child in token.children:
            if child.dep_ in OBJECT_DEPS and child.lower_ not in _CLITICS and not _destination_object(child):
                return _vehicle_load(_descend_quantity(child)), "object"
        # Spanish personal "a": "liberó a 123 mujeres" is sometimes parsed as obl;
        # "condenan a 90 años" is a duration, not the people.
        for prep, obj in prep_objects(token, frozenset({"a", "al"})):
            if (token.lang_ == "es" and prep in ("a", "al") and obj.pos_ in ("NOUN", "PROPN", "NUM", "PRON")
                    and obj.lemma_.lower() not in _TIME_UNITS and not _destination_object(obj)):
                return _descend_quantity(obj), "object (a)"

    # "quedaron detenidas", "resultaron muertos": the participle is a complement of a
    # copula-like verb whose subject is the patient.
    if token.dep_ in ("xcomp", "obj", "acomp", "oprd", "attr") and token.head.pos_ in ("VERB", "AUX"):
        subj = subjects(token.head)
        if subj:
            return _descend_quantity(subj[0]), "subject of copula"
    # Participle modifying a noun: "10 workers seized", "43 extranjeros deportados".
    if token.dep_ in MODIFIER_DEPS and token.head.pos_ in ("NOUN", "PROPN", "PRON", "NUM"):
        return _descend_quantity(token.head), "modified noun"
    if intransitive:
        subj = subjects(token)
        if subj:
            return _descend_quantity(subj[0]), "subject"
    # "left ten people dead": the object of the governing verb.
    for child in token.children:
        if child.dep_ in ("ccomp", "xcomp", "oprd"):
            for grand in child.children:
                if grand.dep_ in ("nsubj", *OBJECT_DEPS):
                    return _descend_quantity(grand), "clausal object"
    # Linear fallback when the parse attached the object elsewhere ("killed six police
    # officers are being hunted"): the nearest following noun phrase in the same clause.
    return _linear_object(token)


def _destination_object(token: Token) -> bool:
    """"extraditó a Estados Unidos al cabecilla": a place after Spanish "a" is where people were
    sent (the parser may call it the object), not the people."""
    return token.lang_ == "es" and token.ent_type_ in ("LOC", "GPE") and any(
        c.dep_ == "case" and c.lower_ in ("a", "hacia") for c in token.children
    )


# Spanish object clitics ("le exigían el pago", "los detuvieron"): the noun object, when there
# is one, is the patient; a clitic alone stands for a person and is handled as a pronoun.
_CLITICS = frozenset({"se", "me", "te", "nos", "os", "le", "les"})
_VEHICLES = frozenset({"boat", "vessel", "dinghy", "raft", "truck", "lorry", "van", "bus", "trailer", "car",
                       "embarcación", "lancha", "bote", "balsa", "camión", "tráiler", "furgoneta", "autobús",
                       "vehículo", "narcolancha", "cayuco", "patera", "yola"})


def _vehicle_load(patient: Token) -> Token:
    """"Una embarcación con 38 migrantes fue llevada", "a truck carrying 120 migrants": the
    people the vehicle carried are the patient."""
    if patient.lemma_.lower() not in _VEHICLES and patient.lower_ not in _VEHICLES:
        return patient
    for _prep, obj in prep_objects(patient, frozenset({"con", "with"})):
        if obj.pos_ in ("NOUN", "PROPN", "NUM"):
            return _descend_quantity(obj)
    for child in patient.children:
        if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in ("carry", "transport", "llevar", "transportar"):
            for obj in child.children:
                if obj.dep_ in OBJECT_DEPS:
                    return _descend_quantity(obj)
    return patient


def _likeliest_patient(candidates: list[Token], verb: Token) -> Token:
    """Of several subjects, the one a count or a person word marks ("Cuatro presuntos
    integrantes de la banda Los Malditos fueron capturados"), else the nearest before the verb."""
    def score(t: Token) -> tuple[int, int]:
        counted = any(c.dep_ == "nummod" or c.like_num for c in t.children) or t.like_num
        return (1 if counted else 0, -abs(verb.i - t.i))

    return max(candidates, key=score)


def _participle(token: Token) -> bool:
    return "Part" in token.morph.get("VerbForm")


_CARRY_VERBS = frozenset({"carry", "transport", "bring", "take", "llevar", "transportar", "trasladar"})


def _noun_patient(token: Token, court_step: bool = False) -> tuple[Token | None, str]:
    # "a deportation flight carrying 175 Venezuelans": the flight's load is the patient.
    if token.dep_ == "compound" or (token.dep_ == "nmod" and token.head.pos_ == "NOUN"):
        vehicle = token.head
        for child in vehicle.children:
            if child.dep_ in ("acl", "relcl") and child.lemma_.lower() in _CARRY_VERBS:
                for obj in child.children:
                    if obj.dep_ in OBJECT_DEPS:
                        return _descend_quantity(obj), "carried by the vehicle"
            if child.dep_ == "prep" and child.lower_ in ("with", "carrying"):
                for obj in child.children:
                    if obj.dep_ == "pobj":
                        return _descend_quantity(obj), "carried by the vehicle"
    found = [(_against(obj) or prep, obj) for prep, obj in prep_objects(token)
             if obj.lemma_.lower() not in _TIME_UNITS]  # "sentencia de 52 años" is a term, not the people
    # "of"/"de" first: "la vinculación a proceso de tres hombres" is of the men, not the proceedings
    for wanted in (("of", "de", "del"), ("a", "contra", "against")):
        for prep, obj in found:
            if prep in wanted:
                return _descend_quantity(obj), f"'{prep}' phrase"
    for child in token.children:
        if child.dep_ in ("poss", "nmod:poss") and child.pos_ in ("PRON", "NOUN", "PROPN"):
            return child, "possessive"
        if child.dep_ == "compound" and child.pos_ == "NOUN":
            return child, "compound"
    # "obtuvo sentencia ... en contra de X", "dictó una condena ... contra X": the parser may hang
    # the people on the verb a court step is the object of ("carried out 14 raids ... against a
    # cell" names the target, not the people the raids counted).
    if court_step and token.dep_ in OBJECT_DEPS:
        for prep, obj in prep_objects(token.head):
            if (_against(obj) or prep) in ("contra", "against") and obj.lemma_.lower() not in _TIME_UNITS:
                return _descend_quantity(obj), "'contra' phrase of the verb"
    return None, "none"


def _against(obj: Token) -> str | None:
    """"contra" for Spanish "en contra de X" (the parser makes "contra" and "de" fixed parts of "en")."""
    for case in obj.children:
        if case.dep_ == "case" and any(f.dep_ == "fixed" and f.lower_ == "contra" for f in case.children):
            return "contra"
    return None


_AGED = re.compile(r"^\d+-years?-old$")
_GLUED_MONEY = re.compile(r"^(?:Q|L|S/\.?|US\$|R\$|\$|€|£)\d")
_RELATIVE_PRONOUNS = frozenset({"which", "that", "who", "whom", "que", "cual", "cuales", "quien", "quienes"})
_CURRENCY_CODES = frozenset({"eur", "usd", "us$", "mxn", "cop", "pen", "gtq", "hnl", "brl", "clp", "ars", "bs",
                             "q", "l", "s/", "s/.", "r$", "€", "$", "£"})


def _descend_quantity(token: Token) -> Token:
    """From "dozens of suspects" / "a total of 30 people" to the counted noun; from a relative
    pronoun ("rifles, which had been smuggled") to the noun it stands for."""
    if token.lower_ in _RELATIVE_PRONOUNS and token.head.dep_ in ("relcl", "acl:relcl", "acl"):
        return token.head.head
    if (token.lemma_.lower() in _QUANTITY_HEADS or token.lower_ in _QUANTITY_HEADS or token.pos_ == "NUM"
            or token.lower_ in collective_number_nouns(token.lang_)):  # "una veintena de personas"
        for _prep, obj in prep_objects(token, _OF_PREPS):
            if obj.pos_ in ("NOUN", "PROPN", "PRON"):
                return obj
    return token


def _linear_object(token: Token) -> tuple[Token | None, str]:
    sent = token.sent
    for t in sent[token.i - sent.start + 1 : token.i - sent.start + 6]:
        if t.pos_ in ("VERB", "AUX") or t.is_punct:
            break
        if t.ent_type_ in ("DATE", "TIME") or "Tim" in t.morph.get("AdvType"):
            continue  # "pleaded guilty Feb. 20", "cayó este martes": a date is never the patient
        if t.pos_ in ("NOUN", "PROPN") and t.i > token.i:
            # "six police officers", "four Barrio 18 members": the head is the later noun
            while t.head.i > t.i and (t.dep_ == "compound" or (t.dep_ == "nmod" and t.head.pos_ == "NOUN")):
                t = t.head
            return t, "following noun"
    return None, "none"


def patient_class(token: Token, lex: Lexicon) -> str:
    """Semantic class of a patient head: person, body, goods, place or unknown."""
    lemma = token.lemma_.lower()
    lower = token.lower_
    if _GLUED_MONEY.match(token.text):
        return "goods"  # "exigía Q2 mil", "S/500", "US$300"
    if _AGED.match(token.text):
        return "person"  # "the 52-year-old"
    compound = " ".join(
        [c.lemma_.lower() for c in token.children if c.dep_ == "compound"] + [lemma]
    )
    for name in ("body", "person", "goods"):
        words = lex.word_class(name)
        if compound in words or lemma in words or lower in words:
            return name
    # A group of people ("the group was seized by a gang") is people for these events, and so
    # is a demonym used as a noun ("rescató a 12 colombianas", "two Venezuelans").
    if lemma in lex.word_class("group") or lower in lex.word_class("group") or lower in lex.word_class("demonym"):
        return "person"
    if token.ent_type_ in ("PERSON", "PER", "NORP"):
        return "person"
    if token.ent_type_ in ("GPE", "LOC", "FAC"):
        return "place"
    if token.pos_ == "PRON":
        return "person"
    if token.pos_ == "NUM" or token.like_num:
        # Money: "turning up more than $4000 in cash", "EUR 850 000", "50 mil soles".
        before = token.doc[token.i - 1] if token.i > 0 else None
        glued = token.doc[token.i - 1] if token.i > 0 else None  # "Q2 mil", "S/500"
        glued_money = glued is not None and bool(_GLUED_MONEY.match(glued.text))
        money_code = glued_money or (before is not None and (
            before.is_currency or before.lower_ in _CURRENCY_CODES
            or (before.like_num and before.i > 0 and before.nbor(-1).lower_ in _CURRENCY_CODES)
        ))
        if money_code or any(
            c.lemma_.lower() in lex.word_class("goods") for c in token.subtree if c.i != token.i
        ):
            return "goods"
        # A bare number as object ("detained 37") stands for people in these reports.
        return "person"
    if token.pos_ == "PROPN":
        return "person"
    # "the bar's owner and two women": a phrase joined with people is people.
    if any(patient_class(c, lex) == "person" for c in token.conjuncts if c.i > token.i):
        return "person"
    # "the bodies of ...", "restos de ...": only a body part or container passes its class on
    # ("los dos patrones de la embarcación" are not a boat).
    return "unknown"
