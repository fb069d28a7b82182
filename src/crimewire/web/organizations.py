"""Organizations: the list of groups, and one group's profile (aliases, factions, timeline, map)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, HTTPException, Query, Request
from fastapi.responses import HTMLResponse

from crimewire.export import country_name
from crimewire.storage import Database, OrganizationSummary, get_organization, list_organizations
from crimewire.storage.overview import co_occurring_organizations, count_organizations
from crimewire.storage.read import organization_ids
from crimewire.storage.records_view import IncidentQuery, incidents_module, read_incidents, uses_incidents
from crimewire.web.charts import column_chart, share
from crimewire.web.deps import PAGE_SIZE, Db, Limit, Offset, PageNumber, page_range, render
from crimewire.web.models import OrganizationOut, Page, RelatedOrganization

router = APIRouter()

# Groups seen together with this one shown on its profile, and its most recent incidents.
RELATED = 20
RECENT = 15


def profile(db: Database, name: str) -> OrganizationOut:
    """A group's profile with related groups (parent, factions, groups in the same incidents)."""
    detail = get_organization(db, name)
    if detail is None:
        raise HTTPException(404, f"no organization named {name!r}")
    family = {detail.name, *detail.factions} | ({detail.parent} if detail.parent else set())
    module = incidents_module()
    incidents = module is not None and uses_incidents(db)
    # The group with its factions (and, with incidents, the rows resolved to the same group).
    if incidents:
        ids = module.entity_organization_ids(db, detail.name)  # type: ignore[union-attr]
    else:
        ids = organization_ids(db, detail.name, factions=True)
    together = co_occurring_organizations(db, ids, incidents=incidents, limit=RELATED + len(family))
    related = [RelatedOrganization(name=detail.parent, relation="parent", incidents=0)] if detail.parent else []
    related += [RelatedOrganization(name=f, relation="faction", incidents=0) for f in detail.factions]
    related += [
        RelatedOrganization(name=o, relation="co-occurs", incidents=n) for o, n in together if o not in family
    ][:RELATED]
    extra: dict[str, Any] | None = None
    if incidents:
        found = module.organization_profile(db, detail.name)
        extra = found.to_dict() if found is not None else None
    return OrganizationOut(organization=detail, related=related, profile=extra)


@router.get("/organizations", response_class=HTMLResponse, include_in_schema=False)
def organizations_page(request: Request, db: Db, page: PageNumber = 1) -> HTMLResponse:
    """Every group named in the stored articles, most active first, ``PAGE_SIZE`` a page."""
    offset = (page - 1) * PAGE_SIZE
    rows = list_organizations(db, limit=PAGE_SIZE, offset=offset)
    total = count_organizations(db)
    return render(
        request,
        "organizations.html",
        title="Organizations",
        nav="organizations",
        rows=rows,
        total=total,
        page=page,
        **page_range(offset, len(rows), total),
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
    limit: Limit = 100,
    offset: Offset = 0,
) -> Page[OrganizationSummary]:
    """Criminal groups named in the stored articles, most active first."""
    rows = list_organizations(db, known=known, limit=limit, offset=offset)
    return Page(total=count_organizations(db, known=known), limit=limit, offset=offset, items=rows)


@router.get("/api/organizations/{name:path}", response_model=OrganizationOut, tags=["organizations"])
def organization_api(db: Db, name: str) -> OrganizationOut:
    """A group by name or alias: aliases, parent, factions, counts by type/country/year, related groups."""
    return profile(db, name)
