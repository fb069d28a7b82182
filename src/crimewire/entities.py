"""Entity finders over cleaned text: criminal groups, agencies, nationalities and people.

Each finder takes the cleaned text (and optionally a spaCy ``Doc`` of it, used only for
sentence boundaries) and returns typed matches with offsets into that text. Vocabularies
live in the knowledge base and ``data/entity_patterns.toml``; this module holds mechanisms:

* groups: dictionary matching of every alias (see ``kb.AliasIndex``), plus discovery of
  unknown groups from cue patterns ("a gang called X", "la banda criminal X") and of
  faction relations stated in the text ("X, a faction of Y");
* agencies: the agency lexicon, capitalized phrases headed by an agency word ("Tribunal Oral
  en lo Penal de Arica"), "[demonym] police", "[Country]'s navy" and the bare "police";
* nationalities: demonyms that describe people, not agencies, places or groups;
* persons: people named with an alias or a title.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from crimewire.kb import (
    EntityPatterns,
    Hit,
    KnowledgeBase,
    Token,
    fold,
    gap_ok,
    load_knowledge_base,
    name_key,
    tokenize,
)
from crimewire.records import AgencyMatch, NationalityMatch, OrgMatch, PersonMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc

_SENT_RE = re.compile(r"(?<=[.!?…])[\"”’»)\]]*\s+|\n+")
_NAME_PUNCT = re.compile(r"[.;:!?\n]")


# --------------------------------------------------------------------------- shared helpers


def sentence_spans(text: str, doc: Doc | None = None) -> list[tuple[int, int]]:
    """Sentence ``(start, end)`` offsets of ``text``: from ``doc`` when it has them, else by punctuation."""
    if doc is not None and doc.text == text:
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
    j = i
    last_cap = i
    while j < len(tokens) and j - i < max_tokens:
        tok = tokens[j]
        if j > i and not gap_ok(text, tokens[j - 1], tok, newlines=0):
            break
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


# --------------------------------------------------------------------------- organizations


def find_organizations(
    text: str,
    lang: str,
    kb: KnowledgeBase,
    doc: Doc | None = None,
    is_place: Callable[[str], bool] | None = None,
) -> tuple[OrgMatch, ...]:
    """Criminal groups named in ``text``: knowledge-base aliases plus groups discovered by cue patterns.

    Known groups carry their canonical name and parent; discovered ones have ``known=False``
    and ``rule`` naming the pattern. A faction relation stated in the text ("Los Gallegos, a
    branch of Tren de Aragua") sets the parent of a group the knowledge base gives none.
    Blocklisted look-alikes ("Tren Maya", "Cartel de Santa") are never returned.
    ``is_place`` (e.g. a gazetteer lookup) vetoes names found by weak cues that also fit
    places ("members of Los Angeles gangs").
    """
    pat = kb.patterns
    tokens = tokenize(text)
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
        for m in rule.regex.finditer(text):
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
            info = kb.organization(name)
            parent = _rule_parent(rule.parent, m, start, kb, tokens, sents, known, found)
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
    for m in cue.finditer(text):
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


# --------------------------------------------------------------------------- agencies


def find_agencies(text: str, lang: str, kb: KnowledgeBase, doc: Doc | None = None) -> tuple[AgencyMatch, ...]:
    """Police, prosecutors, military, courts and ministries named in ``text``.

    Lexicon names keep their canonical name; names found by pattern keep the name as
    written ("Tribunal Oral en lo Penal de Arica", "Peruvian police"). An acronym in
    parentheses after a name is part of the same match, and later uses of that acronym
    are matched too.
    """
    pat = kb.patterns
    tokens = tokenize(text)
    orgs = [(h.start, h.end) for h in kb.org_index.find(text, tokens)]

    def in_org(s: int, e: int) -> bool:
        return any(not (e <= os_ or s >= oe) for os_, oe in orgs)

    lex = _context_ok(
        kb.agency_index.find(text, tokens),
        tokens,
        pat.w("agency.context_words"),
        pat.numbers["agency.context_window"],
    )
    spans: list[_Span] = []
    for h in lex:
        info = kb.agency(h.alias.target)
        assert info is not None
        # a name shared by several countries ("Policía Nacional") is kept as written
        name = info.name if info.country else _clean_name(text[h.start : h.end])
        spans.append(
            _Span(h.start, h.end, name, 3, True, f"kb:{h.alias.text}", kind=info.kind, country=info.country)
        )
    spans += _agency_chains(text, lang, kb, tokens, {h.start for h in lex})
    spans += _demonym_agencies(text, lang, kb, tokens)
    spans += _single_agencies(text, lang, kb, tokens)
    spans = [s for s in spans if not in_org(s.start, s.end)]
    spans = _with_acronyms(text, kb, tokens, _resolve(spans))
    return tuple(AgencyMatch(text[s.start : s.end], s.start, s.end, s.name, s.kind, s.country) for s in spans)


def _agency_kind(name: str, kb: KnowledgeBase) -> str:
    key = f" {name_key(name)} "
    for kind in kb.patterns.kind_order:
        if any(f" {w} " in key for w in kb.patterns.kind_words[kind]):
            return kind
    return "other"


def _country_in(name: str, lang: str, kb: KnowledgeBase) -> str | None:
    toks = tokenize(name)
    for idx in (kb.demonym_index, kb.country_index):
        for lg in (lang, "en", "es"):
            index = idx.get(lg)
            if index is None:
                continue
            hits = index.find(name, toks)
            if hits:
                return hits[0].alias.target
    return None


def _agency_chains(
    text: str, lang: str, kb: KnowledgeBase, tokens: Sequence[Token], lexicon_starts: set[int]
) -> list[_Span]:
    """Capitalized phrases holding an agency head word ("Policía Metropolitana de Cali")."""
    pat = kb.patterns
    heads = pat.w("agency.heads")
    connectors = pat.w("common.connectors")
    prefix = "common.connectors_only_before."
    only_before = {k[len(prefix) :]: v for k, v in pat.words.items() if k.startswith(prefix)}
    lead_drop = {fold(w) for w in pat.raw.get("common.sentence_words", ())} | pat.w("common.months")
    out: list[_Span] = []
    i, n = 0, len(tokens)
    while i < n:
        if not _is_cap(tokens[i]):
            i += 1
            continue
        # grow a chain of capitalized tokens joined by connectors
        j = i + 1
        last = j
        while j < n and gap_ok(text, tokens[j - 1], tokens[j], newlines=0):
            tok = tokens[j]
            after_apos = (
                tokens[j - 1].end == tok.start - 1 and text[tok.start - 1] in "'’" and tok.norm == "s"
            )
            if _is_cap(tok) or after_apos:
                j += 1
                last = j
            elif (
                tok.norm in connectors
                and j + 1 < n
                and (tok.norm not in only_before or tokens[j + 1].norm in only_before[tok.norm])
            ):
                j += 1
            else:
                break
        chain = list(range(i, last))
        i = max(last, i + 1)
        out += _chain_spans(text, lang, kb, tokens, chain, heads, lead_drop, lexicon_starts)
    return out


def _chain_spans(
    text: str,
    lang: str,
    kb: KnowledgeBase,
    tokens: Sequence[Token],
    chain: list[int],
    heads: frozenset[str],
    lead_drop: set[str],
    lexicon_starts: set[int],
) -> list[_Span]:
    """Agency spans within one capitalized chain.

    The chain is split at "and"/"y" before another agency ("SFPD and Homeland Security
    Investigations") and before a lexicon agency joined by a connector ("Ministerio Público
    Federal de la Fiscalía Especializada ..."); each part starts at its first head word, or in
    English at the capitalized modifiers right before it ("Multi-Option Police Section").
    """
    pat = kb.patterns
    connectors = pat.w("common.connectors")

    def is_head(x: int) -> bool:
        return tokens[x].norm in heads and _is_cap(tokens[x])

    parts: list[list[int]] = [[]]
    for pos, k in enumerate(chain):
        rest = chain[pos + 1 :]
        if tokens[k].norm in ("and", "y", "e") and any(is_head(x) for x in rest):
            parts.append([])
            continue
        if tokens[k].start in lexicon_starts and parts[-1] and tokens[parts[-1][-1]].norm in connectors:
            parts.append([])
        parts[-1].append(k)
    out = []
    for part in parts:
        head_pos = [p for p in part if is_head(p)]
        if not head_pos:
            continue
        first = part.index(head_pos[0])
        lead = first
        if lang == "en":
            while (
                lead > 0 and _is_cap(tokens[part[lead - 1]]) and tokens[part[lead - 1]].norm not in connectors
            ):
                lead -= 1
        part = part[lead:]
        while (
            part
            and (tokens[part[0]].norm in lead_drop or not _is_cap(tokens[part[0]]))
            and not is_head(part[0])
        ):
            part = part[1:]
        # a possessive "'s" at the end is not part of the name ("Ministry of Justice's staff")
        if len(part) > 1 and tokens[part[-1]].norm == "s" and not _is_cap(tokens[part[-1]]):
            part = part[:-1]
        if lang == "en":
            # English names end at their head; a capitalized tail is a person ("Police Commander X"),
            # unless a connector starts it ("Office of National Security Investigations")
            last_head = head_pos[-1]
            tail = part[part.index(last_head) + 1 :]
            if tail and tokens[tail[0]].norm not in pat.w("common.connectors"):
                part = part[: part.index(last_head) + 1]
        while part and tokens[part[-1]].norm in pat.w("common.connectors"):
            part = part[:-1]
        if not part:
            continue
        start, end = tokens[part[0]].start, tokens[part[-1]].end
        ext = kb.patterns.extensions.get(lang)
        if ext is not None:
            m = ext.match(text, end)
            if m is not None:
                end = m.end()
        name = _clean_name(text[start:end])
        if len(part) == 1:
            single = pat.maps.get(f"agency.single_{lang}", {}).get(name_key(name))
            if single is None:
                continue
            name = single
        out.append(
            _Span(
                start,
                end,
                name,
                1,
                False,
                "pattern:head",
                kind=_agency_kind(name, kb),
                country=_country_in(name, lang, kb),
            )
        )
    return out


def _demonym_agencies(text: str, lang: str, kb: KnowledgeBase, tokens: Sequence[Token]) -> list[_Span]:
    """ "Peruvian police", "Colombia's coast guard", "policía peruana"."""
    pat = kb.patterns
    nouns = [tuple(name_key(x).split()) for x in pat.raw.get(f"agency.nouns_{lang}", ())]
    nouns.sort(key=len, reverse=True)
    heads = pat.w("agency.heads")

    def noun_at(k: int) -> int | None:
        for nn in nouns:
            end = k + len(nn)
            if (
                end <= len(tokens)
                and tuple(t.norm for t in tokens[k:end]) == nn
                and all(gap_ok(text, tokens[x - 1], tokens[x]) for x in range(k + 1, end))
            ):
                return end
        return None

    out: list[_Span] = []
    if lang == "en":
        for index, possessive in ((kb.demonym_index["en"], False), (kb.country_index["en"], True)):
            for h in index.find(text, tokens):
                k = h.j
                if possessive:
                    if not (k < len(tokens) and tokens[k].norm == "s" and text[tokens[k].start - 1] in "'’"):
                        continue
                    k += 1
                if k >= len(tokens) or not gap_ok(text, tokens[k - 1], tokens[k]):
                    continue
                end_tok = noun_at(k)
                if end_tok is None and possessive and _is_cap(tokens[k]):
                    # "Mexico's Attorney General's Office": a capitalized agency phrase
                    run = _cap_run(text, tokens, k, pat)
                    if any(tokens[x].norm in heads for x in range(k, run)):
                        end_tok = run
                if end_tok is None:
                    continue
                name = _clean_name(text[h.start : tokens[end_tok - 1].end])
                kind = (
                    "government"
                    if tokens[k].norm in pat.w("agency.government_nouns")
                    else _agency_kind(name, kb)
                )
                out.append(
                    _Span(
                        h.start,
                        tokens[end_tok - 1].end,
                        name,
                        2,
                        False,
                        "pattern:possessive" if possessive else "pattern:demonym",
                        kind=kind,
                        country=h.alias.target,
                    )
                )
    else:
        dem = {h.i: h for h in kb.demonym_index["es"].find(text, tokens)}
        for k in range(len(tokens)):
            end_tok = noun_at(k)
            if end_tok is None or end_tok not in dem:
                continue
            h = dem[end_tok]
            if not gap_ok(text, tokens[end_tok - 1], tokens[end_tok]):
                continue
            name = _clean_name(text[tokens[k].start : h.end])
            kind = (
                "government" if tokens[k].norm in pat.w("agency.government_nouns") else _agency_kind(name, kb)
            )
            out.append(
                _Span(
                    tokens[k].start,
                    h.end,
                    name,
                    2,
                    False,
                    "pattern:demonym",
                    kind=kind,
                    country=h.alias.target,
                )
            )
    return out


def _single_agencies(text: str, lang: str, kb: KnowledgeBase, tokens: Sequence[Token]) -> list[_Span]:
    """The bare "police", "prosecutors", "la policía", "la Fiscalía"."""
    pat = kb.patterns
    single = pat.maps.get(f"agency.single_{lang}", {})
    keys = sorted((tuple(k.split()) for k in single), key=len, reverse=True)
    modifier_of = pat.w("agency.police_modifier_of")
    after = pat.w("agency.single_es_after")
    out: list[_Span] = []
    for k in range(len(tokens)):
        for key in keys:
            end = k + len(key)
            if end > len(tokens) or tuple(t.norm for t in tokens[k:end]) != key:
                continue
            if not all(gap_ok(text, tokens[x - 1], tokens[x]) for x in range(k + 1, end)):
                continue
            if (
                end < len(tokens)
                and tokens[end].norm in modifier_of
                and gap_ok(text, tokens[end - 1], tokens[end])
            ):
                break
            if lang == "es" and not _is_cap(tokens[k]) and (k == 0 or tokens[k - 1].norm not in after):
                break
            name = single[" ".join(key)]
            out.append(
                _Span(
                    tokens[k].start,
                    tokens[end - 1].end,
                    name,
                    0,
                    False,
                    "pattern:single",
                    kind=_agency_kind(name, kb),
                )
            )
            break
    return out


_ACRONYM_RE = re.compile(r"\s*\(([A-Za-zÁÉÍÓÚÑáéíóúñ][\w\-&.]{1,14})\)")


def _with_acronyms(text: str, kb: KnowledgeBase, tokens: Sequence[Token], spans: list[_Span]) -> list[_Span]:
    """Extend a name by its "(ACR)" and match the acronym's later uses as the same agency."""
    out: list[_Span] = []
    defined: dict[str, _Span] = {}
    for s in spans:
        m = _ACRONYM_RE.match(text, s.end)
        if m is not None:
            acr = m.group(1)
            info = kb.agency(acr)
            upper = sum(c.isupper() for c in acr)
            if info is not None or upper >= 2:
                if info is not None and not s.known:
                    s = replace(
                        s, name=info.name, known=True, rule=f"kb:{acr}", kind=info.kind, country=info.country
                    )
                s = replace(s, end=m.end())
                defined[acr] = s
        out.append(s)
    # the "(PNC)" of "Policía Nacional Civil (PNC)" is not a second agency
    out = [s for s in out if not any(o is not s and o.start <= s.start and s.end <= o.end for o in out)]
    for acr, d in defined.items():
        for m in re.finditer(rf"(?<!\w){re.escape(acr)}(?!\w)", text):
            if all(m.end() <= s.start or m.start() >= s.end for s in out):
                out.append(
                    _Span(
                        m.start(),
                        m.end(),
                        d.name,
                        d.priority,
                        d.known,
                        f"acronym:{acr}",
                        kind=d.kind,
                        country=d.country,
                    )
                )
    return sorted(out, key=lambda s: s.start)


# --------------------------------------------------------------------------- nationalities


def find_nationalities(
    text: str, lang: str, kb: KnowledgeBase, doc: Doc | None = None
) -> tuple[NationalityMatch, ...]:
    """Demonyms that describe people ("three Venezuelans", "ciudadanos paraguayos").

    Demonyms describing agencies, places, groups or things ("Peruvian police", "Venezuelan
    state", "Mexican cartel", "of Venezuelan origin") are left out: a demonym counts only with
    evidence that it names people (a person noun, a plural noun use, "of X nationality",
    a determiner or a copula).
    """
    index = kb.demonym_index.get(lang)
    if index is None:
        return ()
    pat = kb.patterns
    tokens = tokenize(text)
    hits = index.find(text, tokens)
    out: list[NationalityMatch] = []
    for group in _coordinated(text, tokens, hits):
        people = (
            _people_en(text, tokens, group, kb, pat)
            if lang == "en"
            else _people_es(text, tokens, group, kb, pat)
        )
        for h in people:
            end = _hit_end(text, h)
            out.append(NationalityMatch(text[h.start : end], h.start, end, h.alias.target))
    return tuple(out)


def _coordinated(text: str, tokens: Sequence[Token], hits: Sequence[Hit]) -> list[list[Hit]]:
    """Group demonyms joined by commas and "and"/"y" ("Colombian, Venezuelan and Peruvian")."""
    groups: list[list[Hit]] = []
    for h in hits:
        if groups:
            prev = groups[-1][-1]
            between = text[prev.end : h.start]
            if re.fullmatch(r"\s*(?:,\s*)?(?:(?:and|or|y|e|o|&)\s+)?", between) and h.i - prev.j <= 1:
                groups[-1].append(h)
                continue
        groups.append([h])
    return groups


def _hit_end(text: str, h: Hit) -> int:
    """End of a demonym hit, with the full stop of an abbreviation ("U.S.")."""
    return h.end + 1 if h.alias.text.endswith(".") and text[h.end : h.end + 1] == "." else h.end


def _is_plural_en(h: Hit, kb: KnowledgeBase) -> bool:
    word = h.alias.text
    return word.endswith("s") and kb.demonym(word[:-1], "en") == h.alias.target


def _next_norm(tokens: Sequence[Token], j: int) -> str | None:
    """The next word, folded; None at the end or when capitalized (part of a name: "National Police")."""
    return tokens[j].norm if j < len(tokens) and not _is_cap(tokens[j]) else None


def _punct_after(text: str, tokens: Sequence[Token], j: int, end: int) -> bool:
    nxt = tokens[j].start if j < len(tokens) else len(text)
    return bool(re.search(r"[.,;:!?)\]”\"—–-]", text[end:nxt])) or j >= len(tokens)


def _people_en(
    text: str, tokens: Sequence[Token], group: list[Hit], kb: KnowledgeBase, pat: EntityPatterns
) -> list[Hit]:
    last, first = group[-1], group[0]
    j = last.j
    # a person noun after the demonym(s), past a couple of modifiers: "Venezuelan gang members"
    last_end = _hit_end(text, last)
    if not _punct_after(text, tokens, j, last_end):
        for k in range(j, min(j + 3, len(tokens))):
            if k > j and not gap_ok(text, tokens[k - 1], tokens[k]):
                break
            # a capitalized noun is part of a name ("Ecuadorian National Police"), not a person
            if tokens[k].norm in pat.w("nationality.person_nouns_en") and not _is_cap(tokens[k]):
                return list(group)
            if tokens[k].norm not in pat.w("nationality.person_modifiers_en"):
                break
    prev = tokens[first.i - 1].norm if first.i > 0 else None
    ends_noun = _punct_after(text, tokens, j, last_end) or _next_norm(tokens, j) in pat.w(
        "nationality.noun_followers_en"
    )
    out = []
    for h in group:
        if _is_plural_en(h, kb) and (
            _punct_after(text, tokens, h.j, _hit_end(text, h))
            or _next_norm(tokens, h.j) not in pat.w("agency.heads")
        ):
            out.append(h)  # "three Venezuelans"
    if out:
        return out
    if ends_noun and prev in pat.w("nationality.noun_determiners_en"):
        return list(group)  # "a Mexican who led", "one Peruvian)"
    if ends_noun and (prev in pat.w("nationality.copulas_en") or prev == "all"):
        return list(group)  # "the others are Peruvian."
    return []


def _people_es(
    text: str, tokens: Sequence[Token], group: list[Hit], kb: KnowledgeBase, pat: EntityPatterns
) -> list[Hit]:
    first = group[0]
    # a person noun before, past a couple of modifiers: "ciudadanos paraguayos", "mujeres colombianas"
    k = first.i - 1
    steps = 0
    while k >= 0 and steps < 3:
        if not gap_ok(text, tokens[k], tokens[k + 1]):
            break
        norm = tokens[k].norm
        if norm in pat.w("nationality.person_nouns_es") or norm in pat.w("nationality.nationality_words_es"):
            return list(group)
        if norm not in pat.w("nationality.person_modifiers_es"):
            break
        k -= 1
        steps += 1
    out = []
    for idx, h in enumerate(group):
        prev_tok = tokens[h.i - 1] if h.i > 0 else None
        prev = prev_tok.norm if prev_tok else None
        if idx > 0 and prev in ("y", "e", "o"):
            prev = tokens[group[0].i - 1].norm if group[0].i > 0 else None
        plural = h.alias.text.endswith("s")
        nxt = tokens[h.j] if h.j < len(tokens) else None
        next_is_name = nxt is not None and _is_cap(nxt) and not _punct_after(text, tokens, h.j, h.end)
        determiners = pat.w("nationality.noun_determiners_es")
        # "dos bolivianos", "un ecuatoriano de 21 años"; a singular after an article is a language
        # or a thing ("el español"), not a person
        det = prev is not None and (prev in determiners or prev.isdigit()) and not next_is_name
        if det and (plural or prev not in ("el", "la", "los", "las", "y")):
            out.append(h)
            continue
        if prev in pat.w("nationality.copulas_es") and plural:
            out.append(h)  # "eran colombianos"
    return out


# --------------------------------------------------------------------------- persons

_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ]\.|[A-ZÁÉÍÓÚÑ][\w'’\-]+)"
_PERSON_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:(?:de|del|de la|da|dos)[ \t]+)?{_NAME_WORD}){{1,5}}"
_ALIAS = (
    r"(?:[“\"‘'«](?P<{g}q>[^”\"’'»\n]{{1,40}})[”\"’'»]"
    r"|(?P<{g}w>[A-ZÁÉÍÓÚÑ][\w\-]*(?:[ \t]+[A-ZÁÉÍÓÚÑ][\w\-]*){{0,2}}))"
)


def _alias_re(g: str) -> str:
    return _ALIAS.format(g=g)


def find_persons(
    text: str, lang: str, doc: Doc | None = None, kb: KnowledgeBase | None = None
) -> tuple[PersonMatch, ...]:
    """People named in ``text`` with an alias ("Yomar Delgado, alias Nino", "alias ‘Morgan’",
    "Jorge “El Cos” Costilla-Sanchez") or a title ("coronel William Morales"), with a role
    guessed from cue words in the sentence (arrested / leader / victim / official).
    Only people named in the text are returned; nothing is inferred. ``kb`` (default: the
    bundled one) tells group and agency names apart from people's names.
    """
    kb = kb if kb is not None else load_knowledge_base()
    pat = kb.patterns
    lg = lang if lang in ("en", "es") else "en"
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
    taken += [(o.start, o.end) for o in find_organizations(text, lang, kb, doc)]

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
        a = m.group("bq") or m.group("bw")
        if a and (a[0].isupper() or a[0].isdigit()):
            add(m.start(), m.end(), a, a)
        pos = m.end()
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
    return tuple(sorted(found, key=lambda p: p.start))


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
