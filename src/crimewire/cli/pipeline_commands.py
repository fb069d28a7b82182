"""`crimewire extract`, `crimewire ingest` and `crimewire explain`: running the pipeline."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table
from rich.text import Text

from crimewire.cli.app import app, err, out, print_error, reported_errors, write_line
from crimewire.contract import result_to_dict
from crimewire.pipeline import load_resources, process_articles
from crimewire.readers import iter_articles
from crimewire.records import Article, ArticleResult, ReadError
from crimewire.settings import Settings, load_settings

SettingsOption = typer.Option(None, "--settings", help="TOML file with a \\[crimewire] table of settings.")


def _settings(path: Path | None) -> Settings:
    return load_settings(path)


def _articles(paths: list[str], errors: list[ReadError], settings: Settings) -> Iterator[Article]:  # extract/explain
    """The readable articles under ``paths`` (within the settings' limits); read errors are reported and collected."""
    for item in iter_articles(paths, settings):
        if isinstance(item, ReadError):
            errors.append(item)
            err.print(f"[red]error:[/red] {escape(item.origin)}: {escape(item.reason)}", highlight=False)
        else:
            yield item


@app.command()
def extract(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs of articles."),
    format: str = typer.Option("jsonl", "--format", "-f", help="jsonl (the SCHEMA.md contract) or table."),
    settings_file: Path | None = SettingsOption,
) -> None:
    """Extract events from articles and print them (no database)."""
    if format not in ("jsonl", "table"):
        print_error(f"unknown format {format!r}: use jsonl or table")
        raise typer.Exit(2)
    errors: list[ReadError] = []
    with reported_errors():
        res = load_resources(_settings(settings_file))
        results = process_articles(_articles(paths, errors, res.settings), res)
        if format == "jsonl":
            for result in results:
                write_line(json.dumps(result_to_dict(result), ensure_ascii=False))
        else:
            out.print(_events_table(list(results)))
    if errors:
        raise typer.Exit(1)


def _events_table(results: list[ArticleResult]) -> Table:
    table = Table(title="Extracted events", show_lines=False)
    for col in ("article", "type", "date", "count", "country", "places", "organizations"):
        table.add_column(col, overflow="fold")
    table.add_column("evidence", no_wrap=True, max_width=60, overflow="ellipsis")
    for r in results:
        if r.status != "extracted":
            table.add_row(r.article.id, f"({r.status})", "", "", "", "", "", "")
            continue
        for e in r.events:
            if e.background:
                continue
            table.add_row(
                r.article.id,
                e.type,
                e.date.value.isoformat() if e.date and e.date.value else "",
                "" if not e.count or e.count.value is None else str(e.count.value),
                e.country or "",
                ", ".join(p.text for p in e.places),
                ", ".join(o.name for o in e.organizations),
                Text(e.evidence.sentence[:90] + ("…" if len(e.evidence.sentence) > 90 else "")),
            )
    return table


@app.command()
def ingest(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs of articles."),
    db: Path = typer.Option(Path("crimewire.db"), "--db", help="SQLite database (created if missing)."),
    settings_file: Path | None = SettingsOption,
) -> None:
    """Extract events from articles and store everything in the database (idempotent)."""
    from crimewire.api import ingest as ingest_articles

    started = time.monotonic()
    progress = Progress(
        TextColumn("[bold]ingest[/bold]"),
        BarColumn(),
        TextColumn("{task.completed} articles"),
        TextColumn("{task.fields[rate]:.1f} articles/s"),
        TextColumn("[red]{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=err,
    )
    errors = 0

    def on_result(result: ArticleResult, stored: bool) -> None:
        done = progress.tasks[0].completed + 1
        progress.update(task, advance=1, rate=done / max(time.monotonic() - started, 1e-6))

    def on_error(error: ReadError) -> None:
        nonlocal errors
        errors += 1
        progress.update(task, errors=errors)
        progress.console.print(f"[red]error:[/red] {escape(error.origin)}: {escape(error.reason)}", highlight=False)

    with reported_errors(), progress:
        task = progress.add_task("ingest", total=None, rate=0.0, errors=0)
        summary = ingest_articles(paths, db, _settings(settings_file), on_result=on_result, on_error=on_error)
    err.print(
        f"stored {summary.stored} new or changed article(s) with {summary.events} event(s); "
        f"{summary.unchanged} already stored; {len(summary.errors)} error(s) -> {db}",
        highlight=False,
    )
    if summary.errors:
        raise typer.Exit(1)


@app.command()
def explain(
    path: str = typer.Argument(..., help="One article file."),
    settings_file: Path | None = SettingsOption,
) -> None:
    """Print an article with each event's evidence highlighted, the rule that fired and
    where every argument came from."""
    errors: list[ReadError] = []
    with reported_errors():
        res = load_resources(_settings(settings_file))
        for result in process_articles(_articles([path], errors, res.settings), res):
            _explain(result)
    if errors:
        raise typer.Exit(1)


_COLORS = ("yellow", "cyan", "magenta", "green", "blue", "red")


def _explain(result: ArticleResult) -> None:
    clean = result.clean
    out.rule(f"{result.article.id}  ({clean.lang}, published {result.article.published or 'unknown'})")
    text = Text(clean.text)
    for n, e in enumerate(result.events):
        color = _COLORS[n % len(_COLORS)]
        text.stylize(f"underline {color}", e.evidence.clean_start, e.evidence.clean_end)
        text.stylize(f"bold reverse {color}", e.evidence.trigger_start, e.evidence.trigger_end)
    out.print(text)
    if clean.removed:
        out.rule("removed as clutter")
        for r in clean.removed:
            out.print(f"[dim]{r.reason}:[/dim] {escape(r.text.strip()[:120])}", highlight=False)
    out.rule("events")
    if result.status != "extracted":
        out.print(f"not extracted: {result.status}; {' '.join(result.notes)}")
    for n, e in enumerate(result.events):
        color = _COLORS[n % len(_COLORS)]
        flag = " [dim](background: over a year old, not counted)[/dim]" if e.background else ""
        out.print(
            f"[bold {color}]{n + 1}. {e.type}[/bold {color}]{flag}  trigger [bold]{escape(e.evidence.trigger)}[/bold]"
            f"  rule [italic]{e.evidence.rule}[/italic]",
            highlight=False,
        )
        out.print(f"   evidence: {escape(e.evidence.sentence)}", highlight=False)
        if e.attribution:
            out.print(f"   attribution: {escape(e.attribution.text)} ({e.attribution.kind})", highlight=False)
        args = [
            ("date", f"{e.date.value} ({e.date.precision}, '{e.date.text}')" if e.date and e.date.value else "—"),
            ("count", f"{e.count.value} ({e.count.qualifier}, '{e.count.text}')" if e.count else "—"),
            ("country", e.country or "—"),
            ("places", ", ".join(f"{p.text} [{p.kind} {p.region or p.country or ''}]" for p in e.places) or "—"),
            ("organizations", ", ".join(o.name for o in e.organizations) or "—"),
            ("agencies", ", ".join(e.agencies) or "—"),
            ("nationalities", ", ".join(e.nationalities) or "—"),
        ]
        if e.items:
            args.append(("items", "; ".join(q.text or q.item for q in e.items)))
        for name, value in args:
            out.print(f"   {name:>13}: {escape(str(value))}", highlight=False)
        for s in e.sources:
            quoted = f"'{escape(s.text)}' " if s.text else ""  # derived values quote no words
            out.print(f"   [dim]{s.argument:>13} <- {quoted}({escape(s.how)})[/dim]", highlight=False)
        for note in e.notes:
            out.print(f"   [dim]note: {escape(note)}[/dim]", highlight=False)
