"""People named plainly — no alias, no title — found by ``find_persons`` with the real models when
the parse of their sentence gives them a role, in English and Spanish; sentences written for these
tests. A person whose role the sentence does not give is not found, even next to a victim.
"""

from __future__ import annotations

import pytest

from crimewire.entities import find_persons
from crimewire.nlp import model_for
from crimewire.settings import Settings

pytestmark = pytest.mark.filterwarnings("ignore::UserWarning")


def persons(text: str, lang: str) -> list[tuple[str, str, str]]:
    """``(text, name, role)`` of every person found, each span checked against the text."""
    doc = model_for(lang, Settings())(text)
    found = find_persons(text, lang, doc)
    for p in found:
        assert text[p.start : p.end] == p.text
    return [(p.text, p.name, p.role) for p in found]


def roles(text: str, lang: str) -> dict[str, str]:
    return {name: role for _, name, role in persons(text, lang)}


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        # an occupation before the name, and what was done to the person
        ("en", "Businessman Tomás Aguirre Vélez was shot dead outside his shop in Machala.", "Tomás Aguirre Vélez"),
        ("en", "Gunmen kidnapped businessman Tomás Aguirre Vélez in Machala on Monday, police said.",
         "Tomás Aguirre Vélez"),
        ("es", "La comerciante Gladys Noemí Huarcaya fue asesinada en su bodega de Chiclayo.", "Gladys Noemí Huarcaya"),
        ("es", "Sicarios asesinaron el jueves a la comerciante Gladys Noemí Huarcaya en Chiclayo.",
         "Gladys Noemí Huarcaya"),
        # "the victim, identified as"
        ("en", "The victim, identified as Rubén Darío Ocampo, was a taxi driver from Soacha.", "Rubén Darío Ocampo"),
        ("es", "La víctima, identificada como Yesenia Paola Marín, tenía 29 años.", "Yesenia Paola Marín"),
        # "the body of"
        ("es", "El cuerpo de Wilmer Antonio Lozada fue hallado en una acequia de Piura.", "Wilmer Antonio Lozada"),
        ("en", "The body of Yesenia Paola Marín was found in a ravine near Tulúa.", "Yesenia Paola Marín"),
        ("es", "Los restos de Wilmer Antonio Lozada fueron entregados a su familia.", "Wilmer Antonio Lozada"),
        # a participle or a relative clause about the person
        ("en", "Kidnapped engineer Héctor Julio Barrera was rescued by soldiers on Friday.", "Héctor Julio Barrera"),
        ("es", "El ingeniero Héctor Julio Barrera, quien había sido secuestrado en mayo, fue liberado.",
         "Héctor Julio Barrera"),
        # found dead, died, lost their life, was left wounded
        ("en", "Diana Patricia Ossa was found dead in her car on Sunday.", "Diana Patricia Ossa"),
        ("es", "Diana Patricia Ossa fue hallada sin vida en su vivienda.", "Diana Patricia Ossa"),
        ("es", "Wilmer Antonio Lozada murió en el hospital regional.", "Wilmer Antonio Lozada"),
        ("es", "Wilmer Antonio Lozada perdió la vida tras el ataque.", "Wilmer Antonio Lozada"),
        ("es", "Wilmer Antonio Lozada resultó gravemente herido en el ataque.", "Wilmer Antonio Lozada"),
        ("es", "Los sicarios dispararon contra Wilmer Antonio Lozada cuando salía de su casa.",
         "Wilmer Antonio Lozada"),
        # "the victim was", a list of victims
        ("en", "The victim was Rubén Darío Ocampo, a 52-year-old farmer.", "Rubén Darío Ocampo"),
        ("es", "La víctima era Rubén Darío Ocampo, un taxista de 40 años.", "Rubén Darío Ocampo"),
    ],
)
def test_a_victim_named_plainly(lang: str, text: str, name: str) -> None:
    assert roles(text, lang) == {name: "victim"}


@pytest.mark.parametrize(
    ("lang", "text", "names"),
    [
        ("en", "Gunmen killed Rubén Darío Ocampo and Diana Patricia Ossa outside a bar.",
         ["Rubén Darío Ocampo", "Diana Patricia Ossa"]),
        ("en", "The victims were Rubén Darío Ocampo and Diana Patricia Ossa.",
         ["Rubén Darío Ocampo", "Diana Patricia Ossa"]),
        ("es", "Los tres comerciantes asesinados son Rubén Darío Ocampo, Diana Patricia Ossa y Wilmer Antonio Lozada.",
         ["Rubén Darío Ocampo", "Diana Patricia Ossa", "Wilmer Antonio Lozada"]),
    ],
)
def test_every_victim_of_a_list(lang: str, text: str, names: list[str]) -> None:
    assert roles(text, lang) == dict.fromkeys(names, "victim")


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "Police arrested Óscar Iván Pacheco in Medellín on Tuesday.", "Óscar Iván Pacheco"),
        ("es", "Los agentes capturaron a Óscar Iván Pacheco en Huancayo.", "Óscar Iván Pacheco"),
        ("es", "La Policía informó de la captura de Óscar Iván Pacheco en Tumbes.", "Óscar Iván Pacheco"),
        ("es", "El detenido, identificado como Óscar Iván Pacheco, fue trasladado a la comisaría.",
         "Óscar Iván Pacheco"),
    ],
)
def test_an_arrested_person_named_plainly_is_not_a_victim(lang: str, text: str, name: str) -> None:
    assert roles(text, lang) == {name: "arrested"}


def test_who_the_one_identified_is_gives_the_role() -> None:
    assert roles("The gunman, identified as Rubén Darío Ocampo, was arrested at the scene.", "en") == {
        "Rubén Darío Ocampo": "arrested"
    }
    assert persons("The gunman, identified as Rubén Darío Ocampo, fled on a motorcycle.", "en") == []


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "Rubén Darío Ocampo, the gang's leader, fled to Venezuela in 2022.", "Rubén Darío Ocampo"),
        ("es", "El cabecilla de la banda, Óscar Iván Pacheco, huyó a Bolivia.", "Óscar Iván Pacheco"),
    ],
)
def test_a_leader_named_plainly(lang: str, text: str, name: str) -> None:
    assert roles(text, lang) == {name: "leader"}


def test_an_official_who_is_killed_is_a_victim() -> None:
    text = "Police officer Rubén Darío Ocampo was shot dead while on patrol."
    assert roles(text, "en") == {"Rubén Darío Ocampo": "victim"}


def test_the_arrested_and_the_victim_of_one_sentence() -> None:
    text = "La Policía capturó a Óscar Iván Pacheco por el asesinato de Gladys Noemí Huarcaya."
    assert roles(text, "es") == {"Óscar Iván Pacheco": "arrested", "Gladys Noemí Huarcaya": "victim"}
    text = "Agentes detuvieron a Óscar Iván Pacheco, sospechoso del crimen de la comerciante Gladys Noemí Huarcaya."
    assert roles(text, "es") == {"Óscar Iván Pacheco": "arrested", "Gladys Noemí Huarcaya": "victim"}


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "Police chief Daniel Brooks Warren said the shopkeeper was kidnapped.", "Daniel Brooks Warren"),
        ("en", "The prosecutor in the case, Ana Beltrán Ríos, said the shopkeeper was shot three times.",
         "Ana Beltrán Ríos"),
        ("es", "El jefe de la policía, Carlos Ruiz Díaz, dijo que la víctima fue secuestrada.", "Carlos Ruiz Díaz"),
        ("es", "El fiscal del caso, Óscar Paredes Lima, afirmó que la víctima fue asesinada.", "Óscar Paredes Lima"),
    ],
)
def test_an_official_next_to_a_victim_is_an_official(lang: str, text: str, name: str) -> None:
    assert roles(text, lang) == {name: "official"}


def test_an_official_and_a_victim_in_one_sentence() -> None:
    text = "Police chief Daniel Brooks Warren said gunmen kidnapped engineer Héctor Julio Barrera on Monday."
    assert roles(text, "en") == {"Daniel Brooks Warren": "official", "Héctor Julio Barrera": "victim"}


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        # near a victim, but the sentence does not make them one
        ("en", "Rubén Darío Ocampo, the victim's brother, told reporters the family wanted justice."),
        ("es", "Ana María Torres, hermana de la víctima, pidió justicia."),
        ("en", "Diana Patricia Ossa, whose son was kidnapped in 2021, led the march."),
        ("es", "La madre de Luis Ángel Cruz denunció que su hijo fue secuestrado."),
        # found, but not dead; in charge, not hurt
        ("en", "Police said Rubén Darío Ocampo was found alive in a house in Cali."),
        ("es", "Wilmer Antonio Lozada quedó a cargo de la investigación."),
        # "a gang chief" is no official, and no victim either
        ("en", "Rubén Darío Ocampo, a gang chief, said nothing."),
    ],
)
def test_no_role_given_no_person(lang: str, text: str) -> None:
    assert persons(text, lang) == []


def test_later_mentions_carry_the_full_name_and_role() -> None:
    text = ("Gunmen shot dead businessman Tomás Aguirre Vélez in Machala on Monday. Aguirre had refused to pay "
            "extortion money, his brother said. Aguirre Vélez was 50.")
    assert persons(text, "en") == [
        ("Tomás Aguirre Vélez", "Tomás Aguirre Vélez", "victim"),
        ("Aguirre", "Tomás Aguirre Vélez", "victim"),
        ("Aguirre Vélez", "Tomás Aguirre Vélez", "victim"),
    ]
    text = ("Sicarios asesinaron a la comerciante Gladys Noemí Paz en Chiclayo. Paz había denunciado extorsiones "
            "antes de viajar a La Paz.")
    assert persons(text, "es") == [
        ("Gladys Noemí Paz", "Gladys Noemí Paz", "victim"),
        ("Paz", "Gladys Noemí Paz", "victim"),
    ]


def test_a_word_of_a_name_inside_another_name_is_not_that_person() -> None:
    text = "Gunmen killed Marco Antonio Isaza in Cali. Antonio Guterres condemned the attack."
    assert persons(text, "en") == [("Marco Antonio Isaza", "Marco Antonio Isaza", "victim")]


def test_without_a_parse_only_aliases_and_titles_are_found() -> None:
    text = "Gunmen kidnapped businessman Tomás Aguirre Vélez in Machala on Monday, police said."
    assert find_persons(text, "en") == ()


@pytest.mark.parametrize(
    ("lang", "text", "names"),
    [
        ("es", "Entre las víctimas se encuentra María Fernanda López, de 34 años.", ["María Fernanda López"]),
        ("es", "Entre los muertos está el comerciante Rubén Darío Ocampo.", ["Rubén Darío Ocampo"]),
        ("en", "Among the victims was María Fernanda López, a 34-year-old teacher.", ["María Fernanda López"]),
        ("en", "Among the victims is Rubén Darío Ocampo, a local farmer.", ["Rubén Darío Ocampo"]),
        ("en", "Among the dead were Rubén Darío Ocampo and Diana Patricia Ossa.",
         ["Rubén Darío Ocampo", "Diana Patricia Ossa"]),
        ("es", "Las víctimas fueron identificadas como María Fernanda López y Rubén Darío Ocampo.",
         ["María Fernanda López", "Rubén Darío Ocampo"]),
        ("en", "The victims were identified as María Fernanda López and Rubén Darío Ocampo.",
         ["María Fernanda López", "Rubén Darío Ocampo"]),
    ],
)
def test_a_person_among_the_victims_is_a_victim(lang: str, text: str, names: list[str]) -> None:
    assert roles(text, lang) == dict.fromkeys(names, "victim")


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Among the mourners was Rubén Darío Ocampo, the victim's cousin."),
        ("es", "Entre los asistentes al funeral estaba Rubén Darío Ocampo, primo de la víctima."),
    ],
)
def test_a_person_among_others_than_victims_is_not_one(lang: str, text: str) -> None:
    assert persons(text, lang) == []


@pytest.mark.parametrize(
    ("lang", "text", "alias"),
    [
        # a nickname after "alias" stops before the verb and the determiner that follow it
        ("es", "Alias Bigote había sido detenido en 2019 por la policía de Cali.", "Bigote"),
        ("es", "Según la fiscalía, alias Chirri recibió una condena de 20 años.", "Chirri"),
        ("en", "Alias Chirri was arrested at a checkpoint in Cúcuta on Friday.", "Chirri"),
        # a headline in title case: the parse says where the nickname ends
        ("es", "Cae Alias Bigote En Cali Tras Dos Años Prófugo", "Bigote"),
        # a nickname of two capitalized words is kept whole
        ("es", "La policía capturó a alias La Tuta en una finca de Michoacán.", "La Tuta"),
    ],
)
def test_a_nickname_stops_before_verbs_and_determiners(lang: str, text: str, alias: str) -> None:
    doc = model_for(lang, Settings())(text)
    found = find_persons(text, lang, doc)
    assert [(p.name, p.alias) for p in found] == [(alias, alias)]
    assert text[found[0].end - len(alias) : found[0].end] == alias


@pytest.mark.parametrize(
    ("lang", "text", "name"),
    [
        ("en", "President Gustavo Petro's office said the kidnapped soldiers were freed.", "Gustavo Petro"),
        ("en", "Prosecutor Ana Beltrán Ríos’s team charged the gunman on Monday.", "Ana Beltrán Ríos"),
        # an apostrophe inside a name stays
        ("en", "Detective Kevin O'Brien's report named the gunman.", "Kevin O'Brien"),
    ],
)
def test_a_possessive_is_not_part_of_a_name(lang: str, text: str, name: str) -> None:
    assert persons(text, lang) == [(name, name, "official")]
