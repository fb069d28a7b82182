"""A first-time analyst's journey over a database made by a real `crimewire ingest` (not a
hand-built one): the defects an end-to-end QA run found, each reproduced on articles written
for these tests.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

import crimewire
from crimewire.cli import _register_commands, app
from crimewire.records import ArticleResult
from crimewire.storage import QueryError
from crimewire.web import create_app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

_register_commands()
runner = CliRunner()

# Two reports of one rescue that disagree on the count (31 by the ministry, 28 by the radio).
ARTICLES = {
    "chiclayo-ministry.txt": "date 2024-10-16\n\nPeruvian police rescued 31 women held by a trafficking ring in "
                             "the city of Chiclayo on Tuesday, the Interior Ministry said.\n",
    "chiclayo-radio.txt": "date 2024-10-17\n\nPolice in the Peruvian city of Chiclayo freed 28 women from a "
                          "trafficking ring on Tuesday, a local radio station reported.\n",
    # news-please field names; the second record's id is blank
    "feed.jsonl": '{"id": "np-1", "maintext": "Police in Quito arrested 3 members of Los Lobos on Monday.", '
                  '"date_publish": "2024-04-02 10:00:00", "language": "en", "title": "Quito arrests"}\n'
                  '{"id": "   ", "maintext": "Soldiers seized 40 kilograms of cocaine in Esmeraldas, Ecuador, '
                  'on Wednesday.", "date_publish": "2024-04-04", "language": "en"}\n',
}


def _write_articles(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = _write_articles(tmp_path_factory.mktemp("journey-in") / "articles")
    path = tmp_path_factory.mktemp("journey-db") / "cw.db"
    result = runner.invoke(app, ["ingest", str(folder), "--db", str(path)])
    assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="module")
def client(db: Path) -> Iterator[TestClient]:
    with TestClient(create_app(db)) as c:
        yield c


def _conflicting_incident(db: Path) -> str:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT id FROM incidents WHERE n_sources = 2 AND type = 'rescue'").fetchall()
    assert len(rows) == 1, rows
    return str(rows[0][0])


def test_incident_page_shows_chosen_and_conflicting_values_as_text(db: Path, client: TestClient) -> None:
    r = client.get(f"/incidents/{_conflicting_incident(db)}")
    assert r.status_code == 200
    html = r.text
    # no Python reprs of the stored JSON
    assert "{&#39;value&#39;" not in html and "[&#39;count&#39;" not in html
    conflicts = html[html.index('id="conflicts"') : html.index("</table>", html.index('id="conflicts"'))]
    text = re.sub(r"<[^>]+>", " ", conflicts)
    assert re.search(r"count\s+28\s+\(chiclayo-radio\)\s*;\s*31\s+\(chiclayo-ministry\)", text), text
    chosen = html[html.index("Values chosen") :]
    chosen = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", chosen[: chosen.index("</table>")]))
    assert re.search(r"count 31 stated by an official source", chosen), chosen
    assert re.search(r"places Chiclayo union", chosen), chosen


def test_blank_json_id_gets_an_id_of_its_own(db: Path, client: TestClient) -> None:
    with sqlite3.connect(db) as conn:
        ids = [row[0] for row in conn.execute("SELECT id FROM articles WHERE origin LIKE '%feed.jsonl%'")]
    assert len(ids) == 2 and "np-1" in ids
    assert all(i.strip() for i in ids), ids
    other = next(i for i in ids if i != "np-1")
    assert client.get(f"/api/articles/{other}").json()["raw_text"].startswith("Soldiers seized")


@pytest.mark.parametrize("command", [["events"], ["incidents"], ["export", "-f", "jsonl", "-o", "{out}"]])
def test_a_country_name_is_refused_not_an_empty_result(db: Path, tmp_path: Path, command: list[str]) -> None:
    args = [a.format(out=tmp_path / "out.jsonl") for a in command]
    ok = runner.invoke(app, [*args, "--db", str(db), "-c", "pe"])
    assert ok.exit_code == 0, ok.output
    result = runner.invoke(app, [*args, "--db", str(db), "-c", "Peru"])
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and "ISO" in lines[0] and "'Peru'" in lines[0], result.output


def test_the_python_api_refuses_a_country_name(db: Path) -> None:
    with crimewire.open(db) as store:
        assert store.events(country="PE")
        with pytest.raises(QueryError, match="Peru"):
            store.events(country="Peru")


def test_export_to_dash_is_an_error_not_a_file_named_dash(
    db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    result = runner.invoke(app, ["export", "--db", str(db), "-f", "jsonl", "-o", "-"])
    assert result.exit_code == 1
    assert "-o" in result.output and len(result.output.strip().splitlines()) == 1, result.output
    assert not (tmp_path / "-").exists()


def test_api_ingest_takes_one_path_as_a_string(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # "in" must be read as the folder, not as the paths "i" and "n" (an absolute path
    # would have been walked from "/", character by character)
    _write_articles(tmp_path / "in")
    monkeypatch.chdir(tmp_path)
    summary = crimewire.ingest("in", tmp_path / "api.db")
    assert not summary.errors, summary.errors
    assert summary.stored == 4
    found = list(crimewire.extract_files("in/chiclayo-radio.txt"))
    assert [r.article.id for r in found if isinstance(r, ArticleResult)] == ["chiclayo-radio"], found


def test_load_of_a_folder_that_is_no_batch_leaves_no_database(tmp_path: Path) -> None:
    target = tmp_path / "new.db"
    result = runner.invoke(app, ["load", str(tmp_path), "--db", str(target)])
    assert result.exit_code == 1
    assert "not a crimewire batch directory" in result.output
    assert not target.exists()


def test_load_reports_resolution_in_words(tmp_path: Path) -> None:
    folder = _write_articles(tmp_path / "in")
    out = tmp_path / "out"
    batch = runner.invoke(app, ["batch", str(folder), "--out", str(out), "--workers", "1"])
    assert batch.exit_code == 0, batch.output
    loaded = runner.invoke(app, ["load", str(out), "--db", str(tmp_path / "b.db")])
    assert loaded.exit_code == 0, loaded.output
    assert "ResolveSummary(" not in loaded.output
    assert re.search(r"cross-article resolution: 4 article\(s\), 4 report\(s\) -> 3 incident\(s\)", loaded.output), (
        loaded.output
    )
    # without resolution, `incidents` lists nothing: it says why instead of a bare "0 of 0"
    unresolved = tmp_path / "u.db"
    assert runner.invoke(app, ["load", str(out), "--db", str(unresolved), "--no-resolve"]).exit_code == 0
    listed = runner.invoke(app, ["incidents", "--db", str(unresolved)])
    assert listed.exit_code == 0, listed.output
    assert "0 of 0 incidents" in listed.output
    assert "4 events not resolved into incidents" in listed.output, listed.output


def test_incident_tables_show_the_count_not_the_rule_that_chose_it(db: Path, client: TestClient) -> None:
    incident = _conflicting_incident(db)
    for url in ("/incidents", "/", "/incidents?type=rescue"):
        html = client.get(url).text
        row = html[html.index(f"/incidents/{incident}") :]
        cell = row[row.index('<td class="num">') : row.index("</td>", row.index('<td class="num">'))]
        assert re.sub(r"<[^>]+>", "", cell).strip() == "31", (url, cell)
    # a lone event keeps its qualifier ("more than", "about") before the number
    html = client.get("/events?type=rescue").text
    assert "stated by" not in html


def test_an_unreadable_file_in_a_folder_is_one_error_line_not_a_traceback(tmp_path: Path) -> None:
    folder = _write_articles(tmp_path / "in")
    locked = folder / "locked"
    locked.mkdir()
    (locked / "a.txt").write_text("date 2024-10-16\n\nPolice arrested 3 men in Lima on Monday.\n", encoding="utf-8")
    locked.chmod(0o644)  # listable, but its entries cannot be looked at (no x bit)
    command = [str(Path(sys.executable).with_name("crimewire")), "ingest", str(folder), "--db", str(tmp_path / "cw.db")]
    if os.geteuid() == 0:
        # root reads everything: drop the capabilities that bypass file permissions
        if shutil.which("setpriv") is None:
            pytest.skip("running as root without setpriv")
        command = ["setpriv", "--bounding-set=-dac_override,-dac_read_search", "--", *command]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=600)
    finally:
        locked.chmod(0o755)
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {locked / 'a.txt'}: cannot read file: Permission denied"], result.stderr
    assert "stored 4 new or changed article(s)" in result.stderr


@pytest.mark.parametrize(
    "args, shown",
    [
        (["events", "-t", "[/]"], "unknown event type '[/]'"),  # Rich failed on it: a MarkupError traceback
        (["events", "--since", "[bold]2024"], "not a date: '[bold]2024'"),  # the "[bold]" was swallowed
        (["org", "[b]Los"], "no organization named '[b]Los'"),
        (["incident", "[i]x"], "no incident '[i]x'"),
    ],
)
def test_error_messages_show_brackets_as_written(db: Path, args: list[str], shown: str) -> None:
    result = runner.invoke(app, [*args, "--db", str(db)])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    (line,) = result.output.strip().splitlines()
    assert line.startswith(f"error: {shown}"), line


def test_a_database_path_with_brackets_is_named_as_written(tmp_path: Path) -> None:
    missing = tmp_path / "[2024]" / "cw.db"
    result = runner.invoke(app, ["events", "--db", str(missing)])
    assert result.exit_code == 1
    assert f"no database at {missing}:" in result.output, result.output


def test_parquet_export_has_every_column_of_the_jsonl_export(db: Path, tmp_path: Path) -> None:
    import json

    import pyarrow.parquet as pq

    for fmt, name in (("parquet", "out.parquet"), ("jsonl", "out.jsonl")):
        result = runner.invoke(app, ["export", "--db", str(db), "-f", fmt, "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "out.parquet")
    rows = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert set(rows[0]) <= set(table.schema.names), set(rows[0]) - set(table.schema.names)
    by_id = {r["id"]: r for r in rows}
    parquet_rows = table.to_pylist()
    assert len(parquet_rows) == len(rows) == 3
    for r in parquet_rows:
        assert r["geo_precision"] == by_id[r["id"]]["geo_precision"] and r["geo_precision"] in (1, 2, 3), r


def test_victim_names_of_an_empty_article_id_is_a_query_not_a_crash(db: Path) -> None:
    # databases ingested before blank JSON ids were refused hold an article whose id is "";
    # `crimewire incidents -f jsonl` failed on it with "Incorrect number of bindings"
    from crimewire.storage import open_database
    from crimewire.storage.incidents.entities import victim_names

    with open_database(db, readonly=True) as database:
        assert victim_names(database, "") == frozenset()
        assert victim_names(database, "chiclayo-radio") == frozenset()


def test_search_says_how_many_articles_match_beyond_the_limit(db: Path) -> None:
    result = runner.invoke(app, ["search", "police", "--db", str(db), "-n", "1"])
    assert result.exit_code == 0, result.output
    assert "1 of 3 articles (use --limit 0 for all 3)" in result.output, result.output
