"""Gazetteer: resolving place names (English and Spanish) and finding places in text."""

from __future__ import annotations

import pytest

from crimewire.gazetteer import Gazetteer, contains, country_name, fold, load_gazetteer, same_area


@pytest.fixture(scope="module")
def g() -> Gazetteer:
    return load_gazetteer()


def test_fold_removes_accents_case_and_punctuation() -> None:
    assert fold("Junín") == fold("JUNIN") == "junin"
    assert fold("EE.UU.") == "ee uu"
    assert fold("Port-au-Prince") == "port au prince"


def test_load_is_cached(g: Gazetteer) -> None:
    assert load_gazetteer() is g


@pytest.mark.parametrize(
    ("written", "kind", "country", "region"),
    [
        ("Junín", "region", "PE", "PE-JUN"),
        ("Junin", "region", "PE", "PE-JUN"),  # accent-insensitive
        ("Lambayeque", "region", "PE", "PE-LAM"),
        ("Chiclayo", "city", "PE", "PE-LAM"),
        ("Reynosa", "city", "MX", "MX-TAM"),
        ("Guayaquil", "city", "EC", "EC-G"),
        ("Medellín", "city", "CO", "CO-ANT"),
        ("Sinaloa", "region", "MX", "MX-SIN"),
        ("Querétaro", "region", "MX", "MX-QUE"),
        ("NSW", "region", "AU", "AU-NSW"),
        ("Edomex", "region", "MX", "MX-MEX"),
        ("CDMX", "region", "MX", "MX-CMX"),
        # qualified by a state, a state's abbreviation or a country
        ("Durango state", "region", "MX", "MX-DUR"),
        ("the Mexican state of Tamaulipas", "region", "MX", "MX-TAM"),
        ("estado de Jalisco", "region", "MX", "MX-JAL"),
        ("Brownsville, Texas", "city", "US", "US-TX"),
        ("Culiacán, Sin.", "city", "MX", "MX-SIN"),
        ("Medellín, Colombia", "city", "CO", "CO-ANT"),
    ],
)
def test_resolve_without_hint(g: Gazetteer, written: str, kind: str, country: str, region: str) -> None:
    m = g.resolve(written)
    assert m is not None
    assert (m.kind, m.country, m.region) == (kind, country, region)
    assert m.text == written and m.start == m.end == 0
    assert m.lat is not None and m.lon is not None


def test_region_carries_name_and_reference_point(g: Gazetteer) -> None:
    m = g.resolve("La Libertad", country_hint="PE")
    assert m is not None and m.region == "PE-LAL" and m.region_name == "La Libertad"
    # its capital, Trujillo, on Peru's north coast
    assert m.lat is not None and -9 < m.lat < -7 and m.lon is not None and -80 < m.lon < -78


def test_city_carries_geonames_id_and_region(g: Gazetteer) -> None:
    m = g.resolve("Chiclayo")
    assert m is not None and m.geonameid is not None and m.city == "Chiclayo"
    assert m.region_name == "Lambayeque"


def test_country_hint_picks_the_local_namesake(g: Gazetteer) -> None:
    mx = g.resolve("Concordia", country_hint="MX")
    assert mx is not None and (mx.country, mx.region) == ("MX", "MX-SIN")
    plain = g.resolve("Concordia")
    assert plain is not None and plain.country == "AR"  # the biggest Concordia
    es = g.resolve("Valencia", country_hint="ES")
    assert es is not None and (es.kind, es.country) == ("city", "ES")
    ve = g.resolve("Valencia", country_hint="VE")
    assert ve is not None and ve.country == "VE"


def test_hint_does_not_turn_a_capital_into_a_hamlet(g: Gazetteer) -> None:
    m = g.resolve("Buenos Aires", country_hint="PE")
    assert m is not None and m.country == "AR"


def test_region_beats_small_same_named_town_but_not_big_city(g: Gazetteer) -> None:
    junin = g.resolve("Junín")
    assert junin is not None and junin.kind == "region"
    lima = g.resolve("Lima")
    assert lima is not None and (lima.kind, lima.country) == ("city", "PE")
    sao_paulo = g.resolve("São Paulo")
    assert sao_paulo is not None and sao_paulo.kind == "city" and sao_paulo.region == "BR-SP"


def test_country_beats_city_of_the_same_name(g: Gazetteer) -> None:
    for written in ("Panamá", "Guatemala", "México"):
        m = g.resolve(written, country_hint="US")
        assert m is not None and m.kind == "country", written


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Perú", "PE"),
        ("México", "MX"),
        ("Estados Unidos", "US"),
        ("EE.UU.", "US"),
        ("EEUU", "US"),
        ("U.S.", "US"),
        ("US", "US"),
        ("the United States", "US"),
        ("Brasil", "BR"),
        ("República Dominicana", "DO"),
        ("Trinidad and Tobago", "TT"),
    ],
)
def test_country_names_and_short_forms(g: Gazetteer, written: str, code: str) -> None:
    m = g.resolve(written)
    assert m is not None and (m.kind, m.country) == ("country", code)


def test_lowercase_us_is_not_the_united_states(g: Gazetteer) -> None:
    m = g.resolve("us")
    assert m is None or m.country != "US" or m.kind != "country"


def test_curated_districts_and_facilities(g: Gazetteer) -> None:
    sjl = g.resolve("San Juan de Lurigancho")
    assert sjl is not None and (sjl.kind, sjl.country, sjl.city) == ("locality", "PE", "Lima")
    comas = g.resolve("Comas", country_hint="PE")
    assert comas is not None and comas.kind == "locality" and comas.city == "Lima"
    prison = g.resolve("Penitenciaría del Litoral")
    assert prison is not None and (prison.kind, prison.country, prison.city) == (
        "facility",
        "EC",
        "Guayaquil",
    )


def test_unknown_names_return_none(g: Gazetteer) -> None:
    assert g.resolve("Qwxzplorf") is None
    assert g.resolve("") is None
    assert g.resolve("   ") is None


def test_country_and_region_lookups(g: Gazetteer) -> None:
    pe = g.country("PE")
    assert pe is not None and pe.kind == "country" and pe.name == "Peru"
    per, peru = g.country("PER"), g.country("Perú")
    assert (
        per is not None
        and peru is not None
        and (per.country, per.name) == (peru.country, peru.name) == ("PE", "Peru")
    )
    assert g.country("Atlantis") is None
    lal = g.region("PE-LAL")
    assert lal is not None and (lal.kind, lal.country, lal.region_name) == ("region", "PE", "La Libertad")
    assert g.region("XX-YYY") is None


def test_country_name_by_language() -> None:
    assert country_name("PE") == "Peru"
    assert country_name("PE", "es") == "Perú"
    assert country_name("US", "es") == "Estados Unidos"
    assert country_name("BR", "pt") == "Brasil"
    assert country_name("ZZ") == "ZZ"


def test_containment_and_same_area(g: Gazetteer) -> None:
    peru = g.country("PE")
    lal = g.region("PE-LAL")
    trujillo = g.resolve("Trujillo", country_hint="PE")
    chiclayo = g.resolve("Chiclayo")
    lima = g.resolve("Lima")
    sjl = g.resolve("San Juan de Lurigancho")
    mexico = g.country("MX")
    assert None not in (peru, lal, trujillo, chiclayo, lima, sjl, mexico)
    assert peru and lal and trujillo and chiclayo and lima and sjl and mexico  # for the type checker
    assert contains(peru, lal) and contains(peru, chiclayo) and contains(peru, sjl)
    assert contains(lal, trujillo)
    assert not contains(lal, chiclayo)  # Chiclayo is in Lambayeque
    assert contains(lima, sjl)
    assert not contains(lal, peru) and not contains(peru, peru)
    assert not contains(mexico, chiclayo)
    assert same_area(peru, chiclayo) and same_area(chiclayo, peru) and same_area(lima, lima)
    assert not same_area(lal, chiclayo)


def test_spanish_province_is_inside_its_community(g: Gazetteer) -> None:
    community = g.region("ES-VC")
    province = g.region("ES-A")  # Alicante province
    alicante = g.resolve("Alicante", country_hint="ES")
    assert community and province and alicante
    assert contains(community, province)
    assert contains(community, alicante)


def test_find_places_resolves_candidates_and_scans_text(g: Gazetteer) -> None:
    text = "Police in Trujillo, in the Peruvian region of La Libertad, detained Juan Lima on Monday."
    start = text.index("Trujillo")
    places = g.find_places(text, "en", candidates=[(start, start + len("Trujillo"))])
    found = {(p.text, p.kind, p.country) for p in places}
    assert ("Trujillo", "city", "PE") in found  # NER span, disambiguated by the article's country
    assert any(p.region == "PE-LAL" and p.kind == "region" for p in places)  # scanned
    assert not any(p.text == "Lima" for p in places)  # a surname inside "Juan Lima"
    t = next(p for p in places if p.text == "Trujillo")
    assert text[t.start : t.end] == "Trujillo"


def test_find_places_spanish_dateline_and_abbreviation(g: Gazetteer) -> None:
    text = "CULIACÁN, Sin. — Elementos de la Guardia Nacional detuvieron a tres hombres en Concordia."
    places = g.find_places(text, "es")
    by_text = {p.text: p for p in places}
    assert by_text["CULIACÁN"].region == "MX-SIN"
    assert by_text["Sin."].region == "MX-SIN"
    assert by_text["Concordia"].country == "MX"  # the article's country breaks the tie


def test_find_places_skips_organizations_and_common_words(g: Gazetteer) -> None:
    text = (
        "Members of the Sinaloa Cartel and the Tren de Aragua were charged. Para los fiscales, "
        "the WOLA report said key Commonwealth agencies helped."
    )
    places = g.find_places(text, "en")
    assert places == ()


def test_find_places_keeps_unresolved_candidates_as_unknown(g: Gazetteer) -> None:
    text = "Los hechos ocurrieron en el barrio Qwxzplorf de Cali."
    s = text.index("Qwxzplorf")
    places = g.find_places(text, "es", candidates=[(s, s + 9)])
    unknown = [p for p in places if p.kind == "unknown"]
    assert [p.text for p in unknown] == ["Qwxzplorf"]
    assert any(p.text == "Cali" and p.country == "CO" for p in places)


def test_find_places_splits_coordinated_names(g: Gazetteer) -> None:
    text = "The raids took place in Lima y Callao."
    places = g.find_places(text, "en")
    assert {p.text for p in places} >= {"Lima", "Callao"}
