"""Date expressions in English and Spanish news, resolved against the publication date.

``find_date_expressions`` finds weekday, relative, absolute, month and year
expressions ("this Thursday", "el pasado domingo 1 de diciembre", "earlier this
month", "en enero de 2024") with their offsets; ``resolve_date`` turns one into a
``DateValue`` using the publication date. News reports the past, so a bare weekday
is the most recent such day on or before publication.

dateparser gets relative weekdays wrong (STACK.md), so every pattern here is resolved
by our own rules; dateparser is only a fallback for absolute strings our patterns do
not read (e.g. "2023/12/28"), and it is never on the ``find_date_expressions`` path.
Vocabulary lives in ``data/dates.toml``; patterns are compiled once per language.
"""

from __future__ import annotations

import calendar
import re
import tomllib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from crimewire.counts import number_word_pattern, parse_number
from crimewire.records import DateValue, Precision

_DATA = Path(__file__).parent / "data"

KINDS: tuple[str, ...] = (
    "weekday",  # "this Thursday", "el viernes por la noche"
    "weekday_day",  # a weekday with a bare day number: "el jueves 5", "Wednesday (3)"
    "absolute",  # a day and month, maybe a year and weekday: "December 28, 2023"
    "dateline",  # an absolute date opening the article: "Ciudad de México, 15 de febrero de 2026.-"
    "month",  # "in January", "en enero de 2024", "late in January"
    "year",  # "in 2014"
    "relative",  # "yesterday", "last week", "earlier this month", "two days ago"
    "part_of_day",  # "overnight", "anoche", "this morning"
    "weekend",  # "over the weekend"
    "following_day",  # "the following day", "al día siguiente" (needs a reference date)
    "previous_day",  # "the day before", "el día anterior" (needs a reference date)
    "same_day",  # "that same day" (needs a reference date)
    "following",  # "two weeks later" (needs a reference date; unit week/month/year)
    "previous",  # "a year earlier" (needs a reference date; unit week/month/year)
    "vague",  # "recently", "en los últimos días": found, never resolved
)


@dataclass(frozen=True, slots=True)
class DateMention:
    """A date expression found in a text (half-open offsets) with its parsed parts."""

    text: str
    start: int
    end: int
    kind: str  # one of KINDS
    lang: str = ""
    weekday: int | None = None  # 0 = Monday
    day: int | None = None
    month: int | None = None
    year: int | None = None
    direction: str = ""  # "" (on or before publication) | "last" (strictly before) | "next"
    unit: str = ""  # relative: "day" | "week" | "month" | "year" | "weekend"
    offset: int = 0  # relative: how many units from the base date (negative = before)
    part_of_day: str = ""  # "night", "madrugada", ... when stated
    period: str = ""  # "early" | "mid" | "late" for "late in January", "a principios de 2024"
    swappable: bool = False  # numeric date whose day and month could be read the other way


# --------------------------------------------------------------------------- vocabulary


@dataclass(frozen=True, slots=True)
class _Vocab:
    lang: str
    weekdays: MappingProxyType[str, int]
    weekday_abbrevs: MappingProxyType[str, int]
    months: MappingProxyType[str, int]
    month_abbrevs: MappingProxyType[str, int]
    weekday_blockers: tuple[str, ...]
    weekday_blockers_after: tuple[str, ...]
    month_blockers: tuple[str, ...]
    day_suffixes: tuple[str, ...]
    first_day_words: tuple[str, ...]
    day_determiners: tuple[str, ...]
    day_month_links: tuple[str, ...]
    day_followers: frozenset[str]
    range_links: tuple[str, ...]
    year_links: tuple[str, ...]
    weekday_preps: tuple[str, ...]
    modifiers: MappingProxyType[str, str]  # phrase -> direction
    suffixes: MappingProxyType[str, str]
    pod_words: tuple[str, ...]
    pod_after: tuple[str, ...]
    pod_before: tuple[str, ...]
    month_preps: tuple[str, ...]
    month_suffixes: tuple[str, ...]
    year_preps: tuple[str, ...]
    period_words: MappingProxyType[str, str]
    relative: MappingProxyType[str, tuple[str, str, int]]  # phrase -> (kind, unit, offset)
    counted_units: MappingProxyType[str, str]
    ago_before: tuple[str, ...]
    ago_after: tuple[str, ...]
    later: tuple[str, ...]
    earlier: tuple[str, ...]


@cache
def _raw(name: str) -> MappingProxyType[str, Any]:
    """One data file, parsed once (read-only view)."""
    return MappingProxyType(tomllib.loads((_DATA / name).read_text(encoding="utf-8")))


def _alt(phrases: Any) -> str:
    """A regex alternation of ``phrases``, longest first, spaces matching any whitespace."""
    uniq = sorted({p for p in phrases if p}, key=lambda p: (-len(p), p))
    if not uniq:
        return r"(?!x)x"  # matches nothing
    return "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in uniq)


def _low(words: Any) -> tuple[str, ...]:
    return tuple(str(w).lower() for w in words)


def _lowmap(table: Any) -> MappingProxyType[str, Any]:
    return MappingProxyType({str(k).lower(): v for k, v in dict(table).items()})


def _directions(table: Any) -> MappingProxyType[str, str]:
    names = {"this": "", "last": "last", "next": "next"}
    return MappingProxyType({p.lower(): names[d] for d, phrases in dict(table).items() for p in phrases})


def _expand_pod(templates: Any, words: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    for t in templates:
        if "{pod}" in t:
            out.extend(t.replace("{pod}", w) for w in words)
        else:
            out.append(t)
    return tuple(p.lower() for p in out)


@cache
def _vocab(lang: str) -> _Vocab | None:
    """The date vocabulary of ``lang``; None for a language dates.toml does not cover."""
    d = _raw("dates.toml").get(lang)
    if d is None:
        return None
    pod = d.get("part_of_day", {})
    words = _low(pod.get("words", ()))
    relative: dict[str, tuple[str, str, int]] = {}
    for entry in d.get("relative", ()):
        for p in entry["phrases"]:
            relative[_norm(p)] = (entry["kind"], entry["unit"], int(entry["offset"]))
    counted = d.get("counted", {})
    return _Vocab(
        lang=lang,
        weekdays=_lowmap(d.get("weekdays", {})),
        weekday_abbrevs=_lowmap(d.get("weekday_abbrevs", {})),
        months=_lowmap(d.get("months", {})),
        month_abbrevs=_lowmap(d.get("month_abbrevs", {})),
        weekday_blockers=_low(d.get("weekday_blockers", ())),
        weekday_blockers_after=_low(d.get("weekday_blockers_after", ())),
        month_blockers=_low(d.get("month_blockers", ())),
        day_suffixes=tuple(d.get("day_suffixes", ())),
        first_day_words=_low(d.get("first_day_words", ())),
        day_determiners=_low(d.get("day_determiners", ())),
        day_month_links=_low(d.get("day_month_links", ())),
        day_followers=frozenset(_low(d.get("day_followers", ()))),
        range_links=_low(d.get("range_links", ())),
        year_links=_low(d.get("year_links", ())),
        weekday_preps=_low(d.get("weekday_preps", ())),
        modifiers=_directions(d.get("modifiers", {})),
        suffixes=_directions(d.get("suffixes", {})),
        pod_words=words,
        pod_after=_expand_pod(pod.get("after_weekday", ()), words),
        pod_before=_expand_pod(pod.get("before_weekday", ()), words),
        month_preps=_low(d.get("months_context", {}).get("preps", ())),
        month_suffixes=_low(d.get("months_context", {}).get("suffixes", ())),
        year_preps=_low(d.get("years_context", {}).get("preps", ())),
        period_words=_lowmap(d.get("period_words", {})),
        relative=MappingProxyType(relative),
        counted_units=_lowmap(counted.get("units", {})),
        ago_before=_low(counted.get("ago_before", ())),
        ago_after=_low(counted.get("ago_after", ())),
        later=_low(counted.get("later", ())),
        earlier=_low(counted.get("earlier", ())),
    )


def _norm(s: str) -> str:
    return re.sub(r"\s+", " ", s.lower().strip())


# --------------------------------------------------------------------------- patterns

_Handler = Callable[[re.Match[str], str, "_Vocab"], "DateMention | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: _Handler


def _opt_prefix(name: str, phrases: Any) -> str:
    """An optional leading phrase, captured as ``name``; "mid-" needs no space after it."""
    phrases = tuple(phrases)
    if not phrases:
        return ""
    return rf"(?:(?P<{name}>{_alt(phrases)})(?:(?<=-)|\s+))?"


@cache
def _rules(lang: str) -> tuple[_Rule, ...]:
    v = _vocab(lang)
    if v is None:
        return ()
    f = re.IGNORECASE
    # Weekday abbreviations only before a full date: "el mar." is more often the sea.
    wd = rf"(?P<wd>(?:{_alt(v.weekdays)})(?![\w]))"
    wd_abbr_ok = rf"(?P<wd>(?:{_alt(v.weekdays)})(?![\w])|(?:{_alt(v.weekday_abbrevs)})(?:\.|(?![\w])))"
    mon_any = rf"(?P<mon>(?:{_alt(v.months)})(?![\w])|(?:{_alt(v.month_abbrevs)})(?:\.|(?![\w])))"
    first = rf"|{_alt(v.first_day_words)}" if v.first_day_words else ""
    suffix = rf"(?:{_alt(v.day_suffixes)})?" if v.day_suffixes else ""
    day = rf"(?P<day>[0-3]?\d{first})(?!\d){suffix}(?![\w])(?![.:,]\d)"
    day2 = r"(?P<day2>[0-3]?\d)(?!\d)(?![\w])(?![.:,]\d)"
    rlinks = _alt(v.range_links)
    year = r"(?P<year>(?:1[89]|20)\d\d)(?![\d])(?![.,]\d)"
    ylink = rf"(?:,?\s+(?:(?:{_alt(v.year_links)})\s+)?)" if v.year_links else r"(?:,?\s+)"
    mods = rf"(?:(?P<mod>{_alt(v.modifiers)})\s+)?"
    preps = _opt_prefix("prep", v.weekday_preps)
    sufs = rf"(?:\s+(?P<suf>{_alt(v.suffixes)})(?![\w]))?" if v.suffixes else ""
    sufs2 = sufs.replace("?P<suf>", "?P<suf2>")
    pod_before = _opt_prefix("podpre", v.pod_before)
    pod_after = rf"(?:,?\s+(?P<pod>{_alt(v.pod_after)})(?![\w]))?" if v.pod_after else ""
    poss = r"(?P<poss>'s|’s|&#8217;s)?"
    dets = rf"(?:(?:{_alt(v.day_determiners)})\s+)?" if v.day_determiners else ""
    dmlink = rf"\s+(?:(?:{_alt(v.day_month_links)})\s+)?"
    head = rf"(?<![\w-]){pod_before}{preps}{mods}"
    rules = [
        # Month day: "on Dec. 28", "Monday, July 31, 2023", "December 28, 2023".
        _Rule(
            "month_day",
            re.compile(
                rf"{head}(?:{wd_abbr_ok},?\s+)?{dets}{mon_any}\s+{day}(?:{ylink}{year})?{pod_after}", f
            ),
            _absolute,
        ),
        # Day month: "28 December 2023", "el 28 de diciembre", "el pasado domingo 1 de diciembre".
        _Rule(
            "day_month",
            re.compile(
                rf"{head}(?:{wd_abbr_ok}{sufs},?\s+)?{dets}{day}{dmlink}{mon_any}(?:{ylink}{year})?{sufs2}{pod_after}",
                f,
            ),
            _absolute,
        ),
        # Ranges keep their first day: "Dec. 1-5", "del 10 al 12 de enero".
        _Rule(
            "month_day_range",
            re.compile(
                rf"{head}(?:{wd_abbr_ok},?\s+)?{mon_any}\s+{day}\s*(?:{rlinks})\s*{day2}(?:{ylink}{year})?", f
            ),
            _absolute,
        ),
        _Rule(
            "day_month_range",
            re.compile(rf"{head}{dets}{day}\s*(?:{rlinks})\s*{day2}{dmlink}{mon_any}(?:{ylink}{year})?", f),
            _absolute,
        ),
        # Weekday with a date in parentheses: "Sunday (April 30)", "Wednesday (3)".
        _Rule(
            "weekday_paren_md",
            re.compile(rf"{head}{wd}\s*\(\s*{mon_any}\s+{day}(?:,?\s+{year})?\s*\)", f),
            _absolute,
        ),
        _Rule(
            "weekday_paren_dm",
            re.compile(rf"{head}{wd}\s*\(\s*{day}\s+(?:(?:de|of)\s+)?{mon_any}(?:{ylink}{year})?\s*\)", f),
            _absolute,
        ),
        _Rule("weekday_paren_d", re.compile(rf"{head}{wd}\s*\(\s*{day}\s*\)", f), _weekday),
        # Weekday, maybe with a bare day number: "this Thursday", "el jueves 5", "Friday night".
        _Rule(
            "weekday",
            re.compile(
                rf"{head}{wd}{sufs}(?:,?\s+{day})?{sufs2}{pod_after}{poss}"
                if lang != "en"
                else rf"{head}{wd}{pod_after}{poss}",
                f,
            ),
            _weekday,
        ),
        # Month, maybe with a year: "in January", "in November 2019", "en enero de 2024".
        _Rule(
            "month",
            re.compile(
                rf"(?<![\w-]){_opt_prefix('prep', v.month_preps)}{mods}{mon_any}(?:{ylink}{year})?"
                + (rf"(?:\s+(?P<suf>{_alt(v.month_suffixes)})(?![\w]))?" if v.month_suffixes else ""),
                f,
            ),
            _month,
        ),
        # Year after a preposition: "in 2014", "desde el 2021", "mid-2023".
        _Rule(
            "year",
            re.compile(rf"(?<![\w-])(?P<prep>{_alt(v.year_preps)})(?:(?<=-)|\s+){year}", f),
            _year,
        ),
        # Fixed relative phrases: "yesterday", "earlier this month", "en las últimas horas".
        _Rule("relative", re.compile(rf"(?<![\w-])(?P<rel>{_alt(v.relative)})(?![\w])", f), _relative),
        # Counted: "two days ago", "hace dos semanas", "three days later".
        _Rule("counted", _counted_pattern(v), _counted),
        # Numeric: "28/12/2023", "2023-12-28".
        _Rule(
            "numeric",
            re.compile(
                r"(?<![\w/.-])(?P<a>[0-3]?\d)(?P<sep>[/.-])(?P<b>[01]?\d)(?P=sep)(?P<y>(?:19|20)?\d\d)(?![\w/-])"
            ),
            _numeric,
        ),
        _Rule(
            "iso",
            re.compile(r"(?<![\w/.-])(?P<y>(?:19|20)\d\d)-(?P<b>[01]\d)-(?P<a>[0-3]\d)(?![\w/-])"),
            _numeric,
        ),
    ]
    return tuple(rules)


def _counted_pattern(v: _Vocab) -> re.Pattern[str]:
    num = number_word_pattern(v.lang)
    before = rf"(?:(?P<before>{_alt(v.ago_before)})\s+)?" if v.ago_before else ""
    after = _alt((*v.ago_after, *v.later, *v.earlier))
    return re.compile(
        rf"(?<![\w-]){before}(?P<n>{num})\s+(?P<unit>{_alt(v.counted_units)})(?![\w])(?:\s+(?P<after>{after})(?![\w]))?",
        re.IGNORECASE,
    )


# --------------------------------------------------------------------------- handlers


def _g(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _weekday_of(m: re.Match[str], v: _Vocab) -> int | None:
    w = _g(m, "wd")
    if w is None:
        return None
    key = w.lower().rstrip(".")
    return v.weekdays.get(key, v.weekday_abbrevs.get(key))


def _month_of(m: re.Match[str], v: _Vocab) -> int | None:
    mon = _g(m, "mon")
    if mon is None:
        return None
    key = mon.lower().rstrip(".")
    return v.months.get(key, v.month_abbrevs.get(key))


def _day_of(m: re.Match[str], v: _Vocab) -> int | None:
    d = _g(m, "day")
    if d is None:
        return None
    if d.lower() in v.first_day_words:
        return 1
    n = int(d)
    return n if 1 <= n <= 31 else None


def _direction(m: re.Match[str], v: _Vocab) -> str:
    for name, table in (("mod", v.modifiers), ("suf", v.suffixes), ("suf2", v.suffixes)):
        word = _g(m, name)
        if word and table.get(_norm(word)):
            return table[_norm(word)]
    prep = _g(m, "prep")
    if prep:
        # "last", "el pasado mes de", "late last": a modifier inside the leading phrase.
        for word in _norm(prep).split():
            if v.modifiers.get(word) or v.suffixes.get(word):
                return v.modifiers.get(word) or v.suffixes[word]
    return ""


def _part_of_day(m: re.Match[str], v: _Vocab) -> str:
    for name in ("podpre", "pod", "prep"):
        text = _g(m, name)
        if text:
            for w in v.pod_words:
                if re.search(rf"(?<![\w]){re.escape(w)}(?![\w])", text, re.IGNORECASE):
                    return w
            if name != "prep":
                return _norm(text)
    return ""


def _capitalized_ok(m: re.Match[str], v: _Vocab) -> bool:
    """English weekday and month names are capitalized; "may" and "sat" are words."""
    if v.lang != "en":
        return True
    return all(not (tok := _g(m, name)) or tok[0].isupper() for name in ("wd", "mon"))


def _valid_day(day: int, month: int, year: int | None) -> bool:
    return day <= (calendar.monthrange(year, month)[1] if year else (29 if month == 2 else 31))


def _mention(m: re.Match[str], kind: str, v: _Vocab, **parts: Any) -> DateMention:
    return DateMention(m.group(), m.start(), m.end(), kind, v.lang, **parts)


def _absolute(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    if not _capitalized_ok(m, v):
        return None
    month, day = _month_of(m, v), _day_of(m, v)
    year = int(m.group("year")) if _g(m, "year") else None
    if month is None or day is None or not _valid_day(day, month, year):
        return None
    if _g(m, "day2"):
        last = int(m.group("day2"))
        if not day < last <= 31 or (m.end("day2") == m.end() and not _day_may_end(text, m.end(), v)):
            return None
    return _mention(
        m,
        "absolute",
        v,
        weekday=_weekday_of(m, v),
        day=day,
        month=month,
        year=year,
        direction=_direction(m, v),
        part_of_day=_part_of_day(m, v),
    )


def _weekday(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    if not _capitalized_ok(m, v):
        return None
    weekday = _weekday_of(m, v)
    if weekday is None:
        return None
    day = _day_of(m, v) if _g(m, "day") else None
    if _g(m, "day") and day is None:
        return None
    mention = _mention(
        m,
        "weekday_day" if day else "weekday",
        v,
        weekday=weekday,
        day=day,
        direction=_direction(m, v),
        part_of_day=_part_of_day(m, v),
    )
    if day is not None and m.end("day") == m.end() and not _day_may_end(text, m.end(), v):
        # "el jueves 5 personas": a number that counts something is not a day.
        end = m.end("suf") if _g(m, "suf") else m.end("wd")
        return replace(mention, text=text[m.start() : end], end=end, kind="weekday", day=None)
    return mention


def _day_may_end(text: str, pos: int, v: _Vocab) -> bool:
    """True when a bare day number may end at ``pos``: punctuation or a listed word follows."""
    nxt = re.match(r"\s*([^\W\d_]+)", text[pos : pos + 30])
    return nxt is None or nxt.group(1).lower() in v.day_followers


def _month(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    if not _capitalized_ok(m, v):
        return None
    month = _month_of(m, v)
    if month is None:
        return None
    year = int(m.group("year")) if _g(m, "year") else None
    mon = m.group("mon").lower().rstrip(".")
    # A bare month name needs a preposition or modifier ("in January", "el pasado enero").
    bare = not (_g(m, "prep") or _g(m, "mod") or _g(m, "suf")) or mon not in v.months
    if year is None and bare:
        return None
    prefix = " ".join(filter(None, (_g(m, "prep"), _g(m, "mod"))))
    period = ""
    for word, name in v.period_words.items():
        if re.search(rf"(?<![\w]){re.escape(word)}", prefix, re.IGNORECASE):
            period = name
    return _mention(m, "month", v, month=month, year=year, direction=_direction(m, v), period=period)


def _year(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    period = ""
    for word, name in v.period_words.items():
        if re.search(rf"(?<![\w]){re.escape(word)}", m.group("prep"), re.IGNORECASE):
            period = name
    return _mention(m, "year", v, year=int(m.group("year")), period=period)


def _relative(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    kind, unit, offset = v.relative[_norm(m.group("rel"))]
    return _mention(m, kind, v, unit=unit, offset=offset)


def _counted(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    after = _norm(m.group("after") or "")
    if not (_g(m, "before") or after):
        return None
    n = parse_number(m.group("n"), v.lang)
    if n is None and _norm(m.group("n")) in ("a", "an", "un", "una"):
        n = 1
    if n is None or n != int(n) or n > 400:
        return None
    unit = v.counted_units[_norm(m.group("unit"))]
    if _g(m, "before") or after in v.ago_after:
        return _mention(m, "relative", v, unit=unit, offset=-int(n))
    if after in v.later:
        return _mention(m, "following_day" if unit == "day" else "following", v, unit=unit, offset=int(n))
    return _mention(m, "previous_day" if unit == "day" else "previous", v, unit=unit, offset=-int(n))


def _numeric(m: re.Match[str], text: str, v: _Vocab) -> DateMention | None:
    a, b, y = int(m.group("a")), int(m.group("b")), m.group("y")
    year = int(y) if len(y) == 4 else 2000 + int(y)
    if m.group("y") == m.group()[:4]:  # ISO: year-month-day
        day, month, swappable = a, b, False
    elif v.lang == "en" and a <= 12:
        # English-language news is mostly US-style month/day; the other reading is kept.
        month, day, swappable = a, b, b <= 12 and a != b
    else:
        day, month, swappable = a, b, v.lang == "en" and b <= 12
    if not (1 <= month <= 12 and 1 <= day <= 31 and _valid_day(day, month, year)):
        if swappable and 1 <= day <= 12 and _valid_day(month, day, year):
            day, month, swappable = month, day, False
        else:
            return None
    return _mention(m, "absolute", v, day=day, month=month, year=year, swappable=swappable)


# --------------------------------------------------------------------------- finding


def _word_before(text: str, start: int, n: int = 2) -> str:
    words = re.findall(r"[\w.]+", text[max(0, start - 40) : start])
    return " ".join(words[-n:]).lower()


def _blocked(mention: DateMention, text: str, v: _Vocab) -> bool:
    """Names that contain a weekday or month ("Black Friday", "Santo Domingo", "Avenida 5 de Mayo")."""
    before = _word_before(text, mention.start)
    after = text[mention.end : mention.end + 30].lower()
    if mention.weekday is not None and mention.kind in ("weekday", "weekday_day"):
        if any(re.search(rf"(?<![\w]){re.escape(b)}$", before) for b in v.weekday_blockers):
            return True
        if any(re.match(rf"\s+{re.escape(b)}(?![\w])", after) for b in v.weekday_blockers_after):
            return True
    if mention.month is not None and mention.kind in ("absolute", "month"):
        words = before.split()
        if words and words[-1] in v.month_blockers:
            return True
        if len(words) == 2 and words[0] in v.month_blockers and words[1] in ("de", "of"):
            return True
    return False


def _dateline(mention: DateMention, text: str) -> bool:
    """An absolute date opening a line, after a place and before a dash ("Lima, 5 de enero.-")."""
    line_start = text.rfind("\n", 0, mention.start) + 1
    lead = text[line_start : mention.start]
    if len(lead) > 80 or re.search(r"[.!?]\s", lead) or (lead.strip() and not lead.rstrip().endswith(",")):
        return False
    tail = text[mention.end : mention.end + 50]
    return re.match(r"\s*(?:\([^()\n]{1,40}\))?\s*\.?\s*[-–—]", tail) is not None


# Rules whose match contains a weekday or month name. They run only in windows around
# such names: their optional leading phrases make them slow to try at every word.
_ANCHORED = frozenset(
    {
        "month_day",
        "day_month",
        "month_day_range",
        "day_month_range",
        "weekday_paren_md",
        "weekday_paren_dm",
        "weekday_paren_d",
        "weekday",
        "month",
    }
)
# Window around a weekday/month name: the longest leading phrase ("en horas de la
# madrugada de este") is under 60 characters, the longest tail (day, month, year and
# part of day: "domingo 1 de diciembre de 2024, en horas de la madrugada") under 100.
_WINDOW_BEFORE = 60
_WINDOW_AFTER = 100


@cache
def _anchor_pattern(lang: str) -> re.Pattern[str]:
    v = _vocab(lang)
    names = () if v is None else (*v.weekdays, *v.weekday_abbrevs, *v.months, *v.month_abbrevs)
    return re.compile(rf"(?<![\w])(?:{_alt(names)})(?![\w])", re.IGNORECASE)


def _windows(text: str, lang: str) -> list[tuple[int, int]]:
    """Merged spans of text around weekday and month names."""
    spans: list[tuple[int, int]] = []
    for m in _anchor_pattern(lang).finditer(text):
        start, end = max(0, m.start() - _WINDOW_BEFORE), min(len(text), m.end() + _WINDOW_AFTER)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _candidates(text: str, lang: str, v: _Vocab) -> Iterator[tuple[DateMention, bool]]:
    """Every candidate mention, with True when a name blocks it ("Avenida 5 de Mayo")."""
    windows = _windows(text, lang)
    for rule in _rules(lang):
        spans = windows if rule.name in _ANCHORED else [(0, len(text))]
        for start, end in spans:
            for m in rule.pattern.finditer(text, start, end):
                mention = rule.handler(m, text, v)
                if mention is not None:
                    yield mention, _blocked(mention, text, v)


def find_date_expressions(text: str, lang: str) -> tuple[DateMention, ...]:
    """Every date expression in ``text`` (in ``lang``: "en" or "es"), in text order.

    Overlapping candidates keep the longest ("el pasado domingo 1 de diciembre"
    over "domingo"). Clock times ("10.20am", "a las 7:13 horas") are not dates.
    Languages without a vocabulary give an empty tuple.
    """
    v = _vocab(lang)
    if v is None or not text:
        return ()
    chosen: list[tuple[DateMention, bool]] = []
    by_length = sorted(_candidates(text, lang, v), key=lambda c: (c[0].start - c[0].end, c[0].start))
    for cand, blocked in by_length:
        # A blocked candidate still holds its span, so "de Mayo" inside "Avenida 5 de Mayo" stays out.
        if all(cand.end <= c.start or c.end <= cand.start for c, _ in chosen):
            chosen.append((cand, blocked))
    out = []
    for c, blocked in sorted(chosen, key=lambda c: c[0].start):
        if blocked:
            continue
        if c.kind == "absolute" and not c.swappable and _dateline(c, text):
            c = replace(c, kind="dateline")
        out.append(c)
    return tuple(out)


# --------------------------------------------------------------------------- resolving


def days_before(value: date, published: date) -> int:
    """How many days ``value`` lies before ``published`` (negative when after)."""
    return (published - value).days


def _on_or_before(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday) % 7)


def _strictly_before(published: date, weekday: int) -> date:
    return published - timedelta(days=(published.weekday() - weekday - 1) % 7 + 1)


def _strictly_after(published: date, weekday: int) -> date:
    return published + timedelta(days=(weekday - published.weekday() - 1) % 7 + 1)


def _monday(d: date) -> date:
    return d - timedelta(days=d.weekday())


def _add_months(d: date, n: int) -> date:
    """The first day of the month ``n`` months after ``d``'s month."""
    k = d.year * 12 + d.month - 1 + n
    return date(k // 12, k % 12 + 1, 1)


def _shift(base: date, unit: str, n: int) -> tuple[date, Precision]:
    """``base`` moved by ``n`` units, with the precision of the result."""
    if unit == "week":
        return _monday(base + timedelta(weeks=n)), "week"
    if unit == "month":
        return _add_months(base, n), "month"
    if unit == "year":
        return date(base.year + n, 1, 1), "year"
    return base + timedelta(days=n), "day"


def _day_month_past(day: int, month: int, published: date, direction: str) -> date | None:
    """The date with this day and month that lies on or before publication (after, for "next")."""
    step = 1 if direction == "next" else -1
    for k in range(9):  # 9 years reach back past a leap day (29 February)
        y = published.year + step * k
        if not _valid_day(day, month, y):
            continue
        d = date(y, month, day)
        if (direction == "next" and d >= published) or (direction != "next" and d <= published):
            return d
    return None


# A weekday with a day number pins one date every few months. A match in the month
# before publication is the usual past report; a match in the coming week is an
# announced date ("the Senate votes on Wednesday (3)"), which beats a match months back.
_WEEKDAY_DAY_PAST_DAYS = 31
_WEEKDAY_DAY_FUTURE_DAYS = 7


def _weekday_day(day: int, weekday: int, published: date, direction: str) -> tuple[date | None, str]:
    """A day number said with a weekday ("el jueves 5"): where they agree, nearest publication."""
    candidates: list[date] = []
    for k in range(-14, 3):
        first = _add_months(published, k)
        if _valid_day(day, first.month, first.year):
            candidates.append(date(first.year, first.month, day))
    matching = [d for d in candidates if d.weekday() == weekday]
    past = [d for d in matching if d <= published]
    future = [d for d in matching if d > published]
    if direction == "next" and future:
        return min(future), "weekday_day:next"
    if past and days_before(max(past), published) <= _WEEKDAY_DAY_PAST_DAYS:
        return max(past), "weekday_day:match"
    if future and -days_before(min(future), published) <= _WEEKDAY_DAY_FUTURE_DAYS:
        return min(future), "weekday_day:match_coming_week"
    if past:
        return max(past), "weekday_day:match"
    on_or_before = [d for d in candidates if d <= published]
    return (max(on_or_before) if on_or_before else None), "weekday_day:day_only"


def _resolve_text(text: str, lang: str) -> DateMention | str:
    found = find_date_expressions(text, lang)
    if found:
        return max(found, key=lambda c: c.end - c.start)
    return text


def resolve_date(
    mention: DateMention | str,
    published: date | None,
    lang: str,
    *,
    reference: date | None = None,
) -> DateValue | None:
    """Resolve a date expression against the publication date.

    Weekdays: bare / "this" / "este" / "el" -> most recent such day on or before
    ``published``; "last" / "pasado" -> strictly before; "next" / "próximo" -> after.
    "yesterday" / "ayer" / "overnight" / "anoche" -> published - 1; "today", "this
    morning", "en las últimas horas" -> published; a day and month without a year ->
    the year that puts it on or before publication; a weekday with a day number ->
    the nearest month (on or before) where they agree; "last week" -> Monday of the
    previous week (precision "week"); "earlier this month", "in January" -> first day
    of the month (precision "month"); "in 2014" -> 1 January (precision "year").
    ``reference`` anchors "the following day" / "al día siguiente". With
    ``published=None`` only dates that carry their own year resolve. A string is read
    with ``find_date_expressions`` first, then (absolute dates only) with dateparser.
    Returns None when the expression cannot be resolved.
    """
    if isinstance(mention, str):
        got = _resolve_text(mention, lang)
        if isinstance(got, str):
            return _dateparser_fallback(got, published, lang)
        mention = got
    value, precision, rule = _resolve(mention, published, reference)
    if value is None:
        return None
    return DateValue(value, precision, mention.text, rule)


_Resolved = tuple[date | None, Precision | None, str]
_NONE: _Resolved = (None, None, "")


def _resolve(m: DateMention, published: date | None, reference: date | None) -> _Resolved:
    kind = m.kind
    if kind in ("absolute", "dateline") and m.day is not None and m.month is not None:
        if m.year is not None:
            d = date(m.year, m.month, m.day)
            if m.swappable and published is not None and d > published and m.day <= 12:
                alt = date(m.year, m.day, m.month)
                if alt <= published:
                    return alt, "day", f"{kind}:numeric_swapped"
            return d, "day", f"{kind}:full"
        if published is None:
            return _NONE
        d2 = _day_month_past(m.day, m.month, published, m.direction)
        rule = f"{kind}:day_month:" + ("next" if m.direction == "next" else "past")
        if d2 is not None and m.weekday is not None and d2.weekday() != m.weekday:
            rule += ":weekday_mismatch"
        return d2, "day", rule
    if kind == "month" and m.month is not None:
        if m.year is not None:
            return date(m.year, m.month, 1), "month", "month:with_year"
        if published is None:
            return _NONE
        y = published.year
        if m.direction == "next":
            y += m.month <= published.month
        elif m.direction == "last":
            y -= m.month >= published.month
        else:
            y -= m.month > published.month
        return date(y, m.month, 1), "month", f"month:{m.direction or 'this'}:past"
    if kind == "year" and m.year is not None:
        return date(m.year, 1, 1), "year", "year"
    if kind == "vague":
        return _NONE
    if kind in ("following_day", "previous_day", "same_day", "following", "previous"):
        if reference is None:
            return _NONE
        d, precision = _shift(reference, m.unit or "day", m.offset)
        return d, precision, f"{kind}:{m.offset:+d}{m.unit or 'day'}"
    if published is None:
        return _NONE
    if kind in ("weekday", "weekday_day") and m.weekday is not None:
        if m.day is not None:
            pinned, rule = _weekday_day(m.day, m.weekday, published, m.direction)
            return pinned, "day", rule
        if m.direction == "last":
            return _strictly_before(published, m.weekday), "day", "weekday:last:before"
        if m.direction == "next":
            return _strictly_after(published, m.weekday), "day", "weekday:next:after"
        return _on_or_before(published, m.weekday), "day", "weekday:this:on_or_before"
    if kind == "weekend":
        return _on_or_before(published, 5), "day", "weekend:saturday_on_or_before"
    if kind in ("relative", "part_of_day"):
        d, precision = _shift(published, m.unit or "day", m.offset)
        return d, precision, f"{kind}:{m.offset:+d}{m.unit or 'day'}"
    return _NONE


def _dateparser_fallback(text: str, published: date | None, lang: str) -> DateValue | None:
    """dateparser for absolute strings our patterns do not read; only when a year is written."""
    if not re.search(r"(?<!\d)(?:19|20)\d\d(?!\d)", text):
        return None
    import dateparser  # deferred: its import and first parse are slow, and this path is rare

    settings: dict[str, Any] = {"PREFER_DATES_FROM": "past", "REQUIRE_PARTS": ["day", "month", "year"]}
    if published is not None:
        settings["RELATIVE_BASE"] = datetime(published.year, published.month, published.day)
    try:
        parsed = dateparser.parse(text, languages=[lang], settings=settings)
    except (ValueError, TypeError, OverflowError):
        return None
    if parsed is None:
        return None
    return DateValue(parsed.date(), "day", text, "dateparser")
