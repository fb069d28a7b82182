"""Finding date expressions in English and Spanish text, with their offsets and parsed parts.

Weekday, relative, absolute, month and year expressions ("this Thursday", "el pasado domingo
1 de diciembre", "earlier this month", "en enero de 2024"); patterns are compiled once per
language from the vocabulary in ``data/dates.toml``.
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from functools import cache
from typing import Any

from crimewire.counts import number_word_pattern, parse_number
from crimewire.dates._vocab import _alt, _norm, _Vocab, _vocab

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
# --------------------------------------------------------------------------- patterns

_Handler = Callable[[re.Match[str], str, "_Vocab"], "DateMention | None"]


@dataclass(frozen=True, slots=True)
class _Rule:
    name: str
    pattern: re.Pattern[str]
    handler: _Handler
    # ``pattern`` without IGNORECASE, for the lowercased text: a case-sensitive scan is several
    # times faster, and the rules' words are all lower case (speed; see _case_sensitive_twin)
    fast: re.Pattern[str] | None = None


_ESCAPES_AND_GROUP_NAMES = re.compile(r"\\.|\(\?P[<=]")


def _case_sensitive_twin(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """``pattern`` compiled without IGNORECASE when it only spells lower-case letters, else None.

    On a lowercased text of the same length (every character lowered to one character), it
    matches where ``pattern`` matches the original text.
    """
    if not pattern.flags & re.IGNORECASE:
        return None
    if any(c.isupper() for c in _ESCAPES_AND_GROUP_NAMES.sub("", pattern.pattern)):
        return None
    return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)


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
    return tuple(replace(r, fast=_case_sensitive_twin(r.pattern)) for r in rules)


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
    lowered = text.lower()
    aligned = len(lowered) == len(text)  # no character lowered to two ("İ"): offsets agree
    for rule in _rules(lang):
        spans = windows if rule.name in _ANCHORED else [(0, len(text))]
        for start, end in spans:
            if aligned and rule.fast is not None:
                # find where matches start in the lowercased text, then match the original there
                # (handlers read the words as written)
                matches: Iterable[re.Match[str] | None] = (
                    rule.pattern.match(text, f.start(), end) for f in rule.fast.finditer(lowered, start, end)
                )
            else:
                matches = rule.pattern.finditer(text, start, end)
            for m in matches:
                if m is None:
                    continue
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
