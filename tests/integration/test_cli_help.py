"""Help texts print what they say: Rich reads "[word]" as a markup tag and drops it unless it
is escaped ("replaced by [victim] by default" once printed "replaced by  by default")."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app

_register_commands()
COMMANDS = typer.main.get_group(app)


def _help(*command: str) -> str:
    # wide, so that no help line is folded in the middle of the words looked for
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "250"})
    assert result.exit_code == 0, result.output
    return result.output


@pytest.mark.parametrize("command", ["incidents", "incident"])
def test_victims_option_help_shows_the_placeholder(command: str) -> None:
    assert "replaced by [victim] by default" in _help(command)


def _bracketed_words() -> list[tuple[str, str]]:
    """(command, "[word]") for every bracketed word in a command's option or argument help."""
    found = []
    for name, command in sorted(COMMANDS.commands.items()):
        for param in command.params:
            help_text = getattr(param, "help", None) or ""
            found += [(name, f"[{word}]") for word in re.findall(r"\[(\w+)\]", help_text)]
    return found


BRACKETED = _bracketed_words()


def test_the_help_texts_have_bracketed_words_to_check() -> None:
    assert ("incidents", "[victim]") in BRACKETED and ("ingest", "[crimewire]") in BRACKETED


@pytest.mark.parametrize(("command", "word"), BRACKETED)
def test_bracketed_words_survive_in_the_help(command: str, word: str) -> None:
    assert word in _help(command)
