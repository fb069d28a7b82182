"""Persons: people named in text with an alias or a title, with a role guessed from cue words, and
people named plainly whose sentence gives them a role (victim, arrested, leader, official)."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping, Sequence
from functools import cache
from importlib import resources
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from crimewire.entities._common import _clean_name, _doc_length, _sentence_of, sentence_spans
from crimewire.entities.organizations import find_organizations
from crimewire.errors import DataError
from crimewire.kb import EntityPatterns, KnowledgeBase, Token, fold, fold_word, load_knowledge_base, name_key
from crimewire.records import OrgMatch, PersonMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc, Span
    from spacy.tokens import Token as SpacyToken


# A capitalized word, an initial, or a word with an inner apostrophe ("O'Brien"); a possessive
# "'s" is not part of the name ("Gustavo Petro's government").
_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ]\.|[A-ZÁÉÍÓÚÑ](?:[\w\-]|['’](?![sS]\b)(?=\w))+)"
_PERSON_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:(?:de|del|de la|da|dos)[ \t]+)?{_NAME_WORD}){{1,5}}"
_ALIAS = (
    r"(?:[“\"‘'«](?P<{g}q>[^”\"’'»\n]{{1,40}})[”\"’'»]"
    # case-sensitive even after a cue matched without case ("Alias Bigote había sido"): an alias of
    # words stops at the first lower-case word, a verb or a determiner
    r"|(?P<{g}w>(?-i:[A-ZÁÉÍÓÚÑ][\w\-]*(?:[ \t]+[A-ZÁÉÍÓÚÑ][\w\-]*){{0,2}})))"
)


def _alias_re(g: str) -> str:
    return _ALIAS.format(g=g)


def find_persons(
    text: str,
    lang: str,
    doc: Doc | None = None,
    kb: KnowledgeBase | None = None,
    *,
    tokens: Sequence[Token] | None = None,
    sents: Sequence[tuple[int, int]] | None = None,
    organizations: Sequence[OrgMatch] | None = None,
) -> tuple[PersonMatch, ...]:
    """People named in ``text`` with an alias ("Yomar Delgado, alias Nino", "alias ‘Morgan’",
    "Jorge “El Cos” Costilla-Sanchez") or a title ("coronel William Morales"), with a role
    guessed from cue words in the sentence (arrested / leader / victim / official); and, with
    ``doc``, people the tagger names plainly whose role the parse gives ("gunmen killed
    businessman Carlos Mendoza", "la víctima, identificada como Rosa Huamán"), then the later,
    shorter mentions of every person found ("Mendoza"), under the full name.
    Only people named in the text are returned; nothing is inferred. ``kb`` (default: the
    bundled one) tells group and agency names apart from people's names. ``tokens``
    (``tokenize(text)``) and ``sents`` (``sentence_spans(text, doc)``) save the work when the
    caller already has them, and so does ``organizations`` (``find_organizations``' groups).
    """
    kb = kb if kb is not None else load_knowledge_base()
    pat = kb.patterns
    lg = lang if lang in ("en", "es") else "en"
    if sents is None:
        sents = sentence_spans(text, doc)
    cues = sorted(pat.raw.get(f"person.alias_cues_{lg}", ()), key=len, reverse=True)
    bare = sorted(pat.raw.get(f"person.bare_alias_cues_{lg}", ()), key=len, reverse=True)
    titles = sorted(pat.raw.get(f"person.titles_{lg}", ()), key=len, reverse=True)
    cue_re = "|".join(re.escape(c) for c in cues)
    bare_re = "|".join(re.escape(c) for c in bare)
    found: list[PersonMatch] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= ts or s >= te for ts, te in taken)

    heads = pat.w("agency.heads")

    def is_person(name: str) -> bool:
        key = name_key(name)
        return bool(key) and not (
            kb.organization(name)
            or kb.agency(name)
            or kb.is_blocked(name)
            or any(t in heads for t in key.split())
        )

    # a name the group finder claims is not a person's ("conocida como Los Trenes del Sur")
    if organizations is None:
        organizations = find_organizations(text, lang, kb, doc, tokens=tokens, sents=sents)
    taken += [(o.start, o.end) for o in organizations]

    def add(start: int, end: int, name: str, alias: str | None, role: str | None = None) -> None:
        if not free(start, end) or not is_person(name) or (alias and not is_person(alias)):
            return
        taken.append((start, end))
        found.append(
            PersonMatch(
                text[start:end],
                start,
                end,
                _clean_name(name),
                _clean_name(alias) if alias else None,
                role or _role(text, sents, start, end, pat, lg),
            )
        )

    sentence_words = set(pat.raw.get("common.sentence_words", ()))
    named = re.compile(rf"(?P<name>{_PERSON_NAME})[ \t]*,?[ \t]+(?:{cue_re})[ \t]+{_alias_re('a')}")
    for m in named.finditer(text):
        name = m.group("name")
        first, _, rest = name.partition(" ")
        if first in sentence_words:
            name = rest
        if len(name.split()) < 2:
            continue
        add(
            m.start("name") + (len(m.group("name")) - len(name)),
            m.end(),
            name,
            m.group("aq") or m.group("aw"),
        )
    inline = re.compile(
        rf"(?P<first>{_NAME_WORD}(?:[ \t]+{_NAME_WORD}){{0,2}})[ \t]+"
        rf"[“\"«‘'](?P<alias>[^”\"»’'\n]{{1,30}})[”\"»’'][ \t]+"
        rf"(?P<last>{_NAME_WORD}(?:[ \t\-]+{_NAME_WORD}){{0,2}})"
    )
    for m in inline.finditer(text):
        first = m.group("first")
        if first.split()[0] in sentence_words or len(m.group("alias").split()) > 4:
            continue
        add(m.start(), m.end(), f"{first} {m.group('last')}", m.group("alias"))
    alias_more = rf"(?:\s*(?:,|\by\b|\band\b|\be\b)\s*(?:alias\s+)?{_alias_re('m')})"
    bare_cue = re.compile(rf"(?<!\w)(?P<cue>{bare_re})\s+{_alias_re('b')}", re.IGNORECASE)
    more_re = re.compile(alias_more)
    not_person = pat.w("person.not_person_before")
    for m in bare_cue.finditer(text):
        before = re.findall(r"[^\W\d_]+", text[max(0, m.start() - 40) : m.start()])
        if fold(m.group("cue")) != "alias" and before and fold(before[-1]) in not_person:
            continue
        end = m.end()
        if m.group("bw") and doc is not None:
            end = _alias_end(doc, m.start("bw"), end)
        a = m.group("bq") or text[m.start("bw") : end]
        if a and (a[0].isupper() or a[0].isdigit()):
            add(m.start(), end, a, a)
        pos = end
        while (mm := more_re.match(text, pos)) is not None:
            a2 = mm.group("mq") or mm.group("mw")
            if a2:
                add(mm.start("mq") if mm.group("mq") else mm.start("mw"), mm.end(), a2, a2)
            pos = mm.end()
    title_re = "|".join(re.escape(t) for t in titles)
    # Spanish titles are lowercase in running text but capitalized at a sentence start
    title_group = f"(?i:{title_re})" if lg == "es" else f"(?:{title_re})"
    titled = re.compile(rf"(?<!\w){title_group}[ \t]+(?:[A-Z]{{2,6}}[ \t]+)?(?P<name>{_PERSON_NAME})")
    for m in titled.finditer(text):
        name = m.group("name")
        words = name.split()
        if len(words) > 4:
            name = " ".join(words[:4])
        start = m.start("name")
        add(start, start + len(name), name, None, "official")
    if doc is not None and _doc_length(doc) == len(text):
        words = _plain_words()[lg]
        ents = doc.ents
        names = [e for e in ents if e.label_ in _NAME_LABELS]
        for start, end, role in _plain_persons([*names, *_given_name_spans(text, doc, names, words)], words):
            add(start, end, text[start:end], None, role)
        others = [(e.start_char, e.end_char) for e in ents if e.label_ in _NOT_PERSON_LABELS]
        for start, end, name, role in _later_mentions(text, found, others, words):
            add(start, end, name, None, role)
    return tuple(sorted(found, key=lambda p: p.start))


# Words that end an alias written without quotes when capitalized ("Alias Bigote Cae En Cali" in
# a headline): a verb, a determiner, a preposition, a pronoun or a conjunction.
_NOT_ALIAS_POS = frozenset({"VERB", "AUX", "DET", "ADP", "PRON", "SCONJ", "CCONJ"})


def _alias_end(doc: Doc, start: int, end: int) -> int:
    """End of the alias of words at ``start:end``: before the first word after its first that the
    parse calls a verb, a determiner or another function word. The first word stays ("alias El
    Chapo": "El" is a determiner and part of the alias)."""
    span = doc.char_span(start, end, alignment_mode="expand")
    if span is None:
        return end
    for tok in span[1:]:
        if tok.pos_ in _NOT_ALIAS_POS and tok.idx > start:
            return min(end, len(doc.text[start : tok.idx].rstrip()) + start)
    return end


def _role(
    text: str, sents: Sequence[tuple[int, int]], start: int, end: int, pat: EntityPatterns, lang: str
) -> str:
    """The role whose cue word is nearest the person in the sentence, or "unknown"."""
    ss, se = _sentence_of(sents, start)
    if se <= ss:
        ss, se = max(0, start - 200), min(len(text), end + 200)
    best, best_d = "unknown", 10**9
    for m in re.finditer(r"[^\W\d_][\w\-]*", text[ss:se]):
        word = fold(m.group())
        pos = ss + m.start()
        if start <= pos < end:
            continue
        for role in ("arrested", "leader", "victim"):
            if word in pat.w(f"person.roles_{lang}.{role}"):
                d = start - pos if pos < start else pos - end
                if d < best_d:
                    best, best_d = role, d
    return best


# --------------------------------------------------------------------------- people named plainly

_NAME_LABELS = frozenset({"PERSON", "PER"})  # the English and the Spanish models' person labels
# Names of places, where a word of a person's name may be another thing's ("La Paz"). Not ORG: the
# English model tags many Spanish names as organizations, and known groups are taken already.
_NOT_PERSON_LABELS = frozenset({"GPE", "LOC", "FAC", "NORP"})
_WORD = re.compile(r"[^\W\d_]+")
_NEXT_CAPITAL = re.compile(r"[ \t]+[A-ZÁÉÍÓÚÑ]")
# A name the tagger runs past this many words has swallowed something else.
_MAX_NAME_WORDS = 6
# Dependencies that make a nominal the one something is done to: "killed X", "X was killed";
# the small models also hang an object after a verb as "npadvmod" or, a name read as a verb
# ("capturaron a Óscar Iván Pacheco"), as "xcomp".
_PATIENT_DEPS = frozenset({"dobj", "obj", "nsubjpass", "nsubj:pass", "iobj", "dative", "npadvmod", "xcomp"})
# Spanish objects of a person that the parser labels "obl": "dispararon contra X".
_PATIENT_CASES = frozenset({"a", "contra"})
# Links from a name up to the noun it names ("la comerciante María Quispe", "businessman X").
_NAME_LINKS = frozenset({"appos", "compound", "flat", "flat:name"})
# Modifiers of a name or its noun that say who the person is ("police chief X", "X, a prosecutor").
_ROLE_DEPS = frozenset({"compound", "amod", "appos", "nmod"})
_INITIAL = re.compile(r"[A-ZÁÉÍÓÚÑ]\.")  # "Marcus D. Whitcomb"
_RELATIVE_DEPS = frozenset({"relcl", "acl:relcl", "acl"})
_RELATIVE_PRONOUNS = frozenset({"who", "that", "which", "whom", "que", "quien", "quienes", "cual", "cuales"})
_ROLES = (("victim", "victim_nouns"), ("arrested", "arrested_nouns"), ("leader", "leader_nouns"))


@cache
def _persons_data() -> Mapping[str, Any]:
    """``data/persons.toml`` as read (once per process)."""
    name = "persons.toml"
    try:
        return MappingProxyType(tomllib.loads(resources.files("crimewire.data").joinpath(name).read_text("utf-8")))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{name}: {exc}") from exc


@cache
def _plain_words() -> Mapping[str, Mapping[str, frozenset[str]]]:
    """The word lists of ``data/persons.toml`` by language, folded."""
    data = _persons_data()
    given = frozenset(fold(n) for n in data["names"]["given"])
    out = {}
    for lang in ("en", "es"):
        words = {key: frozenset(fold(w) for w in values) for key, values in data[lang].items()}
        words["given_names"] = given
        # the words a tagger may take into a name ("Businessman Carlos Mendoza"), looked up per name
        words["name_role_words"] = frozenset().union(
            *(words[k] for k in ("victim_nouns", "arrested_nouns", "official_nouns", "qualified_official_nouns"))
        )
        out[lang] = MappingProxyType(words)
    return MappingProxyType(out)


def _forms(tok: SpacyToken) -> tuple[str, str]:
    """A token's folded lemma and form: the tagger leaves some participles unlemmatized."""
    return fold_word(tok.lemma_), fold_word(tok.text)


def _is(tok: SpacyToken, words: frozenset[str]) -> bool:
    lemma, form = _forms(tok)
    return lemma in words or form in words


def _plain_persons(names: Iterable[Span], w: Mapping[str, frozenset[str]]) -> list[tuple[int, int, str]]:
    """``(start, end, role)`` of the tagger's person names of two words or more whose sentence
    gives them a role; a name whose role the parse does not give is left out, even next to a
    victim ("Ana Torres, hermana de la víctima, pidió justicia")."""
    out = []
    for ent in names:
        span = _name_tokens(ent, w)
        if span is None:
            continue
        first, last = span
        role = _plain_role(ent.root if first.i <= ent.root.i <= last.i else last, set(range(first.i, last.i + 1)), w)
        if role:
            out.append((first.idx, last.idx + len(last.text), role))
    return out


# A capitalized word followed by another: where a name may start. A plain pattern, then a set
# lookup of the given names: one alternation of 300 names tried at every position of the text
# tripled find_persons' time on the test corpora.
_NAME_START = re.compile(r"(?<![\w-])[A-ZÁÉÍÓÚÑ][a-záéíóúñü]+(?=[ \t]+(?:(?:de|del|de la|da|dos)[ \t]+)?[A-ZÁÉÍÓÚÑ])")
_NAME_REST = re.compile(rf"(?:[ \t]+(?:(?:de|del|de la|da|dos)[ \t]+)?{_NAME_WORD}){{1,5}}")


def _given_name_spans(
    text: str, doc: Doc, names: Sequence[Span], w: Mapping[str, frozenset[str]]
) -> list[Span]:
    """Names the tagger did not call a person's that start with a common given name: the models
    tag many Spanish names as an organization or a place ("Rubén Darío Ocampo" ORG, "Yesenia
    Paola Marín" LOC), or leave them untagged."""
    out: list[Span] = []
    given = w["given_names"]
    for m in _NAME_START.finditer(text):
        if fold_word(m.group()) not in given or (out and m.start() < out[-1].end_char):
            continue
        rest = _NAME_REST.match(text, m.end())
        if rest is None or any(e.start_char < rest.end() and m.start() < e.end_char for e in names):
            continue
        span = doc.char_span(m.start(), rest.end(), alignment_mode="contract")
        if span is not None and len(span) >= 2:
            out.append(span)
    return out


def _name_tokens(ent: Span, w: Mapping[str, frozenset[str]]) -> tuple[SpacyToken, SpacyToken] | None:
    """First and last token of the name in ``ent``, with the words of the name the tagger left
    out ("Ana [Beltrán Ríos]") and without a role word it took in at a sentence start
    ("Businessman Carlos Mendoza"), or None unless two or more capitalized words remain."""
    doc, toks = ent.doc, list(ent)
    inside = range(ent.start, ent.end)
    while toks[0].i > 0 and _name_part(doc[toks[0].i - 1], inside):
        toks.insert(0, doc[toks[0].i - 1])
    while toks[-1].i + 1 < len(doc) and _name_part(doc[toks[-1].i + 1], inside):
        toks.append(doc[toks[-1].i + 1])
    while toks and (not toks[0].text[:1].isupper() or (toks[0].is_sent_start and _is(toks[0], w["name_role_words"]))):
        toks.pop(0)
    while toks and not toks[-1].text[:1].isupper():
        toks.pop()
    if not toks or len(toks) > _MAX_NAME_WORDS or fold_word(toks[0].text) in w["not_name_start"]:
        return None
    capitalized = 0
    for t in toks:
        if t.text[:1].isupper() and (t.is_alpha or _INITIAL.fullmatch(t.text)):
            capitalized += 1
        elif fold_word(t.text) not in w["name_connectors"] and t.text not in ("-", "'"):
            return None  # a digit, a comma, a lower-case word: not one name as written
    return (toks[0], toks[-1]) if capitalized >= 2 else None


def _name_part(tok: SpacyToken, inside: range) -> bool:
    """A capitalized proper noun joined to the name as one of its words (not at a sentence start,
    where "Businessman" and "Journalist" are capitalized proper nouns too)."""
    return (
        tok.pos_ == "PROPN" and tok.text[:1].isupper() and tok.is_alpha and not tok.is_sent_start
        and tok.dep_ in _NAME_LINKS and tok.head.i in inside
    )


def _plain_role(root: SpacyToken, inside: set[int], w: Mapping[str, frozenset[str]]) -> str | None:
    """The role the parse gives the person whose name ends in ``root``: what is done to them
    ("killed X", "X was arrested", "X died", "the body of X", "the victim, identified as X"),
    else what they are called ("the victim X", "suspect X", "police chief X"), else the role of
    the first name of a list they close ("the victims were X and Y"), else None."""
    nominal, nouns = _nominal(root, inside)
    words = _role_words(root, nouns, inside)
    role = (
        _predicate_role(nominal, w)
        or _of_noun_role(nominal, w)
        or _identified_role(nominal, w)
        or _among_role(nominal, w)
        or _modifier_role([root, *nouns, *words], w)
        or _noun_role(words, w)
    )
    if role is None and nominal.dep_ == "conj":
        first = _first_conjunct(nominal)
        name = [first, *(c for c in first.children if c.dep_ in _NAME_LINKS)]
        # a list of people, not of places ("São Paulo and Minas Gerais")
        if first.ent_type_ in _NAME_LABELS or any(fold_word(t.text) in w["given_names"] for t in name):
            role = _plain_role(first, {t.i for t in name}, w)
    return role


def _nominal(root: SpacyToken, inside: set[int]) -> tuple[SpacyToken, list[SpacyToken]]:
    """The phrase a name stands in — the noun it is in apposition to, if any ("asesinaron a la
    comerciante María Quispe": "comerciante") — and the nouns passed on the way."""
    n, nouns = root, []
    while n.dep_ in _NAME_LINKS and n.head.i != n.i and n.head.pos_ in ("NOUN", "PROPN") and n.head.i not in inside:
        n = n.head
        nouns.append(n)
    return n, nouns


def _first_conjunct(n: SpacyToken) -> SpacyToken:
    """ "killed X and Y": Y takes X's place in the sentence."""
    while n.dep_ == "conj" and n.head.i != n.i:
        n = n.head
    return n


def _predicate_role(n: SpacyToken, w: Mapping[str, frozenset[str]]) -> str | None:
    """victim / arrested when ``n`` is what the verb it depends on does ("gunmen killed X", "X
    fue capturado", "dispararon contra X", "X was found dead"), or victim when it is the subject
    of dying ("X died", "X perdió la vida")."""
    n = _first_conjunct(n)
    verb, dep = n.head, n.dep_
    if verb.i == n.i or verb.pos_ not in ("VERB", "AUX", "ADJ"):
        return None
    subject = dep == "nsubj"
    patient = (
        dep in _PATIENT_DEPS
        or (subject and _passive(verb))
        or (dep == "obl" and any(c.dep_ == "case" and c.lower_ in _PATIENT_CASES for c in n.children))
    )
    if (patient or subject) and _is(verb, w["left_verbs"]) and _followed_by(verb, w["harm_words"]):
        return "victim"
    if patient:
        if _is(verb, w["victim_verbs"]) or (_is(verb, w["found_verbs"]) and _followed_by(verb, w["dead_words"])):
            return "victim"
        if _is(verb, w["arrest_verbs"]):
            return "arrested"
    elif subject and (
        _is(verb, w["victim_subject_verbs"])
        or (_is(verb, w["life_verbs"]) and any(_is(c, w["life_nouns"]) for c in verb.children))
    ):
        return "victim"
    return None


def _passive(verb: SpacyToken) -> bool:
    """ "was killed" (English auxpass) or "fue asesinado" (Spanish "ser" before a participle)."""
    for c in verb.children:
        if c.dep_ in ("auxpass", "aux:pass"):
            return True
        if c.dep_ in ("aux", "cop") and c.lemma_ == "ser" and "Part" in verb.morph.get("VerbForm", []):
            return True
    return False


def _followed_by(verb: SpacyToken, phrases: frozenset[str]) -> bool:
    """One of ``phrases`` right after ``verb``: "found dead", "hallado sin vida", "resultó herido"."""
    after = " ".join(fold_word(t.text) for t in verb.doc[verb.i + 1 : verb.i + 4])
    return any(after == d or after.startswith(d + " ") for d in phrases)


def _of_noun_role(n: SpacyToken, w: Mapping[str, frozenset[str]]) -> str | None:
    """ "the body of X", "X's murder", "el cuerpo de X", "la captura de X"."""
    n = _first_conjunct(n)
    noun = None
    if n.dep_ == "pobj" and n.head.lower_ == "of":
        noun = n.head.head
    # "acl": a name the parser took for a verb ("la captura de Óscar Iván Pacheco")
    elif n.dep_ == "poss" or (n.dep_ in ("nmod", "obl", "acl") and any(c.dep_ == "case" and c.lower_ == "de"
                                                                        for c in n.children)):
        noun = n.head
    if noun is None or noun.i == n.i:
        return None
    if _is(noun, w["victim_of_nouns"]):
        return "victim"
    if _is(noun, w["arrest_of_nouns"]):
        return "arrested"
    return None


def _identified_role(n: SpacyToken, w: Mapping[str, frozenset[str]]) -> str | None:
    """ "the victim, identified as X" / "el detenido, identificado como X": the role of the noun
    the identifying verb describes, read from that noun as from a name."""
    n = _first_conjunct(n)
    if n.dep_ == "pobj" and n.head.lower_ in w["identify_words"]:
        verb = n.head.head
    elif any(c.dep_ in ("case", "mark") and c.lower_ in w["identify_words"] for c in n.children):
        verb = n.head
    else:
        return None
    if not _is(verb, w["identify_verbs"]):
        return None
    described: SpacyToken | None = None
    if verb.dep_ in ("acl", "amod", "appos", "acl:relcl") and verb.head.i != verb.i:
        described = verb.head
    else:
        described = next((c for c in verb.children if c.dep_ in ("nsubj", "nsubjpass", "nsubj:pass")), None)
    if described is None or described.i == n.i:
        return None
    return _noun_role([described], w) or _predicate_role(described, w) or _modifier_role([described], w)


def _among_role(n: SpacyToken, w: Mapping[str, frozenset[str]]) -> str | None:
    """ "Among the victims was X", "Entre las víctimas se encuentra X": the role of the group the
    verb places the person in, read from the group's noun; a group of the dead are victims."""
    n = _first_conjunct(n)
    verb = n.head
    if verb.i == n.i or n.dep_ not in ("nsubj", "attr", "obj", "dobj") or not _is(verb, w["among_verbs"]):
        return None
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ in w["among_words"]:
            groups = [g for g in c.children if g.dep_ == "pobj"]
        elif c.dep_ in ("obl", "nmod") and any(g.dep_ == "case" and g.lower_ in w["among_words"] for g in c.children):
            groups = [c]
        else:
            continue
        for group in groups:
            role = _noun_role([group], w) or ("victim" if _is(group, w["dead_words"]) else None)
            if role:
                return role
    return None


def _modifier_role(nouns: Sequence[SpacyToken], w: Mapping[str, frozenset[str]]) -> str | None:
    """ "kidnapped engineer X", "X, who was shot dead", "X, quien fue asesinado": a participle
    or a relative clause about the person itself."""
    for noun in nouns:
        for c in noun.children:
            if c.dep_ == "amod" and _is(c, w["victim_verbs"]):
                return "victim"
            if c.dep_ in _RELATIVE_DEPS and any(
                s.dep_ in ("nsubj", "nsubjpass", "nsubj:pass") and s.lower_ in _RELATIVE_PRONOUNS
                for s in c.children
            ):
                relative = next(s for s in c.children if s.lower_ in _RELATIVE_PRONOUNS)
                role = _predicate_role(relative, w)
                if role:
                    return role
    return None


def _role_words(root: SpacyToken, nouns: Sequence[SpacyToken], inside: set[int]) -> list[SpacyToken]:
    """The words that say who the person is: the nouns the name is in apposition to, their
    modifiers and the name's own ("police chief X", "X, a prosecutor"), and what "to be" joins
    to the name ("X was the victim", "la víctima fue X")."""
    out = list(nouns)
    for n in (root, *nouns):
        out += [c for c in n.children if c.dep_ in _ROLE_DEPS and c.i not in inside]
        head = n.head
        if n.dep_ == "nsubj" and head.lemma_ == "be":
            out += [c for c in head.children if c.dep_ == "attr"]
        elif n.dep_ == "attr" and head.lemma_ == "be":
            out += [c for c in head.children if c.dep_ == "nsubj"]
        elif n.dep_ == "nsubj" and any(c.dep_ == "cop" for c in head.children):
            out.append(head)
        if any(c.dep_ == "cop" for c in n.children):
            out += [c for c in n.children if c.dep_ == "nsubj"]
    return out


def _noun_role(nouns: Sequence[SpacyToken], w: Mapping[str, frozenset[str]]) -> str | None:
    """The first role any of ``nouns`` names; an official noun like "chief" or "jefe" counts only
    with an official word beside it ("police chief", "jefe de la policía")."""
    for role, key in _ROLES:
        if any(_is(n, w[key]) for n in nouns):
            return role
    for n in nouns:
        if _is(n, w["official_nouns"]):
            return "official"
        if _is(n, w["qualified_official_nouns"]):
            near = [*n.children, *(g for c in n.children for g in c.children)]
            if any(_is(t, w["official_qualifiers"]) for t in near):
                return "official"
    return None


def _later_mentions(
    text: str, found: Sequence[PersonMatch], others: Sequence[tuple[int, int]], w: Mapping[str, frozenset[str]]
) -> list[tuple[int, int, str, str]]:
    """``(start, end, full name, role)`` of the runs of words, written as in the name, of one
    person already found ("Mendoza", "Carlos Mendoza" after "Carlos Mendoza Ruiz"): the same
    person named again, so that a victim's surname is as private as the full name. The tagger
    often leaves a lone surname untagged or calls it a place, hence the text search; a run
    inside a longer place name (``others``: "La Paz") and a word two people share ("Mendoza"
    after two Mendozas) are left alone."""
    connectors = w["name_connectors"]
    people = []
    for p in found:
        if p.alias and name_key(p.alias) == name_key(p.name):
            continue  # a bare alias ("alias El Infiernito") is no full name to shorten
        written = _WORD.findall(p.name)
        words = frozenset(x for x in written if x not in connectors)
        if len(words) >= 2 and all(x[0].isupper() and fold_word(x) not in w["not_name_start"] for x in words):
            people.append((words, p))
    out: list[tuple[int, int, str, str]] = []
    if not people:
        return out
    for start, end in _runs(text, {x for ws, _ in people for x in ws}, connectors):
        words = frozenset(_WORD.findall(text[start:end])) - connectors
        owners = {p.name: p for ws, p in people if words <= ws}
        # a place name that holds more than the run is that place ("La Paz"); one that is just the
        # surname of a person the article names is the tagger's guess ("rescued Barrera" GPE)
        if len(owners) != 1 or any(s < end and start < e and (s, e) != (start, end) for s, e in others):
            continue
        p = next(iter(owners.values()))
        out.append((start, end, p.name, p.role))
    return out


def _runs(text: str, vocabulary: set[str], connectors: frozenset[str]) -> list[tuple[int, int]]:
    """``(start, end)`` of the runs of whole words of ``vocabulary`` in ``text``, joined by spaces,
    a hyphen or connectors ("Mendoza Ruiz", "Peña-Luna", "Juan de la Cruz"), and not followed
    by another capitalized word, where the run is part of someone else's name ("Antonio
    Guterres"). Found with ``str.find``: a regular expression built per article cost more to
    compile than the whole search."""
    hits = []
    for word in vocabulary:
        i = text.find(word)
        while i >= 0:
            j = i + len(word)
            if (i == 0 or not _word_char(text[i - 1])) and (j == len(text) or not _word_char(text[j])):
                hits.append((i, j))
            i = text.find(word, j)
    hits.sort()
    runs: list[list[int]] = []
    for i, j in hits:
        if runs and i >= runs[-1][1] and _link(text[runs[-1][1] : i], connectors):
            runs[-1][1] = j
        elif not runs or i >= runs[-1][1]:
            runs.append([i, j])
    return [
        (i, j) for i, j in runs
        if not _NEXT_CAPITAL.match(text, j) and text[j : j + 1] != "-" and (i == 0 or text[i - 1] != "-")
    ]


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _link(gap: str, connectors: frozenset[str]) -> bool:
    """Whether ``gap`` joins two words of one name: a hyphen, spaces, lower-case connectors."""
    return gap == "-" or (gap[:1] in " \t" and all(x in connectors for x in gap.split()))
