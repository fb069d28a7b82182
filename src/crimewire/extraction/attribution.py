"""Who states a sentence: "the Interior Ministry said in a statement", "according to
authorities", "según informó la Fiscalía", "radio station RPP said, quoting police sources".

The cue words are in ``data/attribution.toml``; the reporting verbs in the trigger lexicons.
"""

from __future__ import annotations

import tomllib
from functools import cache
from importlib import resources
from itertools import pairwise
from types import MappingProxyType

from spacy.tokens import Doc, Span, Token

from crimewire.errors import DataError
from crimewire.extraction.lexicon import Lexicon
from crimewire.extraction.syntax import OBJECT_DEPS, prep_objects
from crimewire.records import Attribution

# A source phrase longer than this is a parse that ran on into the sentence (the longest
# real one on the dev set, an agency with its acronym and state, is under 100).
_MAX_SOURCE = 120
# "según la Fiscalía": the cue hangs off its source as a case / mark dependent.
_CUE_DEPS = frozenset({"case", "mark"})
_RELATIVE_DEPS = frozenset({"relcl", "acl:relcl"})
_TRAILING_PUNCT = frozenset({",", ".", ";", ":", "-", "—", "–"})


@cache
def _cues() -> MappingProxyType[str, tuple[str, ...]]:
    """The word lists of ``data/attribution.toml``, lower-cased (read once per process)."""
    name = "attribution.toml"
    try:
        data = tomllib.loads(resources.files("crimewire.data").joinpath(name).read_text(encoding="utf-8"))
    except (FileNotFoundError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{name}: {exc}") from exc
    return MappingProxyType({key: tuple(str(w).lower() for w in words) for key, words in data.items()})


@cache
def _words(key: str) -> frozenset[str]:
    return frozenset(_cues()[key])


def find_attribution(sent: Span, lex: Lexicon) -> Attribution | None:
    """The attribution of ``sent``, if it names who states it.

    In order: "according to X" / "según X" / "según informó X"; the subject of a reporting
    verb ("X said", "informó X"); the party quoted ("..., citing police sources") only when
    nobody in the sentence says it — in "RPP said, quoting police sources" RPP says it.
    """
    reporting = lex.words("reporting_verbs")
    return _according_to(sent) or _reporting_clause(sent, reporting) or _citing(sent, reporting)


def _according_to(sent: Span) -> Attribution | None:
    """ "according to X", "según X", "de acuerdo con X", "según informó X"."""
    tokens = list(sent)
    lowers = [t.lower_ for t in tokens]
    cues = [tuple(c.split()) for c in _cues()["according"]]
    starts = {c[0] for c in cues}
    for i, first in enumerate(tokens):
        if lowers[i] not in starts:
            continue
        for cue in cues:
            end = i + len(cue)
            if tuple(lowers[i:end]) != cue or end >= len(tokens):
                continue
            found = _cued_source(tokens[i:end], tokens[end], sent)
            if found is None:
                continue
            source, last, kind = found
            return Attribution(source=_phrase(source), text=_text(sent.doc, first.i, last.i), kind=kind)
    return None


def _cued_source(cue: list[Token], after: Token, sent: Span) -> tuple[Token, Token, str] | None:
    """The source a cue introduces, the last token of the attribution, and its kind."""
    end = cue[-1].i + 1
    objects = [c for c in cue[-1].children if c.dep_ in ("pobj", "obj", "nmod", "obl")]
    # "según" -> "institución" / "informó"; "de acuerdo con" hangs off "Fiscalía" by its "de".
    marking = [t.head for t in cue if t.dep_ in _CUE_DEPS and end <= t.head.i < sent.end]
    if objects:
        head = objects[0]  # "according to" -> "authorities"
    elif marking:
        head = marking[0]
    else:
        head = _nominal_after(after, sent)
    if head.pos_ in ("VERB", "AUX"):
        # "según informó la Policía este lunes": the clause's subject, not the clause. "Según"
        # stands for what is said, so a bare noun object is a subject the parser misread
        # ("según dio a conocer la Fiscalía" parses "Fiscalía" as the object of "dio").
        speakers = _speakers(head) or [
            c for c in head.children
            if c.dep_ in OBJECT_DEPS and c.pos_ in ("NOUN", "PROPN") and not any(m.dep_ == "case" for m in c.children)
        ]
        if not speakers:
            return None  # "según se informó": nobody named
        last = max(_phrase_range(speakers[0])[1] - 1, head.i)
        return speakers[0], sent.doc[last], "according_to"
    if head.lemma_.lower() in _words("statement_words"):
        issuer = _issuer(head)
        if issuer is not None:  # "according to a statement from the Justice Department"
            return issuer, sent.doc[max(_phrase_range(head)[1], _phrase_range(issuer)[1]) - 1], "statement"
    # up to the end of the source's phrase: a relative clause after it ("según el fiscal, quien
    # dijo que ...") may hold what is reported
    return head, sent.doc[_phrase_range(head)[1] - 1], "according_to"


def _reporting_clause(sent: Span, reporting: frozenset[str]) -> Attribution | None:
    """ "X said (in a statement)", "the prosecutor's office reported on X", "informó X"."""
    candidates = []
    for t in sent:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in reporting:
            continue
        speakers = _speakers(t)
        if not speakers:
            continue
        if speakers[0].i > t.i and any(c.lower_ == "se" for c in t.children):
            continue  # a passive "se" ("se aseguraron armas"): what was done or stated, not who says it
        candidates.append((t, speakers[0]))
    if not candidates:
        return None
    # A verb that governs the reported clause, or stands beside it as a parenthetical, says it:
    # in "Peruvian police released 80 women, radio station RPP said" that is "said", not
    # "released" (a reporting verb too: "released a statement").
    verbs = {t for t, _ in candidates}
    governing = [
        (t, s) for t, s in candidates
        if t.dep_ == "parataxis"
        or any(c.dep_ == "ccomp" or (c.dep_ == "parataxis" and c not in verbs) for c in t.children)
    ]
    verb, subj = (governing or candidates)[0]
    return _said(verb, subj)


def _said(verb: Token, subj: Token) -> Attribution:
    """The attribution "``subj`` ``verb``", with the statement or platform and whom it quotes."""
    doc = verb.doc
    statements, posts, platforms = _words("statement_words"), _words("post_words"), _words("platform_words")
    kind = "said"
    parts = [_phrase_range(subj), (verb.i, verb.i + 1)]
    for _, obj in prep_objects(verb):
        lemma = obj.lemma_.lower()
        if lemma in statements:  # "in a statement", "en un comunicado"
            kind = "post" if lemma in posts else "statement"
            parts.append((_prep_start(obj), obj.i + 1))
        elif lemma in platforms or obj.lower_.rstrip(".") in platforms:  # "on X" ("X." at the end), "en redes"
            kind = "post"
            parts.append((_prep_start(obj), _phrase_range(obj)[1]))
    # "RPP said, quoting police sources": whom the speaker relies on belongs to the attribution.
    # The parser may hang "quoting" on the reported clause when "said" is a parenthetical.
    citing = _words("citing")
    around = [*verb.children, *(verb.head.children if verb.dep_ == "parataxis" else ())]
    parts += [(c.i, _phrase_range(c)[1]) for c in around if c.lower_ in citing and c.i > verb.i]
    return Attribution(source=_phrase(subj), text=_join(doc, parts), kind=kind)


def _prep_start(obj: Token) -> int:
    """Where the phrase of ``obj`` starts with its preposition: "in a statement", "En un comunicado"."""
    if obj.dep_ in ("pobj", "pcomp") and obj.head.dep_ in ("prep", "agent"):
        return min(obj.head.i, obj.left_edge.i)
    return obj.left_edge.i


def _join(doc: Doc, parts: list[tuple[int, int]]) -> str:
    """The words of ``parts`` (token ranges) in the article's order: the span itself when only
    punctuation lies between them ("radio station RPP said, quoting police sources"), else the
    parts joined, so that the reported clause between them is not part of the attribution."""
    parts = sorted(parts)
    between = [t for (_, end), (start, _) in pairwise(parts) for t in doc[end:start]]
    if all(t.is_punct for t in between):
        return _text(doc, parts[0][0], max(end for _, end in parts) - 1)
    return " ".join(_text(doc, start, end - 1) for start, end in parts)


def _citing(sent: Span, reporting: frozenset[str]) -> Attribution | None:
    """ "it was reported, citing police sources": nobody says it, so the quoted party is the source."""
    citing = _words("citing")
    for t in sent:
        # Only under a reporting verb: "killed three people, citing unpaid debts" gives a reason.
        if t.lower_ not in citing or t.i + 1 >= sent.end or t.head.lemma_.lower() not in reporting:
            continue
        objects = [c for c in t.children if c.dep_ in OBJECT_DEPS or c.dep_ == "pobj"]
        head = objects[0] if objects else _nominal_after(sent.doc[t.i + 1], sent)
        text = _text(sent.doc, t.i, _phrase_range(head)[1] - 1)
        return Attribution(source=_phrase(head), text=text, kind="according_to")
    return None


def _speakers(verb: Token) -> list[Token]:
    """The subjects of ``verb`` that name someone: not a relative pronoun ("who told police")."""
    return [
        c for c in verb.children
        if c.dep_ in ("nsubj", "nsubj:pass") and "Rel" not in c.morph.get("PronType") and c.tag_ not in ("WP", "WDT")
    ]


def _issuer(statement: Token) -> Token | None:
    """Who issued ``statement``: "a statement from X", "a statement issued by X", "emitido por X"."""
    preps = _words("issuer_prepositions")
    # the statement itself, then a participle describing it ("issued", "emitido", parsed as ADJ)
    for word in [statement, *(c for c in statement.children if c.dep_ in ("acl", "amod"))]:
        for obj in _introduced_by(word, preps):
            if obj.pos_ in ("NOUN", "PROPN"):
                return obj
    return None


def _introduced_by(word: Token, preps: frozenset[str]) -> list[Token]:
    """The dependents of ``word`` that one of ``preps`` introduces, whatever their label
    ("emitido por la Policía" parses "Policía" as an object with a "por" case marker)."""
    found = [obj for _, obj in prep_objects(word, preps)]
    found += [c for c in word.children
              if c not in found and any(m.dep_ == "case" and m.lower_ in preps for m in c.children)]
    return found


def _nominal_after(token: Token, sent: Span) -> Token:
    """The noun a phrase starting at ``token`` is about: "la" -> "institución" in "la institución"."""
    while (
        token.pos_ in ("DET", "NUM", "ADJ", "ADP")
        and token.head.i > token.i
        and token.head.i < sent.end
    ):
        token = token.head
    return token


def _phrase(token: Token) -> str:
    """The noun phrase headed by ``token``: without its case marker ("según"), a relative clause
    ("that led to the arrests"), or punctuation at either end."""
    start, end = _phrase_range(token)
    return token.doc[start:end].text[:_MAX_SOURCE]


def _phrase_range(token: Token) -> tuple[int, int]:
    """The token range of ``_phrase(token)``."""
    doc = token.doc
    relative = {d.i for c in token.subtree if c != token and _relative_clause(c) for d in c.subtree}
    # the cue's own words: "Según" and "De acuerdo con" (its "acuerdo con" are "fixed" to "De")
    cue = {d.i for c in token.children if c.dep_ in _CUE_DEPS and c.i < token.i for d in c.subtree}
    words = [t for t in token.subtree if t.i not in relative and t.i not in cue and not t.is_punct]
    if not words:
        return token.i, token.i + 1
    start = words[0].i
    # stop before a relative clause that follows the head: "the inquiries that led to ..."
    end = min([i for i in relative if i > token.i] + [words[-1].i + 1])
    # "la Fiscalía General de la República (FGR)": keep the bracket that closes the acronym.
    if doc[start:end].text.count("(") > doc[start:end].text.count(")") and end < len(doc) and doc[end].text == ")":
        end += 1
    return start, end


def _relative_clause(token: Token) -> bool:
    """Whether ``token`` heads a relative clause: labelled so, or (Spanish) a clause modifier
    opened by a relative pronoun ("la Fiscalía, que lo vincula con ...", "el fiscal, quien dijo")."""
    if token.dep_ in _RELATIVE_DEPS:
        return True
    return token.dep_ == "acl" and any(
        d.i < token.i and "Rel" in d.morph.get("PronType") for d in token.subtree
    )


def _text(doc: Doc, first: int, last: int) -> str:
    """The words from ``first`` to ``last`` (token indices), without trailing punctuation."""
    while last > first and doc[last].text in _TRAILING_PUNCT:
        last -= 1
    return doc[first : last + 1].text
