"""Victims named plainly, through the real pipeline: articles written for these tests are ingested
with `crimewire ingest` (real models, real SQLite) and exported with `crimewire export` in every
format that carries evidence. Victims' names — in full and the shorter forms the article uses
later — stay out by default and come back with ``--include-victims``; the officials and the
arrested people named beside them are never hidden.
"""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ARTICLES = {
    # an occupation before the name; the surname alone in a later event sentence; an official beside them
    "en-kidnap.txt": "date 2024-06-14\n\nPolice chief Daniel Brooks Warren said gunmen kidnapped engineer Héctor "
                     "Julio Barrera in Machala on Monday. On Friday the body of Barrera was found in a ravine "
                     "near Pasaje, the army said.\n",
    # "the victim, identified as"
    "en-identified.txt": "date 2024-06-14\n\nThe victim, identified as Rubén Darío Ocampo, was shot dead in Cali on "
                         "Sunday, police said.\n",
    # "el cuerpo de"
    "es-body.txt": "date 2024-06-14\n\nEl cuerpo de Wilmer Antonio Lozada fue hallado el lunes en una acequia de "
                   "Piura, informó la Policía.\n",
    # an arrested person and the victim of the crime he is arrested for, in one sentence
    "es-arrest.txt": "date 2024-06-14\n\nLa Policía capturó el martes en Tumbes a Óscar Iván Pacheco por el "
                     "asesinato de la comerciante Gladys Noemí Huarcaya.\n",
}
VICTIMS = ["Héctor Julio Barrera", "Barrera", "Rubén Darío Ocampo", "Wilmer Antonio Lozada", "Gladys Noemí Huarcaya"]
KEPT = ["Daniel Brooks Warren", "Óscar Iván Pacheco"]


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("victims-plain-in")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    path = tmp_path_factory.mktemp("victims-plain-db") / "cw.db"
    _register_commands()
    _cli("ingest", str(folder), "--db", str(path))
    return path


def _evidence(db: Path, fmt: str, *flags: str) -> str:
    """Every evidence text of the export in ``fmt``, read back with the library of the format."""
    out = db.parent / f"{fmt}{''.join(flags)}.out"
    _cli("export", "--db", str(db), "--format", fmt, "-o", str(out), *flags)
    if fmt == "jsonl":
        rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        return "\n".join(s["evidence"] for r in rows for s in r["sources"])
    if fmt == "acled-csv":
        with out.open(encoding="utf-8", newline="") as fh:
            return "\n".join(r["notes"] for r in csv.DictReader(fh))
    if fmt == "geojson":
        return "\n".join(f["properties"]["evidence"] for f in json.loads(out.read_text(encoding="utf-8"))["features"])
    assert fmt == "parquet"
    table = pq.read_table(out)
    return "\n".join(str(v) for col in ("evidence", "sources") for v in table.column(col).to_pylist())


def test_people_are_stored_as_named_with_their_role(db: Path) -> None:
    with sqlite3.connect(db) as conn:
        rows = set(conn.execute("SELECT article_id, name, text, role, victim FROM persons"))
    assert {
        ("en-kidnap", "Daniel Brooks Warren", "Daniel Brooks Warren", "official", 0),
        ("en-kidnap", "Héctor Julio Barrera", "Héctor Julio Barrera", "victim", 1),
        ("en-kidnap", "Héctor Julio Barrera", "Barrera", "victim", 1),
        ("en-identified", "Rubén Darío Ocampo", "Rubén Darío Ocampo", "victim", 1),
        ("es-body", "Wilmer Antonio Lozada", "Wilmer Antonio Lozada", "victim", 1),
        ("es-arrest", "Óscar Iván Pacheco", "Óscar Iván Pacheco", "arrested", 0),
        ("es-arrest", "Gladys Noemí Huarcaya", "Gladys Noemí Huarcaya", "victim", 1),
    } <= rows
    assert not {r for r in rows if r[3] == "victim" and r[1] in KEPT}


@pytest.mark.parametrize("fmt", ["jsonl", "acled-csv", "geojson", "parquet"])
def test_victims_names_are_left_out_by_default(db: Path, fmt: str) -> None:
    default = _evidence(db, fmt)
    assert default.count("[victim]") >= 5
    for name in VICTIMS:
        assert f"{name} " not in default and f"{name}," not in default and f"{name}." not in default, name
    for name in KEPT:
        assert name in default


@pytest.mark.parametrize("fmt", ["jsonl", "acled-csv", "geojson", "parquet"])
def test_victims_names_are_kept_when_asked(db: Path, fmt: str) -> None:
    included = _evidence(db, fmt, "--include-victims")
    assert "[victim]" not in included
    for name in [*VICTIMS, *KEPT]:
        assert name in included
