"""Overview: counts by type, by country and over time; newest incidents; most active groups."""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from crimewire.export import country_name
from crimewire.storage import Database, stats
from crimewire.storage.overview import top_incident_organizations
from crimewire.storage.records_view import IncidentQuery, incidents_module, read_incidents, uses_incidents
from crimewire.web.charts import column_chart, fill_months, share
from crimewire.web.deps import Db, render
from crimewire.web.models import OverviewOut

router = APIRouter()

NEWEST = 10


def overview(db: Database) -> OverviewOut:
    """The overview's data: stats, mode and the newest incidents.

    With stored incidents, the counts by type, country and month and the most active groups
    count incidents (not the reports of them): ``stats.events`` is then the number of incidents.
    """
    module = incidents_module()
    incidents = module is not None and uses_incidents(db)
    counts = stats(db, newest=NEWEST, event_counts=not incidents)
    if incidents:
        inc = module.incident_stats(db)  # type: ignore[union-attr]
        counts = replace(
            counts,
            events=inc.incidents,
            by_type=inc.by_type,
            by_country=inc.by_country,
            by_month=inc.by_month,
            top_organizations=top_incident_organizations(db),
        )
    return OverviewOut(
        mode="incidents" if incidents else "events",
        stats=counts,
        newest=read_incidents(db, IncidentQuery(limit=NEWEST)),
    )


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def overview_page(request: Request, db: Db) -> HTMLResponse:
    """The front page."""
    data = overview(db)
    s = data.stats
    return render(
        request,
        "overview.html",
        title="Overview",
        nav="overview",
        mode=data.mode,
        stats=s,
        by_type=share(s.by_type),
        by_country=[
            (code, country_name(code) if code != "unknown" else "unknown", n, pct)
            for code, n, pct in share(s.by_country)
        ],
        chart=column_chart(fill_months(s.by_month)),
        newest=data.newest,
        top=share(dict(s.top_organizations)),
    )


@router.get("/api/stats", response_model=OverviewOut, tags=["overview"])
def stats_api(db: Db) -> OverviewOut:
    """Counts by type, country and month, the newest incidents and the most active groups."""
    return overview(db)
