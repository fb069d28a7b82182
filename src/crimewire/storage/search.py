"""Full-text search over the stored articles (FTS5, bm25 rank, snippets)."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date

from crimewire.storage.db import Database, QueryError
from crimewire.storage.query import JsonRecord, from_row, fts_query, iso_date, paginate


@dataclass(frozen=True, slots=True)
class SearchHit(JsonRecord):
    """One article matching a full-text query."""

    article_id: str
    title: str | None
    url: str | None
    published: date | None
    lang: str | None
    snippet: str  # a passage of the cleaned text with the matches between the marks
    rank: float  # bm25: lower is better
    events: int


def search(
    db: Database,
    query: str,
    limit: int | None = 20,
    offset: int = 0,
    *,
    marks: tuple[str, str] = ("[", "]"),
) -> list[SearchHit]:
    """Articles whose title or cleaned text match ``query``, best first (bm25, title weighted).

    Never raises on odd input: punctuation and FTS5 syntax are searched as plain words.
    ``marks`` surround the matched words in the snippet (a web page may pass markers of its
    own and replace them after escaping the text).
    """
    fts = fts_query(query)
    if fts is None:
        return []
    # Title matches weigh 4x the body: a word in the headline says what the article is about.
    sql = """
        SELECT a.id, a.title, a.url, a.published, a.lang,
               snippet(articles_fts, 1, ?, ?, '…', 24) AS snippet,
               bm25(articles_fts, 4.0, 1.0) AS rank,
               (SELECT count(*) FROM events e WHERE e.article_id = a.id) AS n_events
        FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid
        WHERE articles_fts MATCH ? ORDER BY rank
    """
    sql, params = paginate(sql, [marks[0], marks[1], fts], limit, offset)
    try:
        rows = db.conn.execute(sql, params).fetchall()
    except sqlite3.OperationalError as exc:  # should not happen with a quoted query; say what did
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
    return [
        from_row(
            SearchHit,
            r,
            article_id=r["id"],
            published=iso_date(r["published"]),
            rank=float(r["rank"]),
            events=r["n_events"],
        )
        for r in rows
    ]


def count_matches(db: Database, query: str) -> int:
    """How many articles ``search`` finds for ``query`` (all pages)."""
    fts = fts_query(query)
    if fts is None:
        return 0
    sql = """
        SELECT count(*) FROM articles_fts JOIN articles a ON a.num = articles_fts.rowid
        WHERE articles_fts MATCH ?
    """
    try:
        return int(db.conn.execute(sql, [fts]).fetchone()[0])
    except sqlite3.OperationalError as exc:  # as in search: should not happen with a quoted query
        raise QueryError(f"cannot search for {query!r}: {exc}") from exc
