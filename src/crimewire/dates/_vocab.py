"""The date vocabulary of each language, read once from ``data/dates.toml``."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

_DATA = Path(__file__).parent.parent / "data"


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
