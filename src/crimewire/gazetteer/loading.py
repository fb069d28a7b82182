"""The process-wide gazetteer, loaded once from the data files under ``data/places/``."""

from __future__ import annotations

import gzip
import json
from functools import cache
from importlib import resources

from crimewire.errors import DataError
from crimewire.gazetteer.resolution import Gazetteer


@cache
def load_gazetteer() -> Gazetteer:
    """The process-wide gazetteer (loaded once; ~1 s and ~200 MB, see bench/measure_places.py)."""
    base = resources.files("crimewire") / "data" / "places"
    try:
        with (base / "places_index.json.gz").open("rb") as fh:
            index = json.loads(gzip.decompress(fh.read()))
        countries = json.loads((base / "country_names.json").read_text(encoding="utf-8"))
        aliases = json.loads((base / "region_aliases.json").read_text(encoding="utf-8"))["aliases"]
        extras = json.loads((base / "places_extra.json").read_text(encoding="utf-8"))["places"]
        stopwords = json.loads((base / "scan_stopwords.json").read_text(encoding="utf-8"))["words"]
    except (OSError, ValueError, KeyError) as exc:
        raise DataError(f"gazetteer data missing or invalid: {exc}; run bench/build_places.py") from exc
    return Gazetteer(index, countries, aliases, extras, stopwords)


def country_name(iso2: str, lang: str = "en") -> str:
    """The display name of country ``iso2`` in ``lang`` ("PE" -> "Peru"; lang "es" -> "Perú")."""
    return load_gazetteer().country_name(iso2, lang)
