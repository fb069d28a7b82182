"""The workbench's JSON API and pages through FastAPI's TestClient, over a real SQLite file."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from crimewire.records import ArticleOrganization, EventOrg
from crimewire.storage import StorageError, open_database
from crimewire.storage.samples import make_event, make_result
from crimewire.web import create_app

PAYLOAD = "<script>window.__pwned=1</script>"


def _hostile():  # type: ignore[no-untyped-def]
    body = f"Police seized guns from the {PAYLOAD} gang in Quito. <img src=x onerror=alert(1)>"
    sentence = f"Police seized guns from the {PAYLOAD} gang in Quito."
    event = make_event(body, sentence, "seized", "seizure", country="EC",
                       organizations=(EventOrg(f"Banda {PAYLOAD}"),))
    return make_result("hostile", body, events=(event,), published=date(2024, 2, 1),
                       title=f"Seizure {PAYLOAD}", organizations=(ArticleOrganization(f"Banda {PAYLOAD}"),))


@pytest.fixture(scope="module")
def client(sample_db: Callable[..., Path]) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db("web"))) as c:
        yield c


@pytest.fixture(scope="module")
def hostile_client(sample_db: Callable[..., Path]) -> Iterator[TestClient]:
    with TestClient(create_app(sample_db("web-hostile", _hostile()))) as c:
        yield c


def _get(client: TestClient, url: str, status: int = 200) -> dict:  # type: ignore[type-arg]
    r = client.get(url)
    assert r.status_code == status, (url, r.text[:300])
    return r.json()  # type: ignore[no-any-return]


def test_missing_database_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(StorageError, match="crimewire ingest"):
        create_app(tmp_path / "nope.db")
    assert not (tmp_path / "nope.db").exists()


def test_stats(client: TestClient) -> None:
    d = _get(client, "/api/stats")
    assert d["mode"] == "events"
    assert d["stats"]["events"] == 5  # the background event is left out
    assert d["stats"]["by_type"]["arrest"] == 2
    assert d["stats"]["by_country"] == {"CO": 2, "PE": 2, "EC": 1}
    # Newest first, by date or (undated) publication: the Cartagena arrest published 2024-06-03.
    assert [(r["id"], r["date"]) for r in d["newest"][:2]] == [(4, None), (3, "2024-06-01")]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", 5),
        ("type=arrest", 2),
        ("type=arrest,rescue", 3),
        ("country=CO", 2),
        ("country=co", 2),
        ("organization=Tren de Aragua", 2),  # its faction's events count too
        ("organization=AGC", 2),  # an alias of Clan del Golfo
        ("organization=Nobody", 0),
        ("place=Lima", 1),
        ("place=Cartagena", 2),
        ("since=2024-06", 2),
        ("until=2023", 1),
        ("since=2024-03-01&until=2024-03-31", 2),
        ("text=cocaína", 1),
        ("text=cocaina", 1),  # accents ignored
        ("text=%22Interior Ministry%22", 1),
        ("type=arrest&country=PE", 1),
    ],
)
def test_incident_filters(client: TestClient, query: str, expected: int) -> None:
    d = _get(client, f"/api/incidents?{query}")
    assert d["total"] == expected
    assert len(d["items"]) == expected
    if "type=arrest" in query and "," not in query:
        assert {r["type"] for r in d["items"]} == {"arrest"}


def test_incident_order_and_paging(client: TestClient) -> None:
    counts = [r["count"] for r in _get(client, "/api/incidents?order=-count")["items"]]
    assert counts[:3] == [12, 8, 4]
    assert _get(client, "/api/incidents?order=count")["items"][0]["count"] == 3
    dates = [r["date"] for r in _get(client, "/api/incidents?order=date")["items"] if r["date"]]
    assert dates == sorted(dates)
    first = _get(client, "/api/incidents?limit=2")
    second = _get(client, "/api/incidents?limit=2&offset=2")
    assert first["total"] == second["total"] == 5
    assert {r["id"] for r in first["items"]}.isdisjoint(r["id"] for r in second["items"])


@pytest.mark.parametrize(
    ("query", "status"),
    [("type=bogus", 400), ("order=bogus", 400), ("country=PER", 400), ("since=yesterday", 400),
     ("limit=100000", 422), ("offset=-1", 422)],
)
def test_bad_filters_say_why(client: TestClient, query: str, status: int) -> None:
    d = _get(client, f"/api/incidents?{query}", status)
    assert d["detail"]


def test_incident_detail(client: TestClient) -> None:
    d = _get(client, "/api/incidents/1")
    record = d["record"]
    assert record["kind"] == "event" and record["type"] == "arrest" and record["n_sources"] == 1
    assert record["location_kind"] == "point" and (record["lat"], record["lon"]) == (-12.04, -77.03)
    source = record["sources"][0]
    assert source["article_id"] == "lima-raid" and source["evidence"].startswith("Police in Lima arrested")
    assert d["event"]["evidence"]["trigger"] == "arrested"
    _get(client, "/api/incidents/999", 404)
    _get(client, "/api/incidents/abc", 404)


def test_events(client: TestClient) -> None:
    assert _get(client, "/api/events")["total"] == 6  # background event included
    assert _get(client, "/api/events?type=killing")["total"] == 1
    assert _get(client, "/api/events?organization=Los Choneros")["total"] == 2
    d = _get(client, "/api/events/2")
    assert d["row"]["type"] == "rescue" and d["event"]["attribution"]["source"] == "Interior Ministry"
    _get(client, "/api/events/999", 404)


def test_articles(client: TestClient) -> None:
    assert _get(client, "/api/articles")["total"] == 4
    assert [a["id"] for a in _get(client, "/api/articles?lang=es")["items"]] == ["cartagena-cocaina"]
    assert _get(client, "/api/articles?organization=Los Choneros")["total"] == 1
    assert _get(client, "/api/articles?since=2024-03")["total"] == 2
    assert _get(client, "/api/articles?until=2023-12-31")["total"] == 1
    assert len(_get(client, "/api/articles?limit=1&offset=1")["items"]) == 1
    d = _get(client, "/api/articles/lima-raid")
    assert d["removed"][0]["text"].startswith("Also read")
    assert len(d["events"]) == 2 and d["clean_text"].startswith("Police in Lima")
    _get(client, "/api/articles/nope", 404)


def test_organizations(client: TestClient) -> None:
    d = _get(client, "/api/organizations")
    assert d["total"] == 4
    assert {o["name"] for o in d["items"]} >= {"Tren de Aragua", "Los Hijos de Dios", "Clan del Golfo"}
    assert len(_get(client, "/api/organizations?limit=1&offset=1")["items"]) == 1
    assert _get(client, "/api/organizations?known=false")["total"] == 0
    agc = _get(client, "/api/organizations/AGC")
    assert agc["organization"]["name"] == "Clan del Golfo"
    tda = _get(client, "/api/organizations/Tren de Aragua")
    assert {"name": "Los Hijos de Dios", "relation": "faction", "incidents": 0} in tda["related"]
    hijos = _get(client, "/api/organizations/Los Hijos de Dios")
    assert hijos["related"][0] == {"name": "Tren de Aragua", "relation": "parent", "incidents": 0}
    _get(client, "/api/organizations/Nobody", 404)


def test_search(client: TestClient) -> None:
    d = _get(client, "/api/search?q=cocaína")
    assert [h["article_id"] for h in d["items"]] == ["cartagena-cocaina"]
    assert "[cocaína]" in d["items"][0]["snippet"]
    assert _get(client, '/api/search?q="unbalanced (AND')["items"] == []
    assert _get(client, "/api/search?q=police&limit=1")["total"] >= 1
    _get(client, "/api/search", 422)


def test_map_geojson(client: TestClient) -> None:
    d = _get(client, "/api/map")
    assert d["type"] == "FeatureCollection" and d["total"] == 5
    by_id = {f["properties"]["id"]: f for f in d["features"]}
    assert by_id[1]["geometry"] == {"type": "Point", "coordinates": [-77.03, -12.04]}  # lon, lat
    assert by_id[2]["properties"]["location_kind"] == "region" and by_id[2]["geometry"] is None
    assert by_id[2]["properties"]["region"] == "PE-LIM"
    assert by_id[5]["properties"]["location_kind"] == "country"
    areas = {f["properties"]["id"]: f for f in _get(client, "/api/map?areas=true")["features"]}
    assert areas[2]["geometry"]["type"] == "MultiPolygon"
    ring = areas[2]["geometry"]["coordinates"][0][0]
    assert all(-82 < lon < -68 and -19 < lat < 0 for lon, lat in ring)  # Lima region, lon/lat order
    assert _get(client, "/api/map?type=rescue")["total"] == 1
    _get(client, "/api/map?limit=0", 422)


def test_network(client: TestClient) -> None:
    d = _get(client, "/api/network")
    kinds = {n["kind"] for n in d["nodes"]}
    assert kinds == {"organization", "place", "agency"}
    links = {(x["source"], x["target"], x["kind"]) for x in d["links"]}
    assert ("org:Los Hijos de Dios", "org:Tren de Aragua", "faction_of") in links
    assert ("org:Clan del Golfo", "agency:Policía Nacional", "targeted_by") in links
    weights = {(x["source"], x["target"]): x["weight"] for x in d["links"]}
    assert weights[("org:Clan del Golfo", "place:Cartagena (CO)")] == 2
    assert len(_get(client, "/api/network?nodes=3")["nodes"]) == 3
    only = _get(client, "/api/network?country=EC")
    assert {n["label"] for n in only["nodes"]} == {"Los Choneros", "Guayaquil (EC)"}


def test_openapi_documents_every_endpoint_with_typed_responses(client: TestClient) -> None:
    spec = _get(client, "/openapi.json")
    paths = spec["paths"]
    for path in ("/api/stats", "/api/incidents", "/api/incidents/{incident_id}", "/api/events",
                 "/api/events/{event_id}", "/api/articles", "/api/articles/{article_id}",
                 "/api/organizations", "/api/organizations/{name}", "/api/search", "/api/map",
                 "/api/network"):
        assert path in paths, path
        schema = paths[path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
        assert "$ref" in schema, path
    params = {p["name"] for p in paths["/api/incidents"]["get"]["parameters"]}
    assert {"type", "country", "organization", "place", "since", "until", "text", "order", "limit", "offset"} <= params
    assert "/incidents" not in paths  # pages are not part of the API


PAGES = ("/", "/incidents", "/incidents?type=arrest&order=count", "/incidents/1", "/events", "/events/2",
         "/articles", "/articles/lima-raid", "/organizations", "/organizations/Tren de Aragua", "/map",
         "/network", "/search?q=police", "/search")


@pytest.mark.parametrize("page", PAGES)
def test_pages_render_with_security_headers(client: TestClient, page: str) -> None:
    r = client.get(page)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "<script>" not in r.text  # scripts only come from /static files
    assert "http://" not in r.text.replace('href="http://', "") and "https://cdn" not in r.text


def test_html_errors(client: TestClient) -> None:
    r = client.get("/incidents?since=nonsense")
    assert r.status_code == 400 and "not a date" in r.text
    assert client.get("/incidents/999").status_code == 404
    assert client.get("/static/geo/countries.json").status_code == 200


@pytest.mark.parametrize(
    "page", ["/", "/incidents", "/events/7", "/articles", "/articles/hostile", "/organizations",
             "/search?q=seizure", "/organizations/Banda <script>window.__pwned=1</script>"]
)
def test_hostile_text_is_escaped_in_html(hostile_client: TestClient, page: str) -> None:
    r = hostile_client.get(page)
    assert r.status_code == 200, page
    assert "<script>window.__pwned" not in r.text
    assert "<img src=x" not in r.text
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in r.text


def test_hostile_text_in_json_is_data(hostile_client: TestClient) -> None:
    d = _get(hostile_client, "/api/incidents?country=EC&type=seizure")
    assert d["items"][0]["organizations"] == [f"Banda {PAYLOAD}"]
    filters = hostile_client.get("/map?organization=" + PAYLOAD).text
    assert "<script>window" not in filters and "\\u003cscript\\u003e" in filters  # tojson, escaped


# --------------------------------------------------------------------------- incidents mode


@pytest.fixture(scope="module")
def incident_client(sample_db: Callable[..., Path]) -> Iterator[TestClient]:
    resolve = pytest.importorskip("crimewire.resolve", reason="cross-article incidents not built here")
    path = sample_db("web-incidents")
    with open_database(path) as db:
        resolve.resolve_all(db)
    with TestClient(create_app(path)) as c:
        yield c


def test_incidents_mode(incident_client: TestClient) -> None:
    assert _get(incident_client, "/api/stats")["mode"] == "incidents"
    d = _get(incident_client, "/api/incidents?type=arrest")
    assert d["total"] == 2 and {r["kind"] for r in d["items"]} == {"incident"}
    lima = next(r for r in d["items"] if r["country"] == "PE")
    assert lima["location_kind"] == "point" and lima["sources"][0]["article_id"] == "lima-raid"
    detail = _get(incident_client, f"/api/incidents/{lima['id']}")
    assert detail["record"]["id"] == lima["id"] and detail["resolution"] is not None
    page = incident_client.get(f"/incidents/{lima['id']}")
    assert page.status_code == 200
    assert 'class="hl-evidence"' in page.text and 'class="hl-evidence hl-trigger"' in page.text
    regions = [f for f in _get(incident_client, "/api/map")["features"] if f["properties"]["location_kind"] == "region"]
    assert [f["properties"]["region"] for f in regions] == ["PE-LIM"]
    assert _get(incident_client, "/api/organizations/Tren de Aragua")["profile"]["incidents"] == 2
    for url in ("/", "/incidents", "/organizations/Tren de Aragua", "/map", "/network"):
        assert incident_client.get(url).status_code == 200, url
