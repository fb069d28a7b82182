"""Acceptance audit of issue #6, "API tests for every endpoint and filter": the filters of
/api/events, /api/map, /api/network, and the paging of /api/search and /api/organizations, which
test_web_api.py exercises only in part. Real SQLite file (``sample_results``), FastAPI TestClient.

The sample database holds six events (ids as stored):
1 arrest PE Lima 2024-03-05 (Los Hijos de Dios, Tren de Aragua); 2 rescue PE San Martín de Porres
2024-03-05 (same groups); 3 seizure CO Cartagena 2024-06-01 (Clan del Golfo, "cocaína");
4 arrest CO Cartagena undated, published 2024-06-03 (Clan del Golfo); 5 killing EC Guayaquil
2023-11-12 (Los Choneros); 6 attack EC Guayaquil 2019, background (Los Choneros).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crimewire.web import create_app


@pytest.fixture(scope="module")
def client(sample_db: Callable[..., Path]) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db("acceptance-api"))) as c:
        yield c


def _json(client: TestClient, url: str) -> dict:  # type: ignore[type-arg]
    r = client.get(url)
    assert r.status_code == 200, (url, r.text[:300])
    return r.json()  # type: ignore[no-any-return]


FILTERS = [
    # (query, events incl. background, map excl. background)
    ("", {1, 2, 3, 4, 5, 6}, {1, 2, 3, 4, 5}),
    ("type=arrest", {1, 4}, {1, 4}),
    ("type=arrest,rescue", {1, 2, 4}, {1, 2, 4}),
    ("country=CO", {3, 4}, {3, 4}),
    ("country=ec", {5, 6}, {5}),
    ("organization=Tren de Aragua", {1, 2}, {1, 2}),
    ("organization=AGC", {3, 4}, {3, 4}),  # alias of Clan del Golfo
    ("organization=Nobody", set(), set()),
    ("place=Lima", {1}, {1}),
    ("place=Guayaquil", {5, 6}, {5}),
    ("since=2024-06", {3, 4}, {3, 4}),  # the undated arrest by its publication day
    ("until=2023", {5, 6}, {5}),
    ("since=2024-03-01&until=2024-03-31", {1, 2}, {1, 2}),
    ("text=cocaina", {3}, {3}),
    ("text=Guayaquil", {5, 6}, {5}),
    ("type=arrest&country=PE", {1}, {1}),
]


@pytest.mark.parametrize(("query", "events", "points"), FILTERS, ids=[f[0] or "none" for f in FILTERS])
def test_event_and_map_filters(client: TestClient, query: str, events: set[int], points: set[int]) -> None:
    d = _json(client, f"/api/events?limit=500&{query}")
    assert {r["id"] for r in d["items"]} == events and d["total"] == len(events)
    m = _json(client, f"/api/map?{query}")
    assert m["type"] == "FeatureCollection"
    assert {f["properties"]["id"] for f in m["features"]} == points and m["total"] == len(points)


@pytest.mark.parametrize("endpoint", ["events", "map"])
def test_order_and_offset(client: TestClient, endpoint: str) -> None:
    def ids(query: str) -> list[int]:
        d = _json(client, f"/api/{endpoint}?{query}")
        return [r["id"] for r in d["items"]] if endpoint == "events" else [f["properties"]["id"] for f in d["features"]]

    by_count = ids("order=-count")
    assert by_count[:3] == [1, 2, 5]  # 12, 8, 4
    assert ids("order=count")[0] == 4  # 3
    assert ids("order=date")[0] == (6 if endpoint == "events" else 5)  # oldest first
    everything = ids("order=-date")
    assert ids("order=-date&limit=2") + ids("order=-date&limit=2&offset=2") == everything[:4]


@pytest.mark.parametrize(("query", "labels"), [
    ("type=killing", {"Los Choneros", "Guayaquil (EC)"}),
    ("country=CO", {"Clan del Golfo", "Cartagena (CO)", "Policía Nacional"}),
    ("organization=Clan del Golfo", {"Clan del Golfo", "Cartagena (CO)", "Policía Nacional"}),
    ("place=Lima", {"Los Hijos de Dios", "Tren de Aragua", "Lima (PE)", "Peruvian police"}),
    ("since=2024-06", {"Clan del Golfo", "Cartagena (CO)", "Policía Nacional"}),
    ("until=2023", {"Los Choneros", "Guayaquil (EC)"}),
    ("text=cocaína", {"Clan del Golfo", "Cartagena (CO)", "Policía Nacional"}),
])
def test_network_filters(client: TestClient, query: str, labels: set[str]) -> None:
    d = _json(client, f"/api/network?{query}")
    assert {n["label"] for n in d["nodes"]} == labels
    assert d["links"]


def test_network_incident_and_node_caps(client: TestClient) -> None:
    assert len(_json(client, "/api/network")["nodes"]) == 10
    one = _json(client, "/api/network?incidents=1")  # the newest incident only
    assert {n["label"] for n in one["nodes"]} == {"Clan del Golfo", "Cartagena (CO)", "Policía Nacional"}
    assert len(_json(client, "/api/network?nodes=4")["nodes"]) == 4


def test_search_offset_pages_through_the_hits(client: TestClient) -> None:
    first = _json(client, "/api/search?q=police&limit=1")
    second = _json(client, "/api/search?q=police&limit=1&offset=1")
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["article_id"] != second["items"][0]["article_id"]
    assert _json(client, "/api/search?q=police&limit=1&offset=2")["items"] == []


def test_search_total_past_the_end(client: TestClient) -> None:
    assert _json(client, "/api/search?q=police&offset=5")["total"] <= 2


def test_search_total_is_the_number_of_matches_on_every_page(client: TestClient) -> None:
    matches = len(_json(client, "/api/search?q=police&limit=500")["items"])
    assert matches >= 2
    for offset in (0, 1, matches, matches + 3):
        assert _json(client, f"/api/search?q=police&limit=1&offset={offset}")["total"] == matches
    assert _json(client, "/api/search?q=zzzunfindable")["total"] == 0


def test_no_api_route_documents_a_page_parameter(client: TestClient) -> None:
    # The API pages by limit and offset everywhere; "page" belongs to the HTML tables.
    spec = _json(client, "/openapi.json")
    documented = {path: {p["name"] for p in ops["get"].get("parameters", [])}
                  for path, ops in spec["paths"].items() if path.startswith("/api/") and "get" in ops}
    assert {"limit", "offset"} <= documented["/api/incidents"] and {"limit", "offset"} <= documented["/api/events"]
    assert [path for path, names in documented.items() if "page" in names] == []


@pytest.mark.parametrize("path", ["/api/incidents", "/api/events"])
def test_limit_and_offset_page_through_incidents_and_events(client: TestClient, path: str) -> None:
    everything = [r["id"] for r in _json(client, f"{path}?limit=500")["items"]]
    pages = [[r["id"] for r in _json(client, f"{path}?limit=2&offset={offset}")["items"]] for offset in (0, 2, 4)]
    assert len(everything) >= 5 and [i for page in pages for i in page] == everything


@pytest.mark.parametrize("path", ["/incidents", "/events"])
def test_the_html_tables_page_by_page(client: TestClient, path: str) -> None:
    # The sample fits one page: page 1 lists its rows, page 2 starts past them.
    def rows(url: str) -> set[str]:
        r = client.get(url)
        assert r.status_code == 200, url
        return set(re.findall(r'href="/events/(\d+)"', r.text))

    assert len(rows(path)) >= 5 and rows(f"{path}?page=1") == rows(path) and rows(f"{path}?page=2") == set()


def test_organizations_known_filter_and_paging(client: TestClient) -> None:
    known = _json(client, "/api/organizations?known=true")
    assert known["total"] == 4 and all(o["name"] for o in known["items"])
    first = [o["name"] for o in _json(client, "/api/organizations?limit=2")["items"]]
    second = [o["name"] for o in _json(client, "/api/organizations?limit=2&offset=2")["items"]]
    assert len(first) == len(second) == 2 and not set(first) & set(second)
