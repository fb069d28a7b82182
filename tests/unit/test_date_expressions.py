"""Every date expression the places/dates/organizations issue lists, in English and Spanish,
resolved against one publication date: Friday 29 December 2023."""

from __future__ import annotations

from datetime import date

import pytest

from crimewire.dates import find_date_expressions, resolve_date

PUBLISHED = date(2023, 12, 29)  # a Friday

# (sentence, language, expression found, date, precision)
CASES = [
    ("Police arrested the men this Thursday in Lima.", "en", "this Thursday", date(2023, 12, 28), "day"),
    ("La policía detuvo a los hombres el jueves en Lima.", "es", "el jueves", date(2023, 12, 28), "day"),
    ("Los cuerpos fueron hallados el pasado martes.", "es", "el pasado martes", date(2023, 12, 26), "day"),
    ("The bodies were found last Tuesday.", "en", "last Tuesday", date(2023, 12, 26), "day"),
    ("Troops raided the house yesterday.", "en", "yesterday", date(2023, 12, 28), "day"),
    ("Las tropas allanaron la casa ayer.", "es", "ayer", date(2023, 12, 28), "day"),
    ("The cell was dismantled last week.", "en", "last week", date(2023, 12, 18), "week"),
    ("La célula fue desarticulada la semana pasada.", "es", "la semana pasada", date(2023, 12, 18), "week"),
    ("He was captured on Dec. 28 in Cúcuta.", "en", "on Dec. 28", date(2023, 12, 28), "day"),
    ("He was captured on December 28, 2023.", "en", "on December 28, 2023", date(2023, 12, 28), "day"),
    ("Fue capturado el 28 de diciembre en Cúcuta.", "es", "el 28 de diciembre", date(2023, 12, 28), "day"),
    ("Fue capturado el 28 de diciembre de 2023.", "es", "el 28 de diciembre de 2023", date(2023, 12, 28), "day"),
    ("Two guards were shot overnight.", "en", "overnight", date(2023, 12, 28), "day"),
    ("Dos guardias fueron baleados durante la noche.", "es", "durante la noche", date(2023, 12, 28), "day"),
    ("Gunmen stormed the bar early on Saturday.", "en", "early on Saturday", date(2023, 12, 23), "day"),
    ("Pistoleros irrumpieron en el bar la madrugada del sábado.", "es", "la madrugada del sábado",
     date(2023, 12, 23), "day"),
]


@pytest.mark.parametrize(("sentence", "lang", "written", "expected", "precision"), CASES)
def test_expression_is_found_and_resolved(
    sentence: str, lang: str, written: str, expected: date, precision: str
) -> None:
    found = find_date_expressions(sentence, lang)
    texts = [m.text for m in found]
    assert written in texts, texts
    mention = found[texts.index(written)]
    assert sentence[mention.start : mention.end] == written  # offsets point into the sentence
    value = resolve_date(mention, PUBLISHED, lang)
    assert value is not None and value.value == expected and value.precision == precision, value


@pytest.mark.parametrize(("sentence", "lang", "written"), [(c[0], c[1], c[2]) for c in CASES])
def test_relative_expressions_need_the_publication_date(sentence: str, lang: str, written: str) -> None:
    """Without a publication date only expressions that carry their own year resolve."""
    mention = next(m for m in find_date_expressions(sentence, lang) if m.text == written)
    value = resolve_date(mention, None, lang)
    if "2023" in written:
        assert value is not None and value.value == date(2023, 12, 28)
    else:
        assert value is None
