"""Criminal groups: knowledge-base aliases, groups discovered by cue patterns, stated factions.

Dictionary matching of every alias (see ``kb.AliasIndex``), plus discovery of unknown groups from
cue patterns ("a gang called X", "la banda criminal X") and of faction relations stated in the
text ("X, a faction of Y").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from crimewire.entities._common import (
    _clean_name,
    _context_ok,
    _read_cap_name_before,
    _read_name,
    _resolve,
    _sentence_of,
    _Span,
    _token_at,
    sentence_spans,
)
from crimewire.kb import KnowledgeBase, Token, fold, name_key, tokenize
from crimewire.records import OrgMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_organizations(
    text: str,
    lang: str,
    kb: KnowledgeBase,
    doc: Doc | None = None,
    is_place: Callable[[str], bool] | None = None,
    *,
    tokens: Sequence[Token] | None = None,
    sents: Sequence[tuple[int, int]] | None = None,
) -> tuple[OrgMatch, ...]:
    """Criminal groups named in ``text``: knowledge-base aliases plus groups discovered by cue patterns.

    Known groups carry their canonical name and parent; discovered ones have ``known=False``
    and ``rule`` naming the pattern. A faction relation stated in the text ("Los Gallegos, a
    branch of Tren de Aragua") sets the parent of a group the knowledge base gives none.
    Blocklisted look-alikes ("Tren Maya", "Cartel de Santa") are never returned.
    ``is_place`` (e.g. a gazetteer lookup) vetoes names found by weak cues that also fit
    places ("members of Los Angeles gangs"). ``tokens`` (``tokenize(text)``) and ``sents``
    (``sentence_spans(text, doc)``) save the work when the caller already has them.
    """
    pat = kb.patterns
    if tokens is None:
        tokens = tokenize(text)
    if sents is None:
        sents = sentence_spans(text, doc)
    hits = _context_ok(
        kb.org_index.find(text, tokens), tokens, pat.w("org.context_words"), pat.numbers["org.context_window"]
    )
    blocked = [(h.start, h.end) for h in kb.blocked_index.find(text, tokens)]

    def is_blocked_span(s: int, e: int) -> bool:
        # inside a look-alike, or crossing it; a longer name that contains one is another name
        return any(
            not (e <= bs or s >= be) and not (s <= bs and be <= e and (s, e) != (bs, be))
            for bs, be in blocked
        )

    spans = [
        _Span(h.start, h.end, h.alias.target, 2, True, f"kb:{h.alias.text}")
        for h in hits
        if not is_blocked_span(h.start, h.end)
    ]
    relations: dict[str, str] = {}
    discovered = _discover(text, lang, kb, tokens, sents, spans, relations, is_blocked_span, is_place)
    spans = _resolve(_absorb(spans, discovered))
    spans = _resolve(spans + _faction_statements(text, lang, kb, tokens, sents, spans, relations))
    spans = _resolve(_repeat_discovered(text, spans))
    out = []
    for s in spans:
        info = kb.organization(s.name) if s.known else None
        parent = (info.parent if info else None) or relations.get(s.name)
        if parent == s.name or (parent is not None and relations.get(parent) == s.name):
            parent = info.parent if info else None
        out.append(OrgMatch(text[s.start : s.end], s.start, s.end, s.name, parent, s.known, s.rule))
    return tuple(out)


@lru_cache(maxsize=32)
def _cue_matches(pattern: re.Pattern[str], text: str, gate: re.Pattern[str] | None = None) -> tuple[re.Match[str], ...]:
    """All matches of a cue pattern in ``text``, memoized for the last few (pattern, text) pairs.

    The cue patterns are most of the group finder's time, and an article is searched twice:
    by find_mentions (with its place test) and by find_persons (without one). ``gate`` is a
    lower-case part every match contains: a text whose lowercased form lacks it is not scanned
    with the whole pattern.
    """
    if gate is not None and gate.search(_lowered(text)) is None:
        return ()
    return tuple(pattern.finditer(text))


@lru_cache(maxsize=4)
def _lowered(text: str) -> str:
    return text.lower()


def _valid_group_name(name: str, kb: KnowledgeBase, lang: str) -> bool:
    pat = kb.patterns
    key = name_key(name)
    if not key or len(name) > 60 or key in pat.w("org.name_stopwords") or kb.is_blocked(name):
        return False
    toks = key.split()
    if any(t in pat.w("org.name_veto_words") for t in toks) or all(t in pat.w("common.months") for t in toks):
        return False
    if kb.agency(name) is not None or kb.country_of_name(name) is not None:
        return False
    if all(kb.demonym(t) or t in pat.w("common.connectors") for t in toks):
        return False
    return name not in pat.raw.get("common.sentence_words", ())


def _discover(
    text: str,
    lang: str,
    kb: KnowledgeBase,
    tokens: Sequence[Token],
    sents: Sequence[tuple[int, int]],
    known: Sequence[_Span],
    relations: dict[str, str],
    is_blocked_span: Callable[[int, int], bool],
    is_place: Callable[[str], bool] | None,
) -> list[_Span]:
    """Groups found by the discovery cues of ``lang``; records stated parents in ``relations``."""
    pat = kb.patterns
    found: list[_Span] = []
    for rule in pat.discovery:
        if rule.lang not in (lang, "*"):
            continue
        for m in _cue_matches(rule.regex, text, rule.gate):
            if rule.kind == "after":
                got = _read_name(text, tokens, m.end(), pat)
                if got is None:
                    continue
                start, end, name, quoted = got
                if rule.include_cue:
                    start, name, quoted = m.start(), _clean_name(text[m.start() : end]), False
            else:
                before = _read_cap_name_before(text, tokens, m.start(), pat)
                if before is None:
                    continue
                start, end, name = before
                quoted = False
                if rule.require_before:
                    i = _token_at(tokens, start)
                    if i == 0 or tokens[i - 1].norm not in rule.require_before:
                        continue
                # drop a leading demonym or article: "the Mexican Sinaloa cartel"
                while True:
                    first = name.split(" ", 1)
                    if len(first) == 2 and (kb.demonym(first[0], lang) or first[0] in ("The", "A", "An")):
                        start += len(first[0]) + 1
                        name = first[1]
                    else:
                        break
                if fold(m.group()) in rule.keep_head:
                    if not _valid_group_name(name, kb, lang):
                        continue
                    end, name = m.end(), _clean_name(text[start : m.end()])
            # plural articles mark gang names ("Los Correcaminos"); "La Liga" is a football league
            if rule.restrict == "marked" and not quoted and name.split(" ", 1)[0] not in ("Los", "Las", "Os"):
                continue
            if is_blocked_span(start, end):
                continue
            if rule.weak and is_place is not None and is_place(name):
                continue
            parent = _rule_parent(rule.parent, m, start, kb, tokens, sents, known, found)
            if not quoted:
                cut = _cut_before_known(text, start, end, known)
                if cut is not None:  # "Frente Juan de Dios Úsuga del Clan del Golfo"
                    end, owner = cut
                    name, parent = _clean_name(text[start:end]), owner
            info = kb.organization(name)
            inside = [k for k in known if not (k.end <= start or k.start >= end)]
            if info is not None or inside:
                # a known group: the cue may still state its parent
                child = info.name if info is not None else inside[0].name
                if parent and parent != child and not (quoted and info is None):
                    relations.setdefault(child, parent)
                if not (quoted and info is None):
                    continue
            if not _valid_group_name(name, kb, lang):
                continue
            found.append(_Span(start, end, name, 1, False, rule.rule, quoted=quoted))
            if parent and parent != name:
                relations.setdefault(name, parent)
    return found


# "X del Clan del Golfo", "X de la Mara Salvatrucha", "X of the Sinaloa Cartel": the group after the
# connector owns X.
_OWNER_CONNECTOR = re.compile(r"\s+(?:del|de\s+la|de\s+las|de\s+los|de|of\s+the|of)\s+$", re.IGNORECASE)


def _cut_before_known(text: str, start: int, end: int, known: Sequence[_Span]) -> tuple[int, str] | None:
    """``(end, group)`` when a capitalized name read from ``start`` runs on into a known group
    through a connector: the name ends before the connector, and the group is its parent."""
    for k in sorted(known, key=lambda k: k.start):
        if start < k.start < end:  # inside, or cut off by the length limit ("... del Clan")
            m = _OWNER_CONNECTOR.search(text, start, k.start)
            if m is not None and m.start() > start:
                return m.start(), k.name
            return None
    return None


def _rule_parent(
    how: str,
    m: re.Match[str],
    name_start: int,
    kb: KnowledgeBase,
    tokens: Sequence[Token],
    sents: Sequence[tuple[int, int]],
    known: Sequence[_Span],
    found: Sequence[_Span],
) -> str | None:
    groups = [*known, *found]
    if how == "cue_org":
        s, e = m.span("org")
        inside = sorted((g for g in groups if g.start >= s and g.end <= e), key=lambda g: g.start)
        if inside:
            return inside[0].name
        info = kb.organization(m.group("org"))
        return info.name if info else None
    if how == "adjacent_before":
        i = _token_at(tokens, m.start())
        lo = tokens[max(0, i - 3)].start if tokens else 0  # "a PCC cell": the group ends right before
        near = [g for g in groups if lo <= g.end <= m.start()]
        return max(near, key=lambda g: g.end).name if near else None
    if how == "preceding":
        ss, _ = _sentence_of(sents, name_start)
        before = [g for g in groups if ss <= g.start and g.end <= name_start]
        return max(before, key=lambda g: g.end).name if before else None
    return None


def _absorb(known: list[_Span], discovered: list[_Span]) -> list[_Span]:
    """Merge discovered spans; a quoted discovered name swallows known names inside it."""
    out = list(discovered)
    for k in known:
        if any(d.quoted and d.start <= k.start and k.end <= d.end for d in discovered):
            continue
        out.append(k)
    return out


def _repeat_discovered(text: str, spans: list[_Span]) -> list[_Span]:
    """Other mentions of each discovered name, written the same way."""
    out = list(spans)
    for d in [s for s in spans if not s.known]:
        for m in re.finditer(rf"(?<!\w){re.escape(d.name)}(?!\w)", text):
            if all(m.end() <= s.start or m.start() >= s.end for s in out):
                out.append(_Span(m.start(), m.end(), d.name, 0, False, f"repeat:{d.rule}"))
    return out


def _faction_statements(
    text: str,
    lang: str,
    kb: KnowledgeBase,
    tokens: Sequence[Token],
    sents: Sequence[tuple[int, int]],
    spans: Sequence[_Span],
    relations: dict[str, str],
) -> list[_Span]:
    """Read "X, a faction of Y" statements; return the groups X the knowledge base lacks.

    The parent Y is the first group named within ``parent_window`` tokens after the cue, in
    the same sentence. X is the group named right before the cue; when the capitalized name
    there runs on past a known group ("Los Lobos Box, a faction of Los Lobos"), that longer
    name is a new group.
    """
    pat = kb.patterns
    cue = pat.parent_cues.get(lang)
    if cue is None:
        return []
    window = pat.numbers["org.parent.parent_window"]
    new: list[_Span] = []
    for m in _cue_matches(cue, text, pat.parent_gates.get(lang)):
        _, se = _sentence_of(sents, m.start())
        limit_tok = _token_at(tokens, m.end()) + window
        limit = min(tokens[limit_tok].start if limit_tok < len(tokens) else len(text), se or len(text))
        parents = [p for p in spans if m.end() <= p.start < limit]
        if not parents:
            continue
        parent = min(parents, key=lambda p: p.start).name
        before = _read_cap_name_before(text, tokens, m.start(), pat)
        if before is None:
            continue
        b_start, b_end, _ = before
        inside = sorted((k for k in spans if b_start <= k.start and k.end <= b_end), key=lambda k: k.start)
        # the child starts at the first group named there (not at "Yesterday" before it)
        start = inside[0].start if inside else b_start
        exact = [k for k in inside if k.start == start and k.end == b_end]
        if exact:
            child = exact[0].name
        else:
            name = _clean_name(text[start:b_end])
            if kb.organization(name) is not None:
                child = kb.organization(name).name  # type: ignore[union-attr]
            elif _valid_group_name(name, kb, lang):
                new.append(_Span(start, b_end, name, 1, False, f"{lang}.faction_of"))
                child = name
            else:
                continue
        if child != parent:
            relations.setdefault(child, parent)
    return new
