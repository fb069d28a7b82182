"""Incident commands: `crimewire incidents`, `crimewire incident ID`, `crimewire org NAME`.

Each opens the database read-only, calls one ``crimewire.storage.incidents`` function and
prints a Rich table or text for people, or JSON lines for programs. Victims' names are
replaced in printed evidence unless ``--include-victims`` is given.
"""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from crimewire.cli.app import app, err, out, print_error, reported_errors, write_line
from crimewire.storage import count_events, open_database
from crimewire.storage.db import Database
from crimewire.storage.incidents import (
    FactionNode,
    IncidentDetail,
    IncidentFilter,
    count_incidents,
    get_incident,
    list_incidents,
    organization_profile,
    redact_victims,
    victim_names,
)


class ListFormat(StrEnum):
    """Output formats of `crimewire incidents`."""

    table = "table"
    jsonl = "jsonl"


class ShowFormat(StrEnum):
    """Output formats of `crimewire incident` and `crimewire org`."""

    text = "text"
    json = "json"


DbOption = Annotated[
    Path, typer.Option("--db", help="The crimewire database (made by `crimewire ingest`).", show_default=True)
]
# escape: Rich reads "[victim]" in a help text as a markup tag and drops it.
VictimsOption = Annotated[
    bool, typer.Option("--include-victims", help=escape("Print victims' names (replaced by [victim] by default)."))
]

_EVIDENCE_WIDTH = 140


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(str(v) for v in value)
    return str(value)


def _clip(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _redacted(db: Database, detail: IncidentDetail, include_victims: bool) -> dict[str, Any]:
    """The incident as a dict, victims' names replaced in the evidence unless asked for."""
    data = detail.to_dict()
    if not include_victims:
        for source in data["sources"]:
            if victim_names(db, source["article_id"]):
                source["evidence"] = redact_victims(db, source["article_id"], source["evidence"])
    return data


@app.command("incidents")
def incidents_command(
    db: DbOption = Path("crimewire.db"),
    type_: Annotated[
        str | None, typer.Option("--type", "-t", help="Event type(s), comma-separated, e.g. arrest,rescue.")
    ] = None,
    country: Annotated[str | None, typer.Option("--country", "-c", help="ISO country code, e.g. PE.")] = None,
    org: Annotated[
        str | None, typer.Option("--org", "-o", help="Criminal group, by name or alias (its factions too).")
    ] = None,
    place: Annotated[str | None, typer.Option("--place", help="Place name (canonical or as written).")] = None,
    since: Annotated[
        str | None, typer.Option("--since", help="From this date: YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    until: Annotated[str | None, typer.Option("--until", help="Up to this date (inclusive).")] = None,
    text: Annotated[str | None, typer.Option("--text", help="Words in a report's evidence sentence.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="At most this many incidents (0: all).")] = 50,
    order: Annotated[
        str, typer.Option("--order", help="-date, date, -sources, sources, -count, count or id.")
    ] = "-date",
    fmt: Annotated[ListFormat, typer.Option("--format", "-f", help="Output format.")] = ListFormat.table,
    include_victims: VictimsOption = False,
) -> None:
    """List incidents (one per real-world happening, however many articles report it)."""
    with reported_errors(), open_database(db, readonly=True) as database:
        flt = IncidentFilter(
            type=type_,
            country=country,
            organization=org,
            place=place,
            since=since,
            until=until,
            text=text,
            limit=limit or None,
            order=order,
        )
        rows = list_incidents(database, flt)
        if fmt is ListFormat.jsonl:
            for row in rows:
                detail = get_incident(database, row.id)
                if detail is not None:
                    write_line(json.dumps(_redacted(database, detail, include_victims), ensure_ascii=False))
            return
        table = Table(title=f"Incidents in {db}", title_justify="left")
        for name in ("id", "date", "type", "count", "country", "places", "organizations", "sources"):
            table.add_column(name, overflow="fold", no_wrap=name in ("id", "date", "type", "count", "sources"))
        for r in rows:
            date = _cell(r.date) or (f"({r.first_reported})" if r.first_reported else "")
            table.add_row(
                *(
                    Text(x)
                    for x in (
                        r.id,
                        date,
                        r.type,
                        _cell(r.count),
                        _cell(r.country),
                        _cell(r.places),
                        _cell(r.organizations),
                        str(r.n_sources),
                    )
                )
            )
        out.print(table)
        total = count_incidents(database, flt)
        more = f" (use --limit 0 for all {total})" if len(rows) < total else ""
        err.print(f"{len(rows)} of {total} incidents{more}", highlight=False)
        unresolved = count_events(database) if not total and not count_incidents(database, IncidentFilter()) else 0
        if unresolved:
            # e.g. after `crimewire load --no-resolve`: say why the list is empty
            err.print(
                f"this database has {unresolved} events not resolved into incidents: `crimewire events` lists them; "
                "`crimewire load DIR` (without --no-resolve) or `crimewire ingest` again resolves them",
                highlight=False,
            )
        if any(r.date is None for r in rows):
            err.print("dates in (brackets) are the first report's publication date", highlight=False)


@app.command("incident")
def incident_command(
    incident_id: Annotated[str, typer.Argument(help="Incident id, as `crimewire incidents` lists it.")],
    db: DbOption = Path("crimewire.db"),
    why: Annotated[bool, typer.Option("--why", help="Say why each report joined, and what was kept apart.")] = False,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.text,
    include_victims: VictimsOption = False,
) -> None:
    """Show one incident: chosen values with their rules, conflicting values, every report."""
    with reported_errors(), open_database(db, readonly=True) as database:
        detail = get_incident(database, incident_id)
        if detail is None:
            print_error(f"no incident {incident_id!r} in {db}")
            raise typer.Exit(1)
        data = _redacted(database, detail, include_victims)
    if fmt is ShowFormat.json:
        write_line(json.dumps(data, ensure_ascii=False))
        return
    _print_incident(data, why)


def _line(text: str = "") -> None:
    out.print(text, markup=False, highlight=False)


def _print_incident(d: dict[str, Any], why: bool) -> None:
    _line(f"{d['id']}  {d['type']}  {d['date'] or '(date unknown)'}  {d['country'] or ''}")
    _line(f"reports: {d['n_sources']}  first {d['first_reported'] or '?'}  last {d['last_reported'] or '?'}")
    _line("chosen values:")
    for arg, chosen in d["chosen"].items():
        value = _cell(chosen["value"]) or "—"
        _line(f"  {arg:>13}: {value}   [{chosen['rule']}]")
    if d["conflicts"]:
        _line("reports disagree on:")
        for arg, values in d["conflicts"]:
            _line(f"  {arg:>13}: " + "; ".join(f"{v} ({', '.join(arts)})" for v, arts in values))
    _line("reports:")
    for n, s in enumerate(d["sources"], 1):
        v = s["values"]
        stated = ", ".join(
            f"{k} {_cell(v[k])}" for k in ("count", "date", "country", "places", "organizations") if v.get(k)
        )
        who = ", ".join(x for x in (s["outlet"], s["lang"], s["published"]) if x)
        _line(f"  {n}. {s['article_id']}#{s['seq']} ({who})" + (f" {s['url']}" if s["url"] else ""))
        _line(f"     {_clip(s['evidence'], _EVIDENCE_WIDTH)}")
        if s["attribution"]:
            _line(f"     attributed to: {s['attribution']}")
        _line(f"     states: {stated or '—'}")
    if why:
        _line("why:")
        for line in d["why"]:
            _line(f"  - {line}")


@app.command("org")
def org_command(
    name: Annotated[str, typer.Argument(help='Criminal group, by name or alias, e.g. "Tren de Aragua".')],
    db: DbOption = Path("crimewire.db"),
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.text,
) -> None:
    """Profile of a criminal group: aliases, factions tree, incidents by type and country over time."""
    with reported_errors(), open_database(db, readonly=True) as database:
        profile = organization_profile(database, name)
        if profile is None:
            # An alias no stored article used ("TdA"): the knowledge base knows whose it is.
            from crimewire.kb import load_knowledge_base

            info = load_knowledge_base().organization(name)
            profile = organization_profile(database, info.name) if info else None
        if profile is None:
            print_error(f"no organization named {name!r} in {db}")
            raise typer.Exit(1)
    if fmt is ShowFormat.json:
        write_line(json.dumps(profile.to_dict(), ensure_ascii=False))
        return
    d = profile.to_dict()
    _line(d["name"] + (f"  (faction of {d['parent']})" if d["parent"] else ""))
    _line(f"aliases: {_cell(d['aliases']) or '—'}")
    _line("factions:" + ("" if profile.factions else " —"))
    for node in profile.factions:
        _print_tree(node, 1)
    _line(
        f"incidents: {d['incidents']} from {d['reports']} reports in {d['articles']} articles"
        f" (factions included); first {d['first_seen'] or '?'}, last {d['last_seen'] or '?'}"
    )
    _line("by type and year:")
    for t, years in d["by_type_year"].items():
        _line(f"  {t:>13}: " + ", ".join(f"{y}: {n}" for y, n in years.items()))
    _line("by country and year:")
    for c, years in d["by_country_year"].items():
        _line(f"  {c:>13}: " + ", ".join(f"{y}: {n}" for y, n in years.items()))
    if d["places"]:
        _line("places: " + ", ".join(f"{p} ({n})" for p, n in d["places"]))
    if d["persons"]:
        _line("people named with it: " + ", ".join(d["persons"]))
    if d["recent"]:
        _line("recent incidents:")
        for r in d["recent"]:
            _line(f"  {r['id']}  {r['date'] or r['first_reported'] or '?'}  {r['type']}  {r['country'] or ''}  "
                  f"{_cell(r['places'])}  ({r['n_sources']} reports)")


def _print_tree(node: FactionNode, depth: int) -> None:
    _line("  " * depth + f"- {node.name}")
    for child in node.factions:
        _print_tree(child, depth + 1)
