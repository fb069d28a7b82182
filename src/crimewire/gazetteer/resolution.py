"""Resolving written place names against the gazetteer's indexes, and scanning text for places."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import replace
from functools import lru_cache

from crimewire.gazetteer.index import (
    _CITY,
    _COUNTRY,
    _EXTRA,
    _REGION,
    _SCAN_MIN_POPULATION,
    _Area,
    _GazetteerIndex,
    _refs,
    fold,
)
from crimewire.records import PlaceMatch

# Scoring, in log10-population units (a city of 10^5 people scores 5).
# The hinted country's namesake wins unless the other is 100x bigger: Concordia MX (8k) beats
# Concordia AR (145k), but a Buenos Aires hamlet in Peru does not beat Buenos Aires.
_HINT_BONUS = 2.0
_COUNTRY_BASE = 30.0  # a name that is both a country and a place is the country, whatever the hint
_CAPITAL_BONUS = 1.0  # national capitals are what a bare name usually means ("Buenos Aires", "Lima")
_REGION_BONUS = 1.0  # "Junín" (region, ~1.2M) beats Junín AR (town, 87k) even with its main-name bonus
_MAIN_NAME_BONUS = 1.5  # a city's own name beats a namesake's alternate name ("Concordia" is not El Paso)
_LANG_BONUS = 0.3  # a Spanish text leans to Spanish-speaking countries when nothing else decides

_CONNECTORS = frozenset(
    [
        "de",
        "del",
        "la",
        "las",
        "los",
        "el",
        "do",
        "da",
        "dos",
        "das",
        "of",
        "the",
        "y",
        "and",
        "e",
        "sur",
        "di",
        "van",
        "der",
    ]
)
_LEADING_NOISE = frozenset(
    [
        "the",
        "in",
        "en",
        "from",
        "desde",
        "at",
        "near",
        "to",
        "a",
        "hacia",
        "para",
        "por",
        "on",
        "of",
        "de",
        "del",
        "y",
        "and",
        "e",
        "but",
        "pero",
        "while",
        "mientras",
        "after",
        "tras",
        "before",
        "antes",
        "since",
        "según",
        "according",
    ]
)
_KIND_WORDS_EN = {
    "state": "region",
    "province": "region",
    "department": "region",
    "region": "region",
    "city": "city",
    "town": "city",
    "village": "city",
    "municipality": "city",
    "district": "locality",
    "neighborhood": "locality",
    "neighbourhood": "locality",
    "county": "region",
    "prison": "facility",
    "jail": "facility",
}
_KIND_WORDS_ES = {
    "estado": "region",
    "provincia": "region",
    "departamento": "region",
    "region": "region",
    "ciudad": "city",
    "municipio": "city",
    "localidad": "city",
    "poblado": "city",
    "pueblo": "city",
    "comuna": "city",
    "canton": "city",
    "parroquia": "locality",
    "distrito": "locality",
    "barrio": "locality",
    "colonia": "locality",
    "sector": "locality",
    "caserio": "city",
    "aldea": "city",
    "corregimiento": "city",
    "alcaldia": "locality",
    "urbanizacion": "locality",
    "asentamiento humano": "locality",
    "centro poblado": "city",
    "penal": "facility",
    "carcel": "facility",
    "comunidad": "city",
}
_KIND_WORDS = {**_KIND_WORDS_EN, **_KIND_WORDS_ES}
_KIND_PREFIX = re.compile(
    r"^(?:(?P<adj>[\w'.]+(?: [\w'.]+)?) )?(?P<kw>"
    + "|".join(sorted(_KIND_WORDS, key=len, reverse=True))
    + r")(?: (?:of|de|del|de la|do|da))? (?P<core>.+)$"
)
_KIND_SUFFIX = re.compile(
    r"^(?P<core>.+) (?P<kw>" + "|".join(sorted(_KIND_WORDS_EN, key=len, reverse=True)) + r")$"
)
_WORD = re.compile(r"[^\W\d_][\w'’.\-&]*|\d+", re.UNICODE)


class Gazetteer(_GazetteerIndex):
    """Immutable name indexes over countries, ISO regions, GeoNames cities and curated places."""

    # ------------------------------------------------------------------ public API

    def resolve(self, name: str, *, country_hint: str | None = None, lang: str = "en") -> PlaceMatch | None:
        """Resolve a place name as written to the best gazetteer entry, or None when unknown.

        Understands qualifiers ("Durango state", "the Mexican state of Tamaulipas",
        "provincia de Lima"), a container after a comma ("Brownsville, Texas") and
        abbreviations ("NSW", "EE.UU."). Ties go, in order, to the hinted country, to
        regions and countries over same-named small towns, then to the larger place.
        """
        best = self._best(name, country_hint=country_hint, lang=lang)
        return None if best is None else self._match(best, name)

    def candidates(
        self, name: str, *, country_hint: str | None = None, lang: str = "en", limit: int = 10
    ) -> list[tuple[PlaceMatch, float]]:
        """Every entry ``name`` could mean, best first, with the score ``resolve`` ranks them by.

        For analysts and debugging (`crimewire places`). The first candidate is what ``resolve``
        returns, except that a region gives way to its same-named main city ("Lima").
        """
        ranked = self._ranked(name, country_hint=country_hint, lang=lang, scan_only=False)
        return [(self._match(r, name), round(score, 2)) for score, r, _ in ranked[:limit]]

    def context_country(self, text: str, lang: str = "en") -> str | None:
        """The country a piece of context is about ("Trujillo, Peru" -> "PE"): its most named one."""
        return self.find_places_and_hint(text, lang)[1]

    def country(self, code_or_name: str) -> PlaceMatch | None:
        """The country with this ISO alpha-2/alpha-3 code or name ("PE", "PER", "Perú", "EE.UU.")."""
        text = code_or_name.strip()
        code = self._alpha3.get(text.upper(), text.upper())
        if code in self._country_by_code:
            return self._match(self._ref(self._country_by_code[code], _COUNTRY, main=True), text)
        for ref in (*self._exact.get(text, ()), *_refs(self._names.get(fold(text)))):
            if (ref >> 1) & 3 == _COUNTRY:
                return self._match(ref, text)
        return None

    def region(self, iso_code: str) -> PlaceMatch | None:
        """The region with this ISO 3166-2 code ("PE-LAL"), or None."""
        i = self._region_by_code.get(iso_code.strip().upper())
        return None if i is None else self._match(self._ref(i, _REGION, main=True), iso_code)

    def country_name(self, iso2: str, lang: str = "en") -> str:
        """The country's display name in ``lang`` ("en", "es", "pt"); the code itself when unknown."""
        names = self._country_display.get(iso2.upper())
        if not names:
            return iso2
        return names.get(lang) or names["en"]

    def region_parent(self, iso_code: str) -> str | None:
        """The ISO code of the region containing this one (Spanish province -> community), if any."""
        return self._region_parent.get(iso_code)

    def find_places(
        self,
        text: str,
        lang: str,
        candidates: Iterable[tuple[int, int]] = (),
        country_hint: str | None = None,
    ) -> tuple[PlaceMatch, ...]:
        """Resolve the candidate spans and find, by dictionary, capitalized places NER missed.

        ``candidates`` are (start, end) spans into ``text`` (spaCy GPE/LOC/FAC entities);
        a span the gazetteer cannot resolve comes back with kind "unknown" so the caller
        still has the place as written. The dictionary scan only matches whole runs of
        capitalized words (so "Sinaloa Cartel" and "Tren de Aragua" are not places) naming
        big cities, countries, top-level regions and curated places; it skips stop words,
        words the text also uses in lowercase, short all-caps acronyms outside datelines,
        and a lone city name the text also uses as the last word of a capitalized
        non-place ("Juan Lima" ... "Lima said").
        Without ``country_hint`` the article's most named country is used as the hint.
        """
        return self.find_places_and_hint(text, lang, candidates, country_hint)[0]

    def find_places_and_hint(
        self,
        text: str,
        lang: str,
        candidates: Iterable[tuple[int, int]] = (),
        country_hint: str | None = None,
    ) -> tuple[tuple[PlaceMatch, ...], str | None]:
        """``find_places`` and the country hint it resolved against (given, or the dominant one)."""
        spans = sorted({(s, e) for s, e in candidates if 0 <= s < e <= len(text)})
        found_spans = _scan_text(self, text, tuple(spans))
        hint = country_hint or self._dominant_country(text, spans, found_spans, lang)
        out: list[PlaceMatch] = []
        for s, e in spans:
            written = text[s:e]
            best = self._best(written, country_hint=hint, lang=lang)
            if best is None:
                out.append(PlaceMatch(text=written, start=s, end=e, name=written.strip(), kind="unknown"))
            else:
                out.append(_with_span(self._match(best, written), s, e))
        for s, e in found_spans:
            # found by the scan index, resolved with everything (a hinted small namesake may win)
            best = self._best(text[s:e], country_hint=hint, lang=lang)
            if best is not None:
                out.append(_with_span(self._match(best, text[s:e]), s, e))
        out.sort(key=lambda p: (p.start, p.end))
        return self._fixed_by_region(text, out, hint, lang), hint

    def _fixed_by_region(
        self, text: str, places: list[PlaceMatch], hint: str | None, lang: str
    ) -> tuple[PlaceMatch, ...]:
        """A town written with its region ("Segovia, Antioquia") is the town of that region, even
        when the article's country hint or a bigger namesake ("Segovia", Spain) says otherwise."""
        out = list(places)
        for i in range(len(out) - 1):
            town, region = out[i], out[i + 1]
            if (town.kind not in ("city", "unknown") or region.kind != "region" or not region.region
                    or town.region == region.region or text[town.end : region.start].strip() != ","):
                continue
            best = self._best(f"{town.text}, {region.text}", country_hint=hint, lang=lang)
            if best is None:
                continue
            match = self._match(best, town.text)
            if match.region == region.region and match.kind in ("city", "locality"):
                out[i] = _with_span(match, town.start, town.end)
        return tuple(out)

    # ------------------------------------------------------------------ resolution

    def _best(self, name: str, *, country_hint: str | None, lang: str, scan_only: bool = False) -> int | None:
        """The best-scoring entry reference for a written name."""
        ranked = self._ranked(name, country_hint=country_hint, lang=lang, scan_only=scan_only)
        if not ranked:
            return None
        best, want = ranked[0][1], ranked[0][2]
        if want is None and (best >> 1) & 3 == _REGION:
            best = self._city_for_region(best, [r for _, r, _ in ranked])
        return best

    def _ranked(
        self, name: str, *, country_hint: str | None, lang: str, scan_only: bool
    ) -> list[tuple[float, int, str | None]]:
        """(score, entry reference, wanted kind) of the entries the first fruitful reading of
        ``name`` finds, best first."""
        for core, want, container in self._readings(name, lang):
            refs = self._lookup(core, scan_only=scan_only)
            if not refs:
                continue
            if container is not None:
                inside = [r for r in refs if self._inside(r, container)]
                refs = inside or refs
            if want is not None:
                kinds = {
                    "region": {_REGION},
                    "city": {_CITY, _EXTRA},
                    "locality": {_EXTRA, _CITY},
                    "facility": {_EXTRA},
                }[want]
                refs = [r for r in refs if (r >> 1) & 3 in kinds] or refs
            hint = country_hint or (self._area_country(container) if container is not None else None)
            # stable sort: among equal scores the first found wins, as max() did
            scored = [(self._score(r, hint, lang), r, want) for r in refs]
            return sorted(scored, key=lambda t: -t[0])
        return []

    def _city_for_region(self, region_ref: int, refs: list[int]) -> int:
        """A region's same-named city when it is a big part of it ("Lima", "São Paulo", "Puebla").

        The more specific place is what the gold wants when a name means both; a same-named
        town that is a small part of its region ("Junín") leaves the region.
        """
        region = self._regions[region_ref >> 3]
        cities = [r >> 3 for r in refs if (r >> 1) & 3 == _CITY and r & 1]
        cities = [i for i in cities if self._c_region[i] == region.region]
        if not cities:
            return region_ref
        i = max(cities, key=lambda i: self._c_pop[i])
        # 10%: Lima (7.7M of Lima+metro), São Paulo city (27% of the state) yes; Junín town (1%) no.
        return self._ref(i, _CITY, main=True) if self._c_pop[i] >= 0.1 * region.population else region_ref

    def _readings(self, name: str, lang: str) -> Iterable[tuple[str, str | None, int | None]]:
        """Ways to read a written name: (core as written, wanted kind, container entry)."""
        text = name.strip().strip("\"'“”‘’«»:;")
        text = re.sub(r"\s+", " ", text)
        if not text:
            return
        yield text, None, None
        key = fold(text)
        if key.startswith("the "):
            text, key = text[4:], key[4:]
            yield text, None, None
        m = re.match(r"^(?P<core>[^,(]+?)\s*(?:,\s*|\()(?P<outer>[^,()]+?)\)?$", text)
        if m:
            outer = self._best(m.group("outer"), country_hint=None, lang=lang)
            if outer is not None and (outer >> 1) & 3 in (_REGION, _COUNTRY):
                yield m.group("core"), None, outer
        for pattern in (_KIND_PREFIX, _KIND_SUFFIX):
            km = pattern.match(key)
            if not km:
                continue
            core = km.group("core")
            if core.startswith("the "):
                core = core[4:]
            container = None
            adj = km.groupdict().get("adj")
            if adj:
                # "the Mexican state of ..." -> inside Mexico; other leading words are ignored
                code = self._adjectives.get(adj[4:] if adj.startswith("the ") else adj)
                if code is not None:
                    container = self._ref(self._country_by_code[code], _COUNTRY, main=True)
            yield core, _KIND_WORDS[km.group("kw")], container

    def _lookup(self, text: str, *, scan_only: bool) -> list[int]:
        """Entry references whose name is ``text`` (abbreviations as written, others folded)."""
        refs = list(self._exact.get(text.strip(), ()))
        key = fold(text)
        if not scan_only or key in self._scan:
            refs.extend(_refs(self._names.get(key)))
        if scan_only:
            # the scan index holds a key when one of its entries is scannable: keep only those
            refs = [
                r
                for r in refs
                if (r >> 1) & 3 != _CITY
                or (r & 1 and self._c_pop[r >> 3] >= _SCAN_MIN_POPULATION)
                or (r & 1 and self._c_gid[r >> 3] in self._capital_ids)
            ]
        return list(dict.fromkeys(refs))

    def _score(self, ref: int, hint: str | None, lang: str) -> float:
        """Rank of a candidate: hint, kind, then log10 of population."""
        kind, i, main = (ref >> 1) & 3, ref >> 3, ref & 1
        if kind == _CITY:
            country, pop, score = self._c_cc[i], self._c_pop[i], _MAIN_NAME_BONUS if main else 0.0
            if self._c_gid[i] in self._capital_ids:
                score += _CAPITAL_BONUS
        else:
            area = self._area(ref)
            country, pop = area.country, area.population
            score = {_REGION: _REGION_BONUS, _COUNTRY: _COUNTRY_BASE, _EXTRA: _MAIN_NAME_BONUS}[kind]
        score += math.log10(pop + 1) if kind != _COUNTRY else 0.0
        if hint and country == hint.upper():
            score += _HINT_BONUS
        if lang != "en" and self._languages.get(country) == lang:
            score += _LANG_BONUS
        return score

    def _inside(self, ref: int, container: int) -> bool:
        """Whether entry ``ref`` lies in the region or country entry ``container``."""
        outer = self._area(container)
        inner = self._area(ref)
        country, region = inner.country, inner.region
        if outer.kind == "country":
            return country == outer.country
        return region is not None and (
            region == outer.region or self._region_parent.get(region) == outer.region
        )

    def _area(self, ref: int) -> _Area:
        kind, i = (ref >> 1) & 3, ref >> 3
        if kind == _REGION:
            return self._regions[i]
        if kind == _COUNTRY:
            return self._countries[i]
        if kind == _EXTRA:
            return self._extras[i]
        name = self._c_name[i]
        return _Area(
            "city",
            name,
            self._c_cc[i],
            self._c_region[i] or None,
            name,
            self._c_lat[i],
            self._c_lon[i],
            self._c_pop[i],
            self._c_gid[i],
        )

    def _area_country(self, ref: int) -> str:
        return self._area(ref).country

    def _match(self, ref: int, written: str) -> PlaceMatch:
        """The PlaceMatch (offsets 0) of an entry, as written ``written``."""
        a = self._area(ref)
        region_name = (
            self._regions[self._region_by_code[a.region]].name if a.region in self._region_by_code else None
        )
        # A country is an area, not a point: its capital's coordinates would put every
        # country-level event on the capital pretending to be precise.
        is_country = a.kind == "country"
        return PlaceMatch(
            text=written,
            start=0,
            end=0,
            name=a.name,
            kind=a.kind,
            country=a.country,
            region=a.region,
            region_name=region_name,
            city=a.city,
            lat=None if is_country else a.lat,
            lon=None if is_country else a.lon,
            geonameid=a.geonameid,
            precision=_precision(a),
        )

    # ------------------------------------------------------------------ free-text scan

    def _scan_runs(
        self,
        text: str,
        runs: list[tuple[int, int]],
        taken: list[tuple[int, int]],
        text_words: list[tuple[int, int, str]] | None = None,
    ) -> list[tuple[int, int]]:
        """Spans of capitalized runs (or their parts) that name a scannable place.

        ``text_words`` are the ``_WORD`` matches of ``text`` (start, end, word) when the caller has them.
        """
        # Last words of short capitalized runs that are not places ("Juan Lima"): a lone
        # "Lima" later is more likely the surname than the city.
        surnames = set()
        for s, e in runs:
            words = _WORD.findall(text[s:e])
            all_capitalized = all(w[0].isupper() for w in words)
            if 2 <= len(words) <= 4 and all_capitalized and fold(text[s:e]) not in self._scan:
                surnames.add(fold(words[-1]))
        if text_words is None:
            text_words = _words(text)
        lowercase = {w.casefold() for _, _, w in text_words if w[0].islower()}
        blocked = list(taken)
        found: list[tuple[int, int]] = []
        for s, e in runs:
            parts = list(_run_parts(text, s, e))
            # A run that holds an NER span ("Pízamos de Cali" with "Pízamos" offered) may
            # still name a place after it: try what follows the span, past the connector.
            for ts, te in taken:
                if s <= ts < e and te < e:
                    parts.extend(_run_parts(text, *_skip_connectors(text, te, e)))
            for ps, pe in parts:
                piece = text[ps:pe]
                if piece.endswith(".") and "\0" + piece not in self._scan:
                    pe -= 1
                    piece = piece[:-1]
                if pe <= ps or any(ps < te and ts < pe for ts, te in blocked):
                    continue
                if not self._scannable(text, piece, pe, surnames, lowercase):
                    continue
                blocked.append((ps, pe))
                found.append((ps, pe))
        return found

    def _scannable(self, text: str, piece: str, end: int, surnames: set[str], lowercase: set[str]) -> bool:
        """Whether a capitalized piece of text is a place the free-text scan may take."""
        if "\0" + piece in self._scan:
            return True
        key = fold(piece)
        if " " not in key:
            if key in self._stopwords or piece.casefold() in lowercase:
                return False  # a common word here ("Para 11 de los acusados", "key Commonwealth agencies")
            # An all-caps short word is an acronym ("WOLA") unless it opens a dateline ("LIMA, Peru").
            start = end - len(piece)
            dateline = (start == 0 or text[start - 1] == "\n") and text[end : end + 2].startswith(
                (",", " —", " –", " -", " (")
            )
            if piece.isupper() and len(piece) <= 5 and not dateline:
                return False
        refs = self._lookup(piece, scan_only=True) if key in self._scan else []
        if refs:
            return not (" " not in key and key in surnames and all((r >> 1) & 3 == _CITY for r in refs))
        km = _KIND_PREFIX.match(key) or _KIND_SUFFIX.match(key)
        return bool(km) and self._best(piece, country_hint=None, lang="en", scan_only=True) is not None

    def _dominant_country(
        self, text: str, spans: list[tuple[int, int]], found: Sequence[tuple[int, int]], lang: str
    ) -> str | None:
        """The country the article's places (named without a hint) most often lie in, if any."""
        votes: dict[str, int] = {}
        for s, e in [*spans, *found]:
            ref = self._best(text[s:e], country_hint=None, lang=lang)
            if ref is not None:
                country = self._area_country(ref)
                votes[country] = votes.get(country, 0) + 1
        return max(votes, key=lambda c: votes[c]) if votes else None


def _precision(area: _Area) -> int:
    """ACLED geo_precision of a gazetteer entry (see ``PlaceMatch.precision``)."""
    if area.kind in ("country", "region"):
        return 3
    if area.kind == "city" or area.own_point:
        return 1
    return 2  # a curated locality or facility placed at its host city


def _with_span(match: PlaceMatch, start: int, end: int) -> PlaceMatch:
    return replace(match, start=start, end=end)


@lru_cache(maxsize=4)
def _scan_text(gazetteer: Gazetteer, text: str, spans: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    """``Gazetteer._scan_runs`` over the capitalized runs of ``text``, NER spans ``spans`` taken.

    It depends on neither the country hint nor the language, and find_mentions calls
    ``find_places`` twice per article (the second time with the article's own country as the
    hint): memoized for the last few texts.
    """
    words = _words(text)
    return tuple(gazetteer._scan_runs(text, list(_capitalized_runs(text, words)), list(spans), words))


def _words(text: str) -> list[tuple[int, int, str]]:
    """The ``_WORD`` matches of ``text``: (start, end, word)."""
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


def _capitalized_runs(text: str, words: list[tuple[int, int, str]] | None = None) -> Iterable[tuple[int, int]]:
    """Maximal runs of capitalized words, joined by lowercase connectors ("San Juan de Lurigancho").

    ``words`` are the ``_WORD`` matches of ``text`` when the caller has them.
    """
    if words is None:
        words = _words(text)
    i = 0
    while i < len(words):
        if not words[i][2][0].isupper():
            i += 1
            continue
        j = i
        while j + 1 < len(words):
            nxt = words[j + 1]
            gap = text[words[j][1] : nxt[0]]
            if gap.strip(" ") not in ("", "-", "&") or "\n" in gap:
                break
            if nxt[2][0].isupper():
                j += 1
                continue
            # a lowercase connector continues the run only if a capitalized word follows it
            k = j + 1
            while k < len(words) and words[k][2].lower() in _CONNECTORS and not words[k][2][0].isupper():
                k += 1
            if (
                k > j + 1
                and k < len(words)
                and words[k][2][0].isupper()
                and "\n" not in text[words[j][1] : words[k][0]]
            ):
                j = k
                continue
            break
        yield words[i][0], _trim_end(text, words[j][1])
        i = j + 1


def _trim_end(text: str, end: int) -> int:
    """Drop a trailing sentence period unless it ends an abbreviation ("Sin.", "U.S.")."""
    if end and text[end - 1] == ".":
        token = text[:end].rsplit(" ", 1)[-1]
        if len(token) > 5 and token.count(".") == 1:
            return end - 1
    return end


def _skip_connectors(text: str, start: int, end: int) -> tuple[int, int]:
    """The span [start, end) without the connector words at its start (" de Cali" -> "Cali")."""
    for m in _WORD.finditer(text, start, end):
        if m.group().lower() not in _CONNECTORS:
            return m.start(), end
    return end, end


def _run_parts(text: str, start: int, end: int) -> Iterable[tuple[int, int]]:
    """The run itself, then without leading noise words, then split at "and"/"y"."""
    words = [(m.start() + start, m.end() + start, m.group()) for m in _WORD.finditer(text[start:end])]
    if not words:
        return
    yield start, end
    k = 0
    while k < len(words) - 1 and words[k][2].lower() in _LEADING_NOISE:
        k += 1
    if k:
        yield words[k][0], end
    pieces: list[list[tuple[int, int, str]]] = [[]]
    for w in words[k:]:
        if w[2].lower() in ("and", "y", "e", "&"):
            pieces.append([])
        else:
            pieces[-1].append(w)
    if len(pieces) > 1:
        for p in pieces:
            if p:
                yield p[0][0], p[-1][1]
