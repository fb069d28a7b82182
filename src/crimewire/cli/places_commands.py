"""`crimewire places`: what the gazetteer makes of a place name, for analysts and debugging."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.table import Table

from crimewire.cli.app import app, out, print_error, reported_errors, write_line
from crimewire.cli.incident_commands import ShowFormat
from crimewire.errors import CrimewireError
from crimewire.gazetteer import load_gazetteer


@app.command("places")
def places_command(
    name: Annotated[str, typer.Argument(help='Place name as written, e.g. "La Libertad" or "Trujillo, La Libertad".')],
    context: Annotated[
        str | None,
        typer.Option(
            "--context", "-c", help='Text around the name; its most named country is the hint ("Trujillo, Peru").'
        ),
    ] = None,
    country: Annotated[
        str | None, typer.Option("--country", help="Country hint as an ISO code or name (overrides --context).")
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Language of the name: en or es.")] = "en",
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=100, help="Candidates to show.")] = 10,
    fmt: Annotated[ShowFormat, typer.Option("--format", "-f", help="Output format.")] = ShowFormat.text,
) -> None:
    """Candidates for a place name with their scores, best first: the first is what extraction picks."""
    with reported_errors():
        gazetteer = load_gazetteer()
        hint = None
        if country:
            found = gazetteer.country(country)
            if found is None:
                raise CrimewireError(f"--country {country!r}: not a country code or name")
            hint = found.country
        elif context:
            hint = gazetteer.context_country(context, lang)
        chosen = gazetteer.resolve(name, country_hint=hint, lang=lang)
        ranked = gazetteer.candidates(name, country_hint=hint, lang=lang, limit=limit)
    if fmt is ShowFormat.json:
        write_line(json.dumps({
            "name": name, "country_hint": hint,
            "resolved": _as_dict(chosen) if chosen else None,
            "candidates": [{**_as_dict(m), "score": score} for m, score in ranked],
        }, ensure_ascii=False))
        return
    if not ranked:
        print_error(f"{name!r} is not in the gazetteer")
        raise typer.Exit(1)
    table = Table(title=f"{name!r}: country hint {hint or 'none'}", title_justify="left")
    for column in ("score", "name", "kind", "region", "lat, lon", "prec", "geonameid"):
        wraps = column == "name"  # long official names wrap; codes and numbers stay whole
        table.add_column(
            column, justify="right" if column in ("score", "prec") else "left", no_wrap=not wraps,
            min_width=None if wraps else len(column), max_width=28 if wraps else None,
        )
    for m, score in ranked:
        table.add_row(
            f"{score:.2f}", m.name, m.kind, m.region or m.country or "",
            "" if m.lat is None or m.lon is None else f"{m.lat:.3f}, {m.lon:.3f}",
            str(m.precision or ""), str(m.geonameid or ""),
        )
    out.print(table)
    if chosen is not None:
        where = ", ".join(x for x in (chosen.region_name, chosen.country) if x)
        out.print(f"resolves to: {chosen.name} ({chosen.kind}, {where})", highlight=False)


def _as_dict(m: object) -> dict[str, object]:
    keys = ("name", "kind", "country", "region", "region_name", "city", "lat", "lon", "precision", "geonameid")
    return {k: getattr(m, k) for k in keys}
