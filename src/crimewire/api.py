"""The notebook API: what ``import crimewire`` offers.

    >>> import crimewire
    >>> result = crimewire.extract("Police arrested 12 members of the Tren de Aragua in Lima on Friday.",
    ...                            published="2024-03-16")
    >>> [(e.type, e.count.value, e.date.value) for e in result.events]
    >>> db = crimewire.open("crimewire.db"); db.events(type="arrest", country="PE")

The CLI and the web workbench are thin layers over these functions.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from crimewire.errors import InputError
from crimewire.pipeline import Resources, load_resources, process_article, process_articles_safely
from crimewire.readers import iter_articles, parse_date
from crimewire.records import Article, ArticleOrganization, ArticleResult, ReadError
from crimewire.resolve import resolve_article
from crimewire.settings import Settings
from crimewire.storage import (
    Database,
    Store,
    open_database,
    register_organizations,
    store_read_error,
    store_result,
)


def extract(
    text: str,
    *,
    published: date | str | None = None,
    lang: str | None = None,
    id: str | None = None,
    url: str | None = None,
    title: str | None = None,
    settings: Settings | None = None,
) -> ArticleResult:
    """Extract events from one article's text.

    ``published`` (a date or "YYYY-MM-DD") anchors relative dates ("this Thursday");
    without it, only absolute dates resolve. ``lang`` is a hint: the text decides.
    """
    if isinstance(published, str):
        parsed = parse_date(published)
        if parsed is None:
            raise InputError(id or "text", f"cannot read the publication date {published!r} (use YYYY-MM-DD)")
        published = parsed
    article = Article(
        id=id or hashlib.sha1(text.encode("utf-8")).hexdigest()[:12],
        text=text,
        published=published,
        title=title,
        url=url,
        lang=lang,
        origin="text",
    )
    return process_article(article, load_resources(settings))


def extract_files(
    paths: str | Path | Iterable[str | Path], settings: Settings | None = None
) -> Iterator[ArticleResult | ReadError]:
    """Extract events from files, folders or globs; unreadable inputs come out as ReadError.

    So do articles the pipeline fails on or that go over ``settings.max_seconds_per_article``
    (``process_articles_safely``): one bad input never stops the others.
    """
    res = load_resources(settings)
    errors: list[ReadError] = []

    def articles() -> Iterator[Article]:
        for item in iter_articles(paths, res.settings):
            if isinstance(item, ReadError):
                errors.append(item)
            else:
                yield item

    for result in process_articles_safely(articles(), res):
        while errors:
            yield errors.pop(0)
        yield result
    yield from errors


def open(path: str | Path = "crimewire.db", *, readonly: bool = True) -> Store:
    """Open a crimewire database for queries (read-only unless ``readonly=False``)."""
    return Store(path, readonly=readonly)


def knowledge_base_organizations(res: Resources) -> list[ArticleOrganization]:
    """The knowledge base's groups as records storage can register (names, aliases, parents)."""
    return [ArticleOrganization(o.name, tuple(o.aliases), o.parent) for o in res.kb.organizations]


@dataclass
class IngestSummary:
    """What one ingest run did."""

    stored: int = 0  # articles new or changed, written
    unchanged: int = 0  # already stored as they are
    events: int = 0  # events of the stored articles
    errors: list[ReadError] = field(default_factory=list)  # inputs that are not articles


def ingest(
    paths: str | Path | Iterable[str | Path],
    db_path: str | Path = "crimewire.db",
    settings: Settings | None = None,
    *,
    on_result: Callable[[ArticleResult, bool], None] | None = None,
    on_error: Callable[[ReadError], None] | None = None,
) -> IngestSummary:
    """Extract and store articles, idempotently, then resolve them into incidents.

    ``on_result(result, stored)`` and ``on_error(error)`` are called as the run goes (the
    CLI draws its progress bar with them). Inputs that are not articles are logged in the
    database and returned in ``errors``; everything else is stored.
    """
    res = load_resources(settings)
    summary = IngestSummary()
    with open_database(db_path) as db:
        register_organizations(db, knowledge_base_organizations(res))
        for item in extract_files(paths, settings):
            if isinstance(item, ReadError):
                summary.errors.append(item)
                store_read_error(db, item.origin, item.reason, item.position)
                if on_error:
                    on_error(item)
                continue
            outcome = store_result(db, item)
            if outcome.inserted:
                summary.stored += 1
                summary.events += outcome.events
            else:
                summary.unchanged += 1
            if outcome.action != "duplicate":
                # Also for an unchanged article: a run killed between storing and resolving it
                # left it unresolved. resolve_article skips one already resolved.
                resolve_stored(db, item.article.id, res)
            if on_result:
                on_result(item, outcome.inserted)
    return summary


def resolve_stored(db: Database, article_id: str, res: Resources) -> None:
    """Join a stored article's events to cross-article incidents (incremental, idempotent)."""
    resolve_article(db, article_id, kb=res.kb)
