"""The workbench against hostile content and hostile requests, over a real SQLite file.

The database holds articles ingested by the real pipeline (``crimewire.api.ingest``) and
hand-made results whose every field (title, outlet, url, id, groups, places, agencies, evidence)
carries a payload: script tags, attribute breakers, SQL, spreadsheet formulas, template syntax,
unicode. The app runs through FastAPI's TestClient (the real ASGI app), and `crimewire serve`
itself for the address it binds.

What must hold: an injection string in any query or path parameter of any GET route (read from
the app's OpenAPI schema and, for the HTML pages it leaves out, from the routes) gives 200, 400,
404 or 422, never 500, and leaves the database as it was; every list is paged with bounded
limit/offset/page; no route accepts a write method; every page is free of article markup that
could run (no inline script, no on* attribute, no javascript: link) and carries a CSP without
'unsafe-inline'; JSON in pages and the GeoJSON, GraphML and CSV exports carry the text intact
and inert (CSV cells that would start a formula are neutralized).
"""

from __future__ import annotations

import csv
import hashlib
import http.client
import json
import socket
import sqlite3
import subprocess
import sys
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

import psutil
import pytest
from fastapi.testclient import TestClient
from starlette.routing import Mount, Route

from crimewire.api import ingest
from crimewire.export import ACLED_COLUMNS, export
from crimewire.records import (
    ArticleOrganization,
    Attribution,
    CountValue,
    DateValue,
    EventOrg,
    Mentions,
    OrgMatch,
    Quantity,
)
from crimewire.resolve import resolve_all
from crimewire.storage import open_database, store_results
from crimewire.storage.samples import make_event, make_result, place
from crimewire.web import create_app
from crimewire.web.deps import MAX_LIMIT, MAX_OFFSET, MAX_PAGE

CRIMEWIRE = Path(sys.executable).with_name("crimewire")

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
SQL = "'); DROP TABLE events;--"
FORMULA = '=HYPERLINK("http://x")'
CLOSE = "</script>"
TEMPLATE = "{{7*7}}"
UNICODE = "Cártel «Ñandú» 🦂 \u202eevil\u202c 中文 ﷽"

# Strings thrown at every parameter: the payloads above, SQL and FTS5 syntax, LIKE wildcards,
# numbers past every bound, path tricks, control characters, a very long value.
INJECTIONS = (
    SCRIPT, IMG, SQL, FORMULA, CLOSE, TEMPLATE, UNICODE,
    "' OR '1'='1", '" OR 1=1 --', "1; SELECT * FROM articles", "%", "_", "*", '"', "NEAR(", "a OR", "-",
    "\\", "../../../etc/passwd", "-1", "99999999999999999999999", "1e309", "NaN", "\x00", "\r\nX-Injected: 1",
    "x" * 5000,
)  # fmt: skip

# --------------------------------------------------------------------------- the hostile database

HOSTILE_ORGS = (f"Banda {SCRIPT}", f"Clan {IMG}", f"Los {SQL}", FORMULA, f"{TEMPLATE} Gang", UNICODE,
                "@SUM(1+1)", "+Tren", "-Cartel")
HOSTILE_ID = f"x{IMG}{SCRIPT}"
CONTROL = "Banda\x1bde\x0bcontrol\x00"  # characters XML cannot hold


def _hand_made() -> list[Any]:
    """Results whose every shown field carries a payload (what no extractor is trusted to filter)."""
    s1 = f"Police arrested 5 members of {HOSTILE_ORGS[0]} and {HOSTILE_ORGS[1]} in {IMG} town on Monday."
    s2 = f"Gunmen of {HOSTILE_ORGS[2]} killed 3 people in {CLOSE}{SCRIPT}, {FORMULA} said."
    s3 = f"Soldiers seized 40 kilograms of {SCRIPT} from {HOSTILE_ORGS[4]} and {UNICODE} near {TEMPLATE}."
    body = f"{s1} {s2} {s3} Note: {SQL} {FORMULA} @SUM(1+1) +1+1 -2+3."
    town = place(body, f"{IMG} town", kind="city", country="MX", region="MX-SIN", region_name=SCRIPT,
                 city=IMG, lat=24.8, lon=-107.4)
    there = place(body, f"{CLOSE}{SCRIPT}", name=FORMULA, kind="locality", country="MX")
    near = place(body, TEMPLATE, name=TEMPLATE, kind="region", country="CO", region="CO-ANT")
    events = (
        make_event(body, s1, "arrested", "arrest", date=DateValue(date(2024, 5, 6), "day", "on Monday", "x"),
                   count=CountValue(5, "exact", "5"), country="MX", places=(town,),
                   organizations=(EventOrg(HOSTILE_ORGS[0]), EventOrg(HOSTILE_ORGS[1])),
                   agencies=(f"Police {IMG}", "=cmd|' /C calc'!A0")),
        make_event(body, s2, "killed", "killing", count=CountValue(3, "exact", "3"), country="MX", places=(there,),
                   organizations=(EventOrg(HOSTILE_ORGS[2]), EventOrg(FORMULA), EventOrg("@SUM(1+1)")),
                   attribution=Attribution(FORMULA, f"{FORMULA} said")),
        make_event(body, s3, "seized", "seizure", country="CO", places=(near,),
                   organizations=(EventOrg(HOSTILE_ORGS[4]), EventOrg(UNICODE), EventOrg("+Tren"), EventOrg(CONTROL),
                                  EventOrg("-Cartel", parent=HOSTILE_ORGS[0])),
                   items=(Quantity(SCRIPT, 40.0, "kg", "40 kilograms"),)),
    )
    mentions = Mentions(
        places=(town, there, near),
        organizations=tuple(OrgMatch(o, body.index(o), body.index(o) + len(o), o, known=False, rule="test")
                            for o in (HOSTILE_ORGS[0], HOSTILE_ORGS[1], HOSTILE_ORGS[2], HOSTILE_ORGS[4])),
    )
    first = make_result(HOSTILE_ID, body, clutter=f"{SCRIPT} Read more\n", events=events,
                        published=date(2024, 5, 7), title=f"{SCRIPT} {IMG} {TEMPLATE}", mentions=mentions,
                        organizations=tuple(ArticleOrganization(o) for o in HOSTILE_ORGS),
                        url="javascript:alert(1)")
    first = replace(first, clean=replace(first.clean, article=replace(first.clean.article, outlet=IMG)))
    s4 = f"Police rescued 2 women held by {HOSTILE_ORGS[0]} in {IMG} town, {SCRIPT} said."
    second = make_result("second-report", s4, published=date(2024, 5, 8), title=FORMULA, url=f"https://x/{IMG}",
                         events=(make_event(s4, s4, "rescued", "rescue", count=CountValue(2, "exact", "2"),
                                            country="MX", places=(place(s4, f"{IMG} town", kind="city",
                                                                        country="MX", lat=24.8, lon=-107.4),),
                                            organizations=(EventOrg(HOSTILE_ORGS[0]),)),),
                         organizations=(ArticleOrganization(HOSTILE_ORGS[0]),))
    return [first, second]


# Articles for the real pipeline, written for this test.
INGESTED = [
    {"id": "ingested-1", "date": "2024-03-12", "title": f"{SCRIPT} Lima raid", "outlet": IMG,
     "url": "javascript:alert(document.cookie)",
     "text": f"Police arrested twelve suspected members of the Tren de Aragua in Lima on Monday, the Interior "
             f"Ministry said. {SCRIPT} Officers also seized four pistols {IMG} during the raids. {SQL} {FORMULA} "
             f"{TEMPLATE} {UNICODE}"},
    {"id": "ingested-2", "date": "2024-04-02", "title": f"Decomiso {TEMPLATE}", "lang": "es",
     "text": f"La Policía Nacional detuvo a siete presuntos integrantes del Clan del Golfo en Medellín el martes. "
             f"{CLOSE}<svg onload=alert(1)> {FORMULA}"},
]


def digest(path: Path) -> dict[str, tuple[int, str]]:
    """Row count and a hash of the rows of every table: equal digests, equal contents."""
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
        out = {}
        for table in tables:
            rows = conn.execute(f'SELECT * FROM "{table}"').fetchall()
            out[table] = (len(rows), hashlib.sha256(repr(rows).encode()).hexdigest())
        return out


def integrity(path: Path) -> list[tuple[str]]:
    with closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        return conn.execute("PRAGMA integrity_check").fetchall()


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("security")
    path = work / "hostile.db"
    with open_database(path) as db:
        store_results(db, _hand_made())
        resolve_all(db)
    articles = work / "hostile.jsonl"
    articles.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in INGESTED), encoding="utf-8")
    summary = ingest([articles], path)
    assert summary.stored == 2 and not summary.errors and summary.events >= 2
    with open_database(path) as db:
        assert db.conn.execute("SELECT count(*) FROM incidents").fetchone()[0] >= 5
    return path


@pytest.fixture(scope="module")
def client(hostile_db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(hostile_db), raise_server_exceptions=False) as c:
        yield c


# --------------------------------------------------------------------------- HTML checks


class _Page(HTMLParser):
    """Every tag with its attributes, and the text inside each script element."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag: str) -> None:
        if tag == "script":
            self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script and data.strip():
            self.script_text.append(data)


def assert_inert(html: str, where: str) -> _Page:
    """Nothing in the page can run: scripts only from /static (empty bodies), no on* attribute,
    no javascript: or data: link, no image or frame the article brought, no raw payload."""
    page = _Page()
    page.feed(html)
    page.close()
    scripts = [a for t, a in page.tags if t == "script"]
    assert all((a.get("src") or "").startswith("/static/") for a in scripts), (where, scripts)
    assert not page.script_text, (where, page.script_text[:2])
    assert html.count("<script") == len(scripts), where  # no script tag the parser did not see as one
    for tag, attrs in page.tags:
        assert tag not in ("img", "iframe", "object", "embed", "base"), (where, tag, attrs)  # charts are svg
        for name, value in attrs.items():
            assert not name.startswith("on"), (where, tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not (value or "").strip().lower().startswith(("javascript:", "data:", "vbscript:")), (
                    where, tag, value)
    for raw in (SCRIPT, IMG, "<img src=x", "<svg onload", "onerror=alert(1)>"):
        assert raw not in html, (where, raw)
    return page


def assert_csp(headers: Any, where: str) -> None:
    csp = headers["content-security-policy"]
    directives = {d.split()[0]: " ".join(d.split()[1:]) for d in csp.split(";") if d.strip()}
    assert directives.get("default-src") == "'none'", (where, csp)
    assert directives["script-src"] == "'self'", (where, csp)  # no 'unsafe-inline', no 'unsafe-eval'
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    assert headers["x-content-type-options"] == "nosniff"


# --------------------------------------------------------------------------- the routes


def _query_params(dependant: Any) -> set[str]:
    """Query parameter names of a route, its dependencies' included."""
    names = {p.alias for p in dependant.query_params}
    for sub in dependant.dependencies:
        names |= _query_params(sub)
    return names


def leaf_routes(routes: Any) -> Iterator[Any]:
    """The app's routes, those of included routers too (FastAPI includes a router as one entry)."""
    for route in routes:
        included = getattr(route, "original_router", None)
        if included is not None:
            yield from leaf_routes(included.routes)
        else:
            yield route


def get_routes(client: TestClient) -> dict[str, tuple[set[str], set[str]]]:
    """``{path: (query params, path params)}`` of every GET route: the API from the OpenAPI schema,
    the HTML pages (which the schema leaves out) from the app's routes."""
    spec = client.get("/openapi.json").json()
    routes: dict[str, tuple[set[str], set[str]]] = {}
    for path, methods in spec["paths"].items():
        params = methods["get"].get("parameters", [])
        routes[path] = ({p["name"] for p in params if p["in"] == "query"},
                        {p["name"] for p in params if p["in"] == "path"})
    for route in leaf_routes(client.app.routes):  # type: ignore[attr-defined]
        if isinstance(route, Route) and "GET" in (route.methods or ()) and hasattr(route, "dependant"):
            path = route.path.replace(":path}", "}")
            found = (_query_params(route.dependant), {p.alias for p in route.dependant.path_params})
            if path in routes:
                assert routes[path] == found, path  # the schema and the routes agree
            routes[path] = found
    return routes


def valid_path_values(client: TestClient) -> dict[str, str]:
    """A value of each path parameter that finds something in the hostile database."""
    incident = client.get(f"/api/incidents?organization={quote(HOSTILE_ORGS[0])}&limit=1").json()["items"][0]
    event = client.get("/api/events?limit=1").json()["items"][0]
    return {"incident_id": str(incident["id"]), "event_id": str(event["id"]), "article_id": HOSTILE_ID,
            "name": HOSTILE_ORGS[0]}


def fill(path: str, values: dict[str, str]) -> str:
    for name, value in values.items():
        path = path.replace("{" + name + "}", quote(value, safe=""))
    return path


def _expected_routes() -> set[str]:
    return {"/", "/incidents", "/incidents/{incident_id}", "/events", "/events/{event_id}", "/articles",
            "/articles/{article_id}", "/organizations", "/organizations/{name}", "/map", "/network", "/search",
            "/api/stats", "/api/incidents", "/api/incidents/{incident_id}", "/api/events", "/api/events/{event_id}",
            "/api/articles", "/api/articles/{article_id}", "/api/organizations", "/api/organizations/{name}",
            "/api/search", "/api/map", "/api/network"}


def test_every_route_is_found(client: TestClient) -> None:
    routes = get_routes(client)
    assert set(routes) >= _expected_routes(), set(_expected_routes()) - set(routes)
    assert {"type", "country", "organization", "place", "since", "until", "text", "order", "page"} <= routes[
        "/incidents"][0]
    assert routes["/api/organizations"][0] == {"known", "limit", "offset"}


def check_response(r: Any, url: str) -> None:
    """A response to a hostile request: an expected status, whole JSON or an inert page."""
    assert r.status_code in (200, 400, 404, 422), (url, r.status_code, r.text[:300])
    if r.headers["content-type"].startswith("application/json"):
        r.json()
    else:
        assert r.headers["content-type"].startswith("text/html"), url
        assert_csp(r.headers, url)
        assert_inert(r.text, url)


@pytest.mark.parametrize("route", sorted(_expected_routes()))
def test_injection_in_every_parameter(client: TestClient, hostile_db: Path, route: str) -> None:
    routes = get_routes(client)
    query_params, path_params = routes[route]
    values = valid_path_values(client)
    before = digest(hostile_db)
    base = fill(route, values)
    statuses = set()
    for name in sorted(query_params):
        for payload in INJECTIONS:
            url = f"{base}?{name}={quote(payload, safe='')}"
            r = client.get(url)
            check_response(r, url)
            statuses.add(r.status_code)
    # Every parameter at once, and each given twice.
    if query_params:
        everything = "&".join(f"{n}={quote(SQL)}" for n in sorted(query_params))
        check_response(client.get(f"{base}?{everything}"), everything)
        check_response(client.get(f"{base}?{everything}&{everything}"), everything)
    for name in path_params:
        for payload in INJECTIONS:
            url = fill(route, {**values, name: payload})
            r = client.get(url)
            check_response(r, url)
            statuses.add(r.status_code)
    # Raw bytes that are not UTF-8, and a NUL, in the query string.
    check_response(client.get(f"{base}?{'&'.join(f'{n}=%ff%fe%00' for n in query_params)}"), base)
    assert digest(hostile_db) == before  # same rows in every table
    assert integrity(hostile_db) == [("ok",)]
    if query_params & {"type", "country", "organization", "place", "since", "until", "text", "q", "lang"}:
        assert 200 in statuses, route  # the text filters took the payloads as values to look for


def test_injection_strings_find_only_what_they_say(client: TestClient) -> None:
    """The filters are data: a payload finds the rows carrying it as text, and '1'='1' finds nothing."""
    everything = client.get("/api/incidents").json()["total"]
    for payload in ("' OR '1'='1", '" OR 1=1 --', "%", "_"):
        assert client.get(f"/api/incidents?organization={quote(payload)}").json()["total"] == 0, payload
        assert client.get(f"/api/articles?organization={quote(payload)}").json()["total"] == 0, payload
    found = client.get(f"/api/incidents?organization={quote(HOSTILE_ORGS[2])}").json()
    assert found["total"] == 1 and found["total"] < everything
    assert HOSTILE_ORGS[2] in found["items"][0]["organizations"]
    assert client.get(f"/api/organizations/{quote(FORMULA, safe='')}").json()["organization"]["name"] == FORMULA


# --------------------------------------------------------------------------- paging and methods


LIST_ROUTES = ("/incidents", "/events", "/articles", "/organizations", "/search", "/api/incidents", "/api/events",
               "/api/articles", "/api/organizations", "/api/search", "/api/map")


def test_every_list_route_is_paged_and_bounded(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    routes = get_routes(client)
    for path in routes:
        schema = spec["paths"].get(path, {}).get("get", {}).get("responses", {}).get("200", {})
        ref = json.dumps(schema)
        if "Page_" in ref or "FeatureCollection" in ref:
            assert path in LIST_ROUTES, f"{path} returns a list: add it to LIST_ROUTES"
    for path in LIST_ROUTES:
        query = routes[path][0]
        base = f"{path}?q=police&" if path.endswith("search") else f"{path}?"
        if path.startswith("/api/"):
            params = {p["name"]: p["schema"] for p in spec["paths"][path]["get"]["parameters"]}
            assert params["limit"]["maximum"] <= 5000 and params["offset"]["maximum"] == MAX_OFFSET, path
            r = client.get(base)
            assert r.status_code == 200 and len(r.json().get("items", r.json().get("features"))) <= MAX_LIMIT
            assert client.get(f"{base}limit={params['limit']['maximum'] + 1}").status_code == 422, path
            assert client.get(f"{base}limit=-1").status_code == 422, path
            assert client.get(f"{base}offset={MAX_OFFSET + 1}").status_code == 422, path
            assert client.get(f"{base}offset=-1").status_code == 422, path
            assert client.get(f"{base}offset={10**30}").status_code == 422, path
            far = client.get(f"{base}offset={MAX_OFFSET}")
            assert far.status_code == 200, path
            assert far.json().get("items", far.json().get("features")) == [], path
        else:
            assert "page" in query, path
            assert client.get(f"{base}page={MAX_PAGE + 1}").status_code == 422, path
            assert client.get(f"{base}page={10**30}").status_code == 422, path
            assert client.get(f"{base}page=0").status_code == 422, path
            assert client.get(f"{base}page={MAX_PAGE}").status_code == 200, path
    # The views drawn whole (map, network) are bounded by their own parameters.
    assert client.get("/api/network?incidents=5001").status_code == 422
    assert client.get("/api/network?nodes=401").status_code == 422
    assert client.get("/api/map?limit=5001").status_code == 422


def test_no_route_accepts_a_write(client: TestClient) -> None:
    values = valid_path_values(client)
    paths = [fill(p, values) for p in get_routes(client)] + ["/static/app.css", "/openapi.json"]
    leaves = list(leaf_routes(client.app.routes))  # type: ignore[attr-defined]
    assert len(leaves) >= len(_expected_routes())
    for route in leaves:
        if isinstance(route, Route):
            assert route.methods <= {"GET", "HEAD"}, (route.path, route.methods)
        else:
            assert isinstance(route, Mount) and route.path == "/static", route
    for path in paths:
        for method in ("POST", "PUT", "PATCH", "DELETE"):
            r = client.request(method, path, content=b"{}")
            assert r.status_code == 405, (method, path, r.status_code)


# --------------------------------------------------------------------------- escaping in pages


def hostile_pages(client: TestClient) -> list[str]:
    """Every page that shows hostile text."""
    values = valid_path_values(client)
    incidents = client.get("/api/incidents?limit=50").json()["items"]
    events = client.get("/api/events?limit=50").json()["items"]
    pages = ["/", "/incidents", "/events", "/articles", "/organizations", "/map", "/network",
             f"/search?q={quote('alert')}", f"/search?q={quote(SCRIPT)}", f"/search?q={quote(TEMPLATE)}",
             f"/incidents?organization={quote(SCRIPT)}", f"/incidents?text={quote(IMG)}",
             f"/map?organization={quote(HOSTILE_ORGS[1])}&place={quote(SCRIPT)}",
             f"/network?organization={quote(CLOSE)}&text={quote(IMG)}",
             f"/articles/{quote(HOSTILE_ID, safe='')}", "/articles/second-report", "/articles/ingested-1",
             "/articles/ingested-2", f"/incidents/{quote(values['incident_id'])}",
             "/incidents/nope" + quote(SCRIPT), "/articles/" + quote(IMG), f"/incidents?since={quote(SCRIPT)}",
             f"/incidents?page={quote(IMG)}"]
    pages += [f"/incidents/{quote(str(r['id']))}" for r in incidents]
    pages += [f"/events/{r['id']}" for r in events]
    pages += [f"/organizations/{quote(o, safe='')}" for o in HOSTILE_ORGS]
    return pages


def test_article_content_is_escaped_in_every_page(client: TestClient) -> None:
    shown = ""
    for url in hostile_pages(client):
        r = client.get(url)
        assert r.status_code in (200, 400, 404, 422), (url, r.status_code)
        assert r.headers["content-type"].startswith("text/html"), url
        assert_csp(r.headers, url)
        assert_inert(r.text, url)
        shown += r.text
    # The hostile text was shown, as text.
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in shown
    assert "&#34;&gt;&lt;img src=x onerror=alert(1)&gt;" in shown
    assert TEMPLATE in shown and "'); DROP TABLE events;--".replace("'", "&#39;") in shown
    assert "🦂" in shown and "\u202e" in shown


def test_hostile_text_inside_attributes_stays_inside(client: TestClient) -> None:
    """Titles of highlighted names and links carry payloads as attribute values, not as markup."""
    page = assert_inert(client.get(f"/articles/{quote(HOSTILE_ID, safe='')}").text, "article")
    titles = [a.get("title") or "" for _, a in page.tags]
    # The whole payload, still inside one attribute value.
    assert f"group: {HOSTILE_ORGS[1]}; event 1: arrest" in titles
    assert f"place: {IMG} town (city); event 1: arrest" in titles
    links = [a.get("href") or "" for t, a in page.tags if t == "a"]
    assert "javascript:alert(1)" not in links and "#" in links  # the article's javascript: url is not linked
    hrefs = [a.get("href") or "" for t, a in assert_inert(client.get("/incidents").text, "table").tags if t == "a"]
    assert any(h.startswith("/organizations/") or h.startswith("/incidents/") for h in hrefs)


def test_json_embedded_in_pages_is_the_filter_as_data(client: TestClient) -> None:
    filters = {"organization": HOSTILE_ORGS[1], "place": SCRIPT, "text": f"{CLOSE}{TEMPLATE}"}
    query = "&".join(f"{k}={quote(v)}" for k, v in filters.items())
    for url, element in ((f"/map?{query}", "map"), (f"/network?{query}", "network")):
        r = client.get(url)
        page = assert_inert(r.text, url)
        embedded = next(a["data-filters"] for _, a in page.tags if a.get("id") == element)
        assert json.loads(embedded or "") == filters, url
        assert "\\u003c" in r.text  # tojson escapes < > & ' even before the attribute escaping
    org = client.get(f"/organizations/{quote(HOSTILE_ORGS[0], safe='')}")
    page = assert_inert(org.text, "organization")
    embedded = next(a["data-filters"] for _, a in page.tags if a.get("id") == "map")
    assert json.loads(embedded or "") == {"organization": HOSTILE_ORGS[0]}


def test_json_api_returns_hostile_text_as_data(client: TestClient) -> None:
    article = client.get(f"/api/articles/{quote(HOSTILE_ID, safe='')}")
    assert article.headers["content-type"].startswith("application/json")
    d = article.json()
    assert d["id"] == HOSTILE_ID and d["title"] == f"{SCRIPT} {IMG} {TEMPLATE}" and d["outlet"] == IMG
    names = {o["name"] for o in client.get("/api/organizations?limit=500").json()["items"]}
    assert set(HOSTILE_ORGS) <= names
    ingested = client.get("/api/articles/ingested-1").json()
    assert ingested["title"] == f"{SCRIPT} Lima raid"
    assert all(p in ingested["clean_text"] for p in (SQL, FORMULA, TEMPLATE, UNICODE))


def test_error_pages_carry_the_policy_too(client: TestClient) -> None:
    for url, status in (("/nope", 404), ("/incidents?page=0", 422), ("/incidents?since=never", 400),
                        (f"/organizations/{quote(SCRIPT)}", 404)):
        r = client.get(url)
        assert r.status_code == status, url
        assert_csp(r.headers, url)
        assert_inert(r.text, url)


def test_templates_hold_no_inline_script_or_handler() -> None:
    templates = Path(__file__).resolve().parents[2] / "src" / "crimewire" / "web" / "templates"
    for template in templates.glob("*.html"):
        text = template.read_text(encoding="utf-8")
        page = _Page()
        page.feed(text)
        assert not page.script_text, template.name
        for tag, attrs in page.tags:
            assert not any(name.startswith("on") for name in attrs), (template.name, tag)
            if tag == "script":
                assert (attrs.get("src") or "").startswith("/static/"), template.name


# --------------------------------------------------------------------------- exports


def test_geojson_export_keeps_text_intact(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.geojson"
    with open_database(hostile_db, readonly=True) as db:
        n = export(db, "geojson", out)
    data = json.loads(out.read_text(encoding="utf-8"))
    assert len(data["features"]) == n >= 5
    text = json.dumps(data, ensure_ascii=False)
    for payload in (SCRIPT, IMG, SQL, FORMULA, TEMPLATE, "🦂"):
        assert payload.replace('"', '\\"') in text, payload
    orgs = {o for f in data["features"] for o in f["properties"]["organizations"].split("; ")}
    assert {HOSTILE_ORGS[0], HOSTILE_ORGS[1], FORMULA} <= orgs


def test_graphml_export_is_valid_xml_with_the_text_intact(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.graphml"
    with open_database(hostile_db, readonly=True) as db:
        export(db, "graphml", out)
    root = ET.parse(out).getroot()  # raises on invalid XML
    labels = {d.text for d in root.iter() if d.tag.endswith("}data") and d.text}
    assert set(HOSTILE_ORGS) <= labels, set(HOSTILE_ORGS) - labels
    assert f"{IMG} town (MX)" in labels
    assert "Bandadecontrol" in labels  # what XML cannot hold is left out, not the file


def test_csv_export_neutralizes_formulas(hostile_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "x.csv"
    with open_database(hostile_db, readonly=True) as db:
        n = export(db, "acled-csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == n and list(rows[0]) == list(ACLED_COLUMNS)
    for row in rows:
        for column, cell in row.items():
            if cell[:1] in ("=", "+", "-", "@", "\t", "\r"):
                assert float(cell) < 0, (column, cell)  # only a number (a negative longitude) may start so
    cells = {c for row in rows for c in row.values()}
    assert f"'{FORMULA}" in {c.split("; ")[0] for c in cells}  # the formula is kept as text, quoted
    joined = "\n".join(cells)
    for payload in (SCRIPT, IMG, SQL, TEMPLATE, "🦂"):
        assert payload in joined, payload
    assert any(c.startswith("-") and float(c) < 0 for r in rows for c in (r["longitude"],) if c)


# --------------------------------------------------------------------------- the real server


def test_serve_binds_loopback_by_default(hostile_db: Path) -> None:
    help_text = subprocess.run([str(CRIMEWIRE), "serve", "--help"], capture_output=True, text=True, check=True,
                               env={"COLUMNS": "200", "PATH": "/usr/bin:/bin"}).stdout
    assert "127.0.0.1" in help_text
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([str(CRIMEWIRE), "serve", "--db", str(hostile_db), "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        listening: list[Any] = []
        for _ in range(300):  # bounded wait for the socket (a count, not a timing assertion)
            assert proc.poll() is None, proc.stderr.read() if proc.stderr else b""
            listening = [c for c in psutil.Process(proc.pid).net_connections("inet")
                         if c.status == psutil.CONN_LISTEN]
            if listening:
                break
            time.sleep(0.1)
        assert [(c.laddr.ip, c.laddr.port) for c in listening] == [("127.0.0.1", port)]
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/")
        r = conn.getresponse()
        assert r.status == 200 and "unsafe-inline" not in (r.getheader("content-security-policy") or "x")
        conn.close()
    finally:
        proc.terminate()
        proc.wait(timeout=30)
