"""Parsing counts of people and quantities of seized things (en, es)."""

from __future__ import annotations

import pytest

from crimewire.counts import (
    find_count_phrases,
    find_quantities,
    find_quantity_mentions,
    parse_count,
    parse_number,
    parse_quantity,
    singular_count,
)
from crimewire.records import CountValue, Quantity


def counts(text: str, lang: str) -> list[tuple[str, int | None]]:
    return [(m.text, m.value.value) for m in find_count_phrases(text, lang)]


# --------------------------------------------------------------------------- parse_count


@pytest.mark.parametrize(
    ("phrase", "lang", "value"),
    [
        ("22", "en", 22),
        ("1,000", "en", 1000),
        ("1.000", "es", 1000),
        ("1,000", "es", 1000),  # Mexican usage
        ("10 mil", "es", 10000),
        ("2.5 million", "en", 2500000),
        ("1,5 millones", "es", 1500000),
        ("twenty-two", "en", 22),
        ("twenty two", "en", 22),
        ("one hundred and five", "en", 105),
        ("veintidós", "es", 22),
        ("veintidos", "es", 22),
        ("veintitres", "es", 23),
        ("treinta y un", "es", 31),
        ("ciento veinte", "es", 120),
        ("a dozen", "en", 12),
        ("una docena", "es", 12),
        ("half a dozen", "en", 6),
        ("media docena", "es", 6),
        ("two dozen", "en", 24),
        ("a hundred", "en", 100),
        ("both", "en", 2),
        ("ambos", "es", 2),
        ("ambas", "es", 2),
        ("a pair of", "en", 2),
        ("un par de", "es", 2),
        ("Seis", "es", 6),
    ],
)
def test_exact_counts(phrase: str, lang: str, value: int) -> None:
    got = parse_count(phrase, lang)
    assert got is not None
    assert got.value == value


@pytest.mark.parametrize(
    ("phrase", "lang", "value", "qualifier"),
    [
        ("more than 100", "en", 100, "more_than"),
        ("over 80", "en", 80, "more_than"),
        ("Más de cien", "es", 100, "more_than"),
        ("más de una decena", "es", 10, "more_than"),
        ("at least 162", "en", 162, "at_least"),
        ("al menos 5", "es", 5, "at_least"),
        ("por lo menos treinta", "es", 30, "at_least"),
        ("nearly 30", "en", 30, "about"),
        ("almost 40", "en", 40, "about"),
        ("some 5,000", "en", 5000, "about"),
        ("about 20", "en", 20, "about"),
        ("around fifteen", "en", 15, "about"),
        ("cerca de 30", "es", 30, "about"),
        ("alrededor de 40", "es", 40, "about"),
        ("unos 40", "es", 40, "about"),
        ("una decena", "es", 10, "about"),
        ("un centenar", "es", 100, "about"),
        ("up to 20", "en", 20, "up_to"),
        ("hasta 20", "es", 20, "up_to"),
        ("fewer than 10", "en", 10, "fewer_than"),
        ("menos de diez", "es", 10, "fewer_than"),
    ],
)
def test_qualified_counts(phrase: str, lang: str, value: int, qualifier: str) -> None:
    assert parse_count(phrase, lang) == CountValue(value, qualifier, phrase)


@pytest.mark.parametrize(
    ("phrase", "lang"),
    [
        ("dozens", "en"),
        ("scores", "en"),
        ("hundreds", "en"),
        ("several", "en"),
        ("decenas", "es"),
        ("cientos", "es"),
        ("múltiples", "es"),
        ("varios", "es"),
        ("varias decenas", "es"),
    ],
)
def test_vague_counts_have_no_value_and_a_note(phrase: str, lang: str) -> None:
    got = parse_count(phrase, lang)
    assert got is not None
    assert got.value is None
    assert got.note == f"vague quantity: {phrase.lower()}"


def test_parse_count_reads_first_number_of_a_longer_phrase() -> None:
    assert parse_count("22 people, including several Venezuelans", "en") == CountValue(22, "exact", "22")
    assert parse_count("arrested dozens of suspects", "en") == CountValue(
        None, "about", "dozens", "vague quantity: dozens"
    )


def test_parse_count_rejects_non_counts() -> None:
    assert parse_count("a Mexican national", "en") is None
    assert parse_count("una mujer", "es") is None
    assert parse_count("5.4", "en") is None  # not a whole number
    assert parse_count("no number here", "en") is None
    assert parse_count("22", "fr") is None


def test_over_after_a_verb_is_a_particle() -> None:
    got = parse_count("police handed over 10 suspects", "en")
    assert got == CountValue(10, "exact", "10")


def test_singular_count() -> None:
    assert singular_count("a Mexican national") == CountValue(1, "exact", "a")
    assert singular_count("an alleged leader") == CountValue(1, "exact", "an")
    assert singular_count("una mujer venezolana", "es") == CountValue(1, "exact", "una")
    assert singular_count("a dozen men") == CountValue(12, "exact", "a dozen")
    assert singular_count("two men") == CountValue(2, "exact", "two")
    assert singular_count("the man") is None


def test_parse_number() -> None:
    assert parse_number("1.000", "es") == 1000
    assert parse_number("1.000", "en") == 1.0  # English dot is decimal
    assert parse_number("veintidos", "es") == 22
    assert parse_number("5.4", "en") == 5.4
    assert parse_number("2,5", "es") == 2.5
    assert parse_number("1.234.567", "es") == 1234567
    assert parse_number("1.234,5", "es") == 1234.5
    assert parse_number("dozens", "en") is None


# --------------------------------------------------------------------------- find_count_phrases


def test_finds_counts_in_english_sentences() -> None:
    text = (
        "Police detained 23 suspects and freed more than 100 women, among them three minors, "
        "while dozens of officers searched twenty-two homes."
    )
    assert counts(text, "en") == [
        ("23", 23),
        ("more than 100", 100),
        ("three", 3),
        ("dozens", None),
        ("twenty-two", 22),
    ]
    m = find_count_phrases(text, "en")[1]
    assert text[m.start : m.end] == "more than 100"


def test_finds_counts_in_spanish_sentences() -> None:
    text = (
        "Cinco personas fueron capturadas y al menos 40 mujeres rescatadas; decenas de agentes participaron."
    )
    assert counts(text, "es") == [("Cinco", 5), ("al menos 40", 40), ("decenas", None)]


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The group was founded in 2014 in Aragua.", "en"),
        ("2019 was a violent year.", "en"),
        ("The search began at 10.20am and ended at 2 p.m.", "en"),
        ("El penal abrió a las 7 de la mañana.", "es"),
        ("abierto al público a las 7:13", "es"),
        ("They demanded $4000 and 600 million pesos.", "en"),
        ("exigían 600 millones de pesos y 50 mil soles", "es"),
        ("Homicides rose 12% and arrests 5 percent.", "en"),
        ("Call 555-1234 or +51 1 234 5678 with tips.", "en"),
        ("Tuesday's sweep was phase two of the operation.", "en"),
        ("A 21-year-old man was detained.", "en"),
        ("Un joven de 29 años fue detenido.", "es"),
        ("Fue condenado a 90 años de cárcel.", "es"),
        ("He spent 13 years in prison.", "en"),
        ("The kidnappings happened on January 23.", "en"),
        ("El ataque ocurrió el 29 de enero.", "es"),
        ("Los hechos del jueves 5 fueron graves.", "es"),
        ("Members of Barrio 18 and MS-13 clashed.", "en"),
        ("Jorge Costilla, 51, was sentenced.", "en"),
        ("Those arrested are between 29 and 38 years old.", "en"),
        ("The graves lie four miles below the border.", "en"),
        ("They seized 5.4 tonnes of cocaine.", "en"),
        ("No one was hurt.", "en"),
        ("the 2nd and 3rd floors", "en"),
        ("a five-day operation", "en"),
        ("Se reportaron penas de 44, 39 y 32 años.", "es"),
        ("The suspects, aged between 20 and 35, were held.", "en"),
        ("Los robos subieron un 15 por ciento.", "es"),
    ],
)
def test_skips_numbers_that_are_not_counts(text: str, lang: str) -> None:
    assert counts(text, lang) == []


def test_four_digit_figure_before_a_plural_noun_is_a_count() -> None:
    assert counts("Más de 2000 personas marcharon.", "es") == [("Más de 2000", 2000)]
    assert counts("Police deployed 1500 officers.", "en") == [("1500", 1500)]


def test_unknown_language_gives_nothing() -> None:
    assert find_count_phrases("22 people", "fr") == ()


# --------------------------------------------------------------------------- quantities


@pytest.mark.parametrize(
    ("phrase", "lang", "expected"),
    [
        ("5.4 tonnes of cocaine", "en", ("cocaine", 5.4, "t")),
        ("480 kilos de cocaína", "es", ("cocaine", 480.0, "kg")),
        ("1.1kg of cocaine", "en", ("cocaine", 1.1, "kg")),
        ("48 firearms", "en", ("firearms", 48.0, "units")),
        ("15 firearms", "en", ("firearms", 15.0, "units")),
        ("more than $4000 in cash", "en", ("cash", 4000.0, "USD")),
        ("€141,000 in cash", "en", ("cash", 141000.0, "EUR")),
        ("500 dosis de estupefacientes", "es", ("drugs", 500.0, "doses")),
        ("un arma de fuego", "es", ("firearms", 1.0, "units")),
        ("300 kilogramos de marihuana", "es", ("marijuana", 300.0, "kg")),
        ("81 sacks", "en", ("sacks", 81.0, "units")),
        ("147 sacks of cocaine", "en", ("cocaine", 147.0, "sacks")),
        ("tres fusiles", "es", ("rifles", 3.0, "units")),
        ("más de 200 cartuchos útiles", "es", ("ammunition", 200.0, "units")),
        ("dos vehículos", "es", ("vehicles", 2.0, "units")),
        ("2,5 toneladas de cocaína", "es", ("cocaine", 2.5, "t")),
        ("5.400 kilos de marihuana", "es", ("marijuana", 5400.0, "kg")),
        ("a kilo of heroin", "en", ("heroin", 1.0, "kg")),
        ("50 mil soles", "es", ("money", 50000.0, "PEN")),
        ("US$ 20.000 en efectivo", "es", ("cash", 20000.0, "USD")),
        ("$2.5 million in cash", "en", ("cash", 2500000.0, "USD")),
        ("12 pistolas", "es", ("pistols", 12.0, "units")),
    ],
)
def test_parse_quantity(phrase: str, lang: str, expected: tuple[str, float, str]) -> None:
    q = parse_quantity(phrase, lang)
    assert q is not None
    assert (q.item, q.amount, q.unit) == expected
    assert q.text == phrase


def test_parse_quantity_bare_item() -> None:
    assert parse_quantity("cocaine", "en") == Quantity("cocaine", None, None, "cocaine")
    assert parse_quantity("dinero en efectivo", "es") == Quantity("cash", None, None, "dinero en efectivo")
    assert parse_quantity("nothing seized", "en") is None


def test_find_quantities_in_a_sentence() -> None:
    text = "The operation produced 74 arrests and the seizure of 15 firearms and almost $900,000 in cash."
    assert [(q.item, q.amount, q.unit) for q in find_quantities(text, "en")] == [
        ("firearms", 15.0, "units"),
        ("cash", 900000.0, "USD"),
    ]


def test_value_of_drugs_is_not_seized_money() -> None:
    text = "Authorities confiscated 5.4 tonnes of cocaine valued at $185 million."
    assert [q.item for q in find_quantities(text, "en")] == ["cocaine"]
    text = "decomisaron 2 toneladas de cocaína avaluadas en 50 millones de dólares"
    assert [q.item for q in find_quantities(text, "es")] == ["cocaine"]


def test_noun_modifier_is_not_an_item() -> None:
    assert find_quantities("Two drug traffickers were held.", "en") == ()
    assert [q.item for q in find_quantities("They found a gun and two phones.", "en")] == [
        "firearms",
        "phones",
    ]


def test_bare_items_only_when_asked() -> None:
    text = "Los agentes decomisaron un arma de fuego, municiones, droga y dos celulares."
    assert [(q.item, q.amount) for q in find_quantities(text, "es")] == [("firearms", 1.0), ("phones", 2.0)]
    assert [(q.item, q.amount) for q in find_quantities(text, "es", bare_items=True)] == [
        ("firearms", 1.0),
        ("ammunition", None),
        ("drugs", None),
        ("phones", 2.0),
    ]


def test_quantity_mentions_have_offsets() -> None:
    text = "Se incautaron 500 dosis de estupefacientes."
    (m,) = find_quantity_mentions(text, "es")
    assert text[m.start : m.end] == "500 dosis de estupefacientes" == m.text
