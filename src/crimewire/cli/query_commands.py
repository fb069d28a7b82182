"""Query commands: `crimewire events`, `search`, `articles`, `organizations`.

Each opens the database read-only (a missing file is an error, never created), calls one
``crimewire.storage`` function and prints a Rich table for people, or JSONL / CSV for programs.
Counts and hints go to stderr so that stdout stays pure data.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterable, Sequence
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table
from rich.text import Text

from crimewire.cli.app import app, err, out, print_error, reported_errors, write_line
from crimewire.storage import (
    ArticleFilter,
    EventFilter,
    count_articles,
    count_events,
    get_organization,
    list_articles,
    list_events,
    list_organizations,
    open_database,
    search,
)
from crimewire.storage.articles import ARTICLE_COLUMNS
from crimewire.storage.overview import ORGANIZATION_COLUMNS
from crimewire.storage.read import EVENT_COLUMNS
from crimewire.storage.search import count_matches


class TableFormat(StrEnum):
    """Output formats of the list commands."""

    table = "table"
    jsonl = "jsonl"
    csv = "csv"


class SearchFormat(StrEnum):
    """Output formats of `crimewire search`."""

    table = "table"
    jsonl = "jsonl"


DbOption = Annotated[
    Path, typer.Option("--db", help="The crimewire database (made by `crimewire ingest`).", show_default=True)
]
LimitOption = Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many rows (0: all).")]

# Evidence sentences are cut to this many characters in the human table (full in JSONL/CSV).
_EVIDENCE_WIDTH = 160


def _limit(n: int) -> int | None:
    return n or None


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else ""
    return str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _write_jsonl(rows: Iterable[dict[str, Any]]) -> None:
    for row in rows:
        write_line(json.dumps(row, ensure_ascii=False))


def _write_csv(columns: Sequence[str], rows: Iterable[dict[str, Any]]) -> None:
    from crimewire.export import csv_cell  # imported here: networkx and pycountry are slow to load

    def safe(value: Any) -> str:
        # article text may start a spreadsheet formula; numbers stay as they are
        text = _cell(value)
        return text if isinstance(value, int | float) and not isinstance(value, bool) else csv_cell(text)

    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([safe(row.get(c)) for c in columns])


# Columns whose cells are short codes, numbers or dates: kept on one line so that the
# wrapping happens in the text columns.
_NO_WRAP = frozenset({"id", "date", "type", "count", "country", "published", "lang", "events", "known"})


def _table(title: str, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> Table:
    table = Table(title=title, show_lines=False, title_justify="left")
    for name in columns:
        table.add_column(name, overflow="fold", no_wrap=name in _NO_WRAP)
    for row in rows:
        # Text(), not str: a "[...]" in an evidence sentence must not be read as Rich markup.
        table.add_row(*(Text(cell) for cell in row))
    return table


def _shown(shown: int, total: int, noun: str) -> None:
    more = f" (use --limit 0 for all {total})" if shown < total else ""
    err.print(f"{shown} of {total} {noun}{more}", highlight=False)


@app.command("events")
def events_command(
    db: DbOption = Path("crimewire.db"),
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Event type(s), comma-separated, e.g. arrest,rescue.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", "-c", help="ISO country code, e.g. PE.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", "-o", help="Criminal group, by name or alias (its factions too).")
    ] = None,
    place: Annotated[
        str | None, typer.Option("--place", help="Place name (as written, or canonical).")
    ] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in the evidence sentence.")] = None,
    article: Annotated[str | None, typer.Option("--article", help="Only this article's events.")] = None,
    limit: LimitOption = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """List stored events, newest first, filtered by type, country, group, place, date or words."""
    with reported_errors(), open_database(db, readonly=True) as database:
        flt = EventFilter(
            type=type_,
            country=country,
            organization=org,
            place=place,
            since=since,
            until=until,
            text=text,
            article_id=article,
            limit=_limit(limit),
            offset=offset,
        )
        rows = list_events(database, flt)
        if fmt is TableFormat.jsonl:
            _write_jsonl(r.to_dict() for r in rows)
            return
        if fmt is TableFormat.csv:
            _write_csv(EVENT_COLUMNS, (r.to_dict() for r in rows))
            return
        total = count_events(database, flt)
        table = _table(
            f"Events in {db}",
            ("id", "date", "type", "count", "country", "places", "organizations", "evidence"),
            (
                (
                    str(r.id),
                    _cell(r.date or (f"({r.published})" if r.published else None)),
                    r.type + (" (bg)" if r.background else ""),
                    _cell(r.count),
                    _cell(r.country),
                    _cell(r.places),
                    _cell(r.organizations),
                    _clip(r.evidence, _EVIDENCE_WIDTH),
                )
                for r in rows
            ),
        )
        out.print(table)
        _shown(len(rows), total, "events")
        if any(r.date is None for r in rows):
            err.print("dates in (brackets) are the article's publication date", highlight=False)


@app.command("search")
def search_command(
    query: Annotated[str, typer.Argument(help='Words to find in article titles and texts; "quote phrases".')],
    db: DbOption = Path("crimewire.db"),
    limit: LimitOption = 20,
    fmt: Annotated[SearchFormat, typer.Option("--format", "-f", help="Output format.")] = SearchFormat.table,
) -> None:
    """Full-text search over the stored articles, best match first."""
    with reported_errors(), open_database(db, readonly=True) as database:
        hits = search(database, query, limit=_limit(limit))
        if fmt is SearchFormat.jsonl:
            _write_jsonl(h.to_dict() for h in hits)
            return
        table = _table(
            f"Articles matching {query!r}",
            ("article", "published", "title", "events", "snippet"),
            (
                (
                    h.article_id,
                    _cell(h.published),
                    _cell(h.title),
                    str(h.events),
                    h.snippet.replace("\n", " "),
                )
                for h in hits
            ),
        )
        out.print(table)
        _shown(len(hits), count_matches(database, query), "articles")


@app.command("articles")
def articles_command(
    db: DbOption = Path("crimewire.db"),
    lang: Annotated[str | None, typer.Option("--lang", help="Language code, e.g. es.")] = None,
    org: Annotated[str | None, typer.Option("--org", "-o", help="Articles naming this group.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="Published from this date.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Published up to this date.")] = None,
    limit: LimitOption = 50,
    offset: Annotated[int, typer.Option("--offset", min=0, help="Skip this many rows first.")] = 0,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """List stored articles, newest publication first, with their event counts."""
    with reported_errors(), open_database(db, readonly=True) as database:
        flt = ArticleFilter(
            lang=lang, organization=org, since=since, until=until, limit=_limit(limit), offset=offset
        )
        rows = list_articles(database, flt)
        if fmt is TableFormat.jsonl:
            _write_jsonl(r.to_dict() for r in rows)
            return
        if fmt is TableFormat.csv:
            _write_csv(ARTICLE_COLUMNS, (r.to_dict() for r in rows))
            return
        table = _table(
            f"Articles in {db}",
            ("id", "published", "lang", "status", "events", "title"),
            (
                (r.id, _cell(r.published), _cell(r.lang), r.status, str(r.events), _cell(r.title))
                for r in rows
            ),
        )
        out.print(table)
        _shown(len(rows), count_articles(database, flt), "articles")


@app.command("organizations")
def organizations_command(
    name: Annotated[
        str | None, typer.Argument(help="Show one group (by name or alias) with its factions and counts.")
    ] = None,
    db: DbOption = Path("crimewire.db"),
    limit: LimitOption = 0,
    fmt: Annotated[TableFormat, typer.Option("--format", "-f", help="Output format.")] = TableFormat.table,
) -> None:
    """List the criminal groups named in stored articles, or show one of them."""
    with reported_errors(), open_database(db, readonly=True) as database:
        if name is not None:
            detail = get_organization(database, name)
            if detail is None:
                print_error(f"no organization named {name!r} in {db}")
                raise typer.Exit(1)
            if fmt is TableFormat.table:
                _print_organization(detail.to_dict())
            else:
                write_line(json.dumps(detail.to_dict(), ensure_ascii=False))
            return
        rows = list_organizations(database, limit=_limit(limit))
        if fmt is TableFormat.jsonl:
            _write_jsonl(r.to_dict() for r in rows)
            return
        if fmt is TableFormat.csv:
            _write_csv(ORGANIZATION_COLUMNS, (r.to_dict() for r in rows))
            return
        table = _table(
            f"Organizations in {db}",
            ("name", "parent", "aliases", "articles", "events", "known"),
            (
                (r.name, _cell(r.parent), _cell(r.aliases), str(r.articles), str(r.events), _cell(r.known))
                for r in rows
            ),
        )
        out.print(table)


def _print_organization(d: dict[str, Any]) -> None:
    lines = [
        d["name"] + (f"  (faction of {d['parent']})" if d["parent"] else ""),
        f"aliases: {_cell(d['aliases']) or '-'}",
        f"factions: {_cell(d['factions']) or '-'}",
        f"articles: {d['articles']}   events: {d['events']} (factions included)",
        "by type: " + (", ".join(f"{k} {v}" for k, v in d["by_type"].items()) or "-"),
        "by country and year: "
        + (
            "; ".join(
                f"{c} " + ", ".join(f"{y}: {n}" for y, n in ys.items())
                for c, ys in d["by_country_year"].items()
            )
            or "-"
        ),
    ]
    for line in lines:
        out.print(line, markup=False, highlight=False)
