"""Organizations: the list of groups, and one group's profile (aliases, factions, timeline, map)."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.export import country_name
from crimewire.storage import Database, OrganizationSummary, get_organization, list_organizations
from crimewire.storage.records_view import IncidentQuery, incidents_module, read_incidents, uses_incidents
from crimewire.web.charts import column_chart, share
from crimewire.web.deps import MAX_LIMIT, Db, render
from crimewire.web.models import OrganizationOut, Page, RelatedOrganization

router = APIRouter()

# Incidents read to find the groups seen together with this one; the most recent ones.
RELATED_SCAN = 1000
RECENT = 15


def profile(db: Database, name: str) -> OrganizationOut:
    """A group's profile with related groups (parent, factions, groups in the same incidents)."""
    detail = get_organization(db, name)
    if detail is None:
        raise HTTPException(404, f"no organization named {name!r}")
    family = {detail.name, *detail.factions} | ({detail.parent} if detail.parent else set())
    together: Counter[str] = Counter()
    for record in read_incidents(db, IncidentQuery(organization=detail.name, limit=RELATED_SCAN)):
        together.update(o for o in set(record.organizations) if o not in family)
    related = [RelatedOrganization(name=detail.parent, relation="parent", incidents=0)] if detail.parent else []
    related += [RelatedOrganization(name=f, relation="faction", incidents=0) for f in detail.factions]
    related += [RelatedOrganization(name=o, relation="co-occurs", incidents=n) for o, n in together.most_common(20)]
    extra: dict[str, Any] | None = None
    module = incidents_module()
    if module is not None and uses_incidents(db):
        found = module.organization_profile(db, detail.name)
        extra = found.to_dict() if found is not None else None
    return OrganizationOut(organization=detail, related=related, profile=extra)


@router.get("/organizations", response_class=HTMLResponse, include_in_schema=False)
def organizations_page(request: Request, db: Db) -> HTMLResponse:
    """Every group named in the stored articles, most active first."""
    return render(
        request, "organizations.html", title="Organizations", nav="organizations", rows=list_organizations(db)
    )


@router.get("/organizations/{name:path}", response_class=HTMLResponse, include_in_schema=False)
def organization_page(request: Request, db: Db, name: str) -> HTMLResponse:
    """One group's profile."""
    data = profile(db, name)
    org = data.organization
    return render(
        request,
        "organization.html",
        title=org.name,
        nav="organizations",
        org=org,
        related=data.related,
        profile=data.profile,
        timeline=column_chart({y: n for y, n in org.by_year.items() if y != "unknown"}, width=560, height=120),
        by_type=share(org.by_type),
        by_country=[(c, country_name(c) if c != "unknown" else "unknown", n, p) for c, n, p in share(org.by_country)],
        recent=read_incidents(db, IncidentQuery(organization=org.name, limit=RECENT)),
        map_filters={"organization": org.name},
        country_name=country_name,
    )


@router.get("/api/organizations", response_model=Page[OrganizationSummary], tags=["organizations"])
def organizations_api(
    db: Db,
    known: Annotated[
        bool | None, Query(description="Only groups from the knowledge base (true) or discovered in text (false).")
    ] = None,
    limit: Annotated[int, Query(ge=0, le=MAX_LIMIT)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> Page[OrganizationSummary]:
    """Criminal groups named in the stored articles, most active first."""
    rows = list_organizations(db, known=known)
    return Page(total=len(rows), limit=limit, offset=offset, items=rows[offset : offset + limit])


@router.get("/api/organizations/{name:path}", response_model=OrganizationOut, tags=["organizations"])
def organization_api(db: Db, name: str) -> OrganizationOut:
    """A group by name or alias: aliases, parent, factions, counts by type/country/year, related groups."""
    return profile(db, name)
