"""Property tests for the date finder and resolver: any text is safe to read, every mention's
offsets point at its text, and dates written out in full read back as the day they name.

The month and weekday names below are written here, not read from data/dates.toml, so that a
gap in the data shows up as a failure instead of being copied into the oracle.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crimewire.dates import KINDS, find_date_expressions, resolve_date

FUZZ = settings(max_examples=200, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

EN_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
             "November", "December"]
ES_MONTHS = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
             "noviembre", "diciembre"]
EN_DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
ES_DAYS = ["lunes", "martes", "miércoles", "jueves", "viernes", "sábado", "domingo"]

days = st.dates(min_value=date(1990, 1, 1), max_value=date(2035, 12, 31))
languages = st.sampled_from(["en", "es"])

# Text that looks like news around dates: date words, numbers, punctuation, clock times, noise.
date_words = st.sampled_from([
    *EN_MONTHS, *ES_MONTHS, *EN_DAYS, *ES_DAYS, "Dec.", "Sept.", "this", "last", "next", "pasado", "próximo",
    "el", "de", "del", "on", "in", "yesterday", "ayer", "anoche", "overnight", "week", "semana", "mes",
    "month", "year", "año", "early", "late", "por la noche", "madrugada", "horas", "a las 7:13", "10.20am",
    "28", "1", "31", "2023", "1899", "99999999999999999999", "(3)", ",", ".", "-", "/", "27/10",
])
noise = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12)
texts = st.lists(date_words | noise, max_size=30).map(" ".join)


@FUZZ
@given(texts, languages, days)
def test_any_text_is_safe_and_offsets_point_at_the_mention(text: str, lang: str, published: date) -> None:
    mentions = find_date_expressions(text, lang)
    last_end = 0
    for m in mentions:
        assert text[m.start : m.end] == m.text
        assert m.start >= last_end, "mentions overlap or are out of order"
        last_end = m.end
        assert m.kind in KINDS
        value = resolve_date(m, published, lang)
        if value is not None and value.value is not None:
            assert value.precision in ("day", "week", "month", "year")
        undated = resolve_date(m, None, lang)  # without a publication date: only self-contained dates
        assert undated is None or undated.value is not None


@FUZZ
@given(days, days, st.booleans())
def test_a_full_date_reads_back(day: date, published: date, spanish: bool) -> None:
    """"on March 5, 2021" / "el 5 de marzo de 2021" is that day, whenever the article appeared."""
    if spanish:
        text, lang = f"Fue detenido el {day.day} de {ES_MONTHS[day.month - 1]} de {day.year} en Lima.", "es"
    else:
        text, lang = f"He was arrested on {EN_MONTHS[day.month - 1]} {day.day}, {day.year} in Lima.", "en"
    mentions = find_date_expressions(text, lang)
    assert len(mentions) == 1
    value = resolve_date(mentions[0], published, lang)
    assert value is not None and (value.value, value.precision) == (day, "day")


@FUZZ
@given(days, st.integers(0, 6), st.booleans())
def test_a_bare_weekday_is_the_last_such_day_on_or_before_publication(
    published: date, weekday: int, spanish: bool
) -> None:
    if spanish:
        text, lang = f"La policía lo capturó el {ES_DAYS[weekday]} en Cali.", "es"
    else:
        text, lang = f"Police arrested him on {EN_DAYS[weekday]} in Cali.", "en"
    mentions = find_date_expressions(text, lang)
    assert len(mentions) == 1
    value = resolve_date(mentions[0], published, lang)
    assert value is not None and value.value is not None
    assert value.value.weekday() == weekday
    assert timedelta(0) <= published - value.value < timedelta(days=7)


@FUZZ
@given(days, st.booleans())
def test_yesterday_is_the_day_before_publication(published: date, spanish: bool) -> None:
    if spanish:
        text, lang = "Ayer la policía rescató a 12 mujeres.", "es"
    else:
        text, lang = "Police rescued 12 women yesterday.", "en"
    (mention,) = find_date_expressions(text, lang)
    value = resolve_date(mention, published, lang)
    assert value is not None and value.value == published - timedelta(days=1)


@FUZZ
@given(days, days, st.booleans())
def test_a_day_and_month_without_year_is_never_after_publication(day: date, published: date, spanish: bool) -> None:
    """"on March 5" in an article of 2024-03-01 is 5 March 2023: news reports the past."""
    if spanish:
        text, lang = f"Fue capturado el {day.day} de {ES_MONTHS[day.month - 1]} en Quito.", "es"
    else:
        text, lang = f"He was captured on {EN_MONTHS[day.month - 1]} {day.day} in Quito.", "en"
    mentions = find_date_expressions(text, lang)
    assert len(mentions) == 1
    value = resolve_date(mentions[0], published, lang)
    if value is None or value.value is None:
        assert (day.month, day.day) == (2, 29)  # 29 February with no year may have no leap year near
        return
    assert (value.value.month, value.value.day) == (day.month, day.day)
    assert value.value <= published and (published - value.value).days < 366 + 365 * 3
