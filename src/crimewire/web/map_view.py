"""Map: incidents at their real precision over offline Natural Earth boundaries."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.export import feature_collection
from crimewire.storage.records_view import count_incidents, read_incidents
from crimewire.web.deps import Db, Offset, ViewFilters, render
from crimewire.web.models import FeatureCollection

router = APIRouter()

# The map draws at most this many incidents (the newest matching): enough for a region's
# history, small enough for a browser to draw as SVG.
MAP_LIMIT = 5000


@router.get("/map", response_class=HTMLResponse, include_in_schema=False)
def map_page(request: Request, db: Db, params: ViewFilters) -> HTMLResponse:
    """The map page; the points and areas come from ``/api/map`` with the same filters."""
    return render(
        request, "map.html", title="Map", nav="map", params=params, filters=params.args(page=None), organizations=[]
    )


@router.get("/api/map", response_model=FeatureCollection, tags=["map"])
def map_api(
    db: Db,
    params: ViewFilters,
    areas: Annotated[
        bool,
        Query(description="Give region- and country-level incidents their boundary polygon as geometry (else null)."),
    ] = False,
    limit: Annotated[int, Query(ge=1, le=MAP_LIMIT, description=f"At most this many incidents ({MAP_LIMIT}).")] = 2000,
    offset: Offset = 0,
) -> FeatureCollection:
    """Incidents matching the filters as GeoJSON: towns as points, regions and countries as areas.

    The newest ``limit`` first; ``offset`` pages on (``total`` says how many match in all).
    """
    query = replace(params.query, limit=limit, offset=offset)
    records = read_incidents(db, query)
    collection = feature_collection(records, areas=areas)
    return FeatureCollection.model_validate({**collection, "total": count_incidents(db, query)})
