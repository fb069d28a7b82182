"""Response models of the JSON API (they make the OpenAPI schema at ``/openapi.json`` typed).

Records that the storage layer already defines as dataclasses (``EventRow``, ``ArticleDetail``,
``OrganizationDetail`` ...) are used as they are; these models wrap them in pages and add the
shapes that have no record of their own (GeoJSON, the network graph).
"""

from __future__ import annotations

from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

from crimewire.records import Event
from crimewire.storage import OrganizationDetail, Stats
from crimewire.storage.records_view import IncidentRecord

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the rows, how many match in all, and where the page starts."""

    total: int = Field(description="Rows matching the filters, all pages together.")
    limit: int
    offset: int
    items: list[T]


class OverviewOut(BaseModel):
    """What the database holds: counts by type, country and month; newest rows; top groups."""

    mode: Literal["incidents", "events"] = Field(
        description="'incidents' when cross-article incidents are stored, else 'events' "
        "(each event stands for a one-source incident)."
    )
    stats: Stats
    newest: list[IncidentRecord]


class IncidentOut(BaseModel):
    """One incident (or event) with its sources; the full event record when it is an event."""

    record: IncidentRecord
    event: Event | None = None
    resolution: dict[str, Any] | None = Field(
        default=None, description="For an incident: conflicting values, the values chosen and why."
    )


class RelatedOrganization(BaseModel):
    """A group seen in the same incidents, or a parent or faction."""

    name: str
    relation: str = Field(description="'parent', 'faction' or 'co-occurs'")
    incidents: int


class OrganizationOut(BaseModel):
    """A criminal group's profile."""

    organization: OrganizationDetail
    related: list[RelatedOrganization]
    profile: dict[str, Any] | None = Field(default=None, description="The incident-level profile, when stored.")


class Geometry(BaseModel):
    """A GeoJSON geometry (RFC 7946): Point, Polygon or MultiPolygon, lon/lat order."""

    type: str
    coordinates: list[Any]


class Feature(BaseModel):
    """A GeoJSON Feature: one incident."""

    type: Literal["Feature"] = "Feature"
    id: str
    geometry: Geometry | None = Field(
        description="A Point for a town or locality; null for a region- or country-level incident "
        "(see properties.location_kind, region and country) unless areas=true."
    )
    properties: dict[str, Any]


class FeatureCollection(BaseModel):
    """A GeoJSON FeatureCollection of incidents."""

    type: Literal["FeatureCollection"] = "FeatureCollection"
    features: list[Feature]
    total: int = Field(description="Incidents matching the filters (the collection may hold fewer).")


class Node(BaseModel):
    """A node of the network: an organization, a place or an agency."""

    id: str
    label: str
    kind: Literal["organization", "place", "agency"]
    weight: int = Field(description="Incidents it takes part in.")


class Link(BaseModel):
    """An edge of the network."""

    source: str
    target: str
    kind: Literal["faction_of", "active_in", "targeted_by"]
    weight: int


class Graph(BaseModel):
    """The network of organizations, places and agencies."""

    nodes: list[Node]
    links: list[Link]
