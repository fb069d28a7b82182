"""The knowledge base: criminal groups, agencies, demonyms and the cue words of the entity finders.

Everything is read from ``src/crimewire/data/`` (or another directory with the same four files),
validated once, and compiled into token indexes so that matching thousands of articles never
rebuilds anything. ``load_knowledge_base`` caches one ``KnowledgeBase`` per directory.
"""

from __future__ import annotations

import json
import re
import tomllib
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

import pycountry

from crimewire.errors import DataError

DATA_DIR = Path(__file__).parent / "data"
ORG_FILE = "organizations.json"
AGENCY_FILE = "agencies.json"
DEMONYM_FILE = "demonyms.json"
PATTERN_FILE = "entity_patterns.toml"
LANGS: tuple[str, ...] = ("en", "es")

ORG_KINDS = frozenset(
    {"cartel", "gang", "mafia", "guerrilla", "paramilitary", "faction", "armed wing", "front", "coalition"}
)
AGENCY_KINDS = frozenset(
    {"police", "prosecutor", "military", "court", "migration", "intelligence", "government", "other"}
)
# Kosovo's code is user-assigned in ISO 3166-1 (so absent from pycountry) but used by the EU and the UN.
_EXTRA_CODES = frozenset({"XK"})

_WORD_RE = re.compile(r"[^\W_]+")
# What may stand between two tokens of one name: spaces, a hyphen or slash (spaced or not), or an
# apostrophe touching both words ("Prosecutor's", "d’Esquadra"; a spaced one opens a quote).
_GAP_RE = re.compile(r"\s*(?:[\-‐‑–/]\s*)?|['’]")


# --------------------------------------------------------------------------- text helpers


def strip_accents(text: str) -> str:
    """``text`` without diacritics ("Cártel" -> "Cartel"), case kept."""
    if text.isascii():  # NFKD leaves ASCII as it is (most English words)
        return text
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def fold(text: str) -> str:
    """Accent- and case-insensitive form of ``text``, for comparisons."""
    if text.isascii():
        return text.casefold()
    return strip_accents(text).casefold()


@lru_cache(maxsize=65536)
def fold_word(word: str) -> str:
    """``fold`` of one word, memoized: news vocabulary repeats, and every token is folded."""
    return fold(word)


class Token(NamedTuple):
    """A run of letters and digits in a text, with its offsets and folded form.

    A NamedTuple rather than a frozen dataclass: every article makes hundreds of them, and a
    tuple is built about three times faster (measured: 0.5 vs 1.8 µs).
    """

    text: str
    start: int
    end: int
    norm: str


def tokenize(text: str) -> tuple[Token, ...]:
    """Split ``text`` into letter/digit tokens; punctuation, hyphens and apostrophes separate them."""
    # tuple.__new__ directly: the NamedTuple's own __new__ is a Python function, and an article
    # has thousands of tokens
    new, fold_ = tuple.__new__, fold_word
    return tuple(new(Token, (m.group(), m.start(), m.end(), fold_(m.group()))) for m in _WORD_RE.finditer(text))


def name_key(text: str) -> str:
    """The comparison key of a name: its folded tokens joined by one space."""
    return " ".join(fold_word(w) for w in _WORD_RE.findall(text))


def gap_ok(text: str, left: Token, right: Token, newlines: int = 1) -> bool:
    """Whether ``left`` and ``right`` are adjacent words of one name in ``text``.

    A full stop may sit between them only after a one- or two-letter token ("U.S. Justice
    Department"), so that a name never runs across a sentence end; at most ``newlines`` line
    breaks may (a wrapped line, never a paragraph break).
    """
    gap = text[left.end : right.start]
    if gap.count("\n") > newlines:
        return False
    if _GAP_RE.fullmatch(gap):
        return True
    if len(left.text) <= 2 and gap.count(".") == 1 and gap.startswith("."):
        return _GAP_RE.fullmatch(gap[1:]) is not None
    return False


# --------------------------------------------------------------------------- alias index


@dataclass(frozen=True, slots=True)
class Alias:
    """One surface form of a knowledge-base entry, compiled for matching."""

    text: str  # as written in the data file
    target: str  # canonical name (or ISO code, for demonyms)
    norms: tuple[str, ...]  # folded tokens
    forms: tuple[str, ...]  # accent-stripped tokens, case kept
    mode: str  # "exact" (acronyms: case-sensitive) | "strict" (capitals required) | "free"
    needs_context: bool  # short acronyms and ambiguous names need supporting context


@dataclass(frozen=True, slots=True)
class Hit:
    """An alias found in a text: token indexes ``[i, j)`` and character offsets."""

    alias: Alias
    i: int
    j: int
    start: int
    end: int


def alias_mode(alias: str, strict: Iterable[str] = ()) -> str:
    """Matching mode of ``alias``: acronyms are "exact", listed ambiguous names "strict", others "free"."""
    letters = [c for c in alias if c.isalpha()]
    upper = sum(c.isupper() for c in letters)
    one_word = not any(c.isspace() for c in alias.strip()) and bool(letters)
    mostly_upper = upper >= 2 and upper * 2 >= len(letters)  # "PCC", "TdA", "MS-13"
    all_upper_short = len(letters) <= 2 and upper == len(letters)  # "CV", "G9"
    if one_word and (mostly_upper or all_upper_short):
        return "exact"
    return "strict" if alias in set(strict) else "free"


def compile_alias(text: str, target: str, mode: str, needs_context: bool = False) -> Alias | None:
    """Compile one alias; None when it has no letters or digits."""
    toks = _WORD_RE.findall(text)
    if not toks:
        return None
    return Alias(
        text=text,
        target=target,
        norms=tuple(fold(t) for t in toks),
        forms=tuple(strip_accents(t) for t in toks),
        mode=mode,
        needs_context=needs_context,
    )


@dataclass(frozen=True, slots=True)
class _TrieNode:
    """A prefix of folded alias tokens: the alias that ends here, and the next tokens."""

    alias: Alias | None
    children: Mapping[str, _TrieNode]


def _build_trie(aliases: Iterable[Alias]) -> Mapping[str, _TrieNode]:
    """Token trie over ``aliases`` (one alias per folded form), keyed by folded token."""
    root: dict[str, Any] = {}  # norm -> [alias, children]
    for a in aliases:
        level = root
        slot: list[Any] = []
        for norm in a.norms:
            slot = level.setdefault(norm, [None, {}])
            level = slot[1]
        slot[0] = a

    def freeze(level: dict[str, Any]) -> Mapping[str, _TrieNode]:
        return MappingProxyType({k: _TrieNode(v[0], freeze(v[1])) for k, v in level.items()})

    return freeze(root)


@dataclass(frozen=True, eq=False, slots=True)
class AliasIndex:
    """Aliases indexed by their first folded token; matching is leftmost-longest.

    ``fillers`` may sit between two alias tokens without breaking the match ("Sinaloa drug
    cartel"); ``articles`` are exempt from the capitals check of strict aliases ("los Gallegos").
    Matching walks a token trie built from ``by_first``, so that one failed step rejects every
    alias sharing the prefix ("la", "el", "de" start many Spanish aliases).
    """

    by_first: Mapping[str, tuple[Alias, ...]]
    fillers: frozenset[str] = frozenset()
    articles: frozenset[str] = frozenset()
    max_fillers: int = 2  # "Sinaloa drug trafficking cartel" needs two; more would join distant words
    trie: Mapping[str, _TrieNode] | None = None  # built from ``by_first`` when not given

    def __post_init__(self) -> None:
        if self.trie is None:
            aliases = (a for group in self.by_first.values() for a in group)
            object.__setattr__(self, "trie", _build_trie(aliases))

    @staticmethod
    def build(
        aliases: Iterable[Alias], fillers: Iterable[str] = (), articles: Iterable[str] = ()
    ) -> AliasIndex:
        """Index ``aliases`` (longest first within each first token)."""
        groups: dict[str, dict[tuple[str, ...], Alias]] = {}
        for a in aliases:
            bucket = groups.setdefault(a.norms[0], {})
            prev = bucket.get(a.norms)
            # one folded form, several spellings: keep the most permissive mode
            if prev is None or _MODE_RANK[a.mode] > _MODE_RANK[prev.mode]:
                bucket[a.norms] = a
        by_first = {
            k: tuple(sorted(v.values(), key=lambda a: (-len(a.norms), a.text))) for k, v in groups.items()
        }
        return AliasIndex(
            MappingProxyType(by_first),
            frozenset(fold(f) for f in fillers),
            frozenset(fold(a) for a in articles),
        )

    def find(self, text: str, tokens: Sequence[Token]) -> list[Hit]:
        """All non-overlapping hits in ``text`` (tokenized as ``tokens``), leftmost-longest."""
        hits: list[Hit] = []
        trie = self.trie
        assert trie is not None
        resume = 0  # the token after the last hit
        # most tokens start no alias; t[3] is t.norm without the NamedTuple property call
        for i in [k for k, t in enumerate(tokens) if t[3] in trie]:
            if i < resume:
                continue
            hit = self.match_at(text, tokens, i)
            if hit is not None:
                hits.append(hit)
                resume = hit.j
        return hits

    def match_at(self, text: str, tokens: Sequence[Token], i: int) -> Hit | None:
        """The longest alias starting at token ``i``, or None.

        Among the aliases whose tokens all follow from ``i`` (fillers allowed between them), the
        one with most tokens wins, then the first by text; it must pass its capitals check.
        """
        assert self.trie is not None
        node = self.trie.get(tokens[i].norm)
        if node is None:
            return None
        found: list[tuple[Alias, tuple[int, ...], int]] = []
        self._walk(text, tokens, node, i + 1, 0, (i,), found)
        if len(found) > 1:
            found.sort(key=lambda f: (-len(f[0].norms), f[0].text))
        for alias, matched, j in found:
            if self._case_ok(alias, [tokens[m] for m in matched]):
                return Hit(alias, i, j, tokens[i].start, tokens[j - 1].end)
        return None

    def _walk(
        self,
        text: str,
        tokens: Sequence[Token],
        node: _TrieNode,
        pos: int,
        skipped: int,
        matched: tuple[int, ...],
        found: list[tuple[Alias, tuple[int, ...], int]],
    ) -> None:
        """Collect the aliases below ``node`` whose next tokens follow from token ``pos``.

        Each alias reads the text as on its own: its next token is the first one from ``pos``
        that is not a filler skipped on the way (at most ``max_fillers`` in the whole alias).
        """
        if node.alias is not None:
            found.append((node.alias, matched, pos))
        children = node.children
        if not children:
            return
        n = len(tokens)
        t, s = pos, skipped
        taken: set[str] = set()
        while t < n and gap_ok(text, tokens[t - 1], tokens[t]):
            norm = tokens[t].norm
            child = children.get(norm)
            if child is not None and norm not in taken:
                taken.add(norm)  # that child's token is found; a later filler of the same word is not it
                self._walk(text, tokens, child, t + 1, s, (*matched, t), found)
            if norm in self.fillers and s < self.max_fillers:
                s += 1
                t += 1
            else:
                break

    def _case_ok(self, alias: Alias, toks: list[Token]) -> bool:
        if alias.mode == "free":
            return True
        if alias.mode == "exact":
            return all(strip_accents(t.text) == f for t, f in zip(toks, alias.forms, strict=True))
        for t, f, n in zip(toks, alias.forms, alias.norms, strict=True):
            if (
                f[:1].isupper()
                and n not in self.articles
                and not (t.text[:1].isupper() or t.text[:1].isdigit())
            ):
                return False
        return True


_MODE_RANK = {"exact": 0, "strict": 1, "free": 2}


# --------------------------------------------------------------------------- records


@dataclass(frozen=True, slots=True)
class OrgInfo:
    """A criminal group of the knowledge base."""

    name: str
    aliases: tuple[str, ...]
    parent: str | None
    kind: str
    countries: tuple[str, ...]
    origin: str | None
    strict_case: tuple[str, ...] = ()  # aliases that match only when capitalized as written
    context_aliases: tuple[str, ...] = ()  # aliases that need supporting context


@dataclass(frozen=True, slots=True)
class BlockedName:
    """A name that looks like a criminal group but is not one ("Tren Maya", "Cartel de Santa")."""

    name: str
    reason: str


@dataclass(frozen=True, slots=True)
class AgencyInfo:
    """A police force, prosecutor, military, court, migration or intelligence body."""

    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str | None  # None: the name is used in several countries


@dataclass(frozen=True, slots=True)
class CountryInfo:
    """A country's names and demonyms in English and Spanish."""

    code: str
    names_en: tuple[str, ...]
    names_es: tuple[str, ...]
    demonyms_en: tuple[str, ...]
    demonyms_es: tuple[str, ...]

    def names(self, lang: str) -> tuple[str, ...]:
        """Country names in ``lang``."""
        return self.names_es if lang == "es" else self.names_en

    def demonyms(self, lang: str) -> tuple[str, ...]:
        """Demonyms in ``lang``."""
        return self.demonyms_es if lang == "es" else self.demonyms_en


@dataclass(frozen=True, slots=True)
class DiscoveryRule:
    """A cue pattern that discovers a group's name not in the knowledge base."""

    rule: str
    lang: str  # "en", "es" or "*"
    kind: str  # "after" | "before"
    regex: re.Pattern[str]
    restrict: str  # "any" | "marked"
    parent: str  # "none" | "cue_org" | "adjacent_before" | "preceding"
    include_cue: bool = False
    keep_head: frozenset[str] = frozenset()
    weak: bool = False  # also fits places: names are checked with the caller's place test
    require_before: frozenset[str] = frozenset()  # kind "before": folded word required before the name
    # A part of the pattern that every match contains, in lower case, searched first in the
    # lowercased text: most articles hold no match, and a pattern that can start anywhere costs
    # a scan of every position (speed only; a case-sensitive search is ~10x faster).
    gate: re.Pattern[str] | None = None


@dataclass(frozen=True, slots=True)
class PhraseIndex:
    """Phrases of folded tokens indexed by their first token, longest first.

    Phrases of equal length keep the order of the data file; a phrase without tokens (a
    malformed entry) starts everywhere, after the others.
    """

    by_first: Mapping[str, tuple[tuple[str, ...], ...]]
    empty: tuple[tuple[str, ...], ...] = ()

    @staticmethod
    def build(phrases: Iterable[tuple[str, ...]]) -> PhraseIndex:
        """Index ``phrases`` (tuples of folded tokens) by first token."""
        groups: dict[str, list[tuple[str, ...]]] = {}
        empty: list[tuple[str, ...]] = []
        for ph in sorted(phrases, key=len, reverse=True):
            if ph:
                groups.setdefault(ph[0], []).append(ph)
            else:
                empty.append(ph)
        return PhraseIndex(MappingProxyType({k: tuple(v) for k, v in groups.items()}), tuple(empty))

    def starting(self, norm: str) -> tuple[tuple[str, ...], ...]:
        """The phrases that may start at a token folded as ``norm``, in matching order."""
        found = self.by_first.get(norm, ())
        return found + self.empty if self.empty else found


_NO_PHRASES = PhraseIndex(MappingProxyType({}))


@dataclass(frozen=True, eq=False, slots=True)
class EntityPatterns:
    """The cue words of ``entity_patterns.toml``, folded and compiled.

    ``words`` holds every word list by dotted key ("nationality.person_nouns_en"), folded;
    the few structured entries have their own fields.
    """

    words: Mapping[str, frozenset[str]]
    raw: Mapping[str, tuple[str, ...]]  # the same lists, as written (titles, cue phrases)
    maps: Mapping[str, Mapping[str, str]]  # agency.single_en / single_es: folded key -> name
    numbers: Mapping[str, int]
    discovery: tuple[DiscoveryRule, ...]
    parent_cues: Mapping[str, re.Pattern[str]]
    parent_gates: Mapping[str, re.Pattern[str]]  # per language, as DiscoveryRule.gate
    extensions: Mapping[str, re.Pattern[str]]
    open_quotes: str
    close_quotes: str
    kind_order: tuple[str, ...]
    kind_words: Mapping[str, tuple[str, ...]]
    # every word list and map of ``raw``/``maps`` as phrases of folded tokens, by first token
    phrase_index: Mapping[str, PhraseIndex]

    def phrases(self, key: str) -> PhraseIndex:
        """The word list or map ``key`` as phrases indexed by first token (empty when absent)."""
        return self.phrase_index.get(key, _NO_PHRASES)

    def w(self, key: str) -> frozenset[str]:
        """The folded word set ``key`` (empty when absent)."""
        return self.words.get(key, frozenset())

    def wl(self, key: str, lang: str) -> frozenset[str]:
        """The folded word set ``key_lang`` ("nationality.person_nouns", "es")."""
        return self.words.get(f"{key}_{lang}", frozenset())


@dataclass(frozen=True, eq=False, slots=True)
class KnowledgeBase:
    """Validated knowledge base with compiled indexes; build it with ``load_knowledge_base``."""

    path: Path
    organizations: tuple[OrgInfo, ...]
    blocklist: tuple[BlockedName, ...]
    agencies: tuple[AgencyInfo, ...]
    countries: tuple[CountryInfo, ...]
    patterns: EntityPatterns
    org_index: AliasIndex
    blocked_index: AliasIndex
    agency_index: AliasIndex
    demonym_index: Mapping[str, AliasIndex]  # by language
    country_index: Mapping[str, AliasIndex]  # country names, by language
    org_by_key: Mapping[str, OrgInfo]
    agency_by_key: Mapping[str, AgencyInfo]
    demonym_by_key: Mapping[str, Mapping[str, str]]  # lang -> folded demonym -> ISO
    country_by_code: Mapping[str, CountryInfo]
    blocked_keys: frozenset[str]
    factions: Mapping[str, tuple[str, ...]]
    country_by_name: Mapping[str, str]  # name key of a country name (either language) -> ISO

    def organization(self, name_or_alias: str) -> OrgInfo | None:
        """The group named ``name_or_alias`` (any alias, any case; "Mexican Sinaloa cartel" too)."""
        key = name_key(name_or_alias)
        info = self.org_by_key.get(key)
        if info is not None or not key:
            return info
        # Tolerate the descriptors news add to a name: a leading article or demonym, fillers.
        toks = key.split()
        drop = self.org_index.fillers | self.patterns.w("common.articles")
        while toks and (toks[0] in drop or self.demonym(toks[0], "en") or self.demonym(toks[0], "es")):
            toks = toks[1:]
        toks = [toks[0], *[t for t in toks[1:] if t not in self.org_index.fillers]] if toks else []
        return self.org_by_key.get(" ".join(toks))

    def parent_of(self, name: str) -> str | None:
        """Canonical name of the parent group of ``name``, if it is a faction."""
        info = self.organization(name)
        return info.parent if info else None

    def factions_of(self, name: str) -> tuple[str, ...]:
        """Canonical names of the groups whose parent is ``name``."""
        info = self.organization(name)
        return self.factions.get(info.name, ()) if info else ()

    def agency(self, name: str) -> AgencyInfo | None:
        """The agency named ``name`` (any alias, any case)."""
        return self.agency_by_key.get(name_key(name))

    def demonym(self, word: str, lang: str | None = None) -> str | None:
        """ISO alpha-2 code of the demonym ``word`` ("venezolanas" -> "VE") in ``lang`` (any if None)."""
        key = name_key(word)
        langs = (lang,) if lang in LANGS else LANGS
        for lg in langs:
            code = self.demonym_by_key.get(lg, {}).get(key)
            if code is not None:
                # "us" is a pronoun; only the capitalized forms are the demonym
                if key in {"us", "u s"} and not word.replace(".", "").isupper():
                    continue
                return code
        return None

    def country_of_name(self, name: str) -> str | None:
        """ISO code of a country name ("Perú", "Colombia") in either language."""
        return self.country_by_name.get(name_key(name))

    def is_blocked(self, name: str) -> bool:
        """Whether ``name`` is a known look-alike that is not a criminal group."""
        return name_key(name) in self.blocked_keys


# --------------------------------------------------------------------------- loading


def load_knowledge_base(path: Path | None = None) -> KnowledgeBase:
    """Load and validate the knowledge base in directory ``path`` (default: the bundled data).

    Cached per directory. Raises ``DataError`` naming the file and entry on any problem:
    missing or malformed files, unknown parents, duplicate aliases, bad ISO codes.
    """
    return _load(Path(path).resolve() if path is not None else DATA_DIR.resolve())


def load_entity_patterns(path: Path | None = None) -> EntityPatterns:
    """Load the cue words of ``entity_patterns.toml`` in directory ``path`` (cached)."""
    return _load_patterns(Path(path).resolve() if path is not None else DATA_DIR.resolve())


@cache
def _load(directory: Path) -> KnowledgeBase:
    patterns = _load_patterns(directory)
    orgs, blocked = _read_orgs(directory / ORG_FILE)
    agencies = _read_agencies(directory / AGENCY_FILE)
    countries = _read_countries(directory / DEMONYM_FILE)
    articles = patterns.w("common.articles")

    org_aliases: list[Alias] = []
    org_by_key: dict[str, OrgInfo] = {}
    for o in orgs:
        for form in (o.name, *o.aliases):
            mode = alias_mode(form, o.strict_case)
            a = compile_alias(form, o.name, mode, _ambiguous_acronym(form, mode) or form in o.context_aliases)
            if a is not None:
                org_aliases.append(a)
                org_by_key[" ".join(a.norms)] = o
    blocked_aliases = [a for b in blocked if (a := compile_alias(b.name, b.name, "free")) is not None]
    agency_aliases: list[Alias] = []
    agency_by_key: dict[str, AgencyInfo] = {}
    for ag in agencies:
        for form in (ag.name, *ag.aliases):
            mode = alias_mode(form)
            a = compile_alias(form, ag.name, mode, _ambiguous_acronym(form, mode))
            if a is not None:
                agency_aliases.append(a)
                agency_by_key[" ".join(a.norms)] = ag
    demonym_index: dict[str, AliasIndex] = {}
    country_index: dict[str, AliasIndex] = {}
    demonym_by_key: dict[str, dict[str, str]] = {}
    for lang in LANGS:
        dem: list[Alias] = []
        names: list[Alias] = []
        keys: dict[str, str] = {}
        for c in countries:
            for form in c.demonyms(lang):
                # English demonyms are capitalized; a lowercase "american" is not one
                mode = (
                    alias_mode(form)
                    if lang == "en" and alias_mode(form) == "exact"
                    else ("strict" if lang == "en" else "free")
                )
                a = compile_alias(form, c.code, mode)
                if a is not None:
                    dem.append(a)
                    keys[" ".join(a.norms)] = c.code
            for form in c.names(lang):
                mode = "exact" if alias_mode(form) == "exact" else "strict"
                a = compile_alias(form, c.code, mode)
                if a is not None:
                    names.append(a)
        demonym_index[lang] = AliasIndex.build(dem)
        country_index[lang] = AliasIndex.build(names)
        demonym_by_key[lang] = keys
    country_by_name: dict[str, str] = {}
    for c in countries:  # the first country listing a name keeps it
        for n in (*c.names_en, *c.names_es):
            country_by_name.setdefault(name_key(n), c.code)
    factions: dict[str, list[str]] = {}
    for o in orgs:
        if o.parent:
            factions.setdefault(o.parent, []).append(o.name)
    return KnowledgeBase(
        path=directory,
        organizations=orgs,
        blocklist=blocked,
        agencies=agencies,
        countries=countries,
        patterns=patterns,
        org_index=AliasIndex.build(org_aliases, patterns.w("org.fillers"), articles),
        blocked_index=AliasIndex.build(blocked_aliases),
        agency_index=AliasIndex.build(agency_aliases, (), articles),
        demonym_index=MappingProxyType(demonym_index),
        country_index=MappingProxyType(country_index),
        org_by_key=MappingProxyType(org_by_key),
        agency_by_key=MappingProxyType(agency_by_key),
        demonym_by_key=MappingProxyType({k: MappingProxyType(v) for k, v in demonym_by_key.items()}),
        country_by_code=MappingProxyType({c.code: c for c in countries}),
        blocked_keys=frozenset(name_key(b.name) for b in blocked),
        factions=MappingProxyType({k: tuple(v) for k, v in factions.items()}),
        country_by_name=MappingProxyType(country_by_name),
    )


def _ambiguous_acronym(form: str, mode: str) -> bool:
    """An all-capitals acronym of three letters or fewer ("CV", "PCC", "PDI") means many things;
    a mixed-case one ("TdA") is distinctive."""
    letters = [c for c in form if c.isalpha()]
    return mode == "exact" and len(letters) <= 3 and all(c.isupper() for c in letters)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    if not isinstance(data, dict):
        raise DataError(f"{path}: expected a JSON object at the top level")
    return data


def _entries(path: Path, data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key)
    if not isinstance(items, list) or not all(isinstance(e, dict) for e in items):
        raise DataError(f"{path}: {key!r} must be a list of objects")
    return items


def _str_list(path: Path, where: str, value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise DataError(f"{path}: {where}: expected a list of non-empty strings")
    return tuple(value)


def _iso(path: Path, where: str, code: Any, allow_none: bool = False) -> str | None:
    if code is None and allow_none:
        return None
    if not isinstance(code, str) or not (code in _EXTRA_CODES or pycountry.countries.get(alpha_2=code)):
        raise DataError(f"{path}: {where}: {code!r} is not an ISO 3166-1 alpha-2 code")
    return code


def _read_orgs(path: Path) -> tuple[tuple[OrgInfo, ...], tuple[BlockedName, ...]]:
    data = _read_json(path)
    orgs: list[OrgInfo] = []
    for e in _entries(path, data, "organizations"):
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"{path}: organization without a name: {e}")
        where = f"organization {name!r}"
        kind = e.get("kind")
        if kind not in ORG_KINDS:
            raise DataError(f"{path}: {where}: unknown kind {kind!r} (one of {sorted(ORG_KINDS)})")
        parent = e.get("parent")
        if parent is not None and not isinstance(parent, str):
            raise DataError(f"{path}: {where}: parent must be a name or null")
        aliases = _str_list(path, f"{where} aliases", e.get("aliases"))
        countries = tuple(
            c for c in _str_list(path, f"{where} countries", e.get("countries")) if _iso(path, where, c)
        )
        strict = _str_list(path, f"{where} strict_case", e.get("strict_case"))
        context = _str_list(path, f"{where} context_aliases", e.get("context_aliases"))
        for special in (*strict, *context):
            if special not in (name, *aliases):
                raise DataError(f"{path}: {where}: {special!r} is not one of its aliases")
        orgs.append(
            OrgInfo(
                name,
                aliases,
                parent,
                kind,
                countries,
                _iso(path, where, e.get("origin"), True),
                strict,
                context,
            )
        )
    names = {o.name for o in orgs}
    owner: dict[str, str] = {}
    for o in orgs:
        if o.parent is not None and o.parent not in names:
            raise DataError(f"{path}: organization {o.name!r}: unknown parent {o.parent!r}")
        if o.parent == o.name:
            raise DataError(f"{path}: organization {o.name!r} is its own parent")
        for form in (o.name, *o.aliases):
            key = name_key(form)
            if not key:
                raise DataError(f"{path}: organization {o.name!r}: alias {form!r} has no letters")
            if owner.get(key, o.name) != o.name:
                raise DataError(
                    f"{path}: organization {o.name!r}: alias {form!r} is also an alias of {owner[key]!r}"
                )
            owner[key] = o.name
    by_name = {o.name: o for o in orgs}
    for o in orgs:  # a parent chain must end
        seen, cur = {o.name}, o.parent
        while cur is not None:
            if cur in seen:
                raise DataError(f"{path}: organization {o.name!r}: parent cycle through {cur!r}")
            seen.add(cur)
            cur = by_name[cur].parent
    blocked: list[BlockedName] = []
    for e in _entries(path, data, "blocklist"):
        name, reason = e.get("name"), e.get("reason")
        if not isinstance(name, str) or not name.strip() or not isinstance(reason, str) or not reason.strip():
            raise DataError(f"{path}: blocklist entry needs a name and a reason: {e}")
        if name_key(name) in owner:
            raise DataError(
                f"{path}: blocklist entry {name!r} is an alias of organization {owner[name_key(name)]!r}"
            )
        blocked.append(BlockedName(name, reason))
    return tuple(orgs), tuple(blocked)


def _read_agencies(path: Path) -> tuple[AgencyInfo, ...]:
    data = _read_json(path)
    out: list[AgencyInfo] = []
    owner: dict[str, str] = {}
    for e in _entries(path, data, "agencies"):
        name = e.get("name")
        if not isinstance(name, str) or not name.strip():
            raise DataError(f"{path}: agency without a name: {e}")
        where = f"agency {name!r}"
        kind = e.get("kind")
        if kind not in AGENCY_KINDS:
            raise DataError(f"{path}: {where}: unknown kind {kind!r} (one of {sorted(AGENCY_KINDS)})")
        aliases = _str_list(path, f"{where} aliases", e.get("aliases"))
        country = _iso(path, where, e.get("country"), allow_none=True)
        for form in (name, *aliases):
            key = name_key(form)
            if owner.get(key, name) != name:
                raise DataError(f"{path}: {where}: alias {form!r} is also an alias of {owner[key]!r}")
            owner[key] = name
        out.append(AgencyInfo(name, aliases, kind, country))
    return tuple(out)


def _read_countries(path: Path) -> tuple[CountryInfo, ...]:
    data = _read_json(path)
    out: list[CountryInfo] = []
    owners: dict[tuple[str, str, str], str] = {}
    for e in _entries(path, data, "countries"):
        code = _iso(path, f"country {e.get('code')!r}", e.get("code"))
        assert code is not None
        names, dems = e.get("names") or {}, e.get("demonyms") or {}
        if not isinstance(names, dict) or not isinstance(dems, dict):
            raise DataError(f"{path}: country {code}: 'names' and 'demonyms' must be objects by language")
        info = CountryInfo(
            code,
            _str_list(path, f"country {code} names.en", names.get("en")),
            _str_list(path, f"country {code} names.es", names.get("es")),
            _str_list(path, f"country {code} demonyms.en", dems.get("en")),
            _str_list(path, f"country {code} demonyms.es", dems.get("es")),
        )
        for lang in LANGS:
            for what, forms in (("demonym", info.demonyms(lang)), ("name", info.names(lang))):
                for form in forms:
                    k = (what, lang, name_key(form))
                    if owners.get(k, code) != code:
                        raise DataError(
                            f"{path}: country {code}: {what} {form!r} ({lang}) also belongs to {owners[k]}"
                        )
                    owners[k] = code
        out.append(info)
    if len({c.code for c in out}) != len(out):
        raise DataError(f"{path}: a country code appears twice")
    return tuple(out)


@cache
def _load_patterns(directory: Path) -> EntityPatterns:
    path = directory / PATTERN_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DataError(f"{path}: cannot read: {exc}") from exc
    words: dict[str, frozenset[str]] = {}
    raw: dict[str, tuple[str, ...]] = {}
    maps: dict[str, Mapping[str, str]] = {}
    numbers: dict[str, int] = {}

    def walk(prefix: str, table: Mapping[str, Any]) -> None:
        for key, value in table.items():
            dotted = f"{prefix}.{key}" if prefix else key
            if isinstance(value, list) and all(isinstance(v, str) for v in value):
                raw[dotted] = tuple(value)
                words[dotted] = frozenset(fold(v) for v in value)
            elif isinstance(value, dict) and value and all(isinstance(v, str) for v in value.values()):
                maps[dotted] = MappingProxyType({name_key(k): v for k, v in value.items()})
            elif isinstance(value, dict):
                walk(dotted, value)
            elif isinstance(value, int) and not isinstance(value, bool):
                numbers[dotted] = value

    walk("", data)
    try:
        common, org, agency = data["common"], data["org"], data["agency"]
        rules = tuple(_discovery_rule(path, r) for r in org.get("discovery", []))
        parent_cues = {lang: re.compile(org["parent"][lang], re.IGNORECASE) for lang in LANGS}
        parent_gates = {lang: re.compile(org["parent"][f"{lang}_gate"]) for lang in LANGS}
        extensions = {lang: re.compile(agency[f"extension_{lang}"]) for lang in LANGS}
        kind_words = {k: tuple(fold(w) for w in v) for k, v in agency["kind_words"].items()}
        kind_order = tuple(agency["kind_order"])
        open_quotes, close_quotes = str(common["open_quotes"]), str(common["close_quotes"])
    except KeyError as exc:
        raise DataError(f"{path}: missing entry {exc}") from exc
    except re.error as exc:
        raise DataError(f"{path}: bad regular expression: {exc}") from exc
    for key in ("org.context_window", "org.parent.parent_window", "agency.context_window"):
        if key not in numbers:
            raise DataError(f"{path}: missing number {key!r}")
    unknown = set(kind_order) - AGENCY_KINDS
    if unknown or set(kind_words) != set(kind_order):
        raise DataError(f"{path}: agency.kind_order and agency.kind_words must list the same known kinds")
    return EntityPatterns(
        words=MappingProxyType(words),
        raw=MappingProxyType(raw),
        maps=MappingProxyType(maps),
        numbers=MappingProxyType(numbers),
        discovery=rules,
        parent_cues=MappingProxyType(parent_cues),
        parent_gates=MappingProxyType(parent_gates),
        extensions=MappingProxyType(extensions),
        open_quotes=open_quotes,
        close_quotes=close_quotes,
        kind_order=kind_order,
        kind_words=MappingProxyType(kind_words),
        phrase_index=MappingProxyType(
            {
                **{k: PhraseIndex.build(tuple(name_key(x).split()) for x in v) for k, v in raw.items()},
                **{k: PhraseIndex.build(tuple(x.split()) for x in v) for k, v in maps.items()},
            }
        ),
    )


def _discovery_rule(path: Path, r: Mapping[str, Any]) -> DiscoveryRule:
    name = r.get("rule", "?")
    try:
        flags = 0 if r.get("case_sensitive") else re.IGNORECASE
        rule = DiscoveryRule(
            rule=str(r["rule"]),
            lang=str(r["lang"]),
            kind=str(r["kind"]),
            regex=re.compile(r["pattern"], flags),
            restrict=str(r.get("restrict", "any")),
            parent=str(r.get("parent", "none")),
            include_cue=bool(r.get("include_cue", False)),
            keep_head=frozenset(fold(h) for h in r.get("keep_head", [])),
            weak=bool(r.get("weak", False)),
            require_before=frozenset(fold(h) for h in r.get("require_before", [])),
            gate=re.compile(r["gate"]) if "gate" in r else None,
        )
    except KeyError as exc:
        raise DataError(f"{path}: discovery rule {name!r}: missing {exc}") from exc
    except re.error as exc:
        raise DataError(f"{path}: discovery rule {name!r}: bad regular expression: {exc}") from exc
    if (
        rule.kind not in {"after", "before"}
        or rule.restrict not in {"any", "marked"}
        or rule.parent
        not in {
            "none",
            "cue_org",
            "adjacent_before",
            "preceding",
        }
        or rule.lang not in {*LANGS, "*"}
    ):
        raise DataError(f"{path}: discovery rule {name!r}: bad kind, lang, restrict or parent")
    if rule.parent == "cue_org" and "org" not in rule.regex.groupindex:
        raise DataError(f"{path}: discovery rule {name!r}: parent 'cue_org' needs a group named 'org'")
    return rule
