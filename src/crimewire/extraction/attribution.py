"""Who states a sentence: "the Interior Ministry said in a statement", "according to
authorities", "según la Fiscalía", "the prosecutor's office reported on X".
"""

from __future__ import annotations

from spacy.tokens import Span, Token

from crimewire.extraction.lexicon import Lexicon
from crimewire.extraction.syntax import prep_objects
from crimewire.records import Attribution

_ACCORDING = (("according", "to"), ("según",), ("de", "acuerdo", "con"), ("citing",), ("quoting",))
_CUE_STARTS = frozenset(cue[0] for cue in _ACCORDING)
_STATEMENT_WORDS = frozenset({"statement", "communiqué", "comunicado", "release", "post", "tweet",
                              "publicación", "report", "informe", "reporte", "boletín", "bulletin"})
_POST_WORDS = frozenset({"x", "twitter", "facebook", "instagram", "telegram", "social", "redes", "red"})


def _phrase(token: Token) -> str:
    """The noun phrase headed by ``token``, without a trailing relative clause."""
    words = [t for t in token.subtree if not (t.dep_ in ("relcl", "acl:relcl") or t.is_punct)]
    if not words:
        return token.text
    start, end = words[0].i, words[-1].i + 1
    text = token.doc[start:end].text
    return text[:120]


def find_attribution(sent: Span, lex: Lexicon) -> Attribution | None:
    """The attribution of ``sent``, if it names who states it."""
    reporting = lex.words("reporting_verbs")
    tokens = list(sent)
    lowers = [t.lower_ for t in tokens]
    # "according to X", "según X", "de acuerdo con X".
    for i, t in enumerate(tokens):
        if lowers[i] not in _CUE_STARTS:
            continue
        for cue in _ACCORDING:
            if tuple(lowers[i : i + len(cue)]) == cue and i + len(cue) < len(tokens):
                last = tokens[i + len(cue) - 1]
                objs = [o for o in last.subtree if o.dep_ in ("pobj", "nmod", "obl", "obj") and o != last]
                head = objs[0] if objs else tokens[i + len(cue)]
                source = _phrase(head)
                text = sent.doc[t.i : head.right_edge.i + 1].text
                return Attribution(source=source, text=text, kind="according_to")
    # "X said (in a statement)", "the prosecutor's office reported on X".
    for t in tokens:
        if t.pos_ not in ("VERB", "AUX") or t.lemma_.lower() not in reporting:
            continue
        subj = [c for c in t.children if c.dep_ in ("nsubj", "nsubj:pass")]
        if not subj:
            continue
        source = _phrase(subj[0])
        kind = "said"
        extra = ""
        for prep, obj in prep_objects(t):
            lemma = obj.lemma_.lower()
            if lemma in _STATEMENT_WORDS:
                kind = "post" if lemma in ("post", "tweet", "publicación") else "statement"
                extra = f" {prep} {obj.text}".rstrip()
            elif lemma in _POST_WORDS or obj.lower_ in _POST_WORDS:
                kind = "post"
                extra = f" {prep} {_phrase(obj)}"
        text = f"{source} {t.text}{extra}"
        return Attribution(source=source, text=text, kind=kind)
    return None

