"""`crimewire batch` (the pipeline on a Dask cluster, to Parquet) and `crimewire load` (Parquet to SQLite)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from crimewire.cli.app import app, err, reported_errors
from crimewire.settings import load_settings


@app.command()
def batch(
    paths: list[str] = typer.Argument(..., help="Files, folders or globs of articles (txt, jsonl, html, warc, feeds)."),
    out: Path = typer.Option(..., "--out", help="Output directory of Parquet partitions (resumable)."),
    scheduler: str | None = typer.Option(
        None, "--scheduler", help="Address of a running Dask scheduler, e.g. tcp://10.0.0.5:8786."
    ),
    workers: int | None = typer.Option(
        None, "--workers", help="Worker processes of the local cluster (default: the cores)."
    ),
    partition_size: int | None = typer.Option(
        None,
        "--partition-size",
        help="Articles per task and per Parquet partition (default: as --out was written, else 100).",
    ),
    settings_file: Path | None = typer.Option(
        None, "--settings", help="TOML file with a \\[crimewire] table of settings."
    ),
) -> None:
    """Run the pipeline over articles on a Dask cluster and write Parquet partitions
    (articles, events, entities, errors) under --out. Re-running skips finished partitions."""
    from crimewire.batch import PartitionEvent, run_batch

    if scheduler and workers:
        err.print("[yellow]note:[/yellow] --workers applies to a local cluster; ignored with --scheduler")
        workers = None
    progress = Progress(
        TextColumn("[bold]batch[/bold]"),
        BarColumn(),
        TextColumn("{task.fields[parts]} partitions, {task.completed} articles"),
        TextColumn("{task.fields[skipped]} skipped"),
        TextColumn("[red]{task.fields[errors]} errors"),
        TimeElapsedColumn(),
        console=err,
    )
    counts = {"parts": 0, "skipped": 0, "errors": 0}

    def show(event: PartitionEvent) -> None:
        if event.action == "failed":
            progress.console.print(
                f"[red]partition {event.seq} failed[/red] (it will be retried by a re-run): "
                f"{escape(event.reason or '')}",
                highlight=False,
            )
        elif event.action == "written":
            counts["parts"] += 1
        else:
            counts["skipped"] += 1
        counts["errors"] += event.errors
        progress.update(
            task, advance=event.articles, parts=counts["parts"], skipped=counts["skipped"], errors=counts["errors"]
        )

    with reported_errors(), progress:
        task = progress.add_task("batch", total=None, parts=0, skipped=0, errors=0)
        summary = run_batch(
            paths,
            out,
            settings=load_settings(settings_file),
            scheduler=scheduler,
            workers=workers,
            partition_size=partition_size,
            progress=show,
        )
    rate = summary.articles / max(summary.seconds - summary.startup_seconds, 1e-6)
    err.print(
        f"wrote {summary.partitions_written} partition(s): {summary.articles} article(s), "
        f"{summary.events} event(s), {summary.article_failures + summary.read_errors} error row(s); "
        f"{summary.partitions_skipped} partition(s) already done -> {out}",
        highlight=False,
    )
    if summary.workers:
        loads = sorted({info["loads"] for info in summary.model_loads.values()})
        err.print(
            f"{summary.workers} worker(s) on {summary.scheduler}; {summary.seconds:.1f} s "
            f"({summary.startup_seconds:.1f} s start-up), {rate:.1f} articles/s after start-up; "
            f"models loaded per worker: {', '.join(map(str, loads))}",
            highlight=False,
        )
    if summary.failed:
        err.print(
            f"[red]{len(summary.failed)} partition(s) failed[/red]; run the same command again to retry them"
        )
        raise typer.Exit(1)


@app.command()
def load(
    directory: Path = typer.Argument(..., help="Output directory of `crimewire batch`."),
    db: Path = typer.Option(Path("crimewire.db"), "--db", help="SQLite database (created if missing)."),
    resolve: bool = typer.Option(True, "--resolve/--no-resolve", help="Run cross-article resolution after."),
) -> None:
    """Bring the Parquet partitions of a batch run into the database (idempotent), then run
    cross-article resolution."""
    from crimewire.batch import check_batch_directory, load_batch
    from crimewire.storage import open_database

    progress = Progress(
        TextColumn("[bold]load[/bold]"),
        BarColumn(),
        TextColumn("{task.completed} items"),
        TimeElapsedColumn(),
        console=err,
    )
    with reported_errors():
        # before open_database, which would leave a new, empty database behind
        check_batch_directory(directory)
    with reported_errors(), open_database(db) as database, progress:
        task = progress.add_task("load", total=None)
        summary = load_batch(directory, database, resolve=resolve, progress=lambda _n, _a: progress.advance(task))
    err.print(
        f"loaded {summary.partitions} partition(s): {summary.inserted} new article(s), {summary.replaced} "
        f"replaced, {summary.unchanged} unchanged, {summary.duplicates} duplicate(s); {summary.events} "
        f"event(s) written; {summary.errors_logged} error(s) logged "
        f"({summary.errors_already_logged} already logged) -> {db}",
        highlight=False,
    )
    if summary.resolution is not None:
        err.print(f"cross-article resolution: {escape(summary.resolution)}", highlight=False)
    else:
        err.print(
            f"[yellow]cross-article resolution not run:[/yellow] {escape(summary.resolution_missing or '')}",
            highlight=False,
        )
