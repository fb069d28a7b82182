"""Property tests for counts: any text is safe to read, and numbers written out in full read back.

A small speller below writes every number from 0 to 999,999 (and round millions) in English
and Spanish words; the digit forms use the separators news writes ("1,200", "1.200", "1 200").
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import crimewire
from crimewire.counts import (
    QUALIFIERS,
    find_count_phrases,
    find_quantity_mentions,
    parse_count,
    parse_number,
    parse_quantity,
    singular_count,
)

FUZZ = settings(max_examples=150, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
NUMBERS = tomllib.loads((Path(crimewire.__file__).parent / "data" / "numbers.toml").read_text(encoding="utf-8"))

# --------------------------------------------------------------------------- spellers

EN_ONES = [
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
    "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
]
EN_TENS = [
    "_", "_", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
]


def spell_en(n: int, *, use_and: bool = True) -> str:
    """English words for ``n`` ("one hundred and five", "twenty-one thousand")."""
    if n < 20:
        return EN_ONES[n]
    if n < 100:
        return EN_TENS[n // 10] + (f"-{EN_ONES[n % 10]}" if n % 10 else "")
    for size, name in ((10**9, "billion"), (10**6, "million"), (1000, "thousand"), (100, "hundred")):
        if n >= size:
            head, rest = divmod(n, size)
            words = f"{spell_en(head, use_and=use_and)} {name}"
            if rest:
                joiner = " and " if use_and and rest < 100 else " "
                words += joiner + spell_en(rest, use_and=use_and)
            return words
    raise AssertionError(n)


ES_ONES = [
    "cero", "uno", "dos", "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once",
    "doce", "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve", "veinte",
    "veintiuno", "veintidós", "veintitrés", "veinticuatro", "veinticinco", "veintiséis", "veintisiete",
    "veintiocho", "veintinueve",
]
ES_TENS = [
    "_", "_", "_", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
]
ES_HUNDREDS = [
    "_", "ciento", "doscientos", "trescientos", "cuatrocientos", "quinientos", "seiscientos", "setecientos",
    "ochocientos", "novecientos",
]


def spell_es(n: int) -> str:
    """Spanish words for ``n`` ("ciento cinco", "veintiún mil", "dos millones")."""
    if n < 30:
        return ES_ONES[n]
    if n < 100:
        return ES_TENS[n // 10] + (f" y {ES_ONES[n % 10]}" if n % 10 else "")
    if n < 1000:
        if n == 100:
            return "cien"
        return ES_HUNDREDS[n // 100] + (f" {spell_es(n % 100)}" if n % 100 else "")
    if n < 10**6:
        head, rest = divmod(n, 1000)
        words = "mil" if head == 1 else f"{_apocope(spell_es(head))} mil"
        return words + (f" {spell_es(rest)}" if rest else "")
    head, rest = divmod(n, 10**6)
    words = "un millón" if head == 1 else f"{_apocope(spell_es(head))} millones"
    return words + (f" {spell_es(rest)}" if rest else "")


def _apocope(words: str) -> str:
    """"uno" before "mil"/"millones" is "un" ("veintiún mil", "treinta y un mil")."""
    if words.endswith("veintiuno"):
        return words[: -len("veintiuno")] + "veintiún"
    if words.endswith("uno"):
        return words[:-1]
    return words


def strip_accents(s: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", s) if not unicodedata.combining(c))


@pytest.mark.parametrize(
    ("n", "en", "es"),
    [
        (21, "twenty-one", "veintiuno"),
        (105, "one hundred and five", "ciento cinco"),
        (21_000, "twenty-one thousand", "veintiún mil"),
        (31_200, "thirty-one thousand two hundred", "treinta y un mil doscientos"),
        (2_000_000, "two million", "dos millones"),
    ],
)
def test_spellers(n: int, en: str, es: str) -> None:
    """The spellers the properties rely on write what a reporter would."""
    assert spell_en(n) == en
    assert spell_es(n) == es


# --------------------------------------------------------------------------- strategies

NUMBERISH = st.sampled_from(
    [
        *"0123456789,. -–/:%$€#&\n",
        "one", "twenty", "hundred", "thousand", "million", "and", "a", "dozen", "dozens", "more than",
        "at least", "about", "over", "uno", "un", "una", "veinte", "cien", "mil", "millones", "y", "decenas",
        "más de", "al menos", "unos", "hasta", "docena", "people", "personas", "kilos", "of", "de", "cocaine",
        "cocaína", "years", "años", "in", "en", "December", "diciembre", "am", "pm", "por ciento", "EUR",
        "\u00a0", "\u202f", "\u200b", "\u0301", "😀", "1,000,000", "1.000.000", "1 200", "12,5", "5.4",
        "10k", "$185m", "№", "٣", "²", "½", "Ⅻ",
    ]
)  # fmt: skip
NUMBER_TEXT = st.lists(NUMBERISH, max_size=25).map(lambda parts: " ".join(parts))
ANY_TEXT = st.one_of(NUMBER_TEXT, st.text(max_size=200))
LANGS = st.sampled_from(["en", "es", "pt", ""])


# --------------------------------------------------------------------------- properties


@FUZZ
@given(ANY_TEXT, LANGS)
def test_count_readers_never_raise_and_return_counts(text: str, lang: str) -> None:
    """Any text in any language: no exception; counts are non-negative ints or None (vague, with a
    note), with a known qualifier; every phrase found is the input's text at its offsets, in order."""
    for value in (parse_count(text, lang), singular_count(text, lang)):
        if value is not None:
            assert value.value is None or (isinstance(value.value, int) and value.value >= 0)
            assert value.value is not None or value.note
            assert value.qualifier in QUALIFIERS
            assert value.text and value.text in text
    number = parse_number(text, lang)
    assert number is None or number >= 0
    last_end = 0
    for m in find_count_phrases(text, lang):
        assert last_end <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text == m.value.text
        assert m.value.value is None or (isinstance(m.value.value, int) and m.value.value >= 0)
        assert m.value.qualifier in QUALIFIERS
        last_end = m.end


@FUZZ
@given(ANY_TEXT, LANGS)
def test_quantity_readers_never_raise_and_point_into_the_text(text: str, lang: str) -> None:
    """Any text: no exception; quantities have an item, a non-negative amount or None, and their
    phrase is the input's text at its offsets; mentions come in text order."""
    found = find_quantity_mentions(text, lang, bare_items=True)
    last_start = 0
    for m in found:
        assert last_start <= m.start < m.end <= len(text)
        assert text[m.start : m.end] == m.text == m.quantity.text
        assert m.quantity.item
        assert m.quantity.amount is None or m.quantity.amount >= 0
        last_start = m.start
    q = parse_quantity(text, lang)
    assert q is None or q in [m.quantity for m in found]


@FUZZ
@given(st.integers(0, 999_999) | st.integers(1, 999).map(lambda k: k * 10**6), st.booleans(), st.booleans())
def test_english_words_read_back(n: int, use_and: bool, capital: bool) -> None:
    """Every number spelled out in English ("three hundred and forty-two thousand") reads back."""
    words = spell_en(n, use_and=use_and)
    if capital:
        words = words[0].upper() + words[1:]
    assert parse_number(words, "en") == n
    count = parse_count(f"Police said {words} people were arrested.", "en")
    assert count is not None and (count.value, count.qualifier, count.text) == (n, "exact", words)


@FUZZ
@given(st.integers(0, 999_999) | st.integers(1, 999).map(lambda k: k * 10**6), st.booleans(), st.booleans())
def test_spanish_words_read_back(n: int, accents: bool, feminine: bool) -> None:
    """Every number spelled out in Spanish ("treinta y un mil doscientos") reads back, in the
    feminine ("doscientas una personas") and without its accents ("veintidos", "dieciseis")."""
    words = spell_es(n)
    if feminine and n != 1:  # a bare "una" is an article: see singular_count
        words = re.sub(r"uno$", "una", words.replace("ientos", "ientas"))
    if not accents:
        words = strip_accents(words)
    assert parse_number(words, "es") == n
    count = parse_count(f"La policía informó que {words} personas fueron detenidas.", "es")
    assert count is not None and (count.value, count.qualifier, count.text) == (n, "exact", words)


@FUZZ
@given(st.integers(1000, 999_999_999), st.sampled_from(["en", "es"]))
def test_digits_with_thousands_separators_read_back(n: int, lang: str) -> None:
    """Digits grouped by commas ("1,200"), by spaces ("1 200", also no-break and narrow spaces)
    and, in Spanish, by dots ("1.200") read back as the whole number."""
    forms = [f"{n:,}", f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "\u00a0"), f"{n:,}".replace(",", "\u202f")]
    if lang == "es":
        forms.append(f"{n:,}".replace(",", "."))
    noun = "personas" if lang == "es" else "people"
    for form in forms:
        assert parse_number(form, lang) == n, form
        found = find_count_phrases(f"{form} {noun}", lang)
        assert [(m.text, m.value.value) for m in found] == [(form, n)]


QUALIFIED = [
    (lang, phrase, name)
    for lang in ("en", "es")
    for name, phrases in NUMBERS[lang]["qualifiers"].items()
    for phrase in phrases
]


@FUZZ
@given(st.sampled_from(QUALIFIED), st.integers(2, 5000), st.booleans())
def test_qualifiers_read_with_their_number(qualified: tuple[str, str, str], n: int, words: bool) -> None:
    """Every qualifier of numbers.toml before a number ("more than 80", "cerca de treinta")
    gives that number with that qualifier."""
    lang, phrase, name = qualified
    number = (spell_en(n) if lang == "en" else spell_es(n)) if words else str(n)
    count = parse_count(f"{phrase} {number}", lang)
    assert count is not None and (count.value, count.qualifier) == (n, name)


FIXED = [(lang, phrase, value) for lang in ("en", "es") for phrase, value in NUMBERS[lang]["special"].items()]
FIXED += [(lang, f"{article} {mult}", value) for lang, article, mult, value in (
    ("en", "a", "dozen", 12), ("es", "una", "docena", 12), ("es", "una", "decena", 10),
    ("es", "un", "centenar", 100), ("en", "a", "hundred", 100), ("en", "a", "thousand", 1000),
)]  # fmt: skip
VAGUE = [(lang, phrase) for lang in ("en", "es") for phrase in NUMBERS[lang]["vague"]]
FILLER = {
    "en": st.lists(st.sampled_from(["police", "said", "the", "gang", "members", "were", "arrested"]), max_size=4),
    "es": st.lists(st.sampled_from(["la", "policía", "informó", "que", "miembros", "fueron", "detenidos"]), max_size=4),
}


@FUZZ
@given(st.sampled_from(FIXED) | st.sampled_from(VAGUE), st.data())
def test_fixed_and_vague_quantities_in_any_sentence(entry: tuple, data: st.DataObject) -> None:
    """"a dozen", "media docena", "un centenar" give their value wherever they stand; "dozens",
    "decenas", "varios" give no value, an "about" qualifier and a note."""
    lang, phrase = entry[0], entry[1]
    before = " ".join(data.draw(FILLER[lang]))
    after = " ".join(data.draw(FILLER[lang]))
    count = parse_count(f"{before} {phrase} {after}", lang)
    assert count is not None and count.text.lower() == phrase.lower()
    if len(entry) == 3:
        assert count.value == entry[2]
    else:
        assert count.value is None and count.qualifier == "about" and count.note
