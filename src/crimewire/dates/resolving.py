"""Resolving a date expression to a ``DateValue`` against the publication date.

Every pattern of ``crimewire.dates.finding`` is resolved by our own rules; dateparser is only a
fallback for absolute strings our patterns do not read (e.g. "2023/12/28").
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import Any

from crimewire.dates.finding import DateMention, _valid_day, find_date_expressions
from crimewire.records import DateValue, Precision


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
