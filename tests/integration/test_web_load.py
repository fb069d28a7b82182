"""The workbench under load, small: 50 concurrent clients against the real `crimewire serve`
(a uvicorn subprocess) over a generated database of 2,000 incidents, a bounded number of requests.

The same code as ``make bench`` (``bench/load.py`` over ``bench/gen_db.py``), which measures the
speed on 100,000 incidents; here only correctness counts: no error, every response a 200 with
whole JSON (no list longer than its limit) or a whole HTML page. No timing is asserted.
"""

from __future__ import annotations

import http.client
import json
import random
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import gen_db  # noqa: E402  (bench/gen_db.py)
import load  # noqa: E402  (bench/load.py)

INCIDENTS = 2_000
CLIENTS = 50
REQUESTS = 500


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    db = tmp_path_factory.mktemp("load") / "load.db"
    counts = gen_db.generate(db, INCIDENTS, seed=1)
    assert counts["incidents"] == INCIDENTS and counts["events"] >= INCIDENTS
    with load.serve(db) as (base, _pid):
        yield base, db


@pytest.fixture(scope="module")
def values(server: tuple[str, Path]) -> dict[str, list[Any]]:
    return load.sample_values(server[0], seed=1)


def _get(base: str, path: str) -> tuple[int, str, bytes]:
    parts = urlsplit(base)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path)
        r = conn.getresponse()
        return r.status, r.getheader("content-type") or "", r.read()
    finally:
        conn.close()


def test_generated_database_is_read_like_an_ingested_one(server: tuple[str, Path]) -> None:
    base, _ = server
    status, _, body = _get(base, "/api/stats")
    stats = json.loads(body)
    assert status == 200 and stats["mode"] == "incidents"
    assert stats["stats"]["events"] == INCIDENTS  # in incidents mode the overview counts incidents
    page = json.loads(_get(base, "/api/incidents?limit=5&order=-sources")[2])
    assert page["total"] == INCIDENTS and page["items"][0]["n_sources"] >= 2
    detail = json.loads(_get(base, f"/api/incidents/{page['items'][0]['id']}")[2])
    assert len(detail["record"]["sources"]) == page["items"][0]["n_sources"]


def test_every_kind_of_request_in_the_mix_answers_correctly(server: tuple[str, Path], values: dict) -> None:  # type: ignore[type-arg]
    """Each request of the benchmark's mix once, in turn: the checker accepts every answer."""
    base, _ = server
    rng = random.Random(3)
    for _, name, build in load.MIX:
        for _ in range(3):
            path = build(rng, values)
            status, content_type, body = _get(base, path)
            assert load.check(path, status, content_type, body) is None, (name, path, status, body[:300])


def test_the_checker_rejects_wrong_answers() -> None:
    """The load test's verdicts can fail: a 500, a page cut short, a list longer than its limit."""
    assert load.check("/api/stats", 500, "application/json", b"{}") == "status 500"
    assert load.check("/incidents", 200, "text/html", b"<html><body>") == "an HTML page cut short"
    assert load.check("/api/events?limit=1", 200, "application/json",
                      b'{"total": 2, "items": [1, 2]}') == "a page with more items than its limit"
    assert load.check("/api/stats", 200, "application/json", b"{").startswith("invalid JSON")


def test_fifty_clients_get_no_error(server: tuple[str, Path], values: dict) -> None:  # type: ignore[type-arg]
    base, _ = server
    result = load.run_load(base, clients=CLIENTS, requests=REQUESTS, seed=2, values=values)
    assert result["errors"] == 0, result["error_samples"]
    assert result["requests"] == REQUESTS
    assert result["clients"] == CLIENTS
    # The mix reached the main pages and endpoints (the rarest kinds may miss a small run).
    assert {"api incidents", "page incidents", "page incident", "api search", "api map"} <= set(result["endpoints"])
    # The server is still whole afterwards.
    status, _, body = _get(base, "/api/incidents?limit=1")
    assert status == 200 and json.loads(body)["total"] == INCIDENTS
