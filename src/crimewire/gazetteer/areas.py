"""Whether two resolved places are the same area or one contains the other."""

from __future__ import annotations

from crimewire.gazetteer.index import fold
from crimewire.gazetteer.loading import load_gazetteer
from crimewire.records import PlaceMatch


def contains(outer: PlaceMatch, inner: PlaceMatch) -> bool:
    """Whether ``outer`` contains ``inner``: a country its regions and places, a region its
    cities and sub-regions, a city its districts and facilities. A place does not contain itself."""
    if outer.country is None or inner.country != outer.country or _same(outer, inner):
        return False
    if outer.kind == "country":
        return inner.kind != "country"
    if outer.kind == "region":
        if inner.kind == "region":
            return inner.region is not None and load_gazetteer().region_parent(inner.region) == outer.region
        return inner.region is not None and (
            inner.region == outer.region or load_gazetteer().region_parent(inner.region) == outer.region
        )
    if outer.kind == "city":
        return (
            inner.kind in ("locality", "facility")
            and inner.city is not None
            and fold(inner.city) == fold(outer.name)
        )
    return False


def same_area(a: PlaceMatch, b: PlaceMatch) -> bool:
    """Whether two places are the same or one contains the other (for incident matching)."""
    return _same(a, b) or contains(a, b) or contains(b, a)


def _same(a: PlaceMatch, b: PlaceMatch) -> bool:
    if a.kind != b.kind or a.country != b.country:
        return False
    if a.kind == "country":
        return True
    if a.kind == "region":
        return a.region == b.region
    if a.geonameid is not None or b.geonameid is not None:
        return a.geonameid == b.geonameid
    return fold(a.name) == fold(b.name) and a.region == b.region
