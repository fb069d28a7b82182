"""crimewire's SQLite storage: the only package that holds SQL.

* ``open_database(path, readonly=False) -> Database`` opens (creates, migrates) a database;
* ``store_result`` / ``store_results`` / ``store_read_error`` write extraction results,
  idempotently, one transaction per article;
* ``list_events``, ``count_events``, ``get_event``, ``list_articles``, ``get_article``,
  ``load_result``, ``search``, ``list_organizations``, ``get_organization``, ``stats`` read
  them back as frozen dataclasses;
* ``Store`` wraps all of it for notebooks: ``Store("crimewire.db").events(type="arrest")``.

The schema is documented in ``crimewire.storage.migrations``.
"""

from __future__ import annotations

from dataclasses import fields
from pathlib import Path
from typing import Any

from crimewire.errors import StorageError
from crimewire.records import ArticleResult
from crimewire.storage.articles import (
    ArticleDetail,
    ArticleFilter,
    ArticleSummary,
    count_articles,
    get_article,
    list_articles,
    load_result,
)
from crimewire.storage.db import Closing, Database, QueryError, open_database
from crimewire.storage.migrations import LATEST_VERSION
from crimewire.storage.overview import (
    IngestError,
    OrganizationDetail,
    OrganizationSummary,
    Stats,
    get_organization,
    list_ingest_errors,
    list_organizations,
    stats,
)
from crimewire.storage.query import fts_query
from crimewire.storage.read import (
    EventDetail,
    EventFilter,
    EventRow,
    count_events,
    get_event,
    list_events,
)
from crimewire.storage.search import SearchHit, search
from crimewire.storage.write import (
    StoreOutcome,
    StoreSummary,
    delete_article,
    register_organizations,
    store_read_error,
    store_result,
    store_results,
)


def _make_filter(cls: type[Any], filters: dict[str, Any]) -> Any:
    names = {f.name for f in fields(cls)}
    unknown = sorted(set(filters) - names)
    if unknown:
        raise QueryError(f"unknown filter {unknown[0]!r}; use one of: {', '.join(sorted(names))}")
    return cls(**filters)


class Store(Closing):
    """A crimewire database for notebooks and scripts: every query is one method call.

    Opens read-only by default (nothing is created or changed); pass ``readonly=False`` to
    store results too. Close it with ``.close()`` or use it in a ``with`` block.
    """

    def __init__(self, path: str | Path, *, readonly: bool = True) -> None:
        self.db = open_database(path, readonly=readonly)

    def __repr__(self) -> str:
        mode = "read-only" if self.db.readonly else "read-write"
        return f"<Store {self.db.path} ({mode})>"

    def close(self) -> None:
        """Close the database."""
        self.db.close()

    def events(self, **filters: Any) -> list[EventRow]:
        """Events matching the ``EventFilter`` fields given (type, country, organization, ...)."""
        return list_events(self.db, _make_filter(EventFilter, filters))

    def count_events(self, **filters: Any) -> int:
        """How many events match the ``EventFilter`` fields given."""
        return count_events(self.db, _make_filter(EventFilter, filters))

    def event(self, event_id: int) -> EventDetail | None:
        """One event with its full record."""
        return get_event(self.db, event_id)

    def articles(self, **filters: Any) -> list[ArticleSummary]:
        """Articles matching the ``ArticleFilter`` fields given (lang, since, organization, ...)."""
        return list_articles(self.db, _make_filter(ArticleFilter, filters))

    def article(self, article_id: str) -> ArticleDetail | None:
        """One stored article with its texts and events."""
        return get_article(self.db, article_id)

    def result(self, article_id: str) -> ArticleResult | None:
        """The whole ``ArticleResult`` stored for an article."""
        return load_result(self.db, article_id)

    def search(self, query: str, limit: int = 20) -> list[SearchHit]:
        """Full-text search over article titles and texts (any input is safe)."""
        return search(self.db, query, limit)

    def organizations(self, **options: Any) -> list[OrganizationSummary]:
        """Criminal groups named in the stored articles, most active first."""
        return list_organizations(self.db, **options)

    def organization(self, name_or_alias: str) -> OrganizationDetail | None:
        """One criminal group by name or alias, with factions and counts."""
        return get_organization(self.db, name_or_alias)

    def stats(self) -> Stats:
        """Counts by type, country and month; newest events; most active groups."""
        return stats(self.db)

    def store(self, result: ArticleResult) -> StoreOutcome:
        """Store one result (the Store must be opened with ``readonly=False``)."""
        return store_result(self.db, result)


def open_store(path: str | Path, *, readonly: bool = True) -> Store:
    """Open a ``Store`` on the database at ``path`` (read-only by default)."""
    return Store(path, readonly=readonly)


__all__ = [
    "LATEST_VERSION",
    "ArticleDetail",
    "ArticleFilter",
    "ArticleSummary",
    "Database",
    "EventDetail",
    "EventFilter",
    "EventRow",
    "IngestError",
    "OrganizationDetail",
    "OrganizationSummary",
    "QueryError",
    "SearchHit",
    "Stats",
    "StorageError",
    "Store",
    "StoreOutcome",
    "StoreSummary",
    "count_articles",
    "count_events",
    "delete_article",
    "fts_query",
    "get_article",
    "get_event",
    "get_organization",
    "list_articles",
    "list_events",
    "list_ingest_errors",
    "list_organizations",
    "load_result",
    "open_database",
    "open_store",
    "register_organizations",
    "search",
    "stats",
    "store_read_error",
    "store_result",
    "store_results",
]
