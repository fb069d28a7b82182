"""Workbench commands: `crimewire serve` (the web app) and `crimewire export` (files for other tools)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from crimewire.cli.app import app, err, print_error, reported_errors
from crimewire.export import DEFAULT_LIMIT, ExportFormat, export
from crimewire.storage import open_database
from crimewire.storage.records_view import IncidentQuery, uses_incidents

DbOption = Annotated[
    Path, typer.Option("--db", help="The crimewire database (made by `crimewire ingest`).", show_default=True)
]


@app.command("serve")
def serve_command(
    db: DbOption = Path("crimewire.db"),
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (127.0.0.1: this machine only).")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="Port to listen on.")] = 8000,
) -> None:
    """Serve the analyst's workbench (pages and JSON API) over a read-only database."""
    import uvicorn

    from crimewire.web import create_app

    if not db.is_file():
        print_error(f"no database at {db}: create one with `crimewire ingest ARTICLES --db {db}`")
        raise typer.Exit(1)
    with reported_errors():
        web_app = create_app(db)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err.print(f"warning: listening on {host}: anyone who can reach it can read the database", highlight=False)
    err.print(
        f"crimewire workbench on http://{host}:{port}/ (database {db}, read-only); Ctrl-C stops it", highlight=False
    )
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


@app.command("export")
def export_command(
    fmt: Annotated[ExportFormat, typer.Option("--format", "-f", help="File format.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="File to write.")],
    db: DbOption = Path("crimewire.db"),
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Event type(s), comma-separated, e.g. arrest,rescue.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", "-c", help="ISO country code, e.g. PE.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", help="Criminal group, by name or alias (its factions too).")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Place or region name.")] = None,
    since: Annotated[str | None, typer.Option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in the evidence sentence.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many incidents (0: all).")] = 0,
    include_victims: Annotated[
        bool, typer.Option("--include-victims", help="Keep victims' names in the evidence text.")
    ] = False,
) -> None:
    """Export incidents as ACLED-style CSV, GeoJSON, GraphML (Gephi), Parquet or JSON lines."""
    if str(output) == "-":
        # "-" reads as standard output to a shell user, but would become a file named "-"
        print_error("-o - (standard output) is not supported: give a file name")
        raise typer.Exit(1)
    with reported_errors(), open_database(db, readonly=True) as database:
        query = IncidentQuery(
            type=type_,
            country=country,
            organization=org,
            place=place,
            since=since,
            until=until,
            text=text,
            limit=limit or DEFAULT_LIMIT,
        )
        n = export(database, fmt, output, query, include_victims=include_victims)
        unit = "incidents" if uses_incidents(database) else "events (as one-source incidents)"
        err.print(f"wrote {n} {unit} to {output} ({fmt.value})", highlight=False)
