"""Incidents: the filterable, sortable, paged table; one incident with every source highlighted.

Also the per-report views of events (``/events``), which the incident pages link to.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Path, Request
from fastapi.responses import HTMLResponse

from crimewire.export import country_name
from crimewire.records import Event
from crimewire.storage import Database, EventDetail, EventRow, count_events, get_article, get_event, list_events
from crimewire.storage.overview import organization_names
from crimewire.storage.records_view import (
    IncidentQuery,
    IncidentRecord,
    SourceRef,
    count_incidents,
    event_filter,
    incident_record,
    incidents_module,
    read_event,
    read_events,
    read_incident,
    read_incidents,
    uses_incidents,
)
from crimewire.web.deps import MAX_ID, ApiFilters, Db, Filters, IncidentParams, page_range, paged, render
from crimewire.web.highlight import Segment, Span, find_span, segments, to_clean
from crimewire.web.models import IncidentOut, Page

router = APIRouter()

EventId = Annotated[int, Path(ge=0, le=MAX_ID, description="The event's id.")]


@dataclass(frozen=True, slots=True)
class SourceView:
    """One report of an incident as the detail page shows it."""

    source: SourceRef
    segments: list[Segment]  # the article's cleaned text, evidence (and trigger) marked
    found: bool  # False when the evidence could not be placed in the article text
    outlet: str | None


def _source_view(db: Database, source: SourceRef, event: Event | None) -> SourceView:
    article = get_article(db, source.article_id)
    if article is None:
        return SourceView(source, [Segment(source.evidence, ("evidence",))], False, source.outlet)
    text = article.clean_text
    start = to_clean(article.offsets, source.evidence_start) if source.evidence_start is not None else None
    end = None
    if start is not None and source.evidence_end is not None:
        end = start + (source.evidence_end - source.evidence_start)  # type: ignore[operator]
    if event is not None:
        start, end = event.evidence.clean_start, event.evidence.clean_end
    span = find_span(text, start, end, source.evidence)
    spans = []
    if span:
        spans.append(Span(span[0], span[1], "evidence", "evidence sentence"))
    if event is not None and span:
        spans.append(
            Span(event.evidence.trigger_start, event.evidence.trigger_end, "trigger", f"trigger: {event.type}")
        )
    return SourceView(source, segments(text, spans), span is not None, article.outlet)


def _event_of(db: Database, source: SourceRef) -> Event | None:
    """The stored event a report of an incident was read from (for its clean offsets)."""
    if source.event_id is None:
        return None
    detail = get_event(db, source.event_id)
    return detail.event if detail is not None and detail.row.article_id == source.article_id else None


def _event_out(db: Database, record: IncidentRecord, event_id: int) -> IncidentOut:
    """An event standing for an incident, with its full stored record."""
    detail = get_event(db, event_id)
    return IncidentOut(record=record, event=detail.event if detail else None)


def _mode(db: Database) -> str:
    return "incidents" if uses_incidents(db) else "events"


def _organizations(db: Database) -> list[str]:
    """The form's suggestions: group names only (counting every group's events for each page
    of the table took most of its time on a large database)."""
    return organization_names(db)


# --------------------------------------------------------------------------- pages


@router.get("/incidents", response_class=HTMLResponse, include_in_schema=False)
def incidents_page(request: Request, db: Db, params: Filters) -> HTMLResponse:
    """The incidents table."""
    query = paged(params)
    rows = read_incidents(db, query)
    total = count_incidents(db, query)
    return _table(request, db, params, query, rows, total, title="Incidents", mode=_mode(db), base="/incidents")


@router.get("/incidents/{incident_id}", response_class=HTMLResponse, include_in_schema=False)
def incident_page(request: Request, db: Db, incident_id: str) -> HTMLResponse:
    """One incident with its arguments and every source, evidence highlighted."""
    data = incident(db, incident_id)
    return _detail(request, db, data)


@router.get("/events", response_class=HTMLResponse, include_in_schema=False)
def events_page(request: Request, db: Db, params: Filters) -> HTMLResponse:
    """Every stored report (event), in the incidents table's layout."""
    query = paged(params)
    rows = read_events(db, query)
    total = count_events(db, event_filter(query))
    return _table(request, db, params, query, rows, total, title="Events", mode="events", base="/events")


def _table(
    request: Request,
    db: Database,
    params: IncidentParams,
    query: IncidentQuery,
    rows: Sequence[IncidentRecord | None],
    total: int,
    *,
    title: str,
    mode: str,
    base: str,
) -> HTMLResponse:
    """The incidents table (of incidents, or of events at ``/events``): one page of ``rows``.

    A row read as ``None`` (its event gone since it was listed) still counts in first/last.
    """
    return render(
        request,
        "incidents.html",
        title=title,
        nav=base.lstrip("/"),
        mode=mode,
        rows=[r for r in rows if r is not None],
        total=total,
        params=params,
        **page_range(query.offset, len(rows), total),
        organizations=_organizations(db),
        country_name=country_name,
        base=base,
    )


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(request: Request, db: Db, event_id: EventId) -> HTMLResponse:
    """One event with its arguments, where each came from, and its source highlighted."""
    record = read_event(db, event_id)
    if record is None:
        raise HTTPException(404, f"no event {event_id}")
    return _detail(request, db, _event_out(db, record, event_id))


def _detail(request: Request, db: Database, data: IncidentOut) -> HTMLResponse:
    record = data.record
    sources = [_source_view(db, s, data.event or _event_of(db, s)) for s in record.sources]
    return render(
        request,
        "incident.html",
        title=f"{record.type} {record.kind} {record.id}",
        nav="incidents" if record.kind == "incident" else "events",
        mode=_mode(db),
        record=record,
        event=data.event,
        resolution=data.resolution,
        sources=sources,
        country_name=country_name,
    )


# --------------------------------------------------------------------------- data and API


def incident(db: Database, incident_id: str) -> IncidentOut:
    """One incident (or, without incidents, the event of that id) with its sources."""
    module = incidents_module()
    if module is None or not uses_incidents(db):
        record = read_incident(db, incident_id)
        if record is None:
            raise HTTPException(404, f"no incident {incident_id}")
        return _event_out(db, record, int(record.id))
    # Read once: the record and the resolution come from the same detail.
    full = module.get_incident(db, incident_id)
    if full is None:
        raise HTTPException(404, f"no incident {incident_id}")
    d = full.to_dict()
    resolution = {k: d.get(k) for k in ("conflicts", "chosen", "why")}
    return IncidentOut(record=incident_record(db, full), resolution=resolution)


@router.get("/api/incidents", response_model=Page[IncidentRecord], tags=["incidents"])
def incidents_api(db: Db, params: ApiFilters) -> Page[IncidentRecord]:
    """Incidents matching the filters (events standing for one-source incidents when the database
    holds no cross-article incidents: see ``kind``)."""
    q: IncidentQuery = params.query
    return Page(total=count_incidents(db, q), limit=q.limit or 0, offset=q.offset, items=read_incidents(db, q))


@router.get("/api/incidents/{incident_id}", response_model=IncidentOut, tags=["incidents"])
def incident_api(db: Db, incident_id: str) -> IncidentOut:
    """One incident with every source, and how conflicting values were resolved."""
    return incident(db, incident_id)


@router.get("/api/events", response_model=Page[EventRow], tags=["events"])
def events_api(db: Db, params: ApiFilters) -> Page[EventRow]:
    """Stored events (one per report) matching the filters."""
    flt = event_filter(params.query)
    flt = replace(flt, background=None)
    return Page(total=count_events(db, flt), limit=flt.limit or 0, offset=flt.offset, items=list_events(db, flt))


@router.get("/api/events/{event_id}", response_model=EventDetail, tags=["events"])
def event_api(db: Db, event_id: EventId) -> EventDetail:
    """One event with its full record: arguments, where each came from, evidence, notes."""
    detail = get_event(db, event_id)
    if detail is None:
        raise HTTPException(404, f"no event {event_id}")
    return detail


def table_args(params: IncidentParams, **changes: Any) -> dict[str, str]:
    """Query arguments of a link from the table (kept for templates)."""
    return params.args(**changes)
