"""The workbench keeps answering while an ingest writes to its database.

A real `crimewire serve` (uvicorn subprocess, read-only connections) and a real `crimewire ingest`
(another subprocess, one transaction per article, WAL) on the same SQLite file at the same time;
several endpoints are polled throughout. Every answer must be a 200 with whole JSON or a whole
page; the server must answer while the ingest is still running, also once articles are being
written (counted in answers, not measured in time); afterwards the new articles and events are
visible through the same server.
"""

from __future__ import annotations

import http.client
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from crimewire.storage import open_database, store_results
from crimewire.storage.samples import sample_results

BENCH = Path(__file__).resolve().parents[2] / "bench"
sys.path.insert(0, str(BENCH))

import load  # noqa: E402  (bench/load.py: serve(), check())

CRIMEWIRE = Path(sys.executable).with_name("crimewire")
CORPUS = Path(__file__).resolve().parents[1] / "data" / "corpus" / "articles"
ARTICLES = [*(f"en{i:02d}.txt" for i in range(1, 16)), *(f"es{i:02d}.txt" for i in range(1, 16))]
COUNT = "/api/articles?limit=1"
POLLED = ("/api/stats", "/api/articles?limit=5", "/api/incidents?limit=20", "/api/events?limit=10",
          "/api/search?q=police", "/", "/incidents", "/articles", "/map", "/api/map?limit=200")
# Answers the server must give while the ingest runs, and while it is writing articles.
MIN_DURING_INGEST = 20
MIN_DURING_WRITES = 3


def _get(conn: http.client.HTTPConnection, path: str) -> tuple[int, str, bytes]:
    conn.request("GET", path)
    r = conn.getresponse()
    return r.status, r.getheader("content-type") or "", r.read()


def _articles(conn: http.client.HTTPConnection) -> int:
    status, _, body = _get(conn, "/api/articles?limit=1")
    assert status == 200
    return int(json.loads(body)["total"])


def test_server_answers_while_ingest_writes(tmp_path: Path) -> None:
    db = tmp_path / "live.db"
    with open_database(db) as store:
        store_results(store, sample_results())
    folder = tmp_path / "articles"
    folder.mkdir()
    for name in ARTICLES:
        shutil.copy(CORPUS / name, folder / name)

    with load.serve(db) as (base, _pid):
        port = int(base.rsplit(":", 1)[1])
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        before = _articles(conn)
        events_before = json.loads(_get(conn, "/api/events?limit=1")[2])["total"]
        ingest = subprocess.Popen([str(CRIMEWIRE), "ingest", str(folder), "--db", str(db)],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        answered: list[tuple[str, bool, int]] = []  # (path, ingest still running, articles seen)
        problems: list[str] = []
        seen = before
        give_up = time.monotonic() + 600  # a safety bound on the loop, not a timing assertion
        try:
            i = 0
            while ingest.poll() is None and time.monotonic() < give_up:
                # Every other request counts the stored articles, so that each answer knows how far
                # the ingest had got.
                path = POLLED[(i // 2) % len(POLLED)] if i % 2 else COUNT
                i += 1
                status, content_type, body = _get(conn, path)
                problem = load.check(path, status, content_type, body)
                if problem:
                    problems.append(f"{path}: {problem}")
                if path == COUNT:
                    seen = int(json.loads(body)["total"])
                answered.append((path, ingest.poll() is None, seen))
                time.sleep(0.005)  # leave the ingest some of the shared cores
        finally:
            if ingest.poll() is None:
                ingest.kill()
            _, stderr = ingest.communicate(timeout=120)
        assert ingest.returncode == 0, stderr.decode(errors="replace")[-2000:]
        assert not problems, problems[:5]
        during = [a for a in answered if a[1]]
        assert len(during) >= MIN_DURING_INGEST, len(during)
        assert {p for p, _, _ in during} == {*POLLED, COUNT}  # every endpoint answered during the ingest
        # Some answers came while articles were being committed: reads do not wait for the writer.
        writing = [a for a in during if before < a[2] < before + len(ARTICLES)]
        assert len(writing) >= MIN_DURING_WRITES, (len(writing), sorted({a[2] for a in during}))

        # Afterwards the new articles and their events are there, through the same server.
        assert _articles(conn) == before + len(ARTICLES)
        assert json.loads(_get(conn, "/api/events?limit=1")[2])["total"] > events_before
        page: Any = json.loads(_get(conn, "/api/articles/en01")[2])
        assert page["id"] == "en01" and page["events"]
        status, _, html = _get(conn, "/articles/es01")
        assert status == 200 and html.rstrip().endswith(b"</html>")
        conn.close()
