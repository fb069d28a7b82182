"""Places resolved with the article's context, through the whole extractor (English and
Spanish), and the `crimewire places` lookup command."""

from __future__ import annotations

import csv
import json
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

import crimewire
from crimewire.cli import _register_commands, app
from crimewire.export import export
from crimewire.records import PlaceMatch
from crimewire.storage import open_database

runner = CliRunner()


def event_places(text: str) -> list[PlaceMatch]:
    result = crimewire.extract(text, published="2024-06-14")
    assert result.events, "no event extracted"
    return [p for e in result.events for p in e.places]


def the_place(text: str, written: str) -> PlaceMatch:
    found = [p for p in event_places(text) if p.text == written]
    assert found, f"{written!r} is not among the event's places"
    return found[0]


# (article, place as written, country, ISO 3166-2 region, kind, ACLED precision)
CASES = [
    pytest.param(
        "Peru's National Police said on Tuesday that officers arrested nine suspected extortionists "
        "in La Libertad.", "La Libertad", "PE", "PE-LAL", "region", 3, id="la-libertad-peruvian-story"),
    pytest.param(
        "Salvadoran soldiers arrested 30 gang members in La Libertad on Sunday, El Salvador's Defense "
        "Ministry said.", "La Libertad", "SV", "SV-LI", "region", 3, id="la-libertad-salvadoran-story"),
    pytest.param(
        "Police detained five men in Lima on Tuesday after a shootout, officers said.",
        "Lima", "PE", "PE-LMA", "city", 1, id="lima-is-perus-capital-not-ohio"),
    pytest.param(
        "Venezuelan police arrested eight members of Tren de Aragua in Valencia on Friday, Venezuela's "
        "interior minister said.", "Valencia", "VE", "VE-G", "city", 1, id="valencia-venezuelan-story"),
    pytest.param(
        "La Guardia Civil detuvo este jueves a ocho personas en Valencia por explotación sexual de "
        "mujeres, informó el Ministerio del Interior de España.", "Valencia", "ES", "ES-VC", "city", 1,
        id="valencia-spanish-story"),
    pytest.param(
        "Peruvian police arrested 12 members of a gang in Trujillo, La Libertad, on Monday, the "
        "Interior Ministry said.", "Trujillo", "PE", "PE-LAL", "city", 1, id="town-with-its-region-en"),
    pytest.param(
        "La Policía Nacional del Perú capturó el lunes a 12 integrantes de una banda en Trujillo, "
        "La Libertad.", "Trujillo", "PE", "PE-LAL", "city", 1, id="town-with-its-region-es"),
    pytest.param(
        "Mexican soldiers found three bodies near Culiacán, Sinaloa, on Saturday.",
        "Culiacán", "MX", "MX-SIN", "city", 2, id="near-a-town-en"),
    pytest.param(
        "Militares hallaron tres cuerpos en las afueras de Culiacán, Sinaloa, el sábado.",
        "Culiacán", "MX", "MX-SIN", "city", 2, id="near-a-town-es"),
    pytest.param(
        "Policías detuvieron a siete personas en la colonia Hidalgo, en Nuevo Laredo, el lunes.",
        "Hidalgo", "MX", "MX-TAM", "locality", 1, id="neighbourhood-not-the-state-es"),
    pytest.param(
        "Police arrested five men in the Las Flores neighborhood of Escuintla on Tuesday.",
        "Las Flores", "GT", "GT-05", "locality", 1, id="neighbourhood-not-a-town-abroad-en"),
    pytest.param(
        "La Policía detuvo a 14 personas en los distritos de El Porvenir, Florencia de Mora y La Esperanza, "
        "en Trujillo, Perú.", "La Esperanza", "PE", "PE-LAL", "locality", 1, id="list-of-districts-es"),
    pytest.param(
        "Asesinaron a dos soldados en Segovia, Antioquia, el martes.",
        "Segovia", "CO", "CO-ANT", "city", 1, id="town-with-its-region-beats-a-bigger-namesake"),
    pytest.param(
        "Asesinaron a dos soldados en la vereda El Cenizo, zona rural de Segovia, Antioquia, el martes.",
        "El Cenizo", "CO", "CO-ANT", "locality", 1, id="unknown-hamlet-named-as-such-es"),
    pytest.param(
        "Soldiers detained three men in Culiacán's Tierra Blanca neighbourhood on Friday, the army said.",
        "Tierra Blanca", "MX", "MX-SIN", "locality", 1, id="unknown-neighbourhood-named-as-such-en"),
    pytest.param(
        "Nine inmates escaped on Wednesday from the Pedro Juan Caballero Regional Penitentiary, police said.",
        "Pedro Juan Caballero Regional Penitentiary", "PY", "PY-13", "facility", 2,
        id="prison-named-after-its-town"),
]


@pytest.mark.parametrize(("text", "written", "country", "region", "kind", "precision"), CASES)
def test_place_resolved_with_article_context(
    text: str, written: str, country: str, region: str, kind: str, precision: int
) -> None:
    p = the_place(text, written)
    assert (p.country, p.region, p.kind, p.precision) == (country, region, kind, precision)
    assert text[p.start : p.end] == written
    assert p.lat is not None and p.lon is not None


def test_lima_lies_in_peru_not_ohio() -> None:
    p = the_place("Police detained five men in Lima on Tuesday after a shootout, officers said.", "Lima")
    assert p.lat is not None and p.lon is not None
    assert -13 < p.lat < -11 and -78 < p.lon < -76  # Lima, Peru; Lima, Ohio is at 40.7 N, 84.1 W


def test_town_with_region_fixes_both() -> None:
    """"Trujillo, La Libertad": the city (not Trujillo in Venezuela, Honduras or Spain), inside the
    Peruvian region — and the region is not listed again as a second place."""
    text = "Police arrested 12 members of a gang in Trujillo, La Libertad, on Monday, officers said."
    places = event_places(text)
    assert [(p.text, p.country, p.region_name) for p in places] == [("Trujillo", "PE", "La Libertad")]


def test_country_alone_is_an_area_not_a_point() -> None:
    g = crimewire.Resources.load().gazetteer if hasattr(crimewire, "Resources") else None
    if g is None:
        from crimewire.gazetteer import load_gazetteer

        g = load_gazetteer()
    for name in ("Peru", "Ecuador", "México", "Colombia"):
        m = g.resolve(name)
        assert m is not None and m.kind == "country"
        assert (m.lat, m.lon, m.precision) == (None, None, 3), m


def test_event_country_from_places_else_article_country() -> None:
    text = (
        "Colombian police said on Friday they had captured 14 members of the Clan del Golfo in Medellín. "
        "In a separate operation, officers rescued six teenagers, the police said."
    )
    result = crimewire.extract(text, published="2024-06-14")
    by_type = {e.type: e for e in result.events}
    assert by_type["arrest"].country == "CO" and [p.text for p in by_type["arrest"].places] == ["Medellín"]
    # the rescue names no place: its country is the article's
    assert by_type["rescue"].country == "CO" and not by_type["rescue"].places


# --------------------------------------------------------------------------- the lookup command


@pytest.fixture(scope="module", autouse=True)
def _commands() -> None:
    _register_commands()


def lookup(*args: str) -> dict:
    result = runner.invoke(app, ["places", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def test_places_command_uses_the_context_country() -> None:
    peru = lookup("La Libertad", "--context", "Trujillo, Peru")
    salvador = lookup("La Libertad", "--context", "San Salvador, El Salvador")
    assert peru["country_hint"] == "PE" and peru["resolved"]["region"] == "PE-LAL"
    assert salvador["country_hint"] == "SV" and salvador["resolved"]["region"] == "SV-LI"
    # both readings are offered, best first, with falling scores
    for answer in (peru, salvador):
        regions = [c["region"] for c in answer["candidates"]]
        assert {"PE-LAL", "SV-LI"} <= set(regions)
        scores = [c["score"] for c in answer["candidates"]]
        assert scores == sorted(scores, reverse=True)
        assert answer["candidates"][0]["region"] == answer["resolved"]["region"]


def test_places_command_country_option_and_table() -> None:
    spain = lookup("Valencia", "--country", "Spain")
    assert spain["resolved"]["country"] == "ES"
    table = runner.invoke(app, ["places", "Valencia", "--country", "VE", "--limit", "3"])
    assert table.exit_code == 0
    assert "VE-G" in table.output and "resolves to: Valencia (city, Carabobo, VE)" in table.output


def test_places_command_unknown_name_and_bad_country() -> None:
    unknown = runner.invoke(app, ["places", "Xqzzyville"])
    assert unknown.exit_code == 1 and "not in the gazetteer" in unknown.output
    bad = runner.invoke(app, ["places", "Lima", "--country", "Atlantis"])
    assert bad.exit_code == 1 and "not a country" in bad.output


def test_precision_is_stored_and_exported(tmp_path: Path) -> None:
    """A place near a town keeps precision 2 through the database, its incident and the ACLED export;
    a town itself stays 1."""
    (tmp_path / "near.txt").write_text(
        "date 2024-06-15\n\nMexican soldiers found three bodies near Culiacán, Sinaloa, on Saturday, "
        "the Defense Ministry said.\n", encoding="utf-8")
    (tmp_path / "town.txt").write_text(
        "date 2024-06-15\n\nPolice detained five men in Huancayo on Tuesday after a shootout, officers said.\n",
        encoding="utf-8")
    db_path = tmp_path / "p.db"
    crimewire.ingest([tmp_path / "near.txt", tmp_path / "town.txt"], db_path)
    with sqlite3.connect(db_path) as conn:
        stored = dict(conn.execute("SELECT name, precision FROM event_places WHERE kind = 'city'").fetchall())
        incidents = sorted(r[0] for r in conn.execute("SELECT geo_precision FROM incidents"))
    assert stored == {"Culiacán": 2, "Huancayo": 1}
    assert incidents == [1, 2]
    out = tmp_path / "acled.csv"
    with open_database(db_path, readonly=True) as db:
        export(db, "acled-csv", out)
    with out.open(encoding="utf-8", newline="") as fh:
        rows = {r["location"]: r["geo_precision"] for r in csv.DictReader(fh)}
    assert rows == {"Culiacán": "2", "Huancayo": "1"}


def test_a_court_district_is_no_neighbourhood() -> None:
    """"the Southern District of Texas", "U.S. District Judge": a court's district, not a place's."""
    result = crimewire.extract(
        "The U.S. Attorney's Office for the Southern District of Texas said a smuggler was sentenced in Laredo "
        "on Monday. U.S. District Judge Ana Ruiz imposed the sentence.", published="2024-06-14")
    kinds = {p.text: p.kind for p in result.mentions.places}
    assert kinds.get("Texas") == "region" and "locality" not in kinds.values()
