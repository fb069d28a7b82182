"""Acceptance audit of issue #2's README bullets: the first screen (one paragraph, then `make demo` and
`make test`), and the `crimewire extract` example, whose shown output must be what the command prints
today: every `"key": value` pair shown (abridged values left out) must occur in the real output.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

REPO = Path(__file__).resolve().parents[2]
README = (REPO / "README.md").read_text(encoding="utf-8")
FIRST_SCREEN = 30  # lines

# a shown pair whose value is complete: a string without "...", a number, null, or a list of strings
PAIR = re.compile(r'"(\w+)": ("(?:[^"\\\n]|\\.)*"|-?\d+(?:\.\d+)?|null|\[(?:"[^"\n]*"(?:, )?)*\])')


def _blocks(text: str) -> list[str]:
    return re.findall(r"```\w*\n(.*?)```", text, flags=re.S)


def test_first_screen_is_a_paragraph_then_make_demo_and_make_test() -> None:
    lines = README.splitlines()[:FIRST_SCREEN]
    assert lines[0].startswith("# crimewire")
    fence = next(i for i, line in enumerate(lines) if line.startswith("```"))
    paragraph = " ".join(line for line in lines[1:fence] if line.strip())
    assert len(paragraph.split()) >= 30 and "\n\n" not in "\n".join(lines[2:fence]).strip()
    commands = [line.split("#")[0].strip() for line in _blocks("\n".join(lines))[0].splitlines()]
    assert [c for c in commands if c] == ["make demo", "make test"]


def _walk(node: Any) -> list[dict[str, Any]]:
    if isinstance(node, dict):
        return [node] + [d for v in node.values() for d in _walk(v)]
    if isinstance(node, list):
        return [d for v in node for d in _walk(v)]
    return []


def test_extract_example_matches_what_the_command_prints() -> None:
    example = README.split("## Example", 1)[1]
    block = _blocks(example)[0]
    command = block.splitlines()[0]
    match = re.match(r"\$ \.venv/bin/crimewire extract (\S+) --format jsonl$", command)
    assert match, command
    shown = "\n".join(block.splitlines()[1:])
    _register_commands()
    result = CliRunner().invoke(app, ["extract", str(REPO / match.group(1)), "--format", "jsonl"])
    assert result.exit_code == 0, result.output
    actual = json.loads(result.stdout)
    objects = _walk(actual)
    pairs = [(k, json.loads(v)) for k, v in PAIR.findall(shown) if "..." not in v]
    assert len(pairs) >= 15, pairs  # the example shows that many complete values
    missing = [(k, v) for k, v in pairs if not any(o.get(k) == v for o in objects)]
    assert missing == []
    # the events in the order shown
    assert [e["type"] for e in actual["events"]] == re.findall(r'\{"type": "(\w+)"', shown)
    # the clutter named in the text under the example was removed
    assert {r["reason"] for r in actual["removed"]} >= {"teaser"}
    assert any(r["text"].startswith("Lea también") for r in actual["removed"])
    assert any(r["text"].startswith("Síguenos") for r in actual["removed"])
