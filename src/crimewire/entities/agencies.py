"""Agencies: police, prosecutors, military, courts and ministries named in text.

The agency lexicon, capitalized phrases headed by an agency word ("Tribunal Oral en lo Penal de
Arica"), "[demonym] police", "[Country]'s navy" and the bare "police".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from crimewire.entities._common import _cap_run, _clean_name, _context_ok, _is_cap, _resolve, _Span
from crimewire.kb import KnowledgeBase, Token, fold, gap_ok, name_key, tokenize
from crimewire.records import AgencyMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_agencies(
    text: str, lang: str, kb: KnowledgeBase, doc: Doc | None = None, *, tokens: Sequence[Token] | None = None
) -> tuple[AgencyMatch, ...]:
    """Police, prosecutors, military, courts and ministries named in ``text``.

    Lexicon names keep their canonical name; names found by pattern keep the name as
    written ("Tribunal Oral en lo Penal de Arica", "Peruvian police"). An acronym in
    parentheses after a name is part of the same match, and later uses of that acronym
    are matched too. ``tokens`` is ``tokenize(text)`` when the caller already has it.
    """
    pat = kb.patterns
    if tokens is None:
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
    nouns = pat.phrases(f"agency.nouns_{lang}")  # by first word, longest first
    heads = pat.w("agency.heads")

    def noun_at(k: int) -> int | None:
        for nn in nouns.starting(tokens[k].norm if k < len(tokens) else ""):
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
        # the noun ends right before a demonym ("policía peruana"): only those few starts are tried
        longest = max((len(nn) for group in (*nouns.by_first.values(), nouns.empty) for nn in group), default=0)
        starts = sorted({i - d for i in dem for d in range(0 if nouns.empty else 1, longest + 1) if i - d >= 0})
        for k in starts:
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
    keys = pat.phrases(f"agency.single_{lang}")  # by first word, longest first
    modifier_of = pat.w("agency.police_modifier_of")
    after = pat.w("agency.single_es_after")
    out: list[_Span] = []
    for k in range(len(tokens)):
        for key in keys.starting(tokens[k].norm):
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
