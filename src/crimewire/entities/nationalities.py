"""Nationalities: demonyms that describe people, not agencies, places or groups."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crimewire.counts import folded_number_words
from crimewire.entities._common import _is_cap
from crimewire.kb import EntityPatterns, Hit, KnowledgeBase, Token, gap_ok, tokenize
from crimewire.records import NationalityMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_nationalities(
    text: str, lang: str, kb: KnowledgeBase, doc: Doc | None = None, *, tokens: Sequence[Token] | None = None
) -> tuple[NationalityMatch, ...]:
    """Demonyms that describe people ("three Venezuelans", "ciudadanos paraguayos").

    Demonyms describing agencies, places, groups or things ("Peruvian police", "Venezuelan
    state", "Mexican cartel", "of Venezuelan origin") are left out: a demonym counts only with
    evidence that it names people (a person noun, a plural noun use, "of X nationality",
    a determiner or a copula). ``tokens`` is ``tokenize(text)`` when the caller already has it.
    """
    index = kb.demonym_index.get(lang)
    if index is None:
        return ()
    pat = kb.patterns
    if tokens is None:
        tokens = tokenize(text)
    hits = index.find(text, tokens)
    out: list[NationalityMatch] = []
    numbers = folded_number_words(lang)
    for group in _coordinated(text, tokens, hits, numbers):
        people = (
            _people_en(text, tokens, group, kb, pat)
            if lang == "en"
            else _people_es(text, tokens, group, kb, pat, numbers)
        )
        for h in people:
            end = _hit_end(text, h)
            out.append(NationalityMatch(text[h.start : end], h.start, end, h.alias.target))
    return tuple(out)


def _coordinated(
    text: str, tokens: Sequence[Token], hits: Sequence[Hit], numbers: frozenset[str] = frozenset()
) -> list[list[Hit]]:
    """Group demonyms joined by commas and "and"/"y" ("Colombian, Venezuelan and Peruvian"),
    also when each carries its own count ("15 Venezuelan and five Colombian women")."""
    groups: list[list[Hit]] = []
    for h in hits:
        if groups:
            prev = groups[-1][-1]
            between = text[prev.end : h.start]
            joined = re.fullmatch(r"\s*(?:,\s*)?(?:(?:and|or|y|e|o|&)\s+)?", between) and h.i - prev.j <= 1
            counted = (h.i - prev.j == 2 and (tokens[h.i - 1].norm.isdigit() or tokens[h.i - 1].norm in numbers)
                       and re.fullmatch(r"\s*(?:,\s*)?(?:and|y|e)\s+\S+\s+", between))
            if joined or counted:
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
    aged = prev in ("old",) and "year" in text[max(0, tokens[first.i - 1].start - 8) : tokens[first.i - 1].start]
    if ends_noun and (prev in pat.w("nationality.noun_determiners_en") or aged):
        return list(group)  # "a Mexican who led", "one Peruvian)", "the 38-year-old Ecuadorian,"
    if ends_noun and (prev in pat.w("nationality.copulas_en") or prev == "all"):
        return list(group)  # "the others are Peruvian."
    return []


def _people_es(
    text: str, tokens: Sequence[Token], group: list[Hit], kb: KnowledgeBase, pat: EntityPatterns,
    numbers: frozenset[str] = frozenset(),
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
    # "25 migrantes de origen argelino": origin of people, read through "de origen".
    if first.i >= 3 and tokens[first.i - 1].norm in pat.w("nationality.origin_words_es") and tokens[
        first.i - 2
    ].norm == "de" and tokens[first.i - 3].norm in pat.w("nationality.person_nouns_es"):
        return list(group)
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
        det = prev is not None and (prev in determiners or prev.isdigit() or prev in numbers) and not next_is_name
        if det and (plural or prev not in ("el", "la", "los", "las", "y")):
            out.append(h)
            continue
        # "El hondureño Marvin Josué Paz": an article, the demonym, then the person's name.
        if prev in ("el", "la") and next_is_name and not plural:
            out.append(h)
            continue
        if prev in pat.w("nationality.copulas_es") and plural:
            out.append(h)  # "eran colombianos"
    return out
