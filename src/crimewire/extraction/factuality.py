"""Is a trigger reported as a fact?

SCHEMA.md counts only happenings reported as fact: not plans ("seeks to capture"),
speculation ("could be extradited"), negation ("no one was arrested"), crimes named
as labels ("charged with kidnapping"), requests ("extradition request"), statistics,
or habits ("gangs routinely dump bodies"). Each check reads the dependency parse
around the trigger; the word lists come from the lexicon's [context] table.
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Span, Token

from crimewire.dates import find_date_expressions
from crimewire.extraction.lexicon import Lexicon
from crimewire.extraction.syntax import attachment_head, subjects
from crimewire.extraction.triggers import TriggerHit

# Event nouns that appear as subjects of "happen"-type verbs or objects of "carry out"-type
# verbs: those frames make a bare event noun a report of a happening.
_EVENT_FRAME_VERBS = frozenset({
    "happen", "occur", "take", "unfold", "leave", "carry", "conduct", "launch", "mount", "stage",
    "produce", "yield", "allow", "enable", "result", "lead", "follow", "achieve", "make", "perpetrate",
    "commit", "hit", "strike", "kill", "claim", "mark", "end", "culminate", "include",
    "ocurrir", "suceder", "producir", "registrar", "dejar", "realizar", "ejecutar", "llevar",
    "permitir", "lograr", "concretar", "desarrollar", "efectuar", "perpetrar", "cometer", "culminar",
    "terminar", "saldar", "reportar", "tener", "incluir", "conseguir", "dirigir",
})
_FACTUAL_GOVERNORS = frozenset({
    "succeed", "manage", "continue", "begin", "start", "finish", "help", "set", "proceed", "go",
    "lograr", "conseguir",
    "terminar", "acabar", "comenzar", "empezar", "volver", "alcanzar",
})
_CONTROL_DEPS = frozenset({"xcomp", "ccomp", "advcl", "csubj", "acl", "pcomp", "relcl", "conj"})
# Verbs that make a charge noun a happening: charges are filed, brought, laid, unsealed.
_CHARGE_FRAME_VERBS = frozenset({
    "file", "bring", "return", "lay", "press", "unseal", "present", "announce", "level", "hand",
    "secure", "obtain", "win",  # prosecutors "secured an indictment"
    "formular", "presentar", "formalizar", "imputar", "interponer", "radicar",
    "obtener", "lograr", "conseguir", "dictar", "decretar",  # "la Fiscalía obtuvo la vinculación a proceso"
})
# Modifiers that make a happening a failed attempt: "homicidio frustrado", "attempted murder".
_ATTEMPT_WORDS = frozenset({"frustrado", "frustrada", "tentativa", "attempted", "failed", "foiled",
                            "thwarted", "intentado", "fallido", "fallida"})
_ARG_ENTITY_LABELS = frozenset({"DATE", "TIME", "GPE", "LOC", "FAC", "CARDINAL"})


@dataclass(frozen=True, slots=True)
class Factuality:
    """The verdict on one trigger: keep it as an event or not, and why."""

    fact: bool
    hedged: bool = False
    reason: str = ""


_GENERIC_PEOPLE = frozenset({"anyone", "anybody", "whoever", "everyone", "cualquiera", "quienquiera"})
_HEARSAY_SOURCES = frozenset({"message", "messages", "post", "posts", "video", "videos", "rumor", "rumors",
                              "rumour", "rumours", "mensaje", "mensajes", "publicación", "publicaciones",
                              "rumores", "versión", "versiones"})


def assess(hit: TriggerHit, lex: Lexicon, *, headline: bool = False) -> Factuality:
    """Decide whether ``hit`` reports a happening as fact."""
    token = hit.token
    sentence = token.sent
    # "¿Cuántas personas han sido detenidas?": a question asserts nothing.
    last = sentence[-1] if len(sentence) else None
    while last is not None and last.is_space and last.i > sentence.start:
        last = last.doc[last.i - 1]
    if (last is not None and last.text == "?") or sentence[0].text == "¿":
        return Factuality(False, reason="question")
    # "Anyone convicted of trafficking could face ...": nobody in particular.
    if hit.patient is not None and hit.patient.lower_ in _GENERIC_PEOPLE:
        return Factuality(False, reason=f"generic ('{hit.patient.text}')")
    # "Messages circulating on WhatsApp claim that X was arrested": unconfirmed.
    for anc in list(token.ancestors)[:3]:
        if anc.pos_ == "VERB" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lemma_.lower() in _HEARSAY_SOURCES
                                      for c in anc.children):
            return Factuality(False, reason="hearsay")
    for check in (_negated, _modal, _hedged_adverb, _irrealis_governor, _irrealis_noun, _label_use,
                  _compound_modifier, _attempt, _statistic, _generic_relative, _in_document):
        reason = check(token, lex)
        if reason:
            return Factuality(False, reason=reason)
    # "turned to violence and killing", "the acts include hunting, shooting and killing":
    # a gerund used as a noun names a kind of act, unless a verb of achievement or a time
    # preposition governs it ("succeeded in detaining 23", "after killing two people").
    reason = _nominal_gerund(token, hit.patient is None)
    if reason:
        return Factuality(False, reason=reason)
    if token.pos_ == "NOUN" and hit.rule.nominal:
        reason = _bare_noun(hit, lex)
        if reason:
            return Factuality(False, reason=reason)
    reason = _locative_state(token) or _state(token)
    if reason:
        return Factuality(False, reason=reason)
    if not headline:
        reason = _habitual(token, lex)
        if reason:
            return Factuality(False, reason=reason)
    return Factuality(True)


def _aux_chain(token: Token) -> list[Token]:
    """Auxiliaries of the trigger and of the verbs it is a complement of."""
    found = [c for c in token.children if c.dep_ in ("aux", "auxpass", "aux:pass", "cop")]
    head = token
    # "could face charges", "is expected to be extradited": walk up xcomp chains.
    while head.dep_ in ("xcomp", "conj") and head.head.pos_ in ("VERB", "AUX") and head.head != head:
        head = head.head
        found.extend(c for c in head.children if c.dep_ in ("aux", "auxpass", "aux:pass"))
    return found


def _is_abbreviation(t: Token) -> bool:
    """"No. 1", "Nº": the abbreviation of número, not a negation."""
    nxt = t.nbor(1) if t.i + 1 < len(t.doc) else None
    return t.text in ("No", "Nº", "No.") and nxt is not None and (nxt.text == "." or nxt.like_num)


def _negated(token: Token, lex: Lexicon) -> str:
    negs = lex.words("negations")
    for child in token.children:
        if (child.dep_ == "neg" or (child.dep_ == "advmod" and child.lower_ in negs)) and not _is_abbreviation(child):
            return f"negated ({child.text})"
    # "No arrests were made", "no one was arrested", "ninguna persona fue detenida".
    subjects_or_self = [token, *subjects(token)]
    if token.pos_ == "NOUN":
        subjects_or_self.append(token)
    neg_subjects = lex.words("negative_subjects")
    for t in subjects_or_self:
        if t.lower_ in neg_subjects:
            return f"negated ({t.text})"
        # "No one was arrested": "no" hangs on "one" in any relation.
        if t.lower_ in ("one", "body") and any(c.lower_ == "no" for c in t.children):
            return f"negated (no {t.text})"
        for child in t.children:
            negative = child.dep_ in ("det", "neg", "advmod") and child.lower_ in neg_subjects | negs
            if negative and not _is_abbreviation(child):
                return f"negated ({child.text} {t.text})"
    # "No arrests were made": the trigger noun is the subject of a light verb; "no hay personas
    # detenidas", "no hubo detenidos": a participle describing the people of a negated clause.
    heads = []
    if token.pos_ == "NOUN" and token.head.pos_ in ("VERB", "AUX"):
        heads.append(token.head)
    participle = "Part" in token.morph.get("VerbForm") or token.tag_ == "VBN"
    if participle and token.dep_ in ("amod", "acl") and token.head.head.pos_ in ("VERB", "AUX"):
        heads.append(token.head.head)
    if participle and token.dep_ in ("obj", "nsubj", "dobj") and token.head.pos_ in ("VERB", "AUX"):
        heads.append(token.head)
    for head in heads:
        for child in head.children:
            # "sin que se reportaran personas fallecidas", "without anyone being killed"
            if child.dep_ == "neg" or (child.dep_ in ("advmod", "mark", "cc") and child.lower_ in negs):
                return f"negated ({child.text})"
    return ""


_CONDITIONAL_MARKS = frozenset({"if", "unless", "whether", "si", "whenever"})


def _modal(token: Token, lex: Lexicon) -> str:
    modals = lex.words("modals")
    # "If convicted, he could face life": a condition, not a happening.
    for t in [token, *_aux_chain(token)]:
        for child in t.children:
            if child.dep_ == "mark" and child.lower_ in _CONDITIONAL_MARKS:
                return f"condition ({child.text})"
    for aux in _aux_chain(token):
        if aux.lower_ in modals or aux.lemma_.lower() in modals:
            return f"modal ({aux.text})"
        # Spanish conditional ("habría incendiado", "podría ser extraditado") and future
        # passive ("serán repatriadas", "será extraditado"): not yet a happening.
        if "Cnd" in aux.morph.get("Mood"):
            return f"conditional ({aux.text})"
        if "Fut" in aux.morph.get("Tense"):
            return f"future ({aux.text})"
    if "Cnd" in token.morph.get("Mood") or "Fut" in token.morph.get("Tense"):
        return f"conditional or future ({token.text})"
    # English infinitive of purpose or plan: "to capture", "to be extradited".
    if token.lang_ == "en" and token.tag_ == "VB" and any(
        c.dep_ == "aux" and c.lower_ == "to" for c in token.children
    ):
        head = token.head
        if head.lemma_.lower() not in _FACTUAL_GOVERNORS:
            return "infinitive (purpose or plan)"
    # Spanish infinitive ("para capturar", "buscan detener").
    if (token.lang_ == "es" and "Inf" in token.morph.get("VerbForm")
            and token.head.lemma_.lower() not in _FACTUAL_GOVERNORS):
        return "infinitive (purpose or plan)"
    return ""


def _hedged_adverb(token: Token, lex: Lexicon) -> str:
    hedges = lex.words("hedges")
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ in hedges:
            return f"alleged ({child.text})"
    for aux in _aux_chain(token):
        for child in aux.children:
            if child.dep_ == "advmod" and child.lower_ in hedges:
                return f"alleged ({child.text})"
    # A relative clause in a sentence that hedges ("graves ... where women murdered ... were
    # supposedly deposited"): the clause describes, the sentence does not assert it.
    if token.dep_ in ("relcl", "acl:relcl") and any(t.lower_ in hedges for t in token.sent):
        return "relative clause in a hedged sentence"
    # "women murdered for refusing to pay were supposedly deposited": a participle that
    # describes a noun shares the hedge of the clause the noun belongs to.
    if token.dep_ in ("acl", "amod") and token.head.head.pos_ in ("VERB", "AUX"):
        clause = token.head.head
        for t in clause.subtree:
            if (t.lower_ in hedges and t.head.i == clause.i) or (t.lower_ in hedges and t.dep_ == "advmod"):
                return f"alleged ({t.text})"
    return ""


def _irrealis_governor(token: Token, lex: Lexicon) -> str:
    governors = lex.words("irrealis_governors")
    current = token
    for _ in range(4):
        if current.dep_ not in _CONTROL_DEPS and current.dep_ not in ("pobj", "prep", "obj", "dobj", "obl"):
            break
        head = current.head
        if head == current:
            break
        lemma = head.lemma_.lower()
        if lemma in _FACTUAL_GOVERNORS:
            return ""
        if lemma in governors and current.dep_ in ("xcomp", "ccomp", "pcomp", "pobj", "obj", "dobj", "acl"):
            return f"governed by '{head.text}'"
        if head.pos_ in ("VERB", "AUX") and current.dep_ in ("xcomp",):
            current = head
            continue
        # an event noun as the object of its frame verb: "ask a judge to bring new charges"
        if current is token and token.pos_ == "NOUN" and current.dep_ in ("dobj", "obj") and head.pos_ == "VERB":
            current = head
            continue
        if current.dep_ in ("pobj", "prep", "pcomp", "obl"):
            current = head
            continue
        break
    return ""


def _irrealis_noun(token: Token, lex: Lexicon) -> str:
    nouns = lex.words("irrealis_nouns")
    # "reports on social media that a child was kidnapped": the content of unconfirmed reports.
    for t in [token, *token.ancestors][:4]:
        if (t.dep_ in ("acl", "ccomp", "relcl") and t.head.pos_ == "NOUN"
                and t.head.lemma_.lower() in lex.words("hearsay_nouns")):
            return f"content of '{t.head.text}'"
    # "rewards for information leading to the arrest of": an event noun several prepositions
    # and participles below a request, reward or warrant.
    if token.pos_ == "NOUN":
        for anc in list(token.ancestors)[:6]:
            if anc.pos_ in ("VERB", "AUX") and "Fin" in anc.morph.get("VerbForm"):
                break
            lemma = anc.lemma_.lower()
            if anc.pos_ == "NOUN" and lemma in lex.words("remote_irrealis"):
                return f"inside '{anc.text}'"
    head = attachment_head(token)
    if head != token and head.pos_ in ("NOUN", "PROPN") and head.lemma_.lower() in nouns and token.pos_ == "NOUN":
        return f"inside '{head.text}'"
    # "arrest warrant", "extradition request": the trigger is a modifier of such a noun.
    if token.dep_ in ("compound", "amod", "nmod") and token.head.lemma_.lower() in nouns:
        return f"modifier of '{token.head.text}'"
    # "warrants for arrests, searches and seizures": coordinated under such a noun.
    if token.dep_ == "conj":
        first = token
        while first.dep_ == "conj" and first.head != first:
            first = first.head
        h = attachment_head(first)
        if h != first and h.pos_ == "NOUN" and h.lemma_.lower() in nouns:
            return f"inside '{h.text}'"
    return ""


def _label_use(token: Token, lex: Lexicon) -> str:
    """A crime noun used as a label: "charged with kidnapping", "cases of extortion"."""
    if token.pos_ != "NOUN":
        return ""
    heads = lex.words("label_heads")
    preps = lex.words("label_preps")
    first = token
    while first.dep_ == "conj" and first.head != first:
        first = first.head
    head = attachment_head(first)
    prep = first.head.lower_ if first.dep_ == "pobj" else ""
    if not prep:
        cases = [c for c in first.children if c.dep_ == "case"]
        prep = cases[0].lower_ if cases else ""
    # Only with a preposition ("investigan el asesinato de X" reports that X was killed),
    # except after verbs that name crimes directly ("conspiracy to commit kidnapping").
    direct = head.lemma_.lower() in lex.words("label_direct") and first.dep_ in ("dobj", "obj")
    if head != first and ((head.lemma_.lower() in heads and prep in preps) or direct):
        return f"crime named as a label ('{head.text} {prep}')"
    return ""


def _in_document(token: Token, lex: Lexicon) -> str:
    """"the seven murders laid out in the indictment": crimes as a document lists them."""
    if token.pos_ != "NOUN":
        return ""
    documents = lex.words("document_nouns")
    for t in token.subtree:
        if t.i != token.i and t.lemma_.lower() in documents and t.dep_ in ("pobj", "nmod", "obl"):
            return f"listed in a document ('{t.text}')"
    return ""


# "a deportation flight", "vuelo de deportación": the vehicle carries out the event.
_VEHICLE_NOUNS = frozenset({"flight", "flights", "plane", "charter", "vuelo", "vuelos", "avión", "bus"})


def _compound_modifier(token: Token, lex: Lexicon) -> str:
    """"trafficking network", "kidnapping ring": the trigger only modifies another noun."""
    # "the anti-kidnapping and extortion unit": a modifier and what is coordinated with it.
    first = token
    while first.dep_ == "conj" and first.head != first and first.head.pos_ in ("NOUN", "ADJ", "PROPN"):
        first = first.head
    if (token.pos_ == "NOUN" and first.dep_ in ("compound", "amod") and first.head.pos_ in ("NOUN", "PROPN")
            and first.head.lemma_.lower() not in _VEHICLE_NOUNS):
        return f"modifier of '{first.head.text}'"
    if token.pos_ == "VERB" and token.tag_ == "VBG" and token.dep_ in ("amod", "compound"):
        return f"modifier of '{token.head.text}'"
    # "a women trafficking network": the parser makes "trafficking" a verb; the noun it
    # precedes shows it names the kind of group.
    nxt = token.nbor(1) if token.i + 1 < len(token.doc) else None
    if token.tag_ == "VBG" and nxt is not None and nxt.lemma_.lower() in lex.word_class("group"):
        return f"modifier of '{nxt.text}'"
    return ""


_GENERIC_DETS = frozenset({"each", "every", "any", "cada", "cualquier", "cualquiera", "todo"})


def _generic_relative(token: Token, lex: Lexicon) -> str:
    """"a reward for every police officer killed", "por cada soldado asesinado": no happening."""
    if token.dep_ in ("amod", "acl") and any(
        c.dep_ == "det" and c.lower_ in _GENERIC_DETS for c in [*token.head.children, *token.head.head.children]
        if c.head == token.head
    ):
        return f"generic ('{token.head.text}')"
    return _describes_mechanism(token, lex)


def _describes_mechanism(token: Token, lex: Lexicon) -> str:
    """"the mechanism through which the gang orders rivals executed": a way of operating."""
    if token.dep_ in ("relcl", "acl:relcl") and token.head.lemma_.lower() in lex.words("irrealis_nouns"):
        return f"describes a '{token.head.text}'"
    return ""


def _has_argument(token: Token) -> bool:
    """Whether an event noun carries an argument of its own: a number, a date, a place."""
    for child in token.children:
        if child.dep_ in ("nummod", "poss", "nmod:poss") or child.like_num:
            return True
        if child.ent_type_ in _ARG_ENTITY_LABELS:
            return True
        if child.dep_ in ("prep", "nmod", "obl", "acl", "relcl", "npadvmod", "compound", "amod"):
            for grand in child.subtree:
                if grand.ent_type_ in _ARG_ENTITY_LABELS or grand.like_num:
                    return True
    return False


def _bare_noun(hit: TriggerHit, lex: Lexicon) -> str:
    """An event noun must carry an argument or sit in an event frame to be an event."""
    token = hit.token
    has_arg = _has_argument(token) or (
        hit.patient is not None and hit.patient_how not in ("none", "compound")
    )
    head = token.head
    frame_deps = ("nsubj", "nsubjpass", "dobj", "obj", "nsubj:pass", "attr")
    in_frame = head.pos_ in ("VERB", "AUX") and head.lemma_.lower() in _EVENT_FRAME_VERBS and token.dep_ in frame_deps
    if hit.rule.nominal == "raid":
        # "operations aimed at identifying whoever was responsible" is not a raid: the
        # operation noun needs its own date or place.
        if _has_argument(token) and token.dep_ not in ("pobj",):
            return ""
        if in_frame and _has_argument(head):
            return ""
        return "operation noun without a date or place"
    if hit.rule.nominal == "charge":
        # "243 charges" counts charges, not people; still an event (count left null later).
        if any(c.dep_ == "nummod" or c.like_num for c in token.children):
            return ""
        if head.lemma_.lower() in _CHARGE_FRAME_VERBS and token.dep_ in frame_deps:
            return ""
        return "charge noun without a filing"
    if has_arg or in_frame:
        return ""
    return "event noun without an argument"


_TEMPORAL_PREPS = frozenset({"after", "before", "upon", "while", "since", "tras", "después", "antes", "al"})


def _nominal_gerund(token: Token, no_patient: bool) -> str:
    if token.tag_ != "VBG":
        return ""
    first = token
    while first.dep_ == "conj" and first.head != first and first.head.tag_ in ("VBG", "NN", "NNS"):
        first = first.head
    if first.dep_ not in ("pobj", "pcomp", "dobj", "nsubj", "attr", "conj") or (
        first.dep_ == "conj" and first.head.pos_ not in ("NOUN", "PROPN")
    ):
        return ""
    governor = first.head
    if governor.dep_ in ("prep",) or governor.pos_ == "ADP":
        if governor.lower_ in _TEMPORAL_PREPS:
            return ""
        governor = governor.head
    if governor.lemma_.lower() in _FACTUAL_GOVERNORS:
        return ""
    if no_patient or first is not token or governor.lemma_.lower() in ("include", "involve", "comprise", "incluir"):
        return "gerund used as a noun"
    return ""


def _attempt(token: Token, lex: Lexicon) -> str:
    for child in token.children:
        if child.lower_ in _ATTEMPT_WORDS or child.lemma_.lower() in _ATTEMPT_WORDS:
            return f"attempt only ({child.text})"
    return ""


def _situated(sent: Span) -> bool:
    """Whether a sentence gives a date or a place: an entity of those kinds (the English model
    tags dates; the Spanish one does not), a date expression, or a proper noun after "in"/"en"."""
    if any(t.ent_type_ in ("DATE", "TIME", "GPE", "LOC", "FAC") for t in sent):
        return True
    if any(t.pos_ == "PROPN" and t.head.lower_ in _PLACE_PREPS for t in sent) or any(
        t.pos_ == "PROPN" and any(c.dep_ == "case" and c.lower_ in _PLACE_PREPS for c in t.children) for t in sent
    ):
        return True
    return bool(find_date_expressions(sent.text, sent.doc.lang_))


_PLACE_PREPS = frozenset({"in", "en", "at"})


def _statistic(token: Token, lex: Lexicon) -> str:
    """Plural event nouns in a sentence about a year or a rate are statistics."""
    if token.pos_ != "NOUN":
        return ""
    plural = token.tag_ in ("NNS", "NNPS") or "Plur" in token.morph.get("Number")
    if not plural:
        return ""
    sent = token.sent
    text = sent.text.lower()
    cues = lex.words("statistic_cues")
    if any(c in text for c in cues if " " in c) or any(t.lower_ in cues for t in sent):
        return "aggregate statistic"
    for t in sent:
        if t.like_num and len(t.text) == 4 and t.text[:2] in ("19", "20") and t.ent_type_ == "DATE":
            return f"aggregate statistic (year {t.text})"
    # "the seven murders laid out in the indictment": crimes counted with no date or place
    # in the sentence are a tally, not a report of one happening.
    numbered = any(c.dep_ == "nummod" or c.like_num for c in token.children)
    if numbered and not _situated(sent):
        return "counted crimes without a date or place"
    return ""


_LOCATIVE_STATE_VERBS = frozenset({"hallar", "encontrar", "ubicar", "localizar"})


_STATE_VERBS = frozenset({"permanecer", "seguir", "continuar", "mantener", "remain", "stay", "keep"})


def _state(token: Token) -> str:
    """"permanecían detenidos", "remain jailed", "the jailed leader": a state, not a happening."""
    if token.head.lemma_.lower() in _STATE_VERBS and token.dep_ in ("xcomp", "acomp", "obj", "oprd", "advcl"):
        return f"a state ('{token.head.text} {token.text}')"
    for c in token.children:
        if c.dep_ in ("cop", "aux") and c.lemma_.lower() in _STATE_VERBS:
            return f"a state ('{c.text} {token.text}')"
        # "estaba detenido por porte de armas": estar in the imperfect with a participle is
        # where someone was, not an arrest.
        if (c.dep_ in ("cop", "aux") and c.lemma_.lower() == "estar" and "Imp" in c.morph.get("Tense")
                and "Part" in token.morph.get("VerbForm")):
            return f"a state ('{c.text} {token.text}')"
    # English participle before its noun ("the jailed former leader", "kidnapped workers"):
    # it describes the people; the happening is reported elsewhere or not at all.
    if token.lang_ == "en" and token.tag_ == "VBN" and token.dep_ == "amod" and token.i < token.head.i:
        return f"describes '{token.head.text}'"
    return ""


def _locative_state(token: Token) -> str:
    """"donde se hallaba la aeronave": Spanish "hallarse" in the imperfect means "was located"."""
    if (token.lang_ == "es" and token.lemma_.lower() in _LOCATIVE_STATE_VERBS and "Imp" in token.morph.get("Tense")
            and any(c.lower_ == "se" for c in token.children)):
        return "'se hallaba': where something was, not a find"
    return ""


def _habitual(token: Token, lex: Lexicon) -> str:
    """Present-tense body sentences describe habits, not happenings (headlines excepted)."""
    habitual = lex.words("habitual")
    for child in token.children:
        if child.dep_ == "advmod" and child.lower_ in habitual:
            return f"habitual ({child.text})"
    text = token.sent.text.lower()
    for phrase in habitual:
        if " " in phrase and phrase in text:
            return f"habitual ({phrase})"
    if token.pos_ != "VERB":
        return ""
    # "He is charged with kidnapping", "they are accused of": a present state, not a report.
    if token.lang_ == "en" and token.tag_ == "VBN":
        auxes = [c for c in token.children if c.dep_ in ("aux", "auxpass")]
        if auxes and all(a.tag_ in ("VBZ", "VBP") and a.lemma_ == "be" for a in auxes):
            return "present passive (a state)"
    documents = lex.words("document_subjects")
    if any(c.dep_ in ("nsubj", "nsubj:pass") and c.lemma_.lower() in documents for c in token.children):
        return ""  # "the indictment charges him with ...": what a filed document states
    morph = token.morph
    if token.lang_ == "es" and "Pres" in morph.get("Tense") and "Ind" in morph.get("Mood") and "Fin" in morph.get(
        "VerbForm"
    ):
        return "present tense (habitual)"
    if token.lang_ == "en":
        tags = [token.tag_, *[c.tag_ for c in token.children if c.dep_ in ("aux", "auxpass")]]
        if token.tag_ in ("VBZ", "VBP") and not any(t in ("VBD", "VBN") for t in tags[1:]):
            return "present tense (habitual)"
    return ""
