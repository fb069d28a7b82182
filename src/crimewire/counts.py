"""Counts of people and quantities of seized things, in English and Spanish.

``parse_count`` reads the phrase that quantifies people or bodies ("more than 100",
"veintidós", "a dozen", "decenas") into a ``CountValue``; ``find_count_phrases`` finds
every such phrase in a text, leaving out numbers that are not counts (years, clock
times, money, percentages, phone numbers, labels such as "phase two", ages and
durations). ``parse_quantity`` / ``find_quantities`` read seized things ("5.4 tonnes of
cocaine", "480 kilos de cocaína", "€141,000 in cash") into ``Quantity`` records.

All vocabulary lives in ``data/numbers.toml`` (and the month/weekday names of
``data/dates.toml``); number words are valued by text2num. Patterns are compiled once
per language.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from text_to_num import text2num

from crimewire.records import CountValue, Quantity

_DATA = Path(__file__).parent / "data"

QUALIFIERS: tuple[str, ...] = ("exact", "more_than", "at_least", "about", "up_to", "fewer_than")


@dataclass(frozen=True, slots=True)
class CountMention:
    """A number phrase found in a text, with its value (offsets are half-open)."""

    text: str
    start: int
    end: int
    value: CountValue


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A seized-item quantity found in a text, with its offsets."""

    text: str
    start: int
    end: int
    quantity: Quantity


# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class _Lexicon:
    """The immutable vocabulary of one language."""

    lang: str
    number_words: tuple[str, ...]
    joiners: tuple[str, ...]
    tail_words: tuple[str, ...]
    tail_after: tuple[str, ...]
    fixes: MappingProxyType[str, str]
    multipliers: MappingProxyType[str, int]
    glued_multipliers: MappingProxyType[str, int]
    approximate: frozenset[str]
    articles: tuple[str, ...]
    special: MappingProxyType[str, int]
    vague: tuple[str, ...]
    singular: tuple[str, ...]
    qualifiers: MappingProxyType[str, str]  # phrase -> qualifier name
    qualifier_blockers: MappingProxyType[str, frozenset[str]]
    time_units: tuple[str, ...]
    time_suffixes: tuple[str, ...]
    time_prefixes: tuple[str, ...]
    percent: tuple[str, ...]
    measure_units: tuple[str, ...]
    label_words: frozenset[str]
    negators: frozenset[str]
    function_words: frozenset[str]
    year_cues: frozenset[str]
    range_words: frozenset[str]
    currency_symbols: MappingProxyType[str, str]
    currency_words: MappingProxyType[str, str]
    units: MappingProxyType[str, str]
    containers: MappingProxyType[str, str]
    links: tuple[str, ...]
    item_determiners: tuple[str, ...]
    modifiers: tuple[str, ...]
    value_cues: tuple[str, ...]
    cash_cues: tuple[str, ...]
    noun_modifier_items: frozenset[str]
    item_followers: frozenset[str]
    items: MappingProxyType[str, str]
    calendar_words: frozenset[str]  # month and weekday names (from dates.toml)
    month_names: tuple[str, ...]


@cache
def _raw(name: str) -> MappingProxyType[str, Any]:
    """One data file, parsed once (read-only view)."""
    return MappingProxyType(tomllib.loads((_DATA / name).read_text(encoding="utf-8")))


def _low(words: Any) -> tuple[str, ...]:
    return tuple(str(w).lower() for w in words)


def _lowmap(table: Any) -> MappingProxyType[str, Any]:
    return MappingProxyType({str(k).lower(): v for k, v in dict(table).items()})


@cache
def _lexicon(lang: str) -> _Lexicon | None:
    """The vocabulary of ``lang``; None for a language numbers.toml does not cover."""
    data = _raw("numbers.toml").get(lang)
    if data is None:
        return None
    dates = _raw("dates.toml").get(lang, {})
    skip = data.get("skip", {})
    qty = data.get("quantity", {})
    qualifiers = {p.lower(): name for name, phrases in data.get("qualifiers", {}).items() for p in phrases}
    months = [*dates.get("months", {}), *dates.get("month_abbrevs", {})]
    calendar = [*months, *dates.get("weekdays", {}), *dates.get("weekday_abbrevs", {})]
    return _Lexicon(
        lang=lang,
        number_words=_low(data.get("number_words", ())),
        joiners=_low(data.get("number_joiners", ())),
        tail_words=_low(data.get("number_tail_words", ())),
        tail_after=_low(data.get("number_tail_after", ())),
        fixes=_lowmap(data.get("number_fixes", {})),
        multipliers=_lowmap(data.get("multipliers", {})),
        glued_multipliers=_lowmap(data.get("glued_multipliers", {})),
        approximate=frozenset(_low(data.get("approximate_multipliers", ()))),
        articles=_low(data.get("articles", ())),
        special=_lowmap(data.get("special", {})),
        vague=_low(data.get("vague", ())),
        singular=_low(data.get("singular", ())),
        qualifiers=MappingProxyType(qualifiers),
        qualifier_blockers=MappingProxyType(
            {k.lower(): frozenset(_low(v)) for k, v in data.get("qualifier_blockers", {}).items()}
        ),
        time_units=_low(skip.get("time_units", ())),
        time_suffixes=_low(skip.get("time_suffixes", ())),
        time_prefixes=_low(skip.get("time_prefixes", ())),
        percent=_low(skip.get("percent", ())),
        measure_units=_low(skip.get("measure_units", ())),
        label_words=frozenset(_low(skip.get("label_words", ()))),
        negators=frozenset(_low(skip.get("negators", ()))),
        function_words=frozenset(_low(skip.get("function_words", ()))),
        year_cues=frozenset(_low(skip.get("year_cues", ()))),
        range_words=frozenset(_low(skip.get("range_words", ()))),
        currency_symbols=MappingProxyType(dict(data.get("currency_symbols", {}))),
        currency_words=_lowmap(data.get("currency_words", {})),
        units=_lowmap(qty.get("units", {})),
        containers=_lowmap(qty.get("containers", {})),
        links=_low(qty.get("links", ())),
        item_determiners=_low(qty.get("item_determiners", ())),
        modifiers=_low(qty.get("modifiers", ())),
        value_cues=_low(qty.get("value_cues", ())),
        cash_cues=_low(qty.get("cash_cues", ())),
        noun_modifier_items=frozenset(_low(qty.get("noun_modifier_items", ()))),
        item_followers=frozenset(_low(qty.get("item_followers", ()))),
        items=_lowmap(data.get("items", {})),
        calendar_words=frozenset(w.lower() for w in calendar),
        month_names=tuple(m.lower() for m in months),
    )


# --------------------------------------------------------------------------- patterns


def _alt(phrases: Any, *, case_sensitive: bool = False) -> str:
    """A regex alternation of ``phrases``, longest first, spaces matching any whitespace."""
    uniq = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not uniq:
        return r"(?!x)x"  # matches nothing
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in uniq)


def _words_re(lex: _Lexicon) -> str:
    """Regex of a spelled-out number: number words joined by spaces, hyphens or joiners."""
    word = rf"(?:{_alt(lex.number_words)})(?![\w])"
    tail = rf"(?:{_alt(lex.tail_words)})(?![\w])" if lex.tail_words else word
    if lex.tail_after:  # "ciento un mil": a tail word right after a hundred
        word = rf"(?:(?:{_alt(lex.tail_after)})\s+{tail}|{word})"
    join = rf"(?:{_alt(lex.joiners)})" if lex.joiners else r"(?!x)x"
    return rf"{word}(?:(?:\s*-\s*|\s+){word}|\s+{join}\s+(?:{word}|{tail}))*"


@dataclass(frozen=True, slots=True)
class _Patterns:
    count: re.Pattern[str]
    amount: re.Pattern[str]
    after_unit: re.Pattern[str]
    after_container: re.Pattern[str]
    link_item: re.Pattern[str]
    item_direct: re.Pattern[str]
    items: re.Pattern[str]
    currency_after: re.Pattern[str]
    cash_after: re.Pattern[str]
    phone: re.Pattern[str]
    time_after: re.Pattern[str]
    unit_after: re.Pattern[str]
    percent_after: re.Pattern[str]
    month_after: re.Pattern[str]
    list_then_unit: re.Pattern[str]
    currency_before: re.Pattern[str]
    value_before: re.Pattern[str]
    time_before: re.Pattern[str]


# A space between groups of three digits ("EUR 850 000", "1 200 personas"): plain, no-break,
# thin or narrow no-break, as typeset figures use.
_GROUP_SPACE = "[ \u00a0\u2009\u202f]"
_SPACE_GROUPED = re.compile(rf"\d{_GROUP_SPACE}\d")
# Digits not preceded by ":" (7:13), "/" (27/10), "#" or "&" (HTML entities), '="' (markup);
# first as thousands grouped by spaces (possibly with decimals), else with "." and "," marks.
_DIGITS = (
    r"(?<![:/#&])(?<!=\")(?<!\d[.,])"
    rf"(?:\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})++(?:[.,]\d++)?+(?!\d|[.,]\d|{_GROUP_SPACE}\d)|\d++(?:[.,]\d++)*+)"
)


@cache
def _patterns(lang: str) -> _Patterns | None:
    lex = _lexicon(lang)
    if lex is None:
        return None
    f = re.IGNORECASE
    words = _words_re(lex)
    mults = _alt(lex.multipliers)
    glued = _alt(lex.glued_multipliers)
    quals = _alt(lex.qualifiers)
    number = (
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>{words}))"
        rf"(?:(?P<gmult>{glued})(?![\w])|\s*(?P<mult>{mults})(?![\w]))?"
        rf"|(?P<article>{_alt(lex.articles)})\s+(?P<amult>{mults})(?![\w])"
    )
    count = re.compile(
        rf"(?<![\w-])(?:(?P<qual>{quals})\s+)?"
        rf"(?:(?P<special>{_alt(lex.special)})|(?P<vague>{_alt(lex.vague)})|{number})(?![\w])",
        f,
    )
    symbols = _alt(lex.currency_symbols, case_sensitive=True)
    amount = re.compile(
        rf"(?<![\w-])(?:(?P<qual>{quals})\s+)?(?:(?P<cur>{symbols})\s?)?"
        rf"(?:(?P<digits>{_DIGITS})|(?P<words>{words})|(?P<article>{_alt(lex.articles)})(?![\w]))"
        rf"(?:(?P<gmult>{glued})(?![\w])|\s*(?P<mult>{mults})(?![\w]))?",
        f,
    )
    items = _alt(lex.items)
    mods = rf"(?:\s+(?:{_alt(lex.modifiers)}))*"
    dets = rf"(?:\s+(?:{_alt(lex.item_determiners)}))?"
    links = _alt(lex.links)
    link_item = rf"\s+(?:{links}){dets}{mods}\s+(?P<item>{items})(?![\w])"
    return _Patterns(
        count=count,
        amount=amount,
        after_unit=re.compile(rf"\s*(?P<unit>{_alt(lex.units)})(?![\w])", f),
        after_container=re.compile(rf"{mods}\s+(?P<container>{_alt(lex.containers)})(?![\w])", f),
        link_item=re.compile(link_item, f),
        item_direct=re.compile(rf"{mods}\s+(?P<item>{items})(?![\w])", f),
        items=re.compile(rf"(?<![\w-])(?P<item>{items})(?![\w])", f),
        currency_after=re.compile(rf"(?:\s+(?:de|of))?\s+(?P<curword>{_alt(lex.currency_words)})(?![\w])", f),
        cash_after=re.compile(rf"\s+(?:{_alt(lex.cash_cues)})(?![\w])", f),
        phone=re.compile(
            r"(?<![\w])(?:\+\d{1,3}[\s.-]?)?(?:\(\d{1,4}\)\s?)?\d{1,5}(?:[\s-]\d{1,5}){1,4}(?![\w])"
        ),
        time_after=re.compile(rf"(?:[:.h]\d\d|\s*(?:{_alt(lex.time_suffixes)})(?![\w]))", f),
        unit_after=re.compile(
            rf"(?:\s+|\s*-\s*)(?:{_alt((*lex.time_units, *lex.measure_units))})(?![\w])|-[^\W\d]", f
        ),
        percent_after=re.compile(rf"\s*(?:{_alt(lex.percent)})(?![\w])", f),
        month_after=_month_after(lex),
        list_then_unit=re.compile(
            rf"(?:\s*(?:,|-|–|(?:{_alt((*lex.joiners, 'to', 'a', 'or', 'o'))})(?![\w]))\s*\d+(?:[.,]\d+)?)+"
            rf"(?:\s+|\s*-\s*)(?:{_alt((*lex.time_units, *lex.measure_units))})(?![\w])",
            f,
        ),
        currency_before=re.compile(rf"(?:{symbols})\s?$"),
        value_before=re.compile(rf"(?:{_alt(lex.value_cues)})\s+$", f),
        time_before=re.compile(rf"(?<![\w])(?:{_alt(lex.time_prefixes)})\s+$", f),
    )


def _month_after(lex: _Lexicon) -> re.Pattern[str]:
    """A month name after a day number ("28 de diciembre", "31 July").

    English month names must be capitalized, so "22 may have" is not a date.
    """
    if lex.lang == "en":
        names = _alt(m.capitalize() for m in lex.month_names)
        return re.compile(rf"\s+(?:of\s+)?(?:{names})(?![\w])")
    return re.compile(rf"\s+(?:(?:de|del)\s+)?(?:{_alt(lex.month_names)})(?![\w])", re.IGNORECASE)


def number_word_pattern(lang: str) -> str:
    """Regex source (no groups) of a number written with digits or words in ``lang``.

    Used by the date module for "two days ago" / "hace dos días".
    """
    lex = _lexicon(lang)
    if lex is None:
        return r"\d+"
    return rf"(?:\d{{1,3}}|(?:{_words_re(lex)})|(?:{_alt(lex.articles)}))(?![\w])"


# --------------------------------------------------------------------------- values


def _digits_value(s: str, lang: str) -> float | None:
    """Value of digits with separators: "1,000", "1.000" (es), "1 000", "5.4", "2,5" (es)."""
    if _SPACE_GROUPED.search(s):
        # Space-grouped thousands: a "." or "," after them is the decimal mark ("1 200,5").
        whole, _, frac = re.sub(_GROUP_SPACE, "", s).replace(",", ".").partition(".")
        return float(f"{whole}.{frac or 0}")
    seps = re.findall(r"[.,]", s)
    if not seps:
        return float(s)
    groups = re.split(r"[.,]", s)
    if len(set(seps)) == 2:
        # Both kinds: the last separator is the decimal mark ("1.234,5", "1,234.5").
        decimal = seps[-1]
        intpart = s[: s.rfind(decimal)]
        frac = s[s.rfind(decimal) + 1 :]
        if any(len(g) != 3 for g in re.split(r"[.,]", intpart)[1:]):
            return None
        return float(re.sub(r"[.,]", "", intpart) + "." + frac)
    if len(seps) > 1:
        if len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:]):
            return None
        return float("".join(groups))
    head, tail = groups
    # One separator followed by exactly three digits is a thousands mark, except an
    # English dot, which is always decimal. Spanish-language news writes both "1.000"
    # (Spain, Colombia) and "1,000" (Mexico) for a thousand.
    thousands = len(tail) == 3 and len(head) <= 3 and (seps[0] == "," or lang != "en")
    return float(head + tail) if thousands else float(head + "." + tail)


def _fix_words(s: str, lex: _Lexicon) -> str:
    s = re.sub(r"\s*-\s*", "-", re.sub(r"\s+", " ", s.lower().strip()))
    for wrong, right in sorted(lex.fixes.items(), key=lambda kv: -len(kv[0])):
        s = re.sub(rf"(?<![\w]){re.escape(wrong)}(?![\w])", right, s)
    return s


def _words_value(s: str, lex: _Lexicon) -> tuple[int, int] | None:
    """(value, characters used) of the longest prefix of ``s`` that text2num accepts."""
    tokens = list(re.finditer(r"[^\s-]+", s))
    for n in range(len(tokens), 0, -1):
        part = s[: tokens[n - 1].end()]
        if tokens[n - 1].group().lower() in lex.joiners:
            continue
        try:
            return int(text2num(_fix_words(part, lex), lex.lang)), len(part)
        except ValueError:
            continue
    return None


def parse_number(text: str, lang: str) -> float | None:
    """The value of a number written with digits or words ("1.000", "veintidos", "10 mil").

    Returns None when ``text`` does not start with a number.
    """
    pats, lex = _patterns(lang), _lexicon(lang)
    if pats is None or lex is None:
        return None
    m = pats.count.match(text.strip())
    if m is None or m.group("vague") or m.group("qual"):
        return None
    val = _match_value(m, lex)
    return None if val is None else val[0]


def _match_value(m: re.Match[str], lex: _Lexicon) -> tuple[float, int, bool] | None:
    """(value, end offset of the number part, approximate?) of a count/amount match."""
    if m.groupdict().get("special"):
        return float(lex.special[_norm(m.group("special"))]), m.end("special"), False
    end = m.end()
    approx = False
    if m.group("digits"):
        value = _digits_value(m.group("digits"), lex.lang)
        if value is None:
            return None
    elif m.group("words"):
        got = _words_value(m.group("words"), lex)
        if got is None:
            return None
        value = float(got[0])
        if got[1] < len(m.group("words")):
            # text2num took only a prefix ("five and six"): the phrase ends there.
            return value, m.start("words") + got[1], False
    else:
        value = 1.0
    mult = m.groupdict().get("mult") or m.groupdict().get("amult")
    if mult:
        value *= lex.multipliers[_norm(mult)]
        approx = _norm(mult) in lex.approximate
    elif m.group("gmult"):
        value *= lex.glued_multipliers[m.group("gmult").lower()]
    return value, end, approx


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower().strip())


def _as_int(value: float) -> int | None:
    return round(value) if abs(value - round(value)) < 1e-9 else None


def _count_value(m: re.Match[str], lex: _Lexicon, text: str) -> tuple[CountValue, int] | None:
    """The CountValue of a count-regex match and the end offset of its phrase."""
    qual = m.group("qual")
    qualifier = lex.qualifiers[_norm(qual)] if qual else "exact"
    start = m.start()
    if qual and _qualifier_blocked(text, m.start(), _norm(qual), lex):
        qualifier, start = "exact", m.start("qual") + len(qual)
        start = len(text) - len(text[start:].lstrip())
    if m.group("vague"):
        phrase = text[start : m.end()]
        note = f"vague quantity: {_norm(m.group('vague'))}"
        return CountValue(None, qualifier if qual else "about", phrase, note), m.end()
    got = _match_value(m, lex)
    if got is None:
        return None
    value, end, approx = got
    ival = _as_int(value)
    if ival is None:
        return None
    if approx and qualifier == "exact":
        qualifier = "about"
    return CountValue(ival, qualifier, text[start:end]), end


def _qualifier_blocked(text: str, start: int, qual: str, lex: _Lexicon) -> bool:
    blockers = lex.qualifier_blockers.get(qual, frozenset())
    return _prev_word(text, start) in blockers


def _prev_word(text: str, pos: int) -> str:
    m = re.search(r"([\w.'’-]+)[\s,]*$", text[max(0, pos - 40) : pos])
    return m.group(1).lower().strip(".,'’") if m else ""


# --------------------------------------------------------------------------- counts


@cache
def folded_number_words(lang: str) -> frozenset[str]:
    """The number words of ``lang`` folded like knowledge-base tokens ("veintidos", "five")."""
    from crimewire.kb import fold_word  # (crimewire.kb does not import this module)

    lex = _lexicon(lang)
    return frozenset(fold_word(w) for w in lex.number_words) if lex is not None else frozenset()


def leading_qualifier(text: str, langs: Sequence[str] = ("en", "es")) -> str:
    """The qualifier a quantity's words open with ("más de 200 cartuchos" -> "more_than"), else "exact"."""
    low = " ".join(text.lower().split())
    best, name = 0, "exact"
    for lang in langs:
        lex = _lexicon(lang)
        for phrase, qualifier in (lex.qualifiers.items() if lex is not None else ()):
            if len(phrase) > best and low.startswith(phrase + " "):
                best, name = len(phrase), qualifier
    return name


def qualifier_phrases(lang: str) -> frozenset[str]:
    """The lower-case qualifier phrases of ``lang`` ("more than", "cerca de"); empty for others."""
    lex = _lexicon(lang)
    return frozenset(lex.qualifiers) if lex is not None else frozenset()


def collective_number_nouns(lang: str) -> frozenset[str]:
    """Nouns that are numbers ("dozen", "docena", "centenar"): "un centenar de pandilleros" counts 100."""
    lex = _lexicon(lang)
    return frozenset(w for w in lex.multipliers if " " not in w) if lex is not None else frozenset()


def parse_count(text: str, lang: str) -> CountValue | None:
    """The count a phrase states: "22", "twenty-two", "veintidos", "more than 100", "decenas".

    The first number phrase of ``text`` is read (so "22 members" gives 22).
    Qualifiers: exact, more_than, at_least, about, up_to, fewer_than. Vague
    quantities ("dozens", "varios") give ``value=None`` with a note. A bare article
    ("a Mexican national") is not a count here: see ``singular_count``.
    """
    pats, lex = _patterns(lang), _lexicon(lang)
    if pats is None or lex is None:
        return None
    for m in _count_matches(text, pats, lex):
        got = _count_value(m, lex, text)
        if got is not None:
            return got[0]
    return None


def _count_matches(text: str, pats: _Patterns, lex: _Lexicon) -> Iterator[re.Match[str]]:
    """``pats.count.finditer(text)``, with a day number kept apart from a count after it."""
    pos = 0
    while (m := pats.count.search(text, pos)) is not None:
        m = _day_apart(text, m, pats.count, lex)
        yield m
        pos = m.end()


def _day_apart(text: str, m: re.Match[str], pattern: re.Pattern[str], lex: _Lexicon) -> re.Match[str]:
    """"December 28 150 migrants": after a month name, space-grouped digits are a day, then a count."""
    digits = m.group("digits")
    if not digits or not _SPACE_GROUPED.search(digits) or _prev_word(text, m.start("digits")) not in lex.calendar_words:
        return m
    day_end = m.start("digits") + len(re.match(r"\d+", digits).group())  # type: ignore[union-attr]
    return pattern.match(text, m.start(), day_end) or m


def singular_count(noun_phrase: str, lang: str = "en") -> CountValue | None:
    """1 for a singular noun phrase ("a Mexican national", "una mujer"), else its count.

    A phrase that opens with a number ("a dozen people", "two men") gives that number.
    """
    pats, lex = _patterns(lang), _lexicon(lang)
    if pats is None or lex is None:
        return None
    phrase = noun_phrase.strip()
    m = pats.count.match(phrase)
    if m is not None:
        got = _count_value(m, lex, phrase)
        if got is not None:
            return got[0]
    m = re.match(rf"(?:{_alt(lex.singular)})(?=\s+\w)", phrase, re.IGNORECASE)
    if m is not None:
        return CountValue(1, "exact", m.group())
    return None


def find_count_phrases(text: str, lang: str) -> tuple[CountMention, ...]:
    """Every number phrase in ``text`` that may count people, bodies or things.

    Left out: years ("in 2014"), clock times ("10.20am", "7:13"), money, percentages,
    phone numbers, day numbers of dates, ordinals, labels ("phase two", "Barrio 18"),
    ages ("a 21-year-old", "de 29 años"), durations ("13 years") and measures
    ("5.4 tonnes": see ``find_quantities``).
    """
    pats, lex = _patterns(lang), _lexicon(lang)
    if pats is None or lex is None:
        return ()
    phones = [(p.start(), p.end()) for p in pats.phone.finditer(text) if _is_phone(p.group())]
    out: list[CountMention] = []
    labelled_end = -1  # end of the last number named by a label ("aged between 20 [and 35]")
    link = re.compile(rf"\s*(?:,|-|–|(?:{_alt((*lex.joiners, 'to', 'a', 'or', 'o'))})(?![\w]))\s*", re.I)
    for m in _count_matches(text, pats, lex):
        got = _count_value(m, lex, text)
        if got is None:
            continue
        value, end = got
        start = end - len(value.text)
        if labelled_end >= 0 and link.fullmatch(text, labelled_end, start):
            labelled_end = end
            continue
        labelled_end = end if _labelled(text, start, lex) else -1
        if _skip_count(text, m, start, end, value, lex, pats, phones):
            # "15 por ciento": the words after a skipped figure are not a count either.
            tail = pats.percent_after.match(text, end) or pats.currency_after.match(text, end)
            if tail is not None:
                phones.append((tail.start(), tail.end()))
            continue
        out.append(CountMention(value.text, start, end, value))
    return tuple(out)


def _is_phone(s: str) -> bool:
    digits = re.sub(r"\D", "", s)
    if len(digits) < 7:
        return False
    # "1 000 000" grouped by threes is a figure, not a phone number.
    return not re.fullmatch(rf"\d{{1,3}}(?:{_GROUP_SPACE}\d{{3}})+", s)


def _skip_count(
    text: str,
    m: re.Match[str],
    start: int,
    end: int,
    value: CountValue,
    lex: _Lexicon,
    pats: _Patterns,
    phones: list[tuple[int, int]],
) -> bool:
    """True when the number phrase at [start, end) is not a count (see find_count_phrases)."""
    num_start = m.start("digits") if m.group("digits") else m.start("words") if m.group("words") else start
    after = text[end : end + 40]
    before = text[max(0, start - 40) : start]
    prev = _prev_word(text, start)
    if any(s < end and start < e for s, e in phones):
        return True
    if re.match(r"\s*[-–/]\s*\d|[:.,]\d", after) or re.search(r"\d\s*[-–/]\s*$", before):
        return True  # ranges, scores, dates written with digits, clock times
    if pats.time_after.match(after) or pats.time_before.search(before):
        return True
    if pats.percent_after.match(after) or pats.unit_after.match(after):
        return True
    if pats.list_then_unit.match(after):
        return True  # "between 29 and 38 years old", "44, 39 y 32 años"
    if re.search(r"(?m)^[ \t]*[-•*][ \t]*$", before) and re.match(r"[ \t]*(?:\n|$)", after):
        return True  # a bullet number of a list ("- 1")
    if _age_apposition(before, after, lex):
        return True
    if pats.currency_after.match(after):
        return True
    if pats.currency_before.search(text[max(0, num_start - 5) : num_start]):
        return True
    if _labelled(text, start, lex) or prev in lex.negators or prev in lex.calendar_words:
        return True
    if pats.month_after.match(after):
        return True
    if num_start > 0 and text[num_start - 1] == "(" and after.startswith(")"):
        return True  # "(29)" after a name is an age; "(3)" after a weekday a day
    digits = m.group("digits")
    if digits and not (m.group("mult") or m.group("gmult")):
        if len(digits) >= 7 and digits.isdigit():
            return True  # ids and codes
        looks_year = len(digits) == 4 and digits.isdigit() and 1900 <= int(digits) <= 2099
        if looks_year and _is_year(text, start, end, lex):
            return True
    return _after_name(text, start, lex)


def _labelled(text: str, start: int, lex: _Lexicon) -> bool:
    """A label word names the number: "phase two", "dial 999", "aged between 20 and 35"."""
    prev = _prev_word(text, start)
    if prev in lex.label_words:
        return True
    if prev in lex.range_words:
        at = text.lower().rfind(prev, 0, start)
        return _prev_word(text, at) in lex.label_words
    return False


def _age_apposition(before: str, after: str, lex: _Lexicon) -> bool:
    """An age in apposition: "Jorge Costilla-Sanchez, 51, was sentenced", "“Landis”, de 25, como"."""
    if not after.startswith(","):
        return False
    m = re.search(r"([^\W\d_][\w'’-]*)[”\"’']?,\s*(?:de\s+)?$", before)
    if m is None:
        return False
    return m.group(1)[0].isupper() and m.group(1).lower() not in lex.function_words


def _is_year(text: str, start: int, end: int, lex: _Lexicon) -> bool:
    """A bare 1900-2099 figure is a year unless a plural noun follows it ("2000 personas")."""
    if _prev_word(text, start) in lex.year_cues or _prev_word(text, start) in lex.calendar_words:
        return True
    nxt = re.match(r"\s+([^\W\d_]+)", text[end : end + 30])
    if nxt is None:
        return True
    word = nxt.group(1)
    plural_noun = word.islower() and word.endswith("s") and len(word) > 3
    return not plural_noun or word in {"was", "has", "this"}


def _after_name(text: str, start: int, lex: _Lexicon) -> bool:
    """True when a capitalized word that is not a function word comes right before ("Barrio 18")."""
    m = re.search(r"(?<![\w.])([^\W\d_][\w'’-]*) $", text[max(0, start - 40) : start])
    if m is None:
        return False
    word = m.group(1)
    return word[0].isupper() and word.lower() not in lex.function_words and word.lower() not in lex.qualifiers


# --------------------------------------------------------------------------- quantities


def parse_quantity(text: str, lang: str) -> Quantity | None:
    """The seized quantity a phrase states ("5.4 tonnes of cocaine", "un arma de fuego").

    The first quantity with an amount wins; otherwise the first item named alone
    ("cocaine" -> amount None).
    """
    found = find_quantity_mentions(text, lang, bare_items=True)
    with_amount = [q for q in found if q.quantity.amount is not None]
    if with_amount:
        return with_amount[0].quantity
    return found[0].quantity if found else None


def find_quantities(text: str, lang: str, *, bare_items: bool = False) -> tuple[Quantity, ...]:
    """All seized quantities in ``text`` (e.g. one sentence), in text order.

    With ``bare_items``, items named without an amount ("seized weapons") are
    included with ``amount=None``.
    """
    return tuple(q.quantity for q in find_quantity_mentions(text, lang, bare_items=bare_items))


def find_quantity_mentions(text: str, lang: str, *, bare_items: bool = False) -> tuple[QuantityMention, ...]:
    """Like ``find_quantities``, with the offsets of each quantity in ``text``."""
    pats, lex = _patterns(lang), _lexicon(lang)
    if pats is None or lex is None:
        return ()
    out: list[QuantityMention] = []
    pos = 0
    while True:
        m = pats.amount.search(text, pos)
        if m is None:
            break
        m = _day_apart(text, m, pats.amount, lex)
        got = _quantity_at(text, m, lex, pats)
        if got is None:
            # The whole amount is spent: "valued at $185 million" must not leave "million".
            pos = max(m.end(), m.start() + 1)
            continue
        out.append(got)
        pos = got.end
    if bare_items:
        taken = [(q.start, q.end) for q in out]
        for im in pats.items.finditer(text):
            if not any(s < im.end() and im.start() < e for s, e in taken):
                item = lex.items[_norm(im.group("item"))]
                out.append(QuantityMention(im.group(), im.start(), im.end(), Quantity(item, text=im.group())))
        out.sort(key=lambda q: q.start)
    return tuple(out)


def _quantity_at(text: str, m: re.Match[str], lex: _Lexicon, pats: _Patterns) -> QuantityMention | None:
    """Read the unit, item or currency after the amount matched by ``m``."""
    if m.group("article") and m.group("cur"):
        return None
    got = _match_value(m, lex)
    if got is None:
        return None
    amount, pos, _approx = got
    start = m.start()
    if pats.value_before.search(text[max(0, start - 40) : start]):
        return None  # "valued at $185 million" is a value, not seized money
    cur = m.group("cur")
    cw = pats.currency_after.match(text, pos)
    if cur or cw:
        if m.group("article") and not cw:
            return None
        currency = lex.currency_words[_norm(cw.group("curword"))] if cw else lex.currency_symbols[cur]
        end = cw.end() if cw else pos
        cash = pats.cash_after.match(text, end)
        item = "cash" if cash else "money"
        end = cash.end() if cash else end
        return _qmention(text, start, end, Quantity(item, amount, currency))
    u = pats.after_unit.match(text, pos)
    if u is not None and (m.group("digits") or text[pos : pos + 1].isspace()):
        li = pats.link_item.match(text, u.end())
        if li is None:
            return None
        unit = lex.units[_norm(u.group("unit"))]
        return _qmention(text, start, li.end(), Quantity(lex.items[_norm(li.group("item"))], amount, unit))
    c = pats.after_container.match(text, pos)
    if c is not None:
        container = lex.containers[_norm(c.group("container"))]
        li = pats.link_item.match(text, c.end())
        if li is not None:
            item = lex.items[_norm(li.group("item"))]
            return _qmention(text, start, li.end(), Quantity(item, amount, container))
        return _qmention(text, start, c.end(), Quantity(container, amount, "units"))
    it = pats.item_direct.match(text, pos)
    if it is None:
        return None
    surface = _norm(it.group("item"))
    if surface in lex.noun_modifier_items:
        # "two drug traffickers": the item word modifies the next noun.
        nxt = re.match(r"\s+([^\W\d_]+)", text[it.end() : it.end() + 30])
        if nxt and nxt.group(1).islower() and nxt.group(1) not in lex.item_followers:
            return None
    return _qmention(text, start, it.end(), Quantity(lex.items[surface], amount, "units"))


def _qmention(text: str, start: int, end: int, q: Quantity) -> QuantityMention:
    phrase = text[start:end]
    return QuantityMention(phrase, start, end, Quantity(q.item, q.amount, q.unit, phrase))
