"""The Typer application object and the helpers every command module shares.

Command modules (``crimewire/cli/*_commands.py``) register their commands on
``app``; ``crimewire.cli.main`` imports them all. Commands are thin: they parse
options, call a typed library function, and turn ``CrimewireError`` into a
one-line message and an exit status.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager

import typer
from rich.console import Console
from rich.markup import escape

from crimewire.errors import CrimewireError

app = typer.Typer(
    name="crimewire",
    help="Turn news reports about organized crime into a structured, source-linked database.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# stdout carries data (JSONL, CSV, tables); stderr carries progress and errors.
out = Console(soft_wrap=True)
err = Console(stderr=True, soft_wrap=True)


def print_error(message: str) -> None:
    """Print ``error: message`` on stderr; the message is shown as written (paths, names and
    filters given by the user may hold "[...]", which Rich would take for markup or fail on)."""
    err.print(f"[red]error:[/red] {escape(message)}", highlight=False)


@contextmanager
def reported_errors() -> Iterator[None]:
    """Turn a CrimewireError raised inside the block into a one-line message and exit status 1."""
    try:
        yield
    except CrimewireError as exc:
        print_error(str(exc))
        raise typer.Exit(1) from exc


def write_line(text: str) -> None:
    """Write one line of machine-readable output to stdout, unformatted."""
    sys.stdout.write(text + "\n")
