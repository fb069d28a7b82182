"""`crimewire batch` and `crimewire load` end to end (one local worker, a handful of articles)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app
from crimewire.storage import ArticleFilter, list_articles, list_ingest_errors, open_database

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "bench"))
import corpus  # noqa: E402  (bench/corpus.py)

_register_commands()
runner = CliRunner()


@pytest.mark.parametrize("command", ["batch", "load"])
def test_commands_have_help(command: str) -> None:
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0
    assert "Usage" in result.output


def test_batch_then_load(tmp_path: Path) -> None:
    inputs = corpus.write_jsonl(tmp_path / "in.jsonl", 6, seed=5, words=(60, 100))
    with inputs.open("a", encoding="utf-8") as f:
        f.write("not json\n")
    out = tmp_path / "out"
    result = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--workers", "1", "--partition-size", "4"])
    assert result.exit_code == 0, result.output
    assert "wrote 2 partition(s): 6 article(s)" in result.output
    assert "1 error row(s)" in result.output
    assert "models loaded per worker: 2" in result.output

    again = runner.invoke(app, ["batch", str(inputs), "--out", str(out)])
    assert again.exit_code == 0, again.output
    assert "wrote 0 partition(s)" in again.output and "2 partition(s) already done" in again.output

    other = runner.invoke(app, ["batch", str(inputs), "--out", str(out), "--partition-size", "3"])
    assert other.exit_code == 1
    assert "another partition_size" in other.output

    db = tmp_path / "cw.db"
    loaded = runner.invoke(app, ["load", str(out), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    assert "6 new article(s)" in loaded.output and "1 error(s) logged" in loaded.output
    # Resolution runs when crimewire.resolve is installed; either way the output says what happened.
    assert "cross-article resolution" in loaded.output
    with open_database(db, readonly=True) as database:
        ids = {a.id for a in list_articles(database, ArticleFilter(limit=None))}
        assert ids == {json.loads(line)["id"] for line in inputs.read_text().splitlines()[:6]}
        assert [e.origin.endswith("in.jsonl:7") for e in list_ingest_errors(database)] == [True]


def test_load_of_a_folder_that_is_no_batch(tmp_path: Path) -> None:
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1
    assert "not a crimewire batch directory" in result.output
