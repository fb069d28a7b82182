"""What every view shares: the read-only connection pool, the templates, the query parameters."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Any

import anyio
import jinja2
from fastapi import Depends, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.records import EVENT_TYPES
from crimewire.storage import Database, QueryError, open_database
from crimewire.storage.records_view import IncidentQuery

TEMPLATES = Path(__file__).parent / "templates"

# Rows per page of the HTML tables, and the most any list endpoint returns at once: every
# list is paged so that a database of 100,000 incidents never goes out in one response.
PAGE_SIZE = 50
MAX_LIMIT = 500
# Offsets (and pages) stop far past any real table but well inside SQLite's 64-bit integers:
# a larger number is refused with 422 instead of overflowing in SQLite (a 500).
MAX_OFFSET = 1_000_000_000
MAX_PAGE = MAX_OFFSET // PAGE_SIZE
MAX_ID = 2**63 - 1

Limit = Annotated[int, Query(ge=0, le=MAX_LIMIT, description=f"At most this many rows (at most {MAX_LIMIT}).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Skip this many rows first.")]
PageNumber = Annotated[int, Query(ge=1, le=MAX_PAGE, description="Page of the HTML table.")]


class ConnectionPool:
    """A few read-only connections, each lent to one request at a time.

    A ``sqlite3`` connection must not run two statements at once; each request borrows its
    own connection, so requests run in parallel (WAL lets them read while ingest writes).
    A request waits for a free connection in the event loop (an async semaphore), never in a
    worker thread: FastAPI also hands a sync dependency's connection back in a worker thread,
    so with every worker thread waiting for a connection, no connection could come back (the
    load test found that deadlock with 50 clients and 40 worker threads).
    """

    def __init__(self, path: str | Path, size: int = 4) -> None:
        self.path = str(path)
        self._all = [open_database(path, readonly=True, check_same_thread=False) for _ in range(size)]
        self._free = list(self._all)  # touched in the event loop only
        self._slots = anyio.Semaphore(size)

    @asynccontextmanager
    async def borrow(self) -> AsyncIterator[Database]:
        """Lend a connection for the duration of the block (waiting for one if all are lent)."""
        async with self._slots:
            db = self._free.pop()
            try:
                yield db
            finally:
                self._free.append(db)

    def close(self) -> None:
        """Close every connection."""
        for db in self._all:
            db.close()


async def get_db(request: Request) -> AsyncIterator[Database]:
    """FastAPI dependency: a read-only ``Database`` for the request."""
    pool: ConnectionPool = request.app.state.pool
    async with pool.borrow() as db:
        yield db


Db = Annotated[Database, Depends(get_db)]


def make_environment() -> jinja2.Environment:
    """The Jinja2 environment: autoescape on for every template, undefined names fail loudly."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["EVENT_TYPES"] = EVENT_TYPES
    return env


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a page template with the request and the app's mode in its context."""
    env: jinja2.Environment = request.app.state.templates
    context.setdefault("nav", "")
    html = env.get_template(template).render(request=request, **context)
    return HTMLResponse(html, status_code=status_code)


@dataclass(frozen=True, slots=True)
class IncidentParams:
    """The incident filters as the pages, the API and the exports share them."""

    query: IncidentQuery
    page: int

    def args(self, **changes: Any) -> dict[str, str]:
        """The filters as URL query arguments (empty ones left out), with ``changes`` applied."""
        q = self.query
        values: dict[str, Any] = {
            "type": q.type,
            "country": q.country,
            "organization": q.organization,
            "place": q.place,
            "since": q.since,
            "until": q.until,
            "text": q.text,
            "order": q.order if q.order != "-date" else None,
            "page": self.page if self.page > 1 else None,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


_ORDERS = ("-date", "date", "-count", "count", "-sources", "sources")


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def filter_params(
    type: Annotated[str | None, Query(description="Event type(s), comma-separated, e.g. arrest,rescue.")] = None,
    country: Annotated[str | None, Query(description="ISO 3166-1 alpha-2 country code, e.g. PE.")] = None,
    organization: Annotated[
        str | None, Query(description="Criminal group by name or alias (its factions too).")
    ] = None,
    place: Annotated[str | None, Query(description="Place or region name (as written or canonical).")] = None,
    since: Annotated[str | None, Query(description="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, Query(description="Up to this date (inclusive).")] = None,
    text: Annotated[str | None, Query(description="Words of the evidence sentence.")] = None,
    order: Annotated[str, Query(description=f"Sort order, one of {', '.join(_ORDERS)}.")] = "-date",
) -> IncidentQuery:
    """FastAPI dependency: the incident filters of the query string (no paging)."""
    if order not in _ORDERS:
        raise QueryError(f"unknown order {order!r}; use one of: {', '.join(_ORDERS)}")
    if country and len(country.strip()) != 2:
        raise QueryError(f"country must be an ISO alpha-2 code such as PE, not {country!r}")
    return IncidentQuery(
        type=_clean(type),
        country=_clean(country.upper() if country else None),
        organization=_clean(organization),
        place=_clean(place),
        since=_clean(since),
        until=_clean(until),
        text=_clean(text),
        order=order,
    )


def incident_params(query: Annotated[IncidentQuery, Depends(filter_params)], page: PageNumber = 1) -> IncidentParams:
    """FastAPI dependency: the incident filters with the page of an HTML table."""
    return IncidentParams(query, page)


def api_params(
    query: Annotated[IncidentQuery, Depends(filter_params)],
    limit: Limit = PAGE_SIZE,
    offset: Offset = 0,
) -> IncidentParams:
    """FastAPI dependency: the incident filters with limit and offset, as every list of the API
    pages (no ``page``: the API would otherwise document a parameter it has to reconcile with
    ``offset``)."""
    return IncidentParams(replace(query, limit=limit, offset=offset), 1)


def view_params(query: Annotated[IncidentQuery, Depends(filter_params)]) -> IncidentParams:
    """FastAPI dependency: the filters of a whole view (map, network): no paging."""
    return IncidentParams(query, 1)


Filters = Annotated[IncidentParams, Depends(incident_params)]
ApiFilters = Annotated[IncidentParams, Depends(api_params)]
ViewFilters = Annotated[IncidentParams, Depends(view_params)]


def page_range(offset: int, shown: int, total: int) -> dict[str, int]:
    """``first`` and ``last`` row numbers and ``pages`` of an HTML table showing ``shown`` of ``total``
    rows from ``offset`` (``PAGE_SIZE`` rows a page)."""
    return {"first": offset + 1 if shown else 0, "last": offset + shown, "pages": max(1, -(-total // PAGE_SIZE))}


def paged(params: IncidentParams) -> IncidentQuery:
    """The query of an HTML page: ``PAGE_SIZE`` rows from the page asked for."""
    return replace(params.query, limit=PAGE_SIZE, offset=(params.page - 1) * PAGE_SIZE)
