"""`crimewire events | search | articles | organizations` on a real database file."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

import crimewire.cli.query_commands  # registers events/search/articles/organizations on the app
from crimewire.cli import app
from crimewire.records import CountValue
from crimewire.storage.read import EVENT_COLUMNS
from crimewire.storage.samples import make_event, make_result

# The query commands are imported directly (not through crimewire.cli._register_commands())
# so that these tests depend only on the storage layer, not on the models the pipeline loads.
assert crimewire.cli.query_commands


@pytest.fixture(scope="module")
def db_path(sample_db: Callable[..., Path]) -> str:
    return str(sample_db("cli"))


def _run(*args: str) -> tuple[int, str, str]:
    # A wide terminal, so that table cells are not folded in the middle of the words we look for.
    result = CliRunner().invoke(app, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.stdout, result.stderr


def test_events_table(db_path: str) -> None:
    code, out, err = _run("events", "--db", db_path, "--type", "arrest")
    assert code == 0
    assert "Cartagena" in out and "Lima" in out
    assert "killing" not in out
    assert "2 of 2 events" in err


def test_events_jsonl_one_object_per_event(db_path: str) -> None:
    code, out, _ = _run("events", "--db", db_path, "--format", "jsonl", "--org", "Aragua Train")
    assert code == 0
    lines = out.strip().splitlines()
    rows = [json.loads(line) for line in lines]
    assert len(rows) == 2
    assert {r["type"] for r in rows} == {"arrest", "rescue"}
    assert all("Tren de Aragua" in r["organizations"] for r in rows)
    assert set(rows[0]) == set(EVENT_COLUMNS)


def test_events_csv_has_a_header_and_joined_lists(db_path: str) -> None:
    code, out, _ = _run("events", "--db", db_path, "-f", "csv", "--country", "pe", "--since", "2024-03-01")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert len(rows) == 2
    assert list(rows[0]) == list(EVENT_COLUMNS)
    assert {r["organizations"] for r in rows} == {"Los Hijos de Dios; Tren de Aragua"}
    assert {r["count"] for r in rows} == {"12", "8"}


def test_events_limit_zero_lists_all(db_path: str) -> None:
    _, out, _ = _run("events", "--db", db_path, "-f", "jsonl", "--limit", "0")
    assert len(out.strip().splitlines()) == 6
    _, out, _ = _run("events", "--db", db_path, "-f", "jsonl", "--limit", "2")
    assert len(out.strip().splitlines()) == 2


def test_events_bad_filter_is_one_line_and_exit_1(db_path: str) -> None:
    code, out, err = _run("events", "--db", db_path, "--type", "murder")
    assert code == 1 and out == ""
    assert err.strip().count("\n") == 0 and "unknown event type 'murder'" in err


def test_search_table_and_jsonl(db_path: str) -> None:
    code, out, _ = _run("search", "cocaína", "--db", db_path)
    assert code == 0 and "cartagena-cocaina" in out
    code, out, _ = _run("search", "Guayaquil", "--db", db_path, "--format", "jsonl")
    hits = [json.loads(line) for line in out.strip().splitlines()]
    assert [h["article_id"] for h in hits] == ["guayaquil-market"]
    assert "[Guayaquil]" in hits[0]["snippet"]


@pytest.mark.parametrize("query", ['"', "NEAR(", "(((", "*", "a OR", "title:x"])
def test_search_with_fts_syntax_does_not_fail(db_path: str, query: str) -> None:
    code, _, _ = _run("search", query, "--db", db_path, "--format", "jsonl")
    assert code == 0


def test_articles_table_csv_and_jsonl(db_path: str) -> None:
    code, out, err = _run("articles", "--db", db_path)
    assert code == 0 and "lima-raid" in out and "4 of 4 articles" in err
    _, out, _ = _run("articles", "--db", db_path, "-f", "csv", "--lang", "es")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == ["cartagena-cocaina"]
    _, out, _ = _run("articles", "--db", db_path, "-f", "jsonl", "--org", "AGC")
    assert [json.loads(line)["id"] for line in out.strip().splitlines()] == ["cartagena-cocaina"]


def test_organizations_list_and_detail(db_path: str) -> None:
    code, out, _ = _run("organizations", "--db", db_path)
    assert code == 0 and "Tren de Aragua" in out and "Los Choneros" in out
    code, out, _ = _run("organizations", "tda-unknown-alias", "--db", db_path)
    assert code == 1
    code, out, _ = _run("organizations", "aragua train", "--db", db_path, "-f", "jsonl")
    detail = json.loads(out)
    assert detail["name"] == "Tren de Aragua" and detail["factions"] == ["Los Hijos de Dios"]


@pytest.mark.parametrize("command", [["events"], ["search", "x"], ["articles"], ["organizations"]])
def test_missing_database_is_an_error_and_is_not_created(tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere.db"
    code, out, err = _run(*command, "--db", str(missing))
    assert code == 1 and out == ""
    assert str(missing) in err and "crimewire ingest" in err
    assert not missing.exists()


def test_query_commands_have_help() -> None:
    for command in ("events", "search", "articles", "organizations"):
        code, out, _ = _run(command, "--help")
        assert code == 0 and "--db" in out


def test_events_csv_neutralizes_formulas(sample_db: Callable[..., Path]) -> None:
    """An evidence sentence that starts like a spreadsheet formula is written as text; numbers stay numbers."""
    body = '=HYPERLINK("http://x.example") Police arrested 7 men in Lima on Monday.'
    event = make_event(body, body, "arrested", "arrest", country="PE", count=CountValue(7))
    path = sample_db("formula", make_result("formula", body, events=(event,), published=date(2024, 9, 2)))
    code, out, _ = _run("events", "--db", str(path), "-f", "csv", "--since", "2024-09-01", "--limit", "0")
    assert code == 0
    rows = [r for r in csv.DictReader(io.StringIO(out)) if r["count"] == "7"]
    assert rows and rows[0]["evidence"].startswith("'=HYPERLINK")
