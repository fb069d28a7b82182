"""Acceptance audit of issue #4 (Spanish): every trigger, count, date, nationality, organization,
agency, hedge and clutter pattern the issue names, at event level with the real models.

The sentences were written for this audit. Cases marked with ``gap`` are defects the audit found
that need a change under ``src/``: the assertion fails today, and the strict mark turns into a
failure once it is fixed, so that the mark is removed.
"""

from __future__ import annotations

from datetime import date

import pytest

import crimewire
from crimewire.records import ArticleResult, Event

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")

PUBLISHED = "2024-06-14"  # a Friday


def gap(reason: str) -> pytest.MarkDecorator:
    """A gap found by the audit: the assertion fails today (and only the assertion)."""
    return pytest.mark.xfail(strict=True, raises=AssertionError, reason=reason)


def run(text: str) -> ArticleResult:
    result = crimewire.extract(text, published=PUBLISHED)
    assert result.clean.lang == "es"
    return result


def one(text: str, type_: str) -> Event:
    events = run(text).events
    found = [e for e in events if e.type == type_ and not e.background]
    assert len(found) == 1, [(e.type, e.evidence.sentence) for e in events]
    return found[0]


# (sentence, type, count, date, country, a place) — one per trigger the issue names
TRIGGERS = [
    ("Agentes de la Policía capturaron a ocho presuntos extorsionadores en Trujillo el pasado jueves.",
     "arrest", 8, date(2024, 6, 13), "PE", "Trujillo"),
    ("Cuatro integrantes de la banda criminal Los Correcaminos fueron detenidos este martes en Piura.",
     "arrest", 4, date(2024, 6, 11), "PE", "Piura"),
    ("El cabecilla de Los Lobos cayó este martes en Guayaquil tras un operativo de la Policía.",
     "arrest", None, date(2024, 6, 11), "EC", "Guayaquil"),
    ("Un presunto sicario fue abatido por la Policía el domingo en Culiacán.",
     "killing", None, date(2024, 6, 9), "MX", "Culiacán"),
    ("Agentes de la Dirincri rescataron a doce mujeres colombianas en Lima este martes.",
     "rescue", 12, date(2024, 6, 11), "PE", "Lima"),
    ("Los militares liberaron el 28 de diciembre en Tumbes a tres comerciantes.",
     "rescue", 3, date(2023, 12, 28), "PE", "Tumbes"),
    ("Hallaron fosas con restos de siete personas en Zacatecas este lunes.",
     "remains_found", None, date(2024, 6, 10), "MX", "Zacatecas"),
    ("La Policía incautó más de cien kilos de cocaína en el puerto del Callao el pasado jueves.",
     "seizure", None, date(2024, 6, 13), "PE", None),
    ("Los agentes realizaron 15 allanamientos en Rosario este martes.",
     "raid", 15, date(2024, 6, 11), "AR", "Rosario"),
    ("La banda extorsionaba a los transportistas de Comas, según informó la Policía este lunes.",
     "extortion", None, None, "PE", None),
    ("Cinco comerciantes fueron secuestrados este martes en Guayaquil por hombres armados.",
     "kidnapping", 5, date(2024, 6, 11), "EC", "Guayaquil"),
    ("Los cinco detenidos fueron imputados ayer por la Fiscalía por el delito de extorsión.",
     "charge", 5, date(2024, 6, 13), None, None),
    ("Tres integrantes de la MS-13 fueron condenados a 40 años de prisión este lunes en San Salvador.",
     "sentence", 3, date(2024, 6, 10), "SV", "San Salvador"),
    ("México extraditó a 29 narcotraficantes a Estados Unidos el jueves.",
     "extradition", 29, date(2024, 6, 13), "MX", None),
    ("Doce reos se fugaron de la cárcel de Tuluá el pasado jueves.",
     "escape", 12, date(2024, 6, 13), "CO", None),
    ("Un grupo de migrantes fue trasladado ilegalmente por traficantes a través de la frontera con Chile "
     "este martes.", "trafficking", None, date(2024, 6, 11), "CL", None),
    ("Hombres armados atacaron a balazos una comisaría en Cali el lunes, sin dejar heridos.",
     "attack", None, date(2024, 6, 10), "CO", "Cali"),
]


@pytest.mark.parametrize(("text", "type_", "count", "when", "country", "place"), TRIGGERS,
                         ids=[t[1] + "-" + t[0].split()[2] for t in TRIGGERS])
def test_spanish_trigger(text: str, type_: str, count: int | None, when: date | None, country: str | None,
                         place: str | None) -> None:
    event = one(text, type_)
    if count is not None:
        assert event.count is not None and event.count.value == count
    assert (event.date.value if event.date else None) == when
    if country is not None:
        assert event.country == country
    if place is not None:
        assert place in [p.text for p in event.places]


def test_all_fourteen_types_have_a_spanish_trigger_case() -> None:
    assert len({t[1] for t in TRIGGERS}) == 14


def test_place_after_the_patient_is_the_events_place() -> None:
    event = one("Los militares liberaron a tres comerciantes en Tumbes el 28 de diciembre.", "rescue")
    assert [p.text for p in event.places] == ["Tumbes"]


# --------------------------------------------------------------------------- counts, nationalities, groups


@pytest.mark.parametrize(("text", "type_", "count"), [
    ("Un presunto sicario fue abatido por la Policía el domingo en Culiacán.", "killing", 1),
    ("El cabecilla de Los Lobos cayó este martes en Guayaquil tras un operativo de la Policía.", "arrest", 1),
    ("Hallaron fosas con restos de siete personas en Zacatecas este lunes.", "remains_found", 7),
])
def test_spanish_counts_of_one_and_of_remains(text: str, type_: str, count: int) -> None:
    event = one(text, type_)
    assert event.count is not None and event.count.value == count


def test_veintidos_and_mas_de_cien() -> None:
    assert one("La Policía detuvo a veintidós sospechosos en Cali el viernes.", "arrest").count.value == 22  # type: ignore[union-attr]
    assert one("La Policía rescató a más de cien migrantes en Chihuahua el sábado.", "rescue").count.value == 100  # type: ignore[union-attr]


def test_mas_de_cien_keeps_its_qualifier() -> None:
    count = one("La Policía rescató a más de cien migrantes en Chihuahua el sábado.", "rescue").count
    assert count is not None and count.qualifier == "more_than"


def test_una_docena_in_an_event() -> None:
    event = one("La Policía rescató a una docena de mujeres en Lima este martes.", "rescue")
    assert event.count is not None and event.count.value == 12
    assert [p.text for p in event.places] == ["Lima"]


def test_demonym_nouns_give_nationalities() -> None:
    assert one("La Policía detuvo a 22 venezolanos en Lima este martes.", "arrest").nationalities == ("VE",)
    assert one("Agentes de la Dirincri rescataron a doce mujeres colombianas en Lima este martes.",
               "rescue").nationalities == ("CO",)


def test_colombianas_as_the_patient() -> None:
    event = one("La Policía rescató a 12 colombianas en Lima este martes.", "rescue")
    assert event.nationalities == ("CO",)


def test_word_count_before_a_demonym_noun() -> None:
    assert one("La Policía detuvo a veintidós venezolanos en Lima este martes.", "arrest").nationalities == ("VE",)


def test_faction_known_as_and_banda_criminal() -> None:
    faction = one("La Policía detuvo este martes en Lima a 22 integrantes de una facción del Tren de Aragua "
                  "conocida como Los Gallegos.", "arrest")
    assert {"Tren de Aragua", "Los Gallegos"} <= {o.name for o in faction.organizations}
    banda = one("Cuatro integrantes de la banda criminal Los Correcaminos fueron detenidos este martes en Piura.",
                "arrest")
    assert [o.name for o in banda.organizations] == ["Los Correcaminos"]


@pytest.mark.parametrize(("text", "type_", "agency"), [
    ("Agentes de la PNP capturaron a cinco extorsionadores en Trujillo este martes.", "arrest",
     "Policía Nacional del Perú"),
    ("Agentes de la Dirincri rescataron a doce mujeres colombianas en Lima este martes.", "rescue", "Dirincri"),
    ("Los cinco detenidos fueron imputados ayer por la Fiscalía por el delito de extorsión.", "charge", "Fiscalía"),
])
def test_agencies(text: str, type_: str, agency: str) -> None:
    assert agency in one(text, type_).agencies


def test_country_extradites_to_destination_then_person() -> None:
    event = one("Colombia extraditó este martes a Estados Unidos al cabecilla del Clan del Golfo.", "extradition")
    assert event.country == "CO"


def test_segun_informo_gives_the_agency_as_source() -> None:
    event = one("La banda extorsionaba a los transportistas de Comas, según informó la Policía este lunes.",
                "extortion")
    assert event.attribution is not None and event.attribution.source in ("la Policía", "Policía")


# --------------------------------------------------------------------------- hedges


@pytest.mark.parametrize("text", [
    "Los delincuentes habrían secuestrado a dos empresarios en Tumbes.",
    "Un comerciante habría sido asesinado por extorsionadores el lunes en Trujillo, según la Policía.",
    "El cabecilla estaría detenido en Bogotá desde el lunes.",
    "Dos policías estarían secuestrados por la banda en Tumbes desde el lunes.",
])
def test_hedged_happenings_are_not_events(text: str) -> None:
    assert [e.type for e in run(text).events] == []


# --------------------------------------------------------------------------- clutter, end to end


def test_spanish_clutter_is_removed_and_gives_no_event() -> None:
    """Each clutter line carries an event-like sentence: none of them may become an event."""
    text = (
        "La Policía capturó este martes a seis integrantes de Los Pulpos en Trujillo.\n\n"
        "Lea también: Capturan a 40 pandilleros en Arequipa\n\n"
        "Le puede interesar: Rescatan a 30 mineros en Puno\n\n"
        "(Vea también: Incautan dos toneladas de droga en Paita)\n\n"
        "Síguenos en nuestras redes sociales para conocer cómo secuestraron a 12 turistas en Cusco\n\n"
        "Únete a nuestro canal de WhatsApp\n\n"
        "Los detenidos fueron trasladados a la sede de la Dirincri. Foto: Archivo / Andina\n\n"
        "Los detenidos serán puestos a disposición de la Fiscalía."
    )
    result = run(text)
    assert [e.type for e in result.events] == ["arrest"]
    removed = " ".join(r.text for r in result.clean.removed)
    for piece in ("Lea también", "Le puede interesar", "Vea también", "Síguenos", "Únete", "Foto: Archivo"):
        assert piece in removed, piece
    for town in ("Arequipa", "Puno", "Paita", "Cusco"):
        assert town not in result.clean.text
