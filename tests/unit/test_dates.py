"""Finding date expressions and resolving them against the publication date (en, es)."""

from __future__ import annotations

from datetime import date

import pytest

from crimewire.dates import DateMention, days_before, find_date_expressions, resolve_date

# Publication dates used below (weekday in the name).
FRI = date(2023, 12, 29)  # a Friday
THU = date(2025, 12, 18)  # a Thursday
MON = date(2024, 12, 2)  # a Monday
SUN = date(2025, 2, 9)  # a Sunday


def texts(text: str, lang: str) -> list[str]:
    return [m.text for m in find_date_expressions(text, lang)]


def only(text: str, lang: str) -> DateMention:
    found = find_date_expressions(text, lang)
    assert len(found) == 1, found
    return found[0]


def resolved(text: str, lang: str, published: date | None, **kw: date) -> date | None:
    found = find_date_expressions(text, lang)
    assert found, f"no date found in {text!r}"
    value = resolve_date(found[0], published, lang, **kw)
    return None if value is None else value.value


# --------------------------------------------------------------------------- finding


ENGLISH_EXPRESSIONS = [
    ("Police broke up the ring this Thursday with 22 arrests.", "this Thursday", "weekday"),
    ("The raid took place on Saturday in the capital.", "on Saturday", "weekday"),
    ("Officers moved in on Friday night and detained 23.", "on Friday night", "weekday"),
    ("Agents struck on Tuesday morning.", "on Tuesday morning", "weekday"),
    ("Eight women were freed during Thursday's operation.", "Thursday's", "weekday"),
    ("Two suspects were arrested yesterday.", "yesterday", "relative"),
    ("He was extradited overnight to Texas.", "overnight", "part_of_day"),
    ("The gang leader was caught last week.", "last week", "relative"),
    ("Earlier this month, a tip led police to the graves.", "Earlier this month", "relative"),
    ("The workers were seized late in January.", "late in January", "month"),
    ("The kidnapping happened on January 23.", "on January 23", "absolute"),
    ("The statement was posted on Dec. 28.", "on Dec. 28", "absolute"),
    ("It was signed December 28, 2023 in Lima.", "December 28, 2023", "absolute"),
    ("The group was founded in 2014.", "in 2014", "year"),
    ("The first phase, launched in November 2019, jailed 81.", "in November 2019", "month"),
    ("Officials said on Sunday (April 30) that ten died.", "on Sunday (April 30)", "absolute"),
    ("The Senate votes on Wednesday (3).", "on Wednesday (3)", "weekday_day"),
    ("Police returned the following day.", "the following day", "following_day"),
    ("The victims were found two days ago.", "two days ago", "relative"),
]
SPANISH_EXPRESSIONS = [
    ("La policía desarticuló la banda este jueves.", "este jueves", "weekday"),
    ("Los hechos ocurrieron el pasado jueves en Lima.", "el pasado jueves", "weekday"),
    ("Fue detenido el jueves pasado.", "el jueves pasado", "weekday"),
    ("Los agentes actuaron el viernes por la noche.", "el viernes por la noche", "weekday"),
    ("Tres reos se fugaron la madrugada de este viernes.", "la madrugada de este viernes", "weekday"),
    ("Los cuerpos fueron hallados ayer.", "ayer", "relative"),
    ("El ataque ocurrió anteayer.", "anteayer", "relative"),
    ("Fueron capturados en las últimas horas.", "en las últimas horas", "relative"),
    ("La banda cayó la semana pasada.", "la semana pasada", "relative"),
    ("El crimen ocurrió el 28 de diciembre.", "el 28 de diciembre", "absolute"),
    ("La fosa se halló el jueves 5 y se informó después.", "el jueves 5", "weekday_day"),
    ("El ataque del 8 de marzo pasado dejó dos muertos.", "del 8 de marzo pasado", "absolute"),
    ("La policía los liberó en enero de 2024.", "en enero de 2024", "month"),
    ("El grupo opera en el país desde 2021.", "desde 2021", "year"),
    ("Los mineros desaparecieron a finales de enero.", "a finales de enero", "month"),
    ("Lo liberaron al día siguiente.", "al día siguiente", "following_day"),
    ("Ocurrió hace dos semanas.", "hace dos semanas", "relative"),
]


@pytest.mark.parametrize(
    ("lang", "sentence", "expected", "kind"),
    [("en", *case) for case in ENGLISH_EXPRESSIONS] + [("es", *case) for case in SPANISH_EXPRESSIONS],
)
def test_finds_expressions(lang: str, sentence: str, expected: str, kind: str) -> None:
    m = only(sentence, lang)
    assert (m.text, m.kind) == (expected, kind)
    assert sentence[m.start : m.end] == m.text


def test_weekday_with_full_date_is_one_mention() -> None:
    assert texts("Una masacre ocurrió el pasado domingo 1 de diciembre, de madrugada, en El Oro.", "es") == [
        "el pasado domingo 1 de diciembre, de madrugada"
    ]
    assert texts("Este lunes 29 de diciembre partió un vuelo.", "es") == ["Este lunes 29 de diciembre"]
    assert texts("A search at 10.20am on Monday, July 31, found drugs.", "en") == ["on Monday, July 31"]
    assert texts("The operation ran from Monday July 31 to Friday August 4.", "en") == [
        "from Monday July 31",
        "Friday August 4",
    ]


def test_dateline_is_marked() -> None:
    m = find_date_expressions(
        "Ciudad de México, 15 de febrero de 2026.- Un juez vinculó a proceso a 30.", "es"
    )
    assert [(x.text, x.kind) for x in m] == [("15 de febrero de 2026", "dateline")]
    m = find_date_expressions("QUITO, March 3 (Reuters) - Gunmen attacked a bar.", "en")
    assert [(x.text, x.kind) for x in m] == [("March 3", "dateline")]
    # The same date inside a sentence is not a dateline.
    m = find_date_expressions("El juez resolvió el 15 de febrero de 2026 - según la fiscalía.", "es")
    assert m[0].kind == "absolute"


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("The search began at around 10.20am and ended at 2 p.m.", "en"),
        ("El penal abrió a las 7:13 horas, 13 minutos más tarde.", "es"),
        ("You may call the hotline; march 20 miles north.", "en"),
        ("Black Friday sales and Good Friday services.", "en"),
        ("Viajó a Santo Domingo con su familia.", "es"),
        ("Vive en la avenida 5 de Mayo del centro.", "es"),
        ("Los pescadores navegaban en el mar.", "es"),
    ],
)
def test_not_dates(text: str, lang: str) -> None:
    assert find_date_expressions(text, lang) == ()


def test_spanish_day_number_that_counts_is_not_a_day() -> None:
    m = only("El jueves 5 personas fueron detenidas.", "es")
    assert (m.text, m.kind, m.day) == ("El jueves", "weekday", None)


def test_unknown_language_and_empty_text() -> None:
    assert find_date_expressions("this Thursday", "fr") == ()
    assert find_date_expressions("", "en") == ()


# --------------------------------------------------------------------------- weekdays


def test_this_weekday_is_most_recent_on_or_before_publication() -> None:
    assert resolved("this Thursday", "en", FRI) == date(2023, 12, 28)
    assert resolved("on Saturday", "en", FRI) == date(2023, 12, 23)
    assert resolved("este jueves", "es", FRI) == date(2023, 12, 28)


def test_weekday_published_on_that_weekday_is_the_same_day() -> None:
    assert resolved("el jueves", "es", THU) == THU
    assert resolved("this Thursday", "en", THU) == THU
    assert resolved("Thursday", "en", THU) == THU


def test_last_and_pasado_are_strictly_before() -> None:
    assert resolved("el pasado domingo", "es", MON) == date(2024, 12, 1)
    assert resolved("el pasado jueves", "es", THU) == date(2025, 12, 11)
    assert resolved("last Thursday", "en", THU) == date(2025, 12, 11)
    assert resolved("el jueves pasado", "es", FRI) == date(2023, 12, 28)


def test_next_weekday_goes_forward() -> None:
    assert resolved("next Monday", "en", FRI) == date(2024, 1, 1)
    assert resolved("el próximo jueves", "es", THU) == date(2025, 12, 25)


def test_weekday_with_part_of_day() -> None:
    # Friday night reported on Sunday: the Friday before.
    assert resolved("on Friday night", "en", SUN) == date(2025, 2, 7)
    assert resolved("el viernes por la noche", "es", date(2025, 2, 8)) == date(2025, 2, 7)
    assert resolved("la madrugada de este viernes", "es", date(2025, 8, 15)) == date(2025, 8, 15)


def test_weekday_across_year_boundary() -> None:
    assert resolved("on Sunday", "en", date(2024, 1, 2)) == date(2023, 12, 31)


def test_weekday_needs_publication_date() -> None:
    assert resolved("this Thursday", "en", None) is None


def test_weekday_with_day_number() -> None:
    # Thursday 5 February 2026, reported on Monday 9 February.
    assert resolved("el jueves 5", "es", date(2026, 2, 9)) == date(2026, 2, 5)
    # Thursday the 5th, reported on Monday 2 March 2026: back in February... but
    # February 5 is the only nearby Thursday the 5th.
    assert resolved("el jueves 5", "es", date(2026, 3, 2)) == date(2026, 2, 5)
    assert resolved("on Sunday (April 30)", "en", date(2023, 5, 1)) == date(2023, 4, 30)


def test_weekday_with_day_number_announced_in_coming_week() -> None:
    value = resolve_date(only("The Senate votes on Wednesday (3).", "en"), date(2025, 12, 1), "en")
    assert value is not None
    assert value.value == date(2025, 12, 3)
    assert value.rule == "weekday_day:match_coming_week"


# --------------------------------------------------------------------------- relative


def test_yesterday_and_overnight_are_the_day_before() -> None:
    assert resolved("yesterday", "en", FRI) == date(2023, 12, 28)
    assert resolved("ayer", "es", date(2024, 3, 1)) == date(2024, 2, 29)  # leap year
    assert resolved("extradited overnight", "en", date(2024, 1, 1)) == date(2023, 12, 31)
    assert resolved("anoche", "es", FRI) == date(2023, 12, 28)
    assert resolved("anteayer", "es", date(2025, 3, 1)) == date(2025, 2, 27)


def test_today_and_last_hours_are_publication_day() -> None:
    assert resolved("en las últimas horas", "es", FRI) == FRI
    assert resolved("hoy", "es", FRI) == FRI
    assert resolved("this morning", "en", FRI) == FRI


def test_weeks_months_years() -> None:
    v = resolve_date(only("last week", "en"), FRI, "en")
    assert v is not None and (v.value, v.precision) == (date(2023, 12, 18), "week")
    v = resolve_date(only("la semana pasada", "es"), date(2024, 1, 3), "es")
    assert v is not None and v.value == date(2023, 12, 25)
    v = resolve_date(only("earlier this month", "en"), date(2023, 7, 20), "en")
    assert v is not None and (v.value, v.precision) == (date(2023, 7, 1), "month")
    v = resolve_date(only("last month", "en"), date(2024, 1, 15), "en")
    assert v is not None and v.value == date(2023, 12, 1)
    v = resolve_date(only("el año pasado", "es"), FRI, "es")
    assert v is not None and (v.value, v.precision) == (date(2022, 1, 1), "year")


def test_counted_relative() -> None:
    assert resolved("two days ago", "en", date(2024, 3, 1)) == date(2024, 2, 28)
    assert resolved("hace tres días", "es", FRI) == date(2023, 12, 26)
    assert resolved("three days later", "en", FRI, reference=date(2023, 12, 30)) == date(2024, 1, 2)
    assert resolved("dos días después", "es", FRI) is None  # needs a reference


def test_following_day_needs_reference() -> None:
    assert resolved("the following day", "en", FRI) is None
    assert resolved("the following day", "en", FRI, reference=date(2023, 12, 31)) == date(2024, 1, 1)
    assert resolved("al día siguiente", "es", None, reference=date(2024, 2, 28)) == date(2024, 2, 29)
    assert resolved("el día anterior", "es", FRI, reference=date(2024, 3, 1)) == date(2024, 2, 29)


def test_weekend() -> None:
    assert resolved("over the weekend", "en", date(2025, 12, 1)) == date(2025, 11, 29)
    assert resolved("el fin de semana", "es", date(2025, 11, 30)) == date(2025, 11, 29)


def test_vague_is_found_but_not_resolved() -> None:
    m = only("En los últimos días la policía detuvo a varios.", "es")
    assert m.kind == "vague"
    assert resolve_date(m, FRI, "es") is None


# --------------------------------------------------------------------------- absolute


def test_day_month_without_year_takes_year_on_or_before_publication() -> None:
    assert resolved("el 28 de diciembre", "es", FRI) == date(2023, 12, 28)
    assert resolved("on Dec. 28", "en", date(2024, 1, 5)) == date(2023, 12, 28)
    assert resolved("el 29 de enero", "es", date(2026, 2, 8)) == date(2026, 1, 29)
    assert resolved("el 8 de marzo pasado", "es", date(2018, 4, 14)) == date(2018, 3, 8)
    # Same day as publication stays in the same year.
    assert resolved("December 29", "en", FRI) == FRI
    # The day after publication is a year back (news reports the past).
    assert resolved("December 30", "en", FRI) == date(2022, 12, 30)


def test_leap_day_without_year() -> None:
    assert resolved("el 29 de febrero", "es", date(2025, 3, 1)) == date(2024, 2, 29)
    assert resolved("February 29", "en", date(2024, 3, 1)) == date(2024, 2, 29)


def test_absolute_with_year_needs_no_publication_date() -> None:
    assert resolved("December 28, 2023", "en", None) == date(2023, 12, 28)
    assert resolved("el 15 de febrero de 2026", "es", None) == date(2026, 2, 15)
    assert resolved("el 28 de diciembre", "es", None) is None
    assert resolved("in 2014", "en", None) == date(2014, 1, 1)


def test_invalid_day_is_not_a_date() -> None:
    # No 31 February: only the month and year are read.
    assert [m.kind for m in find_date_expressions("el 31 de febrero de 2024", "es")] == ["month"]
    assert find_date_expressions("on February 30", "en") == ()


def test_weekday_and_full_date() -> None:
    v = resolve_date(only("el pasado domingo 1 de diciembre", "es"), MON, "es")
    assert v is not None and v.value == date(2024, 12, 1)
    assert "weekday_mismatch" not in v.rule
    assert resolved("this Monday (Dec 29)", "en", date(2025, 12, 29)) == date(2025, 12, 29)


def test_numeric_dates() -> None:
    assert resolved("27/10/2024", "es", None) == date(2024, 10, 27)
    assert resolved("16/12/2021", "en", None) == date(2021, 12, 16)
    assert resolved("2023-12-28", "en", None) == date(2023, 12, 28)
    # US order by default; the day-first reading wins when the US one is after publication.
    assert resolved("12/05/2024", "en", None) == date(2024, 12, 5)
    assert resolved("12/05/2024", "en", date(2024, 6, 1)) == date(2024, 5, 12)


# --------------------------------------------------------------------------- months and years


def test_months() -> None:
    v = resolve_date(only("in January", "en"), date(2026, 2, 11), "en")
    assert v is not None and (v.value, v.precision) == (date(2026, 1, 1), "month")
    assert resolved("in July", "en", date(2023, 3, 1)) == date(2022, 7, 1)
    assert resolved("en enero", "es", date(2024, 1, 20)) == date(2024, 1, 1)
    assert resolved("en enero de 2024", "es", date(2025, 2, 8)) == date(2024, 1, 1)
    assert resolved("last March", "en", date(2024, 3, 15)) == date(2023, 3, 1)
    m = only("The workers were seized late in January.", "en")
    assert m.period == "late"


def test_years() -> None:
    v = resolve_date(only("in 2014", "en"), FRI, "en")
    assert v is not None and (v.value, v.precision, v.rule) == (date(2014, 1, 1), "year", "year")
    assert only("a mediados de 2023", "es").period == "mid"


# --------------------------------------------------------------------------- strings and helpers


def test_resolve_from_string() -> None:
    v = resolve_date("this Thursday", FRI, "en")
    assert v is not None
    assert (v.value, v.text, v.rule) == (date(2023, 12, 28), "this Thursday", "weekday:this:on_or_before")
    assert resolve_date("nothing here", FRI, "en") is None


def test_resolve_from_string_falls_back_to_dateparser_for_odd_absolute_formats() -> None:
    v = resolve_date("2023.12.28", None, "en")
    assert v is not None and v.value == date(2023, 12, 28)


def test_days_before() -> None:
    assert days_before(date(2023, 12, 28), FRI) == 1
    assert days_before(date(2024, 1, 1), FRI) == -3
    assert days_before(date(2023, 3, 1), date(2024, 3, 1)) == 366


def test_ranges_keep_their_first_day() -> None:
    m = only("The operation ran Dec. 1-5 in three states.", "en")
    assert (m.text, m.day, m.month) == ("Dec. 1-5", 1, 12)
    assert resolved("del 10 al 12 de enero", "es", date(2026, 1, 14)) == date(2026, 1, 10)
    assert resolved("entre el 5 y el 9 de enero de 2026", "es", None) == date(2026, 1, 5)
    # A figure after "and" is not the end of a range.
    assert texts("It began on Dec. 5 and 22 people died.", "en") == ["on Dec. 5"]


def test_spanish_weekday_after_ayer_or_hoy() -> None:
    assert texts("La captura se produjo ayer jueves en Lima.", "es") == ["ayer jueves"]
    assert resolved("ayer jueves", "es", FRI) == date(2023, 12, 28)
