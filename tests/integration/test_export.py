"""`crimewire export` and ``crimewire.export.export`` over a real database, each file read back by
the library that reads its format (csv, json, networkx, pyarrow)."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import networkx as nx
import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

import crimewire.cli.web_commands  # registers serve/export on the app
from crimewire.cli import app
from crimewire.export import ACLED_COLUMNS, ExportError, export
from crimewire.records import CountValue, Mentions, PersonMatch
from crimewire.storage import open_database
from crimewire.storage.records_view import IncidentQuery
from crimewire.storage.samples import make_event, make_result

assert crimewire.cli.web_commands  # imported for its side effect

VICTIM = "Rosa Quispe"


def _victim_article():  # type: ignore[no-untyped-def]
    body = f"Gunmen kidnapped {VICTIM}, a shopkeeper, in Huancayo, police said. Her family paid a ransom."
    sentence = f"Gunmen kidnapped {VICTIM}, a shopkeeper, in Huancayo, police said."
    event = make_event(body, sentence, "kidnapped", "kidnapping", country="PE", count=CountValue(1))
    start = body.index(VICTIM)
    person = PersonMatch(VICTIM, start, start + len(VICTIM), VICTIM, role="victim")
    return make_result("huancayo", body, events=(event,), published=date(2024, 8, 1),
                       mentions=Mentions(persons=(person,)))


@pytest.fixture(scope="module")
def db_path(sample_db: Callable[..., Path]) -> Path:
    return sample_db("export", _victim_article())


def _export(db_path: Path, fmt: str, out: Path, query: IncidentQuery | None = None, **kw: bool) -> int:
    with open_database(db_path, readonly=True) as db:
        return export(db, fmt, out, query, **kw)


def test_acled_csv(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "acled.csv"
    assert _export(db_path, "acled-csv", out) == 6
    with out.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == ACLED_COLUMNS
        rows = list(reader)
    assert len(rows) == 6
    lima = next(r for r in rows if r["crimewire_id"] == "1")
    assert lima["event_id_cnty"] == "PER1" and lima["iso"] == "604" and lima["country"] == "Peru"
    assert (lima["event_type"], lima["sub_event_type"]) == ("Strategic developments", "Arrests")
    assert (lima["latitude"], lima["longitude"], lima["geo_precision"]) == ("-12.04", "-77.03", "1")
    assert lima["actor1"] == "Peruvian police" and lima["actor2"] == "Los Hijos de Dios"
    killing = next(r for r in rows if r["crimewire_type"] == "killing")
    assert killing["fatalities"] == "4" and killing["event_type"] == "Violence against civilians"
    assert killing["geo_precision"] == "3"  # Guayaquil has no coordinates: Ecuador's centroid


def test_geojson_opens_as_a_feature_collection(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "incidents.geojson"
    _export(db_path, "geojson", out, IncidentQuery(country="PE"))
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["type"] == "FeatureCollection" and len(data["features"]) == 3
    for f in data["features"]:
        assert f["type"] == "Feature" and f["geometry"]["type"] in ("Point", "MultiPolygon")
        if f["geometry"]["type"] == "Point":
            lon, lat = f["geometry"]["coordinates"]
            assert -82 < lon < -68 and -19 < lat < 0  # Peru, in lon/lat order
    assert {f["properties"]["location_kind"] for f in data["features"]} == {"point", "region", "country"}


def test_graphml_opens_in_networkx(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "network.graphml"
    _export(db_path, "graphml", out)
    graph = nx.read_graphml(out)
    assert graph.is_directed()
    kinds = nx.get_node_attributes(graph, "kind")
    assert set(kinds.values()) == {"organization", "place", "agency"}
    assert graph.edges["org:Los Hijos de Dios", "org:Tren de Aragua"]["kind"] == "faction_of"
    assert graph.edges["org:Clan del Golfo", "place:Cartagena (CO)"] == {"kind": "active_in", "weight": 2}
    assert graph.edges["org:Clan del Golfo", "agency:Policía Nacional"]["kind"] == "targeted_by"
    assert graph.nodes["org:Tren de Aragua"]["label"] == "Tren de Aragua"


def test_parquet_reads_back(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "incidents.parquet"
    _export(db_path, "parquet", out, IncidentQuery(type="arrest"))
    table = pq.read_table(out)
    assert table.num_rows == 2
    rows = table.to_pylist()
    assert {r["type"] for r in rows} == {"arrest"}
    assert rows[0]["organizations"] and isinstance(rows[0]["organizations"], list)
    assert json.loads(rows[0]["sources"])[0]["article_id"] in {"lima-raid", "cartagena-cocaina"}
    assert str(table.schema.field("lat").type) == "double"


def test_jsonl(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "incidents.jsonl"
    _export(db_path, "jsonl", out, IncidentQuery(organization="Tren de Aragua"))
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == 2
    assert all("Tren de Aragua" in x["organizations"] for x in lines)
    assert lines[0]["sources"][0]["url"].startswith("https://news.example/")


def test_victims_names_stay_out_unless_asked(db_path: Path, tmp_path: Path) -> None:
    for fmt in ("acled-csv", "geojson", "jsonl", "parquet"):
        out = tmp_path / f"default.{fmt}"
        _export(db_path, fmt, out)
        assert VICTIM.encode() not in out.read_bytes(), fmt
    out = tmp_path / "with.jsonl"
    _export(db_path, "jsonl", out, include_victims=True)
    assert VICTIM in out.read_text(encoding="utf-8")
    kept = tmp_path / "kept.jsonl"
    _export(db_path, "jsonl", kept)
    assert "Gunmen kidnapped [victim], a shopkeeper" in kept.read_text(encoding="utf-8")


def test_unknown_format_and_unwritable_file(db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="unknown export format"):
        _export(db_path, "xlsx", tmp_path / "x")
    with pytest.raises(ExportError, match="cannot write"):
        _export(db_path, "jsonl", tmp_path / "missing-dir" / "x.jsonl")


def test_cli_export_with_filters(db_path: Path, tmp_path: Path) -> None:
    out = tmp_path / "co.csv"
    result = CliRunner().invoke(
        app, ["export", "--format", "acled-csv", "-o", str(out), "--db", str(db_path), "--country", "co"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote 2 events" in result.output
    with out.open(encoding="utf-8", newline="") as fh:
        assert {r["country"] for r in csv.DictReader(fh)} == {"Colombia"}


def test_cli_errors_are_one_line(db_path: Path, tmp_path: Path) -> None:
    missing = CliRunner().invoke(app, ["export", "-f", "jsonl", "-o", str(tmp_path / "x"), "--db", "nope.db"])
    assert missing.exit_code == 1 and "crimewire ingest" in missing.output
    bad = CliRunner().invoke(app, ["export", "-f", "jsonl", "-o", str(tmp_path / "x"), "--db", str(db_path),
                                   "--since", "someday"])
    assert bad.exit_code == 1 and "not a date" in bad.output
    serve = CliRunner().invoke(app, ["serve", "--db", str(tmp_path / "none.db")])
    assert serve.exit_code == 1 and "crimewire ingest" in serve.output
