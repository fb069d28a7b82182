"""Incidents and resolved entities in SQLite: every SQL statement of cross-article resolution.

Two sides:

* **read API** (for the CLI and the web workbench; modules ``read`` and ``entities``):
  ``list_incidents``, ``count_incidents``, ``get_incident``, ``incident_sources``,
  ``incident_stats``, ``organization_profile``, ``list_persons``, ``list_agencies``,
  ``victim_names``, ``redact_victims`` — frozen dataclasses with ``to_dict()``;
* **write session** (for ``crimewire.resolve``; module ``session``): ``incident_session(db)``
  opens one write transaction and yields an ``IncidentSession`` whose methods read reports,
  retrieve candidates, record scored pairs and replace incidents. The matching itself lives
  in ``crimewire.resolve``; nothing here decides what matches.

Reports are keyed by ``(article_id, seq)`` (see migration 2 in ``storage.migrations``).
"""

from crimewire.storage.incidents._common import Key, key_text
from crimewire.storage.incidents.entities import (
    AgencyEntity,
    FactionNode,
    OrganizationProfile,
    PersonEntity,
    list_agencies,
    list_persons,
    organization_profile,
    redact_victims,
    victim_names,
)
from crimewire.storage.incidents.read import (
    INCIDENT_COLUMNS,
    IncidentDetail,
    IncidentFilter,
    IncidentRow,
    IncidentSource,
    IncidentStats,
    count_incidents,
    entity_organization_ids,
    get_incident,
    incident_sources,
    incident_stats,
    list_incidents,
)
from crimewire.storage.incidents.session import (
    IncidentRecord,
    IncidentSession,
    MemberRecord,
    PersonEntityRecord,
    PersonRow,
    StoredReport,
    incident_session,
)

__all__ = [
    "INCIDENT_COLUMNS",
    "AgencyEntity",
    "FactionNode",
    "IncidentDetail",
    "IncidentFilter",
    "IncidentRecord",
    "IncidentRow",
    "IncidentSession",
    "IncidentSource",
    "IncidentStats",
    "Key",
    "MemberRecord",
    "OrganizationProfile",
    "PersonEntity",
    "PersonEntityRecord",
    "PersonRow",
    "StoredReport",
    "count_incidents",
    "entity_organization_ids",
    "get_incident",
    "incident_session",
    "incident_sources",
    "incident_stats",
    "key_text",
    "list_agencies",
    "list_incidents",
    "list_persons",
    "organization_profile",
    "redact_victims",
    "victim_names",
]
