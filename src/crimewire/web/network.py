"""Network: organizations, factions, places and agencies as an explorable graph."""

from __future__ import annotations

from dataclasses import replace
from typing import Annotated

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.export import build_graph, graph_json
from crimewire.storage.records_view import read_incidents
from crimewire.web.deps import Db, ViewFilters, render
from crimewire.web.models import Graph

router = APIRouter()

# Incidents read to build the graph (the newest matching: 2,000 unless asked, 5,000 at most),
# and nodes drawn at most: a force layout in the browser stays smooth up to a few hundred
# nodes. 5,000 incidents took 1.5 s to read on a database of 100,000 (``make bench``).
GRAPH_INCIDENTS = 2000
MAX_GRAPH_INCIDENTS = 5000
MAX_NODES = 400


@router.get("/network", response_class=HTMLResponse, include_in_schema=False)
def network_page(request: Request, db: Db, params: ViewFilters) -> HTMLResponse:
    """The network page; the graph comes from ``/api/network`` with the same filters."""
    return render(
        request,
        "network.html",
        title="Network",
        nav="network",
        params=params,
        filters=params.args(page=None),
        organizations=[],
    )


@router.get("/api/network", response_model=Graph, tags=["network"])
def network_api(
    db: Db,
    params: ViewFilters,
    nodes: Annotated[int, Query(ge=1, le=MAX_NODES, description="Keep the most active nodes.")] = 150,
    incidents: Annotated[
        int, Query(ge=1, le=MAX_GRAPH_INCIDENTS, description="Build the graph from this many newest incidents.")
    ] = GRAPH_INCIDENTS,
) -> Graph:
    """Groups (with faction_of edges), the places they are active in and the agencies acting on them."""
    records = read_incidents(db, replace(params.query, limit=incidents, offset=0))
    return Graph.model_validate(graph_json(build_graph(db, records), max_nodes=nodes))
