"""Entity finders on hand-written English and Spanish sentences, traps included."""

from __future__ import annotations

import pytest

from crimewire.entities import (
    demonym_country,
    find_agencies,
    find_nationalities,
    find_organizations,
    find_persons,
    sentence_spans,
)
from crimewire.kb import KnowledgeBase


def orgs(text: str, lang: str, kb: KnowledgeBase) -> dict[str, str | None]:
    found = find_organizations(text, lang, kb)
    for m in found:
        assert text[m.start : m.end] == m.text
    return {m.name: m.parent for m in found}


# --------------------------------------------------------------------------- organizations


def test_known_groups_get_canonical_names_and_parents(kb: KnowledgeBase) -> None:
    text = "Police detained 14 alleged members of Hijos de Dios, the Aragua Train's most violent cell."
    assert orgs(text, "en", kb) == {"Los Hijos de Dios": "Tren de Aragua", "Tren de Aragua": None}


def test_gulf_cartel_is_not_clan_del_golfo(kb: KnowledgeBase) -> None:
    en = "A former Gulf Cartel boss was extradited, while the Gulf Clan kept shipping cocaine from Urabá."
    assert set(orgs(en, "en", kb)) == {"Gulf Cartel", "Clan del Golfo"}
    es = "El Cártel del Golfo opera en Tamaulipas; el Clan del Golfo, en Antioquia."
    assert set(orgs(es, "es", kb)) == {"Gulf Cartel", "Clan del Golfo"}


def test_tren_maya_is_not_a_group(kb: KnowledgeBase) -> None:
    text = "El Tren Maya recibió a 3.000 pasajeros en su primera semana y el tren llegó puntual a Mérida."
    assert find_organizations(text, "es", kb) == ()


def test_bands_series_and_economics_are_not_groups(kb: KnowledgeBase) -> None:
    text = (
        "The rappers of Cartel de Santa toured Spain while viewers binged El Cártel de los Sapos. "
        "OPEC, often called an oil cartel, met in Vienna."
    )
    assert find_organizations(text, "en", kb) == ()


def test_lowercase_acronym_in_a_caption_is_not_a_hit(kb: KnowledgeBase) -> None:
    caption = "pcc startup raises funds for grocery delivery. Photo: handout"
    assert find_organizations(caption, "en", kb) == ()
    text = "Prosecutors say the PCC gang runs the drug trade from prison cells in São Paulo."
    assert set(orgs(text, "en", kb)) == {"PCC"}


def test_short_acronym_needs_context(kb: KnowledgeBase) -> None:
    assert find_organizations("Applicants should email a CV and a cover letter by Friday.", "en", kb) == ()
    text = "Comando Vermelho (CV) lost control of the hill; CV leaders fled."
    assert [m.name for m in find_organizations(text, "en", kb)] == ["Comando Vermelho"] * 3


def test_mixed_case_acronym_needs_no_context(kb: KnowledgeBase) -> None:
    assert set(orgs("El TdA se expandió hacia Arica.", "es", kb)) == {"Tren de Aragua"}


def test_mexican_sinaloa_cartel_alias(kb: KnowledgeBase) -> None:
    for text in ("He worked for the Mexican sinaloa cartel.", "He worked for the Sinaloa drug cartel."):
        assert set(orgs(text, "en", kb)) == {"Sinaloa Cartel"}


def test_ms13_spellings(kb: KnowledgeBase) -> None:
    text = "La Mara Salvatrucha (MS13) y la MS-13 son la misma pandilla."
    assert set(orgs(text, "es", kb)) == {"MS-13"}


def test_discovery_english_cues(kb: KnowledgeBase) -> None:
    text = (
        "The hostages were taken by a gang called Grand Ravine Boys. "
        'Six men were charged as members of a racketeering enterprise known as "Eastside Locos 13".'
    )
    found = find_organizations(text, "en", kb)
    assert {(m.name, m.known) for m in found} == {("Grand Ravine Boys", False), ("Eastside Locos 13", False)}
    assert all(m.rule == "en.called" for m in found)


def test_discovery_english_apposition(kb: KnowledgeBase) -> None:
    text = (
        "Officers arrested the leader of the criminal organization Los Malditos del Puerto on Tuesday. "
        "The drug trafficking group 'Red Lantern' was also named. The criminal group that police "
        "dismantled had no name."
    )
    found = find_organizations(text, "en", kb)
    assert [(m.name, m.known, m.rule) for m in found] == [
        ("Los Malditos del Puerto", False, "en.group_apposition"),
        ("Red Lantern", False, "en.group_apposition"),
    ]


def test_discovery_spanish_cues(kb: KnowledgeBase) -> None:
    text = "La banda criminal “Los Halcones del Norte” cobraba cupos en Chiclayo y la policía capturó a seis."
    found = find_organizations(text, "es", kb)
    assert [(m.name, m.known, m.rule) for m in found] == [
        ("Los Halcones del Norte", False, "es.banda_criminal")
    ]


def test_alias_is_not_a_group(kb: KnowledgeBase) -> None:
    text = "Fue capturado alias 'El Flaco', que lideraba la banda."
    assert find_organizations(text, "es", kb) == ()


def test_faction_statement_sets_parent(kb: KnowledgeBase) -> None:
    text = "Police arrested members of Los Piratas del Sur, a faction of Tren de Aragua, in Arica."
    assert orgs(text, "en", kb) == {"Los Piratas del Sur": "Tren de Aragua", "Tren de Aragua": None}
    es = "Una facción del Tren de Aragua conocida como Los Trenes del Sur extorsionaba a comerciantes."
    assert orgs(es, "es", kb)["Los Trenes del Sur"] == "Tren de Aragua"


def test_substructure_parent_is_the_preceding_group(kb: KnowledgeBase) -> None:
    text = "El Ejército golpeó al Clan del Golfo, subestructura ‘Héroes del Sinú’, en Córdoba."
    assert orgs(text, "es", kb) == {"Clan del Golfo": None, "Héroes del Sinú": "Clan del Golfo"}


def test_stated_parent_of_a_known_group_without_one(kb: KnowledgeBase) -> None:
    text = "The Trinitarios, an offshoot of Tren de Aragua in Chile, ran the extortion ring."
    assert orgs(text, "en", kb)["Trinitarios"] == "Tren de Aragua"


def test_named_gang_suffix(kb: KnowledgeBase) -> None:
    text = "A shootout between the Venezuelan gang and the Barrio Norte gang left three dead."
    found = find_organizations(text, "en", kb)
    assert [(m.name, m.rule) for m in found] == [("Barrio Norte", "en.named_gang")]


# --------------------------------------------------------------------------- agencies


def agencies(text: str, lang: str, kb: KnowledgeBase) -> list[tuple[str, str, str | None]]:
    found = find_agencies(text, lang, kb)
    for a in found:
        assert text[a.start : a.end] == a.text
    return [(a.name, a.kind, a.country) for a in found]


def test_demonym_agency_keeps_written_name_and_country(kb: KnowledgeBase) -> None:
    assert agencies("Peruvian police arrested nine suspects.", "en", kb) == [
        ("Peruvian police", "police", "PE")
    ]
    assert agencies("La policía peruana detuvo a nueve sospechosos.", "es", kb) == [
        ("policía peruana", "police", "PE")
    ]


def test_possessive_country_agency(kb: KnowledgeBase) -> None:
    found = agencies(
        "Colombia's coast guard and Ecuador’s Attorney General’s Office seized the boat.", "en", kb
    )
    assert ("Colombia's coast guard", "military", "CO") in found
    assert ("Ecuador’s Attorney General’s Office", "prosecutor", "EC") in found


def test_head_phrases_kept_in_full(kb: KnowledgeBase) -> None:
    es = "El Tribunal Oral en lo Penal de Temuco condenó a 12 personas."
    assert agencies(es, "es", kb) == [("Tribunal Oral en lo Penal de Temuco", "court", None)]
    en = (
        "According to the Attorney General's Office in the Mexican state of Sonora, the graves held 9 bodies."
    )
    assert agencies(en, "en", kb) == [
        ("Attorney General's Office in the Mexican state of Sonora", "prosecutor", "MX")
    ]
    unit = "Officers of the Anti-Kidnapping Task Force and the Marine Police Unit freed the boy."
    assert [a[0] for a in agencies(unit, "en", kb)] == ["Anti-Kidnapping Task Force", "Marine Police Unit"]


def test_acronym_after_name_is_the_same_agency(kb: KnowledgeBase) -> None:
    text = (
        "La Unidad Especial contra Secuestros (UECS) liberó al rehén. "
        "Según la UECS, el rescate duró dos horas."
    )
    found = find_agencies(text, "es", kb)
    assert [(a.text, a.name) for a in found] == [
        ("Unidad Especial contra Secuestros (UECS)", "Unidad Especial contra Secuestros"),
        ("UECS", "Unidad Especial contra Secuestros"),
    ]


def test_lexicon_agencies(kb: KnowledgeBase) -> None:
    assert agencies("Colombia's Navy seized the boat.", "en", kb) == [
        ("Armada de Colombia", "military", "CO")
    ]
    text = "Agents of the PNP and the DEA, with HSI support, raided the port."
    assert [a[0] for a in agencies(text, "en", kb)] == [
        "Policía Nacional del Perú",
        "DEA",
        "Homeland Security Investigations",
    ]


def test_bare_police_but_not_police_officers(kb: KnowledgeBase) -> None:
    assert agencies("The police said the raid ended at dawn.", "en", kb) == [("police", "police", None)]
    assert agencies("Two police officers were wounded.", "en", kb) == []
    assert agencies("Un policía resultó herido.", "es", kb) == []


def test_groups_are_not_agencies(kb: KnowledgeBase) -> None:
    text = "El Ejército de Liberación Nacional atacó una base."
    assert find_agencies(text, "es", kb) == ()


# --------------------------------------------------------------------------- nationalities


def codes(text: str, lang: str, kb: KnowledgeBase) -> list[str]:
    return [n.country for n in find_nationalities(text, lang, kb)]


@pytest.mark.parametrize(
    ("text", "lang", "expected"),
    [
        ("Police arrested three Venezuelans and a Colombian national.", "en", ["VE", "CO"]),
        (
            "The women, of Colombian, Venezuelan and Peruvian nationalities, were freed.",
            "en",
            ["CO", "VE", "PE"],
        ),
        ("Among the detainees were 12 Venezuelan citizens.", "en", ["VE"]),
        ("A Mexican who ran the plaza was sentenced.", "en", ["MX"]),
        ("Canadian and U.S. missionaries were kidnapped.", "en", ["CA", "US"]),
        (
            "Dos de nacionalidad boliviana y tres de nacionalidad paraguaya fueron detenidos.",
            "es",
            ["BO", "PY"],
        ),
        ("Nueve de las víctimas eran colombianos.", "es", ["CO"]),
        ("Detuvieron a cuatro ciudadanos venezolanos y a dos hondureñas.", "es", ["VE", "HN"]),
    ],
)
def test_demonyms_of_people(kb: KnowledgeBase, text: str, lang: str, expected: list[str]) -> None:
    assert codes(text, lang, kb) == expected


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Peruvian police raided the house.", "en"),
        ("The Venezuelan state of Zulia borders Colombia.", "en"),
        ("A Mexican cartel controls the route.", "en"),
        ("The gang, of Venezuelan origin, spread south.", "en"),
        ("They were handed to the Ecuadorian National Police.", "en"),
        ("Six Mexican police officers died in the ambush.", "en"),
        ("La policía peruana y las autoridades ecuatorianas coordinaron el operativo.", "es"),
        ("Es una organización criminal de origen venezolano.", "es"),
        ("El Estado colombiano respondió.", "es"),
    ],
)
def test_demonyms_not_of_people(kb: KnowledgeBase, text: str, lang: str) -> None:
    assert codes(text, lang, kb) == []


def test_demonym_country(kb: KnowledgeBase) -> None:
    assert demonym_country("Peruvian", "en", kb) == "PE"
    assert demonym_country("salvadoreñas", "es", kb) == "SV"
    assert demonym_country("Martian", "en", kb) is None


# --------------------------------------------------------------------------- persons


def persons(text: str, lang: str, kb: KnowledgeBase) -> list[tuple[str, str | None, str]]:
    found = find_persons(text, lang, kb=kb)
    for p in found:
        assert text[p.start : p.end] == p.text
    return [(p.name, p.alias, p.role) for p in found]


def test_person_with_alias_and_role(kb: KnowledgeBase) -> None:
    text = "Police arrested Ramiro Quispe Mamani, alias Chato, in Puno."
    assert persons(text, "en", kb) == [("Ramiro Quispe Mamani", "Chato", "arrested")]


def test_person_with_inline_nickname(kb: KnowledgeBase) -> None:
    text = "The cartel was led by Eduardo “El Tigre” Salas-Vega until 2019."
    assert persons(text, "en", kb) == [("Eduardo Salas-Vega", "El Tigre", "leader")]


def test_bare_aliases(kb: KnowledgeBase) -> None:
    text = "Los capturados serían alias ‘Cuervo’ y alias ‘Tuerto’, sicarios de la banda."
    assert persons(text, "es", kb) == [("Cuervo", "Cuervo", "arrested"), ("Tuerto", "Tuerto", "arrested")]
    text2 = "Conocidos como “Pipo” y “Lalo”, los dos hombres fueron detenidos en flagrancia."
    assert [p[0] for p in persons(text2, "es", kb)] == ["Pipo", "Lalo"]


def test_titled_official(kb: KnowledgeBase) -> None:
    text = "El coronel Mauricio Andrade Ruiz informó que la víctima fue liberada."
    assert persons(text, "es", kb) == [("Mauricio Andrade Ruiz", None, "official")]


def test_group_names_are_not_people(kb: KnowledgeBase) -> None:
    text = "Una facción conocida como Los Trenes del Sur y un grupo conocido como Los Halcones atacaron."
    assert persons(text, "es", kb) == []


# --------------------------------------------------------------------------- helpers


def test_sentence_spans_without_doc() -> None:
    text = "First one. Second one!\nThird"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["First one.", "Second one!", "Third"]


def test_weak_cues_skip_places(kb: KnowledgeBase) -> None:
    text = "Detectives arrested members of Los Alamitos and a Tijuana gang member."
    assert [m.name for m in find_organizations(text, "en", kb)] == ["Los Alamitos"]
    places = {"los alamitos", "tijuana"}
    assert find_organizations(text, "en", kb, is_place=lambda n: n.lower() in places) == ()


@pytest.mark.parametrize(
    ("text", "name", "parent"),
    [
        ("Un juez condenó a dos integrantes de la subestructura Frente Norte Grande del Clan del Golfo.",
         "Frente Norte Grande", "Clan del Golfo"),
        ("La Fiscalía imputó a alias Toro, cabecilla de la estructura Bloque Pacífico Sur de la Mara Salvatrucha.",
         "Bloque Pacífico Sur", "MS-13"),
    ],
)
def test_unquoted_unit_name_stops_at_its_owner(text: str, name: str, parent: str, kb: KnowledgeBase) -> None:
    """A unit named without quotes runs on into its owner ("... del Clan del Golfo"): the name ends
    before the connector and the owner becomes the parent."""
    assert orgs(text, "es", kb).get(name) == parent


def test_numbered_front_in_lowercase(kb: KnowledgeBase) -> None:
    """"el frente 33 de las disidencias": Colombian outlets write numbered fronts in lowercase."""
    found = orgs("El ataque fue perpetrado por el frente 33 de las disidencias de las Farc.", "es", kb)
    assert "Frente 33" in found and "FARC dissidents" in found
