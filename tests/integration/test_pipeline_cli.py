"""The pipeline commands end to end: `crimewire extract`, `ingest` and `explain`, with real
models and a real SQLite file, on the bundled example articles and on broken inputs."""

from __future__ import annotations

import gzip
import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
runner = CliRunner()
_register_commands()


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def counts(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        return (conn.execute("select count(*) from articles").fetchone()[0],
                conn.execute("select count(*) from events").fetchone()[0])


def test_extract_jsonl_is_the_contract() -> None:
    code, out, _ = invoke("extract", str(EXAMPLES / "en-peru-brothel-raid.txt"), "--format", "jsonl")
    assert code == 0
    lines = out.strip().splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert record["id"] == "en-peru-brothel-raid"
    assert record["date"] == "2024-03-16"
    assert record["lang"] == "en"
    types = {e["type"] for e in record["events"]}
    assert {"rescue", "arrest"} <= types
    for e in record["events"]:
        assert set(e) >= {"type", "evidence", "date", "count", "country", "places", "organizations",
                          "agencies", "nationalities", "rule", "trigger", "offsets", "attribution"}
    assert any(r["reason"] for r in record["removed"])  # the teaser and the byline were removed


def test_other_languages_are_stored_not_extracted() -> None:
    code, out, _ = invoke("extract", str(EXAMPLES / "fr-bref.txt"))
    assert code == 0
    record = json.loads(out)
    assert record["lang"] == "fr"
    assert record["status"] == "unsupported_language"
    assert record["events"] == []


def test_ingest_twice_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    code, _, err = invoke("ingest", str(EXAMPLES), "--db", str(db))
    assert code == 0, err
    first = counts(db)
    assert first[0] == len(list(EXAMPLES.glob("*.txt")))
    assert first[1] > 5
    code, _, err = invoke("ingest", str(EXAMPLES), "--db", str(db))
    assert code == 0
    assert counts(db) == first
    assert "already stored" in err


def test_same_article_under_a_new_name_is_stored_once(tmp_path: Path) -> None:
    db = tmp_path / "cw.db"
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "es-chile-fuga.txt", folder / "a.txt")
    with gzip.open(folder / "b.txt.gz", "wb") as f:
        f.write((EXAMPLES / "es-chile-fuga.txt").read_bytes())
    code, _, _ = invoke("ingest", str(folder), "--db", str(db))
    assert code == 0
    assert counts(db)[0] == 1


def test_bad_inputs_get_one_line_each_and_the_rest_is_stored(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(EXAMPLES / "en-brazil-seizure.txt", folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 4)
    latin1 = "date 2024-01-02\n\nLa policía detuvo a tres hombres en Cádiz."
    (folder / "latin1.txt").write_bytes(latin1.encode("latin-1"))
    (folder / "feed.jsonl").write_text('{"id": "ok1", "text": "Police arrested two men in Lima on Monday.", '
                                       '"date": "2024-05-06"}\n{"id": "broken", "text": \n', encoding="utf-8")
    db = tmp_path / "cw.db"
    code, _, err = invoke("ingest", str(folder), "--db", str(db))
    assert code == 1
    error_lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(error_lines) == 4, err
    for name in ("empty.txt", "binary.txt", "latin1.txt", "feed.jsonl:2"):
        assert any(name in line for line in error_lines), (name, err)
    assert counts(db)[0] == 2  # good.txt and the first JSON line


def test_explain_shows_rule_and_argument_sources() -> None:
    code, out, _ = invoke("explain", str(EXAMPLES / "es-colombia-captura.txt"))
    assert code == 0
    assert "es.arrest" in out
    assert "removed as clutter" in out
    assert "count" in out and "<-" in out


@pytest.mark.parametrize("command", ["extract", "ingest", "explain"])
def test_commands_have_help(command: str) -> None:
    code, out, _ = invoke(command, "--help")
    assert code == 0
    assert "Usage" in out


def test_explain_quotes_no_empty_words_for_derived_values(tmp_path: Path) -> None:
    article = tmp_path / "derived.txt"
    article.write_text("date 2024-05-10\n\nPolice in Lima arrested four men on Thursday. The detainees are "
                       "Venezuelan, the police said.\n", encoding="utf-8")
    code, out, _ = invoke("explain", str(article))
    assert code == 0 and "<-" in out
    assert "<- ''" not in out
