"""Small helpers over a spaCy dependency parse, for English (ClearNLP labels) and
Spanish (Universal Dependencies labels).

The two models label the same relations differently ("dobj" vs "obj", "pobj" under
"prep" vs "case" under "nmod"/"obl", "nsubjpass" vs "nsubj" with a passive auxiliary);
these helpers hide that so the extractor reads the same in both languages.
"""

from __future__ import annotations

from collections.abc import Iterator

from spacy.tokens import Span, Token

OBJECT_DEPS = frozenset({"dobj", "obj"})
PASSIVE_SUBJECT_DEPS = frozenset({"nsubjpass", "nsubj:pass"})
SUBJECT_DEPS = frozenset({"nsubj", "nsubjpass", "nsubj:pass", "csubj"})
MODIFIER_DEPS = frozenset({"amod", "acl", "relcl", "acl:relcl"})
NUM_DEPS = frozenset({"nummod"})
# Spanish passive auxiliaries: "fueron capturados", "quedaron detenidas", "resultaron heridos".
_ES_PASSIVE_AUX = frozenset({"ser", "quedar", "resultar", "estar"})


def prep_objects(token: Token, preps: frozenset[str] | None = None) -> Iterator[tuple[str, Token]]:
    """Yield (preposition, object) pairs attached to ``token`` in either label scheme.

    English: token -prep-> "of" -pobj-> object. Spanish: token -nmod/obl-> object -case-> "de".
    """
    for child in token.children:
        if child.dep_ in ("prep", "agent"):
            for obj in child.children:
                if obj.dep_ in ("pobj", "pcomp"):
                    prep = child.lower_
                    if preps is None or prep in preps:
                        yield prep, obj
        elif child.dep_ in ("nmod", "obl", "obl:arg", "obl:agent"):
            cases = [c for c in child.children if c.dep_ == "case"]
            prep = " ".join(c.lower_ for c in cases) if cases else ""
            if preps is None or prep in preps or any(c.lower_ in preps for c in cases):
                yield prep, child


def governing_preposition(token: Token) -> str | None:
    """The preposition that introduces ``token`` ("from" in "a gang from Venezuela"), if any."""
    if token.dep_ in ("pobj", "pcomp") and token.head.dep_ in ("prep", "agent"):
        return token.head.lower_
    cases = [c for c in token.children if c.dep_ == "case"]
    if cases:
        return " ".join(c.lower_ for c in cases)
    return None


def attachment_head(token: Token) -> Token:
    """The word a prepositional phrase headed by ``token`` attaches to (skipping the preposition)."""
    if token.dep_ in ("pobj", "pcomp") and token.head.dep_ in ("prep", "agent"):
        return token.head.head
    return token.head


def is_passive(verb: Token) -> bool:
    """Whether ``verb`` is in the passive voice ("were arrested", "fueron capturados")."""
    if any(c.dep_ in ("auxpass", "aux:pass") or c.dep_ in PASSIVE_SUBJECT_DEPS for c in verb.children):
        return True
    if verb.lang_ == "es":
        return "Part" in verb.morph.get("VerbForm") and any(
            c.dep_ in ("aux", "cop") and c.lemma_.lower() in _ES_PASSIVE_AUX for c in verb.children
        )
    return False


def subjects(verb: Token) -> list[Token]:
    """Nominal subjects of ``verb`` (inherited from a coordinated verb when it has none)."""
    found = [c for c in verb.children if c.dep_ in SUBJECT_DEPS]
    if not found and verb.dep_ == "conj" and verb.head.pos_ in ("VERB", "AUX"):
        found = [c for c in verb.head.children if c.dep_ in SUBJECT_DEPS]
    return found


def ancestors_until(token: Token, stop: Token) -> list[Token]:
    """Ancestors of ``token`` up to and including ``stop`` (or to the root)."""
    chain = []
    for anc in token.ancestors:
        chain.append(anc)
        if anc == stop:
            break
    return chain


def lowest_common_ancestor(a: Token, b: Token) -> Token | None:
    """The lowest token dominating both ``a`` and ``b`` (themselves included)."""
    a_line = [a, *a.ancestors]
    b_set = {t.i for t in [b, *b.ancestors]}
    for t in a_line:
        if t.i in b_set:
            return t
    return None


def span_root(span: Span) -> Token:
    """The token of ``span`` whose head lies outside it (the span's syntactic head)."""
    return span.root


def conjuncts_of(token: Token) -> list[Token]:
    """``token`` and every token coordinated with it ("six women and two children")."""
    return [token, *[c for c in token.conjuncts if c.i != token.i]]


def clause_verb(token: Token) -> Token:
    """The nearest verb at or above ``token``."""
    for t in [token, *token.ancestors]:
        if t.pos_ in ("VERB", "AUX"):
            return t
    return token.sent.root
