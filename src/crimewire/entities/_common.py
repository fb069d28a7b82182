"""Helpers the entity finders share: sentences, tokens, candidate spans and names read from text."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from crimewire.kb import EntityPatterns, Hit, KnowledgeBase, Token, gap_ok

if TYPE_CHECKING:
    from spacy.tokens import Doc


_SENT_RE = re.compile(r"(?<=[.!?…])[\"”’»)\]]*\s+|\n+")
_NAME_PUNCT = re.compile(r"[.;:!?\n]")


# --------------------------------------------------------------------------- shared helpers


def sentence_spans(text: str, doc: Doc | None = None, *, text_from_doc: bool = False) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text``: from ``doc`` when it has them, else by punctuation.

    The Doc's sentences are used when ``doc`` is a parse of ``text``; ``text_from_doc`` tells that
    the caller took ``text`` from ``doc.text``, which saves comparing them (spaCy rebuilds
    ``doc.text`` from every token on each access).
    """
    if doc is not None and (text_from_doc or (_doc_length(doc) == len(text) and doc.text == text)):
        try:
            return [(s.start_char, s.end_char) for s in doc.sents]
        except ValueError:  # a Doc without sentence boundaries
            pass
    spans, start = [], 0
    for m in _SENT_RE.finditer(text):
        if m.start() > start:
            spans.append((start, m.start()))
        start = m.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _doc_length(doc: Doc) -> int:
    """Length of ``doc.text`` without building it (spaCy joins every token on each access)."""
    if not len(doc):
        return 0
    last = doc[-1]
    return int(last.idx) + len(last.text_with_ws)


def _sentence_of(spans: Sequence[tuple[int, int]], pos: int) -> tuple[int, int]:
    for s, e in spans:
        if s <= pos < e:
            return s, e
    return 0, 0


def _token_at(tokens: Sequence[Token], pos: int) -> int:
    """Index of the first token starting at or after ``pos``."""
    lo, hi = 0, len(tokens)
    while lo < hi:
        mid = (lo + hi) // 2
        if tokens[mid].start < pos:
            lo = mid + 1
        else:
            hi = mid
    return lo


def _is_cap(tok: Token) -> bool:
    c = tok.text[:1]
    return c.isupper() or c.isdigit()


def _clean_name(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip(" ,")


def demonym_country(word: str, lang: str, kb: KnowledgeBase) -> str | None:
    """ISO code of the demonym ``word`` in ``lang`` ("Peruvian" -> "PE", "venezolanas" -> "VE")."""
    return kb.demonym(word, lang)


def _context_ok(
    hits: Sequence[Hit], tokens: Sequence[Token], words: frozenset[str], window: int
) -> list[Hit]:
    """Drop hits that need context (short acronyms) but have none.

    A hit is supported when the text names the same target by an alias that needs no context,
    or a context word is within ``window`` tokens of it.
    """
    solid = {h.alias.target for h in hits if not h.alias.needs_context}
    out = []
    for h in hits:
        if h.alias.needs_context and h.alias.target not in solid:
            near = tokens[max(0, h.i - window) : h.j + window]
            if not any(t.norm in words for t in near):
                continue
        out.append(h)
    return out


@dataclass(frozen=True, slots=True)
class _Span:
    """A candidate entity before overlap resolution."""

    start: int
    end: int
    name: str
    priority: int  # higher wins ties of equal length
    known: bool = True
    rule: str = ""
    parent: str | None = None
    quoted: bool = False
    kind: str = "other"
    country: str | None = None


def _resolve(spans: Sequence[_Span]) -> list[_Span]:
    """Non-overlapping spans, longest first, then by priority, then leftmost."""
    chosen: list[_Span] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), -s.priority, s.start)):
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


# --------------------------------------------------------------------------- names in text


def _read_quoted(text: str, pos: int, pat: EntityPatterns) -> tuple[int, int, str] | None:
    """A quoted name starting at ``pos`` (after spaces): ``(start, end, name)`` or None."""
    i = pos
    while i < len(text) and text[i] in " \t":
        i += 1
    if i >= len(text) or text[i] not in pat.open_quotes:
        return None
    j = i + 1
    limit = min(len(text), i + 80)  # a group's name is short; longer quotes are speech
    while j < limit and text[j] not in pat.close_quotes:
        j += 1
    if j >= limit:
        return None
    inner = text[i + 1 : j]
    name = _clean_name(inner)
    if not name or not (name[0].isupper() or name[0].isdigit()) or _NAME_PUNCT.search(inner):
        return None
    if len(name.split()) > 8:
        return None
    return i, j + 1, name


def _cap_run(text: str, tokens: Sequence[Token], i: int, pat: EntityPatterns, max_tokens: int = 8) -> int:
    """End index (exclusive) of the run of capitalized tokens (with inner connectors) from token ``i``."""
    connectors = pat.w("common.connectors")
    months = pat.w("common.months")
    j = i
    last_cap = i
    while j < len(tokens) and j - i < max_tokens:
        tok = tokens[j]
        if j > i and not gap_ok(text, tokens[j - 1], tok, newlines=0):
            break
        if j > i and tok.norm in months and tokens[j - 1].norm in connectors:
            break  # "Los Malditos del Puerto on Tuesday": the date is not part of the name
        if _is_cap(tok) or (j > i and tokens[j - 1].end == tok.start - 1 and text[tok.start - 1] in "'’"):
            # "Prosecutor's": the "s" after an apostrophe belongs to the word
            j += 1
            last_cap = j
        elif tok.norm in connectors and j > i:
            j += 1
        else:
            break
    return last_cap


def _read_cap_name(
    text: str, tokens: Sequence[Token], pos: int, pat: EntityPatterns
) -> tuple[int, int, str] | None:
    """A capitalized name starting at ``pos``: ``(start, end, name)`` or None."""
    i = _token_at(tokens, pos)
    if i >= len(tokens) or text[pos : tokens[i].start].strip():
        return None
    if not _is_cap(tokens[i]):
        return None
    j = _cap_run(text, tokens, i, pat)
    if j <= i:
        return None
    # an English article is not part of a name ("the Dames of Crime" -> "Dames of Crime")
    if tokens[i].norm == "the" and j - i > 1:
        i += 1
    start, end = tokens[i].start, tokens[j - 1].end
    return start, end, _clean_name(text[start:end])


def _read_name(
    text: str, tokens: Sequence[Token], pos: int, pat: EntityPatterns
) -> tuple[int, int, str, bool] | None:
    """A quoted or capitalized name at ``pos``: ``(start, end, name, quoted)`` or None."""
    q = _read_quoted(text, pos, pat)
    if q is not None:
        return (*q, True)
    c = _read_cap_name(text, tokens, pos, pat)
    return (*c, False) if c is not None else None


def _read_cap_name_before(
    text: str, tokens: Sequence[Token], pos: int, pat: EntityPatterns
) -> tuple[int, int, str] | None:
    """The capitalized name ending right before ``pos`` ("the Bloods gang" -> "Bloods")."""
    j = _token_at(tokens, pos)  # first token at/after pos
    if j == 0 or text[tokens[j - 1].end : pos].strip():
        return None
    connectors = pat.w("common.connectors")
    i = j
    while i > 0 and j - i < 6:
        tok = tokens[i - 1]
        if i < j and not gap_ok(text, tok, tokens[i], newlines=0):
            break
        if _is_cap(tok) or (tok.norm in connectors and i < j and i - 1 > 0 and _is_cap(tokens[i - 2])):
            i -= 1
        else:
            break
    while i < j and not _is_cap(tokens[i]):
        i += 1
    if i >= j:
        return None
    start, end = tokens[i].start, tokens[j - 1].end
    return start, end, _clean_name(text[start:end])
