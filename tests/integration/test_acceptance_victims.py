"""Acceptance audit of issue #5, "a flag to keep victims' names out of exports by default", through the
real pipeline: articles written for this audit are ingested with `crimewire ingest` (real models,
real SQLite) and exported with `crimewire export`; no hand-built person records.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from crimewire.cli import _register_commands, app

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

ALIASED = "Pedro Ramírez"
PLAIN_EN = "Carlos Mendoza Ruiz"
PLAIN_ES = "María Fernanda Quispe"

ARTICLES = {
    "victim-alias.txt": f"date 2024-06-14\n\nGunmen killed {ALIASED}, alias Pecas, in Cali on Monday, police said.\n",
    "victim-en.txt": f"date 2024-06-14\n\nGunmen kidnapped businessman {PLAIN_EN} in Guayaquil on Monday, "
                     "police said.\n",
    "victim-es.txt": f"date 2024-06-14\n\nSicarios asesinaron este martes a la comerciante {PLAIN_ES} en "
                     "Trujillo, informó la Policía.\n",
}


def _cli(*args: str) -> str:
    result = CliRunner().invoke(app, list(args))
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("victims-in")
    for name, text in ARTICLES.items():
        (folder / name).write_text(text, encoding="utf-8")
    db = tmp_path_factory.mktemp("victims-db") / "cw.db"
    _register_commands()
    _cli("ingest", str(folder), "--db", str(db))
    default, included = db.parent / "default.jsonl", db.parent / "included.jsonl"
    _cli("export", "--db", str(db), "--format", "jsonl", "-o", str(default))
    _cli("export", "--db", str(db), "--format", "jsonl", "-o", str(included), "--include-victims")
    return default.read_text(encoding="utf-8"), included.read_text(encoding="utf-8")


def test_a_victim_named_with_an_alias_is_left_out_by_default(exports: tuple[str, str]) -> None:
    default, included = exports
    assert ALIASED not in default and "[victim]" in default
    assert ALIASED in included


@pytest.mark.parametrize("name", [PLAIN_EN, PLAIN_ES])
def test_a_victim_named_plainly_is_left_out_by_default(exports: tuple[str, str], name: str) -> None:
    default, included = exports
    assert name in included  # the event and its evidence are exported
    assert name not in default
