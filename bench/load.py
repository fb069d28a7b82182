"""The workbench under load: concurrent clients against the real server over a generated database.

``serve(db)`` starts `crimewire serve` (uvicorn, the read-only app) in a subprocess;
``run_load(base_url, ...)`` runs N client threads, each with its own keep-alive connection,
sending a mix of requests an analyst's browser sends (lists with filters, search, map,
network, overview, one incident / article / event / group), and checks every response: status
200, JSON that parses (with at most ``limit`` items) or a whole HTML page. It reports
requests/s, latency percentiles overall and per endpoint, the errors, and the server's CPU.

    python bench/load.py --incidents 100000 --clients 50 --duration 60   # generates the database first
    python bench/load.py --db crimewire.db --clients 10 --requests 500

The standard library only (http.client, threads): ``make bench`` runs it without the dev tools.
"""

from __future__ import annotations

import argparse
import hashlib
import http.client
import json
import os
import random
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

HERE = Path(__file__).resolve().parent

# --------------------------------------------------------------------------- the server


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def crimewire_command() -> list[str]:
    """The `crimewire` console script of this Python (the venv's), else the one on PATH."""
    script = Path(sys.executable).with_name("crimewire")
    if script.is_file():
        return [str(script)]
    found = shutil.which("crimewire")
    if found is None:
        raise FileNotFoundError("no `crimewire` command: install crimewire (make venv)")
    return [found]


def wait_until_up(base_url: str, proc: subprocess.Popen[bytes] | None = None, timeout: float = 60.0) -> None:
    """Wait until ``GET /api/stats`` answers 200; raise if the server died or never answered."""
    deadline = time.monotonic() + timeout
    parts = urlsplit(base_url)
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"the server exited with status {proc.returncode}")
        try:
            conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=5)
            conn.request("GET", "/api/stats")
            if conn.getresponse().status == 200:
                conn.close()
                return
            conn.close()
        except OSError:
            pass
        time.sleep(0.2)
    raise TimeoutError(f"{base_url} did not answer within {timeout:.0f} s")


@contextmanager
def serve(db: Path, *, port: int | None = None, log: Path | None = None) -> Iterator[tuple[str, int]]:
    """`crimewire serve --db DB` in a subprocess (default host: 127.0.0.1); yields (base URL, pid)."""
    port = port or free_port()
    out = log.open("wb") if log else subprocess.DEVNULL
    proc = subprocess.Popen([*crimewire_command(), "serve", "--db", str(db), "--port", str(port)],
                            stdout=out, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base, proc)
        yield base, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if log:
            out.close()  # type: ignore[union-attr]


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds a process has used (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


# --------------------------------------------------------------------------- what to ask


def _get_json(base_url: str, path: str) -> Any:
    parts = urlsplit(base_url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=120)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: {response.status}")
        return json.loads(body)
    finally:
        conn.close()


def sample_values(base_url: str, seed: int = 0) -> dict[str, list[Any]]:
    """Ids, names and filter values to ask for, read from the API itself (newest and deeper pages)."""
    values: dict[str, list[Any]] = defaultdict(list)
    for offset in (0, 1000, 5000, 20000):
        incidents = _get_json(base_url, f"/api/incidents?limit=200&offset={offset}")["items"]
        values["incidents"] += [r["id"] for r in incidents]
        values["countries"] += [r["country"] for r in incidents if r["country"]]
        values["places"] += [p for r in incidents for p in r["places"]]
        events = _get_json(base_url, f"/api/events?limit=200&offset={offset}")["items"]
        values["events"] += [r["id"] for r in events]
        articles = _get_json(base_url, f"/api/articles?limit=200&offset={offset}")["items"]
        values["articles"] += [r["id"] for r in articles]
    values["organizations"] = [o["name"] for o in _get_json(base_url, "/api/organizations?limit=500")["items"]]
    values["words"] = ["police", "cocaine", "cocaína", "arrested", "detuvo", "prison", "migrants", "bodies",
                       "rescued", "extortion", "warehouse", '"national police"', "cartel OR clan", "guns*"]
    rng = random.Random(seed)
    for key in values:
        values[key] = sorted(set(values[key]), key=str)
        rng.shuffle(values[key])
    if not values["incidents"] or not values["articles"]:
        raise RuntimeError(f"{base_url}: the database holds no incidents or articles to ask for")
    return dict(values)


def _filters(rng: random.Random, v: dict[str, list[Any]], *, paging: bool = True) -> dict[str, Any]:
    """The filters of a list request: none, one or two of them, as an analyst narrows a table."""
    q: dict[str, Any] = {}
    for _ in range(rng.choice((0, 1, 1, 2))):
        kind = rng.choice(("type", "country", "organization", "place", "dates", "text", "order"))
        if kind == "type":
            q["type"] = rng.choice(("arrest", "killing", "seizure", "kidnapping", "rescue", "attack,killing"))
        elif kind == "country" and v["countries"]:
            q["country"] = rng.choice(v["countries"])
        elif kind == "organization" and v["organizations"]:
            q["organization"] = rng.choice(v["organizations"])
        elif kind == "place" and v["places"]:
            q["place"] = rng.choice(v["places"])
        elif kind == "dates":
            year = rng.randint(2018, 2025)
            q["since"], q["until"] = f"{year}-{rng.randint(1, 6):02d}", f"{year}-{rng.randint(7, 12):02d}"
        elif kind == "text":
            q["text"] = rng.choice(v["words"])
        elif kind == "order":
            q["order"] = rng.choice(("-date", "date", "-count", "-sources"))
    if paging and rng.random() < 0.2:
        q["offset"] = rng.choice((50, 100, 500, 2000))
    return q


def _path(path: str, query: dict[str, Any]) -> str:
    return f"{path}?{urlencode(query)}" if query else path


Request = Callable[[random.Random, dict[str, list[Any]]], str]

# (weight, name, request builder): the share of each kind of request in the mix.
MIX: tuple[tuple[int, str, Request], ...] = (
    (4, "page /", lambda r, v: "/"),
    (2, "api stats", lambda r, v: "/api/stats"),
    (10, "page incidents", lambda r, v: _path("/incidents", {
        **_filters(r, v, paging=False), **({"page": r.randint(2, 5)} if r.random() < 0.2 else {})})),
    (19, "api incidents", lambda r, v: _path("/api/incidents", {**_filters(r, v), "limit": r.choice((20, 50, 100))})),
    (3, "page events", lambda r, v: _path("/events", _filters(r, v, paging=False))),
    (5, "api events", lambda r, v: _path("/api/events", {**_filters(r, v), "limit": 50})),
    (8, "page incident", lambda r, v: f"/incidents/{quote(str(r.choice(v['incidents'])))}"),
    (6, "api incident", lambda r, v: f"/api/incidents/{quote(str(r.choice(v['incidents'])))}"),
    (3, "api event", lambda r, v: f"/api/events/{r.choice(v['events'])}"),
    (5, "page article", lambda r, v: f"/articles/{quote(r.choice(v['articles']))}"),
    (3, "api article", lambda r, v: f"/api/articles/{quote(r.choice(v['articles']))}"),
    (4, "api articles", lambda r, v: _path("/api/articles", r.choice((
        {}, {"lang": "es"}, {"lang": "en"}, {"organization": r.choice(v["organizations"])}, {"offset": 1000})))),
    (2, "page articles", lambda r, v: _path("/articles", r.choice(({}, {"lang": "es"}, {"page": 3})))),
    (2, "page organizations", lambda r, v: "/organizations"),
    (1, "api organizations", lambda r, v: "/api/organizations?limit=100"),
    (3, "page organization", lambda r, v: f"/organizations/{quote(r.choice(v['organizations']))}"),
    (2, "api organization", lambda r, v: f"/api/organizations/{quote(r.choice(v['organizations']))}"),
    (5, "api search", lambda r, v: _path("/api/search", {"q": r.choice(v["words"]), "limit": 20})),
    (3, "page search", lambda r, v: _path("/search", {"q": r.choice(v["words"])})),
    # The map and network pages fetch their data with the page's filters (map.js asks for 2,000).
    (5, "api map", lambda r, v: _path("/api/map", {**_filters(r, v, paging=False), "limit": 2000})),
    (1, "page map", lambda r, v: _path("/map", _filters(r, v, paging=False))),
    (3, "api network", lambda r, v: _path("/api/network", _filters(r, v, paging=False))),
    (1, "page network", lambda r, v: "/network"),
)


# --------------------------------------------------------------------------- checking answers


def check(path: str, status: int, content_type: str, body: bytes) -> str | None:
    """Why a response is wrong (``None`` when it is right): 200, whole JSON or HTML, bounded lists."""
    if status != 200:
        return f"status {status}"
    if path.startswith("/api/"):
        if not content_type.startswith("application/json"):
            return f"content type {content_type!r}"
        try:
            data = json.loads(body)
        except ValueError as exc:
            return f"invalid JSON: {exc}"
        query = dict(p.split("=", 1) for p in urlsplit(path).query.split("&") if "=" in p)
        limit = int(query.get("limit", "500"))
        if isinstance(data, dict) and "items" in data and (
            not isinstance(data["items"], list) or len(data["items"]) > limit or data["total"] < 0
        ):
            return "a page with more items than its limit"
        if isinstance(data, dict) and data.get("type") == "FeatureCollection" and len(data["features"]) > limit:
            return "a map with more features than its limit"
        return None
    if not content_type.startswith("text/html"):
        return f"content type {content_type!r}"
    if not body.rstrip().endswith(b"</html>"):
        return "an HTML page cut short"
    return None


# --------------------------------------------------------------------------- running


def _percentile(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return 0.0
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def _summary(latencies: list[float]) -> dict[str, float]:
    xs = sorted(latencies)
    return {"n": len(xs), "p50_ms": round(1000 * _percentile(xs, 0.50), 1),
            "p95_ms": round(1000 * _percentile(xs, 0.95), 1), "p99_ms": round(1000 * _percentile(xs, 0.99), 1),
            "max_ms": round(1000 * (xs[-1] if xs else 0.0), 1)}


def run_load(
    base_url: str,
    *,
    clients: int = 50,
    requests: int | None = None,
    duration: float | None = None,
    seed: int = 0,
    server_pid: int | None = None,
    values: dict[str, list[Any]] | None = None,
) -> dict[str, Any]:
    """``clients`` threads sending the ``MIX`` until ``requests`` were sent or ``duration`` seconds passed.

    Returns the figures: requests, errors (with the first few), requests/s, latency percentiles
    overall and per kind of request, load average before and after, the server's CPU share.
    """
    if requests is None and duration is None:
        raise ValueError("give a number of requests or a duration")
    values = values or sample_values(base_url, seed)
    weights = [w for w, _, _ in MIX]
    parts = urlsplit(base_url)
    lock = threading.Lock()
    sent = 0
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    error_count: dict[str, int] = defaultdict(int)
    stop_at = time.monotonic() + duration if duration is not None else float("inf")

    def take() -> bool:
        nonlocal sent
        with lock:
            if (requests is not None and sent >= requests) or time.monotonic() >= stop_at:
                return False
            sent += 1
            return True

    def client(number: int) -> None:
        rng = random.Random(seed * 1000 + number)
        conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
        while take():
            _, name, build = rng.choices(MIX, weights)[0]
            path = build(rng, values)
            started = time.perf_counter()
            try:
                conn.request("GET", path)
                response = conn.getresponse()
                body = response.read()
                problem = check(path, response.status, response.getheader("content-type") or "", body)
            except (OSError, http.client.HTTPException) as exc:
                problem = f"{type(exc).__name__}: {exc}"
                conn.close()
                conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
            elapsed = time.perf_counter() - started
            with lock:
                latencies[name].append(elapsed)
                if problem:
                    error_count[name] += 1
                    if len(errors) < 20:
                        errors.append(f"{path}: {problem}")
        conn.close()

    load_before = os.getloadavg()
    cpu_before = cpu_seconds(server_pid) if server_pid else 0.0
    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    cpu = cpu_seconds(server_pid) - cpu_before if server_pid else None
    everything = [x for xs in latencies.values() for x in xs]
    return {
        "clients": clients,
        "requests": len(everything),
        "errors": sum(error_count.values()),
        "error_samples": errors,
        "seconds": round(wall, 1),
        "requests_per_s": round(len(everything) / wall, 1) if wall else 0.0,
        **_summary(everything),
        "endpoints": {name: {**_summary(xs), "errors": error_count.get(name, 0),
                             "share_of_time": round(sum(xs) / sum(everything), 3) if everything else 0.0}
                      for name, xs in sorted(latencies.items())},
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in os.getloadavg()],
        "server_cpu_s": None if cpu is None else round(cpu, 1),
        "server_cpu_share": None if cpu is None or not wall else round(cpu / wall, 2),
    }


# --------------------------------------------------------------------------- report

DOC = HERE.parent / "docs" / "PERFORMANCE.md"
BEGIN, END = "<!-- load:begin -->", "<!-- load:end -->"


def machine() -> str:
    """Cores, CPU model and RAM of this machine, in one line."""
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    kib = next((int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                if line.startswith("MemTotal:")), 0)
    return f"{os.cpu_count()} cores ({cpu}), {kib / 2**20:.1f} GiB RAM, Python {sys.version.split()[0]}"


def database_info(db: Path) -> str:
    """Rows of the main tables and the file's size."""
    with closing(sqlite3.connect(f"file:{db}?mode=ro", uri=True)) as conn:
        counts = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0]
                  for t in ("incidents", "articles", "events")}
    return (f"{counts['incidents']:,} incidents from {counts['articles']:,} articles ({counts['events']:,} events), "
            f"{db.stat().st_size / 2**20:.0f} MiB")


def report(result: dict[str, Any], *, machine: str, db_info: str, when: str,
           alone: dict[str, Any] | None = None) -> str:
    """The Markdown block for the Load section of docs/PERFORMANCE.md.

    ``alone`` is a run of one client (one request at a time): its latencies are the server's
    time per request, without the queue that many clients make.
    """
    r = result
    a = alone or {"endpoints": {}}
    lines = [
        f"Run of `bench/load.py` on {when}. Machine: {machine}. Database: {db_info} (`bench/gen_db.py`). "
        "Server: `crimewire serve` (one uvicorn process, 4 read-only connections); the clients run on the "
        "same machine, in the benchmark's process.",
        "",
        f"{r['clients']} concurrent clients (threads, one keep-alive connection each) for {r['seconds']} s: "
        f"**{r['requests']:,} requests, {r['requests_per_s']} requests/s, {r['errors']} errors**; latency "
        f"p50 **{r['p50_ms']} ms**, p95 **{r['p95_ms']} ms**, p99 **{r['p99_ms']} ms** (max {r['max_ms']} ms). "
        f"Server CPU {r['server_cpu_s']} s ({r['server_cpu_share']:.0%} of one core); load average "
        f"{r['load_before'][0]} before, {r['load_after'][0]} after.",
        "",
    ]
    if alone:
        lines += [
            f"One client alone (one request at a time, {a['requests']:,} requests): {a['requests_per_s']} "
            f"requests/s, p50 {a['p50_ms']} ms, p95 {a['p95_ms']} ms, p99 {a['p99_ms']} ms, {a['errors']} errors; "
            f"server CPU {a['server_cpu_share']:.0%} of one core.",
            "",
        ]
    lines += [
        "| request | share of mix | n | p50 ms | p95 ms | p99 ms | errors | p50 ms, 1 client "
        "| share of server time, 1 client |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    total_weight = sum(w for w, _, _ in MIX)
    for weight, name, _ in MIX:
        e = r["endpoints"].get(name)
        if e is None:
            continue
        one = a["endpoints"].get(name)
        alone_cells = f"{one['p50_ms']} | {one['share_of_time']:.0%}" if one else " | "
        lines.append(f"| {name} | {weight / total_weight:.0%} | {e['n']} | {e['p50_ms']} | {e['p95_ms']} | "
                     f"{e['p99_ms']} | {e['errors']} | {alone_cells} |")
    if r["error_samples"]:
        lines += ["", "Errors (first ones):", "", *(f"- `{x}`" for x in r["error_samples"])]
    return "\n".join(lines)


def write_doc(block: str) -> None:
    """Put ``block`` between the load markers of docs/PERFORMANCE.md (the rest of the file is kept)."""
    text = DOC.read_text(encoding="utf-8")
    if BEGIN not in text or END not in text:
        text = text.rstrip() + f"\n\n## Load\n\n{BEGIN}\n{END}\n"
    head, rest = text.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{BEGIN}\n{block}\n{END}{tail}", encoding="utf-8")


# --------------------------------------------------------------------------- command line


def migrate(db: Path) -> None:
    """Bring ``db`` to crimewire's current schema (the server opens it read-only and refuses an older one)."""
    from crimewire.storage import open_database

    open_database(db).close()


def generated_database(work: Path, incidents: int, seed: int) -> Path:
    """The generated database of ``incidents`` in ``work``, generated once per version of gen_db.py."""
    sys.path.insert(0, str(HERE))
    import gen_db  # bench/gen_db.py

    version = hashlib.sha1((HERE / "gen_db.py").read_bytes()).hexdigest()[:8]
    db = work / f"load-{incidents}-{seed}-{version}.db"
    if not db.exists():
        work.mkdir(parents=True, exist_ok=True)
        partial = db.with_suffix(".partial")
        partial.unlink(missing_ok=True)
        print(f"generating {incidents:,} incidents into {db}", file=sys.stderr, flush=True)
        started = time.perf_counter()
        counts = gen_db.generate(partial, incidents, seed=seed)
        print(f"{counts} in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
        partial.rename(db)
    return db


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description="load test of the crimewire workbench")
    parser.add_argument("--db", type=Path, help="an existing database (else one is generated)")
    parser.add_argument("--incidents", type=int, default=100_000, help="incidents to generate (without --db)")
    parser.add_argument("--work", type=Path, default=Path("/tmp/crimewire-load"),
                        help="where the generated database is kept between runs")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--requests", type=int, help="stop after this many requests (else after --duration)")
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--alone", type=int, default=300,
                        help="first, this many requests from one client alone (0: none)")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--write-doc", action="store_true", help="write the figures into docs/PERFORMANCE.md")
    args = parser.parse_args()
    db = args.db or generated_database(args.work, args.incidents, args.seed)
    migrate(db)
    with serve(db) as (base, pid):
        values = sample_values(base, args.seed)
        alone = None
        if args.alone:
            alone = run_load(base, clients=1, requests=args.alone, seed=args.seed + 1, server_pid=pid, values=values)
        result = run_load(base, clients=args.clients, requests=args.requests,
                          duration=None if args.requests else args.duration, seed=args.seed, server_pid=pid,
                          values=values)
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    block = report(result, machine=machine(), db_info=database_info(db), when=when, alone=alone)
    print(block)
    if args.json:
        args.json.write_text(json.dumps({"clients": result, "alone": alone}, indent=1))
    if args.write_doc:
        write_doc(block)
        print(f"figures written into {DOC}", file=sys.stderr)
    if result["errors"] or (alone and alone["errors"]):
        sys.exit(1)


if __name__ == "__main__":
    main()
