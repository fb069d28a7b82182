"""The gazetteer's name indexes, built from the decoded data files, and the folding of names.

Names are matched accent-, case- and punctuation-insensitively (see :func:`fold`);
abbreviations marked as such are kept as written.
"""

from __future__ import annotations

import re
import unicodedata
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from crimewire.errors import DataError

# Kinds of gazetteer entry, packed into index references (see _GazetteerIndex._ref).
_CITY, _REGION, _COUNTRY, _EXTRA = 0, 1, 2, 3

_EXTRA_DEFAULT_POP = 50_000  # curated places without a population rank like a town of this size

# Free-text scan: cities must be this big (or a national capital) to be found without NER;
# below this, town names collide with common words and surnames ("Police", "Mayo").
_SCAN_MIN_POPULATION = 100_000
_SCAN_MIN_LETTERS = 4


def fold(text: str) -> str:
    """Accent-, case- and punctuation-folded key: "Junín" -> "junin", "EE.UU." -> "ee uu"."""
    return _fold(text)


@lru_cache(maxsize=65536)
def _fold(text: str) -> str:
    # memoized: the scan and the resolver fold the same names and words many times per article
    if not text.isascii():  # NFKD leaves ASCII as it is
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.casefold()
    text = re.sub(r"[’‘`´]", "'", text)
    text = re.sub(r"[-‐‑–—_/]", " ", text)
    text = re.sub(r"[.,()\[\]]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True, slots=True)
class _Area:
    """A country, region or curated place (cities stay as compact rows)."""

    kind: str
    name: str
    country: str
    region: str | None
    city: str | None
    lat: float | None
    lon: float | None
    population: int
    geonameid: int | None = None
    own_point: bool = True  # False: a curated place located at its host city's coordinates


class _GazetteerIndex:
    """Name indexes over countries, ISO regions, GeoNames cities and curated places (built once)."""

    def __init__(
        self,
        index: dict[str, Any],
        countries: dict[str, Any],
        aliases: list[dict[str, Any]],
        extras: list[dict[str, Any]],
        stopwords: Iterable[str] = (),
    ) -> None:
        """Build the indexes from the decoded data files (use :func:`load_gazetteer`)."""
        names: dict[str, int | tuple[int, ...]] = {}
        exact: dict[str, tuple[int, ...]] = {}  # case-sensitive abbreviations
        scan: set[str] = set()  # folded names the free-text scan may match

        def add(key: str, ref: int, *, scannable: bool) -> None:
            # Most names have one entry: store a bare int, a tuple only for namesakes (saves ~40 MB).
            old = names.get(key)
            if old is None:
                names[key] = ref
            elif isinstance(old, int):
                if old != ref:
                    names[key] = (old, ref)
            elif ref not in old:
                names[key] = (*old, ref)
            if scannable:
                scan.add(key)

        # Cities as parallel arrays: rows [geonameid, name, cc, region, lat, lon, population, "key|key"]
        # where the first key is the folded main name and the others folded alternate names.
        rows = index["cities"]
        self._c_gid = array("l", (r[0] for r in rows))
        self._c_name = [r[1] for r in rows]
        interned: dict[str, str] = {}
        self._c_cc = [interned.setdefault(r[2], r[2]) for r in rows]
        self._c_region = [interned.setdefault(r[3], r[3]) for r in rows]
        self._c_lat = array("d", (r[4] for r in rows))
        self._c_lon = array("d", (r[5] for r in rows))
        self._c_pop = array("l", (r[6] for r in rows))
        self._capital_ids = frozenset(
            c["capital_geonameid"] for c in index["countries"] if c["capital_geonameid"]
        )
        for i, row in enumerate(rows):
            keys = row[7].split("|")
            big = row[6] >= _SCAN_MIN_POPULATION or row[0] in self._capital_ids
            add(keys[0], self._ref(i, _CITY, main=True), scannable=big)
            for key in keys[1:]:
                add(key, self._ref(i, _CITY, main=False), scannable=False)

        self._regions: list[_Area] = []
        self._region_by_code: dict[str, int] = {}
        self._region_parent: dict[str, str] = {}
        for r in index["regions"]:
            i = len(self._regions)
            self._regions.append(
                _Area("region", r["name"], r["country"], r["code"], None, r["lat"], r["lon"], r["population"])
            )
            self._region_by_code[r["code"]] = i
            if r["parent"]:
                self._region_parent[r["code"]] = r["parent"]
            for key in {fold(r["name"]), *r["keys"]}:
                add(
                    key,
                    self._ref(i, _REGION, main=True),
                    scannable=len(key.replace(" ", "")) >= _SCAN_MIN_LETTERS,
                )
        for a in aliases:
            for code in a["codes"]:
                if code not in self._region_by_code:
                    raise DataError(f"region_aliases.json: unknown ISO 3166-2 code {code!r}")
                ref = self._ref(self._region_by_code[code], _REGION, main=True)
                if a.get("abbrev"):
                    exact[a["alias"]] = (*exact.get(a["alias"], ()), ref)
                else:
                    add(fold(a["alias"]), ref, scannable=a.get("scan", True))
            if a.get("abbrev") and a.get("scan", True):
                scan.add("\0" + a["alias"])

        self._countries: list[_Area] = []
        self._country_by_code: dict[str, int] = {}
        self._country_display: dict[str, dict[str, str]] = {}
        self._adjectives: dict[str, str] = {}
        for c in index["countries"]:
            i = len(self._countries)
            self._countries.append(
                _Area(
                    "country",
                    c["name"],
                    c["code"],
                    None,
                    None,
                    c["lat"],
                    c["lon"],
                    c["population"],
                    c["geonameid"],
                )
            )
            self._country_by_code[c["code"]] = i
            self._country_display[c["code"]] = {"en": c["name"], "es": c["es"], "pt": c["pt"]}
            for key in c["keys"]:
                add(key, self._ref(i, _COUNTRY, main=True), scannable=True)
        self._alpha3 = {c["alpha3"]: c["code"] for c in index["countries"]}
        self._languages = {c["code"]: c["languages"].split(",")[0].split("-")[0] for c in index["countries"]}
        for code, entry in countries.items():
            if code.startswith("_"):
                continue
            if code not in self._country_by_code:
                raise DataError(f"country_names.json: unknown ISO 3166-1 code {code!r}")
            ref = self._ref(self._country_by_code[code], _COUNTRY, main=True)
            for n in entry.get("names", []):
                add(fold(n), ref, scannable=True)
            for n in entry.get("abbrev", []):
                exact[n] = (*exact.get(n, ()), ref)
                scan.add("\0" + n)
            for adj in entry.get("adjectives", []):
                self._adjectives[fold(adj)] = code
            self._country_display[code].update(entry.get("display", {}))

        self._extras: list[_Area] = []
        for e in extras:
            i = len(self._extras)
            area = self._extra_area(e, names)
            self._extras.append(area)
            for n in [e["name"], *e.get("aliases", [])]:
                add(fold(n), self._ref(i, _EXTRA, main=True), scannable=len(fold(n)) >= _SCAN_MIN_LETTERS)

        self._names = names
        self._exact = exact
        self._scan = frozenset(scan)
        self._stopwords = frozenset([*index.get("scan_stopwords", []), *(fold(w) for w in stopwords)])

    # ------------------------------------------------------------------ building helpers

    @staticmethod
    def _ref(i: int, kind: int, *, main: bool) -> int:
        """Pack an entry reference into one int (index, kind, main-name flag)."""
        return (i << 3) | (kind << 1) | int(main)

    def _extra_area(self, e: dict[str, Any], names: dict[str, int | tuple[int, ...]]) -> _Area:
        """A curated place, placed in its GeoNames city (largest namesake in its country)."""
        hosts = [r >> 3 for r in _refs(names.get(fold(e["in"]))) if (r >> 1) & 3 == _CITY]
        hosts = [i for i in hosts if self._c_cc[i] == e["country"]]
        if not hosts:
            raise DataError(f"places_extra.json: city {e['in']!r} not found in {e['country']}")
        h = max(hosts, key=lambda i: self._c_pop[i])
        return _Area(
            e["kind"],
            e["name"],
            e["country"],
            self._c_region[h] or None,
            self._c_name[h],
            e.get("lat", self._c_lat[h]),
            e.get("lon", self._c_lon[h]),
            e.get("population", _EXTRA_DEFAULT_POP),
            own_point="lat" in e and "lon" in e,
        )


def _refs(value: int | tuple[int, ...] | None) -> tuple[int, ...]:
    """The entry references stored under one name (a bare int when there is one)."""
    if value is None:
        return ()
    return (value,) if isinstance(value, int) else value
