"""Persons: people named in text with an alias or a title, with a role guessed from cue words."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from crimewire.entities._common import _clean_name, _sentence_of, sentence_spans
from crimewire.entities.organizations import find_organizations
from crimewire.kb import EntityPatterns, KnowledgeBase, Token, fold, load_knowledge_base, name_key
from crimewire.records import OrgMatch, PersonMatch

if TYPE_CHECKING:
    from spacy.tokens import Doc


_NAME_WORD = r"(?:[A-ZÁÉÍÓÚÑ]\.|[A-ZÁÉÍÓÚÑ][\w'’\-]+)"
_PERSON_NAME = rf"{_NAME_WORD}(?:[ \t]+(?:(?:de|del|de la|da|dos)[ \t]+)?{_NAME_WORD}){{1,5}}"
_ALIAS = (
    r"(?:[“\"‘'«](?P<{g}q>[^”\"’'»\n]{{1,40}})[”\"’'»]"
    r"|(?P<{g}w>[A-ZÁÉÍÓÚÑ][\w\-]*(?:[ \t]+[A-ZÁÉÍÓÚÑ][\w\-]*){{0,2}}))"
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
    guessed from cue words in the sentence (arrested / leader / victim / official).
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
